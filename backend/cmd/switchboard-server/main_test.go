package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/gorilla/websocket"

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

var serverURL = regexp.MustCompile(`Server:\s+(http://\S+)`)

// startServe runs "serve --demo" on a free port and returns its base URL and
// a stop function that waits for a clean exit.
func startServe(t *testing.T, dir string) (string, func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	stdout, stderr := &syncBuffer{}, &syncBuffer{}
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"serve", "--demo", "--addr", "127.0.0.1:0", "--data", dir}, stdout, stderr)
	}()
	deadline := time.Now().Add(20 * time.Second)
	for {
		if m := serverURL.FindStringSubmatch(stdout.String()); m != nil {
			if !strings.Contains(stdout.String(), "switchboard-demo") || !strings.Contains(stdout.String(), "/demo") {
				t.Fatalf("banner lacks credentials or demo URL:\n%s", stdout.String())
			}
			return m[1], func() {
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
			t.Fatalf("serve did not start:\n%s", stderr.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
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

	resp, err = http.Post(base+"/api/v1/visitor", "application/json", strings.NewReader(`{}`))
	if err != nil {
		t.Fatal(err)
	}
	var v struct{ Token string }
	json.NewDecoder(resp.Body).Decode(&v)
	resp.Body.Close()

	ws, _, err := websocket.DefaultDialer.Dial("ws"+strings.TrimPrefix(base, "http")+"/ws", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()
	send := func(typ string, data any) {
		b, _ := protocol.Encode(typ, "", data)
		if err := ws.WriteMessage(websocket.TextMessage, b); err != nil {
			t.Fatal(err)
		}
	}
	read := func(want func(protocol.Frame) bool) protocol.Frame {
		ws.SetReadDeadline(time.Now().Add(10 * time.Second))
		for {
			_, b, err := ws.ReadMessage()
			if err != nil {
				t.Fatalf("read: %v", err)
			}
			var f protocol.Frame
			json.Unmarshal(b, &f)
			if want(f) {
				return f
			}
		}
	}
	send(protocol.TypeHello, protocol.HelloData{Protocol: 1, Token: v.Token})
	read(func(f protocol.Frame) bool { return f.Type == protocol.TypeWelcome })
	send(protocol.TypeOpen, protocol.OpenData{})
	var conv protocol.Conversation
	json.Unmarshal(read(func(f protocol.Frame) bool { return f.Type == protocol.TypeConversation }).Data, &conv)

	send(protocol.TypeSend, protocol.SendData{ConversationID: conv.ID, ClientMsgID: uuid.NewString(), Text: "多久能发货？"})
	var answer protocol.Message
	read(func(f protocol.Frame) bool {
		if f.Type != protocol.TypeMessage {
			return false
		}
		json.Unmarshal(f.Data, &answer)
		return answer.Sender.Role == protocol.RoleBot
	})
	if !strings.Contains(answer.Text, "24 小时") {
		t.Errorf("bot answer = %q, want the demo KB's shipping answer", answer.Text)
	}
	send(protocol.TypeSend, protocol.SendData{ConversationID: conv.ID, ClientMsgID: uuid.NewString(), Text: "转人工"})
	read(func(f protocol.Frame) bool {
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
