package bot

import (
	"slices"
	"testing"
)

// Entries a customer who asks for a refund may rightly get: the knowledge
// base has no "request a refund" entry, and the return policy, the return
// steps and the refund times all answer it.
var (
	refundEntries = []string{"refund-time", "return-policy", "return-howto"}
	returnEntries = []string{"return-howto", "return-policy"}
)

// everyday are short, everyday questions with one intent, in the words a
// customer types into a chat box rather than those of a sample question.
// They were written in one go before the change to the term weights that
// they test (function words must not outweigh the one word that carries
// the meaning) and are not tuned item by item: each must be answered from
// one of its entries, confidently.
var everyday = []struct {
	text string
	want []string
}{
	// Chinese.
	{"退款", refundEntries},
	// How to pay, and a payment that failed: 怎么 and 支持 say what kind of
	// question it is, not what it is about (package kb, zhQuestionTerms).
	{"怎么付款", []string{"payment-methods"}},
	{"怎么付钱", []string{"payment-methods"}},
	{"这个订单怎么付款", []string{"payment-methods"}},
	{"付款失败怎么办", []string{"pay-failed"}},
	// A payment stuck loading is one that fails (@version 171).
	{"付款页面一直转圈", []string{"pay-failed"}},
	{"stuck on the payment page", []string{"pay-failed"}},
	// An order as what is paid for (package kb, orderPaidFor).
	{"how do I pay for the order", []string{"payment-methods"}},
	{"how can I pay for my order", []string{"payment-methods"}},
	{"我要退款", refundEntries},
	{"我要退货", returnEntries},
	{"可以退货吗", returnEntries},
	{"发票怎么开", []string{"invoice"}},
	{"我的订单到哪了", []string{"track-order"}},
	{"要运费吗", []string{"shipping-fee"}},
	{"啥时候发货", []string{"shipping-time"}},
	{"我想取消订单", []string{"cancel-order"}},
	{"能用信用卡吗", []string{"payment-methods"}},
	{"我要换货", []string{"exchange"}},
	{"改地址", []string{"change-address"}},
	// English.
	{"Can I get a refund?", refundEntries},
	{"I want a refund", refundEntries},
	{"refund please", refundEntries},
	{"can i return this", returnEntries},
	{"where is my order", []string{"track-order"}},
	{"how much is delivery", []string{"shipping-fee"}},
	{"do you take credit cards", []string{"payment-methods"}},
	{"i need an invoice please", []string{"invoice"}},
	{"cancel my order", []string{"cancel-order"}},
	{"do you have this in stock", []string{"stock"}},
	{"can I change my address", []string{"change-address"}},
	{"when will it ship", []string{"shipping-time"}},
	{"I want to exchange this", []string{"exchange"}},
}

// TestEveryday asks the demo bot (the shared knowledge base) every
// everyday question: none may fall through, hand over or get another
// entry.
func TestEveryday(t *testing.T) {
	b := demoBot()
	for _, tt := range everyday {
		r := answer(t, b, Input{Text: tt.text})
		if r.Handoff || !slices.Contains(tt.want, r.EntryID) {
			t.Errorf("Answer(%q) = %q (score %.2f, handoff %v), want one of %v", tt.text, r.EntryID, r.Score, r.Handoff, tt.want)
		}
	}
}

// stories tell what happened before they ask, in words no sample question
// has (the goods, the day, who it was for). They were written as probes of
// long messages, none of them in the evaluation set, and are the ones the
// cap on such words (package kb, capUnknown) turned from unsure into the
// right answer; storiesOutOfScope are short texts whose unknown words are
// what they ask, which must stay unanswered.
var (
	stories = []struct{ text, want string }{
		{"Evening, my order came through but only the shampoo was in the bag, the conditioner I paid for wasn't there. Can you sort this out?", "missing-item"},
		{"I've been shopping with you for ages and apparently I've built up loads of points, but I've no idea what I can actually do with them.", "points"},
		{"Hello, just wondering which delivery company you normally use, because the last one lost my parcel and I'd rather avoid them.", "shipping-carrier"},
		{"今天包裹到了，可是里面的花瓶碎成三块了，箱子看着像被摔过，现在怎么办？", "damaged-item"},
		{"你好，鞋子穿着不舒服我想退掉，具体要怎么操作才能退回去？", "return-howto"},
		{"账号被锁了，密码输错太多次", "account-password"},
		{"Hi there, my box turned up today and most of it is fine, but the pillowcases that were supposed to come with the duvet cover are nowhere to be found. Can you help?", "missing-item"},
		{"So I finally got my order after a long wait, opened it up, and the glass on the picture frame is cracked right across. Really disappointing. What now?", "damaged-item"},
		{"I bought a jumper last week and the colour just isn't right on me. It's unworn with the tags still on. Am I still able to send it back?", "return-policy"},
		{"I keep getting spam texts since I signed up and I'm worried. Do you pass customers' phone numbers on to anyone?", "privacy"},
		{"I ordered a lamp last week and got a confirmation email but nothing since. Where can I check how far along the delivery is?", "track-order"},
		{"你们的工作人员能看到我的银行卡号吗", "privacy"},
		{"do your staff see my card number", "privacy"},
		{"可以用支付宝付款吗", "payment-methods"},
		{"微信支付不成功怎么办", "pay-failed"},
		{"支持花呗吗", "installments"},
		{"你们会泄露我的手机号吗", "privacy"},
		{"will you sell my phone number", "privacy"},
		{"怎么换绑手机号", "account-phone"},
		{"我妹妹住在吉隆坡，想直接从你们店给她寄点东西，可以吗？", "international"},
		{"页面上写三到五天，现在都快两周了，物流还显示运输中，到底怎么回事？", "delivery-late"},
		{"Bit annoyed, I bought the air fryer on Tuesday for 399 and today it's showing as 349. Is there any way to get the 50 back?", "price-protection"},
		// A gift is what the goods were for, not what is asked.
		{"给孩子买的生日礼物还没到，明天就过生日了", "delivery-late"},
		{"想给在加拿大的哥哥寄个礼物，你们能寄过去吗", "international"},
		{"送朋友的生日礼物，能帮忙包装一下吗", "gift-wrap"},
		// 想退 alone wants a return.
		{"上周买的东西想退，流程是怎么走的？", "return-howto"},
	}
	storiesOutOfScope = []string{"比特币现在多少钱", "how do I change my phone wallpaper", "what's the weather like in London tomorrow",
		// 换 inside 切换 or 换算 is no exchange.
		"手机怎么切换成深色模式", "人民币换算成美元是多少"}
)

// TestStories asks the shared knowledge base's bot the stories: each must
// be answered from its entry, and none of the short out-of-scope texts.
func TestStories(t *testing.T) {
	checkAnswered(t, stories)
	checkUnanswered(t, mustKB(evalKB(t), Options{}), storiesOutOfScope)
}

