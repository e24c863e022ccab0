package server

import (
	"context"
	"errors"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/gorilla/websocket"

	"switchboard/backend/store"
	"switchboard/protocol"
)

// TestFlow walks the first-cut conversation over real sockets: the customer
// asks the bot, asks for a person, an agent accepts and replies, the customer
// answers, the agent resolves.
func TestFlow(t *testing.T) {
	e := newEnv(t, nil)
	ctx := context.Background()

	cust, _ := e.customer("customer")
	bob, welcome := e.agent("bob") // aftersales
	alice, _ := e.agent("alice")   // presales only
	carol, _ := e.agent("carol")   // both teams
	if len(welcome.Conversations) != 0 || welcome.User.Role != protocol.RoleAgent || welcome.HeartbeatMS <= 0 {
		t.Fatalf("bob's welcome = %+v", welcome)
	}

	// Open with business fields: a conversation in state bot, seq 1 the opened event.
	conv := cust.open(map[string]string{"source": "https://shop.example/orders", "order_no": "SO-1001"})
	if conv.State != protocol.StateBot || conv.Ext["order_no"] != "SO-1001" || conv.LastSeq != 1 || conv.Epoch != 1 {
		t.Fatalf("open = %+v", conv)
	}
	cust.waitMessage("opened", func(m protocol.Message) bool {
		return m.Seq == 1 && m.Kind == protocol.KindEvent && m.Event.Type == protocol.EventOpened
	})
	// Opening again returns the same conversation.
	if again := cust.open(nil); again.ID != conv.ID {
		t.Fatalf("second open = %s, want %s", again.ID, conv.ID)
	}

	// A knowledge base question: ack, own message pushed, bot answers.
	ack := cust.sendText(conv.ID, "How long does shipping take?")
	if ack.Seq != 2 || ack.Duplicate || ack.Epoch != 1 {
		t.Fatalf("ack = %+v", ack)
	}
	cust.waitMessage("own text", func(m protocol.Message) bool { return m.Seq == 2 && m.Sender.Role == protocol.RoleCustomer })
	answer := cust.waitMessage("bot answer", func(m protocol.Message) bool { return m.Sender.Role == protocol.RoleBot })
	if answer.Seq != 3 || answer.Text != "We ship within 24 hours." || answer.Sender.Name != botNameEN || answer.Ext["kb_entry"] != "shipping" {
		t.Fatalf("bot answer = %+v", answer)
	}

	// Asking for a person hands over to the team of the last answer.
	cust.sendText(conv.ID, "转人工")
	queued := cust.waitConversation("queued", func(c protocol.Conversation) bool { return c.State == protocol.StateQueued })
	if queued.Team != "aftersales" || queued.HandoffReason != reasonAsked {
		t.Fatalf("queued = %+v", queued)
	}
	ev := cust.waitMessage("handoff event", func(m protocol.Message) bool { return m.Kind == protocol.KindEvent })
	if ev.Event.Type != protocol.EventHandoff || ev.Event.From != protocol.StateBot || ev.Event.To != protocol.StateQueued {
		t.Fatalf("handoff event = %+v", ev.Event)
	}
	bye := cust.waitMessage("handoff text", func(m protocol.Message) bool { return m.Sender.Role == protocol.RoleBot })
	if bye.Text != handoffTextZH || bye.Sender.Name != botNameZH {
		t.Fatalf("handoff text = %+v, want the Chinese goodbye", bye)
	}

	// The team's agents see it; the other team's do not.
	bob.waitConversation("queued push", func(c protocol.Conversation) bool { return c.ID == conv.ID && c.State == protocol.StateQueued })
	carol.waitConversation("queued push", func(c protocol.Conversation) bool { return c.ID == conv.ID && c.State == protocol.StateQueued })
	if q := bob.list(protocol.ListQueue); !hasConv(q, conv.ID) {
		t.Fatalf("bob's queue lacks %s: %+v", conv.ID, q)
	}
	if q := alice.list(protocol.ListQueue); hasConv(q, conv.ID) {
		t.Fatalf("alice (presales) sees an aftersales conversation in her queue")
	}
	_, w := e.agent("bob")
	if !hasConv(w.Conversations, conv.ID) {
		t.Fatalf("bob's welcome lacks the queued conversation")
	}

	// Bob reads the whole bot transcript and the customer's context.
	// (The router may have offered it to bob or carol meanwhile: an
	// internal event.)
	h := bob.sync(conv.ID, 0)
	public := 0
	for _, m := range h.Messages {
		if m.Visibility == protocol.VisibilityPublic {
			public++
		} else if m.Event == nil || m.Event.Type != protocol.EventOffered {
			t.Fatalf("unexpected internal message %+v", m)
		}
	}
	if public != 6 || h.HasMore || h.Epoch != 1 {
		t.Fatalf("bob's transcript has %d public messages (has_more %v), want 6", public, h.HasMore)
	}
	for i, m := range h.Messages {
		if m.Seq != int64(i+1) {
			t.Fatalf("transcript seq %d at %d: not gap-free", m.Seq, i)
		}
	}

	// Bob accepts.
	var accepted protocol.Conversation
	bob.decode(bob.request(protocol.TypeAccept, ref(conv.ID)), protocol.TypeConversation, &accepted)
	if accepted.State != protocol.StateActive || accepted.AssigneeID != bob.user.ID || accepted.AssigneeName != "Bob" ||
		accepted.Ext["order_no"] != "SO-1001" {
		t.Fatalf("accept = %+v", accepted)
	}
	cust.waitConversation("active", func(c protocol.Conversation) bool { return c.State == protocol.StateActive })
	assigned := cust.waitMessage("assigned event", func(m protocol.Message) bool { return m.Kind == protocol.KindEvent })
	if assigned.Event.Type != protocol.EventAssigned || assigned.Event.Actor != "Bob" {
		t.Fatalf("assigned event = %+v", assigned.Event)
	}
	// Carol lost access: she is told, so the queue entry disappears.
	carol.waitConversation("taken", func(c protocol.Conversation) bool { return c.ID == conv.ID && c.State == protocol.StateActive })
	if mine := bob.list(protocol.ListMine); !hasConv(mine, conv.ID) {
		t.Fatalf("bob's mine lacks the accepted conversation")
	}

	// Bob replies; the customer receives it.
	bob.sendText(conv.ID, "Hi, this is Bob. Let me check SO-1001.")
	got := cust.waitMessage("agent reply", func(m protocol.Message) bool { return m.Sender.Role == protocol.RoleAgent })
	if got.Text != "Hi, this is Bob. Let me check SO-1001." || got.Sender.Name != "Bob" || got.Sender.ID != bob.user.ID {
		t.Fatalf("customer got %+v", got)
	}
	// No bot answer once people have the conversation.
	cust.sendText(conv.ID, "Thanks! shipping?")
	fromCust := bob.waitMessage("customer reply", func(m protocol.Message) bool {
		return m.Sender.Role == protocol.RoleCustomer && m.Text == "Thanks! shipping?"
	})

	// Resolve.
	var resolved protocol.Conversation
	bob.decode(bob.request(protocol.TypeResolve, ref(conv.ID)), protocol.TypeConversation, &resolved)
	if resolved.State != protocol.StateResolved {
		t.Fatalf("resolve = %+v", resolved)
	}
	cust.waitConversation("resolved", func(c protocol.Conversation) bool { return c.State == protocol.StateResolved })
	end := cust.waitMessage("resolved event", func(m protocol.Message) bool { return m.Kind == protocol.KindEvent })
	if end.Event.Type != protocol.EventResolved || end.Seq != fromCust.Seq+1 {
		t.Fatalf("resolved event = %+v (seq %d, want %d)", end.Event, end.Seq, fromCust.Seq+1)
	}
	// Nothing was stored that the flow did not show, and no bot message
	// slipped in after the handoff.
	msgs, err := e.srv.store.Messages(ctx, store.MessageQuery{ConversationID: conv.ID})
	if err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for _, m := range msgs {
		if m.Event != nil && m.Event.Type == protocol.EventOffered {
			continue // the router's offer, made or not before bob picked it
		}
		kinds = append(kinds, m.SenderRole+"/"+m.Kind)
	}
	want := "system/event customer/text bot/text customer/text system/event bot/text system/event agent/text customer/text system/event"
	if strings.Join(kinds, " ") != want {
		t.Fatalf("stored transcript:\n%s\nwant\n%s", strings.Join(kinds, " "), want)
	}
	audit, _ := e.srv.store.Audit(ctx, conv.ID)
	if len(audit) < 4 {
		t.Errorf("audit has %d entries, want open, handoff, accept, resolve", len(audit))
	}

	// The customer starts over with a new conversation.
	if next := cust.open(nil); next.ID == conv.ID || next.State != protocol.StateBot {
		t.Fatalf("open after resolve = %+v, want a new conversation", next)
	}
	// With a newer conversation open, the old one cannot be reopened.
	cust.wantError(cust.request(protocol.TypeSend, protocol.SendData{ConversationID: conv.ID, ClientMsgID: uuid.NewString(), Text: "hello?"}),
		protocol.ErrIllegalState.Code)
}

