package server

import (
	"context"
	"net/http"
	"strconv"
	"sync"

	"switchboard/backend/audit"
	"switchboard/backend/store"
	"switchboard/protocol"
)

// What the server records in the audit log (package audit): every read of
// a conversation or its files by someone other than its assignee and its
// customer, every supervisor's or admin's live view of a conversation not
// theirs, sign-ins, and every read of the log through the admin endpoint.
// State changes, tag changes and notes are recorded by the store with the
// change itself.

// auditRead records a read of a conversation by staff who are not its
// assignee (an agent reading their team's queue, a supervisor, an admin),
// before the content is sent. via names the frame that read it. A
// customer reading their own conversation and the assignee reading theirs
// are the work itself, not audit events.
func (p *peer) auditRead(ctx context.Context, conv store.Conversation, via string) {
	if !isStaff(p.user.Role) || conv.AssigneeID == p.user.ID {
		return
	}
	if err := p.s.audits.recordWait(ctx, store.AuditEntry{TS: p.s.nowMS(), Actor: p.user.ID, Action: audit.ActionRead,
		ConversationID: conv.ID, Detail: "via=" + via}); err != nil {
		p.s.log.Warn("audit read", "conversation_id", conv.ID, "err", err)
	}
}

// auditFileRead records a download of a file (or its thumbnail) by staff
// who are not the assignee of its conversation, as auditRead does.
func (s *Server) auditFileRead(ctx context.Context, c caller, conv store.Conversation, f store.File, thumb bool) {
	if !isStaff(c.user.Role) || conv.AssigneeID == c.user.ID {
		return
	}
	action := audit.ActionReadFile
	if thumb {
		action = audit.ActionReadThumb
	}
	if err := s.audits.recordWait(ctx, store.AuditEntry{TS: s.nowMS(), Actor: c.user.ID, Action: action,
		ConversationID: conv.ID, Detail: "file=" + f.ID}); err != nil {
		s.log.Warn("audit file read", "file_id", f.ID, "err", err)
	}
}

// maxLiveSeen bounds the conversations a connection remembers having
// recorded a live view of; past it the memory starts over, and a
// conversation's next push is recorded again (more entries, never fewer).
const maxLiveSeen = 10000

// noteLiveView records, once per conversation and connection, that a
// supervisor or admin receives the live pushes of a conversation not
// assigned to them. It runs on the fan-out path under the conversation's
// lock, so the entry goes to the audit writer instead of the store.
func (p *peer) noteLiveView(convID, assigneeID string) {
	if !p.authed.Load() || (p.user.Role != protocol.RoleSupervisor && p.user.Role != protocol.RoleAdmin) || assigneeID == p.user.ID {
		return
	}
	p.liveMu.Lock()
	if p.liveSeen[convID] {
		p.liveMu.Unlock()
		return
	}
	if p.liveSeen == nil || len(p.liveSeen) >= maxLiveSeen {
		p.liveSeen = make(map[string]bool)
	}
	p.liveSeen[convID] = true
	p.liveMu.Unlock()
	p.s.audits.record(store.AuditEntry{TS: p.s.nowMS(), Actor: p.user.ID, Action: audit.ActionLiveView,
		ConversationID: convID, Detail: "session=" + p.id})
}

// maxAuditBatch bounds the entries the audit writer stores in one
// transaction.
const maxAuditBatch = 512

// auditWriter stores audit entries in batches, on one goroutine, in the
// order they were recorded: every entry waiting when a batch starts goes
// into its one transaction, so a burst of reads and live views (a
// supervisor's app reconnecting to fifty conversations) costs a commit, not
// fifty. Reads wait for their batch (recordWait: recorded before the content
// is sent, as a message is stored before it is acknowledged); live views,
// recorded under a conversation's lock on the fan-out path, do not
// (record). Nothing is dropped: the list of waiting entries grows instead.
type auditWriter struct {
	s *Server

	// mu guards pending and stopped.
	mu      sync.Mutex
	pending []auditJob
	stopped bool

	wake chan struct{}
	done chan struct{}
}

// auditJob is an entry to store and, when stored is set, the channel that
// gets its outcome; or (e.Action empty) a flush marker.
type auditJob struct {
	e      store.AuditEntry
	stored chan error
}

func newAuditWriter(s *Server) *auditWriter {
	w := &auditWriter{s: s, wake: make(chan struct{}, 1), done: make(chan struct{})}
	go w.run()
	return w
}

// add queues j, or reports false once the writer has stopped.
func (w *auditWriter) add(j auditJob) bool {
	w.mu.Lock()
	if w.stopped {
		w.mu.Unlock()
		return false
	}
	w.pending = append(w.pending, j)
	w.mu.Unlock()
	select {
	case w.wake <- struct{}{}:
	default:
	}
	return true
}

// record queues e without waiting for it to be stored.
func (w *auditWriter) record(e store.AuditEntry) {
	if !w.add(auditJob{e: e}) {
		w.write([]auditJob{{e: e}})
	}
}

