package kb

import (
	"regexp"

	"switchboard/backend/hanzi"
	"switchboard/backend/lexicon"
)

// A shop's opening hours (门店几点关门, "what time does your Shanghai store
// close", 北京的店春节开门吗), or a courier's depot's (菜鸟驿站几点关门,
// 圆通快递几点下班), are a question of their own: neither the
// service's hours (the lexicon's 几点关门 and "hours" are the service's, as
// customers ask a chat box) nor a store's existence or pickup. The lexicon's
// words are those of both, so a store named beside its opening or closing
// decides. storeHours finds it in any text, a sample question's included,
// so a knowledge base that answers it matches its own wording.
var (
	zhStoreWord = regexp.MustCompile(`(?:顺丰|中通|圆通|韵达|申通|极兔|邮政|京东)(?:快递|速运|物流)?(?:的)?(?:网点|营业部|快递点)?|菜鸟驿站|驿站|快递点|快递站|快递网点|邮局|营业厅|门店|实体店|线下店|专卖店|体验店|专柜|店铺|店面|门市|(?:北京|上海|杭州|广州|深圳|成都|南京|武汉)(?:的)?店|店(?:里|子)?(?:几点|什么时候|啥时候|周[末六日]|星期|礼拜|春节|过年|国庆|节假日|假期|晚上|早上|今天|明天)`)
	zhOpenWord  = regexp.MustCompile(`开门|关门|营业|打烊|开到几点|开业|开放时间|休息|放假|歇业|几点开|几点关|几点下班|几点上班`)
	zhPickup    = regexp.MustCompile(`自提|自取|取货|提货|拿货|去拿|去取|库存|有货`)
	enStoreWord = regexp.MustCompile(`(?i)\b(?:stores?|shops?|branch(?:es)?|outlets?|showrooms?|boutiques?)\b`)
	enOpenWord  = regexp.MustCompile(`(?i)\b(?:open|opens|opening|close|closes|closing|closed|hours|shut|shuts)\b`)
	// Near ("a store close to me"), online, or a pickup's or stock's time.
	enNotHours = regexp.MustCompile(`(?i)\bclose (?:to|by)\b|\bonline\b|\bpick ?up\b|\bcollect(?:ion)?\b|\bin stock\b|\bopen(?:ed|ing)? (?:the |a |my )?(?:box|parcel|package|account|an account)\b|\bopen(?:ed)? (?:it|them)\b`)
)

// storeHoursConcept is the concept a store's opening hours stand for; no
// concept is related to it, so an entry of the service's hours or of a
// store's pickup shares none with it.
const storeHoursConcept = "store-hours"

const termStoreHours = "store hours"

// hoursConcepts are the concepts of the words storeHours reads as a store's
// hours: they are the question's parts, not its topics.
var hoursConcepts = map[string]bool{"business-hours": true, "holiday": true, "weekend": true,
	"store": true, "store-location": true, "flagship-store": true,
	// A courier's or its depot's: the place, not the carrier asked about.
	"courier": true, "sf-express": true, "jd-logistics": true, "ems": true, "china-post": true, "yto": true, "zto": true,
	"sto": true, "yunda": true, "jt-express": true, "best-express": true, "pickup-point": true, "parcel-locker": true}

// storeHours returns ms without the matches of hoursConcepts and with a
// match of storeHoursConcept when text asks when a store opens or closes.
func storeHours(text string, ms []lexicon.Match) []lexicon.Match {
	at := storeHoursAt(text)
	if at == nil {
		return ms
	}
	return instead(ms, hoursConcepts, construction(storeHoursConcept, termStoreHours, at[0], at[1]))
}

// storeHoursAt returns where text names the store whose opening or closing
// it asks about, nil if it asks none.
func storeHoursAt(text string) []int {
	if s := zhStoreWord.FindStringIndex(text); s != nil && zhOpenWord.MatchString(text) && !zhPickup.MatchString(text) {
		return s
	}
	if s := enStoreWord.FindStringIndex(text); s != nil && enOpenWord.MatchString(text) && !enNotHours.MatchString(text) {
		return s
	}
	return nil
}

// AsksStoreHours reports whether a customer's text asks when a store opens
// or closes (上海门店几点关门, "are your shops open on Sundays"): not the
// service's hours, which the bot answers from its hours entry.
func AsksStoreHours(text string) bool { return storeHoursAt(hanzi.Fold(text)) != nil }

// A store's facilities (上海门店有停车场吗, "is there parking at your
// Shanghai store", "can I bring my dog into your store") are a question of
// their own too, which no entry of a shop's service answers: the store
// words made them pickup questions. storeFacilities finds one in any text,
// as storeHours does.
var (
	// Also how to reach it and what it is like: its phone, the metro, the
	// floor, the crowd, whether it sells what the site sells.
	zhFacility = regexp.MustCompile(`停车场|停车位|停车|车位|厕所|洗手间|卫生间|试衣间|更衣室|母婴室|电梯|无障碍|轮椅|带狗|带猫|带宠物|宠物能进|宠物可以进|放什么音乐|放的音乐|店里有wifi|店里有WiFi|免费wifi|免费WiFi|电话多少|电话是多少|地铁|几楼|人多不多|人多吗|和网上一样|跟网上一样|网上一样吗|价格一样`)
	enFacility = regexp.MustCompile(`(?i)\b(?:parking|car ?park|toilets?|restrooms?|bathrooms?|washrooms?|fitting rooms?|changing rooms?|baby changing|elevators?|wheelchairs?|step-free|disabled access|wheelchair accessible|bring (?:my |a |our )?(?:dog|cat|pet)s?|(?:dogs?|pets?) (?:allowed|friendly)|music (?:do you |you )?play|free wi-?fi|wi-?fi (?:in|at) (?:the|your) (?:store|shop)|phone number|metro|subway|station|which floor|what floor|same (?:stuff|things|products|items|prices?) as|same as (?:online|the app|the website|the site)|how big|charge my phone)\b`)
)

// storeFacilitiesConcept is the concept a store's facilities stand for; as
// for storeHoursConcept, none is related to it.
const storeFacilitiesConcept = "store-facilities"

const termStoreFacilities = "store facilities"

// storeParts are the concepts of the words storeFacilities reads as the
// store whose facilities are asked about.
var storeParts = map[string]bool{"store": true, "store-location": true, "flagship-store": true}

// storeFacilities returns ms without the matches of storeParts and with a
// match of storeFacilitiesConcept when text names a store and one of its
// facilities.
func storeFacilities(text string, ms []lexicon.Match) []lexicon.Match {
	s := besideAt(text, [][2]*regexp.Regexp{{zhStoreWord, zhFacility}, {enStoreWord, enFacility}}, nil)
	if s == nil {
		return ms
	}
	return instead(ms, storeParts, construction(storeFacilitiesConcept, termStoreFacilities, s[0], s[1]))
}

// besideAt returns where text has the first expression of the first pair
// whose second expression text has too, and where keep (if not nil) takes
// that place; nil if no pair does. A construction names a thing beside
// what is asked of it (a store and its facilities, a platform and a shop).
func besideAt(text string, pairs [][2]*regexp.Regexp, keep func(at []int) bool) []int {
	for _, p := range pairs {
		if at := p[0].FindStringIndex(text); at != nil && p[1].MatchString(text) && (keep == nil || keep(at)) {
			return at
		}
	}
	return nil
}
