package kb

import (
	"slices"
	"strings"

	"switchboard/backend/lexicon"
)

// A poor fit given as the reason for a return ("外套不合身，怎么退货", "the
// jeans are too tight, how do I send them back") asks how to return, not
// for another size: the lexicon's words of a poor fit are the exchange's
// (they ask for another size more often than not), and counted as such they
// outweighed the return the customer named. Where a return is named and
// no exchange is, the poor fit's words are dropped as a reason.
const (
	returnWordsConcept = "return"
	exchangeConcept    = "exchange"
	sizeSwapConcept    = "size-exchange"
)

// enSwapWords in a size-exchange term ask for another size ("exchange
// size", "a size up", "a bigger one"); a term without one or 换 tells a
// poor fit.
var (
	enSwapWords = map[string]bool{"exchange": true, "swap": true, "switch": true, "change": true, "up": true, "down": true,
		"bigger": true, "smaller": true, "larger": true, "another": true, "other": true, "different": true, "next": true}
	// sizeSwapOnly is the set onlyConcepts asks of a size-exchange match,
	// made once rather than at every match of every query.
	sizeSwapOnly = map[string]bool{sizeSwapConcept: true}
)

// fitReason reports whether m is a size-exchange match that tells a poor
// fit rather than asking for another size.
func fitReason(m lexicon.Match) bool {
	if !onlyConcepts(m, sizeSwapOnly) || strings.Contains(m.Term, "换") {
		return false
	}
	return !slices.ContainsFunc(strings.Fields(m.Term), func(w string) bool { return enSwapWords[w] })
}

// fitForReturn returns ms without the poor fit's matches when ms names a
// return and no exchange.
func fitForReturn(ms []lexicon.Match) []lexicon.Match {
	named := func(id string) bool {
		return slices.ContainsFunc(ms, func(m lexicon.Match) bool { return slices.Contains(m.Concepts, id) })
	}
	if !named(returnWordsConcept) || named(exchangeConcept) ||
		slices.ContainsFunc(ms, func(m lexicon.Match) bool {
			return onlyConcepts(m, sizeSwapOnly) && !fitReason(m)
		}) {
		return ms
	}
	return slices.DeleteFunc(ms, fitReason)
}
