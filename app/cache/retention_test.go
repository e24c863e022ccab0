package cache

import (
	"context"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"switchboard/protocol"
)

func TestPruneBefore(t *testing.T) {
	ctx := context.Background()
	c, err := Open(ctx, filepath.Join(t.TempDir(), "cache.db"), NewKey())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()

	day := int64(24 * time.Hour / time.Millisecond)
	now := time.UnixMilli(100 * day)
	cutoff := now.Add(-30 * 24 * time.Hour) // day 70
	text := func(conv string, seq, at int64, s string) protocol.Message {
		return protocol.Message{ConversationID: conv, Seq: seq, Kind: protocol.KindText,
			Visibility: protocol.VisibilityPublic, Text: s, CreatedAt: at}
	}
	// old: everything older than the cutoff; mixed: old and new messages;
	// pending: old, but with an unsent message.
	for _, conv := range []protocol.Conversation{
		{ID: "old", State: "resolved", UpdatedAt: 50 * day, LastText: "secret old"},
		{ID: "mixed", State: "active", UpdatedAt: 99 * day},
		{ID: "pending", State: "active", UpdatedAt: 60 * day},
	} {
		if _, _, err := c.PutConversation(ctx, conv); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := c.PutMessages(ctx, []protocol.Message{
		text("old", 1, 40*day, "apple"),
		text("old", 2, 50*day, "apple banana"),
		text("mixed", 1, 69*day, "apple"),
		text("mixed", 2, 70*day-1, "cherry"), // a millisecond before the cutoff
		text("mixed", 3, 70*day, "apple cherry"),
		text("mixed", 4, 99*day, "banana"),
		text("pending", 1, 60*day, "apple"),
	}); err != nil {
		t.Fatal(err)
	}
	if err := c.AddOutbox(ctx, OutboxItem{ClientMsgID: "u1", ConversationID: "pending", Text: "unsent", CreatedAt: 60 * day}); err != nil {
		t.Fatal(err)
	}

	p, err := c.PruneBefore(ctx, cutoff)
	if err != nil {
		t.Fatal(err)
	}
	if p != (Pruned{Messages: 5, Conversations: 1}) {
		t.Errorf("PruneBefore = %+v, want 5 messages and 1 conversation", p)
	}
	for conv, want := range map[string][]int64{"old": {}, "mixed": {3, 4}, "pending": {}} {
		ms, err := c.Messages(ctx, conv)
		if err != nil {
			t.Fatal(err)
		}
		got := []int64{}
		for _, m := range ms {
			got = append(got, m.Seq)
		}
		if !slices.Equal(got, want) {
			t.Errorf("messages of %s = %v, want %v", conv, got, want)
		}
	}
	var ids []string
	convs, err := c.Conversations(ctx, "resolved", "active")
	if err != nil {
		t.Fatal(err)
	}
	for _, cv := range convs {
		ids = append(ids, cv.ID)
	}
	slices.Sort(ids)
	if !slices.Equal(ids, []string{"mixed", "pending"}) {
		t.Errorf("conversations = %v, want mixed and pending", ids)
	}
	// The synced seq stays, so the next sync does not fetch the pruned
	// messages again.
	if s, _ := c.SyncedSeq(ctx, "mixed"); s != 4 {
		t.Errorf("synced seq of mixed = %d, want 4", s)
	}
	// A conversation left without messages syncs from the start again.
	for _, id := range []string{"old", "pending"} {
		if s, _ := c.SyncedSeq(ctx, id); s != 0 {
			t.Errorf("synced seq of %s = %d, want 0", id, s)
		}
	}
	if out, _ := c.Outbox(ctx, ""); len(out) != 1 {
		t.Errorf("outbox = %v, want the unsent message kept", out)
	}
	// Search finds only what is left, and no term of a pruned message is.
	hits, err := c.Search(ctx, "apple", 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(hits) != 1 || hits[0].Message.ConversationID != "mixed" || hits[0].Message.Seq != 3 {
		t.Errorf("search apple = %+v, want mixed/3 only", hits)
	}
	var old int
	if err := c.db.QueryRowContext(ctx, "SELECT count(*) FROM terms WHERE created < ?", cutoff.Unix()).Scan(&old); err != nil {
		t.Fatal(err)
	}
	if old != 0 {
		t.Errorf("%d search terms of pruned messages are left", old)
	}

	// Pruning again deletes nothing more.
	if p, err := c.PruneBefore(ctx, cutoff); err != nil || p != (Pruned{}) {
		t.Errorf("second PruneBefore = %+v, %v; want nothing", p, err)
	}
}
