package app

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"switchboard/app/cache"
	"switchboard/app/conn"
	"switchboard/protocol"
)

// syncPage is how many messages one sync request asks for (the server's maximum).
const syncPage = 500

// outboxRetry is the pause before resending after a transient refusal.
const outboxRetry = 2 * time.Second

// session is one signed-in user on one server: the cache, the connection
// manager, and the two workers that talk to the server on the UI's behalf
// (one syncs transcripts and lists, one drains the outbox), so neither work
// runs on the connection's reader.
type session struct {
	svc       *Service
	log       *slog.Logger
	serverURL string
	// tokens holds the agent's access and refresh tokens and renews them;
	// the connection, uploads and downloads take the access token from it.
	tokens  *conn.Refresher
	cache   *cache.Cache
	uploads *uploader
	mgr     *conn.Manager
	sup     *supervision

	jobs        *jobQueue
	outboxKick  chan struct{}
	ctx         context.Context
	cancel      context.CancelFunc
	wg          sync.WaitGroup
	closeOnce   sync.Once
	startedOnce sync.Once
	// forgotten is set once the session is signed out, ended by the
	// server or replaced by another sign-in: a refresh that finishes later
	// must not keep its tokens. A session closed because the app stops
	// stays kept, and so do its tokens renewed until then.
	forgotten atomic.Bool
	// clockOffset is the server's clock minus the local one, in
	// milliseconds, as measured at the last welcome: token expiries are on
	// the server's clock.
	clockOffset atomic.Int64

	// mu guards user, status, chosen, statusGen, gen and touched.
	mu   sync.Mutex
	user protocol.User
	// status is the routing status in force, as the server last answered;
	// chosen is the agent's latest choice, sent or on its way. The server keeps it
	// only while the agent has a connection and starts every connection
	// online, so it is sent again after each welcome when it is not online.
	// statusGen counts the agent's choices, so a late reply to an older
	// request does not overwrite a newer choice.
	status    string
	chosen    string
	statusGen uint64
	// touched records, per conversation, the gen of the last change the
	// server pushed, so a list reply that was computed before that change
	// neither drops a conversation that has just appeared nor puts back
	// an older copy of it.
	gen     uint64
	touched map[string]uint64
	// convMu makes each change of a cached conversation whole: a touch
	// and the write of the copy that caused it, a list's check of
	// touchedSince and the write or delete it allows, a read of the
	// cached copy and the changed copy written back. Without it a list
	// reply checked before a push could still be written after it.
	convMu sync.Mutex

	// settledEarly holds the client_msg_ids of the agent's own messages
	// acknowledged while a gap kept them from being shown in order: when
	// the gap fills they are already known to the UI and are not emitted
	// again as messages. Guarded by mu.
	settledEarly map[string]bool
}

var _ conn.Handler = (*session)(nil)

// cachePath names the cache of one user on one server.
func cachePath(dir, serverURL, userID string) string {
	h := sha256.Sum256([]byte(serverURL + "\x00" + userID))
	return filepath.Join(dir, "cache-"+hex.EncodeToString(h[:8])+".db")
}

func openSession(ctx context.Context, svc *Service, serverURL string, res conn.LoginResult) (*session, error) {
	c, err := svc.openCache(ctx, cachePath(svc.cfg.Dir, serverURL, res.User.ID))
	if err != nil {
		return nil, err
	}
	s := &session{
		svc:        svc,
		log:        svc.log.With("user_id", res.User.ID),
		serverURL:  serverURL,
		cache:      c,
		user:       res.User,
		status:     protocol.StatusOnline,
		chosen:     protocol.StatusOnline,
		jobs:       newJobQueue(),
		outboxKick: make(chan struct{}, 1),
		touched:    map[string]uint64{},
		sup:        newSupervision(),
	}
	s.tokens = conn.NewRefresher(svc.cfg.HTTPClient, serverURL, res, s.keepTokens)
	s.mgr, err = conn.New(conn.Config{
		ServerURL:      serverURL,
		Tokens:         s.tokens,
		Handler:        s,
		Logger:         s.log,
		RequestTimeout: svc.cfg.RequestTimeout,
		MinBackoff:     svc.cfg.ReconnectMin,
		MaxBackoff:     svc.cfg.ReconnectMax,
	})
	if err != nil {
		c.Close()
		return nil, err
	}
	s.uploads = newUploader(s)
	return s, nil
}

func (s *session) start(ctx context.Context) {
	s.startedOnce.Do(func() {
		s.ctx, s.cancel = context.WithCancel(ctx)
		s.wg.Go(s.runJobs)
		s.wg.Go(s.runOutbox)
		s.mgr.Start(s.ctx)
		s.wg.Go(func() { s.uploads.resumeAll(s.ctx) })
		s.wg.Go(func() { s.checkUpdates(s.ctx) })
	})
}

