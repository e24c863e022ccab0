package server

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"testing"
	"time"

	"github.com/google/uuid"

	"switchboard/backend/conversation"
	"switchboard/backend/store"
	_ "switchboard/backend/store/postgres" // the engine of the PostgreSQL cluster tests
	"switchboard/backend/store/postgres/pgtest"
	"switchboard/protocol"
)

// pgNodes starts a throwaway PostgreSQL cluster (package pgtest) and two
// servers on one database of it, each with a store (a connection pool) of
// its own, as two nodes of a cluster.
func pgNodes(t *testing.T, change func(*Config)) (one, two *env) {
	t.Helper()
	ctx := context.Background()
	pg, err := pgtest.Start(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := pg.Stop(); err != nil {
			t.Errorf("stop postgres: %v", err)
		}
	})
	dsn, err := pg.CreateDB(ctx)
	if err != nil {
		t.Fatal(err)
	}
	open := func() store.Store {
		st, err := store.Open(ctx, dsn, store.OpenOptions{})
		if err != nil {
			t.Fatalf("open %s: %v", dsn, err)
		}
		t.Cleanup(func() { st.Close() })
		return st
	}
	st1, st2 := open(), open()
	one, two, _ = twoNodesOn(t, st1, st2, change)
	return one, two
}

// queueDirect stores a conversation of a new customer, handed over to team,
// as the bot would.
func queueDirect(t *testing.T, st store.Store, team string) string {
	t.Helper()
	ctx := context.Background()
	cust, err := st.UpsertCustomer(ctx, store.Customer{ID: uuid.NewString(), Name: "Visitor"})
	if err != nil {
		t.Fatal(err)
	}
	c, _, err := st.CreateConversation(ctx, store.NewConversation{CustomerID: cust.ID, Channel: "web",
		Opened: systemEvent(protocol.EventOpened, "", cust.ID), Actor: cust.ID})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := st.ChangeState(ctx, store.StateChange{ConversationID: c.ID, Event: conversation.Handoff,
		Team: &team, Message: systemEvent(protocol.EventHandoff, "asked for an agent", "bot"), Actor: "bot"}); err != nil {
		t.Fatal(err)
	}
	return c.ID
}

// drain reads and drops c's frames until its connection closes, so that
// pushes the test does not look at never fill the server's queue.
func (c *client) drain() {
	go func() {
		for {
			if _, _, err := c.ws.ReadMessage(); err != nil {
				return
			}
		}
	}()
}

// TestClusterPostgresRouting runs two nodes on one PostgreSQL database with
// agents on both and a queue that fills at once, so both routers route it
// at the same time (they share it by claims, store.QueueClaims) and both
// fire offer timers. Offers are never answered, so they expire, and the
// conversations go round the agents. Every conversation is offered; none is
// offered while an offer of it stands; and every offer that ended was ended
// by its timer, firing once.
func TestClusterPostgresRouting(t *testing.T) {
	one, two := pgNodes(t, func(c *Config) {
		c.OfferTimeout, c.TimerPoll, c.RoutePoll, c.MissedOffersAway = 500*time.Millisecond, 50*time.Millisecond, 250*time.Millisecond, -1
	})
	ctx := context.Background()
	st := one.srv.Store()
	alice, err := st.AgentByUsername(ctx, "alice")
	if err != nil {
		t.Fatal(err)
	}
	// Presales seats: alice 5, carol 8 and four more of 5: more than the
	// conversations, so each is offered from the start.
	for i := 1; i <= 4; i++ {
		if _, err := st.UpsertAgent(ctx, store.Agent{Username: fmt.Sprint("p", i), Name: fmt.Sprint("P", i),
			Role: protocol.RoleAgent, PasswordHash: alice.PasswordHash, Teams: []string{"presales"}, Capacity: 5}); err != nil {
			t.Fatal(err)
		}
	}
	const n = 30
	var convs []string
	for range n {
		convs = append(convs, queueDirect(t, st, "presales"))
	}
	names := map[string]bool{}
	for _, a := range []struct {
		node *env
		user string
	}{{one, "alice"}, {two, "carol"}, {one, "p1"}, {two, "p2"}, {one, "p3"}, {two, "p4"}} {
		c, w := a.node.agent(a.user)
		names[w.User.Name] = true
		c.drain()
	}

	// Until each conversation was offered twice (one offer expired) and
	// every agent had offers.
	var logs map[string][]store.Message
	offeredTo := map[string]bool{}
	deadline := time.Now().Add(60 * time.Second)
	for {
		logs = map[string][]store.Message{}
		done := true
		for _, id := range convs {
			msgs, err := two.srv.Store().Messages(ctx, store.MessageQuery{ConversationID: id, Limit: 1000})
			if err != nil {
				t.Fatal(err)
			}
			logs[id] = msgs
			offers := 0
			for _, m := range msgs {
				if m.Event != nil && m.Event.Type == protocol.EventOffered {
					offers++
					offeredTo[m.Event.Reason] = true
				}
			}
			done = done && offers >= 2
		}
		if done && len(offeredTo) == len(names) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("after 60s: offered to %v of %v; offers per conversation not all 2 or more", offeredTo, names)
		}
		time.Sleep(100 * time.Millisecond)
	}

	for id, msgs := range logs {
		live := false
		for _, m := range msgs {
			if m.Event == nil {
				continue
			}
			switch m.Event.Type {
			case protocol.EventOffered:
				if live {
					t.Errorf("conversation %s: offered to %s (seq %d) while an offer stood", id, m.Event.Reason, m.Seq)
				}
				live = true
			case protocol.EventOfferExpired:
				if !live {
					t.Errorf("conversation %s: an offer expired (seq %d) with none standing: a timer fired twice", id, m.Seq)
				}
				if m.Event.Actor != timerActor {
					t.Errorf("conversation %s: offer ended by %q (seq %d), want its timer", id, m.Event.Actor, m.Seq)
				}
				live = false
			}
		}
	}
	if got := slices.Sorted(maps.Keys(offeredTo)); len(got) != len(names) {
		t.Errorf("offers went to %v, want every agent of %v", got, names)
	}
}
