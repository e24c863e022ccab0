package storetest

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"switchboard/backend/conversation"
	"switchboard/backend/store"
	"switchboard/protocol"
)

// queueOf creates n conversations, each of a new customer, queued to team
// one after the other, and returns them in queue order.
func queueOf(t *testing.T, s store.Store, team string, n int) []store.Conversation {
	t.Helper()
	var out []store.Conversation
	for range n {
		cust, err := s.UpsertCustomer(context.Background(), store.Customer{ID: uuid.NewString()})
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, toQueue(t, s, create(t, s, cust.ID).ID, team))
	}
	return out
}

func claim(t *testing.T, s store.Store, holder string, now int64, limit int) []string {
	t.Helper()
	got, err := s.ClaimQueue(context.Background(), store.QueueClaim{Team: "presales", Holder: holder, Now: now, Until: now + 1000, Limit: limit})
	if err != nil {
		t.Fatalf("ClaimQueue(%s at %d): %v", holder, now, err)
	}
	return ids(got)
}

// testQueueClaimDisjoint: claimers get disjoint batches of their team's
// queue, in queue order, one after the other and all at once.
func testQueueClaimDisjoint(t *testing.T, s store.Store) {
	seed(t, s)
	queue := ids(queueOf(t, s, "presales", 6))
	other := queueOf(t, s, "aftersales", 1)

	a := claim(t, s, "a", 100, 4)
	b := claim(t, s, "b", 100, 10)
	if want := queue[:4]; !slices.Equal(a, want) {
		t.Errorf("first claim = %v, want the head of the queue %v", a, want)
	}
	if want := queue[4:]; !slices.Equal(b, want) {
		t.Errorf("second claim = %v, want the rest %v", b, want)
	}
	if c := claim(t, s, "c", 100, 10); len(c) != 0 {
		t.Errorf("claim of a queue held whole = %v, want none", c)
	}
	got, err := s.ClaimQueue(context.Background(), store.QueueClaim{Team: "aftersales", Holder: "c", Now: 100, Until: 1100})
	if err != nil || len(got) != 1 || got[0].ID != other[0].ID || got[0].State != conversation.Queued {
		t.Errorf("claim of another team = %v, %v, want its conversation", ids(got), err)
	}

	// All at once, as the routers of several nodes: every conversation is
	// claimed exactly once.
	queue = ids(queueOf(t, s, "presales", 12))
	const claimers = 6
	batches := make([][]string, claimers)
	var wg sync.WaitGroup
	for i := range claimers {
		wg.Go(func() {
			for {
				got, err := s.ClaimQueue(context.Background(), store.QueueClaim{Team: "presales", Holder: fmt.Sprint("r", i),
					Now: 200, Until: 5000, Limit: 2})
				if err != nil {
					t.Errorf("concurrent ClaimQueue: %v", err)
					return
				}
				if len(got) == 0 {
					return
				}
				batches[i] = append(batches[i], ids(got)...)
			}
		})
	}
	wg.Wait()
	var all []string
	for _, b := range batches {
		all = append(all, b...)
	}
	slices.Sort(all)
	slices.Sort(queue)
	if !slices.Equal(all, queue) {
		t.Errorf("concurrent claims took %v, want each of %v once", all, queue)
	}
}

// testQueueClaimOrder: a claim takes the queue's head as ListConversations
// orders it, priority first, then the time queued.
func testQueueClaimOrder(t *testing.T, s store.Store) {
	ctx := context.Background()
	seed(t, s)
	var convs []store.Conversation
	for range 3 {
		cust, err := s.UpsertCustomer(ctx, store.Customer{ID: uuid.NewString()})
		if err != nil {
			t.Fatal(err)
		}
		convs = append(convs, create(t, s, cust.ID))
	}
	first, vip, last := convs[0], convs[1], convs[2]
	if _, err := s.SetVerified(ctx, vip.ID, map[string]string{"vip": "true"}); err != nil {
		t.Fatal(err)
	}
	for _, c := range convs {
		toQueue(t, s, c.ID, "presales")
		time.Sleep(2 * time.Millisecond)
	}
	if got, want := claim(t, s, "a", 100, 2), []string{vip.ID, first.ID}; !slices.Equal(got, want) {
		t.Errorf("claim of 2 = %v, want the vip then the first %v", got, want)
	}
	if got, want := claim(t, s, "b", 100, 2), []string{last.ID}; !slices.Equal(got, want) {
		t.Errorf("next claim = %v, want the last %v", got, want)
	}
}

