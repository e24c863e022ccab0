package kb

import "strings"

// Customers on phones write "hw much is delivery", "wat payment do u take",
// "wen will it ship": the short forms of the question words and pronouns
// are too short for the speller (minSpellLen), and "how much", "what
// payment" and "when … ship" are what the lexicon and the questions know.
// expandTextspeak writes them out, word by word, before anything reads the
// text. Only forms that are no English word of their own are listed ("wen"
// and "wat" are names elsewhere, never in a shop's chat).
var enTextspeakWords = map[string]string{
	"hw": "how", "wat": "what", "wht": "what", "wut": "what", "wen": "when", "whn": "when",
	"wher": "where", "whr": "where", "u": "you", "ur": "your", "r": "are", "cn": "can",
	"pls": "please", "plz": "please", "thx": "thanks", "thnx": "thanks", "abt": "about", "b4": "before",
	"hv": "have", "shud": "should", "cud": "could", "wud": "would", "smth": "something", "sth": "something",
	"ppl": "people", "pkg": "package", "msg": "message", "acc": "account", "acct": "account",
}

// expandTextspeak returns text with enTextspeakWords written out; text
// with none of them is returned as it is.
func expandTextspeak(text string) string {
	var b strings.Builder
	changed := false
	rest := text
	for len(rest) > 0 {
		// A word: the run of ASCII letters and digits at rest's start.
		n := 0
		for n < len(rest) && (rest[n] >= 'a' && rest[n] <= 'z' || rest[n] >= 'A' && rest[n] <= 'Z' || rest[n] >= '0' && rest[n] <= '9') {
			n++
		}
		if n == 0 {
			if changed {
				b.WriteByte(rest[0])
			}
			rest = rest[1:]
			continue
		}
		w := rest[:n]
		// Not a piece of a longer token: "u-lock", "U.S.", "r&d".
		before := len(text) - len(rest)
		joined := before > 0 && strings.ContainsRune("-.'&/_", rune(text[before-1])) ||
			n < len(rest) && strings.ContainsRune("-'&/_", rune(rest[n])) ||
			n+1 < len(rest) && rest[n] == '.' && rest[n+1] != ' '
		full, ok := enTextspeakWords[strings.ToLower(w)]
		if ok && !joined {
			if !changed {
				b.Grow(len(text) + 16)
				b.WriteString(text[:before])
				changed = true
			}
			b.WriteString(full)
		} else if changed {
			b.WriteString(w)
		}
		rest = rest[n:]
	}
	if !changed {
		return text
	}
	return b.String()
}
