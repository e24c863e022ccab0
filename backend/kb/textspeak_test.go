package kb

import "testing"

func TestExpandTextspeak(t *testing.T) {
	for in, want := range map[string]string{
		"hw much is delivry":    "how much is delivry",
		"wat paymnt do u take":  "what paymnt do you take",
		"Wen will u ship it?":   "when will you ship it?",
		"r u open, pls reply":   "are you open, please reply",
		"need it b4 friday thx": "need it before friday thanks",
		"运费多少 u know?":          "运费多少 you know?",
		// Pieces of longer tokens, and words that only look alike.
		"is the u-lock in stock":  "is the u-lock in stock",
		"do you ship to the U.S.": "do you ship to the U.S.",
		"is r&d open":             "is r&d open",
		"what about you":          "what about you",
		"wrap it up":              "wrap it up",
		"":                        "",
	} {
		if got := expandTextspeak(in); got != want {
			t.Errorf("expandTextspeak(%q) = %q, want %q", in, got, want)
		}
	}
}
