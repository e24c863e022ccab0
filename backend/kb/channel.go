package kb

import (
	"regexp"

	"switchboard/backend/lexicon"
)

// Whether the shop sells on another platform (你们抖音有店吗, "do you have a
// TikTok shop", "are you on Shopee") asks about its channels, not its
// physical stores: the lexicon's 店 and "shop" are the stores' words, so a
// platform named beside them, or sold on, decides. onlineStore finds it in
// any text, a sample question's included, as storeHours does.
var (
	zhPlatform  = regexp.MustCompile(`抖音|快手|小红书|天猫|京东|淘宝|拼多多|唯品会|得物|闲鱼|微信小程序|小程序|微店|视频号|亚马逊`)
	zhShopWord  = regexp.MustCompile(`店|商城|开店|入驻`)
	enPlatform  = regexp.MustCompile(`(?i)\b(?:tiktok|douyin|instagram|facebook|amazon|ebay|etsy|shopee|lazada|tmall|taobao|jd(?:\.com)?|pinduoduo|xiaohongshu|mini ?program|shopify|walmart)\b`)
	enShopWord  = regexp.MustCompile(`(?i)\b(?:shops?|stores?|storefront|sell(?:s|ing)? on|on)\b`)
	onlineNotIt = regexp.MustCompile(`(?i)的|'s\b`)
)

// channelConcept is the concept a question of the shop's other channels
// stands for; no concept is related to it.
const channelConcept = "online-channel"

const termOnlineStore = "online store elsewhere"

// storeConcepts are the concepts of the words onlineStore reads as a
// channel's: a store there is no store here.
var storeConcepts = map[string]bool{"store": true, "store-location": true, "flagship-store": true,
	"store-pickup": true, "social-media": true, "wechat": true}

// onlineStore returns ms without the matches of storeConcepts and with a
// match of channelConcept when text asks whether the shop sells on another
// platform. Another platform's own policy (淘宝的退货政策, "Amazon's return
// policy") is the lexicon's elsewhere-platforms, not this.
func onlineStore(text string, ms []lexicon.Match) []lexicon.Match {
	at := besideAt(text, [][2]*regexp.Regexp{{zhPlatform, zhShopWord}, {enPlatform, enShopWord}}, func(l []int) bool {
		return !onlineNotIt.MatchString(text[l[1]:min(len(text), l[1]+3)])
	})
	if at == nil {
		return ms
	}
	return instead(ms, storeConcepts, construction(channelConcept, termOnlineStore, at[0], at[1]))
}
