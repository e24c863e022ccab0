package hanzi

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Written Cantonese. Customers in Hong Kong and Guangdong type the way they
// speak: 退咗貨幾耐先收到錢 is 退了货多久才收到钱, 我唔想再用，想刪咗個戶口 is
// 我不想再用，想删了个账户. Fold reads such text as Mandarin for matching, as
// Simplify reads traditional characters as simplified ones: a knowledge
// base and a lexicon written in Mandarin then find it.
//
// The rules are words, not characters, wherever a character is also
// Mandarin in another sense: 呢 is "this" only before a measure word (呢件衫,
// not 我的订单呢), 系 is "is" only in 系咪, 唔系, 净系 and after 就/都/仲 when
// no 统 or 列 follows (系统 is a system), 平 is "cheap" only in 平咗 and 平啲
// (好平整 is flat), 蚊 is a dollar only after a number (蚊帐 is a mosquito net), 仲
// is "still" only before a verb it is used with (仲裁 is arbitration), 唔
// is "not" only before a character (唔，好的 is a hum). 出面 is left alone:
// 让经理出面 asks for the manager in Mandarin. Mandarin text has none of
// the forms below and is returned as it is.

// yuePhrases are the Cantonese words and phrases, in simplified characters
// (Fold simplifies first), longest first where one begins another: a
// strings.Replacer tries its pairs in order at each position.
var yuePhrases = strings.NewReplacer(
	"唔该", "麻烦", "使唔使", "用不用", "唔使", "不用", "唔好", "不要", "倾偈", "聊天",
	"有冇得", "能不能", "冇得", "不能", "有冇", "有没有",
	"系唔系", "是不是", "系咪", "是不是", "唔系", "不是", "净系", "只是",
	"平咗", "便宜了", "平啲", "便宜点",
	"俾钱", "付钱", "畀钱", "付钱",
	"点解", "为什么", "点样", "怎样", "点算", "怎么办", "点先", "怎么才", "点知", "怎么知道",
	"几耐", "多久", "几时", "什么时候", "几多", "多少", "咁耐", "这么久", "好耐", "好久",
	// 去咗边, 喺边: "gone where", "where at" (边 alone is "where" only after
	// them; 旁边 and 那边 are Mandarin).
	"去咗边度", "去了哪里", "去咗边", "去哪了", "喺边度", "在哪里", "喺边", "在哪",
	"边度", "哪里", "边个", "哪个", "边间", "哪家", "边位", "哪位", "边道", "哪里",
	"乜嘢", "什么", "做乜", "干什么",
	"而家", "现在", "依家", "现在", "听日", "明天", "寻日", "昨天", "琴日", "昨天",
	"礼拜", "星期", "啱啱", "刚刚", "啱唔啱", "合不合适", "啱", "合适",
	"仲有冇得", "还能不能", "仲有", "还有", "仲未", "还没", "仲要", "还要", "仲可以", "还可以", "仲会", "还会", "仲喺", "还在", "仲冇", "还没有",
	"呢个", "这个", "呢件衫", "这件衣服", "呢件", "这件", "呢张", "这张", "呢单", "这单", "呢部", "这部", "呢款", "这款",
	"呢种", "这种", "呢度", "这里", "呢啲", "这些", "呢排", "这阵子", "呢位", "这位", "呢间", "这家",
	"呢对", "这对", "呢条", "这条", "呢次", "这次", "呢样", "这样",
	"嗰个", "那个", "𠮶个", "那个", "嗰啲", "那些", "𠮶啲", "那些", "嗰度", "那里", "𠮶度", "那里",
	"我哋啲", "我们的", "你哋啲", "你们的", "佢哋啲", "他们的", "我啲", "我的", "你啲", "你的", "佢啲", "他的",
	"件衫", "件衣服", "啲衫", "些衣服",
	"铺头", "店", "舖头", "店", "入面", "里面",
	"搞掂", "搞定", "讲嘢", "说话", "同埋", "和",
	"同我", "跟我", "同你", "跟你", "同佢", "跟他",
	// 同 is "with" before a person: 我想同客服讲, 同人工倾下 (倾, "chat", only
	// after one or as 倾下: 倾向 and 倾斜 are Mandarin).
	"同客服倾", "跟客服聊", "同人工倾", "跟人工聊", "同真人倾", "跟真人聊", "同人倾", "跟人聊", "同经理倾", "跟经理聊",
	"倾下", "聊下", "倾吓", "聊下", "倾两句", "聊两句", "倾几句", "聊几句",
	"同客服", "跟客服", "同人工", "跟人工", "同真人", "跟真人", "同人", "跟人", "同经理", "跟经理",
	"攞货", "取货", "攞返", "拿回", "补返", "补回", "退返", "退回", "寄返", "寄回", "换返", "换回",
	"俾返", "还给", "畀返", "还给", "找返", "找回", "收返", "收回",
	"个户口", "个账户", "嘅户口", "的账户",
)

// yueChars are the characters that are Cantonese wherever they stand, and
// the sentence-final particles, which Mandarin has no use for (喇 is left:
// 喇叭 is a loudspeaker).
var yueChars = strings.NewReplacer(
	"咗", "了", "嘅", "的", "冇", "没有", "喺", "在", "嘢", "东西", "啲", "些", "哋", "们",
	"佢", "他", "嚟", "来", "攞", "拿", "睇", "看", "搵", "找", "揾", "找", "畀", "给", "俾", "给",
	"咁", "这么", "嗰", "那", "𠮶", "那", "咩", "什么", "乜", "什么", "拣", "选",
	"嘞", "", "啰", "", "㖞", "", "㗎", "", "咋", "", "噃", "", "啩", "",
)

var (
	// yueIs is 系 as "is" after 就, 都 or 仲, unless it begins 系统 or 系列.
	yueIs = regexp.MustCompile(`(就|都|仲)系([^统列数]|$)`)
	// yueDollars is a sum in dollars: 三十蚊, 50蚊.
	yueDollars = regexp.MustCompile(`([0-9零一二两三四五六七八九十百千万]+)蚊`)
)

// yueMarks are the characters at least one rule starts with or needs: text
// with none of them is not Cantonese to Fold and is returned at once.
const yueMarks = "唔使有冇系净平俾畀点几咁好边乜做而依听寻琴礼啱仲呢嗰𠮶我你佢件啲铺舖入搞讲同攞补退寄换找收个嘅咗喺嘢哋嚟睇搵揾拣咩嘞啰㖞㗎咋噃啩就都蚊"

// Fold returns s read as simplified Mandarin for matching: full-width
// letters and spaced-out characters narrowed (Narrow), traditional
// characters simplified (Simplify), then written Cantonese folded to
// Mandarin. It is for matching, not for people to read.
func Fold(s string) string {
	s = Simplify(Narrow(s))
	if !strings.ContainsAny(s, yueMarks) {
		return s
	}
	s = yuePhrases.Replace(s)
	s = yueIs.ReplaceAllString(s, "${1}是$2")
	s = yueDollars.ReplaceAllString(s, "${1}块")
	s = yueChars.Replace(s)
	return foldNot(s)
}

// foldNot rewrites 唔 as 不 where a Chinese character follows it.
func foldNot(s string) string {
	i := strings.Index(s, "唔")
	if i < 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i >= 0 {
		b.WriteString(s[:i])
		rest := s[i+len("唔"):]
		if r, _ := utf8.DecodeRuneInString(rest); unicode.Is(unicode.Han, r) {
			b.WriteString("不")
		} else {
			b.WriteString("唔")
		}
		s = rest
		i = strings.Index(s, "唔")
	}
	b.WriteString(s)
	return b.String()
}
