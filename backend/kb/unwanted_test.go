package kb

import (
	"strings"
	"testing"

	"switchboard/backend/lexicon"
)

func TestUnwanted(t *testing.T) {
	lx, err := lexicon.Load()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		text    string
		dropped string // a term that must be gone, or "" for none
	}{
		{"I don't want return it, just want the price difference back", "return"},
		{"I do not want a refund, can I swap the size", "refund"},
		{"can I trade it for an L instead of getting my money back", "money back"},
		{"不想退货，能换个码吗", "退货"},
		{"不要退款，直接补发吧", "退款"},
		// No refusals: a question of yes or no, a negation of what happened,
		// a refusal of something else.
		{"要不要另外付邮费", ""},
		{"I have not received my refund yet", ""},
		{"I don't want to pay for return shipping, who pays?", ""},
		{"I don't need the refund urgently, but roughly how long does it take?", ""},
	}
	for _, tt := range tests {
		text := expandContractions(tt.text)
		ms := lx.Matches(text)
		got, kept := unwanted(text, ms)
		if tt.dropped == "" {
			if got != text || len(kept) != len(ms) {
				t.Errorf("unwanted(%q) dropped %q, want nothing dropped", tt.text, got)
			}
			continue
		}
		if strings.Contains(got, tt.dropped) || len(kept) >= len(ms) {
			t.Errorf("unwanted(%q) = %q, want %q dropped", tt.text, got, tt.dropped)
		}
	}
}
