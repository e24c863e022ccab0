// Package natsbus is the NATS engine of the bus: every node of a cluster
// connects to the same NATS server (or cluster), so a message published on
// one node reaches the subscribers of every node.
//
// It keeps the contract of package bus, which is NATS's core one: delivery
// is best effort and at most once. Publish hands the message to the
// connection (its buffer while it reconnects) and returns; an error there
// is counted and logged, never returned. Each subscription has its own
// goroutine and a bounded queue, so fn runs one call at a time, in order,
// never on the publisher's goroutine, and a subscriber that does not keep
// up loses messages (counted by Dropped) instead of delaying anyone. While
// the connection is down, messages are lost; nats.go reconnects by itself
// and subscribes again, and delivery resumes.
//
// Two differences with the in-process engine come with the network. Order
// holds per publishing connection: two nodes publishing on one subject may
// interleave differently for different subscribers. And a subscription
// reaches publishers on other connections once the server knows of it:
// Subscribe waits for that (a round trip) when connected, but on a NATS
// cluster of several servers interest still travels between servers
// asynchronously.
package natsbus

import (
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/nats-io/nats.go"

	"switchboard/backend/bus"
)

// Config configures a NATS bus. Zero values mean the defaults.
type Config struct {
	// Prefix, when set, is put before every subject with a dot
	// ("acme" + "floor.dirty" = "acme.floor.dirty"), so several
	// deployments can share a NATS server without hearing each other.
	Prefix string
	// Queue is how many undelivered messages one subscription holds
	// (bus.DefaultQueue); beyond it new messages are dropped for that
	// subscriber.
	Queue int
	// FlushTimeout bounds how long Subscribe waits for the server to
	// confirm the subscription (2s).
	FlushTimeout time.Duration
	// Log receives publish and subscribe errors (slog.Default()).
	Log *slog.Logger
}

// Bus is a bus.Bus on a NATS connection.
type Bus struct {
	nc           *nats.Conn
	owned        bool
	prefix       string
	queue        int
	flushTimeout time.Duration
	log          *slog.Logger

	// mu guards subs and the setting of closed; it is never held while
	// fn runs, and Publish does not take it.
	mu     sync.Mutex
	subs   map[*subscription]struct{}
	closed atomic.Bool
	wg     sync.WaitGroup

	// resumeMu guards resume (the OnResume functions) and cutAt (when
	// the connection was lost; zero while connected).
	resumeMu sync.Mutex
	resume   map[*func(time.Time)]struct{}
	cutAt    time.Time

	dropped atomic.Int64
	errs    atomic.Int64
	// failing is set after a publish error and cleared by the next
	// success, so a long outage logs once, not once per message.
	failing atomic.Bool
}

var (
	_ bus.Bus     = (*Bus)(nil)
	_ bus.Resumer = (*Bus)(nil)
)

// New returns a bus on nc, which stays the caller's: Close ends the bus's
// subscriptions but leaves nc open.
func New(nc *nats.Conn, cfg Config) (*Bus, error) {
	if nc == nil {
		return nil, errors.New("natsbus: nil connection")
	}
	if cfg.Prefix != "" && !validSubject(cfg.Prefix) {
		return nil, fmt.Errorf("natsbus: prefix %q is not a NATS subject without wildcards", cfg.Prefix)
	}
	if cfg.Queue <= 0 {
		cfg.Queue = bus.DefaultQueue
	}
	if cfg.FlushTimeout <= 0 {
		cfg.FlushTimeout = 2 * time.Second
	}
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	b := &Bus{
		nc:           nc,
		queue:        cfg.Queue,
		flushTimeout: cfg.FlushTimeout,
		log:          cfg.Log.With("component", "natsbus"),
		subs:         make(map[*subscription]struct{}),
	}
	if cfg.Prefix != "" {
		b.prefix = cfg.Prefix + "."
	}
	b.resume = make(map[*func(time.Time)]struct{})
	// Chain the connection's own handlers: nc stays the caller's.
	prevDown, prevBack := nc.Opts.DisconnectedErrCB, nc.Opts.ReconnectedCB
	nc.SetDisconnectErrHandler(func(c *nats.Conn, err error) {
		if prevDown != nil {
			prevDown(c, err)
		}
		b.resumeMu.Lock()
		if b.cutAt.IsZero() {
			b.cutAt = time.Now()
		}
		b.resumeMu.Unlock()
	})
	nc.SetReconnectHandler(func(c *nats.Conn) {
		if prevBack != nil {
			prevBack(c)
		}
		b.resumeMu.Lock()
		since := b.cutAt
		b.cutAt = time.Time{}
		fns := make([]func(time.Time), 0, len(b.resume))
		for fn := range b.resume {
			fns = append(fns, *fn)
		}
		b.resumeMu.Unlock()
		if since.IsZero() {
			since = time.Now()
		}
		b.log.Info("reconnected", "cut_for", time.Since(since).Round(time.Millisecond))
		for _, fn := range fns {
			fn(since)
		}
	})
	return b, nil
}

// OnResume implements bus.Resumer: fn runs, on the connection's callback
// goroutine, after each reconnection to the NATS server, with when the
// connection was lost. What was published meanwhile did not reach this
// node, and what this node published while cut off reached no one.
func (b *Bus) OnResume(fn func(since time.Time)) (cancel func()) {
	key := &fn
	b.resumeMu.Lock()
	b.resume[key] = struct{}{}
	b.resumeMu.Unlock()
	return func() {
		b.resumeMu.Lock()
		delete(b.resume, key)
		b.resumeMu.Unlock()
	}
}

