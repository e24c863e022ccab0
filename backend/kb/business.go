package kb

import (
	"regexp"
	"strings"

	"switchboard/backend/lexicon"
)

// Another business's own order, membership, points, refund or invoice
// ("how do I redeem hotel loyalty points", "an invoice from the hospital",
// "when will the hotel return my deposit", 健身房的会员怎么退, 民宿订单能改日期吗)
// is no question for the shop: it is asked of that business. The lexicon
// lists such pairs one by one (gym membership, 酒店发票); the construction
// reads any business of another trade beside any of the shop's nouns, which
// the lists cannot cover.
//
// The businesses are of trades a shop's customer does not buy goods from
// through it, and neither buys in bulk from the shop (no school, company or
// bank: "a school order of 200 notebooks" is a bulk order, a refund to the
// bank is the shop's refund) nor pays the shop's claims (no insurer in
// Chinese: 运费险 is paid by one). A business named as where the goods go
// (寄到我住的酒店, "ship it to the hotel") names none of the nouns.
var (
	zhBusiness = `(?:酒店|宾馆|民宿|旅馆|客栈|医院|诊所|牙科|航空公司|航司|健身房|健身中心|瑜伽馆|游泳馆|驾校|培训机构|培训班|早教中心|月子中心|餐厅|饭店|餐馆|电影院|影院|景区|游乐园|动物园|博物馆|物业|火车站|机场|租车公司|美容院|理发店|美发店|美甲店|医美|酒吧|旅行社|药店|加油站|4S店|停车场|洗衣店|干洗店|房东|中介|超市|便利店|咖啡店|奶茶店|邮局|邮政局)`
	zhOwnNoun  = `(?:会员卡|会员|年卡|月卡|次卡|储值卡|积分|退款|退费|发票|押金|定金|订金|优惠券|订单|预订|预约|订位|账单|门票|账号|包裹单|寄件单)`
	// The business, then what is its (的, 那边的), a verb it does (退, 开)
	// and the customer's (我的).
	zhOtherBusiness = regexp.MustCompile(`(?i)` + zhBusiness + `(?:的|那边的|里的)?(?:退|开|给|补开|返|扣)?(?:了)?(?:我)?(?:的)?` + zhOwnNoun)

	enBusiness = `(?:hotels?|motels?|hostels?|airbnb|hospitals?|clinics?|airlines?|gyms?|spas?|(?:hair |nail |beauty )?salons?|barbers?|driving school|cinemas?|movie theat(?:er|re)s?|theme parks?|amusement parks?|water parks?|zoos?|museums?|insurance company|insurer|train station|airport|car rentals?|rental car|car hire|rental company|property manager|property management|landlord|letting agent|estate agent|dentists?|tutoring cent(?:er|re)|travel agen(?:cy|t)|pharmacy|dealership|car dealer|daycare|golf club|country club|yoga studio|fitness club|taxis?|cabs?|taxi rides?|cab rides?|parking (?:lot|garage|space)s?|grocery|groceries|grocery stores?|supermarkets?|restaurants?|pizzerias?|coffee shops?|gas stations?|petrol stations?|cable|cable company|internet provider|phone company|utility company|electric company|post office|dmv|city council|town hall|city hall|library|libraries)`
	// "order" is not among them: "a hotel order of 300 towels" is a bulk order.
	enOwnNoun = `(?:bookings?|reservations?|memberships?|member cards?|cards?|points|rewards|refunds?|invoices?|receipts?|bills?|deposits?|vouchers?|coupons?|tickets?|pass(?:es)?|subscriptions?|accounts?)`
	// The business before its noun ("hotel loyalty points", "the gym's
	// membership"), the noun from the business ("a refund from my driving
	// school") or for it ("a receipt for my taxi ride"), the business
	// doing something to the customer's noun ("the hotel return my
	// deposit"), something returned to or changed with it, or its
	// policy.
	enOtherBusiness = regexp.MustCompile(`(?i)\b` + enBusiness + `(?:'s)?\s+(?:(?:loyalty|reward|rewards|prepaid|annual|membership|member|season|gift)\s+)?` + enOwnNoun + `\b` +
		`|\b` + enOwnNoun + `\s+(?:back\s+)?from\s+(?:the\s+|my\s+|a\s+|an\s+|our\s+|this\s+)?` + enBusiness + `\b` +
		`|\b` + enOwnNoun + `\s+for\s+(?:the|my|a|an|our|this|last\s+night's|yesterday's)\s+` + enBusiness + `\b` +
		`|\b(?:the|my|a|an|our|this)\s+` + enBusiness + `\s+(?:\w+\s+){0,2}?(?:return|refund|give|pay|send|cancel|charge|keep)\w*\s+(?:me\s+)?(?:back\s+)?(?:my|the|a|our)\s+` + enOwnNoun + `\b` +
		// Or something taken back to it ("return a pizza to a pizzeria"),
		// or changed with it ("change my address with the post office").
		`|\breturn\w*\s+(?:\w+\s+){1,3}?(?:to|at)\s+(?:the|a|an|my|this)\s+` + enBusiness + `\b` +
		`|\b(?:change|update|cancel|renew)\w*\s+(?:my|the|a|our)\s+\w+(?:\s+\w+)?\s+(?:with|at)\s+(?:the|my|a|our)\s+` + enBusiness + `\b` +
		// Or its policy: "the return policy at my local library".
		`|\b(?:return|refund|exchange|cancellation|privacy)\s+polic(?:y|ies)\s+(?:at|of|for)\s+(?:the|my|a|an|our)\s+(?:local\s+)?` + enBusiness + `\b`)
)

