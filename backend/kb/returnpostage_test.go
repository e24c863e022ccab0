package kb

import "testing"

func TestReturnPostage(t *testing.T) {
	checkAdds(t, "returnPostage", returnPostage, "return-shipping-fee", map[string]bool{
		"东西本身有问题，退回去的运费你们报销吗": true,
		"要是质量问题退回去，运费你们出吧":    true,
		"退换货的来回运费怎么算":         true,
		"不合适退货的话快递费我出吗":       true,
		// The postage of a purchase, a return without its postage.
		"买一件要运费吗":      false,
		"运费多少钱":        false,
		"质量有问题，怎么退货":   false,
		"退货寄回去了，退款多久到": false,
	})
}
