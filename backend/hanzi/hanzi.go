// Package hanzi folds Chinese text written in traditional characters to
// simplified ones, so that a customer in Taiwan or Hong Kong typing 運費怎麼算
// is read as 运费怎么算 by a knowledge base and a lexicon written in
// simplified Chinese.
//
// The folding is character by character, from OpenCC's table of
// traditional characters (ts.txt, with its source). That is what matching
// needs: a word is found whichever script it comes in. It is not a
// conversion for people to read: OpenCC's phrase rules and regional
// vocabulary (軟體 for 软件) are left out, the second because several of
// its Taiwan variants (么, 吃) are everyday simplified characters, and
// folding must leave simplified text as it is.
package hanzi

import (
	"bufio"
	_ "embed"
	"strings"
	"sync"
	"unicode/utf8"
)

//go:embed ts.txt
var tsTable string

// parsed is ts.txt read on first use (a server that never sees Chinese
// does not hold it): its traditional characters in the file's order, and
// the map of each to its simplified form.
var parsed = sync.OnceValues(parseTable)

func traditional() []rune  { order, _ := parsed(); return order }
func table() map[rune]rune { _, m := parsed(); return m }

// parseTable reads ts.txt.
func parseTable() ([]rune, map[rune]rune) {
	order := make([]rune, 0, 4200)
	m := make(map[rune]rune, 4200)
	sc := bufio.NewScanner(strings.NewReader(tsTable))
	for sc.Scan() {
		line := sc.Text()
		if line == "" || line[0] == '#' {
			continue
		}
		t, s, ok := strings.Cut(line, "\t")
		tr, tn := utf8.DecodeRuneInString(t)
		sr, sn := utf8.DecodeRuneInString(s)
		if !ok || tn != len(t) || sn != len(s) || tr == utf8.RuneError || sr == utf8.RuneError {
			// The table is part of the binary and tested; a bad line
			// is a build defect.
			panic("hanzi: bad line in ts.txt: " + line)
		}
		order = append(order, tr)
		m[tr] = sr
	}
	// A few simplified forms are themselves in the table (薴 → 苧 → 苎):
	// follow them, so that folding twice is folding once.
	for tr, sr := range m {
		for n := 0; n < 4; n++ {
			next, ok := m[sr]
			if !ok {
				break
			}
			sr = next
		}
		m[tr] = sr
	}
	return order, m
}

// firstHan is the lowest code point the table holds (CJK Extension A
// starts at U+3400): text below it, all of it English, is returned at once.
const firstHan = 0x3400

// Simplify returns s with its traditional characters replaced by their
// simplified forms. Text with none is returned as it is, without copying.
func Simplify(s string) string {
	i := 0
	for ; i < len(s); i++ {
		if s[i] >= 0xE3 { // the first byte of U+3400 and above
			break
		}
	}
	if i == len(s) {
		return s
	}
	m := table()
	for j, r := range s[i:] {
		if r < firstHan {
			continue
		}
		if _, ok := m[r]; ok {
			return fold(s, i+j, m)
		}
	}
	return s
}

// fold rewrites s from byte offset from, where its first traditional
// character is.
func fold(s string, from int, m map[rune]rune) string {
	var b strings.Builder
	b.Grow(len(s))
	b.WriteString(s[:from])
	for _, r := range s[from:] {
		if sr, ok := m[r]; ok {
			r = sr
		}
		b.WriteRune(r)
	}
	return b.String()
}

// inverse maps each simplified character to the first traditional form
// of it in the table.
var inverse = sync.OnceValue(func() map[rune]rune {
	m := table()
	inv := make(map[rune]rune, 3000)
	for _, tr := range traditional() {
		if _, seen := inv[m[tr]]; !seen {
			inv[m[tr]] = tr
		}
	}
	return inv
})

// Traditional renders simplified text in traditional characters that
// Simplify folds back to it. It is for tests and tools that need Chinese
// as written in Taiwan or Hong Kong, not a conversion for readers: it
// picks one form where there are several (发 is 發 or 髮) and knows no
// regional vocabulary.
func Traditional(s string) string {
	inv := inverse()
	return strings.Map(func(r rune) rune {
		if tr, ok := inv[r]; ok {
			return tr
		}
		return r
	}, s)
}
