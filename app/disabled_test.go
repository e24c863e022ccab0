package app_test

import (
	"context"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"switchboard/app"
	"switchboard/backend/server"
	"switchboard/backend/server/servertest"
	"switchboard/backend/store/sqlite"
	"switchboard/protocol"
)

// TestAccountDisabledEndsSession disables a signed-in agent's account in
// the server's database, as the admin CLI does while the server runs: the
// app's session ends with account_disabled (not a retry loop), and signing
// in again is refused with the same code until the account is enabled.
func TestAccountDisabledEndsSession(t *testing.T) {
	data := t.TempDir()
	srv, err := server.New(servertest.Config(t, server.Config{DataDir: data, Demo: true, Routing: server.RoutingPick, AccessPoll: 50 * time.Millisecond}))
	if err != nil {
		t.Fatalf("server.New: %v", err)
	}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		srv.Shutdown(ctx)
		ts.Close()
	})

	p := newFakePlatform(t)
	svc := app.New(app.Config{Dir: t.TempDir(), Platform: p, ReconnectMin: 10 * time.Millisecond, ReconnectMax: 50 * time.Millisecond})
	svc.Start(context.Background())
	t.Cleanup(svc.Stop)
	a := svc.App()
	if _, err := a.SignIn(ts.URL, "alice", server.DemoPassword); err != nil {
		t.Fatalf("SignIn: %v", err)
	}
	p.waitFor(t, "online", func(evs []emitted) bool { return lastConnState(evs) == "online" })

	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(data, "switchboard.db"), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	alice, err := st.AgentByUsername(ctx, "alice")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.SetAgentDisabled(ctx, alice.ID, true); err != nil {
		t.Fatal(err)
	}

	evs := p.waitFor(t, "session:ended", func(evs []emitted) bool {
		return len(named(evs, app.EventSessionEnded)) > 0
	})
	if got := named(evs, app.EventSessionEnded)[0].data.(app.SessionEnded).Reason; got != protocol.ErrAccountDisabled.Code {
		t.Fatalf("session:ended reason = %q, want %q", got, protocol.ErrAccountDisabled.Code)
	}
	// The session is torn down just after session:ended.
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		if b, _ := a.Bootstrap(); !b.SignedIn {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("still signed in after the account was disabled")
		}
	}
	_, err = a.SignIn(ts.URL, "alice", server.DemoPassword)
	if err == nil || !strings.HasPrefix(err.Error(), protocol.ErrAccountDisabled.Code+":") {
		t.Fatalf("SignIn while disabled: %v, want %s", err, protocol.ErrAccountDisabled.Code)
	}

	if _, err := st.SetAgentDisabled(ctx, alice.ID, false); err != nil {
		t.Fatal(err)
	}
	if _, err := a.SignIn(ts.URL, "alice", server.DemoPassword); err != nil {
		t.Fatalf("SignIn after enable: %v", err)
	}
}
