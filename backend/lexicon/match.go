package lexicon

import (
	"cmp"
	"maps"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	porterstemmer "github.com/blevesearch/go-porterstemmer"
)

// Match is one term found in a text.
type Match struct {
	Concepts  []string // the term's concepts: one, or several for an @ambiguous term
	Term      string   // the lexicon's term, as stored
	Start     int      // byte offset of the match in the text
	End       int      // byte offset just past it
	Homophone bool     // Chinese text that sounds like Term but is written otherwise
}

// Concepts returns the ids of the concepts found in text, in the order they first
// appear, each once.
func (lx *Lexicon) Concepts(text string) []string {
	var ids []string
	for _, m := range lx.Matches(text) {
		for _, id := range m.Concepts {
			if !slices.Contains(ids, id) {
				ids = append(ids, id)
			}
		}
	}
	return ids
}

// Matches returns the terms found in text, ordered by position and not overlapping.
// Chinese is matched by
// the longest term at each position, falling back to a longer homophone of a term
// (see Homophones), unless a term that starts after a lead of function characters of
// the longest reaches beyond it (我要退款 is 退款, not 我要退); English by the longest phrase at each word, comparing words as
// written or by their stems, and a phrasal verb also split around a short object that
// holds no term ("send the jacket back" is "send back"; splitPhrase).
func (lx *Lexicon) Matches(text string) []Match {
	ms := lx.matchChinese(text)
	ms = append(ms, lx.matchEnglish(text)...)
	slices.SortStableFunc(ms, func(a, b Match) int { return cmp.Compare(a.Start, b.Start) })
	// A Chinese term may hold Latin letters (下载app) that the English pass finds again
	// as a word; the longer match stands for both.
	out := ms[:0]
	for _, m := range ms {
		if n := len(out); n > 0 && m.Start < out[n-1].End {
			if m.End-m.Start > out[n-1].End-out[n-1].Start {
				out[n-1] = m
			}
			continue
		}
		out = append(out, m)
	}
	return out
}

// AnyPhrase reports whether an English phrase of a concept for which want
// is true starts at any word of text, whether or not a phrase found earlier
// (Matches) overlaps it: in "how do I pay my rent online" the payment's
// "how do I pay" hides "pay my rent", which still says what the text is
// about. (Chinese terms overlap by character, and a term hidden there is
// most often another word's end: 退回微信零钱 is no 微信零钱 question.)
func (lx *Lexicon) AnyPhrase(text string, want func(concept string) bool) bool {
	toks := tokens(text)
	for i := range toks {
		if p := lx.longestPhrase(toks[i:]); p != nil && slices.ContainsFunc(lx.en.conceptsOf(p), want) {
			return true
		}
	}
	return false
}

// runeTrie is a trie over folded runes, pointer-free as syllableTrie is: nodes are
// numbers, edges one map from (node, rune) to node, and the node where a term ends
// maps to its entry.
type runeTrie struct {
	edges                     // labelled by rune
	ends    map[uint32]uint32 // node → index into entries
	entries []runeTerm
}

// runeTerm is a Chinese term and its concepts.
type runeTerm struct {
	term     string
	concepts []string
}

func newRuneTrie() *runeTrie {
	return &runeTrie{edges: newEdges(), ends: make(map[uint32]uint32)}
}

// next is node's child under r, if any.
func (t *runeTrie) next(node uint32, r rune) (uint32, bool) { return t.child(node, uint32(r)) }

// term is the term ending at node, if one does.
func (t *runeTrie) term(node uint32) (*runeTerm, bool) {
	i, ok := t.ends[node]
	if !ok {
		return nil, false
	}
	return &t.entries[i], true
}

// insert adds term for concept id.
func (t *runeTrie) insert(term, id string) {
	var n uint32
	for _, r := range term {
		n = t.add(n, uint32(r))
	}
	i, ok := t.ends[n]
	if !ok {
		i = uint32(len(t.entries))
		t.entries = append(t.entries, runeTerm{term: term})
		t.ends[n] = i
	}
	t.entries[i].concepts = append(t.entries[i].concepts, id)
}

