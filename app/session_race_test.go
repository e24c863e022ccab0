package app

import (
	"fmt"
	"log/slog"
	"path/filepath"
	"sync"
	"testing"

	"switchboard/app/cache"
	"switchboard/protocol"
)

// cacheOnlySession is a session with a real cache and nothing else: no
// connection, and a service it is not the current session of, so it
// emits nothing.
func cacheOnlySession(t *testing.T) *session {
	t.Helper()
	c, err := cache.Open(t.Context(), filepath.Join(t.TempDir(), "cache.db"), cache.NewKey())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return &session{
		svc: New(Config{Dir: t.TempDir()}), log: slog.New(slog.DiscardHandler), cache: c,
		jobs: newJobQueue(), touched: map[string]uint64{},
	}
}

// TestListReplyNeverOverwritesAPush: a list reply computed before a push
// is applied while the push arrives, over and over. Whatever the
// interleaving, the cache ends with the pushed copy: the list's check that
// nothing changed since it was asked for and its write are one step.
func TestListReplyNeverOverwritesAPush(t *testing.T) {
	s := cacheOnlySession(t)
	ctx := t.Context()
	for i := range 300 {
		id := fmt.Sprintf("c%d", i)
		queued := protocol.Conversation{ID: id, State: protocol.StateQueued, Team: "presales", Epoch: 1, LastSeq: 1}
		s.putChanged(ctx, queued)
		gen := s.generation()
		active := queued
		active.State, active.AssigneeID, active.LastSeq = protocol.StateActive, "u-alice", 2

		var wg sync.WaitGroup
		wg.Go(func() { s.reconcile(ctx, protocol.ListQueue, []protocol.Conversation{queued}, gen) })
		wg.Go(func() { s.putChanged(ctx, active) })
		wg.Wait()

		got, ok, err := s.cache.Conversation(ctx, id)
		if err != nil || !ok {
			t.Fatalf("%s: cached %v, %v", id, ok, err)
		}
		if got.State != protocol.StateActive || got.LastSeq != 2 {
			t.Fatalf("%s: the list's older copy (state %s, last seq %d) overwrote the push", id, got.State, got.LastSeq)
		}
	}
}

// TestReceiptNeverUndoesAPush: a read receipt moves the cursor of the
// cached copy while a push replaces it; the receipt's change never brings
// back the copy from before the push.
func TestReceiptNeverUndoesAPush(t *testing.T) {
	s := cacheOnlySession(t)
	ctx := t.Context()
	for i := range 300 {
		id := fmt.Sprintf("c%d", i)
		queued := protocol.Conversation{ID: id, State: protocol.StateQueued, Epoch: 1, LastSeq: 3}
		s.putChanged(ctx, queued)
		active := queued
		active.State, active.AssigneeID = protocol.StateActive, "u-alice"

		var wg sync.WaitGroup
		wg.Go(func() {
			s.applyReceipt(ctx, protocol.ReadReceipt{ConversationID: id, Reader: protocol.Sender{Role: protocol.RoleCustomer, ID: "v-1"}, Seq: 3})
		})
		wg.Go(func() { s.putChanged(ctx, active) })
		wg.Wait()

		got, _, err := s.cache.Conversation(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if got.State != protocol.StateActive {
			t.Fatalf("%s: the receipt wrote back the copy from before the push (state %s)", id, got.State)
		}
	}
}
