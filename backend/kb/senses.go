package kb

import (
	"regexp"
	"strings"

	"switchboard/backend/lexicon"
)

// The shop's words in another sense: a phone's battery or a slow laptop
// (the device itself, not the account's phone number or a late parcel),
// a tip for a waiter (not a fee), a cancelled meeting (not an order), the
// size of a PDF (not a garment), tracking one's sleep (not a parcel),
// cookie dough (not a browser's cookies), money exchanged (not goods), a
// number's own business with its carrier (not the account's number), and
// the others of the table below. Each sense is read from the word with the
// words beside it that fix it; the lexicon's terms find the word alone,
// and would answer from the shop's entry for it.
//
// A device is the shop's question again when the text says it came from
// the shop or asks the shop's remedies for it (bought, ordered, arrived,
// warranty, 买的, 收到, 保修): "the laptop I ordered is so slow" asks the
// warranty, "my laptop is so slow" asks a repairer.
type sense struct {
	concept string
	// needs are words one of which every wording of the sense has, lower
	// case: most texts are spared the expressions.
	needs []string
	// unless, if set, gives the sense up for a text it matches: a device
	// that came from the shop (shopGoods).
	unless *regexp.Regexp
	zh, en *regexp.Regexp
	// not, if set, undoes a match it finds in: the shop's own sense
	// inside the words matched.
	not *regexp.Regexp
}

