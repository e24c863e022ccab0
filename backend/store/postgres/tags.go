package postgres

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"switchboard/backend/store"
	"switchboard/protocol"
)

// UpdateTags implements store.Store. The conversation's row lock makes
// concurrent changes take turns, so together they cannot pass tc.Max.
func (s *Store) UpdateTags(ctx context.Context, tc store.TagChange) (store.Conversation, bool, error) {
	var conv store.Conversation
	changed := false
	err := s.write(ctx, func(tx pgx.Tx) error {
		changed = false
		if err := lockConversation(ctx, tx, tc.ConversationID); err != nil {
			return err
		}
		rows, err := tx.Query(ctx, `SELECT tag_key, tag FROM conversation_tags WHERE conversation_id = $1`, tc.ConversationID)
		if err != nil {
			return err
		}
		before := map[string]string{}
		for rows.Next() {
			var k, t string
			if err := rows.Scan(&k, &t); err != nil {
				rows.Close()
				return err
			}
			before[k] = t
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		after, added, removed, err := store.MergeTags(before, tc)
		if err != nil {
			return err
		}
		now := s.nowMS()
		for k := range before {
			if _, keep := after[k]; keep {
				continue
			}
			if _, err := tx.Exec(ctx, `DELETE FROM conversation_tags WHERE conversation_id = $1 AND tag_key = $2`,
				tc.ConversationID, k); err != nil {
				return err
			}
		}
		for k, t := range after {
			if before[k] == t {
				continue
			}
			if _, err := tx.Exec(ctx, `INSERT INTO conversation_tags (conversation_id, tag_key, tag, created_at)
				VALUES ($1, $2, $3, $4) ON CONFLICT (conversation_id, tag_key) DO UPDATE SET tag = excluded.tag`,
				tc.ConversationID, k, t, now); err != nil {
				return err
			}
		}
		if changed = len(added)+len(removed) > 0; changed {
			protocol.SortTags(added)
			protocol.SortTags(removed)
			detail, err := json.Marshal(struct {
				Add    []string `json:"add,omitempty"`
				Remove []string `json:"remove,omitempty"`
			}{added, removed})
			if err != nil {
				return err
			}
			if err := s.audit(ctx, tx, store.AuditEntry{TS: now, Actor: tc.Actor, Action: "tag",
				ConversationID: tc.ConversationID, Detail: string(detail)}); err != nil {
				return err
			}
		}
		conv, err = loadConversation(ctx, tx, tc.ConversationID)
		return err
	})
	if err != nil {
		return store.Conversation{}, false, fmt.Errorf("update tags conv=%s: %w", tc.ConversationID, translate(err))
	}
	return conv, changed, nil
}

// AddCustomerNote implements store.Store.
func (s *Store) AddCustomerNote(ctx context.Context, n store.CustomerNote) (store.CustomerNote, error) {
	if n.ID == "" {
		n.ID = uuid.NewString()
	}
	if n.CreatedAt == 0 {
		n.CreatedAt = s.nowMS()
	}
	err := s.write(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO customer_notes
			(id, customer_id, conversation_id, author_id, author_name, text, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
			n.ID, n.CustomerID, n.ConversationID, n.AuthorID, n.AuthorName, n.Text, n.CreatedAt); err != nil {
			return err
		}
		return s.audit(ctx, tx, store.AuditEntry{TS: n.CreatedAt, Actor: n.AuthorID, Action: "customer_note",
			ConversationID: n.ConversationID, Detail: "note=" + n.ID})
	})
	if err != nil {
		return store.CustomerNote{}, fmt.Errorf("add customer note customer=%s: %w", n.CustomerID, translate(err))
	}
	return n, nil
}

// CustomerNotes implements store.Store.
func (s *Store) CustomerNotes(ctx context.Context, customerID string, limit int) ([]store.CustomerNote, error) {
	if limit <= 0 {
		limit = 500
	}
	rows, err := s.pool.Query(ctx, `SELECT id, customer_id, conversation_id, author_id, author_name, text, created_at
		FROM customer_notes WHERE customer_id = $1 ORDER BY created_at DESC, n DESC LIMIT $2`, customerID, limit)
	if err != nil {
		return nil, fmt.Errorf("customer notes customer=%s: %w", customerID, err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (store.CustomerNote, error) {
		var n store.CustomerNote
		err := r.Scan(&n.ID, &n.CustomerID, &n.ConversationID, &n.AuthorID, &n.AuthorName, &n.Text, &n.CreatedAt)
		return n, err
	})
	if err != nil {
		return nil, fmt.Errorf("customer notes customer=%s: %w", customerID, err)
	}
	return out, nil
}
