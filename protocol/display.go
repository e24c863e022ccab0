package protocol

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// CleanDisplay returns s fit to be shown as a name or a label beside
// others: without control characters (NUL, escape, line breaks…) and
// without invisible format characters — the bidirectional overrides and
// isolates (U+202A–U+202E, U+2066–U+2069, U+200E, U+200F, U+061C) that
// make "Alice\u202Eecila" look like another name, zero-width spaces and
// the like — with each run of white space made one space, trimmed. The
// zero-width joiner and non-joiner (U+200D, U+200C) stay: emoji sequences
// and some scripts need them. Invalid UTF-8 bytes are dropped.
func CleanDisplay(s string) string {
	if isCleanDisplay(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for i, w := 0, 0; i < len(s); i += w {
		r, size := utf8.DecodeRuneInString(s[i:])
		w = size
		switch {
		case r == utf8.RuneError && size == 1:
			continue
		case unicode.IsSpace(r) || unicode.IsControl(r):
			// Controls become a separator, not nothing, so "a\x00b" does
			// not read as "ab".
			space = b.Len() > 0
			continue
		case dropFormat(r):
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
	}
	return b.String()
}

// isCleanDisplay reports whether CleanDisplay would return s unchanged,
// without allocating: most names are.
func isCleanDisplay(s string) bool {
	prevSpace := true // a leading space is not clean
	for _, r := range s {
		switch {
		case r == utf8.RuneError:
			return false
		case r == ' ':
			if prevSpace {
				return false
			}
			prevSpace = true
			continue
		case unicode.IsSpace(r) || unicode.IsControl(r) || dropFormat(r):
			return false
		}
		prevSpace = false
	}
	return !prevSpace || s == ""
}

// dropFormat reports whether r is an invisible format character
// CleanDisplay removes: every Cf character but the zero-width joiner and
// non-joiner.
func dropFormat(r rune) bool {
	return unicode.Is(unicode.Cf, r) && r != '\u200d' && r != '\u200c'
}
