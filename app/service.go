// Package app is the Go side of the Switchboard desktop app: what the UI binds
// to. It owns the connection to the server (package conn), the local
// transcript cache and outbox (package cache), the settings that prefill the
// sign-in screen, and the events that keep the UI current.
//
// Service owns the lifetime (Start/Stop, hooked to Wails OnStartup and
// OnShutdown); App is the bound facade whose methods the UI calls. They are
// separate types so that only the UI's methods are bound.
package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"runtime/debug"
	"sync"
	"time"

	"switchboard/app/conn"
	"switchboard/app/policy"
	"switchboard/app/secrets"
	"switchboard/protocol"
)

// startupSettle is how long after Start the memory start-up used is
// returned to the system. Start-up (the cache opened, the first lists read
// and drawn) is over within two seconds even on a busy machine; at 10 s an
// agent who opened a conversation and looked something up in the meantime
// still held the start's garbage (docs/benchmarks.md, "Desktop benchmark").
const startupSettle = 5 * time.Second

// DefaultServerURL is offered on the sign-in screen when nothing better is known.
const DefaultServerURL = "http://127.0.0.1:8080"

// Credentials sign in without the sign-in screen.
type Credentials struct {
	ServerURL string
	Username  string
	Password  string
}

// Config configures a Service. Zero values mean defaults.
type Config struct {
	// Dir holds the settings file and the caches. Default:
	// os.UserConfigDir()/Switchboard.
	Dir string
	// DefaultServerURL is offered on the sign-in screen before the last used
	// one; empty means the last used one, else DefaultServerURL.
	DefaultServerURL string
	// AutoSignIn, when complete, signs in at Start.
	AutoSignIn Credentials
	// Platform is the window system; nil means the Wails runtime of the
	// context given to Start.
	Platform Platform
	Logger   *slog.Logger
	// HTTPClient is used for login; nil means one with a 15 s timeout.
	HTTPClient *http.Client
	// RequestTimeout, ReconnectMin and ReconnectMax tune the connection (see
	// conn.Config); zero means its defaults.
	RequestTimeout time.Duration
	ReconnectMin   time.Duration
	ReconnectMax   time.Duration
	// Window is the main window's default and smallest size; zero means
	// 1280×800 and 960×600.
	Window WindowLimits
	// TransferClient carries uploads and downloads; nil means one without
	// an overall timeout (a large file takes long), only a header timeout.
	TransferClient *http.Client
	// UploadChunk is the bytes sent per tus PATCH (1 MiB); UploadRetry the
	// pause before resuming an interrupted upload (2 s).
	UploadChunk int64
	UploadRetry time.Duration
	// Secrets keeps the cache keys and the signed-in session; nil means
	// the store of SecretsMode (secrets.Open: "auto", "os" or "file"),
	// which defaults to $SWITCHBOARD_KEYRING, else "auto".
	Secrets     secrets.Store
	SecretsMode string
	// DownloadDir, when set, is where downloads are saved without the save
	// dialog (SWITCHBOARD_DOWNLOAD_DIR).
	DownloadDir string
	// PolicySources are where the managed policy is read from in New,
	// highest first; nil means policy.SystemSources().
	PolicySources []policy.Source
	// LogLevel, when set, is set to the policy's LogLevel in New.
	LogLevel *slog.LevelVar
	// CachePruneInterval is how often the cache is pruned while signed in
	// when the policy sets CacheRetentionDays; zero means daily.
	CachePruneInterval time.Duration
	// Version is the app's version for the About panel and the update
	// check; empty means buildinfo.Version.
	Version string
	// UpdateInterval is how often the approved release is asked for while
	// signed in; zero means 6 hours.
	UpdateInterval time.Duration
}