func (lx *Lexicon) index() {
	lx.zh = newRuneTrie()
	lx.py = newSyllableTrie()
	phrases := make(map[string]*phrase)   // term → phrase
	byStems := make(map[string][]*phrase) // joined stems → phrases
	zhTerms := make(map[string]bool)
	for _, c := range lx.concepts {
		for _, t := range c.ZH {
			zhTerms[t] = true
		}
	}
	for _, c := range lx.concepts {
		for _, t := range c.ZH {
			lx.zh.insert(t, c.ID)
			lx.py.insert(t, c.ID)
			// 卖我的电话 is said 卖我电话 too: the term without an inner
			// 的, where no term is written so.
			if v := withoutInnerDe(t); v != t && utf8.RuneCountInString(v) >= 3 && !zhTerms[v] {
				lx.zh.insert(v, c.ID)
			}
		}
		for _, t := range c.EN {
			if p := phrases[t]; p != nil {
				p.concepts = append(p.concepts, c.ID)
				continue
			}
			p := &phrase{term: t, words: strings.Fields(t), stemOK: true, concepts: []string{c.ID}}
			for _, w := range p.words {
				p.stems = append(p.stems, stem(w))
			}
			phrases[t] = p
			key := strings.Join(p.stems, " ")
			byStems[key] = append(byStems[key], p)
		}
	}
	// Two concepts' terms with the same stems ("package" and "packaging") would make
	// every inflection of either ambiguous; such terms match only as written.
	for _, ps := range byStems {
		for _, p := range ps {
			for _, q := range ps {
				if !slices.Equal(p.concepts, q.concepts) {
					p.stemOK = false
				}
			}
		}
	}
	lx.en = newEnIndex(slices.Collect(maps.Values(phrases)))
	lx.py.freeze()
}

// posRune is a folded rune and its byte offset in the original text.
type posRune struct {
	r   rune
	off int
}

func (lx *Lexicon) matchChinese(text string) []Match {
	if !strings.ContainsFunc(text, isHan) {
		return nil
	}
	rs := make([]posRune, 0, len(text)/2)
	for off, r := range text {
		rs = append(rs, posRune{fold(r), off})
	}
	end := func(i int) int {
		if i < len(rs) {
			return rs[i].off
		}
		return len(text)
	}
	var ms []Match
	for i := 0; i < len(rs); {
		best, bestLen := lx.longestTerm(rs, i)
		if isHan(rs[i].r) {
			if h, hl := lx.py.longest(rs[i:]); hl > bestLen && !lx.overrun(rs, i, h.runes) {
				ms = append(ms, Match{Concepts: h.concepts, Term: h.term, Start: rs[i].off, End: end(i + hl), Homophone: true})
				i += hl
				continue
			}
		}
		if best == nil || lx.yields(rs, i, bestLen) {
			i++
			continue
		}
		ms = append(ms, Match{Concepts: best.concepts, Term: best.term, Start: rs[i].off, End: end(i + bestLen)})
		i += bestLen
	}
	return ms
}

// overrun reports whether a character that the span at i of rs, heard as
// term, takes for a typo begins a term written as it is that reaches beyond
// the span: that character is no typo but the start of another word. In
// 提交退货申请 交退 sounds like 交税 (税 is read tuì too), but 退 begins 退货.
func (lx *Lexicon) overrun(rs []posRune, i int, term []rune) bool {
	n := len(term)
	for k := i + 1; k < i+n; k++ {
		if rs[k].r == term[k-i] {
			continue
		}
		if _, l := lx.longestTerm(rs, k); k+l > i+n {
			return true
		}
	}
	return false
}

// longestTerm is the longest term at i of rs and the runes it spans. A
// determiner or 的 inside the customer's words that the term does not have
// is passed over (infixes): 退掉这个订单 is 退掉订单, 寄回去的邮费 寄回去邮费.
// The term's first and last runes are always its own.
func (lx *Lexicon) longestTerm(rs []posRune, i int) (*runeTerm, int) {
	var best *runeTerm
	bestLen, bestSkipped := 0, false
	// keep records the term t of n runes, found passing over an infix or
	// not: the longer wins, and of two as long the term as written.
	keep := func(t *runeTerm, n int, skipped bool) {
		if n > bestLen || n == bestLen && bestSkipped && !skipped {
			best, bestLen, bestSkipped = t, n, skipped
		}
	}
	// walk follows the trie from node n at rune j, with skips infixes left.
	var walk func(n uint32, j, skips int)
	walk = func(n uint32, j, skips int) {
		for ; j < len(rs); j++ {
			if skips > 0 && j > i {
				if k := infixLen(rs[j:]); k > 0 && j+k < len(rs) {
					if m, ok := lx.zh.next(n, rs[j+k].r); ok {
						if t, end := lx.zh.term(m); end {
							keep(t, j+k-i+1, true)
						}
						walk(m, j+k+1, skips-1)
					}
				}
			}
			m, ok := lx.zh.next(n, rs[j].r)
			if !ok {
				return
			}
			n = m
			if t, end := lx.zh.term(n); end {
				keep(t, j-i+1, skips < maxInfixes)
			}
		}
	}
	walk(0, i, maxInfixes)
	return best, bestLen
}

