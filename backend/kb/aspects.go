package kb

import (
	"regexp"
	"strings"
)

// Aspects. A question may ask about an entry's topic and yet not what its
// answer says: "do points expire?" is about points, and the points entry
// says how they are earned and spent, not when they lapse; "能叠加使用吗"
// is about coupons, and the coupon entry says how one applies. Answered
// with the entry, such a question gets a confident reply to another
// question. An aspect is such a side of a topic, named in words that are
// the same whatever the topic (expiry, handing over to someone else,
// combining, losing a level, paying early, issuing again); an entry covers
// an aspect when one of its own texts, questions or answer in either
// language, names it. When the customer's text names an aspect the best
// entry does not cover, the answer keeps aspectShare of its confidence
// (Search), so that the bot offers the nearest entries or says it is
// unsure rather than answering the other question.
type aspect struct {
	name string
	// zh are substrings of simplified Chinese text; en matches lowercased
	// English text.
	zh []string
	en *regexp.Regexp
	// aboutZH and aboutEN name what the aspect is of; the text must name
	// one too. A password reset link that expired, an order transferred to
	// another address, a phone downgraded to a cheaper model before it
	// ships or a lost parcel reissued ask the entries of those things;
	// their answers need not name the aspect.
	aboutZH []string
	aboutEN *regexp.Regexp
}

var (
	// benefitsZH and benefitsEN are what a customer holds of the shop:
	// points, a membership, coupons, a balance.
	benefitsZH = []string{"积分", "会员", "优惠券", "券", "礼品卡", "余额", "红包", "等级", "vip"}
	benefitsEN = regexp.MustCompile(`\b(?:points?|membership|member|vip|coupons?|vouchers?|gift ?cards?|balance|credits?|level|tier|status)\b`)
	// plansZH and plansEN are an instalment plan.
	plansZH = []string{"分期", "花呗", "白条"}
	plansEN = regexp.MustCompile(`\b(?:instal(?:l)?ments?|huabei|plan)\b`)
)