func TestConcurrentAccept(t *testing.T) {
	e := newEnv(t, nil)
	_, conv := e.queued("customer", "human please") // no KB answer before: presales
	alice, _ := e.agent("alice")
	carol, _ := e.agent("carol")
	var wg sync.WaitGroup
	replies := make([]protocol.Frame, 2)
	for i, c := range []*client{alice, carol} {
		wg.Go(func() { replies[i] = c.request(protocol.TypeAccept, ref(conv.ID)) })
	}
	wg.Wait()
	wins := 0
	for i, f := range replies {
		switch {
		case f.Type == protocol.TypeConversation:
			wins++
		case f.Type == protocol.TypeError && f.Error.Code == protocol.ErrIllegalState.Code:
		default:
			t.Errorf("reply %d = %+v, want conversation or illegal_transition", i, f)
		}
	}
	if wins != 1 {
		t.Fatalf("%d accepts won, want exactly 1", wins)
	}
	msgs, _ := e.srv.store.Messages(context.Background(), store.MessageQuery{ConversationID: conv.ID})
	assigned := 0
	for _, m := range msgs {
		if m.Event != nil && m.Event.Type == protocol.EventAssigned {
			assigned++
		}
	}
	if assigned != 1 {
		t.Errorf("%d assigned events stored, want 1", assigned)
	}
}

