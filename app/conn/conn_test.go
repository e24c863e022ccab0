package conn_test

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"switchboard/app/conn"
	"switchboard/app/internal/fakeserver"
	"switchboard/protocol"
)

var alice = protocol.User{ID: "u-alice", Role: protocol.RoleAgent, Name: "Alice", Teams: []string{"presales"}}

// recorder is a conn.Handler that records every call, in order.
type recorder struct {
	mu       sync.Mutex
	calls    []string
	resume   map[string]int64
	pushes   []protocol.Frame
	welcomes int
	ended    *protocol.Error
	changed  chan struct{}
}

func newRecorder() *recorder { return &recorder{changed: make(chan struct{}, 1000)} }

func (r *recorder) note(s string) {
	r.mu.Lock()
	r.calls = append(r.calls, s)
	r.mu.Unlock()
	r.changed <- struct{}{}
}

func (r *recorder) Resume() map[string]int64 {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.resume
}

func (r *recorder) StateChanged(s conn.State, err error) { r.note("state:" + string(s)) }

func (r *recorder) Welcome(w protocol.WelcomeData) {
	r.mu.Lock()
	r.welcomes++
	r.mu.Unlock()
	r.note("welcome:" + w.User.ID)
}

func (r *recorder) Push(f protocol.Frame) {
	r.mu.Lock()
	r.pushes = append(r.pushes, f)
	r.mu.Unlock()
	r.note("push:" + f.Type)
}

func (r *recorder) Ended(err *protocol.Error) {
	r.mu.Lock()
	r.ended = err
	r.mu.Unlock()
	r.note("ended:" + err.Code)
}

func (r *recorder) snapshot() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.calls...)
}

// waitFor waits until the recorded calls satisfy ok.
func (r *recorder) waitFor(t *testing.T, what string, ok func(calls []string) bool) []string {
	t.Helper()
	deadline := time.After(5 * time.Second)
	for {
		calls := r.snapshot()
		if ok(calls) {
			return calls
		}
		select {
		case <-r.changed:
		case <-deadline:
			t.Fatalf("timed out waiting for %s; calls: %v", what, calls)
		}
	}
}

func count(calls []string, s string) int {
	n := 0
	for _, c := range calls {
		if c == s {
			n++
		}
	}
	return n
}

func setup(t *testing.T) (*fakeserver.Server, string) {
	t.Helper()
	srv := fakeserver.New(t)
	srv.AddUser("alice", "pw", alice)
	srv.AddConversation(protocol.Conversation{ID: "c1", CustomerName: "Wang", State: protocol.StateQueued, Team: "presales"})
	res, err := conn.Login(context.Background(), nil, srv.URL, "alice", "pw")
	if err != nil {
		t.Fatalf("Login: %v", err)
	}
	return srv, res.Token
}

func newManager(t *testing.T, srv *fakeserver.Server, token string, h conn.Handler) *conn.Manager {
	t.Helper()
	m, err := conn.New(conn.Config{
		ServerURL: srv.URL, Token: token, Handler: h,
		RequestTimeout: 2 * time.Second, MinBackoff: 10 * time.Millisecond, MaxBackoff: 50 * time.Millisecond,
	})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	t.Cleanup(m.Close)
	return m
}

func TestLogin(t *testing.T) {
	srv := fakeserver.New(t)
	srv.AddUser("alice", "pw", alice)
	tests := []struct {
		name, url, user, pw string
		wantCode            string
	}{
		{"ok", srv.URL, "alice", "pw", ""},
		{"wrong password", srv.URL, "alice", "nope", "bad_credentials"},
		{"unknown user", srv.URL, "mallory", "pw", "bad_credentials"},
		{"unreachable", "http://127.0.0.1:1", "alice", "pw", "unavailable"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := conn.Login(context.Background(), nil, tt.url, tt.user, tt.pw)
			if tt.wantCode == "" {
				if err != nil || res.Token == "" || res.User.ID != alice.ID {
					t.Fatalf("Login = %+v, %v; want a token for %s", res, err, alice.ID)
				}
				return
			}
			var pe *protocol.Error
			if !errors.As(err, &pe) || pe.Code != tt.wantCode {
				t.Fatalf("Login error = %v, want code %s", err, tt.wantCode)
			}
		})
	}
}

