package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"switchboard/backend/store"
)

const endpointColumns = `id, url, events, private, enabled, secret, old_secret, old_secret_until, created_at, updated_at`

func scanEndpoint(sc scanner) (store.WebhookEndpoint, error) {
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
	s.outbox.mu.Lock()
	defer s.outbox.mu.Unlock()
	err := s.writeApart(ctx, func(tx *sql.Tx) error {
		// Holding the write connection: every append after this
		// transaction writes its outbox entry (outbox.go).
		s.outbox.on.Store(true)
		if _, err := tx.ExecContext(ctx, `INSERT INTO webhook_endpoints (`+endpointColumns+`)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (id) DO UPDATE SET url = excluded.url, events = excluded.events,
				private = excluded.private, enabled = excluded.enabled, secret = excluded.secret,
				old_secret = excluded.old_secret, old_secret_until = excluded.old_secret_until,
				updated_at = excluded.updated_at`,
			e.ID, e.URL, strings.Join(e.Events, ","), e.Private, e.Enabled, e.Secret, e.OldSecret, e.OldSecretUntil, now, now); err != nil {
			return err
		}
		var err error
		out, err = scanEndpoint(tx.QueryRowContext(ctx, `SELECT `+endpointColumns+` FROM webhook_endpoints WHERE id = ?`, e.ID))
		return err
	})
	if err != nil {
		return store.WebhookEndpoint{}, fmt.Errorf("put webhook endpoint %s: %w", e.ID, translate(err))
	}
	return out, nil
}

// WebhookEndpoints implements store.Webhooks.
func (s *Store) WebhookEndpoints(ctx context.Context) ([]store.WebhookEndpoint, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT `+endpointColumns+` FROM webhook_endpoints ORDER BY id`)
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
	s.outbox.mu.Lock()
	defer s.outbox.mu.Unlock()
	last := false
	err := s.writeApart(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM webhook_deliveries WHERE endpoint_id = ?`, id); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `DELETE FROM webhook_endpoints WHERE id = ?`, id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return store.ErrNotFound
		}
		return tx.QueryRowContext(ctx, `SELECT NOT EXISTS (SELECT 1 FROM webhook_endpoints)`).Scan(&last)
	})
	if err != nil {
		return fmt.Errorf("delete webhook endpoint %s: %w", id, translate(err))
	}
	if last {
		// Committed, and no endpoint can have been created since: the
		// lock is held.
		s.outbox.on.Store(false)
	}
	return nil
}

