package server

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"switchboard/backend/conversation"
	"switchboard/backend/hours"
	"switchboard/backend/store"
	"switchboard/protocol"
)

// offeredTo matches a conversation push offering conversation id to agent.
func offeredTo(id, agent string) func(protocol.Conversation) bool {
	return func(c protocol.Conversation) bool { return c.ID == id && c.OfferAgentID == agent }
}

func (c *client) waitQueue(what string, match func(protocol.QueueInfo) bool) protocol.QueueInfo {
	c.t.Helper()
	var qi protocol.QueueInfo
	c.waitPush("queue "+what, func(f protocol.Frame) bool {
		if f.Type != protocol.TypeQueue {
			return false
		}
		qi = protocol.QueueInfo{}
		json.Unmarshal(f.Data, &qi)
		return match(qi)
	})
	return qi
}

func (c *client) contextOf(id string) protocol.ContextData {
	c.t.Helper()
	var d protocol.ContextData
	c.decode(c.request(protocol.TypeContext, ref(id)), protocol.TypeContext, &d)
	return d
}

func (c *client) accept(id string) protocol.Conversation {
	c.t.Helper()
	var conv protocol.Conversation
	c.decode(c.request(protocol.TypeAccept, ref(id)), protocol.TypeConversation, &conv)
	return conv
}

func (e *env) agentID(username string) string {
	e.t.Helper()
	a, err := e.srv.store.AgentByUsername(context.Background(), username)
	if err != nil {
		e.t.Fatal(err)
	}
	return a.ID
}

