package kb

import (
	"context"
	"regexp"
	"slices"
	"testing"

	"switchboard/backend/kb/wordvec"
)

// nearestInMeaning is the entry whose English sample question is nearest
// to text in vectors alone.
func nearestInMeaning(ix *Index, text string) (string, float64) {
	q := ix.queryVector(text, EN)
	best, id := -1.0, ""
	for i, e := range ix.entries {
		for _, s := range ix.questionVec[i] {
			if c := wordvec.Cosine(q, s); c > best {
				best, id = c, e.ID
			}
		}
	}
	return id, best
}

// Texts that share few content words with the entry's sample questions
// are nearest to it in meaning. Fails when the vectors, their weights or
// the common component go wrong.
func TestSemanticNearest(t *testing.T) {
	ix, err := NewIndex(Demo())
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ text, want string }{
		{"what courier firm do you work with", "shipping-carrier"},
		{"I cannot log in, what was my passcode", "account-password"},
		{"do you accept visa or mastercard", "payment-methods"},
		{"is my personal info kept secret", "privacy"},
		{"can I buy it in monthly payments", "installments"},
		{"the product arrived broken", "damaged-item"},
	} {
		if got, c := nearestInMeaning(ix, tt.text); got != tt.want {
			t.Errorf("nearest in meaning to %q = %s (%.2f), want %s", tt.text, got, c, tt.want)
		}
	}
}

// Vectors alone find an unrelated text near some sample question ("tell
// me a joke" is as near to "My old phone number no longer works" as a
// right paraphrase to its entry), which is why they only scale the
// similarity of words: the search stays unsure.
func TestSemanticDoesNotDecideAlone(t *testing.T) {
	ix, err := NewIndex(Demo())
	if err != nil {
		t.Fatal(err)
	}
	const text = "tell me a joke"
	if _, c := nearestInMeaning(ix, text); c < 0.4 {
		t.Logf("nearest in meaning to %q at %.2f: the vectors have become more selective", text, c)
	}
	r, err := ix.Search(context.Background(), text, EN, 3)
	if err != nil {
		t.Fatal(err)
	}
	if r.Confidence >= 0.2 {
		t.Errorf("Search(%q) confidence = %.2f, want below 0.2", text, r.Confidence)
	}
}

// The vectors scale a similarity the words found; they never make one,
// and Chinese is left alone.
func TestSemanticLift(t *testing.T) {
	ix, err := NewIndex(Demo())
	if err != nil {
		t.Fatal(err)
	}
	q := ix.queryVector("what courier firm do you work with", EN)
	i := -1
	for j, e := range ix.entries {
		if e.ID == "shipping-carrier" {
			i = j
		}
	}
	if got := ix.semanticLift(0, q, i); got != 0 {
		t.Errorf("semanticLift(0) = %v, want 0", got)
	}
	if got := ix.semanticLift(0.3, q, i); got <= 0.3 || got > 0.3*(1+semanticGain) {
		t.Errorf("semanticLift(0.3) = %v, want in (0.3, %v]", got, 0.3*(1+semanticGain))
	}
	if got := ix.semanticLift(0.95, q, i); got > 1 {
		t.Errorf("semanticLift(0.95) = %v, want at most 1", got)
	}
	if q := ix.queryVector("你们用什么快递", ZH); q != nil {
		t.Errorf("queryVector in Chinese = %v, want nil", q)
	}
}

// enWordRE is what eachEnWord scans for.
var enWordRE = regexp.MustCompile(`[a-z]+(?:'[a-z]+)?`)

func enWords(s string) []string {
	var out []string
	eachEnWord(s, func(w string) { out = append(out, w) })
	return out
}

// TestEachEnWord: the scan finds the regexp's matches, in order.
func TestEachEnWord(t *testing.T) {
	for _, s := range []string{
		"", "a", "don't", "it's a 'quote'", "rock'n'roll", "x'", "'x", "ab''cd", "can i retrun it?",
		"我的 order 到哪了", "a\xffb", "a'\xffb", "l'été", "tab\tsep-arated words", "it's'", "o'clock'",
	} {
		if got, want := enWords(s), enWordRE.FindAllString(s, -1); !slices.Equal(got, want) {
			t.Errorf("eachEnWord(%q) = %q, want %q", s, got, want)
		}
	}
}

func FuzzEachEnWord(f *testing.F) {
	for _, s := range []string{"don't", "it's a 'quote'", "rock'n'roll", "我的 order's 到哪了", "a\xff'b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := enWords(s), enWordRE.FindAllString(s, -1); !slices.Equal(got, want) {
			t.Fatalf("eachEnWord(%q) = %q, want %q", s, got, want)
		}
	})
}