// Service owns the desktop app's state between Start and Stop.
type Service struct {
	cfg Config
	log *slog.Logger
	app *App
	// secrets is nil when the configured store could not be opened (an
	// OS keychain required by policy but missing); signing in then fails.
	secrets    secrets.Store
	secretsErr error
	// policy is the managed policy, read in New; it never changes.
	policy *policy.Policy

	// signInMu serializes SignIn, SignOut and Stop, so two sign-ins never
	// interleave their teardown and setup.
	signInMu sync.Mutex

	// connMu serializes working out and emitting conn:state, so the UI
	// always ends on the latest state and pending count. Taken before mu.
	connMu sync.Mutex

	// saveMu serializes writing the settings file, so the last write holds
	// the latest settings. Taken before mu.
	saveMu sync.Mutex

	// mu guards everything below.
	mu       sync.Mutex
	ctx      context.Context // from Start; cancelled by Stop
	cancel   context.CancelFunc
	em       *emitter // nil before Start and after Stop
	alerter  *alerter // nil before Start and after Stop
	desktop  Desktop  // nil before Start and after Stop
	dialogs  Dialogs  // nil without native dialogs
	sess     *session // nil when signed out
	conn     ConnState
	settings settings
	update   *UpdateNotice // the newer approved version; nil when none

	autoDone chan struct{} // closed when the startup sign-in has finished
	bg       sync.WaitGroup
}

// New returns a Service; nothing runs until Start.
func New(cfg Config) *Service {
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.HTTPClient == nil {
		cfg.HTTPClient = &http.Client{Timeout: 15 * time.Second}
	}
	if cfg.Dir == "" {
		dir, err := os.UserConfigDir()
		if err != nil {
			cfg.Logger.Error("no user config dir; using the working directory", "err", err)
			dir = "."
		}
		cfg.Dir = filepath.Join(dir, "Switchboard")
	}
	if cfg.Window.Default == (WindowSize{}) {
		cfg.Window.Default = WindowSize{Width: 1280, Height: 800}
	}
	if cfg.Window.Min == (WindowSize{}) {
		cfg.Window.Min = WindowSize{Width: 960, Height: 600}
	}
	s := &Service{
		cfg:      cfg,
		log:      cfg.Logger,
		ctx:      context.Background(),
		cancel:   func() {},
		conn:     ConnState{State: string(conn.StateOffline)},
		autoDone: make(chan struct{}),
	}
	s.app = &App{s: s}
	s.policy = s.loadPolicy()
	s.secrets = cfg.Secrets
	if s.secrets == nil {
		mode := cfg.SecretsMode
		if mode == "" {
			mode = os.Getenv("SWITCHBOARD_KEYRING")
		}
		s.secrets, s.secretsErr = secrets.Open(mode, cfg.Dir, cfg.Logger)
		if s.secretsErr != nil {
			cfg.Logger.Error("no place for the cache key and session; signing in will fail", "err", s.secretsErr)
		}
	}
	return s
}

// App returns the facade to bind in Wails.
func (s *Service) App() *App { return s.app }

