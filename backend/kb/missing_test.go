package kb

import "testing"

func TestMissingPart(t *testing.T) {
	tests := []struct {
		text string
		want bool
	}{
		{"I got the charger but not the cable that should come with it", true},
		{"the lamp came but no bulb", true},
		{"it came without the remote", true},
		{"there was no manual or charger in the box", true},
		{"got 2 of the 3 things I ordered", true},
		{"my parcle only had two of the three things i bought", true},
		{"the box had two of everything", false},
		{"the set is supposed to have 6 glasses, I got 5", true},
		{"ordered 4 bowls and only 3 turned up", true},
		{"the jacket came but the belt that goes with it didn't", true},
		{"桌子到了椅子没到", true},
		{"the phone case I ordered along with the cable just isn't there", true},
		{"the belt I paid for wasn't in the box", true},
		{"I ordered it but the courier wasn't there", false},
		{"I ordered on Monday and nobody was there to sign", false},
		{"收到了充电器但是没有数据线", true},
		{"买了三件只到了两件", true},
		{"一套六个杯子只有五个", true},
		// Not a part missing: a message got, a status, a wait, a count
		// that is no shortfall.
		{"got a text saying it shipped but no link, how do i follow it", false},
		{"I got an email but no tracking number", false},
		{"marked as received but not here at my flat", false},
		{"received the item but not the refund", false},
		{"got 3 of the 3 I ordered", false},
		{"快递到了没有", false},
		{"快递说送到了但是没有", false},
		{"到了吗，怎么还没有物流", false},
		{"还没收到，但是没有物流信息", false},
		{"买了两件收到两件", false},
	}
	for _, tt := range tests {
		if _, got := missingPart(tt.text); got != tt.want {
			t.Errorf("missingPart(%q) = %v, want %v", tt.text, got, tt.want)
		}
	}
}

func TestNumber(t *testing.T) {
	for s, want := range map[string]int{"7": 7, "three": 3, "两": 2, "五": 5, "十": 10, "十二": 12, "二十": 20, "三十五": 35, "几": -1, "many": -1} {
		if got := number(s); got != want {
			t.Errorf("number(%q) = %d, want %d", s, got, want)
		}
	}
}
