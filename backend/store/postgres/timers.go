package postgres

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"switchboard/backend/conversation"
	"switchboard/backend/store"
)

// Timers are rows, written in the transaction of the state change that arms
// them and deleted by the next, so a conversation's timers always belong to
// its current state.
//
// Any node may read a due timer (DueTimers is a plain read: several nodes
// may see the same one). Firing it is claimed exactly once by the database:
// the firing is a ChangeState with IfTimer, which checks under the
// conversation's row lock that this version is still armed and deletes it
// in the same transaction, so a second node firing the same timer finds it
// gone and gets ErrIllegalState. DisarmTimer is a DELETE of that version:
// of two, one deletes the row.

// changeTimersTx applies a state change's timer rules (see
// store.StateChange.KeepTimers): deletes the timers that end with the change
// and arms sc.Arm.
func changeTimersTx(ctx context.Context, tx pgx.Tx, sc store.StateChange) error {
	for _, t := range sc.Arm {
		if _, err := tx.Exec(ctx, `DELETE FROM timers WHERE conversation_id = $1 AND kind = $2`,
			sc.ConversationID, string(t.Kind)); err != nil {
			return err
		}
	}
	var err error
	if sc.OfferAgentID != nil {
		// A new offer or none: the old offer's timer ends either way.
		if _, err = tx.Exec(ctx, `DELETE FROM timers WHERE conversation_id = $1 AND kind = $2`,
			sc.ConversationID, string(conversation.OfferTimeout)); err != nil {
			return err
		}
	}
	switch {
	case !sc.KeepTimers:
		// The timers of the old state end; an offer's lives as long as the
		// offer.
		_, err = tx.Exec(ctx, `DELETE FROM timers WHERE conversation_id = $1 AND kind <> $2`,
			sc.ConversationID, string(conversation.OfferTimeout))
	case sc.IfTimer != nil:
		_, err = tx.Exec(ctx, `DELETE FROM timers WHERE id = $1`, sc.IfTimer.Version)
	}
	if err != nil {
		return err
	}
	for _, t := range sc.Arm {
		if _, err := tx.Exec(ctx, `INSERT INTO timers (conversation_id, kind, due_at) VALUES ($1, $2, $3)`,
			sc.ConversationID, string(t.Kind), t.DueAt); err != nil {
			return err
		}
	}
	return nil
}

// timerArmedTx reports whether timer t (kind and version) is still armed.
func timerArmedTx(ctx context.Context, tx pgx.Tx, convID string, t store.Timer) (bool, error) {
	var one int
	err := tx.QueryRow(ctx, `SELECT 1 FROM timers WHERE id = $1 AND conversation_id = $2 AND kind = $3`,
		t.Version, convID, string(t.Kind)).Scan(&one)
	if errors.Is(err, pgx.ErrNoRows) {
		return false, nil
	}
	return err == nil, err
}

// postponeTimerTx moves a conversation's timer of t.Kind, if armed, to
// t.DueAt+t.Slack under a new version, unless it is already due within
// [t.DueAt, t.DueAt+t.Slack] (store.NewMessage.Postpone).
func postponeTimerTx(ctx context.Context, tx pgx.Tx, convID string, t store.Timer) error {
	due := t.DueAt + max(t.Slack, 0)
	tag, err := tx.Exec(ctx, `DELETE FROM timers WHERE conversation_id = $1 AND kind = $2
		AND due_at NOT BETWEEN $3 AND $4`, convID, string(t.Kind), t.DueAt, due)
	if err != nil || tag.RowsAffected() == 0 {
		return err
	}
	_, err = tx.Exec(ctx, `INSERT INTO timers (conversation_id, kind, due_at) VALUES ($1, $2, $3)`,
		convID, string(t.Kind), due)
	return err
}

const timerColumns = `conversation_id, kind, due_at, id`

func collectTimers(rows pgx.Rows) ([]store.Timer, error) {
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (store.Timer, error) {
		var t store.Timer
		var kind string
		err := r.Scan(&t.ConversationID, &kind, &t.DueAt, &t.Version)
		t.Kind = conversation.Event(kind)
		return t, err
	})
}

// DueTimers implements store.Store.
func (s *Store) DueTimers(ctx context.Context, now int64, limit int) ([]store.Timer, error) {
	if limit <= 0 {
		limit = 500
	}
	rows, err := s.pool.Query(ctx, `SELECT `+timerColumns+` FROM timers WHERE due_at <= $1 ORDER BY due_at, id LIMIT $2`, now, limit)
	if err != nil {
		return nil, fmt.Errorf("due timers: %w", translate(err))
	}
	ts, err := collectTimers(rows)
	if err != nil {
		return nil, fmt.Errorf("due timers: %w", translate(err))
	}
	return orNilTimers(ts), nil
}

// Timers implements store.Store.
func (s *Store) Timers(ctx context.Context, conversationID string) ([]store.Timer, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+timerColumns+` FROM timers WHERE conversation_id = $1 ORDER BY kind COLLATE "C"`, conversationID)
	if err != nil {
		return nil, fmt.Errorf("timers conv=%s: %w", conversationID, translate(err))
	}
	ts, err := collectTimers(rows)
	if err != nil {
		return nil, fmt.Errorf("timers conv=%s: %w", conversationID, translate(err))
	}
	return orNilTimers(ts), nil
}

func orNilTimers(ts []store.Timer) []store.Timer {
	if len(ts) == 0 {
		return nil
	}
	return ts
}

// DisarmTimer implements store.Store.
func (s *Store) DisarmTimer(ctx context.Context, t store.Timer) error {
	_, err := s.pool.Exec(ctx, `DELETE FROM timers WHERE id = $1 AND conversation_id = $2 AND kind = $3`,
		t.Version, t.ConversationID, string(t.Kind))
	if err != nil {
		return fmt.Errorf("disarm timer conv=%s kind=%s: %w", t.ConversationID, t.Kind, translate(err))
	}
	return nil
}