// Start begins the service with the context Wails passed to OnStartup: it
// loads the settings and, when configured, signs in.
func (s *Service) Start(ctx context.Context) {
	p := s.cfg.Platform
	if p == nil {
		p = &wailsPlatform{ctx: ctx, log: s.log, onClick: s.notificationClicked}
	}
	d, ok := p.(Desktop)
	if !ok {
		d = noDesktop{}
	}
	st, err := loadSettings(s.cfg.Dir)
	if err != nil {
		s.log.Warn("settings unreadable; starting fresh", "err", err)
	}

	s.mu.Lock()
	s.ctx, s.cancel = context.WithCancel(ctx)
	s.em = newEmitter(p)
	al := newAlerts(d, s.log)
	al.emit = s.emit
	s.alerter = newAlerter(al)
	s.desktop = d
	s.settings = st
	dl, _ := p.(Dialogs)
	s.dialogs = dl
	s.mu.Unlock()
	if dl != nil {
		dl.OnFileDrop(func(paths []string) { s.emit(EventFilesDropped, FilesDropped{Paths: paths}) })
	}
	if ok {
		s.bg.Go(func() { s.restoreWindow(d) })
	}
	// Starting (opening the cache, the first lists and transcripts) leaves
	// garbage that the Go runtime hands back to the system only slowly; an
	// app that then sits open all day gives it back once start-up settles.
	sctx := s.ctx
	s.bg.Go(func() {
		select {
		case <-sctx.Done():
		case <-time.After(startupSettle):
			debug.FreeOSMemory()
		}
	})

	c := s.cfg.AutoSignIn
	if c.ServerURL == "" || c.Username == "" || c.Password == "" {
		st, ok := s.loadSession(time.Now())
		if !ok {
			close(s.autoDone)
			return
		}
		s.bg.Go(func() {
			defer close(s.autoDone)
			if err := s.resume(st); err != nil {
				s.log.Warn("the kept session could not be resumed", "server", st.ServerURL, "err", err)
				return
			}
			s.log.Info("resumed the kept session", "server", st.ServerURL, "user_id", st.User.ID)
		})
		return
	}
	s.bg.Go(func() {
		defer close(s.autoDone)
		s.autoSignIn(c)
	})
}

// autoSignIn signs in with the startup credentials, retrying for a while when
// the server is not up yet (it is often started at the same moment).
func (s *Service) autoSignIn(c Credentials) {
	ctx := s.context()
	deadline := time.Now().Add(20 * time.Second)
	for {
		_, err := s.signIn(ctx, c.ServerURL, c.Username, c.Password)
		if err == nil {
			s.log.Info("signed in at startup", "server", c.ServerURL, "username", c.Username)
			return
		}
		pe, _ := errors.AsType[*protocol.Error](err)
		if pe == nil || pe.Code != protocol.ErrUnavailable.Code || time.Now().After(deadline) {
			s.log.Warn("sign-in at startup failed", "server", c.ServerURL, "username", c.Username, "err", err)
			return
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(500 * time.Millisecond):
		}
	}
}

// Stop signs out of the server (the cache and outbox stay on disk) and stops
// emitting events.
func (s *Service) Stop() {
	s.mu.Lock()
	cancel := s.cancel
	s.mu.Unlock()
	cancel()
	// The session goes first: once its manager is closed nothing can start
	// another background goroutine, so waiting for them is safe.
	s.signInMu.Lock()
	s.endSession()
	s.signInMu.Unlock()
	s.bg.Wait()
	s.cfg.HTTPClient.CloseIdleConnections()

	s.mu.Lock()
	em, al := s.em, s.alerter
	s.em, s.alerter, s.desktop, s.dialogs = nil, nil, nil, nil
	s.mu.Unlock()
	if em != nil {
		em.close()
	}
	if al != nil {
		al.close()
	}
}

// ShowWindow brings the window to the front; used when a second instance is
// launched.
func (s *Service) ShowWindow() {
	if p := s.platform(); p != nil {
		p.ShowWindow()
	}
}

// notificationClicked opens the conversation of a notification the agent
// clicked.
func (s *Service) notificationClicked(conversationID string) {
	s.emit(EventNotificationOpen, NotificationOpen{ConversationID: conversationID})
}

// alertDo runs f on the alerter's goroutine, if the service is running.
func (s *Service) alertDo(f func(*alerts)) {
	s.mu.Lock()
	al := s.alerter
	s.mu.Unlock()
	if al != nil {
		al.do(f)
	}
}

func (s *Service) desktopOrNil() Desktop {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, none := s.desktop.(noDesktop); none {
		return nil
	}
	return s.desktop
}

// writeSettings saves the current settings.
func (s *Service) writeSettings() {
	s.saveMu.Lock()
	defer s.saveMu.Unlock()
	s.mu.Lock()
	st := s.settings
	s.mu.Unlock()
	if err := saveSettings(s.cfg.Dir, st); err != nil {
		s.log.Warn("cannot save settings", "err", err)
	}
}