// close stops the connection and the workers and closes the cache. It is
// idempotent and must not be called from a conn.Handler method.
func (s *session) close() {
	s.closeOnce.Do(func() {
		if s.cancel != nil {
			s.cancel()
		}
		s.sup.stop()
		s.mgr.Close()
		s.wg.Wait()
		if err := s.cache.Close(); err != nil {
			s.log.Warn("close cache", "err", err)
		}
	})
}

// keepTokens keeps a renewed pair of tokens in the keychain, so the next
// start resumes with the refresh token that is still good (the one before
// it is used up). A session that has ended keeps nothing.
func (s *session) keepTokens(res conn.LoginResult) {
	if s.forgotten.Load() {
		return
	}
	s.svc.saveSession(storedSessionOf(s.serverURL, res))
}

// tokenMargin is how long an access token must still be good for an HTTP
// call to use it rather than renew it first.
const tokenMargin = 30 * time.Second

// accessToken returns an access token for an HTTP call, renewed first when
// it is about to expire. If renewing fails the old one is returned: the
// server's refusal then says why.
func (s *session) accessToken(ctx context.Context) string {
	tok, exp := s.tokens.Token()
	left := time.Duration(exp-time.Now().UnixMilli()-s.clockOffset.Load()) * time.Millisecond
	if left > tokenMargin || s.tokens.Current().RefreshToken == "" {
		return tok
	}
	if fresh, _, err := s.tokens.Refresh(ctx, tok); err == nil {
		return fresh
	}
	return tok
}

func (s *session) me() protocol.User {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.user
}

// putChanged caches c, a copy the server pushed or answered with just
// now: newer than any list on its way.
func (s *session) putChanged(ctx context.Context, c protocol.Conversation) {
	s.convMu.Lock()
	defer s.convMu.Unlock()
	s.touch(c.ID)
	s.putConversation(ctx, c)
}

// takeEpoch gives the cached copy of conversation id the server's epoch
// and reports whether it moved: the server reset the history, so the
// cached messages are dropped (the cache does it on the epoch's change).
func (s *session) takeEpoch(ctx context.Context, id string, epoch int64) (moved bool, err error) {
	if epoch == 0 {
		return false, nil
	}
	err = s.changeCached(ctx, id, func(c *protocol.Conversation) bool {
		moved = c.Epoch != 0 && c.Epoch != epoch
		c.Epoch = epoch
		return moved
	})
	return moved, err
}

// changeCached applies change to the cached copy of conversation id, if
// there is one, and caches the result when change reports it changed.
func (s *session) changeCached(ctx context.Context, id string, change func(*protocol.Conversation) bool) error {
	s.convMu.Lock()
	defer s.convMu.Unlock()
	c, ok, err := s.cache.Conversation(ctx, id)
	if err != nil || !ok || !change(&c) {
		return err
	}
	s.putConversation(ctx, c)
	return nil
}

func (s *session) touch(id string) {
	s.mu.Lock()
	s.gen++
	s.touched[id] = s.gen
	s.mu.Unlock()
}

func (s *session) generation() uint64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.gen
}

func (s *session) touchedSince(id string, gen uint64) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.touched[id] > gen
}

func (s *session) emit(name string, data any) {
	if s.svc.isCurrent(s) {
		s.svc.emit(name, data)
	}
}

func (s *session) kickOutbox() {
	select {
	case s.outboxKick <- struct{}{}:
	default:
	}
}

// --- conn.Handler: called from the connection's reader, in order ---

// Resume implements conn.Handler.
func (s *session) Resume() map[string]int64 {
	seqs, err := s.cache.SyncedSeqs(s.ctx)
	if err != nil {
		s.log.Warn("cannot read resume points", "err", err)
		return nil
	}
	return seqs
}

func (s *session) currentStatus() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.status
}

// StateChanged implements conn.Handler.
func (s *session) StateChanged(st conn.State, err error) {
	cs := ConnState{State: string(st), Pending: s.pendingCount(), Status: s.currentStatus()}
	if err != nil && st == conn.StateOffline {
		cs.Error = err.Error()
	}
	s.svc.setConn(s, cs)
}

// pendingCount reads the outbox size; on a cache error it reports 0 and logs.
func (s *session) pendingCount() int {
	n, err := s.cache.OutboxCount(s.ctx)
	if err != nil {
		s.log.Warn("cannot count the outbox", "err", err)
	}
	return n
}

// updatePending re-reads the outbox size after it may have changed and
// emits conn:state when it did.
func (s *session) updatePending() {
	s.svc.setPending(s, s.pendingCount())
}

