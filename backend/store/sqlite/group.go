package sqlite

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"switchboard/backend/conversation"
	"switchboard/backend/store"
)

// Group commit. With synchronous=FULL a commit costs a disk flush, so one
// commit per message caps the store at the disk's flush rate. Appends are
// instead handed to one writer goroutine, which takes every append waiting
// (up to Options.MaxBatch) into one transaction and commits once; if an
// append fails after writing, the batch runs again with each append under
// its own savepoint, so that the failure undoes only its own writes. A
// caller gets its result only after that commit, so an acknowledged message is still on disk when it is
// acknowledged; the flush is merely shared.
//
// Seq allocation and the client_msg_id check read the transaction's own
// writes, so two appends to one conversation in the same batch get
// consecutive seqs, and a resend in the same batch as its original is found
// as a duplicate.

// appendReq is one AppendMessage waiting for the writer, or one joined
// write (writeJoined): apart set, nm unused.
type appendReq struct {
	ctx   context.Context
	nm    store.NewMessage
	apart func(tx *sql.Tx) error
	done  chan appendDone // buffered: the writer never waits on a caller
}

type appendDone struct {
	res store.AppendResult
	err error
}

// writerScratch is what the writer goroutine needs for each batch, kept
// from one batch to the next (cleared, not freed): a batch's slices and maps
// would otherwise be allocated again at every commit, on the one goroutine
// every append waits for.
type writerScratch struct {
	res     []appendDone
	live    []*appendReq
	liveIdx []int
	pend    pendingRows
	stmts   map[*sql.Stmt]*sql.Stmt
	timers  map[string]knownTimer
	after   batchConvs
	raw     rawStmts
}

// results is a batch's slice of outcomes, n long and zero.
func (w *writerScratch) results(n int) []appendDone {
	if cap(w.res) < n {
		w.res = make([]appendDone, n)
	}
	return w.res[:n]
}

// resetMap empties the map *m, making it the first time, and returns it.
func resetMap[K comparable, V any](m *map[K]V) map[K]V {
	if *m == nil {
		*m = make(map[K]V)
	} else {
		clear(*m)
	}
	return *m
}

// batchConvs are the conversations a batch appended to, each as the batch
// left it. A map of conversations would allocate each one apart (a map
// keeps a value larger than 128 bytes out of line); these stay in one
// slice, kept from batch to batch.
type batchConvs struct {
	idx   map[string]int
	convs []store.Conversation
}

// reset empties b for a new batch and returns it.
func (b *batchConvs) reset() *batchConvs {
	resetMap(&b.idx)
	clear(b.convs)
	b.convs = b.convs[:0]
	return b
}

func (b *batchConvs) get(id string) (store.Conversation, bool) {
	i, ok := b.idx[id]
	if !ok {
		return store.Conversation{}, false
	}
	return b.convs[i], true
}

func (b *batchConvs) put(c store.Conversation) {
	if i, ok := b.idx[c.ID]; ok {
		b.convs[i] = c
		return
	}
	b.idx[c.ID] = len(b.convs)
	b.convs = append(b.convs, c)
}

// errClosed is returned to appends that arrive after Close.
var errClosed = errors.New("store is closed")

// appendLoop is the writer goroutine. It owns the batch and s.scratch; the
// write connection is shared with the other (rarer) writes through
// database/sql, which serializes them.
func (s *Store) appendLoop() {
	defer close(s.loopDone)
	batch := make([]*appendReq, 0, s.maxBatch)
	for {
		select {
		case r := <-s.appends:
			batch = append(batch[:0], r)
		case <-s.stop:
			return
		}
	fill:
		for len(batch) < s.maxBatch {
			select {
			case r := <-s.appends:
				batch = append(batch, r)
			default:
				break fill
			}
		}
		if s.walRestart.Swap(false) {
			s.restartWAL(context.Background())
		}
		s.commitBatch(&s.scratch, batch)
		clear(batch)
	}
}

