package kb

import (
	"regexp"

	"switchboard/backend/lexicon"
)

// Goods wanted by the fifty or the hundred ("I want to buy 100 for my
// company", 公司要买200件, 订两百份, "we need 50 units") are a bulk order, whatever
// else is named, though the lexicon's bulk words ("in bulk", 批量) are not
// said. Fewer ("20 pencils for school") are a household's; an order's number
// ("where is order 20261203-5521") is none.
var (
	enManyWanted = regexp.MustCompile(`(?i)\b(?:buy|order|purchase|need|want|get)\s+(?:about\s+|around\s+|over\s+|at least\s+)?(?:[5-9][0-9]|[1-9][0-9]{2,3})(?:\s+(?:units|pieces|pcs|items|sets|boxes|pairs|of them|of these))?(?:$|[^\w\-/#])`)
	zhManyWanted = regexp.MustCompile(`(?:买|要|订|采购|拿|购买|定)\s*(?:[5-9][0-9]|[1-9][0-9]{2,}|几十|几百|上百|上千|[一二两三四五六七八九]?[百千万][一二三四五六七八九十]*|[五六七八九]十[一二三四五六七八九]?)\s*(?:个|件|份|台|套|箱|只|双|条|瓶|盒|张)`)
)

// bulkConcept is the concept of goods wanted in number.
const (
	bulkConcept    = "bulk-order"
	termManyWanted = "many wanted"
)

// manyWanted returns ms with a match of bulkConcept where text wants goods
// by the fifty or more.
func manyWanted(text string, ms []lexicon.Match) []lexicon.Match {
	loc := enManyWanted.FindStringIndex(text)
	if loc == nil {
		loc = zhManyWanted.FindStringIndex(text)
	}
	if loc == nil {
		return ms
	}
	return append(ms, construction(bulkConcept, termManyWanted, loc[0], loc[1]))
}
