package supervise

import (
	"log/slog"
	"slices"
	"sync"
	"time"
	"unicode/utf8"

	"switchboard/backend/audit"
	"switchboard/backend/store"
	"switchboard/protocol"
)

// Publisher carries the package's live updates. Subjects name staff
// audiences (SubjectAgent, SubjectSupervisors, SubjectAdmins); data is an
// encoded frame. Publish must not block.
type Publisher interface {
	Publish(subject string, data []byte)
}

// Auditor records audit entries without blocking (they are recorded under
// the registry's lock order, not waited for).
type Auditor interface {
	Record(e store.AuditEntry)
}

// Subjects of the package's pushes. They are staff audiences only; the
// customer has none.
func SubjectAgent(id string) string         { return "agent:" + id }
func SubjectSupervisors(team string) string { return "supervisors:" + team }

// SubjectAdmins is every admin.
const SubjectAdmins = "admins"

// StaffSubjects are the audiences of a conversation's supervision state:
// its assignee, its team's supervisors and the admins.
func StaffSubjects(c store.Conversation) []string {
	out := []string{SubjectAdmins}
	if c.AssigneeID != "" {
		out = append(out, SubjectAgent(c.AssigneeID))
	}
	if c.Team != "" {
		out = append(out, SubjectSupervisors(c.Team))
	}
	return out
}

// DefaultDraftInterval is the least time between two drafts of one
// conversation passed to its monitors: about four a second.
const DefaultDraftInterval = 250 * time.Millisecond

// Config configures a Registry. Zero values mean the defaults in the
// comments.
type Config struct {
	// Publisher carries the pushes; nil drops them.
	Publisher Publisher
	// Auditor records monitor starts and stops; nil records nothing.
	Auditor Auditor
	// Logger receives warnings; nil discards them.
	Logger *slog.Logger
	// Now is the clock (time.Now).
	Now func() time.Time
	// DraftInterval is the least time between two drafts of a
	// conversation passed on (DefaultDraftInterval). A draft within it
	// waits for its end, replacing one waiting already: the latest wins.
	DraftInterval time.Duration
	// AfterFunc runs f after d, returning a stop function
	// (time.AfterFunc).
	AfterFunc func(d time.Duration, f func()) (stop func() bool)
}

// Monitor is one connection's monitor of a conversation.
type Monitor struct {
	// Conn names the connection (its session id): a monitor lasts as long
	// as the connection.
	Conn  string
	Staff Actor
	Since int64 // unix ms
}

// Registry keeps the live monitors of every conversation, per connection,
// and passes drafts to them.
type Registry struct {
	cfg Config

	// mu guards convs, conns and closed, and each watch's fields.
	mu     sync.Mutex
	convs  map[string]*watch          // conversation id → its monitors
	conns  map[string]map[string]bool // connection → conversations it monitors
	closed bool
}

// watch is one monitored conversation.
type watch struct {
	conv     store.Conversation // latest seen, for audiences
	monitors []Monitor          // in the order they started
	// lastDraft is when a draft was last passed on; pending waits for the
	// interval's end, when stop (its timer) fires.
	lastDraft time.Time
	pending   []byte
	stop      func() bool
}

