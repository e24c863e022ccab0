package bot

import (
	"strings"

	"switchboard/backend/hanzi"
)

// Complaint words. A customer who complains or is angry should not be kept
// talking to a bot: the cost of a wrong handoff is an agent's minute, that of
// a missed one an escalation. Chinese is matched by substring, English by
// lowercased substring on word boundaries.
var (
	zhComplaint = []string{
		"投诉", "差评", "太差", "垃圾", "生气", "骗子", "骗人", "坑人", "气死", "受不了",
		"什么破", "忍无可忍", "举报", "消协", "12315", "马上退款", "太烂", "恶心",
		// Threats of the law or the press: "你们不处理我就起诉", "再拖我就找律师了"
		// (not "我是律师"), "我要找媒体曝光" (not a camera's 曝光).
		"起诉", "找律师", "请律师", "律师函", "告你们", "媒体曝光", "找媒体", "曝光你们",
	}
	// zhDemands are angry only as demands: 退钱！ is, 啥时候退钱 asks when.
	zhDemands = []string{"退钱"}
	// zhAsking are the words and marks of a Chinese question.
	zhAsking    = []string{"吗", "？", "?", "什么", "啥", "多久", "几", "怎么", "咋", "哪", "多少", "能不能", "可不可以", "是不是", "有没有"}
	enComplaint = [][]string{
		{"refund", "now"}, {"terrible"}, {"angry"}, {"complaint"}, {"complain"}, {"scam"},
		{"scammer"}, {"scammers"}, {"fraud"}, {"ripoff"}, {"rip", "off"}, {"awful"}, {"horrible"},
		{"worst"}, {"useless"}, {"disgusting"}, {"furious"}, {"unacceptable"}, {"ridiculous"},
		{"pathetic"}, {"garbage"}, {"rubbish"}, {"sue"}, {"lawyer"}, {"money", "back", "now"},
		// "I'll file a chargeback", "I'm going to the press with this".
		{"chargeback"}, {"the", "press"}, {"legal", "action"}, {"trading", "standards"},
		// "I'll report you to the police"; the police named with nothing
		// of the shop's are complaintElsewhere's.
		{"police"}, {"report", "you"},
	}
)

// Complaints about someone who is no business of a shop's: an airline, a
// landlord, the council. The shop's people cannot take them, and a customer
// who asks how to complain to one is asking about someone else ("my
// landlord is terrible, who do I complain to", 怎么投诉物业) unless the
// text also names the shop or an order. Not a bank, a marketplace, a
// school or a doctor: a customer complains of the shop in the
// words of their day too ("my bank says the money was never returned, this
// is a scam", "the school bag is rubbish"), nor the weather, which the
// shop's goods are often blamed in ("useless in the rain"). The customer's
// boss or neighbours are, unless the text speaks of a delivery too ("the
// neighbour signed for it, terrible", 邻居帮我签收了，气死).
var (
	zhElsewhereTargets = []string{"航空公司", "房东", "物业", "携程", "去哪儿", "飞猪", "美团", "饿了么", "12306",
		// A ride's driver: "打车软件怎么投诉司机".
		"打车", "网约车", "司机",
		// The customer's own work, commute and neighbours: "烦死了，又要加班",
		// "邻居太吵了怎么投诉", "我要投诉我的老板".
		"堵车", "加班", "邻居", "我的老板", "我老板", "我们老板", "我的领导", "我领导", "我同事", "我的同事",
		// The customer's family: "老婆生气了怎么哄".
		"老婆", "老公", "女朋友", "男朋友", "媳妇", "我妈", "我爸", "婆婆", "丈母娘",
		// Phone companies and a second-hand market: "在闲鱼上被骗了怎么举报".
		"中国移动", "中国联通", "中国电信", "移动公司", "联通公司", "电信公司", "闲鱼",
		"美团", "饿了么", "滴滴", "拼多多",
		// A marketplace's own service, not the shop on it: "淘宝客服怎么投诉".
		"淘宝客服", "天猫客服", "京东客服", "淘宝官方客服", "京东官方客服",
		// The customer's pets: "我家猫把沙发抓烂了，气死".
		"我家猫", "我家狗", "猫把", "狗把", "猫咪把", "狗狗把"}
	zhShopMentions = []string{"你们", "客服", "卖家", "商家", "店家", "店铺", "快递", "物流", "订单", "包裹", "货", "买的", "下单", "退", "付款", "扣款", "收到", "发票", "商品", "产品", "东西",
		"签收", "寄", "送"}
	enElsewhereTargets = map[string]bool{"airline": true, "airlines": true, "landlord": true, "landlords": true, "council": true, "employer": true,
		// "my boss is awful", "the neighbours are so loud, who do I complain to"
		"traffic": true, "boss": true, "neighbour": true, "neighbours": true,
		"neighbor": true, "neighbors": true, "mondays": true,
		// "my wife is angry with me, any advice"
		"wife": true, "husband": true, "girlfriend": true, "boyfriend": true, "mum": true, "mom": true, "dad": true,
		// "my internet provider is useless"
		"provider": true, "isp": true, "broadband": true,
		// "how do I escalate a complaint with my energy supplier"
		"supplier": true, "energy": true, "insurer": true,
		// "how do I report a scam to the police"; not "I'll report you to
		// the police", which names the shop.
		"police": true, "cops": true}
	// enAskedOfYou, before "you", ask the bot for something.
	enAskedOfYou   = map[string]bool{"can": true, "could": true, "would": true, "will": true}
	enShopMentions = map[string]bool{"you": true, "your": true, "yours": true, "order": true, "orders": true, "parcel": true, "package": true,
		"delivery": true, "courier": true, "item": true, "items": true, "refund": true, "shop": true, "store": true, "website": true, "site": true,
		"bought": true, "purchase": true, "seller": true, "product": true, "products": true, "received": true, "arrived": true,
		"signed": true, "delivered": true, "left": true, "box": true}
)

