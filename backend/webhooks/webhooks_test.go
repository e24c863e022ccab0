package webhooks

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"switchboard/backend/signature"
	"switchboard/protocol"
)

func TestNewEvent(t *testing.T) {
	cases := []struct {
		kind, event, want string
		ok                bool
	}{
		{protocol.KindText, "", MessageCreated, true},
		{protocol.KindImage, "", MessageCreated, true},
		{protocol.KindCard, "", MessageCreated, true},
		{protocol.KindEvent, protocol.EventOpened, ConversationCreated, true},
		{protocol.KindEvent, protocol.EventHandoff, ConversationHandedOver, true},
		{protocol.KindEvent, protocol.EventOffered, ConversationOffered, true},
		{protocol.KindEvent, protocol.EventAssigned, ConversationAccepted, true},
		{protocol.KindEvent, protocol.EventTransferAccepted, ConversationAccepted, true},
		{protocol.KindEvent, protocol.EventTransferred, ConversationTransferred, true},
		{protocol.KindEvent, protocol.EventResolved, ConversationResolved, true},
		{protocol.KindEvent, protocol.EventRated, ConversationRated, true},
		{protocol.KindEvent, protocol.EventClosed, ConversationClosed, true},
		{protocol.KindEvent, protocol.EventOfferExpired, "", false},
		{protocol.KindEvent, protocol.EventDeclined, "", false},
	}
	for _, c := range cases {
		m := protocol.Message{ConversationID: "c1", Seq: 7, Kind: c.kind, CreatedAt: 42}
		if c.event != "" {
			m.Event = &protocol.Event{Type: c.event}
		}
		ev, ok := NewEvent(m)
		if ok != c.ok || ev.Type != c.want {
			t.Errorf("%s/%s: got %q %v, want %q %v", c.kind, c.event, ev.Type, ok, c.want, c.ok)
			continue
		}
		if ok && (ev.ID != "c1:7" || ev.Seq != 7 || ev.At != 42 || ev.Message.Seq != 7) {
			t.Errorf("%s/%s: event %+v", c.kind, c.event, ev)
		}
	}
	for _, typ := range Types() {
		if !ValidType(typ) {
			t.Errorf("ValidType(%q) = false", typ)
		}
	}
	if ValidType("conversation.exploded") {
		t.Error("an unknown type is valid")
	}
}

func TestSubscriptionWants(t *testing.T) {
	all := Subscription{}
	only := Subscription{Events: []string{ConversationResolved, MessageCreated}}
	private := Subscription{Events: []string{"*"}, Private: true}
	cases := []struct {
		s        Subscription
		typ, vis string
		want     bool
		name     string
	}{
		{all, MessageCreated, protocol.VisibilityPublic, true, "all: public message"},
		{all, MessageCreated, protocol.VisibilityInternal, false, "all: internal note"},
		{all, MessageCreated, protocol.VisibilityWhisper, false, "all: whisper"},
		{all, ConversationOffered, protocol.VisibilityInternal, true, "all: offer (an internal event message)"},
		{only, ConversationResolved, protocol.VisibilityPublic, true, "only: resolved"},
		{only, ConversationCreated, protocol.VisibilityPublic, false, "only: created"},
		{private, MessageCreated, protocol.VisibilityWhisper, true, "private: whisper"},
		{private, MessageCreated, protocol.VisibilityInternal, true, "private: note"},
	}
	for _, c := range cases {
		if got := c.s.Wants(c.typ, c.vis); got != c.want {
			t.Errorf("%s: Wants = %v", c.name, got)
		}
	}
}

func TestBackoff(t *testing.T) {
	var sched Schedule
	prevMax := time.Duration(0)
	for n := 1; n <= 20; n++ {
		lo, hi := sched.Backoff(n, 0), sched.Backoff(n, 0.999999)
		if lo <= 0 || hi < lo || hi > MaxRetry {
			t.Fatalf("attempt %d: backoff in [%v, %v]", n, lo, hi)
		}
		if hi < prevMax {
			t.Fatalf("attempt %d: backoff shrank: %v < %v", n, hi, prevMax)
		}
		prevMax = hi
	}
	if sched.Backoff(1, 0.999999) > FirstRetry || sched.Backoff(1, 0) < FirstRetry/2 {
		t.Errorf("first retry %v..%v, want within [%v, %v]", sched.Backoff(1, 0), sched.Backoff(1, 0.999999), FirstRetry/2, FirstRetry)
	}
	if sched.Backoff(30, 0) != MaxRetry/2 {
		t.Errorf("late retry floor %v, want %v", sched.Backoff(30, 0), MaxRetry/2)
	}

	// Retried for a day, then given up; a later Retry-After is honoured.
	first := time.Unix(1_800_000_000, 0)
	now, n := first, 0
	for {
		n++
		next, ok := sched.Next(first, now, n, 0)
		if !ok {
			break
		}
		if !next.After(now) {
			t.Fatalf("attempt %d: next %v not after %v", n, next, now)
		}
		now = next
	}
	if now.Sub(first) > GiveUpAfter || now.Sub(first) < GiveUpAfter-MaxRetry {
		t.Errorf("gave up %v after the first attempt, want within an hour of %v", now.Sub(first), GiveUpAfter)
	}
	if n < 25 || n > 60 {
		t.Errorf("gave up after %d attempts", n)
	}
	next, ok := sched.Next(first, first, 1, 10*time.Minute)
	if !ok || next.Sub(first) != 10*time.Minute {
		t.Errorf("Retry-After 10m: next after %v (%v)", next.Sub(first), ok)
	}
}

