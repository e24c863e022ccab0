package app_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"switchboard/app"
	"switchboard/protocol"
)

// These tests run against app/internal/fakeserver: the server side of the
// offer, transfer, context, directory and status frames was being written
// at the same time as the app's, so the fake follows docs/protocol.md and
// the end-to-end tests hold the real server to the same contract.

var bob = protocol.User{ID: "u-bob", Role: protocol.RoleAgent, Name: "Bob", Teams: []string{"presales", "aftersales"}}

func wantCode(t *testing.T, what string, err error, code string) {
	t.Helper()
	if err == nil || !strings.HasPrefix(err.Error(), code+": ") {
		t.Fatalf("%s: error = %v, want %s", what, err, code)
	}
}

// lastConversation returns the last conversation event for id.
func lastConversation(evs []emitted, id string) (protocol.Conversation, bool) {
	var c protocol.Conversation
	ok := false
	for _, e := range named(evs, app.EventConversation) {
		if cc := e.data.(protocol.Conversation); cc.ID == id {
			c, ok = cc, true
		}
	}
	return c, ok
}

func ids(cs []protocol.Conversation) []string {
	out := []string{}
	for _, c := range cs {
		out = append(out, c.ID)
	}
	return out
}

func TestDeclineRoutingOffer(t *testing.T) {
	f := newFixture(t)
	f.signIn(t)

	f.srv.Offer("c1", alice)
	f.p.waitFor(t, "the offer", func(evs []emitted) bool {
		c, ok := lastConversation(evs, "c1")
		return ok && c.OfferAgentID == alice.ID && c.OfferExpiresAt > 0
	})
	queue, err := f.a.ListConversations("queue")
	if err != nil || len(queue) != 1 || queue[0].OfferAgentID != alice.ID || queue[0].OfferAgentName != "Alice" {
		t.Fatalf("queue with an offer = %+v, %v", queue, err)
	}

	conv, err := f.a.Decline("c1")
	if err != nil || conv.OfferAgentID != "" || conv.OfferExpiresAt != 0 || conv.State != protocol.StateQueued {
		t.Fatalf("Decline = %+v, %v; want the offer gone, still queued", conv, err)
	}
	_, err = f.a.Decline("c1")
	wantCode(t, "second Decline", err, "illegal_transition")
	_, err = f.a.Decline("")
	wantCode(t, "Decline(empty)", err, "invalid_request")
	msgs := f.srv.Messages("c1")
	last := msgs[len(msgs)-1]
	if last.Event == nil || last.Event.Type != protocol.EventDeclined || last.Visibility != protocol.VisibilityInternal {
		t.Fatalf("last stored message = %+v; want an internal declined event", last)
	}
}

func TestTransferOfferIsListedAsMineUntilItGoes(t *testing.T) {
	f := newFixture(t)
	f.srv.AddUser("bob", "pw", bob)
	f.srv.AddConversation(protocol.Conversation{
		ID: "t1", CustomerID: "v-2", CustomerName: "Li", Channel: "web", State: protocol.StateActive,
		Team: "presales", AssigneeID: bob.ID, AssigneeName: "Bob",
		OfferAgentID: alice.ID, OfferAgentName: "Alice", OfferExpiresAt: time.Now().Add(time.Minute).UnixMilli(),
		TransferFromID: bob.ID,
	})
	f.srv.AddConversation(protocol.Conversation{
		ID: "t2", CustomerID: "v-3", CustomerName: "Zhao", Channel: "web", State: protocol.StateActive,
		Team: "presales", AssigneeID: bob.ID, AssigneeName: "Bob",
		OfferAgentID: alice.ID, OfferAgentName: "Alice", OfferExpiresAt: time.Now().Add(time.Minute).UnixMilli(),
		TransferFromID: bob.ID,
	})
	f.signIn(t)
	f.p.waitFor(t, "t1 and t2", func(evs []emitted) bool {
		_, ok1 := lastConversation(evs, "t1")
		_, ok2 := lastConversation(evs, "t2")
		return ok1 && ok2
	})

	mine, err := f.a.ListConversations("mine")
	if got := ids(mine); err != nil || len(got) != 2 || !slices.Contains(got, "t1") || !slices.Contains(got, "t2") {
		t.Fatalf("mine = %v, %v; want both transfer offers", ids(mine), err)
	}

	conv, err := f.a.Accept("t1")
	if err != nil || conv.AssigneeID != alice.ID || conv.OfferAgentID != "" || conv.TransferFromID != "" ||
		conv.State != protocol.StateActive {
		t.Fatalf("Accept(transfer) = %+v, %v", conv, err)
	}

	// The other offer runs out: it stays bob's and leaves alice's list.
	f.srv.ExpireOffer("t2")
	f.p.waitFor(t, "t2 expired", func(evs []emitted) bool {
		c, ok := lastConversation(evs, "t2")
		return ok && c.OfferAgentID == ""
	})
	mine, _ = f.a.ListConversations("mine")
	if strings.Join(ids(mine), ",") != "t1" {
		t.Fatalf("mine after the offer expired = %v; want t1 only", ids(mine))
	}
}

