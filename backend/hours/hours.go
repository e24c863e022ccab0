// Package hours holds business hours: when agents are around to take
// customers. A Spec is how they are written and stored (a time zone, a
// weekly schedule, closed dates); Parse checks it and gives a Schedule,
// which answers whether it is open at an instant and when it next opens.
// A Book is the hours in force: the global ones and the teams' own. The
// Service reads and changes the stored hours for the admin command and the
// HTTP API alike.
package hours

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
)

// ErrInvalid means a Spec cannot be used; the error's text says why and is
// safe to show.
var ErrInvalid = errors.New("invalid business hours")

// Limits on a Spec.
const (
	// MaxWeekly is the longest weekly schedule, in bytes.
	MaxWeekly = 1000
	// MaxClosed is the most closed dates.
	MaxClosed = 400
)

// Always is the weekly schedule of hours open round the clock (closed
// dates excepted).
const Always = "always"

// DateLayout is the layout of a closed date.
const DateLayout = "2006-01-02"

// Spec is business hours as written: Weekly is windows separated by ";" or
// ",", each a day or day range and a time range in 24-hour time
//
//	mon-fri 09:00-18:00; sat 10:00-16:00
//
// or Always; days not named are closed. Timezone is an IANA name such as
// Asia/Shanghai ("" is UTC), the zone of the windows and of Closed, dates
// (YYYY-MM-DD) closed all day such as public holidays.
type Spec struct {
	Timezone string
	Weekly   string
	Closed   []string
}

// Schedule is a parsed Spec. A nil *Schedule is always open.
type Schedule struct {
	spec   Spec
	loc    *time.Location
	days   [7][]window // indexed by time.Weekday, by opening time
	closed map[string]bool
}

// window is [from, to) in minutes after midnight.
type window struct{ from, to int }

var weekdays = map[string]time.Weekday{
	"sun": time.Sunday, "mon": time.Monday, "tue": time.Tuesday, "wed": time.Wednesday,
	"thu": time.Thursday, "fri": time.Friday, "sat": time.Saturday,
}

func invalid(format string, a ...any) error {
	return fmt.Errorf("%w: %s", ErrInvalid, fmt.Sprintf(format, a...))
}

// Parse checks s and returns its schedule. The spec it keeps is s
// normalized: the weekly schedule trimmed, the closed dates sorted without
// repeats. Errors wrap ErrInvalid.
func Parse(s Spec) (*Schedule, error) {
	s.Weekly = strings.TrimSpace(s.Weekly)
	s.Timezone = strings.TrimSpace(s.Timezone)
	if s.Weekly == "" {
		return nil, invalid("weekly schedule is empty: write e.g. \"mon-fri 09:00-18:00\", or %q", Always)
	}
	if len(s.Weekly) > MaxWeekly {
		return nil, invalid("weekly schedule is longer than %d bytes", MaxWeekly)
	}
	tz := s.Timezone
	if tz == "" {
		tz = "UTC"
	}
	loc, err := time.LoadLocation(tz)
	if err != nil {
		return nil, invalid("unknown time zone %q: use an IANA name such as Asia/Shanghai", s.Timezone)
	}
	h := &Schedule{loc: loc}
	if strings.EqualFold(s.Weekly, Always) {
		for d := range h.days {
			h.days[d] = []window{{0, 24 * 60}}
		}
	} else {
		for _, part := range strings.FieldsFunc(s.Weekly, func(r rune) bool { return r == ';' || r == ',' }) {
			part = strings.TrimSpace(part)
			fields := strings.Fields(strings.ToLower(part))
			if len(fields) != 2 {
				return nil, invalid("%q: want \"DAYS HH:MM-HH:MM\"", part)
			}
			days, err := parseDays(fields[0])
			if err != nil {
				return nil, invalid("%q: %v", part, err)
			}
			w, err := parseWindow(fields[1])
			if err != nil {
				return nil, invalid("%q: %v", part, err)
			}
			for _, d := range days {
				h.days[d] = append(h.days[d], w)
			}
		}
		for d := range h.days {
			slices.SortFunc(h.days[d], func(a, b window) int { return a.from - b.from })
		}
	}
	if len(s.Closed) > MaxClosed {
		return nil, invalid("more than %d closed dates", MaxClosed)
	}
	h.closed = make(map[string]bool, len(s.Closed))
	closed := make([]string, 0, len(s.Closed))
	for _, d := range s.Closed {
		d = strings.TrimSpace(d)
		if _, err := time.Parse(DateLayout, d); err != nil {
			return nil, invalid("closed date %q: want YYYY-MM-DD", d)
		}
		if !h.closed[d] {
			h.closed[d] = true
			closed = append(closed, d)
		}
	}
	slices.Sort(closed)
	s.Closed = closed
	h.spec = s
	return h, nil
}

