package sqlite

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"

	"switchboard/backend/conversation"
	"switchboard/backend/store"
)

// Timers are rows, not sleeping goroutines, so they survive a restart. They
// are written in the transaction of the state change that arms them and
// deleted by the next state change, so a conversation's timers always belong
// to its current state.

// rearmTimersTx replaces every timer of a conversation with arm; with
// keep it only arms, replacing timers of the same kinds.
func rearmTimersTx(ctx context.Context, tx execQueryer, convID string, arm []store.Timer, keep bool) error {
	if !keep {
		if _, err := tx.ExecContext(ctx, `DELETE FROM timers WHERE conversation_id = ?`, convID); err != nil {
			return err
		}
	}
	for _, t := range arm {
		if _, err := tx.ExecContext(ctx, `INSERT INTO timers (conversation_id, kind, due_at) VALUES (?, ?, ?)`,
			convID, string(t.Kind), t.DueAt); err != nil {
			return err
		}
	}
	return nil
}

// changeTimersTx applies a state change's timer rules (see
// store.StateChange.KeepTimers): deletes the timers that end with the change
// and arms sc.Arm.
func changeTimersTx(ctx context.Context, tx execQueryer, sc store.StateChange) error {
	for _, t := range sc.Arm {
		if _, err := tx.ExecContext(ctx, `DELETE FROM timers WHERE conversation_id = ? AND kind = ?`,
			sc.ConversationID, string(t.Kind)); err != nil {
			return err
		}
	}
	var err error
	if sc.OfferAgentID != nil {
		// A new offer or none: the old offer's timer ends either way.
		if _, err = tx.ExecContext(ctx, `DELETE FROM timers WHERE conversation_id = ? AND kind = ?`,
			sc.ConversationID, string(conversation.OfferTimeout)); err != nil {
			return err
		}
	}
	switch {
	case !sc.KeepTimers:
		// The timers of the old state end; an offer's lives as long as the
		// offer.
		_, err = tx.ExecContext(ctx, `DELETE FROM timers WHERE conversation_id = ? AND kind <> ?`,
			sc.ConversationID, string(conversation.OfferTimeout))
	case sc.IfTimer != nil:
		id, postponed := timerRow(sc.IfTimer.Version)
		_, err = tx.ExecContext(ctx, `DELETE FROM timers WHERE id = ? AND postponed = ?`, id, postponed)
	}
	if err != nil {
		return err
	}
	return rearmTimersTx(ctx, tx, sc.ConversationID, sc.Arm, true)
}

// timerArmedTx reports whether timer t (kind and version) is still armed.
func timerArmedTx(ctx context.Context, tx execQueryer, convID string, t store.Timer) (bool, error) {
	var one int
	id, postponed := timerRow(t.Version)
	err := tx.QueryRowContext(ctx, `SELECT 1 FROM timers WHERE id = ? AND postponed = ? AND conversation_id = ? AND kind = ?`,
		id, postponed, convID, string(t.Kind)).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	return err == nil, err
}

// postponeTimerTx moves a conversation's timer of t.Kind, if armed, to
// t.DueAt+t.Slack under a new version: the seq of the message that
// postpones it, which no earlier postponement of the same timer had. A
// timer already due within [t.DueAt, t.DueAt+t.Slack] is left as it is,
// and nothing is written (store.NewMessage.Postpone).
//
// A timer is due at the later of due_at and due_later. Every customer
// message postpones its conversation's idle timer, so the postponement
// writes due_later and leaves due_at, and with it the index on due_at, as
// it is; DueTimers moves due_at up when it finds a timer that was
// postponed past it, once per wait rather than once per message. Only a
// postponement to before due_at (a shorter wait configured meanwhile)
// moves due_at itself. The two are separate statements: one choosing
// between them with CASE would name due_at in its SET, and SQLite rewrites
// an index entry whenever the SET names its column, changed or not (271
// WAL frames against 160 for 200 postponements among 50,000 timers). The
// timer is read first, so a postponement within the slack, which most are
// when a customer writes several messages in a row, costs one lookup.
func postponeTimerTx(ctx context.Context, tx execQueryer, convID string, t store.Timer, seq int64) error {
	due := t.DueAt + max(t.Slack, 0)
	st, _ := tx.(stmtTx)
	if k, ok := st.knownTimer(convID); ok && k.kind == t.Kind {
		if !k.armed || (k.due >= t.DueAt && k.due <= due) {
			return nil
		}
	}
	var id, dueAt, dueLater int64
	err := tx.QueryRowContext(ctx, findTimerSQL, convID, string(t.Kind)).Scan(&id, &dueAt, &dueLater)
	if errors.Is(err, sql.ErrNoRows) {
		st.learnTimer(convID, knownTimer{kind: t.Kind})
		return nil // no timer of the kind armed
	}
	if err != nil {
		return err
	}
	if now := max(dueAt, dueLater); now >= t.DueAt && now <= due {
		st.learnTimer(convID, knownTimer{kind: t.Kind, armed: true, due: now})
		return nil
	}
	q := postponeLaterSQL
	if dueAt > due {
		q = postponeEarlierSQL
	}
	if _, err = tx.ExecContext(ctx, q, due, seq, id); err != nil {
		return err
	}
	st.learnTimer(convID, knownTimer{kind: t.Kind, armed: true, due: due})
	return nil
}

// knownTimer is what a group commit knows of a conversation's timer of
// the kind its customer's messages postpone, so that a postponement within
// the slack, the common one, reads nothing: whether one is armed, and when
// it is due. It is learnt by postponeTimerTx and kept by the conversation
// cache (convcache.go) under the cache's rules: every write other than an
// append drops it, and so does an append's state change (which re-arms the
// conversation's timers) for its conversation. Timers are deleted and
// their due_at moved up to due_later outside the appends (DisarmTimer,
// DueTimers) without dropping it: neither makes a timer due earlier or
// arms one, so a postponement skipped on what the cache knows is still
// right (a timer gone needs no postponing).
type knownTimer struct {
	kind    conversation.Event
	armed   bool
	due     int64 // when armed
	unknown bool  // forget what the cache knows
}

