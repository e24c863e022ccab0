// Package chatclient is a Switchboard protocol client for tests and tools. It
// keeps one WebSocket to the server alive: it dials, says hello, reconnects
// with capped exponential backoff and full jitter, matches replies to
// requests by frame id, resends a message with the same client_msg_id until
// it is acknowledged, and keeps an in-order receive buffer per tracked
// conversation that drops seqs it already holds and fills gaps with sync.
//
// It follows docs/protocol.md and nothing else, so it doubles as a check that
// the document is enough to write a client from.
package chatclient

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"

	"switchboard/protocol"
)

// Config configures a Client. Zero values mean the defaults in the comments.
type Config struct {
	// URL is the WebSocket endpoint, "ws://host:port/ws".
	URL string
	// URLs, when set, are the endpoints of a cluster's nodes, any of
	// which serves the client (URL is then ignored). The client dials
	// the first and stays with the endpoint that answered; a failed dial
	// moves it on to the next, so a dead node costs a reconnect.
	URLs []string
	// Token is the agent or visitor token sent in hello.
	Token string
	// ClientKind is sent in hello (protocol.ClientDesktop).
	ClientKind string
	// Dialer dials the WebSocket (a copy of websocket.DefaultDialer with a
	// 5s handshake timeout).
	Dialer *websocket.Dialer
	// RequestTimeout bounds the wait for one reply (5s). A request that
	// times out takes its connection down: a link that does not answer is
	// treated as dead, and the next attempt goes over a fresh one.
	RequestTimeout time.Duration
	// MinBackoff and MaxBackoff bound the reconnect delay (300ms, 30s).
	MinBackoff, MaxBackoff time.Duration
	// Seed seeds the jitter, so a run can be replayed as closely as timing
	// allows.
	Seed uint64
	// Logger receives debug logs; nil discards them.
	Logger *slog.Logger
	// OnConversation, if set, is called from the reader goroutine for every
	// pushed conversation change. It must not block.
	OnConversation func(protocol.Conversation)
}

func (c *Config) fill() {
	if c.ClientKind == "" {
		c.ClientKind = protocol.ClientDesktop
	}
	if len(c.URLs) == 0 {
		c.URLs = []string{c.URL}
	}
	if c.Dialer == nil {
		d := *websocket.DefaultDialer
		d.HandshakeTimeout = 5 * time.Second
		c.Dialer = &d
	}
	if c.RequestTimeout <= 0 {
		c.RequestTimeout = 5 * time.Second
	}
	if c.MinBackoff <= 0 {
		c.MinBackoff = protocol.ReconnectBase
	}
	if c.MaxBackoff <= 0 {
		c.MaxBackoff = protocol.ReconnectMax
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
}

// Errors returned by requests.
var (
	// ErrLinkDown means the connection went away before the reply came; the
	// request may or may not have been carried out.
	ErrLinkDown = errors.New("connection lost before the reply")
	// ErrTimeout means no reply came within RequestTimeout.
	ErrTimeout = errors.New("no reply in time")
	// ErrClosed means the client was closed.
	ErrClosed = errors.New("client closed")
	// ErrEnded means the server rejected the token; the client stopped.
	ErrEnded = errors.New("server rejected the token")
)

// Stats counts what a client went through.
type Stats struct {
	Connects     int64 // successful hellos
	Disconnects  int64 // links lost after a successful hello
	DialFailures int64 // failed dials or hellos
	Resends      int64 // requests repeated after a lost link, a timeout or a retryable error
	RateLimited  int64 // requests refused with rate_limited (and repeated)
	Duplicates   int64 // acks with duplicate=true
	DupPushes    int64 // pushed or synced messages dropped because the seq was held
	GapSyncs     int64 // syncs made to fill a gap or catch up
	Failovers    int64 // moves to the next of several URLs after a failed dial
	// Misordered counts pushes whose seq was not above every earlier push
	// of the same conversation on the same connection, which the protocol
	// rules out. The buffer copes; tests assert it stays 0.
	Misordered int64
}

// Client is one participant's connection. Run it with Run; it is safe for
// concurrent use.
type Client struct {
	cfg Config
	log *slog.Logger
	ids atomic.Uint64

	// mu guards link, ready, user, rng, ended, closed and url.
	mu    sync.Mutex
	link  *link
	url   int           // index in cfg.URLs of the endpoint dialled next
	ready chan struct{} // closed while a link is up; replaced when it goes
	user  protocol.User
	rng   *rand.Rand
	ended bool

	done   chan struct{}
	cancel context.CancelFunc
	wg     sync.WaitGroup

	bufMu sync.Mutex
	// bufs are the receive buffers of tracked conversations, guarded by bufMu.
	bufs map[string]*buffer
	// syncKick wakes the syncer when a buffer needs a sync.
	syncKick chan struct{}

	connects, disconnects, dialFailures, failovers, resends, rateLimited, duplicates, dupPushes, gapSyncs, misordered atomic.Int64
}

// link is one WebSocket connection after a successful hello.
type link struct {
	ws *websocket.Conn
	// wmu serializes writes: gorilla allows one writer at a time.
	wmu sync.Mutex
	// pmu guards pending and down.
	pmu     sync.Mutex
	pending map[string]chan protocol.Frame
	down    bool
	gone    chan struct{} // closed when the link is torn down
	once    sync.Once
}

// New returns a client that is not yet connected; call Run.
func New(cfg Config) *Client {
	cfg.fill()
	return &Client{
		cfg:      cfg,
		log:      cfg.Logger,
		ready:    make(chan struct{}),
		rng:      rand.New(rand.NewPCG(cfg.Seed, cfg.Seed^0x9e3779b97f4a7c15)),
		done:     make(chan struct{}),
		bufs:     make(map[string]*buffer),
		syncKick: make(chan struct{}, 1),
	}
}

// Start connects in the background and keeps reconnecting until ctx is done
// or Close is called.
func (c *Client) Start(ctx context.Context) {
	ctx, c.cancel = context.WithCancel(ctx)
	c.wg.Add(2)
	go func() { defer c.wg.Done(); c.run(ctx) }()
	go func() { defer c.wg.Done(); c.syncer(ctx) }()
}

// Close disconnects and waits for the client's goroutines.
func (c *Client) Close() {
	if c.cancel != nil {
		c.cancel()
	}
	c.mu.Lock()
	if l := c.link; l != nil {
		l.ws.Close()
	}
	c.mu.Unlock()
	c.wg.Wait()
}

// Drop closes the current connection, if any, as a network failure would;
// the client reconnects.
func (c *Client) Drop() {
	c.mu.Lock()
	l := c.link
	c.mu.Unlock()
	if l != nil {
		l.ws.Close()
	}
}

// URL returns the endpoint the client is connected to, or dials next.
func (c *Client) URL() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.cfg.URLs[c.url]
}

