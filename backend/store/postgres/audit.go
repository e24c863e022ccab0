package postgres

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"

	"switchboard/backend/audit"
	"switchboard/backend/store"
)

// The audit log is one hash chain (package audit) across every node.
// Appending takes a transaction-level advisory lock first, held to the
// commit: writers append one at a time, each reads the last entry as
// committed by the one before (READ COMMITTED reads anew per statement) and
// numbers and hashes its own after it. A rolled-back transaction leaves no
// entry, so the ids stay gap-free.
//
// Every write takes the audit lock last, after its conversation's row lock,
// and takes no other lock after it: the lock order cannot deadlock.

// audit appends e to the chain inside tx.
func (s *Store) audit(ctx context.Context, tx pgx.Tx, e store.AuditEntry) error {
	if e.TS == 0 {
		e.TS = s.nowMS()
	}
	if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, auditLockKey); err != nil {
		return fmt.Errorf("lock the audit log: %w", err)
	}
	prev := audit.Genesis
	var lastID int64
	var lastHash string
	switch err := tx.QueryRow(ctx, `SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1`).Scan(&lastID, &lastHash); {
	case errors.Is(err, pgx.ErrNoRows):
	case err != nil:
		return fmt.Errorf("read last audit entry: %w", err)
	default:
		// A damaged last hash must not stop the server's writes: the new
		// entry chains on Genesis and verification reports the damage.
		prev, _ = audit.ParseHash(lastHash)
	}
	e.ID = lastID + 1
	h := audit.Next(prev, auditEntry(e))
	_, err := tx.Exec(ctx, `INSERT INTO audit (id, ts, actor, action, conversation_id, detail, hash) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
		e.ID, e.TS, e.Actor, e.Action, e.ConversationID, e.Detail, h.String())
	return err
}

func auditEntry(e store.AuditEntry) audit.Entry {
	return audit.Entry{ID: e.ID, TS: e.TS, Actor: e.Actor, Action: e.Action, ConversationID: e.ConversationID, Detail: e.Detail}
}

// AddAudit implements store.Store.
func (s *Store) AddAudit(ctx context.Context, e store.AuditEntry) error {
	if err := s.write(ctx, func(tx pgx.Tx) error { return s.audit(ctx, tx, e) }); err != nil {
		return fmt.Errorf("add audit %s: %w", e.Action, translate(err))
	}
	return nil
}

// AddAudits implements store.Store.
func (s *Store) AddAudits(ctx context.Context, es []store.AuditEntry) error {
	if len(es) == 0 {
		return nil
	}
	err := s.write(ctx, func(tx pgx.Tx) error {
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
	out, err := s.queryAudit(ctx, `WHERE conversation_id = $1 ORDER BY id`, conversationID)
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
		args = append(args, arg)
		where = append(where, cond+" $"+strconv.Itoa(len(args)))
	}
	if q.AfterID > 0 {
		add(`id >`, q.AfterID)
	}
	if q.Actor != "" {
		add(`actor =`, q.Actor)
	}
	if q.ConversationID != "" {
		add(`conversation_id =`, q.ConversationID)
	}
	if q.Action != "" {
		add(`action =`, q.Action)
	}
	if q.Since != 0 {
		add(`ts >=`, q.Since)
	}
	if q.Until != 0 {
		add(`ts <`, q.Until)
	}
	limit := q.Limit
	if limit <= 0 {
		limit = 500
	}
	clause := ""
	if len(where) > 0 {
		clause = `WHERE ` + strings.Join(where, ` AND `)
	}
	args = append(args, limit)
	out, err := s.queryAudit(ctx, clause+` ORDER BY id LIMIT $`+strconv.Itoa(len(args)), args...)
	if err != nil {
		return nil, fmt.Errorf("audit log: %w", err)
	}
	return out, nil
}

func (s *Store) queryAudit(ctx context.Context, clause string, args ...any) ([]store.AuditEntry, error) {
	rows, err := s.pool.Query(ctx, `SELECT id, ts, actor, action, conversation_id, detail, hash FROM audit `+clause, args...)
	if err != nil {
		return nil, err
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (store.AuditEntry, error) {
		var e store.AuditEntry
		err := r.Scan(&e.ID, &e.TS, &e.Actor, &e.Action, &e.ConversationID, &e.Detail, &e.Hash)
		return e, err
	})
	if len(out) == 0 {
		out = nil
	}
	return out, err
}