var aspects = []aspect{
	{"expiry", []string{"过期", "有效期", "失效", "到期", "多久有效", "清零", "只能当天用", "当天用", "整个月都可以", "整个月都能"},
		regexp.MustCompile(`\bexpir(?:e|es|ed|y|ing|ation)\b|\bvalid (?:for|until|only on)\b|\bonly valid on\b|\bvalidity\b`),
		benefitsZH, benefitsEN},
	{"hand on", []string{"转给", "转让", "给别人用", "给家人用", "给朋友用", "共享", "过户", "送给别人用", "捐给", "捐赠", "捐出", "慈善", "转送",
		// Given or sold on: "积分能转赠给我老婆吗" (转增 as typed), "会员能送给我妈用吗", "优惠券能转卖吗".
		"转赠", "转增", "送给", "转卖", "卖给别人", "送人"},
		regexp.MustCompile(`\btransferable\b|\btransfer (?:it|them|my \w+|\w+) to (?:my|his|her|a|another|someone|somebody)\b|\bshare (?:it|them|my \w+) with\b|\bgive (?:it|them|my \w+) to (?:someone|somebody|my|a friend)\b|\bgift (?:it|them|my \w+) to\b|\bsell (?:it|them|my \w+)\b|\bsend (?:it|them|my \w+) to (?:my|a friend|someone)\b|\bdonat(?:e|ed|ing|ion)\b|\bcharit(?:y|ies)\b|\b(?:his|her|their) own account\b`),
		append([]string{"账号", "账户"}, benefitsZH...),
		regexp.MustCompile(`\b(?:points?|membership|vip|coupons?|vouchers?|gift ?cards?|balance|credits?|account)\b`)},
	{"combine", []string{"叠加", "一起用", "同时用", "同时使用", "一起使用", "合并使用", "叠用"},
		regexp.MustCompile(`\bstack(?:ed|ing|able)?\b|\bcombine[ds]? (?:it |them )?with\b|\buse (?:two|both|2|multiple) \w+ (?:together|at once|at the same time)\b`),
		[]string{"券", "优惠", "满减", "折扣", "积分", "会员价", "活动"},
		regexp.MustCompile(`\b(?:coupons?|vouchers?|discounts?|offers?|promotions?|promo|codes?|points?|deals?)\b`)},
	{"downgrade", []string{"降级", "会降", "掉级", "降等级", "等级会掉", "会员会调", "会员会掉", "会员会没", "会员还在吗"},
		regexp.MustCompile(`\bdowngrad(?:e|ed|es|ing)\b|\blo+se (?:my )?(?:member(?:ship)?|vip|tier|level) status\b|\blo+se my (?:membership|tier|level)\b`),
		benefitsZH, benefitsEN},
	{"pay early", []string{"提前还", "提前结清", "提前还清", "提前还款"},
		regexp.MustCompile(`\bpay (?:\w+ )?off (?:\w+ ){0,3}early\b|\bearly (?:re)?payment\b|\brepay early\b`),
		plansZH, plansEN},
	// Earned other than by spending: a review, a friend invited, a daily
	// check-in.
	{"earn otherwise", []string{"评价送", "带图评价", "写评价", "邀请好友", "推荐好友", "拉新", "签到"},
		regexp.MustCompile(`\brefer(?:ral|ring)? (?:a )?friends?\b|\bfor (?:writing )?(?:a )?(?:product )?reviews?\b|\bwrit(?:e|ing) (?:a )?(?:product )?reviews?\b|\binvit(?:e|ing) (?:a )?friends?\b|\bdaily check-?ins?\b`),
		benefitsZH, benefitsEN},
	// Taken out as money, or bought with it: "积分可以提现到微信吗", "can I
	// buy extra points with money".
	{"cash out", []string{"提现", "兑现", "换成现金", "换现金", "取现", "换成钱"},
		regexp.MustCompile(`\bcash (?:it |them |my \w+ )?out\b|\bwithdraw\b|\b(?:in)?to cash\b|\bfor cash\b`),
		benefitsZH, benefitsEN},
	{"buy", []string{"买积分", "充值积分", "花钱买积分", "用钱买积分", "积分能买吗"},
		regexp.MustCompile(`\bbuy (?:extra |more |some )?points\b|\bpurchase (?:extra |more |some )?points\b|\bpoints with (?:real )?money\b`),
		benefitsZH, benefitsEN},
	// The customer's own balance, which the bot cannot see: "how many
	// points do I have", "我现在有多少积分".
	{"balance", []string{"有多少积分", "多少积分了", "还剩多少积分", "剩多少积分", "积分余额", "积分还有多少"},
		regexp.MustCompile(`\bhow many points (?:do i have|have i got|i have|i got|is on my)\b|\bmy points balance\b|\bcheck my points\b`),
		benefitsZH, benefitsEN},
	// Whether a plan is reported: "分期会不会影响征信".
	{"credit record", []string{"征信", "信用记录", "信用分", "芝麻分"},
		regexp.MustCompile(`\bcredit (?:score|rating|record|history|report)s?\b`),
		plansZH, plansEN},
	// A membership given up: "how do I cancel my membership".
	{"leave", []string{"取消会员", "会员怎么取消", "退会员", "不想当会员", "退出会员", "会员能取消"},
		regexp.MustCompile(`\bcancel (?:my |the )?(?:membership|vip)\b|\b(?:membership|vip) (?:cancel(?:l?ation)?|cancelled)\b|\bleave the (?:membership|vip)\b`),
		[]string{"会员", "vip"},
		regexp.MustCompile(`\b(?:membership|member|vip)\b`)},
	// More of them found: "去哪领优惠券", "where do I get more coupons".
	{"get more", []string{"去哪领", "在哪领", "哪里领", "哪儿领", "怎么领", "怎么才能领", "怎么获得优惠券", "怎么得到优惠券"},
		regexp.MustCompile(`\bwhere (?:do|can) i (?:find|get) (?:more |some |any )?(?:coupons?|vouchers?)\b|\bhow (?:do|can) i get (?:more |some |any )?(?:coupons?|vouchers?)\b`),
		[]string{"券", "优惠"},
		regexp.MustCompile(`\b(?:coupons?|vouchers?)\b`)},
	// Taken back when the goods go back, or kept when an account's
	// details change: "退货了之前送的积分会扣回去吗", "if I change my phone
	// number will my points still be there".
	{"taken back", []string{"扣回", "收回去", "退回去吗", "会被扣"},
		regexp.MustCompile(`\bwhat happens to (?:my |the )?points\b|\bpoints (?:\w+ ){0,3}(?:taken|deducted|clawed) back\b|\blose (?:my |the )?points if\b`),
		benefitsZH, benefitsEN},
	{"kept", []string{"还在不在", "还在吗", "会不会没", "会清空", "还保留", "会丢吗", "会不会丢"},
		regexp.MustCompile(`\bstill be there\b|\bkeep my points\b|\bpoints (?:be )?(?:kept|lost|carried over)\b|\bpoints carry over\b`),
		benefitsZH, benefitsEN},
	// One order sent to two places: "一个订单能分开寄两个地址吗".
	{"split", []string{"分开寄", "寄两个地址", "寄到两个地址", "分别寄到", "拆单", "两个地址"},
		regexp.MustCompile(`\b(?:two|2|multiple) (?:different |diffrent |separate )?(?:addresses|adresses|addreses)\b|\bsplit (?:my |the |one |an )?order\b`),
		[]string{"订单", "地址", "寄", "发货"},
		regexp.MustCompile(`\b(?:orders?|ship|send|deliver(?:y)?)\b`)},
	// What an invoice says of the goods: "发票上的商品名称能改成办公用品吗".
	{"item name", []string{"商品名称", "品名", "办公用品", "开成别的"},
		regexp.MustCompile(`\bitem names?\b|\bproduct names?\b|\bdifferent (?:item|product|description)\b|\bas office supplies\b`),
		[]string{"发票", "收据"},
		regexp.MustCompile(`\b(?:invoices?|receipts?)\b`)},
	// A repair paid for once the warranty is over: "电脑过保了你们修一次多少钱".
	{"paid repair", []string{"过保", "修一次多少钱", "维修费", "修要多少钱", "保外维修"},
		regexp.MustCompile(`\bout of (?:warranty|warrenty|guarantee)\b|\brepair (?:cost|fee|charge)s?\b|\bcharge to (?:repair|fix)\b`),
		[]string{"保修", "质保", "修", "坏"},
		regexp.MustCompile(`\b(?:warranty|warrenty|guarantee|repair|fix|broken)\b`)},
	// Prices to come, not a price that fell: "双十一你们会降价吗 要不要等等".
	{"future price", []string{"会降价吗", "会不会降价", "要不要等", "会不会便宜", "会便宜吗"},
		regexp.MustCompile(`\bwill (?:your |the )?prices? (?:drop|go down|fall|be lower)\b|\bshould i wait\b|\bgoing to (?:drop|go down) in price\b`),
		[]string{"降价", "价格", "便宜", "双十一", "618", "活动"},
		regexp.MustCompile(`\b(?:prices?|cheaper|sale|black friday|discount)\b`)},
	// Given back when an order is undone: "if i cancel do i get my coupon
	// back", "取消订单后优惠券会退回来吗".
	{"given back", []string{"退回来", "会退回", "还给我", "返还", "会不会退"},
		regexp.MustCompile(`\b(?:get|getting) (?:my |the |a )?(?:coupons?|vouchers?|points?) back\b|\bpoints? (?:i used )?(?:get |be )?returned\b|\b(?:coupons?|vouchers?) (?:get |be )?returned\b`),
		benefitsZH, benefitsEN},
	// What paying costs, how it is shared, or who pays: "is there a fee for
	// paying with credit card", "half alipay half wechat", "can my friend
	// pay for my order", "can i pay in hong kong dollars".
	{"payment fee", []string{"刷卡手续费", "信用卡手续费", "付款手续费", "支付手续费", "付要手续费", "额外收费"},
		regexp.MustCompile(`\bfee for (?:paying|using)\b|\bsurcharge\b|\btransaction fees?\b|\bprocessing fees?\b|\bcard fees?\b`),
		[]string{"付款", "支付", "信用卡", "刷卡", "付钱", "付"},
		regexp.MustCompile(`\b(?:pay|paying|payment|card)\b`)},
	{"split payment", []string{"一半", "组合支付", "分开付", "两种方式付", "两张卡"},
		regexp.MustCompile(`\bhalf \w+ half\b|\bpay with two\b|\btwo (?:cards|payment methods)\b`),
		[]string{"付款", "支付", "付钱", "微信", "支付宝"},
		regexp.MustCompile(`\b(?:pay|paying|payment|alipay|wechat)\b`)},
	{"someone else pays", []string{"代付", "帮我付", "朋友付", "别人付", "替我付"},
		regexp.MustCompile(`\bpay for (?:my order )?for me\b|\bpay (?:for )?it for me\b|\bsomeone else (?:to )?pay\b|\bfriend (?:to )?pay\b`),
		[]string{"付款", "支付", "付钱", "订单", "付"},
		regexp.MustCompile(`\b(?:pay|paying|payment|order)\b`)},
	{"currency", []string{"港币", "美元", "外币", "币种", "新加坡元", "澳元", "欧元"},
		regexp.MustCompile(`\b(?:hong kong|us|american|singapore|australian|canadian) dollars\b|\bcurrenc(?:y|ies)\b|\bhkd\b|\busd\b|\bin euros?\b`),
		[]string{"付款", "支付", "付钱", "付"},
		regexp.MustCompile(`\b(?:pay|paying|payment|charged?)\b`)},
	// Held back, or held at a store: "can u reserve the last one for me",
	// "does the shanghai store have this in stock".
	{"hold", []string{"预留", "留一个", "帮我留", "先留着", "给我留"},
		regexp.MustCompile(`\breserve (?:it|one|the last one|them|this)\b|\bhold (?:it|one|the last one|this) for me\b|\bput (?:it|one) aside\b`),
		[]string{"货", "库存", "最后", "件", "一个"},
		regexp.MustCompile(`\b(?:stock|item|one|last)\b`)},
	{"store stock", []string{"门店有货", "店里有货", "门店有没有货", "实体店有货", "门店还有"},
		regexp.MustCompile(`\b(?:store|shop) (?:have|has) (?:this |it |them )?in stock\b|\bin stock at (?:the|your) \w+ (?:store|shop)\b`),
		[]string{"货", "库存"},
		regexp.MustCompile(`\bstock\b`)},
	// A password other than the account's, numbers bound, an account put
	// aside, an order removed from the history: "how do i set up a payment
	// password", "can i bind 2 phone numbers", "can i freeze my account
	// instead of deleting it", "how do i delete an old order".
	{"payment password", []string{"支付密码", "付款密码"},
		regexp.MustCompile(`\bpayment (?:password|pin)\b|\bpay pin\b`),
		[]string{"密码"},
		regexp.MustCompile(`\b(?:password|pin)\b`)},
	{"two numbers", []string{"两个手机号", "绑两个", "多个手机号", "两个号码"},
		regexp.MustCompile(`\b(?:2|two|multiple) (?:phone )?numbers\b`),
		[]string{"手机号", "号码", "账号"},
		regexp.MustCompile(`\b(?:numbers?|account|phone)\b`)},
	{"freeze", []string{"冻结账号", "冻结账户", "暂停使用", "停用一段时间"},
		regexp.MustCompile(`\bfreeze (?:my |the )?account\b|\bdeactivate (?:it |my account )?(?:for a while|temporarily)\b|\bpause my account\b`),
		[]string{"账号", "账户", "注销"},
		regexp.MustCompile(`\b(?:account|delete|deleting)\b`)},
	{"order history", []string{"删除订单", "订单记录怎么删", "删掉订单", "删除历史订单"},
		regexp.MustCompile(`\b(?:delete|remove|hide) (?:an |the |my |this )?(?:old )?orders?\b|\border history\b`),
		[]string{"删除", "删掉", "注销", "记录"},
		regexp.MustCompile(`\b(?:delete|remove|hide|history)\b`)},
	// Marketing messages stopped: "how do i stop ur marketing texts".
	{"marketing", []string{"营销短信", "广告短信", "推送广告", "退订"},
		regexp.MustCompile(`\bmarketing (?:texts?|emails?|messages?|sms)\b|\bunsubscribe\b|\bspam\b|\bpromotional (?:texts?|emails?)\b`),
		[]string{"短信", "推送", "信息", "消息", "邮件"},
		regexp.MustCompile(`\b(?:texts?|emails?|messages?|sms|notifications?)\b`)},
	// Other shops' prices, a price gone up, a price watched: "will u match
	// their price", "price went UP after i bought it", "购物车里的东西降价了能提醒我吗".
	{"price match", []string{"比价", "价格匹配", "别家更便宜", "别家便宜"},
		regexp.MustCompile(`\bprice ?match(?:ing)? (?:other|another|competitors?|their|amazon|taobao|jd)\b|\bmatch (?:their|the|a|that) (?:lower )?price\b|\bcheaper (?:at|on|in) (?:another|other)\b`),
		[]string{"价", "便宜"},
		regexp.MustCompile(`\b(?:prices?|cheaper)\b`)},
	{"price up", []string{"涨价", "价格涨了", "变贵了"},
		regexp.MustCompile(`\bprices? (?:went|goes|go|gone) up\b|\bprice increase\b|\bmore expensive now\b`),
		[]string{"价", "贵"},
		regexp.MustCompile(`\b(?:prices?|expensive)\b`)},
	{"price alert", []string{"降价了能提醒", "降价提醒", "降价通知", "降价了通知"},
		regexp.MustCompile(`\bnotify me when (?:\w+ ){0,5}(?:drops?|goes down|cheaper)\b|\bprice (?:drop )?alerts?\b|\blet me know when (?:\w+ ){0,5}(?:drops?|cheaper)\b`),
		[]string{"降价", "价"},
		regexp.MustCompile(`\b(?:prices?|drops?|cheaper)\b`)},
	// A level above the members', points spent on gifts.
	{"higher tier", []string{"更高的等级", "更高等级", "等级上面", "上面还有更高"},
		regexp.MustCompile(`\bhigher (?:vip )?(?:tier|level)\b|\btier above\b|\blevel above\b`),
		[]string{"会员", "vip", "等级"},
		regexp.MustCompile(`\b(?:members?|membership|vip|tier|level)\b`)},
	{"points for goods", []string{"换礼品", "兑换礼品", "换实物", "兑换商品"},
		regexp.MustCompile(`\bpoints? for (?:gifts|items|products|rewards)\b|\bswap (?:my )?points\b|\bredeem (?:\w+ )?for (?:gifts|items|products)\b`),
		[]string{"积分"},
		regexp.MustCompile(`\bpoints?\b`)},
	// Invoices merged or their amount changed: "两个订单能合开一张发票吗",
	// "can u write a higher amount on the invoice".
	{"invoice merge", []string{"合开", "合并开", "开一张", "开在一张"},
		regexp.MustCompile(`\bone invoice\b|\bcombine (?:\w+ )?invoices?\b|\bsame invoice\b|\bsingle invoice\b`),
		[]string{"发票"},
		regexp.MustCompile(`\binvoices?\b`)},
	{"invoice amount", []string{"多开", "金额改", "改金额", "开高", "多写点"},
		regexp.MustCompile(`\bhigher amount\b|\bdifferent amount\b|\bchange the amount\b|\bincrease the amount\b`),
		[]string{"发票", "报销"},
		regexp.MustCompile(`\b(?:invoices?|receipts?|reimburse\w*)\b`)},
	// A paper to prove a brand's goods: "能发下品牌授权书看看吗".
	{"proof papers", []string{"授权书", "授权证明", "进货凭证", "授权文件"},
		regexp.MustCompile(`\bauthori[sz]ation (?:letter|certificate|document)s?\b|\bproof of authenticity\b|\bcertificate of authenticity\b`),
		[]string{"正品", "品牌", "真假", "假货"},
		regexp.MustCompile(`\b(?:genuine|authentic\w*|brand|fake|real)\b`)},
	// Paid for a delay or a breakage: "it came late and i missed the party,
	// can i get compensation", "收到坏的 除了补发还能额外补偿点啥吗".
	{"compensation", []string{"补偿", "赔点钱", "赔钱", "额外赔"},
		regexp.MustCompile(`\bcompensat(?:e|ion|ed)\b`),
		[]string{"晚", "慢", "坏", "破", "延误", "迟"},
		regexp.MustCompile(`\b(?:late|delay(?:ed)?|broken|damaged|missed)\b`)},
	// Signed in another way: "能用微信直接登录吗".
	{"other login", []string{"微信直接登录", "微信登录", "第三方登录", "扫码登录", "用微信登"},
		regexp.MustCompile(`\blog ?in with (?:wechat|google|apple|facebook|alipay)\b|\bsign in with (?:wechat|google|apple|facebook|alipay)\b`),
		[]string{"密码", "登录", "登陆"},
		regexp.MustCompile(`\b(?:password|log ?in|sign in)\b`)},
	// Where a refund goes other than back the way it was paid, how the
	// days of a return are counted, a return sent freight collect or by a
	// courier of the customer's choosing: "退款能退到账户余额里吗",
	// "七天无理由是按自然日算还是工作日", "退货可以寄到付吗", "退货必须用顺丰吗".
	{"refund elsewhere", []string{"退到余额", "退到账户余额", "退回余额", "余额里", "退现金", "现金退"},
		regexp.MustCompile(`\brefund (?:\w+ ){0,3}(?:to|into|as) (?:my |a )?(?:balance|wallet|store credit)\b|\bstore credit\b|\brefund (?:\w+ ){0,2}in cash\b|\bcash refund\b`),
		[]string{"退款", "退钱", "退"},
		regexp.MustCompile(`\b(?:refund\w*|money back)\b`)},
	{"day count", []string{"自然日", "工作日"},
		regexp.MustCompile(`\bcalendar days\b|\bworking days or\b|\bbusiness days or\b`),
		[]string{"无理由", "退货", "退换"},
		regexp.MustCompile(`\b(?:returns?|refunds?)\b`)},
	{"freight collect", []string{"到付", "寄到付"},
		regexp.MustCompile(`\bfreight collect\b|\bcollect on delivery\b|\bpostage (?:paid )?by (?:you|the shop) on arrival\b`),
		[]string{"退货", "寄回", "退回"},
		regexp.MustCompile(`\b(?:returns?|send (?:it|them) back)\b`)},
	{"return courier", []string{"必须用顺丰", "能用极兔", "用什么快递寄回", "指定快递寄回", "必须用中通", "只能用顺丰"},
		regexp.MustCompile(`\b(?:have to|must|need to) use (?:sf|zto|ems|yto|jd|a specific courier)\b|\bany courier\b`),
		[]string{"退货", "寄回", "退回", "退"},
		regexp.MustCompile(`\b(?:returns?|send (?:it|them) back)\b`)},
	// A cancellation undone, or held against the customer: "手滑点了取消
	// 订单还能恢复吗", "will i get banned if i cancel orders too many times".
	{"undo", []string{"恢复订单", "订单还能恢复", "还能恢复", "撤销取消", "取消了还能"},
		regexp.MustCompile(`\bundo (?:it|the cancel\w*|my cancel\w*)\b|\breinstate\b|\bget the order back\b|\brestore (?:my |the )?order\b`),
		[]string{"取消"},
		regexp.MustCompile(`\bcancel\w*\b`)},
	{"penalty", []string{"封号", "会不会被封", "被封", "拉黑", "惩罚"},
		regexp.MustCompile(`\bbanned\b|\bpenali[sz]ed\b|\bblacklist\w*\b|\bblocked from\b`),
		[]string{"取消", "退货", "退款", "退"},
		regexp.MustCompile(`\b(?:cancel\w*|returns?|refunds?)\b`)},
	// A claim without the box, or too late: "东西坏了但包装盒我已经扔了 还能申请
	// 售后吗", "is there a time limit to report a missing item".
	{"without packaging", []string{"包装盒扔了", "盒子扔了", "包装扔了", "包装盒我已经扔了", "包装丢了", "没有包装盒", "盒子丢了"},
		regexp.MustCompile(`\bthrew (?:\w+ ){0,2}box\b|\bthrown (?:\w+ ){0,2}box\b|\bwithout (?:the )?(?:original )?(?:box|packaging)\b|\bno (?:original )?(?:box|packaging)\b`),
		[]string{"坏", "破", "售后", "退", "少"},
		regexp.MustCompile(`\b(?:broken|damaged|return|report|missing)\b`)},
	{"deadline", []string{"几天内反馈", "多久内反馈", "几天内申请", "几天内联系", "期限", "多久之内"},
		regexp.MustCompile(`\btime limit\b|\bdeadline\b|\bhow many days after (?:delivery|receiving|it arrives)\b|\bwithin how many days\b`),
		[]string{"坏", "破", "少", "漏发", "没收到"},
		regexp.MustCompile(`\b(?:broken|damaged?|damage|missing|report)\b`)},
	// Shipping put off or promised by a date, free shipping's rules, a
	// carrier's price: "can u hold my order and ship it next month", "if i
	// order today can u guarantee it arrives by friday", "满99包邮是算券前还是
	// 券后的价", "指定发顺丰要加钱吗".
	{"ship later", []string{"晚点发", "延迟发货", "下个月再发", "过几天再发", "暂缓发货", "先别发"},
		regexp.MustCompile(`\bship (?:it |them )?(?:next (?:week|month)|later)\b|\bhold (?:my |the )?order\b|\bdelay (?:the )?shipp?ing\b`),
		[]string{"发货", "发", "寄"},
		regexp.MustCompile(`\b(?:ship\w*|send|dispatch\w*|order)\b`)},
	{"guaranteed date", []string{"能保证", "保证周", "保证几号", "确保"},
		regexp.MustCompile(`\bguarantee (?:it |that it )?(?:arrives|arrival|delivery|gets)\b|\bguaranteed (?:delivery|arrival)\b`),
		[]string{"到", "送达", "发货"},
		regexp.MustCompile(`\b(?:arrives?|arrival|deliver\w*|ship\w*)\b`)},
	{"threshold rules", []string{"券前", "券后", "卷前", "卷后", "加起来", "合并算"},
		regexp.MustCompile(`\bbefore or after the (?:coupon|discount)\b|\badd up to\b|\borders? combined\b`),
		[]string{"包邮", "满99", "运费", "免运费"},
		regexp.MustCompile(`\bfree shipping\b|\bship free\b|\bshipping fee\b`)},
	{"carrier cost", []string{"要加钱", "加钱吗", "贵多少", "多收钱"},
		regexp.MustCompile(`\bcost more\b|\bextra (?:charge|cost|fee)\b|\bpay more\b`),
		[]string{"顺丰", "中通", "快递公司", "圆通", "韵达", "邮政", "京东快递"},
		regexp.MustCompile(`\b(?:sf|zto|yto|ems|china post|courier|carrier)\b`)},
	// Goods sent that were not ordered: "多发了一件给我 要寄回去吗".
	{"extra item", []string{"多发了", "多寄了", "多给了", "多发一件"},
		regexp.MustCompile(`\bextra item\b|\bsent (?:me )?(?:an )?extra\b|\bitem i didnt order\b|\bsomething i didnt order\b`),
		[]string{"寄回", "退回", "退", "还回去", "寄回去"},
		regexp.MustCompile(`\b(?:send (?:it|them) back|return|keep)\b`)},
	// A return or an exchange at a store, or collected from home: "换货能
	// 直接去门店换吗", "can a courier come pick up the return from my home".
	{"at a store", []string{"门店换", "去门店换", "门店退", "送到门店", "门店直接退", "在门店买的", "门店买的", "实体店买的", "上海门店吗", "北京门店买"},
		regexp.MustCompile(`\b(?:at|to) (?:the |your |one of your |a )?(?:\w+ )?(?:physical )?stores?\b|\bin person\b`),
		[]string{"退", "换"},
		regexp.MustCompile(`\b(?:return\w*|exchange\w*|refund\w*)\b`)},
	{"pickup from home", []string{"上门取件", "上门取", "上门来取", "上门收"},
		regexp.MustCompile(`\bpick (?:\w+ ){0,3}up (?:\w+ ){0,3}from (?:my )?home\b|\bcollect (?:it |the return )?from (?:my )?home\b|\bhome pick-?up\b`),
		[]string{"退", "换", "寄回"},
		regexp.MustCompile(`\b(?:return\w*|exchange\w*|send (?:it|them) back)\b`)},
	// A card to hold: "do members get a physical card?"
	{"physical card", []string{"实体卡"},
		regexp.MustCompile(`\bphysical (?:member(?:ship)? )?cards?\b|\bplastic (?:member(?:ship)? )?cards?\b`),
		benefitsZH, benefitsEN},
	// What the plan costs beyond the interest-free months.
	{"rate", []string{"利率", "利息多少", "多少利息", "年化", "手续费多少", "多少手续费", "利息怎么算"},
		regexp.MustCompile(`\binterest rates?\b|\bapr\b|\bhow much interest\b|\bwhats the interest\b|\binterest if i\b`),
		[]string{"分期", "花呗", "白条", "期"},
		regexp.MustCompile(`\b(?:instal(?:l)?ments?|huabei|months?|plan)\b`)},
	// How a gift's wrapping looks or is made.
	{"look", []string{"什么颜色", "红色的吗", "什么图案", "图案", "花纹", "手写", "打印的", "选颜色", "颜色能选"},
		regexp.MustCompile(`\b(?:what|which) colou?rs?\b|\b(?:choose|pick) the colou?r\b|\bpatterns?\b|\bhand-?written\b|\bprinted\b|\b(?:paper|wrapping) (?:be|is) (?:red|gold|blue|pink|green)\b`),
		[]string{"包装", "贺卡", "卡片"},
		regexp.MustCompile(`\b(?:wrap(?:ping|ped)?|greeting cards?|gift cards?)\b`)},
	// Duties and taxes of a parcel abroad.
	{"duty", []string{"关税", "清关费", "进口税"},
		regexp.MustCompile(`\bcustoms? (?:duty|duties|fees?|charges?|tax(?:es)?)\b|\bimport (?:tax|duty|duties)\b|\bduties\b`),
		[]string{"寄到", "国外", "海外", "境外", "新加坡", "马来西亚", "香港", "台湾", "澳门", "包裹"},
		regexp.MustCompile(`\b(?:parcel|package|ship(?:ping|ped)?|send|abroad|overseas|international(?:ly)?|singapore|malaysia)\b`)},
	// A password's rules.
	{"rules", []string{"密码要求", "密码有什么要求", "最少几位", "几位数", "特殊符号", "特殊字符", "要几位", "必须有字母"},
		regexp.MustCompile(`\bpass(?:word|wrd)? (?:rules|requirements)\b|\bminimum length\b|\bhow many characters\b|\bspecial characters?\b`),
		[]string{"密码"},
		regexp.MustCompile(`\bpass(?:word|wrd|sword)\b`)},
	// An account's data taken out, or signed up for again.
	{"export", []string{"导出", "下载我的数据", "备份我的数据"},
		regexp.MustCompile(`\bdownload (?:a copy of )?(?:all )?my data\b|\bexport (?:all )?(?:of )?my\b|\bcopy of (?:all )?my data\b`),
		[]string{"账号", "账户", "注销", "数据"},
		regexp.MustCompile(`\b(?:account|data|delete|deletion|close)\b`)},
	{"sign up again", []string{"再注册", "重新注册", "还能注册", "能再注册"},
		regexp.MustCompile(`\bsign up again\b|\bre-?register\b|\bregister again\b|\bopen a new account with the same\b`),
		[]string{"账号", "账户", "注销", "手机号"},
		regexp.MustCompile(`\b(?:account|delete|deletion|close|number)\b`)},
	// A warranty stretched, or the damage and repairs it may not cover.
	{"warranty terms", []string{"延保", "延长保修", "进水", "泡水", "自己拆", "自己修", "拆开修"},
		regexp.MustCompile(`\bextended warranty\b|\bextend (?:the |my )?warranty\b|\bwater damage\b|\bfix (?:it|them) myself\b|\bvoids? (?:the |my )?warranty\b`),
		[]string{"保修", "质保", "保养", "延保"},
		regexp.MustCompile(`\b(?:warranty|warrenty|guarantee)\b`)},
	{"issue again", []string{"重开", "重新开", "换开", "红冲"},
		regexp.MustCompile(`\bre-?issue[ds]?\b|\bre-?issuing\b`),
		[]string{"发票", "收据", "专票", "普票", "券"},
		regexp.MustCompile(`\b(?:invoices?|receipts?|coupons?|vouchers?)\b`)},
	// Past the first set of 64: a pickup by someone else, clothes tried on
	// at a store, how many times something may be done.
	{"by someone else", []string{"朋友帮我取", "朋友去取", "让朋友取", "让朋友去取", "朋友代取", "帮我去门店取", "家人帮我取", "家人去取", "让家人取", "别人帮我取", "别人代取", "代取", "代领", "替我取"},
		regexp.MustCompile(`\b(?:friend|wife|husband|partner|family member|someone else|somebody else|colleague|mom|mum|dad|brother|sister|son|daughter)\b.{0,30}\bpick (?:it |them |my order |the order |my parcel )?up\b|\bpick(?:s|ed)? (?:it |them |my order )?up (?:for|on behalf of) me\b|\bcollect (?:it |them |my order )?(?:for|on behalf of) me\b|\bon my behalf\b`),
		[]string{"门店", "自提", "取货", "提货", "取件", "取"},
		regexp.MustCompile(`\b(?:pick ?up|pickup|collect\w*|store|shop)\b`)},
	{"try on", []string{"试穿", "试戴", "试衣间", "试一下衣服", "能试吗"},
		regexp.MustCompile(`\btry (?:it |them |clothes |things |the \w+ )?on\b|\bfitting rooms?\b|\bchanging rooms?\b`),
		[]string{"门店", "店里", "实体店", "线下"},
		regexp.MustCompile(`\b(?:stores?|shops?|in person)\b`)},
	{"holidays", []string{"过年期间", "春节期间", "节假日期间", "放假期间", "国庆期间", "放不放假", "过年还发", "春节还发", "过年发货", "春节发货",
		"节假日发货", "节假日还发", "过年发不发", "春节发不发", "国庆发货", "五一发货", "除夕发货", "元旦发货"},
		regexp.MustCompile(`\b(?:spring festival|chinese new year|lunar new year|national day|public holidays?|holidays?|golden week)\b`),
		[]string{"发货", "发吗", "发不发", "送货", "配送", "快递"},
		regexp.MustCompile(`\b(?:ship\w*|deliver\w*|dispatch\w*|send\w*|couriers?)\b`)},
	{"someone else's parcel", []string{"别人的包裹", "别人的快递", "别人的东西", "不是我的包裹", "不是我的快递"},
		regexp.MustCompile(`\bsomeone (?:else'?s|elses) (?:parcel|package|order|box)\b|\bsomebody (?:else'?s|elses) (?:parcel|package|order|box)\b|\b(?:parcel|package) (?:that )?(?:isn'?t|is not|wasn'?t) (?:mine|for me)\b`),
		[]string{"包裹", "快递", "收到"},
		regexp.MustCompile(`\b(?:parcels?|packages?|received|recieved|got|delivered)\b`)},
	{"without an account", []string{"游客下的单", "游客身份", "游客购买", "没登录能", "不登录能", "未登录能", "免登录", "没注册能", "不注册能"},
		regexp.MustCompile(`\bwithout (?:logging in|signing in|an account|registering)\b|\bas (?:a )?guest\b|\bguest checkout\b`),
		[]string{"查", "物流", "订单", "下单", "买"},
		regexp.MustCompile(`\b(?:track\w*|orders?|checked out|check out|buy|purchase)\b`)},
	{"times", []string{"能换几次", "可以换几次", "能退几次", "可以退几次", "能改几次", "可以改几次", "能修改几次", "能取消几次", "能申请几次", "最多换几次", "最多改几次", "最多退几次", "几次机会", "能用几次", "可以用几次"},
		regexp.MustCompile(`\bhow many times (?:can|could|may|am i allowed to|is it possible to)\b|\bhow often (?:can|may) i\b|\bis there a limit (?:on|to) how (?:many times|often)\b`),
		[]string{"换", "退", "改", "取消", "券", "申请"},
		regexp.MustCompile(`\b(?:exchange\w*|return\w*|chang\w+|modif\w+|edit\w*|cancel\w*|coupons?|vouchers?)\b`)},
}