// testQueueClaimExpiry: a lease ends by itself, and the conversation can
// then be claimed again; its old holder cannot release the new lease.
func testQueueClaimExpiry(t *testing.T, s store.Store) {
	ctx := context.Background()
	seed(t, s)
	queue := ids(queueOf(t, s, "presales", 2))
	if got := claim(t, s, "a", 1000, 0); !slices.Equal(got, queue) {
		t.Fatalf("claim = %v, want %v", got, queue)
	}
	if got := claim(t, s, "b", 1999, 0); len(got) != 0 {
		t.Errorf("claim before the lease ends = %v, want none", got)
	}
	if got := claim(t, s, "b", 2000, 0); !slices.Equal(got, queue) {
		t.Errorf("claim once the lease ended = %v, want %v", got, queue)
	}
	if err := s.ReleaseQueue(ctx, "a", queue); err != nil {
		t.Fatalf("ReleaseQueue(old holder): %v", err)
	}
	if got := claim(t, s, "c", 2500, 0); len(got) != 0 {
		t.Errorf("claim after the old holder released = %v, want none: the lease is b's", got)
	}
}

// testQueueClaimOffered: an offered conversation is not routable, and any
// state change (the offer above all) ends the lease, so the conversation
// is routable again as soon as the offer ends.
func testQueueClaimOffered(t *testing.T, s store.Store) {
	ctx := context.Background()
	alice, _, cust := seed(t, s)
	queue := ids(queueOf(t, s, "presales", 2))
	// A conversation with the bot, not queued, is not routable either.
	create(t, s, cust.ID)
	if got := claim(t, s, "a", 1000, 0); !slices.Equal(got, queue) {
		t.Fatalf("claim = %v, want %v", got, queue)
	}
	if _, err := offer(s, queue[0], alice.ID, 5000, nil); err != nil {
		t.Fatalf("offer: %v", err)
	}
	if err := s.ReleaseQueue(ctx, "a", queue[1:]); err != nil {
		t.Fatal(err)
	}
	if got := claim(t, s, "b", 1000, 0); !slices.Equal(got, queue[1:]) {
		t.Errorf("claim with one offered = %v, want only the other %v", got, queue[1:])
	}
	if _, _, err := s.ChangeState(ctx, store.StateChange{ConversationID: queue[0], Event: conversation.Decline,
		OfferAgentID: ptr(""), IfOffer: ptr(alice.ID), Refuse: alice.ID, KeepTimers: true,
		Message: eventMsg(protocol.EventDeclined)}); err != nil {
		t.Fatalf("decline: %v", err)
	}
	if got := claim(t, s, "c", 1000, 0); !slices.Equal(got, queue[:1]) {
		t.Errorf("claim after the offer was declined = %v, want %v", got, queue[:1])
	}
}

// testQueueRelease: released conversations can be claimed at once; what
// the holder kept stays held.
func testQueueRelease(t *testing.T, s store.Store) {
	ctx := context.Background()
	seed(t, s)
	queue := ids(queueOf(t, s, "presales", 3))
	if got := claim(t, s, "a", 1000, 0); !slices.Equal(got, queue) {
		t.Fatalf("claim = %v, want %v", got, queue)
	}
	// Another holder releases nothing; nor do unknown ids or none.
	if err := s.ReleaseQueue(ctx, "b", queue); err != nil {
		t.Fatalf("ReleaseQueue(other holder): %v", err)
	}
	if err := s.ReleaseQueue(ctx, "a", nil); err != nil {
		t.Fatalf("ReleaseQueue(none): %v", err)
	}
	if got := claim(t, s, "b", 1000, 0); len(got) != 0 {
		t.Errorf("claim after another holder's release = %v, want none", got)
	}
	if err := s.ReleaseQueue(ctx, "a", []string{queue[0], queue[2], uuid.NewString()}); err != nil {
		t.Fatalf("ReleaseQueue: %v", err)
	}
	if got, want := claim(t, s, "b", 1000, 0), []string{queue[0], queue[2]}; !slices.Equal(got, want) {
		t.Errorf("claim after release = %v, want the released %v", got, want)
	}
}