// TestOfferTransferRate walks the whole way: the bot hands over with a
// packet, the only online agent of the team is offered the conversation and
// accepts, transfers it to another team with a note, an agent there is
// offered it and sees the whole history and the note, resolves it, and the
// customer rates it.
func TestOfferTransferRate(t *testing.T) {
	e := newEnv(t, nil)
	alice, _ := e.agent("alice") // presales
	bob, _ := e.agent("bob")     // aftersales
	aliceID, bobID := e.agentID("alice"), e.agentID("bob")

	cust, _ := e.customer("customer")
	conv := cust.open(map[string]string{"source": "/demo/checkout"})
	cust.sendText(conv.ID, "Where is order 20261124001? my mail is li@example.com")
	cust.sendText(conv.ID, "human please")
	cust.waitConversation("queued", stateIs(protocol.StateQueued))

	offered := alice.waitConversation("offer", offeredTo(conv.ID, aliceID))
	if offered.OfferExpiresAt <= time.Now().UnixMilli() || offered.TransferFromID != "" {
		t.Fatalf("offer = %+v", offered)
	}
	ctxData := alice.contextOf(conv.ID)
	p := ctxData.Packet
	if p == nil || p.Trigger != protocol.TriggerAsked || p.Collected["order_no"] != "20261124001" ||
		p.Collected["email"] != "li@example.com" || !strings.Contains(p.Summary, "human please") {
		t.Fatalf("packet = %+v", p)
	}
	// The summary is the customer's words; the counts are numbers for the
	// agent's language (the bot replied to the first message).
	if p.CustomerMessages != 2 || p.BotAnswered+p.BotUnsure != 1 || strings.Contains(p.Summary, "customer messages") {
		t.Fatalf("packet counts = %d/%d/%d, summary %q", p.CustomerMessages, p.BotAnswered, p.BotUnsure, p.Summary)
	}
	if ctxData.Ext["source"] != "/demo/checkout" || ctxData.Customer.Conversations != 1 || len(ctxData.Previous) != 0 {
		t.Fatalf("context = %+v", ctxData)
	}

	if got := alice.accept(conv.ID); got.State != protocol.StateActive || got.AssigneeID != aliceID || got.OfferAgentID != "" {
		t.Fatalf("accept = %+v", got)
	}
	alice.sendText(conv.ID, "Let me hand you to after-sales.")

	var moved protocol.Conversation
	alice.decode(alice.request(protocol.TypeTransfer, protocol.TransferData{
		ConversationID: conv.ID, ToTeam: "aftersales", Note: "order 20261124001 lost in transit; customer is calm",
	}), protocol.TypeConversation, &moved)
	if moved.State != protocol.StateQueued || moved.Team != "aftersales" || moved.AssigneeID != "" {
		t.Fatalf("transfer to team = %+v", moved)
	}
	tr := cust.waitMessage("transferred", eventIs(protocol.EventTransferred))
	if tr.Visibility != protocol.VisibilityPublic {
		t.Fatalf("transferred event = %+v", tr)
	}

	bob.waitConversation("offer", offeredTo(conv.ID, bobID))
	if got := bob.accept(conv.ID); got.AssigneeID != bobID {
		t.Fatalf("bob's accept = %+v", got)
	}
	h := bob.sync(conv.ID, 0)
	var note, history bool
	for _, m := range h.Messages {
		if m.Visibility == protocol.VisibilityInternal && strings.Contains(m.Text, "lost in transit") && m.Sender.Name == "Alice" {
			note = true
		}
		if strings.Contains(m.Text, "20261124001? my mail") {
			history = true
		}
	}
	if !note || !history {
		t.Fatalf("bob sees note=%v history=%v in %d messages", note, history, len(h.Messages))
	}
	// The customer never sees the note.
	for _, m := range cust.sync(conv.ID, 0).Messages {
		if m.Visibility != protocol.VisibilityPublic || strings.Contains(m.Text, "lost in transit") {
			t.Fatalf("the customer sees %+v", m)
		}
	}

	var resolved protocol.Conversation
	bob.decode(bob.request(protocol.TypeResolve, ref(conv.ID)), protocol.TypeConversation, &resolved)
	cust.waitConversation("resolved", stateIs(protocol.StateResolved))

	// Bad ratings are refused and change nothing.
	cust.wantError(cust.request(protocol.TypeRate, protocol.RateData{ConversationID: conv.ID, Score: 6}), protocol.ErrInvalid.Code)
	bob.wantError(bob.request(protocol.TypeRate, protocol.RateData{ConversationID: conv.ID, Score: 5}), protocol.ErrForbidden.Code)
	var rated protocol.Conversation
	cust.decode(cust.request(protocol.TypeRate, protocol.RateData{ConversationID: conv.ID, Score: 5, Comment: "快，谢谢"}),
		protocol.TypeConversation, &rated)
	if rated.Rating != 5 || rated.RatingComment != "快，谢谢" || rated.State != protocol.StateResolved {
		t.Fatalf("rated = %+v", rated)
	}
	bob.waitConversation("rating", func(c protocol.Conversation) bool { return c.ID == conv.ID && c.Rating == 5 })
	cust.wantError(cust.request(protocol.TypeRate, protocol.RateData{ConversationID: conv.ID, Score: 1}), protocol.ErrIllegalState.Code)
	// The close timer is still armed: rating does not end the window.
	wantTimers(t, e.srv.store, conv.ID, conversation.Close)

	// The next conversation of this customer shows this one, with its
	// rating, and goes to bob first: he served them last.
	next := cust.open(nil)
	cust.sendText(next.ID, "human again")
	off := bob.waitConversation("returning customer", offeredTo(next.ID, bobID))
	_ = off
	prev := bob.contextOf(next.ID)
	if len(prev.Previous) != 1 || prev.Previous[0].ID != conv.ID || prev.Previous[0].Rating != 5 || prev.Previous[0].AssigneeName != "Bob" {
		t.Fatalf("previous = %+v", prev.Previous)
	}
	if prev.Packet == nil || prev.Packet.PreviousAgentID != bobID {
		t.Fatalf("packet of the returning customer = %+v", prev.Packet)
	}
}

