package kb

import "testing"

func TestSubstitutes(t *testing.T) {
	ix, err := NewIndex(Demo())
	if err != nil {
		t.Fatal(err)
	}
	entry := -1
	for i, e := range ix.entries {
		if e.ID == "account-phone" {
			entry = i
		}
	}
	if entry < 0 {
		t.Fatal("the demo knowledge base has no account-phone entry")
	}
	for text, want := range map[string]bool{
		// Another detail of the account in the phone number's place.
		"how do I change my username": true,
		"怎么换绑邮箱":                      true,
		// The phone number itself, or nothing of the account's in its place.
		"how do I change my phone number":     false,
		"账号绑的手机号怎么改":                          false,
		"is there a buy now pay later option": false,
	} {
		locale := EN
		if !isASCII(text) {
			locale = ZH
		}
		if got := ix.substitutes(ix.queryTerms(text, locale), entry); got != want {
			t.Errorf("substitutes(%q, account-phone) = %v, want %v", text, got, want)
		}
	}
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}
