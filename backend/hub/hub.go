// Package hub runs the server's live WebSocket connections: a reader
// goroutine per connection, a writer goroutine and a bounded outbound queue
// only while frames wait to be written, heartbeats, and a registry of
// connections by topic (user id, team) for fan-out.
//
// The shape follows gorilla/websocket's chat example with the lifecycle rules
// made strict: the reader owns the connection (when it ends it closes,
// cancels and waits for the writer), nothing ever blocks on a slow peer (a
// full queue disconnects it, and it resumes later), and every goroutine is
// accounted for, so Shutdown can wait for all of them. Unlike the example, an
// idle connection holds only its reader: most connections are idle most of
// the time, and the memory each one holds is what bounds how many a server
// keeps.
package hub

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/gorilla/websocket"

	"switchboard/protocol"
)

// Config tunes a Hub. Zero values mean the defaults in the field comments.
type Config struct {
	// Logger receives connection diagnostics; nil discards them.
	Logger *slog.Logger
	// SendQueue is how many frames a connection may hold unwritten, queued
	// or being written (256), unless Conn.SetSendQueue gave it its own
	// bound. A connection whose queue is full is closed with
	// protocol.CloseSlowConsumer.
	SendQueue int
	// PingInterval is how often the server pings (25s).
	PingInterval time.Duration
	// PongWait is how long the reader waits for any frame, pongs included,
	// before declaring the link dead (35s). It must exceed PingInterval.
	PongWait time.Duration
	// WriteWait bounds each write (10s).
	WriteWait time.Duration
	// CloseGrace is how long to wait for the peer's reply to a close frame
	// before dropping the TCP connection (1s).
	CloseGrace time.Duration
	// ReadLimit is the largest frame read (protocol.HardFrameBytes); a
	// larger one closes the connection with 1009.
	ReadLimit int64
}

func (c *Config) fill() {
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	if c.SendQueue <= 0 {
		c.SendQueue = 256
	}
	if c.PingInterval <= 0 {
		c.PingInterval = 25 * time.Second
	}
	if c.PongWait <= 0 {
		c.PongWait = 35 * time.Second
	}
	if c.PongWait <= c.PingInterval {
		c.PongWait = c.PingInterval + c.PingInterval/2
	}
	if c.WriteWait <= 0 {
		c.WriteWait = 10 * time.Second
	}
	if c.CloseGrace <= 0 {
		c.CloseGrace = time.Second
	}
	if c.ReadLimit <= 0 {
		c.ReadLimit = protocol.HardFrameBytes
	}
}

// Handler handles the messages of one connection.
type Handler interface {
	// Opened is called on the reader goroutine once the connection is
	// registered, before the first message is read.
	Opened(c *Conn)
	// HandleMessage is called for each message, in arrival order, one at
	// a time (on a goroutine of its own, while the reader waits); the next
	// message is not read until it returns, which keeps a client's
	// requests in order and slows down a client that sends faster than
	// the server stores. msg is the reader's buffer, reused once
	// HandleMessage returns: a handler keeps a copy of what it keeps.
	HandleMessage(ctx context.Context, c *Conn, msg []byte)
}

// ErrClosed is returned by Serve when the hub is shutting down.
var ErrClosed = errors.New("hub is shut down")

// Hub holds the live connections.
type Hub struct {
	cfg Config
	log *slog.Logger

	// wg counts running Serve calls, so Shutdown can wait for every
	// connection's goroutines.
	wg sync.WaitGroup

	// workers run the connections' handlers (workers.go).
	workers workerPool

	// mu guards conns, topics and closed.
	mu     sync.RWMutex
	conns  map[*Conn]struct{}
	topics map[string]map[*Conn]struct{}
	closed bool
}

// New returns a Hub.
func New(cfg Config) *Hub {
	cfg.fill()
	return &Hub{
		cfg:    cfg,
		log:    cfg.Logger,
		conns:  make(map[*Conn]struct{}),
		topics: make(map[string]map[*Conn]struct{}),
	}
}

// HeartbeatInterval is how often connections are pinged.
func (h *Hub) HeartbeatInterval() time.Duration { return h.cfg.PingInterval }

// Serve runs ws until it closes, calling handler for each message. It runs
// the reader loop on the calling goroutine (typically the HTTP handler's);
// the writer runs while there is something to write. When it returns both
// have ended and ws is closed. If ws was made by Upgrade, the frames queued
// together are written at once.
func (h *Hub) Serve(ctx context.Context, ws *websocket.Conn, handler Handler) error {
	c, err := h.open(ws)
	if err != nil {
		return err
	}
	h.run(ctx, c, handler)
	return nil
}

// Start serves ws as Serve does, but on a goroutine of its own, and returns
// at once. done, if not nil, is called when the connection has ended and
// its goroutines with it, or before Start returns ErrClosed when the hub is
// shut down. A panic of handler is logged and ends the connection.
//
// An HTTP handler that hands its connection over this way can return, and
// net/http frees what it keeps while a handler runs (its write buffer, the
// request and the response): about a third of what an idle connection
// holds. ctx must outlive that handler, so it cannot be the request's
// context, which ends with it; context.WithoutCancel of it can.
func (h *Hub) Start(ctx context.Context, ws *websocket.Conn, handler Handler, done func()) error {
	c, err := h.open(ws)
	if err != nil {
		if done != nil {
			done()
		}
		return err
	}
	go func() {
		if done != nil {
			defer done()
		}
		defer func() {
			if p := recover(); p != nil {
				h.log.Error("connection handler panicked", "remote", c.remote, "panic", fmt.Sprint(p))
			}
		}()
		h.run(ctx, c, handler)
	}()
	return nil
}

