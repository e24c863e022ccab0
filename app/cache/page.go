package cache

import (
	"context"
	"fmt"
	"slices"

	"switchboard/protocol"
)

// MessagesBefore returns up to limit of a conversation's cached messages
// with seq below beforeSeq (0: no bound, the newest), ordered by seq: the
// page of a transcript that ends right before beforeSeq. It reads only that
// page, so opening or scrolling a long conversation costs the same as a
// short one.
func (c *Cache) MessagesBefore(ctx context.Context, conversationID string, beforeSeq int64, limit int) ([]protocol.Message, error) {
	if limit <= 0 {
		return []protocol.Message{}, nil
	}
	q := "SELECT seq, body FROM messages WHERE conversation_id = ? ORDER BY seq DESC LIMIT ?"
	args := []any{conversationID, limit}
	if beforeSeq > 0 {
		q = "SELECT seq, body FROM messages WHERE conversation_id = ? AND seq < ? ORDER BY seq DESC LIMIT ?"
		args = []any{conversationID, beforeSeq, limit}
	}
	rows, err := c.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("read messages conv=%s before=%d: %w", conversationID, beforeSeq, err)
	}
	defer rows.Close()
	out := []protocol.Message{}
	for rows.Next() {
		var seq int64
		var body []byte
		if err := rows.Scan(&seq, &body); err != nil {
			return nil, fmt.Errorf("read messages conv=%s before=%d: %w", conversationID, beforeSeq, err)
		}
		m, err := c.openMessage(conversationID, seq, body)
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read messages conv=%s before=%d: %w", conversationID, beforeSeq, err)
	}
	slices.Reverse(out)
	return out, nil
}
