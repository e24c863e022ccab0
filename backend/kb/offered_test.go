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

func TestCancelThenRefund(t *testing.T) {
	lx, err := lexicon.Load()
	if err != nil {
		t.Fatal(err)
	}
	for text, want := range map[string]bool{
		"can i still call it off and get my money back": true,
		"cancel it and refund me please":                true,
		"取消订单然后退款":                                      true,
		// The refund asked on its own, or before the cancellation.
		"I cancelled last week, when will I get my money back": false,
		"取消订单后退款多久到账":                                          false,
		"refund me or cancel it":                               false,
	} {
		ms := lx.Matches(text)
		got, kept := cancelThenRefund(text, ms)
		dropped := got != text && len(kept) == len(ms)-1
		if dropped != want {
			t.Errorf("cancelThenRefund(%q) dropped the refund = %v, want %v (text %q)", text, dropped, want, got)
		}
	}
}
