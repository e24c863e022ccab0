package transcript

import (
	"sync"
	"time"
)

// Limiter allows at most N events per key in any window of Per: the
// emails of one conversation. It keeps the times of the events in the
// window, so a burst cannot borrow from the next hour.
type Limiter struct {
	n   int
	per time.Duration

	mu   sync.Mutex // guards seen
	seen map[string][]time.Time
}

// maxLimiterKeys is how many keys a Limiter holds before it drops those
// with no event left in the window.
const maxLimiterKeys = 10000

// NewLimiter allows n events per key in any window of per.
func NewLimiter(n int, per time.Duration) *Limiter {
	return &Limiter{n: n, per: per, seen: make(map[string][]time.Time)}
}

// Allow records an event of key at now and reports true, or reports false
// and records nothing when key had n events in the window ending at now.
// retry is then how long until the oldest of them leaves the window.
func (l *Limiter) Allow(key string, now time.Time) (ok bool, retry time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.seen) >= maxLimiterKeys {
		l.sweepLocked(now)
	}
	kept := l.recentLocked(key, now)
	if len(kept) >= l.n {
		return false, kept[0].Add(l.per).Sub(now)
	}
	l.seen[key] = append(kept, now)
	return true, 0
}

// recentLocked returns key's events still in the window, dropping the rest.
func (l *Limiter) recentLocked(key string, now time.Time) []time.Time {
	ts := l.seen[key]
	i := 0
	for i < len(ts) && !ts[i].After(now.Add(-l.per)) {
		i++
	}
	return ts[i:]
}

func (l *Limiter) sweepLocked(now time.Time) {
	for k := range l.seen {
		if len(l.recentLocked(k, now)) == 0 {
			delete(l.seen, k)
		}
	}
}