// termOtherBusiness is the term of the construction's match.
const termOtherBusiness = "another business's own"

// otherBusiness returns ms with a match of a topic outside the shop
// (offTopicConcepts) over another business's own order, membership,
// points, refund or invoice.
func otherBusiness(text string, ms []lexicon.Match) []lexicon.Match {
	return firstConstruction(text, ms, "elsewhere-services", termOtherBusiness, zhOtherBusiness, enOtherBusiness)
}

// firstConstruction returns ms with a match of concept, named term, at the
// first of res that matches text, if one does.
func firstConstruction(text string, ms []lexicon.Match, concept, term string, res ...*regexp.Regexp) []lexicon.Match {
	for _, re := range res {
		if loc := re.FindStringIndex(text); loc != nil {
			return append(ms, construction(concept, term, loc[0], loc[1]))
		}
	}
	return ms
}

// Another retailer's own order, coupon, policy or service ("can I use a
// Target coupon online", "does Best Buy do warranty repairs", "does Uniqlo
// ship internationally") is asked of that retailer. The retailers are
// those that sell others' goods or only their own in their own stores, not
// brands the shop may sell ("is this Nike shoe authentic" asks the shop):
// a brand that is also a retailer counts only beside an order, a store or
// a policy of its own ("a Nike order", "Nike's return policy").
var (
	enRetailer      = `(?:amazon|ebay|walmart|(?-i:Target|TARGET)|costco|ikea|best\s?buy|tesco|argos|asda|sainsbury'?s|aldi|lidl|john lewis|marks (?:and|&) spencer|primark|asos|etsy|wayfair|home depot|lowe'?s|macy'?s|nordstrom|sephora|ulta|decathlon|aliexpress|alibaba|temu|shein|taobao|tmall|jd\.com|pinduoduo|shopee|lazada|flipkart|rakuten|zalando|otto|mercado libre)`
	enBrandStore    = `(?:nike|adidas|apple|samsung|zara|uniqlo|h&m|gap|lego|muji)`
	enOtherRetailer = regexp.MustCompile(`(?i)\b` + enRetailer + `(?:'s)?\s+(?:(?:return|refund|exchange|price|shipping|delivery|warranty)\s+)?(?:orders?|coupons?|vouchers?|gift cards?|policy|policies|warranty|membership|prime|plus|account|returns?|refunds?|delivery|shipping|store|stores|app|website|site|customer service|support|do|does|did|will|can|ship|ships|take|takes|accept|accepts|deliver|delivers|charge|charges|offer|offers|price match|match)\b` +
		`|\b(?:to|from|at|on)\s+` + enRetailer + `\b` +
		`|\b` + enBrandStore + `(?:'s)?\s+(?:orders?|stores?|shops?|(?:return|refund|exchange|price|shipping|delivery|warranty)\s+polic(?:y|ies)|gift cards?|membership|app|website|site|customer service|support|ship|ships|deliver|delivers)\b`)
)

// otherRetailer returns ms with a match of a topic outside the shop over
// another retailer's own order, coupon, policy or service.
func otherRetailer(text string, ms []lexicon.Match) []lexicon.Match {
	return firstConstruction(text, ms, "elsewhere-platforms", termOtherRetailer, enOtherRetailer)
}

const termOtherRetailer = "another retailer's own"

