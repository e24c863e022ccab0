package kb

import (
	"regexp"
	"strconv"
	"strings"

	"switchboard/backend/lexicon"
)

// A part of an order that came without the rest ("I got the charger but not
// the cable", "it came without the remote", "got 2 of the 3 things I
// ordered", 桌子到了椅子没到, 买了三件只到了两件) is a missing item, said by
// what arrived and what did not rather than in the lexicon's words
// ("missing", 少发). missingPart finds the constructions; what is named in
// them (a cable, 椅子) is any goods, which no lexicon can list.
var (
	// enGotButNot: a verb of receiving, then "but not", "but no" or "but
	// without" in the same sentence.
	enGotButNot = regexp.MustCompile(`(?i)\b(?:got|received|came|arrived|delivered|had|turned up|showed up)\b[^.?!;]{1,60}?\bbut\s+(?:not|no|without|none)\b`)
	// enCameButNot: "the jacket came but the belt that goes with it
	// didn't".
	enCameButNot = regexp.MustCompile(`(?i)\b(?:came|arrived|turned up|showed up|got delivered|was delivered)\b[^.?!;]{0,40}?\bbut\s+(?:the|my|a|an)\s+[^.?!;]{1,40}?\b(?:didnt|didn't|did not|wasnt|wasn't|was not|hasnt|hasn't|has not|never|isnt|isn't|is not)\b`)
	// enCameWithout: "it came without the remote".
	enCameWithout = regexp.MustCompile(`(?i)\b(?:came|arrived|delivered|turned up|showed up|was sent|were sent)\s+without\b`)
	// enNoneInBox: "there was no manual or charger in the box".
	enNoneInBox = regexp.MustCompile(`(?i)\bno\s+(?:[a-z]+\s+){1,4}in\s+(?:the|my)\s+(?:box|package|parcel|bag|packet)\b`)
	// enSomeOf: "got 2 of the 3 things", "only received one out of four".
	// And "my parcel only had two of the three things I bought".
	enSomeOf = regexp.MustCompile(`(?i)\b(?:got|received|only|arrived|came|had|contained)\s+(?:only\s+)?(\d+|one|two|three|four|five|six|seven|eight|nine|ten)\s+(?:of|out\s+of)\s+(?:the\s+|my\s+)?(\d+|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\b`)
	// enShouldHave then enGotOnly: "the set is supposed to have 6
	// glasses, I got 5".
	// So "ordered 4 bowls and only 3 turned up".
	enShouldHave = regexp.MustCompile(`(?i)\b(?:(?:supposed to|should|meant to)\s+(?:have|contain|come with|be)|ordered|bought|purchased|paid for)\s+(\d+|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\b`)
	enGotOnly    = regexp.MustCompile(`(?i)\b(?:got|received|only|there (?:is|are|was|were)|came with|contains?|has|had)\s+(?:only\s+)?(\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven)\b`)

	// zhArrivedNot: a thing arrived, another did not: 桌子到了椅子没到,
	// 收到了充电器但是没有数据线. Something must stand between the two, so
	// that 到了没有 ("has it come?") is no such text.
	// Not after 没, 未 or 不 (没收到, "not received"), and neither part a
	// question (到了吗，怎么还没有物流) or a wait (还, 怎么).
	// Nor after 送 (送到了但是没有: delivered, the customer says, but not
	// to them), and what came is no conjunction.
	zhArrivedNot = regexp.MustCompile(`(?:^|[^没未不送])(?:到了|收到了|收到|来了|寄来了|送来了)([^，。？！?!没吗么呢还怎但却]{1,10}?)[，, ]?(?:但是|但|可是|就是|却)?[^，。？！?!没吗么呢还怎为但却]{0,10}(?:没到|没有到|没有|没收到|没来|没寄|没发|不见了)`)
	// zhSomeOf: 买了三件只到了两件, 一套六个杯子只有五个.
	zhBought = regexp.MustCompile(`(?:买了|拍了|下了|订了|一套|一共|总共|共|应该有|本来有|说好)([0-9一二两三四五六七八九十]+)(?:件|个|样|双|条|只|套|包|盒|瓶|本|支|张|把)`)
	zhGot    = regexp.MustCompile(`(?:只到了|只收到|只有|只来了|才到了|才收到|收到|到了|只发了|发了)([0-9一二两三四五六七八九十]+)(?:件|个|样|双|条|只|套|包|盒|瓶|本|支|张|把)?`)
)

// enOrderedNotThere: a thing ordered, then not there: "the phone case I
// ordered along with the cable just isn't there", "the belt I paid for
// wasn't in the box". The word before the verb is kept (enNotThereWho):
// "I ordered it but the courier wasn't there" is no part missing.
var enOrderedNotThere = regexp.MustCompile(`(?i)\b(?:ordered|bought|paid for)\b(?:[^.?!;]{0,60}?\b(\w+))?\s+(?:just\s+|simply\s+)?(?:isnt|isn't|is not|wasnt|wasn't|was not|arent|aren't|are not|werent|weren't|were not)\s+(?:there|in\s+(?:it|the\s+box|the\s+parcel|the\s+package|the\s+bag)|inside|included)\b`)

