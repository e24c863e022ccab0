package hub

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"switchboard/protocol"
)

// echo answers each message with itself and subscribes the connection to the
// topic "sub:<x>" when it receives "sub:<x>".
type echo struct{ h *Hub }

func (echo) Opened(*Conn) {}

func (e echo) HandleMessage(ctx context.Context, c *Conn, msg []byte) {
	if t, ok := strings.CutPrefix(string(msg), "sub:"); ok {
		e.h.Subscribe(c, t)
	}
	if t, ok := strings.CutPrefix(string(msg), "unsub:"); ok {
		e.h.Unsubscribe(c, t)
	}
	c.Send(bytes.Clone(msg)) // msg is the reader's, reused after HandleMessage
}

type fixture struct {
	hub *Hub
	srv *httptest.Server
	// conns receives every Conn as it is served.
	conns chan *Conn
}

type recorder struct {
	echo
	conns chan *Conn
	once  sync.Map
}

func (r *recorder) HandleMessage(ctx context.Context, c *Conn, msg []byte) {
	if _, loaded := r.once.LoadOrStore(c, true); !loaded {
		r.conns <- c
	}
	r.echo.HandleMessage(ctx, c, msg)
}

func newFixture(t *testing.T, cfg Config) *fixture {
	t.Helper()
	return newFixtureWith(t, cfg, fixtureOptions{})
}

type fixtureOptions struct {
	// plain upgrades with the Upgrader alone, not Upgrade: the hub writes
	// frames one by one.
	plain bool
	// accepted receives the server's side of every connection.
	accepted chan *gateConn
}

func newFixtureWith(t *testing.T, cfg Config, opt fixtureOptions) *fixture {
	t.Helper()
	h := New(cfg)
	rec := &recorder{echo: echo{h}, conns: make(chan *Conn, 100)}
	up := &websocket.Upgrader{CheckOrigin: func(*http.Request) bool { return true }}
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		upgrade := Upgrade
		if opt.plain {
			upgrade = (*websocket.Upgrader).Upgrade
		}
		ws, err := upgrade(up, w, r, nil)
		if err != nil {
			return
		}
		h.Serve(r.Context(), ws, rec)
	}))
	srv.Listener = &gateListener{Listener: srv.Listener, accepted: opt.accepted}
	srv.Start()
	t.Cleanup(func() {
		h.Shutdown(context.Background())
		srv.Close()
	})
	return &fixture{hub: h, srv: srv, conns: rec.conns}
}

// gateListener hands out its connections as gateConns.
type gateListener struct {
	net.Listener
	accepted chan *gateConn
}

func (l *gateListener) Accept() (net.Conn, error) {
	nc, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	g := &gateConn{Conn: nc}
	if l.accepted != nil {
		l.accepted <- g
	}
	return g, nil
}

// gateConn counts the writes to a connection and can hold the next one.
type gateConn struct {
	net.Conn
	mu     sync.Mutex
	writes int
	// gate, while set, holds the next write until it is closed; entered
	// is closed when that write has started.
	gate, entered chan struct{}
}

func (g *gateConn) Write(p []byte) (int, error) {
	g.mu.Lock()
	g.writes++
	gate, entered := g.gate, g.entered
	g.gate, g.entered = nil, nil
	g.mu.Unlock()
	if gate != nil {
		close(entered)
		<-gate
	}
	return g.Conn.Write(p)
}

// hold makes the next write wait until release is called; entered is
// closed once it waits.
func (g *gateConn) hold() (entered <-chan struct{}, release func()) {
	g.mu.Lock()
	defer g.mu.Unlock()
	gate, e := make(chan struct{}), make(chan struct{})
	g.gate, g.entered = gate, e
	return e, func() { close(gate) }
}

func (g *gateConn) count() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.writes
}

func (f *fixture) dial(t *testing.T) *websocket.Conn {
	t.Helper()
	ws, _, err := websocket.DefaultDialer.Dial("ws"+strings.TrimPrefix(f.srv.URL, "http"), nil)
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	t.Cleanup(func() { ws.Close() })
	return ws
}

