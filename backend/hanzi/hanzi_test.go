package hanzi

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestSimplify(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"運費怎麼算", "运费怎么算"},
		{"我的訂單到哪裡了", "我的订单到哪里了"},
		{"請幫我轉真人客服", "请帮我转真人客服"},
		{"退貨退款要多久?", "退货退款要多久?"},
		{"how about 發票, 謝謝", "how about 发票, 谢谢"},
		{"頭髮", "头发"},
		{"週末有人嗎", "周末有人吗"},
		{"", ""},
	} {
		if got := Simplify(c.in); got != c.want {
			t.Errorf("Simplify(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// Simplified text, including characters that OpenCC's Taiwan and Hong
// Kong variant tables would rewrite (么, 吃, 着, 干, 后, 里, 台), is left
// as it is.
func TestSimplifiedUnchanged(t *testing.T) {
	for _, s := range []string{
		"发票怎么开", "吃饭了吗", "我着急", "干洗可以吗", "以后再说", "这里", "台湾能发货吗",
		"我的订单到哪里了", "你们几点下班", "换货要多久", "退款没到账怎么办", "转人工",
		"周末发货吗", "拍下后多久发货", "会员积分怎么用", "优惠券用不了",
		"Can I get a refund?", "café ½ ° “quotes” 。，！",
	} {
		if got := Simplify(s); got != s {
			t.Errorf("Simplify(%q) = %q, want it unchanged", s, got)
		}
	}
}

func TestNoCopyWithoutTraditional(t *testing.T) {
	for _, s := range []string{"where is my order", "我的订单到哪里了"} {
		if n := testing.AllocsPerRun(100, func() { _ = Simplify(s) }); n != 0 {
			t.Errorf("Simplify(%q) allocates %v times", s, n)
		}
	}
}

// Every simplified form is final: folding twice is folding once.
func TestTableFinal(t *testing.T) {
	m := table()
	if len(m) < 4000 {
		t.Fatalf("table has %d characters, want the OpenCC table's ~4,100", len(m))
	}
	for tr, s := range m {
		if tr == s {
			t.Errorf("%c maps to itself", tr)
		}
		if _, ok := m[s]; ok {
			t.Errorf("%c → %c, which is folded again", tr, s)
		}
		if tr < firstHan {
			t.Errorf("%c (U+%04X) is below firstHan", tr, tr)
		}
	}
}

func FuzzSimplify(f *testing.F) {
	for _, s := range []string{"運費怎麼算", "how about 發票", "发票怎么开", "\xff\xfe", "𠀀𫝈㑮"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := Simplify(s)
		if utf8.ValidString(s) {
			if !utf8.ValidString(got) {
				t.Fatalf("Simplify(%q) = %q, not valid UTF-8", s, got)
			}
			if utf8.RuneCountInString(got) != utf8.RuneCountInString(s) {
				t.Fatalf("Simplify(%q) = %q changed the character count", s, got)
			}
		}
		if again := Simplify(got); again != got {
			t.Fatalf("Simplify is not idempotent on %q: %q then %q", s, got, again)
		}
		if !strings.ContainsFunc(s, func(r rune) bool { return r >= firstHan }) && got != s {
			t.Fatalf("Simplify(%q) = %q changed text without Chinese", s, got)
		}
	})
}

func TestTraditional(t *testing.T) {
	for _, s := range []string{"运费怎么算", "我的订单到哪里了", "发票", "how about 发票"} {
		tr := Traditional(s)
		if tr == s {
			t.Errorf("Traditional(%q) changed nothing", s)
		}
		if back := Simplify(tr); back != s {
			t.Errorf("Simplify(Traditional(%q)) = %q (via %q)", s, back, tr)
		}
	}
	if got := Traditional("运费怎么算"); got != "運費怎麼算" {
		t.Errorf("Traditional(运费怎么算) = %q, want 運費怎麼算", got)
	}
}

func TestNarrow(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"ＨＯＷ ＬＯＮＧ ＦＯＲ Ａ ＲＥＦＵＮＤ", "HOW LONG FOR A REFUND"},
		{"７天无理由退货吗？", "7天无理由退货吗？"},
		{"可以开ｆａｐｉａｏ吗", "可以开fapiao吗"},
		{"退货\u3000运费", "退货 运费"},
		{"转 人 工", "转人工"},
		{"怎 么 申 请 退 货", "怎么申请退货"},
		{"我要 转 人 工 谢谢", "我要 转人工 谢谢"},
		{"订单 123 怎 么 查 呢", "订单 123 怎么查呢"},
		// Words with spaces between, and two characters alone, stay.
		{"怎么 申请 退货", "怎么 申请 退货"},
		{"是 的", "是 的"},
		{"a b c d", "a b c d"},
		{"how do I return this", "how do I return this"},
		{"", ""},
	} {
		if got := Narrow(c.in); got != c.want {
			t.Errorf("Narrow(%q) = %q, want %q", c.in, got, c.want)
		}
		if got := Fold(c.in); got != Simplify(c.want) {
			t.Errorf("Fold(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestNarrowNoCopy(t *testing.T) {
	for _, s := range []string{"where is my parcel", "怎么 申请 退货", "运费怎么算", "是 的"} {
		if n := testing.AllocsPerRun(100, func() { _ = Narrow(s) }); n != 0 {
			t.Errorf("Narrow(%q) allocates %v times", s, n)
		}
	}
}

func FuzzNarrow(f *testing.F) {
	for _, s := range []string{"ＨＵＭＡＮ", "转 人 工", "怎么 申请 退货", "a 转 人 工 b", "７天\u3000无理由", "\xff 转 \xfe", "转  人  工"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := Narrow(s)
		if utf8.ValidString(s) && !utf8.ValidString(got) {
			t.Fatalf("Narrow(%q) = %q, not valid UTF-8", s, got)
		}
		if again := Narrow(got); again != got {
			t.Fatalf("Narrow is not idempotent on %q: %q then %q", s, got, again)
		}
		if strings.ContainsFunc(got, isWide) {
			t.Fatalf("Narrow(%q) = %q keeps a full-width letter or digit", s, got)
		}
		if utf8.RuneCountInString(got) > utf8.RuneCountInString(s) {
			t.Fatalf("Narrow(%q) = %q added characters", s, got)
		}
		if !strings.ContainsFunc(s, func(r rune) bool { return r >= 0x3000 }) && got != s {
			t.Fatalf("Narrow(%q) = %q changed text without Chinese or full-width forms", s, got)
		}
	})
}
