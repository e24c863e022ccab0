package lexicon

import (
	"slices"
	"strings"
	"testing"
)

func mustLoad(tb testing.TB) *Lexicon {
	tb.Helper()
	lx, err := Load()
	if err != nil {
		tb.Fatalf("Load() error: %v", err)
	}
	return lx
}

func TestLoad(t *testing.T) {
	lx := mustLoad(t)
	if n := lx.Len(); n < 250 {
		t.Errorf("Load() has %d concepts, want at least 250", n)
	}
	if lx.Version() < 1 {
		t.Errorf("Version() = %d, want at least 1", lx.Version())
	}
	if again, _ := Load(); again != lx {
		t.Errorf("Load() parsed the file twice")
	}
	for _, id := range lx.IDs() {
		if len(lx.Terms(id, Chinese)) == 0 || len(lx.Terms(id, English)) == 0 {
			t.Errorf("concept %s lacks a Chinese or an English term", id)
		}
	}
}

// TestEveryTermFindsItsConcept checks the index against the file: each term, alone,
// yields its concept (an ambiguous one among others).
func TestEveryTermFindsItsConcept(t *testing.T) {
	lx := mustLoad(t)
	for _, id := range lx.IDs() {
		for _, lang := range []Lang{Chinese, English} {
			for _, term := range lx.Terms(id, lang) {
				if got := lx.Concepts(term); !slices.Contains(got, id) {
					t.Errorf("Concepts(%q) = %v, want it to contain %s", term, got, id)
				}
			}
		}
	}
}

func TestParseErrors(t *testing.T) {
	const head = "@format 1\n@version 1\n"
	tests := []struct {
		name, in, want string
	}{
		{"no format", "@version 1\na | 退款 | refund\n", "before the @format line"},
		{"wrong format", "@format 2\n", "format"},
		{"no version", "@format 1\na | 退款 | refund\n", "no @version"},
		{"bad id", head + "Refund | 退款 | refund\n", "bad concept id"},
		{"duplicate id", head + "a | 退款 | refund\na | 退货 | return\n", "duplicate concept id"},
		{"no Chinese", head + "a |  | refund\n", "no Chinese term"},
		{"no English", head + "a | 退款 | \n", "no English term"},
		{"Chinese without Han", head + "a | tk | refund\n", "no Han character"},
		{"English with Han", head + "a | 退款 | refund退\n", "has Han characters"},
		{"too few fields", head + "a | 退款\n", "fields"},
		{"unknown related", head + "a | 退款 | refund | b\n", "unknown related"},
		{"related to itself", head + "a | 退款 | refund | a\n", "related to itself"},
		{"term in two concepts", head + "a | 退款 | refund\nb | 退钱 | Refund\n", `term "refund" in concepts a and b`},
		{"unused ambiguous", head + "@ambiguous 换\na | 换货 | swap\n", "not in two concepts"},
		{"unknown directive", head + "@colour blue\n", "unknown directive"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse(strings.NewReader(tt.in))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Parse(%q) error = %v, want one containing %q", tt.in, err, tt.want)
			}
		})
	}
}

func TestParseAmbiguous(t *testing.T) {
	in := "@format 1\n@version 3\n@ambiguous 换\na | 换货, 换 | swap\nb | 改单, 换 | amend\n"
	lx, err := Parse(strings.NewReader(in))
	if err != nil {
		t.Fatalf("Parse() error: %v", err)
	}
	if got, want := lx.Concepts("换"), []string{"a", "b"}; !slices.Equal(got, want) {
		t.Errorf("Concepts(%q) = %v, want %v", "换", got, want)
	}
	if got := lx.Version(); got != 3 {
		t.Errorf("Version() = %d, want 3", got)
	}
}