func roundTrip(t *testing.T, ws *websocket.Conn, msg string) {
	t.Helper()
	if err := ws.WriteMessage(websocket.TextMessage, []byte(msg)); err != nil {
		t.Fatalf("write: %v", err)
	}
	ws.SetReadDeadline(time.Now().Add(5 * time.Second))
	_, got, err := ws.ReadMessage()
	if err != nil || string(got) != msg {
		t.Fatalf("read = %q, %v, want %q", got, err, msg)
	}
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func closeCode(err error) int {
	var ce *websocket.CloseError
	if errors.As(err, &ce) {
		return ce.Code
	}
	return -1
}

// readUntilClose reads until the connection fails and returns the error.
func readUntilClose(ws *websocket.Conn) error {
	ws.SetReadDeadline(time.Now().Add(5 * time.Second))
	for {
		if _, _, err := ws.ReadMessage(); err != nil {
			return err
		}
	}
}

func TestEchoAndTopics(t *testing.T) {
	f := newFixture(t, Config{})
	a, b := f.dial(t), f.dial(t)
	for i := range 20 {
		roundTrip(t, a, fmt.Sprint("m", i))
	}
	roundTrip(t, a, "sub:team:presales")
	roundTrip(t, b, "sub:team:presales")
	roundTrip(t, b, "sub:user:bob")
	if n := len(f.hub.Conns("team:presales")); n != 2 {
		t.Errorf("Conns(team:presales) = %d, want 2", n)
	}
	if n := len(f.hub.Conns("team:presales", "user:bob")); n != 2 {
		t.Errorf("Conns(team, user) = %d, want 2 (each connection once)", n)
	}
	// Leaving a topic: gone from it at once, still in the others; leaving
	// one it is not in changes nothing.
	roundTrip(t, b, "unsub:team:presales")
	roundTrip(t, b, "unsub:team:aftersales")
	if n := len(f.hub.Conns("team:presales")); n != 1 {
		t.Errorf("Conns(team:presales) after unsubscribe = %d, want 1", n)
	}
	if n := len(f.hub.Conns("user:bob")); n != 1 {
		t.Errorf("Conns(user:bob) after leaving another topic = %d, want 1", n)
	}
	roundTrip(t, b, "sub:team:presales")
	b.Close()
	waitFor(t, "closed connection to leave its topics", func() bool {
		return len(f.hub.Conns("user:bob")) == 0 && len(f.hub.Conns("team:presales")) == 1 && f.hub.Len() == 1
	})
}

func TestShutdownClosesWithCode(t *testing.T) {
	f := newFixture(t, Config{})
	ws := f.dial(t)
	roundTrip(t, ws, "hello")
	c := <-f.conns
	// Queued before shutdown: flushed before the close frame.
	c.Send([]byte("last words"))
	if err := f.hub.Shutdown(context.Background()); err != nil {
		t.Fatalf("Shutdown: %v", err)
	}
	ws.SetReadDeadline(time.Now().Add(5 * time.Second))
	_, got, err := ws.ReadMessage()
	if err != nil || string(got) != "last words" {
		t.Errorf("read after shutdown = %q, %v, want the queued frame first", got, err)
	}
	if err := readUntilClose(ws); closeCode(err) != protocol.CloseShutdown {
		t.Errorf("close = %v, want code %d", err, protocol.CloseShutdown)
	}
	// New connections are turned away with the same code.
	late := f.dial(t)
	if err := readUntilClose(late); closeCode(err) != protocol.CloseShutdown {
		t.Errorf("connection after shutdown: %v, want close %d", err, protocol.CloseShutdown)
	}
}

func TestSlowConsumer(t *testing.T) {
	f := newFixture(t, Config{SendQueue: 4, WriteWait: 200 * time.Millisecond, CloseGrace: 100 * time.Millisecond})
	ws := f.dial(t)
	roundTrip(t, ws, "hello")
	c := <-f.conns
	// The client stops reading; the socket buffers fill, then the queue.
	big := []byte(strings.Repeat("x", 32<<10))
	dropped := false
	for range 100_000 {
		if !c.Send(big) {
			dropped = true
			break
		}
	}
	if !dropped {
		t.Fatalf("Send never reported a full queue")
	}
	select {
	case <-c.Done():
	default:
		t.Fatalf("slow consumer not closed")
	}
	if c.closeCode != protocol.CloseSlowConsumer {
		t.Errorf("close code = %d, want %d", c.closeCode, protocol.CloseSlowConsumer)
	}
	waitFor(t, "slow consumer to be dropped", func() bool { return f.hub.Len() == 0 })
	// Others are unaffected.
	roundTrip(t, f.dial(t), "still here")
}

// A connection given its own bound holds that many frames, however many
// the hub's default allows; at its own bound it is closed like any other.
func TestSetSendQueue(t *testing.T) {
	f := newFixture(t, Config{SendQueue: 4, WriteWait: 200 * time.Millisecond, CloseGrace: 100 * time.Millisecond})
	ws := f.dial(t)
	roundTrip(t, ws, "hello")
	c := <-f.conns
	if got := c.SendQueue(); got != 4 {
		t.Fatalf("SendQueue() = %d before SetSendQueue, want the hub's 4", got)
	}
	c.SetSendQueue(64)
	if got := c.SendQueue(); got != 64 {
		t.Fatalf("SendQueue() = %d, want 64", got)
	}
	// Hold the writer in its first write so that nothing drains: the
	// client does not read and each frame is larger than the socket
	// buffers hold.
	big := []byte(strings.Repeat("x", 8<<20))
	if !c.Send(big) {
		t.Fatalf("first Send refused")
	}
	waitFor(t, "the writer to take the first frame", func() bool {
		c.qmu.Lock()
		defer c.qmu.Unlock()
		return len(c.queue) == 0
	})
	small := []byte("x")
	for i := 1; i < 64; i++ {
		if !c.Send(small) {
			t.Fatalf("Send %d refused; the connection's own bound is 64", i+1)
		}
	}
	if c.Send(small) {
		t.Fatalf("Send 65 queued beyond the bound of 64")
	}
	select {
	case <-c.Done():
	default:
		t.Fatalf("connection over its bound not closed")
	}
	if c.closeCode != protocol.CloseSlowConsumer {
		t.Errorf("close code = %d, want %d", c.closeCode, protocol.CloseSlowConsumer)
	}
	// Another connection keeps the hub's default.
	ws2 := f.dial(t)
	roundTrip(t, ws2, "hello")
	c2 := <-f.conns
	if !c2.Send(big) {
		t.Fatalf("first Send refused")
	}
	refused := false
	for range 10 {
		if !c2.Send(small) {
			refused = true
			break
		}
	}
	if !refused {
		t.Errorf("a connection without its own bound took more than the hub's 4 frames")
	}
}

func TestReadLimit(t *testing.T) {
	f := newFixture(t, Config{})
	ws := f.dial(t)
	roundTrip(t, ws, "hello")
	huge := strings.Repeat("x", protocol.HardFrameBytes+1)
	ws.WriteMessage(websocket.TextMessage, []byte(huge))
	if err := readUntilClose(ws); closeCode(err) != websocket.CloseMessageTooBig {
		t.Errorf("after oversized frame: %v, want close %d", err, websocket.CloseMessageTooBig)
	}
	waitFor(t, "connection to be dropped", func() bool { return f.hub.Len() == 0 })
}

func TestDeadPeerDetected(t *testing.T) {
	f := newFixture(t, Config{PingInterval: 50 * time.Millisecond, PongWait: 200 * time.Millisecond, CloseGrace: 50 * time.Millisecond})
	ws := f.dial(t)
	roundTrip(t, ws, "hello")
	// The client never reads again, so it never answers pings.
	waitFor(t, "dead peer to be dropped", func() bool { return f.hub.Len() == 0 })
}

func TestPingsKeepAlive(t *testing.T) {
	f := newFixture(t, Config{PingInterval: 30 * time.Millisecond, PongWait: 100 * time.Millisecond})
	ws := f.dial(t)
	pings := make(chan struct{}, 100)
	ws.SetPingHandler(func(data string) error {
		pings <- struct{}{}
		return ws.WriteControl(websocket.PongMessage, []byte(data), time.Now().Add(time.Second))
	})
	go readUntilClose(ws) // answers pings while reading
	time.Sleep(400 * time.Millisecond)
	if len(pings) < 3 {
		t.Errorf("got %d pings in 400ms at 30ms interval", len(pings))
	}
	if f.hub.Len() != 1 {
		t.Errorf("a peer answering pings was dropped")
	}
}

func TestNoLeakedGoroutines(t *testing.T) {
	before := runtime.NumGoroutine()
	func() {
		h := New(Config{})
		up := websocket.Upgrader{}
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			ws, err := up.Upgrade(w, r, nil)
			if err != nil {
				return
			}
			h.Serve(r.Context(), ws, echo{h})
		}))
		defer srv.Close()
		url := "ws" + strings.TrimPrefix(srv.URL, "http")
		var clients []*websocket.Conn
		for i := range 20 {
			ws, _, err := websocket.DefaultDialer.Dial(url, nil)
			if err != nil {
				t.Fatal(err)
			}
			roundTrip(t, ws, fmt.Sprint("sub:t", i%3))
			clients = append(clients, ws)
		}
		// Half leave on their own, the rest are shut down by the server.
		for _, ws := range clients[:10] {
			ws.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(websocket.CloseNormalClosure, ""), time.Now().Add(time.Second))
			ws.Close()
		}
		waitFor(t, "clients to leave", func() bool { return h.Len() == 10 })
		if err := h.Shutdown(context.Background()); err != nil {
			t.Fatal(err)
		}
		for _, ws := range clients[10:] {
			ws.Close()
		}
	}()
	deadline := time.Now().Add(5 * time.Second)
	for {
		n := runtime.NumGoroutine()
		if n <= before {
			return
		}
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<16)
			buf = buf[:runtime.Stack(buf, true)]
			t.Fatalf("%d goroutines before, %d after:\n%s", before, n, buf)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestSendWait sends far more than the queue holds with SendWait: it waits
