package kb

import (
	"regexp"
	"strings"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/registry"
)

// Synonyms of the shop's domain, folded onto one word before the words are
// indexed or searched, so that a customer who says 邮费 finds the entry
// that says 运费 and "parcel" the one that says "package". They are general
// words of online shopping and after-sales service, not the wordings of any
// one knowledge base: each group's first word is the canonical form, the
// one the knowledge base is most likely to use. Words with a second common
// sense in a shop (真的 "really", "present" as a verb, 券 inside 优惠券)
// are left out: folding them would join topics that are not the same.
//
// Chinese has no spaces, so its groups are replaced as substrings of the
// text (longest first, see zhSynonymReplacer) before the CJK analysis;
// English groups are whole lowercased words, replaced before stemming.
var (
	zhSynonyms = [][]string{
		{"运费", "邮费", "快递费", "运输费", "配送费", "快递钱", "邮费钱", "运费钱", "邮寄费", "寄费", "邮资"},
		{"包邮", "免运费", "免邮费", "免邮"},
		{"快递", "物流", "包裹"},
		{"发货", "寄出", "发出"},
		{"多久", "多长时间", "多少天", "几天"},
		{"在哪", "在哪里", "在哪儿", "到哪儿", "到哪里", "到哪"},
		{"政策", "规则", "规定"},
		{"坏了", "破损", "损坏", "碎了", "摔坏"},
		{"专用发票", "专票"},
		{"普通发票", "普票"},
		{"尺码", "尺寸", "码数"},
		{"保修", "质保", "保修期"},
		{"付款", "付钱", "支付"},
		{"取消", "撤销", "撤单"},
		{"注销", "销户"},
		{"门店", "实体店", "线下店"},
		{"批量", "批发", "团购"},
		{"假货", "假的", "冒牌", "山寨"},
		{"国外", "海外", "境外", "国际"},
		{"手机号", "手机号码", "电话号码"},
		// Not a shop word, but its 人工 is not the 人工 of 转人工.
		{"AI", "人工智能"},
	}
	enSynonyms = [][]string{
		{"package", "parcel", "parcels", "packages"},
		{"courier", "couriers", "carrier", "carriers"},
		{"shipping", "postage", "delivery"},
		{"abroad", "overseas", "international", "internationally", "worldwide"},
		{"damaged", "broken", "defective", "faulty", "cracked", "smashed"},
		{"exchange", "swap", "exchanged", "swapped"},
		{"genuine", "authentic", "counterfeit", "fake"},
		{"coupon", "coupons", "voucher", "vouchers"},
		{"installment", "installments", "instalment", "instalments"},
		{"colour", "color", "colours", "colors"},
		{"chart", "guide"},
		{"phone", "mobile", "cellphone"},
		{"store", "stores", "shop", "shops"},
		{"late", "delayed", "overdue"},
		{"buy", "bought", "purchase", "purchased"},
		{"delete", "deactivate"},
	}
)

// zhFunctionWords are the scaffolding of a Chinese question. They are
// replaced by a space before analysis, like the particles of analyzerZH
// but before the bigrams are made: "运费怎么算" and "运费多少钱" then share
// 运费 and nothing else, and no bigram straddles the boundary (么算).
var zhFunctionWords = []string{
	"怎么办", "怎么样", "怎么", "怎样", "如何", "什么", "可不可以", "可以", "能不能", "是不是",
	"有没有", "请问", "一下", "你们", "我们", "我的", "我想", "我要",
}

// zhKeep are words that contain a Chinese synonym but are not one:
// 支付宝 is Alipay, not 付款宝, and 好几天 is "for days", not "how long".
var zhKeep = []string{"支付宝", "好几天"}

// enOtherSense are English phrases whose shop word means something else:
// the stock of "stock market" is not the shop's stock. They are joined
// into one word before a customer's text is analyzed.
var enOtherSense = regexp.MustCompile(`(?i)\bstock (market|markets|exchange|price|prices|shares)\b`)

// enNegated matches a negated auxiliary, with or without its apostrophe
// ("hasn't", "hasnt", "cannot"); enShort an other contraction ("I'm",
// "we'll", "you've").
var (
	enNegated = regexp.MustCompile(`(?i)\b(do|does|did|is|are|was|were|has|have|had|could|should|would|must|need|ca|wo)n['’]?t\b|\bcannot\b`)
	enShort   = regexp.MustCompile(`(?i)\b(i|you|we|they|it|that|there|he|she)['’](m|re|ve|ll|d)\b`)
	// enShortBare are the contractions typed without the apostrophe
	// that are no other word: "ive", "im", "youre", "weve", "theyve"
	// (not "were", "ill", "id", "its", "well").
	enShortBare = regexp.MustCompile(`(?i)\b(?:(i)(m|ve)|(you|they)(re|ve)|(we)(ve))\b`)
)