// elsewhere are questions no entry answers, written as probes (none of them
// in the evaluation set), that shared a word or two with an entry and were
// answered from it: facts about a product (its load, power, care, who may
// use it), another business's own service, franchises, jobs and wages.
// None may be answered.
var elsewhere = []string{
	// Other things of life, other shops and other worlds, written by a
	// helper who saw neither the code nor the evaluation sets; each was
	// answered from an entry that shares a word with it.
	"my car got damaged by hail last night what do i do", "whats the warranty on my honda civic, bought it from a dealer last year",
	"how to change the address on my drivers licence", "my rent payment is late, will my landlord kick me out",
	"my card got declined at the gas station today why", "can you fix my washing machine, i bought it from another shop",
	"do you ship to mars lol", "can i get a personal loan from you guys", "身份证上的地址怎么改", "你们能借钱给我吗",
	"优衣库的退货政策是啥",
	// A shop's word in an everyday matter: a tyre changed, a follow
	// cancelled, snow asked about, a gift to choose.
	"how do I change a tyre", "车胎怎么换", "怎么取消微博关注", "is it going to snow at Christmas", "结婚纪念日送老婆什么好",
	// The shop's topics at another business: "how do I use a coupon at
	// tesco", 淘宝买的东西还没到, 邮箱密码忘了怎么办.
	"how do I use a coupon at tesco", "is my data safe on tiktok", "what's the warranty on a new car",
	"how do I return something to ikea", "淘宝买的东西还没到", "宜家的东西怎么退", "邮箱密码忘了怎么办",
	"怎么注销微博", "银行卡怎么换绑手机号", "视频会员扣费失败", "新车保修几年",
	// The shop as a company; a job delivering for it.
	"who owns this shop", "怎么当你们的快递员",
	// A shop's word in another sense: a return on investment, an exchange
	// student, a restraining order, a phone or a period tracked, kids
	// picked up, a bank account opened.
	"what's a good return on investment", "how do I become an exchange student", "how do I get a restraining order",
	"how do I track my lost phone", "how do I track my period", "how do I pick up my kids from school early",
	"怎么申请交换生", "手机丢了怎么定位", "怎么开银行账户", "哪里可以换日元",
	"这个面霜孕妇能用吗", "我想加盟你们的店", "我在拼多多买的东西能在你们这退吗",
	"星巴克一杯咖啡要多少积分", "信用卡账单日是哪天", "跑步机最大承重多少",
	"one of my earbuds stopped working, how do I re-pair it",
	"what's the maximum weight for the treadmill",
	"how much electricity does the air conditioner use per night",
	"how do I open my own online shop", "my wool jumper is pilling, how do I fix that",
	"how much do your employees earn", "can I open a franchise of your store",
	"how many points does a coffee cost at starbucks",
	"my neighbour's parcel was left at my door, what do I do",
	"when is my credit card statement date", "can I add more RAM to this laptop",
	"how much power does this fridge use a day", "recommend a birthday present for my wife",
	"what order should I apply skincare in", "how much does it cost to spay a cat",
	"京东的退货政策是什么", "亚马逊退款多久到账", "what's JD's return policy", "how do I use a Pinduoduo coupon",
	// Another app's own account, named: not the shop's (可以用支付宝付款吗 is).
	"微信怎么绑定银行卡", "支付宝怎么改手机号", "淘宝账号怎么注销", "微信支付密码忘了怎么办",
	"I forgot my wechat pay password", "how do I raise my credit card limit",
	"how do I change the phone number on my wechat", "how do I reset my apple id password",
	"how do I update my address with my bank",
	// Another business's refund, subscription or warranty named as such.
	"where is my tax refund", "how do I cancel a magazine subscription", "my car warranty expired, is it worth extending",
	"个税退税多久到账", "杂志订阅怎么取消", "信用卡逾期了怎么办", "怎么开通微信支付分",
	// Another business's complaint line.
	"申通的投诉电话是多少",
	// Another business's booking, points, card or takeaway.
	"酒店订了能取消吗", "超市会员卡丢了怎么办", "my takeaway order is late what do I do", "how do I redeem my credit card points",
	// A shop's word in the customer's own life, its phrase hidden by an
	// earlier term of the shop's ("how do I pay" in "how do I pay my
	// rent online") or not.
	"how do I exchange euros for yuan", "how do I track my daily steps", "my library membership expired, how do I renew it",
	"how do I change the address on my passport", "how do I refund a friend who paid for dinner",
	"how do I invoice a client as a freelancer", "how do I pay my rent online", "what's a good warranty for a used car",
	"how do I return a favour to a friend", "欧元怎么换人民币", "医院的预约能取消吗", "英超积分榜", "图书馆会员过期了怎么续",
	"护照上的地址怎么改", "自由职业怎么给客户开发票",
	"how do I return to work after maternity leave", "can I exchange my apartment with a friend",
	"how do I track my menstrual cycle", "how do I change the address on my bank account", "how do I pay a parking fine",
	"what's the shipping forecast for tonight", "能不能和朋友换房子住", "银行卡的地址怎么改", "孩子学校的地址怎么改",
	"超市刷卡被拒了怎么回事", "我想退掉健身房的卡",
	"孩子发烧怎么退烧", "怎么退出微信群", "想换工作怎么办", "小孩换牙期要注意什么", "会议怎么取消", "ip地址怎么查", "我想退群",
	// A product's upkeep.
	"滤芯多久换一次", "how often should I replace the water filter",
	// Wages, a diet, a brand's country, a screen to mend: each answered
	// from shipping-fee, size-guide, international, bulk-order or
	// account-phone before the lexicon named it elsewhere.
	"how much do your couriers earn", "what's the fastest way to lose weight", "which country is this brand from",
	"你们员工福利怎么样", "where can I get my phone screen fixed",
	// Handed over as if a person were asked for (contact-human matched).
	"who is the richest person in the world",
	// A horse to ship, a bank's fee, a house's warranty: shipping-fee,
	// international and warranty before.
	"how much does it cost to ship a horse", "my bank charged me an international fee, why",
	"what's the warranty on a new house", "房子的质保期多久",
	// Other businesses' cards, transfers, points and receipts, a move, a
	// shop's fittings: installments, payment-methods, points, membership,
	// delete-account, change-address, store-pickup, track-order and
	// invoice before.
	"信用卡分期怎么还款", "支付宝积分能换什么", "微信转账转错了怎么办", "会员卡丢了怎么补办，是健身房的", "手机卡怎么注销",
	"搬家怎么打包", "你们店铺的装修是谁做的", "我的快递在别的平台买的能帮查吗", "酒店发票怎么开",
}

// TestElsewhere asks the shared knowledge base's bot the elsewhere
// questions: none may get an answer or a handoff.
func TestElsewhere(t *testing.T) {
	checkUnanswered(t, mustKB(evalKB(t), Options{}), elsewhere)
}

// howToUse ask how to use a product (空气炸锅怎么用, "how to use the air
// fryer"), written as probes, none of them in the evaluation set; each was
// answered by the points entry, whose sample 积分怎么用 had made "how to use"
// a concept of its own (the lexicon's manual). The frame asks about its
// object: none may be answered. howToUseOurs ask it of the shop's own
// things, and keep their entries.
var (
	howToUse = []string{"空气炸锅怎么用", "扫地机器人怎么用", "这个面膜怎么用", "这个app怎么用啊",
		"投影仪怎么用手机投屏", "说明书有电子版吗", "can you show me how to use the air fryer"}
	howToUseOurs = []struct{ text, want string }{
		{"满减券怎么用才划算", "coupon-use"}, {"我的积分要怎么用掉", "points"}, {"红包要怎么用", "coupon-use"},
		{"how to use my reward points", "points"}, {"how do I use this voucher at checkout", "coupon-use"},
	}
)

// storeHoursAsked ask when a store opens or closes, written as probes,
// none of them in the evaluation set; each was answered from the service's
// hours or the store pickup entry, which say neither. None may be answered.
// serviceHoursAsked ask the service's hours, and keep its entry.
var (
	storeHoursAsked = []string{"what time does your Shanghai store close", "are your shops open on Sundays",
		"what are the opening hours of the Hangzhou store", "is the store in Beijing open late on Fridays",
		"when does your physical shop open in the morning", "are your stores closed during Chinese New Year",
		"门店几点关门", "实体店周末营业吗", "线下店几点开门", "杭州门店营业时间是几点到几点", "北京的店春节开门吗",
		"上海门店晚上开到几点", "国庆节门店休息吗",
		// A courier's or its depot's hours.
		"菜鸟驿站几点关门", "圆通快递几点下班"}
	serviceHoursAsked = []struct{ text, want string }{
		{"客服几点下班", "business-hours"}, {"人工客服周末上班吗", "business-hours"},
		{"what time do your agents finish", "business-hours"}, {"are your support staff around on Sundays", "business-hours"},
	}
)

// groupDiscounts ask for a discount given to a kind of person (student,
// military, senior), which no entry offers; written as probes, none of them
// in the evaluation set, most were answered by the business discounts of
// bulk-order. None may be answered. otherDiscounts keep their entries.
var (
	groupDiscounts = []string{"can I get a student discount", "do you offer a military discount", "学生有优惠吗",
		"is there a senior discount on Tuesdays", "军人买东西打折吗", "do you do NHS discount", "凭学生证能便宜点吗"}
	otherDiscounts = []struct{ text, want string }{
		{"do you give discounts for big company orders", "bulk-order"}, {"我们公司要买200件，有优惠吗", "bulk-order"},
		{"how do I use my discount code", "coupon-use"}, {"is there a discount if I buy 100 units", "bulk-order"},
	}
)

// siteTrouble tell of the shop's website or app being slow (网页加载好慢,
// "the site is slow to load"), written as probes, none of them in the
// evaluation set; 慢 made two of them late deliveries. No entry answers
// them: none may be answered.
var siteTrouble = []string{"网页加载好慢", "页面一直加载很慢", "网页好慢啊打不开", "the site is slow to load on my phone",
	"your website is slow today"}

// otherChannels ask whether the shop sells on another platform (你们抖音有
// 店吗, "do you have a TikTok shop"), written as probes, none of them in the
// evaluation set; each was answered by the physical stores' pickup entry.
// No entry says: none may be answered. storesHere keep their entries.
var (
	otherChannels = []string{"do you have a TikTok shop", "你们抖音有店吗", "你们天猫有旗舰店吗", "do you have an Instagram shop",
		"有没有小红书店铺", "你们拼多多有店吗", "is there a JD store for you", "你们在淘宝有店吗", "do you have a shop on Amazon"}
	storesHere = []struct{ text, want string }{
		{"天猫旗舰店的东西是正品吗", "product-authentic"}, {"do you have a physical shop in Hangzhou", "store-pickup"},
		{"你们在杭州有实体店吗", "store-pickup"},
	}
)

// tradeIns ask about trading old goods in (以旧换新) and a screen's size, written as probes, none of them in the evaluation set;
// each was answered by the phone number's, the warranty's or the size
// guide's entry. No entry says: none may be answered. Exchanges and
// clothes' sizes keep their entries (sizesWorn).
var (
	tradeIns = []string{"can I trade in my old phone", "旧手机可以以旧换新吗", "do you have a trade-in program for laptops",
		"旧机回收怎么估价", "what's the screen size of the tablet", "这个平板屏幕多大", "how big is the screen on the kids tablet"}
	sizesWorn = []struct{ text, want string }{
		{"can I trade it for a bigger size", "exchange"}, {"what size should I get, I'm 170cm", "size-guide"},
		{"can I swap the medium for a large", "exchange"},
	}
)

// shipToPlaces ask whether the shop ships to a kind of place at home (a
// hotel, a PO box, Tibet), written as probes, none of them in the
// evaluation set; "do you ship to" was a term of international shipping,
// and each got the international entry. A country named still does
// (shipToCountries).
var (
	shipToPlaces    = []string{"can you ship to a hotel", "do you ship to a PO box", "do you ship to Tibet, is it extra"}
	shipToCountries = []struct{ text, want string }{
		{"do you ship to Canada", "international"}, {"can you ship to Malaysia", "international"},
		{"do you ship to the US", "international"}, {"can you ship to my country", "international"},
	}
)

// TestShipToPlace asks the shared knowledge base's bot the shipToPlaces
// and shipToCountries questions.
func TestShipToPlace(t *testing.T) {
	b := mustKB(evalKB(t), Options{})
	for _, text := range shipToPlaces {
		if r := answer(t, b, Input{Text: text}); r.EntryID == "international" {
			t.Errorf("Answer(%q) = international (score %.2f), want another entry or none", text, r.Score)
		}
	}
	checkAnswered(t, shipToCountries)
}

// productFeatures ask whether a product supports a feature: no entry says
// ("support" is not the customer service there); productFeaturesNear keep
// their entries.
var (
	productFeatures     = []string{"does the router support wifi 6", "will this laptop support two monitors", "does it support fast charging"}
	productFeaturesNear = []struct{ text, want string }{
		{"does your support work on sundays", "business-hours"}, {"do you support apple pay", "payment-methods"},
	}
)

