package protocol

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// NormalizeTag returns tag as it is stored: trimmed, with every run of
// whitespace inside it (spaces, tabs, line breaks) made one space. ok is
// false when the result is empty, longer than MaxTagRunes characters, not
// valid UTF-8 or holds another control character or an invisible format
// character (a bidirectional override).
func NormalizeTag(tag string) (norm string, ok bool) {
	if !utf8.ValidString(tag) {
		return "", false
	}
	norm = strings.Join(strings.Fields(tag), " ")
	if n := utf8.RuneCountInString(norm); n == 0 || n > MaxTagRunes {
		return "", false
	}
	for _, r := range norm {
		if unicode.IsControl(r) || dropFormat(r) {
			return "", false
		}
	}
	return norm, true
}

// TagKey is what two tags are compared by: tags with the same key are the
// same tag, whatever their case.
func TagKey(tag string) string { return strings.ToLower(tag) }

// SortTags sorts tags in the order Conversation.Tags has: by TagKey, then
// by spelling.
func SortTags(tags []string) {
	slices.SortFunc(tags, func(a, b string) int {
		if c := strings.Compare(TagKey(a), TagKey(b)); c != 0 {
			return c
		}
		return strings.Compare(a, b)
	})
}
