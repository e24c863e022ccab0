package storetest

import (
	"context"
	"errors"
	"testing"

	"github.com/google/uuid"

	"switchboard/backend/conversation"
	"switchboard/backend/store"
	"switchboard/protocol"
)

func staffMsg(convID, senderID, role, visibility string) store.NewMessage {
	return store.NewMessage{
		ConversationID: convID, ClientMsgID: uuid.NewString(), SenderRole: role, SenderID: senderID,
		Kind: protocol.KindText, Visibility: visibility, Text: "hello", Assignee: senderID,
		States: []conversation.State{conversation.Active, conversation.WaitingCustomer},
	}
}

func change(t *testing.T, s store.Store, sc store.StateChange) store.Conversation {
	t.Helper()
	if sc.Message.ClientMsgID == "" {
		sc.Message = eventMsg(string(sc.Event))
	}
	c, _, err := s.ChangeState(context.Background(), sc)
	if err != nil {
		t.Fatalf("ChangeState(%s): %v", sc.Event, err)
	}
	return c
}

// testJoin: a supervisor who joined writes to the customer next to the
// assignee; leaving, or the conversation leaving the worked states, ends it.
func testJoin(t *testing.T, s store.Store) {
	ctx := context.Background()
	alice, _, cust := seed(t, s)
	sam, err := s.UpsertAgent(ctx, store.Agent{Username: "sam", Name: "Sam", Role: protocol.RoleSupervisor, PasswordHash: "h", Teams: []string{"presales"}})
	if err != nil {
		t.Fatalf("UpsertAgent(sam): %v", err)
	}
	c := create(t, s, cust.ID)
	accept(t, s, c.ID, alice.ID)

	if _, err := s.AppendMessage(ctx, staffMsg(c.ID, sam.ID, protocol.RoleSupervisor, protocol.VisibilityPublic)); !errors.Is(err, store.ErrIllegalState) {
		t.Fatalf("supervisor writing before joining: error = %v, want ErrIllegalState", err)
	}
	got := change(t, s, store.StateChange{ConversationID: c.ID, Event: conversation.Join, Join: sam.ID, KeepTimers: true})
	if len(got.Joined) != 1 || got.Joined[0] != (store.Staff{ID: sam.ID, Name: "Sam"}) || !got.JoinedBy(sam.ID) {
		t.Fatalf("joined = %+v", got.Joined)
	}
	// Joining twice keeps one entry.
	got = change(t, s, store.StateChange{ConversationID: c.ID, Event: conversation.Join, Join: sam.ID, KeepTimers: true})
	if len(got.Joined) != 1 {
		t.Fatalf("joined after joining twice = %+v", got.Joined)
	}
	res, err := s.AppendMessage(ctx, staffMsg(c.ID, sam.ID, protocol.RoleSupervisor, protocol.VisibilityPublic))
	if err != nil {
		t.Fatalf("joined supervisor writing: %v", err)
	}
	if res.Conversation.AssigneeID != alice.ID || !res.Conversation.JoinedBy(sam.ID) {
		t.Fatalf("after the supervisor wrote: %+v", res.Conversation)
	}
	got = change(t, s, store.StateChange{ConversationID: c.ID, Event: conversation.Leave, Leave: sam.ID, KeepTimers: true})
	if len(got.Joined) != 0 {
		t.Fatalf("joined after leaving = %+v", got.Joined)
	}
	if _, err := s.AppendMessage(ctx, staffMsg(c.ID, sam.ID, protocol.RoleSupervisor, protocol.VisibilityPublic)); !errors.Is(err, store.ErrIllegalState) {
		t.Fatalf("supervisor writing after leaving: error = %v, want ErrIllegalState", err)
	}
	// Join and leave are for worked conversations only, and a resolve
	// ends every barge-in.
	change(t, s, store.StateChange{ConversationID: c.ID, Event: conversation.Join, Join: sam.ID, KeepTimers: true})
	got = change(t, s, store.StateChange{ConversationID: c.ID, Event: conversation.Resolve})
	if len(got.Joined) != 0 {
		t.Fatalf("joined after resolve = %+v", got.Joined)
	}
	if _, _, err := s.ChangeState(ctx, store.StateChange{ConversationID: c.ID, Event: conversation.Join, Join: sam.ID,
		Message: eventMsg(protocol.EventJoined)}); !errors.Is(err, store.ErrIllegalState) {
		t.Fatalf("join of a resolved conversation: error = %v, want ErrIllegalState", err)
	}
}