// FanOut implements store.Webhooks. The engine has one writer, so fan-outs
// never overlap; each joins a group commit (writeJoined).
func (s *Store) FanOut(ctx context.Context, limit int, now int64, route func(store.OutboxEntry) []store.Route) (int, error) {
	n := 0
	err := s.writeJoined(ctx, func(tx *sql.Tx) error {
		n = 0
		rows, err := tx.QueryContext(ctx, `SELECT id, conversation_id, seq, kind, event_type, visibility, created_at
			FROM outbox ORDER BY id LIMIT ?`, limit)
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
		for _, e := range entries {
			for _, r := range route(e) {
				if _, err := tx.ExecContext(ctx, `INSERT INTO webhook_deliveries
					(endpoint_id, conversation_id, seq, event_type, next_at, created_at)
					VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
					r.EndpointID, e.ConversationID, e.Seq, r.EventType, now, now); err != nil {
					return err
				}
			}
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM outbox WHERE id <= ?`, entries[len(entries)-1].ID); err != nil {
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

func scanDelivery(sc scanner) (store.Delivery, error) {
	var d store.Delivery
	err := sc.Scan(&d.ID, &d.EndpointID, &d.ConversationID, &d.Seq, &d.EventType, &d.State, &d.Attempts,
		&d.FirstAt, &d.NextAt, &d.LastStatus, &d.LastError, &d.CreatedAt, &d.DoneAt)
	return d, err
}

func collectDeliveries(rows *sql.Rows, err error) ([]store.Delivery, error) {
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []store.Delivery
	for rows.Next() {
		d, err := scanDelivery(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// ClaimDeliveries implements store.Webhooks.
func (s *Store) ClaimDeliveries(ctx context.Context, c store.DeliveryClaim) ([]store.Delivery, error) {
	var out []store.Delivery
	err := s.writeApart(ctx, func(tx *sql.Tx) error {
		var err error
		out, err = collectDeliveries(tx.QueryContext(ctx, `SELECT `+deliveryColumns+` FROM webhook_deliveries d
			WHERE state = 'pending' AND next_at <= ? AND lease_until <= ?
			AND NOT EXISTS (SELECT 1 FROM webhook_deliveries e
				WHERE e.endpoint_id = d.endpoint_id AND e.conversation_id = d.conversation_id
				AND e.state = 'pending' AND e.seq < d.seq)
			ORDER BY next_at, id LIMIT ?`, c.Now, c.Now, c.Limit))
		if err != nil || len(out) == 0 {
			return err
		}
		ids := make([]any, 0, len(out)+2)
		ids = append(ids, c.Holder, c.Until)
		for _, d := range out {
			ids = append(ids, d.ID)
		}
		_, err = tx.ExecContext(ctx, `UPDATE webhook_deliveries SET lease_holder = ?, lease_until = ?
			WHERE id IN (`+placeholders(len(out))+`)`, ids...)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("claim deliveries: %w", translate(err))
	}
	return out, nil
}

// FinishDelivery implements store.Webhooks.
func (s *Store) FinishDelivery(ctx context.Context, o store.DeliveryOutcome) error {
	doneAt := int64(0)
	if o.State != store.DeliveryPending {
		doneAt = o.At
	}
	err := s.writeApart(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE webhook_deliveries SET state = ?, attempts = ?, first_at = ?, next_at = ?,
				last_status = ?, last_error = ?, done_at = ?, lease_holder = '', lease_until = 0
			WHERE id = ? AND lease_holder = ? AND state = 'pending'`,
			o.State, o.Attempts, o.FirstAt, o.NextAt, o.Status, o.Error, doneAt, o.ID, o.Holder)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
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
	out, err := collectDeliveries(s.r.QueryContext(ctx, `SELECT `+deliveryColumns+` FROM webhook_deliveries
		WHERE (? = '' OR endpoint_id = ?) AND (? = '' OR state = ?)
		ORDER BY id DESC LIMIT ?`, q.EndpointID, q.EndpointID, q.State, q.State, limit))
	if err != nil {
		return nil, fmt.Errorf("deliveries: %w", err)
	}
	return out, nil
}

// ReplayDeliveries implements store.Webhooks.
func (s *Store) ReplayDeliveries(ctx context.Context, endpointID string, ids []int64, now int64) (int, error) {
	n := 0
	err := s.writeApart(ctx, func(tx *sql.Tx) error {
		q := `UPDATE webhook_deliveries SET state = 'pending', attempts = 0, first_at = 0, next_at = ?, done_at = 0,
			lease_holder = '', lease_until = 0 WHERE endpoint_id = ? AND state = 'dead'`
		args := []any{now, endpointID}
		if len(ids) > 0 {
			q += ` AND id IN (` + placeholders(len(ids)) + `)`
			for _, id := range ids {
				args = append(args, id)
			}
		}
		res, err := tx.ExecContext(ctx, q, args...)
		if err != nil {
			return err
		}
		c, _ := res.RowsAffected()
		n = int(c)
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("replay deliveries: %w", translate(err))
	}
	return n, nil
}

// DeliveryCounts implements store.Webhooks.
func (s *Store) DeliveryCounts(ctx context.Context) ([]store.DeliveryCount, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT endpoint_id, state, COUNT(*) FROM webhook_deliveries
		GROUP BY endpoint_id, state ORDER BY endpoint_id, state`)
	if err != nil {
		return nil, fmt.Errorf("delivery counts: %w", err)
	}
	defer rows.Close()
	var out []store.DeliveryCount
	for rows.Next() {
		var c store.DeliveryCount
		if err := rows.Scan(&c.EndpointID, &c.State, &c.N); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// PruneDeliveries implements store.Webhooks.
func (s *Store) PruneDeliveries(ctx context.Context, before int64) (int, error) {
	n := 0
	err := s.writeApart(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM webhook_deliveries WHERE state = 'done' AND done_at < ?`, before)
		if err != nil {
			return err
		}
		c, _ := res.RowsAffected()
		n = int(c)
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("prune deliveries: %w", translate(err))
	}
	return n, nil
}
