package kb

import "testing"

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
