package server

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/gorilla/websocket"

	"switchboard/backend/auth"
	"switchboard/backend/store"
	"switchboard/protocol"
)

func TestBadFrames(t *testing.T) {
	e := newEnv(t, nil)
	cust, _ := e.customer("customer")
	conv := cust.open(nil)

	longText := strings.Repeat("长", protocol.MaxTextRunes+1)
	tooBig := `{"type":"send","data":{"text":"` + strings.Repeat("x", protocol.MaxFrameBytes) + `"}}`
	manyExt := map[string]string{}
	for i := range protocol.MaxExtKeys + 1 {
		manyExt[strings.Repeat("k", i+1)] = "v"
	}
	frame := func(typ string, data any) string {
		b, _ := protocol.Encode(typ, "", data)
		return string(b)
	}
	send := func(d protocol.SendData) string {
		if d.ConversationID == "" {
			d.ConversationID = conv.ID
		}
		if d.ClientMsgID == "" {
			d.ClientMsgID = uuid.NewString()
		}
		return frame(protocol.TypeSend, d)
	}
	tests := []struct {
		name string
		in   string
		code string
	}{
		{"malformed JSON", `{"type":"send",`, protocol.ErrMalformed.Code},
		{"not an object", `["send"]`, protocol.ErrMalformed.Code},
		{"binary junk", "\x00\xff\xfe", protocol.ErrMalformed.Code},
		{"no type", `{"data":{}}`, protocol.ErrMalformed.Code},
		{"unknown type", `{"type":"launch_rockets"}`, protocol.ErrUnknownType.Code},
		{"oversized frame", tooBig, protocol.ErrFrameTooLarge.Code},
		{"data of the wrong shape", `{"type":"send","data":{"conversation_id":7}}`, protocol.ErrInvalid.Code},
		{"no data", `{"type":"sync"}`, protocol.ErrInvalid.Code},
		{"text too long", send(protocol.SendData{Text: longText}), protocol.ErrTextTooLong.Code},
		{"empty text", send(protocol.SendData{Text: "  "}), protocol.ErrInvalid.Code},
		{"unknown kind", send(protocol.SendData{Text: "x", Kind: "hologram"}), protocol.ErrInvalid.Code},
		{"bad visibility", send(protocol.SendData{Text: "x", Visibility: "secret"}), protocol.ErrInvalid.Code},
		{"client_msg_id not a UUID", send(protocol.SendData{Text: "x", ClientMsgID: "1"}), protocol.ErrInvalid.Code},
		{"too many ext keys", send(protocol.SendData{Text: "x", Ext: manyExt}), protocol.ErrInvalid.Code},
		{"unknown conversation", send(protocol.SendData{ConversationID: uuid.NewString(), Text: "x"}), protocol.ErrNotFound.Code},
		{"huge conversation id", send(protocol.SendData{ConversationID: strings.Repeat("z", 1000), Text: "x"}), protocol.ErrNotFound.Code},
		{"missing conversation id", frame(protocol.TypeSync, protocol.SyncData{}), protocol.ErrInvalid.Code},
		{"negative after_seq", frame(protocol.TypeSync, protocol.SyncData{ConversationID: conv.ID, AfterSeq: -1}), protocol.ErrInvalid.Code},
		{"second hello", frame(protocol.TypeHello, protocol.HelloData{Token: "x"}), protocol.ErrAlreadyHello.Code},
		{"open with bad ext", frame(protocol.TypeOpen, protocol.OpenData{Ext: map[string]string{"k": strings.Repeat("v", protocol.MaxExtValueLen+1)}}), protocol.ErrInvalid.Code},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := cust.rawError([]byte(tt.in)); got.Code != tt.code {
				t.Fatalf("error = %+v, want %s", got, tt.code)
			}
			// The connection still works.
			if h := cust.sync(conv.ID, 0); h.ConversationID != conv.ID {
				t.Fatalf("sync after %s = %+v", tt.name, h)
			}
		})
	}

	// Request ids are echoed on errors.
	f := cust.request(protocol.TypeSend, protocol.SendData{ConversationID: conv.ID, ClientMsgID: "nope", Text: "x"})
	cust.wantError(f, protocol.ErrInvalid.Code)
}