// TestDeclineAndExpiry: a declined offer goes to the next agent; an
// expired one is not made again to the same agent while another can take
// it; with everyone refused it goes back to one of them rather than wait
// unoffered, and can still be picked from the queue meanwhile.
func TestDeclineAndExpiry(t *testing.T) {
	clock := &testClock{}
	e := startEnv(t, Config{DataDir: t.TempDir(), Demo: true, Bot: fakeBot, Now: clock.now,
		TimerPoll: 5 * time.Millisecond, OfferTimeout: 10 * time.Second})
	alice, _ := e.agent("alice")
	carol, _ := e.agent("carol")
	aliceID, carolID := e.agentID("alice"), e.agentID("carol")
	// sam (a supervisor of presales) is offline and never offered anything.

	_, conv := e.queued("customer", "human")
	// Both are idle: the offer goes to one of them; the other gets it after.
	first, second, firstID, secondID := alice, carol, aliceID, carolID
	got := e.waitOffer(conv.ID)
	if got == carolID {
		first, second, firstID, secondID = carol, alice, carolID, aliceID
	}
	first.waitConversation("offer", offeredTo(conv.ID, firstID))
	// Only the offered agent can decline.
	second.wantError(second.request(protocol.TypeDecline, ref(conv.ID)), protocol.ErrIllegalState.Code)
	var declined protocol.Conversation
	first.decode(first.request(protocol.TypeDecline, ref(conv.ID)), protocol.TypeConversation, &declined)
	if declined.OfferAgentID == firstID {
		t.Fatalf("decline left the offer: %+v", declined)
	}
	second.waitConversation("offer after decline", offeredTo(conv.ID, secondID))

	// The second lets it expire.
	clock.advance(11 * time.Second)
	second.waitMessage("offer expired", eventIs(protocol.EventOfferExpired))
	refused, err := e.srv.store.Refusals(context.Background(), conv.ID)
	if err != nil || len(refused) != 2 {
		t.Fatalf("refusals = %v, %v; want both agents", refused, err)
	}
	// Both refused, both online with room: it is offered again, to the
	// one offered something longest ago.
	first.waitConversation("offer again", offeredTo(conv.ID, firstID))
	// Picking from the queue still works.
	if got := second.accept(conv.ID); got.AssigneeID != secondID {
		t.Fatalf("pick = %+v", got)
	}
	msgs, _ := e.srv.store.Messages(context.Background(), store.MessageQuery{ConversationID: conv.ID})
	var events []string
	for _, m := range msgs {
		if m.Event != nil {
			events = append(events, m.Event.Type)
		}
	}
	want := "opened handoff offered declined offered offer_expired offered assigned"
	if strings.Join(events, " ") != want {
		t.Fatalf("events = %s, want %s", strings.Join(events, " "), want)
	}
}

// waitOffer waits until conversation id is offered to someone and returns
// the agent.
func (e *env) waitOffer(id string) string {
	e.t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		c, err := e.srv.store.Conversation(context.Background(), id)
		if err == nil && c.OfferAgentID != "" {
			return c.OfferAgentID
		}
		time.Sleep(5 * time.Millisecond)
	}
	e.t.Fatalf("%s was never offered", id)
	return ""
}

