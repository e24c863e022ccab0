package kb

import (
	"slices"
	"testing"

	"switchboard/backend/lexicon"
)

func TestOrderPaidFor(t *testing.T) {
	lx, err := lexicon.Load()
	if err != nil {
		t.Fatal(err)
	}
	hasOrder := func(ms []lexicon.Match) bool {
		return slices.ContainsFunc(ms, func(m lexicon.Match) bool {
			return slices.Contains(m.Concepts, orderConcept) || slices.Contains(m.Concepts, placeOrderConcept)
		})
	}
	tests := []struct {
		text    string
		dropped bool // whether the order matched is blanked as what is paid for
	}{
		{"how do I pay for the order", true},
		{"what ways can I pay for my order", true},
		{"can I pay for my order by card", true},
		{"what are all the ways I can pay you for an order", true},
		{"这个订单怎么付款", true},
		{"订单可以用什么支付", true},
		{"下单后怎么付钱", true},
		// The order as the topic, beside a payment or none.
		{"how do I cancel the order I paid for", false},
		{"I paid but my order is not showing", false},
		{"I paid for my order but it has not arrived", false},
		{"I paid you for my order but it has not arrived", false},
		{"下单后多久发货", false},
	}
	for _, tt := range tests {
		text := expandContractions(tt.text)
		ms := lx.Matches(text)
		if !hasOrder(ms) {
			t.Fatalf("no order matched in %q: the test needs one", tt.text)
		}
		got, kept := orderPaidFor(text, ms)
		if dropped := !hasOrder(kept); dropped != tt.dropped {
			t.Errorf("orderPaidFor(%q) = %q, order dropped %v, want %v", tt.text, got, dropped, tt.dropped)
		}
		if !tt.dropped && (got != text || len(kept) != len(ms)) {
			t.Errorf("orderPaidFor(%q) changed the text to %q", tt.text, got)
		}
	}
}
