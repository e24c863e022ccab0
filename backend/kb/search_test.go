package kb

import (
	"context"
	"math"
	"reflect"
	"slices"
	"testing"

	"switchboard/backend/hanzi"
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
		// "can I get" weighs little in bleve's score too, not only
		// in the similarity: the entry is the one about refunds, not
		// "Can I get an invoice?".
		{"Can I get a refund?", EN, "refund-time"},
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

func TestTermWeights(t *testing.T) {
	k := Demo()
	ix, err := NewIndex(k)
	if err != nil {
		t.Fatal(err)
	}
	n := float64(len(k.Entries))
	tests := []struct {
		name, term, locale string
		want               float64
	}{
		// Only refund-time asks about refunds; more answers mention
		// them, but answers do not count.
		{"asked by one entry", "refund", EN, math.Log(1 + n)},
		{"in no question", "qwertzuiop", EN, math.Log(1 + n/2)},
		{"filler asked by several", "get", EN, fillerWeight},
		{"filler in no question", "pleas", EN, fillerWeight},
		{"question word", "who", EN, questionWeight * ix.idfOf("who", EN)},
		{"no fillers in Chinese", "退款", ZH, ix.idfOf("退款", ZH)},
	}
	for _, tt := range tests {
		if got := ix.weight(tt.term, tt.locale); math.Abs(got-tt.want) > 1e-9 {
			t.Errorf("%s: weight(%q) = %.3f, want %.3f", tt.name, tt.term, got, tt.want)
		}
	}
	// What a short question is about outweighs all its fillers.
	q := ix.terms("Can I get a refund please?", EN)
	var fillers float64
	for term := range q.terms {
		if enFillerWords[term] {
			fillers += ix.weight(term, EN)
		}
	}
	if refund := ix.weight("refund", EN); fillers >= refund/2 {
		t.Errorf("fillers of %v weigh %.2f, want less than half of refund's %.2f", q.terms, fillers, refund)
	}
}

// A knowledge base written in traditional characters (a shop in Taiwan or
// Hong Kong) matches as the same one in simplified characters does, for
// questions in either script, and its hits show the entries as written.
func TestTraditionalKB(t *testing.T) {
	simp := Demo()
	trad := Demo()
	for i := range trad.Entries {
		e := &trad.Entries[i]
		e.Questions.ZH = slices.Clone(e.Questions.ZH)
		for j, q := range e.Questions.ZH {
			e.Questions.ZH[j] = hanzi.Traditional(q)
		}
		e.Answer.ZH = hanzi.Traditional(e.Answer.ZH)
	}
	six, err := NewIndex(simp)
	if err != nil {
		t.Fatal(err)
	}
	tix, err := NewIndex(trad)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	n := 0
	for _, e := range simp.Entries {
		for _, q := range e.Questions.ZH {
			want, err := six.Search(ctx, q, ZH, 3)
			if err != nil {
				t.Fatal(err)
			}
			for _, text := range []string{q, hanzi.Traditional(q)} {
				got, err := tix.Search(ctx, text, ZH, 3)
				if err != nil {
					t.Fatal(err)
				}
				n++
				if len(got.Hits) != len(want.Hits) || len(got.Hits) > 0 && (got.Hits[0].Entry.ID != want.Hits[0].Entry.ID || math.Abs(got.Confidence-want.Confidence) > 1e-9) {
					t.Errorf("%q in the traditional KB: %v (%.3f), in the simplified one %v (%.3f)", text, ids(got.Hits), got.Confidence, ids(want.Hits), want.Confidence)
					continue
				}
				if len(got.Hits) > 0 {
					if e, _ := trad.Entry(got.Hits[0].Entry.ID); got.Hits[0].Entry.Answer.ZH != e.Answer.ZH {
						t.Errorf("%q: hit's answer %q, want the entry as written %q", text, got.Hits[0].Entry.Answer.ZH, e.Answer.ZH)
					}
				}
			}
		}
	}
	if n < 20 {
		t.Fatalf("only %d searches", n)
	}
}

func ids(hs []Hit) []string {
	var out []string
	for _, h := range hs {
		out = append(out, h.Entry.ID)
	}
	return out
}

// TestOutsideTheShop checks that a text about a topic no shop answers, or
// one that shares no concept with its best entry, stays below the bot's
// threshold in its language (package bot: 0.22 zh, 0.30 en), while the
// shop question with the same words does not.
func TestOutsideTheShop(t *testing.T) {
	ix, err := NewIndex(Demo())
	if err != nil {
		t.Fatal(err)
	}
	threshold := map[string]float64{ZH: 0.22, EN: 0.30}
	tests := []struct {
		text, locale string
		low          bool
	}{
		{"how do I change my phone wallpaper", EN, true},
		{"what's the price of bitcoin today", EN, true},
		{"怎么给手机换铃声", ZH, true},
		{"手机充不进电了怎么办", ZH, true}, // shares 手机 with 换绑手机号, no concept
		{"How do I change my phone number?", EN, false},
		{"can I pay with bitcoin", EN, false},
		{"怎么换绑手机号", ZH, false},
	}
	for _, tt := range tests {
		r, err := ix.Search(context.Background(), tt.text, tt.locale, 1)
		if err != nil {
			t.Fatal(err)
		}
		if low := r.Confidence < threshold[tt.locale]; low != tt.low {
			t.Errorf("Search(%q) confidence = %.2f, want below %.2f: %v", tt.text, r.Confidence, threshold[tt.locale], tt.low)
		}
	}
}

// TestConceptGain checks the two gains of a concept found: said more than
// once (repeatConcepts, measured alone) and found in a long Chinese
// phrase (spanGain).
func TestConceptGain(t *testing.T) {
	ix, err := NewIndex(Demo())
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		text, locale, concept string
		repeat                bool // the repeat gain alone, or the phrase gain alone
		want                  float64
	}{
		// Said twice over: the blender broke, and is it covered.
		{"the blender broke, is it still covered", EN, "@warranty", true, 1 + repeatGain},
		{"is it covered", EN, "@warranty", true, 1},
		{"保修多久，坏了能修吗", ZH, "@warranty", true, 1 + repeatGain},
		// Found in a phrase longer than a word.
		{"可以改订单吗", ZH, "@modify-order", false, 1 + spanGain},     // 改订单
		{"保修", ZH, "@warranty", false, 1},                        // a word
		{"不想买了能取消吗", ZH, "@cancel-order", false, 2},              // eight characters: at most twice
		{"can I change my order", EN, "@modify-order", false, 1}, // English: words, not characters
	} {
		qt := ix.terms(tt.text, tt.locale)
		if tt.repeat {
			ix.repeatConcepts(&qt, ix.matches(expandContractions(tt.text)))
			qt.long = nil
		}
		if got := qt.gain(tt.concept); got != tt.want {
			t.Errorf("%q: gain of %s = %v, want %v (found %v)", tt.text, tt.concept, got, tt.want, qt.sorted)
		}
	}
}