// commitBatch stores a batch in one transaction and answers every request
// once the outcome is known: after the commit for stored messages and
// duplicates, at once for a request whose own append failed.
func (s *Store) commitBatch(sc *writerScratch, batch []*appendReq) {
	// The transaction is the batch's, not any caller's: one caller giving up
	// must not roll back the others.
	ctx := context.Background()
	results := sc.results(len(batch))
	live := sc.live[:0]
	liveIdx := sc.liveIdx[:0]
	defer func() {
		clear(results)
		clear(live)
		sc.live, sc.liveIdx = live[:0], liveIdx[:0]
	}()
	for i, r := range batch {
		if err := r.ctx.Err(); err != nil {
			results[i].err = err
			r.done <- results[i]
			continue
		}
		live = append(live, r)
		liveIdx = append(liveIdx, i)
	}
	if len(live) == 0 {
		return
	}
	// Most batches have no append failing after writing and no resend of
	// a message stored before: run them without a savepoint per append
	// (two statements fewer each) and without looking each client_msg_id
	// up (the messages' unique index finds a stored one when the rows go
	// in). If an append fails after writing, or the insert finds a
	// client_msg_id already stored, the whole transaction is rolled back
	// and the batch runs again carefully: each append under its own
	// savepoint, so that only a failing append is undone, and each
	// client_msg_id looked up first, so that a resend is answered with the
	// message it repeats.
	if s.runBatch(ctx, sc, live, liveIdx, results, false) {
		s.runBatch(ctx, sc, live, liveIdx, results, true)
	}
}

// isUnique is whether err is a unique index refusing a row.
func isUnique(err error) bool {
	var se *sqlite.Error
	return errors.As(err, &se) && se.Code() == sqlite3.SQLITE_CONSTRAINT_UNIQUE
}

// unwritten is the error of an append refused before it wrote anything (a
// guard, a client_msg_id of another conversation): the batch goes on
// without it and needs no savepoint to undo it.
type unwritten struct{ error }

func (e unwritten) Unwrap() error { return e.error }

// runBatch stores live in one transaction and answers them; carefully, it
// runs each append under its own savepoint and looks its client_msg_id up
// first. Otherwise the first append that fails after writing, or a
// client_msg_id found stored when the rows go in, rolls the transaction
// back, answers nobody and returns true: the batch is to run again
// carefully.
func (s *Store) runBatch(ctx context.Context, sc *writerScratch, live []*appendReq, liveIdx []int, results []appendDone, careful bool) (again bool) {
	savepoints := careful
	fail := func(err error) {
		for _, r := range live {
			r.done <- appendDone{err: err}
		}
	}
	// The batch's transaction is on a connection held apart, so that its
	// hottest statements can run through the driver (rawStmts).
	conn, err := s.w.Conn(ctx)
	if err != nil {
		fail(err)
		return false
	}
	defer conn.Close() // after the transaction's end: every return ends it
	sqlTx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		fail(err)
		return false
	}
	pend := sc.pend.reset()
	tx := stmtTx{s: s, tx: sqlTx, pend: pend, stmts: resetMap(&sc.stmts), blind: !careful,
		timers: resetMap(&sc.timers), conn: conn, raw: &sc.raw}
	gen, err := s.convs.check(ctx, tx)
	if err == nil {
		err = s.outbox.sync(ctx, tx, gen)
	}
	if err != nil {
		sqlTx.Rollback()
		fail(err)
		return false
	}
	// after holds each conversation appended to as it stands after the
	// batch's appends so far; the cache gets them after the commit.
	after := sc.after.reset()
	for j, r := range live {
		i := liveIdx[j]
		if savepoints {
			if _, err := tx.ExecContext(ctx, `SAVEPOINT m`); err != nil {
				sqlTx.Rollback()
				fail(err)
				return false
			}
		}
		mark := pend.mark()
		var res store.AppendResult
		var err error
		if r.apart != nil {
			// What the batch kept back of its conversations goes in
			// before a write that may read them.
			if err = pend.flushConvs(ctx, tx); err == nil {
				err = r.apart(sqlTx)
			}
		} else if res, err = s.appendTx(ctx, tx, r.nm, after); err == nil {
			after.put(res.Conversation)
		}
		// Refused before it wrote: nothing to undo.
		var before unwritten
		refused := errors.As(err, &before)
		if refused {
			res, err = store.AppendResult{}, before.error
		}
		if err != nil && !refused && !savepoints {
			sqlTx.Rollback()
			s.batchRetries.Add(1)
			return true
		}
		if err != nil && !refused {
			pend.undo(mark)
			// Undo this append only; the others in the batch stand.
			if _, rerr := tx.ExecContext(ctx, `ROLLBACK TO m`); rerr != nil {
				sqlTx.Rollback()
				fail(rerr)
				return false
			}
		}
		if savepoints {
			if _, err := tx.ExecContext(ctx, `RELEASE m`); err != nil {
				sqlTx.Rollback()
				fail(err)
				return false
			}
		}
		results[i] = appendDone{res: res, err: err}
	}
	if err := pend.flush(ctx, tx); err != nil {
		sqlTx.Rollback()
		if !careful && (isUnique(err) || errors.Is(err, errConvMoved)) {
			// A client_msg_id stored before: a resend.
			s.batchRetries.Add(1)
			return true
		}
		fail(err)
		return false
	}
	if err := sqlTx.Commit(); err != nil {
		fail(err)
		return false
	}
	s.convs.putAll(gen, after.convs, tx.timers, time.Now())
	for j, r := range live {
		r.done <- results[liveIdx[j]]
	}
	return false
}