func TestNormalizeServerURL(t *testing.T) {
	tests := []struct {
		in, want string
		wantErr  bool
	}{
		{"http://127.0.0.1:8080", "http://127.0.0.1:8080", false},
		{" https://chat.example.com/ ", "https://chat.example.com", false},
		{"localhost:8080", "http://localhost:8080", false},
		{"https://example.com/base/", "https://example.com/base", false},
		{"", "", true},
		{"ftp://example.com", "", true},
		{"http://", "", true},
	}
	for _, tt := range tests {
		got, err := conn.NormalizeServerURL(tt.in)
		if (err != nil) != tt.wantErr || got != tt.want {
			t.Errorf("NormalizeServerURL(%q) = %q, %v; want %q, error %v", tt.in, got, err, tt.want, tt.wantErr)
		}
	}
}

func TestBackoff(t *testing.T) {
	base, max := 300*time.Millisecond, 30*time.Second
	tests := []struct {
		n    int
		ceil time.Duration
	}{
		{0, 300 * time.Millisecond},
		{1, 600 * time.Millisecond},
		{3, 2400 * time.Millisecond},
		{7, 30 * time.Second},
		{40, 30 * time.Second},
		{1000, 30 * time.Second},
	}
	for _, tt := range tests {
		var maxSeen time.Duration
		for range 200 {
			d := conn.Backoff(tt.n, base, max)
			if d < 0 || d > tt.ceil {
				t.Fatalf("Backoff(%d) = %v, want within [0, %v]", tt.n, d, tt.ceil)
			}
			maxSeen = max2(maxSeen, d)
		}
		if maxSeen < tt.ceil/4 {
			t.Errorf("Backoff(%d) never exceeded %v in 200 draws; jitter looks wrong", tt.n, maxSeen)
		}
	}
}

func max2(a, b time.Duration) time.Duration {
	if a > b {
		return a
	}
	return b
}

