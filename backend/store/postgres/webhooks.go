package postgres

import (
	"context"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"

	"switchboard/backend/store"
)

const endpointColumns = `id, url, events, private, enabled, secret, old_secret, old_secret_until, created_at, updated_at`

func scanEndpoint(sc pgx.Row) (store.WebhookEndpoint, error) {
	var e store.WebhookEndpoint
	var events string
	if err := sc.Scan(&e.ID, &e.URL, &events, &e.Private, &e.Enabled, &e.Secret, &e.OldSecret, &e.OldSecretUntil, &e.CreatedAt, &e.UpdatedAt); err != nil {
		return e, err
	}
	if events != "" {
		e.Events = strings.Split(events, ",")
	}
	return e, nil
}

// PutWebhookEndpoint implements store.Webhooks.
func (s *Store) PutWebhookEndpoint(ctx context.Context, e store.WebhookEndpoint) (store.WebhookEndpoint, error) {
	now := s.nowMS()
	var out store.WebhookEndpoint
	err := s.write(ctx, func(tx pgx.Tx) error {
		var err error
		out, err = scanEndpoint(tx.QueryRow(ctx, `INSERT INTO webhook_endpoints (`+endpointColumns+`)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)
			ON CONFLICT (id) DO UPDATE SET url = excluded.url, events = excluded.events,
				private = excluded.private, enabled = excluded.enabled, secret = excluded.secret,
				old_secret = excluded.old_secret, old_secret_until = excluded.old_secret_until,
				updated_at = excluded.updated_at
			RETURNING `+endpointColumns,
			e.ID, e.URL, strings.Join(e.Events, ","), e.Private, e.Enabled, e.Secret, e.OldSecret, e.OldSecretUntil, now))
		return err
	})
	if err != nil {
		return store.WebhookEndpoint{}, fmt.Errorf("put webhook endpoint %s: %w", e.ID, translate(err))
	}
	return out, nil
}

// WebhookEndpoints implements store.Webhooks.
func (s *Store) WebhookEndpoints(ctx context.Context) ([]store.WebhookEndpoint, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+endpointColumns+` FROM webhook_endpoints ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("webhook endpoints: %w", err)
	}
	defer rows.Close()
	var out []store.WebhookEndpoint
	for rows.Next() {
		e, err := scanEndpoint(rows)
		if err != nil {
			return nil, fmt.Errorf("webhook endpoints: %w", err)
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// DeleteWebhookEndpoint implements store.Webhooks.
func (s *Store) DeleteWebhookEndpoint(ctx context.Context, id string) error {
	err := s.write(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `DELETE FROM webhook_deliveries WHERE endpoint_id = $1`, id); err != nil {
			return err
		}
		tag, err := tx.Exec(ctx, `DELETE FROM webhook_endpoints WHERE id = $1`, id)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return store.ErrNotFound
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("delete webhook endpoint %s: %w", id, translate(err))
	}
	return nil
}

// FanOut implements store.Webhooks. A transaction-scoped advisory lock
// keeps it to one node at a time; within one transaction, an outbox entry
// visible means every earlier message of its conversation is visible too
// (a conversation's messages commit one after the other), so deliveries
// are made in each conversation's order.
func (s *Store) FanOut(ctx context.Context, limit int, now int64, route func(store.OutboxEntry) []store.Route) (int, error) {
	n := 0
	err := s.write(ctx, func(tx pgx.Tx) error {
		n = 0
		var locked bool
		if err := tx.QueryRow(ctx, `SELECT pg_try_advisory_xact_lock($1)`, fanOutLockKey).Scan(&locked); err != nil || !locked {
			return err
		}
		rows, err := tx.Query(ctx, `SELECT id, conversation_id, seq, kind, event_type, visibility, created_at
			FROM outbox ORDER BY id LIMIT $1`, limit)
		if err != nil {
			return err
		}
		var entries []store.OutboxEntry
		for rows.Next() {
			var e store.OutboxEntry
			if err := rows.Scan(&e.ID, &e.ConversationID, &e.Seq, &e.Kind, &e.EventType, &e.Visibility, &e.CreatedAt); err != nil {
				rows.Close()
				return err
			}
			entries = append(entries, e)
		}
		rows.Close()
		if err := rows.Err(); err != nil || len(entries) == 0 {
			return err
		}
		var b pgx.Batch
		ids := make([]int64, 0, len(entries))
		for _, e := range entries {
			ids = append(ids, e.ID)
			for _, r := range route(e) {
				b.Queue(`INSERT INTO webhook_deliveries (endpoint_id, conversation_id, seq, event_type, next_at, created_at)
					VALUES ($1, $2, $3, $4, $5, $5) ON CONFLICT DO NOTHING`,
					r.EndpointID, e.ConversationID, e.Seq, r.EventType, now)
			}
		}
		// The ids taken, not a range: an entry with a smaller id may
		// commit after this transaction began and must stay for the next.
		b.Queue(`DELETE FROM outbox WHERE id = ANY($1)`, ids)
		if err := tx.SendBatch(ctx, &b).Close(); err != nil {
			return err
		}
		n = len(entries)
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("fan out the outbox: %w", translate(err))
	}
	return n, nil
}

const deliveryColumns = `id, endpoint_id, conversation_id, seq, event_type, state, attempts, first_at, next_at,
	last_status, last_error, created_at, done_at`

func collectDeliveries(rows pgx.Rows, err error) ([]store.Delivery, error) {
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (store.Delivery, error) {
		var d store.Delivery
		err := r.Scan(&d.ID, &d.EndpointID, &d.ConversationID, &d.Seq, &d.EventType, &d.State, &d.Attempts,
			&d.FirstAt, &d.NextAt, &d.LastStatus, &d.LastError, &d.CreatedAt, &d.DoneAt)
		return d, err
	})
}

// ClaimDeliveries implements store.Webhooks.
func (s *Store) ClaimDeliveries(ctx context.Context, c store.DeliveryClaim) ([]store.Delivery, error) {
	var out []store.Delivery
	err := s.write(ctx, func(tx pgx.Tx) error {
		var err error
		out, err = collectDeliveries(tx.Query(ctx, `WITH picked AS (
				SELECT id FROM webhook_deliveries d
				WHERE state = 'pending' AND next_at <= $1 AND lease_until <= $1
				AND NOT EXISTS (SELECT 1 FROM webhook_deliveries e
					WHERE e.endpoint_id = d.endpoint_id AND e.conversation_id = d.conversation_id
					AND e.state = 'pending' AND e.seq < d.seq)
				ORDER BY next_at, id LIMIT $2
				FOR UPDATE SKIP LOCKED)
			UPDATE webhook_deliveries w SET lease_holder = $3, lease_until = $4
			FROM picked WHERE w.id = picked.id
			RETURNING `+prefixed("w.", deliveryColumns), c.Now, c.Limit, c.Holder, c.Until))
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("claim deliveries: %w", translate(err))
	}
	return out, nil
}

// prefixed qualifies each of a comma-separated column list with p.
func prefixed(p, columns string) string {
	cols := strings.Split(columns, ",")
	for i, c := range cols {
		cols[i] = p + strings.TrimSpace(c)
	}
	return strings.Join(cols, ", ")
}

// FinishDelivery implements store.Webhooks.
func (s *Store) FinishDelivery(ctx context.Context, o store.DeliveryOutcome) error {
	doneAt := int64(0)
	if o.State != store.DeliveryPending {
		doneAt = o.At
	}
	err := s.write(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE webhook_deliveries SET state = $1, attempts = $2, first_at = $3, next_at = $4,
				last_status = $5, last_error = $6, done_at = $7, lease_holder = '', lease_until = 0
			WHERE id = $8 AND lease_holder = $9 AND state = 'pending'`,
			o.State, o.Attempts, o.FirstAt, o.NextAt, o.Status, o.Error, doneAt, o.ID, o.Holder)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return fmt.Errorf("%w: delivery %d is not held by %s", store.ErrConflict, o.ID, o.Holder)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("finish delivery: %w", translate(err))
	}
	return nil
}

