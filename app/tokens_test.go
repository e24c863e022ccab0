package app_test

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"switchboard/app"
	"switchboard/app/conn"
	"switchboard/app/secrets"
	"switchboard/protocol"
)

// keptTokens reads the session kept in dir's secrets file ("" when none).
func keptTokens(t *testing.T, dir string) (access, refresh string) {
	t.Helper()
	b, _ := os.ReadFile(filepath.Join(dir, secrets.FileName))
	var m map[string]string
	json.Unmarshal(b, &m)
	if m["session"] == "" {
		return "", ""
	}
	var st struct {
		Token        string `json:"token"`
		RefreshToken string `json:"refresh_token"`
	}
	if err := json.Unmarshal([]byte(m["session"]), &st); err != nil {
		t.Fatalf("kept session unreadable: %v", err)
	}
	return st.Token, st.RefreshToken
}

// TestSilentRefresh: an access token that expires while the app is online
// is renewed on the live connection without a reconnect, and the new
// refresh token replaces the used one in the keychain.
func TestSilentRefresh(t *testing.T) {
	f := newFixture(t)
	f.srv.SetTokenTTL(1500 * time.Millisecond)
	f.signIn(t)
	_, firstRefresh := keptTokens(t, f.dir)
	if firstRefresh == "" {
		t.Fatal("sign-in kept no refresh token")
	}
	deadline := time.Now().Add(5 * time.Second)
	for f.srv.Count(protocol.TypeReauth) < 2 {
		if time.Now().After(deadline) {
			t.Fatalf("%d reauths after %v, want 2", f.srv.Count(protocol.TypeReauth), 5*time.Second)
		}
		time.Sleep(20 * time.Millisecond)
	}
	evs := f.p.snapshot()
	if n := countConnState(evs, "connecting"); n != 1 {
		t.Errorf("connected %d times, want once: %v", n, connStates(evs))
	}
	if lastConnState(evs) != "online" || len(named(evs, app.EventSessionEnded)) != 0 {
		t.Errorf("state %q, session:ended %d; want online and no end", lastConnState(evs), len(named(evs, app.EventSessionEnded)))
	}
	if _, refresh := keptTokens(t, f.dir); refresh == "" || refresh == firstRefresh {
		t.Errorf("kept refresh token = %q, want a new one (not %q)", refresh, firstRefresh)
	}
	if _, err := f.a.ListConversations("queue"); err != nil {
		t.Errorf("ListConversations: %v", err)
	}
}

// TestRefreshReuseEndsSession: when a copy of the refresh token was used
// elsewhere first, the app's next refresh is refused as reuse, and the
// session ends with that reason and is forgotten.
func TestRefreshReuseEndsSession(t *testing.T) {
	f := newFixture(t)
	f.signIn(t)
	_, refresh := keptTokens(t, f.dir)
	if _, err := conn.Refresh(context.Background(), nil, f.srv.URL, refresh); err != nil {
		t.Fatalf("the copy's refresh: %v", err)
	}
	f.srv.PushTokenExpiring()
	evs := f.p.waitFor(t, "session:ended", func(evs []emitted) bool { return len(named(evs, app.EventSessionEnded)) == 1 })
	if r := named(evs, app.EventSessionEnded)[0].data.(app.SessionEnded).Reason; r != protocol.ErrRefreshReused.Code {
		t.Errorf("session:ended reason = %q, want refresh_reused", r)
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		if _, r := keptTokens(t, f.dir); r == "" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the ended session is still kept")
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestSignOutEndsSignIn: signing out tells the server, which refuses the
// refresh token afterwards, and forgets the kept session.
func TestSignOutEndsSignIn(t *testing.T) {
	f := newFixture(t)
	f.signIn(t)
	_, refresh := keptTokens(t, f.dir)
	if err := f.a.SignOut(); err != nil {
		t.Fatal(err)
	}
	if f.srv.Logouts() != 1 {
		t.Errorf("%d logouts reached the server, want 1", f.srv.Logouts())
	}
	if _, err := conn.Refresh(context.Background(), nil, f.srv.URL, refresh); !errors.Is(err, protocol.ErrUnauthorized) {
		t.Errorf("refresh after sign-out = %v, want unauthenticated", err)
	}
	if a, r := keptTokens(t, f.dir); a != "" || r != "" {
		t.Errorf("tokens still kept after sign-out: %q %q", a, r)
	}
}

// TestSignOutServerDown: a server that cannot be reached does not keep the
// agent signed in on this machine.
func TestSignOutServerDown(t *testing.T) {
	f := newFixture(t)
	f.signIn(t)
	f.srv.Close()
	if err := f.a.SignOut(); err != nil {
		t.Fatal(err)
	}
	if a, r := keptTokens(t, f.dir); a != "" || r != "" {
		t.Errorf("tokens still kept after sign-out: %q %q", a, r)
	}
	if boot, _ := f.a.Bootstrap(); boot.SignedIn {
		t.Errorf("still signed in after sign-out: %+v", boot)
	}
}

// TestResumeWithExpiredAccessToken: a kept session whose access token has
// expired but whose refresh token is good opens signed in and renews the
// token before it connects.
func TestResumeWithExpiredAccessToken(t *testing.T) {
	f := newFixture(t)
	f.srv.SetTokenTTL(time.Millisecond)
	res, err := conn.Login(context.Background(), nil, f.srv.URL, "alice", "pw")
	if err != nil {
		t.Fatal(err)
	}
	f.srv.SetTokenTTL(time.Hour)
	dir := t.TempDir()
	st, err := secrets.Open(secrets.ModeFile, dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(map[string]any{"server_url": f.srv.URL, "token": res.Token, "expires_at": res.ExpiresAt,
		"refresh_token": res.RefreshToken, "refresh_expires_at": res.RefreshExpiresAt, "user": alice})
	st.Set("session", string(b))

	_, p, boot := startOn(t, dir)
	if !boot.SignedIn {
		t.Fatalf("boot = %+v, want the kept session opened", boot)
	}
	p.waitFor(t, "online", func(evs []emitted) bool { return lastConnState(evs) == "online" })
	if f.srv.Refreshes() != 1 {
		t.Errorf("%d refreshes, want 1", f.srv.Refreshes())
	}
	if a, _ := keptTokens(t, dir); a == res.Token {
		t.Errorf("the expired access token is still the kept one")
	}
}
