package sqlite

import (
	"context"
	"database/sql/driver"
	"fmt"
	"sync"
	"testing"

	"github.com/google/uuid"

	"switchboard/backend/conversation"
	"switchboard/backend/store"
	"switchboard/protocol"
)

// TestRawStmtsNewConnection: the group commit's statements, prepared on the
// write connection's driver, are prepared again when the pool replaces that
// connection (here: one reported bad), and appends go on being stored.
func TestRawStmtsNewConnection(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, t.TempDir()+"/test.db", Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	c := openConversation(t, s, "v-1")
	send := func(text string) store.AppendResult {
		t.Helper()
		res, err := s.AppendMessage(ctx, store.NewMessage{ConversationID: c.ID, ClientMsgID: uuid.NewString(),
			SenderRole: protocol.RoleCustomer, Kind: protocol.KindText, Visibility: protocol.VisibilityPublic, Text: text})
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	first := send("before")
	if len(s.scratch.raw.stmts) == 0 {
		t.Fatal("the append ran no statement through the driver")
	}
	old := s.scratch.raw.ci
	conn, err := s.w.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// The pool closes a connection whose driver reports it bad.
	conn.Raw(func(any) error { return driver.ErrBadConn })
	conn.Close()
	second := send("after")
	if s.scratch.raw.ci == old {
		t.Fatal("the write connection was not replaced")
	}
	if second.Message.Seq != first.Message.Seq+1 {
		t.Fatalf("seq after the new connection: %d, want %d", second.Message.Seq, first.Message.Seq+1)
	}
	page, err := s.Messages(ctx, store.MessageQuery{ConversationID: c.ID})
	if err != nil {
		t.Fatal(err)
	}
	var texts []string
	for _, m := range page {
		if m.Kind == protocol.KindText {
			texts = append(texts, m.Text)
		}
	}
	if len(texts) != 2 || texts[0] != "before" || texts[1] != "after" {
		t.Fatalf("stored texts %q, want [before after]", texts)
	}
}

// TestBatchMovesConversationsOn: appends to a few conversations from many
// goroutines at once share group commits, so a batch holds several appends
// of one conversation, whose row it moves on once (pendingRows.convs), and
// a state change among them, which reads that row. Read back by a store
// opened afresh (no cache), every conversation has its messages numbered
// 1..n without a gap, last_seq n, the last text and the time the customer
// began waiting, and the state change happened once.
func TestBatchMovesConversationsOn(t *testing.T) {
	ctx := context.Background()
	path := t.TempDir() + "/test.db"
	s, err := Open(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.UpsertTeam(ctx, store.Team{ID: "presales", Name: "Presales"}); err != nil {
		t.Fatal(err)
	}
	convs := []store.Conversation{openConversation(t, s, "v-1"), openConversation(t, s, "v-2"), openConversation(t, s, "v-3")}
	team, reason := "presales", "requested"
	handoff := store.ChangeOn{Event: conversation.Handoff, Make: func(nm store.NewMessage) store.StateChange {
		return store.StateChange{Team: &team, HandoffReason: &reason, Actor: nm.SenderID,
			Message: store.NewMessage{ClientMsgID: uuid.NewString(), SenderRole: protocol.RoleSystem, Kind: protocol.KindEvent,
				Visibility: protocol.VisibilityPublic, Event: &store.Event{Type: protocol.EventHandoff}}}
	}}
	const writers, each = 12, 40
	var wg sync.WaitGroup
	errs := make(chan error, writers)
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				c := convs[(w+i)%len(convs)]
				nm := store.NewMessage{ConversationID: c.ID, ClientMsgID: uuid.NewString(), SenderRole: protocol.RoleCustomer,
					SenderID: c.CustomerID, Kind: protocol.KindText, Visibility: protocol.VisibilityPublic,
					Text: fmt.Sprintf("w%d-%d", w, i)}
				if i == each/2 {
					nm.Change = handoff // applies once per conversation: bot → queued
				}
				if _, err := s.AppendMessage(ctx, nm); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	if s.batchRetries.Load() != 0 {
		t.Errorf("%d batches ran again carefully; none had a reason to", s.batchRetries.Load())
	}
	s.Close()
	s, err = Open(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for _, c := range convs {
		got, err := s.Conversation(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		msgs, err := s.Messages(ctx, store.MessageQuery{ConversationID: c.ID, Limit: 1000})
		if err != nil {
			t.Fatal(err)
		}
		var lastText string
		var firstCustomer int64
		handoffs := 0
		for i, m := range msgs {
			if m.Seq != int64(i+1) {
				t.Fatalf("conversation %s: message %d has seq %d", c.ID, i+1, m.Seq)
			}
			if m.Kind == protocol.KindText {
				lastText = m.Text
				if firstCustomer == 0 {
					firstCustomer = m.CreatedAt
				}
			}
			if m.Event != nil && m.Event.Type == protocol.EventHandoff {
				handoffs++
			}
		}
		if got.LastSeq != int64(len(msgs)) {
			t.Errorf("conversation %s: last_seq %d, %d messages", c.ID, got.LastSeq, len(msgs))
		}
		if got.LastText != lastText {
			t.Errorf("conversation %s: last text %q, want %q", c.ID, got.LastText, lastText)
		}
		if got.AwaitingSince != firstCustomer {
			t.Errorf("conversation %s: awaiting since %d, want %d (its first customer message)", c.ID, got.AwaitingSince, firstCustomer)
		}
		if got.State != conversation.Queued || handoffs != 1 {
			t.Errorf("conversation %s: state %s after %d handoffs, want queued after 1", c.ID, got.State, handoffs)
		}
	}
}
