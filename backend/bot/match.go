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