// Dial connects to the NATS server at url and returns a bus that owns the
// connection (Close closes it). The connection reconnects forever; opts
// come after Dial's own options and so override them.
func Dial(url string, cfg Config, opts ...nats.Option) (*Bus, error) {
	base := []nats.Option{
		nats.Name("switchboard"),
		nats.MaxReconnects(-1),
		nats.ReconnectWait(time.Second),
	}
	nc, err := nats.Connect(url, append(base, opts...)...)
	if err != nil {
		return nil, fmt.Errorf("natsbus: connect %s: %w", url, err)
	}
	b, err := New(nc, cfg)
	if err != nil {
		nc.Close()
		return nil, err
	}
	b.owned = true
	return b, nil
}

// Conn returns the bus's connection.
func (b *Bus) Conn() *nats.Conn { return b.nc }

type subscription struct {
	fn func([]byte)
	ch chan []byte
	ns *nats.Subscription
	// stopped is set by cancel: fn is called no more.
	stopped atomic.Bool
	once    sync.Once
	done    chan struct{}
}

// Publish implements bus.Bus. On a closed bus it does nothing.
func (b *Bus) Publish(subject string, data []byte) {
	if b.closed.Load() {
		return
	}
	var err error
	if !validSubject(subject) {
		err = nats.ErrBadSubject
	} else {
		err = b.nc.Publish(b.prefix+subject, data)
	}
	if err != nil {
		b.errs.Add(1)
		if !b.failing.Swap(true) {
			b.log.Warn("publish failed; later failures are counted, not logged, until one succeeds",
				"subject", subject, "err", err)
		}
		return
	}
	if b.failing.Load() && b.failing.Swap(false) {
		b.log.Info("publishing again", "failed", b.errs.Load())
	}
}

// Subscribe implements bus.Bus. On a closed bus, or if NATS refuses the
// subject, it delivers nothing (the latter is logged).
func (b *Bus) Subscribe(subject string, fn func([]byte)) (cancel func()) {
	if !validSubject(subject) {
		b.log.Error("subscribe refused", "subject", subject, "err", nats.ErrBadSubject)
		return func() {}
	}
	s := &subscription{fn: fn, ch: make(chan []byte, b.queue), done: make(chan struct{})}
	b.mu.Lock()
	if b.closed.Load() {
		b.mu.Unlock()
		return func() {}
	}
	// The handler runs on nats.go's goroutine for this subscription and
	// only hands the message on, so nats.go's own pending list stays short
	// and the drops happen here, where they are counted.
	ns, err := b.nc.Subscribe(b.prefix+subject, func(m *nats.Msg) {
		if s.stopped.Load() {
			return
		}
		select {
		case s.ch <- m.Data:
		default:
			b.dropped.Add(1)
		}
	})
	if err != nil {
		b.mu.Unlock()
		b.log.Error("subscribe failed", "subject", subject, "err", err)
		return func() {}
	}
	s.ns = ns
	b.subs[s] = struct{}{}
	b.wg.Add(1)
	b.mu.Unlock()
	go b.deliver(s)
	if b.nc.IsConnected() {
		if err := b.nc.FlushTimeout(b.flushTimeout); err != nil {
			b.log.Warn("subscription not confirmed by the server", "subject", subject, "err", err)
		}
	}
	return func() {
		b.mu.Lock()
		delete(b.subs, s)
		b.mu.Unlock()
		b.stop(s)
	}
}

func (b *Bus) deliver(s *subscription) {
	defer b.wg.Done()
	for {
		select {
		case <-s.done:
			return
		case data := <-s.ch:
			if s.stopped.Load() {
				return
			}
			s.fn(data)
		}
	}
}

func (b *Bus) stop(s *subscription) {
	s.once.Do(func() {
		s.stopped.Store(true)
		close(s.done)
		// On a closed connection nats.go has dropped the subscription
		// already; nothing is left to undo.
		if err := s.ns.Unsubscribe(); err != nil && !errors.Is(err, nats.ErrConnectionClosed) &&
			!errors.Is(err, nats.ErrBadSubscription) {
			b.log.Warn("unsubscribe", "subject", s.ns.Subject, "err", err)
		}
	})
}

// Dropped returns how many messages full subscription queues have lost so
// far (messages lost on the network or while disconnected are not seen
// here).
func (b *Bus) Dropped() int64 { return b.dropped.Load() }

// Errors returns how many publishes have failed so far.
func (b *Bus) Errors() int64 { return b.errs.Load() }

// Close ends every subscription and waits for their goroutines to return
// (a call of fn under way finishes first, so fn must not wait for Close).
// A bus from Dial then flushes what was published and closes its
// connection. Publish and Subscribe on a closed bus do nothing.
func (b *Bus) Close() {
	b.mu.Lock()
	if b.closed.Load() {
		b.mu.Unlock()
		return
	}
	b.closed.Store(true)
	all := make([]*subscription, 0, len(b.subs))
	for s := range b.subs {
		all = append(all, s)
	}
	b.subs = nil
	b.mu.Unlock()
	for _, s := range all {
		b.stop(s)
	}
	b.wg.Wait()
	if b.owned {
		if b.nc.IsConnected() {
			if err := b.nc.FlushTimeout(b.flushTimeout); err != nil {
				b.log.Warn("flush on close", "err", err)
			}
		}
		b.nc.Close()
	}
}

// validSubject reports whether s is a NATS subject naming one subject:
// dot-separated non-empty tokens, no white space, no wildcard token (the
// in-process engine matches subjects literally, and so must this one).
func validSubject(s string) bool {
	if s == "" || strings.ContainsAny(s, " \t\r\n") {
		return false
	}
	for tok := range strings.SplitSeq(s, ".") {
		if tok == "" || tok == "*" || tok == ">" {
			return false
		}
	}
	return true
}
