package kb

import (
	"slices"
	"strings"
	"switchboard/backend/kb/dict"
	"switchboard/backend/kb/zhdict"
	"unicode"
	"unicode/utf8"

	porterstemmer "github.com/blevesearch/go-porterstemmer"

	"switchboard/backend/lexicon"
)

// Spelling: customers type fast on phones. Before the analysis an English
// word the knowledge base and the lexicon do not know is replaced by the
// known word closest to it (Damerau–Levenshtein: "cancle" → cancel, "itme"
// → item, "pakage" → package), and a pair of Chinese characters that no
// question or answer has by the known pair it sounds like (包油 → 包邮,
// 无流 → 物流), the wrong pick of a pinyin input method. A pair that is a
// common Chinese word (package zhdict) is no slip, though the knowledge
// base lacks it: 运动手环 stays, 云杉商城 stays.
//
// English: only words of minSpellLen letters or more are corrected, by one
// edit up to maxOneEditLen letters and by two beyond; the candidates are the
// words of the knowledge base's questions and answers and of the lexicon's
// English terms. A word that is right but unknown must not be "corrected"
// into the knowledge base ("like" into "lite"): an inflection of a known
// word (same Porter stem), the common words of enCommonWords and the words
// of the English word list (package dict: "mugs" is not "mums") are kept.
// Of candidates as close, a word wins over one of the lexicon's own
// misspellings ("delivrey" is "delivery", not "deliverey"), then the one
// with the same first letter, then one with a key's neighbour hit for its
// letter ("movile" is "mobile", not "movie"), then one that only adds the
// letters the word lacks (a letter left out is the commonest slip on a
// phone: "wher" is "where", not "when"), then the one the knowledge base
// uses most.

const (
	minSpellLen   = 4
	maxOneEditLen = 5
)

// speller corrects the spelling of a customer's text against a
// vocabulary. It is read-only after newSpeller.
type speller struct {
	// words are the known English words with their counts in the
	// knowledge base (lexicon words count once).
	words map[string]int
	// stems are the Porter stems of the known words.
	stems map[string]bool
	// byLen are the known words of each length, sorted, for the search.
	byLen map[int][]string
	// zhPairs are the known pairs of adjacent Han characters, with their
	// counts.
	zhPairs map[string]int
	// zhBySound are the known pairs by their toneless pinyin.
	zhBySound map[string][]string
	// common reports whether a word is among the commonest English words
	// (commonRank); nil knows none.
	common func(string) bool
	// lexOnly are the words only the lexicon's terms have, none of the
	// knowledge base's questions and answers: among them its listed
	// misspellings ("retrun", "cancle"), which nearKB reads as the
	// knowledge base's word.
	lexOnly map[string]bool
}

// commonRank bounds the frequency rank (in the word vectors' corpus) of
// the English words the speller takes as right: "passport" is no
// misspelling of "password", nor "moon" of "mood". Misspellings are
// rarer than that in web text ("pasword", "refnud", "packge" are not among
// the 20,000 commonest words).
const commonRank = 20000

func newSpeller(k *KB, lex *lexicon.Lexicon) *speller {
	sp := &speller{
		words:     make(map[string]int),
		stems:     make(map[string]bool),
		byLen:     make(map[int][]string),
		zhPairs:   make(map[string]int),
		zhBySound: make(map[string][]string),
		lexOnly:   make(map[string]bool),
	}
	addText := func(text string) {
		for _, w := range latinWords(text) {
			sp.words[w]++
		}
		for _, p := range hanPairs(text) {
			sp.zhPairs[p]++
		}
	}
	if k != nil {
		for _, e := range k.Entries {
			for _, q := range slices.Concat(e.Questions.ZH, e.Questions.EN) {
				addText(q)
			}
			addText(e.Answer.ZH)
			addText(e.Answer.EN)
		}
	}
	if lex != nil {
		for _, id := range lex.IDs() {
			for _, t := range lex.Terms(id, lexicon.English) {
				for _, w := range latinWords(t) {
					if sp.words[w] == 0 {
						sp.lexOnly[w] = true
					}
					sp.words[w] = max(sp.words[w], 1)
				}
			}
			for _, t := range lex.Terms(id, lexicon.Chinese) {
				for _, p := range hanPairs(t) {
					sp.zhPairs[p] = max(sp.zhPairs[p], 1)
				}
			}
		}
	}
	for w := range sp.words {
		sp.stems[porterstemmer.StemString(w)] = true
		n := utf8.RuneCountInString(w)
		sp.byLen[n] = append(sp.byLen[n], w)
	}
	for _, ws := range sp.byLen {
		slices.Sort(ws)
	}
	for p := range sp.zhPairs {
		if key := lexicon.Pinyin(p); key != "" {
			sp.zhBySound[key] = append(sp.zhBySound[key], p)
		}
	}
	for _, ps := range sp.zhBySound {
		slices.Sort(ps)
	}
	return sp
}

