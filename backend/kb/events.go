package kb

import (
	"regexp"
	"slices"

	"switchboard/backend/lexicon"
)

// What happened to a customer's order is often told in times rather than in
// the lexicon's words: a delivery promised for a day now past ("was supposed
// to arrive on the 3rd, it's now the 9th", 说好三天到，现在都一周了) is a late
// delivery, and goods that stopped working months after they were bought
// ("my kettle stopped working after 10 months", 用了三个月就坏了) a question
// for the warranty rather than an item that arrived damaged. events finds
// these constructions in a customer's text (termsOf, for a query only).
var (
	// enPromised: what the customer was told or expected.
	enPromised = regexp.MustCompile(`(?i)\b(?:supposed to|meant to|should have|should've|was due|were due|due on|due by|expected|estimated|estimate|promised|you said|it said|said it would|guaranteed)\b`)
	// enTimeWord: a day, a date or a span.
	enTimeWord = regexp.MustCompile(`(?i)\b(?:\d+(?:st|nd|rd|th)?|days?|weeks?|monday|tuesday|wednesday|thursday|friday|saturday|sunday|tomorrow|yesterday|ago|by)\b`)
	// enLater: the time now, after the promise.
	enLater = regexp.MustCompile(`(?i)\b(?:now|today|it'?s been|its been|been \d+|still|already|and it'?s|and its)\b`)

	// enRefundWord, zhRefundWord: a promise of money back is a refund's
	// time, not a delivery's ("you said you would refund me 5 days ago").
	enRefundWord = regexp.MustCompile(`(?i)\b(?:refund|refunded|refunds|money|reimburse|reimbursed|credited)\b`)
	zhRefundWord = regexp.MustCompile(`退款|退钱|钱|到账|退回`)

	zhPromised = regexp.MustCompile(`说好|预计|应该|页面写|页面上写|写的|写着|承诺|说是|本来|答应|保证`)
	zhTimeWord = regexp.MustCompile(`[0-9一二两三四五六七八九十几]+(?:天|日|号|周|个星期|星期|礼拜)|周[一二三四五六日天]|星期[一二三四五六日天]|前天|昨天|今天|明天`)
	zhLater    = regexp.MustCompile(`现在|今天|已经|都[0-9一二两三四五六七八九十几周星第]|还没|还是没|仍然没|第[0-9一二两三四五六七八九十]+天`)

	// enBrokeAfter: stopped working after months or years, or bought
	// months ago and then broke.
	enBrokeAfter = regexp.MustCompile(`(?i)\b(?:stopped|broke|broken|died|quit|packed up|gave up|faulty|not working|stopped working|doesn'?t work|won'?t turn on|stopped charging)\b[^.?!;]{0,30}?\b(?:after|within)\s+(?:\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|eighteen|a few|several|only)\s+(?:weeks?|months?|years?)\b`)
	enBoughtAgo  = regexp.MustCompile(`(?i)\b(?:bought|had|purchased|got|ordered)\b[^.?!;]{0,30}?\b(?:\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|a few|several)\s+(?:months?|years?)\s+ago\b[^.?!]{0,40}?\b(?:stopped|broke|died|quit|faulty|not working|doesn'?t work|won'?t|packed up)`)
	// zhBrokeAfter: 用了三个月就坏了, 买了半年的吹风机不转了.
	zhBrokeAfter = regexp.MustCompile(`(?:用了|才用了|用|买了|买来|买回来|到手)(?:[0-9一二两三四五六七八九十几半]+|半)(?:个)?(?:多)?(?:月|年)(?:多)?[^，。？！?!]{0,10}?(?:坏|不转|不制冷|不工作|不亮|不能用|用不了|没反应|故障|不行了|开不了机|充不进电|不出水|不加热|漏水)`)
)

// Concepts the constructions stand for, and the term of a warranty
// construction's match.
const (
	lateConcept     = "late-delivery"
	warrantyConcept = "warranty"
	brokeAfterTerm  = "broke months after"
)

// events returns the lexicon matches of the constructions in text.
func events(text string) []lexicon.Match {
	var ms []lexicon.Match
	if enRefundWord.MatchString(text) || zhRefundWord.MatchString(text) {
		// No late delivery.
	} else if loc, ok := promisedThenLater(text, enPromised, enTimeWord, enLater); ok {
		ms = append(ms, lexicon.Match{Concepts: []string{lateConcept}, Term: "promised date past", Start: loc[0], End: loc[1]})
	} else if loc, ok := promisedThenLater(text, zhPromised, zhTimeWord, zhLater); ok {
		ms = append(ms, lexicon.Match{Concepts: []string{lateConcept}, Term: "promised date past", Start: loc[0], End: loc[1]})
	}
	for _, re := range []*regexp.Regexp{enBrokeAfter, enBoughtAgo, zhBrokeAfter} {
		if loc := re.FindStringIndex(text); loc != nil {
			ms = append(ms, lexicon.Match{Concepts: []string{warrantyConcept}, Term: brokeAfterTerm, Start: loc[0], End: loc[1]})
			break
		}
	}
	return ms
}

// damageConcepts are the concepts of goods that broke, which a warranty
// construction stands for in its span (brokeAfter: "stopped working after
// 10 months" is a question for the warranty, not damage on arrival).
var damageConcepts = map[string]bool{"damaged-item": true, "defective": true, "quality": true}

// withoutCoveredDamage drops from ms the matches of damageConcepts inside
// the span of a warranty construction among them.
func withoutCoveredDamage(ms []lexicon.Match) []lexicon.Match {
	for _, w := range ms {
		if w.Term != brokeAfterTerm {
			continue
		}
		return slices.DeleteFunc(ms, func(m lexicon.Match) bool {
			if m.Start < w.Start || m.End > w.End || m.Term == brokeAfterTerm {
				return false
			}
			for _, id := range m.Concepts {
				if !damageConcepts[id] {
					return false
				}
			}
			return true
		})
	}
	return ms
}

// promisedThenLater finds a promise, a time word after it and a word of
// now after that, and returns the span from the promise to the word of
// now.
func promisedThenLater(text string, promised, time, later *regexp.Regexp) ([]int, bool) {
	p := promised.FindStringIndex(text)
	if p == nil {
		return nil, false
	}
	t := time.FindStringIndex(text[p[1]:])
	if t == nil {
		return nil, false
	}
	after := p[1] + t[1]
	l := later.FindStringIndex(text[after:])
	if l == nil {
		// The word of now may come before the time: "should have been
		// delivered two days ago" tells it by "ago".
		if ago := agoAt(text[p[1]:]); ago != nil {
			return []int{p[0], p[1] + ago[1]}, true
		}
		return nil, false
	}
	return []int{p[0], after + l[1]}, true
}

var enAgo = regexp.MustCompile(`(?i)\b(?:\d+|a|an|one|two|three|four|five|six|seven|a few|several)\s+(?:days?|weeks?)\s+ago\b|前天|昨天就`)

// agoAt finds a span of days in the past: "two days ago", 前天.
func agoAt(s string) []int { return enAgo.FindStringIndex(s) }
