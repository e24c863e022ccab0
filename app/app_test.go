package app_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"switchboard/app"
	"switchboard/app/internal/fakeserver"
	"switchboard/protocol"
)

var (
	alice    = protocol.User{ID: "u-alice", Role: protocol.RoleAgent, Name: "Alice", Teams: []string{"presales"}}
	customer = protocol.Sender{Role: protocol.RoleCustomer, ID: "v-1", Name: "Wang"}
	bot      = protocol.Sender{Role: protocol.RoleBot, Name: "Spruce Assistant"}
)

type emitted struct {
	name string
	data any
}

// fakePlatform records emitted events and fails the test if Emit is ever
// called from two goroutines at once.
type fakePlatform struct {
	t       *testing.T
	inEmit  atomic.Int32
	shown   atomic.Int32
	mu      sync.Mutex
	events  []emitted
	changed chan struct{}
}

func newFakePlatform(t *testing.T) *fakePlatform {
	return &fakePlatform{t: t, changed: make(chan struct{}, 1)}
}

func (p *fakePlatform) Emit(name string, data any) {
	if p.inEmit.Add(1) != 1 {
		p.t.Errorf("Emit(%s) called concurrently", name)
	}
	defer p.inEmit.Add(-1)
	p.mu.Lock()
	p.events = append(p.events, emitted{name, data})
	p.mu.Unlock()
	select {
	case p.changed <- struct{}{}:
	default:
	}
}

func (p *fakePlatform) ShowWindow() { p.shown.Add(1) }

func (p *fakePlatform) snapshot() []emitted {
	p.mu.Lock()
	defer p.mu.Unlock()
	return slices.Clone(p.events)
}

// waitFor waits until the events satisfy ok and returns them.
func (p *fakePlatform) waitFor(t *testing.T, what string, ok func([]emitted) bool) []emitted {
	t.Helper()
	deadline := time.After(5 * time.Second)
	for {
		evs := p.snapshot()
		if ok(evs) {
			return evs
		}
		select {
		case <-p.changed:
		case <-time.After(20 * time.Millisecond):
		case <-deadline:
			t.Fatalf("timed out waiting for %s; events: %s", what, describe(evs))
		}
	}
}

func describe(evs []emitted) string {
	var b strings.Builder
	for _, e := range evs {
		j, _ := json.Marshal(e.data)
		b.WriteString("\n  " + e.name + " " + string(j))
	}
	return b.String()
}

// named returns the events called name.
func named(evs []emitted, name string) []emitted {
	var out []emitted
	for _, e := range evs {
		if e.name == name {
			out = append(out, e)
		}
	}
	return out
}

// connStates returns the connection states in the order they changed: a
// conn:state that repeats the state (the pending count, the clock offset or
// the status changed) is not a change.
func connStates(evs []emitted) []string {
	var out []string
	for _, e := range named(evs, app.EventConnState) {
		st := e.data.(app.ConnState).State
		if len(out) == 0 || out[len(out)-1] != st {
			out = append(out, st)
		}
	}
	return out
}

func lastConnState(evs []emitted) string {
	s := connStates(evs)
	if len(s) == 0 {
		return ""
	}
	return s[len(s)-1]
}

func countConnState(evs []emitted, state string) int {
	n := 0
	for _, s := range connStates(evs) {
		if s == state {
			n++
		}
	}
	return n
}

func hasAck(evs []emitted, clientMsgID string) bool {
	for _, e := range named(evs, app.EventAck) {
		if e.data.(protocol.AckData).ClientMsgID == clientMsgID {
			return true
		}
	}
	return false
}

func messageSeqs(evs []emitted, convID string) []int64 {
	var out []int64
	for _, e := range named(evs, app.EventMessage) {
		if m := e.data.(protocol.Message); m.ConversationID == convID {
			out = append(out, m.Seq)
		}
	}
	return out
}

type fixture struct {
	srv *fakeserver.Server
	svc *app.Service
	a   *app.App
	p   *fakePlatform
	dir string
}

