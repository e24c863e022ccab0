package hanzi

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Narrow returns s with what a Chinese input method types in full width
// read as plain text: full-width letters and digits (ＲＥＦＵＮＤ, ７天) as
// ASCII, the ideographic space as a space; and Chinese typed one character at a time
// with spaces between (转 人 工, 怎 么 退 货) closed up. Text with neither
// is returned as it is, without copying.
func Narrow(s string) string {
	// Both full-width forms and Han characters start with a byte of
	// 0xE3 or above: ASCII and Latin text is returned at once.
	i := 0
	for i < len(s) && s[i] < 0xE3 {
		i++
	}
	if i == len(s) {
		return s
	}
	if strings.IndexFunc(s[i:], isWide) >= 0 {
		s = strings.Map(narrow, s)
	}
	return closeSpaced(s)
}

// isWide is a full-width letter or digit, or the ideographic space.
// Full-width punctuation (，？！) is how Chinese is punctuated, and is read
// as such: it stays.
func isWide(r rune) bool {
	return r >= '０' && r <= '９' || r >= 'Ａ' && r <= 'Ｚ' || r >= 'ａ' && r <= 'ｚ' || r == 0x3000
}

func narrow(r rune) rune {
	switch {
	case r == 0x3000:
		return ' '
	case isWide(r):
		return r - 0xFEE0
	}
	return r
}

// minSpaced is how many single Chinese characters in a row, each with a
// space after it but the last, read as one word typed spaced out. Two
// (是 的) are as often two words as one.
const minSpaced = 3

// closeSpaced drops the spaces of every run of at least minSpaced single
// Han characters separated by spaces; "怎么 申请 退货", words with spaces
// between, is left as it is.
func closeSpaced(s string) string {
	if !strings.Contains(s, " ") || !hasSpacedRun(s) {
		return s
	}
	fields := strings.Split(s, " ")
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(fields); {
		if i > 0 {
			b.WriteByte(' ')
		}
		j := i
		for j < len(fields) && singleHan(fields[j]) {
			j++
		}
		if j-i >= minSpaced {
			b.WriteString(strings.Join(fields[i:j], ""))
			i = j
			continue
		}
		b.WriteString(fields[i])
		i++
	}
	return b.String()
}

// hasSpacedRun reports whether s has a run closeSpaced closes, without
// copying it.
func hasSpacedRun(s string) bool {
	run := 0
	for len(s) > 0 {
		f, rest, _ := strings.Cut(s, " ")
		if singleHan(f) {
			if run++; run >= minSpaced {
				return true
			}
		} else {
			run = 0
		}
		s = rest
	}
	return false
}

// singleHan is whether f is one Han character.
func singleHan(f string) bool {
	r, n := utf8.DecodeRuneInString(f)
	return n == len(f) && n > 1 && unicode.Is(unicode.Han, r)
}
