package kb

import (
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

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
	enPromised = regexp.MustCompile(`(?i)\b(?:supposed to|meant to|should have|should've|was due|were due|due on|due by|expected|estimated|estimate|promised|you said|it said|said it would|guaranteed|quoted|(?:site|website|page|listing|app|email|confirmation)\s+(?:said|says|stated|showed))\b`)
	// enTimeWord: a day, a date or a span.
	enTimeWord = regexp.MustCompile(`(?i)\b(?:\d+(?:st|nd|rd|th)?|days?|weeks?|monday|tuesday|wednesday|thursday|friday|saturday|sunday|tomorrow|yesterday|ago|by)\b`)
	// enLater: the time now, after the promise.
	// The text is read with its contractions written out ("it has
	// been").
	enLater = regexp.MustCompile(`(?i)\b(?:now|today|it'?s been|its been|it has been|has been|been \d+|still|already|and it'?s|and its|and it is)\b`)

	// enRefundWord, zhRefundWord: a promise of money back is a refund's
	// time, not a delivery's ("you said you would refund me 5 days ago").
	enRefundWord = regexp.MustCompile(`(?i)\b(?:refund|refunded|refunds|money|reimburse|reimbursed|credited)\b`)
	zhRefundWord = regexp.MustCompile(`退款|退钱|钱|到账|退回`)

	zhPromised = regexp.MustCompile(`说好|预计|应该|页面写|页面上写|写的|写着|承诺|说是|本来|答应|保证`)
	zhTimeWord = regexp.MustCompile(`[0-9一二两三四五六七八九十几]+(?:天|日|号|周|个星期|星期|礼拜)|周[一二三四五六日天]|星期[一二三四五六日天]|前天|昨天|今天|明天`)
	// zhTimePromised is a date, then the arrival promised for it.
	zhTimePromised = regexp.MustCompile(`(?:(?:[0-9一二两三四五六七八九十]+月)?[0-9一二两三四五六七八九十几]+(?:号|日)|(?:上|这)?(?:周|星期|礼拜)[一二三四五六日天])(?:就)?(?:说|说好|说是|承诺|预计|应该|答应)(?:会|能|要)?(?:送到|到|送达|到货|送来)`)
	zhLater        = regexp.MustCompile(`现在|今天|已经|都[0-9一二两三四五六七八九十几周星第]|还没|还是没|仍然没|第[0-9一二两三四五六七八九十]+天`)

	// enBrokeAfter: stopped working after months or years, or bought
	// months ago and then broke.
	enBrokeAfter = regexp.MustCompile(`(?i)\b(?:stopped|broke|broken|died|quit|packed up|gave up|faulty|not working|stopped working|doesn'?t work|won'?t turn on|stopped charging)\b[^.?!;]{0,30}?\b(?:after|within)\s+(?:\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|eighteen|a few|several|only)\s+(?:weeks?|months?|years?)\b`)
	enBoughtAgo  = regexp.MustCompile(`(?i)\b(?:bought|had|purchased|got|ordered)\b[^.?!;]{0,30}?\b(?:\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|a few|several)\s+(?:months?|years?)\s+ago\b[^.?!]{0,40}?\b(?:stopped|broke|died|quit|faulty|not working|doesn'?t work|won'?t|packed up)`)
	// enBrokenWord and enBoughtLong: broken, and bought a while ago,
	// in either order: "my heater stopped working, I bought it last
	// year".
	enBrokenWord = regexp.MustCompile(`(?i)\b(?:stopped working|stopped|broke|broken|died|quit|packed up|faulty|not working|doesn'?t work|does not work|won'?t turn on|will not turn on|stopped charging)\b`)
	enBoughtLong = regexp.MustCompile(`(?i)\b(?:bought|had|purchased|got|ordered|owned|used)\b[^.?!;]{0,30}?\b(?:last year|last month|a year ago|years ago|months ago|over a year|(?:for\s+)?(?:\d+|two|three|four|five|six|seven|eight|nine|ten|eleven|a few|several)\s+(?:months|years)|in (?:january|february|march|april|may|june|july|august|september|october|november|december))\b`)
	// zhBrokeAfter: 用了三个月就坏了, 买了半年的吹风机不转了.
	zhBrokeAfter = regexp.MustCompile(`(?:用了|才用了|用|买了|买来|买回来|到手)(?:[0-9一二两三四五六七八九十几半]+|半)(?:个)?(?:多)?(?:月|年)(?:多)?[^，。？！?!]{0,10}?(?:坏|不转|不制冷|不工作|不亮|不能用|用不了|没反应|故障|不行了|开不了机|充不进电|不出水|不加热|漏水)`)
)

