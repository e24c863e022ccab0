package kbedit

import (
	"context"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"switchboard/backend/kb"
)

// Live is the knowledge base a node's bot answers from, following the one
// published in the store (kb.Shared). Reload loads a new one at once, as
// an edit on this node does before it answers, so that the next customer
// question already gets the new answer; Run does the same when told (a
// change notice) and every interval. Safe for concurrent use.
type Live struct {
	// mu makes reloads take turns: a Shared is used by one goroutine at a
	// time, and an older knowledge base must not be applied after a newer.
	mu     sync.Mutex
	shared *kb.Shared
	apply  func(*kb.KB) (*kb.Index, error)

	kb atomic.Pointer[kb.KB]
	ix atomic.Pointer[kb.Index]
}

// NewLive returns the live knowledge base, starting with k and its search
// index ix (either may be nil), following shared. apply builds the bot of
// a new knowledge base and puts it to work; it returns the bot's index
// (nil if it has none).
func NewLive(shared *kb.Shared, k *kb.KB, ix *kb.Index, apply func(*kb.KB) (*kb.Index, error)) *Live {
	l := &Live{shared: shared, apply: apply}
	l.kb.Store(k)
	l.ix.Store(ix)
	return l
}

// KB returns the knowledge base the bot answers from now (nil: none).
func (l *Live) KB() *kb.KB { return l.kb.Load() }

// Index returns the bot's search index, or nil when its bot has none.
func (l *Live) Index() *kb.Index { return l.ix.Load() }

// Reload loads the published knowledge base if it changed and applies it.
// On an error the bot keeps the knowledge base it had.
func (l *Live) Reload(ctx context.Context) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	k, err := l.shared.Load(ctx)
	if err != nil || k == nil {
		return err
	}
	ix, err := l.apply(k)
	if err != nil {
		return err
	}
	l.ix.Store(ix)
	l.kb.Store(k)
	return nil
}

// Run reloads when kick receives and every interval until ctx is done. A
// knowledge base that fails to load or to apply is logged; the bot keeps
// the one it had.
func (l *Live) Run(ctx context.Context, interval time.Duration, kick <-chan struct{}, log *slog.Logger) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-kick:
		}
		if err := l.Reload(ctx); err != nil && ctx.Err() == nil {
			log.Error("reload knowledge base, keeping the current one", "err", err)
		}
	}
}
