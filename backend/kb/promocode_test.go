package kb

import "testing"

func TestCodeWrittenOut(t *testing.T) {
	checkAdds(t, "codeWrittenOut", codeWrittenOut, couponConcept, map[string]bool{
		"I have the code SAVE10, how do I use it": true,
		"my voucher WELCOME5 won't work":          true,
		"优惠码NEW20怎么用":                             true,
		"where do I type the code SUMMER2026":     true,
		"the coupon XMAS doesn't apply":           true,
		// No code written, or a verification code of digits.
		"the code is wrong":                  false,
		"the code 123456 you texted me":      false,
		"I didn't get the verification code": false,
		"how do I use a coupon":              false,
	})
}