func TestTransferToAgentAndTeam(t *testing.T) {
	f := newFixture(t)
	f.srv.AddUser("bob", "pw", bob)
	f.signIn(t)
	if _, err := f.a.Accept("c1"); err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name, agent, team, note, code string
	}{
		{"both targets", bob.ID, "aftersales", "", "invalid_request"},
		{"no target", "", "", "", "invalid_request"},
		{"note too long", bob.ID, "", strings.Repeat("注", protocol.MaxNoteRunes+1), "invalid_request"},
		{"empty conversation", "", "", "", "invalid_request"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			id := "c1"
			if tt.name == "empty conversation" {
				id = ""
			}
			_, err := f.a.Transfer(id, tt.agent, tt.team, tt.note)
			wantCode(t, "Transfer", err, tt.code)
		})
	}
	if n := f.srv.Count(protocol.TypeTransfer); n != 0 {
		t.Fatalf("%d transfer frames sent for invalid transfers; want them refused in the app", n)
	}

	// bob has no connection: he is offline.
	_, err := f.a.Transfer("c1", bob.ID, "", "")
	wantCode(t, "Transfer to offline bob", err, "target_unavailable")
	_, err = f.a.Transfer("c1", "", "nosuchteam", "")
	wantCode(t, "Transfer to an unknown team", err, "target_unavailable")

	f.srv.SetStatus(bob.ID, protocol.StatusOnline)
	conv, err := f.a.Transfer("c1", bob.ID, "", "VIP; wants a refund")
	if err != nil || conv.OfferAgentID != bob.ID || conv.TransferFromID != alice.ID || conv.AssigneeID != alice.ID {
		t.Fatalf("Transfer to bob = %+v, %v; want offered to bob, still alice's", conv, err)
	}
	var note *protocol.Message
	for _, m := range f.srv.Messages("c1") {
		if m.Kind == protocol.KindText && m.Text == "VIP; wants a refund" {
			note = &m
		}
	}
	if note == nil || note.Visibility != protocol.VisibilityInternal {
		t.Fatalf("transfer note stored as %+v; want an internal message", note)
	}
	mine, _ := f.a.ListConversations("mine")
	if len(mine) != 1 || mine[0].OfferAgentID != bob.ID {
		t.Fatalf("mine while offered to bob = %+v; want c1 still listed, with the offer", mine)
	}

	conv, err = f.a.Transfer("c1", "", "aftersales", "")
	if err != nil || conv.State != protocol.StateQueued || conv.Team != "aftersales" || conv.AssigneeID != "" {
		t.Fatalf("Transfer to aftersales = %+v, %v", conv, err)
	}
	mine, _ = f.a.ListConversations("mine")
	if len(mine) != 0 {
		t.Fatalf("mine after the team transfer = %v; want empty", ids(mine))
	}
}

func TestHandBack(t *testing.T) {
	f := newFixture(t)
	f.signIn(t)
	_, err := f.a.HandBack("c1")
	wantCode(t, "HandBack while queued", err, "illegal_transition")
	if _, err := f.a.Accept("c1"); err != nil {
		t.Fatal(err)
	}
	conv, err := f.a.HandBack("c1")
	if err != nil || conv.State != protocol.StateBot || conv.AssigneeID != "" {
		t.Fatalf("HandBack = %+v, %v", conv, err)
	}
	mine, _ := f.a.ListConversations("mine")
	if len(mine) != 0 {
		t.Fatalf("mine after hand back = %v", ids(mine))
	}
	msgs := f.srv.Messages("c1")
	if ev := msgs[len(msgs)-1].Event; ev == nil || ev.Type != protocol.EventHandedBack {
		t.Fatalf("last event = %+v; want handed_back", ev)
	}
}

