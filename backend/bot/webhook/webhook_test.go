package webhook

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"switchboard/backend/bot"
)

// fakeHook is an external bot speaking the webhook protocol.
func fakeHook(t *testing.T) *httptest.Server {
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost || r.Header.Get("Content-Type") != "application/json" || r.Header.Get("X-Token") != "secret" {
			http.Error(w, "bad request", http.StatusBadRequest)
			return
		}
		var req Request
		if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
			t.Errorf("fake: decode: %v", err)
			return
		}
		var resp any
		switch req.Text {
		case "slow":
			<-r.Context().Done()
			return
		case "500":
			http.Error(w, "boom", http.StatusInternalServerError)
			return
		case "garbage":
			w.Write([]byte("<html>"))
			return
		case "empty":
			resp = Response{}
		case "handoff":
			resp = Response{Handoff: true, Reason: "order_over_limit"}
		case "bare handoff":
			resp = Response{Handoff: true}
		default:
			resp = Response{
				Text:        req.Locale + ":" + req.ConversationID + ":" + req.Ext["vip"],
				Suggestions: []string{"a", "b"},
				Team:        "aftersales", EntryID: "x", Score: 2,
			}
		}
		json.NewEncoder(w).Encode(resp)
	}))
}

func TestAnswer(t *testing.T) {
	srv := fakeHook(t)
	defer srv.Close()
	b, err := New(Config{URL: srv.URL, Header: http.Header{"X-Token": {"secret"}}})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		in   bot.Input
		want bot.Reply
	}{
		{"answer", bot.Input{ConversationID: "c1", Text: "包邮吗", Ext: map[string]string{"vip": "0"}},
			bot.Reply{Text: "zh:c1:0", Locale: "zh", Team: "aftersales", EntryID: "x", Score: 1, Suggestions: []string{"a", "b"}}},
		{"handoff", bot.Input{ConversationID: "c1", Text: "handoff", LastTeam: "aftersales"},
			bot.Reply{Text: bot.HandoffTextEN, Locale: "en", Handoff: true, Reason: "order_over_limit", Team: "aftersales"}},
		{"bare handoff", bot.Input{ConversationID: "c1", Text: "bare handoff"},
			bot.Reply{Text: bot.HandoffTextEN, Locale: "en", Handoff: true, Reason: ReasonWebhook, Team: bot.DefaultTeam}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := b.Answer(context.Background(), tt.in)
			if err != nil {
				t.Fatalf("Answer(%+v) error: %v", tt.in, err)
			}
			if !reflect.DeepEqual(r, tt.want) {
				t.Errorf("Answer(%+v) = %+v, want %+v", tt.in, r, tt.want)
			}
		})
	}
}

func TestAnswerErrors(t *testing.T) {
	srv := fakeHook(t)
	defer srv.Close()
	b, err := New(Config{URL: srv.URL, Header: http.Header{"X-Token": {"secret"}}, Timeout: 100 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ text, wantErr string }{
		{"slow", "deadline exceeded"},
		{"500", "status 500"},
		{"garbage", "decode response"},
		{"empty", "empty answer"},
	} {
		_, err := b.Answer(context.Background(), bot.Input{ConversationID: "c3", Text: tt.text})
		if err == nil || !strings.Contains(err.Error(), tt.wantErr) || !strings.Contains(err.Error(), "conv=c3") {
			t.Errorf("Answer(%q) error = %v, want one containing %q and the conversation", tt.text, err, tt.wantErr)
		}
	}
	if _, err := New(Config{}); err == nil {
		t.Error("New without url: error = nil, want one")
	}
}

// scripted is a webhook answering attempt n (from 1) with script(n, w, r),
// counting the attempts.
type scripted struct {
	*httptest.Server
	attempts  atomic.Int32
	mu        sync.Mutex // guards deliveries
	delivered []string
}

func newScripted(t *testing.T, script func(n int, w http.ResponseWriter, r *http.Request)) *scripted {
	s := &scripted{}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// Read the request first, as a receiver does: the server notices a
		// client gone only then.
		io.Copy(io.Discard, r.Body)
		n := int(s.attempts.Add(1))
		s.mu.Lock()
		s.delivered = append(s.delivered, r.Header.Get(HeaderDelivery))
		s.mu.Unlock()
		script(n, w, r)
	}))
	t.Cleanup(s.Close)
	return s
}

func answer(w http.ResponseWriter) { json.NewEncoder(w).Encode(Response{Text: "ok"}) }