// recordWait queues e and returns once it is stored (or ctx is done).
func (w *auditWriter) recordWait(ctx context.Context, e store.AuditEntry) error {
	j := auditJob{e: e, stored: make(chan error, 1)}
	if !w.add(j) {
		return w.s.store.AddAudit(ctx, e)
	}
	select {
	case err := <-j.stored:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// flush returns once the entries queued before it are stored.
func (w *auditWriter) flush() {
	j := auditJob{stored: make(chan error, 1)}
	if w.add(j) {
		<-j.stored
	}
}

// write stores a batch in one transaction and tells the waiting callers.
func (w *auditWriter) write(jobs []auditJob) {
	es := make([]store.AuditEntry, 0, len(jobs))
	for _, j := range jobs {
		if j.e.Action != "" {
			es = append(es, j.e)
		}
	}
	err := w.s.store.AddAudits(context.Background(), es)
	if err != nil {
		w.s.log.Warn("audit", "entries", len(es), "err", err)
	}
	for _, j := range jobs {
		if j.stored != nil {
			j.stored <- err
		}
	}
}

func (w *auditWriter) run() {
	defer close(w.done)
	for {
		<-w.wake
		for {
			w.mu.Lock()
			jobs := w.pending
			if len(jobs) > maxAuditBatch {
				jobs = jobs[:maxAuditBatch]
			}
			w.pending = w.pending[len(jobs):]
			stopped := w.stopped
			w.mu.Unlock()
			if len(jobs) == 0 {
				if stopped {
					return
				}
				break
			}
			w.write(jobs)
		}
	}
}

// close stores what is queued and stops the writer; later entries are
// stored by their callers.
func (w *auditWriter) close() {
	w.mu.Lock()
	w.stopped = true
	w.mu.Unlock()
	select {
	case w.wake <- struct{}{}:
	default:
	}
	<-w.done
}

// handleAudit serves GET protocol.AuditPath to admins: the audit log's
// entries matching the query's actor (an account id or username),
// conversation, action, since and
// until (RFC 3339 or a duration before now), a page of limit entries after
// the entry after. The read is itself recorded.
func (s *Server) handleAudit(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		writeError(w, protocol.ErrInvalid.WithMessage("use GET"))
		return
	}
	c, perr := s.bearer(r)
	if perr != nil {
		writeError(w, perr)
		return
	}
	if c.user.Role != protocol.RoleAdmin {
		writeError(w, protocol.ErrForbidden.WithMessage("only admins read the audit log"))
		return
	}
	v := r.URL.Query()
	q := store.AuditQuery{Actor: v.Get("actor"), ConversationID: v.Get("conversation"), Action: v.Get("action"),
		Limit: protocol.DefaultAuditPage}
	now := s.cfg.Now()
	for _, b := range []struct {
		name string
		to   *int64
	}{{"since", &q.Since}, {"until", &q.Until}} {
		if raw := v.Get(b.name); raw != "" {
			ms, err := audit.ParseTime(raw, now)
			if err != nil {
				writeError(w, protocol.ErrInvalid.WithMessage("%s: %v", b.name, err))
				return
			}
			*b.to = ms
		}
	}
	after, perr := intParam(v.Get("after"), "after", 0, 1<<62)
	if perr != nil {
		writeError(w, perr)
		return
	}
	limit, perr := intParam(v.Get("limit"), "limit", 1, protocol.MaxAuditPage)
	if perr != nil {
		writeError(w, perr)
		return
	}
	q.AfterID = after
	if limit > 0 {
		q.Limit = int(limit)
	}
	// Actors are account ids: actor takes a username too, and the answer
	// names each account.
	agents, err := s.store.Agents(r.Context())
	if err != nil {
		s.log.Error("read audit log", "err", err)
		writeError(w, protocol.ErrInternal)
		return
	}
	names := make(map[string]string, len(agents))
	for _, a := range agents {
		names[a.ID] = a.Username
		if a.Username == q.Actor {
			q.Actor = a.ID
		}
	}
	want := q.Limit
	q.Limit++ // one more, to learn whether there is a next page
	entries, err := s.store.AuditLog(r.Context(), q)
	if err != nil {
		s.log.Error("read audit log", "err", err)
		writeError(w, protocol.ErrInternal)
		return
	}
	page := protocol.AuditPage{Entries: make([]protocol.AuditEntry, 0, min(len(entries), want))}
	if len(entries) > want {
		entries, page.HasMore = entries[:want], true
	}
	for _, e := range entries {
		pe := ToProtoAudit(e)
		pe.ActorName = names[e.Actor]
		page.Entries = append(page.Entries, pe)
	}
	if page.HasMore {
		page.NextAfter = entries[len(entries)-1].ID
	}
	if err := s.store.AddAudit(r.Context(), store.AuditEntry{Actor: c.user.ID, Action: audit.ActionReadAudit,
		Detail: r.URL.RawQuery}); err != nil {
		s.log.Warn("audit read of the audit log", "err", err)
	}
	writeJSON(w, http.StatusOK, page)
}

// intParam reads a whole-number query parameter between lo and hi; "" is
// 0.
func intParam(raw, name string, lo, hi int64) (int64, *protocol.Error) {
	if raw == "" {
		return 0, nil
	}
	x, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || x < lo || x > hi {
		return 0, protocol.ErrInvalid.WithMessage("%s must be a whole number from %d to %d", name, lo, hi)
	}
	return x, nil
}

// ToProtoAudit is an audit entry as the admin endpoint and the audit CLI
// write it.
func ToProtoAudit(e store.AuditEntry) protocol.AuditEntry {
	return protocol.AuditEntry{ID: e.ID, TS: e.TS, Actor: e.Actor, Action: e.Action, ConversationID: e.ConversationID,
		Detail: e.Detail, Hash: e.Hash}
}
