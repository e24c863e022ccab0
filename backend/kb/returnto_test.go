package kb

import (
	"slices"
	"testing"

	"switchboard/backend/lexicon"
)

func TestReturnToPlace(t *testing.T) {
	lx, err := lexicon.Load()
	if err != nil {
		t.Fatal(err)
	}
	hasReturn := func(ms []lexicon.Match) bool { return slices.ContainsFunc(ms, isReturnMatch) }
	tests := []struct {
		text    string
		dropped bool // whether the return matched is blanked as the customer going back
	}{
		{"can I return to the UK after living abroad", true},
		{"when can I return to the gym after surgery", true},
		{"how do I return to work after maternity leave", true},
		// Goods sent back, to the shop or named after the verb.
		{"can I return to the store for a refund", false},
		{"how do I return to sender", false},
		{"how do I return it to the store", false},
		{"can I return items within 7 days", false},
		{"where do I return to", false},
	}
	for _, tt := range tests {
		text := expandContractions(tt.text)
		ms := lx.Matches(text)
		if !hasReturn(ms) {
			t.Fatalf("no return matched in %q: the test needs one", tt.text)
		}
		got, kept := returnToPlace(text, ms)
		if dropped := !hasReturn(kept); dropped != tt.dropped {
			t.Errorf("returnToPlace(%q) = %q, return dropped %v, want %v", tt.text, got, dropped, tt.dropped)
		}
	}
}

// TestDropMatchesOutOfOrder: the constructions' matches come after the
// lexicon's whatever their place in the text; each dropped one is blanked
// where it is, and the others' offsets still hold.
func TestDropMatchesOutOfOrder(t *testing.T) {
	text := "abc def ghi"
	ms := []lexicon.Match{{Concepts: []string{"x"}, Start: 8, End: 11}, {Concepts: []string{"y"}, Start: 0, End: 3}, {Concepts: []string{"z"}, Start: 4, End: 7}}
	got, kept := dropMatches(text, ms, func(_ int, m lexicon.Match) bool { return m.Concepts[0] != "z" })
	if got != "    def    " || len(kept) != 1 || got[kept[0].Start:kept[0].End] != "def" {
		t.Fatalf("dropMatches = %q, %+v", got, kept)
	}
}
