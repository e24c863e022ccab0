package kb

import (
	"slices"
	"testing"

	"switchboard/backend/lexicon"
)

func TestChangeOfOther(t *testing.T) {
	lx, err := lexicon.Load()
	if err != nil {
		t.Fatal(err)
	}
	for text, keeps := range map[string]bool{
		// A thing of the account or the app, or an unknown one said of them.
		"how do I change my gender in the app":  false,
		"change my display language to english": false,
		"can I change my nickname":              false,
		// An order's thing, a pronoun, or an unknown thing said of nothing
		// else.
		"can I change my delivery slot":          true,
		"can I change the shoes I bought":        true,
		"I need to change my payment card":       true,
		"how do I change my username in the app": false,
		"can I change it":                        true,
		"I want to change my trainers":           true,
	} {
		ms := lx.Matches(text)
		if !slices.ContainsFunc(ms, func(m lexicon.Match) bool { return m.Term == bareChange }) {
			t.Errorf("the lexicon finds no bare %q in %q", bareChange, text)
			continue
		}
		got := slices.ContainsFunc(changeOfOther(lx, text, ms), func(m lexicon.Match) bool { return m.Term == bareChange })
		if got != keeps {
			t.Errorf("changeOfOther(%q) keeps the bare change: %v, want %v", text, got, keeps)
		}
	}
}
