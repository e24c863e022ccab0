package server

import (
	"context"
	"encoding/json"
	"errors"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"switchboard/backend/auth"
	"switchboard/backend/conversation"
	"switchboard/backend/conversations"
	"switchboard/backend/floor"
	"switchboard/backend/hub"
	"switchboard/backend/store"
	"switchboard/protocol"
)

// openStates are the states in which a customer's message belongs to the
// conversation.
var openStates = conversations.OpenStates

// workingStates are the states in which the assignee writes to the customer.
var workingStates = conversations.WorkingStates

// peer is the server side of one WebSocket connection. Its methods run on
// the connection's reader goroutine, one frame at a time, so the fields set
// at hello need no lock; authed is atomic because the hello timer reads it.
type peer struct {
	s  *Server
	id string
	// conn is the hub's connection, for subscribing; out is where replies
	// go (the same connection, or a stand-in in tests).
	conn       *hub.Conn
	out        sender
	helloTimer *time.Timer

	authed atomic.Bool
	// user and teams are what the connection may do, read by the reader
	// goroutine: set at hello, and brought to acc at the start of every
	// frame (syncAccess). Other goroutines read user.ID only, which never
	// changes after hello, or acc.
	user   protocol.User
	teams  map[string]bool
	locale string
	// acc is the connection's latest access: stored at hello and by an
	// admin's change to the account (applyAccess, any goroutine); accSeen
	// is the one user and teams were last brought to (reader goroutine).
	acc     atomic.Pointer[access]
	accSeen *access
	// subMu orders the connection's topic subscriptions with changes of
	// its access.
	subMu sync.Mutex
	// tokenGen is the token generation a staff peer signed in with; the
	// access sweep (access.go) closes the peer once it is not current.
	// Written before authed is set, read after.
	tokenGen int64

	// authMu guards the access token a staff connection is authenticated
	// with (see reauth.go): the reader sets it at hello and reauth, the
	// expiry timer reads it.
	authMu      sync.Mutex
	authExp     int64  // unix milliseconds; 0: the connection does not expire
	family      string // the sign-in (refresh token family) of the token
	authNoticed bool   // token_expiring was pushed for authExp
	authTimer   *time.Timer

	// resumeMu guards resuming: the conversations being caught up after
	// hello.resume, each with the live pushes held back meanwhile (see
	// resume.go). Fan-out goroutines read it; the reader writes it.
	resumeMu sync.Mutex
	resuming map[string]*[]heldMsg
	// resumed maps a conversation caught up to the last seq the catch-up
	// sent, until a live push passes it (see resume.go).
	resumed map[string]int64

	// liveMu guards liveSeen: the conversations whose live view by this
	// connection is recorded already (audit.go). Fan-out goroutines use it.
	liveMu   sync.Mutex
	liveSeen map[string]bool

	// sendLimit and typingLimit are per-connection rate limits, used on the
	// reader goroutine only.
	sendLimit   bucket
	typingLimit bucket
	draftLimit  bucket
}

// draftRate and draftBurst bound the drafts a connection sends (package
// supervise passes a few a second per conversation on; this only bounds
// the work of checking them).
const (
	draftRate  = 20
	draftBurst = 40
)

// sender is the part of a connection that replies need.
type sender interface {
	Send(frame []byte) bool
	RemoteAddr() string
}

func newPeer(s *Server) *peer {
	now := s.cfg.Now()
	return &peer{s: s, id: uuid.NewString(),
		sendLimit:   newBucket(s.cfg.SendRate, s.cfg.SendBurst, now),
		typingLimit: newBucket(s.cfg.TypingRate, s.cfg.TypingBurst, now),
		draftLimit:  newBucket(draftRate, draftBurst, now),
	}
}

// Opened implements hub.Handler.
func (p *peer) Opened(c *hub.Conn) {
	p.conn, p.out = c, c
	p.s.peers.Store(c, p)
	p.helloTimer = time.AfterFunc(p.s.cfg.HelloTimeout, func() {
		if !p.authed.Load() {
			c.Close(protocol.CloseProtocol, "no hello in time")
		}
	})
}