// testTakeOverAndAssist: a take-over makes the supervisor the assignee,
// restarts the first-reply clock and lowers a request for help.
func testTakeOverAndAssist(t *testing.T, s store.Store) {
	ctx := context.Background()
	alice, _, cust := seed(t, s)
	sam, err := s.UpsertAgent(ctx, store.Agent{Username: "sam", Name: "Sam", Role: protocol.RoleSupervisor, PasswordHash: "h", Teams: []string{"presales"}})
	if err != nil {
		t.Fatalf("UpsertAgent(sam): %v", err)
	}
	c := create(t, s, cust.ID)
	got := accept(t, s, c.ID, alice.ID)
	if got.AssignedAt == 0 || got.FirstReplyAt != 0 || got.AssistAt != 0 {
		t.Fatalf("accepted: assigned_at %d first_reply_at %d assist_at %d", got.AssignedAt, got.FirstReplyAt, got.AssistAt)
	}
	at := got.AssignedAt + 5
	got = change(t, s, store.StateChange{ConversationID: c.ID, Event: conversation.Assist, Assist: &at, KeepTimers: true})
	if got.AssistAt != at {
		t.Fatalf("assist_at = %d, want %d", got.AssistAt, at)
	}
	// A whisper answers nobody: the first reply is still to come.
	if _, err := s.AppendMessage(ctx, staffMsg(c.ID, alice.ID, protocol.RoleAgent, protocol.VisibilityWhisper)); err != nil {
		t.Fatalf("whisper: %v", err)
	}
	if cur, _ := s.Conversation(ctx, c.ID); cur.FirstReplyAt != 0 {
		t.Fatalf("first_reply_at after a whisper = %d, want 0", cur.FirstReplyAt)
	}
	me, other := sam.ID, "someone-else"
	// A take-over conditional on another assignee loses.
	if _, _, err := s.ChangeState(ctx, store.StateChange{ConversationID: c.ID, Event: conversation.TakeOver, AssigneeID: &me,
		IfAssignee: &other, Message: eventMsg(protocol.EventTakenOver)}); !errors.Is(err, store.ErrIllegalState) {
		t.Fatalf("take over if assigned to someone else: error = %v, want ErrIllegalState", err)
	}
	was := alice.ID
	got = change(t, s, store.StateChange{ConversationID: c.ID, Event: conversation.TakeOver, AssigneeID: &me, Leave: me, IfAssignee: &was})
	if got.AssigneeID != sam.ID || got.State != conversation.Active || got.AssistAt != 0 || got.AssignedAt < at-5 {
		t.Fatalf("taken over: %+v", got)
	}
	res, err := s.AppendMessage(ctx, staffMsg(c.ID, sam.ID, protocol.RoleSupervisor, protocol.VisibilityPublic))
	if err != nil {
		t.Fatalf("new assignee writing: %v", err)
	}
	if res.Conversation.FirstReplyAt == 0 {
		t.Fatal("first_reply_at not set by the assignee's reply")
	}
	if _, err := s.AppendMessage(ctx, staffMsg(c.ID, alice.ID, protocol.RoleAgent, protocol.VisibilityPublic)); !errors.Is(err, store.ErrIllegalState) {
		t.Fatalf("the agent it was taken from writing: error = %v, want ErrIllegalState", err)
	}
	// Taking over a queued conversation assigns it.
	c2 := create(t, s, mustCustomer(t, s).ID)
	toQueue(t, s, c2.ID, "presales")
	got = change(t, s, store.StateChange{ConversationID: c2.ID, Event: conversation.TakeOver, AssigneeID: &me})
	if got.State != conversation.Active || got.AssigneeID != sam.ID {
		t.Fatalf("queued conversation taken over: %+v", got)
	}
}

// testResponseTimes: the customer's oldest unanswered message is tracked
// until a person answers publicly; the bot, notes and whispers answer
// nothing.
func testResponseTimes(t *testing.T, s store.Store) {
	ctx := context.Background()
	alice, _, cust := seed(t, s)
	c := create(t, s, cust.ID)
	res, err := s.AppendMessage(ctx, textMsg(c.ID, "where is my parcel?"))
	if err != nil {
		t.Fatalf("customer message: %v", err)
	}
	first := res.Message.CreatedAt
	if res.Conversation.AwaitingSince != first {
		t.Fatalf("awaiting_since in the append result = %d, want %d", res.Conversation.AwaitingSince, first)
	}
	bot := textMsg(c.ID, "I can help with that")
	bot.SenderRole, bot.SenderID = protocol.RoleBot, "bot"
	if _, err := s.AppendMessage(ctx, bot); err != nil {
		t.Fatalf("bot message: %v", err)
	}
	if _, err := s.AppendMessage(ctx, textMsg(c.ID, "hello?")); err != nil {
		t.Fatalf("second customer message: %v", err)
	}
	accept(t, s, c.ID, alice.ID)
	if cur, _ := s.Conversation(ctx, c.ID); cur.AwaitingSince != first {
		t.Fatalf("awaiting_since after the bot and a second message = %d, want the first message's %d", cur.AwaitingSince, first)
	}
	for _, vis := range []string{protocol.VisibilityInternal, protocol.VisibilityWhisper} {
		if _, err := s.AppendMessage(ctx, staffMsg(c.ID, alice.ID, protocol.RoleAgent, vis)); err != nil {
			t.Fatalf("%s message: %v", vis, err)
		}
	}
	if cur, _ := s.Conversation(ctx, c.ID); cur.AwaitingSince != first || cur.FirstReplyAt != 0 {
		t.Fatalf("after a note and a whisper: awaiting_since %d first_reply_at %d", cur.AwaitingSince, cur.FirstReplyAt)
	}
	res, err = s.AppendMessage(ctx, staffMsg(c.ID, alice.ID, protocol.RoleAgent, protocol.VisibilityPublic))
	if err != nil {
		t.Fatalf("reply: %v", err)
	}
	cur, _ := s.Conversation(ctx, c.ID)
	if cur.AwaitingSince != 0 || cur.FirstReplyAt != res.Message.CreatedAt || res.Conversation.AwaitingSince != 0 {
		t.Fatalf("after the reply: awaiting_since %d first_reply_at %d (result %d)", cur.AwaitingSince, cur.FirstReplyAt, res.Conversation.AwaitingSince)
	}
	res, err = s.AppendMessage(ctx, textMsg(c.ID, "thanks, one more thing"))
	if err != nil {
		t.Fatalf("customer again: %v", err)
	}
	if cur, _ := s.Conversation(ctx, c.ID); cur.AwaitingSince != res.Message.CreatedAt || cur.FirstReplyAt == 0 {
		t.Fatalf("customer again: awaiting_since %d first_reply_at %d", cur.AwaitingSince, cur.FirstReplyAt)
	}
}
