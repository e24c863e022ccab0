package zhdict

import "testing"

func TestWord(t *testing.T) {
	if n := Len(); n < 100000 {
		t.Fatalf("Len() = %d, want 100,000 or more", n)
	}
	for _, w := range []string{"具体", "记录", "会员", "电动", "物流", "退款", "快递", "发货", "尺码", "取消", "聊天"} {
		if rs := []rune(w); !Word(rs[0], rs[1]) {
			t.Errorf("Word(%q) = false, want true", w)
		}
	}
	// The slips of an input method customers type, pairs that straddle
	// two words, the order reversed and other scripts are not words.
	for _, w := range []string{"包油", "退宽", "发获", "尺玛", "体地", "天记", "员账", "款退", "ab"} {
		if rs := []rune(w); Word(rs[0], rs[1]) {
			t.Errorf("Word(%q) = true, want false", w)
		}
	}
}