func parseDays(s string) ([]time.Weekday, error) {
	from, to, isRange := strings.Cut(s, "-")
	a, ok := weekdays[from]
	if !ok {
		return nil, fmt.Errorf("unknown day %q (use mon, tue, wed, thu, fri, sat, sun)", from)
	}
	if !isRange {
		return []time.Weekday{a}, nil
	}
	b, ok := weekdays[to]
	if !ok {
		return nil, fmt.Errorf("unknown day %q (use mon, tue, wed, thu, fri, sat, sun)", to)
	}
	var out []time.Weekday
	for d := a; ; d = (d + 1) % 7 {
		out = append(out, d)
		if d == b {
			return out, nil
		}
	}
}

func parseWindow(s string) (window, error) {
	from, to, ok := strings.Cut(s, "-")
	if !ok {
		return window{}, fmt.Errorf("time range %q: want HH:MM-HH:MM", s)
	}
	a, err := parseClock(from)
	if err != nil {
		return window{}, err
	}
	b, err := parseClock(to)
	if err != nil {
		return window{}, err
	}
	if b <= a {
		return window{}, fmt.Errorf("time range %q ends before it starts", s)
	}
	return window{a, b}, nil
}

func parseClock(s string) (int, error) {
	t, err := time.Parse("15:04", s)
	if err != nil {
		if s == "24:00" {
			return 24 * 60, nil
		}
		return 0, fmt.Errorf("time %q: want HH:MM", s)
	}
	return t.Hour()*60 + t.Minute(), nil
}

// Spec returns the normalized spec the schedule was parsed from; the zero
// Spec for a nil schedule.
func (h *Schedule) Spec() Spec {
	if h == nil {
		return Spec{}
	}
	s := h.spec
	s.Closed = slices.Clone(s.Closed)
	return s
}

// Location returns the schedule's time zone (UTC for a nil schedule).
func (h *Schedule) Location() *time.Location {
	if h == nil {
		return time.UTC
	}
	return h.loc
}

// Open reports whether t is within the hours.
func (h *Schedule) Open(t time.Time) bool {
	if h == nil {
		return true
	}
	t = t.In(h.loc)
	if h.closed[t.Format(DateLayout)] {
		return false
	}
	m := t.Hour()*60 + t.Minute()
	for _, w := range h.days[t.Weekday()] {
		if m >= w.from && m < w.to {
			return true
		}
	}
	return false
}

// lookahead bounds how far NextOpen searches: past a year of closed dates.
const lookahead = 400

// NextOpen returns the first instant from t on at which the hours are open:
// t itself when open. ok is false when they do not open within a little
// over a year (every open day is a closed date).
func (h *Schedule) NextOpen(t time.Time) (at time.Time, ok bool) {
	if h.Open(t) {
		return t, true
	}
	local := t.In(h.loc)
	y, m, d := local.Date()
	for i := range lookahead {
		day := time.Date(y, m, d+i, 0, 0, 0, 0, h.loc)
		if h.closed[day.Format(DateLayout)] {
			continue
		}
		for _, w := range h.days[day.Weekday()] {
			start := time.Date(day.Year(), day.Month(), day.Day(), w.from/60, w.from%60, 0, 0, h.loc)
			if start.After(t) {
				return start, true
			}
		}
	}
	return time.Time{}, false
}

// String returns the spec for people: the weekly schedule, the time zone
// and the closed dates; "always" for a nil schedule.
func (h *Schedule) String() string {
	if h == nil {
		return Always
	}
	s := h.spec.Weekly + " (" + h.loc.String() + ")"
	if len(h.spec.Closed) > 0 {
		s += "; closed " + strings.Join(h.spec.Closed, ", ")
	}
	return s
}

// Book is the business hours in force: Global for every team without its
// own (nil: always open), and the teams' own by team id.
type Book struct {
	Global *Schedule
	Teams  map[string]*Schedule
}

// For returns the hours of team: its own, else the global ones.
func (b *Book) For(team string) *Schedule {
	if b == nil {
		return nil
	}
	if h, ok := b.Teams[team]; ok {
		return h
	}
	return b.Global
}