// User returns the user of the last welcome.
func (c *Client) User() protocol.User {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.user
}

// Stats returns the client's counters.
func (c *Client) Stats() Stats {
	return Stats{
		Connects:     c.connects.Load(),
		Disconnects:  c.disconnects.Load(),
		DialFailures: c.dialFailures.Load(),
		Resends:      c.resends.Load(),
		RateLimited:  c.rateLimited.Load(),
		Duplicates:   c.duplicates.Load(),
		DupPushes:    c.dupPushes.Load(),
		GapSyncs:     c.gapSyncs.Load(),
		Failovers:    c.failovers.Load(),
		Misordered:   c.misordered.Load(),
	}
}

// backoff returns the delay before reconnect attempt n (0-based): the
// protocol's full-jitter backoff, drawn from the seeded source so a run can
// be replayed.
func (c *Client) backoff(n int) time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return protocol.Backoff(n, c.cfg.MinBackoff, c.cfg.MaxBackoff, c.rng.Int64N)
}

func (c *Client) run(ctx context.Context) {
	for attempt := 0; ; {
		if ctx.Err() != nil {
			return
		}
		l, err := c.connect(ctx)
		if err != nil {
			var perr *protocol.Error
			if errors.As(err, &perr) && (perr.Code == protocol.ErrUnauthorized.Code || perr.Code == protocol.ErrTokenExpired.Code) {
				c.log.Warn("token rejected; stopping", "err", err)
				c.mu.Lock()
				c.ended = true
				close(c.ready) // wake waiters; they see ended
				c.mu.Unlock()
				return
			}
			c.dialFailures.Add(1)
			if len(c.cfg.URLs) > 1 {
				c.failovers.Add(1)
				c.mu.Lock()
				c.url = (c.url + 1) % len(c.cfg.URLs)
				c.mu.Unlock()
			}
			d := c.backoff(attempt)
			attempt++
			c.log.Debug("connect failed", "err", err, "retry_in", d)
			select {
			case <-ctx.Done():
				return
			case <-time.After(d):
			}
			continue
		}
		attempt = 0
		c.connects.Add(1)
		c.catchUpAll()
		c.read(l)
		c.teardown(l)
		if ctx.Err() != nil {
			return
		}
		c.disconnects.Add(1)
		// Even a link that was up waits a little: a server that drops
		// everyone at once must not get everyone back at once.
		d := c.backoff(0)
		select {
		case <-ctx.Done():
			return
		case <-time.After(d):
		}
	}
}

