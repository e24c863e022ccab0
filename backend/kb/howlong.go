package kb

import (
	"regexp"
	"strings"
)

// How long, an answer kind (answerkind.go): "how long does it take you to
// approve a return" is about returns, and the returns entry says how to
// ask for one, not how long the approval takes; "注销要多久才能完成" is about
// deleting an account, and that entry says where to ask. An entry gives a
// time when its answer, in either language, names one (24 hours, 1–3
// business days, 15 天内, 当天, the hours 9:00–22:00).

// asksHowLongZH are the words of a Chinese question about a length of
// time; notHowLongZH are those that contain one and tell a time instead
// (等了好几天, 前几天买的, 几天了还没到) or ask how long one may still do
// something (付款后多久内可以改, 发货前多久可以改地址), which an answer
// answers with its condition (before the order ships) as well as with a
// time.
var (
	asksHowLongZH = regexp.MustCompile(`多久|多长时间|多少天|几天|几个(?:小时|工作日|星期|礼拜|月)|多少个?(?:小时|工作日)`)
	notHowLongZH  = regexp.MustCompile(`好几天|这几天|前几天|几天前|过几天|没几天|几天了|头几天|最近几天|(?:多久|几天|多长时间)(?:内|之内|以内|前)|前(?:多久|几天)|(?:多久|几天|多长时间)(?:都|还)?可以`)
	asksHowLongEN = regexp.MustCompile(`\bhow (?:long|soon|quickly)\b|\bhow many (?:more )?(?:business |working )?(?:days|hours|weeks|months|minutes)\b`)
	notHowLongEN  = regexp.MustCompile(`\bhow long (?:do|have) (?:i|we) (?:got|have|get)\b|\bhow long before\b|\bhow long after\b.{0,40}\b(?:can|may) (?:i|we)\b|\bhow (?:long|many days) .{0,30}\b(?:allowed|able) to\b`)
)

// givesTimeZH and givesTimeEN match a length or point of time in an
// answer, or the hours of a day (9:00–22:00).
var (
	givesTimeZH = regexp.MustCompile(`[0-9０-９一二两三四五六七八九十百半]+\s*(?:[–\-~～到至]\s*[0-9０-９一二两三四五六七八九十]+\s*)?个?(?:小时|天|日|工作日|周|星期|月|年|分钟)|\d{1,2}[:：]\d{2}|当天|当日|次日|隔天|立即|立刻|马上|实时|即时`)
	givesTimeEN = regexp.MustCompile(`\b(?:\d+|one|two|three|four|five|six|seven|ten|a few|a)(?:\s*[–\-]\s*\d+)?[\s-]+(?:business |working |calendar )?(?:minutes?|hours?|days?|weeks?|months?|years?)\b|\b\d{1,2}:\d{2}\b|\b24/7\b|\bsame[- ]day\b|\bnext[- ]day\b|\bimmediately\b|\binstantly\b|\bright away\b|\breal[- ]time\b`)
)

// asksHowLong reports whether an asking clause asks how long something
// takes.
func asksHowLong(clause string) bool {
	lower := strings.ToLower(clause)
	if asksHowLongEN.MatchString(lower) && !notHowLongEN.MatchString(lower) {
		return true
	}
	return asksHowLongZH.MatchString(notHowLongZH.ReplaceAllString(lower, ""))
}

// givesTime reports whether the entry's answer names a length or point of
// time in either language.
func givesTime(e Entry) bool {
	return givesTimeZH.MatchString(e.Answer.ZH) || givesTimeEN.MatchString(strings.ToLower(e.Answer.EN))
}