func TestDuplicateSend(t *testing.T) {
	e := newEnv(t, func(c *Config) { c.Bot = nil })
	cust, _ := e.customer("customer")
	conv := cust.open(nil)
	id := uuid.NewString()
	first := cust.sendWithID(conv.ID, id, "human")
	// The nil bot hands over at once; the resend comes after the state moved.
	cust.waitConversation("queued", func(c protocol.Conversation) bool { return c.State == protocol.StateQueued })
	again := cust.sendWithID(conv.ID, id, "human")
	if !again.Duplicate || again.Seq != first.Seq || again.CreatedAt != first.CreatedAt || first.Duplicate {
		t.Fatalf("resend ack = %+v, first %+v", again, first)
	}
	h := cust.sync(conv.ID, 0)
	n := 0
	for _, m := range h.Messages {
		if m.ClientMsgID == id {
			n++
		}
	}
	if n != 1 {
		t.Fatalf("%d stored messages with the client_msg_id, want 1", n)
	}

	// The same id in another conversation is a conflict.
	other, _ := e.customer("other")
	oc := other.open(nil)
	other.wantError(other.request(protocol.TypeSend, protocol.SendData{ConversationID: oc.ID, ClientMsgID: id, Text: "x"}),
		protocol.ErrConflict.Code)
}

