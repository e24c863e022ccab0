package sqlite

import (
	"context"
	"database/sql"
	"fmt"

	"switchboard/backend/store"
)

// ClaimQueue implements store.QueueClaims. The one write connection makes
// the transaction the only claim running: choosing the batch and leasing it
// cannot interleave with another claim, which is what the PostgreSQL
// engine's SKIP LOCKED gives it among concurrent writers.
func (s *Store) ClaimQueue(ctx context.Context, q store.QueueClaim) ([]store.Conversation, error) {
	limit := q.BatchLimit()
	var out []store.Conversation
	err := s.write(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT id FROM conversations
			WHERE state = 'queued' AND team = ? AND offer_agent_id = '' AND route_lease_until <= ?
			ORDER BY priority DESC, queued_at, rowid LIMIT ?`, q.Team, q.Now, limit)
		if err != nil {
			return err
		}
		var ids []any
		for rows.Next() {
			var id string
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return err
			}
			ids = append(ids, id)
		}
		rows.Close()
		if err := rows.Err(); err != nil || len(ids) == 0 {
			return err
		}
		in := placeholders(len(ids))
		args := append([]any{q.Until, q.Holder}, ids...)
		if _, err := tx.ExecContext(ctx, `UPDATE conversations SET route_lease_until = ?, route_lease_node = ?
			WHERE id IN (`+in+`)`, args...); err != nil {
			return err
		}
		rows, err = tx.QueryContext(ctx, `SELECT `+convColumns+convFrom+`
			WHERE c.id IN (`+in+`) ORDER BY c.priority DESC, c.queued_at, c.rowid`, ids...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			c, err := s.scanConversation(rows)
			if err != nil {
				return err
			}
			out = append(out, c)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("claim queue team=%s: %w", q.Team, translate(err))
	}
	return out, nil
}

// ReleaseQueue implements store.QueueClaims.
func (s *Store) ReleaseQueue(ctx context.Context, holder string, ids []string) error {
	if len(ids) == 0 {
		return nil
	}
	args := []any{holder}
	for _, id := range ids {
		args = append(args, id)
	}
	err := s.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE conversations SET route_lease_until = 0, route_lease_node = ''
			WHERE route_lease_node = ? AND id IN (`+placeholders(len(ids))+`)`, args...)
		return err
	})
	if err != nil {
		return fmt.Errorf("release queue holder=%s: %w", holder, translate(err))
	}
	return nil
}
