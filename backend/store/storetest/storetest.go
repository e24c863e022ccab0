// Package storetest is the conformance suite of the store contract. Every
// engine runs it from its own tests:
//
//	func TestConformance(t *testing.T) {
//		storetest.Run(t, func(t *testing.T) store.Store { return openTemp(t) })
//	}
//
// The suite checks behaviour callers rely on, not implementation details: seq
// allocation, idempotency, conditional state changes and not-found/conflict
// translation.
package storetest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"

	"switchboard/backend/conversation"
	"switchboard/backend/store"
	"switchboard/protocol"
)

// Open returns a fresh, empty store for one test. The engine registers its
// cleanup with t.
type Open func(t *testing.T) store.Store

// Run runs the whole suite against the engine that open creates.
func Run(t *testing.T, open Open) {
	tests := []struct {
		name string
		fn   func(t *testing.T, s store.Store)
	}{
		{"Settings", testSettings},
		{"AgentsAndTeams", testAgentsAndTeams},
		{"AgentAccess", testAgentAccess},
		{"DeleteTeam", testDeleteTeam},
		{"Customers", testCustomers},
		{"CreateConversation", testCreateConversation},
		{"AppendSeq", testAppendSeq},
		{"AppendConcurrent", testAppendConcurrent},
		{"AppendManyConversations", testAppendManyConversations},
		{"AppendMixedOutcomes", testAppendMixedOutcomes},
		{"AppendDuplicate", testAppendDuplicate},
		{"AppendDuplicateConcurrent", testAppendDuplicateConcurrent},
		{"AppendGuards", testAppendGuards},
		{"ChangeState", testChangeState},
		{"ChangeStateThen", testChangeStateThen},
		{"ConcurrentAccept", testConcurrentAccept},
		{"TimersArmWithState", testTimersArmWithState},
		{"TimersStale", testTimersStale},
		{"TimersPostpone", testTimersPostpone},
		{"TimersDue", testTimersDue},
		{"TimersFireOnce", testTimersFireOnce},
		{"AppendWithChange", testAppendWithChange},
		{"Reopen", testReopen},
		{"ListConversations", testListConversations},
		{"QueueOrder", testQueueOrder},
		{"QueueClaimDisjoint", testQueueClaimDisjoint},
		{"QueueClaimOrder", testQueueClaimOrder},
		{"QueueClaimExpiry", testQueueClaimExpiry},
		{"QueueClaimOffered", testQueueClaimOffered},
		{"QueueRelease", testQueueRelease},
		{"Messages", testMessages},
		{"MergeExt", testMergeExt},
		{"Verified", testVerified},
		{"MarkRead", testMarkRead},
		{"NotFound", testNotFound},
		{"Offers", testOffers},
		{"AgentLoad", testAgentLoad},
		{"ConcurrentOffers", testConcurrentOffers},
		{"CapacityGuard", testCapacityGuard},
		{"RatingAndRouting", testRatingAndRouting},
		{"Files", testFiles},
		{"Tags", testTags},
		{"TagsLimit", testTagsLimit},
		{"TagsEverywhere", testTagsEverywhere},
		{"CustomerNotes", testCustomerNotes},
		{"AuditChain", testAuditChain},
		{"AuditQuery", testAuditQuery},
		{"AuditConcurrent", testAuditConcurrent},
		{"AuditBatch", testAuditBatch},
		{"RefreshRotate", testRefreshRotate},
		{"RefreshRevoke", testRefreshRevoke},
		{"RefreshConcurrent", testRefreshConcurrent},
		{"RefreshPrune", testRefreshPrune},
		{"Join", testJoin},
		{"TakeOverAndAssist", testTakeOverAndAssist},
		{"ResponseTimes", testResponseTimes},
		{"TeamSLA", testTeamSLA},
		{"BotMisses", testBotMisses},
		{"BotFeedback", testBotFeedback},
		{"KBVersions", testKBVersions},
		{"KBPublishConcurrent", testKBPublishConcurrent},
		{"WebhookEndpoints", testWebhookEndpoints},
		{"OutboxFanOut", testOutboxFanOut},
		{"DeadLetters", testDeadLetters},
		{"FanOutConcurrent", testFanOutConcurrent},
		{"CannedResponses", testCannedResponses},
		{"APIKeys", testAPIKeys},
		{"BusinessHours", testBusinessHours},
		{"ListByFieldAndCreated", testListByFieldAndCreated},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.fn(t, open(t))
		})
	}
}

func ptr(s string) *string { return &s }

// seed creates the teams, agents and one customer most tests need.
func seed(t *testing.T, s store.Store) (alice, bob store.Agent, cust store.Customer) {
	t.Helper()
	ctx := context.Background()
	for _, team := range []store.Team{{ID: "presales", Name: "售前"}, {ID: "aftersales", Name: "售后"}} {
		if err := s.UpsertTeam(ctx, team); err != nil {
			t.Fatalf("UpsertTeam(%s): %v", team.ID, err)
		}
	}
	var err error
	alice, err = s.UpsertAgent(ctx, store.Agent{Username: "alice", Name: "Alice", Role: protocol.RoleAgent, PasswordHash: "h", Teams: []string{"presales"}})
	if err != nil {
		t.Fatalf("UpsertAgent(alice): %v", err)
	}
	bob, err = s.UpsertAgent(ctx, store.Agent{Username: "bob", Name: "Bob", Role: protocol.RoleAgent, PasswordHash: "h", Teams: []string{"presales"}})
	if err != nil {
		t.Fatalf("UpsertAgent(bob): %v", err)
	}
	cust, err = s.UpsertCustomer(ctx, store.Customer{ID: uuid.NewString(), Name: "Visitor"})
	if err != nil {
		t.Fatalf("UpsertCustomer: %v", err)
	}
	return alice, bob, cust
}

func openedMsg() store.NewMessage {
	return store.NewMessage{
		ClientMsgID: uuid.NewString(), SenderRole: protocol.RoleSystem, Kind: protocol.KindEvent,
		Visibility: protocol.VisibilityPublic, Event: &store.Event{Type: protocol.EventOpened},
	}
}

func eventMsg(typ string) store.NewMessage {
	m := openedMsg()
	m.Event = &store.Event{Type: typ}
	return m
}

func textMsg(convID, text string) store.NewMessage {
	return store.NewMessage{
		ConversationID: convID, ClientMsgID: uuid.NewString(), SenderRole: protocol.RoleCustomer,
		SenderID: "c", Kind: protocol.KindText, Visibility: protocol.VisibilityPublic, Text: text,
	}
}

func create(t *testing.T, s store.Store, customerID string) store.Conversation {
	t.Helper()
	c, _, err := s.CreateConversation(context.Background(), store.NewConversation{
		CustomerID: customerID, Channel: "web", Ext: map[string]string{"source": "/shop"}, Opened: openedMsg(), Actor: customerID,
	})
	if err != nil {
		t.Fatalf("CreateConversation: %v", err)
	}
	return c
}

func toQueue(t *testing.T, s store.Store, id, team string) store.Conversation {
	t.Helper()
	c, _, err := s.ChangeState(context.Background(), store.StateChange{
		ConversationID: id, Event: conversation.Handoff, Team: ptr(team), HandoffReason: ptr("customer asked for an agent"),
		Message: eventMsg(protocol.EventHandoff), Actor: "bot",
	})
	if err != nil {
		t.Fatalf("ChangeState(handoff): %v", err)
	}
	return c
}