// end releases what the peer holds once its connection has ended.
func (p *peer) end() {
	if p.helloTimer != nil {
		p.helloTimer.Stop()
	}
	p.stopAuthTimer()
	if p.conn != nil {
		p.s.peers.Delete(p.conn)
	}
	p.s.floor.Unwatch(p.id)
	// A monitor lasts as long as its connection.
	p.s.monitors.Drop(p.id)
	// The hub has dropped the connection: the user's last one going means
	// they went offline.
	if p.authed.Load() && isStaff(p.user.Role) {
		p.s.agentDisconnected(p.user)
	}
	if p.authed.Load() && p.s.baseCtx.Err() == nil && !p.s.shuttingDown.Load() && !p.s.online(p.user) {
		p.s.announcePresence(context.WithoutCancel(p.s.baseCtx), p.user, false)
	}
}

// HandleMessage implements hub.Handler: decode, check, dispatch, and answer
// every failure with a coded error frame. The connection stays open.
func (p *peer) HandleMessage(ctx context.Context, c *hub.Conn, msg []byte) {
	f, perr := protocol.Decode(msg)
	if perr != nil {
		p.replyError(f.ID, perr)
		return
	}
	defer func() {
		if r := recover(); r != nil {
			p.s.log.Error("panic handling frame", "type", f.Type, "session_id", p.id, "panic", r, "stack", string(debug.Stack()))
			p.replyError(f.ID, protocol.ErrInternal)
		}
	}()
	if perr := p.dispatch(ctx, f); perr != nil {
		p.replyError(f.ID, perr)
	}
}

// access is what a connection may do: the user's role, teams and name.
type access struct {
	user  protocol.User
	teams map[string]bool
}

func newAccess(u protocol.User) *access {
	a := &access{user: u, teams: make(map[string]bool, len(u.Teams))}
	for _, t := range u.Teams {
		a.teams[t] = true
	}
	return a
}

// syncAccess brings user and teams to the latest access, so a role or team
// changed by an admin applies from the next frame on. ID never changes, so
// only the other fields are written: goroutines reading user.ID do not race.
func (p *peer) syncAccess() {
	a := p.acc.Load()
	if a == nil || a == p.accSeen {
		return
	}
	p.accSeen = a
	p.user.Role, p.user.Name, p.user.Teams = a.user.Role, a.user.Name, a.user.Teams
	p.teams = a.teams
}

// handlers are the frames a connection may send after hello, by type. The
// authorization matrix test (authz_test.go) has a row for every one of
// them: a frame added here without its rows fails it.
var handlers = map[string]func(*peer, context.Context, protocol.Frame) *protocol.Error{
	protocol.TypeOpen:         (*peer).open,
	protocol.TypeSend:         (*peer).send,
	protocol.TypeSync:         (*peer).sync,
	protocol.TypeList:         (*peer).list,
	protocol.TypeAccept:       (*peer).accept,
	protocol.TypeResolve:      (*peer).resolve,
	protocol.TypeRead:         (*peer).read,
	protocol.TypeTyping:       (*peer).typing,
	protocol.TypeStatus:       (*peer).status,
	protocol.TypeDecline:      (*peer).decline,
	protocol.TypeTransfer:     (*peer).transfer,
	protocol.TypeHandBack:     (*peer).handBack,
	protocol.TypeRate:         (*peer).rate,
	protocol.TypeContext:      (*peer).context,
	protocol.TypeDirectory:    (*peer).directory,
	protocol.TypeCardAction:   (*peer).cardAction,
	protocol.TypeTag:          (*peer).tag,
	protocol.TypeCustomerNote: (*peer).customerNote,
	protocol.TypeReauth:       (*peer).reauth,
	protocol.TypeFloor:        (*peer).floor,
	protocol.TypeMonitor:      (*peer).monitor,
	protocol.TypeDraft:        (*peer).draft,
	protocol.TypeJoin:         (*peer).join,
	protocol.TypeLeave:        (*peer).leave,
	protocol.TypeTakeOver:     (*peer).takeOver,
	protocol.TypeReassign:     (*peer).reassign,
	protocol.TypeAssist:       (*peer).assist,
	protocol.TypeBotFeedback:  (*peer).botFeedback,
	protocol.TypeBotReport:    (*peer).botReport,
	protocol.TypeKB:           (*peer).knowledgeBase,
	protocol.TypeKBEdit:       (*peer).kbEdit,
	protocol.TypeCanned:       (*peer).cannedList,
	protocol.TypeCannedEdit:   (*peer).cannedEdit,
}