func TestHelloErrors(t *testing.T) {
	var clock testClock
	e := newEnv(t, func(c *Config) { c.Now = clock.now })
	v := e.visitor()
	c := e.dial("client")

	// Anything before hello.
	c.wantError(c.request(protocol.TypeSync, protocol.SyncData{ConversationID: "x"}), protocol.ErrHelloRequired.Code)
	c.wantError(c.request(protocol.TypeHello, protocol.HelloData{Protocol: 99, Token: v.Token}), protocol.ErrUnsupported.Code)
	c.wantError(c.request(protocol.TypeHello, protocol.HelloData{Protocol: 1, Token: "garbage"}), protocol.ErrUnauthorized.Code)
	c.wantError(c.request(protocol.TypeHello, protocol.HelloData{Protocol: 1}), protocol.ErrUnauthorized.Code)

	// A genuine but expired token.
	old, _ := e.srv.signer.Issue(v.VisitorID, protocol.RoleCustomer, time.Minute)
	clock.advance(2 * time.Minute)
	c.wantError(c.request(protocol.TypeHello, protocol.HelloData{Protocol: 1, Token: old}), protocol.ErrTokenExpired.Code)

	// The same connection still says hello successfully afterwards.
	fresh := e.visitor()
	var w protocol.WelcomeData
	c.decode(c.request(protocol.TypeHello, protocol.HelloData{Protocol: 1, Token: fresh.Token}), protocol.TypeWelcome, &w)
	if w.User.ID != fresh.VisitorID || w.User.Role != protocol.RoleCustomer {
		t.Fatalf("welcome = %+v", w)
	}
}

func TestHelloTimeout(t *testing.T) {
	e := newEnv(t, func(c *Config) { c.HelloTimeout = 100 * time.Millisecond })
	c := e.dial("silent")
	c.ws.SetReadDeadline(time.Now().Add(5 * time.Second))
	_, _, err := c.ws.ReadMessage()
	if code := closeCodeOf(err); code != protocol.CloseProtocol {
		t.Fatalf("silent client: %v, want close %d", err, protocol.CloseProtocol)
	}
}

func TestFrameOverHardLimit(t *testing.T) {
	e := newEnv(t, nil)
	cust, _ := e.customer("customer")
	cust.writeRaw([]byte(strings.Repeat("x", protocol.HardFrameBytes+1)))
	cust.ws.SetReadDeadline(time.Now().Add(5 * time.Second))
	var err error
	for err == nil {
		_, _, err = cust.ws.ReadMessage()
	}
	if code := closeCodeOf(err); code != websocket.CloseMessageTooBig {
		t.Fatalf("after a frame over 1 MiB: %v, want close %d", err, websocket.CloseMessageTooBig)
	}
	// The server is fine.
	other, _ := e.customer("other")
	other.open(nil)
}

