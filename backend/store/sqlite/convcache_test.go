package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/uuid"

	"switchboard/backend/conversation"
	"switchboard/backend/store"
	"switchboard/protocol"
)

// TestAppendSeesEveryWriter: the writer's conversation cache never answers
// an append with a copy older than a commit, whether the change came from
// this store's other writes or from another connection to the file (the
// admin command's).
func TestAppendSeesEveryWriter(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "cache.db")
	s, err := Open(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.UpsertCustomer(ctx, store.Customer{ID: "v-1", Name: "Wang"}); err != nil {
		t.Fatal(err)
	}
	conv, _, err := s.CreateConversation(ctx, store.NewConversation{CustomerID: "v-1", Channel: "web",
		Opened: store.NewMessage{ClientMsgID: uuid.NewString(), SenderRole: protocol.RoleSystem, Kind: protocol.KindEvent,
			Visibility: protocol.VisibilityPublic, Event: &store.Event{Type: protocol.EventOpened}}})
	if err != nil {
		t.Fatal(err)
	}
	say := func(text string, states ...conversation.State) (store.AppendResult, error) {
		return s.AppendMessage(ctx, store.NewMessage{ConversationID: conv.ID, ClientMsgID: uuid.NewString(),
			SenderRole: protocol.RoleCustomer, SenderID: "v-1", Kind: protocol.KindText,
			Visibility: protocol.VisibilityPublic, Text: text, States: states})
	}
	res, err := say("one")
	if err != nil {
		t.Fatal(err)
	}
	if _, cached := s.convs.get(conv.ID); !cached {
		t.Fatal("the conversation appended to is not cached")
	}
	if res.Conversation.CustomerName != "Wang" || res.Conversation.LastText != "one" {
		t.Fatalf("after the first append: %+v", res.Conversation)
	}

	if c, err := s.Conversation(ctx, conv.ID); err != nil || c.LastSeq != 2 || c.LastText != "one" {
		t.Fatalf("Conversation after the append: %+v, %v", c, err)
	}

	// Another connection renames the customer.
	other, err := sql.Open("sqlite", "file:"+escapePath(path)+"?_pragma=busy_timeout(5000)")
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	if _, err := other.ExecContext(ctx, `UPDATE customers SET name = 'Wang Wei' WHERE id = 'v-1'`); err != nil {
		t.Fatal(err)
	}
	res, err = say("two")
	if err != nil {
		t.Fatal(err)
	}
	if res.Conversation.CustomerName != "Wang Wei" || res.Conversation.LastSeq != 3 {
		t.Fatalf("after another connection's rename: %+v", res.Conversation)
	}
	// Reads outside the writer see another connection's write within
	// readerTTL.
	if _, err := other.ExecContext(ctx, `UPDATE customers SET name = 'Wang Wu' WHERE id = 'v-1'`); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(readerTTL + 2*time.Second); ; time.Sleep(50 * time.Millisecond) {
		c, err := s.Conversation(ctx, conv.ID)
		if err != nil {
			t.Fatal(err)
		}
		if c.CustomerName == "Wang Wu" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("Conversation still says %q %v after another connection's rename", c.CustomerName, readerTTL+2*time.Second)
		}
	}

	// This store's own write: tags and then a state change.
	if _, _, err := s.UpdateTags(ctx, store.TagChange{ConversationID: conv.ID, Add: []string{"vip"}, Max: 10}); err != nil {
		t.Fatal(err)
	}
	if c, err := s.Conversation(ctx, conv.ID); err != nil || len(c.Tags) != 1 {
		t.Fatalf("Conversation right after tagging: tags %v, %v", c.Tags, err)
	}
	res, err = say("three")
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Conversation.Tags) != 1 || res.Conversation.Tags[0] != "vip" {
		t.Fatalf("after tagging: tags %v", res.Conversation.Tags)
	}
	if err := s.UpsertTeam(ctx, store.Team{ID: "presales", Name: "Presales"}); err != nil {
		t.Fatal(err)
	}
	team := "presales"
	if _, _, err := s.ChangeState(ctx, store.StateChange{ConversationID: conv.ID, Event: conversation.Handoff, Team: &team,
		Message: store.NewMessage{ClientMsgID: uuid.NewString(), SenderRole: protocol.RoleSystem, Kind: protocol.KindEvent,
			Visibility: protocol.VisibilityPublic, Event: &store.Event{Type: protocol.EventHandoff}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := say("four", conversation.Bot); !errors.Is(err, store.ErrIllegalState) {
		t.Fatalf("an append for the bot's state after the handoff: %v, want illegal state", err)
	}
	if res, err = say("five", conversation.Queued); err != nil || res.Conversation.State != conversation.Queued {
		t.Fatalf("an append to the queued conversation: %+v, %v", res.Conversation, err)
	}

	// A copy handed out is the caller's: changing it changes no cache.
	res.Conversation.Tags[0] = "changed"
	if c, ok := s.convs.get(conv.ID); ok && c.Tags[0] != "vip" {
		t.Fatalf("the cache shares its tags with a result: %v", c.Tags)
	}
}
