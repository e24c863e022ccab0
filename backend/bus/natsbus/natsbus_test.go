package natsbus_test

import (
	"fmt"
	"io"
	"log/slog"
	"net"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"

	"switchboard/backend/bus"
	"switchboard/backend/bus/bustest"
	"switchboard/backend/bus/natsbus"
)

// startServer starts a real NATS server in this process, on loopback, on
// port (-1 for a free one), and stops it at the end of the test.
func startServer(t *testing.T, port int) *server.Server {
	t.Helper()
	ns, err := server.NewServer(&server.Options{Host: "127.0.0.1", Port: port, NoLog: true, NoSigs: true})
	if err != nil {
		t.Fatal(err)
	}
	ns.Start()
	if !ns.ReadyForConnections(10 * time.Second) {
		ns.Shutdown()
		t.Fatal("the NATS server did not start")
	}
	t.Cleanup(ns.Shutdown)
	return ns
}

func quiet() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

func dial(t *testing.T, ns *server.Server, cfg natsbus.Config) *natsbus.Bus {
	t.Helper()
	if cfg.Log == nil {
		cfg.Log = quiet()
	}
	b, err := natsbus.Dial(ns.ClientURL(), cfg, nats.ReconnectWait(20*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(b.Close)
	return b
}

// TestConformance runs the suite on one server; each case has a bus of
// its own under a prefix of its own, which the isolation of the cases
// also checks.
func TestConformance(t *testing.T) {
	ns := startServer(t, -1)
	var n atomic.Int64
	bustest.Run(t, func(t *testing.T) bus.Bus {
		return dial(t, ns, natsbus.Config{Prefix: fmt.Sprint("case", n.Add(1))})
	})
}

// TestCrossNode checks that two buses on two connections to one server
// are one bus: what one node publishes reaches the other's subscribers,
// in order.
func TestCrossNode(t *testing.T) {
	ns := startServer(t, -1)
	a := dial(t, ns, natsbus.Config{Prefix: "sb"})
	b := dial(t, ns, natsbus.Config{Prefix: "sb"})
	onB := bustest.NewCollector()
	defer b.Subscribe("floor.dirty", onB.Fn)()
	onA := bustest.NewCollector()
	defer a.Subscribe("floor.dirty", onA.Fn)()
	var want []string
	for i := range 50 {
		m := fmt.Sprint("team", i)
		want = append(want, m)
		a.Publish("floor.dirty", []byte(m))
	}
	for name, c := range map[string]*bustest.Collector{"other node": onB, "same node": onA} {
		if got := c.Wait(t, 50); fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("%s got %q, want %q", name, got, want)
		}
	}
}

// TestPrefixIsolates checks that deployments under different prefixes on
// one server do not hear each other.
func TestPrefixIsolates(t *testing.T) {
	ns := startServer(t, -1)
	one := dial(t, ns, natsbus.Config{Prefix: "one"})
	two := dial(t, ns, natsbus.Config{Prefix: "two"})
	bare := dial(t, ns, natsbus.Config{})
	heardTwo, heardBare, heardOne := bustest.NewCollector(), bustest.NewCollector(), bustest.NewCollector()
	defer two.Subscribe("s", heardTwo.Fn)()
	defer bare.Subscribe("s", heardBare.Fn)()
	defer one.Subscribe("s", heardOne.Fn)()
	one.Publish("s", []byte("for one"))
	two.Publish("s", []byte("for two"))
	bare.Publish("s", []byte("bare"))
	// Each hears its own; once all three have, the others' would have
	// arrived too on these connections.
	for c, want := range map[*bustest.Collector]string{heardOne: "for one", heardTwo: "for two", heardBare: "bare"} {
		c.Wait(t, 1)
		time.Sleep(20 * time.Millisecond)
		if got := c.Wait(t, 1); len(got) != 1 || got[0] != want {
			t.Fatalf("got %q, want only %q", got, want)
		}
	}
}

// TestServerRestart checks that the bus survives a restart of the NATS
// server: after nats.go has reconnected, new publishes reach subscribers
// again, on the same node and across nodes.
func TestServerRestart(t *testing.T) {
	ns := startServer(t, -1)
	port := ns.Addr().(*net.TCPAddr).Port
	pub := dial(t, ns, natsbus.Config{})
	sub := dial(t, ns, natsbus.Config{})
	there, here := bustest.NewCollector(), bustest.NewCollector()
	defer sub.Subscribe("s", there.Fn)()
	defer pub.Subscribe("s", here.Fn)()
	pub.Publish("s", []byte("before"))
	there.Wait(t, 1)
	here.Wait(t, 1)
	resumed := make(chan time.Time, 4)
	cancel := sub.OnResume(func(since time.Time) { resumed <- since })
	defer cancel()
	cut := time.Now()

	ns.Shutdown()
	ns.WaitForShutdown()
	for _, b := range []*natsbus.Bus{pub, sub} {
		waitFor(t, "disconnect", func() bool { return !b.Conn().IsConnected() })
	}
	// Publishing while the server is away neither blocks nor panics.
	pub.Publish("s", []byte("during"))
	startServer(t, port)
	for _, b := range []*natsbus.Bus{pub, sub} {
		waitFor(t, "reconnect", func() bool { return b.Conn().IsConnected() })
	}
	select {
	case since := <-resumed:
		if since.Before(cut) || time.Since(since) > time.Minute {
			t.Errorf("OnResume: cut began at %v, want after %v", since, cut)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("OnResume's function was not called after the reconnection")
	}

	// A resubscription may reach the server after a publish: publish until
	// both subscribers have heard one made after the restart.
	heard := func(c *bustest.Collector) bool {
		for _, m := range c.Wait(t, 1) {
			if strings.HasPrefix(m, "after") {
				return true
			}
		}
		return false
	}
	deadline := time.Now().Add(10 * time.Second)
	for i := 0; !heard(there) || !heard(here); i++ {
		if time.Now().After(deadline) {
			t.Fatalf("after the restart: other node got %q, same node %q", there.Wait(t, 1), here.Wait(t, 1))
		}
		pub.Publish("s", []byte(fmt.Sprint("after", i)))
		time.Sleep(20 * time.Millisecond)
	}
}

func waitFor(t *testing.T, what string, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("no %s within 10s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestSlowSubscriber checks that a subscriber that does not keep up loses
// messages, counted, instead of blocking the publisher or the others.
func TestSlowSubscriber(t *testing.T) {
	ns := startServer(t, -1)
	b := dial(t, ns, natsbus.Config{Queue: 4})
	release := make(chan struct{})
	defer close(release)
	b.Subscribe("s", func([]byte) { <-release })
	fast := bustest.NewCollector()
	b.Subscribe("s", fast.Fn)
	for i := range 50 {
		b.Publish("s", []byte(fmt.Sprint(i)))
		if i%4 == 3 {
			fast.Wait(t, i+1)
		}
	}
	if got := fast.Wait(t, 50); len(got) != 50 {
		t.Fatalf("the fast subscriber got %d messages, want 50", len(got))
	}
	// The slow subscription's messages reach its queue on the NATS
	// client's goroutine for that subscription, which may still be
	// delivering when the fast one has had all 50.
	for deadline := time.Now().Add(5 * time.Second); b.Dropped() == 0; {
		if time.Now().After(deadline) {
			t.Fatal("no message counted as dropped")
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// TestPublishErrorsCounted checks that a failing publish is counted, not
// returned or panicked on, and that bad subjects are refused.
func TestPublishErrorsCounted(t *testing.T) {
	ns := startServer(t, -1)
	nc, err := nats.Connect(ns.ClientURL())
	if err != nil {
		t.Fatal(err)
	}
	b, err := natsbus.New(nc, natsbus.Config{Log: quiet()})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	b.Publish("", nil)
	b.Publish("a..b", nil)
	b.Publish("a.>", nil)
	if got := b.Errors(); got != 3 {
		t.Fatalf("%d errors after three bad subjects, want 3", got)
	}
	b.Subscribe("a.*", func([]byte) { t.Error("a wildcard subscription was made") })()
	nc.Close()
	b.Publish("s", nil)
	if got := b.Errors(); got != 4 {
		t.Fatalf("%d errors after publishing on a closed connection, want 4", got)
	}
	if _, err := natsbus.New(nc, natsbus.Config{Prefix: "a b"}); err == nil {
		t.Fatal("a prefix with a space was accepted")
	}
}

// TestCloseLeaksNothing checks that Close stops every subscription's
// goroutine, closes the connection Dial made, and that a closed bus
// accepts calls harmlessly.
func TestCloseLeaksNothing(t *testing.T) {
	ns := startServer(t, -1)
	before := runtime.NumGoroutine()
	b, err := natsbus.Dial(ns.ClientURL(), natsbus.Config{Log: quiet()})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 20 {
		b.Subscribe(fmt.Sprint("s", i%3), func([]byte) {})
	}
	b.Publish("s1", []byte("x"))
	b.Close()
	b.Close()
	if !b.Conn().IsClosed() {
		t.Fatal("Close left Dial's connection open")
	}
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

// TestNewLeavesConnOpen checks that a bus on the caller's connection
// leaves it open on Close, and that cancel after Close is harmless.
func TestNewLeavesConnOpen(t *testing.T) {
	ns := startServer(t, -1)
	nc, err := nats.Connect(ns.ClientURL())
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	b, err := natsbus.New(nc, natsbus.Config{Log: quiet()})
	if err != nil {
		t.Fatal(err)
	}
	cancel := b.Subscribe("s", func([]byte) {})
	b.Close()
	cancel()
	if nc.IsClosed() {
		t.Fatal("Close closed the caller's connection")
	}
	if n := nc.NumSubscriptions(); n != 0 {
		t.Fatalf("%d subscriptions left on the connection after Close", n)
	}
}
