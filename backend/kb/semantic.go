package kb

import (
	"math"
	"slices"
	"strings"

	"switchboard/backend/kb/wordvec"
	"switchboard/backend/lexicon"
)

// Semantic agreement: the customer's words and the knowledge base's often
// differ where the lexicon has no concept for either ("undo" against
// "cancel", "shipping company" against "courier"). English word vectors
// (package wordvec) say how near any two words are, and the average of a
// text's word vectors how near two texts are, whatever their words.
//
// That signal is weaker than the words: on the English training set
// (package bot, testdata/eval) the entry whose sample question is nearest
// in vectors alone is the right one 67 times in 116, while the bot
// answered 89 right from words and concepts before the vectors; and
// out-of-scope questions come as near to some sample question as right
// ones to theirs ("what's the price of an iPhone 15" to price protection).
// So the vectors never make a similarity where the words found none and
// never decide alone: they scale up the similarity of an entry by how much
// nearer than chance it is in meaning (semanticLift). Chinese has no
// vectors here and is left as it is.

// Constants of the semantic agreement, tuned on the training set only.
const (
	// sifA is the smoothing of the SIF weights (Arora, Liang and Ma, "A
	// simple but tough-to-beat baseline for sentence embeddings", 2017):
	// a word of frequency p weighs sifA/(sifA+p), so "the", "can" and
	// "my" add little to a text's vector and the rare words that say what
	// it is about add most. 1e-3 and 3e-3 rank alike; 1e-4 loses ten
	// right entries of 116 in vectors alone.
	sifA = 1e-3
	// semanticFloor is the cosine from which a text counts as nearer
	// than chance to a sample question, once the common component is
	// removed: on the training set the nearest sample question of an
	// out-of-scope question has a cosine of 0.30 to 0.58, that of a
	// right entry a median of 0.49. Before the concept vectors, 0.3 and
	// 0.35 ranked the training set alike and 0.45 lost two wordings.
	semanticFloor = 0.3
	// semanticGain is how much the cosine above the floor raises a
	// similarity: at 0.5 a text as near as 0.7 raises it by a fifth.
	// With the concept vectors, at 0.75 the training set gains three
	// more English wordings but answers an out-of-scope one ("what's the
	// price of an iPhone 15") and the older out-of-scope set one more
	// (`TestEval` in package bot).
	semanticGain = 0.5
)

// zipfNorm is the harmonic number of GloVe's 400,000 words, ln 400000 plus
// Euler's constant: by Zipf's law the word of frequency rank r (from 0)
// has the frequency 1/((r+1)·zipfNorm). wordvec keeps the rank, not the
// count.
const zipfNorm = 13.47

// eachEnWord calls f with each English word of s, lower-case ASCII: the
// matches of `[a-z]+(?:'[a-z]+)?`, leftmost first, as
// regexp.FindAllString gives them (a word and one contraction: "don't",
// "it's"). A scan, not the regexp: it runs for every sample question
// and answer when an index is built and for every customer message, and
// under the race detector the regexp's backtracker was most of an index
// build's time.
func eachEnWord(s string, f func(string)) {
	lower := func(c byte) bool { return 'a' <= c && c <= 'z' }
	for i := 0; i < len(s); {
		if !lower(s[i]) {
			i++
			continue
		}
		j := i + 1
		for j < len(s) && lower(s[j]) {
			j++
		}
		if j+1 < len(s) && s[j] == '\'' && lower(s[j+1]) {
			j += 2
			for j < len(s) && lower(s[j]) {
				j++
			}
		}
		f(s[i:j])
		i = j
	}
}

// sentenceVector is the SIF-weighted sum of the vectors of the English
// words of text, nil when none has a vector. Only its direction matters.
func sentenceVector(v *wordvec.Vectors, text string) []float64 {
	if v == nil {
		return nil
	}
	sum := make([]float64, v.Dims())
	found := false
	eachEnWord(toLowerASCII(text), func(w string) {
		r, ok := v.Rank(w)
		if !ok {
			return
		}
		p := 1 / (float64(r+1) * zipfNorm)
		found = v.AddTo(sum, w, sifA/(sifA+p)) || found
	})
	if !found {
		return nil
	}
	return sum
}

