package bus_test

import (
	"fmt"
	"runtime"
	"testing"
	"time"

	"switchboard/backend/bus"
	"switchboard/backend/bus/bustest"
)

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
	fast := bustest.NewCollector()
	b.Subscribe("s", fast.Fn)
	// Publish never blocks (a blocked one would hang the test); the fast
	// subscriber is let to keep up, the slow one's queue overflows.
	for i := range 50 {
		b.Publish("s", []byte(fmt.Sprint(i)))
		if i%4 == 3 {
			fast.Wait(t, i+1)
		}
	}
	if got := fast.Wait(t, 50); len(got) != 50 {
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
