package kb

import (
	"slices"
	"testing"

	"switchboard/backend/lexicon"
)

func TestProductSupports(t *testing.T) {
	for text, want := range map[string]bool{
		"does the router support wifi 6":        true,
		"Does it support fast charging?":        true,
		"will this laptop support two monitors": true,
		"does my phone model support NFC":       true,
		// The shop's service, or what the shop takes.
		"does your support work on sundays": false,
		"do you support apple pay":          false,
		"when is support available":         false,
	} {
		got := slices.ContainsFunc(productSupports(text, nil), func(m lexicon.Match) bool { return slices.Contains(m.Concepts, featureConcept) })
		if got != want {
			t.Errorf("productSupports(%q) finds a feature: %v, want %v", text, got, want)
		}
	}
}
