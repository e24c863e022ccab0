// Package zhdict knows which pairs of Chinese characters are words: the
// words of two characters in jieba's dictionary (as Debian's python3-jieba
// ships it; see NOTICE), about 109,000 (46,000 of them common).
//
// The speller (package kb) takes a pair of characters that no question or
// answer of the knowledge base has for a slip of a pinyin input method and
// replaces it by the known pair it sounds like. It knows no word
// boundaries: 具体地址 read as 具|体地|址 became 具提地址 (体地 sounds like
// 提地 of 自提地点), 电动车 became 点动车. A pair that is a word, or that
// straddles one, is no slip; the slips customers type (包油, 退宽, 发获,
// 尺玛) are not words. gen/ derives words.txt.gz.
package zhdict

import (
	"bytes"
	"compress/gzip"
	_ "embed"
	"io"
	"slices"
	"sync"
	"unicode/utf8"
)

//go:embed words.txt.gz
var packed []byte

var (
	once   sync.Once
	pairs  []uint64 // each word's two characters as key(a, b), sorted
	common []uint64 // the same of the common words
)

// key packs two characters (21 bits each) into one number, in the order
// of the characters.
func key(a, b rune) uint64 { return uint64(a)<<21 | uint64(b) }

func load() {
	zr, err := gzip.NewReader(bytes.NewReader(packed))
	if err != nil {
		panic("zhdict: embedded list: " + err.Error())
	}
	b, err := io.ReadAll(zr)
	if err != nil {
		panic("zhdict: embedded list: " + err.Error())
	}
	pairs = make([]uint64, 0, bytes.Count(b, []byte{'\n'}))
	for line := range bytes.Lines(b) {
		a, n := utf8.DecodeRune(line)
		c, m := utf8.DecodeRune(line[n:])
		pairs = append(pairs, key(a, c))
		if line[n+m] == '*' {
			common = append(common, key(a, c))
		}
	}
	slices.Sort(pairs)
	slices.Sort(common)
}

// Len is the number of words in the list.
func Len() int {
	once.Do(load)
	return len(pairs)
}

// Word reports whether the characters a and b, in this order, make a
// word of the list.
func Word(a, b rune) bool {
	once.Do(load)
	_, found := slices.BinarySearch(pairs, key(a, b))
	return found
}

// Common reports whether the characters a and b, in this order, make a
// common word of the list: one the dictionary counts 20 times or more.
// The rarer words hold most of the slips that happen to be words (运飞,
// 保户, 门点, 倒账, 注消 are in jieba's dictionary, each fewer than 20
// times): a pair only they know is still a slip to correct.
func Common(a, b rune) bool {
	once.Do(load)
	_, found := slices.BinarySearch(common, key(a, b))
	return found
}