func TestHTTP(t *testing.T) {
	e := newEnv(t, nil)

	t.Run("login", func(t *testing.T) {
		var ok LoginResponse
		if code, _ := e.post("/api/v1/login", LoginRequest{Username: "sam", Password: DemoPassword}, &ok); code != http.StatusOK {
			t.Fatalf("login status %d", code)
		}
		if ok.Token == "" || ok.User.Role != protocol.RoleSupervisor || len(ok.User.Teams) != 2 || ok.ExpiresAt <= time.Now().UnixMilli() {
			t.Fatalf("login = %+v", ok)
		}
	})

	errs := []struct {
		name   string
		path   string
		body   string
		status int
		code   string
	}{
		{"wrong password", "/api/v1/login", `{"username":"bob","password":"nope"}`, 401, protocol.ErrBadCredentials.Code},
		{"unknown user", "/api/v1/login", `{"username":"mallory","password":"x"}`, 401, protocol.ErrBadCredentials.Code},
		{"malformed body", "/api/v1/login", `{"username":`, 400, protocol.ErrMalformed.Code},
		{"missing fields", "/api/v1/login", `{}`, 400, protocol.ErrInvalid.Code},
		{"huge body", "/api/v1/login", `{"username":"` + strings.Repeat("a", maxBodyBytes) + `"}`, 413, protocol.ErrFrameTooLarge.Code},
		{"visitor bad name", "/api/v1/visitor", `{"name":"` + strings.Repeat("n", 100) + `"}`, 400, protocol.ErrInvalid.Code},
		{"unknown endpoint", "/api/v1/nope", `{}`, 404, protocol.ErrNotFound.Code},
	}
	for _, tt := range errs {
		t.Run(tt.name, func(t *testing.T) {
			var he httpError
			code, _ := e.post(tt.path, tt.body, &he)
			if code != tt.status || he.Error.Code != tt.code || he.Error.Message == "" {
				t.Fatalf("POST %s %s = %d %+v, want %d %s", tt.path, tt.name, code, he.Error, tt.status, tt.code)
			}
		})
	}

	t.Run("login rate limit", func(t *testing.T) {
		var last int
		var hdr http.Header
		for range 6 {
			last, hdr = e.post("/api/v1/login", `{"username":"carol","password":"guess"}`, nil)
		}
		if last != http.StatusTooManyRequests || hdr.Get("Retry-After") == "" {
			t.Fatalf("6th wrong login = %d, want 429 with Retry-After", last)
		}
		// Other usernames are not locked out with it.
		e.login("alice")
	})

	t.Run("visitor keeps identity", func(t *testing.T) {
		first := e.visitor()
		var again VisitorResponse
		e.post("/api/v1/visitor", VisitorRequest{Token: first.Token, Name: "Li Lei"}, &again)
		if again.VisitorID != first.VisitorID || again.Token == "" {
			t.Fatalf("visitor with token = %+v, want id %s", again, first.VisitorID)
		}
		var fresh VisitorResponse
		e.post("/api/v1/visitor", VisitorRequest{Token: "forged"}, &fresh)
		if fresh.VisitorID == first.VisitorID || fresh.VisitorID == "" {
			t.Fatalf("visitor with a forged token kept the identity")
		}
		// An agent token does not make a visitor out of an agent.
		var fromAgent VisitorResponse
		e.post("/api/v1/visitor", VisitorRequest{Token: e.login("bob").Token}, &fromAgent)
		if fromAgent.VisitorID == "" || fromAgent.VisitorID == e.login("bob").User.ID {
			t.Fatalf("visitor from an agent token = %+v", fromAgent)
		}
		// The name shows on the customer's conversation.
		c, _ := e.connect("li", again.Token)
		if conv := c.open(nil); conv.CustomerName != "Li Lei" {
			t.Fatalf("customer name = %q", conv.CustomerName)
		}
	})

	t.Run("healthz and CORS", func(t *testing.T) {
		resp, err := http.Get(e.ts.URL + "/healthz")
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var body map[string]string
		json.NewDecoder(resp.Body).Decode(&body)
		if resp.StatusCode != 200 || body["status"] != "ok" || resp.Header.Get("Access-Control-Allow-Origin") != "*" {
			t.Fatalf("healthz = %d %v %v", resp.StatusCode, body, resp.Header)
		}
		req, _ := http.NewRequest(http.MethodOptions, e.ts.URL+"/api/v1/visitor", nil)
		req.Header.Set("Origin", "https://shop.example")
		req.Header.Set("Access-Control-Request-Method", "POST")
		pre, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		pre.Body.Close()
		if pre.StatusCode != http.StatusNoContent || pre.Header.Get("Access-Control-Allow-Origin") != "*" {
			t.Fatalf("preflight = %d %v", pre.StatusCode, pre.Header)
		}
	})

	t.Run("GET login", func(t *testing.T) {
		resp, err := http.Get(e.ts.URL + "/api/v1/login")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusBadRequest {
			t.Fatalf("GET login = %d", resp.StatusCode)
		}
	})
}