// Deliveries implements store.Webhooks.
func (s *Store) Deliveries(ctx context.Context, q store.DeliveryQuery) ([]store.Delivery, error) {
	limit := q.Limit
	if limit <= 0 {
		limit = 100
	}
	out, err := collectDeliveries(s.pool.Query(ctx, `SELECT `+deliveryColumns+` FROM webhook_deliveries
		WHERE ($1 = '' OR endpoint_id = $1) AND ($2 = '' OR state = $2)
		ORDER BY id DESC LIMIT $3`, q.EndpointID, q.State, limit))
	if err != nil {
		return nil, fmt.Errorf("deliveries: %w", err)
	}
	return out, nil
}

// ReplayDeliveries implements store.Webhooks.
func (s *Store) ReplayDeliveries(ctx context.Context, endpointID string, ids []int64, now int64) (int, error) {
	if ids == nil {
		ids = []int64{} // an empty array, not NULL: every dead delivery
	}
	n := 0
	err := s.write(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE webhook_deliveries SET state = 'pending', attempts = 0, first_at = 0, next_at = $1,
				done_at = 0, lease_holder = '', lease_until = 0
			WHERE endpoint_id = $2 AND state = 'dead' AND (cardinality($3::bigint[]) = 0 OR id = ANY($3))`,
			now, endpointID, ids)
		if err != nil {
			return err
		}
		n = int(tag.RowsAffected())
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("replay deliveries: %w", translate(err))
	}
	return n, nil
}

// DeliveryCounts implements store.Webhooks.
func (s *Store) DeliveryCounts(ctx context.Context) ([]store.DeliveryCount, error) {
	rows, err := s.pool.Query(ctx, `SELECT endpoint_id, state, COUNT(*) FROM webhook_deliveries
		GROUP BY endpoint_id, state ORDER BY endpoint_id, state`)
	if err != nil {
		return nil, fmt.Errorf("delivery counts: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (store.DeliveryCount, error) {
		var c store.DeliveryCount
		err := r.Scan(&c.EndpointID, &c.State, &c.N)
		return c, err
	})
}

// PruneDeliveries implements store.Webhooks.
func (s *Store) PruneDeliveries(ctx context.Context, before int64) (int, error) {
	n := 0
	err := s.write(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `DELETE FROM webhook_deliveries WHERE state = 'done' AND done_at < $1`, before)
		n = int(tag.RowsAffected())
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("prune deliveries: %w", translate(err))
	}
	return n, nil
}
