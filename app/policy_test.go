package app_test

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"switchboard/app"
	"switchboard/app/policy"
)

// policyFile writes a policy.json and returns its source.
func policyFile(t *testing.T, body string) []policy.Source {
	t.Helper()
	path := filepath.Join(t.TempDir(), "policy.json")
	if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return []policy.Source{policy.JSONFile{Path: path}}
}

// withPolicy sets the policy of a fixture's Service.
func withPolicy(srcs []policy.Source) func(*app.Config) {
	return func(c *app.Config) { c.PolicySources = srcs }
}

// startWithPolicy starts a Service on dir with a policy and returns it
// with its platform.
func startWithPolicy(t *testing.T, dir string, srcs []policy.Source, mutate ...func(*app.Config)) (*app.Service, *fakePlatform) {
	t.Helper()
	p := newFakePlatform(t)
	cfg := app.Config{Dir: dir, Platform: p, PolicySources: srcs, RequestTimeout: 2 * time.Second,
		ReconnectMin: 10 * time.Millisecond, ReconnectMax: 50 * time.Millisecond}
	for _, m := range mutate {
		m(&cfg)
	}
	svc := app.New(cfg)
	svc.Start(context.Background())
	t.Cleanup(svc.Stop)
	return svc, p
}

func TestPolicyBindingAndLog(t *testing.T) {
	srcs := policyFile(t, `{"LogLevel": "debug", "DisableUpdateCheck": true, "CacheRetentionDays": 0,
		"Colour": "blue", "Recommended": {"Language": "zh-CN"}}`)
	var logs bytes.Buffer
	level := new(slog.LevelVar)
	svc := app.New(app.Config{Dir: t.TempDir(), PolicySources: srcs, LogLevel: level,
		Logger: slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: level}))})

	if level.Level() != slog.LevelDebug {
		t.Errorf("log level = %v, want debug from the policy", level.Level())
	}
	if !svc.UpdateCheckDisabled() {
		t.Error("the update check is not disabled")
	}
	p, err := svc.App().Policy()
	if err != nil {
		t.Fatal(err)
	}
	src := srcs[0].Name()
	if p.LogLevel != (policy.StringSetting{Value: "debug", Locked: true, Source: src}) ||
		p.Language != (policy.StringSetting{Value: "zh-CN", Source: src}) ||
		p.CacheRetentionDays != (policy.IntSetting{}) {
		t.Errorf("Policy() = %+v", p)
	}
	var got []string
	for _, pr := range p.Problems {
		got = append(got, pr.Key+":"+pr.Code)
	}
	if want := []string{"CacheRetentionDays:out_of_range", "Colour:unknown_key"}; !slices.Equal(got, want) {
		t.Errorf("problems = %v, want %v", got, want)
	}
	// Each problem is in the log, naming the source and the key.
	for _, want := range []string{
		`level=ERROR msg="managed policy problem" source=` + src + ` key=CacheRetentionDays code=out_of_range`,
		`level=WARN msg="managed policy problem" source=` + src + ` key=Colour code=unknown_key`,
	} {
		if !strings.Contains(logs.String(), want) {
			t.Errorf("log lacks %q:\n%s", want, logs.String())
		}
	}
}

func TestPolicyBadFileFallsBack(t *testing.T) {
	srcs := policyFile(t, `{"LogLevel": "debug", "DisableUpdateCheck": true`)
	level := new(slog.LevelVar)
	svc := app.New(app.Config{Dir: t.TempDir(), PolicySources: srcs, LogLevel: level})
	p, _ := svc.App().Policy()
	if len(p.Problems) != 1 || p.Problems[0].Code != policy.CodeMalformed || p.Problems[0].Source != srcs[0].Name() {
		t.Fatalf("problems = %+v, want the file reported as malformed", p.Problems)
	}
	if level.Level() != slog.LevelInfo || svc.UpdateCheckDisabled() || p.LogLevel.Locked {
		t.Errorf("a file that does not parse took effect: level %v, policy %+v", level.Level(), p)
	}
}

