package bus

import (
	"fmt"
	"runtime"
	"sync"
	"testing"
	"time"
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

func TestInprocDeliversInOrderPerSubject(t *testing.T) {
	b := NewInproc(InprocConfig{})
	defer b.Close()
	a1, a2, other := newCollector(), newCollector(), newCollector()
	b.Subscribe("a", a1.fn)
	b.Subscribe("a", a2.fn)
	b.Subscribe("b", other.fn)
	var want []string
	for i := range 100 {
		m := fmt.Sprint(i)
		want = append(want, m)
		b.Publish("a", []byte(m))
	}
	b.Publish("b", []byte("only b"))
	for _, c := range []*collector{a1, a2} {
		got := c.wait(t, 100)
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("subscriber of a got %q, want %q", got, want)
		}
	}
	if got := other.wait(t, 1); len(got) != 1 || got[0] != "only b" {
		t.Fatalf("subscriber of b got %q", got)
	}
}

func TestInprocCancel(t *testing.T) {
	b := NewInproc(InprocConfig{})
	defer b.Close()
	c := newCollector()
	cancel := b.Subscribe("s", c.fn)
	b.Publish("s", []byte("1"))
	c.wait(t, 1)
	cancel()
	cancel() // twice is fine
	b.Publish("s", []byte("2"))
	time.Sleep(20 * time.Millisecond)
	if got := c.wait(t, 1); len(got) != 1 {
		t.Fatalf("after cancel got %q", got)
	}
	// A subscriber may cancel itself from its callback.
	done := make(chan struct{})
	var self func()
	self = b.Subscribe("t", func([]byte) { self(); close(done) })
	b.Publish("t", nil)
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("the self-cancelling subscriber was not called")
	}
}

// TestInprocSlowSubscriber checks that a subscriber that does not keep up
// loses messages instead of blocking the publisher or other subscribers.
func TestInprocSlowSubscriber(t *testing.T) {
	b := NewInproc(InprocConfig{Queue: 4})
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
	b := NewInproc(InprocConfig{})
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
