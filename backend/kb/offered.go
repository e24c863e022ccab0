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