// correct returns text with its misspelt English words and its homophone
// Chinese pairs replaced by the known ones; the rest of text is kept as it
// is.
func (sp *speller) correct(text string) string {
	if sp == nil {
		return text
	}
	return sp.correctZH(sp.correctEN(text))
}

func (sp *speller) correctEN(text string) string {
	var b strings.Builder
	start := -1
	flush := func(end int) {
		if start < 0 {
			return
		}
		w := text[start:end]
		if innerCapital(w) {
			// A name ("iPhone", "eBay", "PayPal"): not a misspelling
			// of a word of the knowledge base ("iphone" is not "phone").
			b.WriteString(w)
			start = -1
			return
		}
		if c := sp.correctWord(strings.ToLower(w)); c != "" {
			b.WriteString(c)
		} else {
			b.WriteString(w)
		}
		start = -1
	}
	for off, r := range text {
		if isLatinLetter(r) {
			if start < 0 {
				start = off
			}
			continue
		}
		flush(off)
		b.WriteRune(r)
	}
	flush(len(text))
	return b.String()
}

// innerCapital reports whether w has a capital letter after its first
// and is not all capitals ("iPhone", "eBay", not "DHL" or "Hello").
func innerCapital(w string) bool {
	upper, lower := false, false
	for i, r := range w {
		if unicode.IsUpper(r) {
			upper = upper || i > 0
		} else {
			lower = true
		}
	}
	return upper && lower
}

// nearKBLen is the length from which a word only the lexicon knows, and
// no word list, is read as the knowledge base's word one edit from it
// (nearKB). The lexicon lists such slips as terms of their concept
// ("retrun", "adress", "odrer"), so the speller took them as known, and a
// longer term with the right word ("can I return it", "update my delivery
// address") never matched the text that had the slip. Shorter words are
// too often another word one edit away.
const nearKBLen = 5

// nearKB returns the word of the knowledge base's questions and answers
// one edit from w (a transposition is one) with w's first letter, the
// most used if several, "" if none: "retrun" is "return", "adress"
// "address".
func (sp *speller) nearKB(w string) string {
	best, bestCount := "", 0
	for l := len(w) - 1; l <= len(w)+1; l++ {
		for _, c := range sp.byLen[l] {
			if sp.lexOnly[c] || c[0] != w[0] || sp.words[c] <= bestCount || EditDistance(w, c, 1) > 1 {
				continue
			}
			best, bestCount = c, sp.words[c]
		}
	}
	return best
}

