package kb

import (
	"slices"
	"testing"
)

func TestAfterSpan(t *testing.T) {
	for text, want := range map[string]bool{
		"I finally got my order after a week, the vase was in pieces":  false,
		"it broke after three months":                                  false,
		"can I change items after ordering":                            true,
		"after a week I changed my mind, can I change it after paying": true,
	} {
		ts := termSet{locale: EN, terms: map[string]bool{"after": true, "week": true}, sorted: []string{"after", "week"}}
		afterSpan(&ts, text)
		if got := ts.terms["after"] && slices.Contains(ts.sorted, "after"); got != want {
			t.Errorf("afterSpan(%q) kept after = %v, want %v", text, got, want)
		}
	}
}
