package bot

import (
	"path/filepath"
	"testing"

	"switchboard/backend/hanzi"
)

// A customer in Taiwan or Hong Kong gets what the same words in
// simplified characters get: every Chinese training wording, rewritten in
// traditional characters, is answered as it is in simplified ones (the
// same entry, handoff or did-you-mean).
func TestTraditionalReadAsSimplified(t *testing.T) {
	k := evalKB(t)
	items := loadEvalSet(t, k, filepath.Join("testdata", "eval", "train.jsonl"))
	b := mustKB(k, Options{})
	n := 0
	for _, it := range items {
		if it.Lang != "zh" {
			continue
		}
		tt := hanzi.Traditional(it.Text)
		if tt == it.Text {
			continue
		}
		n++
		want := answer(t, b, Input{Text: it.Text})
		got := answer(t, b, Input{Text: tt})
		if got.EntryID != want.EntryID || got.Handoff != want.Handoff || got.DidYouMean != want.DidYouMean {
			t.Errorf("%q → entry %q handoff %v did-you-mean %v; in simplified %q → entry %q handoff %v did-you-mean %v",
				tt, got.EntryID, got.Handoff, got.DidYouMean, it.Text, want.EntryID, want.Handoff, want.DidYouMean)
		}
	}
	if n < 100 {
		t.Fatalf("only %d Chinese training wordings differ in traditional characters", n)
	}
}

// Wordings as written in Taiwan and Hong Kong.
func TestTraditionalWordings(t *testing.T) {
	checkAnswered(t, []struct{ text, want string }{
		{"運費怎麼算", "shipping-fee"},
		{"請問我的訂單現在到哪裡了", "track-order"},
		{"我想退貨,要怎麼辦理", "return-howto"},
		{"可以開發票嗎", "invoice"},
		{"信用卡可以分期付款嗎", "installments"},
		{"登入密碼忘記了", "account-password"},
		{"請幫我轉真人客服", kindHandoff},
		{"叫你們經理出來", kindHandoff},
	})
}

// Written Cantonese, in both scripts (hanzi.Fold), as customers in Hong
// Kong and Guangdong type it.
func TestCantoneseWordings(t *testing.T) {
	checkAnswered(t, []struct{ text, want string }{
		{"退咗貨幾耐先收到錢", "refund-time"},
		{"包裹拆開入面淨係得一樣嘢，訂咗兩樣㗎", "missing-item"},
		{"買部相機可唔可以分開幾個月俾錢", "installments"},
		{"上星期先買，今日見平咗三十蚊，可唔可以補返俾我", "price-protection"},
		{"呢件衫我應該揀咩碼", "size-guide"},
		{"我唔想再用，想刪咗個戶口", "delete-account"},
		{"北京有冇舖頭可以自己去攞", "store-pickup"},
		{"唔該幫我搵個真人", kindHandoff},
	})
}