// enNotThereWho are who was not there, which says nothing of the goods.
var enNotThereWho = map[string]bool{"courier": true, "driver": true, "postman": true, "i": true, "we": true, "he": true,
	"she": true, "they": true, "nobody": true, "anyone": true, "someone": true, "you": true, "shop": true, "store": true}

// missingConcept is the concept a part missing stands for.
const missingConcept = "missing-item"

// missingPart returns a match of missingConcept where text tells of part
// of an order received without the rest.
func missingPart(text string) (lexicon.Match, bool) {
	match := func(loc []int) (lexicon.Match, bool) {
		return construction(missingConcept, termPartMissing, loc[0], loc[1]), true
	}
	for _, re := range []*regexp.Regexp{enGotButNot, enCameButNot, enCameWithout, enNoneInBox, zhArrivedNot} {
		loc := re.FindStringSubmatchIndex(text)
		if loc == nil || notGoods(text[loc[1]:]) || enStatusBefore.MatchString(text[:loc[0]]) || enMessageGot.MatchString(text[loc[0]:]) {
			continue
		}
		if re == zhArrivedNot {
			if x := text[loc[2]:loc[3]]; x == "可是" || x == "就是" || x == "是" {
				continue
			}
		}
		return match(loc[:2])
	}
	if m := enOrderedNotThere.FindStringSubmatchIndex(text); m != nil && (m[2] < 0 || !enNotThereWho[strings.ToLower(text[m[2]:m[3]])]) {
		return match(m[:2])
	}
	if m := enSomeOf.FindStringSubmatchIndex(text); m != nil {
		if got, all := number(text[m[2]:m[3]]), number(text[m[4]:m[5]]); got >= 0 && got < all {
			return match(m[:2])
		}
	}
	for _, p := range [][2]*regexp.Regexp{{enShouldHave, enGotOnly}, {zhBought, zhGot}} {
		m := p[0].FindStringSubmatchIndex(text)
		if m == nil {
			continue
		}
		all := number(text[m[2]:m[3]])
		for _, g := range p[1].FindAllStringSubmatchIndex(text[m[1]:], -1) {
			if got := number(text[m[1]+g[2] : m[1]+g[3]]); got >= 0 && got < all {
				return match([]int{m[0], m[1] + g[1]})
			}
		}
	}
	return lexicon.Match{}, false
}

// enNotGoods are what a customer gets without, that are no part of the
// order: "I got an email but no tracking number", "received the item but
// not the refund".
var enNotGoods = regexp.MustCompile(`(?i)^\W*(?:(?:the|a|an|any|my|your)\s+)?(?:tracking|refund|email|e-mail|reply|response|answer|update|updates|confirmation|notification|text|call|money|receipt|invoice|link|message|notice|word|news|info|information|details|number|code|one|it|them)\b`)

// enStatusBefore end a text before a status rather than a receipt:
// "marked as received but not here", "tracking says delivered but no
// parcel".
var enStatusBefore = regexp.MustCompile(`(?i)\b(?:marked(?:\s+as)?|says?|said|saying|shows?|showing|shown\s+as|status(?:\s+is)?|listed\s+as)\s*$`)

// enMessageGot start a construction whose thing received is a message:
// "got a text saying it shipped but no link".
var enMessageGot = regexp.MustCompile(`(?i)^\w+\s+(?:a|an|the|your|my)\s+(?:text|email|e-mail|message|notification|call|reply|sms|letter)\b`)

// notGoods reports whether what follows a construction of missingPart is
// no part of the order.
func notGoods(rest string) bool { return enNotGoods.MatchString(rest) }

// number reads a count written in digits, in English words up to twelve or
// in Chinese numerals up to 99; -1 if it is none.
func number(s string) int {
	if n, err := strconv.Atoi(s); err == nil {
		return n
	}
	if n, ok := enNumbers[strings.ToLower(s)]; ok {
		return n
	}
	// 十 alone is ten, before a digit ten and it, after one its tens.
	tens, ones, seen := 0, 0, false
	for _, r := range s {
		switch d := strings.IndexRune("零一二三四五六七八九", r); {
		case r == '两':
			ones = 2
		case r == '十' && !seen:
			tens, ones, seen = max(ones, 1), 0, true
		case d > 0 || d == 0 && r == '零':
			ones = d / 3 // byte index: three bytes a rune
		default:
			return -1
		}
	}
	return 10*tens + ones
}

var enNumbers = map[string]int{
	"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
	"eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
}