// NewRegistry returns an empty registry.
func NewRegistry(cfg Config) *Registry {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.DraftInterval <= 0 {
		cfg.DraftInterval = DefaultDraftInterval
	}
	if cfg.AfterFunc == nil {
		cfg.AfterFunc = func(d time.Duration, f func()) func() bool { return time.AfterFunc(d, f).Stop }
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	return &Registry{cfg: cfg, convs: map[string]*watch{}, conns: map[string]map[string]bool{}}
}

// push is a frame for subjects, sent once the registry's lock is released.
type push struct {
	subjects []string
	frame    []byte
}

func (r *Registry) publish(ps []push) {
	if r.cfg.Publisher == nil {
		return
	}
	for _, p := range ps {
		for _, s := range p.subjects {
			r.cfg.Publisher.Publish(s, p.frame)
		}
	}
}

func (r *Registry) encode(typ string, data any) []byte {
	b, err := protocol.Encode(typ, "", data)
	if err != nil {
		r.cfg.Logger.Error("encode supervision push", "type", typ, "err", err)
		return nil
	}
	return b
}

func (r *Registry) audit(action string, m Monitor, convID, detail string) {
	if r.cfg.Auditor == nil {
		return
	}
	r.cfg.Auditor.Record(store.AuditEntry{TS: r.cfg.Now().UnixMilli(), Actor: m.Staff.ID, Action: action,
		ConversationID: convID, Detail: "session=" + m.Conn + detail})
}

// stateLocked is w's MonitorState: each monitoring person once.
func stateLocked(id string, w *watch) protocol.MonitorState {
	st := protocol.MonitorState{ConversationID: id, Monitors: []protocol.Sender{}}
	if w == nil {
		return st
	}
	seen := map[string]bool{}
	for _, m := range w.monitors {
		if !seen[m.Staff.ID] {
			seen[m.Staff.ID] = true
			st.Monitors = append(st.Monitors, m.Staff.Sender())
		}
	}
	return st
}

// statePushLocked is the push of w's state to c's staff, and to the
// people in also (monitors who were ended and may no longer be among them).
func (r *Registry) statePushLocked(c store.Conversation, w *watch, also ...string) push {
	subjects := StaffSubjects(c)
	for _, id := range also {
		if s := SubjectAgent(id); !slices.Contains(subjects, s) {
			subjects = append(subjects, s)
		}
	}
	return push{subjects: subjects, frame: r.encode(protocol.TypeMonitor, stateLocked(c.ID, w))}
}

// State is who monitors conversation id now.
func (r *Registry) State(id string) protocol.MonitorState {
	r.mu.Lock()
	defer r.mu.Unlock()
	return stateLocked(id, r.convs[id])
}

// Monitored reports whether anyone monitors conversation id.
func (r *Registry) Monitored(id string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.convs[id] != nil
}

// Start records m's monitor of c and tells c's staff, or says why m may
// not. Starting twice on one connection is one monitor.
func (r *Registry) Start(m Monitor, c store.Conversation) (protocol.MonitorState, error) {
	if err := MayMonitor(m.Staff, c); err != nil {
		return protocol.MonitorState{}, err
	}
	if m.Since == 0 {
		m.Since = r.cfg.Now().UnixMilli()
	}
	r.mu.Lock()
	if r.closed {
		r.mu.Unlock()
		return protocol.MonitorState{}, deny(ErrIllegalState, "the server is shutting down")
	}
	w := r.convs[c.ID]
	if w == nil {
		w = &watch{}
		r.convs[c.ID] = w
	}
	w.conv = c
	if slices.ContainsFunc(w.monitors, func(x Monitor) bool { return x.Conn == m.Conn }) {
		st := stateLocked(c.ID, w)
		r.mu.Unlock()
		return st, nil
	}
	w.monitors = append(w.monitors, m)
	if r.conns[m.Conn] == nil {
		r.conns[m.Conn] = map[string]bool{}
	}
	r.conns[m.Conn][c.ID] = true
	r.audit(audit.ActionMonitorStart, m, c.ID, "")
	st := stateLocked(c.ID, w)
	p := r.statePushLocked(c, w)
	r.mu.Unlock()
	r.publish([]push{p})
	return st, nil
}

// Stop ends connection conn's monitor of c, if any, and tells c's staff.
// It reports whether there was one.
func (r *Registry) Stop(conn string, c store.Conversation) (protocol.MonitorState, bool) {
	r.mu.Lock()
	w := r.convs[c.ID]
	if w != nil {
		w.conv = c
	}
	stopped := r.removeLocked(conn, c.ID, "stop")
	st := stateLocked(c.ID, r.convs[c.ID])
	var ps []push
	if stopped {
		ps = append(ps, r.statePushLocked(c, r.convs[c.ID]))
	}
	r.mu.Unlock()
	r.publish(ps)
	return st, stopped
}

// removeLocked ends conn's monitor of id, recording why.
func (r *Registry) removeLocked(conn, id, why string) bool {
	w := r.convs[id]
	if w == nil {
		return false
	}
	i := slices.IndexFunc(w.monitors, func(x Monitor) bool { return x.Conn == conn })
	if i < 0 {
		return false
	}
	m := w.monitors[i]
	w.monitors = slices.Delete(w.monitors, i, i+1)
	if cs := r.conns[conn]; cs != nil {
		delete(cs, id)
		if len(cs) == 0 {
			delete(r.conns, conn)
		}
	}
	r.audit(audit.ActionMonitorStop, m, id, ";reason="+why)
	if len(w.monitors) == 0 {
		if w.stop != nil {
			w.stop()
		}
		delete(r.convs, id)
	}
	return true
}

// Drop ends every monitor of connection conn (it closed) and tells the
// staff of each conversation.
func (r *Registry) Drop(conn string) {
	r.mu.Lock()
	var ps []push
	for id := range r.conns[conn] {
		c := r.convs[id].conv
		if r.removeLocked(conn, id, "disconnect") {
			ps = append(ps, r.statePushLocked(c, r.convs[id]))
		}
	}
	r.mu.Unlock()
	r.publish(ps)
}

// Reaccess gives connection conn's monitors the caller's new access a (an
// admin changed their role or teams) and ends those it no longer allows.
func (r *Registry) Reaccess(conn string, a Actor) {
	r.mu.Lock()
	var ps []push
	for id := range r.conns[conn] {
		w := r.convs[id]
		i := slices.IndexFunc(w.monitors, func(x Monitor) bool { return x.Conn == conn })
		if i < 0 {
			continue
		}
		w.monitors[i].Staff = a
		if MayMonitor(a, w.conv) != nil && r.removeLocked(conn, id, "access") {
			ps = append(ps, r.statePushLocked(w.conv, r.convs[id], a.ID))
		}
	}
	r.mu.Unlock()
	r.publish(ps)
}

// Seen brings the registry to c's latest state: the audience of its
// monitor state follows the conversation, and monitors who may no longer
// monitor it (it left the worked states or their team) end.
func (r *Registry) Seen(c store.Conversation) {
	r.mu.Lock()
	w := r.convs[c.ID]
	if w == nil {
		r.mu.Unlock()
		return
	}
	w.conv = c
	var ps []push
	var ended []string
	for _, m := range slices.Clone(w.monitors) {
		if MayMonitor(m.Staff, c) != nil && r.removeLocked(m.Conn, c.ID, "ended") {
			ended = append(ended, m.Staff.ID)
		}
	}
	if len(ended) > 0 {
		ps = append(ps, r.statePushLocked(c, r.convs[c.ID], ended...))
	}
	r.mu.Unlock()
	r.publish(ps)
}

// Draft passes the assignee's draft of c to its monitors, at most one per
// DraftInterval (the latest wins), or says why from may not send it.
// Without monitors it is dropped.
func (r *Registry) Draft(from Actor, c store.Conversation, text string) error {
	if err := MayDraft(from, c); err != nil {
		return err
	}
	if !utf8.ValidString(text) {
		return deny(ErrInvalid, "text is not valid UTF-8")
	}
	if n := utf8.RuneCountInString(text); n > protocol.MaxTextRunes {
		return deny(ErrTooLong, "the draft has %d characters; the limit is %d", n, protocol.MaxTextRunes)
	}
	now := r.cfg.Now()
	r.mu.Lock()
	w := r.convs[c.ID]
	if w == nil || r.closed {
		r.mu.Unlock()
		return nil
	}
	w.conv = c
	frame := r.encode(protocol.TypeDraft, protocol.DraftPush{ConversationID: c.ID, Sender: from.Sender(), Text: text, At: now.UnixMilli()})
	if frame == nil {
		r.mu.Unlock()
		return nil
	}
	if w.stop == nil && now.Sub(w.lastDraft) >= r.cfg.DraftInterval {
		w.lastDraft = now
		ps := []push{{subjects: monitorSubjectsLocked(w), frame: frame}}
		r.mu.Unlock()
		r.publish(ps)
		return nil
	}
	w.pending = frame
	if w.stop == nil {
		wait := r.cfg.DraftInterval - now.Sub(w.lastDraft)
		w.stop = r.cfg.AfterFunc(wait, func() { r.flush(c.ID, w) })
	}
	r.mu.Unlock()
	return nil
}

// flush passes on the draft that waited for the interval's end.
func (r *Registry) flush(id string, w *watch) {
	r.mu.Lock()
	if r.convs[id] != w || w.pending == nil || r.closed {
		if r.convs[id] == w {
			w.stop = nil
		}
		r.mu.Unlock()
		return
	}
	frame := w.pending
	w.pending, w.stop, w.lastDraft = nil, nil, r.cfg.Now()
	ps := []push{{subjects: monitorSubjectsLocked(w), frame: frame}}
	r.mu.Unlock()
	r.publish(ps)
}

// monitorSubjectsLocked are the monitoring people of w: a draft goes to
// each of their connections.
func monitorSubjectsLocked(w *watch) []string {
	var out []string
	for _, m := range w.monitors {
		if MayMonitor(m.Staff, w.conv) != nil {
			continue
		}
		if s := SubjectAgent(m.Staff.ID); !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

// Close stops the registry's timers; drafts after it are dropped.
func (r *Registry) Close() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.closed = true
	for _, w := range r.convs {
		if w.stop != nil {
			w.stop()
			w.stop = nil
		}
	}
}
