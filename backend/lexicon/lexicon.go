// Package lexicon maps customer wording to concepts of customer service in online
// commerce, whichever language or register the words come in: 退款, 退钱, "refund",
// "money back" and "reimburse" are all the concept refund.
//
// The concepts live in concepts.txt, embedded into the binary and versioned with the
// code. Chinese terms are found by longest match over a rune trie, with a fallback on
// toneless pinyin for homophone typos (退宽 for 退款); English terms are found by words,
// as written or by their stems, so plurals and verb forms need not be listed.
package lexicon

import (
	"bufio"
	"bytes"
	_ "embed"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode"
)

// FormatVersion is the layout of the data file this package reads (its @format line).
const FormatVersion = 1

//go:embed concepts.txt
var conceptsFile []byte

// Lang names the language of a term.
type Lang string

// The languages of the lexicon's terms.
const (
	Chinese Lang = "zh"
	English Lang = "en"
)

// Concept is one idea of customer service with its words in each language.
type Concept struct {
	ID      string
	ZH      []string // simplified Chinese terms, colloquial forms included
	EN      []string // lower-case English terms and phrases, common misspellings included
	Related []string // ids of neighbouring concepts
}

// Lexicon is a parsed, validated and indexed set of concepts. It is immutable and safe
// for concurrent use.
type Lexicon struct {
	version  int
	concepts []Concept
	byID     map[string]int

	zh *runeTrie     // Chinese terms, by rune
	py *syllableTrie // Chinese terms of two or more Han characters, by toneless pinyin
	en *enIndex      // English terms, by their first word and by its stem
}

var load = sync.OnceValues(func() (*Lexicon, error) {
	return Parse(bytes.NewReader(conceptsFile))
})

// Load returns the lexicon embedded in the binary. It is parsed once; every call
// returns the same *Lexicon.
func Load() (*Lexicon, error) {
	return load()
}

var idPattern = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// Parse reads a lexicon in the concepts.txt format and validates it: the format
// version, unique well-formed ids, at least one Chinese and one English term per
// concept, known related ids, and no term in two concepts unless declared
// "@ambiguous".
func Parse(r io.Reader) (*Lexicon, error) {
	lx := &Lexicon{byID: make(map[string]int)}
	ambiguous := make(map[string]bool) // normalized term → declared
	format := 0
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64*1024), 1024*1024)
	line := 0
	for sc.Scan() {
		line++
		text := strings.TrimSpace(sc.Text())
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		if rest, ok := strings.CutPrefix(text, "@"); ok {
			key, val, _ := strings.Cut(rest, " ")
			val = strings.TrimSpace(val)
			switch key {
			case "format":
				n, err := strconv.Atoi(val)
				if err != nil || n != FormatVersion {
					return nil, fmt.Errorf("line %d: format %q, want %d", line, val, FormatVersion)
				}
				format = n
			case "version":
				n, err := strconv.Atoi(val)
				if err != nil || n < 1 {
					return nil, fmt.Errorf("line %d: bad version %q", line, val)
				}
				lx.version = n
			case "ambiguous":
				if val == "" {
					return nil, fmt.Errorf("line %d: @ambiguous without a term", line)
				}
				ambiguous[normalizeTerm(val)] = false
			default:
				return nil, fmt.Errorf("line %d: unknown directive @%s", line, key)
			}
			continue
		}
		if format == 0 {
			return nil, fmt.Errorf("line %d: concept before the @format line", line)
		}
		c, err := parseConcept(text)
		if err != nil {
			return nil, fmt.Errorf("line %d: %w", line, err)
		}
		if _, dup := lx.byID[c.ID]; dup {
			return nil, fmt.Errorf("line %d: duplicate concept id %q", line, c.ID)
		}
		lx.byID[c.ID] = len(lx.concepts)
		lx.concepts = append(lx.concepts, c)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read lexicon: %w", err)
	}
	if format == 0 {
		return nil, fmt.Errorf("no @format line")
	}
	if lx.version == 0 {
		return nil, fmt.Errorf("no @version line")
	}
	if err := lx.validate(ambiguous); err != nil {
		return nil, err
	}
	lx.index()
	return lx, nil
}

// parseConcept reads "id | zh, zh | en, en | related related".
func parseConcept(text string) (Concept, error) {
	fields := strings.Split(text, "|")
	if len(fields) < 3 || len(fields) > 4 {
		return Concept{}, fmt.Errorf("want 3 or 4 fields separated by |, got %d", len(fields))
	}
	c := Concept{ID: strings.TrimSpace(fields[0])}
	if !idPattern.MatchString(c.ID) {
		return Concept{}, fmt.Errorf("bad concept id %q", c.ID)
	}
	c.ZH = splitTerms(fields[1])
	c.EN = splitTerms(fields[2])
	if len(fields) == 4 {
		c.Related = strings.Fields(fields[3])
	}
	if len(c.ZH) == 0 {
		return Concept{}, fmt.Errorf("concept %s: no Chinese term", c.ID)
	}
	if len(c.EN) == 0 {
		return Concept{}, fmt.Errorf("concept %s: no English term", c.ID)
	}
	for _, t := range c.ZH {
		if !slices.ContainsFunc([]rune(t), isHan) {
			return Concept{}, fmt.Errorf("concept %s: Chinese term %q has no Han character", c.ID, t)
		}
	}
	for _, t := range c.EN {
		if slices.ContainsFunc([]rune(t), isHan) {
			return Concept{}, fmt.Errorf("concept %s: English term %q has Han characters", c.ID, t)
		}
		if len(words(t)) == 0 {
			return Concept{}, fmt.Errorf("concept %s: English term %q has no word", c.ID, t)
		}
	}
	return c, nil
}

