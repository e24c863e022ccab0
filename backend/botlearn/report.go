package botlearn

import (
	"context"
	"sort"
	"strings"
	"unicode"

	porterstemmer "github.com/blevesearch/go-porterstemmer"

	"switchboard/backend/hanzi"
	"switchboard/backend/kb"
	"switchboard/backend/lexicon"
	"switchboard/backend/store"
	"switchboard/protocol"
)

// Searcher finds the knowledge base entries closest to a text: the live
// bot's index (kb.Index).
type Searcher interface {
	Search(ctx context.Context, text, locale string, n int) (kb.Result, error)
}

// Limits of the report.
const (
	// DefaultGroups and MaxGroups bound BotReportRequest.Limit.
	DefaultGroups = 50
	MaxGroups     = 200
	// maxMisses bounds the open questions grouped, the newest.
	maxMisses = 5000
	// groupQuestions bounds the questions listed per group.
	groupQuestions = 20
	// draftTries bounds the conversations read for a group's draft.
	draftTries = 5
	// linkCompare bounds the members of a group a question is compared
	// with, the newest; similarity spreads through them.
	linkCompare = 20
)

// Threshold is the similarity from which two questions are the same
// question: the weighted Jaccard index of their features (see features).
const Threshold = 0.34

// ReportOptions shape a report.
type ReportOptions struct {
	// Limit caps the groups; 0 means DefaultGroups, at most MaxGroups.
	Limit int
	// Search, when not nil, suggests entries for each group.
	Search Searcher
	// Version is the knowledge base version the suggestions come from.
	Version int64
}

// Report groups the open missed questions by similarity, largest group
// first (the most recent first among equals).
func Report(ctx context.Context, st Store, opts ReportOptions) (protocol.BotReport, error) {
	limit := opts.Limit
	if limit <= 0 {
		limit = DefaultGroups
	}
	limit = min(limit, MaxGroups)
	misses, err := st.OpenMisses(ctx, maxMisses)
	if err != nil {
		return protocol.BotReport{}, err
	}
	groups := Group(misses)
	rep := protocol.BotReport{Open: len(misses), Groups: []protocol.MissGroup{}, KBVersion: opts.Version}
	for _, g := range groups[:min(limit, len(groups))] {
		rep.Groups = append(rep.Groups, describe(ctx, st, opts.Search, g))
	}
	return rep, nil
}

// Group puts similar questions together: each question, oldest first,
// joins the group with the most similar member (of its newest
// linkCompare) at Threshold or above, else starts one. The groups come
// largest first, then the most recent first; each holds its questions
// newest first.
func Group(misses []store.Miss) [][]store.Miss {
	ordered := make([]store.Miss, len(misses))
	copy(ordered, misses)
	sort.SliceStable(ordered, func(i, j int) bool { return ordered[i].CreatedAt < ordered[j].CreatedAt })
	type group struct {
		members []store.Miss
		feats   []map[string]float64
	}
	var groups []*group
	for _, m := range ordered {
		f := features(m.Text)
		var best *group
		bestSim := 0.0
		for _, g := range groups {
			from := max(0, len(g.feats)-linkCompare)
			for _, gf := range g.feats[from:] {
				if s := similarity(f, gf); s > bestSim {
					best, bestSim = g, s
				}
			}
		}
		if best == nil || bestSim < Threshold {
			best = &group{}
			groups = append(groups, best)
		}
		best.members = append(best.members, m)
		best.feats = append(best.feats, f)
	}
	out := make([][]store.Miss, len(groups))
	for i, g := range groups {
		ms := g.members
		for a, b := 0, len(ms)-1; a < b; a, b = a+1, b-1 {
			ms[a], ms[b] = ms[b], ms[a]
		}
		out[i] = ms
	}
	sort.SliceStable(out, func(i, j int) bool {
		if len(out[i]) != len(out[j]) {
			return len(out[i]) > len(out[j])
		}
		return out[i][0].CreatedAt > out[j][0].CreatedAt
	})
	return out
}

// describe makes the report's group of ms (newest first).
func describe(ctx context.Context, st Store, search Searcher, ms []store.Miss) protocol.MissGroup {
	g := protocol.MissGroup{
		ID:      ms[len(ms)-1].ID, // the oldest: stable while it is in the group
		Count:   len(ms),
		Reasons: map[string]int{},
		LastAt:  ms[0].CreatedAt,
	}
	locales := map[string]int{}
	for i, m := range ms {
		g.Reasons[m.Reason]++
		locales[m.Locale]++
		if i < groupQuestions {
			g.Questions = append(g.Questions, protocol.MissQuestion{ID: m.ID, ConversationID: m.ConversationID, Seq: m.Seq,
				Text: m.Text, Locale: m.Locale, Reason: m.Reason, At: m.CreatedAt})
		}
	}
	g.Locale = kb.ZH
	if locales[kb.EN] > locales[kb.ZH] {
		g.Locale = kb.EN
	}
	if search != nil {
		g.Suggestions = suggest(ctx, search, ms, g.Locale)
	}
	for _, m := range ms[:min(len(ms), draftTries)] {
		if d := draft(ctx, st, m); d != nil {
			g.Draft = d
			break
		}
	}
	return g
}