// newFixture starts a fake server with alice and one queued conversation c1
// whose transcript has three messages, and a started Service.
func newFixture(t *testing.T, mutate ...func(*app.Config)) *fixture {
	t.Helper()
	srv := fakeserver.New(t)
	srv.AddUser("alice", "pw", alice)
	srv.AddConversation(protocol.Conversation{
		ID: "c1", CustomerID: "v-1", CustomerName: "Wang", Channel: "web", State: protocol.StateQueued,
		Team: "presales", HandoffReason: "customer asked for an agent", Ext: map[string]string{"order_no": "A-1001"},
	})
	srv.Say("c1", customer, "运费多少？", false)
	srv.Say("c1", bot, "满99包邮。", false)
	srv.Say("c1", customer, "转人工", false)

	p := newFakePlatform(t)
	dir := t.TempDir()
	cfg := app.Config{
		Dir:            dir,
		Platform:       p,
		RequestTimeout: 2 * time.Second,
		ReconnectMin:   10 * time.Millisecond,
		ReconnectMax:   50 * time.Millisecond,
	}
	for _, m := range mutate {
		m(&cfg)
	}
	svc := app.New(cfg)
	svc.Start(context.Background())
	t.Cleanup(svc.Stop)
	return &fixture{srv: srv, svc: svc, a: svc.App(), p: p, dir: dir}
}

// signIn signs alice in and waits until the connection is online and the
// welcome's conversations are cached.
func (f *fixture) signIn(t *testing.T) {
	t.Helper()
	s, err := f.a.SignIn(f.srv.URL, "alice", "pw")
	if err != nil {
		t.Fatalf("SignIn: %v", err)
	}
	if s.User.ID != alice.ID || s.ServerURL != f.srv.URL {
		t.Fatalf("SignIn = %+v", s)
	}
	f.p.waitFor(t, "online", func(evs []emitted) bool { return lastConnState(evs) == "online" })
	f.p.waitFor(t, "conversation c1", func(evs []emitted) bool { return len(named(evs, app.EventConversation)) > 0 })
}

func TestBootstrapSignInAndList(t *testing.T) {
	f := newFixture(t)

	boot, err := f.a.Bootstrap()
	if err != nil || boot.SignedIn || boot.Session != nil || boot.DefaultServerURL != app.DefaultServerURL {
		t.Fatalf("Bootstrap before sign-in = %+v, %v", boot, err)
	}
	if boot.Lists != nil {
		t.Fatalf("Bootstrap before sign-in: Lists = %+v, want none", boot.Lists)
	}
	if _, err := f.a.ListConversations("queue"); err == nil || !strings.HasPrefix(err.Error(), "unauthenticated: ") {
		t.Fatalf("ListConversations signed out: err = %v, want unauthenticated", err)
	}

	f.signIn(t)
	queue, err := f.a.ListConversations("queue")
	if err != nil || len(queue) != 1 || queue[0].ID != "c1" || queue[0].Ext["order_no"] != "A-1001" {
		t.Fatalf("ListConversations(queue) = %+v, %v", queue, err)
	}
	mine, err := f.a.ListConversations("mine")
	if err != nil || mine == nil || len(mine) != 0 {
		t.Fatalf("ListConversations(mine) = %#v, %v; want empty, non-nil", mine, err)
	}
	if _, err := f.a.ListConversations("everything"); err == nil || !strings.HasPrefix(err.Error(), "invalid_request: ") {
		t.Fatalf("ListConversations(everything): err = %v, want invalid_request", err)
	}

	boot, err = f.a.Bootstrap()
	if err != nil || !boot.SignedIn || boot.Session == nil || boot.Session.User.ID != alice.ID || boot.Conn.State != "online" {
		t.Fatalf("Bootstrap after sign-in = %+v, %v", boot, err)
	}
	// The lists come with the boot state, as ListConversations gives them.
	if q := boot.Lists["queue"]; len(q) != 1 || q[0].ID != "c1" {
		t.Fatalf("Bootstrap after sign-in: Lists[queue] = %+v, want c1", q)
	}
	if m, ok := boot.Lists["mine"]; !ok || m == nil || len(m) != 0 {
		t.Fatalf("Bootstrap after sign-in: Lists[mine] = %#v, want empty, non-nil", m)
	}
	if _, ok := boot.Lists["teams"]; ok || len(boot.Lists) != 2 {
		t.Fatalf("Bootstrap after sign-in: Lists has %d lists, want mine and queue only (an agent)", len(boot.Lists))
	}
	raw, _ := json.Marshal(boot)
	var shape map[string]any
	json.Unmarshal(raw, &shape)
	for _, k := range []string{"signed_in", "session", "default_server_url", "conn"} {
		if _, ok := shape[k]; !ok {
			t.Errorf("BootState JSON %s lacks %q", raw, k)
		}
	}

	settings, err := os.ReadFile(filepath.Join(f.dir, "settings.json"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(settings), f.srv.URL) || !strings.Contains(string(settings), `"alice"`) ||
		strings.Contains(string(settings), "pw") {
		t.Fatalf("settings.json = %s; want server and username, never the password", settings)
	}

	if err := f.a.SignOut(); err != nil {
		t.Fatal(err)
	}
	evs := f.p.waitFor(t, "offline", func(evs []emitted) bool { return lastConnState(evs) == "offline" })
	if got := connStates(evs); strings.Join(got, ",") != "connecting,online,offline" {
		t.Fatalf("conn states = %v", got)
	}
	boot, _ = f.a.Bootstrap()
	if boot.SignedIn || boot.DefaultServerURL != f.srv.URL || boot.DefaultUsername != "alice" {
		t.Fatalf("Bootstrap after sign-out = %+v; want the last server and username prefilled", boot)
	}
}

func TestSignInErrors(t *testing.T) {
	f := newFixture(t)
	tests := []struct {
		name, url, user, pw, wantPrefix string
	}{
		{"wrong password", f.srv.URL, "alice", "wrong", "bad_credentials: "},
		{"unknown user", f.srv.URL, "nobody", "pw", "bad_credentials: "},
		{"no server", "http://127.0.0.1:1", "alice", "pw", "unavailable: "},
		{"bad url", "ftp://x", "alice", "pw", "invalid_request: "},
		{"no password", f.srv.URL, "alice", "", "invalid_request: "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := f.a.SignIn(tt.url, tt.user, tt.pw)
			if err == nil || !strings.HasPrefix(err.Error(), tt.wantPrefix) {
				t.Fatalf("SignIn(%q, %q) error = %v, want prefix %q", tt.url, tt.user, err, tt.wantPrefix)
			}
		})
	}
	if boot, _ := f.a.Bootstrap(); boot.SignedIn {
		t.Fatal("signed in after failed sign-ins")
	}
}

