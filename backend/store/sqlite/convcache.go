package sqlite

import (
	"context"
	"slices"
	"sync"
	"time"

	"switchboard/backend/store"
)

// The conversation cache. Every append reads its conversation (guards, seq,
// the result), and with its read cursors, tags and names that read costs as
// much as the insert; every frame about a conversation reads it again to
// check access. The cache keeps the conversations the writer appended to as
// they stand after its commits, so both read memory instead.
//
// It is exact for this process because every write goes through the one
// write connection. Every write other than an append drops the whole cache
// (and moves gen) while it still holds that connection, before its commit;
// a group commit stores its conversations only after its commit and only if
// gen has not moved since the batch began, so no entry is older than a
// commit. A write from another process (the admin command on the same file)
// is seen by the writer through PRAGMA data_version, which it reads at the
// start of each batch: it changes when another connection has committed.
// Reads outside the writer use an entry for at most readerTTL after it was
// stored, which bounds how long such a write can go unseen by them.

// convCacheLimit bounds the cache; past it, it starts again empty.
const convCacheLimit = 50_000

// readerTTL is how long a read outside the writer trusts an entry.
const readerTTL = time.Second

const dataVersionSQL = `PRAGMA data_version`

type convCache struct {
	mu sync.Mutex
	m  map[string]*cachedConv
	// timers holds, for conversations whose timer a batch postponed or
	// looked up, that timer as of the batch's commit (postponeTimerTx):
	// dropped with the conversations.
	timers map[string]knownTimer
	// gen moves with every drop.
	gen uint64
	// version is the write connection's data_version when the entries
	// were last known current.
	version int64
}

type cachedConv struct {
	c  store.Conversation
	at time.Time
}

// get returns a copy of the cached conversation id, for the writer.
func (c *convCache) get(id string) (store.Conversation, bool) {
	c.mu.Lock()
	e := c.m[id]
	if e == nil {
		c.mu.Unlock()
		return store.Conversation{}, false
	}
	conv := e.c
	c.mu.Unlock()
	return cloneConversation(conv), true
}

// read returns a copy of the cached conversation id if it was stored less
// than readerTTL before now, for reads outside the writer.
func (c *convCache) read(id string, now time.Time) (store.Conversation, bool) {
	c.mu.Lock()
	e := c.m[id]
	if e == nil || now.Sub(e.at) >= readerTTL {
		c.mu.Unlock()
		return store.Conversation{}, false
	}
	conv := e.c
	c.mu.Unlock()
	return cloneConversation(conv), true
}

// timer returns what the writer last knew of conversation id's timer of
// the kind it postpones.
func (c *convCache) timer(id string) (knownTimer, bool) {
	c.mu.Lock()
	k, ok := c.timers[id]
	c.mu.Unlock()
	return k, ok
}

// generation is the current gen, read by a batch as it begins.
func (c *convCache) generation() uint64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.gen
}

// putAll stores the conversations of a committed batch that began at
// generation gen, unless a drop came since.
func (c *convCache) putAll(gen uint64, convs []store.Conversation, timers map[string]knownTimer, now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if gen != c.gen {
		return
	}
	if c.m == nil || len(c.m)+len(convs) > convCacheLimit {
		c.m = make(map[string]*cachedConv, len(convs))
		c.timers = nil
	}
	for _, conv := range convs {
		// An entry is changed in place, under mu, which every read of
		// one holds while it copies it.
		if e := c.m[conv.ID]; e != nil {
			e.c, e.at = cloneConversation(conv), now
		} else {
			c.m[conv.ID] = &cachedConv{c: cloneConversation(conv), at: now}
		}
	}
	if c.timers == nil {
		c.timers = make(map[string]knownTimer, len(timers))
	}
	for id, k := range timers {
		if k.unknown {
			delete(c.timers, id)
		} else {
			c.timers[id] = k
		}
	}
}

// drop forgets every entry.
func (c *convCache) drop() {
	c.mu.Lock()
	c.m, c.timers = nil, nil
	c.gen++
	c.mu.Unlock()
}

// check drops the cache if another connection committed since it was last
// current, and returns the generation the batch begins at; the caller
// holds the write connection in a transaction.
func (c *convCache) check(ctx context.Context, tx execQueryer) (uint64, error) {
	var v int64
	if err := tx.QueryRowContext(ctx, dataVersionSQL).Scan(&v); err != nil {
		return 0, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if v != c.version {
		c.m, c.timers, c.version = nil, nil, v
		c.gen++
	}
	return c.gen, nil
}

// cloneConversation copies what a caller could change through a copy: the
// slices. The maps are shared: a store.Conversation's Ext and Verified are
// replaced, never changed in place (see store.Conversation), and copying
// them cost three maps a message (the writer's read and store of its
// conversation, and the access check of its push).
func cloneConversation(c store.Conversation) store.Conversation {
	c.Tags = slices.Clone(c.Tags)
	c.Joined = slices.Clone(c.Joined)
	return c
}
