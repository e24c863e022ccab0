package storetest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"

	"github.com/google/uuid"

	"switchboard/backend/store"
	"switchboard/protocol"
)

// routeAll delivers every outbox entry to each endpoint, recording what it
// was offered.
func routeAll(endpoints ...string) (func(store.OutboxEntry) []store.Route, *[]store.OutboxEntry) {
	var mu sync.Mutex
	var seen []store.OutboxEntry
	return func(e store.OutboxEntry) []store.Route {
		mu.Lock()
		seen = append(seen, e)
		mu.Unlock()
		var out []store.Route
		for _, ep := range endpoints {
			out = append(out, store.Route{EndpointID: ep, EventType: "type-of-" + e.Kind})
		}
		return out
	}, &seen
}

func putEndpoint(t *testing.T, s store.Store, id string) store.WebhookEndpoint {
	t.Helper()
	e, err := s.PutWebhookEndpoint(context.Background(), store.WebhookEndpoint{ID: id, URL: "http://127.0.0.1:9/" + id, Secret: "k-" + id, Enabled: true})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// testWebhookEndpoints: endpoints are created, replaced, listed and
// deleted with their deliveries.
func testWebhookEndpoints(t *testing.T, s store.Store) {
	ctx := context.Background()
	e, err := s.PutWebhookEndpoint(ctx, store.WebhookEndpoint{
		ID: "crm", URL: "https://crm.example/hook", Events: []string{"conversation.resolved", "message.created"},
		Private: true, Enabled: true, Secret: "new", OldSecret: "old", OldSecretUntil: 99,
	})
	if err != nil {
		t.Fatal(err)
	}
	if e.ID != "crm" || len(e.Events) != 2 || !e.Private || !e.Enabled || e.Secret != "new" || e.OldSecret != "old" || e.OldSecretUntil != 99 || e.CreatedAt == 0 {
		t.Fatalf("put: %+v", e)
	}
	e.Enabled, e.Events, e.URL = false, nil, "https://crm.example/v2"
	if _, err := s.PutWebhookEndpoint(ctx, e); err != nil {
		t.Fatal(err)
	}
	putEndpoint(t, s, "bi")
	list, err := s.WebhookEndpoints(ctx)
	if err != nil || len(list) != 2 || list[0].ID != "bi" || list[1].URL != "https://crm.example/v2" || list[1].Enabled || list[1].Events != nil {
		t.Fatalf("list: %+v %v", list, err)
	}
	if err := s.DeleteWebhookEndpoint(ctx, "bi"); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteWebhookEndpoint(ctx, "bi"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("delete twice: %v", err)
	}
}

// testOutboxFanOut: every stored message, the opening event included,
// has its outbox entry; a fan-out makes one delivery per route and empties
// the outbox; claims give each endpoint a conversation's deliveries in seq
// order, one at a time.
func testOutboxFanOut(t *testing.T, s store.Store) {
	ctx := context.Background()
	_, _, cust := seed(t, s)
	putEndpoint(t, s, "a")
	putEndpoint(t, s, "b")
	c := create(t, s, cust.ID)
	for i := range 3 {
		if _, err := s.AppendMessage(ctx, textMsg(c.ID, fmt.Sprint("m", i))); err != nil {
			t.Fatal(err)
		}
	}
	toQueue(t, s, c.ID, "presales")
	route, seen := routeAll("a", "b")
	n, err := s.FanOut(ctx, 100, 1000, route)
	if err != nil || n != 5 {
		t.Fatalf("FanOut = %d, %v; want the 5 messages", n, err)
	}
	var seqs []int64
	for _, e := range *seen {
		seqs = append(seqs, e.Seq)
		if e.ConversationID != c.ID || e.CreatedAt == 0 {
			t.Errorf("entry %+v", e)
		}
	}
	if !slices.Equal(seqs, []int64{1, 2, 3, 4, 5}) {
		t.Errorf("outbox seqs %v", seqs)
	}
	first, last := (*seen)[0], (*seen)[4]
	if first.Kind != protocol.KindEvent || first.EventType != protocol.EventOpened || last.EventType != protocol.EventHandoff || (*seen)[1].Kind != protocol.KindText || (*seen)[1].Visibility != protocol.VisibilityPublic {
		t.Errorf("entries %+v", *seen)
	}
	if n, err := s.FanOut(ctx, 100, 1000, route); err != nil || n != 0 {
		t.Fatalf("second FanOut = %d, %v; want an empty outbox", n, err)
	}

	// One claim holds the head of each endpoint's conversation only.
	got, err := s.ClaimDeliveries(ctx, store.DeliveryClaim{Holder: "n1", Now: 1000, Until: 2000, Limit: 100})
	if err != nil || len(got) != 2 {
		t.Fatalf("claim = %+v, %v; want seq 1 for a and for b", got, err)
	}
	for _, d := range got {
		if d.Seq != 1 || d.EventType != "type-of-event" || d.State != store.DeliveryPending {
			t.Errorf("claimed %+v", d)
		}
	}
	// Held: nothing more to claim until it is finished.
	if more, _ := s.ClaimDeliveries(ctx, store.DeliveryClaim{Holder: "n2", Now: 1000, Until: 2000, Limit: 100}); len(more) != 0 {
		t.Fatalf("claimed behind a held delivery: %+v", more)
	}
	var a store.Delivery
	for _, d := range got {
		if d.EndpointID == "a" {
			a = d
		}
	}
	order := map[string][]int64{}
	for _, d := range got {
		if d.EndpointID == "b" {
			if err := s.FinishDelivery(ctx, store.DeliveryOutcome{ID: d.ID, Holder: "n1", State: store.DeliveryDone, Attempts: 1, FirstAt: 1000, At: 1000}); err != nil {
				t.Fatal(err)
			}
			order["b"] = append(order["b"], d.Seq)
		}
	}
	// A retry keeps the order: seq 2 waits behind seq 1.
	if err := s.FinishDelivery(ctx, store.DeliveryOutcome{ID: a.ID, Holder: "n1", State: store.DeliveryPending, Attempts: 1, FirstAt: 1000, NextAt: 5000, Status: 500, Error: "boom", At: 1000}); err != nil {
		t.Fatal(err)
	}
	if err := s.FinishDelivery(ctx, store.DeliveryOutcome{ID: a.ID, Holder: "n1", State: store.DeliveryDone, At: 1000}); !errors.Is(err, store.ErrConflict) {
		t.Fatalf("finish without the lease: %v", err)
	}
	if more, _ := s.ClaimDeliveries(ctx, store.DeliveryClaim{Holder: "n2", Now: 1500, Until: 2500, Limit: 100}); len(more) != 1 || more[0].EndpointID != "b" || more[0].Seq != 2 {
		t.Fatalf("claimed %+v, want b's seq 2 only: a's seq 2 waits behind its seq 1's retry", more)
	} else if err := s.FinishDelivery(ctx, store.DeliveryOutcome{ID: more[0].ID, Holder: "n2", State: store.DeliveryDone, Attempts: 1, FirstAt: 1500, At: 1500}); err != nil {
		t.Fatal(err)
	} else {
		order["b"] = append(order["b"], more[0].Seq)
	}
	again, _ := s.ClaimDeliveries(ctx, store.DeliveryClaim{Holder: "n2", Now: 5000, Until: 6000, Limit: 100})
	var retried *store.Delivery
	for i, d := range again {
		if d.EndpointID == "a" {
			retried = &again[i]
		}
	}
	if retried == nil || retried.ID != a.ID || retried.Attempts != 1 || retried.LastStatus != 500 || retried.LastError != "boom" || retried.FirstAt != 1000 {
		t.Fatalf("retry claim %+v, want a's seq 1 with its first attempt recorded", again)
	}
	// Finished in order; an expired lease is claimed again.
	now := int64(6000)
	for range 20 {
		batch, err := s.ClaimDeliveries(ctx, store.DeliveryClaim{Holder: "n3", Now: now, Until: now + 10, Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		now += 20 // past every lease: the unfinished are claimed again
		if len(batch) == 0 {
			break
		}
		for _, d := range batch {
			if d.EndpointID == "b" && d.Seq == 3 && len(order["b-expired"]) == 0 {
				order["b-expired"] = append(order["b-expired"], d.Seq)
				continue // let its lease run out
			}
			if err := s.FinishDelivery(ctx, store.DeliveryOutcome{ID: d.ID, Holder: "n3", State: store.DeliveryDone, Attempts: d.Attempts + 1, FirstAt: now, At: now}); err != nil {
				t.Fatal(err)
			}
			order[d.EndpointID] = append(order[d.EndpointID], d.Seq)
		}
	}
	for _, ep := range []string{"a", "b"} {
		if !slices.Equal(order[ep], []int64{1, 2, 3, 4, 5}) {
			t.Errorf("endpoint %s got seqs %v, want 1..5 in order", ep, order[ep])
		}
	}
	counts, err := s.DeliveryCounts(ctx)
	if err != nil || len(counts) != 2 || counts[0].State != store.DeliveryDone || counts[0].N != 5 || counts[1].N != 5 {
		t.Fatalf("counts %+v %v", counts, err)
	}
	if n, err := s.PruneDeliveries(ctx, now+1); err != nil || n != 10 {
		t.Fatalf("prune = %d, %v", n, err)
	}
}

// testDeadLetters: a delivery given up on goes to the dead-letter list,
// stops holding the conversation's later events, and can be replayed.
func testDeadLetters(t *testing.T, s store.Store) {
	ctx := context.Background()
	_, _, cust := seed(t, s)
	putEndpoint(t, s, "a")
	c := create(t, s, cust.ID)
	if _, err := s.AppendMessage(ctx, textMsg(c.ID, "x")); err != nil {
		t.Fatal(err)
	}
	route, _ := routeAll("a")
	if _, err := s.FanOut(ctx, 100, 10, route); err != nil {
		t.Fatal(err)
	}
	got, _ := s.ClaimDeliveries(ctx, store.DeliveryClaim{Holder: "n", Now: 10, Until: 20, Limit: 10})
	if len(got) != 1 || got[0].Seq != 1 {
		t.Fatalf("claim %+v", got)
	}
	if err := s.FinishDelivery(ctx, store.DeliveryOutcome{ID: got[0].ID, Holder: "n", State: store.DeliveryDead, Attempts: 30, FirstAt: 10, Status: 503, Error: "down", At: 15}); err != nil {
		t.Fatal(err)
	}
	next, _ := s.ClaimDeliveries(ctx, store.DeliveryClaim{Holder: "n", Now: 16, Until: 30, Limit: 10})
	if len(next) != 1 || next[0].Seq != 2 {
		t.Fatalf("after a dead letter: %+v, want seq 2", next)
	}
	dead, err := s.Deliveries(ctx, store.DeliveryQuery{EndpointID: "a", State: store.DeliveryDead})
	if err != nil || len(dead) != 1 || dead[0].ID != got[0].ID || dead[0].LastStatus != 503 || dead[0].DoneAt != 15 {
		t.Fatalf("dead letters %+v %v", dead, err)
	}
	if n, err := s.ReplayDeliveries(ctx, "other", nil, 40); err != nil || n != 0 {
		t.Fatalf("replay of another endpoint = %d, %v", n, err)
	}
	if n, err := s.ReplayDeliveries(ctx, "a", nil, 40); err != nil || n != 1 {
		t.Fatalf("replay = %d, %v", n, err)
	}
	if dead, _ := s.Deliveries(ctx, store.DeliveryQuery{State: store.DeliveryDead}); len(dead) != 0 {
		t.Fatalf("still dead after replay: %+v", dead)
	}
	// Seq 2 is still held by its lease until 30; the replayed seq 1 is
	// due at 40.
	back, _ := s.ClaimDeliveries(ctx, store.DeliveryClaim{Holder: "m", Now: 40, Until: 50, Limit: 10})
	if len(back) != 1 || back[0].Seq != 1 || back[0].Attempts != 0 {
		t.Fatalf("replayed claim %+v", back)
	}
	// Deleting the endpoint removes its deliveries.
	if err := s.DeleteWebhookEndpoint(ctx, "a"); err != nil {
		t.Fatal(err)
	}
	if all, _ := s.Deliveries(ctx, store.DeliveryQuery{}); len(all) != 0 {
		t.Fatalf("deliveries of a deleted endpoint: %+v", all)
	}
}

// testFanOutConcurrent: fan-outs racing each other and the appends make
// each message's delivery exactly once, and every conversation's
// deliveries are claimed in seq order.
func testFanOutConcurrent(t *testing.T, s store.Store) {
	ctx := context.Background()
	_, _, cust := seed(t, s)
	putEndpoint(t, s, "a")
	convs := []string{create(t, s, cust.ID).ID}
	for range 3 {
		other, err := s.UpsertCustomer(ctx, store.Customer{ID: uuid.NewString()})
		if err != nil {
			t.Fatal(err)
		}
		convs = append(convs, create(t, s, other.ID).ID)
	}
	route, _ := routeAll("a")
	stop := make(chan struct{})
	var fan sync.WaitGroup
	for range 3 {
		fan.Add(1)
		go func() {
			defer fan.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				if _, err := s.FanOut(ctx, 7, 1, route); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	var app sync.WaitGroup
	for _, id := range convs {
		app.Add(1)
		go func() {
			defer app.Done()
			for i := range 15 {
				if _, err := s.AppendMessage(ctx, textMsg(id, fmt.Sprint(i))); err != nil {
					t.Error(err)
				}
			}
		}()
	}
	app.Wait()
	close(stop)
	fan.Wait()
	for {
		n, err := s.FanOut(ctx, 100, 1, route)
		if err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			break
		}
	}
	got := map[string][]int64{}
	for now := int64(1); ; now++ {
		batch, err := s.ClaimDeliveries(ctx, store.DeliveryClaim{Holder: "n", Now: now, Until: now, Limit: 50})
		if err != nil {
			t.Fatal(err)
		}
		if len(batch) == 0 {
			break
		}
		for _, d := range batch {
			got[d.ConversationID] = append(got[d.ConversationID], d.Seq)
			if err := s.FinishDelivery(ctx, store.DeliveryOutcome{ID: d.ID, Holder: "n", State: store.DeliveryDone, At: now}); err != nil {
				t.Fatal(err)
			}
		}
	}
	for _, id := range convs {
		want := make([]int64, 16)
		for i := range want {
			want[i] = int64(i + 1)
		}
		if !slices.Equal(got[id], want) {
			t.Errorf("conversation %s: delivered seqs %v, want 1..16 once each in order", id, got[id])
		}
	}
}
