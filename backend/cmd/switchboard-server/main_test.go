package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/gorilla/websocket"

	"switchboard/backend/bot"
	"switchboard/backend/kb"
	"switchboard/backend/notice"
	"switchboard/backend/store"
	"switchboard/backend/store/sqlite"
	"switchboard/protocol"
)

// syncBuffer is a bytes.Buffer safe for the server goroutine to write while
// the test reads.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestVersionAndUsage(t *testing.T) {
	var out, errOut bytes.Buffer
	if code := run(context.Background(), []string{"version"}, &out, &errOut); code != 0 || !strings.HasPrefix(out.String(), "switchboard-server ") {
		t.Errorf("version = %d %q", code, out.String())
	}
	if code := run(context.Background(), nil, &out, &errOut); code != 2 {
		t.Errorf("no command = %d, want 2", code)
	}
	if code := run(context.Background(), []string{"serve", "--nope"}, &out, &errOut); code != 2 {
		t.Errorf("bad flag = %d, want 2", code)
	}
}

var (
	serverURL = regexp.MustCompile(`Server:\s+(http://\S+)`)
	logURL    = regexp.MustCompile(`"msg":"listening","url":"(https?://[^"]+)"`)
)

// startServe runs "serve --demo" on a free port and returns its base URL and
// a stop function that waits for a clean exit.
func startServe(t *testing.T, dir string) (string, func()) {
	t.Helper()
	base, _, stdout, stop := startServeArgs(t, "--demo", "--data", dir)
	if !strings.Contains(stdout.String(), "switchboard-demo") || !strings.Contains(stdout.String(), "/demo") {
		stop()
		t.Fatalf("banner lacks credentials or demo URL:\n%s", stdout.String())
	}
	return base, stop
}

