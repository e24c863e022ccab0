package kb

import (
	"strings"

	"switchboard/backend/lexicon"
)

// Pinyin typed for a word. A customer on a phone without the input method
// at hand types a word's pinyin in the middle of Chinese: 我想查一下wuliu信息,
// 我想quxiao订单. In a Chinese text, a Latin word that is the pinyin, run
// together and without tones, of exactly one Chinese term of the lexicon
// (of two characters or more, and no English word the word vectors know)
// is read as that term, as translateLatin reads an English word.

// pinyinMinLen is the shortest run of pinyin read as a word: "anzhuang",
// "wuliu", "fapiao", not "li" or "an".
const pinyinMinLen = 4

// pinyinWords returns lex's Chinese terms by their pinyin run together,
// each pinyin that only one term has (NewIndex keeps it as ix.pinyin).
func pinyinWords(lex *lexicon.Lexicon) map[string]string {
	words := make(map[string]string)
	if lex == nil {
		return words
	}
	shared := make(map[string]bool)
	for _, id := range lex.IDs() {
		if conversationConcepts[id] || offTopicConcepts[id] {
			continue
		}
		for _, t := range lex.Terms(id, lexicon.Chinese) {
			if !allHan(t) || len([]rune(t)) < 2 {
				continue
			}
			p := strings.ReplaceAll(lexicon.Pinyin(t), " ", "")
			if len(p) < pinyinMinLen {
				continue
			}
			if prev, ok := words[p]; ok && prev != t {
				shared[p] = true
			}
			words[p] = t
		}
	}
	for p := range shared {
		delete(words, p)
	}
	return words
}

// pinyinToHan returns a Chinese text with its Latin words that are a
// term's pinyin (pinyinWords) written as that term.
func (ix *Index) pinyinToHan(text string) string {
	if !strings.ContainsFunc(text, isLatinLetter) {
		return text
	}
	var b strings.Builder
	changed := false
	for i := 0; i < len(text); {
		j := i
		for j < len(text) && (text[j] >= 'a' && text[j] <= 'z' || text[j] >= 'A' && text[j] <= 'Z') {
			j++
		}
		if j == i {
			b.WriteByte(text[i])
			i++
			continue
		}
		w := strings.ToLower(text[i:j])
		if t, ok := ix.pinyin[w]; ok && !ix.englishWord(w) {
			b.WriteString(t)
			changed = true
		} else {
			b.WriteString(text[i:j])
		}
		i = j
	}
	if !changed {
		return text
	}
	return b.String()
}

// englishWord reports whether the word vectors know w as an English word.
func (ix *Index) englishWord(w string) bool {
	if ix.vec == nil {
		return false
	}
	_, ok := ix.vec.Rank(w)
	return ok
}

func allHan(s string) bool {
	return s != "" && !strings.ContainsFunc(s, func(r rune) bool { return !isHanRune(r) })
}
