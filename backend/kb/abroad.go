package kb

import (
	"regexp"
	"slices"
	"strings"

	"switchboard/backend/lexicon"
)

// A place abroad where the goods are to go, or where the customer lives
// ("do you send parcels to Canada", "I live in Germany, can I order from
// you", 能寄去德国吗, 我人在加拿大) asks about shipping abroad, whichever country
// it names: the lexicon's places are neighbours of shipping abroad, which
// counts them only in part, and its phrases named a few ("ship to canada")
// and not the rest.
var (
	// enToPlace ends where a place follows: a verb of sending, ordering or
	// living, then its preposition, a few words between at most.
	enToPlace = regexp.MustCompile(`(?i)\b(?:(?:send|sends|sending|ship|ships|shipping|deliver|delivers|delivering|delivery|post|posting|mail|mailing|get it|get them)\b(?:[^.?!,;]{0,30}?)\s+(?:to|out to|over to|into)|(?:order|ordering|buy|buying|purchase|shop|shopping)\b(?:[^.?!,;]{0,20}?)\s+(?:from|in)|(?:live|lives|living|based|located|reside|residing|staying|moved|moving|relocated|relocating|i'?m|i am|we'?re|we are)\s+(?:now\s+)?(?:in|to))\s+(?:the\s+)?$`)
	// zhToPlace are the words right before a place: 寄到, 发去, 住在, 人在.
	zhToPlace = regexp.MustCompile(`(?:寄|发|送|邮|运|快递)(?:到|去|往)?$|(?:住在|人在|身在|定居在?|我在|我们在)$`)
	// zhPlaceThenSend begins right after a place asked to be sent to:
	// 澳门可以发货吗, 新加坡能寄吗.
	zhPlaceThenSend = regexp.MustCompile(`^\s*(?:地区)?(?:也)?(?:能不能|可不可以|能|可以)?(?:发货|寄|送|发|邮寄|配送|送货)`)
)

// abroadConcept is the concept a place abroad stands for; termAbroad is
// the term of its construction.
const (
	abroadConcept = "international-shipping"
	termAbroad    = "place abroad"
)

// homePlaces are the places the shop's own country is: shipping there is
// not abroad. cross-border is a neighbour of shipping abroad, not a place.
var homePlaces = map[string]bool{"china": true, "cross-border": true}

// abroad returns ms with a match of abroadConcept where text names a place
// abroad after a verb of sending, ordering or living.
func abroad(lx *lexicon.Lexicon, text string, ms []lexicon.Match) []lexicon.Match {
	for _, m := range ms {
		if len(m.Concepts) != 1 || homePlaces[m.Concepts[0]] || !lx.OnlyRelated(m.Concepts[0], abroadConcept) {
			continue
		}
		// The construction spans the verb and the place: a Chinese
		// span weighs by its length (spanGain), as the phrase
		// 寄到新加坡 does.
		start, end := -1, m.End
		if loc := zhToPlace.FindStringIndex(strings.TrimRight(text[:m.Start], " ")); loc != nil {
			start = loc[0]
		} else if loc := enToPlace.FindStringIndex(text[:m.Start]); loc != nil {
			start = m.Start
		} else if loc := zhPlaceThenSend.FindStringIndex(text[m.End:]); loc != nil {
			start, end = m.Start, m.End+loc[1]
		}
		if start < 0 {
			continue
		}
		if slices.ContainsFunc(ms, func(o lexicon.Match) bool { return slices.Contains(o.Concepts, abroadConcept) }) {
			return ms
		}
		return append(ms, construction(abroadConcept, termAbroad, start, end))
	}
	return ms
}