// for the writer instead of disconnecting, every frame arrives in order,
// and half of the queue stays free for Send meanwhile.
func TestSendWait(t *testing.T) {
	f := newFixture(t, Config{SendQueue: 8})
	ws := f.dial(t)
	roundTrip(t, ws, "hello")
	c := <-f.conns
	const n = 500
	errs := make(chan string, 1)
	go func() {
		for i := range n {
			if !c.SendWait(context.Background(), []byte(strconv.Itoa(i))) {
				errs <- "SendWait failed on a live connection"
				return
			}
			c.qmu.Lock()
			pending := c.pending
			c.qmu.Unlock()
			if pending > c.hub.cfg.SendQueue/2 {
				errs <- "SendWait filled more than half of the queue"
				return
			}
		}
		errs <- ""
	}()
	for i := range n {
		ws.SetReadDeadline(time.Now().Add(5 * time.Second))
		_, got, err := ws.ReadMessage()
		if err != nil || string(got) != strconv.Itoa(i) {
			t.Fatalf("frame %d = %q, %v", i, got, err)
		}
	}
	if e := <-errs; e != "" {
		t.Fatal(e)
	}
	// A closed connection ends a waiting SendWait.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for c.SendWait(ctx, []byte("x")) {
	}
	c.Close(websocket.CloseNormalClosure, "")
	if c.SendWait(context.Background(), []byte("x")) {
		t.Fatal("SendWait on a closed connection reported success")
	}
}

