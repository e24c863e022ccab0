package auth

import (
	"sync"
	"time"
)

// Backoff slows down repeated failures per key (for logins: per client
// address and per username). A key may fail Free times; every failure after
// that makes it wait twice as long as the one before, from a second up to
// Max, before it may try again. A success forgets the key, and so does a
// key's silence for Forget.
//
// An attempt counts as a failure from the moment it starts and a success
// takes it back: concurrent attempts from one address are counted before
// any of them has finished, so a burst of a thousand parallel guesses gets
// no further than Free of them.
type Backoff struct {
	free   int
	max    time.Duration
	forget time.Duration
	now    func() time.Time

	// mu guards strikes.
	mu      sync.Mutex
	strikes map[string]*strike
}

type strike struct {
	n     int       // failures (attempts not taken back by a success)
	until time.Time // no attempt before this
	last  time.Time // the last attempt
}

// NewBackoff returns a Backoff allowing free failures per key before
// waits start, waits growing to at most maxWait (at least a second), and
// keys forgotten after forget of silence (at least twice maxWait). now is
// the clock; nil means time.Now.
func NewBackoff(free int, maxWait, forget time.Duration, now func() time.Time) *Backoff {
	if now == nil {
		now = time.Now
	}
	maxWait = max(maxWait, time.Second)
	return &Backoff{free: max(free, 0), max: maxWait, forget: max(forget, 2*maxWait), now: now,
		strikes: make(map[string]*strike)}
}

// Attempt records an attempt on every key, or none when any key must still
// wait: then it returns how long (the longest wait among them).
func (b *Backoff) Attempt(keys ...string) time.Duration {
	b.mu.Lock()
	defer b.mu.Unlock()
	now := b.now()
	var wait time.Duration
	for _, k := range keys {
		if s := b.strikes[k]; s != nil {
			if now.Sub(s.last) >= b.forget {
				delete(b.strikes, k)
			} else if d := s.until.Sub(now); d > wait {
				wait = d
			}
		}
	}
	if wait > 0 {
		return wait
	}
	if len(b.strikes)+len(keys) > maxBuckets {
		b.pruneLocked(now)
	}
	for _, k := range keys {
		s := b.strikes[k]
		if s == nil {
			s = &strike{}
			b.strikes[k] = s
		}
		s.n++
		s.last = now
		if over := s.n - b.free; over > 0 {
			s.until = now.Add(b.delay(over))
		}
	}
	return 0
}

// delay is the wait after the over-th failure beyond the free ones.
func (b *Backoff) delay(over int) time.Duration {
	if over > 30 {
		return b.max
	}
	return min(time.Second<<(over-1), b.max)
}

// Success forgets keys: the attempt that Attempt counted against them
// succeeded.
func (b *Backoff) Success(keys ...string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, k := range keys {
		delete(b.strikes, k)
	}
}

// Forgive takes back the attempt Attempt counted against keys without
// forgetting their earlier failures: the attempt never ran (the server was
// too busy to check it), so it proves nothing either way.
func (b *Backoff) Forgive(keys ...string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, k := range keys {
		if s := b.strikes[k]; s != nil && s.n > 0 {
			s.n--
			if s.n <= b.free {
				s.until = time.Time{}
			}
		}
	}
}

// pruneLocked drops the keys that are forgotten by now, and when that is
// not enough, the keys that are not waiting: memory stays bounded under a
// flood of distinct keys, and the keys in back-off are the last to go.
func (b *Backoff) pruneLocked(now time.Time) {
	for k, s := range b.strikes {
		if now.Sub(s.last) >= b.forget {
			delete(b.strikes, k)
		}
	}
	if len(b.strikes) < maxBuckets/2 {
		return
	}
	for k, s := range b.strikes {
		if !now.Before(s.until) {
			delete(b.strikes, k)
		}
	}
}