// aspectShare is the share of its confidence that an answer keeps when the
// text names an aspect the best entry does not cover.
const aspectShare = 0.25

// aspectSet is a set of aspects, bit i for aspects[i]; it holds
// maxAspects.
type aspectSet [2]uint64

// maxAspects is how many aspects an aspectSet holds (TestAspectsFit).
const maxAspects = 128

func (s *aspectSet) add(i int) { s[i/64] |= 1 << (i % 64) }

func (s aspectSet) has(i int) bool { return s[i/64]&(1<<(i%64)) != 0 }

func (s aspectSet) or(t aspectSet) aspectSet { return aspectSet{s[0] | t[0], s[1] | t[1]} }

func (s aspectSet) and(t aspectSet) aspectSet { return aspectSet{s[0] & t[0], s[1] & t[1]} }

func (s aspectSet) any() bool { return s[0] != 0 || s[1] != 0 }

// beyond reports whether s holds an aspect t does not.
func (s aspectSet) beyond(t aspectSet) bool { return s[0]&^t[0] != 0 || s[1]&^t[1] != 0 }

// aspectsIn returns the aspects a customer's text asks about, each of a
// thing it names too: in a clause that asks (askingClauses), not in one
// that tells ("I want to order before my coupon expires, do you ship to
// Singapore?" asks about shipping).
func aspectsIn(text string) aspectSet {
	// What the aspects are of is read first: most texts name none, and
	// then no clause need be read for the aspects themselves (each a
	// regular expression, run on every search).
	about := namedAbout(text)
	if !about.any() {
		return about
	}
	var set aspectSet
	for _, c := range askingClauses(text) {
		set = set.or(aspectsAmong(c, about, aspectWords))
	}
	return set.and(about)
}