// idle reports whether c holds neither a queue nor a writer.
func idle(c *Conn) bool {
	c.qmu.Lock()
	defer c.qmu.Unlock()
	return c.queue == nil && !c.writing && c.pending == 0
}

// writerGoroutines counts the goroutines running a connection's writer.
func writerGoroutines() int {
	buf := make([]byte, 1<<20)
	buf = buf[:runtime.Stack(buf, true)]
	return strings.Count(string(buf), "hub.(*Conn).writeLoop")
}

// TestIdleConnHoldsNoQueue checks that a connection that has written
// everything holds no outbound queue and no writer goroutine, and that it
// gets both back when there is something to send.
func TestIdleConnHoldsNoQueue(t *testing.T) {
	f := newFixture(t, Config{PingInterval: time.Hour})
	var clients []*websocket.Conn
	var conns []*Conn
	for i := range 10 {
		ws := f.dial(t)
		roundTrip(t, ws, fmt.Sprint("m", i))
		clients = append(clients, ws)
		conns = append(conns, <-f.conns)
	}
	for round := range 2 {
		for i, c := range conns {
			waitFor(t, fmt.Sprintf("connection %d to go idle", i), func() bool { return idle(c) })
		}
		// A writer marks its connection idle just before it returns:
		// give the goroutines the moment to end.
		waitFor(t, fmt.Sprintf("round %d: no writer goroutine with every connection idle", round),
			func() bool { return writerGoroutines() == 0 })
		// Sending again brings the writer back.
		for i, c := range conns {
			for j := range 3 {
				if !c.Send([]byte(fmt.Sprint(round, "/", j))) {
					t.Fatalf("Send on idle connection %d failed", i)
				}
			}
		}
		for i, ws := range clients {
			for j := range 3 {
				ws.SetReadDeadline(time.Now().Add(5 * time.Second))
				_, got, err := ws.ReadMessage()
				if want := fmt.Sprint(round, "/", j); err != nil || string(got) != want {
					t.Fatalf("connection %d: read %q, %v, want %q", i, got, err, want)
				}
			}
		}
	}
}

