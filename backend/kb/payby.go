package kb

import (
	"regexp"
	"slices"
	"strings"

	"switchboard/backend/lexicon"
)

// "Can I use PayPal", "do you take Amex", 能刷Visa吗, 可以用支付宝吗: a way
// of paying named with a verb of paying by it asks which ways of paying
// the shop accepts, whichever one is named. The lexicon knows the brand as
// a concept of its own, only related to the ways of paying (at
// relatedShare), and an entry names a few brands in its answer at most, so
// "can I use PayPal" shared half a concept with "Which payment methods do
// you accept?" and fell short of the threshold. paidWith adds the ways of
// paying as a concept of the text's own, beside the brand.

// payInstruments are the lexicon's concepts of a brand or kind of card or
// wallet.
var payInstruments = map[string]bool{"alipay": true, "wechat-pay": true, "unionpay": true, "paypal": true,
	"apple-pay": true, "google-pay": true, "visa": true, "mastercard": true, "amex": true, "jcb": true,
	"discover-card": true, "bank-card": true, "credit-card": true}

// payMethodConcept is the concept the ways of paying stand for.
const payMethodConcept = "payment-method"

const termPaidWith = "paid with"

var (
	// enPayWithBefore end just before the instrument: "can I use", "pay
	// with my", "do you accept", "do you take".
	enPayWithBefore = regexp.MustCompile(`(?i)\b(?:use|using|pay(?:ing)? (?:with|by|via|using|through|on)|accept|take|support|allow)(?: (?:a|an|my|your|the))?\s*$`)
	// enPayWithAfter begin just after it: "is Visa accepted", "is WeChat
	// Pay ok".
	enPayWithAfter = regexp.MustCompile(`(?i)^\s*(?:card\s+)?(?:accepted|ok|okay|fine|supported|allowed|an option|possible)\b`)
	// zhPayWithBefore end just before it: 可以用, 能刷, 支持, 收不收.
	zhPayWithBefore = regexp.MustCompile(`(?:用|刷|支持|收|接受|走)\s*$`)
	// zhPayWithAfter begin just after it: 支付宝可以吗, Visa行不行, 信用卡能用吗.
	zhPayWithAfter = regexp.MustCompile(`^\s*(?:卡|支付|付款)?(?:可以吗|可以不|行吗|行不行|能用吗|可以用吗|能用不|能付吗|可以付吗|能付不|能刷吗|可以刷吗|能刷不|支持吗)`)
	// enPayTrouble are what went wrong with a payment: "can I use PayPal,
	// my card was declined" is the failed payment's.
	enPayTrouble = regexp.MustCompile(`(?i)\b(?:fail|failed|failing|declined|rejected|error|didn'?t go through|not going through|won'?t go through|charged twice)\b|失败|不成功|扣款|被拒|付不了|支付不了|付款不了`)
)

// paidWith returns ms with each instrument that text names with a verb of
// paying by it read as payMethodConcept and the concepts the instrument is
// related to (credit-card for amex), unless asked says a sample question
// of the knowledge base names the instrument's own concept (an entry "Do
// you accept American Express?" is that question's answer).
func paidWith(lex *lexicon.Lexicon, text string, ms []lexicon.Match, asked func(id string) bool) []lexicon.Match {
	var out []lexicon.Match
	for i, m := range ms {
		if !anyConcept(m, payInstruments) || slices.ContainsFunc(m.Concepts, asked) {
			continue
		}
		before, after := text[:m.Start], text[m.End:]
		if enPayWithBefore.MatchString(before) || enPayWithAfter.MatchString(after) ||
			zhPayWithBefore.MatchString(before) || zhPayWithAfter.MatchString(after) {
			if out == nil {
				if enPayTrouble.MatchString(strings.ToLower(text)) {
					return ms
				}
				out = slices.Clone(ms)
			}
			c := construction(payMethodConcept, termPaidWith, m.Start, m.End)
			for _, id := range m.Concepts {
				for _, r := range lex.Related(id) {
					if !slices.Contains(c.Concepts, r) {
						c.Concepts = append(c.Concepts, r)
					}
				}
			}
			out[i] = c
		}
	}
	if out == nil {
		return ms
	}
	return out
}

// anyConcept reports whether a concept of m is in set.
func anyConcept(m lexicon.Match, set map[string]bool) bool {
	for _, id := range m.Concepts {
		if set[id] {
			return true
		}
	}
	return false
}
