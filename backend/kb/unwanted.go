package kb

import (
	"regexp"
	"strings"

	"switchboard/backend/lexicon"
)

// What the customer says they do not want is not what they ask about: "I
// don't want to return it, just want the price difference back" asks for
// price protection, "I do not want a refund" beside a size swapped asks for
// an exchange, 不想退货，能换个码吗 asks for one too. A term right after a
// refusal of it (enUnwanted, zhUnwanted) is dropped from the customer's
// text, its words blanked, before the text is analyzed: it would draw the
// entry of the thing refused. A negation that is no refusal stays ("I have
// not received my refund" asks about the refund).
var (
	enUnwanted = regexp.MustCompile(`(?i)\b(?:(?:do|did|does) not|dont|didnt) (?:want|need|wish|intend|plan)(?: to)?(?: get| have| make| do| ask for| request)?(?: a| an| the| any| my| it)?\s*$|\bno need (?:for|to)(?: a| an| the)?\s*$|\b(?:instead of|rather than)(?: a| an| the| getting| asking for)?\s*$|\bnot (?:asking for|looking for|after)(?: a| an| the)?\s*$`)
	zhUnwanted = regexp.MustCompile(`(?:不想|不要|不用|不需要|不打算|而不是|不是要)(?:再|去|直接|申请)?$`)
)

// enNotNow, right after a term refused, make the refusal one of when.
var enNotNow = regexp.MustCompile(`(?i)^\s*(?:urgently|right away|immediately|right now|now|yet|today|asap|quickly|so fast|that fast|straight away)\b`)

// zhAskBoth are questions of yes or no (要不要另外付邮费), no refusals.
var zhAskBoth = strings.NewReplacer("要不要", "要", "用不用", "用", "想不想", "想", "需不需要", "需要", "需要不需要", "需要")

// unwanted returns text with the matches of ms that follow a refusal
// blanked, and ms without them.
func unwanted(text string, ms []lexicon.Match) (string, []lexicon.Match) {
	return dropMatches(text, ms, func(_ int, m lexicon.Match) bool {
		before, term := text[:m.Start], text[m.Start:m.End]
		// 不 before a term that starts with its own wish (不|想退货).
		// Not 要不|要退货 (要不要, yes or no).
		wishNegated := false
		for _, wish := range []string{"想", "要", "需要"} {
			if strings.HasPrefix(term, wish) && strings.HasSuffix(before, "不") && !strings.HasSuffix(before, wish+"不") {
				wishNegated = true
			}
		}
		// Paying refused is a fee asked about: "I don't want to pay for
		// return shipping, who pays?".
		paying := strings.HasPrefix(strings.ToLower(term), "pay")
		// Not needed now is still wanted: "I don't need the refund
		// urgently, but how long does it take?".
		qualified := enNotNow.MatchString(text[m.End:])
		return !paying && !qualified && (enUnwanted.MatchString(before) || zhUnwanted.MatchString(zhAskBoth.Replace(before)) || wishNegated)
	})
}

// dropMatches returns text with the matches of ms that drop reports (given
// each match's index in ms) blanked, each byte a space so that the offsets
// of the others still hold, and ms without them; text and ms themselves
// when none is dropped.
func dropMatches(text string, ms []lexicon.Match, drop func(k int, m lexicon.Match) bool) (string, []lexicon.Match) {
	var b []byte
	kept := ms[:0:0]
	for k, m := range ms {
		if !drop(k, m) {
			kept = append(kept, m)
			continue
		}
		// The constructions' matches come after the lexicon's, not in
		// the text's order: each is blanked in place.
		if b == nil {
			b = []byte(text)
		}
		for i := max(m.Start, 0); i < min(m.End, len(b)); i++ {
			b[i] = ' '
		}
	}
	if len(kept) == len(ms) {
		return text, ms
	}
	return string(b), kept
}