func TestTranslateLatin(t *testing.T) {
	ix, err := NewIndex(Demo())
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ text, want string }{
		// The English word makes one term with the Chinese beside it.
		{"refund 几天到", "退款几天到"},
		{"invoice 怎么开", "发票怎么开"},
		// Not where it makes none: the English word stays.
		{"周末 ship 吗", "周末 ship 吗"},
		{"可以用 paypal 付吗", "可以用 paypal 付吗"},
		{"包邮吗", "包邮吗"},
	} {
		if got := ix.translateLatin(tt.text); got != tt.want {
			t.Errorf("translateLatin(%q) = %q, want %q", tt.text, got, tt.want)
		}
	}
}

func TestZHQuestionParticle(t *testing.T) {
	for in, want := range map[string]string{
		"亲 今天能发不":  "亲 今天能发吗",
		"包邮么":      "包邮吗",
		"能退不 没拆":   "能退吗 没拆",
		"坏了给修不？":   "坏了给修吗？",
		"发了没":      "发了吗",
		"到了没有呀":    "到了吗呀",
		"积分能换什么":   "积分能换什么",
		"怎么":       "怎么",
		"还不":       "还不",
		"我要不":      "我要不",
		"不":        "不",
		"这个好不好用不？": "这个好不好用吗？",
	} {
		if got := zhQuestionParticle(in); got != want {
			t.Errorf("zhQuestionParticle(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestPinyinToHan(t *testing.T) {
	ix, err := NewIndex(Demo())
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ text, want string }{
		// A term's pinyin, run together, in Chinese.
		{"我想查一下wuliu信息", "我想查一下物流信息"},
		{"我想quxiao订单", "我想取消订单"},
		// English words, short pinyin and Chinese alone stay.
		{"可以用 paypal 付吗", "可以用 paypal 付吗"},
		{"我的order到哪了", "我的order到哪了"},
		{"li先生的快递", "li先生的快递"},
		{"包邮吗", "包邮吗"},
	} {
		if got := ix.pinyinToHan(tt.text); got != tt.want {
			t.Errorf("pinyinToHan(%q) = %q, want %q", tt.text, got, tt.want)
		}
	}
}
