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

// testAgentAccess disables, enables and revokes: each disable and revoke
// moves the token generation on, enabling does not move it back, and
// UpsertAgent (the admin's set, the demo seed) changes neither.
func testAgentAccess(t *testing.T, s store.Store) {
	ctx := context.Background()
	alice, bob, _ := seed(t, s)
	if alice.Disabled || alice.TokenGen != 0 {
		t.Fatalf("new agent: disabled %v gen %d, want false 0", alice.Disabled, alice.TokenGen)
	}
	a, err := s.SetAgentDisabled(ctx, alice.ID, true)
	if err != nil || !a.Disabled || a.TokenGen != 1 || a.Username != "alice" {
		t.Fatalf("SetAgentDisabled(true) = %+v, %v; want disabled, gen 1", a, err)
	}
	// An upsert (agent set, the demo seed) keeps both.
	if a, err = s.UpsertAgent(ctx, store.Agent{Username: "alice", Name: "Alice", Role: protocol.RoleAgent, PasswordHash: "h"}); err != nil || !a.Disabled || a.TokenGen != 1 {
		t.Fatalf("UpsertAgent of a disabled agent = %+v, %v; want it still disabled, gen 1", a, err)
	}
	if a, err = s.SetAgentDisabled(ctx, alice.ID, false); err != nil || a.Disabled || a.TokenGen != 1 {
		t.Fatalf("SetAgentDisabled(false) = %+v, %v; want enabled, gen still 1", a, err)
	}
	if a, err = s.RevokeAgentTokens(ctx, alice.ID); err != nil || a.TokenGen != 2 || a.Disabled {
		t.Fatalf("RevokeAgentTokens = %+v, %v; want gen 2", a, err)
	}
	if a, err = s.AgentByUsername(ctx, "alice"); err != nil || a.TokenGen != 2 {
		t.Fatalf("AgentByUsername = %+v, %v; want gen 2", a, err)
	}
	if _, err := s.SetAgentDisabled(ctx, bob.ID, true); err != nil {
		t.Fatal(err)
	}
	access, err := s.AgentAccess(ctx)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]store.AgentAccess{}
	for _, x := range access {
		got[x.ID] = x
	}
	if len(got) != 2 || got[alice.ID] != (store.AgentAccess{ID: alice.ID, TokenGen: 2}) ||
		got[bob.ID] != (store.AgentAccess{ID: bob.ID, Disabled: true, TokenGen: 1}) {
		t.Errorf("AgentAccess = %+v", access)
	}
	for name, err := range map[string]error{
		"SetAgentDisabled":  func() error { _, err := s.SetAgentDisabled(ctx, uuid.NewString(), true); return err }(),
		"RevokeAgentTokens": func() error { _, err := s.RevokeAgentTokens(ctx, uuid.NewString()); return err }(),
	} {
		if !errors.Is(err, store.ErrNotFound) {
			t.Errorf("%s of an unknown agent = %v, want ErrNotFound", name, err)
		}
	}
}

// testDeleteTeam removes a team with its memberships, and refuses while a
// conversation is open in it or another team overflows to it.
func testDeleteTeam(t *testing.T, s store.Store) {
	ctx := context.Background()
	alice, _, cust := seed(t, s)
	if err := s.UpsertTeam(ctx, store.Team{ID: "vip", Name: "VIP", Backup: "aftersales"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.UpsertAgent(ctx, store.Agent{Username: "alice", Name: "Alice", Role: protocol.RoleAgent, PasswordHash: "h",
		Teams: []string{"presales", "aftersales"}}); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteTeam(ctx, "aftersales"); !errors.Is(err, store.ErrConflict) {
		t.Errorf("DeleteTeam of a backup team = %v, want ErrConflict", err)
	}
	if err := s.UpsertTeam(ctx, store.Team{ID: "vip", Name: "VIP"}); err != nil {
		t.Fatal(err)
	}
	c := create(t, s, cust.ID)
	if _, _, err := s.ChangeState(ctx, store.StateChange{ConversationID: c.ID, Event: conversation.Handoff,
		Team: ptr("aftersales"), Message: eventMsg(protocol.EventHandoff), Actor: "bot"}); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteTeam(ctx, "aftersales"); !errors.Is(err, store.ErrConflict) {
		t.Errorf("DeleteTeam with a queued conversation = %v, want ErrConflict", err)
	}
	if err := s.DeleteTeam(ctx, "vip"); err != nil {
		t.Fatalf("DeleteTeam(vip) = %v", err)
	}
	if err := s.DeleteTeam(ctx, "vip"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("DeleteTeam twice = %v, want ErrNotFound", err)
	}
	teams, _ := s.Teams(ctx)
	for _, tm := range teams {
		if tm.ID == "vip" {
			t.Errorf("Teams after DeleteTeam still has vip")
		}
	}
	a, err := s.Agent(ctx, alice.ID)
	if err != nil || len(a.Teams) != 2 {
		t.Errorf("alice = %+v, %v; want her two teams kept", a, err)
	}
}
