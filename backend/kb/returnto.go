package kb

import (
	"regexp"
	"strings"

	"switchboard/backend/lexicon"
)

// A return to a place is the customer going back, not goods sent back: "can
// I return to the UK after living abroad", "how do I return to work". The
// verb's term ("can i return", "how do i return") drew the return entries;
// it is blanked from the customer's text when "to" and a place that is not
// the shop's follow it. Goods sent back to the shop name it ("can I return
// to the store for a refund", "return to sender"), and goods named after the
// verb ("can I return it to the store") are no such construction.
var (
	enReturnTo = regexp.MustCompile(`(?i)^\s+to\s+(?:the\s+|my\s+|a\s+)?([a-z]+)`)
	enReturnAt = regexp.MustCompile(`(?i)\breturn$`)
)

// returnToPlaces are where goods go back to: the shop and its people.
var returnToPlaces = map[string]bool{"store": true, "shop": true, "seller": true, "sender": true, "warehouse": true,
	"you": true, "us": true, "your": true, "merchant": true, "retailer": true, "manufacturer": true, "vendor": true,
	"supplier": true, "brand": true, "company": true, "origin": true, "courier": true, "post": true, "office": true,
	"depot": true, "branch": true, "outlet": true, "counter": true, "desk": true, "address": true, "them": true, "factory": true}

// returnToPlace returns text with the return matches of ms that are the
// customer going back somewhere blanked, and ms without them.
func returnToPlace(text string, ms []lexicon.Match) (string, []lexicon.Match) {
	return dropMatches(text, ms, func(_ int, m lexicon.Match) bool {
		// Constructions' matches may span nothing of the text.
		if m.End <= m.Start || m.End > len(text) || !enReturnAt.MatchString(text[m.Start:m.End]) {
			return false
		}
		return isReturnMatch(m) && returnsToElsewhere(text[m.End:])
	})
}

func isReturnMatch(m lexicon.Match) bool {
	for _, c := range m.Concepts {
		if strings.HasPrefix(c, "return") {
			return true
		}
	}
	return false
}

func returnsToElsewhere(after string) bool {
	sm := enReturnTo.FindStringSubmatch(after)
	return sm != nil && !returnToPlaces[strings.ToLower(sm[1])]
}
