package kb

import "testing"

func TestAsksExact(t *testing.T) {
	tests := []struct {
		text string
		want bool
	}{
		{"What is the exact address of the Hangzhou store?", true},
		{"what's the phone number of the Beijing shop", true},
		{"What's the address of your head office?", true},
		{"Where are your servers physically located?", true},
		{"北京门店具体在哪条街", true},
		{"你们的仓库在哪个城市？", true},
		{"门店的电话是多少", true},
		// Which cities, where to change one, one told.
		{"where are your stores", false},
		{"你们门店在哪", false},
		{"收货地址在哪改", false},
		{"can I change the address of my order", false},
		{"门牌号填岔了咋整", false},
		{"How do I update the phone number on my account?", false},
	}
	for _, tt := range tests {
		if got := asks(tt.text, "address or number"); got != tt.want {
			t.Errorf("asks(%q, address or number) = %v, want %v", tt.text, got, tt.want)
		}
	}
}

func TestGivesExact(t *testing.T) {
	tests := []struct {
		zh, en string
		want   bool
	}{
		{"上海门店：南京西路 1266 号。", "", true},
		{"", "Our Shanghai store is at 1266 West Nanjing Road.", true},
		{"客服热线 400-820-1234。", "", true},
		{"北京、上海、杭州门店支持自提。", "Stores in Beijing, Shanghai and Hangzhou offer pickup.", false},
		{"现货商品在付款后 24 小时内发货。", "Orders of ¥99 or more ship free.", false},
	}
	for _, tt := range tests {
		if got := gives(Entry{Answer: Text{ZH: tt.zh, EN: tt.en}}, "address or number"); got != tt.want {
			t.Errorf("gives(%q, %q, address or number) = %v, want %v", tt.zh, tt.en, got, tt.want)
		}
	}
}
