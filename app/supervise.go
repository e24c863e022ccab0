package app

import (
	"context"
	"errors"
	"slices"
	"sync"
	"time"
	"unicode/utf8"

	"switchboard/protocol"
)

// The bound methods of supervision: a supervisor's floor view, silent
// monitor, whisper, barge-in, take-over and reassign, and the agent's side
// of them (the draft a monitor reads, asking for help).

// draftEvery is the least time between two drafts of one conversation sent
// to the server: the agent's keystrokes are throttled here, and the last
// text always follows once the pause is over.
const draftEvery = 300 * time.Millisecond

// supervision is what a session keeps of supervision across calls and
// reconnects: whether the floor is watched and which conversations this
// user monitors (both subscriptions end with a connection and are made
// again after the next welcome), who monitors each conversation (so the
// agent's drafts go out only while somebody reads them), and the throttle
// of drafts.
type supervision struct {
	// mu guards everything below.
	mu         sync.Mutex
	floor      bool
	monitoring map[string]bool
	monitors   map[string][]protocol.Sender
	drafts     map[string]*draftState
	stopped    bool
}

// draftState is the throttle of one conversation's drafts.
type draftState struct {
	sent    string // the text last sent
	sentAt  time.Time
	pending *string // the newest text, waiting for timer
	timer   *time.Timer
}

func newSupervision() *supervision {
	return &supervision{
		monitoring: map[string]bool{},
		monitors:   map[string][]protocol.Sender{},
		drafts:     map[string]*draftState{},
	}
}

// stop cancels the drafts waiting for the throttle; the session is closing.
func (sv *supervision) stop() {
	sv.mu.Lock()
	defer sv.mu.Unlock()
	sv.stopped = true
	for _, d := range sv.drafts {
		if d.timer != nil {
			d.timer.Stop()
		}
	}
	clear(sv.drafts)
}

// watchedLocked reports whether anyone but me monitors conversation id.
func (sv *supervision) watchedLocked(id, me string) bool {
	return slices.ContainsFunc(sv.monitors[id], func(m protocol.Sender) bool { return m.ID != me })
}

// WatchFloor starts (on) or stops following the floor of the supervisor's
// teams. The answer is the floor now; what changes arrives as floor events,
// each a complete FloorData. The subscription is made again after every
// reconnect until it is stopped.
func (a *App) WatchFloor(on bool) (protocol.FloorData, error) {
	sess, err := a.s.current()
	if err != nil {
		return protocol.FloorData{}, a.s.uiError(protocol.TypeFloor, err)
	}
	ctx, cancel := context.WithTimeout(a.s.context(), requestTimeout)
	defer cancel()
	d, err := sess.watchFloor(ctx, on)
	return d, a.s.uiError(protocol.TypeFloor, err)
}

// Monitor starts (on) or stops a silent monitor of a conversation: its
// messages, whispers, notes and the agent's draft reach the supervisor, the
// customer sees nothing. The answer says who monitors it now.
func (a *App) Monitor(conversationID string, on bool) (protocol.MonitorState, error) {
	sess, err := a.s.current()
	if err != nil {
		return protocol.MonitorState{}, a.s.uiError(protocol.TypeMonitor, err)
	}
	ctx, cancel := context.WithTimeout(a.s.context(), requestTimeout)
	defer cancel()
	st, err := sess.monitor(ctx, conversationID, on)
	return st, a.s.uiError(protocol.TypeMonitor, err)
}

// SendDraft passes the agent's composer text of a conversation to its
// monitors ("" once the composer is cleared or sent). The UI may call it on
// every keystroke: nothing is sent while nobody monitors the conversation,
// and the rest is throttled to one draft every 300 ms, the newest text last.
func (a *App) SendDraft(conversationID, text string) error {
	sess, err := a.s.current()
	if err != nil {
		return a.s.uiError(protocol.TypeDraft, err)
	}
	return a.s.uiError(protocol.TypeDraft, sess.draft(a.s.context(), conversationID, text))
}