// refuseFirstDial makes the first connection of a client fail as a webhook
// that is down does (connection refused, from a loopback port nobody
// listens on), and the others reach addr.
func refuseFirstDial(t *testing.T, addr string) *http.Client {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := l.Addr().String()
	l.Close()
	var dials atomic.Int32
	d := &net.Dialer{}
	return &http.Client{Transport: &http.Transport{DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
		if dials.Add(1) == 1 {
			return d.DialContext(ctx, network, closed)
		}
		return d.DialContext(ctx, network, addr)
	}}}
}

// TestRetries drives each failure of a webhook through Answer: which are
// retried, how long the bot waits, and what it gives up with.
func TestRetries(t *testing.T) {
	tests := []struct {
		name         string
		script       func(n int, w http.ResponseWriter, r *http.Request)
		refuseFirst  bool
		limit        time.Duration
		wantErr      string // "" for an answer
		wantAttempts int
		minWait      time.Duration // the whole answer takes at least this
		maxWait      time.Duration // and at most this
	}{
		{name: "timeout", limit: 300 * time.Millisecond, wantErr: "deadline exceeded", wantAttempts: 1,
			script: func(n int, w http.ResponseWriter, r *http.Request) { <-r.Context().Done() }},
		{name: "500 then success", limit: 5 * time.Second, wantAttempts: 2,
			script: func(n int, w http.ResponseWriter, r *http.Request) {
				if n == 1 {
					http.Error(w, "boom", http.StatusInternalServerError)
					return
				}
				answer(w)
			}},
		{name: "503 until the attempts run out", limit: 5 * time.Second, wantErr: "status 503 (attempt 4, the last)", wantAttempts: DefaultMaxAttempts,
			script: func(n int, w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusServiceUnavailable) }},
		{name: "429 with Retry-After", limit: 5 * time.Second, wantAttempts: 2, minWait: time.Second,
			script: func(n int, w http.ResponseWriter, r *http.Request) {
				if n == 1 {
					w.Header().Set("Retry-After", "1")
					w.WriteHeader(http.StatusTooManyRequests)
					return
				}
				answer(w)
			}},
		{name: "429 with Retry-After beyond the limit", limit: time.Second, wantErr: "status 429 (attempt 1; no time left", wantAttempts: 1, maxWait: 500 * time.Millisecond,
			script: func(n int, w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Retry-After", "30")
				w.WriteHeader(http.StatusTooManyRequests)
			}},
		{name: "connection refused then success", limit: 5 * time.Second, refuseFirst: true, wantAttempts: 1,
			script: func(n int, w http.ResponseWriter, r *http.Request) { answer(w) }},
		{name: "400 not retried", limit: 5 * time.Second, wantErr: "status 400", wantAttempts: 1,
			script: func(n int, w http.ResponseWriter, r *http.Request) { http.Error(w, "bad", http.StatusBadRequest) }},
		{name: "bad JSON not retried", limit: 5 * time.Second, wantErr: "decode response", wantAttempts: 1,
			script: func(n int, w http.ResponseWriter, r *http.Request) { w.Write([]byte(`{"text": "unfinished`)) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			hook := newScripted(t, tt.script)
			cfg := Config{URL: hook.URL, Backoff: 20 * time.Millisecond}
			if tt.refuseFirst {
				cfg.Client = refuseFirstDial(t, hook.Listener.Addr().String())
			}
			b, err := New(cfg)
			if err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(context.Background(), tt.limit)
			defer cancel()
			start := time.Now()
			r, err := b.Answer(ctx, bot.Input{ConversationID: "c4", Text: "hello"})
			took := time.Since(start)
			switch {
			case tt.wantErr == "" && (err != nil || r.Text != "ok"):
				t.Errorf("Answer = %+v, %v; want the answer", r, err)
			case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
				t.Errorf("Answer error = %v, want one containing %q", err, tt.wantErr)
			}
			if n := int(hook.attempts.Load()); n != tt.wantAttempts {
				t.Errorf("the webhook got %d requests, want %d", n, tt.wantAttempts)
			}
			if took < tt.minWait || tt.maxWait > 0 && took > tt.maxWait {
				t.Errorf("Answer took %v, want %v..%v", took, tt.minWait, tt.maxWait)
			}
			hook.mu.Lock()
			defer hook.mu.Unlock()
			for _, d := range hook.delivered {
				if d == "" || d != hook.delivered[0] {
					t.Errorf("deliveries %q, want one id on every attempt", hook.delivered)
				}
			}
		})
	}
}

