package server

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"

	"switchboard/backend/conversation"
	"switchboard/backend/store"
	"switchboard/protocol"
)

// testClock is a clock the test moves forward, so timers fire when the test
// says and not when a wall clock happens to get there.
type testClock struct{ skew atomic.Int64 }

func (c *testClock) now() time.Time          { return time.Now().Add(time.Duration(c.skew.Load())) }
func (c *testClock) advance(d time.Duration) { c.skew.Add(int64(d)) }

// timerEnv is a server whose timers are a minute each, on a clock the test
// moves, polled often.
func timerEnv(t *testing.T, clock *testClock, dataDir string) *env {
	t.Helper()
	if dataDir == "" {
		dataDir = t.TempDir()
	}
	return startEnv(t, Config{DataDir: dataDir, Demo: true, Bot: fakeBot, Now: clock.now,
		IdleTimeout: time.Minute, WaitingTimeout: time.Minute, CloseAfter: time.Minute, TimerPoll: 5 * time.Millisecond})
}

// activeConv walks a customer to an active conversation with alice.
func activeConv(e *env) (cust, alice *client, conv protocol.Conversation) {
	e.t.Helper()
	cust, conv = e.queued("customer", "human please")
	alice, _ = e.agent("alice")
	alice.decode(alice.request(protocol.TypeAccept, ref(conv.ID)), protocol.TypeConversation, &conv)
	if conv.State != protocol.StateActive {
		e.t.Fatalf("accept = %+v", conv)
	}
	return cust, alice, conv
}

func timerKinds(t *testing.T, st store.Store, id string) []conversation.Event {
	t.Helper()
	ts, err := st.Timers(context.Background(), id)
	if err != nil {
		t.Fatalf("Timers: %v", err)
	}
	var kinds []conversation.Event
	for _, tm := range ts {
		kinds = append(kinds, tm.Kind)
	}
	return kinds
}

func wantTimers(t *testing.T, st store.Store, id string, want ...conversation.Event) {
	t.Helper()
	got := timerKinds(t, st, id)
	if len(got) != len(want) {
		t.Fatalf("timers = %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("timers = %v, want %v", got, want)
		}
	}
}

func stateIs(s string) func(protocol.Conversation) bool {
	return func(c protocol.Conversation) bool { return c.State == s }
}

func eventIs(typ string) func(protocol.Message) bool {
	return func(m protocol.Message) bool {
		return m.Kind == protocol.KindEvent && m.Event != nil && m.Event.Type == typ
	}
}

// TestTimersIdleToClosed follows an active conversation whose customer
// goes quiet: waiting_customer, resolved, then closed, each by a timer,
// each with an event both sides see and an audit entry.
func TestTimersIdleToClosed(t *testing.T) {
	clock := &testClock{}
	e := timerEnv(t, clock, "")
	ctx := context.Background()
	cust, alice, conv := activeConv(e)
	wantTimers(t, e.srv.store, conv.ID, conversation.IdleTimeout)

	clock.advance(2 * time.Minute)
	cust.waitConversation("waiting", stateIs(protocol.StateWaitingCustomer))
	alice.waitConversation("waiting", stateIs(protocol.StateWaitingCustomer))
	waiting := cust.waitMessage("waiting event", eventIs(protocol.EventWaiting))
	if waiting.Event.From != protocol.StateActive || waiting.Event.To != protocol.StateWaitingCustomer || waiting.Sender.Role != protocol.RoleSystem {
		t.Fatalf("waiting event = %+v (%+v)", waiting, waiting.Event)
	}
	wantTimers(t, e.srv.store, conv.ID, conversation.AutoResolve)

	clock.advance(2 * time.Minute)
	cust.waitConversation("auto-resolved", stateIs(protocol.StateResolved))
	resolved := alice.waitMessage("resolved event", eventIs(protocol.EventResolved))
	if resolved.Event.Reason != protocol.ReasonNoReply || resolved.Seq != waiting.Seq+1 {
		t.Fatalf("auto-resolve event = %+v (%+v), want reason %q at seq %d", resolved, resolved.Event, protocol.ReasonNoReply, waiting.Seq+1)
	}
	wantTimers(t, e.srv.store, conv.ID, conversation.Close)

	clock.advance(2 * time.Minute)
	cust.waitConversation("closed", stateIs(protocol.StateClosed))
	cust.waitMessage("closed event", eventIs(protocol.EventClosed))
	wantTimers(t, e.srv.store, conv.ID)

	audit, err := e.srv.store.Audit(ctx, conv.ID)
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, a := range audit {
		if a.Action != "offer" { // the router may or may not have offered it before the accept
			actions = append(actions, a.Action)
		}
	}
	want := []string{"open", "handoff", "accept", "idle_timeout", "auto_resolve", "close"}
	if len(actions) != len(want) {
		t.Fatalf("audit = %v, want %v", actions, want)
	}
	for i := range want {
		if actions[i] != want[i] {
			t.Fatalf("audit = %v, want %v", actions, want)
		}
	}

	// Closed is final: writing to it fails, open starts a new conversation.
	cust.wantError(cust.request(protocol.TypeSend, protocol.SendData{ConversationID: conv.ID, ClientMsgID: uuid.NewString(), Text: "hello?"}),
		protocol.ErrIllegalState.Code)
	if next := cust.open(nil); next.ID == conv.ID || next.State != protocol.StateBot {
		t.Fatalf("open after close = %+v, want a new conversation", next)
	}
}

