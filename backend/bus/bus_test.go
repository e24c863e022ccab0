package bus_test

import (
	"fmt"
	"runtime"
	"sync"
	"testing"
	"time"

	"switchboard/backend/bus"
	"switchboard/backend/bus/bustest"
)

// collector gathers what a subscription receives.
type collector struct {
	mu  sync.Mutex
	got []string
	ch  chan struct{}
}

func newCollector() *collector { return &collector{ch: make(chan struct{}, 1024)} }

func (c *collector) fn(data []byte) {
	c.mu.Lock()
	c.got = append(c.got, string(data))
	c.mu.Unlock()
	c.ch <- struct{}{}
}

// wait waits for n messages in all and returns them.
func (c *collector) wait(t *testing.T, n int) []string {
	t.Helper()
	for {
		c.mu.Lock()
		got := append([]string(nil), c.got...)
		c.mu.Unlock()
		if len(got) >= n {
			return got
		}
		select {
		case <-c.ch:
		case <-time.After(5 * time.Second):
			t.Fatalf("got %q, want %d messages", got, n)
		}
	}
}

func TestConformance(t *testing.T) {
	bustest.Run(t, func(t *testing.T) bus.Bus {
		b := bus.NewInproc(bus.InprocConfig{})
		t.Cleanup(b.Close)
		return b
	})
}

// TestInprocSlowSubscriber checks that a subscriber that does not keep up
// loses messages instead of blocking the publisher or other subscribers.
func TestInprocSlowSubscriber(t *testing.T) {
	b := bus.NewInproc(bus.InprocConfig{Queue: 4})
	defer b.Close()
	release := make(chan struct{})
	b.Subscribe("s", func([]byte) { <-release })
	fast := newCollector()
	b.Subscribe("s", fast.fn)
	// Publish never blocks (a blocked one would hang the test); the fast
	// subscriber is let to keep up, the slow one's queue overflows.
	for i := range 50 {
		b.Publish("s", []byte(fmt.Sprint(i)))
		if i%4 == 3 {
			fast.wait(t, i+1)
		}
	}
	if got := fast.wait(t, 50); len(got) != 50 {
		t.Fatalf("the fast subscriber got %d messages, want 50", len(got))
	}
	if b.Dropped() == 0 {
		t.Fatal("no message counted as dropped")
	}
	close(release)
}

// TestInprocCloseLeaksNothing checks that Close stops every subscription's
// goroutine and that a closed bus accepts calls harmlessly.
func TestInprocCloseLeaksNothing(t *testing.T) {
	before := runtime.NumGoroutine()
	b := bus.NewInproc(bus.InprocConfig{})
	for i := range 20 {
		b.Subscribe(fmt.Sprint("s", i%3), func([]byte) {})
	}
	b.Publish("s1", []byte("x"))
	b.Close()
	b.Close()
	b.Publish("s1", []byte("x"))
	b.Subscribe("s1", func([]byte) { t.Error("called on a closed bus") })()
	deadline := time.Now().Add(2 * time.Second)
	for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > before {
		t.Fatalf("%d goroutines after Close, %d before", n, before)
	}
}
