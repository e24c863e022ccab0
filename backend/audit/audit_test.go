package audit

import (
	"bytes"
	"errors"
	"testing"
	"time"
)

// chain builds a valid chain of n entries and their stored hashes.
func chain(n int) ([]Entry, []string) {
	var es []Entry
	var hs []string
	prev := Genesis
	for i := 1; i <= n; i++ {
		e := Entry{ID: int64(i), TS: int64(1000 * i), Actor: "sup", Action: ActionRead, ConversationID: "c", Detail: string(rune('a' + i))}
		prev = Next(prev, e)
		es, hs = append(es, e), append(hs, prev.String())
	}
	return es, hs
}

// walk verifies es against hs and returns the ID of the first broken link
// (0 if none).
func walk(es []Entry, hs []string) int64 {
	var v Verifier
	for i, e := range es {
		if err := v.Add(e, hs[i]); err != nil {
			var b *BreakError
			if !errors.As(err, &b) {
				panic(err)
			}
			return b.ID
		}
	}
	return 0
}

func TestVerify(t *testing.T) {
	tests := []struct {
		name   string
		tamper func(es []Entry, hs []string) ([]Entry, []string)
		want   int64
	}{
		{"intact", func(es []Entry, hs []string) ([]Entry, []string) { return es, hs }, 0},
		{"edited detail", func(es []Entry, hs []string) ([]Entry, []string) { es[2].Detail = "x"; return es, hs }, 3},
		{"edited actor", func(es []Entry, hs []string) ([]Entry, []string) { es[0].Actor = "other"; return es, hs }, 1},
		{"edited time", func(es []Entry, hs []string) ([]Entry, []string) { es[4].TS++; return es, hs }, 5},
		{"edited hash", func(es []Entry, hs []string) ([]Entry, []string) { hs[1] = hs[2]; return es, hs }, 2},
		{"garbled hash", func(es []Entry, hs []string) ([]Entry, []string) { hs[1] = "zz"; return es, hs }, 2},
		{"deleted", func(es []Entry, hs []string) ([]Entry, []string) {
			return append(es[:2:2], es[3:]...), append(hs[:2:2], hs[3:]...)
		}, 4},
		{"deleted first", func(es []Entry, hs []string) ([]Entry, []string) { return es[1:], hs[1:] }, 2},
		{"reordered", func(es []Entry, hs []string) ([]Entry, []string) {
			es[1], es[2] = es[2], es[1]
			hs[1], hs[2] = hs[2], hs[1]
			return es, hs
		}, 3},
		{"renumbered", func(es []Entry, hs []string) ([]Entry, []string) {
			es[1].ID, es[2].ID = es[2].ID, es[1].ID
			es[1], es[2] = es[2], es[1]
			return es, hs
		}, 2},
	}
	for _, tt := range tests {
		es, hs := chain(6)
		if got := walk(tt.tamper(es, hs)); got != tt.want {
			t.Errorf("%s: first broken link = %d, want %d", tt.name, got, tt.want)
		}
	}
}

func TestVerifierHead(t *testing.T) {
	es, hs := chain(4)
	var v Verifier
	for i, e := range es {
		if err := v.Add(e, hs[i]); err != nil {
			t.Fatal(err)
		}
	}
	if v.Count() != 4 || v.Head().String() != hs[3] {
		t.Errorf("Count, Head = %d, %s, want 4, %s", v.Count(), v.Head(), hs[3])
	}
}

func TestEncodeUnambiguous(t *testing.T) {
	// Moving bytes from one field to the next must change the encoding.
	a := Entry{ID: 1, TS: 2, Actor: "ab", Action: "c"}
	b := Entry{ID: 1, TS: 2, Actor: "a", Action: "bc"}
	if bytes.Equal(Encode(a), Encode(b)) {
		t.Errorf("Encode(%+v) == Encode(%+v)", a, b)
	}
	c := Entry{ID: 1, TS: 2, ConversationID: "x"}
	d := Entry{ID: 1, TS: 2, Detail: "x"}
	if bytes.Equal(Encode(c), Encode(d)) {
		t.Errorf("Encode(%+v) == Encode(%+v)", c, d)
	}
	if Next(Genesis, a) == Next(Genesis, b) {
		t.Error("different entries hash alike")
	}
}

func TestParseTime(t *testing.T) {
	now := time.Date(2026, 12, 3, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		in      string
		want    time.Time
		wantErr bool
	}{
		{"2026-12-01T00:00:00Z", time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC), false},
		{"2026-12-01T08:00:00+08:00", time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC), false},
		{"24h", now.Add(-24 * time.Hour), false},
		{"90m", now.Add(-90 * time.Minute), false},
		{"-1h", time.Time{}, true},
		{"yesterday", time.Time{}, true},
		{"", time.Time{}, true},
	}
	for _, tt := range tests {
		got, err := ParseTime(tt.in, now)
		if (err != nil) != tt.wantErr || (!tt.wantErr && got != tt.want.UnixMilli()) {
			t.Errorf("ParseTime(%q) = %d, %v, want %d (error %v)", tt.in, got, err, tt.want.UnixMilli(), tt.wantErr)
		}
	}
}

func TestParseHash(t *testing.T) {
	h := Next(Genesis, Entry{ID: 1})
	got, err := ParseHash(h.String())
	if err != nil || got != h {
		t.Errorf("ParseHash(%s) = %s, %v", h, got, err)
	}
	for _, bad := range []string{"", "00", h.String() + "0", "g" + h.String()[1:]} {
		if _, err := ParseHash(bad); err == nil {
			t.Errorf("ParseHash(%q): nil error", bad)
		}
	}
}
