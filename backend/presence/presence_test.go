package presence

import (
	"testing"
	"time"
)

func TestMerge(t *testing.T) {
	const on, away = "online", "away"
	for _, tc := range []struct {
		name   string
		tables [][]Entry
		want   Entry
	}{
		{"one node", [][]Entry{{{ID: "a", Live: true, Status: on, Since: 10}}},
			Entry{ID: "a", Live: true, Status: on, Since: 10}},
		{"live somewhere beats offline elsewhere", [][]Entry{
			{{ID: "a", Since: 50, Status: Offline}},
			{{ID: "a", Live: true, Status: on, Since: 10}}},
			Entry{ID: "a", Live: true, Status: on, Since: 10}},
		{"the status set last wins", [][]Entry{
			{{ID: "a", Live: true, Status: on, Since: 10}},
			{{ID: "a", Live: true, Status: away, Since: 20, AutoAway: true, Missed: 2}}},
			Entry{ID: "a", Live: true, Status: away, Since: 20, AutoAway: true, Missed: 2}},
		{"in either order", [][]Entry{
			{{ID: "a", Live: true, Status: away, Since: 20}},
			{{ID: "a", Live: true, Status: on, Since: 10}}},
			Entry{ID: "a", Live: true, Status: away, Since: 20}},
		{"offline everywhere: the latest since", [][]Entry{
			{{ID: "a", Since: 10, Status: away, AutoAway: true}},
			{{ID: "a", Since: 30, Status: Offline}}},
			Entry{ID: "a", Since: 30, Status: Offline}},
		{"not live means offline whatever the status says", [][]Entry{
			{{ID: "a", Since: 10, Status: away, AutoAway: true}}},
			Entry{ID: "a", Since: 10, Status: Offline}},
	} {
		got := Merge(tc.tables...)["a"]
		if got != tc.want {
			t.Errorf("%s: %+v, want %+v", tc.name, got, tc.want)
		}
	}
}

func TestViewForgetsSilentNodes(t *testing.T) {
	v := NewView(6 * time.Second)
	t0 := time.Unix(1000, 0)
	snap := Snapshot{Node: "two", Agents: []Entry{{ID: "b", Live: true, Status: "online", Since: 1}, {ID: "a", Live: true, Status: "away", Since: 2}}}
	if !v.Apply(snap, t0) {
		t.Error("first snapshot of a node changed nothing")
	}
	// The same agents in another order: a heartbeat, no change.
	again := Snapshot{Node: "two", Agents: []Entry{snap.Agents[1], snap.Agents[0]}}
	if v.Apply(again, t0.Add(2*time.Second)) {
		t.Error("a repeated snapshot was a change")
	}
	if m := v.Merged(nil); !m["a"].Live || m["b"].Status != "online" {
		t.Errorf("merged %+v", m)
	}
	if gone := v.Expire(t0.Add(7 * time.Second)); len(gone) != 0 {
		t.Errorf("a node heard 5 s ago was forgotten, with %v", gone)
	}
	if gone := v.Expire(t0.Add(9 * time.Second)); len(gone) != 2 {
		t.Errorf("a node silent past the TTL: its live agents %v, want a and b", gone)
	}
	if m := v.Merged([]Entry{{ID: "c", Live: true, Status: "online"}}); len(m) != 1 || m["a"].Live {
		t.Errorf("after expiry merged %+v, want only the local agent", m)
	}
}

func TestDecode(t *testing.T) {
	s := Snapshot{Node: "n1", Agents: []Entry{{ID: "a", Live: true, Status: "online", Since: 5, Missed: 1}}}
	got, err := Decode(Encode(s))
	if err != nil || got.Node != "n1" || len(got.Agents) != 1 || got.Agents[0] != s.Agents[0] {
		t.Fatalf("round trip = %+v, %v", got, err)
	}
	for _, bad := range []string{"", "{", `{"agents":[]}`, `{"node":"x","agents":5}`} {
		if _, err := Decode([]byte(bad)); err == nil {
			t.Errorf("Decode(%q) = nil error", bad)
		}
	}
}
