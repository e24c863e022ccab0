package storetest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"

	"switchboard/backend/conversation"
	"switchboard/backend/store"
	"switchboard/protocol"
)

func offer(s store.Store, id, agent string, due int64, extra func(*store.StateChange)) (store.Conversation, error) {
	sc := store.StateChange{
		ConversationID: id, Event: conversation.Offer, OfferAgentID: ptr(agent), OfferExpiresAt: due,
		TransferFromID: ptr(""), IfOffer: ptr(""), KeepTimers: true,
		Arm:     []store.Timer{{Kind: conversation.OfferTimeout, DueAt: due}},
		Message: eventMsg(protocol.EventOffered), Actor: "router",
	}
	if extra != nil {
		extra(&sc)
	}
	c, _, err := s.ChangeState(context.Background(), sc)
	return c, err
}

func timerKinds(t *testing.T, s store.Store, id string) []conversation.Event {
	t.Helper()
	var out []conversation.Event
	for _, tm := range timers(t, s, id) {
		out = append(out, tm.Kind)
	}
	slices.Sort(out)
	return out
}

// testOffers: an offer is one agent at a time, lives with its timer, and a
// refusal is remembered.
func testOffers(t *testing.T, s store.Store) {
	ctx := context.Background()
	alice, bob, cust := seed(t, s)
	c := create(t, s, cust.ID)
	toQueue(t, s, c.ID, "presales")

	got, err := offer(s, c.ID, alice.ID, 5000, func(sc *store.StateChange) { sc.IfState = conversation.Queued })
	if err != nil {
		t.Fatalf("offer: %v", err)
	}
	if got.OfferAgentID != alice.ID || got.OfferAgentName != "Alice" || got.OfferExpiresAt != 5000 || got.State != conversation.Queued {
		t.Fatalf("offered = %+v", got)
	}
	// A second offer while one stands loses.
	if _, err := offer(s, c.ID, bob.ID, 6000, nil); !errors.Is(err, store.ErrIllegalState) {
		t.Fatalf("second offer: error = %v, want ErrIllegalState", err)
	}
	offered, err := s.ListConversations(ctx, store.ConversationFilter{OfferAgentID: alice.ID})
	if err != nil || len(offered) != 1 || offered[0].ID != c.ID {
		t.Fatalf("offered to alice = %v, %v", ids(offered), err)
	}
	if got := timerKinds(t, s, c.ID); !slices.Equal(got, []conversation.Event{conversation.OfferTimeout}) {
		t.Fatalf("timers = %v, want the offer's", got)
	}

	// Declining clears the offer and its timer, and is remembered.
	if _, _, err := s.ChangeState(ctx, store.StateChange{ConversationID: c.ID, Event: conversation.Decline,
		OfferAgentID: ptr(""), IfOffer: ptr(alice.ID), Refuse: alice.ID, KeepTimers: true,
		Message: eventMsg(protocol.EventDeclined)}); err != nil {
		t.Fatalf("decline: %v", err)
	}
	cur, _ := s.Conversation(ctx, c.ID)
	if cur.OfferAgentID != "" || cur.OfferExpiresAt != 0 || len(timers(t, s, c.ID)) != 0 {
		t.Fatalf("after decline: %+v, timers %v", cur, timers(t, s, c.ID))
	}
	if r, err := s.Refusals(ctx, c.ID); err != nil || !slices.Equal(r, []string{alice.ID}) {
		t.Fatalf("refusals = %v, %v", r, err)
	}

	// An offer for a queued conversation only: not once it is active.
	if _, err := offer(s, c.ID, bob.ID, 7000, nil); err != nil {
		t.Fatalf("offer to bob: %v", err)
	}
	if _, _, err := s.ChangeState(ctx, store.StateChange{ConversationID: c.ID, Event: conversation.Accept,
		AssigneeID: ptr(alice.ID), OfferAgentID: ptr(""), Message: eventMsg(protocol.EventAssigned),
		Arm: []store.Timer{{Kind: conversation.IdleTimeout, DueAt: 9000}}}); err != nil {
		t.Fatalf("accept from the queue: %v", err)
	}
	cur, _ = s.Conversation(ctx, c.ID)
	if cur.OfferAgentID != "" || cur.AssigneeID != alice.ID {
		t.Fatalf("accept left %+v", cur)
	}
	if got := timerKinds(t, s, c.ID); !slices.Equal(got, []conversation.Event{conversation.IdleTimeout}) {
		t.Fatalf("timers after accept = %v", got)
	}
	if _, err := offer(s, c.ID, bob.ID, 8000, func(sc *store.StateChange) { sc.IfState = conversation.Queued }); !errors.Is(err, store.ErrIllegalState) {
		t.Fatalf("routing offer of an active conversation: error = %v, want ErrIllegalState", err)
	}

	// A transfer offer keeps the state's timers; the state changing keeps
	// the offer and its timer.
	if _, err := offer(s, c.ID, bob.ID, 8000, func(sc *store.StateChange) { sc.TransferFromID = ptr(alice.ID) }); err != nil {
		t.Fatalf("transfer offer: %v", err)
	}
	if got := timerKinds(t, s, c.ID); !slices.Equal(got, []conversation.Event{conversation.IdleTimeout, conversation.OfferTimeout}) {
		t.Fatalf("timers with a transfer pending = %v", got)
	}
	if _, _, err := s.ChangeState(ctx, store.StateChange{ConversationID: c.ID, Event: conversation.IdleTimeout,
		Message: eventMsg(protocol.EventWaiting), Arm: []store.Timer{{Kind: conversation.AutoResolve, DueAt: 9500}}}); err != nil {
		t.Fatalf("idle: %v", err)
	}
	cur, _ = s.Conversation(ctx, c.ID)
	if cur.OfferAgentID != bob.ID || cur.TransferFromID != alice.ID {
		t.Fatalf("the transfer did not outlive idle: %+v", cur)
	}
	if got := timerKinds(t, s, c.ID); !slices.Equal(got, []conversation.Event{conversation.AutoResolve, conversation.OfferTimeout}) {
		t.Fatalf("timers after idle = %v", got)
	}
	if _, _, err := s.ChangeState(ctx, store.StateChange{ConversationID: c.ID, Event: conversation.TransferAccept,
		AssigneeID: ptr(bob.ID), OfferAgentID: ptr(""), TransferFromID: ptr(""), IfOffer: ptr(bob.ID),
		Message: eventMsg(protocol.EventTransferAccepted)}); err != nil {
		t.Fatalf("transfer accept: %v", err)
	}
	cur, _ = s.Conversation(ctx, c.ID)
	if cur.AssigneeID != bob.ID || cur.State != conversation.Active || cur.OfferAgentID != "" || len(timers(t, s, c.ID)) != 0 {
		t.Fatalf("after transfer accept: %+v, timers %v", cur, timers(t, s, c.ID))
	}
}