// correctWord returns the correction of a lowercase word, "" to keep it.
func (sp *speller) correctWord(w string) string {
	n := utf8.RuneCountInString(w)
	if sp.lexOnly[w] && n >= nearKBLen && n == len(w) && !enCommonWords[w] && (sp.common == nil || !sp.common(w)) && !dict.Known(w) {
		if c := sp.nearKB(w); c != "" {
			return c
		}
	}
	if n < minSpellLen || sp.words[w] > 0 || enCommonWords[w] || sp.stems[porterstemmer.StemString(w)] || sp.common != nil && sp.common(w) || dict.Known(w) {
		return ""
	}
	if a, b, ok := sp.split(w); ok {
		return a + " " + b
	}
	maxDist := 1
	if n > maxOneEditLen {
		maxDist = 2
	}
	type cand struct {
		// real: a word, not one of the lexicon's own misspellings
		// ("deliverey"), which "delivrey" is as near as "delivery".
		// first: the first letter kept. near: one key hit for its
		// neighbour ("movile" is "mobile", not "movie"). dropped: a
		// letter left out.
		real, first, near, dropped bool
		count                      int
	}
	better := func(a, b cand) bool {
		switch {
		case a.real != b.real:
			return a.real
		case a.first != b.first:
			return a.first
		case a.near != b.near:
			return a.near
		case a.dropped != b.dropped:
			return a.dropped
		}
		return a.count > b.count
	}
	best, bestDist, bestCand := "", maxDist+1, cand{}
	for l := n - maxDist; l <= n+maxDist; l++ {
		for _, c := range sp.byLen[l] {
			d := EditDistance(w, c, maxDist)
			if d > maxDist {
				continue
			}
			k := cand{
				real:    !sp.lexOnly[c] || dict.Known(c),
				first:   c[0] == w[0],
				near:    keyNeighbour(w, c),
				dropped: l > n && subsequence(w, c),
				count:   sp.words[c],
			}
			if d < bestDist || d == bestDist && better(k, bestCand) {
				best, bestDist, bestCand = c, d, k
			}
		}
	}
	if best != "" && best[0] != w[0] {
		// Another first letter: typists rarely get it wrong, and a
		// word that starts with a letter more is more often another
		// word ("iphone" is not "phone", "ebay" not "bay").
		return ""
	}
	if bestDist == 2 && !samePrefix(w, best, 2) {
		// Two edits and another start: more likely another word
		// ("toaster" is not "tester"); a hurried typist gets the first
		// letters right ("instalmets", "avialable").
		return ""
	}
	return best
}

// splitWords are the short words a hurried typist runs into the next or
// the last one: "mypassword", "cancelmy", "whereis", "returnan".
var splitWords = map[string]bool{"my": true, "the": true, "a": true, "an": true, "is": true, "to": true, "in": true,
	"of": true, "for": true, "with": true, "your": true, "where": true, "what": true, "how": true, "can": true,
	"i": true, "it": true, "me": true, "and": true, "on": true, "do": true}

// split returns w as a short word and a word of the knowledge base's
// questions and answers of three letters or more, run together, either way
// round: "mypassword" is "my password", "cancelmy" "cancel my".
func (sp *speller) split(w string) (string, string, bool) {
	for i := 1; i < len(w); i++ {
		a, b := w[:i], w[i:]
		if splitWords[a] && len(b) >= 3 && sp.words[b] > 0 && !sp.lexOnly[b] {
			return a, b, true
		}
		if splitWords[b] && len(a) >= 3 && sp.words[a] > 0 && !sp.lexOnly[a] {
			return a, b, true
		}
	}
	return "", "", false
}

// qwertyRows are the letter rows of a QWERTY keyboard, for keyNeighbour.
var qwertyRows = []string{"qwertyuiop", "asdfghjkl", "zxcvbnm"}

// keyNeighbour reports whether c is w with one letter replaced by a letter
// next to it on a QWERTY keyboard, in its row or the row above or below.
func keyNeighbour(w, c string) bool {
	if len(w) != len(c) {
		return false
	}
	diff := -1
	for i := 0; i < len(w); i++ {
		if w[i] != c[i] {
			if diff >= 0 {
				return false
			}
			diff = i
		}
	}
	if diff < 0 {
		return false
	}
	r1, c1 := keyPos(w[diff])
	r2, c2 := keyPos(c[diff])
	if r1 < 0 || r2 < 0 {
		return false
	}
	// The rows are offset by about half a key; keys in neighbouring
	// rows touch when their columns differ by at most one.
	dr, dc := r1-r2, c1-c2
	return dr == 0 && (dc == 1 || dc == -1) || (dr == 1 || dr == -1) && dc >= -1 && dc <= 1
}

// keyPos is the row and column of letter b on a QWERTY keyboard, or -1, -1.
func keyPos(b byte) (int, int) {
	for r, row := range qwertyRows {
		if c := strings.IndexByte(row, b); c >= 0 {
			return r, c
		}
	}
	return -1, -1
}

// subsequence reports whether the letters of w appear in c in order.
func subsequence(w, c string) bool {
	i := 0
	for j := 0; i < len(w) && j < len(c); j++ {
		if w[i] == c[j] {
			i++
		}
	}
	return i == len(w)
}

