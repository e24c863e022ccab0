package kb

import (
	"regexp"

	"switchboard/backend/lexicon"
)

// The shop's things asked about in general, not as the customer's own
// case: where a word or a day comes from (优惠券为什么叫优惠券, 双十一的由来),
// how a kind of business makes its money (会员制的商业模式, "how do online
// stores make money"), what technology a chatbot runs on, which software to
// buy for orders, writing a letter for someone, the customer's own tax
// accounting (增值税发票怎么认证抵扣), shopping online against in a store, and
// what a thing is generally made of. Each names one of the shop's nouns
// (coupons, membership, invoices, orders, packaging), whose entry answers
// the customer's own case and not these.
var generalTopics = []sense{
	{
		concept: "elsewhere-knowledge",
		needs: []string{"为什么", "由来", "起源", "发明", "诞生", "商业模式", "盈利模式", "赚钱", "技术", "原理", "实现的", "推荐", "好用", "写一封", "邮件", "抵扣", "报税", "进项", "销项", "网购", "实体店", "网上买", "一般用", "材料", "excel", "word", "wps", "ppt", "powerpoint",
			"called", "history", "origin", "invented", "business model", "make money", "make a profit", "technology", "tech", "bot", "recommend", "suggest", "write", "draft", "vat", "tax", "online shopping", "why do", "cheaper to shop", "better to shop", "percentage"},
		zh: regexp.MustCompile(`为什么(?:叫做|被称为|被叫做|叫[^我你他她们])|的由来|的起源|是谁发明的|谁发明的|怎么诞生的` +
			`|商业模式|盈利模式|赚钱模式|(?:是)?(?:怎么|如何|靠什么)赚钱的?` +
			`|用的是什么技术|用什么技术(?:做|实现|开发)|什么原理|的原理是|是怎么实现的` +
			`|(?:推荐|推荐一个|推荐个|有什么好用的|哪个好用的?)[^，。？！?!,]{0,4}?(?:系统|软件|工具|插件)|(?:系统|软件|工具)(?:推荐一个|推荐个|推荐|哪个好用)` +
			`|(?:怎么|帮我|如何)写一封|英文邮件` +
			`|认证抵扣|抵扣进项|进项税|销项税|报税` +
			`|(?:网购|电商|网上买)[^，。？！?!,]{0,4}?(?:和|跟|与|还是)(?:在)?(?:实体店|线下)|(?:实体店|线下)[^，。？！?!,]{0,4}?(?:和|跟|与|还是)(?:在)?(?:网购|电商|网上买)` +
			`|一般(?:用|是)什么材料` +
			// Office software used: 怎么在Excel里做表格.
			`|(?i:(?:在|用)(?:excel|word|wps|ppt|powerpoint)(?:里|中|上)?(?:怎么|做|画|写|打))`),
		en: regexp.MustCompile(`(?i)\bwhy\s+(?:is|are)\s+(?:it|they|\w+)\s+called\b|\b(?:history|origin)\s+of\s+(?:black friday|cyber monday|singles'? day|coupons?|online shopping|e-?commerce)\b|\bwho\s+invented\b` +
			`|\bbusiness\s+model\b|\bhow\s+do(?:es)?\s+(?:online\s+(?:stores?|shops?|retailers?)|e-?commerce\s+(?:sites?|companies)|dropshippers?|shops?|retailers?)\s+make\s+(?:money|a profit)\b` +
			`|\bwhat\s+(?:technology|tech|ai|model)\s+(?:do|does)\s+(?:chat\s*bots?|bots?|you)\s+use\b|\bhow\s+(?:do|does)\s+(?:a\s+)?chat\s*bots?\s+work\b` +
			`|\b(?:recommend|suggest)\s+(?:a|an|some|any)\s+(?:good\s+)?(?:order management|inventory|invoicing|accounting|crm|shipping)\s+(?:system|software|tool|app)s?\b` +
			`|\b(?:help\s+me\s+)?(?:write|draft)\s+(?:a|an)\s+(?:\w+\s+){0,3}?(?:email|letter)\b` +
			`|\b(?:vat|input tax|sales tax)\s+(?:deduction|return|filing|refund)\b|\bclaim\s+(?:back\s+)?(?:the\s+)?vat\b` +
			`|\bonline\s+shopping\s+(?:vs\.?|versus|or)\s+(?:in[- ]store|shops?|stores?)\b` +
			// Retail as a trade: why shops do what they do, when shopping
			// is cheaper, a term in a field, a share of all orders.
			`|\bwhy\s+do\s+(?:shops|stores|retailers|companies|brands|online stores)\b|\bis\s+it\s+(?:cheaper|better)\s+to\s+shop\b` +
			`|\bwhat\s+percentage\s+of\b`),
	},
	{
		// A term in a field: "what is a loyalty program in marketing".
		concept: "elsewhere-knowledge",
		needs:   []string{"marketing", "economics", "business", "retail", "accounting", "logistics", "management", "real estate", " law", "insurance", "finance", "banking"},
		en:      regexp.MustCompile(`(?i)\bwhat\s+(?:is|are|does)\s+[^?.!]{0,40}?\bin\s+(?:marketing|economics|business|retail|accounting|logistics|warehouse management|inventory management|supply chain management|real estate|law|insurance|finance|banking)\b`),
	},
	{
		// The customer's own shop run, asked for advice: "how do I set up a
		// return policy for my online store", "what payment methods should
		// my store accept", "offer gift wrapping to my customers", 我开了个
		// 小店，退货政策怎么定 (网店 as the speller may leave it: 网点). Not
		// buying for one's business ("an invoice
		// for my company", "a discount for my business"): the shop is run,
		// not supplied.
		concept: "elsewhere-merchant",
		needs:   []string{"my", "我的", "我开", "我自己", "我们公司", "我们店"},
		zh:      regexp.MustCompile(`(?:我(?:自己)?(?:开)?的(?:网店|网点|店铺|小店|\p{Han}{0,2}店)|我开了(?:个|一个|家|一家)?(?:小店|网店|网点|店铺|\p{Han}{0,2}店)|我们(?:公司|店)的)[^。？！?!]{0,12}?(?:设置|设计|制定|怎么定|应该用|应该选|怎么运营|怎么经营)`),
		en: regexp.MustCompile(`(?i)\b(?:should|does|can|do)\s+my\s+(?:own\s+)?(?:small\s+)?(?:online\s+|etsy\s+|shopify\s+|ebay\s+)?(?:store|shop|restaurant|cafe|boutique)\s+(?:use|accept|offer|take|charge|ship|dispatch)\b` +
			`|\b(?:set\s+up|setup|run|price|handle|create|design|offer)\w*\s+(?:\w+\s+){0,4}?(?:for|in|at)\s+my\s+(?:own\s+)?(?:small\s+)?(?:online\s+|etsy\s+|shopify\s+|ebay\s+)?(?:store|shop|restaurant|cafe|boutique)\b` +
			`|\b(?:offer|sell|ship|give)\w*\s+(?:\w+\s+){0,3}?to\s+my\s+(?:own\s+)?customers\b`),
	},
	{
		// What a thing costs the shop: 包邮是怎么算成本的.
		concept: "elsewhere-merchant",
		needs:   []string{"成本", "cost"},
		zh:      regexp.MustCompile(`怎么算成本|成本(?:是)?(?:怎么算|多少|有多高)`),
		en:      regexp.MustCompile(`(?i)\bwhat\s+(?:does|do)\s+(?:it|free shipping|shipping|returns?|packaging)\s+cost\s+(?:you|the (?:shop|store|company))\b`),
	},
}

// termGeneral is the term of the construction's match.
const termGeneral = "the shop's things asked about in general"

// aboutInGeneral returns ms with a match of a topic outside the shop when
// text asks about one of the shop's things in general (generalTopics).
func aboutInGeneral(text string, ms []lexicon.Match) []lexicon.Match {
	return firstSense(text, ms, generalTopics, termGeneral)
}
