package sqlite

import (
	"context"
	"database/sql/driver"
	"testing"

	"github.com/google/uuid"

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