// open registers a connection for ws, or closes ws when the hub is shut
// down.
func (h *Hub) open(ws *websocket.Conn) (*Conn, error) {
	c := &Conn{
		hub:       h,
		ws:        ws,
		closing:   make(chan struct{}),
		readDone:  make(chan struct{}),
		remote:    ws.RemoteAddr().String(),
		sendQueue: h.cfg.SendQueue,
	}
	c.bc, _ = ws.NetConn().(*batchConn)
	if !h.add(c) {
		ws.WriteControl(websocket.CloseMessage,
			websocket.FormatCloseMessage(protocol.CloseShutdown, "server is shutting down"),
			time.Now().Add(h.cfg.WriteWait))
		ws.Close()
		return nil, ErrClosed
	}
	return c, nil
}

// run runs the reader of c, which h.add counted, until the connection ends.
func (h *Hub) run(ctx context.Context, c *Conn, handler Handler) {
	defer h.wg.Done()
	defer h.remove(c)

	ctx, cancel := context.WithCancel(ctx)
	c.qmu.Lock()
	if !c.closed {
		c.pinger = time.AfterFunc(h.cfg.PingInterval, c.ping)
	}
	c.qmu.Unlock()

	// The reader owns the lifecycle: close (a no-op if someone closed
	// first; either way the writer is started to finish the connection),
	// stop whatever the handler started under ctx, then wait for the
	// writer so nothing outlives run, even when a handler panics.
	code := websocket.CloseInternalServerErr
	defer func() {
		close(c.readDone)
		c.Close(code, "")
		cancel()
		c.writers.Wait()
		c.ws.Close()
	}()
	handler.Opened(c)
	c.readLoop(ctx, handler)
	code = websocket.CloseNormalClosure
}

func (h *Hub) add(c *Conn) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		return false
	}
	h.conns[c] = struct{}{}
	h.wg.Add(1)
	return true
}

func (h *Hub) remove(c *Conn) {
	h.mu.Lock()
	defer h.mu.Unlock()
	delete(h.conns, c)
	c.mu.Lock()
	topics := c.topics
	c.topics = nil
	c.mu.Unlock()
	for _, t := range topics {
		h.unsubscribeLocked(c, t)
	}
}

func (h *Hub) unsubscribeLocked(c *Conn, topic string) {
	set := h.topics[topic]
	delete(set, c)
	if len(set) == 0 {
		delete(h.topics, topic)
	}
}

// Subscribe adds c to topics, so Conns(topic) finds it until it closes.
func (h *Hub) Subscribe(c *Conn, topics ...string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if _, live := h.conns[c]; !live {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, t := range topics {
		set := h.topics[t]
		if set == nil {
			set = make(map[*Conn]struct{})
			h.topics[t] = set
		}
		if _, ok := set[c]; ok {
			continue
		}
		set[c] = struct{}{}
		c.topics = append(c.topics, t)
	}
}

// Unsubscribe removes c from topics: Conns(topic) no longer finds it.
func (h *Hub) Unsubscribe(c *Conn, topics ...string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, t := range topics {
		if _, ok := h.topics[t][c]; !ok {
			continue
		}
		h.unsubscribeLocked(c, t)
		for i, ct := range c.topics {
			if ct == t {
				c.topics = append(c.topics[:i], c.topics[i+1:]...)
				break
			}
		}
	}
}

// Conns returns the live connections subscribed to any of topics, each once.
func (h *Hub) Conns(topics ...string) []*Conn {
	h.mu.RLock()
	defer h.mu.RUnlock()
	var out []*Conn
	seen := make(map[*Conn]struct{})
	for _, t := range topics {
		for c := range h.topics[t] {
			if _, dup := seen[c]; dup {
				continue
			}
			seen[c] = struct{}{}
			out = append(out, c)
		}
	}
	return out
}

// Len returns the number of live connections.
func (h *Hub) Len() int {
	h.mu.RLock()
	defer h.mu.RUnlock()
	return len(h.conns)
}

// Shutdown refuses new connections, closes the live ones with
// protocol.CloseShutdown (after flushing what is queued for them) and waits
// until all their goroutines have ended or ctx is done.
func (h *Hub) Shutdown(ctx context.Context) error {
	h.mu.Lock()
	h.closed = true
	conns := make([]*Conn, 0, len(h.conns))
	for c := range h.conns {
		conns = append(conns, c)
	}
	h.mu.Unlock()
	h.workers.close()
	for _, c := range conns {
		c.Close(protocol.CloseShutdown, "server is shutting down; reconnect")
	}
	done := make(chan struct{})
	go func() {
		h.wg.Wait()
		close(done)
	}()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
