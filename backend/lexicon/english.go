package lexicon

import (
	"cmp"
	"slices"
	"strings"
)

// phrase is an English term split into words, while the index is built.
type phrase struct {
	term     string
	words    []string
	stems    []string
	stemOK   bool // false when another concept's term has the same stems
	concepts []string
}

// enIndex is the English phrases by their first word, pointer-free as the
// tries are: every term, word and stem is a run of one string, every list a
// run of one array of numbers, and the concepts' lists, which phrases
// share, are kept once each. The collector walks every pointer of the live
// heap at each cycle; the phrases as structs of strings and slices were 2.4
// MB of pointers for it to walk (docs/benchmarks.md).
type enIndex struct {
	text     string          // the strings, end to end
	strs     []span          // the strings by number: runs of text
	phrases  []enPhrase      // by number
	nums     []uint32        // runs: a phrase's words and stems (string numbers), a key's phrases (phrase numbers)
	concepts [][]string      // the distinct lists of concepts, by number
	byKey    map[string]span // a first word, or its stem, → the run of nums of its phrases, longest first
}

// enPhrase is a phrase of enIndex.
type enPhrase struct {
	term     uint32 // string number
	words    span   // run of nums: string numbers
	stems    span   // run of nums: string numbers
	concepts uint32 // number of the list in concepts
	stemOK   bool
}

// str is string number i.
func (x *enIndex) str(i uint32) string {
	s := x.strs[i]
	return x.text[s.off : s.off+s.n]
}

// len is the number of words of p.
func (p *enPhrase) len() int { return int(p.words.n) }

// word is the k-th word of p.
func (x *enIndex) word(p *enPhrase, k int) string { return x.str(x.nums[p.words.off+uint32(k)]) }

// stem is the stem of the k-th word of p.
func (x *enIndex) stem(p *enPhrase, k int) string { return x.str(x.nums[p.stems.off+uint32(k)]) }

// term is the phrase as the lexicon has it.
func (x *enIndex) term(p *enPhrase) string { return x.str(p.term) }

// conceptsOf are p's concepts.
func (x *enIndex) conceptsOf(p *enPhrase) []string { return x.concepts[p.concepts] }

// at returns the phrases whose first word, or its stem, is key, longest
// first, then by term.
func (x *enIndex) at(key string) []uint32 {
	s, ok := x.byKey[key]
	if !ok {
		return nil
	}
	return x.nums[s.off : s.off+s.n]
}

// newEnIndex freezes phrases, keyed by their first word and, when stemOK,
// by its stem.
func newEnIndex(phrases []*phrase) *enIndex {
	x := &enIndex{byKey: make(map[string]span)}
	var text strings.Builder
	strNums := make(map[string]uint32)
	intern := func(s string) uint32 {
		if n, ok := strNums[s]; ok {
			return n
		}
		n := uint32(len(x.strs))
		x.strs = append(x.strs, span{off: uint32(text.Len()), n: uint32(len(s))})
		text.WriteString(s)
		strNums[s] = n
		return n
	}
	listNums := make(map[string]uint32)
	run := func(ss []string) span {
		s := span{off: uint32(len(x.nums)), n: uint32(len(ss))}
		for _, w := range ss {
			x.nums = append(x.nums, intern(w))
		}
		return s
	}
	// In the order the keys' lists want: longest first, then by term.
	slices.SortFunc(phrases, func(a, b *phrase) int {
		return cmp.Or(cmp.Compare(len(b.words), len(a.words)), strings.Compare(a.term, b.term))
	})
	keys := make(map[string][]uint32)
	var keyOrder []string
	for i, p := range phrases {
		key := strings.Join(p.concepts, "\x00")
		c, ok := listNums[key]
		if !ok {
			c = uint32(len(x.concepts))
			x.concepts = append(x.concepts, slices.Clone(p.concepts))
			listNums[key] = c
		}
		x.phrases = append(x.phrases, enPhrase{term: intern(p.term), words: run(p.words), stems: run(p.stems), concepts: c, stemOK: p.stemOK})
		add := func(k string) {
			if _, ok := keys[k]; !ok {
				keyOrder = append(keyOrder, k)
			}
			keys[k] = append(keys[k], uint32(i))
		}
		add(p.words[0])
		if p.stemOK && p.stems[0] != p.words[0] {
			add(p.stems[0])
		}
	}
	for _, k := range keyOrder {
		ps := keys[k]
		x.byKey[k] = span{off: uint32(len(x.nums)), n: uint32(len(ps))}
		x.nums = append(x.nums, ps...)
	}
	x.text = text.String()
	x.strs = slices.Clip(x.strs)
	x.nums = slices.Clip(x.nums)
	return x
}