func TestAcceptTranscriptSendAck(t *testing.T) {
	f := newFixture(t)
	f.signIn(t)

	conv, err := f.a.Accept("c1")
	if err != nil || conv.State != protocol.StateActive || conv.AssigneeID != alice.ID {
		t.Fatalf("Accept = %+v, %v", conv, err)
	}
	if _, err := f.a.Accept("c1"); err == nil || !strings.HasPrefix(err.Error(), "illegal_transition: ") {
		t.Fatalf("second Accept error = %v, want illegal_transition", err)
	}
	if _, err := f.a.Accept("nope"); err == nil || !strings.HasPrefix(err.Error(), "not_found: ") {
		t.Fatalf("Accept(nope) error = %v, want not_found", err)
	}
	mine, _ := f.a.ListConversations("mine")
	if len(mine) != 1 || mine[0].ID != "c1" {
		t.Fatalf("mine after accept = %+v", mine)
	}

	tr, err := f.a.Transcript("c1")
	if err != nil {
		t.Fatal(err)
	}
	if len(tr) != 4 || tr[0].Text != "运费多少？" || tr[3].Event == nil || tr[3].Event.Type != protocol.EventAssigned {
		t.Fatalf("Transcript = %+v; want the bot transcript and the assignment", tr)
	}
	for i, m := range tr {
		if m.Seq != int64(i+1) {
			t.Fatalf("Transcript[%d].Seq = %d", i, m.Seq)
		}
	}

	f.srv.HoldSends(true)
	pending, err := f.a.Send("c1", "您好，我是Alice")
	if err != nil {
		t.Fatal(err)
	}
	if pending.Seq != 0 || pending.ClientMsgID == "" || pending.Sender.ID != alice.ID ||
		pending.Sender.Role != protocol.RoleAgent || pending.Text != "您好，我是Alice" {
		t.Fatalf("Send = %+v; want a pending message from alice", pending)
	}
	tr, _ = f.a.Transcript("c1")
	if last := tr[len(tr)-1]; last.Seq != 0 || last.ClientMsgID != pending.ClientMsgID {
		t.Fatalf("Transcript while pending ends with %+v", last)
	}
	if hasAck(f.p.snapshot(), pending.ClientMsgID) {
		t.Fatal("ack before the server acknowledged")
	}

	f.srv.HoldSends(false)
	f.p.waitFor(t, "ack", func(evs []emitted) bool { return hasAck(evs, pending.ClientMsgID) })
	tr, _ = f.a.Transcript("c1")
	last := tr[len(tr)-1]
	if len(tr) != 5 || last.Seq != 5 || last.ClientMsgID != pending.ClientMsgID {
		t.Fatalf("Transcript after ack = %+v; want the message stored at seq 5, no pending copy", tr)
	}

	if _, err := f.a.Send("c1", "   "); err == nil || !strings.HasPrefix(err.Error(), "invalid_request: ") {
		t.Fatalf("Send(blank) error = %v", err)
	}
	if _, err := f.a.Send("c1", strings.Repeat("字", protocol.MaxTextRunes+1)); err == nil ||
		!strings.HasPrefix(err.Error(), "text_too_long: ") {
		t.Fatalf("Send(too long) error = %v", err)
	}

	conv, err = f.a.Resolve("c1")
	if err != nil || conv.State != protocol.StateResolved {
		t.Fatalf("Resolve = %+v, %v", conv, err)
	}
	mine, _ = f.a.ListConversations("mine")
	if len(mine) != 0 {
		t.Fatalf("mine after resolve = %+v", mine)
	}
}