// Concepts the constructions stand for.
const (
	lateConcept     = "late-delivery"
	warrantyConcept = "warranty"
)

// The terms of the constructions' matches: constructionTerms tells them from
// the lexicon's, withoutCoveredDamage finds the warranty's by its own.
const (
	termPartMissing     = "part missing"
	termPromisedPast    = "promised date past"
	brokeAfterTerm      = "broke months after"
	termBeforeShipping  = "change before shipping"
	termMayReturn       = "may return"
	termWantReturn      = "want return"
	termClaimedNotRecvd = "claimed not received"
	termPriceDrop       = "price drop"
)

// construction is the match of a construction of term standing for concept
// over text[start:end].
func construction(concept, term string, start, end int) lexicon.Match {
	return lexicon.Match{Concepts: []string{concept}, Term: term, Start: start, End: end}
}

// onlyConcepts reports whether every concept of m is in set.
func onlyConcepts(m lexicon.Match, set map[string]bool) bool {
	for _, id := range m.Concepts {
		if !set[id] {
			return false
		}
	}
	return true
}

// instead returns ms without the matches whose concepts are all in parts and
// with c: a construction that reads the words of parts as its own
// (beforeShipping, storeHours, onlineStore).
func instead(ms []lexicon.Match, parts map[string]bool, c lexicon.Match) []lexicon.Match {
	ms = slices.DeleteFunc(ms, func(m lexicon.Match) bool { return onlyConcepts(m, parts) })
	return append(ms, c)
}

// nextRuneIn reports whether s begins with a rune of set: what follows a
// 退 that begins another word (退款, 退运费).
func nextRuneIn(s, set string) bool {
	r, n := utf8.DecodeRuneInString(s)
	return n > 0 && strings.ContainsRune(set, r)
}

// constructions returns ms, the lexicon's matches in a customer's text,
// with those of the constructions that tell what happened to the order:
// a part missing, a promised date past, goods broken months on, a swap
// before shipping, whether goods may go back, a return wanted, a delivery
// claimed and denied.
func constructions(text string, ms []lexicon.Match) []lexicon.Match {
	if m, ok := missingPart(text); ok {
		ms = append(ms, m)
	}
	ms = withoutCoveredDamage(append(ms, events(text)...))
	ms = beforeShipping(text, ms)
	for _, find := range []func(string) (lexicon.Match, bool){mayReturn, wantReturn, claimedNotReceived} {
		if m, ok := find(text); ok {
			ms = append(ms, m)
		}
	}
	return ms
}

