package server

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"switchboard/backend/notice"
	"switchboard/backend/store"
	"switchboard/protocol"
)

// adminChange does what the admin commands do: change the account in the
// store, then tell the running server through its notice socket.
func (e *env) adminChange(username string, change func(*store.Agent)) {
	e.t.Helper()
	ctx := context.Background()
	a, err := e.srv.store.AgentByUsername(ctx, username)
	if err != nil {
		e.t.Fatal(err)
	}
	change(&a)
	if _, err := e.srv.store.UpsertAgent(ctx, a); err != nil {
		e.t.Fatal(err)
	}
	if err := notice.Send(ctx, notice.Path(e.cfg.DataDir), notice.Notice{Kind: notice.Agent, ID: a.ID}); err != nil {
		e.t.Fatalf("notice: %v", err)
	}
}

// TestAccessChangesAtOnce checks that role and team changes reach open
// connections at once, with no sweep (it runs hourly here) and no
// reconnect: a demoted supervisor can no longer read or resolve another
// agent's conversation, an agent taken out of a team can no longer accept
// its queued conversations nor receives their pushes, and both are told.
func TestAccessChangesAtOnce(t *testing.T) {
	e := pickEnv(t, func(c *Config) { c.AccessPoll = time.Hour })
	_, alice, _, _, conv := chatting(t, e) // alice (presales) works conv
	sam, _ := e.agent("sam")               // supervisor of presales and after-sales
	if h := sam.request(protocol.TypeSync, protocol.SyncData{ConversationID: conv.ID}); h.Type != protocol.TypeHistory {
		t.Fatalf("supervisor sync before = %s, want history", h.Type)
	}

	e.adminChange("sam", func(a *store.Agent) { a.Role = protocol.RoleAgent })
	f := sam.waitPush("access push", func(f protocol.Frame) bool { return f.Type == protocol.TypeAccess })
	var u protocol.User
	sam.decode(f, protocol.TypeAccess, &u)
	if u.Role != protocol.RoleAgent || len(u.Teams) != 2 {
		t.Fatalf("access push = %+v, want role agent, both teams", u)
	}
	sam.wantError(sam.request(protocol.TypeSync, protocol.SyncData{ConversationID: conv.ID}), protocol.ErrNotFound.Code)
	sam.wantError(sam.request(protocol.TypeResolve, ref(conv.ID)), protocol.ErrNotFound.Code)

	// A promotion applies at once too.
	e.adminChange("sam", func(a *store.Agent) { a.Role = protocol.RoleSupervisor })
	sam.waitPush("access push", func(f protocol.Frame) bool {
		return f.Type == protocol.TypeAccess && containsRole(f, protocol.RoleSupervisor)
	})
	if h := sam.request(protocol.TypeSync, protocol.SyncData{ConversationID: conv.ID}); h.Type != protocol.TypeHistory {
		t.Fatalf("supervisor sync after promotion = %s, want history", h.Type)
	}
	// Demoted again, the conversation's traffic no longer reaches sam.
	e.adminChange("sam", func(a *store.Agent) { a.Role = protocol.RoleAgent })
	sam.waitPush("access push", func(f protocol.Frame) bool {
		return f.Type == protocol.TypeAccess && containsRole(f, protocol.RoleAgent)
	})
	alice.sendText(conv.ID, "still here")
	sam.noPush(300*time.Millisecond, "a message of alice's conversation", func(f protocol.Frame) bool {
		return containsConv(f, conv.ID)
	})

	// alice leaves presales: a queued presales conversation is no longer
	// hers to take, and new ones are not pushed to her.
	_, queued := e.queued("second", "human please")
	if q := alice.list(protocol.ListQueue); !hasConv(q, queued.ID) {
		t.Fatalf("alice's queue before = %v", ids(q))
	}
	e.adminChange("alice", func(a *store.Agent) { a.Teams = nil })
	alice.waitPush("access push", func(f protocol.Frame) bool { return f.Type == protocol.TypeAccess })
	alice.wantError(alice.request(protocol.TypeAccept, ref(queued.ID)), protocol.ErrNotFound.Code)
	if q := alice.list(protocol.ListQueue); len(q) != 0 {
		t.Fatalf("alice's queue after = %v, want empty", ids(q))
	}
	// Her own conversation stays hers.
	if h := alice.request(protocol.TypeSync, protocol.SyncData{ConversationID: conv.ID}); h.Type != protocol.TypeHistory {
		t.Fatalf("alice's own conversation after = %s", h.Type)
	}
	_, third := e.queued("third", "human please")
	alice.noPush(300*time.Millisecond, "a new queued conversation of her old team", func(f protocol.Frame) bool {
		return containsConv(f, third.ID)
	})
}

// TestDisableAtOnce checks a disabled account's connection closes when the
// notice arrives, not at the next sweep.
func TestDisableAtOnce(t *testing.T) {
	e := pickEnv(t, func(c *Config) { c.AccessPoll = time.Hour })
	bob, _ := e.agent("bob")
	a, err := e.srv.store.AgentByUsername(context.Background(), "bob")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.srv.store.SetAgentDisabled(context.Background(), a.ID, true); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	if err := notice.Send(context.Background(), notice.Path(e.cfg.DataDir), notice.Notice{Kind: notice.Agent, ID: a.ID}); err != nil {
		t.Fatal(err)
	}
	if code, errCode := readUntilClosed(t, bob); code != protocol.CloseUnauthorized || errCode != protocol.ErrAccountDisabled.Code {
		t.Fatalf("bob closed with %d after %q", code, errCode)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Logf("closed after %v", d)
	}
}

func containsConv(f protocol.Frame, id string) bool {
	var v struct {
		ID             string `json:"id"`
		ConversationID string `json:"conversation_id"`
	}
	decodeLoose(f, &v)
	return v.ID == id || v.ConversationID == id
}

func containsRole(f protocol.Frame, role string) bool {
	var u protocol.User
	decodeLoose(f, &u)
	return u.Role == role
}

// decodeLoose decodes a frame's data into v, ignoring errors.
func decodeLoose(f protocol.Frame, v any) { _ = json.Unmarshal(f.Data, v) }

// TestCapacityRaisedOffersAtOnce checks that an admin raising an agent's
// capacity brings the waiting conversation to them at once, not at the
// router's next poll (hourly here).
func TestCapacityRaisedOffersAtOnce(t *testing.T) {
	e := newEnv(t, func(c *Config) { c.RoutePoll, c.AccessPoll = time.Hour, time.Hour })
	e.adminChange("alice", func(a *store.Agent) { a.Capacity = 1 })
	alice, _ := e.agent("alice")
	aliceID := e.agentID("alice")
	_, first := e.queued("first", "human please")
	alice.waitConversation("offer of the first", offeredTo(first.ID, aliceID))
	alice.accept(first.ID)
	_, second := e.queued("second", "human please")
	// At capacity: the second waits (the router, woken by the handoff,
	// has had its look by now).
	time.Sleep(300 * time.Millisecond)
	if c, err := e.srv.store.Conversation(context.Background(), second.ID); err != nil || c.OfferAgentID != "" {
		t.Fatalf("second offered while alice is at capacity: %+v, %v", c.OfferAgentID, err)
	}
	e.adminChange("alice", func(a *store.Agent) { a.Capacity = 2 })
	alice.waitConversation("offer of the second", offeredTo(second.ID, aliceID))
}