// The statements of an append, prepared once on the write connection (its
// reads through database/sql, its row changes through the driver): with
// parsing out of the way a batch costs little more than its disk flush.
const (
	findClientMsgSQL = `SELECT conversation_id, seq FROM messages WHERE client_msg_id = ?`
	loadMessageSQL   = `SELECT ` + msgColumns + ` FROM messages WHERE conversation_id = ? AND seq = ?`
)

// preparedSQL are the append's reads, prepared through database/sql.
var preparedSQL = []string{
	dataVersionSQL, findClientMsgSQL, loadMessageSQL, loadConversationSQL, findTimerSQL,
}

// rawSQL are the append's row changes, run through the driver (rawStmts)
// and prepared there on first use.
var rawSQL = map[string]bool{
	`SAVEPOINT m`: true, `RELEASE m`: true, `ROLLBACK TO m`: true,
	insertMessageSQL: true, insertOutboxSQL: true, advanceSeqSQL: true, postponeLaterSQL: true, postponeEarlierSQL: true,
}

func (s *Store) prepare(ctx context.Context) error {
	s.prepared = make(map[string]*sql.Stmt, len(preparedSQL))
	for _, q := range preparedSQL {
		st, err := s.w.PrepareContext(ctx, q)
		if err != nil {
			return fmt.Errorf("prepare %q: %w", q, err)
		}
		s.prepared[q] = st
	}
	s.chunks = make(map[chunkKey]string)
	for _, one := range []string{insertMessageSQL, insertOutboxSQL} {
		for n := 1; n <= pendingChunk; n *= 2 {
			s.chunks[chunkKey{one, n}] = chunkSQL(one, n)
		}
	}
	for n := 1; n <= pendingChunk; n *= 2 {
		s.chunks[chunkKey{advanceConvsSQL, n}] = advanceConvsChunk(n)
	}
	st, err := s.r.PrepareContext(ctx, loadConversationSQL)
	if err != nil {
		return fmt.Errorf("prepare conversation read: %w", err)
	}
	s.readConv = st
	return nil
}