// testConcurrentOffers: of many offers at once, one wins.
func testConcurrentOffers(t *testing.T, s store.Store) {
	alice, bob, cust := seed(t, s)
	c := create(t, s, cust.ID)
	toQueue(t, s, c.ID, "presales")
	var wg sync.WaitGroup
	var mu sync.Mutex
	won := 0
	for i := 0; i < 16; i++ {
		agent := alice.ID
		if i%2 == 1 {
			agent = bob.ID
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := offer(s, c.ID, agent, 1000, nil); err == nil {
				mu.Lock()
				won++
				mu.Unlock()
			} else if !errors.Is(err, store.ErrIllegalState) {
				t.Errorf("offer: %v", err)
			}
		}()
	}
	wg.Wait()
	if won != 1 {
		t.Fatalf("%d offers won, want 1", won)
	}
}

// testRatingAndRouting: a rating is stored once; team and agent routing
// fields round-trip.
func testRatingAndRouting(t *testing.T, s store.Store) {
	ctx := context.Background()
	alice, _, cust := seed(t, s)
	if err := s.UpsertTeam(ctx, store.Team{ID: "presales", Name: "售前", Skills: []string{"presales", "zh"}, Backup: "aftersales", OverflowAt: 7}); err != nil {
		t.Fatal(err)
	}
	teams, err := s.Teams(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var pre store.Team
	for _, tm := range teams {
		if tm.ID == "presales" {
			pre = tm
		}
	}
	if !slices.Equal(pre.Skills, []string{"presales", "zh"}) || pre.Backup != "aftersales" || pre.OverflowAt != 7 {
		t.Fatalf("team = %+v", pre)
	}
	a, err := s.UpsertAgent(ctx, store.Agent{Username: "alice", Name: "Alice", Role: protocol.RoleAgent, PasswordHash: "h",
		Teams: []string{"presales"}, Skills: []string{"en", "zh"}})
	if err != nil || a.ID != alice.ID || !slices.Equal(a.Skills, []string{"en", "zh"}) {
		t.Fatalf("agent = %+v, %v", a, err)
	}
	all, err := s.Agents(ctx)
	if err != nil || len(all) != 2 || all[0].Name != "Alice" || all[0].Teams[0] != "presales" {
		t.Fatalf("Agents = %+v, %v", all, err)
	}

	c := create(t, s, cust.ID)
	packet := `{"trigger":"asked"}`
	if _, _, err := s.ChangeState(ctx, store.StateChange{ConversationID: c.ID, Event: conversation.Handoff, Team: ptr("presales"),
		Packet: &packet, Message: eventMsg(protocol.EventHandoff)}); err != nil {
		t.Fatal(err)
	}
	rate := func(score int) error {
		_, _, err := s.ChangeState(ctx, store.StateChange{ConversationID: c.ID, Event: conversation.Rate,
			Rating: &store.Rating{Score: score, Comment: "好"}, KeepTimers: true, Message: eventMsg(protocol.EventRated)})
		return err
	}
	if err := rate(5); !errors.Is(err, store.ErrIllegalState) {
		t.Fatalf("rating a queued conversation: %v, want ErrIllegalState", err)
	}
	if _, _, err := s.ChangeState(ctx, store.StateChange{ConversationID: c.ID, Event: conversation.Accept, AssigneeID: ptr(alice.ID),
		Message: eventMsg(protocol.EventAssigned)}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.ChangeState(ctx, store.StateChange{ConversationID: c.ID, Event: conversation.Resolve,
		Message: eventMsg(protocol.EventResolved), Arm: []store.Timer{{Kind: conversation.Close, DueAt: 99}}}); err != nil {
		t.Fatal(err)
	}
	if err := rate(4); err != nil {
		t.Fatalf("rate: %v", err)
	}
	if err := rate(1); !errors.Is(err, store.ErrIllegalState) {
		t.Fatalf("second rating: %v, want ErrIllegalState", err)
	}
	cur, _ := s.Conversation(ctx, c.ID)
	if cur.Rating != 4 || cur.RatingComment != "好" || cur.Packet != packet || cur.State != conversation.Resolved {
		t.Fatalf("rated = %+v", cur)
	}
	if got := timerKinds(t, s, c.ID); !slices.Equal(got, []conversation.Event{conversation.Close}) {
		t.Fatalf("timers after rating = %v, want close kept", got)
	}
	newest, err := s.ListConversations(ctx, store.ConversationFilter{CustomerID: cust.ID, Newest: true})
	if err != nil || len(newest) != 1 {
		t.Fatalf("newest = %v, %v", newest, err)
	}
}

// testCapacityGuard: a guarded change fails with ErrLimit, writing nothing,
// when it would take the agent past the bound; guarded changes for one agent
// racing each other cannot together pass it.
func testCapacityGuard(t *testing.T, s store.Store) {
	ctx := context.Background()
	alice, _, _ := seed(t, s)
	convs := make([]store.Conversation, 26)
	for i := range convs {
		cust, err := s.UpsertCustomer(ctx, store.Customer{ID: fmt.Sprintf("cap-%d", i), Name: "顾客"})
		if err != nil {
			t.Fatal(err)
		}
		convs[i] = create(t, s, cust.ID)
		toQueue(t, s, convs[i].ID, "presales")
	}
	guard := func(max int) func(*store.StateChange) {
		return func(sc *store.StateChange) { sc.Capacity = &store.CapacityGuard{AgentID: alice.ID, Max: max} }
	}
	if _, err := offer(s, convs[0].ID, alice.ID, 1000, guard(1)); err != nil {
		t.Fatalf("first offer within capacity 1: %v", err)
	}
	if _, err := offer(s, convs[1].ID, alice.ID, 1000, guard(1)); !errors.Is(err, store.ErrLimit) {
		t.Fatalf("second offer past capacity 1: %v, want ErrLimit", err)
	}
	if c, err := s.Conversation(ctx, convs[1].ID); err != nil || c.OfferAgentID != "" {
		t.Errorf("the refused offer was written: %+v, %v", c, err)
	}
	// Accepting the offered one takes no more room than its offer did.
	if _, _, err := s.ChangeState(ctx, store.StateChange{ConversationID: convs[0].ID, Event: conversation.Accept,
		AssigneeID: &alice.ID, OfferAgentID: ptr(""), TransferFromID: ptr(""), Message: eventMsg(protocol.EventAssigned),
		Capacity: &store.CapacityGuard{AgentID: alice.ID, Max: 1}}); err != nil {
		t.Fatalf("accepting the offered conversation at capacity 1: %v", err)
	}
	// Twenty-four offers at once with room for two more: two pass.
	var wg sync.WaitGroup
	var mu sync.Mutex
	won := 0
	for _, c := range convs[2:] {
		wg.Go(func() {
			_, err := offer(s, c.ID, alice.ID, 1000, guard(3))
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				won++
			case !errors.Is(err, store.ErrLimit):
				t.Errorf("offer: %v", err)
			}
		})
	}
	wg.Wait()
	if won != 2 {
		t.Errorf("%d racing offers passed a guard with room for 2", won)
	}
}

// testAgentLoad: an agent's load is the conversations assigned to them in
// the given states and those offered to them that are not theirs yet.
func testAgentLoad(t *testing.T, s store.Store) {
	ctx := context.Background()
	alice, bob, cust := seed(t, s)
	working := []conversation.State{conversation.Active, conversation.WaitingCustomer}
	load := func(a store.Agent, want int) {
		t.Helper()
		if n, err := s.AgentLoad(ctx, a.ID, working); err != nil || n != want {
			t.Errorf("AgentLoad(%s) = %d, %v, want %d", a.Name, n, err, want)
		}
	}
	load(alice, 0)
	customer := func(name string) string {
		t.Helper()
		c, err := s.UpsertCustomer(ctx, store.Customer{ID: "load-" + name, Name: name})
		if err != nil {
			t.Fatalf("UpsertCustomer: %v", err)
		}
		return c.ID
	}
	// Assigned to Alice and active.
	c1 := create(t, s, cust.ID)
	accept(t, s, c1.ID, alice.ID)
	load(alice, 1)
	// Queued and offered to her.
	c2 := create(t, s, customer("two"))
	toQueue(t, s, c2.ID, "presales")
	if _, err := offer(s, c2.ID, alice.ID, 5000, func(sc *store.StateChange) { sc.IfState = conversation.Queued }); err != nil {
		t.Fatalf("offer: %v", err)
	}
	load(alice, 2)
	// Bob's, offered to Alice as a transfer: Alice's load and Bob's.
	c3 := create(t, s, customer("three"))
	accept(t, s, c3.ID, bob.ID)
	if _, err := offer(s, c3.ID, alice.ID, 6000, func(sc *store.StateChange) { sc.TransferFromID = ptr(bob.ID) }); err != nil {
		t.Fatalf("transfer offer: %v", err)
	}
	load(alice, 3)
	load(bob, 1)
	// Resolved, c1 no longer counts; a state outside the list never does.
	if _, _, err := s.ChangeState(ctx, store.StateChange{ConversationID: c1.ID, Event: conversation.Resolve,
		Message: eventMsg(protocol.EventResolved), Actor: alice.ID}); err != nil {
		t.Fatalf("resolve: %v", err)
	}
	load(alice, 2)
	if n, err := s.AgentLoad(ctx, bob.ID, []conversation.State{conversation.Queued}); err != nil || n != 0 {
		t.Errorf("AgentLoad(Bob, queued) = %d, %v, want 0", n, err)
	}
	// The count agrees with the lists it replaces.
	for _, a := range []store.Agent{alice, bob} {
		mine, err1 := s.ListConversations(ctx, store.ConversationFilter{AssigneeID: a.ID, States: working})
		offered, err2 := s.ListConversations(ctx, store.ConversationFilter{OfferAgentID: a.ID})
		if err := errors.Join(err1, err2); err != nil {
			t.Fatal(err)
		}
		want := len(mine)
		for _, o := range offered {
			if o.AssigneeID != a.ID {
				want++
			}
		}
		load(a, want)
	}
}