// appAndPackaging ask about the app's language and recycling the
// packaging: no entry says.
var appAndPackaging = []string{
	"can I change the app language to French", "网站语言能换成英文吗",
	"包装盒可以回收吗", "快递盒回收有奖励吗", "is the packaging recyclable",
}

// otherSenses use the shop's words in a fixed expression of another trade
// or of everyday life (a member of parliament, a coupon bond, a touchdown's
// points, a king size bed): no entry says. otherSensesNear keep their
// entries.
var (
	otherSenses = []string{
		"how do I become a member of parliament", "what is a coupon bond", "how many points is a touchdown",
		"what size is a king size bed in cm", "how do refunds work for cancelled flights",
		"how do I change my name after marriage", "银行卡密码忘了", "汽车一般保修几年",
		"how do I make chicken stock", "how long is a running track", "how do I book a return flight",
		"how do I reduce the file size of a pdf", "best pickup truck for towing", "how do I make a chicken wrap",
		"how do I report a missing person", "I'm running late for work, what should I tell my boss",
		"房贷能分期还吗", "奈飞会员怎么取消",
		"换季衣服怎么收纳", "落户积分怎么算", "饭店吃饭能开发票吗", "游戏账号被封了怎么办", "新房漏水开发商保修吗",
		"批发市场在哪里", "牙齿缺了一块怎么办", "护照快过期了", "超市的购物袋要钱吗", "想换工作怎么跟领导说",
		"what's the warranty on a house roof", "my dog is missing", "the train is late again",
		"how do I check the authenticity of a banknote", "what points of interest are in Shanghai",
		"how do I order food on Meituan", "what's the best coupon app", "how do I stock up for a hurricane",
		"how do I refund a Steam game", "how do I wrap my hands for boxing", "how do I update my address with the tax office",
		"游戏里的积分怎么刷", "电影票优惠券在哪领", "打车券怎么用", "公司发票怎么做账", "手机号码归属地怎么查", "会员制超市怎么办卡",
		"花呗逾期了怎么办", "门店装修多少钱", "how do I order a pizza online", "how do I track my fitness goals",
		"what is a membership card at a gym used for", "how much is a student bus pass", "can I pay my taxes with a credit card",
		"what is the size of an A4 sheet", "how do I set a password on my laptop", "how to pick up a girl",
		"how do I store my winter clothes", "how do I report a scam call",
		"银行卡怎么注销", "打车软件怎么投诉司机", "演唱会门票怎么退", "健身房怎么退卡", "培训班学费能退吗", "淘宝怎么申请退款",
		"how do I return a serve in tennis", "how do I track a hurricane", "what are the opening hours of the Louvre",
		"how do I get a refund from the government for overpaid tax", "how do I change the battery in my car key",
		"how do I return to a previous version of Windows", "can I track Santa on Christmas Eve",
		"how often should I change my car's oil", "how many points is a try in rugby", "what's Ryanair's refund policy",
		"where can I find an invoice template", "how do I wrap a burrito", "how do I make my old phone faster",
		"what payment methods does the metro accept", "do I need a passport to travel to Hong Kong",
		"how do I track my child's phone", "what size TV should I get for a small living room",
		"发票模板在哪下载", "京东PLUS会员值得买吗", "网易云会员怎么取消自动续费", "地铁能用什么支付", "违章罚款能退吗",
		"邮局寄丢的包裹怎么找", "餐厅优惠券哪个app多", "do you do repairs for items bought elsewhere", "别家买的东西你们能修吗",
		"搬家公司运费怎么算", "注销公司要多久", "个体户怎么注销", "银行有什么优惠活动", "寄快递保价怎么算", "物流专业学什么",
		"how much do movers charge to move a piano", "what deals does my bank offer on credit cards",
		"should I insure a parcel I'm sending to my sister", "how do I write a privacy policy for my blog",
		"how do I make a return address label in Word", "how do I cancel jury duty", "how do I stock a fish tank",
		"how to pay off student loans faster", "what is a membership organisation",
		"how do I order a birth certificate", "is the library open today", "how do I change my password on Instagram",
		"what's a good size for a vegetable garden", "when is the best time to buy stocks", "沃尔玛买的东西坏了怎么退",
		"how do I exchange shoes at Nike", "淘宝订单怎么取消", "京东上怎么改收货地址", "希音的包裹到哪了",
	}
	otherSensesNear = []struct{ text, want string }{
		{"how do I become a member", "membership"}, {"how do I use a coupon", "coupon-use"},
		{"how many points do I get per order", "points"}, {"账号密码忘了", "account-password"},
		{"what's the warranty on this blender", "warranty"},
		{"is this jacket in stock", "stock"}, {"how do I return a jacket", "return-howto"},
		{"can I pick it up from your store", "store-pickup"}, {"my parcel is running late", "delivery-late"},
		{"购物积分怎么算", "points"}, {"买东西能开发票吗", "invoice"}, {"你们的东西保修多久", "warranty"},
		{"我买的东西现在走到哪儿了，在哪看呀", "track-order"},
		{"will the hurricane delay my delivery", "delivery-late"}, {"my roof rack arrived damaged", "damaged-item"},
		{"are there boxing day deals on coupons", "coupon-use"},
		{"我打车去门店自提可以吗", "store-pickup"}, {"新房装修买的柜子送来就坏了", "damaged-item"},
		{"can I pay with a credit card", "payment-methods"},
		{"我买的健身房用的垫子坏了", "damaged-item"}, {"怎么注销账号", "delete-account"},
		{"is the tennis racket in stock", "stock"}, {"what are your opening hours", "business-hours"},
		{"is the rugby shirt in stock", "stock"}, {"will my order arrive before Christmas Eve", "shipping-time"},
		{"搬家了地址要改", "change-address"}, {"怎么注销账号呢", "delete-account"},
		{"I'm moving next week, can I change my delivery address", "change-address"}, {"is the fish tank in stock", "stock"},
		{"how do I print a return label", "return-howto"}, {"支付宝退款多久到账", "refund-time"},
		{"do you have more stock of the blue one", "stock"}, {"订单怎么取消", "cancel-order"}, {"怎么改收货地址", "change-address"},
		{"会员有什么好处", "membership"}, {"发票怎么开", "invoice"}, {"can I get my kettle repaired under warranty", "warranty"},
	}
)

// brandsCompared compare the shop's brand with another: no entry says
// (the lexicon read any "brand" as the authenticity entry's "branded").
// brandsComparedNear keep their entries.
var (
	brandsCompared     = []string{"which is better, your brand or Xiaomi", "is your brand better than Samsung", "your brand vs Apple, which should I get"}
	brandsComparedNear = []struct{ text, want string }{
		{"is your brand genuine", "product-authentic"}, {"are your products brand authorized", "product-authentic"},
	}
)

// marketingMessages ask to stop the shop's marketing: no entry says; the
// privacy, deletion and cancelling entries were near. marketingMessagesNear
// keep their entries.
var (
	marketingMessages = []string{
		"I keep getting marketing texts from you, make it stop", "how do I unsubscribe from your emails", "老是收到广告邮件怎么取消",
	}
	marketingMessagesNear = []struct{ text, want string }{
		{"what do you do with my personal data", "privacy"}, {"how do I delete my account", "delete-account"},
		{"怎么取消订单", "cancel-order"},
	}
)

// companyPolicies ask about the company's policies beyond the shop's
// service: no entry says ("policy" drew the returns policy).
// companyPoliciesNear keep their entries.
var (
	companyPolicies     = []string{"what is your sustainability policy", "你们的环保政策是什么", "is your company carbon neutral"}
	companyPoliciesNear = []struct{ text, want string }{
		{"what is your returns policy", "return-policy"}, {"what's your privacy policy", "privacy"},
	}
)

// storeFacilitiesAsked ask what a store has: no entry says.
var storeFacilitiesAsked = []string{
	"is there parking at your Shanghai store", "do your stores have toilets", "can I bring my dog into your store",
	"上海门店有停车场吗", "门店有厕所吗", "北京的店有试衣间吗",
}

// othersOrders ask about an order on another platform or a parcel the
// customer sends: no entry says. othersOrdersNear keep their entries.
var (
	othersOrders = []string{
		"how do I cancel an order on AliExpress", "how do I track a JD order", "my Didi payment failed",
		"is the iPhone in stock at the Apple store", "how much is it to mail a package to Japan at the post office",
		"闲鱼上买的东西能退吗", "苹果官网的保修多久", "顺丰寄个包裹到上海多少钱", "快递柜超时收费怎么办",
	}
	othersOrdersNear = []struct{ text, want string }{
		{"can you send my package with SF Express", "shipping-carrier"}, {"can I pay with Apple Pay", "payment-methods"},
	}
)

// accountDetails ask about a detail of the account that no entry has, in
// the place of one an entry has (the phone number); accountDetailsNear keep
// their entries.
var (
	accountDetails     = []string{"how do I change my username", "怎么换绑邮箱"}
	accountDetailsNear = []struct{ text, want string }{
		{"how do I change the phone number on my account", "account-phone"}, {"账号绑的手机号怎么改", "account-phone"},
	}
)

// settingsChanged change a thing of the account or the app, which the
// lexicon's bare "change" read as a change of the order; the email is
// another of the account's details than the phone number
// (kb.changeOfOther, kb.substitutes). settingsChangedNear keep their
// entries.
var (
	settingsChanged = []string{
		"how do I change my gender in the app", "change my display language to english",
		"can I change my nickname", "how do I change the email address on my account",
		"how to change my avatar", "how to merge two accounts", "两个账号能合并吗", "how do I link my WeChat to my account",
		"I want to change the name on my account", "邮箱怎么修改",
	}
	settingsChangedNear = []struct{ text, want string }{
		{"can I change my order after paying", "modify-order"},
		{"I want to change the phone number on my account", "account-phone"},
		{"how do I delete my account", "delete-account"},
	}
)