// Ended implements conn.Handler.
func (s *session) Ended(err *protocol.Error) {
	s.svc.sessionEnded(s, err.Code)
}

// Welcome implements conn.Handler. The welcome lists every open conversation
// of the agent, so cached ones it no longer lists are dropped; every listed
// one with messages beyond the cache is synced, and the outbox is resent.
func (s *session) Welcome(w protocol.WelcomeData) {
	received := time.Now().UnixMilli()
	s.mu.Lock()
	if w.User.ID != "" {
		s.user = w.User
	}
	restore := s.chosen != protocol.StatusOnline
	s.mu.Unlock()
	if w.ServerTime > 0 {
		// The welcome left the server at most a round trip ago: close
		// enough for a countdown in seconds.
		offset := w.ServerTime - received
		s.clockOffset.Store(offset)
		s.svc.updateConn(s, func(cs *ConnState) { cs.ClockOffsetMS = offset })
	}
	if restore {
		s.jobs.add(jobStatus())
	}
	s.jobs.add(jobResubscribe())
	s.reconcile(s.ctx, "", w.Conversations, s.generation())
	for _, c := range w.Conversations {
		synced, err := s.cache.SyncedSeq(s.ctx, c.ID)
		if err != nil || c.LastSeq == 0 || c.LastSeq > synced {
			s.jobs.add(jobSync(c.ID))
		}
	}
	s.kickOutbox()
}

// Push implements conn.Handler.
func (s *session) Push(f protocol.Frame) {
	ctx := s.ctx
	switch f.Type {
	case protocol.TypeMessage:
		var m protocol.Message
		if perr := protocol.DecodeData(f, &m); perr != nil {
			s.log.Warn("unreadable message push", "err", perr)
			return
		}
		st, err := s.cache.PutMessages(ctx, []protocol.Message{m})
		if err != nil {
			s.log.Warn("cache write failed", "conversation_id", m.ConversationID, "err", err)
			return
		}
		s.emitStored(ctx, st, nil)
		synced, err := s.cache.SyncedSeq(ctx, m.ConversationID)
		if err != nil {
			s.log.Warn("cache read failed", "conversation_id", m.ConversationID, "err", err)
		}
		if m.Seq > synced {
			// A gap (or nothing cached yet): the message waits in the cache
			// until a sync fills what precedes it.
			s.jobs.add(jobSync(m.ConversationID))
		}
	case protocol.TypeConversation:
		var c protocol.Conversation
		if perr := protocol.DecodeData(f, &c); perr != nil {
			s.log.Warn("unreadable conversation push", "err", perr)
			return
		}
		s.putChanged(ctx, c)
	case protocol.TypeAck:
		var ack protocol.AckData
		if perr := protocol.DecodeData(f, &ack); perr != nil {
			s.log.Warn("unreadable ack push", "err", perr)
			return
		}
		items, err := s.cache.Outbox(ctx, ack.ConversationID)
		if err != nil {
			s.log.Warn("cache read failed", "err", err)
			return
		}
		for _, it := range items {
			if it.ClientMsgID == ack.ClientMsgID {
				s.acked(ctx, it, ack)
			}
		}
	case protocol.TypeRead:
		s.readPush(ctx, f)
	case protocol.TypeAccess:
		// An admin changed this account: what it may see changed with it.
		var u protocol.User
		if perr := protocol.DecodeData(f, &u); perr != nil || u.ID == "" {
			s.log.Warn("unreadable access push", "err", perr)
			return
		}
		s.mu.Lock()
		s.user = u
		s.mu.Unlock()
		s.log.Info("access changed by an admin", "role", u.Role, "teams", u.Teams)
		s.emit(EventUser, u)
		s.jobs.add(jobList(protocol.ListMine))
		s.jobs.add(jobList(protocol.ListQueue))
		if isSupervisor(u) {
			s.jobs.add(jobList(protocol.ListTeams))
		}
	case protocol.TypeCannedChanged:
		var ch protocol.CannedChange
		if perr := protocol.DecodeData(f, &ch); perr != nil || ch.Response.ID == "" {
			s.log.Warn("unreadable canned push", "err", perr)
			return
		}
		s.emit(EventCannedChanged, ch)
	default:
		data, ok, perr := decodeSupervisionPush(f)
		if perr != nil {
			s.log.Warn("unreadable push", "type", f.Type, "err", perr)
			return
		}
		if ok {
			s.supervisionPush(f.Type, data)
			return
		}
		s.log.Debug("ignored push", "type", f.Type)
	}
}

// putConversation caches a conversation and tells the UI if it changed.
func (s *session) putConversation(ctx context.Context, c protocol.Conversation) {
	changed, reset, err := s.cache.PutConversation(ctx, c)
	if err != nil {
		s.log.Warn("cache write failed", "conversation_id", c.ID, "err", err)
		return
	}
	if changed {
		s.emit(EventConversation, c)
	}
	if reset {
		s.jobs.add(jobSync(c.ID))
	}
}

