package transcript

import (
	"testing"
	"time"
)

func TestLimiter(t *testing.T) {
	l := NewLimiter(3, time.Hour)
	t0 := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	steps := []struct {
		key  string
		at   time.Duration
		want bool
	}{
		{"a", 0, true},
		{"a", 10 * time.Minute, true},
		{"a", 20 * time.Minute, true},
		{"a", 30 * time.Minute, false},
		{"b", 30 * time.Minute, true}, // another conversation has its own allowance
		{"a", 59 * time.Minute, false},
		{"a", 60 * time.Minute, true}, // the first left the window
		{"a", 61 * time.Minute, false},
		{"a", 80 * time.Minute, true},
	}
	for i, s := range steps {
		if got, _ := l.Allow(s.key, t0.Add(s.at)); got != s.want {
			t.Errorf("step %d: Allow(%q, +%v) = %v, want %v", i, s.key, s.at, got, s.want)
		}
	}
	if ok, _ := l.Allow("a", t0.Add(81*time.Minute)); !ok {
		t.Errorf("Allow(a, +81m) = false, want true (events at 60m and 80m)")
	}
	if ok, retry := l.Allow("a", t0.Add(90*time.Minute)); ok || retry != 30*time.Minute {
		t.Errorf("Allow(a, +90m) = %v, %v, want false, 30m (until the event at 60m leaves)", ok, retry)
	}
}