func TestConcepts(t *testing.T) {
	lx := mustLoad(t)
	tests := []struct {
		name, in string
		want     []string
	}{
		// English phrasal verbs split around their object, in one clause,
		// not across a term (whose concept would be lost).
		{"en split phrasal verb", "I want to send the jacket back", []string{"return"}},
		{"en split call off", "can you call the whole thing off", []string{"cancel-order"}},
		{"en split not across a clause", "send the jacket, back", nil},
		{"en split not across a term", "can I hand the parcel over", []string{"courier"}},
		// "lately" is no late parcel, though Porter stems it to "late".
		{"en lately is not late", "I'm so tired lately", nil},
		{"en late", "my parcel is late", []string{"late-delivery"}},
		// Chinese: longest match, colloquial forms.
		{"zh courier slang", "我的件儿到哪了", []string{"courier", "tracking"}},
		{"zh longest wins", "快递费谁出", []string{"shipping-fee"}},
		{"zh refund colloquial", "能把钱退给我吗", []string{"refund"}},
		{"zh carrier", "能发顺丰吗", []string{"sf-express"}},
		{"zh two carriers", "顺丰还是中通", []string{"sf-express", "zto"}},
		{"zh special invoice", "公司要开专票", []string{"vat-invoice"}},
		{"zh warranty", "这个三包吗", []string{"warranty"}},
		{"zh installments", "能用花呗分期吗", []string{"huabei", "installments"}},
		{"zh hours with person", "人工客服几点上班", []string{"human-agent", "business-hours"}},
		{"zh price protection", "刚买就降价了", []string{"price-protection"}},
		{"zh parcel locker", "放丰巢就行", []string{"parcel-locker"}},
		{"zh full-width", "ＶＩＰ会员有什么权益", []string{"vip", "membership"}},
		{"zh function-word lead yields", "我要退款", []string{"refund"}},
		{"zh function-word lead yields, bind a phone", "怎么换绑手机号", []string{"phone-number"}},
		{"zh nothing", "今天天气不错", nil},
		// The knowledge base's own words read as written (@version 136):
		// 使用 is no 试用 (a sample), 申请价保 no 请价, 电子普通发票 no
		// 通发; data stored encrypted is no shop.
		{"zh use is no sample", "优惠券怎么使用", []string{"coupon", "usage"}},
		{"zh apply for price protection", "可申请价保", []string{"price-protection"}},
		{"zh plain e-invoice", "支持开具电子普通发票", []string{"e-invoice"}},
		{"en stored encrypted", "personal data is stored encrypted", []string{"privacy"}},
		{"zh damaged, as a state", "屏幕是裂的", []string{"damaged-item"}},
		{"zh ship time, give", "付完钱几天给发", []string{"payment", "ship-time"}},
		{"zh privacy, other companies", "你们会把我的地址给别的公司吗", []string{"shipping-address", "privacy"}},
		{"zh switch is no exchange", "手机怎么切换成深色模式", []string{"app-setting", "elsewhere-device"}},
		// A determiner or 的 inside a term is passed over; the term as
		// written wins a tie.
		{"zh infix determiner", "我要退掉这个订单", []string{"cancel-order"}},
		{"zh infix de", "寄回去的邮费谁出", []string{"return-shipping-fee"}},
		{"zh infix not at the edge", "的邮费", []string{"shipping-fee"}},
		{"zh term with de as written", "下的单", []string{"order"}},
		{"zh term said without its de", "你们会卖我电话吗", []string{"privacy"}},
		{"zh late, promised days, de left out", "说好三天到的呢", []string{"late-delivery"}},
		{"zh points redeemed with 换", "积分能换东西不", []string{"points"}},
		{"zh parts missing", "配件没有啊", []string{"missing-item"}},

		// English: phrases, inflections, misspellings.
		{"en money back", "I just want my money back", []string{"refund"}},
		{"en inflection", "has my order shipped yet", []string{"order", "shipping"}},
		{"en plural", "do you accept gift cards", []string{"gift-card"}},
		{"en card brand", "can I pay with Amex?", []string{"payment", "amex"}},
		{"en carrier", "Is it sent by FedEx or UPS", []string{"fedex", "ups"}},
		{"en guarantee", "what guarantee comes with it", []string{"warranty"}},
		{"en swap", "I'd like to swap it for another one", []string{"exchange"}},
		{"en country", "Do you deliver to New Zealand", []string{"delivery", "new-zealand"}},
		{"en apostrophe", "where's my parcel", []string{"tracking"}},
		{"en misspelled refund", "refnd please", []string{"refund"}},
		{"en misspelled cancel", "cancle it", []string{"cancel-order"}},
		{"en misspelled receipt", "can you send the reciept", []string{"receipt"}},
		{"en misspelled warranty", "is there a warrenty", []string{"warranty"}},
		{"en package not packaging", "the packaging was torn", []string{"packaging"}},
		{"en charged twice", "You charged me twice!!", []string{"double-charge"}},
		{"en payment timing out", "the payment keeps timing out", []string{"payment", "payment-failed"}},
		// The data named inside a privacy phrase is the phrase's, not an
		// account's phone number.
		{"en privacy, data passed on", "will my phone number be passed on to other companies", []string{"privacy"}},
		{"en privacy, who sees", "who can see my address and phone number", []string{"privacy"}},
		{"en phone number alone", "how do I change my phone number", []string{"phone-number"}},
		{"en contraction", "I didn't receive it", []string{"not-received"}},
		{"en contraction without apostrophe", "i didnt receive it", []string{"not-received"}},
		{"en contraction written out", "I did not receive it", []string{"not-received"}},
		{"en phrasal verb", "please call off my order", []string{"cancel-order", "order"}},
		{"en person", "let me talk to a real person", []string{"human-agent"}},
		{"en nothing", "the weather is lovely", nil},
		{"en word inside word", "unsupported", nil},

		// Mixed Chinese and English.
		{"mixed card brand", "可以用visa付款吗", []string{"visa", "payment"}},
		{"mixed refund", "我想refund", []string{"refund"}},
		{"mixed carrier", "DHL几天到", []string{"dhl", "delivery-time"}},
		{"mixed coupon", "有coupon吗", []string{"coupon"}},
		{"mixed term holding Latin", "下载app", []string{"app"}},
		{"mixed complaint", "我要投诉, the delivery guy was rude", []string{"complaint", "courier-contact", "bad-service"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := lx.Concepts(tt.in); !slices.Equal(got, tt.want) {
				t.Errorf("Concepts(%q) = %v, want %v", tt.in, got, tt.want)
			}
		})
	}
}

