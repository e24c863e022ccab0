package kb

import (
	"slices"
	"testing"

	"switchboard/backend/lexicon"
)

func TestEvents(t *testing.T) {
	tests := []struct {
		text string
		want []string // concepts found, in order
	}{
		{"order 5521907 was supposed to arrive on the 3rd, it's now the 9th", []string{lateConcept}},
		{"should have been delivered two days ago", []string{lateConcept}},
		{"说好三天到，现在都一周了", []string{lateConcept}},
		{"12月1号说送到，今天都6号了", []string{lateConcept}},
		{"5号说送到，结果提前到了", nil},
		{"预计周二送达，今天都周五了", []string{lateConcept}},
		{"my kettle stopped working after 10 months", []string{warrantyConcept}},
		{"bought this blender 6 months ago and the motor died", []string{warrantyConcept}},
		{"用了三个月就坏了", []string{warrantyConcept}},
		{"the site said 2 to 4 working days and it has been 9", []string{lateConcept}},
		{"had the hairdryer 5 months and it won't turn on now", []string{warrantyConcept}},
		{"The green version has said sold out for weeks now", nil},
		{"买了半年的吹风机不转了", []string{warrantyConcept}},
		{"my grandad's heater stopped working, he bought it from you last year, is it still covered?", []string{warrantyConcept}},
		// A promise without a time past, or of money; goods broken
		// without a span of use.
		{"when is it expected to arrive?", nil},
		{"you said you would refund me 5 days ago, still nothing", nil},
		{"说好的退款三天到账，现在还没到", nil},
		{"it arrived broken", nil},
		{"收到就坏了", nil},
	}
	for _, tt := range tests {
		var got []string
		for _, m := range events(tt.text) {
			got = append(got, m.Concepts...)
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("events(%q) = %v, want %v", tt.text, got, tt.want)
		}
	}
}

func TestPriceDropDiscount(t *testing.T) {
	checkFinds(t, "priceDrop", priceDrop, map[string]bool{
		"bought it last week and now it's 20% off": true,
		"刚买完就打八折了":                                 true,
		"昨天原价买的，今天五折了":                             true,
		"我刚下单就半价了":                                 true,
		"is there 20% off for members?":            false,
		"买了能打折吗":                                   false,
	})
}

func TestBeforeShipping(t *testing.T) {
	tests := []struct {
		text string
		want bool // modify-order added
	}{
		{"can I swap the blue for the green before it goes out?", true},
		{"it has not shipped yet, can I switch to the large?", true},
		{"还没发货，能把尺码换成L吗", true},
		{"发货前能换成白色的吗", true},
		{"it arrived yesterday, can I swap it for the green one?", false},
		{"收到了，能换成黑色的吗", false},
		{"I just ordered but changed my mind, can I cancel before it ships?", false},
		{"it has not shipped yet, can I change the delivery address?", false},
		{"发货前还能改地址吗", false},
	}
	for _, tt := range tests {
		ms := beforeShipping(tt.text, nil)
		got := len(ms) == 1 && ms[0].Concepts[0] == modifyConcept
		if got != tt.want {
			t.Errorf("beforeShipping(%q) added modify-order = %v, want %v", tt.text, got, tt.want)
		}
	}
	// The words that say when are no question of when it ships.
	lx, err := lexicon.Load()
	if err != nil {
		t.Fatal(err)
	}
	text := "刚付款还没发货，想把蓝色换成黑色"
	for _, m := range beforeShipping(text, lx.Matches(text)) {
		if slices.Contains(m.Concepts, "ship-time") {
			t.Errorf("beforeShipping(%q) kept %q as ship-time", text, m.Term)
		}
	}
}

func TestMayReturn(t *testing.T) {
	checkFinds(t, "mayReturn", mayReturn, map[string]bool{
		"can I return my Nike trainers if they don't fit":            true,
		"if I don't like it can I just send it back":                 true,
		"if my partner doesn't like the watch, can I bring it back?": true,
		"如果我对象不喜欢这块表，能退吗":                                            true,
		"不喜欢的话可以退不":                                                  true,
		"十天前买的外套，一次没穿，现在还能退吗？":                                       true,
		"how do I send it back if I don't like it?":                  false,
		"不喜欢的话怎么退":                                                   false,
		"能退款吗":                                                       false,
		"可以退运费吗":                                                     false,
	})
}

func TestWantReturn(t *testing.T) {
	checkFinds(t, "wantReturn", wantReturn, map[string]bool{
		"上周买的东西想退，流程是怎么走的？": true,
		"这个我要退": true,
		"我想退款":  false,
		"想退运费":  false,
		"要退换":   false,
		"想退回去":  false,
	})
}

func TestClaimedNotReceived(t *testing.T) {
	checkFinds(t, "claimedNotReceived", claimedNotReceived, map[string]bool{
		"driver says he left it but there's nothing on my porch":       true,
		"the delivery guy said he put it in my mailbox but it's empty": true,
		"快递员说放门口了，但是门口什么都没有":                                           true,
		"说交给邻居了，邻居说没有":                                                 true,
		"tracking says it is at the depot, when will it come?":         false,
		"the driver said he will deliver it tomorrow":                  false,
		"快递说明天送到":                                                      false,
	})
}

// checkFinds asks find of each text and requires a match where want says.
func checkFinds(t *testing.T, name string, find func(string) (lexicon.Match, bool), want map[string]bool) {
	t.Helper()
	for text, w := range want {
		if _, got := find(text); got != w {
			t.Errorf("%s(%q) = %v, want %v", name, text, got, w)
		}
	}
}
