package kb

import (
	"slices"
	"testing"

	"switchboard/backend/lexicon"
)

func TestServiceAvailable(t *testing.T) {
	lx, err := lexicon.Load()
	if err != nil {
		t.Fatal(err)
	}
	for text, want := range map[string]bool{
		"is click and collect available": false,
		"is pickup available":            false,
		"are installments available":     false,
		// Goods asked so keep the stock.
		"is this available":                true,
		"is the black one available":       true,
		"is this jacket available in blue": true,
	} {
		ms := serviceAvailable(text, lx.Matches(text))
		got := slices.ContainsFunc(ms, func(m lexicon.Match) bool { return slices.Contains(m.Concepts, "stock") })
		if got != want {
			t.Errorf("serviceAvailable(%q) kept the stock = %v, want %v", text, got, want)
		}
	}
}
