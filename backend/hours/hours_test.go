package hours

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func mustParse(t *testing.T, s Spec) *Schedule {
	t.Helper()
	h, err := Parse(s)
	if err != nil {
		t.Fatalf("Parse(%+v): %v", s, err)
	}
	return h
}

func at(t *testing.T, loc *time.Location, s string) time.Time {
	t.Helper()
	v, err := time.ParseInLocation("2006-01-02 15:04", s, loc)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestOpen(t *testing.T) {
	shanghai, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Skip("no tzdata:", err)
	}
	h := mustParse(t, Spec{Timezone: "Asia/Shanghai", Weekly: "Mon-Fri 09:00-18:00; sat 10:00-12:00", Closed: []string{"2026-11-26"}})
	tests := []struct {
		at   string // in Asia/Shanghai
		want bool
	}{
		{"2026-11-23 09:00", true},  // Monday opening
		{"2026-11-23 08:59", false}, // before
		{"2026-11-27 17:59", true},  // Friday
		{"2026-11-27 18:00", false}, // closing is exclusive
		{"2026-11-28 11:00", true},  // Saturday
		{"2026-11-28 12:30", false},
		{"2026-11-29 11:00", false}, // Sunday closed
		{"2026-11-26 11:00", false}, // a closed date
		{"2026-11-25 11:00", true},  // the day before it
	}
	for _, tt := range tests {
		if got := h.Open(at(t, shanghai, tt.at).UTC()); got != tt.want {
			t.Errorf("Open(%s) = %v, want %v", tt.at, got, tt.want)
		}
	}
	var none *Schedule
	if !none.Open(time.Now()) {
		t.Error("nil hours must always be open")
	}
	wrap := mustParse(t, Spec{Weekly: "fri-mon 00:00-24:00"})
	if !wrap.Open(time.Date(2026, 11, 29, 23, 59, 0, 0, time.UTC)) || wrap.Open(time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)) {
		t.Error("a day range wrapping over the weekend is wrong")
	}
	always := mustParse(t, Spec{Weekly: "Always", Closed: []string{"2026-12-25"}})
	if !always.Open(time.Date(2026, 12, 24, 3, 0, 0, 0, time.UTC)) || always.Open(time.Date(2026, 12, 25, 3, 0, 0, 0, time.UTC)) {
		t.Error("always with a closed date is wrong")
	}
}

func TestNextOpen(t *testing.T) {
	shanghai, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Skip("no tzdata:", err)
	}
	h := mustParse(t, Spec{Timezone: "Asia/Shanghai", Weekly: "mon-fri 14:00-18:00, mon-fri 09:00-12:00", Closed: []string{"2026-11-30"}})
	tests := []struct{ from, want string }{
		{"2026-11-23 10:00", "2026-11-23 10:00"}, // open: now
		{"2026-11-23 08:00", "2026-11-23 09:00"}, // before opening
		{"2026-11-23 12:30", "2026-11-23 14:00"}, // lunch: the later window
		{"2026-11-27 18:00", "2026-12-01 09:00"}, // Friday evening, Monday closed
	}
	for _, tt := range tests {
		got, ok := h.NextOpen(at(t, shanghai, tt.from))
		if want := at(t, shanghai, tt.want); !ok || !got.Equal(want) {
			t.Errorf("NextOpen(%s) = %v, %v; want %v", tt.from, got.In(shanghai), ok, want)
		}
	}
	var none *Schedule
	if now := time.Now(); func() bool { got, ok := none.NextOpen(now); return !ok || !got.Equal(now) }() {
		t.Error("nil hours must be open now")
	}
	// Every Monday of the next years closed: it never opens.
	var mondays []string
	for d := time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC); len(mondays) < MaxClosed; d = d.AddDate(0, 0, 7) {
		mondays = append(mondays, d.Format(DateLayout))
	}
	never := mustParse(t, Spec{Weekly: "mon 09:00-10:00", Closed: mondays})
	if got, ok := never.NextOpen(time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)); ok {
		t.Errorf("NextOpen of hours that never open = %v, true", got)
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name string
		in   Spec
		want string // in the message
	}{
		{"empty", Spec{Weekly: "  "}, "empty"},
		{"no time", Spec{Weekly: "mon"}, "DAYS HH:MM-HH:MM"},
		{"unknown day", Spec{Weekly: "funday 09:00-10:00"}, "unknown day"},
		{"bad clock", Spec{Weekly: "mon 9-10"}, "HH:MM"},
		{"backwards", Spec{Weekly: "mon 18:00-09:00"}, "ends before"},
		{"past midnight", Spec{Weekly: "mon 09:00-25:00"}, "HH:MM"},
		{"zone", Spec{Weekly: "mon 09:00-10:00", Timezone: "Mars/Olympus"}, "time zone"},
		{"date", Spec{Weekly: "mon 09:00-10:00", Closed: []string{"2026-13-01"}}, "closed date"},
		{"long", Spec{Weekly: strings.Repeat("mon 09:00-10:00;", 100)}, "longer"},
		{"many dates", Spec{Weekly: Always, Closed: make([]string, MaxClosed+1)}, "closed dates"},
	}
	for _, tt := range tests {
		_, err := Parse(tt.in)
		if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: Parse(%+v) = %v, want ErrInvalid mentioning %q", tt.name, tt.in, err, tt.want)
		}
	}
}

func TestSpecNormalized(t *testing.T) {
	h := mustParse(t, Spec{Weekly: " mon 09:00-10:00 ", Closed: []string{"2026-12-25", "2026-01-01", "2026-12-25"}})
	s := h.Spec()
	if s.Weekly != "mon 09:00-10:00" || s.Timezone != "" || strings.Join(s.Closed, ",") != "2026-01-01,2026-12-25" {
		t.Errorf("Spec() = %+v", s)
	}
	if got, want := h.String(), "mon 09:00-10:00 (UTC); closed 2026-01-01, 2026-12-25"; got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
}

func TestBookFor(t *testing.T) {
	g := mustParse(t, Spec{Weekly: "mon-fri 09:00-18:00"})
	vip := mustParse(t, Spec{Weekly: Always})
	b := &Book{Global: g, Teams: map[string]*Schedule{"vip": vip}}
	if b.For("vip") != vip || b.For("presales") != g {
		t.Error("For picks the team's own hours, else the global ones")
	}
	var none *Book
	if none.For("vip") != nil {
		t.Error("a nil book is always open")
	}
}