func TestContextAndDirectory(t *testing.T) {
	f := newFixture(t)
	f.srv.AddUser("bob", "pw", bob)
	f.srv.SetContext(protocol.ContextData{
		ConversationID: "c1",
		Packet: &protocol.HandoffPacket{
			Trigger: protocol.TriggerAsked, Reason: "customer asked for an agent", Intent: "shipping_fee",
			Confidence: 0.42, Collected: map[string]string{"order_no": "A-1001"}, Summary: "asks about shipping",
		},
		Customer: protocol.Profile{ID: "v-1", Name: "Wang", Conversations: 2},
		Ext:      map[string]string{"order_no": "A-1001", "vip": "true"},
		Previous: []protocol.PastConversation{{ID: "old", State: protocol.StateClosed, AssigneeName: "Bob", Rating: 5}},
	})

	_, err := f.a.Context("c1")
	wantCode(t, "Context signed out", err, "unauthenticated")
	_, err = f.a.Directory()
	wantCode(t, "Directory signed out", err, "unauthenticated")

	f.signIn(t)
	d, err := f.a.Context("c1")
	if err != nil || d.Packet == nil || d.Packet.Trigger != "asked" || d.Packet.Collected["order_no"] != "A-1001" ||
		d.Customer.Conversations != 2 || len(d.Previous) != 1 || d.Previous[0].Rating != 5 || d.Ext["vip"] != "true" {
		t.Fatalf("Context(c1) = %+v, %v", d, err)
	}
	_, err = f.a.Context("nope")
	wantCode(t, "Context(nope)", err, "not_found")
	f.srv.AddConversation(protocol.Conversation{ID: "bare", CustomerID: "v-9", State: protocol.StateQueued, Team: "presales"})
	d, err = f.a.Context("bare")
	if err != nil || d.Packet != nil || d.Previous == nil {
		t.Fatalf("Context(bare) = %+v, %v; want no packet and an empty (non-nil) previous list", d, err)
	}

	dir, err := f.a.Directory()
	if err != nil || len(dir.Agents) != 2 || len(dir.Teams) != 2 {
		t.Fatalf("Directory = %+v, %v", dir, err)
	}
	byID := map[string]protocol.AgentInfo{}
	for _, a := range dir.Agents {
		byID[a.ID] = a
	}
	if byID[alice.ID].Status != protocol.StatusOnline || byID[bob.ID].Status != protocol.StatusOffline ||
		byID[bob.ID].Capacity == 0 {
		t.Fatalf("Directory agents = %+v; want alice online, bob offline", dir.Agents)
	}
	if dir.Teams[1].ID != "presales" || dir.Teams[1].QueueLength != 2 || dir.Teams[1].AgentsOnline != 1 {
		t.Fatalf("Directory teams = %+v; want presales with 2 queued and alice online", dir.Teams)
	}
}

func TestSetStatusIsRestoredAfterReconnect(t *testing.T) {
	f := newFixture(t)
	f.signIn(t)
	if c := lastConn(f.p.snapshot()); c.Status != protocol.StatusOnline {
		t.Fatalf("conn state = %+v; want status online after sign-in", c)
	}

	st, err := f.a.SetStatus("away")
	if err != nil || st != protocol.StatusAway || f.srv.Status(alice.ID) != protocol.StatusAway {
		t.Fatalf("SetStatus(away) = %q, %v; server has %q", st, err, f.srv.Status(alice.ID))
	}
	f.p.waitFor(t, "status away", func(evs []emitted) bool { return lastConn(evs).Status == protocol.StatusAway })
	_, err = f.a.SetStatus("busy")
	wantCode(t, "SetStatus(busy)", err, "invalid_request")

	// The server forgets the status with the connection; the app sets it again.
	sent := f.srv.Count(protocol.TypeStatus)
	f.srv.DropConnections()
	f.p.waitFor(t, "status sent again", func([]emitted) bool {
		return f.srv.Count(protocol.TypeStatus) > sent && f.srv.Status(alice.ID) == protocol.StatusAway
	})

	if _, err := f.a.SetStatus("online"); err != nil {
		t.Fatal(err)
	}
	// A restore still on its way when the agent chose sends the choice once
	// more (the server may have taken the two in either order): let it land.
	time.Sleep(100 * time.Millisecond)
	if got := f.srv.Status(alice.ID); got != protocol.StatusOnline {
		t.Fatalf("server status after SetStatus(online) = %q", got)
	}
	sent = f.srv.Count(protocol.TypeStatus)
	f.srv.DropConnections()
	f.p.waitFor(t, "online again", func(evs []emitted) bool { return countConnState(evs, "online") >= 3 })
	time.Sleep(50 * time.Millisecond)
	if n := f.srv.Count(protocol.TypeStatus); n != sent {
		t.Fatalf("%d status frames after reconnecting online; want none (a connection starts online)", n-sent)
	}
}

func TestClockOffsetFromWelcome(t *testing.T) {
	f := newFixture(t)
	f.signIn(t)
	// The fake's clock stands in 2025: far behind this machine's.
	server := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC).UnixMilli()
	evs := f.p.waitFor(t, "clock offset", func(evs []emitted) bool { return lastConn(evs).ClockOffsetMS != 0 })
	got := lastConn(evs).ClockOffsetMS
	want := server - time.Now().UnixMilli()
	if d := got - want; d < -60_000 || d > 60_000 {
		t.Fatalf("clock offset = %d ms, want about %d", got, want)
	}
	boot, _ := f.a.Bootstrap()
	if boot.Conn.ClockOffsetMS != got {
		t.Fatalf("Bootstrap conn = %+v; want the offset %d", boot.Conn, got)
	}
}
