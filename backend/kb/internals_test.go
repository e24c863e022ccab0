package kb

import "testing"

func TestShopInternals(t *testing.T) {
	checkAdds(t, "shopInternals", shopInternals, "elsewhere-merchant", map[string]bool{
		"你们的会员有多少人":                       true,
		"你们每个月有多少订单":                      true,
		"你们积分系统是谁开发的":                     true,
		"你们的会员系统是哪家公司做的":                  true,
		"你们的优惠券是怎么设计的":                    true,
		"how many members do you have":    true,
		"who built your points system":    true,
		"is your site built with shopify": true,
		// The customer using the shop's things, and a bulk order's
		// quantities.
		"会员有多少折扣":                            false,
		"积分怎么用":                              false,
		"我要1000件，你们一天能发多少件":                  false,
		"运费是怎么算的":                            false,
		"how does your points system work":   false,
		"how many items can I order at once": false,
		"how many days do you have to ship":  false,
	})
}
