package server

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/gorilla/websocket"

	"switchboard/backend/notice"
	"switchboard/backend/seal"
	"switchboard/backend/store"
	_ "switchboard/backend/store/sqlite" // the tests' store engine
	"switchboard/protocol"
)

// fakeBot is a scripted bot: "人工"/"human" hands over, "shipping" answers
// from the aftersales team, "slow" outlives its budget, "panic" panics,
// anything else gets a fallback.
var fakeBot = BotFunc(func(ctx context.Context, in BotInput) (BotReply, error) {
	text := strings.ToLower(in.Text)
	switch {
	case strings.Contains(text, "人工") || strings.Contains(text, "human"):
		return BotReply{Handoff: true, Reason: reasonAsked, Team: in.LastTeam, Locale: detectLocale(in.Text)}, nil
	case strings.Contains(text, "shipping"):
		return BotReply{Text: "We ship within 24 hours.", Locale: "en", Team: "aftersales", EntryID: "shipping", Score: 0.9}, nil
	case strings.Contains(text, "slow"):
		<-ctx.Done()
		return BotReply{}, ctx.Err()
	case strings.Contains(text, "panic"):
		panic("scripted bot panic")
	}
	return BotReply{Text: "Sorry, I did not get that. Type \"human\" for an agent.", Locale: "en"}, nil
})

type env struct {
	t   testing.TB
	srv *Server
	ts  *httptest.Server
	cfg Config
	// st is the store startEnv opened (nil when cfg.Store was given),
	// closed by stop.
	st store.Store
}

// newEnv starts a server on a fresh data directory with the demo accounts
// and the scripted bot. change, if not nil, adjusts the config first.
func newEnv(t testing.TB, change func(*Config)) *env {
	t.Helper()
	cfg := Config{DataDir: t.TempDir(), Demo: true, Bot: fakeBot, Identity: testIdentity(t)}
	if change != nil {
		change(&cfg)
	}
	return startEnv(t, cfg)
}

func startEnv(t testing.TB, cfg Config) *env {
	t.Helper()
	return startEnvKEK(t, cfg, nil)
}

// startEnvKEK starts a server with cfg. Without cfg.Store it opens the
// store as the command does, the SQLite database of cfg.DataDir with kek,
// and listens for admin change notices there.
func startEnvKEK(t testing.TB, cfg Config, kek seal.KEK) *env {
	t.Helper()
	run := cfg
	var own store.Store
	if run.Store == nil {
		var err error
		if own, err = openTestStore(t, cfg.DataDir, kek); err != nil {
			t.Fatalf("open store: %v", err)
		}
		run.Store = own
		if run.NoticeSocket == "" {
			run.NoticeSocket = notice.Path(cfg.DataDir)
		}
	}
	srv, err := New(run)
	if err != nil {
		if own != nil {
			own.Close()
		}
		t.Fatalf("New: %v", err)
	}
	ts := httptest.NewServer(srv.Handler())
	e := &env{t: t, srv: srv, ts: ts, cfg: cfg, st: own}
	t.Cleanup(e.stop)
	return e
}

// openTestStore opens the SQLite database of dataDir, as serve does.
func openTestStore(t testing.TB, dataDir string, kek seal.KEK) (store.Store, error) {
	t.Helper()
	return store.Open(context.Background(), "sqlite:"+filepath.Join(dataDir, "switchboard.db"), store.OpenOptions{KEK: kek})
}

func (e *env) stop() {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	e.srv.Shutdown(ctx)
	e.ts.Close()
	if e.st != nil {
		e.st.Close()
		e.st = nil
	}
}

// post sends a JSON body and decodes the JSON answer into out (if not nil).
func (e *env) post(path string, body any, out any) (int, http.Header) {
	e.t.Helper()
	var b []byte
	switch v := body.(type) {
	case string:
		b = []byte(v)
	default:
		b, _ = json.Marshal(v)
	}
	resp, err := http.Post(e.ts.URL+path, "application/json", bytes.NewReader(b))
	if err != nil {
		e.t.Fatalf("POST %s: %v", path, err)
	}
	defer resp.Body.Close()
	if out != nil {
		if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
			e.t.Fatalf("POST %s: decode answer: %v", path, err)
		}
	}
	return resp.StatusCode, resp.Header
}

type httpError struct {
	Error protocol.Error `json:"error"`
}

