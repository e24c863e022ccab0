package faulttest

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"regexp"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"

	"switchboard/backend/signature"
	"switchboard/backend/webhooks"
	"switchboard/internal/chatclient"
	"switchboard/protocol"
)

// hookReceiver is a webhook endpoint that takes its time answering, so
// that deliveries are in flight whenever the server is killed.
type hookReceiver struct {
	t      *testing.T
	secret []byte

	mu   sync.Mutex
	rng  *rand.Rand
	took map[string][]int64 // conversation → seqs, in the order taken
	ids  map[string]string  // conversation:seq → event id
	dups atomic.Int64
}

func (r *hookReceiver) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	body, _ := io.ReadAll(req.Body)
	if err := signature.Verify(r.secret, req.Header.Get(webhooks.HeaderTimestamp), req.Header.Get(webhooks.HeaderSignature), body, time.Now(), time.Minute); err != nil {
		r.t.Errorf("unsigned delivery: %v", err)
		w.WriteHeader(http.StatusUnauthorized)
		return
	}
	var ev webhooks.Event
	if err := json.Unmarshal(body, &ev); err != nil {
		r.t.Errorf("delivery body: %v", err)
		return
	}
	r.mu.Lock()
	d := time.Duration(r.rng.IntN(120)) * time.Millisecond
	r.mu.Unlock()
	time.Sleep(d)
	r.mu.Lock()
	defer r.mu.Unlock()
	key := fmt.Sprintf("%s:%d", ev.ConversationID, ev.Seq)
	if id, ok := r.ids[key]; ok {
		r.dups.Add(1)
		if id != ev.ID {
			r.t.Errorf("duplicate of %s with id %s, first %s", key, ev.ID, id)
		}
	} else {
		got := r.took[ev.ConversationID]
		if n := len(got); n > 0 && got[n-1] > ev.Seq {
			r.t.Errorf("conversation %s: seq %d after %d", ev.ConversationID, ev.Seq, got[n-1])
		}
		r.ids[key] = ev.ID
		r.took[ev.ConversationID] = append(got, ev.Seq)
	}
	w.WriteHeader(http.StatusOK)
}

func (r *hookReceiver) seqs(conv string) []int64 {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.took[conv])
}

// TestWebhooksCrash kills the server with SIGKILL twice while customers
// write and deliveries are in flight: every event of every conversation
// still reaches the endpoint, signed, in seq order, and an event sent
// twice carries the same id.
func TestWebhooksCrash(t *testing.T) {
	seed := seedFor(t)
	bin := buildServer(t)
	data := t.TempDir()
	rcv := &hookReceiver{t: t, rng: rand.New(rand.NewPCG(seed, 11)), took: map[string][]int64{}, ids: map[string]string{}}
	hs := httptest.NewServer(rcv)
	defer hs.Close()
	out, err := exec.Command(bin, "webhook", "add", "crm", "--url", hs.URL, "--data", data).CombinedOutput()
	secret := regexp.MustCompile(`whsec_[0-9a-f]{64}`).Find(out)
	if err != nil || secret == nil {
		t.Fatalf("webhook add: %v\n%s", err, out)
	}
	rcv.secret = secret

	p := &serverProc{bin: bin, addr: freeAddr(t), dataDir: data,
		args: []string{"--demo", "--routing", "pick", "--webhook-timeout", "1s"}}
	if err := p.start(); err != nil {
		t.Fatalf("%v\n%s", err, p.output())
	}
	defer func() {
		if err := p.stop(); err != nil {
			t.Errorf("stop server: %v", err)
		}
		if t.Failed() {
			t.Logf("server log:\n%s", p.output())
		}
	}()
	ctx, cancel := context.WithTimeout(context.Background(), 120*time.Second)
	defer cancel()

	customers, sends := 4, 25
	if testing.Short() {
		sends = 10
	}
	var acked atomic.Int64
	convs := make([]string, customers)
	clients := make([]*chatclient.Client, customers)
	var wg sync.WaitGroup
	errs := make(chan error, customers)
	for i := range customers {
		v, err := chatclient.NewVisitor(ctx, loopbackClient(i), "http://"+p.addr, fmt.Sprint("hook-", i))
		if err != nil {
			t.Fatal(err)
		}
		c := chatclient.New(chatclient.Config{URL: "ws://" + p.addr + "/ws", Token: v.Token, Seed: seed + uint64(i),
			MinBackoff: 50 * time.Millisecond, MaxBackoff: time.Second})
		c.Start(ctx)
		defer c.Close()
		clients[i] = c
		var conv protocol.Conversation
		if err := c.Retry(ctx, func(ctx context.Context) error {
			return c.Request(ctx, protocol.TypeOpen, protocol.OpenData{}, &conv)
		}); err != nil {
			t.Fatal(err)
		}
		convs[i] = conv.ID
		c.Track(conv.ID)
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range sends {
				text := fmt.Sprintf("message %d", j)
				if j == 0 {
					text = "转人工" // queued from the start: the bot stays quiet
				}
				if _, err := c.Send(ctx, protocol.SendData{ConversationID: conv.ID, ClientMsgID: uuid.NewString(), Text: text}); err != nil {
					errs <- err
					return
				}
				acked.Add(1)
			}
		}()
	}
	total := int64(customers * sends)
	for _, at := range []int64{total / 3, 2 * total / 3} {
		for acked.Load() < at && ctx.Err() == nil {
			time.Sleep(5 * time.Millisecond)
		}
		p.kill()
		time.Sleep(300 * time.Millisecond)
		if err := p.start(); err != nil {
			t.Fatalf("restart: %v\n%s", err, p.output())
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}

	// Every public message the customer sees (events included) arrives.
	all := webhooks.Subscription{}
	for i, conv := range convs {
		var want []int64
		for {
			want = want[:0]
			for _, m := range clients[i].Messages(conv) {
				if ev, ok := webhooks.NewEvent(m); ok && all.Wants(ev.Type, m.Visibility) {
					want = append(want, m.Seq)
				}
			}
			if slices.Equal(rcv.seqs(conv), want) || ctx.Err() != nil {
				break
			}
			time.Sleep(50 * time.Millisecond)
		}
		if got := rcv.seqs(conv); !slices.Equal(got, want) || len(want) < sends {
			t.Fatalf("conversation %s: endpoint took seqs %v, want %v", conv, got, want)
		}
	}
	t.Logf("seed %d: %d conversations, %d events, %d delivered twice (same id)", seed, customers, len(rcv.ids), rcv.dups.Load())
}
