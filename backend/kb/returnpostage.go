package kb

import (
	"regexp"

	"switchboard/backend/lexicon"
)

// Goods sent back and then their postage named ("退回去的运费你们报销吗",
// "要是质量问题退回去，运费你们出吧") ask who pays the return postage: the
// lexicon reads the sending back and the postage apart (a return, the
// shipping fee), and a fault named before them (质量问题) outweighed both.
var zhReturnPostage = regexp.MustCompile(`(?:退回去|寄回去|寄回来|退回|寄回|退货|退的|退换货|退换)[^，。！？,.!?；;]{0,6}?[，,]?\s*(?:的)?(?:来回)?(?:运费|邮费|快递费)`)

const termReturnPostage = "return postage"

// returnPostage returns ms with a match of the return postage's concept
// over goods sent back and their postage.
func returnPostage(text string, ms []lexicon.Match) []lexicon.Match {
	loc := zhReturnPostage.FindStringIndex(text)
	if loc == nil {
		return ms
	}
	return append(ms, construction("return-shipping-fee", termReturnPostage, loc[0], loc[1]))
}
