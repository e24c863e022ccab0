package bot

import (
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

// mostlyEnglish reports whether text is English with a few Chinese words in
// it, if any: at least three English words and at most six Han characters
// ("can I pay with 支付宝"). Such a text is answered in English, and the
// Chinese names of the shop's people in it are read as English ones
// (zhPeopleInEnglish).
func mostlyEnglish(text string) bool {
	han := 0
	for _, r := range text {
		if unicode.Is(unicode.Han, r) {
			han++
		}
	}
	n := 0
	for _, w := range words(text) {
		if w != clauseBreak && asciiLower(w) {
			n++
		}
	}
	return n >= 3 && han <= 6
}

// latinWordCount is how many words of two Latin letters or more text has.
func latinWordCount(text string) int {
	n, run := 0, 0
	for _, r := range text {
		if r < 0x80 && unicode.IsLetter(r) {
			run++
			continue
		}
		if run >= 2 {
			n++
		}
		run = 0
	}
	if run >= 2 {
		n++
	}
	return n
}
