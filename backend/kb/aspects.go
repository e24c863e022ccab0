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
}

var aspects = []aspect{
	{"expiry", []string{"过期", "有效期", "失效", "到期", "多久有效", "清零"},
		regexp.MustCompile(`\bexpir(?:e|es|ed|y|ing|ation)\b|\bvalid (?:for|until)\b|\bvalidity\b`)},
	{"hand on", []string{"转给", "转让", "给别人用", "给家人用", "给朋友用", "共享", "过户", "送给别人用"},
		// Not "share my data with", which asks about privacy.
		regexp.MustCompile(`\btransferable\b|\btransfer (?:it|them|my \w+) to\b|\bshare (?:it|them|my (?:membership|account|points|coupons?|vouchers?|card|benefits|discount|vip)) with\b|\bgive (?:it|them|my \w+) to (?:someone|somebody|my|a friend)\b`)},
	{"combine", []string{"叠加", "一起用", "同时用", "同时使用", "一起使用", "合并使用", "叠用"},
		regexp.MustCompile(`\bstack(?:ed|ing|able)?\b|\bcombine[ds]? (?:it |them )?with\b|\buse (?:two|both|2|multiple) \w+ (?:together|at once|at the same time)\b`)},
	{"downgrade", []string{"降级", "会降", "掉级", "降等级", "等级会掉"},
		regexp.MustCompile(`\bdowngrad(?:e|ed|es|ing)\b`)},
	{"pay early", []string{"提前还", "提前结清", "提前还清", "提前还款"},
		regexp.MustCompile(`\bpay (?:\w+ )?off (?:\w+ )?early\b|\bearly (?:re)?payment\b|\brepay early\b`)},
	{"issue again", []string{"重开", "重新开", "换开", "红冲"},
		regexp.MustCompile(`\bre-?issue[ds]?\b|\bre-?issuing\b`)},
}

// aspectShare is the share of its confidence that an answer keeps when the
// text names an aspect the best entry does not cover.
const aspectShare = 0.25

// aspectsIn returns the aspects text names, one bit each.
func aspectsIn(text string) uint32 {
	lower := strings.ToLower(text)
	var set uint32
	for i, a := range aspects {
		if containsAnyString(lower, a.zh) || a.en.MatchString(lower) {
			set |= 1 << i
		}
	}
	return set
}

// entryAspects returns the aspects the entry's own texts name.
func entryAspects(e Entry) uint32 {
	var set uint32
	for _, t := range append(append([]string{e.Answer.ZH, e.Answer.EN}, e.Questions.ZH...), e.Questions.EN...) {
		set |= aspectsIn(t)
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
