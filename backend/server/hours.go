package server

import (
	"fmt"
	"strings"
	"time"
)

// Hours are business hours: for each weekday, the opening windows, in a
// time zone. A nil *Hours is always open.
type Hours struct {
	loc  *time.Location
	days [7][]window // indexed by time.Weekday
	spec string
}

// window is [from, to) in minutes after midnight.
type window struct{ from, to int }

var weekdays = map[string]time.Weekday{
	"sun": time.Sunday, "mon": time.Monday, "tue": time.Tuesday, "wed": time.Wednesday,
	"thu": time.Thursday, "fri": time.Friday, "sat": time.Saturday,
}

// ParseHours reads business hours written as windows separated by ";" or
// ",", each a day or day range and a time range in 24-hour time:
//
//	mon-fri 09:00-18:00; sat 10:00-16:00
//
// in the time zone loc (nil: UTC). Days not named are closed. An empty spec
// returns nil: always open.
func ParseHours(spec string, loc *time.Location) (*Hours, error) {
	spec = strings.TrimSpace(spec)
	if spec == "" {
		return nil, nil
	}
	if loc == nil {
		loc = time.UTC
	}
	h := &Hours{loc: loc, spec: spec}
	for _, part := range strings.FieldsFunc(spec, func(r rune) bool { return r == ';' || r == ',' }) {
		fields := strings.Fields(strings.ToLower(part))
		if len(fields) != 2 {
			return nil, fmt.Errorf("business hours %q: want \"DAYS HH:MM-HH:MM\"", strings.TrimSpace(part))
		}
		days, err := parseDays(fields[0])
		if err != nil {
			return nil, fmt.Errorf("business hours %q: %w", strings.TrimSpace(part), err)
		}
		w, err := parseWindow(fields[1])
		if err != nil {
			return nil, fmt.Errorf("business hours %q: %w", strings.TrimSpace(part), err)
		}
		for _, d := range days {
			h.days[d] = append(h.days[d], w)
		}
	}
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

// Open reports whether t is within business hours.
func (h *Hours) Open(t time.Time) bool {
	if h == nil {
		return true
	}
	t = t.In(h.loc)
	m := t.Hour()*60 + t.Minute()
	for _, w := range h.days[t.Weekday()] {
		if m >= w.from && m < w.to {
			return true
		}
	}
	return false
}

// String returns the spec the hours were parsed from.
func (h *Hours) String() string {
	if h == nil {
		return "always"
	}
	return h.spec + " (" + h.loc.String() + ")"
}