// execQueryer is what a write needs from a transaction.
type execQueryer interface {
	queryer
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// stmtTx runs a transaction's statements through the prepared ones where
// there is one. Tx.StmtContext reuses a statement prepared on the
// transaction's connection, and the write pool has only that connection.
type stmtTx struct {
	s  *Store
	tx *sql.Tx
	// pend, in a group commit, collects the batch's message and outbox
	// rows, inserted together before the commit.
	pend *pendingRows
	// stmts are the prepared statements bound to tx so far: binding one
	// allocates, and a batch runs each many times.
	stmts map[*sql.Stmt]*sql.Stmt
	// blind, in a group commit, skips the lookup of each client_msg_id
	// among the stored messages: the insert of the batch's rows fails on
	// the unique index instead, and the batch runs again (runBatch).
	blind bool
	// timers, in a group commit, is what the batch learned of its
	// conversations' postponed timers (postponeTimerTx); the cache gets it
	// with the conversations after the commit.
	timers map[string]knownTimer
	// conn and raw, in a group commit, run the prepared statements that
	// change rows on the transaction's connection through the driver.
	conn *sql.Conn
	raw  *rawStmts
}

// defers reports whether an append's move of its conversation's row is
// kept back to the end of the batch (pendingRows.advanceConv): in a group
// commit that looks nothing up, where a failing append reruns the batch
// rather than rolling back to a savepoint.
func (t stmtTx) defers() bool { return t.pend != nil && t.blind && t.raw != nil }

// advanceConvsSQL moves conversations on, a VALUES tuple each (chunkSQL):
// id, last_seq, updated_at, whether to set last_text, last_text,
// awaiting_since, first_reply_at, and the last_seq each must still have.
const advanceConvsSQL = `UPDATE conversations SET last_seq = v.column2, updated_at = v.column3,
		last_text = CASE WHEN v.column4 THEN v.column5 ELSE conversations.last_text END,
		awaiting_since = v.column6, first_reply_at = v.column7
	FROM (VALUES (?, ?, ?, ?, ?, ?, ?, ?)) AS v
	WHERE conversations.id = v.column1 AND conversations.last_seq = v.column8`

// advanceConvsChunk is advanceConvsSQL for n conversations.
func advanceConvsChunk(n int) string {
	const tuple = "(?, ?, ?, ?, ?, ?, ?, ?)"
	i := strings.Index(advanceConvsSQL, tuple)
	return advanceConvsSQL[:i] + strings.Repeat(tuple+", ", n-1) + tuple + advanceConvsSQL[i+len(tuple):]
}

// stmt is prepared statement st bound to the transaction.
func (t stmtTx) stmt(ctx context.Context, st *sql.Stmt) *sql.Stmt {
	if t.stmts == nil {
		return t.tx.StmtContext(ctx, st)
	}
	bound := t.stmts[st]
	if bound == nil {
		bound = t.tx.StmtContext(ctx, st)
		t.stmts[st] = bound
	}
	return bound
}

func (t stmtTx) ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error) {
	if rawSQL[q] && t.raw != nil {
		t.raw.reset()
		for _, a := range args {
			if err := t.raw.add(a); err != nil {
				return nil, err
			}
		}
		return t.raw.exec(ctx, t.conn, q)
	}
	if st := t.s.prepared[q]; st != nil {
		return t.stmt(ctx, st).ExecContext(ctx, args...)
	}
	return t.tx.ExecContext(ctx, q, args...)
}

func (t stmtTx) QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	if st := t.s.prepared[q]; st != nil {
		return t.stmt(ctx, st).QueryContext(ctx, args...)
	}
	return t.tx.QueryContext(ctx, q, args...)
}

func (t stmtTx) QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row {
	if st := t.s.prepared[q]; st != nil {
		return t.stmt(ctx, st).QueryRowContext(ctx, args...)
	}
	return t.tx.QueryRowContext(ctx, q, args...)
}

// AppendMessage implements store.Store. The append joins the next group
// commit; it returns once that commit is on disk.
func (s *Store) AppendMessage(ctx context.Context, nm store.NewMessage) (store.AppendResult, error) {
	r := appendReqs.Get().(*appendReq)
	r.ctx, r.nm = ctx, nm
	select {
	case s.appends <- r:
	case <-s.stop:
		r.release()
		return store.AppendResult{}, fmt.Errorf("append message conv=%s: %w", nm.ConversationID, errClosed)
	case <-ctx.Done():
		r.release()
		return store.AppendResult{}, fmt.Errorf("append message conv=%s: %w", nm.ConversationID, ctx.Err())
	}
	// Once handed over the append is the writer's: wait for its outcome even
	// if ctx ends, so a caller never reports failure for a stored message.
	d := <-r.done
	r.release()
	if d.err != nil {
		return store.AppendResult{}, fmt.Errorf("append message conv=%s: %w", nm.ConversationID, translate(d.err))
	}
	return d.res, nil
}

// appendReqs keeps the requests of AppendMessage, each with its channel,
// for the next: a request is about a kilobyte, and the writer is done with
// one once it has answered it (it answers each once, last).
var appendReqs = sync.Pool{New: func() any { return &appendReq{done: make(chan appendDone, 1)} }}

// release hands an answered, or never sent, AppendMessage request back to
// appendReqs.
func (r *appendReq) release() {
	*r = appendReq{done: r.done}
	appendReqs.Put(r)
}