func (s *Service) platform() Platform {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.em == nil {
		return nil
	}
	return s.em.p
}

func (s *Service) context() context.Context {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.ctx
}

// emit sends an event to the UI, and lets the alerter see it.
func (s *Service) emit(name string, data any) {
	s.mu.Lock()
	em, al := s.em, s.alerter
	s.mu.Unlock()
	if em != nil {
		em.emit(name, data)
	}
	if al != nil {
		al.event(name, data)
	}
}

// current returns the signed-in session, or an unauthenticated error.
func (s *Service) current() (*session, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.sess == nil {
		return nil, protocol.ErrUnauthorized.WithMessage("not signed in")
	}
	return s.sess, nil
}

func (s *Service) isCurrent(sess *session) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.sess == sess
}

// setConn records and emits a connection state. Only the current session's
// manager reports here; its calls come from one goroutine, so the UI sees
// the states in order.
func (s *Service) setConn(sess *session, st ConnState) {
	s.connMu.Lock()
	defer s.connMu.Unlock()
	s.mu.Lock()
	if sess != nil && s.sess != sess {
		s.mu.Unlock()
		return
	}
	if sess != nil && st.ClockOffsetMS == 0 {
		// A new link state keeps the offset measured at the last welcome.
		st.ClockOffsetMS = s.conn.ClockOffsetMS
	}
	s.conn = st
	s.mu.Unlock()
	s.emit(EventConnState, st)
}

// setPending records a new outbox size and emits the connection state with
// it when it changed.
func (s *Service) setPending(sess *session, n int) {
	s.updateConn(sess, func(cs *ConnState) { cs.Pending = n })
}

// updateConn changes the session's connection state with f and emits it
// when it changed.
func (s *Service) updateConn(sess *session, f func(*ConnState)) {
	s.connMu.Lock()
	defer s.connMu.Unlock()
	s.mu.Lock()
	if s.sess != sess {
		s.mu.Unlock()
		return
	}
	st := s.conn
	f(&st)
	if st == s.conn {
		s.mu.Unlock()
		return
	}
	s.conn = st
	s.mu.Unlock()
	s.emit(EventConnState, st)
}

// signIn logs in, opens the user's cache and connects. A previous session
// is ended only once the new login succeeded.
func (s *Service) signIn(ctx context.Context, serverURL, username, password string) (Session, error) {
	u, err := conn.NormalizeServerURL(s.policyServerURL(serverURL))
	if err != nil {
		return Session{}, err
	}
	if err := s.checkServer(u); err != nil {
		return Session{}, err
	}
	if username == "" {
		return Session{}, protocol.ErrInvalid.WithMessage("username is empty")
	}
	if password == "" {
		return Session{}, protocol.ErrInvalid.WithMessage("password is empty")
	}

	s.signInMu.Lock()
	defer s.signInMu.Unlock()
	if ctx.Err() != nil {
		return Session{}, protocol.ErrUnavailable.WithMessage("the app is shutting down")
	}
	res, err := conn.Login(ctx, s.cfg.HTTPClient, u, username, password)
	if err != nil {
		return Session{}, err
	}
	s.mu.Lock()
	if s.sess != nil {
		s.sess.forgotten.Store(true)
	}
	s.mu.Unlock()
	s.endSession()

	sess, err := openSession(ctx, s, u, res)
	if err != nil {
		return Session{}, err
	}
	s.mu.Lock()
	s.settings.ServerURL, s.settings.Username = u, username
	s.mu.Unlock()
	s.writeSettings()
	s.saveSession(storedSessionOf(u, res))
	s.startSession(sess)
	return Session{ServerURL: u, User: res.User}, nil
}

