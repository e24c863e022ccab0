package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"switchboard/backend/audit"
	"switchboard/backend/store"
)

// The audit log is one hash chain (package audit). Every audit row, from
// AddAudit or from inside another write (ChangeState, UpdateTags,
// AddCustomerNote, the group commit's state changes), goes through
// audit in its writer's transaction. All writes share the one write
// connection and run one transaction at a time, so the last row read there
// is the last row of the log, and the group commit's savepoints undo a
// failed append's row together with everything it chained on.

const lastAuditSQL = `SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1`

// audit appends e to the chain inside tx: it numbers e one after the
// last entry and stores the hash linking the two.
func (s *Store) audit(ctx context.Context, tx execQueryer, e store.AuditEntry) error {
	if e.TS == 0 {
		e.TS = s.nowMS()
	}
	prev := audit.Genesis
	var lastID int64
	var lastHash string
	switch err := tx.QueryRowContext(ctx, lastAuditSQL).Scan(&lastID, &lastHash); {
	case errors.Is(err, sql.ErrNoRows):
	case err != nil:
		return fmt.Errorf("read last audit entry: %w", err)
	default:
		// A damaged last hash must not stop the server's writes: the new
		// entry chains on Genesis and verification reports the damage.
		prev, _ = audit.ParseHash(lastHash)
	}
	e.ID = lastID + 1
	h := audit.Next(prev, auditEntry(e))
	_, err := tx.ExecContext(ctx, `INSERT INTO audit (id, ts, actor, action, conversation_id, detail, hash) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		e.ID, e.TS, e.Actor, e.Action, e.ConversationID, e.Detail, h.String())
	return err
}

func auditEntry(e store.AuditEntry) audit.Entry {
	return audit.Entry{ID: e.ID, TS: e.TS, Actor: e.Actor, Action: e.Action, ConversationID: e.ConversationID, Detail: e.Detail}
}

// chainLegacyAudit hashes, once, the entries stored before the log was
// chained (migration 10 leaves a setting asking for it), in log order.
func (s *Store) chainLegacyAudit(ctx context.Context) error {
	err := s.writeApart(ctx, func(tx *sql.Tx) error {
		var pending string
		err := tx.QueryRowContext(ctx, `SELECT v FROM settings WHERE k = 'audit_chain_legacy'`).Scan(&pending)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		if err != nil {
			return err
		}
		rows, err := tx.QueryContext(ctx, `SELECT id, ts, actor, action, conversation_id, detail FROM audit ORDER BY id`)
		if err != nil {
			return err
		}
		var entries []store.AuditEntry
		for rows.Next() {
			var e store.AuditEntry
			if err := rows.Scan(&e.ID, &e.TS, &e.Actor, &e.Action, &e.ConversationID, &e.Detail); err != nil {
				rows.Close()
				return err
			}
			entries = append(entries, e)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		prev := audit.Genesis
		for _, e := range entries {
			prev = audit.Next(prev, auditEntry(e))
			if _, err := tx.ExecContext(ctx, `UPDATE audit SET hash = ? WHERE id = ?`, prev.String(), e.ID); err != nil {
				return err
			}
		}
		_, err = tx.ExecContext(ctx, `DELETE FROM settings WHERE k = 'audit_chain_legacy'`)
		return err
	})
	if err != nil {
		return fmt.Errorf("chain the audit log: %w", err)
	}
	return nil
}

// AddAudit implements store.Store.
func (s *Store) AddAudit(ctx context.Context, e store.AuditEntry) error {
	if err := s.writeApart(ctx, func(tx *sql.Tx) error { return s.audit(ctx, tx, e) }); err != nil {
		return fmt.Errorf("add audit %s: %w", e.Action, translate(err))
	}
	return nil
}

// AddAudits implements store.Store.
func (s *Store) AddAudits(ctx context.Context, es []store.AuditEntry) error {
	if len(es) == 0 {
		return nil
	}
	err := s.writeApart(ctx, func(tx *sql.Tx) error {
		for _, e := range es {
			if err := s.audit(ctx, tx, e); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("add %d audit entries: %w", len(es), translate(err))
	}
	return nil
}

// Audit implements store.Store.
func (s *Store) Audit(ctx context.Context, conversationID string) ([]store.AuditEntry, error) {
	out, err := s.queryAudit(ctx, `WHERE conversation_id = ? ORDER BY id`, conversationID)
	if err != nil {
		return nil, fmt.Errorf("audit conv=%s: %w", conversationID, err)
	}
	return out, nil
}

// AuditLog implements store.Store.
func (s *Store) AuditLog(ctx context.Context, q store.AuditQuery) ([]store.AuditEntry, error) {
	var where []string
	var args []any
	add := func(cond string, arg any) {
		where = append(where, cond)
		args = append(args, arg)
	}
	if q.AfterID > 0 {
		add(`id > ?`, q.AfterID)
	}
	if q.Actor != "" {
		add(`actor = ?`, q.Actor)
	}
	if q.ConversationID != "" {
		add(`conversation_id = ?`, q.ConversationID)
	}
	if q.Action != "" {
		add(`action = ?`, q.Action)
	}
	if q.Since != 0 {
		add(`ts >= ?`, q.Since)
	}
	if q.Until != 0 {
		add(`ts < ?`, q.Until)
	}
	limit := q.Limit
	if limit <= 0 {
		limit = 500
	}
	clause := ""
	if len(where) > 0 {
		clause = `WHERE ` + strings.Join(where, ` AND `)
	}
	out, err := s.queryAudit(ctx, clause+` ORDER BY id LIMIT ?`, append(args, limit)...)
	if err != nil {
		return nil, fmt.Errorf("audit log: %w", err)
	}
	return out, nil
}

func (s *Store) queryAudit(ctx context.Context, clause string, args ...any) ([]store.AuditEntry, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT id, ts, actor, action, conversation_id, detail, hash FROM audit `+clause, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []store.AuditEntry
	for rows.Next() {
		var e store.AuditEntry
		if err := rows.Scan(&e.ID, &e.TS, &e.Actor, &e.Action, &e.ConversationID, &e.Detail, &e.Hash); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}
