package kb

import (
	"regexp"

	"switchboard/backend/lexicon"
)

// A code written out after the word for it ("I have the code SAVE10, how
// do I use it", "my voucher WELCOME5 won't work", 优惠码 NEW20 怎么用) is a
// discount code, whatever its letters: the lexicon knows "promo code" and
// "use a code", not "the code SAVE10". A code of capitals or with a digit,
// so "the code is wrong" or "the code you sent" is not one.
var codeWritten = regexp.MustCompile(`(?i:\b(?:promo|discount|coupon|voucher)?\s*code|\bcoupon|\bvoucher|优惠码|折扣码|券码|兑换码)\s*(?:is\s+|:\s*|：\s*)?\b([A-Z]{3,}[0-9]*|[A-Za-z]*[0-9][A-Za-z0-9]*[A-Za-z][A-Za-z0-9]*|[A-Z]+[0-9]+)\b`)

// couponConcept is the concept a written code stands for.
const (
	couponConcept   = "coupon"
	termCodeWritten = "code written"
)

// codeWrittenOut returns ms with a match of couponConcept over a discount
// code written out after the word for it.
func codeWrittenOut(text string, ms []lexicon.Match) []lexicon.Match {
	loc := codeWritten.FindStringSubmatchIndex(text)
	if loc == nil {
		return ms
	}
	return append(ms, construction(couponConcept, termCodeWritten, loc[0], loc[1]))
}