func TestSignInLockedServer(t *testing.T) {
	srv := newFixture(t).srv // a server with alice
	srcs := policyFile(t, `{"ServerURL": "`+srv.URL+`/", "LockServerURL": true}`)
	svc, p := startWithPolicy(t, t.TempDir(), srcs, func(c *app.Config) { c.DefaultServerURL = "http://env.example.com" })
	boot, _ := svc.App().Bootstrap()
	if boot.DefaultServerURL != srv.URL || !boot.ServerURLLocked {
		t.Fatalf("Bootstrap = %+v, want the locked server %s", boot, srv.URL)
	}
	// The locked server is used whatever the agent typed.
	s, err := svc.App().SignIn("http://other.example.com", "alice", "pw")
	if err != nil {
		t.Fatalf("SignIn: %v", err)
	}
	if s.ServerURL != srv.URL {
		t.Errorf("signed in to %s, want %s", s.ServerURL, srv.URL)
	}
	p.waitFor(t, "online", func(evs []emitted) bool { return lastConnState(evs) == "online" })
}

func TestDefaultServerURLOrder(t *testing.T) {
	srcs := policyFile(t, `{"Recommended": {"ServerURL": "https://preset.example.com"}}`)
	svc, _ := startWithPolicy(t, t.TempDir(), srcs)
	if boot, _ := svc.App().Bootstrap(); boot.DefaultServerURL != "https://preset.example.com" || boot.ServerURLLocked {
		t.Errorf("Bootstrap = %+v, want the policy's default, unlocked", boot)
	}
	// The URL the app was started with is the agent's, above a default.
	svc, _ = startWithPolicy(t, t.TempDir(), srcs, func(c *app.Config) { c.DefaultServerURL = "http://env.example.com" })
	if boot, _ := svc.App().Bootstrap(); boot.DefaultServerURL != "http://env.example.com" || boot.ServerURLLocked {
		t.Errorf("Bootstrap = %+v, want the env URL", boot)
	}
}

func TestSignInAllowedServers(t *testing.T) {
	tests := []struct {
		name    string
		allowed string
		ok      bool
	}{
		{"host allowed", `["127.0.0.1"]`, true},
		{"other host", `["chat.example.com", "*.example.com"]`, false},
		{"wrong scheme", `["https://127.0.0.1"]`, false},
		{"empty list allows any", `[]`, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, withPolicy(policyFile(t, `{"AllowedServers": `+tt.allowed+`}`)))
			_, err := f.a.SignIn(f.srv.URL, "alice", "pw")
			if tt.ok {
				if err != nil {
					t.Fatalf("SignIn: %v", err)
				}
				return
			}
			if err == nil || !strings.HasPrefix(err.Error(), "server_not_allowed: ") {
				t.Fatalf("SignIn = %v, want server_not_allowed", err)
			}
			if boot, _ := f.a.Bootstrap(); boot.SignedIn {
				t.Error("signed in to a server that is not allowed")
			}
		})
	}
}

func TestResumeRefusedByPolicy(t *testing.T) {
	f := newFixture(t)
	f.signIn(t)
	f.svc.Stop()

	// The admin now allows only another server: the kept session is not
	// resumed, and forgotten.
	srcs := policyFile(t, `{"AllowedServers": ["chat.example.com"]}`)
	svc, _ := startWithPolicy(t, f.dir, srcs)
	if boot, _ := svc.App().Bootstrap(); boot.SignedIn {
		t.Fatalf("resumed on a server the policy does not allow: %+v", boot)
	}
	svc.Stop()
	svc, _ = startWithPolicy(t, f.dir, nil, func(c *app.Config) { c.PolicySources = []policy.Source{} })
	if boot, _ := svc.App().Bootstrap(); boot.SignedIn {
		t.Fatalf("the refused session was kept: %+v", boot)
	}
}

