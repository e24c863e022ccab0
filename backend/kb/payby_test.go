package kb

import (
	"slices"
	"testing"

	"switchboard/backend/lexicon"
)

func TestPaidWith(t *testing.T) {
	lx, err := lexicon.Load()
	if err != nil {
		t.Fatal(err)
	}
	never := func(string) bool { return false }
	for text, want := range map[string]bool{
		"can I use PayPal":         true,
		"is Amex an option":        true,
		"is WeChat Pay ok":         true,
		"can I pay through Alipay": true,
		"可以用支付宝吗":                  true,
		"能刷Visa吗":                  true,
		"万事达能刷吗":                   true,
		"收不收支付宝":                   true,
		// Named without paying by it, or paying by it gone wrong.
		"my PayPal payment failed":                       false,
		"I tried to use PayPal but the payment failed":   false,
		"how do I link my Visa card to my Alipay wallet": false,
		"用支付宝付款失败了":                                      false,
		"支付宝怎么转账给朋友":                                     false,
	} {
		ms := lx.Matches(text)
		got := slices.ContainsFunc(paidWith(lx, text, ms, never), func(m lexicon.Match) bool { return m.Term == termPaidWith })
		if got != want {
			t.Errorf("paidWith(%q) read a way of paying = %v, want %v", text, got, want)
		}
	}
	// A knowledge base whose questions name the brand keeps it: its entry
	// answers the brand.
	text := "can I use PayPal"
	ms := paidWith(lx, text, lx.Matches(text), func(id string) bool { return id == "paypal" })
	if slices.ContainsFunc(ms, func(m lexicon.Match) bool { return m.Term == termPaidWith }) {
		t.Errorf("paidWith(%q) replaced a brand the knowledge base asks about", text)
	}
	// The brand's related concepts stay: Amex is a credit card.
	text = "can I use my Amex"
	for _, m := range paidWith(lx, text, lx.Matches(text), never) {
		if m.Term == termPaidWith && !slices.Contains(m.Concepts, "credit-card") {
			t.Errorf("paidWith(%q) = %v, want credit-card among its concepts", text, m.Concepts)
		}
	}
}
