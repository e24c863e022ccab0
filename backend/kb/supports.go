package kb

import (
	"regexp"

	"switchboard/backend/lexicon"
)

// "Does the router support wifi 6", "does it support fast charging": a
// product said to support a feature asks what the product can do, which no
// entry of a shop's service says. The lexicon reads "support" as the
// customer service (its "support hours" made the first an hours question),
// so a thing named right before the verb decides: "it", or a noun after
// the, this, my. "Do you support Apple Pay" and "does your support work on
// Sundays" are left to the lexicon.
var enProductSupports = regexp.MustCompile(`(?i)\b(?:does|do|will|would|can|could)\s+(?:it|they|(?:the|this|that|these|those|my)\s+[a-z0-9-]+(?:\s+[a-z0-9-]+)?)\s+(support)\b`)

// featureConcept is the concept a product's support of a feature stands
// for.
const featureConcept = "compatibility"

const termProductSupports = "a product supports"

// supportConcepts are the concepts of the word productSupports reads as a
// verb.
var supportConcepts = map[string]bool{"customer-service": true}

// productSupports returns ms without the matches of supportConcepts and
// with a match of featureConcept when text asks whether a product supports
// something.
func productSupports(text string, ms []lexicon.Match) []lexicon.Match {
	l := enProductSupports.FindStringSubmatchIndex(text)
	if l == nil {
		return ms
	}
	return instead(ms, supportConcepts, construction(featureConcept, termProductSupports, l[2], l[3]))
}
