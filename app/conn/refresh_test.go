package conn_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"switchboard/app/conn"
	"switchboard/app/internal/fakeserver"
	"switchboard/protocol"
)

// signIn logs alice in on srv and returns a Refresher of her tokens that
// records every pair it is handed.
func signIn(t *testing.T, srv *fakeserver.Server) (*conn.Refresher, func() []conn.LoginResult) {
	t.Helper()
	res, err := conn.Login(context.Background(), nil, srv.URL, "alice", "pw")
	if err != nil {
		t.Fatalf("Login: %v", err)
	}
	if res.RefreshToken == "" {
		t.Fatalf("Login = %+v, want a refresh token", res)
	}
	var mu sync.Mutex
	var kept []conn.LoginResult
	r := conn.NewRefresher(nil, srv.URL, res, func(res conn.LoginResult) {
		mu.Lock()
		kept = append(kept, res)
		mu.Unlock()
	})
	return r, func() []conn.LoginResult {
		mu.Lock()
		defer mu.Unlock()
		return slices.Clone(kept)
	}
}

func renewingManager(t *testing.T, srv *fakeserver.Server, tokens conn.TokenSource, h conn.Handler) *conn.Manager {
	t.Helper()
	m, err := conn.New(conn.Config{
		ServerURL: srv.URL, Tokens: tokens, Handler: h,
		RequestTimeout: 2 * time.Second, MinBackoff: 10 * time.Millisecond, MaxBackoff: 50 * time.Millisecond,
	})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	t.Cleanup(m.Close)
	return m
}