// complaintElsewhere reports whether text complains of another business
// and names neither the shop nor anything bought from it.
func complaintElsewhere(text string, ws []string) bool {
	// Another business's service is no mention of the shop's: "航空公司的客服
	// 怎么投诉" complains of the airline.
	if containsAny(text, zhElsewhereTargets) && !containsAny(dropOthersService(text), zhShopMentions) {
		return true
	}
	if enNamesOtherBusiness(ws) {
		// Named, another business is what is complained of unless the
		// shop is named too: "China Mobile sent me an invoice for data I
		// never used, how do I complain?", "how do I report a scam seller
		// on Xianyu?" (its seller is no shop's).
		for _, w := range ws {
			if enShopNamed[w] {
				return false
			}
		}
		return true
	}
	target := false
	for i, w := range ws {
		// "can you help me write a complaint to my landlord": the bot
		// asked for help, not the shop complained of.
		if w == "you" && i > 0 && enAskedOfYou[ws[i-1]] {
			continue
		}
		if enShopMentions[w] {
			return false
		}
		target = target || enElsewhereTargets[w] || (w == "scam" || w == "spam") && i+1 < len(ws) && enScamKinds[ws[i+1]]
	}
	return target
}

// complaintToNamed reports whether ws, the words of text, complain to or of
// a business written as a name (enProperNames) and name nothing of the
// shop's: "how do I complain to Expedia's customer service". The names are
// read only when a complaint is named.
func complaintToNamed(ws []string, text string) bool {
	var names map[string]bool
	for _, w := range ws {
		if enShopNamed[w] || enShopMentions[w] {
			return false
		}
	}
	for i, w := range ws {
		if w != "complain" && w != "complaint" && w != "complaints" {
			continue
		}
		if names == nil {
			names = enProperNames(text)
		}
		for j := i + 1; j < len(ws) && j <= i+3 && ws[j] != clauseBreak; j++ {
			if enNamedOther(ws[j], names) {
				return true
			}
		}
	}
	return false
}

