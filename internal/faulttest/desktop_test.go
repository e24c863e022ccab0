package faulttest

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"switchboard/app"
	"switchboard/backend/server"
	"switchboard/internal/chatclient"
	"switchboard/protocol"
)

// quietPlatform stands in for the desktop window: events go nowhere.
type quietPlatform struct{}

func (quietPlatform) Emit(string, any) {}
func (quietPlatform) ShowWindow()      {}

// TestDesktopOutbox points the desktop app's service (connection manager,
// SQLite cache and outbox) at a real server and takes the server away with
// SIGKILL. Messages the agent types meanwhile show as pending; the app is
// then stopped and started again on the same cache directory while the
// server is still down; when the server comes back every pending message is
// delivered exactly once, in the order typed, to the server and the customer.
func TestDesktopOutbox(t *testing.T) {
	seed := seedFor(t)
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()

	p := &serverProc{bin: buildServer(t), addr: freeAddr(t), dataDir: t.TempDir()}
	if err := p.start(); err != nil {
		t.Fatalf("%v\n%s", err, p.output())
	}
	defer func() {
		p.stop()
		if t.Failed() {
			t.Logf("server log:\n%s", p.output())
		}
	}()
	base := "http://" + p.addr

	// A customer waiting in the queue, with its own receive buffer.
	v, err := chatclient.NewVisitor(ctx, loopbackClient(0), base, "outbox customer")
	if err != nil {
		t.Fatal(err)
	}
	cust := chatclient.New(chatclient.Config{
		URL: "ws://" + p.addr + "/ws", Token: v.Token, RequestTimeout: 3 * time.Second,
		MinBackoff: 20 * time.Millisecond, MaxBackoff: 300 * time.Millisecond, Seed: seed,
		Logger: slog.New(slog.DiscardHandler),
	})
	cust.Start(ctx)
	defer cust.Close()
	var conv protocol.Conversation
	if err := cust.Retry(ctx, func(ctx context.Context) error {
		return cust.Request(ctx, protocol.TypeOpen, protocol.OpenData{}, &conv)
	}); err != nil {
		t.Fatalf("open: %v", err)
	}
	cust.Track(conv.ID)
	if _, err := cust.Send(ctx, protocol.SendData{ConversationID: conv.ID, ClientMsgID: uuid.NewString(), Text: "转人工"}); err != nil {
		t.Fatal(err)
	}
	if err := cust.Wait(ctx, conv.ID, hasEvent(protocol.EventHandoff)); err != nil {
		t.Fatalf("waiting for the handoff: %v", err)
	}

	dir := t.TempDir()
	startApp := func() *app.Service {
		svc := app.New(app.Config{
			Dir:            dir,
			AutoSignIn:     app.Credentials{ServerURL: base, Username: "carol", Password: server.DemoPassword},
			Platform:       quietPlatform{},
			Logger:         slog.New(slog.DiscardHandler),
			RequestTimeout: 3 * time.Second,
			ReconnectMin:   50 * time.Millisecond,
			ReconnectMax:   300 * time.Millisecond,
		})
		svc.Start(ctx)
		return svc
	}

	// First run: sign in, accept, say one thing while online.
	svc := startApp()
	boot, err := svc.App().Bootstrap()
	if err != nil || !boot.SignedIn {
		svc.Stop()
		t.Fatalf("first run did not sign in: %+v, %v", boot, err)
	}
	// Signed in is not yet online: the WebSocket comes up in the background.
	if err := untilOnline(ctx, func() error { _, err := svc.App().Accept(conv.ID); return err }); err != nil {
		svc.Stop()
		t.Fatalf("accept: %v", err)
	}
	if _, err := svc.App().Send(conv.ID, "online hello"); err != nil {
		svc.Stop()
		t.Fatalf("send: %v", err)
	}
	waitTranscript(t, svc, conv.ID, "online hello to be acknowledged", func(ms []protocol.Message) bool {
		return pendingCount(ms) == 0 && countText(ms, "online hello") == 1
	})

	// The server goes away; the agent keeps typing.
	p.kill()
	const offline = 5
	for k := range offline {
		m, err := svc.App().Send(conv.ID, fmt.Sprintf("offline %d", k))
		if err != nil {
			svc.Stop()
			t.Fatalf("send while the server is down: %v", err)
		}
		if m.Seq != 0 {
			svc.Stop()
			t.Fatalf("message typed offline has seq %d, want 0 (pending)", m.Seq)
		}
	}
	waitTranscript(t, svc, conv.ID, "the offline messages to show as pending", func(ms []protocol.Message) bool {
		return pendingCount(ms) == offline
	})
	// The app quits with the server still down.
	svc.Stop()

	// Second run from the same cache directory, while the server is still
	// down: the startup sign-in keeps trying until the server is back.
	svc = startApp()
	defer svc.Stop()
	time.Sleep(300 * time.Millisecond)
	if err := p.start(); err != nil {
		t.Fatal(err)
	}
	boot, err = svc.App().Bootstrap()
	if err != nil || !boot.SignedIn {
		t.Fatalf("second run did not sign in: %+v, %v", boot, err)
	}
	waitTranscript(t, svc, conv.ID, "the outbox to drain", func(ms []protocol.Message) bool {
		return pendingCount(ms) == 0 && countText(ms, fmt.Sprintf("offline %d", offline-1)) == 1
	})

	// The server and the customer have each message exactly once, in order.
	check := func(who string, ms []protocol.Message) {
		t.Helper()
		want := []string{"online hello"}
		for k := range offline {
			want = append(want, fmt.Sprintf("offline %d", k))
		}
		var got []string
		for _, m := range ms {
			if m.Sender.Role == protocol.RoleAgent {
				got = append(got, m.Text)
			}
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("%s holds the agent's messages %q, want %q", who, got, want)
		}
	}
	login, err := chatclient.LoginAgent(ctx, nil, base, "carol", server.DemoPassword)
	if err != nil {
		t.Fatal(err)
	}
	reader := chatclient.New(chatclient.Config{URL: "ws://" + p.addr + "/ws", Token: login.Token, Seed: seed + 1, MinBackoff: 20 * time.Millisecond})
	reader.Start(ctx)
	defer reader.Close()
	stored, err := reader.History(ctx, conv.ID)
	if err != nil {
		t.Fatal(err)
	}
	check("the server", stored)
	wctx, wcancel := context.WithTimeout(ctx, 20*time.Second)
	defer wcancel()
	cust.Wait(wctx, conv.ID, func(ms []protocol.Message) bool { return countText(ms, fmt.Sprintf("offline %d", offline-1)) > 0 })
	check("the customer", cust.Messages(conv.ID))
	ms, err := svc.App().Transcript(conv.ID)
	if err != nil {
		t.Fatal(err)
	}
	check("the app's cache", ms)
}

