package kb

import "testing"

func TestAboutInGeneral(t *testing.T) {
	checkAdds(t, "aboutInGeneral", aboutInGeneral, "elsewhere-knowledge", map[string]bool{
		"优惠券为什么叫优惠券":                                    true,
		"会员制的商业模式有什么好处":                                 true,
		"增值税发票怎么认证抵扣":                                   true,
		"机器人客服是怎么实现的":                                   true,
		"订单管理系统推荐一个":                                    true,
		"怎么写一封退款申请的英文邮件":                                true,
		"网购和实体店哪个便宜":                                    true,
		"包装盒一般用什么材料":                                    true,
		"why is it called black friday":                 true,
		"how do online stores make money":               true,
		"what technology do chatbots use":               true,
		"can you recommend a good inventory system":     true,
		"why do shops have sales in January":            true,
		"what is a loyalty program in marketing":        true,
		"what percentage of online orders are returned": true,
		"what is a warranty deed in real estate":        true,
		"why do you charge for shipping":                false,
		"is it cheaper to buy in bulk":                  false,
		"I work in marketing, can I get an invoice":     false,
		// The customer's own case.
		"为什么叫我重新付款":                      false,
		"能开增值税专票吗":                       false,
		"你们的包装盒是什么材料":                    false,
		"这个扣款是怎么来的":                      false,
		"can you email me the invoice":   false,
		"why is my order called pending": false,
	})
	checkAdds(t, "aboutInGeneral", aboutInGeneral, "elsewhere-merchant", map[string]bool{
		"how do I set up a return policy for my online store": true,
		"what payment methods should my store accept":         true,
		"how do I offer gift wrapping to my customers":        true,
		"我开了个小店，退货政策怎么定比较好":                                   true,
		"我们公司的会员制度怎么设计":                                       true,
		"can I get an invoice for my company":                 false,
		"do you offer a discount for my business":             false,
		"我们公司的发票抬头怎么写":                                        false,
		"can you ship it to my shop":                          false,
		"包邮是怎么算成本的":                                           true,
		"what does free shipping cost you":                    true,
		"运费多少":                                                false,
	})
}