// SendWhisper writes a message between supervisors and the agent
// (visibility whisper): stored and shown to staff, never to the customer.
// Like SendNote it needs the connection, and clientMsgID (empty: a new one)
// makes a retry store it once.
func (a *App) SendWhisper(conversationID, clientMsgID, text string) (protocol.Message, error) {
	sess, err := a.s.current()
	if err != nil {
		return protocol.Message{}, a.s.uiError("send whisper", err)
	}
	ctx, cancel := context.WithTimeout(a.s.context(), requestTimeout)
	defer cancel()
	m, err := sess.sendStaff(ctx, conversationID, clientMsgID, text, protocol.VisibilityWhisper)
	return m, a.s.uiError("send whisper", err)
}

// Join barges in: the supervisor joins the conversation visibly and may
// then reply next to the assignee.
func (a *App) Join(conversationID string) (protocol.Conversation, error) {
	return a.transition(protocol.TypeJoin, conversationID)
}

// Leave ends the supervisor's barge-in.
func (a *App) Leave(conversationID string) (protocol.Conversation, error) {
	return a.transition(protocol.TypeLeave, conversationID)
}

// TakeOver makes the supervisor the conversation's assignee.
func (a *App) TakeOver(conversationID string) (protocol.Conversation, error) {
	return a.transition(protocol.TypeTakeOver, conversationID)
}

// Reassign gives a conversation of the supervisor's teams to an agent at
// once (toAgentID, no offer) or to a team's queue (toTeam); exactly one is
// set. note is shown to staff only.
func (a *App) Reassign(conversationID, toAgentID, toTeam, note string) (protocol.Conversation, error) {
	sess, err := a.s.current()
	if err != nil {
		return protocol.Conversation{}, a.s.uiError(protocol.TypeReassign, err)
	}
	ctx, cancel := context.WithTimeout(a.s.context(), requestTimeout)
	defer cancel()
	c, err := sess.reassign(ctx, protocol.ReassignData{
		ConversationID: conversationID, ToAgentID: toAgentID, ToTeam: toTeam, Note: note,
	})
	return c, a.s.uiError(protocol.TypeReassign, err)
}

// Assist raises (on) or lowers the agent's request for a supervisor's help
// with a conversation; the answer shows it in assist_at.
func (a *App) Assist(conversationID string, on bool) (protocol.Conversation, error) {
	sess, err := a.s.current()
	if err != nil {
		return protocol.Conversation{}, a.s.uiError(protocol.TypeAssist, err)
	}
	ctx, cancel := context.WithTimeout(a.s.context(), requestTimeout)
	defer cancel()
	c, err := sess.assist(ctx, conversationID, on)
	return c, a.s.uiError(protocol.TypeAssist, err)
}

// isSupervisor reports whether u may watch the floor and list their teams.
func isSupervisor(u protocol.User) bool {
	return u.Role == protocol.RoleSupervisor || u.Role == protocol.RoleAdmin
}

func (s *session) watchFloor(ctx context.Context, on bool) (protocol.FloorData, error) {
	if on && !isSupervisor(s.me()) {
		return protocol.FloorData{}, protocol.ErrForbidden.WithMessage("the floor is for supervisors and admins")
	}
	if !on {
		// Stopped here whatever the server says: a reconnect must not
		// subscribe again.
		s.sup.mu.Lock()
		s.sup.floor = false
		s.sup.mu.Unlock()
	}
	var d protocol.FloorData
	if err := s.mgr.Request(ctx, protocol.TypeFloor, protocol.FloorRequest{Watch: on}, &d); err != nil {
		return protocol.FloorData{}, err
	}
	if on {
		s.sup.mu.Lock()
		s.sup.floor = true
		s.sup.mu.Unlock()
	}
	return normalFloor(d), nil
}

// normalFloor gives the UI lists, never nulls.
func normalFloor(d protocol.FloorData) protocol.FloorData {
	if d.Teams == nil {
		d.Teams = []protocol.FloorTeam{}
	}
	if d.Agents == nil {
		d.Agents = []protocol.FloorAgent{}
	}
	for i := range d.Teams {
		if d.Teams[i].History == nil {
			d.Teams[i].History = []protocol.FloorSample{}
		}
	}
	for i := range d.Agents {
		if d.Agents[i].Conversations == nil {
			d.Agents[i].Conversations = []protocol.FloorConversation{}
		}
		if d.Agents[i].Teams == nil {
			d.Agents[i].Teams = []string{}
		}
	}
	return d
}