func TestConnectAndRequest(t *testing.T) {
	srv, token := setup(t)
	rec := newRecorder()
	rec.resume = map[string]int64{"c1": 0}
	m := newManager(t, srv, token, rec)
	m.Start(context.Background())
	calls := rec.waitFor(t, "welcome", func(c []string) bool { return count(c, "welcome:u-alice") == 1 })
	if want := []string{"state:connecting", "state:online", "welcome:u-alice"}; strings.Join(calls, ",") != strings.Join(want, ",") {
		t.Fatalf("calls = %v, want %v", calls, want)
	}
	if h := srv.Hellos(); len(h) != 1 || h[0].Client != protocol.ClientDesktop || h[0].Protocol != protocol.Version {
		t.Fatalf("hellos = %+v, want one desktop hello", h)
	}

	// Concurrent requests each get their own reply.
	var wg sync.WaitGroup
	errs := make(chan error, 20)
	for i := range 20 {
		wg.Go(func() {
			filter := protocol.ListQueue
			if i%2 == 0 {
				filter = protocol.ListMine
			}
			var list protocol.ConversationList
			if err := m.Request(context.Background(), protocol.TypeList, protocol.ListData{Filter: filter}, &list); err != nil {
				errs <- err
				return
			}
			want := 1
			if filter == protocol.ListMine {
				want = 0
			}
			if list.Filter != filter || len(list.Conversations) != want {
				errs <- fmt.Errorf("list %s = %+v, want %d conversations", filter, list, want)
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}

	// A refusal comes back as the server's coded error.
	err := m.Request(context.Background(), protocol.TypeAccept, protocol.ConversationRef{ConversationID: "nope"}, nil)
	if !errors.Is(err, protocol.ErrNotFound) {
		t.Fatalf("accept unknown = %v, want not_found", err)
	}
}

func TestRequestOffline(t *testing.T) {
	srv, token := setup(t)
	m := newManager(t, srv, token, newRecorder())
	err := m.Request(context.Background(), protocol.TypeList, protocol.ListData{Filter: "mine"}, nil)
	if !errors.Is(err, protocol.ErrUnavailable) {
		t.Fatalf("Request before Start = %v, want unavailable", err)
	}
}

func TestRequestTimeout(t *testing.T) {
	srv, token := setup(t)
	rec := newRecorder()
	m, err := conn.New(conn.Config{ServerURL: srv.URL, Token: token, Handler: rec, RequestTimeout: 200 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	m.Start(context.Background())
	rec.waitFor(t, "online", func(c []string) bool { return count(c, "state:online") == 1 })
	srv.HoldSends(true)
	defer srv.HoldSends(false)
	start := time.Now()
	err = m.Request(context.Background(), protocol.TypeSend, protocol.SendData{
		ConversationID: "c1", ClientMsgID: "x", Kind: protocol.KindText, Text: "hi"}, nil)
	if !errors.Is(err, protocol.ErrUnavailable) || !strings.Contains(err.Error(), "in time") {
		t.Fatalf("held request = %v, want unavailable: did not answer in time", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Fatalf("timeout took %v", d)
	}
}

func TestReconnectAfterDrop(t *testing.T) {
	srv, token := setup(t)
	rec := newRecorder()
	m := newManager(t, srv, token, rec)
	m.Start(context.Background())
	rec.waitFor(t, "first welcome", func(c []string) bool { return count(c, "welcome:u-alice") == 1 })

	rec.mu.Lock()
	rec.resume = map[string]int64{"c1": 3}
	rec.mu.Unlock()
	srv.Refuse(true)
	srv.DropConnections()
	rec.waitFor(t, "a refused retry", func(c []string) bool { return count(c, "state:offline") >= 2 })
	if st, err := m.State(); st != conn.StateOffline && st != conn.StateConnecting {
		t.Fatalf("State while refused = %s, %v", st, err)
	}
	srv.Refuse(false)
	calls := rec.waitFor(t, "second welcome", func(c []string) bool { return count(c, "welcome:u-alice") == 2 })

	// States come in a sensible order: every online is preceded by connecting.
	prev := ""
	for _, c := range calls {
		if !strings.HasPrefix(c, "state:") {
			continue
		}
		if c == "state:online" && prev != "state:connecting" {
			t.Fatalf("online after %s; calls %v", prev, calls)
		}
		prev = c
	}
	h := srv.Hellos()
	if last := h[len(h)-1]; last.Resume["c1"] != 3 {
		t.Fatalf("resume in last hello = %v, want c1:3", last.Resume)
	}
	var list protocol.ConversationList
	if err := m.Request(context.Background(), protocol.TypeList, protocol.ListData{Filter: "queue"}, &list); err != nil {
		t.Fatalf("Request after reconnect: %v", err)
	}
}

func TestPushesInOrder(t *testing.T) {
	srv, token := setup(t)
	rec := newRecorder()
	m := newManager(t, srv, token, rec)
	m.Start(context.Background())
	rec.waitFor(t, "welcome", func(c []string) bool { return count(c, "welcome:u-alice") == 1 })
	for i := range 50 {
		srv.Say("c1", protocol.Sender{Role: protocol.RoleCustomer, ID: "v1"}, fmt.Sprintf("m%d", i), true)
	}
	rec.waitFor(t, "50 pushes", func(c []string) bool { return count(c, "push:message") == 50 })
	rec.mu.Lock()
	defer rec.mu.Unlock()
	for i, f := range rec.pushes {
		var msg protocol.Message
		if perr := protocol.DecodeData(f, &msg); perr != nil {
			t.Fatal(perr)
		}
		if msg.Seq != int64(i+1) {
			t.Fatalf("push %d has seq %d", i, msg.Seq)
		}
	}
}

func TestTokenRejectedEnds(t *testing.T) {
	srv, token := setup(t)
	srv.RevokeTokens()
	rec := newRecorder()
	m := newManager(t, srv, token, rec)
	m.Start(context.Background())
	calls := rec.waitFor(t, "ended", func(c []string) bool { return count(c, "ended:unauthenticated") == 1 })
	if want := "state:connecting,state:offline,ended:unauthenticated"; strings.Join(calls, ",") != want {
		t.Fatalf("calls = %v, want %s", calls, want)
	}
	time.Sleep(100 * time.Millisecond)
	if n := len(srv.Hellos()); n != 1 {
		t.Fatalf("%d hellos after rejection, want 1 (no reconnect)", n)
	}
}

func TestCloseStopsGoroutines(t *testing.T) {
	srv, token := setup(t)
	before := runtime.NumGoroutine()
	rec := newRecorder()
	m := newManager(t, srv, token, rec)
	m.Start(context.Background())
	rec.waitFor(t, "welcome", func(c []string) bool { return count(c, "welcome:u-alice") == 1 })
	m.Close()
	m.Close() // idempotent
	calls := rec.snapshot()
	if last := calls[len(calls)-1]; last != "state:offline" {
		t.Fatalf("last call after Close = %s, want state:offline", last)
	}
	deadline := time.Now().Add(2 * time.Second)
	for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > before {
		t.Fatalf("%d goroutines after Close, %d before", n, before)
	}
}