// TestConcurrentSendOrder sends from several goroutines at once: every frame
// arrives, and each goroutine's frames arrive in the order it sent them.
func TestConcurrentSendOrder(t *testing.T) {
	for _, plain := range []bool{false, true} {
		t.Run(fmt.Sprint("plain=", plain), func(t *testing.T) {
			const senders, each = 4, 300
			// Room for every frame, and for the hello's echo, which the
			// writer counts until it has taken it off after writing.
			f := newFixtureWith(t, Config{SendQueue: senders*each + 1}, fixtureOptions{plain: plain})
			ws := f.dial(t)
			roundTrip(t, ws, "hello")
			c := <-f.conns
			var wg sync.WaitGroup
			for g := range senders {
				wg.Go(func() {
					for i := range each {
						if !c.Send([]byte(fmt.Sprintf("%d/%d", g, i))) {
							t.Errorf("Send %d/%d failed", g, i)
							return
						}
					}
				})
			}
			next := make([]int, senders)
			for range senders * each {
				ws.SetReadDeadline(time.Now().Add(5 * time.Second))
				_, got, err := ws.ReadMessage()
				if err != nil {
					t.Fatalf("read: %v (next %v)", err, next)
				}
				var g, i int
				if _, err := fmt.Sscanf(string(got), "%d/%d", &g, &i); err != nil || g < 0 || g >= senders {
					t.Fatalf("read %q", got)
				}
				if i != next[g] {
					t.Fatalf("sender %d: frame %d arrived when %d was due", g, i, next[g])
				}
				next[g]++
			}
			wg.Wait()
		})
	}
}

// TestQueuedFramesOneWrite holds the writer in a write while frames queue:
// it then writes all of them with one write to the network connection.
func TestQueuedFramesOneWrite(t *testing.T) {
	accepted := make(chan *gateConn, 1)
	f := newFixtureWith(t, Config{PingInterval: time.Hour}, fixtureOptions{accepted: accepted})
	ws := f.dial(t)
	roundTrip(t, ws, "hello")
	c, g := <-f.conns, <-accepted
	waitFor(t, "the connection to go idle", func() bool { return idle(c) })

	entered, release := g.hold()
	c.Send([]byte("first"))
	<-entered
	before := g.count()
	const queued = 20
	for i := range queued {
		c.Send([]byte(fmt.Sprint("queued ", i)))
	}
	release()
	for i := -1; i < queued; i++ {
		want := "first"
		if i >= 0 {
			want = fmt.Sprint("queued ", i)
		}
		ws.SetReadDeadline(time.Now().Add(5 * time.Second))
		_, got, err := ws.ReadMessage()
		if err != nil || string(got) != want {
			t.Fatalf("read %q, %v, want %q", got, err, want)
		}
	}
	waitFor(t, "the connection to go idle", func() bool { return idle(c) })
	if n := g.count() - before; n != 1 {
		t.Errorf("%d frames queued behind a write went out in %d writes, want 1", queued, n)
	}
}

