package cache

import (
	"context"
	"fmt"
	"time"
)

// Pruned is what PruneBefore deleted.
type Pruned struct {
	Messages      int
	Conversations int
}

// PruneBefore deletes the cached messages created before t (a retention
// policy), with their search terms, and then the conversations last updated
// before t that have no message left: their list entry holds the text of
// the last message. Unsent messages (the outbox) and uploads stay. A
// conversation that keeps some messages keeps its synced seq, so its sync
// resumes after the newest one and an older page is fetched from the server
// when it is opened; one left without messages forgets its synced seq, so
// opening it fetches its transcript again.
func (c *Cache) PruneBefore(ctx context.Context, t time.Time) (Pruned, error) {
	// Messages and their terms are cut at the same whole second: a term
	// carries its message's time in seconds.
	sec := t.Unix()
	if t.UnixMilli() < sec*1000 {
		sec-- // before 1970, Unix rounds toward zero
	}
	tx, err := c.db.BeginTx(ctx, nil)
	if err != nil {
		return Pruned{}, fmt.Errorf("prune cache: %w", err)
	}
	defer tx.Rollback()
	var p Pruned
	res, err := tx.ExecContext(ctx, "DELETE FROM messages WHERE created_at < ?", sec*1000)
	if err != nil {
		return Pruned{}, fmt.Errorf("prune messages: %w", err)
	}
	n, _ := res.RowsAffected()
	p.Messages = int(n)
	if _, err := tx.ExecContext(ctx, "DELETE FROM terms WHERE created < ?", sec); err != nil {
		return Pruned{}, fmt.Errorf("prune search terms: %w", err)
	}
	res, err = tx.ExecContext(ctx, `DELETE FROM conversations WHERE updated_at < ?
		AND NOT EXISTS (SELECT 1 FROM messages m WHERE m.conversation_id = conversations.id)
		AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.conversation_id = conversations.id)`, sec*1000)
	if err != nil {
		return Pruned{}, fmt.Errorf("prune conversations: %w", err)
	}
	n, _ = res.RowsAffected()
	p.Conversations = int(n)
	if _, err := tx.ExecContext(ctx, `DELETE FROM sync_state WHERE NOT EXISTS
		(SELECT 1 FROM messages m WHERE m.conversation_id = sync_state.conversation_id)`); err != nil {
		return Pruned{}, fmt.Errorf("prune sync state: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return Pruned{}, fmt.Errorf("prune cache: %w", err)
	}
	return p, nil
}