func (s *session) monitor(ctx context.Context, id string, on bool) (protocol.MonitorState, error) {
	if id == "" {
		return protocol.MonitorState{}, protocol.ErrInvalid.WithMessage("conversation id is empty")
	}
	if !on {
		s.sup.mu.Lock()
		delete(s.sup.monitoring, id)
		s.sup.mu.Unlock()
	}
	var st protocol.MonitorState
	if err := s.mgr.Request(ctx, protocol.TypeMonitor, protocol.MonitorData{ConversationID: id, On: on}, &st); err != nil {
		return protocol.MonitorState{}, err
	}
	if st.ConversationID == "" {
		st.ConversationID = id
	}
	if st.Monitors == nil {
		st.Monitors = []protocol.Sender{}
	}
	s.sup.mu.Lock()
	if on {
		s.sup.monitoring[id] = true
	}
	s.sup.monitors[id] = st.Monitors
	s.sup.mu.Unlock()
	if on {
		// Monitoring shows the whole conversation, whispers and notes
		// included: bring the cache up to date.
		s.jobs.add(jobSync(id))
	}
	return st, nil
}

func (s *session) draft(ctx context.Context, id, text string) error {
	if id == "" {
		return protocol.ErrInvalid.WithMessage("conversation id is empty")
	}
	if n := utf8.RuneCountInString(text); n > protocol.MaxTextRunes {
		text = string([]rune(text)[:protocol.MaxTextRunes])
	}
	me := s.me().ID
	now := time.Now()
	sv := s.sup
	sv.mu.Lock()
	if sv.stopped {
		sv.mu.Unlock()
		return nil
	}
	d := sv.drafts[id]
	if !sv.watchedLocked(id, me) {
		// Nobody reads it. The next monitor starts from a clean slate, so
		// the draft in the composer then goes out in full.
		if d != nil && d.timer != nil {
			d.timer.Stop()
		}
		delete(sv.drafts, id)
		sv.mu.Unlock()
		return nil
	}
	if d == nil {
		d = &draftState{}
		sv.drafts[id] = d
	}
	if d.timer != nil {
		d.pending = &text
		sv.mu.Unlock()
		return nil
	}
	if !d.sentAt.IsZero() && d.sent == text {
		sv.mu.Unlock()
		return nil
	}
	if wait := draftEvery - now.Sub(d.sentAt); !d.sentAt.IsZero() && wait > 0 {
		d.pending = &text
		d.timer = time.AfterFunc(wait, func() { s.flushDraft(id) })
		sv.mu.Unlock()
		return nil
	}
	d.sent, d.sentAt = text, now
	sv.mu.Unlock()
	return s.mgr.Notify(ctx, protocol.TypeDraft, protocol.DraftData{ConversationID: id, Text: text})
}

// flushDraft sends the draft that waited for the throttle.
func (s *session) flushDraft(id string) {
	sv := s.sup
	sv.mu.Lock()
	d := sv.drafts[id]
	if d == nil || sv.stopped {
		sv.mu.Unlock()
		return
	}
	d.timer = nil
	if d.pending == nil || *d.pending == d.sent {
		d.pending = nil
		sv.mu.Unlock()
		return
	}
	text := *d.pending
	d.pending = nil
	d.sent, d.sentAt = text, time.Now()
	sv.mu.Unlock()
	if err := s.mgr.Notify(s.ctx, protocol.TypeDraft, protocol.DraftData{ConversationID: id, Text: text}); err != nil && s.ctx.Err() == nil {
		s.log.Debug("draft not sent", "conversation_id", id, "err", err)
	}
}

func (s *session) reassign(ctx context.Context, d protocol.ReassignData) (protocol.Conversation, error) {
	return s.passOn(ctx, protocol.TypeReassign, d.ConversationID, d.ToAgentID, d.ToTeam, d.Note, d)
}