func testSettings(t *testing.T, s store.Store) {
	ctx := context.Background()
	got, err := s.EnsureSetting(ctx, "token_secret", "first")
	if err != nil || got != "first" {
		t.Fatalf("EnsureSetting first = %q, %v, want first", got, err)
	}
	got, err = s.EnsureSetting(ctx, "token_secret", "second")
	if err != nil || got != "first" {
		t.Fatalf("EnsureSetting again = %q, %v, want the stored first", got, err)
	}
	if v, ok, err := s.Setting(ctx, "token_secret"); err != nil || !ok || v != "first" {
		t.Errorf("Setting(token_secret) = %q, %v, %v; want first", v, ok, err)
	}
	if v, ok, err := s.Setting(ctx, "nothing"); err != nil || ok || v != "" {
		t.Errorf("Setting of a key without a value = %q, %v, %v; want none", v, ok, err)
	}
	big := strings.Repeat("知识库 knowledge ", 20_000) // a knowledge base is large
	for _, v := range []string{"one", big, ""} {
		if err := s.PutSetting(ctx, "kb", v); err != nil {
			t.Fatalf("PutSetting: %v", err)
		}
		if got, ok, err := s.Setting(ctx, "kb"); err != nil || !ok || got != v {
			t.Errorf("Setting after PutSetting of %d bytes = %d bytes, %v, %v", len(v), len(got), ok, err)
		}
	}
}

func testAgentsAndTeams(t *testing.T, s store.Store) {
	ctx := context.Background()
	alice, _, _ := seed(t, s)
	if alice.ID == "" || len(alice.Teams) != 1 || alice.Teams[0] != "presales" {
		t.Fatalf("UpsertAgent = %+v", alice)
	}
	if alice.Capacity != store.DefaultCapacity {
		t.Errorf("UpsertAgent without capacity: Capacity = %d, want %d", alice.Capacity, store.DefaultCapacity)
	}
	// Upserting again keeps the id and replaces the teams and capacity.
	again, err := s.UpsertAgent(ctx, store.Agent{Username: "alice", Name: "Alice L", Role: protocol.RoleSupervisor, PasswordHash: "h2",
		Teams: []string{"aftersales", "presales"}, Capacity: 3})
	if err != nil {
		t.Fatalf("UpsertAgent again: %v", err)
	}
	if again.ID != alice.ID || again.Name != "Alice L" || again.Role != protocol.RoleSupervisor || len(again.Teams) != 2 {
		t.Errorf("UpsertAgent again = %+v, want id %s, new name/role, 2 teams", again, alice.ID)
	}
	byName, err := s.AgentByUsername(ctx, "alice")
	if err != nil || byName.ID != alice.ID || byName.PasswordHash != "h2" {
		t.Errorf("AgentByUsername = %+v, %v", byName, err)
	}
	byID, err := s.Agent(ctx, alice.ID)
	if err != nil || byID.Username != "alice" || fmt.Sprint(byID.Teams) != "[aftersales presales]" || byID.Capacity != 3 {
		t.Errorf("Agent = %+v, %v", byID, err)
	}
	if _, err := s.UpsertAgent(ctx, store.Agent{Username: "zed", Name: "Z", Role: protocol.RoleAgent, PasswordHash: "h", Teams: []string{"nope"}}); err == nil {
		t.Errorf("UpsertAgent with unknown team: nil error")
	}
	teams, err := s.Teams(ctx)
	if err != nil || len(teams) != 2 {
		t.Errorf("Teams = %v, %v", teams, err)
	}
}

func testCustomers(t *testing.T, s store.Store) {
	ctx := context.Background()
	id := uuid.NewString()
	c, err := s.UpsertCustomer(ctx, store.Customer{ID: id, Name: "Li"})
	if err != nil || c.Name != "Li" || c.CreatedAt == 0 {
		t.Fatalf("UpsertCustomer = %+v, %v", c, err)
	}
	c, err = s.UpsertCustomer(ctx, store.Customer{ID: id})
	if err != nil || c.Name != "Li" {
		t.Errorf("UpsertCustomer with empty name = %+v, %v, want name kept", c, err)
	}
	if got, err := s.Customer(ctx, id); err != nil || got.Name != "Li" {
		t.Errorf("Customer = %+v, %v", got, err)
	}
}

func testCreateConversation(t *testing.T, s store.Store) {
	ctx := context.Background()
	_, _, cust := seed(t, s)
	c, m, err := s.CreateConversation(ctx, store.NewConversation{
		CustomerID: cust.ID, Channel: "web", Ext: map[string]string{"order_no": "A1"}, Opened: openedMsg(), Actor: cust.ID,
	})
	if err != nil {
		t.Fatalf("CreateConversation: %v", err)
	}
	if c.State != conversation.Bot || c.LastSeq != 1 || c.Epoch != 1 || c.Ext["order_no"] != "A1" || c.CustomerName != "Visitor" {
		t.Errorf("CreateConversation conv = %+v", c)
	}
	if m.Seq != 1 || m.Event == nil || m.Event.Type != protocol.EventOpened || m.Event.To != string(conversation.Bot) {
		t.Errorf("CreateConversation opened message = %+v (event %+v)", m, m.Event)
	}
	if _, _, err := s.CreateConversation(ctx, store.NewConversation{CustomerID: cust.ID, Channel: "web", Opened: openedMsg()}); !errors.Is(err, store.ErrConflict) {
		t.Errorf("second open conversation: error = %v, want ErrConflict", err)
	}
	got, err := s.OpenConversationOf(ctx, cust.ID)
	if err != nil || got.ID != c.ID {
		t.Errorf("OpenConversationOf = %+v, %v, want %s", got, err, c.ID)
	}
	audit, err := s.Audit(ctx, c.ID)
	if err != nil || len(audit) != 1 || audit[0].Action != string(conversation.Open) {
		t.Errorf("Audit after create = %+v, %v", audit, err)
	}
}

func testAppendSeq(t *testing.T, s store.Store) {
	ctx := context.Background()
	_, _, cust := seed(t, s)
	c := create(t, s, cust.ID)
	for i := int64(2); i <= 5; i++ {
		res, err := s.AppendMessage(ctx, textMsg(c.ID, fmt.Sprint("hello ", i)))
		if err != nil {
			t.Fatalf("AppendMessage: %v", err)
		}
		if res.Message.Seq != i || res.Duplicate || res.Conversation.LastSeq != i {
			t.Errorf("AppendMessage #%d = seq %d dup %v conv last_seq %d", i, res.Message.Seq, res.Duplicate, res.Conversation.LastSeq)
		}
		if res.Conversation.LastText != fmt.Sprint("hello ", i) {
			t.Errorf("LastText = %q", res.Conversation.LastText)
		}
	}
}

