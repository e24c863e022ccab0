package server

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"switchboard/protocol"
)

// TestMissedOffersGoAway is the lone agent who does not see her offers: an
// offer that expires is made to her again, since nobody else can take the
// customer, and after MissedOffersAway misses in a row she is set away,
// told why, and the conversation waits for someone who is there.
func TestMissedOffersGoAway(t *testing.T) {
	clock := &testClock{}
	e := startEnv(t, Config{DataDir: t.TempDir(), Demo: true, Bot: fakeBot, Now: clock.now,
		TimerPoll: 5 * time.Millisecond, OfferTimeout: 10 * time.Second, MissedOffersAway: 3})
	ctx := context.Background()
	alice, _ := e.agent("alice") // the only one online in presales
	aliceID := e.agentID("alice")
	_, conv := e.queued("customer", "human")

	for miss := 1; miss <= 3; miss++ {
		alice.waitConversation("offer", offeredTo(conv.ID, aliceID))
		clock.advance(11 * time.Second)
		alice.waitMessage("offer expired", eventIs(protocol.EventOfferExpired))
		// The miss is counted right after the expiry is pushed.
		waitFor(t, fmt.Sprintf("miss %d counted", miss), func() bool { return e.srv.agentPresence()[aliceID].Missed == miss })
	}
	var st protocol.StatusData
	waitFor(t, "away", func() bool { return e.srv.agentPresence()[aliceID].Status == protocol.StatusAway })
	f := alice.waitPush("status away", func(f protocol.Frame) bool { return f.Type == protocol.TypeStatus })
	if err := json.Unmarshal(f.Data, &st); err != nil || st.Status != protocol.StatusAway || st.Reason != protocol.StatusReasonMissedOffers {
		t.Fatalf("status push = %s, want away for missed offers", f.Data)
	}
	p := e.srv.agentPresence()[aliceID]
	if p.Status != protocol.StatusAway || !p.AutoAway || p.Missed != 3 {
		t.Fatalf("presence after three misses = %+v", p)
	}
	// Away, she is offered nothing more.
	clock.advance(11 * time.Second)
	for i := 0; i < 3; i++ {
		e.srv.kickRouter()
		time.Sleep(20 * time.Millisecond)
	}
	if c, _ := e.srv.store.Conversation(ctx, conv.ID); c.OfferAgentID != "" {
		t.Fatalf("offered to %s while away", c.OfferAgentName)
	}
	// Back online, the count starts over and the offer comes again.
	alice.decode(alice.request(protocol.TypeStatus, protocol.StatusData{Status: protocol.StatusOnline}), protocol.TypeStatus, &st)
	if p := e.srv.agentPresence()[aliceID]; p.Missed != 0 || p.AutoAway || p.Status != protocol.StatusOnline {
		t.Fatalf("presence back online = %+v", p)
	}
	alice.waitConversation("offer when back", offeredTo(conv.ID, aliceID))
	alice.accept(conv.ID)
}

// TestMissedOffersStreak: answering an offer ends a run of misses, so only
// misses in a row set an agent away; the status's since follows changes.
func TestMissedOffersStreak(t *testing.T) {
	clock := &testClock{}
	e := startEnv(t, Config{DataDir: t.TempDir(), Demo: true, Bot: fakeBot, Now: clock.now,
		TimerPoll: 5 * time.Millisecond, OfferTimeout: 10 * time.Second})
	alice, _ := e.agent("alice")
	aliceID := e.agentID("alice")
	since := e.srv.agentPresence()[aliceID].Since
	if since == 0 {
		t.Fatal("no status since after hello")
	}
	_, one := e.queued("one", "human")
	alice.waitConversation("offer", offeredTo(one.ID, aliceID))
	clock.advance(11 * time.Second)
	alice.waitMessage("offer expired", eventIs(protocol.EventOfferExpired))
	alice.waitConversation("offer again", offeredTo(one.ID, aliceID))
	alice.accept(one.ID) // answered: the run is over
	_, two := e.queued("two", "human")
	alice.waitConversation("offer", offeredTo(two.ID, aliceID))
	clock.advance(11 * time.Second)
	alice.waitMessage("offer expired", func(m protocol.Message) bool {
		return m.ConversationID == two.ID && m.Event != nil && m.Event.Type == protocol.EventOfferExpired
	})
	waitFor(t, "second miss counted", func() bool { return e.srv.agentPresence()[aliceID].Missed == 2 })
	p := e.srv.agentPresence()[aliceID]
	if p.Status != protocol.StatusOnline || p.Missed != 2 || p.Since != since {
		t.Fatalf("after two misses apart: %+v, want online since %d with 2 missed", p, since)
	}
	// A declined offer is not re-made at once.
	alice.waitConversation("offer again", offeredTo(two.ID, aliceID))
	var declined protocol.Conversation
	alice.decode(alice.request(protocol.TypeDecline, ref(two.ID)), protocol.TypeConversation, &declined)
	for i := 0; i < 3; i++ {
		e.srv.kickRouter()
		time.Sleep(20 * time.Millisecond)
	}
	if c, _ := e.srv.store.Conversation(context.Background(), two.ID); c.OfferAgentID != "" {
		t.Fatal("a declined offer was made again at once")
	}
	clock.advance(6 * time.Second)
	e.srv.kickRouter()
	alice.waitConversation("offer after a rest", offeredTo(two.ID, aliceID))
	clock.advance(time.Second)
	alice.request(protocol.TypeStatus, protocol.StatusData{Status: protocol.StatusAway})
	if p := e.srv.agentPresence()[aliceID]; p.Status != protocol.StatusAway || p.AutoAway || p.Since <= since {
		t.Fatalf("set away by hand: %+v", p)
	}
}

// waitFor waits until cond holds.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within 5s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}