func TestHomophoneTypos(t *testing.T) {
	lx := mustLoad(t)
	tests := []struct {
		name, in string
		want     []string
		term     string // the term the typo stands for, "" if none
	}{
		{"refund", "我想退宽", []string{"refund"}, "退款"},
		{"ship", "什么时候发火", []string{"ship-time"}, "什么时候发货"},
		{"invoice", "我要开发飘", []string{"invoice"}, "开发票"},
		{"courier", "快第到了吗", []string{"courier"}, "快递"},
		{"points", "积份能抵钱吗", []string{"points"}, "积分"},
		{"exchange", "能换火吗", []string{"exchange"}, "换货"},
		{"tone-insensitive", "退活", []string{"return"}, "退货"},
		{"three characters, two kept", "运废险", []string{"shipping-insurance"}, "运费险"},
		// Alike in sound only, or a function word in place of a term's character.
		{"no character kept", "知否", nil, ""},
		{"function word", "我有件衣服", nil, ""},
		{"only a function word kept", "你几岁了", nil, ""},
		{"rare reading only", "顺丰还是中通", []string{"sf-express", "zto"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := lx.Concepts(tt.in); !slices.Equal(got, tt.want) {
				t.Errorf("Concepts(%q) = %v, want %v", tt.in, got, tt.want)
			}
			var homophones []string
			for _, m := range lx.Matches(tt.in) {
				if m.Homophone {
					homophones = append(homophones, m.Term)
				}
			}
			if tt.term == "" && len(homophones) > 0 {
				t.Errorf("Matches(%q) found homophones %v, want none", tt.in, homophones)
			}
			if tt.term != "" && !slices.Contains(homophones, tt.term) {
				t.Errorf("Matches(%q) found homophones %v, want %s", tt.in, homophones, tt.term)
			}
		})
	}
}

func TestHomophones(t *testing.T) {
	lx := mustLoad(t)
	var terms []string
	for _, m := range lx.Homophones("退宽") {
		terms = append(terms, m.Term)
	}
	if !slices.Contains(terms, "退款") {
		t.Errorf("Homophones(%q) = %v, want 退款 among them", "退宽", terms)
	}
	if got := lx.Homophones("天气"); len(got) != 0 {
		t.Errorf("Homophones(%q) = %v, want none", "天气", got)
	}
}

// A span that only sounds like a term gives way where a character it takes
// for a typo begins a word written as it is, and a particle is no typo.
func TestHomophonesGiveWay(t *testing.T) {
	lx := mustLoad(t)
	for _, tt := range []struct{ text, not, want string }{
		// 交退 sounds like 交税 (税 is read tuì too), but 退 begins 退货.
		{"在哪里提交退货申请", "交税", "退货申请"},
		// 看呀 sounds like 看牙; 呀 is a particle.
		{"我买的东西在哪看呀", "看牙", ""},
	} {
		var terms []string
		for _, m := range lx.Matches(tt.text) {
			terms = append(terms, m.Term)
		}
		if slices.Contains(terms, tt.not) || tt.want != "" && !slices.Contains(terms, tt.want) {
			t.Errorf("Matches(%q) = %v, want %q among them and not %q", tt.text, terms, tt.want, tt.not)
		}
	}
	// The term itself, written, is found.
	var terms []string
	for _, m := range lx.Matches("交税能用信用卡吗") {
		terms = append(terms, m.Term)
	}
	if !slices.Contains(terms, "交税") {
		t.Errorf("Matches(%q) = %v, want 交税 among them", "交税能用信用卡吗", terms)
	}
}