func testAppendConcurrent(t *testing.T, s store.Store) {
	ctx := context.Background()
	_, _, cust := seed(t, s)
	c := create(t, s, cust.ID)
	const n = 40
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for range n {
		wg.Go(func() {
			if _, err := s.AppendMessage(ctx, textMsg(c.ID, "x")); err != nil {
				errs <- err
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatalf("concurrent AppendMessage: %v", err)
	}
	msgs, err := s.Messages(ctx, store.MessageQuery{ConversationID: c.ID})
	if err != nil {
		t.Fatal(err)
	}
	if len(msgs) != n+1 {
		t.Fatalf("stored %d messages, want %d", len(msgs), n+1)
	}
	for i, m := range msgs {
		if m.Seq != int64(i+1) {
			t.Fatalf("message %d has seq %d: seqs are not gap-free", i, m.Seq)
		}
	}
}

// testAppendManyConversations appends from many goroutines to many
// conversations at once, as a busy server does (and as group commit
// batches): every append is acknowledged exactly once with its own seq, and
// each conversation's seqs are gap-free.
func testAppendManyConversations(t *testing.T, s store.Store) {
	ctx := context.Background()
	const convs, writers, each = 8, 4, 25 // writers per conversation
	type ack struct {
		conv, id string
		seq      int64
	}
	acks := make(chan ack, convs*writers*each)
	errs := make(chan error, convs*writers*each)
	var ids []string
	for range convs {
		cust, err := s.UpsertCustomer(ctx, store.Customer{ID: uuid.NewString()})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, create(t, s, cust.ID).ID)
	}
	var wg sync.WaitGroup
	for _, id := range ids {
		for range writers {
			wg.Go(func() {
				for range each {
					nm := textMsg(id, "x")
					res, err := s.AppendMessage(ctx, nm)
					if err != nil {
						errs <- err
						return
					}
					if res.Duplicate || res.Message.ClientMsgID != nm.ClientMsgID || res.Message.ConversationID != id {
						errs <- fmt.Errorf("append %s = %+v", nm.ClientMsgID, res)
						return
					}
					acks <- ack{id, nm.ClientMsgID, res.Message.Seq}
				}
			})
		}
	}
	wg.Wait()
	close(errs)
	close(acks)
	for err := range errs {
		t.Fatalf("concurrent AppendMessage: %v", err)
	}
	bySeq := map[string]map[int64]string{}
	for a := range acks {
		if bySeq[a.conv] == nil {
			bySeq[a.conv] = map[int64]string{}
		}
		if prev, dup := bySeq[a.conv][a.seq]; dup {
			t.Fatalf("conversation %s seq %d acknowledged for %s and %s", a.conv, a.seq, prev, a.id)
		}
		bySeq[a.conv][a.seq] = a.id
	}
	for _, id := range ids {
		msgs, err := s.Messages(ctx, store.MessageQuery{ConversationID: id})
		if err != nil {
			t.Fatal(err)
		}
		if len(msgs) != writers*each+1 {
			t.Fatalf("conversation %s has %d messages, want %d", id, len(msgs), writers*each+1)
		}
		for i, m := range msgs {
			if m.Seq != int64(i+1) {
				t.Fatalf("conversation %s message %d has seq %d: not gap-free", id, i, m.Seq)
			}
			if i > 0 && bySeq[id][m.Seq] != m.ClientMsgID {
				t.Fatalf("conversation %s seq %d stored %s, acknowledged %s", id, m.Seq, m.ClientMsgID, bySeq[id][m.Seq])
			}
		}
	}
}

// testAppendMixedOutcomes appends concurrently where some appends must
// fail (a state guard, an id used in another conversation): each failure is
// its own, and the appends beside it are stored gap-free.
func testAppendMixedOutcomes(t *testing.T, s store.Store) {
	ctx := context.Background()
	_, _, cust := seed(t, s)
	c := create(t, s, cust.ID)
	other, err := s.UpsertCustomer(ctx, store.Customer{ID: uuid.NewString()})
	if err != nil {
		t.Fatal(err)
	}
	taken := textMsg(create(t, s, other.ID).ID, "elsewhere")
	if _, err := s.AppendMessage(ctx, taken); err != nil {
		t.Fatal(err)
	}
	const n = 60
	var wg sync.WaitGroup
	var mu sync.Mutex
	stored := 0
	for i := range n {
		wg.Go(func() {
			nm := textMsg(c.ID, "x")
			want := error(nil)
			switch i % 3 {
			case 1:
				nm.States = []conversation.State{conversation.Active}
				want = store.ErrIllegalState
			case 2:
				nm.ClientMsgID = taken.ClientMsgID
				want = store.ErrConflict
			}
			_, err := s.AppendMessage(ctx, nm)
			if !errors.Is(err, want) || (want == nil && err != nil) {
				t.Errorf("append #%d: error = %v, want %v", i, err, want)
				return
			}
			if err == nil {
				mu.Lock()
				stored++
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	msgs, err := s.Messages(ctx, store.MessageQuery{ConversationID: c.ID})
	if err != nil {
		t.Fatal(err)
	}
	if len(msgs) != stored+1 || stored != n/3 {
		t.Fatalf("stored %d messages (%d appends succeeded), want %d", len(msgs)-1, stored, n/3)
	}
	for i, m := range msgs {
		if m.Seq != int64(i+1) {
			t.Fatalf("message %d has seq %d: not gap-free", i, m.Seq)
		}
	}
}

// testAppendDuplicateConcurrent sends the same message from many goroutines
// at once (a client retrying over several connections): one is stored, all
// get its seq, the others as duplicates.
func testAppendDuplicateConcurrent(t *testing.T, s store.Store) {
	ctx := context.Background()
	_, _, cust := seed(t, s)
	c := create(t, s, cust.ID)
	nm := textMsg(c.ID, "once")
	const n = 20
	var wg sync.WaitGroup
	results := make(chan store.AppendResult, n)
	for range n {
		wg.Go(func() {
			res, err := s.AppendMessage(ctx, nm)
			if err != nil {
				t.Errorf("AppendMessage: %v", err)
				return
			}
			results <- res
		})
	}
	wg.Wait()
	close(results)
	fresh := 0
	for res := range results {
		if !res.Duplicate {
			fresh++
		}
		if res.Message.Seq != 2 {
			t.Errorf("seq = %d, want 2", res.Message.Seq)
		}
	}
	if fresh != 1 {
		t.Errorf("%d appends stored the message, want 1", fresh)
	}
	msgs, _ := s.Messages(ctx, store.MessageQuery{ConversationID: c.ID})
	if len(msgs) != 2 {
		t.Errorf("stored %d messages, want 2", len(msgs))
	}
}

func testAppendDuplicate(t *testing.T, s store.Store) {
	ctx := context.Background()
	_, _, cust := seed(t, s)
	c := create(t, s, cust.ID)
	nm := textMsg(c.ID, "once")
	first, err := s.AppendMessage(ctx, nm)
	if err != nil {
		t.Fatal(err)
	}
	again, err := s.AppendMessage(ctx, nm)
	if err != nil {
		t.Fatalf("AppendMessage resend: %v", err)
	}
	if !again.Duplicate || again.Message.Seq != first.Message.Seq || again.Message.CreatedAt != first.Message.CreatedAt {
		t.Errorf("resend = %+v, want duplicate of seq %d", again, first.Message.Seq)
	}
	msgs, _ := s.Messages(ctx, store.MessageQuery{ConversationID: c.ID})
	if len(msgs) != 2 {
		t.Errorf("stored %d messages after resend, want 2", len(msgs))
	}

	// The same id in another conversation is a conflict.
	other, err := s.UpsertCustomer(ctx, store.Customer{ID: uuid.NewString()})
	if err != nil {
		t.Fatal(err)
	}
	c2 := create(t, s, other.ID)
	nm.ConversationID = c2.ID
	if _, err := s.AppendMessage(ctx, nm); !errors.Is(err, store.ErrConflict) {
		t.Errorf("same client_msg_id in another conversation: error = %v, want ErrConflict", err)
	}
}

func testAppendGuards(t *testing.T, s store.Store) {
	ctx := context.Background()
	alice, _, cust := seed(t, s)
	c := create(t, s, cust.ID)
	nm := textMsg(c.ID, "hi")
	nm.States = []conversation.State{conversation.Active}
	if _, err := s.AppendMessage(ctx, nm); !errors.Is(err, store.ErrIllegalState) {
		t.Errorf("append in state bot with States=[active]: error = %v, want ErrIllegalState", err)
	}
	toQueue(t, s, c.ID, "presales")
	if _, _, err := s.ChangeState(ctx, store.StateChange{ConversationID: c.ID, Event: conversation.Accept,
		AssigneeID: ptr(alice.ID), Message: eventMsg(protocol.EventAssigned), Actor: alice.ID}); err != nil {
		t.Fatal(err)
	}
	nm = textMsg(c.ID, "from bob")
	nm.Assignee = "someone-else"
	if _, err := s.AppendMessage(ctx, nm); !errors.Is(err, store.ErrIllegalState) {
		t.Errorf("append with wrong Assignee: error = %v, want ErrIllegalState", err)
	}
	nm.Assignee = alice.ID
	nm.States = []conversation.State{conversation.Active}
	if _, err := s.AppendMessage(ctx, nm); err != nil {
		t.Errorf("append by assignee in active: %v", err)
	}
	// A retry is answered even after the state moved on.
	if _, _, err := s.ChangeState(ctx, store.StateChange{ConversationID: c.ID, Event: conversation.Resolve,
		Message: eventMsg(protocol.EventResolved), Actor: alice.ID}); err != nil {
		t.Fatal(err)
	}
	res, err := s.AppendMessage(ctx, nm)
	if err != nil || !res.Duplicate {
		t.Errorf("retry after resolve = %+v, %v, want duplicate", res, err)
	}
}

// testChangeStateThen checks that the messages following a state change are
// stored with it, numbered after its event, and not at all when it fails.
func testChangeStateThen(t *testing.T, s store.Store) {
	ctx := context.Background()
	_, _, cust := seed(t, s)
	c := create(t, s, cust.ID)
	goodbye := textMsg("", "connecting you")
	goodbye.SenderRole = protocol.RoleBot

	// A failing change stores none of its messages.
	if _, _, err := s.ChangeState(ctx, store.StateChange{ConversationID: c.ID, Event: conversation.Accept,
		Message: eventMsg(protocol.EventAssigned), Then: []store.NewMessage{goodbye}}); !errors.Is(err, store.ErrIllegalState) {
		t.Fatalf("accept in bot: error = %v, want ErrIllegalState", err)
	}
	if msgs, _ := s.Messages(ctx, store.MessageQuery{ConversationID: c.ID}); len(msgs) != 1 {
		t.Fatalf("after a failed change: %d messages, want only the opening one", len(msgs))
	}

	after, ev, err := s.ChangeState(ctx, store.StateChange{ConversationID: c.ID, Event: conversation.Handoff,
		Team: ptr("presales"), Message: eventMsg(protocol.EventHandoff), Then: []store.NewMessage{goodbye}, Actor: "bot"})
	if err != nil {
		t.Fatalf("handoff with a goodbye: %v", err)
	}
	msgs, err := s.Messages(ctx, store.MessageQuery{ConversationID: c.ID, AfterSeq: ev.Seq})
	if err != nil || len(msgs) != 1 {
		t.Fatalf("messages after the event = %+v, %v; want the goodbye", msgs, err)
	}
	if got := msgs[0]; got.Seq != ev.Seq+1 || got.Text != "connecting you" || got.ClientMsgID != goodbye.ClientMsgID {
		t.Errorf("goodbye = %+v, want seq %d", got, ev.Seq+1)
	}
	if after.LastSeq != ev.Seq+1 {
		t.Errorf("conversation last_seq = %d, want %d", after.LastSeq, ev.Seq+1)
	}
}

func testChangeState(t *testing.T, s store.Store) {
	ctx := context.Background()
	alice, _, cust := seed(t, s)
	c := create(t, s, cust.ID)

	// Illegal from bot.
	for _, ev := range []conversation.Event{conversation.Accept, conversation.Resolve, conversation.Open} {
		if _, _, err := s.ChangeState(ctx, store.StateChange{ConversationID: c.ID, Event: ev, Message: eventMsg("x")}); !errors.Is(err, store.ErrIllegalState) {
			t.Errorf("ChangeState(%s) in bot: error = %v, want ErrIllegalState", ev, err)
		}
	}
	q := toQueue(t, s, c.ID, "presales")
	if q.State != conversation.Queued || q.Team != "presales" || q.HandoffReason == "" || q.LastSeq != 2 {
		t.Errorf("after handoff = %+v", q)
	}
	a, m, err := s.ChangeState(ctx, store.StateChange{ConversationID: c.ID, Event: conversation.Accept,
		AssigneeID: ptr(alice.ID), Message: eventMsg(protocol.EventAssigned), Actor: alice.ID})
	if err != nil {
		t.Fatalf("accept: %v", err)
	}
	if a.State != conversation.Active || a.AssigneeID != alice.ID || a.AssigneeName != "Alice" || a.Team != "presales" {
		t.Errorf("after accept = %+v", a)
	}
	if m.Seq != 3 || m.Event.From != string(conversation.Queued) || m.Event.To != string(conversation.Active) {
		t.Errorf("accept event message = %+v (%+v)", m, m.Event)
	}
	r, _, err := s.ChangeState(ctx, store.StateChange{ConversationID: c.ID, Event: conversation.Resolve,
		Message: eventMsg(protocol.EventResolved), Actor: alice.ID})
	if err != nil || r.State != conversation.Resolved || r.AssigneeID != alice.ID {
		t.Errorf("resolve = %+v, %v", r, err)
	}
	// Resolved frees the customer for a new conversation.
	if _, err := s.OpenConversationOf(ctx, cust.ID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("OpenConversationOf after resolve: error = %v, want ErrNotFound", err)
	}
	create(t, s, cust.ID)
	audit, err := s.Audit(ctx, c.ID)
	if err != nil || len(audit) != 4 {
		t.Errorf("audit = %+v, %v, want open, handoff, accept, resolve", audit, err)
	}
}

func testConcurrentAccept(t *testing.T, s store.Store) {
	ctx := context.Background()
	alice, bob, cust := seed(t, s)
	c := create(t, s, cust.ID)
	toQueue(t, s, c.ID, "presales")
	var wg sync.WaitGroup
	results := make([]error, 2)
	for i, agent := range []store.Agent{alice, bob} {
		wg.Go(func() {
			_, _, results[i] = s.ChangeState(ctx, store.StateChange{ConversationID: c.ID, Event: conversation.Accept,
				AssigneeID: ptr(agent.ID), Message: eventMsg(protocol.EventAssigned), Actor: agent.ID})
		})
	}
	wg.Wait()
	wins := 0
	for _, err := range results {
		switch {
		case err == nil:
			wins++
		case !errors.Is(err, store.ErrIllegalState):
			t.Errorf("losing accept: error = %v, want ErrIllegalState", err)
		}
	}
	if wins != 1 {
		t.Fatalf("%d accepts won, want exactly 1 (%v)", wins, results)
	}
	got, _ := s.Conversation(ctx, c.ID)
	if got.LastSeq != 3 {
		t.Errorf("last_seq = %d after one accept, want 3", got.LastSeq)
	}
}

// testQueueOrder checks the queue order: VIP first, then the time each
// conversation entered the queue, whatever happened to it since.
func testQueueOrder(t *testing.T, s store.Store) {
	ctx := context.Background()
	seed(t, s)
	var convs []store.Conversation
	for i := 0; i < 3; i++ {
		cust, err := s.UpsertCustomer(ctx, store.Customer{ID: uuid.NewString()})
		if err != nil {
			t.Fatal(err)
		}
		convs = append(convs, create(t, s, cust.ID))
	}
	first, vip, last := convs[0], convs[1], convs[2]
	if first.Priority != 0 {
		t.Errorf("Priority without vip = %d, want 0", first.Priority)
	}
	// An unverified vip (passed by the page) changes nothing; a verified
	// one moves the conversation up.
	if c, err := s.MergeExt(ctx, first.ID, map[string]string{"vip": "true"}); err != nil || c.Priority != 0 {
		t.Fatalf("MergeExt(vip) = %+v, %v; want priority 0: unverified fields never set priority", c, err)
	}
	if c, err := s.SetVerified(ctx, vip.ID, map[string]string{"vip": "true", "user_id": "u-1"}); err != nil || c.Priority != 1 ||
		c.Verified["vip"] != "true" || c.Verified["user_id"] != "u-1" {
		t.Fatalf("SetVerified(vip) = %+v, %v; want priority 1 and the fields", c, err)
	}
	for _, c := range convs {
		if q := toQueue(t, s, c.ID, "presales"); q.QueuedAt == 0 {
			t.Errorf("QueuedAt of %s after handoff = 0", c.ID)
		}
		time.Sleep(2 * time.Millisecond)
	}
	// A later update of the first does not send it to the back.
	if _, err := s.AppendMessage(ctx, textMsg(first.ID, "still there?")); err != nil {
		t.Fatal(err)
	}
	q, err := s.ListConversations(ctx, store.ConversationFilter{States: []conversation.State{conversation.Queued}, QueueOrder: true})
	if got, want := fmt.Sprint(ids(q)), fmt.Sprint([]string{vip.ID, first.ID, last.ID}); err != nil || got != want {
		t.Errorf("queue = %s, %v; want %s", got, err, want)
	}
}

func testListConversations(t *testing.T, s store.Store) {
	ctx := context.Background()
	alice, _, cust := seed(t, s)
	c1 := create(t, s, cust.ID)
	toQueue(t, s, c1.ID, "presales")
	cust2, _ := s.UpsertCustomer(ctx, store.Customer{ID: uuid.NewString()})
	c2 := create(t, s, cust2.ID)
	toQueue(t, s, c2.ID, "aftersales")
	cust3, _ := s.UpsertCustomer(ctx, store.Customer{ID: uuid.NewString()})
	create(t, s, cust3.ID)

	q, err := s.ListConversations(ctx, store.ConversationFilter{States: []conversation.State{conversation.Queued}, Teams: []string{"presales"}})
	if err != nil || len(q) != 1 || q[0].ID != c1.ID {
		t.Errorf("queue of presales = %v, %v, want [%s]", ids(q), err, c1.ID)
	}
	q, _ = s.ListConversations(ctx, store.ConversationFilter{States: []conversation.State{conversation.Queued}, Teams: []string{"presales", "aftersales"}})
	if len(q) != 2 {
		t.Errorf("queue of both teams = %v, want 2", ids(q))
	}
	if _, _, err := s.ChangeState(ctx, store.StateChange{ConversationID: c1.ID, Event: conversation.Accept,
		AssigneeID: ptr(alice.ID), Message: eventMsg(protocol.EventAssigned)}); err != nil {
		t.Fatal(err)
	}
	mine, _ := s.ListConversations(ctx, store.ConversationFilter{AssigneeID: alice.ID, States: []conversation.State{conversation.Active}})
	if len(mine) != 1 || mine[0].ID != c1.ID {
		t.Errorf("mine = %v, want [%s]", ids(mine), c1.ID)
	}
	byCust, _ := s.ListConversations(ctx, store.ConversationFilter{CustomerID: cust2.ID})
	if len(byCust) != 1 || byCust[0].ID != c2.ID {
		t.Errorf("by customer = %v, want [%s]", ids(byCust), c2.ID)
	}
	all, _ := s.ListConversations(ctx, store.ConversationFilter{Limit: 2})
	if len(all) != 2 {
		t.Errorf("limit 2 = %v", ids(all))
	}
}

func ids(cs []store.Conversation) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c.ID
	}
	return out
}

func testMessages(t *testing.T, s store.Store) {
	ctx := context.Background()
	_, _, cust := seed(t, s)
	c := create(t, s, cust.ID)
	for i := range 5 {
		nm := textMsg(c.ID, fmt.Sprint(i))
		if i == 2 {
			nm.Visibility = protocol.VisibilityInternal
		}
		nm.Ext = map[string]string{"i": fmt.Sprint(i)}
		if _, err := s.AppendMessage(ctx, nm); err != nil {
			t.Fatal(err)
		}
	}
	msgs, err := s.Messages(ctx, store.MessageQuery{ConversationID: c.ID, AfterSeq: 2, Limit: 2})
	if err != nil || len(msgs) != 2 || msgs[0].Seq != 3 || msgs[1].Seq != 4 {
		t.Fatalf("Messages(after 2, limit 2) = %+v, %v", msgs, err)
	}
	if msgs[0].Ext["i"] != "1" {
		t.Errorf("ext not stored: %+v", msgs[0].Ext)
	}
	pub, _ := s.Messages(ctx, store.MessageQuery{ConversationID: c.ID, PublicOnly: true})
	if len(pub) != 5 {
		t.Errorf("public messages = %d, want 5 (one of 6 is internal)", len(pub))
	}
	first, _ := s.Messages(ctx, store.MessageQuery{ConversationID: c.ID, Limit: 1})
	if len(first) != 1 || first[0].Event == nil || first[0].Event.Type != protocol.EventOpened {
		t.Errorf("first message = %+v, want the opened event", first)
	}
	// Scrollback: the newest of the range before BeforeSeq, in seq order.
	seqsOf := func(ms []store.Message) []int64 {
		out := []int64{}
		for _, m := range ms {
			out = append(out, m.Seq)
		}
		return out
	}
	scrollback := []struct {
		q    store.MessageQuery
		want []int64
	}{
		{store.MessageQuery{BeforeSeq: 6, Limit: 2}, []int64{4, 5}},
		{store.MessageQuery{BeforeSeq: 4, Limit: 10}, []int64{1, 2, 3}},
		{store.MessageQuery{AfterSeq: 1, BeforeSeq: 5, Limit: 10}, []int64{2, 3, 4}},
		{store.MessageQuery{AfterSeq: 1, BeforeSeq: 6, Limit: 2}, []int64{4, 5}},
		{store.MessageQuery{BeforeSeq: 6, Limit: 2, PublicOnly: true}, []int64{3, 5}},
		{store.MessageQuery{BeforeSeq: 1}, []int64{}},
	}
	for _, tt := range scrollback {
		tt.q.ConversationID = c.ID
		got, err := s.Messages(ctx, tt.q)
		if err != nil || !slices.Equal(seqsOf(got), tt.want) {
			t.Errorf("Messages(%+v) = %v, %v, want %v", tt.q, seqsOf(got), err, tt.want)
		}
	}
	none, err := s.Messages(ctx, store.MessageQuery{ConversationID: "nope"})
	if err != nil || len(none) != 0 {
		t.Errorf("Messages(unknown) = %v, %v, want empty", none, err)
	}
}

func testMergeExt(t *testing.T, s store.Store) {
	ctx := context.Background()
	_, _, cust := seed(t, s)
	c := create(t, s, cust.ID)
	got, err := s.MergeExt(ctx, c.ID, map[string]string{"order_no": "B2", "source": "/cart"})
	if err != nil || got.Ext["order_no"] != "B2" || got.Ext["source"] != "/cart" {
		t.Errorf("MergeExt = %+v, %v", got.Ext, err)
	}
	if err := s.SetLastTeam(ctx, c.ID, "aftersales"); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.Conversation(ctx, c.ID); got.LastTeam != "aftersales" {
		t.Errorf("LastTeam = %q", got.LastTeam)
	}
}

func testNotFound(t *testing.T, s store.Store) {
	ctx := context.Background()
	checks := []struct {
		name string
		err  error
	}{
		{"Agent", func() error { _, err := s.Agent(ctx, "nope"); return err }()},
		{"AgentByUsername", func() error { _, err := s.AgentByUsername(ctx, "nope"); return err }()},
		{"Customer", func() error { _, err := s.Customer(ctx, "nope"); return err }()},
		{"Conversation", func() error { _, err := s.Conversation(ctx, "nope"); return err }()},
		{"OpenConversationOf", func() error { _, err := s.OpenConversationOf(ctx, "nope"); return err }()},
		{"MergeExt", func() error { _, err := s.MergeExt(ctx, "nope", map[string]string{"a": "b"}); return err }()},
		{"SetLastTeam", s.SetLastTeam(ctx, "nope", "x")},
		{"ChangeState", func() error {
			_, _, err := s.ChangeState(ctx, store.StateChange{ConversationID: "nope", Event: conversation.Handoff, Message: eventMsg("x")})
			return err
		}()},
		{"AppendMessage", func() error { _, err := s.AppendMessage(ctx, textMsg("nope", "x")); return err }()},
		{"CreateConversation unknown customer", func() error {
			_, _, err := s.CreateConversation(ctx, store.NewConversation{CustomerID: "nope", Channel: "web", Opened: openedMsg()})
			return err
		}()},
	}
	for _, c := range checks {
		if !errors.Is(c.err, store.ErrNotFound) {
			t.Errorf("%s: error = %v, want ErrNotFound", c.name, c.err)
		}
	}
}

func testMarkRead(t *testing.T, s store.Store) {
	ctx := context.Background()
	alice, _, cust := seed(t, s)
	c := toQueue(t, s, create(t, s, cust.ID).ID, "presales")
	c, _, err := s.ChangeState(ctx, store.StateChange{ConversationID: c.ID, Event: conversation.Accept,
		AssigneeID: ptr(alice.ID), Message: eventMsg(protocol.EventAssigned)})
	if err != nil {
		t.Fatal(err)
	}
	for range 3 {
		if _, err := s.AppendMessage(ctx, textMsg(c.ID, "x")); err != nil {
			t.Fatal(err)
		}
	}
	last := c.LastSeq + 3
	steps := []struct {
		reader    string
		seq       int64
		want      int64
		wantMoved bool
	}{
		{cust.ID, 2, 2, true},
		{cust.ID, 2, 2, false},
		{cust.ID, 1, 2, false}, // never back
		{cust.ID, last + 10, last, true},
		{alice.ID, 3, 3, true},
		{alice.ID, 0, 3, false},
	}
	for _, st := range steps {
		got, moved, err := s.MarkRead(ctx, store.ReadMark{ConversationID: c.ID, ReaderID: st.reader, ReaderRole: "x", Seq: st.seq})
		if err != nil || got != st.want || moved != st.wantMoved {
			t.Errorf("MarkRead(%s, %d) = %d, %v, %v, want %d, %v", st.reader, st.seq, got, moved, err, st.want, st.wantMoved)
		}
	}
	got, err := s.Conversation(ctx, c.ID)
	if err != nil || got.CustomerReadSeq != last || got.AgentReadSeq != 3 {
		t.Errorf("conversation read cursors = customer %d agent %d (%v), want %d and 3", got.CustomerReadSeq, got.AgentReadSeq, err, last)
	}
	if _, _, err := s.MarkRead(ctx, store.ReadMark{ConversationID: "nope", ReaderID: cust.ID, Seq: 1}); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("MarkRead(unknown) error = %v, want ErrNotFound", err)
	}
}

// accept moves a fresh conversation to active with alice, arming the timers
// given.
func accept(t *testing.T, s store.Store, id, agentID string, arm ...store.Timer) store.Conversation {
	t.Helper()
	toQueue(t, s, id, "presales")
	c, _, err := s.ChangeState(context.Background(), store.StateChange{ConversationID: id, Event: conversation.Accept,
		AssigneeID: ptr(agentID), Message: eventMsg(protocol.EventAssigned), Actor: agentID, Arm: arm})
	if err != nil {
		t.Fatalf("accept: %v", err)
	}
	return c
}

func timers(t *testing.T, s store.Store, id string) []store.Timer {
	t.Helper()
	ts, err := s.Timers(context.Background(), id)
	if err != nil {
		t.Fatalf("Timers: %v", err)
	}
	return ts
}

func testTimersArmWithState(t *testing.T, s store.Store) {
	ctx := context.Background()
	alice, _, cust := seed(t, s)
	c := create(t, s, cust.ID)
	accept(t, s, c.ID, alice.ID, store.Timer{Kind: conversation.IdleTimeout, DueAt: 1000})
	ts := timers(t, s, c.ID)
	if len(ts) != 1 || ts[0].Kind != conversation.IdleTimeout || ts[0].DueAt != 1000 || ts[0].ConversationID != c.ID || ts[0].Version == 0 {
		t.Fatalf("timers after accept = %+v, want one idle_timeout due at 1000", ts)
	}
	due, err := s.DueTimers(ctx, 999, 0)
	if err != nil || len(due) != 0 {
		t.Errorf("DueTimers(999) = %+v, %v, want none", due, err)
	}
	due, err = s.DueTimers(ctx, 1000, 0)
	if err != nil || len(due) != 1 || due[0] != ts[0] {
		t.Errorf("DueTimers(1000) = %+v, %v, want %+v", due, err, ts)
	}

	// A refused change arms nothing and keeps the armed timer.
	if _, _, err := s.ChangeState(ctx, store.StateChange{ConversationID: c.ID, Event: conversation.Close,
		Message: eventMsg("closed"), Arm: []store.Timer{{Kind: conversation.AutoResolve, DueAt: 5}}}); !errors.Is(err, store.ErrIllegalState) {
		t.Fatalf("close while active: error = %v, want ErrIllegalState", err)
	}
	if got := timers(t, s, c.ID); len(got) != 1 || got[0] != ts[0] {
		t.Errorf("timers after a refused change = %+v, want %+v", got, ts)
	}

	// A change replaces the timers of the old state with those it arms.
	if _, _, err := s.ChangeState(ctx, store.StateChange{ConversationID: c.ID, Event: conversation.IdleTimeout, IfTimer: &ts[0],
		Message: eventMsg("waiting"), Arm: []store.Timer{{Kind: conversation.AutoResolve, DueAt: 2000}}}); err != nil {
		t.Fatalf("idle_timeout: %v", err)
	}
	got := timers(t, s, c.ID)
	if len(got) != 1 || got[0].Kind != conversation.AutoResolve || got[0].DueAt != 2000 {
		t.Errorf("timers after idle_timeout = %+v, want one auto_resolve due at 2000", got)
	}
	// And one that arms nothing disarms everything.
	if _, _, err := s.ChangeState(ctx, store.StateChange{ConversationID: c.ID, Event: conversation.Resolve, Message: eventMsg(protocol.EventResolved)}); err != nil {
		t.Fatalf("resolve: %v", err)
	}
	if got := timers(t, s, c.ID); len(got) != 0 {
		t.Errorf("timers after resolve = %+v, want none", got)
	}
}

func testTimersStale(t *testing.T, s store.Store) {
	ctx := context.Background()
	alice, _, cust := seed(t, s)
	c := create(t, s, cust.ID)
	accept(t, s, c.ID, alice.ID, store.Timer{Kind: conversation.IdleTimeout, DueAt: 1000})
	stale := timers(t, s, c.ID)[0]
	// The timer is re-armed by a later change (a transfer and a new accept):
	// same kind, new version.
	if _, _, err := s.ChangeState(ctx, store.StateChange{ConversationID: c.ID, Event: conversation.TransferTeam, Team: ptr("aftersales"),
		Message: eventMsg("transferred")}); err != nil {
		t.Fatalf("transfer: %v", err)
	}
	if _, _, err := s.ChangeState(ctx, store.StateChange{ConversationID: c.ID, Event: conversation.Accept, AssigneeID: ptr(alice.ID),
		Message: eventMsg(protocol.EventAssigned), Arm: []store.Timer{{Kind: conversation.IdleTimeout, DueAt: 1000}}}); err != nil {
		t.Fatalf("accept again: %v", err)
	}
	fresh := timers(t, s, c.ID)[0]
	if fresh.Version == stale.Version {
		t.Fatalf("re-armed timer kept version %d", stale.Version)
	}
	before, _ := s.Conversation(ctx, c.ID)
	if _, _, err := s.ChangeState(ctx, store.StateChange{ConversationID: c.ID, Event: conversation.IdleTimeout, IfTimer: &stale,
		Message: eventMsg("waiting")}); !errors.Is(err, store.ErrIllegalState) {
		t.Fatalf("stale timer fired: error = %v, want ErrIllegalState", err)
	}
	after, _ := s.Conversation(ctx, c.ID)
	if after.State != conversation.Active || after.LastSeq != before.LastSeq {
		t.Errorf("stale timer changed the conversation: %+v", after)
	}
	if _, _, err := s.ChangeState(ctx, store.StateChange{ConversationID: c.ID, Event: conversation.IdleTimeout, IfTimer: &fresh,
		Message: eventMsg("waiting")}); err != nil {
		t.Errorf("current timer fired: %v", err)
	}
}

func testTimersPostpone(t *testing.T, s store.Store) {
	ctx := context.Background()
	alice, _, cust := seed(t, s)
	c := create(t, s, cust.ID)

	// Without an armed timer of the kind, postponing arms nothing.
	m := textMsg(c.ID, "hello")
	m.Postpone = &store.Timer{Kind: conversation.IdleTimeout, DueAt: 3000}
	if _, err := s.AppendMessage(ctx, m); err != nil {
		t.Fatalf("append in bot: %v", err)
	}
	if got := timers(t, s, c.ID); len(got) != 0 {
		t.Fatalf("timers after postponing none = %+v, want none", got)
	}

	accept(t, s, c.ID, alice.ID, store.Timer{Kind: conversation.IdleTimeout, DueAt: 1000})
	old := timers(t, s, c.ID)[0]
	m = textMsg(c.ID, "still there")
	m.Postpone = &store.Timer{Kind: conversation.IdleTimeout, DueAt: 5000}
	if _, err := s.AppendMessage(ctx, m); err != nil {
		t.Fatalf("append in active: %v", err)
	}
	got := timers(t, s, c.ID)
	if len(got) != 1 || got[0].DueAt != 5000 || got[0].Version == old.Version {
		t.Fatalf("timers after postpone = %+v, want idle_timeout due at 5000 with a new version", got)
	}
	// A duplicate postpones nothing.
	m.Postpone = &store.Timer{Kind: conversation.IdleTimeout, DueAt: 9000}
	if res, err := s.AppendMessage(ctx, m); err != nil || !res.Duplicate {
		t.Fatalf("resend = %+v, %v, want a duplicate", res, err)
	}
	if again := timers(t, s, c.ID); len(again) != 1 || again[0] != got[0] {
		t.Errorf("timers after a duplicate = %+v, want %+v", again, got)
	}
	// The old version can no longer fire.
	if _, _, err := s.ChangeState(ctx, store.StateChange{ConversationID: c.ID, Event: conversation.IdleTimeout, IfTimer: &old,
		Message: eventMsg("waiting")}); !errors.Is(err, store.ErrIllegalState) {
		t.Errorf("postponed timer fired at its old version: error = %v, want ErrIllegalState", err)
	}

	// Within the slack (due at 5000, postponed to 4900 with 200 to
	// spare) the timer stays as it is, version and all.
	m = textMsg(c.ID, "within the slack")
	m.Postpone = &store.Timer{Kind: conversation.IdleTimeout, DueAt: 4900, Slack: 200}
	if _, err := s.AppendMessage(ctx, m); err != nil {
		t.Fatalf("append: %v", err)
	}
	if again := timers(t, s, c.ID); len(again) != 1 || again[0] != got[0] {
		t.Errorf("timers after a postponement within the slack = %+v, want %+v", again, got)
	}
	// Past it, the timer moves to the end of the slack.
	for _, step := range []struct{ due, slack, want int64 }{
		{6000, 200, 6200}, // later
		{2000, 300, 2300}, // earlier: a shorter wait configured meanwhile
		{2100, 300, 2300}, // within again: stays
	} {
		before := timers(t, s, c.ID)[0]
		m = textMsg(c.ID, fmt.Sprintf("postpone to %d", step.due))
		m.Postpone = &store.Timer{Kind: conversation.IdleTimeout, DueAt: step.due, Slack: step.slack}
		if _, err := s.AppendMessage(ctx, m); err != nil {
			t.Fatalf("append: %v", err)
		}
		after := timers(t, s, c.ID)
		moved := step.want != before.DueAt
		if len(after) != 1 || after[0].DueAt != step.want || (after[0].Version != before.Version) != moved {
			t.Errorf("postponed to %d with slack %d: timers = %+v (before %+v), want due at %d, a new version %v",
				step.due, step.slack, after, before, step.want, moved)
		}
	}
	// The runner finds it due at its end of the slack, not before.
	if due, err := s.DueTimers(ctx, 2299, 10); err != nil || len(due) != 0 {
		t.Errorf("due timers at 2299 = %+v, %v, want none", due, err)
	}
	if due, err := s.DueTimers(ctx, 2300, 10); err != nil || len(due) != 1 || due[0].DueAt != 2300 {
		t.Errorf("due timers at 2300 = %+v, %v, want the idle timer", due, err)
	}
}

func testReopen(t *testing.T, s store.Store) {
	ctx := context.Background()
	alice, _, cust := seed(t, s)
	c := create(t, s, cust.ID)
	accept(t, s, c.ID, alice.ID)
	if _, _, err := s.ChangeState(ctx, store.StateChange{ConversationID: c.ID, Event: conversation.Resolve,
		Message: eventMsg(protocol.EventResolved), Arm: []store.Timer{{Kind: conversation.Close, DueAt: 1000}}}); err != nil {
		t.Fatalf("resolve: %v", err)
	}
	r, _, err := s.ChangeState(ctx, store.StateChange{ConversationID: c.ID, Event: conversation.Reopen, AssigneeID: ptr(""),
		Message: eventMsg("reopened")})
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	if r.State != conversation.Queued || r.Team != "presales" || r.AssigneeID != "" {
		t.Errorf("after reopen = %+v, want queued for presales with no assignee", r)
	}
	if got := timers(t, s, c.ID); len(got) != 0 {
		t.Errorf("timers after reopen = %+v, want the close timer gone", got)
	}
	if open, err := s.OpenConversationOf(ctx, cust.ID); err != nil || open.ID != c.ID {
		t.Errorf("OpenConversationOf after reopen = %+v, %v, want %s", open, err, c.ID)
	}

	// A customer with a newer open conversation cannot reopen the old one:
	// they have one open conversation at most.
	if _, _, err := s.ChangeState(ctx, store.StateChange{ConversationID: c.ID, Event: conversation.Accept, AssigneeID: ptr(alice.ID),
		Message: eventMsg(protocol.EventAssigned)}); err != nil {
		t.Fatalf("accept after reopen: %v", err)
	}
	if _, _, err := s.ChangeState(ctx, store.StateChange{ConversationID: c.ID, Event: conversation.Resolve,
		Message: eventMsg(protocol.EventResolved)}); err != nil {
		t.Fatalf("resolve again: %v", err)
	}
	create(t, s, cust.ID)
	if _, _, err := s.ChangeState(ctx, store.StateChange{ConversationID: c.ID, Event: conversation.ReopenBot,
		Message: eventMsg("reopened")}); !errors.Is(err, store.ErrConflict) {
		t.Errorf("reopen beside a newer open conversation: error = %v, want ErrConflict", err)
	}
}

// testAppendWithChange stores a message and the state change it causes in
// one transaction, and only in a state that takes the change.
func testAppendWithChange(t *testing.T, s store.Store) {
	ctx := context.Background()
	alice, _, cust := seed(t, s)
	c := create(t, s, cust.ID)
	var made atomic.Int32
	change := func() store.ChangeOn {
		return resumeOn(store.StateChange{Message: eventMsg("resumed"), Actor: cust.ID,
			Arm: []store.Timer{{Kind: conversation.IdleTimeout, DueAt: 7000}}}, &made)
	}

	// In bot the change does not apply; the message is stored all the same,
	// and the change is not even made.
	m := textMsg(c.ID, "hi")
	m.Change = change()
	res, err := s.AppendMessage(ctx, m)
	if err != nil || res.Changed != nil || res.Conversation.State != conversation.Bot {
		t.Fatalf("append in bot = %+v, %v, want stored with no change", res, err)
	}
	if n := made.Load(); n != 0 {
		t.Errorf("the change was made %d times for a state it does not apply in", n)
	}

	accept(t, s, c.ID, alice.ID)
	if _, _, err := s.ChangeState(ctx, store.StateChange{ConversationID: c.ID, Event: conversation.IdleTimeout,
		Message: eventMsg("waiting"), Arm: []store.Timer{{Kind: conversation.AutoResolve, DueAt: 5000}}}); err != nil {
		t.Fatalf("idle_timeout: %v", err)
	}
	m = textMsg(c.ID, "back")
	m.Change = change()
	res, err = s.AppendMessage(ctx, m)
	if err != nil {
		t.Fatalf("append in waiting_customer: %v", err)
	}
	if res.Changed == nil || res.Changed.Seq != res.Message.Seq+1 || res.Changed.Event.From != string(conversation.WaitingCustomer) ||
		res.Changed.Event.To != string(conversation.Active) {
		t.Fatalf("change with the message = %+v", res.Changed)
	}
	if res.Conversation.State != conversation.Active || res.Conversation.LastSeq != res.Changed.Seq {
		t.Errorf("conversation after = %+v, want active at seq %d", res.Conversation, res.Changed.Seq)
	}
	got := timers(t, s, c.ID)
	if len(got) != 1 || got[0].Kind != conversation.IdleTimeout || got[0].DueAt != 7000 {
		t.Errorf("timers = %+v, want the auto_resolve timer replaced by idle_timeout", got)
	}
	audit, _ := s.Audit(ctx, c.ID)
	if n := len(audit); n == 0 || audit[n-1].Action != string(conversation.CustomerReply) {
		t.Errorf("audit = %+v, want customer_reply last", audit)
	}
	if n := made.Load(); n != 1 {
		t.Errorf("the change was made %d times, want once", n)
	}
	// A duplicate changes nothing.
	m.Change = change()
	if again, err := s.AppendMessage(ctx, m); err != nil || !again.Duplicate || again.Changed != nil {
		t.Errorf("resend = %+v, %v, want a duplicate with no change", again, err)
	}
}

// resumeOn is the customer's reply resuming a waiting conversation with sc
// (its event and conversation are the store's to fill), counting in made,
// if given, how often the store makes it.
func resumeOn(sc store.StateChange, made *atomic.Int32) store.ChangeOn {
	return store.ChangeOn{Event: conversation.CustomerReply, Make: func(store.NewMessage) store.StateChange {
		if made != nil {
			made.Add(1)
		}
		return sc
	}}
}

// testVerified checks verified fields: a customer's are replaced only when
// given, a conversation created with them is prioritized by them alone, and
// SetVerified replaces them (dropping vip drops the priority).
func testVerified(t *testing.T, s store.Store) {
	ctx := context.Background()
	seed(t, s)
	id := "usr-" + uuid.NewString()
	cust, err := s.UpsertCustomer(ctx, store.Customer{ID: id, Name: "张伟", Verified: map[string]string{"user_id": "u-9", "vip": "true"}})
	if err != nil || cust.Verified["user_id"] != "u-9" || cust.Verified["vip"] != "true" {
		t.Fatalf("UpsertCustomer(verified) = %+v, %v", cust, err)
	}
	// A later upsert without Verified keeps them; with them replaces them.
	if cust, err = s.UpsertCustomer(ctx, store.Customer{ID: id}); err != nil || cust.Verified["vip"] != "true" || cust.Name != "张伟" {
		t.Fatalf("UpsertCustomer(nil verified) = %+v, %v; want the fields kept", cust, err)
	}
	if cust, err = s.UpsertCustomer(ctx, store.Customer{ID: id, Verified: map[string]string{"user_id": "u-9"}}); err != nil ||
		cust.Verified["vip"] != "" || cust.Verified["user_id"] != "u-9" {
		t.Fatalf("UpsertCustomer(new verified) = %+v, %v; want them replaced", cust, err)
	}
	if got, err := s.Customer(ctx, id); err != nil || len(got.Verified) != 1 {
		t.Fatalf("Customer = %+v, %v", got, err)
	}
	c, _, err := s.CreateConversation(ctx, store.NewConversation{CustomerID: id, Channel: "web",
		Ext: map[string]string{"vip": "false", "page": "/cart"}, Verified: map[string]string{"user_id": "u-9", "vip": "true"},
		Opened: openedMsg(), Actor: id})
	if err != nil {
		t.Fatal(err)
	}
	if c.Priority != 1 || c.Verified["vip"] != "true" || c.Ext["vip"] != "false" || c.Ext["page"] != "/cart" {
		t.Errorf("created = priority %d, verified %v, ext %v; want both kept apart and priority from verified", c.Priority, c.Verified, c.Ext)
	}
	c, err = s.SetVerified(ctx, c.ID, map[string]string{"user_id": "u-9"})
	if err != nil || c.Priority != 0 || c.Verified["vip"] != "" || c.Ext["vip"] != "false" {
		t.Errorf("SetVerified without vip = %+v, %v; want priority 0, ext untouched", c, err)
	}
	if got, _ := s.Conversation(ctx, c.ID); got.Verified["user_id"] != "u-9" || got.Priority != 0 {
		t.Errorf("reloaded = %+v", got)
	}
	if _, err := s.SetVerified(ctx, "nope", nil); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("SetVerified(unknown) = %v, want ErrNotFound", err)
	}
}