// aspectsAmong is aspectsWhere for the aspects of among only.
func aspectsAmong(text string, among aspectSet, words func(aspect) ([]string, *regexp.Regexp)) aspectSet {
	lower := strings.ToLower(text)
	latin := hasLatinLetter(lower)
	var set aspectSet
	for i, a := range aspects {
		if !among.has(i) {
			continue
		}
		if zh, en := words(a); containsAnyString(lower, zh) || latin && en.MatchString(lower) {
			set.add(i)
		}
	}
	return set
}

// askingClauses returns the clauses of text that ask (splitClauses,
// questionLike in either language); in a text with none, all of it.
func askingClauses(text string) []string {
	var asking []string
	for _, c := range splitClauses(text) {
		if questionLike(c, ZH) || questionLike(c, EN) {
			asking = append(asking, c)
		}
	}
	if len(asking) == 0 {
		return []string{text}
	}
	return asking
}

// namedAspects returns the aspects text names.
func namedAspects(text string) aspectSet { return aspectsWhere(text, aspectWords) }

// aspectWords are an aspect's own words; aboutWords those of what it is of.
func aspectWords(a aspect) ([]string, *regexp.Regexp) { return a.zh, a.en }
func aboutWords(a aspect) ([]string, *regexp.Regexp)  { return a.aboutZH, a.aboutEN }