func splitTerms(field string) []string {
	var out []string
	for t := range strings.SplitSeq(field, ",") {
		if t = normalizeTerm(t); t != "" && !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	return out
}

// normalizeTerm folds a term the way text is folded before matching, and for English
// collapses it to its words, so "Pre-Order" and "pre order" are one term.
func normalizeTerm(t string) string {
	t = foldString(strings.TrimSpace(t))
	if slices.ContainsFunc([]rune(t), isHan) {
		return t
	}
	return strings.Join(words(t), " ")
}

func (lx *Lexicon) validate(ambiguous map[string]bool) error {
	owner := make(map[string]string) // normalized term → first concept id
	for _, c := range lx.concepts {
		for _, id := range c.Related {
			if id == c.ID {
				return fmt.Errorf("concept %s: related to itself", c.ID)
			}
			if _, ok := lx.byID[id]; !ok {
				return fmt.Errorf("concept %s: unknown related concept %q", c.ID, id)
			}
		}
		for _, t := range slices.Concat(c.ZH, c.EN) {
			prev, seen := owner[t]
			if !seen {
				owner[t] = c.ID
				continue
			}
			if _, ok := ambiguous[t]; !ok {
				return fmt.Errorf("term %q in concepts %s and %s: declare it @ambiguous or keep one", t, prev, c.ID)
			}
			ambiguous[t] = true
		}
	}
	for t, used := range ambiguous {
		if !used {
			return fmt.Errorf("@ambiguous %q: the term is not in two concepts", t)
		}
	}
	return nil
}

// Version is the content version of the data (its @version line).
func (lx *Lexicon) Version() int { return lx.version }

// Len is the number of concepts.
func (lx *Lexicon) Len() int { return len(lx.concepts) }

// IDs returns the concept ids in file order.
func (lx *Lexicon) IDs() []string {
	ids := make([]string, len(lx.concepts))
	for i, c := range lx.concepts {
		ids[i] = c.ID
	}
	return ids
}

// Concept returns the concept with the id, or false.
func (lx *Lexicon) Concept(id string) (Concept, bool) {
	i, ok := lx.byID[id]
	if !ok {
		return Concept{}, false
	}
	c := lx.concepts[i]
	c.ZH, c.EN, c.Related = slices.Clone(c.ZH), slices.Clone(c.EN), slices.Clone(c.Related)
	return c, true
}

// Terms returns the concept's terms in the language, or nil for an unknown concept or
// language.
func (lx *Lexicon) Terms(conceptID string, lang Lang) []string {
	i, ok := lx.byID[conceptID]
	if !ok {
		return nil
	}
	switch lang {
	case Chinese:
		return slices.Clone(lx.concepts[i].ZH)
	case English:
		return slices.Clone(lx.concepts[i].EN)
	}
	return nil
}

// IsRelated reports whether concept to is among the neighbours of concept
// id: Related's answer without a copy, for callers on a hot path.
func (lx *Lexicon) IsRelated(id, to string) bool {
	i, ok := lx.byID[id]
	return ok && slices.Contains(lx.concepts[i].Related, to)
}

// OnlyRelated reports whether concept to is the one neighbour of concept
// id: a place abroad, whose one neighbour is shipping abroad, is such a
// concept.
func (lx *Lexicon) OnlyRelated(id, to string) bool {
	i, ok := lx.byID[id]
	return ok && len(lx.concepts[i].Related) == 1 && lx.concepts[i].Related[0] == to
}

// Related returns the ids of the concept's neighbours.
func (lx *Lexicon) Related(conceptID string) []string {
	i, ok := lx.byID[conceptID]
	if !ok {
		return nil
	}
	return slices.Clone(lx.concepts[i].Related)
}

func isHan(r rune) bool { return unicode.Is(unicode.Han, r) }

// fold maps a rune to the form terms are stored in: lower case, full-width ASCII to
// ASCII, the ideographic space to a space. It keeps one rune for one rune so that
// matches can report offsets in the original text.
func fold(r rune) rune {
	switch {
	case r >= 0xFF01 && r <= 0xFF5E:
		r -= 0xFEE0
	case r == 0x3000:
		r = ' '
	}
	return unicode.ToLower(r)
}

func foldString(s string) string { return strings.Map(fold, s) }
