package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"github.com/google/uuid"

	"switchboard/backend/store"
	"switchboard/protocol"
)

// decodeTags reads the json_group_array of a conversation's tags, in the
// order the contract promises (SQLite does not order an aggregate).
func decodeTags(raw string) ([]string, error) {
	if raw == "" || raw == "[]" {
		return nil, nil
	}
	var tags []string
	if err := json.Unmarshal([]byte(raw), &tags); err != nil {
		return nil, err
	}
	protocol.SortTags(tags)
	return tags, nil
}

// UpdateTags implements store.Store.
func (s *Store) UpdateTags(ctx context.Context, tc store.TagChange) (store.Conversation, bool, error) {
	var conv store.Conversation
	changed := false
	err := s.write(ctx, func(tx *sql.Tx) error {
		var one int
		if err := tx.QueryRowContext(ctx, `SELECT 1 FROM conversations WHERE id = ?`, tc.ConversationID).Scan(&one); err != nil {
			return err
		}
		rows, err := tx.QueryContext(ctx, `SELECT tag_key, tag FROM conversation_tags WHERE conversation_id = ?`, tc.ConversationID)
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
			if _, err := tx.ExecContext(ctx, `DELETE FROM conversation_tags WHERE conversation_id = ? AND tag_key = ?`,
				tc.ConversationID, k); err != nil {
				return err
			}
		}
		for k, t := range after {
			if before[k] == t {
				continue
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO conversation_tags (conversation_id, tag_key, tag, created_at)
				VALUES (?, ?, ?, ?) ON CONFLICT (conversation_id, tag_key) DO UPDATE SET tag = excluded.tag`,
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
		conv, err = s.loadConversation(ctx, tx, tc.ConversationID)
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
	text, err := s.sealText(n.Text, ad("customer_notes", "text", n.ID))
	if err != nil {
		return store.CustomerNote{}, fmt.Errorf("add customer note customer=%s: %w", n.CustomerID, err)
	}
	err = s.write(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO customer_notes
			(id, customer_id, conversation_id, author_id, author_name, text, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			n.ID, n.CustomerID, n.ConversationID, n.AuthorID, n.AuthorName, text, n.CreatedAt); err != nil {
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
	rows, err := s.r.QueryContext(ctx, `SELECT id, customer_id, conversation_id, author_id, author_name, text, created_at
		FROM customer_notes WHERE customer_id = ? ORDER BY created_at DESC, rowid DESC LIMIT ?`, customerID, limit)
	if err != nil {
		return nil, fmt.Errorf("customer notes customer=%s: %w", customerID, err)
	}
	defer rows.Close()
	out := []store.CustomerNote{}
	for rows.Next() {
		var n store.CustomerNote
		var text col
		if err := rows.Scan(&n.ID, &n.CustomerID, &n.ConversationID, &n.AuthorID, &n.AuthorName, &text, &n.CreatedAt); err != nil {
			return nil, fmt.Errorf("customer notes customer=%s: %w", customerID, err)
		}
		if n.Text, err = s.open(text, ad("customer_notes", "text", n.ID)); err != nil {
			return nil, fmt.Errorf("customer notes customer=%s note=%s: %w", customerID, n.ID, err)
		}
		out = append(out, n)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("customer notes customer=%s: %w", customerID, err)
	}
	return out, nil
}
