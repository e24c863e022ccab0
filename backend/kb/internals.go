package kb

import (
	"regexp"
	"strings"

	"switchboard/backend/lexicon"
)

// The shop's own business asked about as a business, not as a customer
// uses it (你们的会员有多少人, 你们积分系统是谁开发的, 你们的优惠券是怎么设计的, "how
// many members do you have", "who built your points system"): its figures,
// the systems it runs on and how its things were made. Each names one of
// the shop's nouns, which would answer from that noun's entry (membership,
// points, coupons). How the customer uses the thing (会员有什么好处, 积分怎么
// 用, "how does your points system work") stays that entry's question.
var (
	// How many of the shop's people or orders there are, the question
	// ending there: not 会员有多少折扣, 一天能发多少件 (a bulk order's).
	zhInternalCount = regexp.MustCompile(`(?:会员|用户|客户|顾客|员工|粉丝|客服)(?:有|一共有|总共有|大概有|大约有)?多少(?:人|个人|位|个)?(?:$|[？?。！!，,]|呀|啊|呢|吗)` +
		`|(?:一天|每天|一个月|每个月|一年|每年)(?:能|可以|大概|大约|一共)?(?:有|卖|接|做|出)(?:多少)(?:订单|单|钱|营业额)(?:$|[？?。！!，,]|呀|啊|呢|吗)`)
	// Who made a system, and how a thing was made.
	zhInternalMade = regexp.MustCompile(`(?:系统|软件|接口|后台|程序|网站|小程序|app|APP|ERP|erp)(?:是)?(?:谁|哪家公司|哪个公司|什么公司|哪家)(?:开发|做|写|设计|搭建)的` +
		`|(?:系统|接口|后台|ERP|erp)(?:用的|用)(?:是)?(?:哪家|谁家)` +
		`|(?:是)?怎么(?:设计|做出来|开发|搭建)的`)
	enInternalCount = regexp.MustCompile(`(?i)\bhow many\s+(?:members|customers|users|employees|staff|orders|subscribers)\s+(?:do|does|did)\s+(?:you|your\s+\w+|the\s+(?:shop|store|company))\s+(?:have|get|ship|process|handle)\b`)
	enInternalMade  = regexp.MustCompile(`(?i)\b(?:who|which company)\s+(?:built|made|developed|designed|coded|wrote)\s+(?:your|the)\s+(?:\w+\s+){0,2}?(?:system|software|website|site|app|platform|backend|chart|program)\b` +
		`|\b(?:system|software|website|site|app|platform|backend)\s+(?:is\s+|was\s+)?(?:built|made|developed|coded)\s+(?:by|with|in|on)\b`)
)

// internalNeeds pairs each expression with the words one of which, and
// then one of the second, it needs: most texts are spared the
// expressions.
var internalNeeds = []struct {
	re          *regexp.Regexp
	first, also []string
}{
	{zhInternalCount, []string{"多少"}, []string{"会员", "用户", "客户", "顾客", "员工", "粉丝", "客服", "一天", "每天", "个月", "一年", "每年"}},
	{zhInternalMade, []string{"开发", "做", "写", "设计", "搭建", "哪家", "谁家"}, []string{"的", "哪家", "谁家"}},
	{enInternalCount, []string{"how many"}, []string{"have", "get", "ship", "process", "handle"}},
	{enInternalMade, []string{"built", "made", "developed", "designed", "coded", "wrote"}, []string{"who", "which company", " by", " with", " in", " on"}},
}

// termInternals is the term of the construction's match.
const termInternals = "the shop's business asked about"

// shopInternals returns ms with a match of the business side of the shop
// (elsewhere-merchant) when text asks about the shop's own figures,
// systems or how its things were made.
func shopInternals(text string, ms []lexicon.Match) []lexicon.Match {
	lower := strings.ToLower(text)
	for _, n := range internalNeeds {
		if !containsAnyString(lower, n.first) || !containsAnyString(lower, n.also) {
			continue
		}
		if loc := n.re.FindStringIndex(text); loc != nil {
			return append(ms, construction("elsewhere-merchant", termInternals, loc[0], loc[1]))
		}
	}
	return ms
}
