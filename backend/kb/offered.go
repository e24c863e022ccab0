package kb

import (
	"regexp"
	"slices"

	"switchboard/backend/lexicon"
)

// A service of the shop's asked whether available ("is click and collect
// available", "is gift wrapping available", "are installments available")
// asks whether the shop offers it: the lexicon's "available" is the stock's
// (of goods), and beside a service it made the question one of goods in
// stock, or, as "available" is also said of the service's people, of the
// hours. Goods asked so ("is this available", "is the black one
// available") keep it.
var enServiceAvailable = regexp.MustCompile(`(?i)\b(?:is|are|isn'?t|aren'?t)\s+(.{2,40}?)\s+(?:still\s+|also\s+|even\s+)?available\b`)

// offeredServices are the concepts of services the shop may offer.
var offeredServices = map[string]bool{"store-pickup": true, "gift-wrap": true, "installments": true, "international-shipping": true,
	"price-protection": true, "cash-on-delivery": true, "express-shipping": true, "free-shipping": true}

// stockWords are the concepts of "available" read as goods in stock.
var stockWords = map[string]bool{"stock": true}

// serviceAvailable returns ms without the stock's match of "available"
// when what is asked available is a service of the shop's.
func serviceAvailable(text string, ms []lexicon.Match) []lexicon.Match {
	loc := enServiceAvailable.FindStringSubmatchIndex(text)
	if loc == nil {
		return ms
	}
	subject := slices.ContainsFunc(ms, func(m lexicon.Match) bool {
		return m.Start >= loc[2] && m.End <= loc[3] && anyConcept(m, offeredServices)
	})
	if !subject {
		return ms
	}
	return slices.DeleteFunc(ms, func(m lexicon.Match) bool {
		return m.Start >= loc[3] && m.End <= loc[1] && onlyConcepts(m, stockWords)
	})
}

// An order cancelled and its money then wanted back ("can I still call it
// off and get my money back", "cancel it and refund me", 取消订单然后退款)
// asks for the cancellation: the refund follows it, and as a concept of its
// own it made the question one of when refunds arrive.
var cancelThen = regexp.MustCompile(`(?i)^\s*(?:,\s*)?(?:and|&|then|and then|,)\s+|^\s*(?:然后|再|并|并且|，|,)\s*`)

// cancelThenRefund returns text and ms without the refund's words and
// match that follow a cancellation's with only "and" or "then" between: the
// words blanked too, or "get my money back" would still be the refund
// entry's own question.
func cancelThenRefund(text string, ms []lexicon.Match) (string, []lexicon.Match) {
	for _, c := range ms {
		if !slices.Contains(c.Concepts, "cancel-order") {
			continue
		}
		for i, r := range ms {
			if r.Start < c.End || !onlyConcepts(r, refundWords) || !cancelThen.MatchString(text[c.End:r.Start]) {
				continue
			}
			return dropMatches(text, ms, func(k int, _ lexicon.Match) bool { return k == i })
		}
	}
	return text, ms
}

// refundWords are the concepts of money wanted back.
var refundWords = map[string]bool{"refund": true}