// events returns the lexicon matches of the constructions of time in text:
// a promised date past, goods broken months after they were bought.
func events(text string) []lexicon.Match {
	var ms []lexicon.Match
	// A promise of money back is no late delivery.
	if !enRefundWord.MatchString(text) && !zhRefundWord.MatchString(text) {
		found := false
		for _, p := range [][3]*regexp.Regexp{{enPromised, enTimeWord, enLater}, {zhPromised, zhTimeWord, zhLater}} {
			if loc, ok := promisedThenLater(text, p[0], p[1], p[2]); ok {
				ms = append(ms, construction(lateConcept, termPromisedPast, loc[0], loc[1]))
				found = true
				break
			}
		}
		// The date before the promise: "12月1号说送到，今天都6号了".
		if t := zhTimePromised.FindStringIndex(text); !found && t != nil {
			if l := zhLater.FindStringIndex(text[t[1]:]); l != nil {
				ms = append(ms, construction(lateConcept, termPromisedPast, t[0], t[1]+l[1]))
			}
		}
	}
	for _, re := range []*regexp.Regexp{enBrokeAfter, enBoughtAgo, zhBrokeAfter} {
		if loc := re.FindStringIndex(text); loc != nil {
			return append(ms, construction(warrantyConcept, brokeAfterTerm, loc[0], loc[1]))
		}
	}
	if b, l := enBrokenWord.FindStringIndex(text), enBoughtLong.FindStringIndex(text); b != nil && l != nil {
		ms = append(ms, construction(warrantyConcept, brokeAfterTerm, min(b[0], l[0]), max(b[1], l[1])))
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
			return m.Start >= w.Start && m.End <= w.End && m.Term != brokeAfterTerm && onlyConcepts(m, damageConcepts)
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

// A change asked for before the order ships ("can I swap the blue for the
// green before it goes out?", 还没发货，能把尺码换成L吗) is a change of the
// order, not an exchange of goods received: the lexicon's words of
// swapping are the exchange's, so the time decides.
var (
	enBeforeShipping = regexp.MustCompile(`(?i)\bbefore (?:it|they|you|the order|my order)\s+(?:goes out|go out|ships|ship|is shipped|are shipped|is sent|are sent|send it|send them|ship it|dispatch|is dispatched|leaves)\b|\b(?:has|have|is|are)(?:n'?t| not)\s+(?:been\s+)?(?:shipped|dispatched|sent)(?:\s+(?:out|yet))?\b|\bnot (?:yet )?(?:shipped|dispatched|sent out)\b|\bstill processing\b|\bjust (?:paid|ordered|placed|bought)\b|\bbefore (?:shipping|dispatch)\b`)
	enChangeVerb     = regexp.MustCompile(`(?i)\b(?:swap|switch|change|exchange|replace)\b`)
	// Not a change of mind, nor of where it goes or who takes it.
	enOtherChange    = regexp.MustCompile(`(?i)\bchang(?:e|ed|ing) my mind\b|\baddress\b|\bmov(?:e|ed|ing) (?:house|home)\b|\bnew (?:place|home|flat|house)\b|\brecipient\b|\bphone number\b`)
	zhBeforeShipping = regexp.MustCompile(`还没发货|没发货|未发货|发货前|发货之前|还没发出|没发出|没寄出|还没寄|刚付款|刚付完款|刚付了款|刚下单|刚下的单|刚拍|还在处理`)
	zhChangeVerb     = regexp.MustCompile(`换`)
	zhOtherChange    = regexp.MustCompile(`地址|改签|换绑|搬家|旧房子|新家|收件人|收货人|电话`)
)

// exchangeConcepts are the concepts of exchanging goods received.
var exchangeConcepts = map[string]bool{"exchange": true, "size-exchange": true, "color-exchange": true, "replacement": true}

// modifyConcept is the concept a change before shipping stands for.
const modifyConcept = "modify-order"

// beforeShipping returns ms with the exchange's concepts dropped and a
// match of modifyConcept added when text asks for a change before the
// order ships.
//
// The words that say when (还没发货, 刚付款, "hasn't shipped yet") are read
// as that time only: as the lexicon's they asked when it ships, and
// 刚付款还没发货，想把蓝色换成黑色 had been the shipping time's.
func beforeShipping(text string, ms []lexicon.Match) []lexicon.Match {
	var whens [][]int
	for _, p := range [][3]*regexp.Regexp{{enBeforeShipping, enChangeVerb, enOtherChange}, {zhBeforeShipping, zhChangeVerb, zhOtherChange}} {
		if locs := p[0].FindAllStringIndex(text, -1); locs != nil && p[1].MatchString(text) && !p[2].MatchString(text) {
			whens = locs
			break
		}
	}
	if whens == nil {
		return ms
	}
	ms = slices.DeleteFunc(ms, func(m lexicon.Match) bool {
		for _, w := range whens {
			if m.Start >= w[0] && m.End <= w[1] {
				return true
			}
		}
		return false
	})
	return instead(ms, exchangeConcepts, construction(modifyConcept, termBeforeShipping, whens[0][0], whens[0][1]))
}

// Whether goods may be sent back ("can I bring it back if my partner
// doesn't like it?", 不喜欢的话可以退不) asks the return policy; how to send
// them ("how do I send it back") the return's steps. The lexicon's words of
// returning are both entries', so the question's form decides.
var (
	enMayReturn = regexp.MustCompile(`(?i)\b(?:can|could|may)\s+(?:i|we)\s+(?:(?:still|just|also|simply)\s+)?(?:return\b|(?:send|bring|take|give)\b(?:\s+\S+){0,3}?\s+back\b)`)
	enHowTo     = regexp.MustCompile(`(?i)\b(?:how|steps?|process|procedure|where|label|address)\b`)
	zhHowTo     = regexp.MustCompile(`怎么|怎样|如何|咋|流程|步骤|操作|哪里|在哪|寄到|地址`)
)

// policyConcept is the concept a question of whether stands for.
const policyConcept = "return-policy"

// mayReturn returns a match of policyConcept where text asks whether goods
// may be returned rather than how.
func mayReturn(text string) (lexicon.Match, bool) {
	loc := enMayReturn.FindStringIndex(text)
	if loc != nil && enHowTo.MatchString(text) {
		loc = nil
	}
	if loc == nil {
		if l := zhMayReturnAt(text); l != nil && !zhHowTo.MatchString(text) {
			loc = l
		}
	}
	if loc == nil {
		return lexicon.Match{}, false
	}
	return construction(policyConcept, termMayReturn, loc[0], loc[1]), true
}

// zhMayReturnAt finds 能退, 可以退不, 还能退吗: a word of may, then 退 not
// begun as 退款, 退钱, 退运费, 退差价, 退订 or 退单.
func zhMayReturnAt(text string) []int {
	for _, m := range zhMayRe.FindAllStringIndex(text, -1) {
		if !nextRuneIn(text[m[1]:], "款钱运差订单换") {
			return m
		}
	}
	return nil
}

var zhMayRe = regexp.MustCompile(`(?:能|可以|可不可以|能不能|还能|还可以)退|退得了`)

// 想退 and 要退 alone ("上周买的东西想退，流程是怎么走的") want a return. As
// lexicon terms they would take the 退 of 退款 (我想退款 is a refund), so
// they are read here, where what follows 退 is seen.
var zhWantReturn = regexp.MustCompile(`[想要]退`)

// returnConcept is the concept a return wanted stands for.
const returnConcept = "return"

// wantReturn returns a match of returnConcept for a 想退 or 要退 whose 退
// begins no other word.
func wantReturn(text string) (lexicon.Match, bool) {
	for _, m := range zhWantReturn.FindAllStringIndex(text, -1) {
		if !nextRuneIn(text[m[1]:], "款钱运差订单换货回掉了") {
			return construction(returnConcept, termWantReturn, m[0], m[1]), true
		}
	}
	return lexicon.Match{}, false
}

// Delivery claimed and not received ("driver says he left it but there's
// nothing on my porch", 快递员说放门口了，但是门口什么都没有): someone or the
// tracking says where the parcel was left, and the customer says it is not
// there.
var (
	enClaimLeft = regexp.MustCompile(`(?i)\b(?:driver|courier|delivery (?:guy|man|person|driver)|tracking|app|status|photo|proof|they|he|she|it)\s+(?:says?|said|claims?|claimed|shows?|showed|states?)\s+(?:(?:that|he|she|they|it|was|has been|have been|is|the parcel|the package)\s+){0,3}(?:left|delivered|dropped|handed|given|placed|put|signed)\b`)
	enNotThere  = regexp.MustCompile(`(?i)\b(?:nothing|none|nobody|empty|no parcel|no package|not there|cannot find|can not find|can'?t find|could not find|couldn'?t find|isn'?t|is not|didn'?t|did not|never|not mine|not my)\b`)
	zhClaimLeft = regexp.MustCompile(`(?:快递员|快递小哥|快递|物流|显示|系统|照片|说|写着)[^，。？！?!]{0,6}?(?:放|送到|送至|交给|签收|代收|投递|投到|放在|放到|送达)`)
	zhNotThere  = regexp.MustCompile(`没有|没看到|没见到|没收到|没人收|找不到|不是我|什么都没|都没人|没找到`)
)

// notReceivedConcept is the concept a claimed delivery not received stands
// for.
const notReceivedConcept = "delivered-not-received"

// claimedNotReceived returns a match of notReceivedConcept where text
// tells of a delivery claimed, then denied.
func claimedNotReceived(text string) (lexicon.Match, bool) {
	for _, p := range [][2]*regexp.Regexp{{enClaimLeft, enNotThere}, {zhClaimLeft, zhNotThere}} {
		c := p[0].FindStringIndex(text)
		if c == nil {
			continue
		}
		if n := p[1].FindStringIndex(text[c[1]:]); n != nil {
			return construction(notReceivedConcept, termClaimedNotRecvd, c[0], c[1]+n[1]), true
		}
	}
	return lexicon.Match{}, false
}