// ownLife ask about the customer's own days off, home and parcel locker:
// no entry says. ownLifeNear keep their entries.
var (
	ownLife     = []string{"my roof is leaking, who do I call", "the parcel locker is charging me a late fee", "how many days off do we get for Chinese New Year"}
	ownLifeNear = []struct{ text, want string }{
		{"the bottle arrived leaking everywhere", "damaged-item"},
		{"are your agents working during the Chinese New Year holiday", "business-hours"},
	}
)

// noEntryKinds are the kinds of question above that no entry answers, each
// with the questions near them that keep their entries.
var noEntryKinds = []struct {
	name string
	none []string
	kept []struct{ text, want string }
}{
	{"how to use", howToUse, howToUseOurs},
	{"store hours", storeHoursAsked, serviceHoursAsked},
	{"group discounts", groupDiscounts, otherDiscounts},
	{"site trouble", siteTrouble, nil},
	{"other channels", otherChannels, storesHere},
	{"trade-ins", tradeIns, sizesWorn},
	{"product features", productFeatures, productFeaturesNear},
	{"app and packaging", appAndPackaging, nil},
	{"the company's policies", companyPolicies, companyPoliciesNear},
	{"marketing messages", marketingMessages, marketingMessagesNear},
	{"brands compared", brandsCompared, brandsComparedNear},
	{"the shop's words in other trades", otherSenses, otherSensesNear},
	{"store facilities", storeFacilitiesAsked, nil},
	{"others' orders", othersOrders, othersOrdersNear},
	{"account details", accountDetails, accountDetailsNear},
	{"own life", ownLife, ownLifeNear},
	{"the account's and the app's settings", settingsChanged, settingsChangedNear},
	{"other trades, knowledge and errands (@version 135, 137)", otherTrades135, otherTrades135Near},
	{"an aspect the entry does not cover", uncoveredAspects, uncoveredAspectsNear},
	{"how long, of an entry that gives no time", untimedEntries, timedEntries},
	{"an address or a number no entry gives", exactAsked, exactNear},
	{"everyday words of the shop (@version 138)", everyday138, everyday138Near},
	{"the service's ways, the stores' details, others' services (@version 139)", serviceAndStores139, serviceAndStores139Near},
	{"a product's care and use (@version 142)", productCare142, productCare142Near},
	{"other businesses in the shop's words (@version 164)", otherBusinesses164, otherBusinesses164Near},
	{"the bot's own taste (@version 165)", botsTaste165, botsTaste165Near},
	{"the company's head office and its accounts elsewhere (@version 166)", companyAbout166, companyAbout166Near},
	{"other businesses' orders, bills and devices (@version 167)", otherBusinesses167, otherBusinesses167Near},
	{"other businesses' services in Chinese (@version 168)", otherBusinesses168, otherBusinesses168Near},
	{"a group's discount asked with 有 (@version 169)", []string{"军人有优惠吗", "老师有折扣吗"}, []struct{ text, want string }{
		{"企业采购有优惠吗", "bulk-order"}, {"优惠券怎么用", "coupon-use"}}},
	{"the service as a job or a machine (@version 173)", []string{"机器人客服是怎么工作的", "客服这个工作累不累", "怎么成为一名优秀的客服"},
		[]struct{ text, want string }{{"怎么成为会员", "membership"}, {"客服几点上班", "business-hours"}}},
	{"other businesses' bills, accounts and repairs (@version 174)", []string{
		"医院的发票怎么开", "银行卡绑定的手机号怎么换", "手机套餐出国能用吗", "物业费可以分期交吗",
		"how do I close my PayPal account", "how do I redeem my credit card reward points",
		"my online course won't let me log in", "how do I fix a leaking tap"},
		[]struct{ text, want string }{{"怎么开发票", "invoice"}, {"手机号怎么换", "account-phone"}, {"可以分期吗", "installments"},
			{"can I pay with PayPal", "payment-methods"}, {"how do I close my account", "delete-account"}, {"how do I use my points", "points"}}},
	{"a trade-in offered (@version 175)", []string{"do you offer a trade-in for old phones"},
		[]struct{ text, want string }{{"can I trade this in for a different size", "exchange"}, {"how do I change my phone number", "account-phone"}}},
	{"the shop's words in other senses (@version 176)", []string{
		"can you track my heart rate", "how do I track calories", "how do I change my home address in Google Maps",
		"how do I delete my browser history", "what are the requirements for membership of the EU",
		"any coupon codes for Domino's", "can I change my name legally", "how much is the invoice for a plumber usually",
		"工资什么时候到账", "怎么把照片尺寸改小"},
		[]struct{ text, want string }{{"do you ship to the EU", "international"}, {"how do I track my parcel", "track-order"},
			{"how do I use a coupon code", "coupon-use"}, {"我用工资卡付款失败了", "pay-failed"}, {"退款什么时候到账", "refund-time"},
			{"how do I delete my account", "delete-account"}}},
	{"other businesses, other shops and the things of daily life (@version 177)", []string{
		"how do I cancel a subscription on my iPhone", "can you exchange a few words with me in French",
		"how do I delete a page in a Word document", "is my data safe on Facebook", "what's the delivery time for a letter to Germany",
		"how long does a bank transfer take", "how do I become a member of a golf club", "how do I open a stuck jar lid",
		"what's the warranty on an Apple Watch bought from Apple", "where's the nearest post office",
		"how much does it cost to post a parcel with Royal Mail", "what are the opening hours of the British Museum",
		"my hotel room was dirty, can I get a refund",
		"苹果手机的订阅怎么取消", "别的店发的顺丰快递怎么查", "银行转账多久能到", "在机场退税需要发票吗", "高尔夫俱乐部会员怎么办理",
		"淘宝88VIP怎么取消", "猫能托运到国外吗", "语音信箱密码怎么重置", "怎么退出所有设备上的微信", "故宫几点开门"},
		[]struct{ text, want string }{{"how long does the bank transfer take for my refund", "refund-time"},
			{"do you ship with Royal Mail", "shipping-carrier"}, {"is my Apple Watch under warranty", "warranty"},
			{"能拦截快递改地址吗", "change-address"}, {"这个高尔夫球杆还有货吗", "stock"}, {"do you deliver to Germany", "international"}}},
	{"government offices, rentals, deals and devices elsewhere (@version 178)", []string{
		"how do I return a rental DVD to Redbox", "how long does it take to get a refund from the IRS",
		"what payment methods does the DMV accept", "how do I use a Groupon voucher", "I forgot my Windows login password",
		"how do I order in bulk from a wholesaler in China", "车管所支持哪些付款方式", "美团团购券怎么用", "电脑开机密码忘了",
		"小红书账号怎么永久注销", "超市周日几点开门", "怎么从1688批量进货", "把车运到澳大利亚要多少运费"},
		[]struct{ text, want string }{{"搬家后冰箱还在厂家保修期内吗", "warranty"}, {"how do I use a voucher", "coupon-use"},
			{"I forgot my password", "account-password"}, {"do you offer business discounts", "bulk-order"},
			{"怎么注销账号", "delete-account"}, {"能寄到澳大利亚吗", "international"}}},
	{"the shop's verbs in other senses (@version 179)", []string{
		"how do I cancel plans with a friend politely", "how do I track my time at work", "what's the size of the universe",
		"how do I keep track of my expenses", "how do I deal with a late payment from a client",
		"how do I get my money back from a friend who owes me", "how do I order my thoughts before an exam",
		"how do I exchange numbers with someone without being awkward", "how do I wrap up a speech",
		"how do I pick up a new language quickly", "how do I ship a project on time", "how do I cancel out fractions",
		"what do people say when they exchange wedding vows",
		"婚礼取消了酒店定金能退吗", "怎么跟朋友取消约会不尴尬", "怎么找老板报销差旅费", "怎么跟人交换微信不尴尬",
		"办公室打印机密码不对", "手机号码能选靓号吗"},
		[]struct{ text, want string }{{"can you wrap it up as a gift", "gift-wrap"}, {"how do I cancel my order", "cancel-order"},
			{"how do I track my parcel", "track-order"}, {"can I exchange it for another size", "exchange"},
			{"can I pick it up in store", "store-pickup"}, {"报销用的发票怎么开", "invoice"}, {"怎么换绑手机号", "account-phone"}}},
	{"a product's fit for a skin tone, games, or department stores (@version 180)", []string{
		"这个颜色适合黄皮吗", "can this laptop run big games", "is this the same as the one in department stores"},
		[]struct{ text, want string }{{"这个颜色能换吗", "exchange"}, {"do you have physical stores", "store-pickup"},
			{"what size should I get if I'm 165 cm", "size-guide"}}},
	{"the chat window itself (@version 181)", []string{
		"why is this chat so slow", "the send button isn't working", "这个聊天怎么换成英文", "聊天怎么这么卡", "字体太小了能调大吗"},
		[]struct{ text, want string }{{"能换成大一号的吗", "exchange"}, {"the power button isn't working", "damaged-item"}}},
	{"one's day: weight, traffic (@version 183)", []string{"losing weight is so hard", "stuck in traffic for two hours, so annoying", "I'm so tired lately"},
		[]struct{ text, want string }{{"my parcel is late", "delivery-late"}, {"my parcel has been stuck for a week", "delivery-late"}}},
	{"the history, origin or inventor of the shop's words; sizes of images (@version 184)", []string{
		"优惠券的起源是什么", "信用卡是谁发明的", "退货制度的由来", "what is the history of coupons", "who invented the credit card",
		"how do I change the size of an image", "积分制管理是什么意思"},
		[]struct{ text, want string }{{"优惠券怎么用", "coupon-use"},
			{"how do I know my size", "size-guide"}, {"积分怎么用", "points"}}},
	{"the shop's words in other senses: a cruise ship, a union, a missing person, income tax, a courier's pay (@version 185)", []string{
		"how do I get on a cruise ship as crew", "what is cancel culture", "how do I join a trade union",
		"how do I protect my privacy on social media", "what should I do if someone is missing", "个人所得税怎么退税", "快递员一个月能挣多少"},
		[]struct{ text, want string }{{"when will my order ship", "shipping-time"}, {"how do I cancel my order", "cancel-order"},
			{"is my personal data safe", "privacy"}, {"one item is missing from my order", "missing-item"}, {"快递怎么还没到", "delivery-late"}}},
	{"a marketplace's games, how the bot was trained, a wallet's transfers (@version 190)", []string{
		"拼多多砍一刀是真的吗", "机器人客服是怎么训练的", "支付宝怎么转账给朋友", "微信支付怎么开通指纹"},
		[]struct{ text, want string }{{"是正品吗", "product-authentic"}, {"可以用支付宝吗", "payment-methods"}, {"客服几点上班", "business-hours"}}},
	{"the shop's words in other senses, a third set: a drink ordered in French, stock photos, card debt, a pet's damage, travel insurance, WeChat's number, ring tones (@version 191)", []string{
		"how do I order a drink in French", "is this in stock photography free to use", "how do I pay off my credit card debt faster",
		"what to do if my dog has damaged the sofa", "how do I claim on my travel insurance for a late flight", "信用卡欠款怎么快速还清",
		"微信换手机号怎么操作", "怎么取消手机彩铃"},
		[]struct{ text, want string }{{"the sofa arrived damaged", "damaged-item"}, {"can I pick up free of charge in store", "store-pickup"},
			{"can I pay by credit card", "payment-methods"}, {"my parcel is late", "delivery-late"}, {"怎么换绑手机号", "account-phone"}}},
	{"commerce around the shop: live-stream selling, shared bikes, reselling, one's own online shop, a phone topped up, a bank account (@version 193)", []string{
		"直播带货的东西能买吗", "共享单车押金怎么退", "is online shopping safe", "is it legal to resell sneakers", "how do I start an online shop",
		"how much does it cost to open an Etsy store", "I topped up the wrong phone number, what now", "my bank account is frozen, what do I do"},
		[]struct{ text, want string }{{"这个有货吗", "stock"}, {"怎么退货", "return-howto"}, {"can I pick it up in store", "store-pickup"},
			{"how do I change my phone number", "account-phone"}, {"how do I delete my account", "delete-account"}}},
	{"one's own things changed or cancelled (@version 172)", []string{"怎么修改微信昵称", "我想换个发型", "怎么取消闹钟", "怎么换灯泡"},
		[]struct{ text, want string }{{"能换个颜色吗", "exchange"}, {"怎么取消订单", "cancel-order"}, {"怎么修改订单", "modify-order"}}},
	{"another business's own order, membership, points, refund or invoice (otherBusiness), a measure word in an outside topic", []string{
		"酒店订单怎么取消", "健身房的会员怎么退", "民宿订单能改日期吗", "培训机构的退费流程", "我想换个工作，有什么建议",
		"how do I redeem hotel loyalty points", "how do I get an invoice from the hospital", "when will the hotel return my deposit",
		"can I get a refund from my driving school"},
		[]struct{ text, want string }{{"订单怎么取消", "cancel-order"}, {"积分怎么兑换", "points"}, {"会员怎么办理", "membership"},
			{"退款多久到账", "refund-time"}, {"能换个颜色吗", "exchange"}, {"how do I redeem my points", "points"},
			{"how do I cancel my order", "cancel-order"}, {"I need an invoice for my company's expenses", "invoice"}}},
	{"praise or thanks alone (praiseOnly)", []string{
		"快递员很负责，谢谢你们", "包装很用心，好评", "你们的物流真快，赞", "快递员态度挺好的，表扬一下",
		"the refund was fast, thank you", "the delivery guy was really nice, just wanted to say"},
		[]struct{ text, want string }{{"谢谢，退款多久到账", "refund-time"}, {"客服态度很好，我的快递到哪了", "track-order"},
			{"thanks, how long will the refund take", "refund-time"}, {"delivery was fast but the item arrived broken", "damaged-item"}}},
}