func TestAuthorization(t *testing.T) {
	e := newEnv(t, nil)
	custA, conv := e.queued("A", "human") // presales
	custB, _ := e.customer("B")
	bob, _ := e.agent("bob") // aftersales
	alice, _ := e.agent("alice")
	carol, _ := e.agent("carol")
	sam, _ := e.agent("sam") // supervisor of both

	send := func(c *client, text string) protocol.Frame {
		return c.request(protocol.TypeSend, protocol.SendData{ConversationID: conv.ID, ClientMsgID: uuid.NewString(), Text: text})
	}
	sync := func(c *client) protocol.Frame {
		return c.request(protocol.TypeSync, protocol.SyncData{ConversationID: conv.ID})
	}
	checks := []struct {
		name string
		f    func() protocol.Frame
		code string
	}{
		{"customer B syncs A's conversation", func() protocol.Frame { return sync(custB) }, protocol.ErrNotFound.Code},
		{"customer B writes to A's conversation", func() protocol.Frame { return send(custB, "hi") }, protocol.ErrNotFound.Code},
		{"customer B resolves", func() protocol.Frame { return custB.request(protocol.TypeResolve, ref(conv.ID)) }, protocol.ErrForbidden.Code},
		{"customer accepts", func() protocol.Frame { return custA.request(protocol.TypeAccept, ref(conv.ID)) }, protocol.ErrForbidden.Code},
		{"customer lists", func() protocol.Frame { return custA.request(protocol.TypeList, protocol.ListData{Filter: "queue"}) }, protocol.ErrForbidden.Code},
		{"customer writes an internal note", func() protocol.Frame {
			return custA.request(protocol.TypeSend, protocol.SendData{ConversationID: conv.ID, ClientMsgID: uuid.NewString(), Text: "x", Visibility: protocol.VisibilityInternal})
		}, protocol.ErrForbidden.Code},
		{"other team's agent accepts", func() protocol.Frame { return bob.request(protocol.TypeAccept, ref(conv.ID)) }, protocol.ErrNotFound.Code},
		{"other team's agent syncs", func() protocol.Frame { return sync(bob) }, protocol.ErrNotFound.Code},
		{"agent opens", func() protocol.Frame { return bob.request(protocol.TypeOpen, protocol.OpenData{}) }, protocol.ErrForbidden.Code},
		{"team agent writes before accepting", func() protocol.Frame { return send(alice, "hi") }, protocol.ErrIllegalState.Code},
		{"team agent resolves a queued conversation", func() protocol.Frame { return alice.request(protocol.TypeResolve, ref(conv.ID)) }, protocol.ErrIllegalState.Code},
		{"unknown conversation", func() protocol.Frame { return alice.request(protocol.TypeAccept, ref(uuid.NewString())) }, protocol.ErrNotFound.Code},
	}
	for _, c := range checks {
		t.Run(c.name, func(t *testing.T) {
			f := c.f()
			if f.Type != protocol.TypeError || f.Error.Code != c.code {
				t.Errorf("%s: got %s %+v, want error %s", c.name, f.Type, f.Error, c.code)
			}
		})
	}

	// Supervisor and team agent may read the queued conversation.
	if h := sync(sam); h.Type != protocol.TypeHistory {
		t.Errorf("supervisor sync = %+v", h)
	}
	if h := sync(alice); h.Type != protocol.TypeHistory {
		t.Errorf("team agent sync = %+v", h)
	}
	// Once Carol accepts, Alice loses access and cannot take over.
	carol.decode(carol.request(protocol.TypeAccept, ref(conv.ID)), protocol.TypeConversation, &protocol.Conversation{})
	if f := sync(alice); f.Type != protocol.TypeError || f.Error.Code != protocol.ErrNotFound.Code {
		t.Errorf("alice sync after carol accepted = %+v, want not_found", f)
	}
	if f := alice.request(protocol.TypeResolve, ref(conv.ID)); f.Type != protocol.TypeError || f.Error.Code != protocol.ErrNotFound.Code {
		t.Errorf("alice resolve after carol accepted = %+v, want not_found", f)
	}
	// The supervisor still reads it, but it is Carol's to answer.
	if f := send(sam, "hello"); f.Type != protocol.TypeError || f.Error.Code != protocol.ErrForbidden.Code {
		t.Errorf("supervisor writes to carol's conversation = %+v, want forbidden", f)
	}
	// Internal notes reach staff, never the customer.
	note := carol.request(protocol.TypeSend, protocol.SendData{ConversationID: conv.ID, ClientMsgID: uuid.NewString(), Text: "VIP, be nice", Visibility: protocol.VisibilityInternal})
	if note.Type != protocol.TypeAck {
		t.Fatalf("internal note = %+v", note)
	}
	sam.waitMessage("internal note", func(m protocol.Message) bool { return m.Visibility == protocol.VisibilityInternal })
	for _, m := range custA.sync(conv.ID, 0).Messages {
		if m.Visibility != protocol.VisibilityPublic {
			t.Errorf("customer's sync includes %s message %q", m.Visibility, m.Text)
		}
	}
	custA.noPush(200*time.Millisecond, "internal note", func(f protocol.Frame) bool {
		return f.Type == protocol.TypeMessage && strings.Contains(string(f.Data), "VIP")
	})
}