func (e *env) login(username string) LoginResponse {
	e.t.Helper()
	var out LoginResponse
	if code, _ := e.post("/api/v1/login", LoginRequest{Username: username, Password: DemoPassword}, &out); code != http.StatusOK {
		e.t.Fatalf("login %s: status %d", username, code)
	}
	return out
}

func (e *env) visitor() VisitorResponse {
	e.t.Helper()
	var out VisitorResponse
	if code, _ := e.post("/api/v1/visitor", `{}`, &out); code != http.StatusOK {
		e.t.Fatalf("visitor: status %d", code)
	}
	return out
}

// client is a test WebSocket client. Replies are matched by id; pushes read
// meanwhile are kept for waitPush.
type client struct {
	t      testing.TB
	name   string
	ws     *websocket.Conn
	nextID atomic.Int64
	pushes []protocol.Frame
	user   protocol.User
}

func (e *env) dial(name string) *client {
	e.t.Helper()
	ws, _, err := websocket.DefaultDialer.Dial("ws"+strings.TrimPrefix(e.ts.URL, "http")+"/ws", nil)
	if err != nil {
		e.t.Fatalf("dial: %v", err)
	}
	e.t.Cleanup(func() { ws.Close() })
	return &client{t: e.t, name: name, ws: ws}
}

// connect dials and says hello with token, failing the test unless welcomed.
func (e *env) connect(name, token string) (*client, protocol.WelcomeData) {
	e.t.Helper()
	c := e.dial(name)
	f := c.request(protocol.TypeHello, protocol.HelloData{Protocol: protocol.Version, Token: token, Client: protocol.ClientDesktop})
	var w protocol.WelcomeData
	c.decode(f, protocol.TypeWelcome, &w)
	c.user = w.User
	return c, w
}

func (e *env) agent(username string) (*client, protocol.WelcomeData) {
	e.t.Helper()
	return e.connect(username, e.login(username).Token)
}

func (e *env) customer(name string) (*client, VisitorResponse) {
	e.t.Helper()
	v := e.visitor()
	c, _ := e.connect(name, v.Token)
	return c, v
}

func (c *client) writeRaw(b []byte) {
	c.t.Helper()
	if err := c.ws.WriteMessage(websocket.TextMessage, b); err != nil {
		c.t.Fatalf("%s: write: %v", c.name, err)
	}
}

func (c *client) read() protocol.Frame {
	c.t.Helper()
	c.ws.SetReadDeadline(time.Now().Add(5 * time.Second))
	_, b, err := c.ws.ReadMessage()
	if err != nil {
		c.t.Fatalf("%s: read: %v", c.name, err)
	}
	var f protocol.Frame
	if err := json.Unmarshal(b, &f); err != nil {
		c.t.Fatalf("%s: server sent invalid JSON %q: %v", c.name, b, err)
	}
	return f
}

// request sends a frame and returns the reply carrying its id.
func (c *client) request(typ string, data any) protocol.Frame {
	c.t.Helper()
	id := fmt.Sprint(c.nextID.Add(1))
	b, err := protocol.Encode(typ, id, data)
	if err != nil {
		c.t.Fatal(err)
	}
	c.writeRaw(b)
	return c.replyTo(id)
}

func (c *client) replyTo(id string) protocol.Frame {
	c.t.Helper()
	for {
		f := c.read()
		if f.ID == id {
			return f
		}
		if f.ID != "" {
			c.t.Fatalf("%s: reply to %q while waiting for %q: %+v", c.name, f.ID, id, f)
		}
		c.pushes = append(c.pushes, f)
	}
}

// rawRequest sends raw bytes and returns the next error frame, keeping
// pushes read meanwhile.
func (c *client) rawError(b []byte) *protocol.Error {
	c.t.Helper()
	c.writeRaw(b)
	for {
		f := c.read()
		if f.Type == protocol.TypeError {
			return f.Error
		}
		c.pushes = append(c.pushes, f)
	}
}

func (c *client) decode(f protocol.Frame, typ string, v any) {
	c.t.Helper()
	if f.Type != typ {
		c.t.Fatalf("%s: got %s frame (error %v), want %s", c.name, f.Type, f.Error, typ)
	}
	if err := json.Unmarshal(f.Data, v); err != nil {
		c.t.Fatalf("%s: decode %s: %v", c.name, typ, err)
	}
}