// connect dials and says hello; on success the link is published.
func (c *Client) connect(ctx context.Context) (*link, error) {
	ws, _, err := c.cfg.Dialer.DialContext(ctx, c.URL(), nil)
	if err != nil {
		return nil, fmt.Errorf("dial: %w", err)
	}
	ws.SetReadLimit(protocol.HardFrameBytes)
	hello, _ := protocol.Encode(protocol.TypeHello, "hello", protocol.HelloData{
		Protocol: protocol.Version, Token: c.cfg.Token, Client: c.cfg.ClientKind,
	})
	ws.SetWriteDeadline(time.Now().Add(c.cfg.RequestTimeout))
	if err := ws.WriteMessage(websocket.TextMessage, hello); err != nil {
		ws.Close()
		return nil, fmt.Errorf("write hello: %w", err)
	}
	ws.SetReadDeadline(time.Now().Add(c.cfg.RequestTimeout))
	var w protocol.WelcomeData
	for {
		_, b, err := ws.ReadMessage()
		if err != nil {
			ws.Close()
			return nil, fmt.Errorf("read welcome: %w", err)
		}
		f, perr := protocol.DecodeServerFrame(b)
		if perr != nil {
			ws.Close()
			return nil, fmt.Errorf("welcome: %w", perr)
		}
		if f.ID != "hello" {
			continue // a push cannot come before welcome, but do not trust it
		}
		if f.Type == protocol.TypeError && f.Error != nil {
			ws.Close()
			return nil, f.Error
		}
		if f.Type != protocol.TypeWelcome {
			ws.Close()
			return nil, fmt.Errorf("hello answered with %s", f.Type)
		}
		if err := json.Unmarshal(f.Data, &w); err != nil {
			ws.Close()
			return nil, fmt.Errorf("decode welcome: %w", err)
		}
		break
	}
	ws.SetReadDeadline(time.Time{})
	l := &link{ws: ws, pending: make(map[string]chan protocol.Frame), gone: make(chan struct{})}
	c.mu.Lock()
	defer c.mu.Unlock()
	if ctx.Err() != nil {
		ws.Close()
		return nil, ctx.Err()
	}
	c.user = w.User
	c.link = l
	close(c.ready)
	return l, nil
}

// teardown unpublishes l and fails its requests in flight.
func (c *Client) teardown(l *link) {
	l.ws.Close()
	c.mu.Lock()
	if c.link == l {
		c.link = nil
		c.ready = make(chan struct{})
	}
	c.mu.Unlock()
	l.pmu.Lock()
	l.down = true
	for id, ch := range l.pending {
		close(ch)
		delete(l.pending, id)
	}
	l.pmu.Unlock()
	l.once.Do(func() { close(l.gone) })
}

// read is the link's reader: replies go to their requests, pushes to the
// buffers, in arrival order.
func (c *Client) read(l *link) {
	// lastPush is the seq of the last message pushed on this link per
	// conversation: the server promises pushes in seq order per link.
	lastPush := make(map[string]int64)
	for {
		_, b, err := l.ws.ReadMessage()
		if err != nil {
			c.log.Debug("link lost", "err", err)
			return
		}
		f, perr := protocol.DecodeServerFrame(b)
		if perr != nil {
			c.log.Warn("undecodable frame from server", "err", perr)
			continue
		}
		if f.ID != "" {
			l.pmu.Lock()
			ch := l.pending[f.ID]
			delete(l.pending, f.ID)
			l.pmu.Unlock()
			if ch != nil {
				ch <- f // buffered
			}
			continue
		}
		switch f.Type {
		case protocol.TypeMessage:
			var m protocol.Message
			if json.Unmarshal(f.Data, &m) == nil {
				if m.Seq <= lastPush[m.ConversationID] {
					c.misordered.Add(1)
					c.log.Warn("push out of seq order on one connection", "conversation_id", m.ConversationID,
						"seq", m.Seq, "after", lastPush[m.ConversationID])
				}
				lastPush[m.ConversationID] = max(lastPush[m.ConversationID], m.Seq)
				c.receive(m.ConversationID, []protocol.Message{m}, 0, false)
			}
		case protocol.TypeConversation:
			var conv protocol.Conversation
			if json.Unmarshal(f.Data, &conv) == nil && c.cfg.OnConversation != nil {
				c.cfg.OnConversation(conv)
			}
		}
	}
}

// current waits for a live link.
func (c *Client) current(ctx context.Context) (*link, error) {
	for {
		c.mu.Lock()
		l, ready, ended := c.link, c.ready, c.ended
		c.mu.Unlock()
		if ended {
			return nil, ErrEnded
		}
		if l != nil {
			return l, nil
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-ready:
		}
	}
}