func TestBotFailureHandsOver(t *testing.T) {
	e := newEnv(t, func(c *Config) { c.BotTimeout = 100 * time.Millisecond })
	for _, text := range []string{"slow question", "panic question"} {
		t.Run(text, func(t *testing.T) {
			cust, _ := e.customer("customer")
			conv := cust.open(nil)
			cust.sendText(conv.ID, text)
			q := cust.waitConversation("queued", func(c protocol.Conversation) bool { return c.State == protocol.StateQueued })
			if q.HandoffReason != reasonBotUnavailable || q.Team != "presales" {
				t.Errorf("after bot failure = %+v", q)
			}
			bye := cust.waitMessage("handoff text", func(m protocol.Message) bool { return m.Sender.Role == protocol.RoleBot })
			if bye.Text != handoffTextEN {
				t.Errorf("handoff text = %q, want %q", bye.Text, handoffTextEN)
			}
		})
	}
}

func TestShutdownAndRestart(t *testing.T) {
	dir := t.TempDir()
	e := startEnv(t, Config{DataDir: dir, Demo: true, Bot: fakeBot})
	cust, v := e.customer("customer")
	conv := cust.open(nil)
	ack := cust.sendText(conv.ID, "shipping?")
	agentToken := e.login("alice").Token

	e.stop()
	_, _, err := cust.ws.ReadMessage()
	for err == nil {
		_, _, err = cust.ws.ReadMessage()
	}
	if code := closeCodeOf(err); code != protocol.CloseShutdown {
		t.Fatalf("close after shutdown = %v, want %d", err, protocol.CloseShutdown)
	}

	// Restart on the same data: seeding again works, tokens survive, and
	// the customer resumes where they were.
	e2 := startEnv(t, Config{DataDir: dir, Demo: true, Bot: fakeBot})
	cust2, w := e2.connect("customer", v.Token)
	if len(w.Conversations) != 1 || w.Conversations[0].ID != conv.ID {
		t.Fatalf("welcome after restart = %+v", w.Conversations)
	}
	h := cust2.sync(conv.ID, ack.Seq-1)
	if len(h.Messages) == 0 || h.Messages[0].Seq != ack.Seq || h.Messages[0].Text != "shipping?" {
		t.Fatalf("resume after restart = %+v", h.Messages)
	}
	if _, w := e2.connect("alice", agentToken); w.User.Role != protocol.RoleAgent {
		t.Fatalf("agent token after restart: %+v", w.User)
	}
	var again VisitorResponse
	e2.post("/api/v1/visitor", VisitorRequest{Token: v.Token}, &again)
	if again.VisitorID != v.VisitorID {
		t.Errorf("visitor after restart = %s, want %s", again.VisitorID, v.VisitorID)
	}
}

func closeCodeOf(err error) int {
	var ce *websocket.CloseError
	if errors.As(err, &ce) {
		return ce.Code
	}
	return -1
}

// TestNoLeakedGoroutines runs a conversation and shuts down: every goroutine
// the server started (connections, hub, store, bot calls) must be gone.
func TestNoLeakedGoroutines(t *testing.T) {
	before := runtime.NumGoroutine()
	func() {
		e := startEnv(t, Config{DataDir: t.TempDir(), Demo: true, Bot: fakeBot})
		_, conv := e.queued("customer", "human")
		alice, _ := e.agent("alice")
		alice.request(protocol.TypeAccept, ref(conv.ID))
		alice.sendText(conv.ID, "hello")
		e.dial("silent") // never says hello
		e.stop()
		for _, c := range []*client{alice} {
			c.ws.Close()
		}
	}()
	deadline := time.Now().Add(10 * time.Second)
	for {
		n := runtime.NumGoroutine()
		if n <= before {
			return
		}
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<16)
			t.Fatalf("%d goroutines before, %d after:\n%s", before, n, buf[:runtime.Stack(buf, true)])
		}
		time.Sleep(20 * time.Millisecond)
	}
}