// otherBusinesses168 ask, in Chinese, about another business's service in an
// entry's words. Written as probes, none of them in the evaluation set;
// each was answered with that entry.
var otherBusinesses168 = []string{
	"怎么在移动营业厅改手机号", "电影院有优惠券吗", "饭店收配送费吗", "宠物芯片上的地址怎么改", "支票多久能到账",
	"水费可以分期交吗", "花店能送花到国外吗", "单位电脑的密码忘了",
}

// otherBusinesses168Near keep their entries with the same words.
var otherBusinesses168Near = []struct{ text, want string }{
	{"有优惠券吗", "coupon-use"}, {"你们收配送费吗", "shipping-fee"}, {"密码忘了", "account-password"},
	{"可以分期吗", "installments"}, {"地址怎么改", "change-address"},
}

// otherBusinesses167 ask about another business's order, bill, ticket or
// device in an entry's words. Written as probes, none of them in the
// evaluation set; each was answered with that entry.
var otherBusinesses167 = []string{
	"my pizza order is late", "my child's school invoice is wrong", "what payment does the vending machine accept",
	"the hotel charged my card twice", "how do I update the address on my cat's microchip",
	"how do I return a leased car at the end of the lease", "my electricity company sent me the wrong bill",
	"what is the shipping time for a container from China to Europe", "can I send flowers internationally through Interflora",
	"how do I reset the password on my work laptop", "can I get a refund on my bus ticket",
	"how do I change my phone number with my mobile carrier",
}

// otherBusinesses167Near keep their entries with the same words, and a
// mobile provider named as the reason of a change to the shop's account.
var otherBusinesses167Near = []struct{ text, want string }{
	{"my order is late", "delivery-late"},
	{"my invoice is wrong", "invoice"},
	{"how do I change my phone number", "account-phone"},
	{"I changed mobile providers and have a new number now. How do I put that on my account?", "account-phone"},
	{"can you send flowers internationally", "international"},
	{"how do I return an item", "return-howto"},
}

// companyAbout166 ask about the company's head office or its accounts on
// other platforms. Written as probes, none of them in the evaluation set;
// each was answered with an entry (store pickup, deleting one's account).
var companyAbout166 = []string{"do you have a physical headquarters I can visit for a tour", "你们在抖音上有账号吗", "where is your head office"}

// companyAbout166Near keep their entries with the same words.
var companyAbout166Near = []struct{ text, want string }{
	{"do you have a physical store I can visit", "store-pickup"},
	{"我想注销账号", "delete-account"},
	{"账号密码忘了", "account-password"},
}

// botsTaste165 ask the bot what it likes. Written as probes, none of them
// in the evaluation set; 你最喜欢什么颜色 was answered with the exchange.
var botsTaste165 = []string{"你最喜欢什么颜色", "你喜欢什么颜色", "what's your favourite colour", "do you like red"}

// botsTaste165Near keep their entries with the same words.
var botsTaste165Near = []struct{ text, want string }{
	{"能换个颜色吗", "exchange"},
	{"can I swap it for a different colour", "exchange"},
}

// otherBusinesses164 ask another business (a parking meter, a bank's app,
// a doctor, the tax office, a pharmacy, the road authority, a ride-hailing
// platform) in an entry's words. Written as probes, none of them in the
// evaluation set; each was answered with that entry (滴滴怎么开发票 at a
// confidence just at the Chinese threshold, the off-topic share then a
// quarter).
var otherBusinesses164 = []string{
	"what payment methods does the parking meter take", "how do I reset my bank app password",
	"how do I report a damaged road sign", "can I pay the doctor in installments", "what's the privacy policy of WeChat",
	"交税能用信用卡吗", "停车场可以用什么付款", "银行APP密码忘了怎么办", "滴滴怎么开发票", "自行车轮胎买多大的",
	"处方药能在别的药店取吗", "看牙可以分期付款吗",
}

// otherBusinesses164Near keep their entries with the same words.
var otherBusinesses164Near = []struct{ text, want string }{
	{"what payment methods do you take", "payment-methods"},
	{"can I pay in installments", "installments"},
	{"能用信用卡付款吗", "payment-methods"},
	{"可以分期付款吗", "installments"},
	{"怎么开发票", "invoice"},
	{"在哪里提交退货申请", "return-howto"},
	{"我买的东西现在走到哪儿了，在哪看呀", "track-order"},
}

// productCare142 ask how to care for or use a product, or what it fits:
// no entry says. Written as probes, none of them in the evaluation set;
// each was answered with an entry (the damaged item, the size guide, the
// order's change, the return steps).
var productCare142 = []string{
	"Can I use metal utensils on the ceramic pan without damaging the coating?",
	"Will oven cleaner damage the enamel on the cast iron pot?",
	"will this tempered glass screen protector fit an iPhone 15 or only the 15 Plus?",
	"Will the 27-inch monitor work with a MacBook Air M2 over HDMI?",
	"What size batteries does the TV remote take, AA or AAA?",
	"What's the weight limit for the wall-mounted shelf?",
	"Is the bento box microwave safe with the lid on?",
	"How do I change the time on the digital alarm clock after daylight saving?",
	"Does the keyboard have a big ISO-style return key or the flat ANSI one?",
	"How do I break in the leather boots so they don't rub my heel?",
	"电饭煲内胆能不能放洗碗机", "行车记录仪用什么内存卡，最大支持多少G", "电子秤怎么调单位，从斤换成公斤", "小白鞋的鞋边脏了用什么擦比较干净",
}

// productCare142Near keep their entries with the same words.
var productCare142Near = []struct{ text, want string }{
	{"the print came off after one wash in hot water, can I still return it?", "return-policy"},
	{"the parcel weighs 20kg, do I pay extra shipping?", "shipping-fee"},
	{"the brush head stopped spinning after two months, is it under warranty?", "warranty"},
	{"收到的吸尘器少了尘袋", "missing-item"},
	{"this phone case doesn't fit my iPhone 15, can I exchange it for the right model?", "exchange"},
}

