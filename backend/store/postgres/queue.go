package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"switchboard/backend/store"
)

// ClaimQueue implements store.QueueClaims. The routers of several nodes
// claim at once: SKIP LOCKED passes over the rows another claim (or any
// write) holds locked, so no claim waits for another and two claims never
// take one row; a row another claim leased and committed since this
// statement's snapshot is read again under its lock and fails the lease
// condition. FOR NO KEY UPDATE, as everywhere the engine locks a
// conversation, leaves rows that only reference it (a new message) alone.
func (s *Store) ClaimQueue(ctx context.Context, q store.QueueClaim) ([]store.Conversation, error) {
	limit := q.BatchLimit()
	var out []store.Conversation
	err := s.write(ctx, func(tx pgx.Tx) error {
		out = nil
		rows, err := tx.Query(ctx, `WITH picked AS (
				SELECT id FROM conversations
				WHERE state = 'queued' AND team = $1 AND offer_agent_id = '' AND route_lease_until <= $2
				ORDER BY priority DESC, queued_at, n
				LIMIT $3
				FOR NO KEY UPDATE SKIP LOCKED)
			UPDATE conversations c SET route_lease_until = $4, route_lease_node = $5
			FROM picked WHERE c.id = picked.id
			RETURNING c.id`, q.Team, q.Now, limit, q.Until, q.Holder)
		if err != nil {
			return err
		}
		ids, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil || len(ids) == 0 {
			return err
		}
		rows, err = tx.Query(ctx, `SELECT `+convColumns+convFrom+`
			WHERE c.id = ANY($1) ORDER BY c.priority DESC, c.queued_at, c.n`, ids)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			c, err := scanConversation(rows)
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
	err := s.write(ctx, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `UPDATE conversations SET route_lease_until = 0, route_lease_node = ''
			WHERE id = ANY($1) AND route_lease_node = $2`, ids, holder)
		return err
	})
	if err != nil {
		return fmt.Errorf("release queue holder=%s: %w", holder, translate(err))
	}
	return nil
}