// commonComponent is the first principal component (uncentred) of vs, by
// power iteration, nil without vectors. Averaged word vectors share one
// direction, that of frequent words and of English as such. With it, on
// the English training set, the nearest sample question of an out-of-scope
// question had a cosine of 0.70 to 0.89 and the right entry's a median of
// 0.88; without it (SIF's second step) 0.30 to 0.58 and 0.49, and the
// vectors alone find the right entry 67 times of 116 instead of 62.
func commonComponent(vs [][]float64) []float64 {
	if len(vs) == 0 {
		return nil
	}
	u := make([]float64, len(vs[0]))
	for i := range u {
		u[i] = 1
	}
	for range 50 {
		next := make([]float64, len(u))
		for _, v := range vs {
			d := dot(v, u)
			for i := range v {
				next[i] += d * v[i]
			}
		}
		n := math.Sqrt(dot(next, next))
		if n == 0 {
			return nil
		}
		for i := range next {
			next[i] /= n
		}
		u = next
	}
	return u
}

// removeComponent subtracts from v its projection on the unit vector u.
func removeComponent(v, u []float64) {
	if v == nil || u == nil {
		return
	}
	d := dot(v, u)
	for i := range v {
		v[i] -= d * u[i]
	}
}

func dot(a, b []float64) float64 {
	var s float64
	for i := range a {
		s += a[i] * b[i]
	}
	return s
}

func toLowerASCII(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// indexVectors makes the vectors of the English sample questions of k and
// of their concepts, the common component (estimated on the questions and
// answers) removed.
func (ix *Index) indexVectors(k *KB) {
	ix.questionVec = make([][][]float64, len(k.Entries))
	var all [][]float64
	for i, e := range k.Entries {
		for _, q := range e.Questions.EN {
			if v := sentenceVector(ix.vec, expandContractions(q)); v != nil {
				ix.questionVec[i] = append(ix.questionVec[i], v)
				all = append(all, v)
			}
		}
	}
	// The answers are more text of the same shop to estimate the
	// common direction with; without them the training set answered an
	// out-of-scope question.
	sample := all
	for _, e := range k.Entries {
		if v := sentenceVector(ix.vec, expandContractions(e.Answer.EN)); v != nil {
			sample = append(sample, v)
		}
	}
	ix.common = commonComponent(sample)
	for _, v := range all {
		removeComponent(v, ix.common)
	}
	ix.conceptVec = make([][]float64, len(k.Entries))
	for i, e := range k.Entries {
		ix.conceptVec[i] = ix.conceptVector(e)
		removeComponent(ix.conceptVec[i], ix.common)
	}
}

// conceptVector is the vector of the English terms of the concepts that
// e's sample questions, in either language, are about: the many ways the
// lexicon knows of saying what two sample questions say one way each.
// Nearest to the customer's text in vectors alone, it or a sample question
// is the right entry 73 times of 116 on the English training set, the
// sample questions alone 67.
func (ix *Index) conceptVector(e Entry) []float64 {
	if ix.lex == nil {
		return nil
	}
	var words []string
	for _, q := range append(slices.Clone(e.Questions.EN), e.Questions.ZH...) {
		for _, m := range ix.lex.Matches(q) {
			for _, id := range m.Concepts {
				if !conversationConcepts[id] {
					words = append(words, ix.lex.Terms(id, lexicon.English)...)
				}
			}
		}
	}
	return sentenceVector(ix.vec, strings.Join(words, " "))
}

// queryVector is the vector of the customer's text as the sample
// questions' are made, nil outside English or without a known word.
func (ix *Index) queryVector(text, locale string) []float64 {
	if locale != EN {
		return nil
	}
	v := sentenceVector(ix.vec, text)
	removeComponent(v, ix.common)
	return v
}

// semanticLift is sim raised by how near q is in meaning to the nearest
// English sample question of entry i, or to its concepts' terms: by
// semanticGain of the cosine above semanticFloor, at most to 1. A zero sim
// stays zero.
func (ix *Index) semanticLift(sim float64, q []float64, i int) float64 {
	if q == nil || sim <= 0 {
		return sim
	}
	var near float64
	for _, s := range ix.questionVec[i] {
		near = max(near, wordvec.Cosine(q, s))
	}
	if ix.conceptVec[i] != nil {
		near = max(near, wordvec.Cosine(q, ix.conceptVec[i]))
	}
	return min(1, sim*(1+semanticGain*max(0, near-semanticFloor)))
}
