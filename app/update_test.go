package app_test

import (
	"context"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"switchboard/app"
	"switchboard/app/policy"
	"switchboard/backend/server"
	"switchboard/backend/server/servertest"
)

// startReleaseServer runs the project's server publishing rel.
func startReleaseServer(t *testing.T, rel *server.DesktopRelease) string {
	t.Helper()
	srv, err := server.New(servertest.Config(t, server.Config{DataDir: t.TempDir(), Demo: true, Routing: server.RoutingPick, DesktopRelease: rel}))
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
	return ts.URL
}

// TestUpdateNotice signs an app of version 0.1.0 in to a server that
// publishes 0.2.0: the UI hears update:available with this OS's link, and
// the About panel reports the version. With DisableUpdateCheck in the
// managed policy the same app hears nothing.
func TestUpdateNotice(t *testing.T) {
	rel := &server.DesktopRelease{
		Version: "0.2.0",
		Downloads: map[string]string{
			"linux":   "https://downloads.example.com/switchboard_0.2.0-1_amd64.deb",
			"windows": "https://downloads.example.com/switchboard-0.2.0-windows-amd64.msi",
			"darwin":  "https://downloads.example.com/Switchboard-0.2.0-universal.dmg",
		},
		NotesURL: "https://example.com/notes/0.2.0",
	}
	url := startReleaseServer(t, rel)

	start := func(t *testing.T, sources []policy.Source) (*app.App, *fakePlatform) {
		p := newFakePlatform(t)
		svc := app.New(app.Config{
			Dir: t.TempDir(), Platform: p, Version: "0.1.0", PolicySources: sources,
			ReconnectMin: 10 * time.Millisecond, ReconnectMax: 50 * time.Millisecond,
		})
		svc.Start(context.Background())
		t.Cleanup(svc.Stop)
		a := svc.App()
		if _, err := a.SignIn(url, "alice", server.DemoPassword); err != nil {
			t.Fatalf("SignIn: %v", err)
		}
		return a, p
	}

	t.Run("notice", func(t *testing.T) {
		a, p := start(t, []policy.Source{})
		evs := p.waitFor(t, "update:available", func(evs []emitted) bool {
			return len(named(evs, app.EventUpdateAvailable)) > 0
		})
		got := named(evs, app.EventUpdateAvailable)[0].data.(app.UpdateNotice)
		want := app.UpdateNotice{Current: "0.1.0", Version: "0.2.0", URL: rel.Downloads[runtime.GOOS], NotesURL: rel.NotesURL}
		if got != want {
			t.Fatalf("update:available = %+v, want %+v", got, want)
		}
		n, err := a.UpdateNotice()
		if err != nil || n == nil || *n != want {
			t.Fatalf("UpdateNotice() = %+v, %v; want %+v", n, err, want)
		}
		about, err := a.About()
		if err != nil {
			t.Fatal(err)
		}
		if about.Version != "0.1.0" || about.ServerURL != url || !about.UpdateCheck {
			t.Fatalf("About() = %+v", about)
		}
	})

	t.Run("turned off by policy", func(t *testing.T) {
		file := filepath.Join(t.TempDir(), "policy.json")
		if err := os.WriteFile(file, []byte(`{"DisableUpdateCheck": true}`), 0o644); err != nil {
			t.Fatal(err)
		}
		a, p := start(t, []policy.Source{policy.JSONFile{Path: file}})
		about, err := a.About()
		if err != nil {
			t.Fatal(err)
		}
		if about.UpdateCheck {
			t.Fatalf("About().UpdateCheck = true under DisableUpdateCheck")
		}
		// The check would run at once after sign-in: wait until the
		// connection is online, then a little, and see nothing came.
		p.waitFor(t, "online", func(evs []emitted) bool { return lastConnState(evs) == "online" })
		time.Sleep(300 * time.Millisecond)
		if evs := named(p.snapshot(), app.EventUpdateAvailable); len(evs) != 0 {
			t.Fatalf("update:available under DisableUpdateCheck: %s", describe(evs))
		}
		if n, _ := a.UpdateNotice(); n != nil {
			t.Fatalf("UpdateNotice() = %+v under DisableUpdateCheck", n)
		}
	})
}