// serviceAndStores139 ask how the human service works (the same agent each
// time, several customers at once, its authority, how fast it replies,
// commissions), what a store is like (the same prices as online, the
// metro, the crowd) or another business's service (Ele.me's invoices,
// JD's own returns, Tmall's supermarket, a fund redeemed, a bank's
// transfer limit). Written as probes, none of them in the evaluation set;
// each was answered with an entry or handed over.
var serviceAndStores139 = []string{
	"Is it the same agent every time or just whoever's free?", "do agents handle more than one customer at a time",
	"do agents have the authority to give compensation", "Can the agent see what I've typed to you so far?",
	"每次接待我的是同一个客服吗", "一个客服同时接几个人啊", "双十一会加客服人手吗", "客服有没有权限直接给补偿",
	"人工客服回消息一般多快", "客服是按接待量拿提成的吗",
	"Are store prices the same as online?", "do the stores sell the same stuff as the app",
	"门店卖的东西和网上一样吗", "上海门店离地铁站远不远", "杭州门店周末人多不多", "北京店在商场几楼",
	"Can Ele.me give me an invoice for my lunch orders?", "京东自营的东西退货要自己寄回去吗", "天猫超市满多少包邮",
	"基金赎回几天到账", "银行卡单日转账限额怎么调高", "My Meituan order never came, how do I complain to them",
}

// serviceAndStores139Near keep their entries or their handoff.
var serviceAndStores139Near = []struct{ text, want string }{
	{"when are your agents available", "business-hours"},
	{"can I pick up my order at the Beijing store", "store-pickup"},
	{"do your sizes run small compared to Uniqlo", "size-guide"},
	{"人工客服几点上班", "business-hours"},
}

// everyday138 use a word of an entry in an everyday sense: food stored,
// points scored, a band's members, stocks invested in, a library book or a
// public bike returned, a student exchange, a cat picked up, a bill split,
// photos moved, a strong password, a phone's battery and font, an app
// store, 盒马, a shop's suppliers and stock software. Written as probes,
// none of them in the evaluation set; each was answered with an entry.
var everyday138 = []string{
	"How should I store ripe avocados?", "What's the best way to store winter clothes?",
	"How many points did LeBron score last night?", "How many members are in BTS?",
	"How do you count points in table tennis?", "Should I invest in index funds or individual stocks?",
	"How do I return a book to the city library?", "How do I return a public bike in Hangzhou?",
	"Is a student exchange year in Japan worth it?", "How do I pick up a cat without getting scratched?",
	"How do I split a dinner bill on Alipay?", "How do I move photos from Android to iPhone?",
	"How do I make a strong password I can remember?", "How do I claim Apple warranty for my AirPods?",
	"What size fishing line is best for bass?", "How do I get a red wine stain out of carpet?",
	"空腹喝咖啡对胃不好吗？", "手机耗电太快怎么办？", "手机字体大小怎么调大？", "乒乓球比赛怎么计分？",
	"盒马能送到我们小区吗？", "你们的电子产品是从哪进货的？", "应用商店下载不了软件怎么办？",
	"视频会员账号可以几个人共用？",
}

// everyday138Near are the shop's own questions in the same words.
var everyday138Near = []struct{ text, want string }{
	{"how do I return an item", "return-howto"},
	{"how do I use my points", "points"},
	{"is this in stock", "stock"},
	{"can I pick up in store", "store-pickup"},
	{"can I exchange it for a different size", "exchange"},
}

// uncoveredAspects ask about an entry's topic but of a side its answer
// does not cover (package kb, aspects.go): points or a membership
// expiring, handed on, lost; coupons combined; instalments paid early; an
// invoice issued again. Written as probes, none of them in the evaluation
// set; each was answered with the topic's entry.
var uncoveredAspects = []string{
	"积分会过期吗", "积分能转给别人吗", "会员等级会降吗", "会员能转给家人用吗", "会员资格有效期是多久",
	"两张优惠券能叠加使用吗", "优惠券能和满减活动一起用吗", "分期付款可以提前还清吗", "发票已经开了，抬头写错了能重开吗",
	"Do points expire?", "Does membership expire?", "Can I share my membership with my wife?",
	"Can my membership be downgraded if I stop buying?", "Can I stack two coupons on one order?",
	"My invoice was already issued with the wrong company name, can it be reissued?",
	// Given to a charity or another account, earned by a review or a
	// friend, a card to hold, the rate of a longer plan, the wrapping's
	// look, duties abroad, a password's rules, data taken out, signing up
	// again, a warranty stretched or voided.
	"can i donate my points to charity insted of using them", "Is it posible to transfer points to my sister's account?",
	"How many points do I get if I refer a friend?", "Do members get a physical membership card?",
	"What's the interest rate if I split the payment into 12 months instead of 3?",
	"Will the gift wrapping paper be red? I want something festive for New Year",
	"How much customs duty will my parcel to Malaysia be charged?", "What are the pasword rules, minimum length, symbols etc?",
	"before I delete my account can I download a copy of all my data?",
	"After I close my account, can I sign up again with the same phone number?",
	"If I open the blender and fix it myself, does that void the warranty?",
	"积分能捐给慈善机构吗", "写带图评价送积分吗？", "会员有实体卡吗", "分12期的话利息多少", "贺卡是你们手写还是打印的",
	"寄到马来西亚要交多少关税", "密码有什么要求，最少几位", "注销前能把我的数据导出来吗", "电视能买延保吗，想延到三年",
}

// uncoveredAspectsNear name an aspect the entry covers, or none.
var uncoveredAspectsNear = []struct{ text, want string }{
	{"优惠券过期了还能用吗", "coupon-use"},
	{"my coupon won't apply, is it expired?", "coupon-use"},
	{"积分怎么用", "points"},
	{"会员有什么好处", "membership"},
	{"do you share my data with anyone", "privacy"},
	{"订单怎么作废", "cancel-order"},
	{"Can I gift wrap the red scarf?", "gift-wrap"},
	{"my warranty repair, how do I apply", "warranty"},
	{"how many points do I earn per yuan", "points"},
}

// untimedEntries ask how long something takes of a topic whose entry
// gives no time (package kb, howlong.go): an approval, an invoice's
// arrival, an account's deletion, a pickup held, delivery abroad. Written
// as probes, none of them in the evaluation set; each was answered with
// the topic's entry.
var untimedEntries = []string{
	"how long does it take u guys to approve a return request", "how long after i request the invoice will i get it",
	"how many days does it take to get to malaysia", "how long does it take for the account deletion to go through",
	"How long will the store keep my pickup order?", "How long does it take to receive the e-invoice?",
	"退货申请提交了多久能审核完", "申请发票以后多久能收到", "寄马来西亚大概几天能到", "注销要多久才能完成",
	"自提的货在门店能放几天", "下单后多长时间不付款订单会自动取消",
}

// timedEntries ask how long of an entry whose answer gives a time, or how
// long one may still do something, which an answer's condition answers
// (before the order ships); or tell a time rather than ask one.
var timedEntries = []struct{ text, want string }{
	{"how long does shipping take", "shipping-time"},
	{"退款多久到账", "refund-time"},
	{"付款后多久内可以改订单里的商品", "modify-order"},
	{"发货前多久可以改地址", "change-address"},
	{"how long do I have to return something", "return-policy"},
	{"前几天买的鞋子怎么退货", "return-howto"},
	{"等了好几天了，退货怎么申请", "return-howto"},
	{"这几天买的东西怎么开发票", "invoice"},
}

// exactAsked ask for a street address or a telephone number, which no
// entry gives (package kb, exact.go). Written as probes, none of them in
// the evaluation set; each was answered with the pickup or another entry.
var exactAsked = []string{
	"What is the exact address of the Hangzhou store?", "what's the phone number of the Beijing shop",
	"What's the address of your head office? I want to send a formal letter by post.",
	"Where are your servers physically located?", "北京门店具体在哪条街", "你们的仓库在哪个城市？",
	// Its spelling corrected, 具体地址 would be 具提地址.
	"上海门店具体地址在哪",
}

// exactNear ask which cities, or where to change an address.
var exactNear = []struct{ text, want string }{
	{"where are your stores", "store-pickup"},
	{"你们门店在哪", "store-pickup"},
	{"收货地址在哪改", "change-address"},
	{"can I change the address of my order", "change-address"},
}

// otherTrades135 share an entry's word in another sense or ask another
// business's service (noise cancelling, a power outlet, a hotel's
// membership, a parking space's size, a car's warranty, a bond's return,
// points in basketball, a flight tracked, Alipay's payment password, a
// parcel of the customer's own), or ask for knowledge and errands (a poem,
// SQL, a unit converted, a sum). Written as probes, none of them in the
// evaluation set; each was answered with an entry.
var otherTrades135 = []string{
	"Are the noise-cancelling headphones compatible with an iPhone 15?",
	"Can the rice cooker be used with a 110V outlet?",
	"How much does it cost to advertise my brand on your homepage banner?",
	"Is Hilton Honors membership worth it if I only stay a few nights a year?",
	"What's the standard size of a parking space in China?",
	"My car is still under the dealer's warranty, does it cover the air conditioning?",
	"What kind of return can I expect on a 3-year government bond?",
	"How many points is a shot from behind the arc in basketball?",
	"How do I track the flight my friend is on?",
	"Write me a short poem about autumn shopping",
	"What's the difference between an INNER JOIN and a LEFT JOIN in SQL?",
	"How do I convert 5 feet 8 inches to centimetres?",
	"How do I reset my Alipay payment password?",
	"Can ZTO pick up a parcel from my home if I'm sending it to my mum?",
	"How do I unlink my bank card from WeChat Pay?",
	"万豪酒店的会员等级怎么升级？", "小区标准停车位尺寸是多少？", "帮我算一下，399元打八五折是多少钱？",
	"中通快递寄一公斤的东西到北京多少钱？", "微信支付怎么解绑银行卡？", "天猫88VIP怎么取消自动续费？",
	"邮政EMS寄国际件到美国要多久？", "帮我想一句发朋友圈的生日祝福语，给我闺蜜的",
	// @version 137: the company's registered office; a phone company.
	"你们公司总部注册地址在哪里？要寄合同", "China Mobile sent me an invoice for data I never used, how do I complain?",
}

