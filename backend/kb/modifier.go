package kb

import (
	"regexp"
)

// An English question's order named after what it asks about ("when do I
// get the refund for my order", "the invoice for my order", "a coupon on
// my order") is the modifier of its head, not its topic: at full weight
// the order's concepts (and a "cancelled" before it) found the entries of
// the order itself, the cancellation's above the refund's. The order named
// after another of the shop's nouns in the same clause keeps modifierShare
// of its weight; the order alone ("where is my order"), or first ("my
// order's refund"), keeps what it had. On a set of such wordings written
// for it (package bot's probes), 0.3 left two of sixteen wrong and 0.1 and
// 0 one; training unchanged at each.
var enOrderModifier = regexp.MustCompile(`(?i)\b(?:for|of|on)\s+(?:my|the|this|that|an?|our)\s+(?:(?:recent|last|latest|previous|cancelled|canceled|returned|online|new|first|current)\s+)?orders?\b`)

// modifierShare is the share of its weight a concept or word of the order
// named as a modifier keeps.
const modifierShare = 0.1

// quietModifier lowers the weight of the order named as a modifier of
// another of the shop's nouns in text (enOrderModifier).
func (ix *Index) quietModifier(ts *termSet, text string) {
	if ts.locale != EN {
		return
	}
	locs := enOrderModifier.FindAllStringIndex(text, -1)
	if locs == nil {
		return
	}
	ms := ix.matches(text)
	inside := func(start, end int) bool {
		for _, l := range locs {
			if start >= l[0] && end <= l[1] {
				return true
			}
		}
		return false
	}
	head := false
	quiet := map[string]bool{}
	kept := map[string]bool{}
	for _, m := range ms {
		topical := false
		for _, id := range m.Concepts {
			topical = topical || !conversationConcepts[id] && !offTopicConcepts[id]
		}
		if !topical {
			continue
		}
		if inside(m.Start, m.End) {
			for _, id := range m.Concepts {
				quiet[id] = true
			}
			continue
		}
		for _, id := range m.Concepts {
			kept[id] = true
		}
		// A head before the first modifier, in its clause.
		if m.End <= locs[0][0] && !clauseBreak.MatchString(text[m.End:locs[0][0]]) {
			head = true
		}
	}
	if !head {
		return
	}
	if ts.part == nil {
		ts.part = make(map[string]float64)
	}
	for id := range quiet {
		if t := conceptPrefix + id; !kept[id] && ts.terms[t] {
			ts.part[t] = min(ts.share(t), modifierShare)
		}
	}
	for _, l := range locs {
		for _, tok := range ix.analyzer[EN].Analyze([]byte(text[l[0]:l[1]])) {
			if t := string(tok.Term); ts.terms[t] {
				ts.part[t] = min(ts.share(t), modifierShare)
			}
		}
	}
}

// clauseBreak ends a clause.
var clauseBreak = regexp.MustCompile(`[.?!;]`)