// startServeArgs runs "serve" with args on a free port and returns its base
// URL, its log, its standard output and a stop function that waits for a
// clean exit.
func startServeArgs(t *testing.T, args ...string) (base string, log, stdout *syncBuffer, stop func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	stdout, stderr := &syncBuffer{}, &syncBuffer{}
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, append([]string{"serve", "--addr", "127.0.0.1:0"}, args...), stdout, stderr)
	}()
	deadline := time.Now().Add(20 * time.Second)
	for {
		m := logURL.FindStringSubmatch(stderr.String())
		if m != nil && (!slices.Contains(args, "--demo") || serverURL.MatchString(stdout.String())) {
			return m[1], stderr, stdout, func() {
				cancel()
				if code := <-done; code != 0 {
					t.Errorf("serve exited %d:\n%s", code, stderr.String())
				}
			}
		}
		select {
		case code := <-done:
			t.Fatalf("serve exited %d:\n%s", code, stderr.String())
		default:
		}
		if time.Now().After(deadline) {
			cancel()
			t.Fatalf("serve did not start:\n%s", stderr.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// visitor is a widget customer connected to a test server.
type visitor struct {
	t    *testing.T
	ws   *websocket.Conn
	conv protocol.Conversation
}

// newVisitor signs a new visitor in and opens a conversation.
func newVisitor(t *testing.T, base string) *visitor {
	t.Helper()
	resp, err := http.Post(base+"/api/v1/visitor", "application/json", strings.NewReader(`{}`))
	if err != nil {
		t.Fatal(err)
	}
	var tok struct{ Token string }
	json.NewDecoder(resp.Body).Decode(&tok)
	resp.Body.Close()

	ws, _, err := websocket.DefaultDialer.Dial("ws"+strings.TrimPrefix(base, "http")+"/ws", nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ws.Close() })
	v := &visitor{t: t, ws: ws}
	v.send(protocol.TypeHello, protocol.HelloData{Protocol: 1, Token: tok.Token})
	v.read(func(f protocol.Frame) bool { return f.Type == protocol.TypeWelcome })
	v.send(protocol.TypeOpen, protocol.OpenData{})
	json.Unmarshal(v.read(func(f protocol.Frame) bool { return f.Type == protocol.TypeConversation }).Data, &v.conv)
	return v
}

func (v *visitor) send(typ string, data any) {
	v.t.Helper()
	b, _ := protocol.Encode(typ, "", data)
	if err := v.ws.WriteMessage(websocket.TextMessage, b); err != nil {
		v.t.Fatal(err)
	}
}

// read returns the first frame want accepts.
func (v *visitor) read(want func(protocol.Frame) bool) protocol.Frame {
	v.t.Helper()
	v.ws.SetReadDeadline(time.Now().Add(10 * time.Second))
	for {
		_, b, err := v.ws.ReadMessage()
		if err != nil {
			v.t.Fatalf("read: %v", err)
		}
		var f protocol.Frame
		json.Unmarshal(b, &f)
		if want(f) {
			return f
		}
	}
}

// ask sends text in the visitor's conversation and returns the bot's reply.
func (v *visitor) ask(text string) protocol.Message {
	v.t.Helper()
	v.send(protocol.TypeSend, protocol.SendData{ConversationID: v.conv.ID, ClientMsgID: uuid.NewString(), Text: text})
	var answer protocol.Message
	v.read(func(f protocol.Frame) bool {
		if f.Type != protocol.TypeMessage {
			return false
		}
		json.Unmarshal(f.Data, &answer)
		return answer.Sender.Role == protocol.RoleBot
	})
	return answer
}

// TestServeDemo starts the real command twice on one data directory (the
// demo seed is idempotent) and asks the demo knowledge base a question.
func TestServeDemo(t *testing.T) {
	dir := t.TempDir()
	_, stop := startServe(t, dir)
	stop()
	base, stop := startServe(t, dir)
	defer stop()

	resp, err := http.Get(base + "/healthz")
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("healthz: %v %v", resp, err)
	}
	resp.Body.Close()

	v := newVisitor(t, base)
	if answer := v.ask("多久能发货？"); !strings.Contains(answer.Text, "24 小时") {
		t.Errorf("bot answer = %q, want the demo KB's shipping answer", answer.Text)
	}
	v.send(protocol.TypeSend, protocol.SendData{ConversationID: v.conv.ID, ClientMsgID: uuid.NewString(), Text: "转人工"})
	conv := v.conv
	v.read(func(f protocol.Frame) bool {
		if f.Type != protocol.TypeConversation {
			return false
		}
		json.Unmarshal(f.Data, &conv)
		return conv.State == protocol.StateQueued
	})
	if conv.Team != "presales" {
		t.Errorf("handed over to %q, want presales (the team of the matched entry)", conv.Team)
	}
}

// importKB runs "kb import" of file into the data directory dir.
func importKB(t *testing.T, dir, file string) {
	t.Helper()
	var out, errOut strings.Builder
	if code := run(context.Background(), []string{"kb", "import", "--data", dir, file}, &out, &errOut); code != 0 {
		t.Fatalf("kb import %s = %d: %s", file, code, errOut.String())
	}
}

// TestServeImportedKB imports the shared kb.json and serves without --demo
// or --kb: the bot answers from the imported knowledge base.
func TestServeImportedKB(t *testing.T) {
	readShared(t)
	dir := t.TempDir()
	importKB(t, dir, sharedKB)
	base, log, _, stop := startServeArgs(t, "--data", dir, "--insecure-plaintext")
	defer stop()
	if want := `"from":"store","entries":38`; !strings.Contains(log.String(), want) {
		t.Errorf("log lacks %q:\n%s", want, log.String())
	}
	if answer := newVisitor(t, base).ask("多久能发货？"); !strings.Contains(answer.Text, "24 小时") {
		t.Errorf("bot answer = %q, want the imported KB's shipping answer", answer.Text)
	}
	if answer := newVisitor(t, base).ask("Can I get a refund?"); answer.Text == bot.FallbackTextEN {
		t.Errorf("bot answer to a refund question = %q, want one from the imported KB", answer.Text)
	}
}

// TestServeKBHotReload imports a second knowledge base while the server
// runs: the bot answers from it at once (the import's notice). A broken
// one in the store is then logged and the bot keeps answering.
func TestServeKBHotReload(t *testing.T) {
	readShared(t)
	dir := t.TempDir()
	importKB(t, dir, sharedKB)
	base, log, _, stop := startServeArgs(t, "--data", dir, "--insecure-plaintext", "--kb-poll", "1h")
	defer stop()
	if answer := newVisitor(t, base).ask("多久能发货？"); !strings.Contains(answer.Text, "24 小时") {
		t.Fatalf("bot answer = %q, want the shared KB's shipping answer", answer.Text)
	}

	second := filepath.Join(t.TempDir(), "second.json")
	writeJSON(t, second, shippingKB("第二个知识库：明天发货"))
	importKB(t, dir, second)
	waitFor(t, log, "knowledge base reloaded")
	if answer := newVisitor(t, base).ask("多久能发货？"); answer.Text != "第二个知识库：明天发货" {
		t.Fatalf("bot answer after the import = %q, want the second KB's", answer.Text)
	}

	// A broken one published behind the import's back is refused.
	st, err := sqlite.Open(context.Background(), filepath.Join(dir, dbName), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	st.PutSetting(context.Background(), kb.SettingKey, `{"version":1,"entries":[]}`)
	st.PutSetting(context.Background(), kb.SumKey, "broken")
	st.Close()
	if err := notice.Send(context.Background(), notice.Path(dir), notice.Notice{Kind: notice.KB}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, log, `"level":"ERROR","msg":"reload knowledge base`)
	if answer := newVisitor(t, base).ask("多久能发货？"); answer.Text != "第二个知识库：明天发货" {
		t.Errorf("bot answer after a broken kb.json = %q, want the second KB's still", answer.Text)
	}
}

// TestServeKBFlagWins serves with --kb over an imported kb.json: the flag's
// knowledge base answers, and a later import does not replace it.
func TestServeKBFlagWins(t *testing.T) {
	dir := t.TempDir()
	files := t.TempDir()
	imported, flagged, later := filepath.Join(files, "imported.json"), filepath.Join(files, "flag.json"), filepath.Join(files, "later.json")
	writeJSON(t, imported, shippingKB("导入的"))
	writeJSON(t, flagged, shippingKB("参数指定的"))
	writeJSON(t, later, shippingKB("后来导入的"))
	importKB(t, dir, imported)

	base, log, _, stop := startServeArgs(t, "--data", dir, "--insecure-plaintext", "--kb", flagged, "--kb-poll", "20ms")
	defer stop()
	if answer := newVisitor(t, base).ask("多久能发货？"); answer.Text != "参数指定的" {
		t.Errorf("bot answer = %q, want the --kb file's", answer.Text)
	}
	importKB(t, dir, later)
	time.Sleep(200 * time.Millisecond) // ten polls, were there a watcher
	if answer := newVisitor(t, base).ask("多久能发货？"); answer.Text != "参数指定的" {
		t.Errorf("bot answer after an import = %q, want the --kb file's still", answer.Text)
	}
	if strings.Contains(log.String(), "reloaded") {
		t.Errorf("serve --kb reloaded the imported knowledge base:\n%s", log.String())
	}
}

// waitFor waits until the log contains want.
func waitFor(t *testing.T, log *syncBuffer, want string) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); !strings.Contains(log.String(), want); time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("log lacks %q:\n%s", want, log.String())
		}
	}
}