var (
	zhDevice = `(?:手机|电脑|笔记本|平板|电视|打印机|路由器|苹果手机|安卓手机|(?i:iphone|ipad|laptop|macbook|android))`
	enDevice = `(?:phone|iphone|android|cell|cellphone|mobile|laptop|computer|pc|mac|macbook|chromebook|tablet|ipad|tv|television|printer|router|console|xbox|playstation|smartwatch)`

	senses = []sense{
		{
			concept: "elsewhere-device", unless: shopGoods,
			needs: []string{"手机", "电脑", "笔记本", "平板", "电视", "打印机", "路由器", "phone", "android", "cell", "mobile", "laptop", "computer", "pc", "mac", "book", "tablet", "ipad", "tv", "television", "printer", "router", "console", "xbox", "playstation", "watch"},
			// Its parts replaced or mended by the customer, or the device
			// itself slow, hot or freezing.
			zh: regexp.MustCompile(`给(?:我的)?` + zhDevice + `(?:换|更换|修)(?:个|一下)?(?:电池|屏幕|屏)` +
				`|` + zhDevice + `[^，。？！?!,]{0,4}?(?:电池|屏幕|屏)[^，。？！?!,]{0,8}?(?:换|更换|修|维修)` +
				`|` + zhDevice + `(?:越来越|太|好|很|特别|老是|总是|有点|运行|反应){1,2}(?:卡|慢)|` + zhDevice + `(?:卡顿|死机|发烫|发热)`),
			en: regexp.MustCompile(`(?i)\b(?:replace|change|fix|repair|swap)\w*\s+(?:the\s+|a\s+|my\s+)?(?:cracked\s+|broken\s+|shattered\s+|dead\s+|old\s+)?(?:battery|screen|charging port|speaker|camera|keyboard)\s+(?:in|on|of)\s+(?:my|the|a|an|this)\s+(?:own\s+|old\s+)?` + enDevice + `\b` +
				`|\b` + enDevice + `(?:'s)?\s+(?:battery|screen)\b[^.?!]{0,30}?\bhow\s+(?:do|can|should)\s+(?:i|you|we)\s+(?:fix|repair|replace|change)\b` +
				`|\b(?:my|the|this|our)\s+(?:old\s+)?` + enDevice + `\s+(?:\w+\s+){0,3}?(?:slow|laggy|lagging|freezing|frozen|overheating|overheats|hot)\b`),
		},
		{
			// One's own hair, picture or job changed, not goods exchanged
			// (发型怎么换好看, 头像怎么换); a chat group left, a salary unpaid
			// (怎么退出公司的微信群, 这个月工资还没发).
			concept: "elsewhere-life",
			needs:   []string{"换", "群", "工资"},
			zh: regexp.MustCompile(`退出[^，。？！?!,]{0,6}?群|工资[^，。？！?!,]{0,6}?(?:没发|不发|发了|到账|拖欠)` +
				`|(?:发型|发色|头像|壁纸|工作|灯泡|轮胎|机油|驾照|身份证|手机壁纸|微信头像)(?:怎么|要怎么|如何|该怎么|多久|什么时候)?(?:换|更换)`),
		},
		{
			// A tip for someone's service.
			concept: "elsewhere-life",
			needs:   []string{"tip", "小费"},
			zh:      regexp.MustCompile(`小费`),
			en: regexp.MustCompile(`(?i)\btip(?:ping)?\s+(?:a|the|my|our|your)?\s*(?:\w+\s+)?(?:waiters?|waitress(?:es)?|servers?|bartenders?|barbers?|hairdressers?|stylists?|taxi|cab|uber|drivers?|valets?|housekeep\w*|porters?|guides?|nail|masseuses?|baristas?)\b` +
				`|\bhow\s+much\s+(?:do\s+you|do\s+i|should\s+i|should\s+you|to)\s+tip\b|\btip(?:ping)?\s+(?:etiquette|culture|percentage)\b`),
		},
		{
			// A meeting, appointment or lesson called off.
			concept: "elsewhere-life",
			needs:   []string{"cancel", "取消"},
			zh:      regexp.MustCompile(`取消(?:明天的|今天的|下午的|上午的|下周的)?(?:会议|牙医预约|医生预约|挂号|课程|上课|航班|约会|婚礼|面试|年会|聚会)|(?:年会|会议|聚会|派对|婚礼|演唱会|比赛|航班|约会|面试)(?:被|临时|突然)?取消`),
			en:      regexp.MustCompile(`(?i)\bcancel\w*\s+(?:a|an|the|my|our|this|that|tomorrow's|today's)\s+(?:\w+\s+){0,2}?(?:meeting|appointment|class|lesson|session|event|party|date|flight|trip|wedding|interview|webinar)s?\b`),
			// "cancel my delivery appointment" is the shop's.
			not: regexp.MustCompile(`(?i)order|purchase|delivery|return|refund|pick-?up|collection|installation|exchange|payment|subscription|membership`),
		},
		{
			// A file's size.
			concept: "elsewhere-device",
			needs:   []string{"size", "compress", "shrink", "pdf", "文件", "视频", "文档", "照片", "图片"},
			zh:      regexp.MustCompile(`(?i)(?:pdf|文件|视频|文档|照片|图片)(?:太大|过大|怎么压缩|压缩|怎么变小|变小)|压缩(?:pdf|文件|视频|文档|照片|图片)`),
			en: regexp.MustCompile(`(?i)\bsize\s+(?:limit\s+)?(?:of|for|on)\s+(?:a|an|the|my|this|that)?\s*(?:email\s+)?(?:pdf|file|document|doc|word file|photo|picture|image|video|attachment|folder|email|zip|spreadsheet|upload)s?\b` +
				`|\b(?:pdf|file|document|attachment|video|upload|email)\s+size\b|\b(?:reduce|compress|shrink|decrease)\w*\s+(?:the\s+size\s+of\s+)?(?:a|an|the|my|this)?\s*(?:pdf|file|photo|picture|image|video)s?\b`),
		},
		{
			// One's own sleep, steps or spending tracked.
			concept: "elsewhere-life",
			needs:   []string{"track", "记录", "睡眠", "步数", "体重", "心率"},
			zh:      regexp.MustCompile(`记录(?:睡眠|步数|体重|卡路里|心率|经期|运动)|(?:睡眠|步数|体重|心率)(?:怎么记录|追踪|监测)`),
			en:      regexp.MustCompile(`(?i)\btrack(?:ing)?\s+(?:my|your|the|our)\s+(?:daily\s+)?(?:sleep|steps|calories|calorie intake|weight|heart rate|period|ovulation|fitness|workouts?|runs?|running|habits|spending|expenses|budget|time|mood|water intake|screen time|blood pressure|glucose|macros)\b`),
		},
		{
			// A track team, a package holiday, a relationship mended,
			// shipping as a trade, a house's warranty: the words' senses
			// outside any shop.
			concept: "elsewhere-life",
			needs:   []string{"track", "package", "relationship", "marriage", "friendship", "shipping", "warranty"},
			en: regexp.MustCompile(`(?i)\btrack\s+(?:team|and field|season|meet|meets|practice|coach|races?|athletes?|club)\b` +
				`|\b(?:vacation|holiday|travel|tour|honeymoon|all inclusive|all-inclusive|cruise|ski)\s+packages?\b` +
				`|\b(?:fix|save|repair|mend|rebuild)\w*\s+(?:a|my|our|the|this)\s+(?:\w+\s+){0,2}?(?:relationship|marriage|friendship)s?\b` +
				`|\bshipping\s+(?:lanes?|containers?|industry|stocks?)\b|\b(?:container|cargo|cruise)\s+ships?\b` +
				`|\bwarrant(?:y|ies)\s+(?:on|for)\s+(?:a|my|the|our)\s+(?:new\s+)?(?:roof|house|home|car|boiler|furnace|windows|kitchen|bathroom|apartment|condo|flat)\b`),
		},
		{
			// Money changed, a transfer called off or sent wrong, a credit
			// card's own debits and fees: a bank's, not the shop's (paying
			// the shop by bank transfer is the shop's).
			concept: "elsewhere-services",
			needs:   []string{"exchange", "transfer", "check", "cheque", "debit", "standing", "转账", "汇", "换", "信用卡"},
			zh:      regexp.MustCompile(`转账转错|汇款|换汇|汇率|(?:美元|欧元|日元|英镑|港币|韩元|外币)(?:怎么|去哪里|在哪里|去哪|在哪|哪里)?(?:换|兑换)|换(?:美元|欧元|日元|英镑|港币|韩元|外币)|信用卡的?(?:自动扣款|自动还款|年费|额度|账单)`),
			en: regexp.MustCompile(`(?i)\bexchange\s+(?:\w+\s+){0,2}?(?:currency|currencies|money|coins|cash|euros?|dollars?|pounds?|yen|yuan|rmb|rupees?|pesos?)\b|\b(?:currency|money|foreign)\s+exchange\b|\bexchange\s+rates?\b` +
				`|\bcancel\w*\s+(?:a|the|my)\s+(?:wire|money|bank)\s+transfers?\b|\bcancel\w*\s+(?:a|the|my)\s+(?:check|cheque|direct debit|standing order)s?\b`),
		},
		{
			// A phone network, unless the number it gave is the account's:
			// "I changed mobile providers, how do I update my number".
			concept: "elsewhere-services", unless: accountNumber,
			needs: []string{"carrier", "provider", "network", "手机", "电话卡", "号码", "白条", "花呗", "借呗"},
			// In Chinese, the number's own business with its carrier
			// (手机卡怎么换号, 手机号怎么销号), and a platform's credit repaid
			// (京东白条怎么还款); not the account's number (换绑手机号), nor
			// 花呗 repaid, which the shop's installments go through.
			zh: regexp.MustCompile(`(?:手机号|手机卡|电话卡|号码)(?:怎么|如何|能不能|可以|要怎么|去哪)?(?:销号|停机|补卡|过户|携号转网|换号)|(?:手机卡|电话卡)(?:怎么|如何)?注销` +
				`|(?:白条|借呗)(?:怎么|如何|要怎么)?(?:还款|还钱|提额|逾期)|花呗(?:怎么|如何|要怎么)?(?:提额|逾期)`),
			en: regexp.MustCompile(`(?i)\b(?:mobile|cell|cellular|phone|wireless)\s+(?:carriers?|providers?|networks?)\b`),
		},
		{
			// Cookies baked or eaten.
			concept: "elsewhere-cooking",
			needs:   []string{"cookie"},
			// Not cookies or their jars as goods ("are the cookie jars in
			// stock", "do you sell oatmeal cookies").
			en: regexp.MustCompile(`(?i)\bcookie\s+(?:dough|recipes?|crumbs?)\b` +
				`|\b(?:bake|baking|baked|eat|eating|ate|dunk|dunking|decorate|decorating)\s+(?:\w+\s+){0,2}?cookies?\b`),
		},
	}

	// shopGoods says the thing came from the shop, or asks the shop's
	// remedies for it.
	shopGoods = regexp.MustCompile(`买的|买了|购买|收到|到货|刚到|新买|你们|订单|发货|寄来|送来|保修|质保|退|换货|(?i)\b(?:bought|ordered|order|purchased?|arrived?|arriving|delivered|received|came|sent|from you|your|new|brand new|parcel|package|box|warranty|guarantee|refund|return|replacement)\b`)
	// accountNumber says the phone's number is the account's, or what it
	// does to the account: 以前的号码停机了，收不到验证码; 号码停用了怎么改.
	accountNumber = regexp.MustCompile(`验证码|短信|收不到|账号|帐号|账户|绑|登录|登陆|注册|改|更新|新号|(?i)\b(?:account|number|log ?in|sign ?in|verification|sms|texts?)\b`)
)

// termOtherSense is the term of the construction's match.
const termOtherSense = "a shop's word in another sense"

// otherSense returns ms with a match of a topic outside the shop when text
// uses one of the shop's words in another sense.
func otherSense(text string, ms []lexicon.Match) []lexicon.Match {
	return firstSense(text, ms, senses, termOtherSense)
}

// firstSense returns ms with a match, named term, of the concept of the
// first of table whose expressions read text.
func firstSense(text string, ms []lexicon.Match, table []sense, term string) []lexicon.Match {
	lower := strings.ToLower(text)
	for _, s := range table {
		if !containsAnyString(lower, s.needs) {
			continue
		}
		if s.unless != nil && s.unless.MatchString(text) {
			continue
		}
		for _, re := range []*regexp.Regexp{s.zh, s.en} {
			if re == nil {
				continue
			}
			if loc := re.FindStringIndex(text); loc != nil && (s.not == nil || !s.not.MatchString(text[loc[0]:loc[1]])) {
				return append(ms, construction(s.concept, term, loc[0], loc[1]))
			}
		}
	}
	return ms
}