// TestTransferToAgent: the target accepts or declines; a decline, an expiry
// and a target going offline leave the conversation with its sender.
func TestTransferToAgent(t *testing.T) {
	clock := &testClock{}
	e := startEnv(t, Config{DataDir: t.TempDir(), Demo: true, Bot: fakeBot, Now: clock.now,
		TimerPoll: 5 * time.Millisecond, OfferTimeout: 10 * time.Second})
	cust, alice, conv := activeConv(e)
	carol, _ := e.agent("carol")
	aliceID, carolID := e.agentID("alice"), e.agentID("carol")
	bobID := e.agentID("bob")

	transfer := func(c *client, to, note string) protocol.Frame {
		return c.request(protocol.TypeTransfer, protocol.TransferData{ConversationID: conv.ID, ToAgentID: to, Note: note})
	}
	// Bob is offline; carol is not the assignee; nobody is named twice.
	alice.wantError(transfer(alice, bobID, ""), protocol.ErrTargetUnavailable.Code)
	alice.wantError(transfer(alice, aliceID, ""), protocol.ErrTargetUnavailable.Code)
	alice.wantError(alice.request(protocol.TypeTransfer, protocol.TransferData{ConversationID: conv.ID, ToAgentID: carolID, ToTeam: "presales"}), protocol.ErrInvalid.Code)
	carol.wantError(carol.request(protocol.TypeTransfer, protocol.TransferData{ConversationID: conv.ID, ToTeam: "aftersales"}), protocol.ErrNotFound.Code)
	alice.wantError(alice.request(protocol.TypeTransfer, protocol.TransferData{ConversationID: conv.ID, ToTeam: "nope"}), protocol.ErrTargetUnavailable.Code)

	// 1. Carol declines: it stays with alice, who sees why.
	var pending protocol.Conversation
	alice.decode(transfer(alice, carolID, "VIP, wants a refund"), protocol.TypeConversation, &pending)
	if pending.OfferAgentID != carolID || pending.TransferFromID != aliceID || pending.AssigneeID != aliceID {
		t.Fatalf("transfer pending = %+v", pending)
	}
	carol.waitConversation("transfer offer", offeredTo(conv.ID, carolID))
	carol.sync(conv.ID, 0) // the offered agent reads the history before answering
	carol.decode(carol.request(protocol.TypeDecline, ref(conv.ID)), protocol.TypeConversation, &pending)
	alice.waitMessage("declined notice", eventIs(protocol.EventDeclined))
	if c, _ := e.srv.store.Conversation(context.Background(), conv.ID); c.AssigneeID != aliceID || c.OfferAgentID != "" {
		t.Fatalf("after decline: %+v", c)
	}
	// Carol cannot read it any more.
	carol.wantError(carol.request(protocol.TypeSync, protocol.SyncData{ConversationID: conv.ID}), protocol.ErrNotFound.Code)

	// 2. It expires: still alice's, and the idle timer is still armed.
	alice.decode(transfer(alice, carolID, ""), protocol.TypeConversation, &pending)
	wantTimers(t, e.srv.store, conv.ID, conversation.IdleTimeout, conversation.OfferTimeout)
	clock.advance(11 * time.Second)
	alice.waitMessage("expiry notice", eventIs(protocol.EventOfferExpired))
	if c, _ := e.srv.store.Conversation(context.Background(), conv.ID); c.AssigneeID != aliceID || c.OfferAgentID != "" {
		t.Fatalf("after expiry: %+v", c)
	}

	// 3. Carol accepts: hers now; the customer is told; alice loses it.
	alice.decode(transfer(alice, carolID, "over to you"), protocol.TypeConversation, &pending)
	carol.waitConversation("transfer offer again", offeredTo(conv.ID, carolID))
	got := carol.accept(conv.ID)
	if got.AssigneeID != carolID || got.State != protocol.StateActive || got.OfferAgentID != "" || got.TransferFromID != "" {
		t.Fatalf("transfer accepted = %+v", got)
	}
	ta := cust.waitMessage("transfer accepted", eventIs(protocol.EventTransferAccepted))
	if ta.Event.Actor != "Carol" {
		t.Fatalf("transfer_accepted = %+v", ta.Event)
	}
	alice.waitConversation("lost it", func(c protocol.Conversation) bool { return c.ID == conv.ID && c.AssigneeID == carolID })
	alice.wantError(alice.request(protocol.TypeSend, protocol.SendData{ConversationID: conv.ID, ClientMsgID: uuid.NewString(), Text: "still here?"}),
		protocol.ErrNotFound.Code)
	carol.sendText(conv.ID, "Hi, Carol here.")

	// 4. Carol hands it back to the bot, which answers again.
	var back protocol.Conversation
	carol.decode(carol.request(protocol.TypeHandBack, ref(conv.ID)), protocol.TypeConversation, &back)
	if back.State != protocol.StateBot || back.AssigneeID != "" {
		t.Fatalf("hand back = %+v", back)
	}
	cust.waitMessage("handed back", eventIs(protocol.EventHandedBack))
	cust.sendText(conv.ID, "shipping?")
	cust.waitMessage("bot answers again", func(m protocol.Message) bool {
		return m.Sender.Role == protocol.RoleBot && strings.Contains(m.Text, "24 hours")
	})
}