func (s *session) assist(ctx context.Context, id string, on bool) (protocol.Conversation, error) {
	if id == "" {
		return protocol.Conversation{}, protocol.ErrInvalid.WithMessage("conversation id is empty")
	}
	var c protocol.Conversation
	if err := s.mgr.Request(ctx, protocol.TypeAssist, protocol.AssistData{ConversationID: id, On: on}, &c); err != nil {
		return protocol.Conversation{}, err
	}
	s.putChanged(ctx, c)
	return c, nil
}

// resubscribe makes the floor subscription and the monitors again after a
// reconnect: the server forgets them with the connection.
func (s *session) resubscribe(ctx context.Context) error {
	s.sup.mu.Lock()
	floor := s.sup.floor
	ids := make([]string, 0, len(s.sup.monitoring))
	for id := range s.sup.monitoring {
		ids = append(ids, id)
	}
	s.sup.mu.Unlock()
	slices.Sort(ids)
	if floor {
		var d protocol.FloorData
		if err := s.mgr.Request(ctx, protocol.TypeFloor, protocol.FloorRequest{Watch: true}, &d); err != nil {
			return err
		}
		s.emit(EventFloor, normalFloor(d))
	}
	for _, id := range ids {
		var st protocol.MonitorState
		err := s.mgr.Request(ctx, protocol.TypeMonitor, protocol.MonitorData{ConversationID: id, On: true}, &st)
		if pe, ok := errors.AsType[*protocol.Error](err); ok && !pe.Retryable {
			// The conversation went (resolved, reassigned out of the
			// supervisor's teams): stop monitoring it.
			s.sup.mu.Lock()
			delete(s.sup.monitoring, id)
			s.sup.mu.Unlock()
			s.emit(EventMonitor, protocol.MonitorState{ConversationID: id, Monitors: []protocol.Sender{}})
			continue
		}
		if err != nil {
			return err
		}
		s.supervisionPush(protocol.TypeMonitor, st)
	}
	return nil
}

// supervisionPush handles a push of supervision already decoded into data.
func (s *session) supervisionPush(typ string, data any) {
	switch d := data.(type) {
	case protocol.MonitorState:
		if d.Monitors == nil {
			d.Monitors = []protocol.Sender{}
		}
		s.sup.mu.Lock()
		s.sup.monitors[d.ConversationID] = d.Monitors
		s.sup.mu.Unlock()
		s.emit(EventMonitor, d)
	case protocol.FloorData:
		s.emit(EventFloor, normalFloor(d))
	case protocol.DraftPush:
		s.emit(EventDraft, d)
	case protocol.AssistPush:
		s.emit(EventAssist, d)
	case protocol.StatusData:
		// The server changed the agent's status on its own (away after
		// missed offers): that is the status in force now, and the one to
		// restore after a reconnect.
		if d.Status == "" {
			return
		}
		s.mu.Lock()
		s.status = d.Status
		s.statusGen++
		s.mu.Unlock()
		s.svc.updateConn(s, func(cs *ConnState) { cs.Status = d.Status })
		s.emit(EventStatus, d)
	default:
		s.log.Debug("ignored supervision push", "type", typ)
	}
}

// decodeSupervisionPush decodes a push of supervision; ok is false for a
// frame of another type.
func decodeSupervisionPush(f protocol.Frame) (data any, ok bool, perr *protocol.Error) {
	switch f.Type {
	case protocol.TypeFloor:
		data, perr = decodePush[protocol.FloorData](f)
	case protocol.TypeMonitor:
		data, perr = decodePush[protocol.MonitorState](f)
	case protocol.TypeDraft:
		data, perr = decodePush[protocol.DraftPush](f)
	case protocol.TypeAssist:
		data, perr = decodePush[protocol.AssistPush](f)
	case protocol.TypeStatus:
		data, perr = decodePush[protocol.StatusData](f)
	default:
		return nil, false, nil
	}
	return data, true, perr
}

func decodePush[T any](f protocol.Frame) (any, *protocol.Error) {
	var d T
	if perr := protocol.DecodeData(f, &d); perr != nil {
		return nil, perr
	}
	return d, nil
}
