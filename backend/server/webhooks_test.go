package server

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"switchboard/backend/signature"
	"switchboard/backend/store"
	"switchboard/backend/webhooks"
	"switchboard/protocol"
)

// receiver is a webhook endpoint under test: it verifies every request's
// signature, fails on purpose as told, and records what it took.
type receiver struct {
	t      *testing.T
	secret []byte
	srv    *httptest.Server
	// fail says how to answer attempt n (from 1) of an event: "" takes it.
	fail func(ev webhooks.Event, attempt int) string
	down atomic.Bool

	mu       sync.Mutex
	attempts map[string]int
	took     map[string][]int64 // conversation → seqs taken, in order
	ids      map[string]string  // conversation:seq → event id, to compare duplicates
	dups     int
}

func newReceiver(t *testing.T, secret string) *receiver {
	r := &receiver{t: t, secret: []byte(secret), attempts: map[string]int{}, took: map[string][]int64{}, ids: map[string]string{}}
	r.srv = httptest.NewServer(http.HandlerFunc(r.serve))
	t.Cleanup(r.srv.Close)
	return r
}

func (r *receiver) serve(w http.ResponseWriter, req *http.Request) {
	body, _ := io.ReadAll(req.Body)
	if r.down.Load() {
		if c, _, err := w.(http.Hijacker).Hijack(); err == nil {
			c.Close()
		}
		return
	}
	if err := signature.Verify(r.secret, req.Header.Get(webhooks.HeaderTimestamp), req.Header.Get(webhooks.HeaderSignature), body, time.Now(), time.Minute); err != nil {
		r.t.Errorf("delivery not signed with the endpoint's secret: %v", err)
		w.WriteHeader(http.StatusUnauthorized)
		return
	}
	var ev webhooks.Event
	if err := json.Unmarshal(body, &ev); err != nil {
		r.t.Errorf("delivery body: %v", err)
		return
	}
	if ev.ID != req.Header.Get(webhooks.HeaderEvent) || ev.ID != webhooks.EventID(ev.ConversationID, ev.Seq) {
		r.t.Errorf("event id %q, header %q", ev.ID, req.Header.Get(webhooks.HeaderEvent))
	}
	r.mu.Lock()
	r.attempts[ev.ID]++
	n := r.attempts[ev.ID]
	r.mu.Unlock()
	switch r.fail(ev, n) {
	case "500":
		http.Error(w, "try later", http.StatusInternalServerError)
		return
	case "drop":
		if c, _, err := w.(http.Hijacker).Hijack(); err == nil {
			c.Close()
		}
		return
	case "slow":
		// Past the sender's time limit: it gives up, and whether this
		// answer is taken or not, the event comes again.
		time.Sleep(400 * time.Millisecond)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	key := fmt.Sprintf("%s:%d", ev.ConversationID, ev.Seq)
	if id, seen := r.ids[key]; seen {
		r.dups++
		if id != ev.ID {
			r.t.Errorf("a duplicate of %s came with id %s, first with %s", key, ev.ID, id)
		}
	} else {
		got := r.took[ev.ConversationID]
		if len(got) > 0 && got[len(got)-1] > ev.Seq {
			r.t.Errorf("conversation %s: seq %d after %d", ev.ConversationID, ev.Seq, got[len(got)-1])
		}
		r.ids[key] = ev.ID
		r.took[ev.ConversationID] = append(got, ev.Seq)
	}
	w.WriteHeader(http.StatusNoContent)
}

func (r *receiver) seqs(conv string) []int64 {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.took[conv])
}

// wantEvents is what an endpoint that asked for everything public should
// receive of a conversation: its events and public messages, in seq order.
func wantEvents(t *testing.T, st store.Store, conv string) []int64 {
	ms, err := st.Messages(context.Background(), store.MessageQuery{ConversationID: conv})
	if err != nil {
		t.Fatal(err)
	}
	var out []int64
	all := webhooks.Subscription{}
	for _, m := range ms {
		if ev, ok := webhooks.NewEvent(toProtoMessage(m)); ok && all.Wants(ev.Type, m.Visibility) {
			out = append(out, m.Seq)
		}
	}
	return out
}

func webhookEnv(t *testing.T, giveUp time.Duration) *env {
	return newEnv(t, func(c *Config) {
		c.WebhookPoll = 20 * time.Millisecond
		c.WebhookRetry = webhooks.Schedule{First: 50 * time.Millisecond, Max: 200 * time.Millisecond, GiveUp: giveUp}
		c.WebhookTimeout = 250 * time.Millisecond
	})
}

