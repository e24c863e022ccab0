package lexicon

import (
	"maps"
	"slices"
	"sync"

	"github.com/mozillazg/go-pinyin"
)

// Homophones: a customer typing pinyin picks a wrong candidate of the same sound, 退宽
// for 退款, 发火 for 发货. Every Chinese term of two or more Han characters is indexed
// by its toneless pinyin (every reading of a character with several), and a span of
// text that sounds like a term and is longer than any term matched directly there
// matches that term if it keeps at least half of the term's characters, one of them a
// content character, and puts no function word in place of one (see soundsLike); it
// gives way where a character it takes for a typo begins a term written as it is
// (overrun, match.go). Tones are ignored because the input
// method does not ask for them; the other two rules stop real words that happen to
// sound alike (知否 is not 支付, 我有件衣服 is not 邮件).

// maxReadingCombos bounds the pinyin spellings indexed for one term whose characters
// have several readings each.
const maxReadingCombos = 32

// syllableTrie is a trie over toneless pinyin syllables. Its nodes are numbers and its
// edges one map from (node, syllable number) to node, with the terms ending at a node
// in flat arrays: nothing in it is a pointer but the terms themselves, one each, so the
// garbage collector, which walks every pointer of the live heap on each cycle, passes
// over the index (a node per syllable of every reading of every term, a map each, was
// half of a busy server's heap and most of each cycle's marking).
type syllableTrie struct {
	edges
	syllables map[string]uint32 // syllable → its number (the labels of the edges)
	terms     []homophoneTerm   // every term indexed, once
	termIDs   map[string]uint32 // term → its place in terms
	// ends lists the terms ending at a node (indexes into terms): building, in
	// building; then, frozen, as spans of refs.
	building map[uint32][]uint32
	ends     map[uint32]span
	refs     []uint32
}

// span is a run of refs.
type span struct{ off, n uint32 }

type homophoneTerm struct {
	term     string
	runes    []rune
	concepts []string
}

func newSyllableTrie() *syllableTrie {
	return &syllableTrie{edges: newEdges(), syllables: make(map[string]uint32),
		termIDs: make(map[string]uint32), building: make(map[uint32][]uint32)}
}

// next is node's child under syllable s, if any.
func (t *syllableTrie) next(node uint32, s string) (uint32, bool) {
	id, ok := t.syllables[s]
	if !ok {
		return 0, false
	}
	return t.child(node, id)
}

// endsAt returns the terms ending at node.
func (t *syllableTrie) endsAt(node uint32) []uint32 {
	sp := t.ends[node]
	return t.refs[sp.off : sp.off+sp.n]
}

// insert indexes a term under every combination of its characters' readings.
func (t *syllableTrie) insert(term, conceptID string) {
	runes := []rune(term)
	if len(runes) < 2 {
		return
	}
	paths := [][]string{nil}
	for _, r := range runes {
		rd := readings(r)
		if len(rd) == 0 {
			return // a digit or a Latin letter: not a homophone candidate
		}
		var next [][]string
		for _, p := range paths {
			for _, s := range rd {
				if len(next) < maxReadingCombos {
					next = append(next, append(slices.Clone(p), s))
				}
			}
		}
		paths = next
	}
	ti, ok := t.termIDs[term]
	if !ok {
		ti = uint32(len(t.terms))
		t.terms = append(t.terms, homophoneTerm{term: term, runes: runes})
		t.termIDs[term] = ti
	}
	if !slices.Contains(t.terms[ti].concepts, conceptID) {
		t.terms[ti].concepts = append(t.terms[ti].concepts, conceptID)
	}
	for _, p := range paths {
		var m uint32
		for _, s := range p {
			id, ok := t.syllables[s]
			if !ok {
				id = uint32(len(t.syllables))
				t.syllables[s] = id
			}
			m = t.add(m, id)
		}
		if !slices.Contains(t.building[m], ti) {
			t.building[m] = append(t.building[m], ti)
		}
	}
}

// freeze lays out the terms at each node as spans of one array; the trie is read-only
// after.
func (t *syllableTrie) freeze() {
	t.ends = make(map[uint32]span, len(t.building))
	for _, node := range slices.Sorted(maps.Keys(t.building)) {
		ts := t.building[node]
		t.ends[node] = span{off: uint32(len(t.refs)), n: uint32(len(ts))}
		t.refs = append(t.refs, ts...)
	}
	t.building, t.termIDs = nil, nil
}

// longest returns the longest term that the start of rs sounds like and that keeps at
// least half of the term's characters, and its length in runes; 0 if none.
func (t *syllableTrie) longest(rs []posRune) (homophoneTerm, int) {
	var best homophoneTerm
	bestLen := 0
	active := []uint32{0}
	for j := 0; j < len(rs) && len(active) > 0; j++ {
		active = t.step(active, readings(rs[j].r))
		for _, a := range active {
			for _, ti := range t.endsAt(a) {
				if h := t.terms[ti]; j+1 > bestLen && soundsLike(rs[:j+1], h.runes) {
					best, bestLen = h, j+1
				}
			}
		}
	}
	return best, bestLen
}