// maxInfixes is how many infixes one term may pass over.
const maxInfixes = 1

// infixes are the words passed over inside a term (longestTerm), longest
// first: determiners and possessives, which name what the term is about
// but not what is asked of it.
var infixes = [][]rune{[]rune("这个"), []rune("那个"), []rune("我的"), []rune("的"), []rune("这"), []rune("那")}

// infixLen is the length in runes of the infix that rs starts with, or 0.
func infixLen(rs []posRune) int {
	for _, w := range infixes {
		if len(rs) < len(w) {
			continue
		}
		match := true
		for k, r := range w {
			if rs[k].r != r {
				match = false
				break
			}
		}
		if match {
			return len(w)
		}
	}
	return 0
}

// yields reports whether the term of n runes at i of rs gives way to a term that
// starts inside it, after a lead of function characters only, and reaches beyond it:
// 我要退 is a way to ask for a return, but in 我要退款 its 退 begins 退款, and the
// lead 我要 says nothing of what is wanted. The scan then goes on inside the term.
func (lx *Lexicon) yields(rs []posRune, i, n int) bool {
	for k := i + 1; k < i+n; k++ {
		if !commonChars[rs[k-1].r] {
			return false
		}
		if _, l := lx.longestTerm(rs, k); k+l > i+n {
			return true
		}
	}
	return false
}

// token is an English word of a text, folded, with its byte span.
type token struct {
	word, stem string
	start, end int
}

func (lx *Lexicon) matchEnglish(text string) []Match {
	toks := tokens(text)
	var ms []Match
	for i := 0; i < len(toks); {
		p := lx.longestPhrase(toks[i:])
		if p == nil || p.len() == 1 {
			if q, k := lx.splitPhrase(text, toks, i); q != nil {
				ms = append(ms, Match{Concepts: lx.en.conceptsOf(q), Term: lx.en.term(q), Start: toks[i].start, End: toks[k].end})
				i = k + 1
				continue
			}
		}
		if p == nil {
			i++
			continue
		}
		n := p.len()
		ms = append(ms, Match{Concepts: lx.en.conceptsOf(p), Term: lx.en.term(p), Start: toks[i].start, End: toks[i+n-1].end})
		i += n
	}
	return ms
}

// particles end the phrasal verbs that customers split around their object:
// "send the jacket back", "call the whole thing off", "pick it up".
var particles = map[string]bool{
	"back": true, "off": true, "up": true, "out": true, "over": true, "down": true,
	"on": true, "in": true, "away": true, "around": true, "round": true,
}

// maxSplit is how many words may stand between a phrasal verb and its
// particle.
const maxSplit = 3

// splitPhrase finds a two-word term of a verb and a particle split by a few
// words at toks[i]: the verb at i, the particle at the returned index, in
// one clause, with no term starting in between (whose concept the match
// would hide). It returns nil when there is none.
func (lx *Lexicon) splitPhrase(text string, toks []token, i int) (*enPhrase, int) {
	x := lx.en
	var cands []*enPhrase
	for _, key := range []string{toks[i].word, toks[i].stem} {
		for _, n := range x.at(key) {
			p := &x.phrases[n]
			if p.len() == 2 && particles[x.word(p, 1)] && !slices.Contains(cands, p) &&
				(toks[i].word == x.word(p, 0) || p.stemOK && toks[i].stem == x.stem(p, 0)) {
				cands = append(cands, p)
			}
		}
	}
	if len(cands) == 0 {
		return nil, 0
	}
	for k := i + 1; k < len(toks) && k <= i+1+maxSplit; k++ {
		// The words of a contraction ("doesn't") share one span.
		gap := text[min(toks[k-1].end, toks[k].start):toks[k].start]
		if strings.ContainsAny(gap, ",.;:!?") || k-1 > i && lx.longestPhrase(toks[k-1:]) != nil {
			return nil, 0
		}
		if k == i+1 {
			continue
		}
		for _, p := range cands {
			if toks[k].word == x.word(p, 1) {
				return p, k
			}
		}
	}
	return nil, 0
}

