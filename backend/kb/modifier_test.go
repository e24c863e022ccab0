package kb

import "testing"

func TestQuietModifier(t *testing.T) {
	ix, err := NewIndex(Demo())
	if err != nil {
		t.Fatal(err)
	}
	order := conceptPrefix + "order"
	for text, want := range map[string]bool{
		// The order named after what is asked about.
		"when do I get the refund for my order": true,
		"can I get an invoice for my order":     true,
		"can I use a coupon on my order":        true,
		// The order asked about itself, or first.
		"where is my order":                            false,
		"my order's refund is late":                    false,
		"cancel my order. for my order I paid by card": false,
	} {
		qt := ix.queryTerms(text, EN)
		if !qt.terms[order] {
			t.Errorf("%q: no %s term", text, order)
			continue
		}
		if got := qt.share(order); (got == modifierShare) != want {
			t.Errorf("%q: %s keeps %.2f of its weight; quieted as a modifier: %v, want %v", text, order, got, got == modifierShare, want)
		}
	}
}
