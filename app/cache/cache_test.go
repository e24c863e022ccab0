package cache_test

import (
	"context"
	"path/filepath"
	"slices"
	"testing"

	"switchboard/app/cache"
	"switchboard/protocol"
)

// testKey encrypts the tests' caches.
var testKey = cache.NewKey()

func open(t *testing.T) (*cache.Cache, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "sub", "cache.db")
	c, err := cache.Open(context.Background(), path, testKey)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { c.Close() })
	return c, path
}

func msg(conv string, seq int64, cmid string) protocol.Message {
	return protocol.Message{ConversationID: conv, Seq: seq, ClientMsgID: cmid, Kind: protocol.KindText,
		Visibility: protocol.VisibilityPublic, Text: "m", CreatedAt: seq * 1000}
}

func seqs(ms []protocol.Message) []int64 {
	out := []int64{}
	for _, m := range ms {
		out = append(out, m.Seq)
	}
	return out
}

func TestPutMessagesReadyInOrder(t *testing.T) {
	ctx := context.Background()
	c, _ := open(t)
	steps := []struct {
		name       string
		put        []int64
		wantReady  []int64
		wantSynced int64
	}{
		{"first", []int64{1}, []int64{1}, 1},
		{"duplicate", []int64{1}, []int64{}, 1},
		{"beyond a gap waits", []int64{4}, []int64{}, 1},
		{"another beyond the gap", []int64{3}, []int64{}, 1},
		{"gap filled releases the rest", []int64{2}, []int64{2, 3, 4}, 4},
		{"batch out of order", []int64{7, 5, 6}, []int64{5, 6, 7}, 7},
	}
	for _, st := range steps {
		var in []protocol.Message
		for _, s := range st.put {
			in = append(in, msg("c1", s, ""))
		}
		got, err := c.PutMessages(ctx, in)
		if err != nil {
			t.Fatalf("%s: PutMessages: %v", st.name, err)
		}
		if !slices.Equal(seqs(got.Ready), st.wantReady) {
			t.Errorf("%s: PutMessages(%v).Ready = %v, want %v", st.name, st.put, seqs(got.Ready), st.wantReady)
		}
		if s, _ := c.SyncedSeq(ctx, "c1"); s != st.wantSynced {
			t.Errorf("%s: SyncedSeq = %d, want %d", st.name, s, st.wantSynced)
		}
	}
	all, err := c.Messages(ctx, "c1")
	if err != nil || !slices.Equal(seqs(all), []int64{1, 2, 3, 4, 5, 6, 7}) {
		t.Fatalf("Messages = %v, %v", seqs(all), err)
	}
	if _, err := c.PutMessages(ctx, []protocol.Message{msg("c1", 0, "")}); err == nil {
		t.Fatal("PutMessages accepted seq 0")
	}
}

func TestOutboxSettle(t *testing.T) {
	ctx := context.Background()
	c, _ := open(t)
	for i, id := range []string{"a", "b", "c"} {
		if err := c.AddOutbox(ctx, cache.OutboxItem{ClientMsgID: id, ConversationID: "c1", Text: id, CreatedAt: int64(10 + i)}); err != nil {
			t.Fatal(err)
		}
	}
	if err := c.AddOutbox(ctx, cache.OutboxItem{ClientMsgID: "a", ConversationID: "c1", Text: "again"}); err == nil {
		t.Fatal("AddOutbox accepted a duplicate client_msg_id")
	}
	// The push of "a" settles it; the later ack of "a" changes nothing.
	st, err := c.PutMessages(ctx, []protocol.Message{msg("c1", 1, "a")})
	if err != nil || len(st.Settled) != 1 || st.Settled[0].ClientMsgID != "a" {
		t.Fatalf("PutMessages = %+v, %v; want a settled", st, err)
	}
	st, err = c.Ack(ctx, msg("c1", 1, "a"))
	if err != nil || len(st.Settled) != 0 || len(st.Ready) != 0 {
		t.Fatalf("Ack after push = %+v, %v; want nothing new", st, err)
	}
	st, err = c.Ack(ctx, msg("c1", 2, "b"))
	if err != nil || len(st.Settled) != 1 || !slices.Equal(seqs(st.Ready), []int64{2}) {
		t.Fatalf("Ack(b) = %+v, %v", st, err)
	}
	if err := c.RemoveOutbox(ctx, "zzz"); err != nil {
		t.Fatal(err)
	}
	left, err := c.Outbox(ctx, "")
	if err != nil || len(left) != 1 || left[0].ClientMsgID != "c" {
		t.Fatalf("Outbox = %+v, %v; want only c", left, err)
	}
	if other, _ := c.Outbox(ctx, "c2"); len(other) != 0 {
		t.Fatalf("Outbox(c2) = %+v", other)
	}
}

func TestConversationsAndEpochReset(t *testing.T) {
	ctx := context.Background()
	c, path := open(t)
	conv := protocol.Conversation{ID: "c1", State: protocol.StateQueued, Team: "presales", Epoch: 1, UpdatedAt: 5}
	if changed, reset, err := c.PutConversation(ctx, conv); err != nil || !changed || reset {
		t.Fatalf("PutConversation new = %v, %v, %v", changed, reset, err)
	}
	if changed, _, _ := c.PutConversation(ctx, conv); changed {
		t.Fatal("PutConversation unchanged reported a change")
	}
	if _, err := c.PutMessages(ctx, []protocol.Message{msg("c1", 1, ""), msg("c1", 2, "")}); err != nil {
		t.Fatal(err)
	}
	got, ok, err := c.Conversation(ctx, "c1")
	if err != nil || !ok || got.LastSeq != 2 || got.LastText != "m" || got.UpdatedAt != 2000 {
		t.Fatalf("Conversation after messages = %+v, %v, %v; want last_seq 2", got, ok, err)
	}
	if r, _ := c.SyncedSeqs(ctx); r["c1"] != 2 {
		t.Fatalf("SyncedSeqs = %v", r)
	}

	conv.Epoch = 2
	if _, reset, err := c.PutConversation(ctx, conv); err != nil || !reset {
		t.Fatalf("PutConversation new epoch: reset = %v, %v", reset, err)
	}
	if ms, _ := c.Messages(ctx, "c1"); len(ms) != 0 {
		t.Fatalf("messages survived an epoch change: %v", seqs(ms))
	}
	if s, _ := c.SyncedSeq(ctx, "c1"); s != 0 {
		t.Fatalf("SyncedSeq after reset = %d", s)
	}

	if list, _ := c.Conversations(ctx, protocol.StateQueued); len(list) != 1 {
		t.Fatalf("Conversations(queued) = %+v", list)
	}
	if list, _ := c.Conversations(ctx, protocol.StateActive); len(list) != 0 {
		t.Fatalf("Conversations(active) = %+v", list)
	}
	if err := c.DeleteConversation(ctx, "c1"); err != nil {
		t.Fatal(err)
	}
	if _, ok, _ := c.Conversation(ctx, "c1"); ok {
		t.Fatal("conversation survived DeleteConversation")
	}

	// Reopening keeps what was written.
	c.AddOutbox(ctx, cache.OutboxItem{ClientMsgID: "x", ConversationID: "c9", Text: "kept", CreatedAt: 1})
	c.Close()
	c2, err := cache.Open(ctx, path, testKey)
	if err != nil {
		t.Fatal(err)
	}
	defer c2.Close()
	if left, _ := c2.Outbox(ctx, ""); len(left) != 1 || left[0].Text != "kept" {
		t.Fatalf("outbox after reopen = %+v", left)
	}
}