// startSession makes sess the current session and starts it: the alerts
// learn who is signed in, then the connection and workers start. The
// caller holds signInMu.
func (s *Service) startSession(sess *session) {
	s.mu.Lock()
	s.sess = sess
	s.mu.Unlock()
	me := sess.me().ID
	lookup := sess.cachedConversation
	s.alertDo(func(a *alerts) { a.signedIn(me, lookup, time.Now()) })
	sess.start(s.context())
	s.keepCacheRetention(sess)
}

// endSession closes the current session, if any. The caller holds signInMu.
func (s *Service) endSession() {
	s.mu.Lock()
	sess := s.sess
	s.sess = nil
	s.mu.Unlock()
	if sess == nil {
		return
	}
	sess.close()
	s.alertDo((*alerts).signedOut)
	s.setConn(nil, ConnState{State: string(conn.StateOffline)})
}

// sessionEnded is called when the server rejected the session's token.
func (s *Service) sessionEnded(sess *session, reason string) {
	if !s.isCurrent(sess) {
		return
	}
	s.emit(EventSessionEnded, SessionEnded{Reason: reason})
	s.alertDo((*alerts).signedOut)
	sess.forgotten.Store(true)
	s.forgetSession()
	// The manager calls this from its own goroutine, which close waits for.
	s.bg.Go(func() {
		s.signInMu.Lock()
		defer s.signInMu.Unlock()
		s.mu.Lock()
		if s.sess == sess {
			s.sess = nil
		}
		s.mu.Unlock()
		sess.close()
	})
}

// bootState reports the state the UI starts from, after the startup sign-in
// has had its chance.
func (s *Service) bootState() BootState {
	select {
	case <-s.autoDone:
	case <-time.After(30 * time.Second):
	}
	s.mu.Lock()
	b := BootState{
		DefaultUsername: s.settings.Username,
		Conn:            s.conn,
	}
	b.DefaultServerURL, b.ServerURLLocked = s.defaultServerURLLocked()
	sess, ctx := s.sess, s.ctx
	if sess != nil {
		b.SignedIn = true
		b.Session = &Session{ServerURL: sess.serverURL, User: sess.me()}
		b.DefaultServerURL = sess.serverURL
	}
	s.mu.Unlock()
	if sess != nil {
		b.Lists = sess.bootLists(ctx)
	}
	return b
}

// bootLists reads the conversation lists the UI starts with (BootState.Lists)
// from the cache, side by side. A list that cannot be read is left out and
// logged; the UI asks for it again.
func (s *session) bootLists(ctx context.Context) map[string][]protocol.Conversation {
	filters := []string{protocol.ListMine, protocol.ListQueue}
	if isSupervisor(s.me()) {
		filters = append(filters, protocol.ListTeams)
	}
	lists := make([][]protocol.Conversation, len(filters))
	var wg sync.WaitGroup
	for i, f := range filters {
		wg.Go(func() {
			list, err := s.listConversations(ctx, f)
			if err != nil {
				s.log.Warn("a list for the start could not be read; the UI asks again", "filter", f, "err", err)
				return
			}
			lists[i] = list
		})
	}
	wg.Wait()
	out := make(map[string][]protocol.Conversation, len(filters))
	for i, f := range filters {
		if lists[i] != nil {
			out[f] = lists[i]
		}
	}
	return out
}

// uiError turns an error into the "code: message" form the UI keys on.
// Internal detail is logged, not shown.
func (s *Service) uiError(op string, err error) error {
	if err == nil {
		return nil
	}
	if pe, ok := errors.AsType[*protocol.Error](err); ok {
		return fmt.Errorf("%s: %s", pe.Code, pe.Message)
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("%s: %s", protocol.ErrUnavailable.Code, "the request was cancelled")
	}
	s.log.Error("operation failed", "op", op, "err", err)
	return fmt.Errorf("%s: %s failed in the app; see the log", protocol.ErrInternal.Code, op)
}
