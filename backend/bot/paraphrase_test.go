package bot

// paraphrases are customer wordings that are not in the knowledge base, with
// the entry each should match. They were written before the scorer was
// tuned, to keep the tuning honest.
var paraphrases = []struct {
	text, want string
}{
	// Chinese.
	{"运费多少", "shipping-fee"},
	{"满多少包邮", "shipping-fee"},
	{"我想退货", "return-howto"},
	{"退款什么时候到", "refund-time"},
	{"退款要几天", "refund-time"},
	{"订单能取消吗", "cancel-order"},
	{"我要取消订单", "cancel-order"},
	{"物流信息在哪看", "track-order"},
	{"发什么快递", "shipping-carrier"},
	{"能开专票吗", "invoice"},
	{"发票怎么开", "invoice"},
	{"可以用微信支付吗", "payment-methods"},
	{"密码忘了", "account-password"},
	{"东西坏了怎么办", "damaged-item"},
	{"收到的东西有质量问题", "damaged-item"},
	{"尺码偏大还是偏小", "size-guide"},
	{"能换个尺码吗", "exchange"},
	{"七天无理由吗", "return-policy"},
	{"有没有优惠券", "coupon-use"},
	{"保修期多长", "warranty"},
	{"可以寄到美国吗", "international"},
	{"付款一直失败", "pay-failed"},
	{"快递好几天没动了", "delivery-late"},
	{"包裹显示签收了但是我没收到", "signed-not-received"},
	{"积分能抵现吗", "points"},
	{"什么时候发货", "shipping-time"},
	// English.
	{"how much does shipping cost", "shipping-fee"},
	{"do you offer free shipping", "shipping-fee"},
	{"can I return this", "return-howto"},
	{"when do I get my refund", "refund-time"},
	{"I want to cancel my order", "cancel-order"},
	{"where is my parcel", "track-order"},
	{"how can I track my package", "track-order"},
	{"which couriers do you ship with", "shipping-carrier"},
	{"I need an invoice", "invoice"},
	{"do you accept credit cards", "payment-methods"},
	{"reset password", "account-password"},
	{"the item I received is broken", "damaged-item"},
	{"can I swap it for a different size", "exchange"},
	{"what is the warranty period", "warranty"},
	{"do you deliver overseas", "international"},
	{"my payment keeps failing", "pay-failed"},
	{"my order still hasn't arrived, it's late", "delivery-late"},
	{"is it back in stock", "stock"},
	{"is the product genuine", "product-authentic"},
	{"can I pay with installments", "installments"},
	{"how do I delete my account", "delete-account"},
	{"size chart please", "size-guide"},
}