func TestBackoffWithinLimit(t *testing.T) {
	// Waits of 200..400ms, then 400..800ms, in a limit of 500ms: one retry
	// fits, the second does not, and the bot gives up before the limit.
	hook := newScripted(t, func(n int, w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusBadGateway) })
	b, err := New(Config{URL: hook.URL, Timeout: 500 * time.Millisecond, MaxAttempts: 10, Backoff: 400 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	_, err = b.Answer(context.Background(), bot.Input{ConversationID: "c5", Text: "hello"})
	if err == nil || !strings.Contains(err.Error(), "no time left") || time.Since(start) >= 500*time.Millisecond {
		t.Errorf("Answer = %v after %v, want it to give up before the limit", err, time.Since(start))
	}
	if n := hook.attempts.Load(); n != 2 {
		t.Errorf("the webhook got %d requests, want 2", n)
	}
}

// TestSignature plays a receiver: it verifies the signature of what the bot
// sends, and refuses it once body, timestamp or secret differ.
func TestSignature(t *testing.T) {
	secret := []byte("s3cret")
	type got struct {
		ts, sig string
		body    []byte
	}
	seen := make(chan got, 1)
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		ts, sig := r.Header.Get(HeaderTimestamp), r.Header.Get(HeaderSignature)
		if err := Verify(secret, ts, sig, body, time.Now(), 5*time.Minute); err != nil {
			http.Error(w, err.Error(), http.StatusUnauthorized)
			return
		}
		seen <- got{ts, sig, body}
		answer(w)
	}))
	defer hook.Close()
	b, err := New(Config{URL: hook.URL, Secret: secret})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.Answer(context.Background(), bot.Input{ConversationID: "c6", Text: "hello"}); err != nil {
		t.Fatalf("Answer with a verified signature: %v", err)
	}
	g := <-seen
	// The signature, computed as a receiver in another language would.
	m := hmac.New(sha256.New, secret)
	m.Write([]byte(g.ts + "." + string(g.body)))
	if want := "v1=" + hex.EncodeToString(m.Sum(nil)); g.sig != want {
		t.Errorf("signature %q, want %q", g.sig, want)
	}
	ts, _ := strconv.ParseInt(g.ts, 10, 64)
	now := time.Unix(ts, 0)
	tampered := []byte(strings.Replace(string(g.body), "hello", "hellO", 1))
	tests := []struct {
		name    string
		secret  []byte
		ts, sig string
		body    []byte
		now     time.Time
		want    error
	}{
		{"as sent", secret, g.ts, g.sig, g.body, now, nil},
		{"one of several", secret, g.ts, "v1=00ff, " + g.sig, g.body, now, nil},
		{"body tampered", secret, g.ts, g.sig, tampered, now, ErrBadSignature},
		{"timestamp changed", secret, strconv.FormatInt(ts+1, 10), g.sig, g.body, now, ErrBadSignature},
		{"other secret", []byte("other"), g.ts, g.sig, g.body, now, ErrBadSignature},
		{"replayed late", secret, g.ts, g.sig, g.body, now.Add(6 * time.Minute), ErrStale},
		{"unsigned", secret, "", "", g.body, now, ErrNoSignature},
	}
	for _, tt := range tests {
		if err := Verify(tt.secret, tt.ts, tt.sig, tt.body, tt.now, 5*time.Minute); err != tt.want {
			t.Errorf("Verify %s = %v, want %v", tt.name, err, tt.want)
		}
	}

	// Unsigned without a secret.
	plain := newScripted(t, func(n int, w http.ResponseWriter, r *http.Request) {
		if r.Header.Get(HeaderSignature) != "" || r.Header.Get(HeaderTimestamp) != "" {
			t.Errorf("request without a secret has signature headers %v", r.Header)
		}
		answer(w)
	})
	b, _ = New(Config{URL: plain.URL})
	if _, err := b.Answer(context.Background(), bot.Input{ConversationID: "c6", Text: "hello"}); err != nil {
		t.Errorf("Answer without a secret: %v", err)
	}
}

func TestRetryAfter(t *testing.T) {
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	for _, tt := range []struct {
		in   string
		want time.Duration
	}{
		{"", -1}, {"3", 3 * time.Second}, {"0", 0}, {"soon", -1}, {"-2", -1},
		{now.Add(7 * time.Second).Format(http.TimeFormat), 7 * time.Second},
		{now.Add(-time.Minute).Format(http.TimeFormat), 0},
	} {
		if got := retryAfter(tt.in, now); got != tt.want {
			t.Errorf("retryAfter(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}
