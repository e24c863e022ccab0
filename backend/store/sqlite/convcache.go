package sqlite

import (
	"context"
	"maps"
	"slices"
	"sync"

	"switchboard/backend/store"
)

// The writer's conversation cache. Every append reads its conversation
// (guards, seq, the result), and with its read cursors, tags and names that
// read costs as much as the insert. The writer keeps the conversations it
// appended to as they stand after its commits, so the next append to one
// reads memory instead.
//
// It is exact because every write goes through the one write connection:
// the group commit updates the entries it appended to while it still holds
// that connection (before its commit), and every other write drops the
// whole cache before its own commit, also while holding it, so no append
// can see a copy older than a commit. A write from another process (the
// admin command on the same file) is seen through PRAGMA data_version,
// which the writer reads at the start of each batch: it changes when
// another connection has committed.

// convCacheLimit bounds the cache; past it, it starts again empty.
const convCacheLimit = 50_000

const dataVersionSQL = `PRAGMA data_version`

type convCache struct {
	mu sync.Mutex
	m  map[string]store.Conversation
	// version is the write connection's data_version when the entries
	// were last known current.
	version int64
}

// get returns a copy of the cached conversation id.
func (c *convCache) get(id string) (store.Conversation, bool) {
	c.mu.Lock()
	conv, ok := c.m[id]
	c.mu.Unlock()
	if !ok {
		return store.Conversation{}, false
	}
	return cloneConversation(conv), true
}

// putAll stores the conversations of a batch about to commit.
func (c *convCache) putAll(convs map[string]store.Conversation) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || len(c.m)+len(convs) > convCacheLimit {
		c.m = make(map[string]store.Conversation, len(convs))
	}
	for id, conv := range convs {
		c.m[id] = cloneConversation(conv)
	}
}

// drop forgets every entry.
func (c *convCache) drop() {
	c.mu.Lock()
	c.m = nil
	c.mu.Unlock()
}

// check drops the cache if another connection committed since it was last
// current; the caller holds the write connection in a transaction.
func (c *convCache) check(ctx context.Context, tx execQueryer) error {
	var v int64
	if err := tx.QueryRowContext(ctx, dataVersionSQL).Scan(&v); err != nil {
		return err
	}
	c.mu.Lock()
	if v != c.version {
		c.m, c.version = nil, v
	}
	c.mu.Unlock()
	return nil
}

// cloneConversation copies what a caller could change through a copy.
func cloneConversation(c store.Conversation) store.Conversation {
	c.Ext = maps.Clone(c.Ext)
	c.Verified = maps.Clone(c.Verified)
	c.Tags = slices.Clone(c.Tags)
	c.Joined = slices.Clone(c.Joined)
	return c
}