// namedAbout returns the aspects whose things text names.
func namedAbout(text string) aspectSet { return aspectsWhere(text, aboutWords) }

// aspectsWhere returns the aspects whose words, as words picks them, text
// has: its Chinese ones as substrings, its English expression on the text
// lowercased.
func aspectsWhere(text string, words func(aspect) ([]string, *regexp.Regexp)) aspectSet {
	return aspectsAmong(text, allAspects, words)
}

// allAspects holds every aspect.
var allAspects = func() aspectSet {
	var all aspectSet
	for i := range aspects {
		all.add(i)
	}
	return all
}()

// hasLatinLetter reports whether s has an ASCII letter: a text without one
// (most Chinese ones) cannot match an English expression.
func hasLatinLetter(s string) bool {
	return strings.IndexFunc(s, func(r rune) bool { return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' }) >= 0
}

// entryAspects returns the aspects the entry's own texts name: of its own
// topic, whether or not the text names it ("check its expiry date").
func entryAspects(e Entry) aspectSet {
	var set aspectSet
	for _, t := range append(append([]string{e.Answer.ZH, e.Answer.EN}, e.Questions.ZH...), e.Questions.EN...) {
		set = set.or(namedAspects(t))
	}
	return set
}

func containsAnyString(s string, subs []string) bool {
	for _, sub := range subs {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}
