package postgres

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/google/uuid"

	"switchboard/backend/audit"
	"switchboard/backend/conversation"
	"switchboard/backend/store"
	"switchboard/protocol"
)

// openNodes opens n stores on one new database at once, as n server nodes
// starting together do: they race to migrate it.
func openNodes(t *testing.T, n int) []*Store {
	t.Helper()
	ctx := context.Background()
	dsn, err := cluster.CreateDB(ctx)
	if err != nil {
		t.Fatal(err)
	}
	nodes := make([]*Store, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range nodes {
		wg.Go(func() { nodes[i], errs[i] = Open(ctx, dsn, Options{MaxConns: 4}) })
	}
	wg.Wait()
	for i, s := range nodes {
		if errs[i] != nil {
			t.Fatalf("Open node %d: %v", i, errs[i])
		}
		t.Cleanup(func() { s.Close() })
	}
	return nodes
}

func TestNodesMigrateOnce(t *testing.T) {
	nodes := openNodes(t, 3)
	var versions []int
	rows, err := nodes[0].pool.Query(context.Background(), `SELECT version FROM schema_version ORDER BY version`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var v int
		if err := rows.Scan(&v); err != nil {
			t.Fatal(err)
		}
		versions = append(versions, v)
	}
	if rows.Err() != nil || len(versions) != len(migrations) || versions[len(versions)-1] != len(migrations) {
		t.Errorf("schema versions = %v, %v, want 1..%d once each", versions, rows.Err(), len(migrations))
	}
}

// TestNodesShareConversations writes to one conversation from three nodes
// at once: seqs stay gap-free, one of their offers wins, their due timer
// fires once, and the audit log they all append to is one unbroken chain.
func TestNodesShareConversations(t *testing.T) {
	ctx := context.Background()
	nodes := openNodes(t, 3)
	s0 := nodes[0]
	if err := s0.UpsertTeam(ctx, store.Team{ID: "presales", Name: "Presales"}); err != nil {
		t.Fatal(err)
	}
	var agents []store.Agent
	for i := range nodes {
		a, err := s0.UpsertAgent(ctx, store.Agent{Username: fmt.Sprint("agent", i), Name: fmt.Sprint("Agent ", i),
			Role: protocol.RoleAgent, PasswordHash: "h", Teams: []string{"presales"}})
		if err != nil {
			t.Fatal(err)
		}
		agents = append(agents, a)
	}
	cust, err := s0.UpsertCustomer(ctx, store.Customer{ID: uuid.NewString()})
	if err != nil {
		t.Fatal(err)
	}
	c, _, err := s0.CreateConversation(ctx, store.NewConversation{CustomerID: cust.ID, Channel: "web", Actor: cust.ID,
		Opened: store.NewMessage{ClientMsgID: uuid.NewString(), SenderRole: protocol.RoleSystem, Kind: protocol.KindEvent,
			Visibility: protocol.VisibilityPublic, Event: &store.Event{Type: protocol.EventOpened}}})
	if err != nil {
		t.Fatal(err)
	}
	event := func(typ string) store.NewMessage {
		return store.NewMessage{ClientMsgID: uuid.NewString(), SenderRole: protocol.RoleSystem, Kind: protocol.KindEvent,
			Visibility: protocol.VisibilityPublic, Event: &store.Event{Type: typ}}
	}
	if _, _, err := s0.ChangeState(ctx, store.StateChange{ConversationID: c.ID, Event: conversation.Handoff, Team: ptr("presales"),
		Message: event(protocol.EventHandoff), Actor: "bot"}); err != nil {
		t.Fatal(err)
	}

	const each = 30
	var wg sync.WaitGroup
	var mu sync.Mutex
	offers, appended := 0, 0
	var failures []error
	for i, s := range nodes {
		wg.Go(func() {
			_, _, err := s.ChangeState(ctx, store.StateChange{ConversationID: c.ID, Event: conversation.Offer,
				OfferAgentID: ptr(agents[i].ID), OfferExpiresAt: 1000, TransferFromID: ptr(""), IfOffer: ptr(""), KeepTimers: true,
				Arm: []store.Timer{{Kind: conversation.OfferTimeout, DueAt: 1000}}, Message: event(protocol.EventOffered), Actor: "router"})
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				offers++
			case !errors.Is(err, store.ErrIllegalState):
				failures = append(failures, err)
			}
		})
		wg.Go(func() {
			for j := range each {
				_, err := s.AppendMessage(ctx, store.NewMessage{ConversationID: c.ID, ClientMsgID: uuid.NewString(),
					SenderRole: protocol.RoleCustomer, SenderID: cust.ID, Kind: protocol.KindText,
					Visibility: protocol.VisibilityPublic, Text: fmt.Sprint(i, "/", j)})
				mu.Lock()
				if err != nil {
					failures = append(failures, err)
				} else {
					appended++
				}
				mu.Unlock()
			}
		})
		wg.Go(func() {
			for j := range each / 3 {
				if err := s.AddAudit(ctx, store.AuditEntry{Actor: fmt.Sprint("node", i), Action: audit.ActionRead,
					ConversationID: c.ID, Detail: fmt.Sprint(j)}); err != nil {
					mu.Lock()
					failures = append(failures, err)
					mu.Unlock()
				}
			}
		})
	}
	wg.Wait()
	for _, err := range failures {
		t.Error(err)
	}
	if offers != 1 {
		t.Errorf("%d offers won, want 1", offers)
	}
	msgs, err := s0.Messages(ctx, store.MessageQuery{ConversationID: c.ID, Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	// opened, handoff, one offer and the appends.
	if want := 3 + appended; len(msgs) != want || appended != len(nodes)*each {
		t.Fatalf("%d messages, %d appended; want %d", len(msgs), appended, 3+len(nodes)*each)
	}
	for i, m := range msgs {
		if m.Seq != int64(i+1) {
			t.Fatalf("message %d has seq %d: not gap-free", i, m.Seq)
		}
	}

	// Every node sees the offer's timer due; it expires once.
	var due []store.Timer
	for _, s := range nodes {
		if due, err = s.DueTimers(ctx, 1000, 0); err != nil || len(due) != 1 {
			t.Fatalf("DueTimers = %+v, %v, want the offer's timer", due, err)
		}
	}
	expired := 0
	for _, s := range nodes {
		wg.Go(func() {
			tt := due[0]
			_, _, err := s.ChangeState(ctx, store.StateChange{ConversationID: c.ID, Event: conversation.OfferTimeout, IfTimer: &tt,
				OfferAgentID: ptr(""), TransferFromID: ptr(""), KeepTimers: true, Message: event("offer_expired"), Actor: "timer"})
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				expired++
			case !errors.Is(err, store.ErrIllegalState):
				t.Errorf("expire offer: %v", err)
			}
		})
	}
	wg.Wait()
	if expired != 1 {
		t.Errorf("the offer expired %d times, want once", expired)
	}

	var v audit.Verifier
	entries, err := s0.AuditLog(ctx, store.AuditQuery{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if err := v.Add(audit.Entry{ID: e.ID, TS: e.TS, Actor: e.Actor, Action: e.Action,
			ConversationID: e.ConversationID, Detail: e.Detail}, e.Hash); err != nil {
			t.Fatalf("audit chain: %v", err)
		}
	}
	// open, handoff, the offer, the reads and the expiry.
	if want := 3 + len(nodes)*(each/3) + 1; len(entries) != want {
		t.Errorf("%d audit entries, want %d", len(entries), want)
	}
}

func TestReopenKeepsDataAndSchema(t *testing.T) {
	ctx := context.Background()
	dsn, err := cluster.CreateDB(ctx)
	if err != nil {
		t.Fatal(err)
	}
	s, err := Open(ctx, dsn, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.EnsureSetting(ctx, "k", "v1"); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s, err = Open(ctx, dsn, Options{})
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	defer s.Close()
	var version int
	if err := s.pool.QueryRow(ctx, `SELECT MAX(version) FROM schema_version`).Scan(&version); err != nil || version != len(migrations) {
		t.Errorf("schema version = %d, %v, want %d", version, err, len(migrations))
	}
	if got, _ := s.EnsureSetting(ctx, "k", "v2"); got != "v1" {
		t.Errorf("setting after reopen = %q, want v1", got)
	}
}

func ptr(s string) *string { return &s }