// untilOnline repeats op while the app says it is not connected.
func untilOnline(ctx context.Context, op func() error) error {
	for {
		err := op()
		if err == nil || !strings.HasPrefix(err.Error(), protocol.ErrUnavailable.Code+":") {
			return err
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("%w (last error: %v)", ctx.Err(), err)
		case <-time.After(50 * time.Millisecond):
		}
	}
}

func pendingCount(ms []protocol.Message) int {
	n := 0
	for _, m := range ms {
		if m.Seq == 0 {
			n++
		}
	}
	return n
}

func countText(ms []protocol.Message, text string) int {
	n := 0
	for _, m := range ms {
		if m.Text == text {
			n++
		}
	}
	return n
}

// waitTranscript polls the app's transcript of a conversation until ok.
func waitTranscript(t *testing.T, svc *app.Service, id, what string, ok func([]protocol.Message) bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	var ms []protocol.Message
	var err error
	for time.Now().Before(deadline) {
		ms, err = svc.App().Transcript(id)
		if err == nil && ok(ms) {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	var b []string
	for _, m := range ms {
		b = append(b, fmt.Sprintf("seq %d %s %q", m.Seq, m.Sender.Role, m.Text))
	}
	t.Fatalf("waiting for %s: last transcript (err %v):\n%v", what, err, b)
}
