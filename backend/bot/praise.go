package bot

import (
	"regexp"
	"strings"

	"switchboard/backend/kb"
)

// Praise or thanks with nothing asked, wanted or wrong ("the refund was
// fast, thank you", "快递员很负责，谢谢你们", "包装很用心，好评") asks no entry:
// the words of what was praised (the refund, the courier, the packaging)
// are what an entry is about, and answering from it tells the customer
// what they already have. praiseOnly reads the text as such a statement:
// a word of praise or thanks, and no question, request or trouble.
var (
	zhPraiseWord = regexp.MustCompile(`表扬|点赞|点个赞|赞一个|给个赞|好评|五星|满意|谢谢|感谢|多谢|辛苦了|很好|真好|挺好|超好|非常好|特别好|很快|真快|挺快|超快|好快|很及时|很负责|很用心|很专业|很贴心|很耐心|很热情|很nice|太棒|很棒|真棒|赞$|赞！|赞!|，赞|,赞`)
	zhNotOnly    = regexp.MustCompile(`[?？吗呢么]|怎|什么|啥|多久|多少|几|哪|谁|为何|为什么|能不能|可不可以|可以|能否|是否|有没有|有无|想|要|请|麻烦|帮我|帮忙|给我|需要|希望|不|没|别|但|可是|就是|不过|只是|坏|破|错|少|慢|差|烂|问题|投诉|退货|换货|还没|怎么回事|一直|居然|竟然`)

	enPraiseWord = regexp.MustCompile(`(?i)\b(?:great|nice|lovely|amazing|excellent|fantastic|brilliant|wonderful|superb|awesome|perfect|helpful|friendly|kind|polite|fast|quick|speedy|prompt|efficient|professional|kudos|well done|thanks?|thank you|thx|ty|cheers|appreciated?|impressed|happy with|pleased with|love (?:it|them|the)|shout ?out|compliments)\b`)
	enNotOnly    = regexp.MustCompile(`(?i)[?]|(?:^|[.,;!]\s*)(?:is|are|do|does|did|can|could|would|will|may|might|should|shall)\b|\b(?:want|wanna|need|like to|please|pls|plz|help|but|however|though|although|except|not|no|never|\w+n't|didnt|doesnt|dont|isnt|wasnt|havent|hasnt|cant|wont|couldnt|wouldnt|arent|werent|still|yet|only|broken|damaged|wrong|missing|late|slow|problem|issue|refund me|complain|complaint|unfortunately)\b`)
	// enAsked is a question word, unless it begins what is praised
	// ("impressed with how fast the refund came").
	enAsked       = regexp.MustCompile(`(?i)(?:\b(\w+)\s+|^|[^\w\s]\s*)(?:how|what|when|where|which|who|why|whose)\b`)
	enPraisedWhat = map[string]bool{"with": true, "at": true, "by": true, "about": true, "of": true, "love": true, "loved": true, "liked": true}
)

// praiseOnly reports whether text praises or thanks and asks, wants and
// reports nothing wrong.
func praiseOnly(text string) bool {
	if strings.TrimSpace(text) == "" {
		return false
	}
	if DetectLocale(text) == kb.ZH {
		return zhPraiseWord.MatchString(text) && !zhNotOnly.MatchString(zhPraiseWord.ReplaceAllString(text, ""))
	}
	if !enPraiseWord.MatchString(text) || enNotOnly.MatchString(text) {
		return false
	}
	for _, m := range enAsked.FindAllStringSubmatch(text, -1) {
		if !enPraisedWhat[strings.ToLower(m[1])] {
			return false
		}
	}
	return true
}
