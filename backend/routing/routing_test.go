package routing

import (
	"slices"
	"testing"
	"time"
)

const (
	now  = int64(1_767_225_600_000) // 2026-01-01 UTC
	rest = 5 * time.Second
)

// agent is an online presales agent with room for two, never offered
// anything; opts adjust it.
func agent(id string, opts ...func(*Candidate)) Candidate {
	a := Candidate{ID: id, Online: true, Teams: []string{"presales"}, Capacity: 2}
	for _, o := range opts {
		o(&a)
	}
	return a
}

func load(n int) func(*Candidate)         { return func(a *Candidate) { a.Load = n } }
func capacity(n int) func(*Candidate)     { return func(a *Candidate) { a.Capacity = n } }
func offline(a *Candidate)                { a.Online = false }
func teams(t ...string) func(*Candidate)  { return func(a *Candidate) { a.Teams = t } }
func skills(s ...string) func(*Candidate) { return func(a *Candidate) { a.Skills = s } }
func offeredAgo(d time.Duration) func(*Candidate) {
	return func(a *Candidate) { a.LastOffer = now - d.Milliseconds() }
}

func TestChoose(t *testing.T) {
	presales := Conversation{Team: "presales"}
	tests := []struct {
		name  string
		conv  Conversation
		cands []Candidate
		want  string // "" for no offer
	}{
		{"nobody online", presales, nil, ""},
		{"the only agent", presales, []Candidate{agent("a")}, "a"},
		{"offline agents are passed over", presales,
			[]Candidate{agent("a", offline), agent("b", load(1))}, "b"},
		{"only offline agents", presales, []Candidate{agent("a", offline)}, ""},
		{"agents at capacity are passed over", presales,
			[]Candidate{agent("a", load(2)), agent("b", load(3), capacity(4))}, "b"},
		{"only agents at capacity", presales, []Candidate{agent("a", load(2)), agent("b", capacity(0))}, ""},
		{"other teams are passed over", presales,
			[]Candidate{agent("a", teams("aftersales")), agent("b", load(1))}, "b"},
		{"only other teams", presales, []Candidate{agent("a", teams("aftersales"))}, ""},
		{"a member of several teams", presales,
			[]Candidate{agent("a", teams("aftersales", "presales"))}, "a"},

		{"the previous agent first, though busier", Conversation{Team: "presales", PreviousAgentID: "b"},
			[]Candidate{agent("a"), agent("b", load(1))}, "b"},
		{"the previous agent whatever the team", Conversation{Team: "presales", PreviousAgentID: "b"},
			[]Candidate{agent("a"), agent("b", teams("aftersales"), load(1))}, "b"},
		{"the previous agent alone, of another team", Conversation{Team: "presales", PreviousAgentID: "b"},
			[]Candidate{agent("b", teams("aftersales"))}, "b"},
		{"the previous agent at capacity", Conversation{Team: "presales", PreviousAgentID: "b"},
			[]Candidate{agent("a", load(1)), agent("b", load(2))}, "a"},
		{"the previous agent offline", Conversation{Team: "presales", PreviousAgentID: "b"},
			[]Candidate{agent("a", load(1)), agent("b", offline)}, "a"},
		{"the previous agent refused", Conversation{Team: "presales", PreviousAgentID: "b", Refused: []string{"b"}},
			[]Candidate{agent("a", load(1)), agent("b")}, "a"},
		{"the previous agent over the customer's language", Conversation{Team: "presales", PreviousAgentID: "b", Locale: "en"},
			[]Candidate{agent("a", skills("en")), agent("b")}, "b"},

		{"refusers are passed over", Conversation{Team: "presales", Refused: []string{"a"}},
			[]Candidate{agent("a"), agent("b", load(1), offeredAgo(time.Hour))}, "b"},
		{"refusers asked again when nobody else can", Conversation{Team: "presales", Refused: []string{"a"}},
			[]Candidate{agent("a", offeredAgo(time.Hour)), agent("b", load(2))}, "a"},
		{"refusers asked again after exactly the rest", Conversation{Team: "presales", Refused: []string{"a"}},
			[]Candidate{agent("a", offeredAgo(rest))}, "a"},
		{"refusers not asked again before the rest", Conversation{Team: "presales", Refused: []string{"a"}},
			[]Candidate{agent("a", offeredAgo(rest-time.Millisecond))}, ""},
		{"only rested refusers asked again", Conversation{Team: "presales", Refused: []string{"a", "b"}},
			[]Candidate{agent("a", offeredAgo(time.Second)), agent("b", load(1), offeredAgo(time.Minute))}, "b"},
		{"refusers asked again, least loaded first", Conversation{Team: "presales", Refused: []string{"a", "b"}},
			[]Candidate{agent("a", load(1), offeredAgo(time.Hour)), agent("b", offeredAgo(time.Minute))}, "b"},
		{"refusers asked again, the language first", Conversation{Team: "presales", Refused: []string{"a", "b"}, Locale: "en"},
			[]Candidate{agent("a", offeredAgo(time.Hour)), agent("b", load(1), skills("en"), offeredAgo(time.Minute))}, "b"},
		{"a refusing previous agent of another team is not asked again",
			Conversation{Team: "presales", PreviousAgentID: "b", Refused: []string{"b"}},
			[]Candidate{agent("b", teams("aftersales"), offeredAgo(time.Hour))}, ""},
		{"a refusing previous agent of the team is asked again",
			Conversation{Team: "presales", PreviousAgentID: "b", Refused: []string{"b"}},
			[]Candidate{agent("b", offeredAgo(time.Hour))}, "b"},
		{"refusers at capacity are not asked again", Conversation{Team: "presales", Refused: []string{"a"}},
			[]Candidate{agent("a", load(2), offeredAgo(time.Hour))}, ""},
		{"refusals of other agents do not matter", Conversation{Team: "presales", Refused: []string{"x"}},
			[]Candidate{agent("a", load(1)), agent("b")}, "b"},

		{"the customer's language first, though busier", Conversation{Team: "presales", Locale: "en"},
			[]Candidate{agent("a"), agent("b", load(1), skills("zh-CN", "en"))}, "b"},
		{"nobody speaks the language", Conversation{Team: "presales", Locale: "en"},
			[]Candidate{agent("a", load(1), skills("zh-CN")), agent("b")}, "b"},
		{"no language", presales,
			[]Candidate{agent("a", load(1), skills("en")), agent("b")}, "b"},
		{"a speaker of another team is passed over", Conversation{Team: "presales", Locale: "en"},
			[]Candidate{agent("a", load(1)), agent("b", teams("aftersales"), skills("en"))}, "a"},

		{"least loaded", presales,
			[]Candidate{agent("a", load(1)), agent("b"), agent("c", load(1))}, "b"},
		{"least loaded over longest since offered", presales,
			[]Candidate{agent("a", load(1), offeredAgo(time.Hour)), agent("b", offeredAgo(time.Second))}, "b"},
		{"equal load: offered longest ago", presales,
			[]Candidate{agent("a", offeredAgo(time.Second)), agent("b", offeredAgo(time.Hour)), agent("c", offeredAgo(time.Minute))}, "b"},
		{"equal load: never offered before offered", presales,
			[]Candidate{agent("a", offeredAgo(time.Hour)), agent("b")}, "b"},
		{"all equal: lowest ID", presales,
			[]Candidate{agent("c"), agent("b"), agent("d")}, "b"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := Choose(tt.conv, tt.cands, now, rest)
			if got != tt.want || ok != (tt.want != "") {
				t.Fatalf("Choose(%+v, %+v) = %q, %v; want %q", tt.conv, tt.cands, got, ok, tt.want)
			}
			// The answer does not depend on the candidates' order.
			rev := slices.Clone(tt.cands)
			slices.Reverse(rev)
			if got, _ := Choose(tt.conv, rev, now, rest); got != tt.want {
				t.Fatalf("Choose(%+v, reversed %+v) = %q, want %q", tt.conv, rev, got, tt.want)
			}
			// HasRoom is false only when Choose is, whatever the refusals.
			if !HasRoom(tt.conv, tt.cands) && ok {
				t.Fatalf("HasRoom(%+v, %+v) = false, but Choose offers to %q", tt.conv, tt.cands, got)
			}
		})
	}
}

func TestHasRoom(t *testing.T) {
	tests := []struct {
		name  string
		conv  Conversation
		cands []Candidate
		want  bool
	}{
		{"nobody", Conversation{Team: "presales"}, nil, false},
		{"a member with room", Conversation{Team: "presales"}, []Candidate{agent("a")}, true},
		{"a member with room who refused", Conversation{Team: "presales", Refused: []string{"a"}},
			[]Candidate{agent("a", offeredAgo(time.Second))}, true},
		{"a member at capacity", Conversation{Team: "presales"}, []Candidate{agent("a", load(2))}, false},
		{"a member offline", Conversation{Team: "presales"}, []Candidate{agent("a", offline)}, false},
		{"another team", Conversation{Team: "presales"}, []Candidate{agent("a", teams("aftersales"))}, false},
		{"the previous agent of another team", Conversation{Team: "presales", PreviousAgentID: "a"},
			[]Candidate{agent("a", teams("aftersales"))}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := HasRoom(tt.conv, tt.cands); got != tt.want {
				t.Fatalf("HasRoom(%+v, %+v) = %v, want %v", tt.conv, tt.cands, got, tt.want)
			}
		})
	}
}
