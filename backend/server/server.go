// Package server wires the messaging server together: the HTTP routes (login,
// visitor tokens, health, widget assets), the WebSocket endpoint and its frame
// handling, authorization, fan-out and the bot hook.
//
// The order of work on every message is fixed: store (durably, seq allocated
// in the same transaction), then acknowledge the sender, then fan out to the
// other readers. A per-conversation lock covers the three steps, so every
// reader receives a conversation's pushes in seq order.
package server

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"hash/fnv"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"switchboard/backend/apikeys"
	"switchboard/backend/auth"
	"switchboard/backend/botlearn"
	"switchboard/backend/bus"
	"switchboard/backend/canned"
	"switchboard/backend/conversations"
	"switchboard/backend/files"
	"switchboard/backend/floor"
	"switchboard/backend/hours"
	"switchboard/backend/hub"
	"switchboard/backend/identity"
	"switchboard/backend/kb"
	"switchboard/backend/kbedit"
	"switchboard/backend/notice"
	"switchboard/backend/presence"
	"switchboard/backend/quota"
	"switchboard/backend/relay"
	"switchboard/backend/seal"
	"switchboard/backend/store"
	"switchboard/backend/supervise"
	"switchboard/backend/transcript"
	"switchboard/backend/webhooks"
	"switchboard/protocol"

	tus "github.com/tus/tusd/v2/pkg/handler"
	"github.com/tus/tusd/v2/pkg/memorylocker"
)

