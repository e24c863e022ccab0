// Package conn keeps the desktop app's WebSocket connection to the server: it
// dials, authenticates with hello, matches replies to requests by frame id,
// hands pushes to a Handler in arrival order, and reconnects with capped
// exponential backoff and full jitter until it is closed or the server
// rejects the token.
//
// With a TokenSource the connection outlives its access token: before the
// token expires (or when the server pushes token_expiring) the manager gets
// a fresh one and sends it on the same connection (reauth); a hello refused
// with token_expired, or a connection the server closed because its token
// expired, is refreshed and reconnected. Only a refresh the server refuses
// ends the session.
//
// Each connection has one reader (the manager's run goroutine, which owns the
// connection's lifetime) and one writer goroutine; every Handler call comes
// from the run goroutine, so the handler sees state changes and pushes in the
// order they happened.
package conn

import (
	"context"
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

// State is the connection state shown to the agent.
type State string

// Connection states.
const (
	StateConnecting State = "connecting" // dialling or waiting for welcome
	StateOnline     State = "online"     // welcome received; requests flow
	StateOffline    State = "offline"    // not connected; a retry may be scheduled
)

// Handler receives what the connection learns. Every method is called from
// the manager's run goroutine, in order, and must not block on a Request of
// the same manager: replies are read by that goroutine.
type Handler interface {
	// Resume returns the last seq held per conversation, sent in each hello.
	Resume() map[string]int64
	// StateChanged reports a new state; err says why the link went offline.
	StateChanged(s State, err error)
	// Welcome is called once per successful hello, after StateChanged(online)
	// and before any push of that connection.
	Welcome(w protocol.WelcomeData)
	// Push is called for every frame that is not a reply to a request.
	Push(f protocol.Frame)
	// Ended is called when the server rejects the token (unauthenticated,
	// token_expired, refresh_reused, account_disabled). The manager has
	// stopped and will not reconnect.
	Ended(err *protocol.Error)
}

// Config configures a Manager. Zero durations mean the defaults.
type Config struct {
	ServerURL string // http(s)://host[:port], as accepted by NormalizeServerURL
	Token     string // access token from Login; ignored when Tokens is set
	// Tokens, if set, gives the access tokens and renews them; without it
	// the connection lives as long as Token does.
	Tokens  TokenSource
	Locale  string // sent in hello
	Handler Handler
	Logger  *slog.Logger

	RequestTimeout   time.Duration // reply wait per request; default 10s
	HandshakeTimeout time.Duration // dial + hello/welcome; default 10s
	PingInterval     time.Duration // client pings; default 10s
	MinBackoff       time.Duration // first reconnect delay ceiling; default 300ms
	MaxBackoff       time.Duration // reconnect delay cap; default 30s
	Dialer           *websocket.Dialer
}

const writeWait = 10 * time.Second

// Manager owns the connection to one server for one signed-in user.
type Manager struct {
	cfg   Config
	wsURL string
	log   *slog.Logger
	ids   atomic.Uint64

	// mu guards cur, state and stateErr.
	mu       sync.Mutex
	cur      *link // nil unless online
	state    State
	stateErr error

	startOnce sync.Once
	closeOnce sync.Once
	cancel    context.CancelFunc
	done      chan struct{} // closed when run has returned
}

// link is one established connection.
type link struct {
	ws   *websocket.Conn
	out  chan []byte   // frames for the writer
	stop chan struct{} // closed by the reader when the link is finished
	// expiring is signalled by the reader when the server pushes
	// token_expiring; the renewer takes it.
	expiring chan struct{}
	// ended is set by the renewer, before it closes ws, when a refresh was
	// refused: the reason the session ends.
	ended atomic.Pointer[protocol.Error]

	// mu guards pending.
	mu      sync.Mutex
	pending map[string]chan protocol.Frame
}

// New validates cfg and returns a manager that is not yet running.
func New(cfg Config) (*Manager, error) {
	if cfg.Handler == nil {
		return nil, errors.New("conn: config needs a handler")
	}
	if cfg.Token == "" && cfg.Tokens == nil {
		return nil, errors.New("conn: config needs a token")
	}
	if cfg.Tokens == nil {
		cfg.Tokens = staticToken(cfg.Token)
	}
	wsURL, err := websocketURL(cfg.ServerURL)
	if err != nil {
		return nil, err
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.RequestTimeout <= 0 {
		cfg.RequestTimeout = 10 * time.Second
	}
	if cfg.HandshakeTimeout <= 0 {
		cfg.HandshakeTimeout = 10 * time.Second
	}
	if cfg.PingInterval <= 0 {
		cfg.PingInterval = 10 * time.Second
	}
	if cfg.MinBackoff <= 0 {
		cfg.MinBackoff = protocol.ReconnectBase
	}
	if cfg.MaxBackoff <= 0 {
		cfg.MaxBackoff = protocol.ReconnectMax
	}
	if cfg.MaxBackoff < cfg.MinBackoff {
		cfg.MaxBackoff = cfg.MinBackoff
	}
	if cfg.Dialer == nil {
		d := *websocket.DefaultDialer
		d.HandshakeTimeout = cfg.HandshakeTimeout
		cfg.Dialer = &d
	}
	return &Manager{
		cfg:   cfg,
		wsURL: wsURL,
		log:   cfg.Logger.With("server", cfg.ServerURL),
		state: StateOffline,
		done:  make(chan struct{}),
	}, nil
}

// Start connects in the background. The manager runs until ctx is done,
// Close is called, or the server rejects the token.
func (m *Manager) Start(ctx context.Context) {
	m.startOnce.Do(func() {
		ctx, cancel := context.WithCancel(ctx)
		m.mu.Lock()
		m.cancel = cancel
		m.mu.Unlock()
		go m.run(ctx)
	})
}

// Close disconnects and waits for the manager's goroutines to finish. It is
// idempotent, and must not be called from a Handler method.
func (m *Manager) Close() {
	m.closeOnce.Do(func() {
		m.mu.Lock()
		cancel := m.cancel
		m.mu.Unlock()
		if cancel == nil { // never started
			close(m.done)
			return
		}
		cancel()
		<-m.done
	})
}

// State returns the current state and, when offline, why.
func (m *Manager) State() (State, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.state, m.stateErr
}

// Request sends a frame of type typ carrying data and waits for its reply,
// which is decoded into out (unless out is nil). A refusal by the server is
// returned as its *protocol.Error; no connection, a lost connection or no
// answer in time as protocol.ErrUnavailable with a specific message.
func (m *Manager) Request(ctx context.Context, typ string, data, out any) error {
	m.mu.Lock()
	l := m.cur
	m.mu.Unlock()
	if l == nil {
		return protocol.ErrUnavailable.WithMessage("not connected to the server")
	}
	id := m.newID()
	b, err := protocol.Encode(typ, id, data)
	if err != nil {
		return fmt.Errorf("request %s: %w", typ, err)
	}
	reply := make(chan protocol.Frame, 1)
	l.mu.Lock()
	l.pending[id] = reply
	l.mu.Unlock()
	defer func() {
		l.mu.Lock()
		delete(l.pending, id)
		l.mu.Unlock()
	}()

	timer := time.NewTimer(m.cfg.RequestTimeout)
	defer timer.Stop()
	select {
	case l.out <- b:
	case <-l.stop:
		return protocol.ErrUnavailable.WithMessage("connection lost before the request was sent")
	case <-timer.C:
		return protocol.ErrUnavailable.WithMessage("the connection is congested; try again")
	case <-ctx.Done():
		return ctx.Err()
	}
	select {
	case f := <-reply:
		if f.Type == protocol.TypeError {
			if f.Error == nil {
				return protocol.ErrInternal.WithMessage("server sent an error without a code")
			}
			return f.Error
		}
		if out == nil {
			return nil
		}
		if perr := protocol.DecodeData(f, out); perr != nil {
			m.log.Warn("unreadable reply", "type", typ, "reply_type", f.Type, "err", perr)
			return protocol.ErrInternal.WithMessage("the server's answer to %s was unreadable", typ)
		}
		return nil
	case <-l.stop:
		return protocol.ErrUnavailable.WithMessage("connection lost before the server answered")
	case <-timer.C:
		return protocol.ErrUnavailable.WithMessage("the server did not answer in time")
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Notify sends a frame of type typ carrying data that the server answers
// only when it refuses it (a draft): it returns once the frame is queued on
// the connection, and a refusal is logged by the reader.
func (m *Manager) Notify(ctx context.Context, typ string, data any) error {
	m.mu.Lock()
	l := m.cur
	m.mu.Unlock()
	if l == nil {
		return protocol.ErrUnavailable.WithMessage("not connected to the server")
	}
	b, err := protocol.Encode(typ, m.newID(), data)
	if err != nil {
		return fmt.Errorf("notify %s: %w", typ, err)
	}
	timer := time.NewTimer(m.cfg.RequestTimeout)
	defer timer.Stop()
	select {
	case l.out <- b:
		return nil
	case <-l.stop:
		return protocol.ErrUnavailable.WithMessage("connection lost before the frame was sent")
	case <-timer.C:
		return protocol.ErrUnavailable.WithMessage("the connection is congested; try again")
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (m *Manager) newID() string {
	return strconv.FormatUint(m.ids.Add(1), 10)
}

func (m *Manager) setState(s State, err error) {
	m.mu.Lock()
	same := m.state == s && err == nil && m.stateErr == nil
	m.state, m.stateErr = s, err
	m.mu.Unlock()
	if !same {
		m.cfg.Handler.StateChanged(s, err)
	}
}

func (m *Manager) run(ctx context.Context) {
	defer close(m.done)
	attempt := 0
	for {
		m.setState(StateConnecting, nil)
		wasOnline, err := m.connect(ctx)
		if ctx.Err() != nil {
			m.setState(StateOffline, nil)
			return
		}
		if errors.Is(err, protocol.ErrTokenExpired) && m.renews() {
			// The server refused the access token as expired (at hello,
			// or by closing the connection): refresh it and reconnect.
			err = m.refreshFailed(ctx, err)
		}
		if perr := terminal(err); perr != nil {
			m.log.Info("token rejected", "code", perr.Code)
			m.setState(StateOffline, perr)
			m.cfg.Handler.Ended(perr)
			return
		}
		if wasOnline {
			attempt = 0
		}
		delay := Backoff(attempt, m.cfg.MinBackoff, m.cfg.MaxBackoff)
		attempt++
		m.log.Info("disconnected", "err", err, "retry_in", delay)
		m.setState(StateOffline, err)
		t := time.NewTimer(delay)
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-t.C:
		}
	}
}

// connect runs one connection from dial to disconnect and reports whether it
// got as far as welcome.
func (m *Manager) connect(ctx context.Context) (bool, error) {
	if _, exp := m.cfg.Tokens.Token(); m.renews() && time.Until(time.UnixMilli(exp)) < time.Minute/4 {
		// Kept over a restart or a long disconnect: renew it first.
		if err := m.refreshFailed(ctx, protocol.ErrTokenExpired); terminal(err) != nil {
			return false, err
		}
	}
	dctx, cancel := context.WithTimeout(ctx, m.cfg.HandshakeTimeout)
	ws, _, err := m.cfg.Dialer.DialContext(dctx, m.wsURL, nil)
	cancel()
	if err != nil {
		return false, fmt.Errorf("dial %s: %w", m.wsURL, err)
	}
	ws.SetReadLimit(protocol.HardFrameBytes)

	welcome, err := m.hello(ws)
	if err != nil {
		ws.Close()
		return false, err
	}
	// offset turns the local clock into the server's, whose clock says
	// when tokens expire.
	var offset int64
	if welcome.ServerTime > 0 {
		offset = welcome.ServerTime - time.Now().UnixMilli()
	}

	ping := m.cfg.PingInterval
	if hb := time.Duration(welcome.HeartbeatMS) * time.Millisecond; hb > 0 && hb < ping {
		ping = hb
	}
	l := &link{
		ws:       ws,
		out:      make(chan []byte, 64),
		stop:     make(chan struct{}),
		expiring: make(chan struct{}, 1),
		pending:  map[string]chan protocol.Frame{},
	}
	var wg sync.WaitGroup
	wg.Go(func() { m.write(ctx, l, ping) })
	if m.renews() && welcome.ExpiresAt > 0 {
		token, _ := m.cfg.Tokens.Token()
		wg.Go(func() { m.renew(ctx, l, token, welcome.ExpiresAt, offset) })
	}

	m.mu.Lock()
	m.cur = l
	m.mu.Unlock()
	m.setState(StateOnline, nil)
	m.cfg.Handler.Welcome(welcome)

	err = m.read(l, ping*5/2)

	m.mu.Lock()
	m.cur = nil
	m.mu.Unlock()
	close(l.stop)
	ws.Close()
	wg.Wait()
	if pe := l.ended.Load(); pe != nil {
		return true, pe
	}
	return true, err
}

// hello authenticates a fresh connection and waits for welcome.
func (m *Manager) hello(ws *websocket.Conn) (protocol.WelcomeData, error) {
	var w protocol.WelcomeData
	token, _ := m.cfg.Tokens.Token()
	hello := protocol.HelloData{
		Protocol: protocol.Version,
		Token:    token,
		Client:   protocol.ClientDesktop,
		Locale:   m.cfg.Locale,
		Resume:   m.cfg.Handler.Resume(),
	}
	b, err := protocol.Encode(protocol.TypeHello, m.newID(), hello)
	if err != nil {
		return w, err
	}
	deadline := time.Now().Add(m.cfg.HandshakeTimeout)
	ws.SetWriteDeadline(deadline)
	if err := ws.WriteMessage(websocket.TextMessage, b); err != nil {
		return w, fmt.Errorf("send hello: %w", err)
	}
	ws.SetReadDeadline(deadline)
	_, data, err := ws.ReadMessage()
	if err != nil {
		if ce, ok := errors.AsType[*websocket.CloseError](err); ok && ce.Code == protocol.CloseUnauthorized {
			return w, protocol.ErrUnauthorized
		}
		return w, fmt.Errorf("read welcome: %w", err)
	}
	f, perr := protocol.DecodeServerFrame(data)
	if perr != nil {
		return w, fmt.Errorf("read welcome: %w", perr)
	}
	switch f.Type {
	case protocol.TypeWelcome:
	case protocol.TypeError:
		if f.Error == nil {
			return w, protocol.ErrInternal.WithMessage("hello was refused without a code")
		}
		return w, f.Error
	default:
		return w, fmt.Errorf("read welcome: got a %q frame", f.Type)
	}
	if perr := protocol.DecodeData(f, &w); perr != nil {
		return w, fmt.Errorf("read welcome: %w", perr)
	}
	return w, nil
}

// read is the connection's only reader. It returns when the connection fails
// or is closed.
func (m *Manager) read(l *link, timeout time.Duration) error {
	extend := func() { l.ws.SetReadDeadline(time.Now().Add(timeout)) }
	extend()
	l.ws.SetPongHandler(func(string) error { extend(); return nil })
	l.ws.SetPingHandler(func(data string) error {
		extend()
		err := l.ws.WriteControl(websocket.PongMessage, []byte(data), time.Now().Add(writeWait))
		if errors.Is(err, websocket.ErrCloseSent) {
			return nil
		}
		return err
	})
	// ended is the terminal error the server said before closing the
	// connection with CloseUnauthorized (account_disabled, a revoked
	// token), so the session ends with its reason.
	var ended *protocol.Error
	for {
		_, data, err := l.ws.ReadMessage()
		if err != nil {
			if ce, ok := errors.AsType[*websocket.CloseError](err); ok && ce.Code == protocol.CloseUnauthorized {
				if ended != nil {
					return ended
				}
				return protocol.ErrUnauthorized.WithMessage("the server ended the session")
			}
			if ce, ok := errors.AsType[*websocket.CloseError](err); ok && ce.Code == protocol.CloseTokenExpired {
				return protocol.ErrTokenExpired.WithMessage("the connection's access token expired")
			}
			return fmt.Errorf("read: %w", err)
		}
		extend()
		f, perr := protocol.DecodeServerFrame(data)
		if perr != nil {
			m.log.Warn("unreadable frame from server", "err", perr)
			continue
		}
		if f.ID != "" && l.deliver(f) {
			continue
		}
		if f.Type == protocol.TypeError {
			m.log.Warn("server reported an error", "id", f.ID, "err", f.Error)
			if pe := terminal(f.Error); pe != nil {
				ended = pe
			}
			continue
		}
		if f.Type == protocol.TypeTokenExpiring {
			select {
			case l.expiring <- struct{}{}:
			default:
			}
			continue
		}
		m.cfg.Handler.Push(f)
	}
}

// deliver hands a reply to the request waiting for it.
func (l *link) deliver(f protocol.Frame) bool {
	l.mu.Lock()
	ch, ok := l.pending[f.ID]
	delete(l.pending, f.ID)
	l.mu.Unlock()
	if ok {
		ch <- f // buffered; each id is delivered at most once
	}
	return ok
}

// write is the connection's only writer. On its way out it closes the
// socket, which makes the reader return.
func (m *Manager) write(ctx context.Context, l *link, ping time.Duration) {
	t := time.NewTicker(ping)
	defer t.Stop()
	for {
		select {
		case b := <-l.out:
			l.ws.SetWriteDeadline(time.Now().Add(writeWait))
			if err := l.ws.WriteMessage(websocket.TextMessage, b); err != nil {
				m.log.Debug("write failed", "err", err)
				l.ws.Close()
				return
			}
		case <-t.C:
			if err := l.ws.WriteControl(websocket.PingMessage, nil, time.Now().Add(writeWait)); err != nil {
				l.ws.Close()
				return
			}
		case <-ctx.Done():
			msg := websocket.FormatCloseMessage(websocket.CloseNormalClosure, "")
			l.ws.WriteControl(websocket.CloseMessage, msg, time.Now().Add(time.Second))
			l.ws.Close()
			return
		case <-l.stop:
			return
		}
	}
}

// terminal returns the error if it means the token is no good (refused,
// expired or revoked, or the account disabled), so reconnecting is
// pointless.
func terminal(err error) *protocol.Error {
	pe, ok := errors.AsType[*protocol.Error](err)
	if !ok || pe == nil {
		return nil
	}
	switch pe.Code {
	case protocol.ErrUnauthorized.Code, protocol.ErrTokenExpired.Code, protocol.ErrAccountDisabled.Code,
		protocol.ErrRefreshReused.Code:
		return pe
	}
	return nil
}

// staticToken is the TokenSource of a Config with a Token only: it never
// renews.
type staticToken string

func (t staticToken) Token() (string, int64) { return string(t), 0 }

func (t staticToken) Refresh(context.Context, string) (string, int64, error) {
	return "", 0, protocol.ErrTokenExpired
}

// renews reports whether the manager can renew its access token.
func (m *Manager) renews() bool {
	_, static := m.cfg.Tokens.(staticToken)
	return !static
}

// refreshFailed renews the access token after the server refused it as
// expired (why) and returns why the connection is down now: the refusal of
// the refresh (terminal: the session ends), the failure to reach the server
// (retryable), or, when the token was renewed, a plain error saying so, on
// which the caller reconnects.
func (m *Manager) refreshFailed(ctx context.Context, why error) error {
	stale, _ := m.cfg.Tokens.Token()
	if _, _, err := m.cfg.Tokens.Refresh(ctx, stale); err != nil {
		if pe := terminal(err); pe != nil {
			m.log.Info("refresh refused", "code", pe.Code)
			return pe
		}
		return fmt.Errorf("refresh the access token: %w", err)
	}
	return fmt.Errorf("access token renewed after %v", why)
}

// renew keeps the link's access token fresh: before it expires, or when
// the server pushes token_expiring, it gets a new one from the token source
// and sends it on the link (reauth). token is the link's token and exp its
// expiry on the server's clock, which is the local clock plus offset. A
// refusal of the refresh ends the session; a failure that may pass is tried
// again until the token runs out, when the server closes the link and the
// manager reconnects.
func (m *Manager) renew(ctx context.Context, l *link, token string, exp, offset int64) {
	left := func() time.Duration {
		return time.Duration(exp-time.Now().UnixMilli()-offset) * time.Millisecond
	}
	lead := renewLead(left())
	wait := left() - lead
	for {
		t := time.NewTimer(max(wait, 0))
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-l.stop:
			t.Stop()
			return
		case <-l.expiring:
			t.Stop()
		case <-t.C:
		}
		retry := min(max(left()/4, time.Second), 30*time.Second)
		next, _ := m.cfg.Tokens.Token()
		if next == token {
			// The source holds no newer token than the link's: renew it.
			var err error
			next, _, err = m.cfg.Tokens.Refresh(ctx, token)
			if pe := terminal(err); pe != nil {
				m.log.Info("refresh refused; ending the session", "code", pe.Code)
				l.ended.Store(pe)
				l.ws.Close()
				return
			}
			if err != nil {
				m.log.Info("refresh failed; trying again", "err", err)
				wait = retry
				continue
			}
		}
		var got protocol.AuthExpiry
		if err := m.Request(ctx, protocol.TypeReauth, protocol.ReauthData{Token: next}, &got); err != nil {
			if ctx.Err() != nil {
				return
			}
			if pe := terminal(err); pe != nil && !errors.Is(pe, protocol.ErrTokenExpired) {
				m.log.Info("reauth refused; ending the session", "code", pe.Code)
				l.ended.Store(pe)
				l.ws.Close()
				return
			}
			m.log.Info("reauth failed; trying again", "err", err)
			wait = retry
			continue
		}
		token, exp = next, got.ExpiresAt
		lead = renewLead(left())
		// At least a second between renewals, whatever the clocks say.
		wait = max(left()-lead, time.Second)
	}
}

// Backoff returns the delay before reconnect attempt n (0-based): the
// protocol's full-jitter backoff (protocol.Backoff).
func Backoff(n int, base, max time.Duration) time.Duration {
	return protocol.Backoff(n, base, max, rand.Int64N)
}