// TestBackupRestore backs up a data directory, writes more, restores the
// backup: the later message is gone and the conversation's epoch moved on,
// so clients that saw it reload.
func TestBackupRestore(t *testing.T) {
	ctx := t.Context()
	data := t.TempDir()
	st, err := sqlite.Open(ctx, filepath.Join(data, dbName), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	cust, err := st.UpsertCustomer(ctx, store.Customer{ID: "cust-1"})
	if err != nil {
		t.Fatal(err)
	}
	conv, _, err := st.CreateConversation(ctx, store.NewConversation{CustomerID: cust.ID, Channel: "web",
		Opened: store.NewMessage{ClientMsgID: uuid.NewString(), SenderRole: protocol.RoleSystem, Kind: protocol.KindEvent,
			Visibility: protocol.VisibilityPublic, Event: &store.Event{Type: protocol.EventOpened}}})
	if err != nil {
		t.Fatal(err)
	}
	backupFile := filepath.Join(t.TempDir(), "b.db")
	var out, errOut strings.Builder
	if code := run(ctx, []string{"backup", "--data", data, backupFile}, &out, &errOut); code != 0 {
		t.Fatalf("backup exit %d: %s", code, errOut.String())
	}
	if _, err := st.AppendMessage(ctx, store.NewMessage{ConversationID: conv.ID, ClientMsgID: uuid.NewString(),
		SenderRole: protocol.RoleCustomer, SenderID: cust.ID, Kind: protocol.KindText, Visibility: protocol.VisibilityPublic,
		Text: "lost by the restore"}); err != nil {
		t.Fatal(err)
	}
	st.Close()

	if code := run(ctx, []string{"restore", "--data", data, filepath.Join(data, "missing.db")}, &out, &errOut); code == 0 {
		t.Fatal("restore from a missing file succeeded")
	}
	if code := run(ctx, []string{"restore", "--data", data, backupFile}, &out, &errOut); code != 0 {
		t.Fatalf("restore exit %d: %s", code, errOut.String())
	}
	st, err = sqlite.Open(ctx, filepath.Join(data, dbName), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	got, err := st.Conversation(ctx, conv.ID)
	if err != nil || got.LastSeq != 1 || got.Epoch != conv.Epoch+1 {
		t.Fatalf("restored conversation = last_seq %d epoch %d (%v); want 1 and %d", got.LastSeq, got.Epoch, err, conv.Epoch+1)
	}
}