func TestWebhooksSurviveFailures(t *testing.T) {
	e := webhookEnv(t, time.Minute)
	rcv := newReceiver(t, "s3cret")
	modes := []string{"", "500", "drop", "slow"}
	rcv.fail = func(ev webhooks.Event, attempt int) string {
		if attempt > 1 {
			return ""
		}
		return modes[int(ev.Seq)%len(modes)]
	}
	ctx := context.Background()
	if _, err := e.srv.Store().PutWebhookEndpoint(ctx, store.WebhookEndpoint{ID: "crm", URL: rcv.srv.URL, Secret: "s3cret", Enabled: true}); err != nil {
		t.Fatal(err)
	}
	var convs []string
	for i := range 3 {
		cust, _ := e.customer(fmt.Sprint("cust", i))
		conv := cust.open(nil)
		convs = append(convs, conv.ID)
		for j := range 4 {
			cust.sendText(conv.ID, fmt.Sprintf("hello %d", j))
			if i == 1 && j == 1 {
				// The receiver is down for a while mid-conversation.
				rcv.down.Store(true)
				time.AfterFunc(500*time.Millisecond, func() { rcv.down.Store(false) })
			}
		}
		cust.sendText(conv.ID, "human please")
	}
	deadline := time.Now().Add(30 * time.Second)
	for _, conv := range convs {
		want := wantEvents(t, e.srv.Store(), conv)
		if len(want) < 10 {
			t.Fatalf("conversation %s has only %d events to send", conv, len(want))
		}
		for !slices.Equal(rcv.seqs(conv), want) && time.Now().Before(deadline) {
			time.Sleep(20 * time.Millisecond)
		}
		if got := rcv.seqs(conv); !slices.Equal(got, want) {
			t.Fatalf("conversation %s: received seqs %v, want %v", conv, got, want)
		}
	}
	if e.srv.webhookCounts.Failed.Load() == 0 || e.srv.webhookCounts.Delivered.Load() == 0 {
		t.Errorf("counts: %d delivered, %d failed", e.srv.webhookCounts.Delivered.Load(), e.srv.webhookCounts.Failed.Load())
	}
	rcv.mu.Lock()
	dups := rcv.dups
	rcv.mu.Unlock()
	t.Logf("%d events, %d failed attempts, %d duplicates (same id)", e.srv.webhookCounts.Delivered.Load(), e.srv.webhookCounts.Failed.Load(), dups)
}

func TestWebhooksDeadLetterAndReplay(t *testing.T) {
	e := webhookEnv(t, 300*time.Millisecond)
	rcv := newReceiver(t, "k1")
	var broken atomic.Bool
	broken.Store(true)
	rcv.fail = func(webhooks.Event, int) string {
		if broken.Load() {
			return "500"
		}
		return ""
	}
	ctx := context.Background()
	st := e.srv.Store()
	if _, err := st.PutWebhookEndpoint(ctx, store.WebhookEndpoint{ID: "bi", URL: rcv.srv.URL, Secret: "k1", Enabled: true,
		Events: []string{webhooks.MessageCreated}}); err != nil {
		t.Fatal(err)
	}
	cust, _ := e.customer("c")
	conv := cust.open(nil)
	cust.sendText(conv.ID, "hello")
	var dead []store.Delivery
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		var err error
		if dead, err = st.Deliveries(ctx, store.DeliveryQuery{EndpointID: "bi", State: store.DeliveryDead}); err != nil {
			t.Fatal(err)
		}
		if len(dead) >= 2 { // the customer's message and the bot's answer
			break
		}
	}
	if len(dead) < 2 || dead[0].LastStatus != 500 || dead[0].Attempts < 2 || dead[0].EventType != webhooks.MessageCreated {
		t.Fatalf("dead letters %+v", dead)
	}
	if got := rcv.seqs(conv.ID); len(got) != 0 {
		t.Fatalf("received %v from a receiver that failed every time", got)
	}
	broken.Store(false)
	n, err := st.ReplayDeliveries(ctx, "bi", nil, time.Now().UnixMilli())
	if err != nil || n != len(dead) {
		t.Fatalf("replay = %d, %v", n, err)
	}
	want := []int64{}
	for _, d := range dead {
		want = append(want, d.Seq)
	}
	slices.Sort(want)
	for deadline := time.Now().Add(10 * time.Second); !slices.Equal(rcv.seqs(conv.ID), want) && time.Now().Before(deadline); {
		time.Sleep(20 * time.Millisecond)
	}
	if got := rcv.seqs(conv.ID); !slices.Equal(got, want) {
		t.Fatalf("after replay received %v, want %v", got, want)
	}
	for _, seq := range want {
		if m := messageAt(t, st, conv.ID, seq); m.Kind != protocol.KindText {
			t.Errorf("seq %d is a %s: only message.created was asked for", seq, m.Kind)
		}
	}
}

func messageAt(t *testing.T, st store.Store, conv string, seq int64) store.Message {
	ms, err := st.Messages(context.Background(), store.MessageQuery{ConversationID: conv, AfterSeq: seq - 1, Limit: 1})
	if err != nil || len(ms) != 1 {
		t.Fatalf("message %s:%d: %v", conv, seq, err)
	}
	return ms[0]
}