// writeJoined is writeApart for a write that runs often beside the appends
// (the webhooks' fan-out of the outbox, every second while messages flow):
// fn runs inside the next group commit and writeJoined returns once that
// commit is on disk. As its own transaction
// it would hold the one write connection, and make the appends wait, for
// its own BEGIN, work and disk flush; joined, it shares the batch's flush.
// fn leaves conversations alone (see writeApart): the writer's conversation
// cache stays. An error of fn rolls back fn's writes only. fn may run more
// than once (the batch runs again when an append in it fails) and must
// start over each time; only the run that commits counts.
func (s *Store) writeJoined(ctx context.Context, fn func(tx *sql.Tx) error) error {
	r := &appendReq{ctx: ctx, apart: fn, done: make(chan appendDone, 1)}
	select {
	case s.appends <- r:
	case <-s.stop:
		return errClosed
	case <-ctx.Done():
		return ctx.Err()
	}
	return (<-r.done).err
}

// appendTx is one append inside the batch's transaction.
func (s *Store) appendTx(ctx context.Context, tx execQueryer, nm store.NewMessage, batch *batchConvs) (store.AppendResult, error) {
	res, err := s.appendOnce(ctx, tx, nm, batch)
	var refused unwritten
	if st, ok := tx.(stmtTx); ok && st.blind && errors.As(err, &refused) {
		// Refused without the lookup, which a resend of a stored message
		// needs: its answer is the message it repeats, even when the
		// conversation has moved on since. Refused, it wrote nothing, so
		// it can run again.
		st.blind = false
		return s.appendOnce(ctx, st, nm, batch)
	}
	return res, err
}

func (s *Store) appendOnce(ctx context.Context, tx execQueryer, nm store.NewMessage, batch *batchConvs) (store.AppendResult, error) {
	var res store.AppendResult
	if st, ok := tx.(stmtTx); ok && st.pend != nil {
		// A resend in the same batch as its original.
		if m, ok := st.pend.byClientID[nm.ClientMsgID]; ok {
			if m.ConversationID != nm.ConversationID {
				return res, unwritten{fmt.Errorf("%w: client_msg_id %s belongs to another conversation", store.ErrConflict, nm.ClientMsgID)}
			}
			res.Duplicate, res.Message = true, m
			var err error
			res.Conversation, err = s.appendConversation(ctx, tx, m.ConversationID, batch)
			return res, err
		}
	}
	var dupConv string
	var dupSeq int64
	err := sql.ErrNoRows
	if st, ok := tx.(stmtTx); !ok || !st.blind {
		err = tx.QueryRowContext(ctx, findClientMsgSQL, nm.ClientMsgID).Scan(&dupConv, &dupSeq)
	}
	switch {
	case err == nil:
		if dupConv != nm.ConversationID {
			return res, unwritten{fmt.Errorf("%w: client_msg_id %s belongs to another conversation", store.ErrConflict, nm.ClientMsgID)}
		}
		res.Duplicate = true
		if res.Message, err = s.scanMessage(tx.QueryRowContext(ctx, loadMessageSQL, dupConv, dupSeq)); err != nil {
			return res, err
		}
		res.Conversation, err = s.appendConversation(ctx, tx, dupConv, batch)
		return res, err
	case !errors.Is(err, sql.ErrNoRows):
		return res, err
	}
	// One read serves the guards, the seq allocation and the result: the
	// append changes only what is set below.
	conv, err := s.appendConversation(ctx, tx, nm.ConversationID, batch)
	if err != nil {
		return res, err
	}
	if len(nm.States) > 0 && !containsState(nm.States, conv.State) {
		return res, unwritten{fmt.Errorf("%w: conversation is %s", store.ErrIllegalState, conv.State)}
	}
	if nm.Assignee != "" && nm.Assignee != conv.AssigneeID && !conv.JoinedBy(nm.Assignee) {
		return res, unwritten{fmt.Errorf("%w: conversation is not assigned to %s", store.ErrIllegalState, nm.Assignee)}
	}
	changes := nm.Change.Set() && conversation.Allows(conv.State, nm.Change.Event)
	st, _ := tx.(stmtTx)
	deferred := st.defers() && !changes
	// Not kept back when the state changes: the change reads the row
	// (insertMessage writes what the batch kept back of it first).
	if res.Message, err = s.insertMessage(ctx, tx, nm, conv.LastSeq, s.nowMS(), deferred); err != nil {
		return res, err
	}
	if nm.Postpone != nil {
		if err := postponeTimerTx(ctx, tx, nm.ConversationID, *nm.Postpone, res.Message.Seq); err != nil {
			return res, err
		}
	}
	if changes {
		if st.timers != nil {
			st.timers[nm.ConversationID] = knownTimer{unknown: true} // timers re-armed
		}
		after, ev, err := s.changeStateTx(ctx, tx, nm.Change.For(nm))
		if err != nil {
			return res, err
		}
		res.Changed, res.Conversation = &ev, after
		return res, nil
	}
	conv.LastSeq, conv.UpdatedAt = res.Message.Seq, res.Message.CreatedAt
	if nm.UpdatesLastText() {
		conv.LastText = nm.PreviewText()
	}
	switch {
	case nm.CustomerWrote() && conv.AwaitingSince == 0:
		conv.AwaitingSince = res.Message.CreatedAt
	case nm.StaffAnswered():
		conv.AwaitingSince = 0
		if conv.FirstReplyAt == 0 && conv.AssigneeID != "" && conv.AssigneeID == nm.SenderID {
			conv.FirstReplyAt = res.Message.CreatedAt
		}
	}
	if deferred {
		st.pend.settleConv(conv)
	}
	res.Conversation = conv
	return res, err
}