// enElsewhereNamed are businesses other than the shop named by one word;
// enNamesOtherBusiness also finds "China Mobile" and the like. enShopNamed
// name the shop itself.
var (
	enElsewhereNamed = map[string]bool{"xianyu": true, "idlefish": true, "unicom": true, "telecom": true, "verizon": true, "vodafone": true,
		// Food delivery, rides, other shops: "my Meituan order never came,
		// how do I complain to them".
		"meituan": true, "eleme": true, "didi": true, "uniqlo": true, "pinduoduo": true, "starbucks": true}
	enShopNamed = map[string]bool{"you": true, "your": true, "yours": true, "shop": true, "store": true, "website": true, "site": true, "spruce": true}
)

// enNamesOtherBusiness reports whether ws name a business other than the
// shop (enElsewhereNamed, "China Mobile").
func enNamesOtherBusiness(ws []string) bool {
	for i, w := range ws {
		if enElsewhereNamed[w] || w == "mobile" && i > 0 && ws[i-1] == "china" {
			return true
		}
	}
	return false
}

// enScamKinds, after "scam" or "spam", name a scam that reached the
// customer from elsewhere: "how do I report a scam call".
var enScamKinds = map[string]bool{"call": true, "calls": true, "caller": true, "callers": true, "text": true, "texts": true,
	"email": true, "emails": true, "message": true, "messages": true, "sms": true}

// IsComplaint reports whether text contains complaint or anger words, in
// Chinese or English, and is not a complaint about another business
// (complaintElsewhere).
func IsComplaint(text string) bool {
	text = hanzi.Fold(text)
	lower := strings.ToLower(text)
	ws := words(lower)
	if complaintElsewhere(lower, ws) || complaintToNamed(ws, text) {
		return false
	}
	for _, c := range zhComplaintThings {
		text = strings.ReplaceAll(text, c, " ")
	}
	// Another business's complaint line asked for (申通的投诉电话是多少) is
	// no complaint here.
	text = dropOthersService(text)
	// 我要投素: the complaint word misheard, not 投宿 (to stay the night).
	text = zhFixHeard(text, zhComplaintHeard, zhComplaintHeardWords)
	if containsAny(text, zhComplaint) || containsAny(text, zhDemands) && !containsAny(text, zhAsking) {
		return true
	}
	// The police called on the shop: "你们再不退款我就报警"; not "我被骗了
	// 怎么报警", which names nothing of the shop's.
	if containsAny(text, zhPolice) && containsAny(text, zhShopMentions) {
		return true
	}
	for i := range ws {
		for _, p := range enComplaint {
			if hasPrefix(ws[i:], p) && !(len(p) == 1 && i+1 < len(ws) && enSenses[ws[i+1]]) {
				return true
			}
		}
	}
	return false
}

// zhComplaintHeard are the complaint words a homophone typo is read as;
// zhComplaintHeardWords the words of their own that sound like them.
var (
	zhComplaintHeard      = []string{"投诉", "差评"}
	zhComplaintHeardWords = []string{"投宿", "插瓶"}
)

// zhPolice call the police.
var zhPolice = []string{"报警", "找警察", "叫警察", "报案"}

// zhComplaintThings are things named with a complaint word: spam (垃圾短信),
// bins and bags (垃圾桶, 垃圾袋), sorting rubbish. "注册以后一直收到垃圾短信，
// 你们会把手机号给别人吗" asks about privacy, calmly.
var zhComplaintThings = []string{"垃圾短信", "垃圾邮件", "垃圾电话", "垃圾信息", "垃圾广告", "垃圾分类", "垃圾袋", "垃圾桶", "垃圾箱",
	"垃圾篓", "垃圾车", "垃圾处理", "垃圾站", "垃圾场"}

// enSenses after a complaint word say what a product does, not how the
// customer feels: "my fridge is making a horrible noise, is it covered",
// "the jacket has an awful smell".
var enSenses = map[string]bool{"noise": true, "noises": true, "sound": true, "sounds": true, "smell": true,
	"smells": true, "odour": true, "odor": true, "taste": true, "rattle": true, "squeak": true, "buzzing": true,
	// Or name a thing: "rubbish bags", "a garbage disposal".
	"bag": true, "bags": true, "bin": true, "bins": true, "can": true, "cans": true, "disposal": true,
	"collection": true, "truck": true}
