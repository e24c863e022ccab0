package kb

import (
	"regexp"
	"strings"

	"switchboard/backend/lexicon"
)

// What the customer posted to someone themselves (我寄给我妈的快递怎么查,
// "how do I track a package I sent to my friend") is a parcel of the
// courier's, not an order of the shop's: the shop's tracking, late-delivery
// and missing-item entries are for what the shop sent. The customer is the
// sender, and the one it went to is someone of their own: the shop sending
// to the customer's mother (你们寄给我妈的, "the gift you sent to my mom"),
// the customer asking it to (帮我寄给我妈, "can I have it shipped to my
// mom") and a return sent back to the shop name the shop.
var (
	zhOwnRecipient = `我?(?:妈妈|妈|爸爸|爸|父母|家里人|家人|老家|朋友|同学|同事|客户|亲戚|男朋友|女朋友|男友|女友|老公|老婆|孩子|儿子|女儿|哥哥|姐姐|弟弟|妹妹|奶奶|爷爷|外婆|外公|姥姥|姥爷|别人|老师)`
	zhOwnPost      = regexp.MustCompile(`(?:^|[^帮给替让叫请])我(?:自己|昨天|前天|今天|上周|上个月|之前|刚刚|刚|前几天)?(?:(?:寄给|寄到|邮寄给|邮给)` + zhOwnRecipient + `|给` + zhOwnRecipient + `(?:邮寄|寄))(?:的|了)`)
	enOwnRecipient = `(?:my\s+)?(?:mom|mum|mother|dad|father|parents|friends?|sister|brother|son|daughter|wife|husband|girlfriend|boyfriend|grandma|grandmother|grandpa|grandfather|aunt|uncle|cousin|family|kids?|colleague|coworker|client)\b`
	enOwnPost      = regexp.MustCompile(`(?i)\bI\s+(?:just\s+|already\s+|recently\s+|personally\s+|myself\s+)?(?:sent|mailed|posted|shipped)\s+(?:(?:\w+\s+){0,3}?to\s+)?` + enOwnRecipient)
)

// ownPostVerbs are the posting words both expressions need.
var ownPostVerbs = []string{"寄", "邮给", "sent", "mailed", "posted", "shipped"}

// termOwnPost is the term of the construction's match.
const termOwnPost = "posted by the customer to their own"

// ownPost returns ms with a match of a topic outside the shop when text
// asks after something the customer posted to someone of their own.
func ownPost(text string, ms []lexicon.Match) []lexicon.Match {
	// Every wording of it has one of these: most texts are spared the
	// expressions.
	if !containsAnyString(strings.ToLower(text), ownPostVerbs) {
		return ms
	}
	return firstConstruction(text, ms, "elsewhere-services", termOwnPost, zhOwnPost, enOwnPost)
}
