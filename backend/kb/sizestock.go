package kb

import (
	"regexp"
	"slices"

	"switchboard/backend/lexicon"
)

// A size asked for as goods still there ("do you still have this in a size
// 8", "is there a size 8 left", 有L码吗, 还有38码的吗) asks about stock, not
// which size to choose: the size's words made them size questions.
var (
	enSizeInStock = []*regexp.Regexp{
		// have this in a size 8, got these in size M
		regexp.MustCompile(`(?i)\b(?:have|got|stock|carry)\b(?:\s+\w+){0,3}?\s+in\s+(?:a\s+|an\s+)?(?:size|sz)\s+\w+`),
		// a size 8 left, size M available, size 10 back in stock
		regexp.MustCompile(`(?i)\b(?:size|sz)\s+\w+s?\s+(?:left|available|in stock|still available|back in stock|back|remaining|sold out)\b`),
		// any size 8s, are there any 10s
		regexp.MustCompile(`(?i)\b(?:any|any more|anymore)\s+(?:(?:in\s+)?(?:a\s+)?(?:size|sz)\s+\w+|\d{1,2}s)\b`),
		// A size, colour or capacity named bare: "can I get it in red", "do
		// you have this in XL", "does it come in navy"; not "I ordered it in
		// red" or "I got it in XL", which the order's and the exchange's
		// questions read.
		regexp.MustCompile(`(?i)\b(?:have|get|stock|carry|come|comes|(?:you|u|they)\s+got)\b(?:\s+\w+){0,3}?\s+in\s+(?:a\s+|an\s+)?(?:xxs|xs|xl|xxl|xxxl|2xl|3xl|small|medium|large|extra large|red|blue|black|white|green|pink|grey|gray|yellow|purple|navy|beige|brown|orange|silver|gold|another colou?r|a different colou?r|other colou?rs|\d+\s?(?:gb|tb))\b`),
		// the 256GB version available, a 1TB one left
		regexp.MustCompile(`(?i)\b\d+\s?(?:gb|tb)\b(?:\s+\w+){0,2}?\s+(?:available|in stock|left|sold out|back in stock)\b`),
		// other colours, any in pink, a bigger size available, have it in a 10
		regexp.MustCompile(`(?i)\b(?:any|are there|is there|do you have|got)\s+(?:any\s+)?(?:other|more|different)\s+colou?rs?\b`),
		regexp.MustCompile(`(?i)\bany\s+in\s+(?:red|blue|black|white|green|pink|grey|gray|yellow|purple|navy|beige|brown|orange|silver|gold|xs|xl|xxl|small|medium|large)\b`),
		regexp.MustCompile(`(?i)\b(?:bigger|smaller|larger)\s+(?:size|one)\s+(?:available|in stock|left)\b`),
		regexp.MustCompile(`(?i)\b(?:have|get|(?:you|u|they)\s+got)\s+(?:it|this|these|them|one)\s+in\s+(?:a\s+)?\d{1,2}(?:\.5)?\b`),
		// A colour's or a size's one asked for: "is the black one
		// available", "do you have the XL ones", "any of the blue version
		// left"; not "I ordered the black one", which the order's
		// questions read.
		regexp.MustCompile(`(?i)\b(?:the|a|any)\s+` + enColourOrSize + `\s+(?:one|ones|version|versions|model|models)\b(?:\s+\w+){0,2}?\s+(?:available|in stock|left|sold out|back in stock|still available)\b`),
		regexp.MustCompile(`(?i)\b(?:do\s+you\s+(?:still\s+)?have|have\s+you\s+got|(?:you|u)\s+got|is\s+there|are\s+there)\s+(?:the|a|an|any)\s+` + enColourOrSize + `\s+(?:one|ones|version|versions|model|models)\b`),
	}
	zhSizeInStock = []*regexp.Regexp{
		// 有L码吗, 还有38码的吗, 有没有均码
		regexp.MustCompile(`(?:有没有|还有没有|还有|有)\s*(?:[0-9]{2,3}(?:\.5)?|[XxSsMmLl]{1,4}|均|加大|大|小)\s*(?:码|号)(?:的)?(?:吗|么|嘛|没|不|呀|啊)?`),
		// 38码还有吗, XL码有货吗, M号卖完了吗
		regexp.MustCompile(`(?:[0-9]{2,3}(?:\.5)?|[XxSsMmLl]{1,4}|均)\s*(?:码|号)(?:的)?\s*(?:还有|有货|有吗|有没有|没了|没货|缺货|卖完|卖光|断货|补货)`),
		// A colour, other colours, a capacity or a bare size asked for: 有白色的吗,
		// 有没有红色, 还有别的颜色吗, 有256G的吗, 这个有XL吗; 黑色还有吗, 蓝色的卖完了吗.
		// Not 有5G吗, the network.
		regexp.MustCompile(`(?:有没有|还有没有|还有|有)\s*(?:` + zhColour + `|(?:别的|其他|其它)(?:颜色|色|款)|[0-9]{2,4}\s*[Gg][Bb]?|[0-9]{1,2}\s*[Tt][Bb]?|[0-9]{1,4}\s*(?:寸|英寸|毫升|ml)|(?:XXS|XS|XXXL|XXL|XL|[2-4]XL|xxl|xl))(?:的)?(?:吗|么|嘛|没|不|呀|啊|？|\?|$)`),
		regexp.MustCompile(`(?:` + zhColour + `)(?:的)?\s*(?:还有|有货|有吗|有没有|没了|没货|缺货|卖完|卖光|断货|补货)`),
	}
)

// enColourOrSize is a colour or a size named.
const enColourOrSize = `(?:xxs|xs|xl|xxl|xxxl|2xl|3xl|small|medium|large|extra large|red|blue|black|white|green|pink|grey|gray|yellow|purple|navy|beige|brown|orange|silver|gold|cream|khaki|\d+\s?(?:gb|tb))`

// zhColour is a colour named: 红色, 藏青色, 黑的 is not one (色 is).
const zhColour = `(?:[红橙黄绿青蓝紫黑白灰粉棕金银米]|藏青|深蓝|浅蓝|天蓝|宝蓝|酒红|玫红|咖啡|卡其|军绿|墨绿|浅灰|深灰|奶白|米白)色`

// stockConcept is the concept a size asked for as goods stands for;
// sizeConcepts are the words of size it reads as its own.
const (
	stockConcept    = "stock"
	termSizeInStock = "size in stock"
)

var sizeConcepts = map[string]bool{"size": true, "shoe-size": true}

// sizeInStock returns ms without the size's matches inside a size asked
// for as goods, and with a match of stockConcept over it.
func sizeInStock(text string, ms []lexicon.Match) []lexicon.Match {
	for _, res := range [][]*regexp.Regexp{enSizeInStock, zhSizeInStock} {
		for _, re := range res {
			loc := re.FindStringIndex(text)
			if loc == nil {
				continue
			}
			ms = slices.DeleteFunc(ms, func(m lexicon.Match) bool {
				return m.Start >= loc[0] && m.End <= loc[1] && onlyConcepts(m, sizeConcepts)
			})
			return append(ms, construction(stockConcept, termSizeInStock, loc[0], loc[1]))
		}
	}
	return ms
}
