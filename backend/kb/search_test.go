package kb

import (
	"context"
	"reflect"
	"testing"
)

func TestIndexSearch(t *testing.T) {
	ix, err := NewIndex(Demo())
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		text, locale, want string
	}{
		{"包邮吗", ZH, "shipping-fee"},
		{"包邮呢", ZH, "shipping-fee"},      // particles are dropped
		{"密码忘了", ZH, "account-password"}, // unigrams match a word in part
		{"ＩＰＨＯＮＥ还有货吗", ZH, "stock"},      // full-width folded
		{"Is shipping free?", EN, "shipping-fee"},
		{"cancelling", EN, "cancel-order"}, // stemmed
	}
	for _, tt := range tests {
		r, err := ix.Search(context.Background(), tt.text, tt.locale, 3)
		if err != nil {
			t.Fatalf("Search(%q) error: %v", tt.text, err)
		}
		if len(r.Hits) == 0 || r.Hits[0].Entry.ID != tt.want {
			t.Errorf("Search(%q) = %+v, want %s first", tt.text, r.Hits, tt.want)
			continue
		}
		if len(r.Hits) > 3 {
			t.Errorf("Search(%q) gave %d hits, want at most 3", tt.text, len(r.Hits))
		}
		if r.Confidence <= 0 || r.Confidence > 1 {
			t.Errorf("Search(%q) confidence = %v, want in (0, 1]", tt.text, r.Confidence)
		}
	}
	// A sample question is as confident as it gets, unless another entry
	// shares its words.
	r, _ := ix.Search(context.Background(), "运费怎么算？", ZH, 0)
	if r.Confidence < 0.7 {
		t.Errorf("sample question confidence = %v, want at least 0.7", r.Confidence)
	}
	if r, _ := ix.Search(context.Background(), "qwertzuiop", EN, 0); len(r.Hits) != 0 || r.Confidence != 0 {
		t.Errorf("Search(nonsense) = %+v, want nothing", r)
	}
}

func TestIndexEmpty(t *testing.T) {
	for _, k := range []*KB{nil, {}} {
		ix, err := NewIndex(k)
		if err != nil {
			t.Fatal(err)
		}
		if r, err := ix.Search(context.Background(), "包邮吗", ZH, 3); err != nil || len(r.Hits) != 0 {
			t.Errorf("Search on empty index = %+v, %v, want nothing", r, err)
		}
	}
}

func TestIndexCanceled(t *testing.T) {
	ix, err := NewIndex(Demo())
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := ix.Search(ctx, "包邮吗", ZH, 3); err == nil {
		t.Errorf("Search(canceled) error = nil, want one")
	}
}

func TestSynonyms(t *testing.T) {
	ix, err := NewIndex(Demo())
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, a, b, locale string
		same               bool
	}{
		{"zh synonym", "邮费", "运费", ZH, true},
		{"zh longest first", "快递费", "运费", ZH, true},
		{"zh function words", "运费怎么算", "运费 算", ZH, true},
		{"zh kept word", "支付宝", "付款宝", ZH, false},
		{"zh 人工智能 is not 人工", "人工智能", "人工", ZH, false},
		{"en synonym", "parcels", "package", EN, true},
		{"en question word kept", "where", "", EN, false},
	}
	for _, tt := range tests {
		a, b := ix.terms(tt.a, tt.locale).terms, ix.terms(tt.b, tt.locale).terms
		if got := reflect.DeepEqual(a, b); got != tt.same {
			t.Errorf("%s: terms(%q) = %v, terms(%q) = %v, same = %v, want %v", tt.name, tt.a, a, tt.b, b, got, tt.same)
		}
	}
}
