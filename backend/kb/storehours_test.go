package kb

import (
	"slices"
	"testing"

	"switchboard/backend/lexicon"
)

func TestAsksStoreHours(t *testing.T) {
	for text, want := range map[string]bool{
		"上海门店几点关门":                                     true,
		"實體店週末營業嗎":                                     true, // traditional, folded first
		"北京的店春节开门吗":                                    true,
		"国庆节门店休息吗":                                     true,
		"what time does your Shanghai store close":     true,
		"are your shops open on Sundays":               true,
		"is the Beijing store open on public holidays": true,
		"菜鸟驿站几点关门":                                     true,
		"圆通快递几点下班":                                     true,
		// The service's hours, a store's existence, pickup or stock, a
		// store near by, a box opened at home.
		"客服几点上班":                                              false,
		"有线下门店吗":                                              false,
		"门店自提几点可以取":                                           false,
		"what are your support hours":                         false,
		"do you have physical stores":                         false,
		"is there a store close to me":                        false,
		"can I pick up in store on Sunday":                    false,
		"is your online store open 24 hours":                  false,
		"I opened the box and the shop's receipt was missing": false,
	} {
		if got := AsksStoreHours(text); got != want {
			t.Errorf("AsksStoreHours(%q) = %v, want %v", text, got, want)
		}
	}
}

func TestOnlineStore(t *testing.T) {
	checkAdds(t, "onlineStore", onlineStore, channelConcept, map[string]bool{
		"你们抖音有店吗":                   true,
		"do you have a TikTok shop": true,
		"are you on Shopee":         true,
		"你们天猫有旗舰店吗":                 true,
		"do you sell on eBay too":   true,
		// A store here, a platform's own policy.
		"你们在杭州有实体店吗":                    false,
		"do you have physical stores":   false,
		"淘宝的退货政策是什么":                    false,
		"what's Amazon's return policy": false,
	})
}

func TestStoreFacilities(t *testing.T) {
	checkAdds(t, "storeFacilities", storeFacilities, storeFacilitiesConcept, map[string]bool{
		"上海门店有停车场吗":                               true,
		"门店有厕所吗":                                  true,
		"is there parking at your Shanghai store": true,
		"can I bring my dog into your store":      true,
		"what music do you play in your stores":   true,
		// A store's goods or pickup; a facility without a store.
		"do you have dog beds in store":  false,
		"门店有宠物用品卖吗":                      false,
		"can I pick up at the store":     false,
		"is there parking near my house": false,
	})
}

// checkAdds asks find, a construction (name), of each text and requires a
// match of concept among the matches it returns where want says.
func checkAdds(t *testing.T, name string, find func(string, []lexicon.Match) []lexicon.Match, concept string, want map[string]bool) {
	t.Helper()
	for text, w := range want {
		got := slices.ContainsFunc(find(text, nil), func(m lexicon.Match) bool { return slices.Contains(m.Concepts, concept) })
		if got != w {
			t.Errorf("%s(%q) finds %s: %v, want %v", name, text, concept, got, w)
		}
	}
}