// Config configures a Server. Zero values mean the defaults in the field
// comments; New fills and checks them.
type Config struct {
	// Addr is the listen address of ListenAndServe ("127.0.0.1:8080").
	Addr string
	// DataDir holds the uploaded files ("switchboard-data") and the
	// unfinished uploads.
	DataDir string
	// Files is the URL of the store of the uploaded files' content
	// (files.Open): "" or "file:" for DataDir/files, "file:PATH", or
	// "s3://bucket/prefix?endpoint=host:port" for S3-compatible object
	// storage, which several nodes share (with package files/s3blobs
	// imported). Unfinished uploads stay in DataDir either way.
	Files string
	// Logger receives the server's logs; nil discards them.
	Logger *slog.Logger
	// Store is the store (required), opened by the caller (store.Open),
	// which closes it after Shutdown. It holds the token secret. A store
	// that is Locked (encrypted, opened without its key-encryption key)
	// is refused.
	Store store.Store
	// Bot answers customers while a conversation is in state bot. Nil hands
	// every conversation over to people on the customer's first message.
	Bot Bot
	// BotTimeout is the bot's time budget per message (3s). A bot that fails
	// or runs out of time hands the conversation over at once.
	BotTimeout time.Duration
	// DefaultTeam receives handoffs when no knowledge base entry named a
	// team ("presales").
	DefaultTeam string
	// Demo seeds the demo teams and agents (see SeedDemo) at start.
	Demo bool
	// DemoCapacity, when positive, is the capacity of every demo account
	// instead of its own (for load tests).
	DemoCapacity int
	// Widget serves the customer widget's assets under /widget/ (the prefix
	// is stripped); nil answers 404.
	Widget http.Handler
	// DemoPage serves the demo shop page at /demo; nil answers 404.
	DemoPage http.Handler
	// Hub tunes the WebSocket connections.
	Hub hub.Config
	// StaffSendQueue is how many frames an agent's or supervisor's
	// connection may hold unwritten before it is closed as a slow consumer
	// (4096); customers keep Hub.SendQueue. Staff receive the pushes of
	// every conversation they serve or watch, a supervisor those of the
	// whole floor, so a burst that a customer never sees must not cost
	// them their connection.
	StaffSendQueue int
	// AgentTokenTTL is the lifetime of agent access tokens
	// (auth.AgentTokenTTL, 15m).
	AgentTokenTTL time.Duration
	// RefreshTokenTTL is how long an agent's refresh token lasts unused
	// (auth.RefreshTokenTTL, 7 days); RefreshFamilyTTL how long any refresh
	// token of one sign-in lasts after the password was typed
	// (auth.RefreshFamilyTTL, 30 days).
	RefreshTokenTTL  time.Duration
	RefreshFamilyTTL time.Duration
	// ReauthNotice is how long before a staff connection's access token
	// expires the server pushes token_expiring (1m, at most half of
	// AgentTokenTTL). A connection not reauthenticated by then is closed
	// with protocol.CloseTokenExpired.
	ReauthNotice time.Duration
	// VisitorTokenTTL is the lifetime of visitor tokens
	// (auth.VisitorTokenTTL).
	VisitorTokenTTL time.Duration
	// HelloTimeout is how long a new connection has to send hello (10s).
	HelloTimeout time.Duration
	// SendRate is how many messages per second one connection may send
	// (20); beyond it send is answered rate_limited and nothing is stored.
	SendRate float64
	// SendBurst is how many messages a connection may send at once (40).
	SendBurst int
	// TypingRate and TypingBurst limit typing frames per connection (2 per
	// second, 5 at once); the excess is dropped silently.
	TypingRate  float64
	TypingBurst int
	// IdleTimeout is how long an active conversation waits for the
	// customer's next message before it moves to waiting_customer (5m).
	// Every customer message starts it again.
	IdleTimeout time.Duration
	// WaitingTimeout is how long a waiting_customer conversation waits for
	// the customer before it is resolved on its own (10m).
	WaitingTimeout time.Duration
	// CloseAfter is how long a resolved conversation stays resolved before
	// it is closed (24h): the rating window, and the window in which a
	// customer message reopens it.
	CloseAfter time.Duration
	// TimerPoll is how often due timers are looked for (1s); a timer fires
	// at most this late.
	TimerPoll time.Duration
	// OfferTimeout is how long an agent has to accept an offer (30s)
	// before it goes to the next agent (or, for a transfer, stays with its
	// sender).
	OfferTimeout time.Duration
	// MissedOffersAway is how many offers in a row an agent may let
	// expire before the server sets them away (2), so that conversations
	// go to someone who is there. Negative: never.
	MissedOffersAway int
	// OfflineGrace is how long an agent's offers outlive their last
	// connection (10s): an app that reconnects within it keeps them.
	OfflineGrace time.Duration
	// RoutePoll is how often the router looks at the queues without being
	// woken (5s): a safety net, since every change that matters wakes it.
	RoutePoll time.Duration
	// Routing is RoutingOffer (the default: the router offers queued
	// conversations to agents) or RoutingPick (no offers: agents pick from
	// their teams' queues; queue positions are still published).
	Routing string
	// BusinessHours are when customers are told agents are around while
	// no global hours are stored (package hours; the stored ones win, a
	// team's own over the global ones); nil means always. Outside them a
	// queued customer is invited to leave a message (agents who are online
	// still get offers).
	BusinessHours *hours.Schedule
	// MaxUploadBytes is the largest file an upload may be
	// (protocol.DefaultMaxUploadBytes, 100 MB).
	MaxUploadBytes int64
	// UploadTypes is the allow-list of uploaded files' media types, exact
	// ("image/png") or prefixes ending in "*" ("audio/*")
	// (files.DefaultTypes: images, audio, PDF, office documents, text, zip).
	UploadTypes []string
	// PasswordMemory is how much memory the password checks of logins may
	// take together, in bytes (auth.DefaultPasswordMemory, 96 MiB: five
	// checks of 19 MiB at once). Further logins wait in line.
	PasswordMemory int64
	// PasswordWait is how long a login waits in line for its password
	// check (5s) before it is answered rate_limited.
	PasswordWait time.Duration
	// LoginRate is how many logins per second the server checks from all
	// addresses together (20, twice that at once); beyond it, rate_limited.
	LoginRate float64
	// LoginAddressFailures and LoginUserFailures are how many failed logins
	// an address (20: offices share one) and a username (5) may have before
	// each further one makes it wait twice as long as the one before, from
	// a second up to LoginBackoffMax (5m). A success clears both.
	LoginAddressFailures int
	LoginUserFailures    int
	LoginBackoffMax      time.Duration
	// ImageMemory is how much memory decoding images for thumbnails may
	// take together, in bytes (files.DefaultDecodeMemory, 160 MiB). An
	// image whose decoded size (width × height × bytes per pixel, read from
	// its header) is larger is stored without a thumbnail, undecoded.
	ImageMemory int64
	// VisitorQuota, AgentQuota and AddressQuota bound the uploads of one
	// visitor, one staff member and all visitors from one address:
	// unfinished uploads, their declared bytes, and the bytes started per
	// day (zero fields take the defaults of quota.DefaultVisitor,
	// quota.DefaultAgent and quota.DefaultAddress). Beyond them a new
	// upload is refused quota_exceeded.
	VisitorQuota quota.Limits
	AgentQuota   quota.Limits
	AddressQuota quota.Limits
	// UploadExpiry is how long an unfinished upload is kept after its last
	// write (24h); the sweep deletes older ones and frees their quota.
	UploadExpiry time.Duration
	// TrustedProxies are the reverse proxies in front of the server (none):
	// a request from one of them counts as from the address the proxy
	// appended to X-Forwarded-For, for every limit per client address and
	// in the logs. Without them, behind a proxy, every client has the
	// proxy's address.
	TrustedProxies []netip.Prefix
	// MaxConnsPerAddress is how many WebSocket connections one client
	// address may hold at once (256); beyond it the upgrade is refused
	// quota_exceeded. Negative means no limit.
	MaxConnsPerAddress int
	// AccessPoll is how often the access sweep looks for live connections
	// of staff whose account was disabled or whose tokens were revoked
	// (30s): a safety net, since the admin commands' change notices apply
	// such changes at once (see NoticeSocket).
	AccessPoll time.Duration
	// NoticeSocket is the Unix socket the admin commands send their change
	// notices to (package notice), notice.Path(DataDir) for a server of
	// its own data directory; "" means none.
	NoticeSocket string
	// KnowledgeBaseChanged is called when an admin command says a new
	// knowledge base was imported (a change notice, from this node's socket
	// or the bus); nil ignores it.
	KnowledgeBaseChanged func()
	// KnowledgeBase is the knowledge base the bot answers from (a
	// kbedit.Live): what the kb and kb_edit frames start from while the
	// store has no version, the index the report's suggestions come from,
	// and what an edit on this node reloads before it answers. Nil: edits
	// are published and KnowledgeBaseChanged is called; the report
	// suggests nothing.
	KnowledgeBase KnowledgeBase
	// IntentLabel names a knowledge base entry for the handoff packet, by
	// language (the entry's first sample question in "zh" and "en"); nil
	// leaves packets with the entry id alone.
	IntentLabel func(entryID string) map[string]string
	// Identity verifies customers' signed identity tokens and lists the
	// sites allowed to embed the widget (their origins are the only ones
	// allowed to ask for visitor tokens and to open WebSocket connections
	// from a browser, and to frame the server's pages). Nil: anonymous
	// visitors only, from any origin.
	Identity *identity.Verifier
	// DesktopRelease is the desktop app version published at
	// /api/desktop/release; nil (or an empty Version) publishes none.
	DesktopRelease *DesktopRelease
	// Now is the clock for tokens and timers; nil means time.Now.
	Now func() time.Time
	// Bus carries the server's change notices between its parts (the
	// floor's); nil means an in-process bus of its own. A bus given here
	// is taken to be shared with the other nodes of a cluster on the same
	// store (NATS, package natsbus): the pushes to clients and the admin
	// commands' change notices travel on it to every node (package relay).
	Bus bus.Bus
	// Node names this server among the nodes of a cluster, in its logs
	// ("node" when empty); the name on the bus, by which a node ignores its
	// own messages, adds a random part at each start, so two nodes given
	// one name still hear each other.
	Node string
	// WebhookPoll is how often the webhooks' dispatcher looks for work
	// (1s; package webhooks).
	WebhookPoll time.Duration
	// WebhookRetry is the webhooks' retry schedule and WebhookTimeout the
	// time limit of one attempt; zero values mean package webhooks'
	// defaults (5s doubling to 1h, for a day; 10s).
	WebhookRetry   webhooks.Schedule
	WebhookTimeout time.Duration
	// APIKeyRate and APIKeyBurst are each HTTP API key's rate limit:
	// requests a second and the burst (0: package apikeys' defaults, 20
	// and 40).
	APIKeyRate  float64
	APIKeyBurst int
	// PresenceHeartbeat is how often a node of a cluster publishes its
	// agents' status though nothing changed (2s); the other nodes take a
	// node silent for three of them and a half for gone, and its agents
	// for offline.
	PresenceHeartbeat time.Duration
	// FloorRefresh is how often the floor is recomputed for its watchers
	// without a change (5s), as waits grow; changes are pushed at once.
	FloorRefresh time.Duration
	// ResealPoll is how often the reseal job looks for new data keys and
	// for data sealed with an older one or not at all (1m).
	ResealPoll time.Duration
	// Mailer emails transcripts to customers who ask; nil: the server
	// sends no email (email_unavailable, and welcome says so).
	Mailer *transcript.Mailer
	// TranscriptEmails is how many times a conversation's transcript may
	// be emailed in an hour (3); beyond it, rate_limited.
	TranscriptEmails int
	// TranscriptZone is the time zone of transcripts' times, named in
	// them; nil means UTC.
	TranscriptZone *time.Location
}