// correctZH replaces each pair of adjacent Han characters that no question
// or answer has by a known pair that sounds like it (lexicon.SoundsLike:
// one character kept, the other read alike), the most used one if several
// do. A pair with a function character is kept: 岁了 is not 碎了, and with
// one content character in the pair a sound is too little to go on. A pair that overlaps a replaced one is
// left as it is.
func (sp *speller) correctZH(text string) string {
	rs := []rune(text)
	changed := false
	for i := 0; i+1 < len(rs); i++ {
		if !isHanRune(rs[i]) || !isHanRune(rs[i+1]) {
			continue
		}
		pair := string(rs[i : i+2])
		// A pair of the knowledge base or a common word is right (运动,
		// 继续, 办理, 成立); a rare word may be a slip (运飞, 保户, 门点).
		if sp.zhPairs[pair] > 0 || lexicon.FunctionChar(rs[i]) || lexicon.FunctionChar(rs[i+1]) || zhdict.Common(rs[i], rs[i+1]) {
			continue
		}
		best, bestCount := "", 0
		for _, c := range sp.zhBySound[lexicon.Pinyin(pair)] {
			if sp.zhPairs[c] > bestCount && lexicon.SoundsLike(pair, c) {
				best, bestCount = c, sp.zhPairs[c]
			}
		}
		if best == "" || sp.boundPair(rs, i, []rune(best)) {
			continue
		}
		copy(rs[i:i+2], []rune(best))
		changed = true
		i++
	}
	if !changed {
		return text
	}
	return string(rs)
}

// boundPair reports whether the character that best would change in the
// pair at i belongs, as it is, to a known pair with its other neighbour:
// the pair then straddles two words, and its first or last character is
// half of a word the knowledge base, the lexicon or the Chinese word list
// (package zhdict) knows (聊天|记录: 天记 sounds like 天寄 of 当天寄出, and
// 记录 is known; 会员|账号: 员账 sounds like 原账 of 原账户, and 会员 is
// known), or it is an adverb of degree before what it modifies (手机|好卡).
// A slip of the input method makes an unknown pair of a known word's
// character: 包油 → 包邮.
func (sp *speller) boundPair(rs []rune, i int, best []rune) bool {
	switch {
	case rs[i] != best[0] && i > 0:
		return sp.zhPairs[string(rs[i-1:i+1])] > 0 || zhdict.Word(rs[i-1], rs[i])
	case rs[i+1] != best[1] && i+2 < len(rs):
		return sp.zhPairs[string(rs[i+1:i+3])] > 0 || zhdict.Word(rs[i+1], rs[i+2]) ||
			strings.ContainsRune(zhDegree, rs[i+1]) && isHanRune(rs[i+2])
	}
	return false
}

// zhDegree are adverbs of degree, which open what follows them: 手机好卡 is
// the phone very slow, not 手机号 misheard; 手机好多少钱 asks a price.
const zhDegree = "好很太挺超"

// EditDistance is the optimal-string-alignment distance of a and b (a
// transposition of two neighbours is one edit), or max+1 once it is sure
// to exceed max.
func EditDistance(a, b string, maxDist int) int {
	ra, rb := []rune(a), []rune(b)
	if d := len(ra) - len(rb); d > maxDist || -d > maxDist {
		return maxDist + 1
	}
	prev2 := make([]int, len(rb)+1)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		rowMin := cur[0]
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
			rowMin = min(rowMin, cur[j])
		}
		if rowMin > maxDist {
			return maxDist + 1
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(rb)]
}

// samePrefix reports whether a and b begin with the same n bytes.
func samePrefix(a, b string, n int) bool {
	return len(a) >= n && len(b) >= n && a[:n] == b[:n]
}

func isLatinLetter(r rune) bool {
	return r < unicode.MaxASCII && unicode.IsLetter(r)
}

func isHanRune(r rune) bool { return unicode.Is(unicode.Han, r) }

// latinWords returns the lowercase ASCII words of text.
func latinWords(text string) []string {
	return strings.FieldsFunc(strings.ToLower(text), func(r rune) bool { return !isLatinLetter(r) })
}

// hanPairs returns the pairs of adjacent Han characters of text.
func hanPairs(text string) []string {
	rs := []rune(text)
	var out []string
	for i := 0; i+1 < len(rs); i++ {
		if isHanRune(rs[i]) && isHanRune(rs[i+1]) {
			out = append(out, string(rs[i:i+2]))
		}
	}
	return out
}
