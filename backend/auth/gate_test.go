package auth

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestPasswordGateBoundsConcurrency runs many checks of 1 MiB hashes
// through a 3 MiB gate: never more than three run at once, and every check
// runs (none waits past the wait).
func TestPasswordGateBoundsConcurrency(t *testing.T) {
	hash, err := HashPasswordWith(fastParams, "pw")
	if err != nil {
		t.Fatal(err)
	}
	g := NewPasswordGate(3<<20, 10*time.Second, 100)
	if got := g.Concurrency(fastParams); got != 3 {
		t.Fatalf("Concurrency = %d, want 3", got)
	}
	var running, peak atomic.Int32
	g.verify = func(encoded, password string) (bool, error) {
		n := running.Add(1)
		for {
			p := peak.Load()
			if n <= p || peak.CompareAndSwap(p, n) {
				break
			}
		}
		time.Sleep(5 * time.Millisecond)
		running.Add(-1)
		return VerifyPassword(encoded, password)
	}
	var wg sync.WaitGroup
	var fails atomic.Int32
	for range 40 {
		wg.Go(func() {
			if ok, err := g.Verify(context.Background(), hash, "pw"); !ok || err != nil {
				fails.Add(1)
			}
		})
	}
	wg.Wait()
	if p := peak.Load(); p != 3 {
		t.Errorf("peak concurrent checks = %d, want 3", p)
	}
	if f := fails.Load(); f != 0 {
		t.Errorf("%d checks failed, want none", f)
	}
}

// TestPasswordGateBusy fills the gate: a check that cannot start within the
// wait, and one beyond the waiting line, are ErrBusy, never run.
func TestPasswordGateBusy(t *testing.T) {
	hash, _ := HashPasswordWith(fastParams, "pw")
	g := NewPasswordGate(1<<20, 50*time.Millisecond, 1)
	release := make(chan struct{})
	started := make(chan struct{}, 10)
	g.verify = func(string, string) (bool, error) {
		started <- struct{}{}
		<-release
		return true, nil
	}
	done := make(chan error, 1)
	go func() {
		_, err := g.Verify(context.Background(), hash, "pw")
		done <- err
	}()
	<-started
	// One waits (and times out); the next finds the line full at once.
	waited := make(chan error, 1)
	go func() {
		_, err := g.Verify(context.Background(), hash, "pw")
		waited <- err
	}()
	time.Sleep(10 * time.Millisecond)
	t0 := time.Now()
	if _, err := g.Verify(context.Background(), hash, "pw"); !errors.Is(err, ErrBusy) {
		t.Errorf("Verify beyond the waiting line = %v, want ErrBusy", err)
	}
	if d := time.Since(t0); d > 40*time.Millisecond {
		t.Errorf("refusal beyond the waiting line took %v; want at once", d)
	}
	if err := <-waited; !errors.Is(err, ErrBusy) {
		t.Errorf("Verify past the wait = %v, want ErrBusy", err)
	}
	close(release)
	if err := <-done; err != nil {
		t.Errorf("first Verify = %v", err)
	}
	if len(started) != 0 {
		t.Errorf("%d refused checks ran", len(started))
	}
}

// TestPasswordGateBigHash runs a hash larger than the whole budget alone
// instead of never.
func TestPasswordGateBigHash(t *testing.T) {
	hash, _ := HashPasswordWith(Params{Memory: 4096, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}, "pw")
	g := NewPasswordGate(1<<20, time.Second, 1)
	if ok, err := g.Verify(context.Background(), hash, "pw"); !ok || err != nil {
		t.Errorf("Verify(hash over budget) = %v, %v, want true, nil", ok, err)
	}
}

func TestBackoff(t *testing.T) {
	now := time.Unix(1000, 0)
	b := NewBackoff(2, 8*time.Second, time.Hour, func() time.Time { return now })
	// Two free failures, then 1s, 2s, 4s, 8s, 8s.
	for i, want := range []time.Duration{0, 0} {
		if got := b.Attempt("ip"); got != want {
			t.Fatalf("attempt %d: wait %v, want %v", i, got, want)
		}
	}
	for _, wait := range []time.Duration{time.Second, 2 * time.Second, 4 * time.Second, 8 * time.Second, 8 * time.Second} {
		if got := b.Attempt("ip"); got != 0 {
			t.Fatalf("attempt after the wait: wait %v, want 0", got)
		}
		if got := b.Attempt("ip"); got != wait {
			t.Fatalf("attempt at once: wait %v, want %v", got, wait)
		}
		now = now.Add(wait)
	}
	// Refused attempts do not count: the wait is not longer for them.
	if got := b.Attempt("ip", "user"); got != 0 {
		t.Fatalf("attempt = %v, want 0", got)
	}
	if got := b.Attempt("other", "user"); got != 0 {
		t.Fatalf("second key fresh: wait %v, want 0", got)
	}
	// A success forgets its keys.
	b.Success("ip", "user")
	for range 2 {
		if got := b.Attempt("ip"); got != 0 {
			t.Fatalf("after success: wait %v, want 0", got)
		}
	}
	// A forgiven attempt leaves no trace.
	b.Attempt("ip")
	b.Forgive("ip")
	if got := b.Attempt("ip"); got != 0 {
		t.Fatalf("after a forgiven attempt: wait %v, want 0", got)
	}
	// Silence forgets a key too.
	b.Attempt("ip")
	now = now.Add(2 * time.Hour)
	if got := b.Attempt("ip"); got != 0 {
		t.Fatalf("after an hour of silence: wait %v, want 0", got)
	}
}