func TestCacheRetention(t *testing.T) {
	// The fake server's messages are from 2025: older than a day.
	f := newFixture(t)
	f.signIn(t)
	if tr, err := f.a.Transcript("c1"); err != nil || len(tr) != 3 {
		t.Fatalf("Transcript = %+v, %v", tr, err)
	}
	hits := func(svc *app.Service) int {
		h, err := svc.App().SearchMessages("运费", 10)
		if err != nil {
			t.Fatal(err)
		}
		return len(h)
	}
	if n := hits(f.svc); n != 1 {
		t.Fatalf("search before the policy = %d hits, want 1", n)
	}
	f.svc.Stop()

	waitPruned := func(svc *app.Service, what string) {
		t.Helper()
		deadline := time.Now().Add(5 * time.Second)
		for hits(svc) != 0 {
			if time.Now().After(deadline) {
				t.Fatalf("%s: the old messages are still cached", what)
			}
			time.Sleep(10 * time.Millisecond)
		}
	}
	srcs := policyFile(t, `{"CacheRetentionDays": 1}`)

	// At start: the resumed session's cache is pruned.
	f.srv.Refuse(true)
	svc, _ := startWithPolicy(t, f.dir, srcs)
	if boot, _ := svc.App().Bootstrap(); !boot.SignedIn {
		t.Fatal("the kept session was not resumed")
	}
	waitPruned(svc, "at start")
	svc.Stop()

	// While signed in: the messages fetched again once the session has
	// started (and pruned its cache) are pruned at the next round.
	f.srv.Refuse(false)
	svc, p := startWithPolicy(t, f.dir, srcs, func(c *app.Config) { c.CachePruneInterval = 20 * time.Millisecond })
	p.waitFor(t, "online", func(evs []emitted) bool { return lastConnState(evs) == "online" })
	// A round can prune between Transcript's fetch and its read of the
	// cache (a round every 20 ms): ask until one read sees the fetch.
	deadline := time.Now().Add(5 * time.Second)
	for {
		tr, err := svc.App().Transcript("c1")
		if err != nil {
			t.Fatalf("Transcript: %v", err)
		}
		if len(tr) == 3 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("Transcript = %+v: the messages were not fetched again", tr)
		}
		time.Sleep(5 * time.Millisecond)
	}
	waitPruned(svc, "daily")
}

// TestPolicyJSONShape keeps the JSON of the Policy binding what the UI reads
// (frontend/src/api/policy.ts).
func TestPolicyJSONShape(t *testing.T) {
	srcs := policyFile(t, `{"ServerURL": "https://chat.example.com", "LockServerURL": true, "CacheRetentionDays": 0}`)
	p, _ := app.New(app.Config{Dir: t.TempDir(), PolicySources: srcs}).App().Policy()
	b, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	for _, k := range append(slices.Clone(policy.Keys), "problems") {
		if _, ok := got[k]; !ok {
			t.Errorf("Policy JSON lacks %q: %s", k, b)
		}
	}
	want := map[string]any{"value": "https://chat.example.com", "locked": true, "source": srcs[0].Name()}
	if s, _ := got["ServerURL"].(map[string]any); !mapsEqual(s, want) {
		t.Errorf("ServerURL = %v, want %v", got["ServerURL"], want)
	}
	pr, _ := got["problems"].([]any)
	first, _ := pr[0].(map[string]any)
	for _, k := range []string{"source", "key", "code", "severity", "message"} {
		if _, ok := first[k]; !ok {
			t.Errorf("a problem lacks %q: %v", k, first)
		}
	}
	if av, _ := got["AllowedServers"].(map[string]any); av["value"] == nil {
		t.Errorf("AllowedServers.value is null, want a list: %s", b)
	}
}

func mapsEqual(a, b map[string]any) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}