// Another app's or platform's own privacy ("what's Facebook's privacy
// policy", "does Instagram sell my data", 抖音的隐私政策, 快手会泄露我的手机号吗)
// is asked of that platform, not of the shop, whose privacy entry answers
// for the shop alone; so is its own account acted on (QQ号怎么注销). The
// platform is the owner of the policy or the one doing something with the
// customer's data; a platform the shop shares
// data with ("do you share my data with Google", 你们会把我的信息给抖音吗) or
// pays through ("用微信支付会泄露信息吗") stays the shop's question: the
// platform must open its clause, or follow a question word, in Chinese,
// and come after "does", "will" and the like, or open the text, in English.
var (
	// zhClauseStart is where a platform opens its clause: the text's or a
	// clause's start, or after a question's opening words.
	zhClauseStart = `(?:^|[，。？！；、,.?!;\s]|请问|想问下?|我想知道)`
	zhApp         = `(?:抖音|快手|微博|小红书|百度|知乎|B站|b站|哔哩哔哩|QQ|qq|微信|支付宝|淘宝|天猫|京东|拼多多|美团|饿了么|滴滴|高德|钉钉|今日头条|头条|网易|腾讯|谷歌|脸书|推特|油管|苹果|华为|小米|vivo|oppo|荣耀)`
	zhDataNoun    = `(?:隐私|个人信息|个人资料|用户信息|信息|数据|聊天记录|位置|定位|手机号|电话号码|号码|相册|照片|通讯录|浏览记录|搜索记录|身份证)`
	zhPlatOwned   = regexp.MustCompile(zhClauseStart + zhApp + `(?:的|上的|里的)?(?:隐私政策|隐私条款|隐私协议|隐私设置|隐私权限|用户协议|服务条款|权限设置)` +
		`|` + zhClauseStart + zhApp + `(?:会|是否会|会不会|有没有|是不是|真的会|到底会)?(?:偷偷|私自|悄悄)?` +
		`(?:(?:我的|用户的|我们的)?[^，。？！?!,]{0,6}?` + zhLeak + `(?:给别人|给第三方)?(?:我的|用户的|我们的)?` + zhDataNoun +
		`|(?:把|将)(?:我的|用户的|我们的)?` + zhDataNoun + `[^，。？！?!,]{0,3}?` + zhLeak + `)`)
	// Its own account, acted on: "QQ号怎么注销", "微信账号被封了".
	zhAppAccount = regexp.MustCompile(zhClauseStart + `(?:我的)?` + zhApp + `(?:的)?(?:号|账号|帐号|账户|帐户)(?:怎么|怎样|如何|能不能|可以|要怎么|该怎么|被|总是|老是|突然)?(?:注销|删除|删掉|改密码|换绑|解绑|找回|封|冻结|被盗|登不上|登录不了|改手机号|绑定|实名)`)
	zhLeak       = `(?:卖|出卖|泄露|泄漏|收集|偷看|读取|窃取|获取|上传|监听|偷听|共享|追踪|跟踪)`

	enApp       = `(?:facebook|instagram|whatsapp|messenger|tiktok|twitter|snapchat|youtube|google|gmail|chrome|android|icloud|microsoft|outlook|hotmail|yahoo|linkedin|reddit|pinterest|telegram|discord|zoom|skype|netflix|spotify|uber|lyft|paypal|wechat|alipay|amazon|apple|samsung)`
	enDataNoun  = `(?:(?:personal\s+)?(?:data|information|info|details)|messages|chats|photos|pictures|location|contacts|phone number|search history|browsing history|conversations)`
	enPlatOwned = regexp.MustCompile(`(?i)\b` + enApp + `(?:'s)?\s+(?:privacy|data|cookie)\s+(?:policy|policies|settings|terms|notice)\b` +
		`|\b(?:privacy|data|cookie)\s+(?:policy|policies|settings|terms|notice)\s+(?:of|for|on)\s+` + enApp + `\b` +
		`|(?:^|\b(?:does|do|did|will|would|can|could|is|are|how does|why does)\s+)` + enApp + `\s+(?:\w+\s+){0,2}?(?:sell|share|collect|use|track|store|keep|read|see|access|spy|listen|leak)\w*\s+(?:on\s+|to\s+|in\s+)?(?:my|our|users'?|people'?s)\s+` + enDataNoun + `\b`)
)

// platformNouns are the nouns the expressions of otherPlatform need, one
// of which is in each: the policy's, the data's and the account's.
var platformNouns = []string{"隐私", "信息", "资料", "数据", "记录", "位置", "定位", "号", "相册", "照片", "通讯录", "身份证", "协议", "条款", "设置", "权限", "账", "帐",
	"privacy", "policy", "policies", "cookie", "data", "info", "details", "messages", "chats", "photos", "pictures", "location", "contacts", "phone number", "history", "conversations"}

// termOtherPlatform is the term of the construction's match.
const termOtherPlatform = "another platform's own privacy"

// otherPlatform returns ms with a match of a topic outside the shop over
// another platform's own privacy policy, handling of the customer's data or
// account.
func otherPlatform(text string, ms []lexicon.Match) []lexicon.Match {
	// Every wording of it names one of these: most texts are spared the
	// expressions.
	if !containsAnyString(strings.ToLower(text), platformNouns) {
		return ms
	}
	return firstConstruction(text, ms, "elsewhere-platforms", termOtherPlatform, zhPlatOwned, zhAppAccount, enPlatOwned)
}