// TestQueuePositionAndLeaveMessage: with nobody online queued customers
// are told so and may leave a message; an agent coming online is offered
// the first at once, and the second moves up.
func TestQueuePositionAndLeaveMessage(t *testing.T) {
	e := newEnv(t, nil)
	c1, conv1 := e.queued("first", "human")
	q1 := c1.waitQueue("closed", func(q protocol.QueueInfo) bool { return q.ConversationID == conv1.ID })
	if q1.Position != 1 || q1.Open || q1.AgentsOnline != 0 || !q1.BusinessHours || q1.ExpectedWaitMS != 0 {
		t.Fatalf("queue info = %+v", q1)
	}
	c2, v2 := e.customer("second")
	conv2 := c2.open(nil)
	c2.sendText(conv2.ID, "人工")
	q2 := c2.waitQueue("second", func(q protocol.QueueInfo) bool { return q.ConversationID == conv2.ID })
	if q2.Position != 2 || q2.Open {
		t.Fatalf("queue info 2 = %+v", q2)
	}
	// Leaving a message is an ordinary send with business fields.
	var ack protocol.AckData
	c2.decode(c2.request(protocol.TypeSend, protocol.SendData{
		ConversationID: conv2.ID, ClientMsgID: uuid.NewString(), Kind: protocol.KindText, Text: "Please call me back about my refund",
		Ext: map[string]string{protocol.ExtLeftMessage: "true", protocol.ExtContact: "13800138000"},
	}), protocol.TypeAck, &ack)
	if c, _ := e.srv.store.Conversation(context.Background(), conv2.ID); c.State != conversation.Queued {
		t.Fatalf("after leaving a message: %s", c.State)
	}
	// A reconnecting customer is told where they stand at once.
	again, _ := e.connect("second again", v2.Token)
	again.waitQueue("after welcome", func(q protocol.QueueInfo) bool { return q.ConversationID == conv2.ID && q.Position == 2 })

	alice, _ := e.agent("alice")
	aliceID := e.agentID("alice")
	c1.waitQueue("open", func(q protocol.QueueInfo) bool { return q.Open && q.AgentsOnline == 1 && q.ExpectedWaitMS > 0 })
	alice.waitConversation("offer", offeredTo(conv1.ID, aliceID))
	alice.waitConversation("offer 2", offeredTo(conv2.ID, aliceID))
	alice.accept(conv1.ID)
	c2.waitQueue("moved up", func(q protocol.QueueInfo) bool { return q.ConversationID == conv2.ID && q.Position == 1 })
	// The left message is in the transcript with its fields.
	var found bool
	for _, m := range alice.sync(conv2.ID, 0).Messages {
		if m.Ext[protocol.ExtLeftMessage] == "true" && m.Ext[protocol.ExtContact] == "13800138000" {
			found = true
		}
	}
	if !found {
		t.Fatal("the left message is not in the transcript")
	}
}

func TestOutsideBusinessHours(t *testing.T) {
	now := time.Now().UTC()
	// A window that ended an hour ago today (or, near midnight, tomorrow).
	other := map[time.Weekday]string{}
	for d, name := range []string{"sun", "mon", "tue", "wed", "thu", "fri", "sat"} {
		other[time.Weekday(d)] = name
	}
	closed, err := hours.Parse(hours.Spec{Weekly: other[(now.Weekday()+3)%7] + " 00:00-24:00"})
	if err != nil {
		t.Fatal(err)
	}
	e := newEnv(t, func(c *Config) { c.BusinessHours = closed })
	e.agent("alice")
	cust, conv := e.queued("customer", "human")
	q := cust.waitQueue("closed", func(q protocol.QueueInfo) bool { return q.ConversationID == conv.ID })
	if q.Open || q.BusinessHours || q.AgentsOnline != 1 {
		t.Fatalf("queue info outside hours = %+v", q)
	}
}

// TestOverflowToBackupTeam: once a team's queue reaches its threshold, new
// conversations go to its backup team.
func TestOverflowToBackupTeam(t *testing.T) {
	e := newEnv(t, nil)
	ctx := context.Background()
	if err := e.srv.store.UpsertTeam(ctx, store.Team{ID: "presales", Name: "售前", Backup: "aftersales", OverflowAt: 2}); err != nil {
		t.Fatal(err)
	}
	var teams []string
	for i := 0; i < 3; i++ {
		_, conv := e.queued(fmt.Sprint("c", i), "human")
		c, _ := e.srv.store.Conversation(ctx, conv.ID)
		teams = append(teams, c.Team)
	}
	if strings.Join(teams, " ") != "presales presales aftersales" {
		t.Fatalf("teams = %v, want the third to overflow to aftersales", teams)
	}
}