func TestIncomingMessageEventsInOrder(t *testing.T) {
	f := newFixture(t)
	f.signIn(t)
	if _, err := f.a.Accept("c1"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.a.Transcript("c1"); err != nil {
		t.Fatal(err)
	}
	f.p.waitFor(t, "transcript events", func(evs []emitted) bool { return len(messageSeqs(evs, "c1")) >= 4 })
	for i := range 30 {
		f.srv.Say("c1", customer, "msg "+string(rune('a'+i%26)), true)
	}
	evs := f.p.waitFor(t, "34 messages", func(evs []emitted) bool { return len(messageSeqs(evs, "c1")) == 34 })
	seqs := messageSeqs(evs, "c1")
	for i, s := range seqs {
		if s != int64(i+1) {
			t.Fatalf("message events out of order or duplicated: %v", seqs)
		}
	}
	list, _ := f.a.ListConversations("mine")
	if len(list) != 1 || list[0].LastSeq != 34 || !strings.HasPrefix(list[0].LastText, "msg ") {
		t.Fatalf("cached conversation after pushes = %+v; want last_seq 34 and last text", list)
	}
}

func TestReconnectResyncsAndResendsOutbox(t *testing.T) {
	f := newFixture(t)
	f.srv.AddConversation(protocol.Conversation{ID: "c2", CustomerName: "Li", State: protocol.StateQueued, Team: "presales"})
	f.signIn(t)
	f.p.waitFor(t, "c2", func(evs []emitted) bool { return len(named(evs, app.EventConversation)) >= 2 })
	if _, err := f.a.Accept("c1"); err != nil {
		t.Fatal(err)
	}
	if tr, err := f.a.Transcript("c1"); err != nil || len(tr) != 4 {
		t.Fatalf("Transcript = %d messages, %v", len(tr), err)
	}

	// The network goes away; meanwhile the customer writes, another agent
	// takes c2, and alice writes a reply.
	f.srv.Refuse(true)
	f.srv.DropConnections()
	f.p.waitFor(t, "offline", func(evs []emitted) bool { return countConnState(evs, "offline") >= 2 })
	f.srv.Say("c1", customer, "还在吗？", false)
	f.srv.Say("c1", customer, "订单A-1001", false)
	f.srv.AddConversation(protocol.Conversation{ID: "c2", CustomerName: "Li", State: protocol.StateActive, Team: "presales",
		AssigneeID: "u-bob", AssigneeName: "Bob"})
	pending, err := f.a.Send("c1", "在的")
	if err != nil {
		t.Fatal(err)
	}
	tr, err := f.a.Transcript("c1")
	if err != nil || len(tr) != 5 || tr[4].Seq != 0 {
		t.Fatalf("Transcript offline = %+v, %v; want 4 cached + 1 pending", tr, err)
	}
	// Events reach the platform from the emitter's goroutine, and reconnect
	// attempts keep flipping the state: wait for the pending count to show.
	f.p.waitFor(t, "offline with 1 pending", func(evs []emitted) bool {
		got := lastConn(evs)
		return (got.State == "offline" || got.State == "connecting") && got.Pending == 1
	})

	f.srv.Refuse(false)
	evs := f.p.waitFor(t, "resync and ack", func(evs []emitted) bool {
		return len(messageSeqs(evs, "c1")) >= 6 && hasAck(evs, pending.ClientMsgID)
	})
	seqs := messageSeqs(evs, "c1")
	if !slices.Equal(seqs, []int64{1, 2, 3, 4, 5, 6}) {
		t.Fatalf("message events = %v; want each of 1..6 once", seqs)
	}
	removed := named(evs, app.EventConversationRemoved)
	if len(removed) != 1 || removed[0].data.(app.ConversationRemoved).ConversationID != "c2" {
		t.Fatalf("conversation:removed events = %v; want c2", removed)
	}
	if q, _ := f.a.ListConversations("queue"); len(q) != 0 {
		t.Fatalf("queue after reconnect = %+v", q)
	}

	hellos := f.srv.Hellos()
	if got := hellos[len(hellos)-1].Resume["c1"]; got != 4 {
		t.Fatalf("resume c1 = %d in the last hello, want 4", got)
	}
	tr, _ = f.a.Transcript("c1")
	if len(tr) != 7 || tr[6].Seq != 7 || tr[6].ClientMsgID != pending.ClientMsgID {
		t.Fatalf("Transcript after reconnect = %+v; want 7 stored messages, the reply last", tr)
	}
	n := 0
	for _, m := range f.srv.Messages("c1") {
		if m.ClientMsgID == pending.ClientMsgID {
			n++
		}
	}
	if n != 1 {
		t.Fatalf("server stored the reply %d times", n)
	}
	states := connStates(evs)
	if !slices.Equal(states[:3], []string{"connecting", "online", "offline"}) || states[len(states)-1] != "online" {
		t.Fatalf("conn states = %v", states)
	}
	f.p.waitFor(t, "pending back to 0", func(evs []emitted) bool {
		c := lastConn(evs)
		return c.State == "online" && c.Pending == 0
	})
}

// lastConn returns the last conn:state payload.
func lastConn(evs []emitted) app.ConnState {
	cs := named(evs, app.EventConnState)
	if len(cs) == 0 {
		return app.ConnState{}
	}
	return cs[len(cs)-1].data.(app.ConnState)
}

func TestLostAckResendsSameClientMsgID(t *testing.T) {
	f := newFixture(t)
	f.signIn(t)
	if _, err := f.a.Accept("c1"); err != nil {
		t.Fatal(err)
	}
	f.srv.DropOnNextSend()
	pending, err := f.a.Send("c1", "first try is lost")
	if err != nil {
		t.Fatal(err)
	}
	f.p.waitFor(t, "ack after reconnect", func(evs []emitted) bool { return hasAck(evs, pending.ClientMsgID) })
	// Either the resync after reconnect or the resend (answered as a
	// duplicate) settles the message; the UI hears of it once, as an ack.
	time.Sleep(100 * time.Millisecond)
	evs := f.p.snapshot()
	acks := named(evs, app.EventAck)
	if len(acks) != 1 || acks[0].data.(protocol.AckData).Seq != 5 {
		t.Fatalf("acks = %s; want one, for seq 5", describe(acks))
	}
	for _, e := range named(evs, app.EventMessage) {
		if e.data.(protocol.Message).ClientMsgID == pending.ClientMsgID {
			t.Fatalf("own message also emitted as a message event")
		}
	}
	tr, _ := f.a.Transcript("c1")
	got := 0
	for _, m := range tr {
		if m.ClientMsgID == pending.ClientMsgID {
			got++
			if m.Seq != 5 {
				t.Fatalf("reply at seq %d", m.Seq)
			}
		}
	}
	if got != 1 {
		t.Fatalf("reply appears %d times in %+v", got, tr)
	}
}

func TestSendRefusedForGood(t *testing.T) {
	f := newFixture(t)
	f.signIn(t)
	pending, err := f.a.Send("gone", "hello?")
	if err != nil {
		t.Fatal(err)
	}
	evs := f.p.waitFor(t, "send:failed", func(evs []emitted) bool { return len(named(evs, app.EventSendFailed)) == 1 })
	fail := named(evs, app.EventSendFailed)[0].data.(app.SendFailure)
	if fail.ClientMsgID != pending.ClientMsgID || fail.Code != "not_found" {
		t.Fatalf("send:failed = %+v", fail)
	}
	if tr, _ := f.a.Transcript("gone"); len(tr) != 0 {
		t.Fatalf("refused message still pending: %+v", tr)
	}
}

func TestSessionEndedWhenTokenRejected(t *testing.T) {
	f := newFixture(t)
	f.signIn(t)
	f.srv.RevokeTokens()
	f.srv.DropConnections()
	evs := f.p.waitFor(t, "session:ended", func(evs []emitted) bool { return len(named(evs, app.EventSessionEnded)) == 1 })
	if r := named(evs, app.EventSessionEnded)[0].data.(app.SessionEnded).Reason; r != "unauthenticated" {
		t.Fatalf("session:ended reason = %q", r)
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		boot, _ := f.a.Bootstrap()
		if !boot.SignedIn {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("still signed in after session:ended")
		}
		time.Sleep(10 * time.Millisecond)
	}
	if _, err := f.a.Transcript("c1"); err == nil || !strings.HasPrefix(err.Error(), "unauthenticated: ") {
		t.Fatalf("Transcript after session end: %v", err)
	}
	// Signing in again works.
	f.signIn(t)
}

func TestAutoSignInAndCacheAcrossRuns(t *testing.T) {
	srv := fakeserver.New(t)
	srv.AddUser("alice", "pw", alice)
	srv.AddConversation(protocol.Conversation{ID: "c1", State: protocol.StateActive, Team: "presales", AssigneeID: alice.ID})
	srv.Say("c1", customer, "hello", false)
	dir := t.TempDir()

	run := func(auto bool) (*app.Service, *fakePlatform) {
		p := newFakePlatform(t)
		cfg := app.Config{Dir: dir, Platform: p, ReconnectMin: 10 * time.Millisecond, ReconnectMax: 50 * time.Millisecond}
		if auto {
			cfg.AutoSignIn = app.Credentials{ServerURL: srv.URL, Username: "alice", Password: "pw"}
		}
		svc := app.New(cfg)
		svc.Start(context.Background())
		return svc, p
	}

	svc, p := run(true)
	boot, err := svc.App().Bootstrap()
	if err != nil || !boot.SignedIn || boot.Session.User.ID != alice.ID || boot.Session.ServerURL != srv.URL {
		t.Fatalf("Bootstrap with auto sign-in = %+v, %v", boot, err)
	}
	p.waitFor(t, "online", func(evs []emitted) bool { return lastConnState(evs) == "online" })
	if tr, err := svc.App().Transcript("c1"); err != nil || len(tr) != 1 {
		t.Fatalf("Transcript = %+v, %v", tr, err)
	}
	svc.ShowWindow()
	if p.shown.Load() != 1 {
		t.Fatal("ShowWindow did not reach the platform")
	}
	svc.Stop()

	// A second run against a server that is down still shows the cache.
	srv.Refuse(true)
	svc, _ = run(false)
	defer svc.Stop()
	if _, err := svc.App().SignIn(srv.URL, "alice", "pw"); err != nil {
		t.Fatal(err)
	}
	mine, err := svc.App().ListConversations("mine")
	if err != nil || len(mine) != 1 {
		t.Fatalf("cached mine while offline = %+v, %v", mine, err)
	}
	tr, err := svc.App().Transcript("c1")
	if err != nil || len(tr) != 1 || tr[0].Text != "hello" {
		t.Fatalf("cached transcript while offline = %+v, %v", tr, err)
	}
}

func TestStopLeavesNoGoroutines(t *testing.T) {
	srv := fakeserver.New(t)
	srv.AddUser("alice", "pw", alice)
	before := runtime.NumGoroutine()

	p := newFakePlatform(t)
	svc := app.New(app.Config{Dir: t.TempDir(), Platform: p})
	svc.Start(context.Background())
	if _, err := svc.App().SignIn(srv.URL, "alice", "pw"); err != nil {
		t.Fatal(err)
	}
	p.waitFor(t, "online", func(evs []emitted) bool { return lastConnState(evs) == "online" })
	if _, err := svc.App().Send("c1", "queued for later"); err != nil {
		t.Fatal(err)
	}
	svc.Stop()
	svc.Stop() // idempotent

	deadline := time.Now().Add(3 * time.Second)
	for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > before {
		buf := make([]byte, 1<<16)
		t.Fatalf("%d goroutines after Stop, %d before:\n%s", n, before, buf[:runtime.Stack(buf, true)])
	}
	if last := lastConnState(p.snapshot()); last != "offline" {
		t.Fatalf("last conn state after Stop = %q", last)
	}
}