func TestWidgetAndDemoRoutes(t *testing.T) {
	asset := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("asset " + r.URL.Path)) })
	page := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("demo page")) })
	e := newEnv(t, func(c *Config) { c.Widget, c.DemoPage = asset, page })
	get := func(path string) (int, string) {
		resp, err := http.Get(e.ts.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b := new(strings.Builder)
		buf := make([]byte, 512)
		n, _ := resp.Body.Read(buf)
		b.Write(buf[:n])
		return resp.StatusCode, b.String()
	}
	if code, body := get("/widget/switchboard-widget.js"); code != 200 || body != "asset /switchboard-widget.js" {
		t.Errorf("/widget/ = %d %q", code, body)
	}
	if code, body := get("/demo"); code != 200 || body != "demo page" {
		t.Errorf("/demo = %d %q", code, body)
	}
	if code, body := get("/"); code != 200 || body != "demo page" {
		t.Errorf("/ = %d %q, want redirect to the demo", code, body)
	}
}

func TestSeedDemoIdempotent(t *testing.T) {
	e := newEnv(t, nil)
	ctx := context.Background()
	before, _ := e.srv.store.AgentByUsername(ctx, "carol")
	if err := SeedDemo(ctx, e.srv.store, 0); err != nil {
		t.Fatalf("second SeedDemo: %v", err)
	}
	after, _ := e.srv.store.AgentByUsername(ctx, "carol")
	if after.ID != before.ID || len(after.Teams) != 2 {
		t.Fatalf("carol after reseed = %+v, before %+v", after, before)
	}
	if ok, _ := auth.VerifyPassword(after.PasswordHash, DemoPassword); !ok {
		t.Fatalf("demo password no longer verifies")
	}
	// The demo teams get the demo SLA once; an operator's change stays.
	teams, _ := e.srv.store.Teams(ctx)
	for _, tm := range teams {
		if tm.SLA != DemoSLA {
			t.Fatalf("team %s SLA = %+v, want the demo's %+v", tm.ID, tm.SLA, DemoSLA)
		}
	}
	mine := store.SLA{WaitMS: 5_000}
	if _, err := e.srv.store.SetTeamSLA(ctx, "presales", mine); err != nil {
		t.Fatal(err)
	}
	if err := SeedDemo(ctx, e.srv.store, 0); err != nil {
		t.Fatalf("third SeedDemo: %v", err)
	}
	teams, _ = e.srv.store.Teams(ctx)
	for _, tm := range teams {
		if tm.ID == "presales" && tm.SLA != mine {
			t.Fatalf("presales SLA after reseed = %+v, want the operator's %+v", tm.SLA, mine)
		}
	}
}

// TestBinaryFrames: a binary WebSocket message is read like a text one:
// its bytes must be a JSON frame (answered as usual), else malformed_frame,
// and the connection stays open.
func TestBinaryFrames(t *testing.T) {
	e := newEnv(t, nil)
	cust, _ := e.customer("customer")
	conv := cust.open(nil)
	b, _ := protocol.Encode(protocol.TypeSync, "b1", protocol.SyncData{ConversationID: conv.ID})
	if err := cust.ws.WriteMessage(websocket.BinaryMessage, b); err != nil {
		t.Fatal(err)
	}
	var h protocol.HistoryData
	cust.decode(cust.replyTo("b1"), protocol.TypeHistory, &h)
	if h.ConversationID != conv.ID {
		t.Fatalf("history = %+v", h)
	}
	if err := cust.ws.WriteMessage(websocket.BinaryMessage, []byte{0x00, 0xff, 0xfe}); err != nil {
		t.Fatal(err)
	}
	if f := cust.read(); f.Type != protocol.TypeError || f.Error == nil || f.Error.Code != protocol.ErrMalformed.Code {
		t.Fatalf("binary junk answered %+v, want malformed_frame", f)
	}
	if h := cust.sync(conv.ID, 0); h.ConversationID != conv.ID {
		t.Fatalf("sync after binary junk = %+v", h)
	}
}