// TestTimersCustomerMessages checks that every customer message while active
// starts the idle wait again, and that one while waiting makes the
// conversation active again with the auto-resolve timer gone.
func TestTimersCustomerMessages(t *testing.T) {
	clock := &testClock{}
	e := timerEnv(t, clock, "")
	ctx := context.Background()
	cust, alice, conv := activeConv(e)

	before, _ := e.srv.store.Timers(ctx, conv.ID)
	clock.advance(30 * time.Second)
	cust.sendText(conv.ID, "one more thing")
	after, _ := e.srv.store.Timers(ctx, conv.ID)
	if len(before) != 1 || len(after) != 1 || after[0].DueAt <= before[0].DueAt || after[0].Version == before[0].Version {
		t.Fatalf("idle timer before %+v and after a customer message %+v, want it later under a new version", before, after)
	}
	// An agent message does not postpone it.
	alice.request(protocol.TypeSend, protocol.SendData{ConversationID: conv.ID, ClientMsgID: uuid.NewString(), Text: "sure"})
	if again, _ := e.srv.store.Timers(ctx, conv.ID); len(again) != 1 || again[0] != after[0] {
		t.Fatalf("idle timer after an agent message = %+v, want %+v", again, after)
	}

	clock.advance(2 * time.Minute)
	cust.waitConversation("waiting", stateIs(protocol.StateWaitingCustomer))
	wantTimers(t, e.srv.store, conv.ID, conversation.AutoResolve)

	ack := cust.sendText(conv.ID, "sorry, I'm back")
	cust.waitConversation("active again", stateIs(protocol.StateActive))
	resumed := alice.waitMessage("resumed event", eventIs(protocol.EventResumed))
	if resumed.Seq != ack.Seq+1 || resumed.Event.From != protocol.StateWaitingCustomer || resumed.Event.To != protocol.StateActive {
		t.Fatalf("resumed event = %+v (%+v), want seq %d waiting_customer → active", resumed, resumed.Event, ack.Seq+1)
	}
	wantTimers(t, e.srv.store, conv.ID, conversation.IdleTimeout)
}

// TestTimersSurviveRestart arms a timer, stops the server, and starts a new
// one on the same data directory after the timer fell due.
func TestTimersSurviveRestart(t *testing.T) {
	clock := &testClock{}
	dir := t.TempDir()
	e := timerEnv(t, clock, dir)
	_, _, conv := activeConv(e)
	wantTimers(t, e.srv.store, conv.ID, conversation.IdleTimeout)
	e.stop()

	clock.advance(2 * time.Minute)
	e2 := timerEnv(t, clock, dir)
	deadline := time.Now().Add(5 * time.Second)
	for {
		c, err := e2.srv.store.Conversation(context.Background(), conv.ID)
		if err != nil {
			t.Fatal(err)
		}
		if c.State == conversation.WaitingCustomer {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("after restart the conversation stayed %s, want waiting_customer", c.State)
		}
		time.Sleep(5 * time.Millisecond)
	}
	wantTimers(t, e2.srv.store, conv.ID, conversation.AutoResolve)
}

// TestReopen writes to a resolved conversation: it goes back to its team's
// queue (an agent had it), and the message lands after the reopened event.
func TestReopen(t *testing.T) {
	clock := &testClock{}
	e := timerEnv(t, clock, "")
	cust, alice, conv := activeConv(e)
	last := cust.sendText(conv.ID, "thanks")
	alice.decode(alice.request(protocol.TypeResolve, ref(conv.ID)), protocol.TypeConversation, &conv)
	wantTimers(t, e.srv.store, conv.ID, conversation.Close)
	carol, _ := e.agent("carol") // presales too

	// A resend of a message stored before the resolve is answered, not a
	// reason to reopen.
	if dup := cust.sendWithID(conv.ID, last.ClientMsgID, "thanks"); !dup.Duplicate {
		t.Fatalf("resend = %+v, want a duplicate", dup)
	}
	if c, _ := e.srv.store.Conversation(context.Background(), conv.ID); c.State != conversation.Resolved {
		t.Fatalf("after a resend the conversation is %s, want resolved", c.State)
	}

	ack := cust.sendText(conv.ID, "one more question")
	reopened := cust.waitConversation("reopened", stateIs(protocol.StateQueued))
	if reopened.Team != "presales" || reopened.AssigneeID != "" {
		t.Fatalf("reopened = %+v, want queued for presales with no assignee", reopened)
	}
	ev := carol.waitMessage("reopened event", eventIs(protocol.EventReopened))
	if ev.Seq != ack.Seq-1 || ev.Event.From != protocol.StateResolved || ev.Event.To != protocol.StateQueued {
		t.Fatalf("reopened event = %+v (%+v), want seq %d resolved → queued", ev, ev.Event, ack.Seq-1)
	}
	wantTimers(t, e.srv.store, conv.ID)
	carol.decode(carol.request(protocol.TypeAccept, ref(conv.ID)), protocol.TypeConversation, &conv)
	if conv.State != protocol.StateActive {
		t.Fatalf("accept after reopen = %+v", conv)
	}
	wantTimers(t, e.srv.store, conv.ID, conversation.IdleTimeout)
}