// expandContractions writes contractions out: "hasn't arrived" is "has
// not arrived", "won't" "will not", "I've" "I have". Typed with or without
// the apostrophe, a contraction otherwise reaches the speller as a word it
// does not know ("hasn" corrected to "has") and the analyzer as one no
// question has.
func expandContractions(text string) string {
	text = enNegated.ReplaceAllStringFunc(text, func(m string) string {
		aux := strings.ToLower(enNegated.FindStringSubmatch(m)[1])
		switch aux {
		case "ca", "":
			aux = "can"
		case "wo":
			aux = "will"
		}
		return aux + " not"
	})
	full := map[string]string{"m": "am", "re": "are", "ve": "have", "ll": "will", "d": "would"}
	text = enShort.ReplaceAllStringFunc(text, func(m string) string {
		sub := enShort.FindStringSubmatch(m)
		return sub[1] + " " + full[strings.ToLower(sub[2])]
	})
	text = enShortBare.ReplaceAllStringFunc(text, func(m string) string {
		sub := enShortBare.FindStringSubmatch(m)
		for k := 1; k+1 < len(sub); k += 2 {
			if sub[k] != "" {
				return sub[k] + " " + full[strings.ToLower(sub[k+1])]
			}
		}
		return m
	})
	return enMayI.ReplaceAllString(text, "can I")
}

// enMayI are the longer ways of asking whether one may: "is it possible
// to return", "am I allowed to return", "am I still able to send it
// back", "is it too late to stop it" ask what "can I return" does, the
// words the lexicon and the sample questions ask with ("too late" is no
// late delivery there).
var enMayI = regexp.MustCompile(`(?i)\b(?:is it (?:still )?possible (?:for me )?to|would it (?:still )?be possible (?:for me )?to|am i (?:still )?allowed to|am i (?:still )?able to|is it (?:still )?(?:ok|okay|alright|allowed) (?:for me )?to|is it too late (?:for me )?to|is it not too late (?:for me )?to|can i still)\b`)

// joinOtherSense joins the phrases of enOtherSense in text.
func joinOtherSense(text string) string {
	return enOtherSense.ReplaceAllStringFunc(text, func(m string) string { return strings.ReplaceAll(m, " ", "") })
}

const (
	charFilterZHSynonyms  = "kb_zh_synonyms"
	tokenFilterENSynonyms = "kb_en_synonyms"
)

func init() {
	registry.RegisterCharFilter(charFilterZHSynonyms, func(map[string]any, *registry.Cache) (analysis.CharFilter, error) {
		return replaceCharFilter{zhSynonymReplacer()}, nil
	})
	registry.RegisterTokenFilter(tokenFilterENSynonyms, func(map[string]any, *registry.Cache) (analysis.TokenFilter, error) {
		m := make(synonymFilter)
		for _, g := range enSynonyms {
			for _, w := range g[1:] {
				m[w] = []byte(g[0])
			}
		}
		return m, nil
	})
}

// zhSynonymReplacer replaces each Chinese synonym by its group's canonical
// word. strings.Replacer tries the old strings in argument order at each
// position, so longer ones go first: 快递费 must become 运费 before 快递
// could claim its first two characters.
func zhSynonymReplacer() *strings.Replacer {
	type pair struct{ from, to string }
	var pairs []pair
	for _, g := range zhSynonyms {
		for _, w := range g[1:] {
			pairs = append(pairs, pair{w, g[0]})
		}
	}
	for _, w := range zhFunctionWords {
		pairs = append(pairs, pair{w, " "})
	}
	// Words that contain a synonym but mean something else stay as
	// they are.
	for _, w := range zhKeep {
		pairs = append(pairs, pair{w, w})
	}
	// A stable insertion sort by length, longest first: the list is short.
	for i := 1; i < len(pairs); i++ {
		for j := i; j > 0 && len([]rune(pairs[j].from)) > len([]rune(pairs[j-1].from)); j-- {
			pairs[j], pairs[j-1] = pairs[j-1], pairs[j]
		}
	}
	var args []string
	for _, p := range pairs {
		args = append(args, p.from, p.to)
	}
	return strings.NewReplacer(args...)
}

// replaceCharFilter is a bleve char filter that rewrites the text with a
// strings.Replacer.
type replaceCharFilter struct{ r *strings.Replacer }

func (f replaceCharFilter) Filter(in []byte) []byte { return []byte(f.r.Replace(string(in))) }

// synonymFilter is a bleve token filter that replaces a token by its
// group's canonical word.
type synonymFilter map[string][]byte

func (f synonymFilter) Filter(in analysis.TokenStream) analysis.TokenStream {
	for _, tok := range in {
		if to, ok := f[string(tok.Term)]; ok {
			tok.Term = to
		}
	}
	return in
}