// appendConversation reads conversation id for an append: as the batch left
// it, else from the writer's cache, else from the database.
func (s *Store) appendConversation(ctx context.Context, tx execQueryer, id string, batch *batchConvs) (store.Conversation, error) {
	if c, ok := batch.get(id); ok {
		return cloneConversation(c), nil
	}
	if c, ok := s.convs.get(id); ok {
		return c, nil
	}
	return s.loadConversation(ctx, tx, id)
}

// pendingRows are the message and outbox rows of a group commit, inserted
// with a few multi-row statements before its commit instead of one
// statement each. Nothing in an append reads the messages or the outbox
// back except the client_msg_id check, which looks here first; rows stay in
// append order, so outbox ids still follow seqs.
type pendingRows struct {
	msgs       []store.Message
	rows       [][]any // insertMessageSQL's arguments
	entries    [][]any // insertOutboxSQL's arguments
	byClientID map[string]store.Message
	// convs are the batch's conversations whose row an append moved on
	// (last_seq and what goes with it), written with one statement
	// before the commit instead of one per append (deferred appends:
	// stmtTx.defers).
	convs   []convUpdate
	convIdx map[string]int
}

// convUpdate is what the batch's appends changed of one conversation's
// row: its last_seq was expect before them.
type convUpdate struct {
	id                     string
	expect, lastSeq, at    int64
	setText                bool
	text                   any // sealed
	awaiting, firstReplyAt int64
}

// reset empties p for a new batch and returns it.
func (p *pendingRows) reset() *pendingRows {
	clear(p.msgs)
	clear(p.rows)
	clear(p.entries)
	p.msgs, p.rows, p.entries = p.msgs[:0], p.rows[:0], p.entries[:0]
	resetMap(&p.byClientID)
	clear(p.convs)
	p.convs = p.convs[:0]
	resetMap(&p.convIdx)
	return p
}

// advanceConv keeps back the move of conversation id's row by an append
// of message seq at now from lastSeq; text, sealed, replaces its last
// text if setText.
func (p *pendingRows) advanceConv(id string, lastSeq, seq, now int64, setText bool, text any) {
	i, ok := p.convIdx[id]
	if !ok {
		i = len(p.convs)
		p.convIdx[id] = i
		p.convs = append(p.convs, convUpdate{id: id, expect: lastSeq})
	}
	u := &p.convs[i]
	u.lastSeq, u.at = seq, now
	if setText {
		u.setText, u.text = true, text
	}
}

// settleConv takes the awaiting and first-reply times of c, as its
// append left them.
func (p *pendingRows) settleConv(c store.Conversation) {
	if i, ok := p.convIdx[c.ID]; ok {
		p.convs[i].awaiting, p.convs[i].firstReplyAt = c.AwaitingSince, c.FirstReplyAt
	}
}

