package kb

import "testing"

func TestOtherBusiness(t *testing.T) {
	checkAdds(t, "otherBusiness", otherBusiness, "elsewhere-services", map[string]bool{
		"酒店订单怎么取消":                                        true,
		"健身房的会员怎么退":                                       true,
		"宾馆的押金多久退":                                        true,
		"医院开的发票丢了":                                        true,
		"旅馆的押金什么时候退给我":                                    true,
		"4s店的预约怎么取消":                                      true,
		"how do I redeem hotel loyalty points":            true,
		"how do I get an invoice from the hospital":       true,
		"can I get a refund from my driving school":       true,
		"when will the hotel return my deposit":           true,
		"the gym's membership fee went up":                true,
		"my zoo season pass was charged twice":            true,
		"how do I get a receipt for my taxi ride":         true,
		"where can I find grocery coupons":                true,
		"how do I cancel my cable subscription":           true,
		"超市的优惠券怎么用":                                       true,
		"邮局的包裹单怎么填":                                       true,
		"can I get a refund from the restaurant":          true,
		"how do I return a pizza to a pizzeria":           true,
		"how do I return it to the store":                 false,
		"how do I change my address with the post office": true,
		"what's the return policy at my local library":    true,
		"what is the return policy for my order":          false,
		"can I change my address on the order":            false,
		"I need an invoice for the parking garage":        true,
		// The business as where the goods go, a customer of that trade
		// buying from the shop, the shop's own nouns.
		"能不能寄到我住的酒店":                                         false,
		"地址写成医院了，能改吗":                                        false,
		"退款到银行卡要多久":                                          false,
		"学校的订单能开发票吗":                                         false,
		"can you ship it to the hotel I'm staying at":        false,
		"we are a hotel and need 300 towels in bulk":         false,
		"a hotel order of 300 towels":                        false,
		"when will the bank get my refund":                   false,
		"I put the hospital as my address, can I change it":  false,
		"how do I redeem my points":                          false,
		"can I get an invoice for my order":                  false,
		"can I get a refund for the parking sensor I bought": false,
	})
}

func TestOtherRetailer(t *testing.T) {
	checkAdds(t, "otherRetailer", otherRetailer, "elsewhere-platforms", map[string]bool{
		"can I use a Target coupon online":          true,
		"does Best Buy do warranty repairs":         true,
		"can I return a Nike order in store":        true,
		"does Uniqlo ship internationally":          true,
		"what payment methods does AliExpress take": true,
		"is it cheaper on Amazon":                   true,
		// A brand the shop may sell, a common word, a way of paying.
		"is this Nike shoe authentic":                  false,
		"do you sell Samsung phones":                   false,
		"what's the target delivery date for my order": false,
		"can I pay with Amazon Pay":                    false,
		"is there a gap in the delivery schedule":      false,
	})
}

func TestOtherPlatform(t *testing.T) {
	checkAdds(t, "otherPlatform", otherPlatform, "elsewhere-platforms", map[string]bool{
		"what's facebook's privacy policy":       true,
		"what is the privacy policy of whatsapp": true,
		"does instagram sell my data":            true,
		"how does google use my data":            true,
		"抖音的隐私政策是什么":                             true,
		"快手会泄露我的手机号吗":                            true,
		"淘宝会把我的数据卖给别人吗":                          true,
		"请问百度会卖我的个人信息吗":                          true,
		"QQ号怎么注销":                                true,
		"我的抖音账号登不上了":                             true,
		"你们的账号怎么注销":                              false,
		// The shop sharing with a platform, or paid through one.
		"do you share my data with google":                             false,
		"does your privacy policy let you share my data with facebook": false,
		"can I pay with paypal":                                        false,
		"你们会把我的信息给抖音吗":                                                 false,
		"用微信支付会泄露信息吗":                                                  false,
		"你们的隐私政策在哪看":                                                   false,
	})
}