// Routing modes of Config.Routing.
const (
	RoutingOffer = "offer"
	RoutingPick  = "pick"
)

func (c *Config) fill() {
	if c.Addr == "" {
		c.Addr = "127.0.0.1:8080"
	}
	if c.DataDir == "" {
		c.DataDir = "switchboard-data"
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	if c.BotTimeout <= 0 {
		c.BotTimeout = 3 * time.Second
	}
	if c.TranscriptEmails <= 0 {
		c.TranscriptEmails = 3
	}
	if c.DefaultTeam == "" {
		c.DefaultTeam = "presales"
	}
	if c.StaffSendQueue <= 0 {
		c.StaffSendQueue = 4096
	}
	if c.AgentTokenTTL <= 0 {
		c.AgentTokenTTL = auth.AgentTokenTTL
	}
	if c.RefreshTokenTTL <= 0 {
		c.RefreshTokenTTL = auth.RefreshTokenTTL
	}
	if c.RefreshFamilyTTL <= 0 {
		c.RefreshFamilyTTL = auth.RefreshFamilyTTL
	}
	if c.RefreshTokenTTL > c.RefreshFamilyTTL {
		c.RefreshTokenTTL = c.RefreshFamilyTTL
	}
	if c.ReauthNotice <= 0 {
		c.ReauthNotice = time.Minute
	}
	if c.ReauthNotice > c.AgentTokenTTL/2 {
		c.ReauthNotice = c.AgentTokenTTL / 2
	}
	if c.VisitorTokenTTL <= 0 {
		c.VisitorTokenTTL = auth.VisitorTokenTTL
	}
	if c.HelloTimeout <= 0 {
		c.HelloTimeout = 10 * time.Second
	}
	if c.SendRate <= 0 {
		c.SendRate = 20
	}
	if c.SendBurst <= 0 {
		c.SendBurst = 40
	}
	if c.TypingRate <= 0 {
		c.TypingRate = 2
	}
	if c.TypingBurst <= 0 {
		c.TypingBurst = 5
	}
	if c.IdleTimeout <= 0 {
		c.IdleTimeout = 5 * time.Minute
	}
	if c.WaitingTimeout <= 0 {
		c.WaitingTimeout = 10 * time.Minute
	}
	if c.CloseAfter <= 0 {
		c.CloseAfter = 24 * time.Hour
	}
	if c.TimerPoll <= 0 {
		c.TimerPoll = time.Second
	}
	if c.OfferTimeout <= 0 {
		c.OfferTimeout = 30 * time.Second
	}
	if c.MissedOffersAway == 0 {
		c.MissedOffersAway = 2
	}
	if c.Routing == "" {
		c.Routing = RoutingOffer
	}
	if c.ResealPoll <= 0 {
		c.ResealPoll = time.Minute
	}
	if c.PresenceHeartbeat <= 0 {
		c.PresenceHeartbeat = 2 * time.Second
	}
	if c.OfflineGrace <= 0 {
		c.OfflineGrace = 10 * time.Second
	}
	if c.RoutePoll <= 0 {
		c.RoutePoll = 5 * time.Second
	}
	if c.AccessPoll <= 0 {
		c.AccessPoll = 30 * time.Second
	}
	if c.MaxUploadBytes <= 0 {
		c.MaxUploadBytes = protocol.DefaultMaxUploadBytes
	}
	if len(c.UploadTypes) == 0 {
		c.UploadTypes = files.DefaultTypes
	}
	if c.PasswordMemory <= 0 {
		c.PasswordMemory = auth.DefaultPasswordMemory
	}
	if c.PasswordWait <= 0 {
		c.PasswordWait = 5 * time.Second
	}
	if c.LoginRate <= 0 {
		c.LoginRate = 20
	}
	if c.LoginAddressFailures <= 0 {
		c.LoginAddressFailures = 20
	}
	if c.LoginUserFailures <= 0 {
		c.LoginUserFailures = 5
	}
	if c.LoginBackoffMax <= 0 {
		c.LoginBackoffMax = 5 * time.Minute
	}
	if c.ImageMemory <= 0 {
		c.ImageMemory = files.DefaultDecodeMemory
	}
	c.VisitorQuota = c.VisitorQuota.Or(quota.DefaultVisitor)
	c.AgentQuota = c.AgentQuota.Or(quota.DefaultAgent)
	c.AddressQuota = c.AddressQuota.Or(quota.DefaultAddress)
	if c.UploadExpiry <= 0 {
		c.UploadExpiry = 24 * time.Hour
	}
	if c.MaxConnsPerAddress == 0 {
		c.MaxConnsPerAddress = 256
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.Identity == nil {
		c.Identity, _ = identity.NewVerifier(nil, c.Now)
	}
	if c.Hub.Logger == nil {
		c.Hub.Logger = c.Logger
	}
}

// Server is the messaging server.
type Server struct {
	cfg Config
	// transcriptMails limits the transcript emails of each conversation.
	transcriptMails *transcript.Limiter
	log             *slog.Logger
	store           store.Store
	// kbEditor edits the knowledge base; learn records the bot's misses.
	kbEditor *kbedit.Editor
	// canned lists and edits the shared canned responses.
	canned canned.Service
	// apiKeys checks the HTTP API's keys and limits their rate.
	apiKeys  *apikeys.Service
	learn    *botlearn.Recorder
	hub      *hub.Hub
	metrics  *metrics
	signer   *auth.Signer
	mux      *http.ServeMux
	handler  http.Handler // mux with the security headers
	patterns []string     // the mux's route patterns

	loginLimit   *auth.Limiter
	visitorLimit *auth.Limiter
	// loginAll is the global login rate (one key); addrBackoff and
	// userBackoff are the growing waits after failed logins per client
	// address and per username; passwords is the memory budget of password
	// checks.
	loginAll    *auth.Limiter
	addrBackoff *auth.Backoff
	userBackoff *auth.Backoff
	passwords   *auth.PasswordGate
	// dummyHash is verified against when a login names no agent, so that an
	// unknown username takes as long as a wrong password.
	dummyHash string

	// baseCtx outlives connections: bot calls run under it, so a customer
	// who leaves right after asking still gets an answer stored.
	baseCtx context.Context
	cancel  context.CancelFunc
	// timersDone is closed when the timer runner, started by New and
	// stopped by cancel, has returned.
	timersDone chan struct{}

	shuttingDown atomic.Bool

	// convs does what people do to conversations (conversations.go).
	convs *conversations.Service

	// audits stores the audit entries of the fan-out path (audit.go).
	audits *auditWriter
	// monitors are the live silent monitors of conversations (package
	// supervise), ended with their connections.
	monitors *supervise.Registry

	// httpMu guards httpSrv, and orders wsHandlers.Add with the start of
	// Shutdown: a handler counted is one Shutdown waits for.
	httpMu  sync.Mutex
	httpSrv *http.Server
	// wsHandlers counts the WebSocket handlers still running, including
	// their cleanup after the hub let go of the connection; Shutdown waits
	// for them before it closes the store, so none finds it closed.
	wsHandlers sync.WaitGroup

	// convLocks serialize store-ack-fan-out per conversation (striped by
	// conversation id), so pushes leave in seq order. The lock is held
	// across the group commit, so conversations sharing a stripe wait for
	// each other's commits: the stripe count bounds how many appends one
	// commit can take.
	convLocks [1024]sync.Mutex

	// peers maps each live *hub.Conn to its *peer, for fan-out that goes
	// through the peer (held pushes during a resume, typing of others).
	peers sync.Map

	// statusMu guards statuses: the routing status of each agent seen
	// since the server started (see status.go).
	statusMu sync.Mutex
	statuses map[string]*agentState

	// Routing (see routing.go): agentLocks order capacity checks with the
	// writes they allow; routeKick wakes the router, routerDone is closed
	// when it has returned.
	agentLocks [agentLockStripes]sync.Mutex
	routeKick  chan struct{}
	routerDone chan struct{}
	// sweepDone is closed when the access sweep (revoke.go) has returned.
	sweepDone chan struct{}
	// notices receives the admin commands' change notices (changes.go);
	// nil without a socket.
	notices *notice.Listener
	// sweepMu guards disabledSeen: the disabled agents whose work the
	// access sweep has already released.
	sweepMu      sync.Mutex
	disabledSeen map[string]bool
	// routeMu guards lastOffer (when each agent was last offered something)
	// and waitEWMA (the moving average of queue waits, ms).
	routeMu   sync.Mutex
	lastOffer map[string]int64
	waitEWMA  float64
	// hours are the business hours in force (package hours), loaded at
	// start and again on a change notice and at every access sweep.
	hours atomic.Pointer[hours.Book]
	// queueMu guards queueSent: what each queued customer was last told.
	queueMu   sync.Mutex
	queueSent map[string]protocol.QueueInfo

	// Files (files.go): blobs holds the content, uploadDir tusd's
	// unfinished uploads (or, when sharedUploads keeps them where every
	// node sees them, the spool files of those); tus is the mounted tusd
	// handler and tusStore its store, for looking up an upload's owner.
	blobs         files.Blobs
	uploadDir     string
	sharedUploads files.UploadStore
	// keys seals the files when the store is encrypted (nil: it is not);
	// resealer is the store's side of the reseal job (seal.go), nil when
	// the store has none; resealDone is closed when the job has returned.
	keys       *seal.Keyring
	resealer   store.Resealer
	resealDone chan struct{}
	policy     files.Policy
	tus        http.Handler
	tusStore   tus.DataStore
	// tusLocker is tusd's lock per upload, which the upload sweep takes
	// too; thumbs bounds image decoding; quota counts unfinished uploads.
	tusLocker *memorylocker.MemoryLocker
	thumbs    *files.Thumbnailer
	quota     *quota.Tracker
	// uploadSweepDone is closed when the upload sweep has returned.
	uploadSweepDone chan struct{}

	// bus carries change notices (ownBus: the server's own, closed at
	// Shutdown); floor is the live floor view, floorDone closed when it
	// has returned.
	bus       bus.Bus
	ownBus    *bus.Inproc
	floor     *floor.Watcher
	floorDone chan struct{}
	// webhooks sends the outbox to the webhook endpoints; webhooksDone is
	// closed when it has stopped.
	webhooks      *webhooks.Dispatcher
	webhookCounts *webhooks.Counters
	webhooksDone  chan struct{}

	// Cluster (cluster.go): node is this node's name; relay carries pushes
	// to and from the other nodes and seqs orders the messages it delivers
	// (both nil when the bus is the server's own); noticeCancel and
	// resumeCancel end the bus subscriptions.
	node         string
	relayLocks   [relayLockStripes]sync.Mutex
	relay        *relay.Relay
	seqs         *relay.Sequencer
	noticeCancel func()
	resumeCancel func()
	// presence is the other nodes' agent tables (presence_cluster.go; nil
	// on a server alone); presenceKick asks runPresence to publish this
	// node's, presenceDone is closed when it has returned.
	presence        *presence.View
	presenceKick    chan struct{}
	presenceDone    chan struct{}
	presenceCancels []func()

	// connMu guards conns: the live WebSocket connections per client
	// address.
	connMu sync.Mutex
	conns  map[string]int
}

// tokenSecretKey is the settings key of the HMAC token secret.
const tokenSecretKey = "token_secret"

// New loads (or creates) the token secret from the store, seeds the demo
// data if asked and returns a Server ready to serve.
func New(cfg Config) (*Server, error) {
	cfg.fill()
	if cfg.Routing != RoutingOffer && cfg.Routing != RoutingPick {
		return nil, fmt.Errorf("routing %q: want %q or %q", cfg.Routing, RoutingOffer, RoutingPick)
	}
	ctx := context.Background()
	s := &Server{
		cfg:          cfg,
		log:          cfg.Logger,
		store:        cfg.Store,
		loginLimit:   auth.NewLimiter(1.0/12, 5, cfg.Now), // 5 at once, then 5 a minute
		visitorLimit: auth.NewLimiter(1, 30, cfg.Now),
		loginAll:     auth.NewLimiter(cfg.LoginRate, int(max(2*cfg.LoginRate, 1)), cfg.Now),
		addrBackoff:  auth.NewBackoff(cfg.LoginAddressFailures, cfg.LoginBackoffMax, time.Hour, cfg.Now),
		userBackoff:  auth.NewBackoff(cfg.LoginUserFailures, cfg.LoginBackoffMax, time.Hour, cfg.Now),
		passwords:    auth.NewPasswordGate(cfg.PasswordMemory, cfg.PasswordWait, 0),
		statuses:     make(map[string]*agentState),
		routeKick:    make(chan struct{}, 1),
		lastOffer:    make(map[string]int64),
		queueSent:    make(map[string]protocol.QueueInfo),
		conns:        make(map[string]int),
	}
	s.transcriptMails = transcript.NewLimiter(cfg.TranscriptEmails, time.Hour)
	if s.store == nil {
		return nil, errors.New("no store: open one with store.Open and set Config.Store")
	}
	if l, ok := s.store.(store.Locker); ok && l.Locked() {
		return nil, errors.New("open store: the database is encrypted: give its key-encryption key (docs/operations.md, \"Encryption at rest\")")
	}
	if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
		return nil, fmt.Errorf("create data dir: %w", err)
	}
	// MkdirAll leaves an existing directory's mode alone.
	if err := os.Chmod(cfg.DataDir, 0o700); err != nil {
		s.log.Warn("make the data dir owner-only", "dir", cfg.DataDir, "err", err)
	}
	if r, ok := s.store.(store.Resealer); ok {
		s.resealer, s.keys = r, r.Keyring()
	}
	s.webhookCounts = new(webhooks.Counters)
	s.metrics = newMetrics(s)
	s.store = timedStore{Store: s.store, m: s.metrics}
	s.learn = botlearn.NewRecorder(s.store)
	s.kbEditor = kbedit.New(s.store, s.liveKB)
	s.canned = canned.Service{Store: s.store}
	s.hours.Store(&hours.Book{Global: cfg.BusinessHours})
	s.reloadHours(ctx)
	s.apiKeys = apikeys.New(apikeys.Config{Store: s.store, Now: s.cfg.Now, Rate: s.cfg.APIKeyRate, Burst: s.cfg.APIKeyBurst})
	if made, err := kb.EnsureVersion(ctx, s.store); err != nil {
		return nil, fmt.Errorf("knowledge base versions: %w", err)
	} else if made {
		s.log.Info("the published knowledge base is version 1")
	}

	fresh := make([]byte, 32)
	rand.Read(fresh)
	secretHex, err := s.store.EnsureSetting(ctx, tokenSecretKey, hex.EncodeToString(fresh))
	if err != nil {
		return nil, fmt.Errorf("load token secret: %w", err)
	}
	secret, err := hex.DecodeString(secretHex)
	if err != nil {
		return nil, fmt.Errorf("token secret is not hex: %w", err)
	}
	if s.signer, err = auth.NewSigner(secret, cfg.Now); err != nil {
		return nil, fmt.Errorf("token secret: %w", err)
	}
	if s.dummyHash, err = auth.HashPassword("not a password"); err != nil {
		return nil, err
	}
	if cfg.Demo {
		if err := SeedDemo(ctx, s.store, cfg.DemoCapacity); err != nil {
			return nil, fmt.Errorf("seed demo: %w", err)
		}
		if err := canned.SeedDemo(ctx, s.store); err != nil {
			return nil, fmt.Errorf("seed demo: %w", err)
		}
	}
	s.hub = hub.New(cfg.Hub)
	if s.bus = cfg.Bus; s.bus == nil {
		s.ownBus = bus.NewInproc(bus.InprocConfig{})
		s.bus = s.ownBus
	}
	s.audits = newAuditWriter(s)
	s.convs = s.newConversations()
	s.monitors = supervise.NewRegistry(supervise.Config{Publisher: hubPublisher{s}, Auditor: auditRecorder{s.audits},
		Logger: s.log, Now: cfg.Now})
	if err := s.setupFiles(ctx); err != nil {
		s.audits.close()
		return nil, err
	}
	s.baseCtx, s.cancel = context.WithCancel(context.Background())
	// The floor's watcher exists before the cluster's subscriptions, which
	// mark it when presence moves; it runs from below.
	s.floor = floor.NewWatcher(floor.WatcherConfig{Bus: s.bus, Load: s.loadFloor, Now: cfg.Now, Logger: s.log,
		History: floor.NewHistory(time.Minute, time.Hour), Refresh: cfg.FloorRefresh})
	s.setupCluster()
	s.mux = s.routes()
	s.handler = s.withRealAddr(s.withSecurityHeaders(s.mux))
	s.timersDone = make(chan struct{})
	go s.runTimers()
	s.routerDone = make(chan struct{})
	go s.runRouter()
	s.sweepDone = make(chan struct{})
	go s.runAccessSweep()
	s.floorDone = make(chan struct{})
	go func() {
		defer close(s.floorDone)
		s.floor.Run(s.baseCtx)
	}()
	if sock := cfg.NoticeSocket; sock != "" {
		// Without the socket (a path too long for one, a file system
		// without them) admin changes apply at the next access sweep.
		if s.notices, err = notice.Listen(sock, s.log, s.applyNoticeEverywhere); err != nil {
			s.log.Warn("admin change notices unavailable; changes apply at the access sweep", "err", err, "every", cfg.AccessPoll)
		}
	}
	s.resealDone = make(chan struct{})
	go s.runReseal()
	s.uploadSweepDone = make(chan struct{})
	go s.runUploadSweep()
	s.startWebhooks()
	return s, nil
}

// Handler returns the server's HTTP handler (all routes, /ws included).
func (s *Server) Handler() http.Handler { return s.handler }

// Store returns the server's store.
func (s *Server) Store() store.Store { return s.store }

// ListenAndServe listens on Config.Addr and serves until Shutdown.
func (s *Server) ListenAndServe() error {
	ln, err := net.Listen("tcp", s.cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen %s: %w", s.cfg.Addr, err)
	}
	return s.Serve(ln)
}

// Serve serves on ln until Shutdown. It returns nil after a Shutdown.
func (s *Server) Serve(ln net.Listener) error {
	hs := &http.Server{
		Handler:           s.handler,
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelDebug),
	}
	s.httpMu.Lock()
	if s.shuttingDown.Load() {
		s.httpMu.Unlock()
		ln.Close()
		return nil
	}
	s.httpSrv = hs
	s.httpMu.Unlock()
	if err := hs.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serve: %w", err)
	}
	return nil
}