func (p *peer) dispatch(ctx context.Context, f protocol.Frame) *protocol.Error {
	if f.Type == protocol.TypeHello {
		return p.hello(ctx, f)
	}
	handle, ok := handlers[f.Type]
	if !ok {
		return protocol.ErrUnknownType.WithMessage("unknown frame type %q", truncate(f.Type, 32))
	}
	if !p.authed.Load() {
		return protocol.ErrHelloRequired
	}
	p.syncAccess()
	return handle(p, ctx, f)
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

func (p *peer) reply(typ, id string, data any) {
	b, err := protocol.Encode(typ, id, data)
	if err != nil {
		p.s.log.Error("encode reply", "type", typ, "err", err)
		p.replyError(id, protocol.ErrInternal)
		return
	}
	p.out.Send(b)
}

func (p *peer) replyError(id string, e *protocol.Error) {
	p.out.Send(protocol.EncodeError(id, e))
}

// storeError turns a store error into what the client may see; anything
// unexpected is logged and becomes internal.
func (p *peer) storeError(op string, err error) *protocol.Error {
	switch {
	case errors.Is(err, store.ErrNotFound):
		return protocol.ErrNotFound
	case errors.Is(err, store.ErrIllegalState):
		return protocol.ErrIllegalState
	case errors.Is(err, store.ErrConflict):
		return protocol.ErrConflict
	}
	p.s.log.Error(op, "session_id", p.id, "user_id", p.user.ID, "err", err)
	return protocol.ErrInternal
}

func (p *peer) isCustomer() bool { return p.user.Role == protocol.RoleCustomer }

// readable loads a conversation the user may read. Unknown and invisible
// conversations are both not_found, so existence does not leak.
func (p *peer) readable(ctx context.Context, id string) (store.Conversation, *protocol.Error) {
	if id == "" {
		return store.Conversation{}, protocol.ErrInvalid.WithMessage("conversation_id is required")
	}
	if len(id) > 64 {
		return store.Conversation{}, protocol.ErrNotFound
	}
	c, err := p.s.store.Conversation(ctx, id)
	if err != nil {
		return store.Conversation{}, p.storeError("load conversation", err)
	}
	if !canRead(p.user, p.teams, c) {
		return store.Conversation{}, protocol.ErrNotFound
	}
	return c, nil
}

func validateExt(ext map[string]string) *protocol.Error {
	if len(ext) > protocol.MaxExtKeys {
		return protocol.ErrInvalid.WithMessage("ext has %d keys; the limit is %d", len(ext), protocol.MaxExtKeys)
	}
	for k, v := range ext {
		if k == "" || len(k) > 64 || !utf8.ValidString(k) {
			return protocol.ErrInvalid.WithMessage("ext keys must be 1 to 64 bytes of text")
		}
		if len(v) > protocol.MaxExtValueLen || !utf8.ValidString(v) {
			return protocol.ErrInvalid.WithMessage("ext value of %q must be text of at most %d bytes", truncate(k, 32), protocol.MaxExtValueLen)
		}
	}
	return nil
}

// cleanExt returns business fields with display strings cleaned (see
// protocol.CleanDisplay); keys that clean to nothing are dropped.
func cleanExt(ext map[string]string) map[string]string {
	if len(ext) == 0 {
		return ext
	}
	out := make(map[string]string, len(ext))
	for k, v := range ext {
		if k = protocol.CleanDisplay(k); k != "" {
			out[k] = protocol.CleanDisplay(v)
		}
	}
	return out
}

func validClientMsgID(id string) bool {
	if len(id) != 36 {
		return false
	}
	_, err := uuid.Parse(id)
	return err == nil
}

func (p *peer) hello(ctx context.Context, f protocol.Frame) *protocol.Error {
	if p.authed.Load() {
		return protocol.ErrAlreadyHello
	}
	var d protocol.HelloData
	if perr := protocol.DecodeData(f, &d); perr != nil {
		return perr
	}
	// 0 is taken as the current version, for clients that leave it out.
	if d.Protocol != 0 && d.Protocol != protocol.Version {
		return protocol.ErrUnsupported.WithMessage("protocol %d is not supported; this server speaks %d", d.Protocol, protocol.Version)
	}
	if len(d.Resume) > maxResumeConversations {
		return protocol.ErrInvalid.WithMessage("resume names %d conversations; the limit is %d", len(d.Resume), maxResumeConversations)
	}
	claims, err := p.s.signer.Verify(d.Token)
	switch {
	case errors.Is(err, auth.ErrTokenExpired):
		return expiredError(claims)
	case err != nil:
		return protocol.ErrUnauthorized
	}
	var user protocol.User
	switch {
	case claims.Role == protocol.RoleCustomer:
		cust, err := p.s.store.Customer(ctx, claims.Subject)
		if errors.Is(err, store.ErrNotFound) {
			// A genuine token whose visitor record is gone (data reset):
			// recreate it rather than strand the visitor.
			cust, err = p.s.store.UpsertCustomer(ctx, store.Customer{ID: claims.Subject})
		}
		if err != nil {
			return p.storeError("hello customer", err)
		}
		user = protocol.User{ID: cust.ID, Role: protocol.RoleCustomer, Name: customerDisplayName(cust.ID, cust.Name)}
	case isStaff(claims.Role):
		a, err := p.s.store.Agent(ctx, claims.Subject)
		if errors.Is(err, store.ErrNotFound) {
			return protocol.ErrUnauthorized.WithMessage("the account no longer exists")
		}
		if err != nil {
			return p.storeError("hello agent", err)
		}
		if perr := tokenAccess(a, claims); perr != nil {
			return perr
		}
		if perr := p.s.signInAccess(ctx, claims); perr != nil {
			return perr
		}
		// Role and teams come from the store, not the token, so changes
		// apply at the next connection.
		user = agentUser(a)
		p.tokenGen = claims.Gen
		p.setAuth(claims)
	default:
		return protocol.ErrUnauthorized
	}
	acc := newAccess(user)
	p.user, p.teams = user, acc.teams
	p.locale = d.Locale
	p.acc.Store(acc)
	p.accSeen = acc
	p.authed.Store(true)
	if p.helloTimer != nil {
		p.helloTimer.Stop()
	}
	// Hold back the live pushes of the conversations to resume, then
	// subscribe (join live fan-out) before listing and reading history, so
	// nothing changed in between is missed; a push that overlaps the list is
	// deduplicated by seq on the client.
	if len(d.Resume) > 0 {
		p.holdLive(d.Resume)
	}
	if p.conn != nil {
		// Under subMu, so that an admin's change applied meanwhile
		// (applyAccess) cannot be undone by subscribing the old topics.
		p.subMu.Lock()
		p.s.hub.Subscribe(p.conn, userTopics(p.acc.Load().user)...)
		p.subMu.Unlock()
		if isStaff(user.Role) {
			p.conn.SetSendQueue(p.s.cfg.StaffSendQueue)
			p.s.agentConnected(user.ID)
		}
		if len(p.s.hub.Conns(userTopic(user))) == 1 {
			p.s.announcePresence(ctx, user, true)
		}
	}
	convs, perr := p.overview(ctx)
	if perr != nil {
		for id := range d.Resume {
			p.stopHolding(id)
		}
		return perr
	}
	p.s.log.Info("hello", "session_id", p.id, "user_id", user.ID, "role", user.Role, "client", d.Client, "remote", p.out.RemoteAddr())
	p.reply(protocol.TypeWelcome, f.ID, protocol.WelcomeData{
		SessionID:       p.id,
		User:            user,
		ServerTime:      p.s.nowMS(),
		HeartbeatMS:     p.s.hub.HeartbeatInterval().Milliseconds(),
		ExpiresAt:       p.authExpiry(),
		TranscriptEmail: p.isCustomer() && p.s.cfg.Mailer != nil,
		Conversations:   p.conversations(convs),
	})
	p.armAuthTimer()
	if p.isCustomer() {
		for _, c := range convs {
			if qi, ok := p.s.queueInfo(c.ID); ok && c.State == conversation.Queued {
				p.reply(protocol.TypeQueue, "", qi)
			}
		}
	}
	if isStaff(user.Role) {
		p.pushMonitorStates(convs)
		p.pushRaisedAssists(ctx)
	}
	if len(d.Resume) > 0 {
		p.resume(ctx, d.Resume, d.Epochs)
	}
	return nil
}

// overview lists what welcome carries: a customer's open conversations; for
// staff, those assigned to them and those queued in their teams.
func (p *peer) overview(ctx context.Context) ([]store.Conversation, *protocol.Error) {
	if p.isCustomer() {
		cs, err := p.s.store.ListConversations(ctx, store.ConversationFilter{CustomerID: p.user.ID, States: openStates})
		if err != nil {
			return nil, p.storeError("list customer conversations", err)
		}
		return cs, nil
	}
	mine, perr := p.listMine(ctx)
	if perr != nil {
		return nil, perr
	}
	queue, perr := p.listQueue(ctx)
	if perr != nil {
		return nil, perr
	}
	return append(mine, queue...), nil
}

// listMine lists the conversations the caller works and those offered to
// them that are not in their queue (transfers from a colleague).
func (p *peer) listMine(ctx context.Context) ([]store.Conversation, *protocol.Error) {
	cs, err := p.s.store.ListConversations(ctx, store.ConversationFilter{AssigneeID: p.user.ID, States: workingStates})
	if err != nil {
		return nil, p.storeError("list mine", err)
	}
	offers, err := p.s.store.ListConversations(ctx, store.ConversationFilter{OfferAgentID: p.user.ID, States: workingStates})
	if err != nil {
		return nil, p.storeError("list offers", err)
	}
	for _, o := range offers {
		if o.AssigneeID != p.user.ID {
			cs = append(cs, o)
		}
	}
	return cs, nil
}

func (p *peer) listQueue(ctx context.Context) ([]store.Conversation, *protocol.Error) {
	f := store.ConversationFilter{States: []conversation.State{conversation.Queued}, Teams: p.user.Teams, QueueOrder: true}
	if p.user.Role != protocol.RoleAdmin && len(f.Teams) == 0 {
		// No teams means no queue, not every queue.
		return []store.Conversation{}, nil
	}
	cs, err := p.s.store.ListConversations(ctx, f)
	if err != nil {
		return nil, p.storeError("list queue", err)
	}
	return cs, nil
}

// listTeams lists the conversations of a supervisor's teams (an admin's:
// every team's), as package floor plans it.
func (p *peer) listTeams(ctx context.Context, d protocol.ListData) ([]store.Conversation, *protocol.Error) {
	plan, err := floor.List(floor.Query{Role: p.user.Role, Teams: p.user.Teams, Team: d.Team, AgentID: d.AgentID,
		States: d.States, WaitingOverMS: d.WaitingOverMS, Now: p.s.nowMS()})
	switch {
	case errors.Is(err, floor.ErrForbidden):
		return nil, protocol.ErrForbidden.WithMessage("%v", err)
	case err != nil:
		return nil, protocol.ErrInvalid.WithMessage("%v", err)
	case plan.None:
		return []store.Conversation{}, nil
	}
	cs, serr := p.s.store.ListConversations(ctx, plan.Filter)
	if serr != nil {
		return nil, p.storeError("list teams", serr)
	}
	kept := cs[:0]
	for _, c := range cs {
		if plan.Keep(c) {
			kept = append(kept, c)
		}
	}
	return kept, nil
}

func (p *peer) list(ctx context.Context, f protocol.Frame) *protocol.Error {
	if !isStaff(p.user.Role) {
		return protocol.ErrForbidden.WithMessage("only agents list conversations")
	}
	var d protocol.ListData
	if perr := protocol.DecodeData(f, &d); perr != nil {
		return perr
	}
	var cs []store.Conversation
	var perr *protocol.Error
	switch d.Filter {
	case protocol.ListMine:
		cs, perr = p.listMine(ctx)
	case protocol.ListQueue:
		cs, perr = p.listQueue(ctx)
	case protocol.ListTeams:
		cs, perr = p.listTeams(ctx, d)
	default:
		return protocol.ErrInvalid.WithMessage("filter must be %q, %q or %q", protocol.ListMine, protocol.ListQueue, protocol.ListTeams)
	}
	if perr != nil {
		return perr
	}
	p.reply(protocol.TypeConvList, f.ID, protocol.ConversationList{Filter: d.Filter, Conversations: p.conversations(cs)})
	return nil
}

func (p *peer) open(ctx context.Context, f protocol.Frame) *protocol.Error {
	if !p.isCustomer() {
		return protocol.ErrForbidden.WithMessage("only customers open conversations")
	}
	var d protocol.OpenData
	if len(f.Data) > 0 {
		if perr := protocol.DecodeData(f, &d); perr != nil {
			return perr
		}
	}
	if perr := validateExt(d.Ext); perr != nil {
		return perr
	}
	if d.Locale != "" {
		p.locale = d.Locale
	}
	ext := cleanExt(d.Ext)
	// The verified fields are read afresh: the customer may have been
	// identified again since this connection's hello.
	cust, err := p.s.store.Customer(ctx, p.user.ID)
	if err != nil {
		return p.storeError("load customer", err)
	}
	for attempt := 0; attempt < 2; attempt++ {
		conv, err := p.s.store.OpenConversationOf(ctx, p.user.ID)
		switch {
		case err == nil:
			return p.reopen(ctx, f, conv, ext, cust.Verified)
		case !errors.Is(err, store.ErrNotFound):
			return p.storeError("open conversation", err)
		}
		perr, retry := p.create(ctx, f, ext, cust.Verified)
		if !retry {
			return perr
		}
		// Another connection of the same customer created it first.
	}
	return protocol.ErrInternal
}

// reopen answers open with the customer's existing conversation, merging in
// new business fields and bringing its verified fields up to date.
func (p *peer) reopen(ctx context.Context, f protocol.Frame, conv store.Conversation, ext, verified map[string]string) *protocol.Error {
	conv, err := p.s.setVerified(ctx, conv, verified)
	if err != nil {
		return p.storeError("set verified", err)
	}
	changed := false
	for k, v := range ext {
		if conv.Ext[k] != v {
			changed = true
		}
	}
	if !changed {
		p.reply(protocol.TypeConversation, f.ID, p.conversation(conv))
		return nil
	}
	mu := p.s.lockConv(conv.ID)
	mu.Lock()
	defer mu.Unlock()
	after, err := p.s.store.MergeExt(ctx, conv.ID, ext)
	if err != nil {
		return p.storeError("merge ext", err)
	}
	p.reply(protocol.TypeConversation, f.ID, p.conversation(after))
	p.s.pushConversationLocked(conv, after)
	return nil
}

// create starts a new conversation; retry is true when the customer turned
// out to have one already.
func (p *peer) create(ctx context.Context, f protocol.Frame, ext, verified map[string]string) (perr *protocol.Error, retry bool) {
	// Time-ordered ids keep a busy store's new rows and index entries
	// together (docs/benchmarks.md).
	id := uuid.Must(uuid.NewV7()).String()
	mu := p.s.lockConv(id)
	mu.Lock()
	defer mu.Unlock()
	conv, msg, err := p.s.store.CreateConversation(ctx, store.NewConversation{
		ID:         id,
		CustomerID: p.user.ID,
		Channel:    "web",
		Ext:        ext,
		Verified:   verified,
		Opened: store.NewMessage{
			ClientMsgID: uuid.NewString(),
			SenderRole:  protocol.RoleSystem,
			Kind:        protocol.KindEvent,
			Visibility:  protocol.VisibilityPublic,
			Event:       &store.Event{Type: protocol.EventOpened, Actor: p.user.Name},
		},
		Actor: p.user.ID,
	})
	if errors.Is(err, store.ErrConflict) {
		return nil, true
	}
	if err != nil {
		return p.storeError("create conversation", err), false
	}
	p.s.log.Info("conversation opened", "conversation_id", conv.ID, "customer_id", p.user.ID)
	p.reply(protocol.TypeConversation, f.ID, p.conversation(conv))
	p.s.pushMessageLocked(conv, msg)
	return nil, false
}

func (p *peer) send(ctx context.Context, f protocol.Frame) *protocol.Error {
	var d protocol.SendData
	if perr := protocol.DecodeData(f, &d); perr != nil {
		return perr
	}
	if d.ConversationID == "" {
		return protocol.ErrInvalid.WithMessage("conversation_id is required")
	}
	if !validClientMsgID(d.ClientMsgID) {
		return protocol.ErrInvalid.WithMessage("client_msg_id must be a UUID")
	}
	if !p.sendLimit.allow(p.s.cfg.Now()) {
		return protocol.ErrRateLimited.WithMessage("more than %g messages a second; resend later with the same client_msg_id", p.s.cfg.SendRate)
	}
	if d.Kind == "" {
		d.Kind = protocol.KindText
	}
	card, perr := p.checkContent(&d)
	if perr != nil {
		return perr
	}
	switch d.Visibility {
	case "":
		d.Visibility = protocol.VisibilityPublic
	case protocol.VisibilityPublic:
	case protocol.VisibilityInternal:
		if !isStaff(p.user.Role) {
			return protocol.ErrForbidden.WithMessage("customers cannot write internal notes")
		}
	case protocol.VisibilityWhisper:
		if !isStaff(p.user.Role) {
			return protocol.ErrForbidden.WithMessage("customers cannot whisper")
		}
	default:
		return protocol.ErrInvalid.WithMessage("visibility must be %q, %q or %q", protocol.VisibilityPublic, protocol.VisibilityInternal, protocol.VisibilityWhisper)
	}
	if perr := validateExt(d.Ext); perr != nil {
		return perr
	}
	conv, perr := p.readable(ctx, d.ConversationID)
	if perr != nil {
		return perr
	}
	var att *store.Attachment
	if protocol.IsAttachmentKind(d.Kind) {
		if att, perr = p.attachment(ctx, conv, d); perr != nil {
			return perr
		}
	}
	_, perr = p.s.convs.Send(ctx, conversations.SendInput{
		By:           p.convActor(),
		Conversation: conv,
		ClientMsgID:  d.ClientMsgID,
		Kind:         d.Kind,
		Visibility:   d.Visibility,
		Text:         d.Text,
		Attachment:   att,
		Card:         card,
		Ext:          cleanExt(d.Ext),
		Locale:       p.locale,
	}, func(res store.AppendResult) {
		p.reply(protocol.TypeAck, f.ID, protocol.AckData{
			ConversationID: res.Message.ConversationID,
			ClientMsgID:    res.Message.ClientMsgID,
			Seq:            res.Message.Seq,
			Epoch:          res.Conversation.Epoch,
			CreatedAt:      res.Message.CreatedAt,
			Duplicate:      res.Duplicate,
		})
	})
	return perr
}

// maxSyncLimit is the largest page a sync returns.
const maxSyncLimit = 500

func (p *peer) sync(ctx context.Context, f protocol.Frame) *protocol.Error {
	var d protocol.SyncData
	if perr := protocol.DecodeData(f, &d); perr != nil {
		return perr
	}
	if d.AfterSeq < 0 || d.BeforeSeq < 0 || d.Limit < 0 {
		return protocol.ErrInvalid.WithMessage("after_seq, before_seq and limit must not be negative")
	}
	limit := d.Limit
	if limit == 0 || limit > maxSyncLimit {
		limit = maxSyncLimit
	}
	conv, perr := p.readable(ctx, d.ConversationID)
	if perr != nil {
		return perr
	}
	msgs, err := p.s.store.Messages(ctx, store.MessageQuery{
		ConversationID: conv.ID, AfterSeq: d.AfterSeq, BeforeSeq: d.BeforeSeq, Limit: limit + 1, PublicOnly: p.isCustomer(),
	})
	if err != nil {
		return p.storeError("sync", err)
	}
	// One more than the page was read to learn whether there is more: the
	// newest one going forward, the oldest one going back.
	hasMore := len(msgs) > limit
	switch {
	case hasMore && d.BeforeSeq > 0:
		msgs = msgs[1:]
	case hasMore:
		msgs = msgs[:limit]
	}
	out := make([]protocol.Message, len(msgs))
	for i, m := range msgs {
		out[i] = toProtoMessage(m)
	}
	if kept := fitHistory(out, d.BeforeSeq > 0); len(kept) < len(out) {
		out, hasMore = kept, true
	}
	via := "sync"
	if d.BeforeSeq > 0 {
		via = "history"
	}
	p.auditRead(ctx, conv, via)
	p.reply(protocol.TypeHistory, f.ID, protocol.HistoryData{
		ConversationID: conv.ID, Epoch: conv.Epoch, Messages: out, HasMore: hasMore,
	})
	return nil
}

// fitHistory cuts a page of messages to protocol.MaxHistoryBytes of JSON,
// keeping at least one: the oldest going forward, the newest going back
// (scrollback), so the client's next page continues where this one ends.
func fitHistory(msgs []protocol.Message, backward bool) []protocol.Message {
	total := 0
	for i := range msgs {
		j := i
		if backward {
			j = len(msgs) - 1 - i
		}
		b, err := json.Marshal(msgs[j])
		if err != nil {
			continue
		}
		total += len(b) + 1
		if total > protocol.MaxHistoryBytes && i > 0 {
			if backward {
				return msgs[j+1:]
			}
			return msgs[:j]
		}
	}
	return msgs
}

func (p *peer) resolve(ctx context.Context, f protocol.Frame) *protocol.Error {
	before, perr := p.staffConversation(ctx, f, "only agents resolve conversations")
	if perr != nil {
		return perr
	}
	return p.s.convs.Resolve(ctx, p.convActor(), before, p.replyConversation(f))
}

func (p *peer) eventMessage(typ, reason string) store.NewMessage {
	return conversations.EventMessage(p.convActor(), typ, reason)
}

// change applies a state change the user asked for (package
// conversations) and answers with the new conversation.
func (p *peer) change(ctx context.Context, f protocol.Frame, before store.Conversation, sc store.StateChange) *protocol.Error {
	return p.s.convs.Change(ctx, p.convActor(), before, sc, p.replyConversation(f))
}

// replyConversation answers frame f with a conversation.
func (p *peer) replyConversation(f protocol.Frame) func(store.Conversation) {
	return func(c store.Conversation) { p.reply(protocol.TypeConversation, f.ID, p.conversation(c)) }
}

// systemEvent is an event message the server writes on its own account.
var systemEvent = conversations.SystemEvent