// suggest searches with the group's newest question in its language,
// and gives the closest entries.
func suggest(ctx context.Context, search Searcher, ms []store.Miss, locale string) []protocol.KBSuggestion {
	text := ms[0].Text
	for _, m := range ms {
		if m.Locale == locale {
			text = m.Text
			break
		}
	}
	res, err := search.Search(ctx, text, locale, 3)
	if err != nil {
		return nil
	}
	var out []protocol.KBSuggestion
	for _, h := range res.Hits {
		label := ""
		if qs := h.Entry.Questions.Get(locale); len(qs) > 0 {
			label = qs[0]
		} else if qs := h.Entry.Questions.Get(otherLocale(locale)); len(qs) > 0 {
			label = qs[0]
		}
		out = append(out, protocol.KBSuggestion{EntryID: h.Entry.ID, Label: label, Score: h.Similarity})
		if len(out) == 3 {
			break
		}
	}
	return out
}

func otherLocale(l string) string {
	if l == kb.ZH {
		return kb.EN
	}
	return kb.ZH
}

// draft is the first public text a person wrote to the customer after the
// conversation of m was handed over, after m: nil when there is none.
func draft(ctx context.Context, st Store, m store.Miss) *protocol.MissDraft {
	msgs, err := st.Messages(ctx, store.MessageQuery{ConversationID: m.ConversationID, AfterSeq: m.Seq, Limit: 200})
	if err != nil {
		return nil
	}
	handed := false
	for _, x := range msgs {
		if x.Kind == protocol.KindEvent && x.Event != nil && x.Event.Type == protocol.EventHandoff {
			handed = true
			continue
		}
		if !handed || !said(x) {
			continue
		}
		switch x.SenderRole {
		case protocol.RoleAgent, protocol.RoleSupervisor, protocol.RoleAdmin:
			return &protocol.MissDraft{Text: x.Text, ConversationID: x.ConversationID, Seq: x.Seq, AgentName: x.SenderName}
		}
	}
	return nil
}

// Features of a question: the concepts of the lexicon it names (in either
// language, so a Chinese and an English wording meet), its Chinese
// character bigrams (traditional characters folded to simplified, so 運費
// meets 运费) and its English word stems, without the words that say
// nothing about the topic.
func features(text string) map[string]float64 {
	f := map[string]float64{}
	t := strings.ToLower(hanzi.Fold(text))
	if lx := lexi(); lx != nil {
		// A concept stands for its words: they count once, as the concept.
		ms := lx.Matches(t)
		var rest strings.Builder
		last := 0
		for _, m := range ms {
			for _, c := range m.Concepts {
				f["c:"+c] = conceptWeight
			}
			if m.Start >= last && m.End <= len(t) {
				rest.WriteString(t[last:m.Start])
				rest.WriteString(" ")
				last = m.End
			}
		}
		rest.WriteString(t[last:])
		t = rest.String()
	}
	var run []rune
	flush := func() {
		if len(run) == 1 {
			f["z:"+string(run)] = 1
		}
		for i := 0; i+1 < len(run); i++ {
			f["z:"+string(run[i:i+2])] = 1
		}
		run = run[:0]
	}
	var word []rune
	flushWord := func() {
		if len(word) > 1 {
			w := string(word)
			if !stopEN[w] {
				f["e:"+porterstemmer.StemString(w)] = 1
			}
		}
		word = word[:0]
	}
	for _, r := range t {
		switch {
		case unicode.Is(unicode.Han, r):
			flushWord()
			if !strings.ContainsRune(particlesZH, r) {
				run = append(run, r)
			} else {
				flush()
			}
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			flush()
			word = append(word, r)
		default:
			flush()
			flushWord()
		}
	}
	flush()
	flushWord()
	return f
}

// conceptWeight weighs a shared concept against a shared bigram or word:
// two wordings of one question often share nothing else.
const conceptWeight = 3

// particlesZH are Chinese characters that say nothing about the topic.
const particlesZH = "的了吗呢吧啊呀哦嘛么我你您们是在请问能要可以有怎么吧"

var stopEN = map[string]bool{
	"the": true, "is": true, "are": true, "do": true, "does": true, "can": true, "my": true, "me": true, "you": true,
	"your": true, "it": true, "to": true, "of": true, "for": true, "in": true, "on": true, "and": true, "or": true,
	"an": true, "be": true, "will": true, "please": true, "what": true, "how": true, "when": true, "where": true,
	"there": true, "this": true, "that": true, "with": true, "have": true, "has": true, "get": true, "we": true, "at": true,
	"if": true, "about": true, "hi": true, "hello": true, "would": true, "could": true, "should": true, "im": true,
}

func lexi() *lexicon.Lexicon {
	lx, err := lexicon.Load()
	if err != nil {
		return nil
	}
	return lx
}

// similarity is the weighted Jaccard index of two feature sets.
func similarity(a, b map[string]float64) float64 {
	var inter, union float64
	for k, w := range a {
		if bw, ok := b[k]; ok {
			inter += min(w, bw)
			union += max(w, bw)
		} else {
			union += w
		}
	}
	for k, w := range b {
		if _, ok := a[k]; !ok {
			union += w
		}
	}
	if union == 0 {
		return 0
	}
	return inter / union
}
