package quota

import (
	"errors"
	"testing"
	"time"
)

func TestTrackerRefuses(t *testing.T) {
	now := time.Date(2026, 12, 3, 10, 0, 0, 0, time.UTC)
	tr := NewTracker(func() time.Time { return now })
	visitor := func(id string) Owner {
		return Owner{Key: "visitor:" + id, Limits: Limits{Sessions: 2, InFlight: 100, Daily: 250}}
	}
	addr := Owner{Key: "addr:192.0.2.1", Limits: Limits{Sessions: 3}}
	tests := []struct {
		name  string
		id    string
		size  int64
		owner Owner
		want  Limit // "" is accepted
	}{
		{"first", "a", 60, visitor("v1"), ""},
		{"in flight would pass 100", "b", 50, visitor("v1"), LimitInFlight},
		{"second fits", "c", 40, visitor("v1"), ""},
		{"third session", "d", 1, visitor("v1"), LimitSessions},
		{"another visitor, same address", "e", 10, visitor("v2"), ""},
		{"address sessions", "f", 10, visitor("v3"), LimitSessions},
	}
	for _, tt := range tests {
		err := tr.Open(tt.id, tt.size, tt.owner, addr)
		var ex *ExceededError
		switch {
		case tt.want == "" && err != nil:
			t.Errorf("%s: Open = %v, want accepted", tt.name, err)
		case tt.want != "" && (!errors.As(err, &ex) || ex.Limit != tt.want):
			t.Errorf("%s: Open = %v, want %s exceeded", tt.name, err, tt.want)
		}
	}
	if u := tr.Usage("visitor:v1"); u != (Usage{Sessions: 2, InFlight: 100, Today: 100}) {
		t.Errorf("usage = %+v", u)
	}

	// Ending uploads frees sessions and bytes in flight, not the day's bytes.
	tr.Close("a")
	tr.Close("c")
	tr.Close("a") // twice is harmless
	if u := tr.Usage("visitor:v1"); u != (Usage{Sessions: 0, InFlight: 0, Today: 100}) {
		t.Errorf("usage after close = %+v", u)
	}
	for _, id := range []string{"g", "h"} {
		if err := tr.Open(id, 75, visitor("v1")); err != nil {
			t.Fatalf("Open %s: %v", id, err)
		}
		tr.Close(id)
	}
	var ex *ExceededError
	if err := tr.Open("i", 75, visitor("v1")); !errors.As(err, &ex) || ex.Limit != LimitDaily {
		t.Errorf("Open past the day's bytes = %v, want daily exceeded", err)
	}
	// The next day starts afresh.
	now = now.Add(24 * time.Hour)
	if err := tr.Open("i", 75, visitor("v1")); err != nil {
		t.Errorf("Open the next day = %v", err)
	}
	if err := tr.Open("i", 1, visitor("v1")); err == nil {
		t.Errorf("Open of an open id succeeded")
	}
}

func TestTrackerRestore(t *testing.T) {
	now := time.Date(2026, 12, 3, 10, 0, 0, 0, time.UTC)
	tr := NewTracker(func() time.Time { return now })
	o := Owner{Key: "agent:alice", Limits: Limits{Sessions: 1}}
	tr.Restore("old", 10, now.Add(-48*time.Hour), o)
	if u := tr.Usage("agent:alice"); u != (Usage{Sessions: 1, InFlight: 10, Today: 0}) {
		t.Errorf("usage after restoring yesterday's upload = %+v", u)
	}
	if err := tr.Open("new", 1, o); err == nil {
		t.Errorf("Open beyond sessions after restore succeeded")
	}
	tr.Close("old")
	if err := tr.Open("new", 1, o); err != nil {
		t.Errorf("Open after closing the restored upload = %v", err)
	}
}

func TestLimitsOr(t *testing.T) {
	got := Limits{Sessions: 1}.Or(DefaultVisitor)
	want := Limits{Sessions: 1, InFlight: DefaultVisitor.InFlight, Daily: DefaultVisitor.Daily}
	if got != want {
		t.Errorf("Or = %+v, want %+v", got, want)
	}
}
