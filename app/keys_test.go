package app_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"switchboard/app"
	"switchboard/app/internal/fakeserver"
	"switchboard/app/secrets"
	"switchboard/protocol"
)

// keptSession starts the app on dir without credentials and returns it
// with its Bootstrap.
func startOn(t *testing.T, dir string) (*app.Service, *fakePlatform, app.BootState) {
	t.Helper()
	p := newFakePlatform(t)
	svc := app.New(app.Config{Dir: dir, Platform: p, RequestTimeout: 2 * time.Second,
		ReconnectMin: 10 * time.Millisecond, ReconnectMax: 50 * time.Millisecond})
	svc.Start(context.Background())
	t.Cleanup(svc.Stop)
	boot, err := svc.App().Bootstrap()
	if err != nil {
		t.Fatal(err)
	}
	return svc, p, boot
}

func TestSessionKeptAcrossRuns(t *testing.T) {
	srv := fakeserver.New(t)
	srv.AddUser("alice", "pw", alice)
	srv.AddConversation(protocol.Conversation{ID: "c1", State: protocol.StateActive, Team: "presales", AssigneeID: alice.ID})
	srv.Say("c1", customer, "我想查一下订单 A-1001 的物流", false)
	dir := t.TempDir()

	svc, p, boot := startOn(t, dir)
	if boot.SignedIn {
		t.Fatalf("first run signed in: %+v", boot)
	}
	if _, err := svc.App().SignIn(srv.URL, "alice", "pw"); err != nil {
		t.Fatal(err)
	}
	p.waitFor(t, "online", func(evs []emitted) bool { return lastConnState(evs) == "online" })
	if tr, err := svc.App().Transcript("c1"); err != nil || len(tr) != 1 {
		t.Fatalf("Transcript = %+v, %v", tr, err)
	}
	svc.Stop()

	// The token is kept in the secrets store, never in the settings.
	settings, _ := os.ReadFile(filepath.Join(dir, "settings.json"))
	kept, _ := os.ReadFile(filepath.Join(dir, secrets.FileName))
	var keptMap map[string]string
	json.Unmarshal(kept, &keptMap)
	if !strings.Contains(keptMap["session"], alice.ID) || strings.Contains(string(settings), "token") {
		t.Fatalf("kept session = %q; settings = %s", keptMap["session"], settings)
	}

	// The next run opens signed in from the kept session, with the server
	// down: the lists and local search come from the cache.
	srv.Refuse(true)
	svc, _, boot = startOn(t, dir)
	if !boot.SignedIn || boot.Session.User.ID != alice.ID || boot.Session.ServerURL != srv.URL {
		t.Fatalf("second run = %+v, want alice signed in", boot)
	}
	mine, err := svc.App().ListConversations("mine")
	if err != nil || len(mine) != 1 {
		t.Fatalf("cached mine = %+v, %v", mine, err)
	}
	hits, err := svc.App().SearchMessages("订单", 0)
	if err != nil || len(hits) != 1 || hits[0].Conversation.ID != "c1" || hits[0].Message.Seq != 1 {
		t.Fatalf("SearchMessages = %+v, %v", hits, err)
	}
	if hits, err := svc.App().SearchMessages("a-1001 物流", 10); err != nil || len(hits) != 1 {
		t.Fatalf("SearchMessages two words = %+v, %v", hits, err)
	}
	if hits, err := svc.App().SearchMessages("refund", 10); err != nil || len(hits) != 0 {
		t.Fatalf("SearchMessages no match = %+v, %v", hits, err)
	}
	if _, err := svc.App().SearchMessages(strings.Repeat("x", 201), 10); err == nil || !strings.HasPrefix(err.Error(), "invalid_request: ") {
		t.Fatalf("long query: %v, want invalid_request", err)
	}
	srv.Refuse(false)

	// Signing out forgets the session: the run after that asks again.
	if err := svc.App().SignOut(); err != nil {
		t.Fatal(err)
	}
	svc.Stop()
	svc, _, boot = startOn(t, dir)
	if boot.SignedIn {
		t.Fatalf("run after sign-out = %+v, want signed out", boot)
	}
	if _, err := svc.App().SearchMessages("订单", 0); err == nil || !strings.HasPrefix(err.Error(), "unauthenticated: ") {
		t.Fatalf("search signed out: %v", err)
	}
}

func TestKeptSessionRejectedByServer(t *testing.T) {
	f := newFixture(t)
	f.signIn(t)
	f.svc.Stop()
	f.srv.RevokeTokens()

	_, p, boot := startOn(t, f.dir)
	// The kept session is opened at start; the server's refusal may come
	// before Bootstrap reads the state, and then Bootstrap says why.
	if !boot.SignedIn && !strings.HasPrefix(boot.Conn.Error, "unauthenticated: ") {
		t.Fatalf("boot = %+v, want the kept session opened", boot)
	}
	// The server refuses the kept token: the session ends and is forgotten.
	p.waitFor(t, "session:ended", func(evs []emitted) bool { return len(named(evs, app.EventSessionEnded)) == 1 })
	deadline := time.Now().Add(5 * time.Second)
	for {
		kept, _ := os.ReadFile(filepath.Join(f.dir, secrets.FileName))
		if !strings.Contains(string(kept), `"session"`) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the refused session is still kept: %s", kept)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestExpiredSessionNotResumed(t *testing.T) {
	dir := t.TempDir()
	st, err := secrets.Open(secrets.ModeFile, dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(map[string]any{"server_url": "http://127.0.0.1:1", "token": "t",
		"expires_at": time.Now().Add(30 * time.Second).UnixMilli(), "user": alice})
	st.Set("session", string(b))
	_, _, boot := startOn(t, dir)
	if boot.SignedIn {
		t.Fatalf("a token about to expire was resumed: %+v", boot)
	}
	if _, err := st.Get("session"); err == nil {
		t.Fatal("the expired session is still kept")
	}
}

// TestLostCacheKey removes the cache key from the keychain: the cache it
// encrypted cannot be read, so signing in starts a new one.
func TestLostCacheKey(t *testing.T) {
	f := newFixture(t)
	f.signIn(t)
	if tr, err := f.a.Transcript("c1"); err != nil || len(tr) != 3 {
		t.Fatalf("Transcript = %+v, %v", tr, err)
	}
	if err := f.a.SignOut(); err != nil {
		t.Fatal(err)
	}
	st, _ := secrets.Open(secrets.ModeFile, f.dir, nil)
	kept, _ := os.ReadFile(filepath.Join(f.dir, secrets.FileName))
	var m map[string]string
	json.Unmarshal(kept, &m)
	n := 0
	for name := range m {
		if strings.HasPrefix(name, "cache-key/") {
			st.Delete(name)
			n++
		}
	}
	if n != 1 {
		t.Fatalf("%d cache keys kept, want 1: %s", n, kept)
	}
	f.signIn(t)
	tr, err := f.a.Transcript("c1")
	if err != nil || len(tr) != 3 {
		t.Fatalf("Transcript with a new cache = %+v, %v", tr, err)
	}
}