// otherTrades135Near are the shop's own questions in the same words.
var otherTrades135Near = []struct{ text, want string }{
	{"do you ship with ZTO", "shipping-carrier"},
	{"how long is the warranty on the noise cancelling headphones", "warranty"},
	{"中通快递发货吗", "shipping-carrier"},
	{"会员有什么好处", "membership"},
	{"can I pay with WeChat Pay", "payment-methods"},
}

// TestNoEntry asks the shared knowledge base's bot each of noEntryKinds:
// none of a kind may be answered or handed over, and those near it keep
// their entries.
func TestNoEntry(t *testing.T) {
	b := mustKB(evalKB(t), Options{})
	for _, k := range noEntryKinds {
		t.Run(k.name, func(t *testing.T) {
			checkUnanswered(t, b, k.none)
			checkAnswered(t, k.kept)
		})
	}
}

// checkUnanswered asks b each text and requires neither an answer nor a
// handoff.
func checkUnanswered(t *testing.T, b *KBBot, texts []string) {
	t.Helper()
	for _, text := range texts {
		if r := answer(t, b, Input{Text: text}); r.EntryID != "" || r.Handoff {
			t.Errorf("Answer(%q) = %q (score %.2f, handoff %v), want neither answer nor handoff", text, r.EntryID, r.Score, r.Handoff)
		}
	}
}

// othersPeople name a person who is not the shop's: made rather than
// grown (人工草坪), of a show or a photo (真人秀), another business's
// service asked how to reach (移动怎么转人工), someone at another place ("a
// human at my bank"). Written as probes, none of them in the evaluation
// set; each was handed over. None may be handed over or answered.
var othersPeople = []string{
	"人工草坪多少钱一平", "人工耳蜗多少钱", "人工湖在哪里", "人工降雨是怎么回事", "真人秀节目推荐一下",
	"移动怎么转人工", "中国移动人工服务怎么转", "顺丰的人工客服怎么转", "美团的客服怎么找",
	"滴滴怎么联系人工客服", "医院挂号怎么找人工",
	"how do I reach a human at my bank", "how do I get a real person at the tax office",
	"how do I talk to a person at my phone company", "how do I speak to someone at the airline",
	"how do I contact amazon's live chat",
}

// TestOthersPeople asks the shared knowledge base's bot the othersPeople
// texts, and, against them, requests that must still hand over.
func TestOthersPeople(t *testing.T) {
	b := mustKB(evalKB(t), Options{})
	checkUnanswered(t, b, othersPeople)
	for _, text := range []string{"我要找顺丰的客服", "人工客服在哪里", "怎么转人工", "帮我转人工，顺丰的快递丢了",
		"I want to talk to someone at the store", "can someone from your team call me", "how do I reach a human"} {
		if r := answer(t, b, Input{Text: text}); !r.Handoff {
			t.Errorf("Answer(%q) = %q (score %.2f), want a handoff", text, r.EntryID, r.Score)
		}
	}
}

// aboutService ask how the human service works (its queue, the chat's
// history, rating it, its size), written as probes, none of them in the
// evaluation set; each was handed over. No entry answers them: they get
// neither an answer nor a handoff. serviceWanted say the same with a
// request or urgency, and still hand over.
var (
	aboutService = []string{"人工客服一般要等多久", "转人工要排队多久", "客服回复一般要多久", "客服一天要接多少单",
		"转人工后聊天记录还在吗", "我跟客服的聊天记录能导出吗", "给客服打分在哪里",
		"how long does it usually take to get through to an agent", "how many agents do you have",
		"do agents see my chat history", "can I export my chat with an agent", "how fast do agents usually reply",
		// What the service's people are (你是真人吗 doubts the bot at hand
		// and asks for a person).
		"你们的客服都是机器人吗", "你们人工客服是真人还是AI", "人工客服都是真人吗", "你们客服都是真人吗",
		// Where they work.
		"你们客服在哪个城市上班", "人工客服是在哪个国家",
		// What they see or know of the customer, and who they are.
		"人工客服能看到我刚才和机器人说的话吗", "客服看得到我之前的聊天吗", "will the agent know what I already told you",
		"do your agents see my order history", "is your support team outsourced"}
	serviceWanted = []string{"我要人工，要等多久", "帮我转人工，要排队多久吗", "客服怎么还没回复，等了半天了",
		"can an agent see my order and fix it",
		"I need an agent now, how long is the queue", "I've been waiting for an agent for ages, how long does it take",
		"how long are your agents available today"}
)

// TestAboutService asks the shared knowledge base's bot the aboutService
// and serviceWanted texts.
func TestAboutService(t *testing.T) {
	b := mustKB(evalKB(t), Options{})
	checkUnanswered(t, b, aboutService)
	for _, text := range serviceWanted[:len(serviceWanted)-1] {
		if r := answer(t, b, Input{Text: text}); !r.Handoff {
			t.Errorf("Answer(%q) = %q (score %.2f), want a handoff", text, r.EntryID, r.Score)
		}
	}
	// A question of the hours is the hours entry's.
	if r := answer(t, b, Input{Text: serviceWanted[len(serviceWanted)-1]}); r.EntryID != "business-hours" || r.Handoff {
		t.Errorf("Answer(%q) = %q (handoff %v), want business-hours", serviceWanted[len(serviceWanted)-1], r.EntryID, r.Handoff)
	}
}

// terse are short Chinese questions as customers type them into a shop's
// chat (a final 不 for 吗, 的 left out, 退钱 asked about, a phrase that is one
// concept whole), written as probes,
// none of them in the evaluation set; each must be answered from its entry.
var terse = []struct{ text, want string }{
	{"亲 今天能发不", "shipping-time"},
	{"坏了给修不", "warranty"},
	{"海外能买不", "international"},
	{"你们会卖我电话吗", "privacy"},
	{"配件没有啊", "missing-item"},
	{"积分能换东西不", "points"},
	{"啥时候退钱", "refund-time"},
	{"钱退到哪了", "refund-time"},
	{"地址能换不", "change-address"},
	{"试穿了能退吗", "return-policy"},
	{"可以改订单吗", "modify-order"},
	{"订单能加东西吗", "modify-order"},
}

// TestTerse asks the shared knowledge base's bot the terse questions.
func TestTerse(t *testing.T) { checkAnswered(t, terse) }

// checkAnswered asks the shared knowledge base's bot each text and
// requires its entry back, answered rather than handed over; or, for a
// want of kindHandoff, handed over.
func checkAnswered(t *testing.T, cases []struct{ text, want string }) {
	t.Helper()
	b := mustKB(evalKB(t), Options{})
	for _, tt := range cases {
		r := answer(t, b, Input{Text: tt.text})
		switch {
		case tt.want == kindHandoff && !r.Handoff:
			t.Errorf("Answer(%q): not handed over (entry %q, score %.2f)", tt.text, r.EntryID, r.Score)
		case tt.want != kindHandoff && (r.Handoff || r.EntryID != tt.want):
			t.Errorf("Answer(%q) = %q (score %.2f, handoff %v), want %q", tt.text, r.EntryID, r.Score, r.Handoff, tt.want)
		}
	}
}

// neighbours are English questions written as probes, none of them in the
// evaluation set, that a neighbouring entry took: a payment question
// drawn to installments by an answer that mentions payment only in
// passing, a product that failed after months read as damaged on arrival,
// a privacy question naming the data it is about, English written as a
// second language. Each must be answered from its entry.
var neighbours = []struct{ text, want string }{
	{"how can I pay for this", "payment-methods"},
	{"what are my options for paying", "payment-methods"},
	{"the blender stopped working after 3 months, is it still covered", "warranty"},
	{"will you give my email to other companies", "privacy"},
	{"can I see what data you hold on me", "privacy"},
	{"I need to change where it's being delivered", "change-address"},
	{"will you fix it if it breaks within a year", "warranty"},
	{"how long does it take you to pack and send", "shipping-time"},
	{"how do I follow my delivery", "track-order"},
	{"the zip was faulty, am I expected to pay to ship it back?", "return-shipping-fee"},
	{"will I have to pay to ship back a faulty lamp", "return-shipping-fee"},
	{"you got my parcel back, when does the money land", "refund-time"},
	{"I opened the box and the remote just isnt there", "missing-item"},
	{"my parcel was meant to come on tuesday and it's thursday now, nothing", "delivery-late"},
	{"I opened the package and the bottle had leaked all over everything", "damaged-item"},
	// English as customers write it as a second language.
	{"you send me less one item", "missing-item"},
	{"when will have goods again", "stock"},
	{"when you will send my goods", "shipping-time"},
	{"can change other color?", "exchange"},
}

// TestNeighbours asks the shared knowledge base's bot the neighbours.
func TestNeighbours(t *testing.T) { checkAnswered(t, neighbours) }

// TestMixedReplyLanguage: a customer who writes English with a Chinese word
// in it is answered in English; one who writes Chinese with an English
// word, in Chinese. The entry is found either way.
func TestMixedReplyLanguage(t *testing.T) {
	k := evalKB(t)
	b := mustKB(k, Options{})
	for _, tt := range []struct {
		text, entry, locale string
		handoff             bool
	}{
		{"can I pay with 支付宝", "payment-methods", "en", false},
		{"do you ship to 马来西亚", "international", "en", false},
		{"I need to talk to 客服", "", "en", true},
		{"refund 多久能到", "refund-time", "zh", false},
		{"address 写错了能改吗", "change-address", "zh", false},
	} {
		r := answer(t, b, Input{Text: tt.text})
		if r.Locale != tt.locale || r.Handoff != tt.handoff || tt.entry != "" && r.EntryID != tt.entry {
			t.Errorf("Answer(%q) = entry %q, locale %q, handoff %v; want %q, %q, %v", tt.text, r.EntryID, r.Locale, r.Handoff, tt.entry, tt.locale, tt.handoff)
			continue
		}
		if e, ok := b.index.Entry(tt.entry); ok && r.Text != e.Answer.Get(tt.locale) {
			t.Errorf("Answer(%q) text = %q, want the entry's %s answer", tt.text, r.Text, tt.locale)
		}
		if tt.handoff && r.Text != handoffText(tt.locale) {
			t.Errorf("Answer(%q) text = %q, want %q", tt.text, r.Text, handoffText(tt.locale))
		}
	}
}

