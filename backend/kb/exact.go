package kb

import (
	"regexp"
	"strings"
)

// An exact address or number, an answer kind (answerkind.go): "what is
// the exact address of the Hangzhou store" is about stores, and the pickup
// entry names the cities that have one, not where they are; "你们仓库在哪个
// 城市" is about the warehouse, which no entry places. An entry gives an
// address or a number when its answer, in either language, holds one (a
// street and its number, a telephone number). "Where are your stores"
// asks which cities, and the pickup entry answers it; "收货地址在哪改" asks
// where to change an address, not for one.
var (
	asksExactZH = regexp.MustCompile(`具体地址|详细地址|地址是(?:多少|什么|哪)|哪条街|哪条路|门牌号(?:是)?多少|(?:仓库|公司|总部|办公室|发货地)(?:在|是)(?:哪|什么地方)|(?:门店|商店|店铺|公司|总部|仓库)的?(?:电话|座机|联系电话)(?:是)?(?:多少|号码)?`)
	asksExactEN = regexp.MustCompile(`\b(?:exact|full|street|physical|postal|mailing) address\b|\bwhat(?:'s| is| are) (?:the |your )?(?:exact |full |street )?address(?:es)? (?:of|for) (?:the|your) (?:\w+ )?(?:stores?|shops?|office|warehouse|head office|headquarters|company)\b|\bwhich street\b|\b(?:phone|telephone|contact) number (?:of|for) (?:the|your) (?:\w+ )?(?:stores?|shops?|office|warehouse)\b|\bwhere (?:is|are) (?:your|the) (?:warehouse|head office|headquarters|offices?|servers?)\b`)

	givesExactZH = regexp.MustCompile(`[路街道巷]\s*\d+\s*号|\d{3,4}[-\s]?\d{7,8}|400[-\s]?\d{3}[-\s]?\d{4}|1[3-9]\d{9}`)
	givesExactEN = regexp.MustCompile(`\b\d+\s+[A-Z][a-z]+(?:\s+[A-Z][a-z]+)*\s+(?:Road|Street|Avenue|Rd|St|Ave)\b|\+?\d[\d\s-]{7,}\d`)
)

// asksExact reports whether an asking clause asks for an exact address
// or a telephone number.
func asksExact(clause string) bool {
	return asksExactZH.MatchString(clause) || asksExactEN.MatchString(strings.ToLower(clause))
}

// givesExact reports whether the entry's answer holds an address or a
// telephone number in either language.
func givesExact(e Entry) bool {
	return givesExactZH.MatchString(e.Answer.ZH) || givesExactEN.MatchString(e.Answer.EN)
}