// --- bound operations ---

// filterStates are the states a filter can show.
func filterStates(filter string) ([]string, bool) {
	switch filter {
	case protocol.ListMine:
		return []string{protocol.StateActive, protocol.StateWaitingCustomer}, true
	case protocol.ListQueue:
		return []string{protocol.StateQueued}, true
	case protocol.ListTeams:
		return []string{protocol.StateQueued, protocol.StateActive, protocol.StateWaitingCustomer}, true
	}
	return nil, false
}

// matches reports whether conversation c belongs in filter ("" = either) for
// user u. A conversation offered to u belongs too: a transfer offer (still
// assigned to its sender) among u's own, a routing offer in the queue.
func matches(filter string, u protocol.User, c protocol.Conversation) bool {
	open := c.State == protocol.StateActive || c.State == protocol.StateWaitingCustomer
	offered := u.ID != "" && c.OfferAgentID == u.ID
	mine := open && (c.AssigneeID == u.ID || offered)
	queued := c.State == protocol.StateQueued &&
		(len(u.Teams) == 0 || slices.Contains(u.Teams, c.Team) || offered)
	switch filter {
	case protocol.ListMine:
		return mine
	case protocol.ListQueue:
		return queued
	case protocol.ListTeams:
		return (open || c.State == protocol.StateQueued) &&
			(u.Role == protocol.RoleAdmin || u.Role == protocol.RoleSupervisor && slices.Contains(u.Teams, c.Team))
	}
	return mine || queued
}

func (s *session) listConversations(ctx context.Context, filter string) ([]protocol.Conversation, error) {
	states, ok := filterStates(filter)
	if !ok {
		return nil, protocol.ErrInvalid.WithMessage("filter must be %q, %q or %q", protocol.ListMine, protocol.ListQueue, protocol.ListTeams)
	}
	if filter == protocol.ListTeams && !isSupervisor(s.me()) {
		return nil, protocol.ErrForbidden.WithMessage("only supervisors and admins list their teams' conversations")
	}
	all, err := s.cache.Conversations(ctx, states...)
	if err != nil {
		return nil, err
	}
	me := s.me()
	out := []protocol.Conversation{}
	for _, c := range all {
		if matches(filter, me, c) {
			out = append(out, c)
		}
	}
	if filter == protocol.ListQueue {
		// Longest waiting first.
		slices.SortStableFunc(out, func(a, b protocol.Conversation) int { return cmpInt(a.CreatedAt, b.CreatedAt) })
	}
	s.jobs.add(jobList(filter))
	return out, nil
}