func TestSend(t *testing.T) {
	oldKey, newKey := []byte("old"), []byte("new")
	type got struct {
		ev           Event
		id, typ, try string
		verifiedOld  bool
		verifiedNew  bool
	}
	received := make(chan got, 10)
	answer := http.StatusNoContent
	mux := http.NewServeMux()
	mux.HandleFunc("/ok", func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		var g got
		if err := json.Unmarshal(body, &g.ev); err != nil {
			t.Errorf("body: %v", err)
		}
		ts, sig := r.Header.Get(HeaderTimestamp), r.Header.Get(HeaderSignature)
		g.verifiedOld = signature.Verify(oldKey, ts, sig, body, time.Now(), time.Minute) == nil
		g.verifiedNew = signature.Verify(newKey, ts, sig, body, time.Now(), time.Minute) == nil
		g.id, g.typ, g.try = r.Header.Get(HeaderEvent), r.Header.Get(HeaderEventType), r.Header.Get(HeaderAttempt)
		received <- g
		w.WriteHeader(answer)
	})
	mux.HandleFunc("/fail", func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "database is down", http.StatusInternalServerError)
	})
	mux.HandleFunc("/busy", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "120")
		w.WriteHeader(http.StatusTooManyRequests)
	})
	mux.HandleFunc("/drop", func(w http.ResponseWriter, r *http.Request) {
		c, _, err := w.(http.Hijacker).Hijack()
		if err == nil {
			c.Close()
		}
	})
	hang := make(chan struct{})
	defer close(hang)
	mux.HandleFunc("/hang", func(w http.ResponseWriter, r *http.Request) {
		io.ReadAll(r.Body) // the server notices a client gone only once the body is read
		select {
		case <-hang:
		case <-r.Context().Done():
		}
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()

	ev, _ := NewEvent(protocol.Message{ConversationID: "c9", Seq: 3, Kind: protocol.KindText, Text: "你好", Visibility: protocol.VisibilityPublic})
	body, _ := json.Marshal(ev)
	s := Sender{Client: srv.Client()}
	ctx := context.Background()

	r := s.Send(ctx, srv.URL+"/ok", [][]byte{oldKey, newKey}, ev, body, 2, time.Now())
	if r.Err != nil || r.Status != http.StatusNoContent {
		t.Fatalf("ok: %+v", r)
	}
	g := <-received
	if g.ev.ID != "c9:3" || g.ev.Message.Text != "你好" || g.id != "c9:3" || g.typ != MessageCreated || g.try != "2" {
		t.Errorf("received %+v", g)
	}
	if !g.verifiedOld || !g.verifiedNew {
		t.Errorf("signature verified with old key %v, new key %v; want both while rotating", g.verifiedOld, g.verifiedNew)
	}
	s.Send(ctx, srv.URL+"/ok", [][]byte{newKey}, ev, body, 1, time.Now())
	if g := <-received; g.verifiedOld || !g.verifiedNew {
		t.Errorf("after rotation: old key verifies %v, new %v", g.verifiedOld, g.verifiedNew)
	}

	if r := s.Send(ctx, srv.URL+"/fail", nil, ev, body, 1, time.Now()); r.Err == nil || r.Status != 500 {
		t.Errorf("500: %+v", r)
	}
	if r := s.Send(ctx, srv.URL+"/busy", nil, ev, body, 1, time.Now()); r.Err == nil || r.RetryAfter != 2*time.Minute {
		t.Errorf("429: %+v", r)
	}
	if r := s.Send(ctx, srv.URL+"/drop", nil, ev, body, 1, time.Now()); r.Err == nil || r.Status != 0 {
		t.Errorf("dropped connection: %+v", r)
	}
	short, cancel := context.WithTimeout(ctx, 200*time.Millisecond)
	defer cancel()
	if r := s.Send(short, srv.URL+"/hang", nil, ev, body, 1, time.Now()); r.Err == nil || r.Status != 0 {
		t.Errorf("receiver that never answers: %+v", r)
	}
	if r := s.Send(ctx, "http://127.0.0.1:1/none", nil, ev, body, 1, time.Now()); r.Err == nil {
		t.Errorf("receiver down: %+v", r)
	}
}