// TestHandlerPanicReachesServe checks that a handler's panic is raised on
// the goroutine that called Serve, as if the handler had run on it.
func TestHandlerPanicReachesServe(t *testing.T) {
	h := New(Config{})
	recovered := make(chan any, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ws, err := Upgrade(&websocket.Upgrader{}, w, r, nil)
		if err != nil {
			return
		}
		defer func() {
			recovered <- recover()
			ws.Close()
		}()
		h.Serve(r.Context(), ws, panicker{})
	}))
	defer srv.Close()
	ws, _, err := websocket.DefaultDialer.Dial("ws"+strings.TrimPrefix(srv.URL, "http"), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()
	ws.WriteMessage(websocket.TextMessage, []byte("boom"))
	select {
	case p := <-recovered:
		hp, ok := p.(*handlerPanic)
		if !ok || hp.value != "boom" {
			t.Fatalf("Serve's caller recovered %v, want the handler's panic boom", p)
		}
		if !strings.Contains(hp.String(), "panicker") {
			t.Errorf("panic does not show the handler's stack:\n%s", hp)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Serve's caller saw no panic")
	}
}

type panicker struct{}

func (panicker) Opened(*Conn) {}

func (panicker) HandleMessage(_ context.Context, _ *Conn, msg []byte) { panic(string(msg)) }

// TestStart serves connections with Start from handlers that return at
// once: they work as with Serve, done is called once each has ended, and
// Start on a shut-down hub refuses the connection and calls done.
func TestStart(t *testing.T) {
	before := runtime.NumGoroutine()
	h := New(Config{})
	var ended sync.WaitGroup
	var doneCalls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ws, err := Upgrade(&websocket.Upgrader{}, w, r, nil)
		if err != nil {
			return
		}
		ended.Add(1)
		h.Start(context.WithoutCancel(r.Context()), ws, echo{h}, func() {
			doneCalls.Add(1)
			ended.Done()
		})
	}))
	defer srv.Close()
	url := "ws" + strings.TrimPrefix(srv.URL, "http")
	var clients []*websocket.Conn
	for i := range 5 {
		ws, _, err := websocket.DefaultDialer.Dial(url, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer ws.Close()
		roundTrip(t, ws, fmt.Sprint("sub:t", i))
		clients = append(clients, ws)
	}
	if n := h.Len(); n != 5 {
		t.Fatalf("Len = %d, want 5", n)
	}
	clients[0].Close()
	waitFor(t, "a closed client's connection to end", func() bool { return doneCalls.Load() == 1 })
	if err := h.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	ended.Wait()
	for _, ws := range clients[1:] {
		if err := readUntilClose(ws); closeCode(err) != protocol.CloseShutdown {
			t.Errorf("after Shutdown: %v, want close %d", err, protocol.CloseShutdown)
		}
	}
	late, _, err := websocket.DefaultDialer.Dial(url, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer late.Close()
	if err := readUntilClose(late); closeCode(err) != protocol.CloseShutdown {
		t.Errorf("connection after shutdown: %v, want close %d", err, protocol.CloseShutdown)
	}
	ended.Wait()
	if n := doneCalls.Load(); n != 6 {
		t.Errorf("done called %d times, want 6 (5 connections and the one refused)", n)
	}
	for _, ws := range clients {
		ws.Close()
	}
	srv.Close()
	waitFor(t, "goroutines to end", func() bool { return runtime.NumGoroutine() <= before })
}

// TestStartHandlerPanic checks that a handler's panic under Start ends the
// connection with 1011 and calls done, and the process goes on.
func TestStartHandlerPanic(t *testing.T) {
	h := New(Config{CloseGrace: 50 * time.Millisecond})
	done := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ws, err := Upgrade(&websocket.Upgrader{}, w, r, nil)
		if err != nil {
			return
		}
		h.Start(context.WithoutCancel(r.Context()), ws, panicker{}, func() { close(done) })
	}))
	defer srv.Close()
	ws, _, err := websocket.DefaultDialer.Dial("ws"+strings.TrimPrefix(srv.URL, "http"), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()
	ws.WriteMessage(websocket.TextMessage, []byte("boom"))
	if err := readUntilClose(ws); closeCode(err) != websocket.CloseInternalServerErr {
		t.Errorf("after the handler panicked: %v, want close %d", err, websocket.CloseInternalServerErr)
	}
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("done not called")
	}
	if n := h.Len(); n != 0 {
		t.Errorf("Len = %d after the connection ended, want 0", n)
	}
}