func cmpInt(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// reconcile stores the server's list for filter ("" = the welcome's full
// list) and drops the cached conversations it should contain but does not,
// unless a push changed them after gen.
func (s *session) reconcile(ctx context.Context, filter string, list []protocol.Conversation, gen uint64) {
	listed := map[string]bool{}
	for _, c := range list {
		listed[c.ID] = true
		s.convMu.Lock()
		// A push or a reply that changed it while the list was on its
		// way makes the list's copy older.
		if !s.touchedSince(c.ID, gen) {
			s.putConversation(ctx, c)
		}
		s.convMu.Unlock()
	}
	states := []string{protocol.StateQueued, protocol.StateActive, protocol.StateWaitingCustomer}
	if filter != "" {
		states, _ = filterStates(filter)
	}
	cached, err := s.cache.Conversations(ctx, states...)
	if err != nil {
		s.log.Warn("cache read failed", "err", err)
		return
	}
	me := s.me()
	for _, c := range cached {
		if listed[c.ID] || !matches(filter, me, c) {
			continue
		}
		s.dropUnlisted(ctx, c.ID, gen)
	}
}

// dropUnlisted deletes cached conversation id, which a list computed at
// gen no longer holds, unless a push or a reply changed it since.
func (s *session) dropUnlisted(ctx context.Context, id string, gen uint64) {
	s.convMu.Lock()
	defer s.convMu.Unlock()
	if s.touchedSince(id, gen) {
		return
	}
	if err := s.cache.DeleteConversation(ctx, id); err != nil {
		s.log.Warn("cache write failed", "conversation_id", id, "err", err)
		return
	}
	s.emit(EventConversationRemoved, ConversationRemoved{ConversationID: id})
}

func (s *session) transcript(ctx context.Context, id string) ([]protocol.Message, error) {
	if id == "" {
		return nil, protocol.ErrInvalid.WithMessage("conversation id is empty")
	}
	msgs, err := s.cache.Messages(ctx, id)
	if err != nil {
		return nil, err
	}
	incomplete, err := s.incomplete(ctx, id, msgs)
	if err != nil {
		return nil, err
	}
	if incomplete {
		// The cache is known to lack messages: worth waiting for the server
		// once rather than showing a transcript with holes.
		if st, _ := s.mgr.State(); st == conn.StateOnline {
			err := s.syncConversation(ctx, id)
			if pe, ok := errors.AsType[*protocol.Error](err); ok && !pe.Retryable {
				return nil, pe
			}
			if err != nil {
				s.log.Info("transcript sync failed; showing the cache", "conversation_id", id, "err", err)
			}
			if msgs, err = s.cache.Messages(ctx, id); err != nil {
				return nil, err
			}
		}
	} else {
		s.jobs.add(jobSync(id))
	}
	pending, err := s.cache.Outbox(ctx, id)
	if err != nil {
		return nil, err
	}
	me := s.me()
	for _, it := range pending {
		msgs = append(msgs, pendingMessage(me, it))
	}
	return msgs, nil
}

// incomplete reports whether the cached transcript msgs of a conversation is
// known to lack messages: nothing cached, a gap, or the conversation's
// last_seq beyond what is cached.
func (s *session) incomplete(ctx context.Context, id string, msgs []protocol.Message) (bool, error) {
	if len(msgs) == 0 {
		return true, nil
	}
	synced, err := s.cache.SyncedSeq(ctx, id)
	if err != nil {
		return false, err
	}
	if synced < msgs[len(msgs)-1].Seq {
		return true, nil
	}
	c, ok, err := s.cache.Conversation(ctx, id)
	if err != nil {
		return false, err
	}
	return ok && c.LastSeq > synced, nil
}

// pendingMessage shows an outbox entry as a message without a seq.
func pendingMessage(me protocol.User, it cache.OutboxItem) protocol.Message {
	kind := it.Kind
	if kind == "" {
		kind = protocol.KindText
	}
	return protocol.Message{
		ConversationID: it.ConversationID,
		ClientMsgID:    it.ClientMsgID,
		Sender:         protocol.Sender{Role: me.Role, ID: me.ID, Name: me.Name},
		Kind:           kind,
		Visibility:     protocol.VisibilityPublic,
		Text:           it.Text,
		Attachment:     it.Attachment,
		Card:           it.Card,
		CreatedAt:      it.CreatedAt,
	}
}

func (s *session) send(ctx context.Context, id, text string) (protocol.Message, error) {
	if id == "" {
		return protocol.Message{}, protocol.ErrInvalid.WithMessage("conversation id is empty")
	}
	if strings.TrimSpace(text) == "" {
		return protocol.Message{}, protocol.ErrInvalid.WithMessage("message text is empty")
	}
	if n := utf8.RuneCountInString(text); n > protocol.MaxTextRunes {
		return protocol.Message{}, protocol.ErrTextTooLong.WithMessage(
			"message text is %d characters; the limit is %d", n, protocol.MaxTextRunes)
	}
	cmid, err := uuid.NewV7()
	if err != nil {
		return protocol.Message{}, fmt.Errorf("new client_msg_id: %w", err)
	}
	it := cache.OutboxItem{
		ClientMsgID:    cmid.String(),
		ConversationID: id,
		Text:           text,
		CreatedAt:      time.Now().UnixMilli(),
	}
	if err := s.cache.AddOutbox(ctx, it); err != nil {
		return protocol.Message{}, err
	}
	s.updatePending()
	s.kickOutbox()
	return pendingMessage(s.me(), it), nil
}

func (s *session) transition(ctx context.Context, typ, id string) (protocol.Conversation, error) {
	if id == "" {
		return protocol.Conversation{}, protocol.ErrInvalid.WithMessage("conversation id is empty")
	}
	var c protocol.Conversation
	if err := s.mgr.Request(ctx, typ, protocol.ConversationRef{ConversationID: id}, &c); err != nil {
		return protocol.Conversation{}, err
	}
	s.putChanged(ctx, c)
	s.jobs.add(jobSync(c.ID))
	return c, nil
}

func (s *session) transfer(ctx context.Context, d protocol.TransferData) (protocol.Conversation, error) {
	return s.passOn(ctx, protocol.TypeTransfer, d.ConversationID, d.ToAgentID, d.ToTeam, d.Note, d)
}

// passOn sends a frame (data) that gives conversation id to an agent or a
// team with a note (transfer, reassign), after checking what the server
// would refuse, and caches the answer.
func (s *session) passOn(ctx context.Context, typ, id, toAgent, toTeam, note string, data any) (protocol.Conversation, error) {
	if id == "" {
		return protocol.Conversation{}, protocol.ErrInvalid.WithMessage("conversation id is empty")
	}
	if (toAgent == "") == (toTeam == "") {
		return protocol.Conversation{}, protocol.ErrInvalid.WithMessage("name exactly one of an agent and a team")
	}
	if n := utf8.RuneCountInString(note); n > protocol.MaxNoteRunes {
		return protocol.Conversation{}, protocol.ErrInvalid.WithMessage(
			"the note is %d characters; the limit is %d", n, protocol.MaxNoteRunes)
	}
	var c protocol.Conversation
	if err := s.mgr.Request(ctx, typ, data, &c); err != nil {
		return protocol.Conversation{}, err
	}
	s.putChanged(ctx, c)
	s.jobs.add(jobSync(c.ID))
	return c, nil
}

func (s *session) context(ctx context.Context, id string) (protocol.ContextData, error) {
	if id == "" {
		return protocol.ContextData{}, protocol.ErrInvalid.WithMessage("conversation id is empty")
	}
	var d protocol.ContextData
	if err := s.mgr.Request(ctx, protocol.TypeContext, protocol.ConversationRef{ConversationID: id}, &d); err != nil {
		return protocol.ContextData{}, err
	}
	if d.Previous == nil {
		d.Previous = []protocol.PastConversation{}
	}
	return d, nil
}

// setTags checks and normalizes the tags as the server would, so a bad one
// is refused without a round trip, and caches the conversation the server
// answers with, as a conversation push would.
func (s *session) setTags(ctx context.Context, d protocol.TagData) (protocol.Conversation, error) {
	if d.ConversationID == "" {
		return protocol.Conversation{}, protocol.ErrInvalid.WithMessage("conversation id is empty")
	}
	if len(d.Add) == 0 && len(d.Remove) == 0 {
		return protocol.Conversation{}, protocol.ErrInvalid.WithMessage("no tags to add or remove")
	}
	if len(d.Add) > protocol.MaxTags || len(d.Remove) > protocol.MaxTags {
		return protocol.Conversation{}, protocol.ErrInvalid.WithMessage(
			"add and remove hold at most %d tags each", protocol.MaxTags)
	}
	var err error
	if d.Add, err = normalizeTags(d.Add); err != nil {
		return protocol.Conversation{}, err
	}
	if d.Remove, err = normalizeTags(d.Remove); err != nil {
		return protocol.Conversation{}, err
	}
	var c protocol.Conversation
	if err := s.mgr.Request(ctx, protocol.TypeTag, d, &c); err != nil {
		return protocol.Conversation{}, err
	}
	s.putChanged(ctx, c)
	return c, nil
}

// normalizeTags normalizes each tag with protocol.NormalizeTag, refusing
// the first it cannot.
func normalizeTags(tags []string) ([]string, error) {
	out := make([]string, 0, len(tags))
	for _, t := range tags {
		norm, ok := protocol.NormalizeTag(t)
		if !ok {
			return nil, protocol.ErrInvalid.WithMessage(
				"tag %q is empty, longer than %d characters or holds control characters", t, protocol.MaxTagRunes)
		}
		out = append(out, norm)
	}
	return out, nil
}

func (s *session) addCustomerNote(ctx context.Context, d protocol.CustomerNoteData) (protocol.CustomerNote, error) {
	if d.ConversationID == "" {
		return protocol.CustomerNote{}, protocol.ErrInvalid.WithMessage("conversation id is empty")
	}
	d.Text = strings.TrimSpace(d.Text)
	if n := utf8.RuneCountInString(d.Text); n == 0 || n > protocol.MaxCustomerNoteRunes {
		return protocol.CustomerNote{}, protocol.ErrInvalid.WithMessage(
			"the note is %d characters; it must have 1 to %d", n, protocol.MaxCustomerNoteRunes)
	}
	var n protocol.CustomerNote
	if err := s.mgr.Request(ctx, protocol.TypeCustomerNote, d, &n); err != nil {
		return protocol.CustomerNote{}, err
	}
	return n, nil
}

func (s *session) directory(ctx context.Context) (protocol.DirectoryData, error) {
	var d protocol.DirectoryData
	if err := s.mgr.Request(ctx, protocol.TypeDirectory, nil, &d); err != nil {
		return protocol.DirectoryData{}, err
	}
	if d.Agents == nil {
		d.Agents = []protocol.AgentInfo{}
	}
	if d.Teams == nil {
		d.Teams = []protocol.TeamInfo{}
	}
	return d, nil
}

// setStatus asks the server for a routing status and remembers it for the
// next connections. It needs the server: offline, the choice is refused
// rather than shown as in force.
func (s *session) setStatus(ctx context.Context, status string) (string, error) {
	switch status {
	case protocol.StatusOnline, protocol.StatusAway, protocol.StatusOffline:
	default:
		return "", protocol.ErrInvalid.WithMessage("status must be online, away or offline")
	}
	s.mu.Lock()
	s.statusGen++
	gen := s.statusGen
	s.chosen = status
	s.mu.Unlock()
	var d protocol.StatusData
	if err := s.mgr.Request(ctx, protocol.TypeStatus, protocol.StatusData{Status: status}, &d); err != nil {
		s.mu.Lock()
		if gen == s.statusGen {
			s.chosen = s.status
		}
		s.mu.Unlock()
		return "", err
	}
	s.recordStatus(gen, d.Status)
	return d.Status, nil
}

// recordStatus keeps the status the server answered a request of status
// generation gen with, unless a newer request was made meanwhile: the
// replies of a restore and of the agent's own choice may be handled in
// either order, and the choice must win.
func (s *session) recordStatus(gen uint64, status string) {
	if status == "" {
		return
	}
	s.mu.Lock()
	if gen != s.statusGen {
		s.mu.Unlock()
		return
	}
	s.status = status
	s.mu.Unlock()
	s.svc.updateConn(s, func(cs *ConnState) { cs.Status = status })
}

// restoreStatus sends the chosen status again after a reconnect. If the
// agent chose another status while it was on its way, the server may have
// handled the two in either order, so the newer choice is sent once more.
func (s *session) restoreStatus(ctx context.Context) error {
	for again := false; ; again = true {
		// The latest choice, answered or not: the reply to the agent's
		// own request may still be on its way.
		s.mu.Lock()
		status, gen := s.chosen, s.statusGen
		s.mu.Unlock()
		if status == protocol.StatusOnline && !again {
			return nil
		}
		var d protocol.StatusData
		if err := s.mgr.Request(ctx, protocol.TypeStatus, protocol.StatusData{Status: status}, &d); err != nil {
			return err
		}
		s.mu.Lock()
		current := gen == s.statusGen
		s.mu.Unlock()
		if current || again {
			s.recordStatus(gen, d.Status)
			return nil
		}
	}
}

// --- workers ---

// runJobs syncs transcripts and refreshes lists, one job at a time.
func (s *session) runJobs() {
	for {
		j, ok := s.jobs.next(s.ctx)
		if !ok {
			return
		}
		if st, _ := s.mgr.State(); st != conn.StateOnline {
			// The next welcome schedules what matters again.
			continue
		}
		var err error
		switch j.kind {
		case "sync":
			err = s.syncConversation(s.ctx, j.arg)
		case "list":
			err = s.refreshList(s.ctx, j.arg)
		case "status":
			err = s.restoreStatus(s.ctx)
		case "resubscribe":
			err = s.resubscribe(s.ctx)
		}
		if err != nil && s.ctx.Err() == nil {
			s.log.Info("background job failed", "job", j.kind, "arg", j.arg, "err", err)
		}
	}
}

// syncConversation fetches the messages after the cached last seq, page by
// page, and emits those that are new. If the server's epoch moved, the cache
// of the conversation is dropped and fetched again from the start.
func (s *session) syncConversation(ctx context.Context, id string) error {
	after, err := s.cache.SyncedSeq(ctx, id)
	if err != nil {
		return err
	}
	reset := false
	for {
		var h protocol.HistoryData
		err := s.mgr.Request(ctx, protocol.TypeSync,
			protocol.SyncData{ConversationID: id, AfterSeq: after, Limit: syncPage}, &h)
		if err != nil {
			return err
		}
		if !reset {
			moved, err := s.takeEpoch(ctx, id, h.Epoch)
			if err != nil {
				return err
			}
			if moved {
				reset, after = true, 0
				continue
			}
		}
		st, err := s.cache.PutMessages(ctx, h.Messages)
		if err != nil {
			return err
		}
		s.emitStored(ctx, st, nil)
		if !h.HasMore || len(h.Messages) == 0 {
			return nil
		}
		after = h.Messages[len(h.Messages)-1].Seq
	}
}

func (s *session) refreshList(ctx context.Context, filter string) error {
	gen := s.generation()
	var list protocol.ConversationList
	if err := s.mgr.Request(ctx, protocol.TypeList, protocol.ListData{Filter: filter}, &list); err != nil {
		return err
	}
	s.reconcile(ctx, filter, list.Conversations, gen)
	return nil
}

// runOutbox sends the outbox, oldest first, one message at a time so the
// server numbers them in the order they were written.
func (s *session) runOutbox() {
	var retry <-chan time.Time
	for {
		select {
		case <-s.ctx.Done():
			return
		case <-s.outboxKick:
		case <-retry:
		}
		retry = nil
		if s.flushOutbox(s.ctx) {
			retry = time.After(outboxRetry)
		}
	}
}

// flushOutbox sends every outbox entry and reports whether it should be
// tried again soon (a transient refusal while online).
func (s *session) flushOutbox(ctx context.Context) bool {
	items, err := s.cache.Outbox(ctx, "")
	if err != nil {
		s.log.Warn("cache read failed", "err", err)
		return true
	}
	for _, it := range items {
		var ack protocol.AckData
		err := s.mgr.Request(ctx, protocol.TypeSend, sendData(it), &ack)
		if err == nil {
			s.acked(ctx, it, ack)
			continue
		}
		if ctx.Err() != nil {
			return false
		}
		pe, ok := errors.AsType[*protocol.Error](err)
		if !ok || pe.Retryable {
			st, _ := s.mgr.State()
			return st == conn.StateOnline
		}
		s.log.Info("message refused", "conversation_id", it.ConversationID, "client_msg_id", it.ClientMsgID, "code", pe.Code)
		if err := s.cache.RemoveOutbox(ctx, it.ClientMsgID); err != nil {
			s.log.Warn("cache write failed", "err", err)
		}
		s.emit(EventSendFailed, SendFailure{
			ConversationID: it.ConversationID, ClientMsgID: it.ClientMsgID, Code: pe.Code, Message: pe.Message,
		})
		s.updatePending()
	}
	return false
}

// acked stores an acknowledged message under its seq and tells the UI.
func (s *session) acked(ctx context.Context, it cache.OutboxItem, ack protocol.AckData) {
	m := pendingMessage(s.me(), it)
	m.Seq, m.CreatedAt = ack.Seq, ack.CreatedAt
	st, err := s.cache.Ack(ctx, m)
	if err != nil {
		s.log.Warn("cache write failed", "client_msg_id", it.ClientMsgID, "err", err)
		s.emit(EventAck, ack)
		return
	}
	s.emitStored(ctx, st, &ack)
}

// emitStored tells the UI what storing messages changed, in seq order: a
// message of its own that the server numbered arrives as an ack (whether the
// server's ack, a push or a sync brought it), any other message as a message.
// ack, when given, is the server's ack for one of them.
func (s *session) emitStored(ctx context.Context, st cache.Stored, ack *protocol.AckData) {
	if len(st.Settled) > 0 {
		defer s.updatePending()
	}
	acks := map[string]protocol.AckData{}
	for _, m := range st.Settled {
		a := protocol.AckData{ConversationID: m.ConversationID, ClientMsgID: m.ClientMsgID, Seq: m.Seq, CreatedAt: m.CreatedAt}
		if ack != nil && ack.ClientMsgID == m.ClientMsgID {
			a = *ack
		} else if c, ok, err := s.cache.Conversation(ctx, m.ConversationID); err == nil && ok {
			a.Epoch = c.Epoch
		}
		acks[m.ClientMsgID] = a
	}
	for _, m := range st.Ready {
		if a, ok := acks[m.ClientMsgID]; ok && m.ClientMsgID != "" {
			s.emit(EventAck, a)
			delete(acks, m.ClientMsgID)
			continue
		}
		if s.takeSettledEarly(m.ClientMsgID) {
			continue
		}
		s.emit(EventMessage, m)
	}
	// Settled behind a gap: acknowledged all the same.
	for _, m := range st.Settled {
		if a, ok := acks[m.ClientMsgID]; ok {
			s.noteSettledEarly(m.ClientMsgID)
			s.emit(EventAck, a)
		}
	}
}

func (s *session) noteSettledEarly(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.settledEarly == nil {
		s.settledEarly = map[string]bool{}
	}
	s.settledEarly[id] = true
}

// takeSettledEarly reports whether id was acknowledged behind a gap, and
// forgets it.
func (s *session) takeSettledEarly(id string) bool {
	if id == "" {
		return false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.settledEarly[id] {
		return false
	}
	delete(s.settledEarly, id)
	return true
}

// sendData is the send request of an outbox entry.
func sendData(it cache.OutboxItem) protocol.SendData {
	d := protocol.SendData{
		ConversationID: it.ConversationID,
		ClientMsgID:    it.ClientMsgID,
		Kind:           it.Kind,
		Text:           it.Text,
		Visibility:     protocol.VisibilityPublic,
		Card:           it.Card,
	}
	if d.Kind == "" {
		d.Kind = protocol.KindText
	}
	if it.Attachment != nil {
		d.AttachmentID = it.Attachment.ID
	}
	return d
}

// queue writes an outbox entry and wakes the sender.
func (s *session) queue(ctx context.Context, it cache.OutboxItem) (protocol.Message, error) {
	if err := s.cache.AddOutbox(ctx, it); err != nil {
		return protocol.Message{}, err
	}
	s.updatePending()
	s.kickOutbox()
	return pendingMessage(s.me(), it), nil
}