// errConvMoved is a conversation's row found moved on since the batch read
// it: the batch runs again carefully.
var errConvMoved = errors.New("a conversation's last_seq moved under the batch")

// flushConvs writes every conversation kept back, a chunk per statement
// (as insertRows), and checks each row was where the batch left it.
func (p *pendingRows) flushConvs(ctx context.Context, tx stmtTx) error {
	rows := p.convs
	for len(rows) > 0 {
		n := chunk(len(rows))
		tx.raw.reset()
		for _, u := range rows[:n] {
			if err := tx.raw.addConv(u); err != nil {
				return err
			}
		}
		res, err := tx.raw.exec(ctx, tx.conn, tx.s.chunks[chunkKey{advanceConvsSQL, n}])
		if err != nil {
			return fmt.Errorf("move conversations on: %w", err)
		}
		if moved, _ := res.RowsAffected(); moved != int64(n) {
			return fmt.Errorf("%w: %d of %d rows", errConvMoved, moved, n)
		}
		rows = rows[n:]
	}
	clear(p.convs)
	p.convs = p.convs[:0]
	clear(p.convIdx)
	return nil
}

// flushConv writes conversation id's row if the batch kept it back.
func (p *pendingRows) flushConv(ctx context.Context, tx stmtTx, id string) error {
	i, ok := p.convIdx[id]
	if !ok {
		return nil
	}
	tx.raw.reset()
	if err := tx.raw.addConv(p.convs[i]); err != nil {
		return err
	}
	res, err := tx.raw.exec(ctx, tx.conn, tx.s.chunks[chunkKey{advanceConvsSQL, 1}])
	if err != nil {
		return fmt.Errorf("move conversation on: %w", err)
	}
	if moved, _ := res.RowsAffected(); moved != 1 {
		return fmt.Errorf("%w: conversation %s", errConvMoved, id)
	}
	// The last kept back takes its place.
	last := len(p.convs) - 1
	if i != last {
		p.convs[i] = p.convs[last]
		p.convIdx[p.convs[i].id] = i
	}
	p.convs[last] = convUpdate{}
	p.convs = p.convs[:last]
	delete(p.convIdx, id)
	return nil
}

func (p *pendingRows) add(m store.Message, row, entry []any) {
	p.msgs = append(p.msgs, m)
	p.rows = append(p.rows, row)
	if entry != nil {
		p.entries = append(p.entries, entry)
	}
	p.byClientID[m.ClientMsgID] = m
}

// mark and undo drop the rows of an append that failed and was rolled back
// to its savepoint.
func (p *pendingRows) mark() pendingMark { return pendingMark{len(p.msgs), len(p.entries)} }

// pendingMark is how many messages and outbox entries were pending.
type pendingMark struct{ msgs, entries int }

func (p *pendingRows) undo(n pendingMark) {
	for _, m := range p.msgs[n.msgs:] {
		delete(p.byClientID, m.ClientMsgID)
	}
	p.msgs, p.rows, p.entries = p.msgs[:n.msgs], p.rows[:n.msgs], p.entries[:n.entries]
}

// pendingChunk is the most rows one statement inserts: 15 × 128 bound
// values, well under SQLite's limit.
const pendingChunk = 128

// flush inserts the rows and moves the conversations on.
func (p *pendingRows) flush(ctx context.Context, tx stmtTx) error {
	if err := p.flushConvs(ctx, tx); err != nil {
		return err
	}
	if err := insertRows(ctx, tx, insertMessageSQL, p.rows); err != nil {
		return fmt.Errorf("insert messages: %w", err)
	}
	if err := insertRows(ctx, tx, insertOutboxSQL, p.entries); err != nil {
		return fmt.Errorf("insert outbox entries: %w", err)
	}
	return nil
}

