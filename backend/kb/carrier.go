package kb

import (
	"regexp"

	"switchboard/backend/lexicon"
)

// Who brings the goods ("who delivers your parcels", "who actually brings
// the parcel to my door", 谁来送货) asks which carrier the shop uses: its
// words are a delivery's, which made it a question about a delivery that
// went wrong. What a carrier did ("who delivered it to the wrong house")
// is such a delivery, and is left as it is.
var (
	enWhoDelivers = regexp.MustCompile(`(?i)\bwho\b(?:\s+\w+){0,2}?\s+(?:delivers|deliver|brings|bring|carries|carry|drops off|ships|handles (?:the |your )?deliver(?:y|ies)|does (?:the |your )?deliver(?:y|ies)|will deliver|will bring|is delivering|is going to deliver)\b`)
	zhWhoDelivers = regexp.MustCompile(`谁(?:来|负责|给我)?(?:送货|送件|派送|配送|送快递|来送|送过来|送上门)|(?:送货|配送|派送|送快递)的是(?:谁|哪家|哪个)`)
)

const (
	carrierConcept  = "carrier-choice"
	termWhoDelivers = "who delivers"
)

// whoDelivers returns ms with a match of carrierConcept where text asks
// who brings the goods.
func whoDelivers(text string, ms []lexicon.Match) []lexicon.Match {
	for _, re := range []*regexp.Regexp{enWhoDelivers, zhWhoDelivers} {
		if loc := re.FindStringIndex(text); loc != nil {
			return append(ms, construction(carrierConcept, termWhoDelivers, loc[0], loc[1]))
		}
	}
	return ms
}
