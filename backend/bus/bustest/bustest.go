// Package bustest is the conformance suite of the bus contract. Every
// engine runs it from its own tests:
//
//	func TestConformance(t *testing.T) {
//		bustest.Run(t, func(t *testing.T) bus.Bus { return newEngine(t) })
//	}
//
// It checks what users of a Bus rely on: delivery to every subscriber of
// the subject and no other, in publish order per subscription, off the
// publisher's goroutine, and nothing after cancel.
package bustest

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"switchboard/backend/bus"
)

// Open returns a fresh bus for one test; the engine registers its cleanup
// with t.
type Open func(t *testing.T) bus.Bus

// Run runs the suite against the engine open creates.
func Run(t *testing.T, open Open) {
	tests := []struct {
		name string
		fn   func(t *testing.T, b bus.Bus)
	}{
		{"OrderPerSubject", testOrderPerSubject},
		{"Cancel", testCancel},
		{"CancelFromCallback", testCancelFromCallback},
		{"NotOnPublisher", testNotOnPublisher},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { tt.fn(t, open(t)) })
	}
}

// Collector gathers what a subscription receives: subscribe its Fn, then
// Wait for the messages. Engine tests beyond the suite use it too.
type Collector struct {
	mu  sync.Mutex
	got []string
	ch  chan struct{}
}

// NewCollector returns an empty Collector.
func NewCollector() *Collector { return &Collector{ch: make(chan struct{}, 4096)} }

// Fn is the subscription's callback.
func (c *Collector) Fn(data []byte) {
	c.mu.Lock()
	c.got = append(c.got, string(data))
	c.mu.Unlock()
	c.ch <- struct{}{}
}

// Wait waits for n messages in all and returns them.
func (c *Collector) Wait(t *testing.T, n int) []string {
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

func testOrderPerSubject(t *testing.T, b bus.Bus) {
	a1, a2, other := NewCollector(), NewCollector(), NewCollector()
	defer b.Subscribe("a", a1.Fn)()
	defer b.Subscribe("a", a2.Fn)()
	defer b.Subscribe("b", other.Fn)()
	var want []string
	for i := range 100 {
		m := fmt.Sprint(i)
		want = append(want, m)
		b.Publish("a", []byte(m))
	}
	b.Publish("b", []byte("only b"))
	for _, c := range []*Collector{a1, a2} {
		if got := c.Wait(t, 100); fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("subscriber of a got %q, want %q", got, want)
		}
	}
	if got := other.Wait(t, 1); len(got) != 1 || got[0] != "only b" {
		t.Fatalf("subscriber of b got %q", got)
	}
}

func testCancel(t *testing.T, b bus.Bus) {
	c := NewCollector()
	cancel := b.Subscribe("s", c.Fn)
	b.Publish("s", []byte("1"))
	c.Wait(t, 1)
	cancel()
	cancel() // twice is fine
	b.Publish("s", []byte("2"))
	// A probe subscribed after cancel sees "3" after "2" was published:
	// once it has it, "2" would have reached c by now if it ever would.
	probe := NewCollector()
	defer b.Subscribe("s", probe.Fn)()
	b.Publish("s", []byte("3"))
	probe.Wait(t, 1)
	time.Sleep(20 * time.Millisecond)
	if got := c.Wait(t, 1); len(got) != 1 {
		t.Fatalf("after cancel got %q", got)
	}
}

func testCancelFromCallback(t *testing.T, b bus.Bus) {
	done := make(chan struct{})
	var once sync.Once
	var cancel func()
	ready := make(chan struct{})
	cancel = b.Subscribe("t", func([]byte) {
		<-ready
		cancel()
		once.Do(func() { close(done) })
	})
	close(ready)
	b.Publish("t", nil)
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("the self-cancelling subscriber was not called")
	}
}

// testNotOnPublisher checks that a subscriber that blocks does not block
// Publish: publishers hold locks.
func testNotOnPublisher(t *testing.T, b bus.Bus) {
	release := make(chan struct{})
	defer close(release)
	defer b.Subscribe("s", func([]byte) { <-release })()
	done := make(chan struct{})
	go func() {
		for range 10 {
			b.Publish("s", nil)
		}
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Publish waited for a blocked subscriber")
	}
}