// Shutdown stops accepting connections, closes the live WebSocket connections
// with protocol.CloseShutdown (clients reconnect and resume), waits for the
// requests in flight and stops the background jobs; the caller closes the
// store then. Everything acknowledged before is already durable.
func (s *Server) Shutdown(ctx context.Context) error {
	if s.shuttingDown.Swap(true) {
		return nil
	}
	var errs []error
	s.httpMu.Lock() // from here on, handleWS counts no new handler
	hs := s.httpSrv
	s.httpMu.Unlock()
	if hs != nil {
		// Hijacked WebSocket connections are not the http.Server's any more;
		// the hub closes them below.
		if err := hs.Shutdown(ctx); err != nil {
			errs = append(errs, fmt.Errorf("http shutdown: %w", err))
		}
	}
	if err := s.hub.Shutdown(ctx); err != nil {
		errs = append(errs, fmt.Errorf("close connections: %w", err))
	}
	handlersDone := make(chan struct{})
	go func() {
		s.wsHandlers.Wait()
		close(handlersDone)
	}()
	select {
	case <-handlersDone:
	case <-ctx.Done():
		errs = append(errs, fmt.Errorf("wait for connection handlers: %w", ctx.Err()))
	}
	if s.notices != nil {
		s.notices.Close()
	}
	s.cancel()
	s.closePresence()
	s.closeCluster()
	// The runner writes to the store: it must be gone before the store is.
	<-s.timersDone
	<-s.routerDone
	<-s.sweepDone
	<-s.resealDone
	<-s.uploadSweepDone
	<-s.floorDone
	<-s.webhooksDone
	if s.ownBus != nil {
		s.ownBus.Close()
	}
	s.monitors.Close()
	s.audits.close()
	return errors.Join(errs...)
}

// lockConv returns the lock that orders conversation id's writes and pushes.
func (s *Server) lockConv(id string) *sync.Mutex {
	h := fnv.New32a()
	h.Write([]byte(id))
	return &s.convLocks[h.Sum32()%uint32(len(s.convLocks))]
}

func (s *Server) nowMS() int64 { return s.cfg.Now().UnixMilli() }
