package bot

import (
	"math"
	"strings"
	"unicode"

	"switchboard/backend/kb"
)

// DetectLocale returns "zh" if text contains a Han character, else "en".
func DetectLocale(text string) string {
	for _, r := range text {
		if unicode.Is(unicode.Han, r) {
			return kb.ZH
		}
	}
	return kb.EN
}

// stopWords are English words too common to tell questions apart. Inverse
// document frequency already discounts common words; this list only drops
// the ones that carry no meaning at all, so short questions keep their
// content words' weight. Words are checked before stemming.
var stopWords = map[string]bool{
	"a": true, "an": true, "the": true, "i": true, "me": true, "my": true,
	"you": true, "your": true, "we": true, "us": true, "our": true,
	"is": true, "are": true, "am": true, "be": true, "was": true, "it": true,
	"its": true, "do": true, "does": true, "did": true, "to": true, "of": true,
	"in": true, "on": true, "at": true, "for": true, "this": true, "that": true,
	"and": true, "or": true, "with": true, "please": true, "so": true,
	"can": true, "could": true, "will": true, "would": true, "there": true,
	"what": true, "how": true, "which": true, "who": true, "hi": true,
	"hello": true,
}

// zhParticles are Chinese modal particles and the possessive 的: they end or
// glue sentences but say nothing about the question, and as bigram halves
// they would make "包邮吗" and "包邮呢" look different.
const zhParticles = "吗呢吧啊呀哦了的"

// tokens splits text into match tokens. Han text (punctuation, spaces and
// particles between Han characters ignored) gives its characters and its
// character bigrams: bigrams carry the words, characters let a paraphrase
// that shares a word only in part ("密码忘了" against "忘记密码") still score.
// Other letters and digits give lowercased, lightly stemmed English words
// without stop words.
func tokens(text string) []string {
	var (
		out  []string
		han  []rune
		word []rune
	)
	flushHan := func() {
		for i, r := range han {
			out = append(out, string(r))
			if i+1 < len(han) {
				out = append(out, string(han[i:i+2]))
			}
		}
		han = han[:0]
	}
	flushWord := func() {
		if w := string(word); w != "" && !stopWords[w] {
			out = append(out, stem(w))
		}
		word = word[:0]
	}
	for _, r := range text {
		switch {
		case strings.ContainsRune(zhParticles, r):
			flushWord()
		case unicode.Is(unicode.Han, r):
			flushWord()
			han = append(han, r)
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			// A word breaks the Han run: the characters on either side of
			// it are not a phrase.
			flushHan()
			word = append(word, unicode.ToLower(r))
		case r == '\'' || r == '’':
			// "didn't" is one word.
		default:
			flushWord()
		}
	}
	flushWord()
	flushHan()
	return out
}

// stem strips the commonest English inflections so that "shipping",
// "shipped" and "ships" meet "ship". It is deliberately crude: it only has to
// map a word and its variants to the same token, not to a real stem.
func stem(w string) string {
	if len(w) <= 3 {
		return w
	}
	switch {
	case strings.HasSuffix(w, "ies") && len(w) > 4:
		w = w[:len(w)-3] + "y"
	case strings.HasSuffix(w, "ing") && len(w) > 5:
		w = w[:len(w)-3]
	case strings.HasSuffix(w, "ed") && len(w) > 4:
		w = w[:len(w)-2]
	case strings.HasSuffix(w, "es") && len(w) > 4 && strings.ContainsRune("sxz", rune(w[len(w)-3])):
		w = w[:len(w)-2]
	case strings.HasSuffix(w, "s") && !strings.HasSuffix(w, "ss") && !strings.HasSuffix(w, "us"):
		w = w[:len(w)-1]
	}
	// "shipp" → "ship", "stopp" → "stop".
	if n := len(w); n > 3 && w[n-1] == w[n-2] && !strings.ContainsRune("aeiouls", rune(w[n-1])) {
		w = w[:n-1]
	}
	// "charge"/"charg", "size"/"siz": drop a final e so both forms meet.
	if n := len(w); n > 3 && w[n-1] == 'e' && w[n-2] != 'e' {
		w = w[:n-1]
	}
	return w
}

// question is one sample question, tokenized.
type question struct {
	entry  int
	locale string
	toks   map[string]bool
	weight float64 // sum of the token weights
}

// index scores texts against the sample questions of a knowledge base. It
// is read-only after newIndex.
type index struct {
	questions []question
	// idf weighs a token by how few entries use it, so "怎么" or "order"
	// count less than "发票" or "invoice".
	idf map[string]float64
	// unknownIDF is the weight of a token no entry uses. It is that of a
	// token two entries share: an unknown word should make a match less
	// likely, but chat is full of words no question anticipates
	// ("still", "hasn't"), and weighting them as the rarest tokens lost
	// paraphrases without rejecting more off-topic messages.
	unknownIDF float64
}

func newIndex(entries []kb.Entry) *index {
	ix := &index{idf: make(map[string]float64)}
	df := make(map[string]int)
	for i, e := range entries {
		inEntry := make(map[string]bool)
		for _, loc := range []string{kb.ZH, kb.EN} {
			for _, q := range e.Questions.Get(loc) {
				toks := make(map[string]bool)
				for _, t := range tokens(q) {
					toks[t] = true
					inEntry[t] = true
				}
				if len(toks) > 0 {
					ix.questions = append(ix.questions, question{entry: i, locale: loc, toks: toks})
				}
			}
		}
		for t := range inEntry {
			df[t]++
		}
	}
	n := float64(len(entries))
	for t, c := range df {
		ix.idf[t] = math.Log(1 + n/float64(c))
	}
	ix.unknownIDF = math.Log(1 + max(n, 2)/2)
	for i := range ix.questions {
		q := &ix.questions[i]
		for t := range q.toks {
			q.weight += ix.weight(t)
		}
	}
	return ix
}

func (ix *index) weight(t string) float64 {
	if w, ok := ix.idf[t]; ok {
		return w
	}
	return ix.unknownIDF
}

// best returns the index of the entry most similar to text and its score in
// 0..1 (the weighted Dice coefficient of the token sets of text and the
// entry's closest question), or -1 when nothing shares a token with text.
// Questions in locale are tried first; when none reaches minScore, all
// questions are (a Chinese sentence that quotes an English product name,
// say).
func (ix *index) best(text, locale string, minScore float64) (int, float64) {
	return ix.bestTokens(tokens(text), locale, minScore)
}

// bestTokens is best for a text already split by tokens.
func (ix *index) bestTokens(list []string, locale string, minScore float64) (int, float64) {
	toks := make(map[string]bool)
	var weight float64
	for _, t := range list {
		if !toks[t] {
			toks[t] = true
			weight += ix.weight(t)
		}
	}
	if len(toks) == 0 {
		return -1, 0
	}
	scan := func(all bool) (int, float64) {
		best, bestScore := -1, 0.0
		for _, q := range ix.questions {
			if !all && q.locale != locale {
				continue
			}
			var common float64
			for t := range q.toks {
				if toks[t] {
					common += ix.weight(t)
				}
			}
			// Clamped: float sums in a different order can exceed 1.
			if s := min(1, 2*common/(weight+q.weight)); s > bestScore {
				best, bestScore = q.entry, s
			}
		}
		return best, bestScore
	}
	best, score := scan(false)
	if score < minScore {
		if b, s := scan(true); s > score {
			best, score = b, s
		}
	}
	return best, score
}