// Request sends one frame and decodes its reply into out (if not nil). An
// error reply is returned as a *protocol.Error. ErrLinkDown and ErrTimeout
// mean the outcome is unknown: the request may have been carried out.
func (c *Client) Request(ctx context.Context, typ string, data, out any) error {
	l, err := c.current(ctx)
	if err != nil {
		return err
	}
	id := strconv.FormatUint(c.ids.Add(1), 10)
	b, err := protocol.Encode(typ, id, data)
	if err != nil {
		return err
	}
	ch := make(chan protocol.Frame, 1)
	l.pmu.Lock()
	if l.down {
		l.pmu.Unlock()
		return ErrLinkDown
	}
	l.pending[id] = ch
	l.pmu.Unlock()
	l.wmu.Lock()
	l.ws.SetWriteDeadline(time.Now().Add(c.cfg.RequestTimeout))
	werr := l.ws.WriteMessage(websocket.TextMessage, b)
	l.wmu.Unlock()
	if werr != nil {
		l.ws.Close() // the reader notices and tears the link down
		return ErrLinkDown
	}
	timer := time.NewTimer(c.cfg.RequestTimeout)
	defer timer.Stop()
	var f protocol.Frame
	var ok bool
	select {
	case f, ok = <-ch:
		if !ok {
			return ErrLinkDown
		}
	case <-timer.C:
		l.ws.Close()
		return ErrTimeout
	case <-ctx.Done():
		l.pmu.Lock()
		delete(l.pending, id)
		l.pmu.Unlock()
		return ctx.Err()
	}
	if f.Type == protocol.TypeError {
		if f.Error == nil {
			return protocol.ErrInternal.WithMessage("error frame without error")
		}
		return f.Error
	}
	if out != nil {
		if err := json.Unmarshal(f.Data, out); err != nil {
			return fmt.Errorf("decode %s reply: %w", f.Type, err)
		}
	}
	return nil
}

// Retry repeats req until it succeeds, fails with a non-retryable
// *protocol.Error, or ctx is done. Lost links, timeouts and retryable
// errors are retried after a jittered backoff.
func (c *Client) Retry(ctx context.Context, req func(ctx context.Context) error) error {
	for attempt := 0; ; attempt++ {
		err := req(ctx)
		if err == nil {
			return nil
		}
		var perr *protocol.Error
		switch {
		case errors.As(err, &perr) && !perr.Retryable:
			return err
		case errors.Is(err, ErrEnded), ctx.Err() != nil:
			return err
		}
		c.log.Debug("retrying", "err", err, "attempt", attempt)
		var wait time.Duration
		switch {
		case perr != nil && perr.Code == protocol.ErrRateLimited.Code:
			// Over the server's rate: back off for real, or the retries
			// are refused too.
			c.rateLimited.Add(1)
			wait = 50*time.Millisecond + c.backoff(min(attempt+2, 6))
		case perr != nil, attempt > 0:
			// Another retryable error, or a second failure in a row.
			c.resends.Add(1)
			wait = c.backoff(min(attempt, 6))
		default:
			// A first lost link needs no wait: Request waits for the
			// next link anyway.
			c.resends.Add(1)
		}
		if wait > 0 {
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-time.After(wait):
			}
		}
	}
}

// Send posts a text message and returns its ack, resending with the same
// client_msg_id until the server acknowledges it.
func (c *Client) Send(ctx context.Context, d protocol.SendData) (protocol.AckData, error) {
	if d.Kind == "" {
		d.Kind = protocol.KindText
	}
	var ack protocol.AckData
	err := c.Retry(ctx, func(ctx context.Context) error {
		ack = protocol.AckData{}
		return c.Request(ctx, protocol.TypeSend, d, &ack)
	})
	if err != nil {
		return protocol.AckData{}, fmt.Errorf("send %s to %s: %w", d.ClientMsgID, d.ConversationID, err)
	}
	if ack.Duplicate {
		c.duplicates.Add(1)
	}
	return ack, nil
}

// Sync reads one page of a conversation's messages after afterSeq, retrying
// over lost links.
func (c *Client) Sync(ctx context.Context, convID string, afterSeq int64) (protocol.HistoryData, error) {
	var h protocol.HistoryData
	err := c.Retry(ctx, func(ctx context.Context) error {
		h = protocol.HistoryData{}
		return c.Request(ctx, protocol.TypeSync, protocol.SyncData{ConversationID: convID, AfterSeq: afterSeq}, &h)
	})
	return h, err
}

// History reads a conversation's whole visible transcript, page by page.
func (c *Client) History(ctx context.Context, convID string) ([]protocol.Message, error) {
	var all []protocol.Message
	after := int64(0)
	for {
		h, err := c.Sync(ctx, convID, after)
		if err != nil {
			return nil, err
		}
		all = append(all, h.Messages...)
		if len(h.Messages) > 0 {
			after = h.Messages[len(h.Messages)-1].Seq
		}
		if !h.HasMore || len(h.Messages) == 0 {
			return all, nil
		}
	}
}