// waitCount waits until f reports at least n.
func waitCount(t *testing.T, what string, n int, f func() int) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for f() < n {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %d %s; have %d", n, what, f())
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestRenewBeforeExpiry: the connection refreshes its access token before it
// expires and sends the new one with reauth, so it is still the same
// connection after the first token's expiry, and the new pair is kept. The
// fake's clock (welcome.server_time, and the expires_at it says on the
// connection) is a year off the wall clock, so this also checks that the
// renewal is timed on the server's clock.
func TestRenewBeforeExpiry(t *testing.T) {
	srv, _ := setup(t)
	srv.SetTokenTTL(1500 * time.Millisecond)
	tokens, kept := signIn(t, srv)
	first, firstExp := tokens.Token()
	rec := newRecorder()
	m := renewingManager(t, srv, tokens, rec)
	m.Start(context.Background())
	rec.waitFor(t, "welcome", func(c []string) bool { return count(c, "welcome:"+alice.ID) == 1 })

	waitCount(t, "reauths", 1, func() int { return srv.Count(protocol.TypeReauth) })
	time.Sleep(time.Until(time.UnixMilli(firstExp)) + 300*time.Millisecond)
	if err := m.Request(context.Background(), protocol.TypeList, protocol.ListData{Filter: protocol.ListMine}, nil); err != nil {
		t.Fatalf("request after the first token's expiry: %v", err)
	}
	calls := rec.snapshot()
	if n := count(calls, "welcome:"+alice.ID); n != 1 {
		t.Errorf("%d welcomes, want 1 (no reconnect); calls %v", n, calls)
	}
	if tok, _ := tokens.Token(); tok == first {
		t.Errorf("the access token was not renewed")
	}
	if k := kept(); len(k) == 0 || k[len(k)-1].RefreshToken != tokens.Current().RefreshToken {
		t.Errorf("kept pairs %+v do not end with the current one", k)
	}
	if srv.Refreshes() < 1 {
		t.Errorf("no refresh reached the server")
	}
}

// TestRenewOnTokenExpiring: the server's token_expiring push renews the
// token at once, and is not handed to the handler.
func TestRenewOnTokenExpiring(t *testing.T) {
	srv, _ := setup(t)
	tokens, _ := signIn(t, srv)
	rec := newRecorder()
	m := renewingManager(t, srv, tokens, rec)
	m.Start(context.Background())
	rec.waitFor(t, "welcome", func(c []string) bool { return count(c, "welcome:"+alice.ID) == 1 })
	srv.PushTokenExpiring()
	waitCount(t, "reauths", 1, func() int { return srv.Count(protocol.TypeReauth) })
	if srv.Refreshes() != 1 {
		t.Errorf("%d refreshes, want 1", srv.Refreshes())
	}
	for _, c := range rec.snapshot() {
		if strings.HasPrefix(c, "push:") {
			t.Errorf("handler got %s", c)
		}
	}
}

// TestRefreshOnExpiredConnection: a connection the server closes because its
// token expired (4002), and a hello refused with token_expired, are
// refreshed and reconnected; the session does not end.
func TestRefreshOnExpiredConnection(t *testing.T) {
	srv, _ := setup(t)
	tokens, _ := signIn(t, srv)
	rec := newRecorder()
	m := renewingManager(t, srv, tokens, rec)
	m.Start(context.Background())
	rec.waitFor(t, "welcome", func(c []string) bool { return count(c, "welcome:"+alice.ID) == 1 })

	srv.ExpireConnections()
	rec.waitFor(t, "the second welcome", func(c []string) bool { return count(c, "welcome:"+alice.ID) == 2 })
	if srv.Refreshes() != 1 {
		t.Errorf("%d refreshes after the expired connection, want 1", srv.Refreshes())
	}
	for _, c := range rec.snapshot() {
		if strings.HasPrefix(c, "ended:") {
			t.Fatalf("session ended: %v", rec.snapshot())
		}
	}
	hellos := srv.Hellos()
	if len(hellos) < 2 || hellos[len(hellos)-1].Token == hellos[0].Token {
		t.Errorf("reconnected with the expired token")
	}
}

// TestRefreshReuseEndsSession: when the refresh token was used by someone
// else first, the server answers refresh_reused and the session ends with
// that reason instead of reconnecting.
func TestRefreshReuseEndsSession(t *testing.T) {
	srv, _ := setup(t)
	tokens, _ := signIn(t, srv)
	// A copy of the refresh token is used elsewhere first.
	if _, err := conn.Refresh(context.Background(), nil, srv.URL, tokens.Current().RefreshToken); err != nil {
		t.Fatalf("the copy's refresh: %v", err)
	}
	rec := newRecorder()
	m := renewingManager(t, srv, tokens, rec)
	m.Start(context.Background())
	rec.waitFor(t, "welcome", func(c []string) bool { return count(c, "welcome:"+alice.ID) == 1 })
	srv.PushTokenExpiring()
	rec.waitFor(t, "the end of the session", func(c []string) bool { return count(c, "ended:"+protocol.ErrRefreshReused.Code) == 1 })
	time.Sleep(100 * time.Millisecond)
	if n := count(rec.snapshot(), "welcome:"+alice.ID); n != 1 {
		t.Errorf("%d welcomes after the session ended, want 1", n)
	}
}

// TestRefresherOneAtATime: refreshes of one stale token at once reach the
// server once, so the app never trips reuse detection itself.
func TestRefresherOneAtATime(t *testing.T) {
	srv, _ := setup(t)
	tokens, kept := signIn(t, srv)
	stale, _ := tokens.Token()
	var wg sync.WaitGroup
	errs := make([]error, 5)
	for i := range errs {
		wg.Go(func() { _, _, errs[i] = tokens.Refresh(context.Background(), stale) })
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Errorf("Refresh = %v", err)
		}
	}
	if srv.Refreshes() != 1 || len(kept()) != 1 {
		t.Errorf("%d refreshes reached the server, %d pairs kept; want 1, 1", srv.Refreshes(), len(kept()))
	}
}

// TestRefresherLogout ends the sign-in at the server: its refresh token is
// refused afterwards.
func TestRefresherLogout(t *testing.T) {
	srv, _ := setup(t)
	tokens, _ := signIn(t, srv)
	if err := tokens.Logout(context.Background()); err != nil {
		t.Fatalf("Logout: %v", err)
	}
	if srv.Logouts() != 1 {
		t.Errorf("%d logouts reached the server, want 1", srv.Logouts())
	}
	stale, _ := tokens.Token()
	_, _, err := tokens.Refresh(context.Background(), stale)
	if !errors.Is(err, protocol.ErrUnauthorized) {
		t.Errorf("Refresh after logout = %v, want unauthenticated", err)
	}
}
