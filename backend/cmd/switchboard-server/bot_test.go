package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"switchboard/backend/bot"
	"switchboard/backend/bot/webhook"
	"switchboard/backend/kb"
	"switchboard/backend/server"
	"switchboard/backend/store/sqlite"
)

func TestKBCheck(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "kb.json")
	k := &kb.KB{Version: 1, Entries: []kb.Entry{
		{ID: "a", Team: "presales", Questions: kb.Questions{ZH: []string{"包邮吗", "运费"}, EN: []string{"free shipping?"}}, Answer: kb.Text{ZH: "包邮", EN: "free"}},
		{ID: "b", Team: "aftersales", Questions: kb.Questions{ZH: []string{"退货"}}, Answer: kb.Text{ZH: "可以"}},
		{ID: "c", Team: "presales", Questions: kb.Questions{EN: []string{"stock?"}}, Answer: kb.Text{EN: "yes"}},
	}}
	writeJSON(t, good, k)
	bad := filepath.Join(dir, "bad.json")
	if err := os.WriteFile(bad, []byte(`{"version":1,"entries":[{"id":"a","answer":{"zh":"x"}}]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	var out, errOut bytes.Buffer
	if code := run(context.Background(), []string{"kb", "check", good}, &out, &errOut); code != 0 {
		t.Fatalf("kb check good = %d, stderr %q", code, errOut.String())
	}
	for _, want := range []string{"aftersales  1  1  0  1  0", "presales  2  1  2  2  2", "total  3  2  2  3  2"} {
		if !strings.Contains(squeeze(out.String()), want) {
			t.Errorf("kb check output %q lacks %q", out.String(), want)
		}
	}
	out.Reset()
	errOut.Reset()
	if code := run(context.Background(), []string{"kb", "check", bad}, &out, &errOut); code != 1 || !strings.Contains(errOut.String(), "no questions") {
		t.Errorf("kb check bad = %d, stderr %q, want 1 and the problem", code, errOut.String())
	}
	if code := run(context.Background(), []string{"kb", "check"}, &out, &errOut); code != 2 {
		t.Errorf("kb check without file = %d, want 2", code)
	}
	if _, err := os.Stat("../../../../shared/data/kb.json"); err == nil {
		if code := run(context.Background(), []string{"kb", "check", "../../../../shared/data/kb.json"}, &out, &errOut); code != 0 {
			t.Errorf("kb check shared kb.json = %d, stderr %q", code, errOut.String())
		}
	}
}

// squeeze collapses runs of spaces to two, as tabwriter pads columns.
func squeeze(s string) string {
	for strings.Contains(s, "   ") {
		s = strings.ReplaceAll(s, "   ", "  ")
	}
	return s
}

func TestNewBot(t *testing.T) {
	t.Setenv("SB_TEST_KEY", "")
	for _, c := range []botConfig{
		{kind: "nope"},
		{kind: "llm"},
		{kind: "llm", llmURL: "http://x/v1", llmModel: "m", llmKeyEnv: "SB_TEST_KEY"},
		{kind: "webhook"},
		{kind: "webhook", webhookURL: "http://x/hook", webhookSecretEnv: "SB_TEST_KEY"},
	} {
		if _, err := newBot(c); err == nil {
			t.Errorf("newBot(%+v) error = nil, want one", c)
		}
	}
	b, err := newBot(botConfig{kind: "kb", kb: kb.Demo()})
	if err != nil {
		t.Fatal(err)
	}
	r, err := serverBot(b).Answer(context.Background(), server.BotInput{ConversationID: "c1", Text: "包邮吗"})
	if err != nil || r.EntryID != "shipping-fee" || r.Locale != "zh" || r.Team != "presales" || r.Text == "" {
		t.Errorf("serverBot Answer = %+v, %v, want the shipping-fee answer", r, err)
	}
}

func writeJSON(t *testing.T, path string, v any) {
	t.Helper()
	data, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
}

// sharedKB is the knowledge base of ../shared/data, which "kb import" must
// accept as it is.
const sharedKB = "../../../../shared/data/kb.json"

// readShared returns the shared kb.json, or skips the test without it.
func readShared(t *testing.T) []byte {
	t.Helper()
	data, err := os.ReadFile(sharedKB)
	if err != nil {
		t.Skipf("shared kb.json not available: %v", err)
	}
	return data
}

// shippingKB is a knowledge base whose one entry answers "多久能发货？" with
// answer.
func shippingKB(answer string) *kb.KB {
	return &kb.KB{Version: 1, Entries: []kb.Entry{
		{ID: "shipping-time", Team: "presales", Questions: kb.Questions{ZH: []string{"多久能发货？"}}, Answer: kb.Text{ZH: answer}},
	}}
}

func TestKBImport(t *testing.T) {
	shared := readShared(t)
	data := filepath.Join(t.TempDir(), "data") // import creates it
	installed := filepath.Join(data, kb.FileName)
	ctx := context.Background()

	var out, errOut bytes.Buffer
	if code := run(ctx, []string{"kb", "import", "--data", data, sharedKB}, &out, &errOut); code != 0 {
		t.Fatalf("kb import shared = %d, stderr %q", code, errOut.String())
	}
	for _, want := range []string{installed, "38 entries", "languages zh, en", "teams aftersales, presales", "total  38  38  38"} {
		if !strings.Contains(squeeze(out.String()), want) {
			t.Errorf("kb import output %q lacks %q", out.String(), want)
		}
	}
	got, err := os.ReadFile(installed)
	if err != nil || !bytes.Equal(got, shared) {
		t.Fatalf("installed kb.json differs from the shared one (%v)", err)
	}
	if fi, err := os.Stat(installed); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("installed kb.json mode = %v (%v), want 0600", fi.Mode().Perm(), err)
	}

	bad := filepath.Join(t.TempDir(), "bad.json")
	if err := os.WriteFile(bad, []byte(`{"version":1,"entries":[{"id":"a","answer":{"zh":"x"}}]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	empty := filepath.Join(t.TempDir(), "empty")
	for _, c := range []struct {
		name   string
		args   []string
		code   int
		stderr string
	}{
		{"invalid", []string{"--data", data, bad}, 1, "no questions"},
		{"missing file", []string{"--data", data, bad + ".nope"}, 1, "no such file"},
		{"no file", []string{"--data", data}, 2, "Usage"},
		{"two files", []string{"--data", data, bad, bad}, 2, "Usage"},
		{"invalid into a new dir", []string{"--data", empty, bad}, 1, "no questions"},
	} {
		out.Reset()
		errOut.Reset()
		code := run(ctx, append([]string{"kb", "import"}, c.args...), &out, &errOut)
		if code != c.code || !strings.Contains(errOut.String(), c.stderr) {
			t.Errorf("kb import %s = %d, stderr %q; want %d and %q", c.name, code, errOut.String(), c.code, c.stderr)
		}
	}
	if got, err := os.ReadFile(installed); err != nil || !bytes.Equal(got, shared) {
		t.Errorf("a refused import changed the installed kb.json (%v)", err)
	}
	// The database holds the audit log, where the good import is recorded.
	var names []string
	ents, _ := os.ReadDir(data)
	for _, e := range ents {
		names = append(names, e.Name())
	}
	if !slices.Equal(names, []string{kb.FileName, dbName}) {
		t.Errorf("data dir holds %q after refused imports, want only kb.json and the database", names)
	}
	if _, err := os.Stat(empty); !os.IsNotExist(err) {
		t.Errorf("a refused import created the data dir (%v)", err)
	}
	// Published in the store, for every node: the good import, not the
	// refused ones.
	st, err := sqlite.Open(ctx, filepath.Join(data, dbName), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if v, ok, err := st.Setting(ctx, kb.SettingKey); err != nil || !ok || v != string(shared) {
		t.Errorf("the store does not hold the imported knowledge base (%v, %v)", ok, err)
	}
}

// TestServeKB checks which knowledge base serve starts with: --kb > the one
// published in the store > a kb.json an older version left in the data
// directory (published then) > demo with --demo > none.
func TestServeKB(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	flagFile := filepath.Join(dir, "flag.json")
	writeJSON(t, flagFile, shippingKB("from the flag"))
	legacy := filepath.Join(dir, "legacy")
	if _, err := kb.Install(legacy, mustJSON(t, shippingKB("left in the data directory"))); err != nil {
		t.Fatal(err)
	}
	noFile := filepath.Join(dir, "none")
	empty := func() *sqlite.Store {
		st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), dbName), sqlite.Options{})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		return st
	}
	published := func() *sqlite.Store {
		st := empty()
		if _, err := kb.Publish(ctx, st, mustJSON(t, shippingKB("imported"))); err != nil {
			t.Fatal(err)
		}
		return st
	}
	answer := func(k *kb.KB) string {
		switch {
		case k == nil:
			return "none"
		case len(k.Entries) > 1:
			return "demo"
		}
		return k.Entries[0].Answer.ZH
	}
	for _, c := range []struct {
		flag string
		st   *sqlite.Store
		data string
		demo bool
		want string
	}{
		{flagFile, published(), legacy, true, "from the flag"},
		{flagFile, empty(), noFile, false, "from the flag"},
		{"", published(), legacy, true, "imported"},
		{"", published(), noFile, false, "imported"},
		{"", empty(), legacy, true, "left in the data directory"},
		{"", empty(), noFile, true, "demo"},
		{"", empty(), noFile, false, "none"},
	} {
		k, _, err := serveKB(ctx, c.flag, c.demo, kb.NewShared(c.st), c.st, kb.NewWatcher(filepath.Join(c.data, kb.FileName)))
		if got := answer(k); err != nil || got != c.want {
			t.Errorf("serveKB(%q, demo %v, data %s) = %s, %v; want %s", c.flag, c.demo, filepath.Base(c.data), got, err, c.want)
		}
		// A kb.json left by an older version is in the store now, for
		// every node.
		if c.flag == "" && c.want == "left in the data directory" {
			if k, err := kb.NewShared(c.st).Load(ctx); k == nil || err != nil || answer(k) != c.want {
				t.Errorf("the data directory's kb.json was not published: %v", err)
			}
		}
	}
	// A broken published knowledge base stops the start rather than being
	// skipped.
	broken := empty()
	broken.PutSetting(ctx, kb.SettingKey, "{")
	broken.PutSetting(ctx, kb.SumKey, "broken")
	if _, _, err := serveKB(ctx, "", true, kb.NewShared(broken), broken, kb.NewWatcher(filepath.Join(noFile, kb.FileName))); err == nil {
		t.Errorf("serveKB with a broken published knowledge base: error = nil, want one")
	}
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestBotTimeout(t *testing.T) {
	tests := []struct {
		name string
		args []string
		env  string
		want time.Duration
	}{
		{"kb default", nil, "", defaultKBTimeout},
		{"llm default", []string{"--bot", "llm"}, "", defaultLLMTimeout},
		{"webhook default", []string{"--bot", "webhook"}, "", defaultWebhookTimeout},
		{"flag", []string{"--bot", "llm", "--bot-timeout", "45s"}, "", 45 * time.Second},
		{"environment", []string{"--bot", "webhook"}, "2s", 2 * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("SWITCHBOARD_BOT_TIMEOUT", tt.env)
			c, err := parseServe(tt.args, io.Discard)
			if err != nil {
				t.Fatalf("parseServe(%q): %v", tt.args, err)
			}
			if got := (botConfig{kind: c.Bot, timeout: c.BotTimeout}).botTimeout(); got != tt.want {
				t.Errorf("bot timeout of %q, env %q = %v, want %v", tt.args, tt.env, got, tt.want)
			}
		})
	}
	if _, err := parseServe([]string{"--bot-timeout", "-1s"}, io.Discard); err == nil {
		t.Error("--bot-timeout -1s: error = nil, want one")
	}
}

// TestWebhookSecret: --bot-webhook-secret-env names the variable whose
// secret signs the webhook's requests, which the receiver verifies.
func TestWebhookSecret(t *testing.T) {
	t.Setenv("SB_TEST_HOOK_SECRET", "s3cret")
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if err := webhook.Verify([]byte("s3cret"), r.Header.Get(webhook.HeaderTimestamp), r.Header.Get(webhook.HeaderSignature), body, time.Now(), time.Minute); err != nil {
			http.Error(w, err.Error(), http.StatusUnauthorized)
			return
		}
		w.Write([]byte(`{"text":"signed"}`))
	}))
	defer hook.Close()
	b, err := newBot(botConfig{kind: "webhook", webhookURL: hook.URL, webhookSecretEnv: "SB_TEST_HOOK_SECRET"})
	if err != nil {
		t.Fatal(err)
	}
	if r, err := b.Answer(context.Background(), bot.Input{ConversationID: "c1", Text: "hi"}); err != nil || r.Text != "signed" {
		t.Errorf("Answer = %+v, %v; want the signed request answered", r, err)
	}
}
