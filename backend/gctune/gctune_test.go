package gctune

import (
	"context"
	"math"
	"runtime"
	"runtime/debug"
	"testing"
	"time"
)

func TestPercent(t *testing.T) {
	const mib = 1 << 20
	for _, c := range []struct {
		live, headroom uint64
		want           int
	}{
		{32 * mib, 128 * mib, 400},
		{64 * mib, 128 * mib, 200},
		{100 * mib, 128 * mib, 128},
		{128 * mib, 128 * mib, 100},
		{400 * mib, 128 * mib, 100},
		{1 * mib, 128 * mib, MaxPercent},
		{0, 128 * mib, 100},
	} {
		if got := Percent(c.live, c.headroom); got != c.want {
			t.Errorf("Percent(%d MiB, %d MiB) = %d, want %d", c.live/mib, c.headroom/mib, got, c.want)
		}
	}
}

func TestHeadroom(t *testing.T) {
	const mib = 1 << 20
	if got := Headroom(128*mib, math.MaxInt64); got != 128*mib {
		t.Errorf("no limit: headroom %d MiB, want 128", got/mib)
	}
	if got := Headroom(128*mib, 192*mib); got != 48*mib {
		t.Errorf("GOMEMLIMIT=192MiB: headroom %d MiB, want 48", got/mib)
	}
	if got := Headroom(128*mib, 4096*mib); got != 128*mib {
		t.Errorf("GOMEMLIMIT=4GiB: headroom %d MiB, want 128", got/mib)
	}
}

// TestRun: a small live heap gets a percentage above 100 while Run runs,
// and the setting found is put back when it stops.
func TestRun(t *testing.T) {
	runtime.GC()
	if Live() == 0 {
		t.Fatal("the runtime reports no live heap")
	}
	orig := debug.SetGCPercent(100)
	defer debug.SetGCPercent(orig)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { Run(ctx, 1<<30, 10*time.Millisecond); close(done) }()
	deadline := time.Now().Add(5 * time.Second)
	var got int
	for time.Now().Before(deadline) {
		got = debug.SetGCPercent(-1)
		debug.SetGCPercent(got)
		if got > 100 {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	cancel()
	<-done
	if got <= 100 {
		t.Fatalf("GOGC stayed %d with a live heap of %d bytes and 1 GiB of headroom", got, Live())
	}
	if now := debug.SetGCPercent(100); now != 100 {
		t.Fatalf("GOGC %d after Run stopped, want the 100 it found", now)
	}
}