func TestMatchesSpans(t *testing.T) {
	lx := mustLoad(t)
	text := "Hi，我的ＤＨＬ包裹 lost in the mail, 要退宽"
	want := []struct{ span, term string }{
		{"Hi", "hi"},
		{"ＤＨＬ", "dhl"},
		{"包裹", "包裹"},
		{"lost in the mail", "lost in the mail"},
		{"退宽", "退款"},
	}
	got := lx.Matches(text)
	if len(got) != len(want) {
		t.Fatalf("Matches(%q) = %+v, want %d matches", text, got, len(want))
	}
	for i, m := range got {
		if span := text[m.Start:m.End]; span != want[i].span || m.Term != want[i].term {
			t.Errorf("Matches(%q)[%d] = %q as %q, want %q as %q", text, i, span, m.Term, want[i].span, want[i].term)
		}
	}
}

func TestAnyPhrase(t *testing.T) {
	lx := mustLoad(t)
	isPayPal := func(id string) bool { return id == "paypal" }
	isElsewhere := func(id string) bool { return strings.HasPrefix(id, "elsewhere-") }
	for _, tt := range []struct {
		text string
		want func(string) bool
		is   bool
	}{
		// Hidden by an earlier phrase, found all the same.
		{"how do I pay my rent online", isElsewhere, true},
		{"how do I change the address on my passport", isElsewhere, true},
		{"how do I pay for my order", isElsewhere, false},
		{"can I pay by paypal", isPayPal, true},
		// Chinese is not read.
		{"退款退回微信零钱吗", isElsewhere, false},
	} {
		if got := lx.AnyPhrase(tt.text, tt.want); got != tt.is {
			t.Errorf("AnyPhrase(%q) = %v, want %v", tt.text, got, tt.is)
		}
	}
}

func TestTerms(t *testing.T) {
	lx := mustLoad(t)
	if got := lx.Terms("refund", English); !slices.Contains(got, "money back") {
		t.Errorf("Terms(refund, en) = %v, want it to contain %q", got, "money back")
	}
	if got := lx.Terms("courier", Chinese); !slices.Contains(got, "件儿") {
		t.Errorf("Terms(courier, zh) = %v, want it to contain %q", got, "件儿")
	}
	if got := lx.Terms("no-such-concept", Chinese); got != nil {
		t.Errorf("Terms(no-such-concept, zh) = %v, want nil", got)
	}
	if got := lx.Terms("refund", Lang("fr")); got != nil {
		t.Errorf("Terms(refund, fr) = %v, want nil", got)
	}
	got := lx.Terms("refund", English)
	got[0] = "changed"
	if lx.Terms("refund", English)[0] == "changed" {
		t.Errorf("Terms returned the lexicon's own slice")
	}
}

var benchTexts = []string{
	"你好，我上周买的外套还没收到，物流一直不更新，能帮我查一下吗？不行就退宽吧",
	"Hi, I ordered two pairs of shoes last week and the tracking hasn't updated since Monday. Can I get a refund or a replacement?",
	"我用visa付的款，被扣了两次，invoice也没收到",
}

func BenchmarkConcepts(b *testing.B) {
	lx := mustLoad(b)
	for b.Loop() {
		for _, s := range benchTexts {
			lx.Concepts(s)
		}
	}
}

func BenchmarkParse(b *testing.B) {
	for b.Loop() {
		if _, err := Parse(strings.NewReader(string(conceptsFile))); err != nil {
			b.Fatal(err)
		}
	}
}

func FuzzMatches(f *testing.F) {
	lx := mustLoad(f)
	for _, s := range benchTexts {
		f.Add(s)
	}
	f.Add("ＤＨＬ\xff退宽’s")
	f.Add("下载app邮政EMS")
	f.Fuzz(func(t *testing.T, text string) {
		end := 0
		for _, m := range lx.Matches(text) {
			if m.Start < end || m.End <= m.Start || m.End > len(text) {
				t.Fatalf("Matches(%q): span [%d,%d) after %d", text, m.Start, m.End, end)
			}
			if len(m.Concepts) == 0 {
				t.Fatalf("Matches(%q): %q without a concept", text, m.Term)
			}
			end = m.End
		}
	})
}

func TestPinyinAndSoundsLike(t *testing.T) {
	if got := Pinyin("物流"); got != "wu liu" {
		t.Errorf(`Pinyin("物流") = %q, want "wu liu"`, got)
	}
	if got := Pinyin("物a"); got != "" {
		t.Errorf(`Pinyin("物a") = %q, want ""`, got)
	}
	tests := []struct {
		text, term string
		want       bool
	}{
		{"无流", "物流", true},
		{"包油", "包邮", true},
		{"退宽", "退款", true},
		{"有件", "邮件", false}, // 有 is a function character
		{"知否", "支付", false}, // no character kept
		{"物流", "物流", true},
		{"物", "物流", false},
	}
	for _, tt := range tests {
		if got := SoundsLike(tt.text, tt.term); got != tt.want {
			t.Errorf("SoundsLike(%q, %q) = %v, want %v", tt.text, tt.term, got, tt.want)
		}
	}
}
