package auth

import (
	"context"
	"errors"
	"sync/atomic"
	"time"

	"golang.org/x/sync/semaphore"
)

// ErrBusy is returned by PasswordGate.Verify when the check could not start
// within its wait or too many checks wait already: nothing was verified,
// and the same request may succeed a moment later.
var ErrBusy = errors.New("too many password checks at once")

// DefaultPasswordMemory is the default memory budget of a PasswordGate:
// five checks of DefaultParams (19 MiB each) at once.
const DefaultPasswordMemory = 96 << 20

// PasswordGate bounds the memory that password checks take together. An
// argon2id check holds its m parameter (19 MiB by default) for its whole
// run, and a login needs no account to start one (unknown usernames are
// checked against a dummy hash), so without a bound fifty concurrent
// anonymous logins cost a gigabyte. The gate admits checks while their
// memory fits the budget; the others queue for at most the wait, and at
// most maxWaiting of them queue at all, so a flood is answered ErrBusy
// quickly instead of piling up.
type PasswordGate struct {
	sem        *semaphore.Weighted
	budget     int64 // KiB
	wait       time.Duration
	maxWaiting int64
	waiting    atomic.Int64

	// verify is VerifyPassword; tests replace it to watch concurrency.
	verify func(encoded, password string) (bool, error)
}

// NewPasswordGate returns a gate that runs checks while their argon2
// memory fits in budget bytes (DefaultPasswordMemory when not positive;
// a hash that alone needs more runs alone), lets a check wait at most
// wait (5s when not positive) and at most maxWaiting checks wait (64 when
// not positive).
func NewPasswordGate(budget int64, wait time.Duration, maxWaiting int) *PasswordGate {
	if budget <= 0 {
		budget = DefaultPasswordMemory
	}
	if wait <= 0 {
		wait = 5 * time.Second
	}
	if maxWaiting <= 0 {
		maxWaiting = 64
	}
	kib := max(budget>>10, 1)
	return &PasswordGate{
		sem:        semaphore.NewWeighted(kib),
		budget:     kib,
		wait:       wait,
		maxWaiting: int64(maxWaiting),
		verify:     VerifyPassword,
	}
}

// Concurrency is how many checks of hashes made with p run at once.
func (g *PasswordGate) Concurrency(p Params) int {
	return int(max(g.budget/int64(max(p.Memory, 1)), 1))
}

// Verify is VerifyPassword run within the gate's budget. It returns ErrBusy
// when the check could not start in time, and ctx's error when ctx ended
// first.
func (g *PasswordGate) Verify(ctx context.Context, encoded, password string) (bool, error) {
	weight := int64(1)
	if p, _, _, err := decodeHash(encoded); err == nil {
		weight = min(int64(p.Memory), g.budget)
	}
	if !g.sem.TryAcquire(weight) {
		if g.waiting.Add(1) > g.maxWaiting {
			g.waiting.Add(-1)
			return false, ErrBusy
		}
		wctx, cancel := context.WithTimeout(ctx, g.wait)
		err := g.sem.Acquire(wctx, weight)
		cancel()
		g.waiting.Add(-1)
		if err != nil {
			if ctx.Err() != nil {
				return false, ctx.Err()
			}
			return false, ErrBusy
		}
	}
	defer g.sem.Release(weight)
	return g.verify(encoded, password)
}