// insertRows runs the one-row INSERT one, whose statement ends with its
// VALUES tuple, for every row of rows, a chunk of rows per statement. The
// chunks are powers of two up to pendingChunk, so a batch of any size takes
// at most a few statements and each is prepared once rather than parsed at
// every commit.
func insertRows(ctx context.Context, tx stmtTx, one string, rows [][]any) error {
	for len(rows) > 0 {
		n := chunk(len(rows))
		tx.raw.reset()
		for _, r := range rows[:n] {
			for _, a := range r {
				if err := tx.raw.add(a); err != nil {
					return err
				}
			}
		}
		if _, err := tx.raw.exec(ctx, tx.conn, tx.s.chunks[chunkKey{one, n}]); err != nil {
			return err
		}
		rows = rows[n:]
	}
	return nil
}

// chunkSQL is the INSERT one, whose statement ends with its VALUES tuple,
// for n rows.
func chunkSQL(one string, n int) string {
	i := strings.LastIndex(one, "VALUES")
	head, tuple := one[:i+len("VALUES")], strings.TrimSpace(one[i+len("VALUES"):])
	var b strings.Builder
	b.WriteString(head)
	for j := range n {
		if j > 0 {
			b.WriteByte(',')
		}
		b.WriteByte(' ')
		b.WriteString(tuple)
	}
	return b.String()
}

// chunkKey names a multi-row INSERT: its one-row statement and
// its number of rows.
type chunkKey struct {
	one string
	n   int
}

// rawStmts are the statements a group commit runs to change rows,
// prepared on the write connection's driver and run through it rather than
// through database/sql, which would copy every call's arguments into a
// slice of its own (a multi-row insert has 15 a row) on the goroutine every
// append waits for; and each allocation there is work the collector may
// hand back to that goroutine while it marks. They are the writer
// goroutine's, like the scratch that holds them.
type rawStmts struct {
	ci    any // the driver connection they are prepared on
	stmts map[string]driver.Stmt
	args  []driver.NamedValue
}

// reset empties the arguments for the next statement.
func (r *rawStmts) reset() {
	clear(r.args)
	r.args = r.args[:0]
}

// addConv appends u's values, in advanceConvsSQL's order.
func (r *rawStmts) addConv(u convUpdate) error {
	for _, a := range [...]any{u.id, u.lastSeq, u.at, u.setText, u.text, u.awaiting, u.firstReplyAt, u.expect} {
		if err := r.add(a); err != nil {
			return err
		}
	}
	return nil
}

// chunk is how many of left rows the next statement takes: the largest
// power of two not over left, up to pendingChunk, so that each statement
// is one of a few prepared once.
func chunk(left int) int {
	n := pendingChunk
	for n > left {
		n /= 2
	}
	return n
}

// add appends an argument, converted as database/sql converts one.
func (r *rawStmts) add(a any) error {
	v, err := driver.DefaultParameterConverter.ConvertValue(a)
	if err != nil {
		return fmt.Errorf("argument %d: %w", len(r.args)+1, err)
	}
	r.args = append(r.args, driver.NamedValue{Ordinal: len(r.args) + 1, Value: v})
	return nil
}

// exec runs q with the arguments added on conn, through its driver,
// preparing q there the first time.
func (r *rawStmts) exec(ctx context.Context, conn *sql.Conn, q string) (res driver.Result, err error) {
	err = conn.Raw(func(ci any) error {
		if ci != r.ci {
			// The pool opened the connection again (it closes one that
			// failed): what was prepared went with the old one, which
			// SQLite frees once they are finalized; finalizing them needs
			// the closed connection, so they are left.
			clear(r.stmts)
			r.ci = ci
		}
		st := r.stmts[q]
		if st == nil {
			pc, ok := ci.(driver.ConnPrepareContext)
			if !ok {
				return errors.New("sqlite driver cannot prepare with a context")
			}
			if st, err = pc.PrepareContext(ctx, q); err != nil {
				return err
			}
			if r.stmts == nil {
				r.stmts = make(map[string]driver.Stmt)
			}
			r.stmts[q] = st
		}
		ex, ok := st.(driver.StmtExecContext)
		if !ok {
			return errors.New("sqlite statement cannot execute with a context")
		}
		res, err = ex.ExecContext(ctx, r.args)
		return err
	})
	r.reset()
	return res, err
}

// closeAll finalizes the statements; on the driver connection they were
// prepared on, which must be held (conn.Raw) or closed.
func (r *rawStmts) closeAll() {
	for _, st := range r.stmts {
		st.Close()
	}
	clear(r.stmts)
	r.ci = nil
}
