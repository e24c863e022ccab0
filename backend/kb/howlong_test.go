package kb

import "testing"

func TestAsksHowLong(t *testing.T) {
	tests := []struct {
		text string
		want bool
	}{
		{"how long does it take to approve a return?", true},
		{"How soon will I get the invoice", true},
		{"how many business days until the refund arrives", true},
		{"注销要多久才能完成", true},
		{"寄马来西亚大概几天能到", true},
		{"多长时间能审核完", true},
		// A time told, not asked.
		{"等了好几天了，退货怎么申请", false},
		{"前几天买的鞋子怎么退货", false},
		{"I waited 3 days, how do I track it?", false},
		// How long one may still do something.
		{"付款后多久内可以改订单里的商品", false},
		{"发货前多久可以改地址", false},
		{"how long do I have to return it", false},
		{"how long after delivery can I ask for an exchange", false},
		// Not asked in the clause that asks.
		{"I've been a member for a long time, how do I use my points?", false},
	}
	for _, tt := range tests {
		if got := asks(tt.text, "time"); got != tt.want {
			t.Errorf("asks(%q, time) = %v, want %v", tt.text, got, tt.want)
		}
	}
}

func TestGivesTime(t *testing.T) {
	tests := []struct {
		zh, en string
		want   bool
	}{
		{"现货商品在付款后 24 小时内发货。", "In-stock items ship within 24 hours of payment.", true},
		{"款项将在 1–3 个工作日原路退回。", "", true},
		{"", "It reaches you in 1–3 business days.", true},
		{"签收后十五天内支持换货。", "", true},
		{"当天发货。", "", true},
		{"人工客服每天 9:00–22:00 在线。", "Agents are available every day 9:00–22:00.", true},
		{"", "Electronics have a one-year warranty.", true},
		{"", "Orders placed before 4 pm ship the same day.", true},
		{"在订单详情中点击“申请发票”填写抬头即可。", "Choose Request Invoice in the order details and enter the title.", false},
		{"北京、上海、杭州门店支持自提。", "Stores in Beijing, Shanghai and Hangzhou offer pickup.", false},
	}
	for _, tt := range tests {
		if got := gives(Entry{Answer: Text{ZH: tt.zh, EN: tt.en}}, "time"); got != tt.want {
			t.Errorf("gives(%q, %q, time) = %v, want %v", tt.zh, tt.en, got, tt.want)
		}
	}
}