// formal are questions in the formal register of customer care in
// English, as written in India and elsewhere ("kindly", an amount
// "debited" or "credited", EMI, "yet to arrive"), written as probes, none
// of them in the evaluation set; each must be answered from its entry.
var formal = []struct{ text, want string }{
	{"The amount was debited from my account but the order was not placed.", "pay-failed"},
	{"Kindly let me know the timeline for the refund to be credited to my account.", "refund-time"},
	{"Do you provide no cost EMI on credit cards?", "installments"},
	{"Upon opening the package I found that an item was short.", "missing-item"},
	{"Please help me regain access to my account as I have forgotten my login credentials.", "account-password"},
	{"My order has not been delivered despite the expected date having passed.", "delivery-late"},
	{"The status reflects delivered but the package has not reached me.", "signed-not-received"},
	{"Could you please outline the terms under which goods may be returned?", "return-policy"},
	{"Kindly confirm who bears the courier charges for a return.", "return-shipping-fee"},
	{"Delivery was due on Monday but the order is yet to arrive.", "delivery-late"},
	{"Kindly let me know your customer care working hours.", "business-hours"},
}

func TestFormal(t *testing.T) {
	checkAnswered(t, formal)
}

// partMissing tell what came and what did not, in words no lexicon lists
// (a cable, 椅子), written as probes, none of them in the evaluation set
// (package kb, missingPart); each must be answered from the missing-item
// entry.
var partMissing = []string{
	"I got the charger but not the cable that should come with it",
	"received the table but not the chairs",
	"it came without the remote",
	"got 2 of the 3 things I ordered",
	"the set is supposed to have 6 glasses, I got 5",
	"桌子到了椅子没到",
	"收到了充电器但是没有数据线",
	"买了三件只到了两件",
}

func TestPartMissing(t *testing.T) {
	b := mustKB(evalKB(t), Options{})
	for _, text := range partMissing {
		if r := answer(t, b, Input{Text: text}); r.Handoff || r.EntryID != "missing-item" {
			t.Errorf("Answer(%q) = %q (score %.2f, handoff %v), want missing-item", text, r.EntryID, r.Score, r.Handoff)
		}
	}
}

// happened tell what happened in times and amounts rather than in the
// lexicon's words: a promised date past, goods that broke months on, a
// discount since the purchase (package kb, events and priceDrop), written
// as probes, none of them in the evaluation set.
var happened = []struct{ text, want string }{
	{"it was meant to be here by Friday and it's Tuesday now", "delivery-late"},
	{"my package was supposed to get here Tuesday and it's Friday", "delivery-late"},
	{"说好三天到，现在都一周了", "delivery-late"},
	{"my kettle stopped working after 10 months", "warranty"},
	{"买了半年的吹风机不转了", "warranty"},
	{"my grandad's heater stopped working, he bought it from you last year, is it still covered?", "warranty"},
	{"bought it last week and now it's 20% off", "price-protection"},
	{"刚买完就打八折了", "price-protection"},
	// A swap before the order ships changes the order.
	{"can I swap the blue for the green before it goes out?", "modify-order"},
	{"发货前能换成白色的吗", "modify-order"},
	{"it arrived yesterday, can I swap it for the green one?", "exchange"},
	// Whether it may go back is the policy's; how, the steps'.
	{"can I return my Nike trainers if they don't fit", "return-policy"},
	{"十天前买的外套，一次没穿，吊牌都在，就是觉得不太适合我，现在还能退吗？", "return-policy"},
	{"如果我对象不喜欢这块表，能退吗", "return-policy"},
	// English constructions weigh as long Chinese phrases do.
	{"can I send something back if I just don't like it", "return-policy"},
	{"may I take the shoes back if they pinch?", "return-policy"},
	{"the bundle was delivered without the second controller", "missing-item"},
	{"ordered it on Monday and it's 15% off today", "price-protection"},
	// A delivery claimed and denied.
	{"driver says he left it but there's nothing on my porch", "signed-not-received"},
	{"快递员说放门口了，但是门口什么都没有", "signed-not-received"},
}

func TestHappened(t *testing.T) {
	checkAnswered(t, happened)
}

// lexiconWordings are probe wordings, none of them in the evaluation set,
// that the lexicon's terms of 2026-12-06 (@version 108) gave their entries:
// support available at weekends, the rules of returns, a warehouse left
// (出仓), an order from abroad, sending it back (退回去怎么操作), someone on
// duty (值班), a colour changed in the order.
var lexiconWordings = []struct{ text, want string }{
	// Cash on delivery asked after as a way to pay: the methods' answer
	// says which there are (pay-failed, store-pickup or none before).
	{"能不能货到付款", "payment-methods"},
	{"支持货到付款吗", "payment-methods"},
	{"can I pay cash on delivery", "payment-methods"},
	// Instalments by credit card: not the card as a way to pay.
	{"能用信用卡分期吗", "installments"},
	{"are you available on weekends", "business-hours"},
	{"what are the rules for sending things back", "return-policy"},
	{"东西大概哪天出仓", "shipping-time"},
	{"国外可以下单吗", "international"},
	{"东西要退回去怎么操作", "return-howto"},
	{"周末有人值班吗", "business-hours"},
	{"想把订单里的颜色改一下", "modify-order"},
	{"钱扣了订单却没生成", "pay-failed"},
	// @version 134: a typo in the address, how fast a refund is processed,
	// what should have come with the parcel, a present packed nicely, a
	// corporate deal, a delivery taking long; the return's time and its
	// conditions asked in Chinese, a unit ordering a batch, a parcel that
	// should long have come, a style ordered by mistake.
	{"I made a typo in the building number of my delivery address, how to correct it pls", "change-address"},
	{"once the warehouse gets my returned parcel, how fast do you process the refund?", "refund-time"},
	{"The charger that should come with the bundle isn't there, only the phone stand was in the package.", "missing-item"},
	{"It's a present for my girlfriend, can you pack it nicely and include a little note?", "gift-wrap"},
	{"I'm buying gifts for all 80 employees, can I get a corporate deal?", "bulk-order"},
	{"why is delivery taking so long?? I ordered 10 days ago", "delivery-late"},
	{"买回来不满意的话退货有啥条件没", "return-policy"},
	{"签收都第5天了，还在能退的时间内吗", "return-policy"},
	{"我们单位要订一批，能给个企业价吗", "bulk-order"},
	{"给我妈寄的东西，早就该到了，到现在都没送来", "delivery-late"},
	{"付了钱才发现拍错款式了，能直接给我改成另一款吗", "modify-order"},
	// @version 140: Singapore and Indian English (an old place, "got
	// leak", "what hrs", "this quantity", a quantity modified), and
	// Chinese of a parcel stuck at a depot, data taken by others, a cable
	// not in the box.
	{"i moved house last week and the order i placed yesterday still going to old place, how to update", "change-address"},
	{"Is my address and phone number safe with you? Worry got leak.", "privacy"},
	{"what hrs r ur support staff around? wanted to ask smth abt my refund later", "business-hours"},
	{"Kindly help to modify the quantity in my order from 2 to 3 pieces.", "modify-order"},
	{"订单详情里的物流轨迹三四天都停在中转站没变过，能帮忙催催吗", "delivery-late"},
	{"请问一下，我在你们这里填了家庭住址和电话，会不会被别人拿去用啊？我有点担心。", "privacy"},
	{"快递今天到了，物流显示正常，但拆开发现买的充电线木有在里面", "missing-item"},
	// @version 141: charged, the order still unpaid.
	{"钱已经叩了可是订单显示未支付", "pay-failed"},
	// @version 143: everyday English idioms.
	{"How do I scrap an order I just placed?", "cancel-order"},
	{"Can I still pull the plug on my order?", "cancel-order"},
	{"Am I out of pocket for postage if I send it back?", "return-shipping-fee"},
	{"Can I pay this off bit by bit instead of all at once?", "installments"},
	{"Is there any cover if it packs in?", "warranty"},
	{"We want to kit out the whole office, any corporate rate?", "bulk-order"},
	{"Do you charge extra to deliver out in the sticks?", "shipping-fee"},
	{"It says dropped off but it's nowhere to be found.", "signed-not-received"},
	// @version 144: everyday Chinese.
	{"东西摔得稀巴烂", "damaged-item"},
	{"收到的杯子有个豁口", "damaged-item"},
	{"这款没了吗，还进货不", "stock"},
	{"钱啥时候能回我卡上", "refund-time"},
	{"快递跟蜗牛一样", "delivery-late"},
	{"被谁签了我都不知道", "signed-not-received"},
	{"我要把号删了", "delete-account"},
	{"能把单子作废吗", "cancel-order"},
}

func TestLexiconWordings(t *testing.T) { checkAnswered(t, lexiconWordings) }

// refusedTopics name a thing the customer does not want beside what they
// ask (package kb, unwanted.go); refusedTopicsKept refuse something else
// or refuse only its timing. Written as probes, none of them in the
// evaluation set: the first three got the entry of the thing refused or
// none.
var refusedTopics = []struct{ text, want string }{
	{"Same item now selling lower than what I paid. I don't want return it, just want the price difference back. Possible?", "price-protection"},
	{"The shirt is too small, can I trade it for an L instead of getting my money back?", "exchange"},
	{"Kindly let me know the process to replace the item with a different size, it was delivered 10 days back. I do not want a refund.", "exchange"},
	{"I don't need the refund urgently, but roughly how long does it take?", "refund-time"},
	{"I don't want to pay the return postage, who covers it?", "return-shipping-fee"},
	{"我不要换货了，退款一般几天到账", "refund-time"},
	{"要不要另外付邮费啊，我就买了几十块钱的", "shipping-fee"},
}

func TestRefusedTopics(t *testing.T) { checkAnswered(t, refusedTopics) }