// TestConcurrentAccepts races many agents accepting the same conversations
// while the router offers them: every conversation ends with exactly one
// agent, and nobody above capacity.
func TestConcurrentAccepts(t *testing.T) {
	e := newEnv(t, func(c *Config) { c.SendRate, c.SendBurst = 1000, 1000 })
	ctx := context.Background()
	hash := "not-used" // they connect with tokens
	// No overflow to the backup team in this test: all in presales.
	if err := e.srv.store.UpsertTeam(ctx, store.Team{ID: "presales", Name: "售前"}); err != nil {
		t.Fatal(err)
	}
	const agents, capacity, convs = 8, 2, 12
	var clients []*client
	for i := 0; i < agents; i++ {
		name := fmt.Sprintf("racer%d", i)
		if _, err := e.srv.store.UpsertAgent(ctx, store.Agent{Username: name, Name: name, Role: protocol.RoleAgent,
			PasswordHash: hash, Teams: []string{"presales"}, Capacity: capacity}); err != nil {
			t.Fatal(err)
		}
		tok, _ := e.srv.signer.Issue(e.agentID(name), protocol.RoleAgent, time.Hour)
		c, _ := e.connect(name, tok)
		clients = append(clients, c)
	}
	var ids []string
	for i := 0; i < convs; i++ {
		_, conv := e.queued(fmt.Sprint("cust", i), "human")
		ids = append(ids, conv.ID)
	}
	// Each agent tries every conversation, all at once.
	var wg sync.WaitGroup
	won := make([]int, agents)
	for i, c := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for _, id := range ids {
				f := c.request(protocol.TypeAccept, ref(id))
				switch {
				case f.Type == protocol.TypeConversation:
					won[i]++
				case f.Error != nil && (f.Error.Code == protocol.ErrAtCapacity.Code || f.Error.Code == protocol.ErrIllegalState.Code ||
					f.Error.Code == protocol.ErrNotFound.Code):
				default:
					t.Errorf("accept: %s %+v", f.Type, f.Error)
				}
			}
		}()
	}
	wg.Wait()
	total := 0
	for i, n := range won {
		if n > capacity {
			t.Errorf("racer%d accepted %d, above capacity %d", i, n, capacity)
		}
		total += n
	}
	assigned := map[string]int{}
	for _, id := range ids {
		c, err := e.srv.store.Conversation(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if c.State == conversation.Active {
			assigned[c.AssigneeID]++
		}
		audit, _ := e.srv.store.Audit(ctx, id)
		accepts := 0
		for _, a := range audit {
			if a.Action == string(conversation.Accept) {
				accepts++
			}
		}
		if accepts > 1 {
			t.Errorf("%s accepted %d times", id, accepts)
		}
	}
	sum := 0
	for agent, n := range assigned {
		load, _ := e.srv.agentLoad(ctx, agent)
		if n > capacity || load > capacity {
			t.Errorf("agent %s holds %d conversations and load %d, capacity %d", agent, n, load, capacity)
		}
		sum += n
	}
	if sum != total {
		t.Errorf("%d accepts won, %d conversations assigned", total, sum)
	}
	// Offers reserve capacity, so one pass may leave some queued, offered
	// to agents who were full when they tried; those agents take them now.
	for round := 0; round < 5 && total < convs; round++ {
		for _, id := range ids {
			c, _ := e.srv.store.Conversation(ctx, id)
			if c.State != conversation.Queued || c.OfferAgentID == "" {
				continue
			}
			for i, cl := range clients {
				if cl.user.ID == c.OfferAgentID {
					if f := cl.request(protocol.TypeAccept, ref(id)); f.Type == protocol.TypeConversation {
						won[i]++
						total++
					}
				}
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	if total != convs {
		for _, id := range ids {
			c, _ := e.srv.store.Conversation(ctx, id)
			load, _ := e.srv.agentLoad(ctx, c.OfferAgentID)
			r, _ := e.srv.store.Refusals(ctx, id)
			msgs, _ := e.srv.store.Messages(ctx, store.MessageQuery{ConversationID: id})
			var evs []string
			for _, m := range msgs {
				if m.Event != nil {
					evs = append(evs, m.Event.Type+":"+m.Event.Reason)
				}
			}
			t.Logf("%s %s assignee=%s offer=%s (load %d) refused=%v events=%v", id[:6], c.State, c.AssigneeName, c.OfferAgentName, load, r, evs)
		}
		for i, cl := range clients {
			t.Logf("racer%d %s status=%s", i, cl.user.ID[:6], e.srv.agentStatus(cl.user.ID))
		}
		t.Errorf("%d of %d conversations assigned in the end", total, convs)
	}
	for i, n := range won {
		if n > capacity {
			t.Errorf("racer%d holds %d, above capacity %d", i, n, capacity)
		}
	}
}

// TestOfferSurvivesRestart: an offer outstanding at a restart is still
// there after it, its timer fires, and the conversation goes on to the next
// agent; the idle timer of an active conversation fires too.
func TestOfferSurvivesRestart(t *testing.T) {
	clock := &testClock{}
	dir := t.TempDir()
	cfg := Config{DataDir: dir, Demo: true, Bot: fakeBot, Now: clock.now, TimerPoll: 5 * time.Millisecond,
		OfferTimeout: 20 * time.Second, IdleTimeout: time.Minute}
	e := startEnv(t, cfg)
	_, active, activeConv := activeConv(e)
	_ = active
	alice, _ := e.agent("alice")
	aliceID := e.agentID("alice")
	cust, conv := e.queued("waiting", "human")
	alice.waitConversation("offer", offeredTo(conv.ID, aliceID))
	e.stop()

	e2 := startEnv(t, cfg)
	alice2, w := e2.agent("alice")
	var kept bool
	for _, c := range w.Conversations {
		if c.ID == conv.ID && c.OfferAgentID == aliceID {
			kept = true
		}
	}
	if !kept {
		t.Fatalf("the offer did not survive the restart: %+v", w.Conversations)
	}
	_ = cust
	carol, _ := e2.agent("carol")
	carolID := e2.agentID("carol")
	clock.advance(21 * time.Second)
	alice2.waitMessage("expired after restart", eventIs(protocol.EventOfferExpired))
	carol.waitConversation("offered on", offeredTo(conv.ID, carolID))
	clock.advance(time.Minute)
	alice2.waitMessage("idle after restart", func(m protocol.Message) bool {
		return m.ConversationID == activeConv.ID && m.Event != nil && m.Event.Type == protocol.EventWaiting
	})
}

// TestOffersOutliveABlip: an agent whose app loses its link and comes back
// within OfflineGrace keeps their offer; one who stays away loses it to a
// colleague.
func TestOffersOutliveABlip(t *testing.T) {
	e := newEnv(t, func(c *Config) { c.OfflineGrace = 300 * time.Millisecond })
	alice, _ := e.agent("alice")
	aliceID := e.agentID("alice")
	_, conv := e.queued("customer", "human")
	alice.waitConversation("offer", offeredTo(conv.ID, aliceID))

	// A blip: the connection goes and a new one comes within the grace.
	alice.ws.Close()
	again, _ := e.agent("alice")
	time.Sleep(600 * time.Millisecond)
	if c, _ := e.srv.store.Conversation(context.Background(), conv.ID); c.OfferAgentID != aliceID {
		t.Fatalf("after a blip the offer is %q's, want alice's", c.OfferAgentName)
	}
	// Gone for good: the offer goes to carol once she is online.
	again.ws.Close()
	time.Sleep(600 * time.Millisecond)
	if c, _ := e.srv.store.Conversation(context.Background(), conv.ID); c.OfferAgentID == aliceID {
		t.Fatal("the offer outlived the grace")
	}
	carol, _ := e.agent("carol")
	carol.waitConversation("offer to carol", offeredTo(conv.ID, e.agentID("carol")))
}