// knownTimer is what the batch, then the cache, knows of conversation
// id's timer; nothing outside a group commit or in a careful one.
func (t stmtTx) knownTimer(id string) (knownTimer, bool) {
	if t.timers == nil || !t.blind {
		return knownTimer{}, false
	}
	if k, ok := t.timers[id]; ok {
		return k, !k.unknown
	}
	return t.s.convs.timer(id)
}

// learnTimer records k for the batch; a careful batch (savepoints: an
// append may be undone after it) records only that the cache's knowledge
// is to be forgotten.
func (t stmtTx) learnTimer(id string, k knownTimer) {
	if t.timers == nil {
		return
	}
	if !t.blind {
		k = knownTimer{unknown: true}
	}
	t.timers[id] = k
}

// The statements of a postponement, prepared with the append's (every
// customer message postpones the idle timer).
const (
	findTimerSQL       = `SELECT id, due_at, due_later FROM timers WHERE conversation_id = ? AND kind = ?`
	postponeLaterSQL   = `UPDATE timers SET due_later = ?, postponed = ? WHERE id = ?`
	postponeEarlierSQL = `UPDATE timers SET due_at = ?, due_later = 0, postponed = ? WHERE id = ?`
)

// A timer's version (store.Timer.Version) is its row id, given once by
// AUTOINCREMENT, in the high bits and the seq of the message that last
// postponed it (0 for none) in the low 32: a re-armed timer has a new id,
// a postponed one a higher seq, so no version is ever given twice to one
// conversation's timers of a kind.
const timerSeqBits = 32

func timerVersion(id, postponed int64) int64 { return id<<timerSeqBits | postponed }

// timerRow is the row id and postponing seq of version v.
func timerRow(v int64) (id, postponed int64) {
	return v >> timerSeqBits, v & (1<<timerSeqBits - 1)
}

const timerColumns = `conversation_id, kind, max(due_at, due_later), id, postponed`

func scanTimers(rows *sql.Rows) ([]store.Timer, error) {
	defer rows.Close()
	var out []store.Timer
	for rows.Next() {
		var t store.Timer
		var kind string
		var id, postponed int64
		if err := rows.Scan(&t.ConversationID, &kind, &t.DueAt, &id, &postponed); err != nil {
			return nil, err
		}
		t.Version = timerVersion(id, postponed)
		t.Kind = conversation.Event(kind)
		out = append(out, t)
	}
	return out, rows.Err()
}

// DueTimers implements store.Store. The index finds the timers whose
// due_at has passed; of those, the ones postponed since (due_later) are not
// due yet, and their due_at moves up to due_later (postponeTimerTx), in a
// write joined to the next group commit; the read then runs again, as they
// may have hidden due ones beyond the limit. (Twice at most: a timer
// postponed meanwhile waits for the next call.)
func (s *Store) DueTimers(ctx context.Context, now int64, limit int) ([]store.Timer, error) {
	if limit <= 0 {
		limit = 500
	}
	for round := 0; ; round++ {
		rows, err := s.r.QueryContext(ctx, `SELECT `+timerColumns+` FROM timers WHERE due_at <= ? ORDER BY due_at, id LIMIT ?`, now, limit)
		if err != nil {
			return nil, fmt.Errorf("due timers: %w", translate(err))
		}
		ts, err := scanTimers(rows)
		if err != nil {
			return nil, fmt.Errorf("due timers: %w", translate(err))
		}
		due := ts[:0]
		for _, t := range ts {
			if t.DueAt <= now {
				due = append(due, t)
			}
		}
		if len(due) == len(ts) || round == 2 {
			// Earliest first by the time each is due, not by due_at.
			slices.SortStableFunc(due, func(a, b store.Timer) int { return cmp.Compare(a.DueAt, b.DueAt) })
			return due, nil
		}
		err = s.writeJoined(ctx, func(tx *sql.Tx) error {
			_, err := tx.ExecContext(ctx, `UPDATE timers SET due_at = due_later, due_later = 0
				WHERE due_at <= ? AND due_later > ?`, now, now)
			return err
		})
		if err != nil {
			return nil, fmt.Errorf("due timers: move postponed ones: %w", translate(err))
		}
	}
}

// Timers implements store.Store.
func (s *Store) Timers(ctx context.Context, conversationID string) ([]store.Timer, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT `+timerColumns+` FROM timers WHERE conversation_id = ? ORDER BY kind`, conversationID)
	if err != nil {
		return nil, fmt.Errorf("timers conv=%s: %w", conversationID, translate(err))
	}
	ts, err := scanTimers(rows)
	if err != nil {
		return nil, fmt.Errorf("timers conv=%s: %w", conversationID, translate(err))
	}
	return ts, nil
}

// DisarmTimer implements store.Store.
func (s *Store) DisarmTimer(ctx context.Context, t store.Timer) error {
	err := s.writeApart(ctx, func(tx *sql.Tx) error {
		id, postponed := timerRow(t.Version)
		_, err := tx.ExecContext(ctx, `DELETE FROM timers WHERE id = ? AND postponed = ? AND conversation_id = ? AND kind = ?`,
			id, postponed, t.ConversationID, string(t.Kind))
		return err
	})
	if err != nil {
		return fmt.Errorf("disarm timer conv=%s kind=%s: %w", t.ConversationID, t.Kind, translate(err))
	}
	return nil
}
