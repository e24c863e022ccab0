package kb

import (
	"regexp"
	"slices"

	"switchboard/backend/lexicon"
)

// An order named as what is paid for ("how do I pay for my order", 这个订单
// 怎么付款, 下单后怎么付钱) asks how to pay: the order is the object of the
// paying, not the topic. As a concept of its own it drew the entries about
// orders (cancelling one, changing one, when one ships), which share it and
// the question's words, past the payment methods. Such an order's words are
// blanked from the customer's text before it is analyzed, as a refused
// term's are (unwanted, dropMatches).
var (
	// enPaidFor ends a text just before the order paid for: "pay for my ",
	// "paying for the ".
	// Not "paid for": "I paid for my order but it has not come" is about
	// the order.
	enPaidFor = regexp.MustCompile(`(?i)\bpay(?:ing)?\s+(?:you\s+|u\s+|them\s+|the shop\s+)?for(?:\s+(?:my|the|an|a|this|your|our|these|those|all|each))?\s*$`)
	// zhBeforePaying may stand between the order and a way of paying asked:
	// 这个订单怎么付款, 订单可以用什么支付, 下单后怎么付钱.
	zhBeforePaying = regexp.MustCompile(`^\s*(?:后|之后|以后|了)?\s*(?:要|可以|能|该|应该|得)?\s*$`)
)

const (
	orderConcept         = "order"
	placeOrderConcept    = "place-order"
	paymentMethodConcept = "payment-method"
)

// orderPaidFor returns text with the order matches of ms that are what a way
// of paying is asked for blanked, and ms without them.
func orderPaidFor(text string, ms []lexicon.Match) (string, []lexicon.Match) {
	isOrder := func(m lexicon.Match) bool {
		return len(m.Concepts) == 1 && (m.Concepts[0] == orderConcept || m.Concepts[0] == placeOrderConcept)
	}
	return dropMatches(text, ms, func(k int, m lexicon.Match) bool {
		return isOrder(m) && (enPaidFor.MatchString(text[:m.Start]) ||
			k+1 < len(ms) && slices.Contains(ms[k+1].Concepts, paymentMethodConcept) && zhBeforePaying.MatchString(text[m.End:ms[k+1].Start]))
	})
}