// longestPhrase returns the longest phrase at the start of toks; of two as long, the one
// written as in the text.
func (lx *Lexicon) longestPhrase(toks []token) *enPhrase {
	x := lx.en
	var best *enPhrase
	bestExact := false
	try := func(ns []uint32) {
		for _, n := range ns {
			p := &x.phrases[n]
			if p.len() > len(toks) || (best != nil && p.len() < best.len()) {
				continue
			}
			exact, ok := true, true
			for k := range p.len() {
				if toks[k].word == x.word(p, k) {
					continue
				}
				exact = false
				if !p.stemOK || toks[k].stem != x.stem(p, k) {
					ok = false
					break
				}
			}
			if !ok {
				continue
			}
			if best == nil || p.len() > best.len() || (exact && !bestExact) {
				best, bestExact = p, exact
			}
		}
	}
	try(x.at(toks[0].word))
	if toks[0].stem != toks[0].word {
		try(x.at(toks[0].stem))
	}
	return best
}

// isWordRune reports whether r belongs to an English word: letters other than Han,
// and digits.
func isWordRune(r rune) bool {
	return (unicode.IsLetter(r) || unicode.IsDigit(r)) && !isHan(r) && !unicode.Is(unicode.Hiragana, r) && !unicode.Is(unicode.Katakana, r)
}

// isApostrophe reports whether r is dropped inside a word: "where's" is "wheres",
// the way customers type it without one.
func isApostrophe(r rune) bool { return r == '\'' || r == '’' }

// tokens splits text into folded words with their spans.
func tokens(text string) []token {
	var toks []token
	var b strings.Builder
	start := -1
	flush := func(end int) {
		if start >= 0 && b.Len() > 0 {
			w := b.String()
			if full, ok := contractions[w]; ok {
				for _, p := range full {
					toks = append(toks, token{word: p, stem: stem(p), start: start, end: end})
				}
			} else {
				toks = append(toks, token{word: w, stem: stem(w), start: start, end: end})
			}
		}
		b.Reset()
		start = -1
	}
	for off, r := range text {
		r = fold(r)
		switch {
		case isWordRune(r):
			if start < 0 {
				start = off
			}
			b.WriteRune(r)
		case isApostrophe(r) && start >= 0:
			// inside a word: skip it, keep the word going
		default:
			flush(off)
		}
	}
	flush(len(text))
	return toks
}

// contractions are the negated auxiliaries, apostrophe dropped, and their
// full forms: a term and a text compare "didnt receive", "didn't receive"
// and "did not receive" as the same words, however the customer typed the
// negation.
var contractions = map[string][]string{
	"dont": {"do", "not"}, "doesnt": {"does", "not"}, "didnt": {"did", "not"},
	"isnt": {"is", "not"}, "arent": {"are", "not"}, "wasnt": {"was", "not"}, "werent": {"were", "not"},
	"hasnt": {"has", "not"}, "havent": {"have", "not"}, "hadnt": {"had", "not"},
	"cant": {"can", "not"}, "cannot": {"can", "not"}, "wont": {"will", "not"},
	"couldnt": {"could", "not"}, "shouldnt": {"should", "not"}, "wouldnt": {"would", "not"},
	"mustnt": {"must", "not"}, "neednt": {"need", "not"},
}

// words splits an already folded term into its words.
func words(t string) []string {
	var out []string
	for _, tok := range tokens(t) {
		out = append(out, tok.word)
	}
	return out
}

// stem is the Porter stem of a word of four letters or more; shorter words are kept
// as they are, so that "ups" stays the carrier and "us" is not "u".
func stem(w string) string {
	if utf8.RuneCountInString(w) < 4 || unstemmed[w] {
		return w
	}
	return porterstemmer.StemString(w)
}

// unstemmed are words whose Porter stem is another word of the shop's: "I'm
// so tired lately" says nothing of a late parcel.
var unstemmed = map[string]bool{"lately": true}

// withoutInnerDe returns t without the 的 between two of its characters.
func withoutInnerDe(t string) string {
	rs := []rune(t)
	out := rs[:0:0]
	for i, r := range rs {
		if r == '的' && i > 0 && i < len(rs)-1 {
			continue
		}
		out = append(out, r)
	}
	return string(out)
}
