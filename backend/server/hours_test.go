package server

import (
	"testing"
	"time"
)

func TestHours(t *testing.T) {
	shanghai, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Skip("no tzdata:", err)
	}
	h, err := ParseHours("Mon-Fri 09:00-18:00; sat 10:00-12:00", shanghai)
	if err != nil {
		t.Fatal(err)
	}
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
	}
	for _, tt := range tests {
		at, err := time.ParseInLocation("2006-01-02 15:04", tt.at, shanghai)
		if err != nil {
			t.Fatal(err)
		}
		if got := h.Open(at.UTC()); got != tt.want {
			t.Errorf("Open(%s) = %v, want %v", tt.at, got, tt.want)
		}
	}
	var none *Hours
	if !none.Open(time.Now()) {
		t.Error("nil hours must always be open")
	}
	wrap, err := ParseHours("fri-mon 00:00-24:00", time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	if !wrap.Open(time.Date(2026, 11, 29, 23, 59, 0, 0, time.UTC)) || wrap.Open(time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)) {
		t.Error("a day range wrapping over the weekend is wrong")
	}
}

func TestParseHoursErrors(t *testing.T) {
	for _, spec := range []string{"mon", "funday 09:00-10:00", "mon 9-10", "mon 18:00-09:00", "mon 09:00-25:00"} {
		if _, err := ParseHours(spec, nil); err == nil {
			t.Errorf("ParseHours(%q) = nil error", spec)
		}
	}
	if h, err := ParseHours("  ", nil); h != nil || err != nil {
		t.Errorf("empty spec = %v, %v; want nil, nil", h, err)
	}
}