// step follows every reading in rd from every node of active, each node reached once.
func (t *syllableTrie) step(active []uint32, rd []string) []uint32 {
	var next []uint32
	for _, a := range active {
		for _, s := range rd {
			if m, ok := t.next(a, s); ok && !slices.Contains(next, m) {
				next = append(next, m)
			}
		}
	}
	return next
}

// soundsLike reports whether text, as long as term, is a homophone typo of it: at
// least half of the term's characters are in the text at their place, and every other
// character of the text is an ordinary reading of the term's one there (its first
// reading is one of the term character's, or the other way round) and not one of the
// commonest characters. The walk over the index accepted any reading of a character
// with several, which alone would make 还是 sound like 不是; a function word standing
// where a term has a content character is far more often a real word than a typo
// (我有件衣服 is not 邮件). And a character kept must be a content one: where the
// characters the text shares with the term are all function words, the match rests on
// the sound of the others alone: 岁了 is not 碎了.
func soundsLike(text []posRune, term []rune) bool {
	same, content := 0, false
	for k, r := range term {
		t := text[k].r
		switch {
		case t == r:
			same++
			content = content || !commonChars[t]
		case commonChars[t]:
			return false
		case !slices.Contains(readings(r), primaryReading(t)) && !slices.Contains(readings(t), primaryReading(r)):
			return false
		}
	}
	return 2*same >= len(term) && content
}

// commonChars are function characters, too frequent in ordinary Chinese to be taken
// for a typo of a term's character.
var commonChars = func() map[rune]bool {
	m := make(map[rune]bool)
	for _, r := range "的了是不在有我你他她它们这那就也都要会能吗呢吧啊个一和很没说到去来上下还又再把被给让对从跟为以之而与及或但才只些么什怎哪谁几多少呀嘛哦" {
		m[r] = true
	}
	return m
}()

var (
	readingsMu    sync.RWMutex
	readingsCache = make(map[rune][]string) // Han rune → toneless readings, bounded by the Han block
)

var pinyinArgs = func() pinyin.Args {
	a := pinyin.NewArgs()
	a.Style = pinyin.Normal
	a.Heteronym = true
	a.Fallback = func(rune, pinyin.Args) []string { return nil }
	return a
}()

// readings returns the toneless pinyin readings of a Han character, nil for any other
// rune.
func readings(r rune) []string {
	if !isHan(r) {
		return nil
	}
	readingsMu.RLock()
	rd, ok := readingsCache[r]
	readingsMu.RUnlock()
	if ok {
		return rd
	}
	// The dictionary lists the commonest reading first; tones gone, keep that order.
	for _, s := range pinyin.SinglePinyin(r, pinyinArgs) {
		if !slices.Contains(rd, s) {
			rd = append(rd, s)
		}
	}
	readingsMu.Lock()
	readingsCache[r] = rd
	readingsMu.Unlock()
	return rd
}

// primaryReading is the commonest toneless reading of a Han character, "" for any other
// rune.
func primaryReading(r rune) string {
	if rd := readings(r); len(rd) > 0 {
		return rd[0]
	}
	return ""
}

// Homophones returns the Chinese terms that sound like text, ignoring tones, with
// their concepts: the index the fallback of Matches uses, asked directly, without the
// rules of soundsLike. Only Han characters have a sound: any other rune finds none.
func (lx *Lexicon) Homophones(text string) []Match {
	rs := []rune(foldString(text))
	nodes := []uint32{0}
	for _, r := range rs {
		nodes = lx.py.step(nodes, readings(r))
	}
	var ms []Match
	for _, n := range nodes {
		for _, ti := range lx.py.endsAt(n) {
			h := lx.py.terms[ti]
			ms = append(ms, Match{Concepts: slices.Clone(h.concepts), Term: h.term, Start: 0, End: len(text), Homophone: string(rs) != h.term})
		}
	}
	return ms
}

// Pinyin returns the commonest toneless reading of each Han character of text, joined
// by spaces; "" when text has a rune that is not a Han character.
func Pinyin(text string) string {
	var b []byte
	for _, r := range foldString(text) {
		p := primaryReading(r)
		if p == "" {
			return ""
		}
		if len(b) > 0 {
			b = append(b, ' ')
		}
		b = append(b, p...)
	}
	return string(b)
}

// SoundsLike reports whether text, as many characters long as term, is a homophone
// typo of it by the rules the fallback of Matches uses: at least half of the term's
// characters at their place, one of them a content character, the others read alike
// and none of them one of the commonest characters (我有件衣服 is not 邮件).
func SoundsLike(text, term string) bool {
	tr := []rune(foldString(term))
	var rs []posRune
	for off, r := range text {
		rs = append(rs, posRune{fold(r), off})
	}
	if len(rs) != len(tr) || len(tr) == 0 {
		return false
	}
	return soundsLike(rs, tr)
}

// FunctionChar reports whether r is one of the commonest Chinese characters, function
// words far more often than a typo of a content character.
func FunctionChar(r rune) bool { return commonChars[r] }