// wantError checks that f is an error frame with code.
func (c *client) wantError(f protocol.Frame, code string) {
	c.t.Helper()
	if f.Type != protocol.TypeError || f.Error == nil || f.Error.Code != code {
		c.t.Fatalf("%s: got %s %+v (data %s), want error %s", c.name, f.Type, f.Error, f.Data, code)
	}
}

// waitPush returns the first push (kept or new) for which match is true,
// removing it and everything before it.
func (c *client) waitPush(what string, match func(protocol.Frame) bool) protocol.Frame {
	c.t.Helper()
	for i, f := range c.pushes {
		if match(f) {
			c.pushes = c.pushes[i+1:]
			return f
		}
	}
	c.pushes = nil
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		f := c.read()
		if match(f) {
			return f
		}
	}
	c.t.Fatalf("%s: no push %s", c.name, what)
	return protocol.Frame{}
}

func (c *client) waitMessage(what string, match func(protocol.Message) bool) protocol.Message {
	c.t.Helper()
	var m protocol.Message
	c.waitPush("message "+what, func(f protocol.Frame) bool {
		if f.Type != protocol.TypeMessage {
			return false
		}
		m = protocol.Message{}
		json.Unmarshal(f.Data, &m)
		return match(m)
	})
	return m
}

func (c *client) waitConversation(what string, match func(protocol.Conversation) bool) protocol.Conversation {
	c.t.Helper()
	var conv protocol.Conversation
	c.waitPush("conversation "+what, func(f protocol.Frame) bool {
		if f.Type != protocol.TypeConversation {
			return false
		}
		conv = protocol.Conversation{}
		json.Unmarshal(f.Data, &conv)
		return match(conv)
	})
	return conv
}

// noPush checks that no push matching match arrives within d.
func (c *client) noPush(d time.Duration, what string, match func(protocol.Frame) bool) {
	c.t.Helper()
	for _, f := range c.pushes {
		if match(f) {
			c.t.Fatalf("%s: unexpected push %s: %+v", c.name, what, f)
		}
	}
	c.ws.SetReadDeadline(time.Now().Add(d))
	for {
		_, b, err := c.ws.ReadMessage()
		if err != nil {
			// A read deadline breaks a gorilla connection; callers use
			// noPush last on a client.
			return
		}
		var f protocol.Frame
		json.Unmarshal(b, &f)
		if match(f) {
			c.t.Fatalf("%s: unexpected push %s: %s", c.name, what, b)
		}
	}
}

func (c *client) open(ext map[string]string) protocol.Conversation {
	c.t.Helper()
	var conv protocol.Conversation
	c.decode(c.request(protocol.TypeOpen, protocol.OpenData{Ext: ext}), protocol.TypeConversation, &conv)
	return conv
}

func (c *client) sendText(convID, text string) protocol.AckData {
	c.t.Helper()
	return c.sendWithID(convID, uuid.NewString(), text)
}

func (c *client) sendWithID(convID, clientMsgID, text string) protocol.AckData {
	c.t.Helper()
	var ack protocol.AckData
	f := c.request(protocol.TypeSend, protocol.SendData{ConversationID: convID, ClientMsgID: clientMsgID, Kind: protocol.KindText, Text: text})
	c.decode(f, protocol.TypeAck, &ack)
	return ack
}

func (c *client) sync(convID string, after int64) protocol.HistoryData {
	c.t.Helper()
	var h protocol.HistoryData
	c.decode(c.request(protocol.TypeSync, protocol.SyncData{ConversationID: convID, AfterSeq: after}), protocol.TypeHistory, &h)
	return h
}

func (c *client) list(filter string) []protocol.Conversation {
	c.t.Helper()
	var l protocol.ConversationList
	c.decode(c.request(protocol.TypeList, protocol.ListData{Filter: filter}), protocol.TypeConvList, &l)
	return l.Conversations
}

func ref(id string) protocol.ConversationRef { return protocol.ConversationRef{ConversationID: id} }

func hasConv(cs []protocol.Conversation, id string) bool {
	for _, c := range cs {
		if c.ID == id {
			return true
		}
	}
	return false
}

// queued walks a new customer to the queue: open, ask for a person.
func (e *env) queued(name, ask string) (*client, protocol.Conversation) {
	e.t.Helper()
	cust, _ := e.customer(name)
	conv := cust.open(map[string]string{"source": "/demo"})
	cust.sendText(conv.ID, ask)
	cust.waitConversation("queued", func(c protocol.Conversation) bool { return c.State == protocol.StateQueued })
	return cust, conv
}
