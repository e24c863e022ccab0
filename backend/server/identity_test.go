package server

import (
	"bytes"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/gorilla/websocket"

	"switchboard/backend/identity"
	"switchboard/protocol"
)

// testSecret is the HS256 secret of the test site "shop"; the site's
// backend in these tests is identityToken.
var testSecret = bytes.Repeat([]byte("k"), 32)

func testIdentity(t testing.TB, origins ...string) *identity.Verifier {
	t.Helper()
	v, err := identity.NewVerifier([]identity.Site{{ID: "shop", Origins: origins, HS256Secret: testSecret}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// identityToken is what the site's backend would sign for its user.
func identityToken(t testing.TB, key []byte, userID string, fields map[string]string, ttl time.Duration) string {
	t.Helper()
	c := jwt.MapClaims{"sub": userID, "exp": time.Now().Add(ttl).Unix()}
	ext := map[string]any{}
	for k, v := range fields {
		switch k {
		case "name", "email":
			c[k] = v
		default:
			ext[k] = v
		}
	}
	c["ext"] = ext
	s, err := jwt.NewWithClaims(jwt.SigningMethodHS256, c).SignedString(key)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// identified connects a customer signed in on the site as userID, with the
// token vouching for fields.
func (e *env) identified(name, userID string, fields map[string]string) *client {
	e.t.Helper()
	var v VisitorResponse
	if code, _ := e.post("/api/v1/visitor", VisitorRequest{Identity: identityToken(e.t, testSecret, userID, fields, 10*time.Minute)}, &v); code != http.StatusOK || !v.Verified {
		e.t.Fatalf("identified visitor %s: status %d, %+v", userID, code, v)
	}
	c, _ := e.connect(name, v.Token)
	return c
}

// TestForgedFieldsDecideNothing is the attack from outside: an anonymous
// visitor claims to be a verified VIP user. Nothing of it counts: no
// priority, no VIP handoff, no place ahead of earlier customers, no
// joining the real user's conversations; agents see the claims as
// unverified.
func TestForgedFieldsDecideNothing(t *testing.T) {
	e := newEnv(t, func(c *Config) { c.Routing = RoutingPick })
	carol, _ := e.agent("carol")

	// The real user, signed in, with an open conversation.
	real := e.identified("real", "u-1001", map[string]string{"name": "张伟", "vip": "false"})
	realConv := real.open(nil)

	_, first := e.queued("first", "human please")
	forger, _ := e.customer("forger")
	forged := map[string]string{"user_id": "u-1001", "vip": "true", "verified": "true", "order_no": "SO-1", "name": "张伟"}
	conv := forger.open(forged)
	if conv.ID == realConv.ID {
		t.Fatalf("the forger joined the real user's conversation")
	}
	if conv.Priority != 0 || len(conv.Verified) != 0 || conv.Ext["vip"] != "true" {
		t.Fatalf("forged conversation: priority %d, verified %v, ext %v; want priority 0, nothing verified, the claims kept as ext",
			conv.Priority, conv.Verified, conv.Ext)
	}
	forger.sendText(conv.ID, "hello there")
	forger.sendText(conv.ID, "human please")
	forger.waitConversation("queued", stateIs(protocol.StateQueued))
	q := carol.list(protocol.ListQueue)
	if len(q) != 2 || q[0].ID != first.ID || q[1].ID != conv.ID {
		t.Fatalf("queue = %v, want the earlier customer first", ids(q))
	}
	d := carol.contextOf(conv.ID)
	if d.Packet == nil || d.Packet.Trigger != protocol.TriggerAsked {
		t.Fatalf("packet = %+v, want trigger asked, not vip", d.Packet)
	}
	if len(d.Verified) != 0 || d.Ext["user_id"] != "u-1001" || len(d.Previous) != 0 {
		t.Fatalf("context: verified %v, ext %v, previous %d; want the claim unverified and no history merged", d.Verified, d.Ext, len(d.Previous))
	}
}

func ids(cs []protocol.Conversation) []string {
	var out []string
	for _, c := range cs {
		out = append(out, c.ID)
	}
	return out
}

// TestSignedIdentity follows a signed-in user: verified fields on the
// conversation, apart from the page's; priority from a verified vip; the
// same conversation from a second device; a fresh token that drops vip
// drops the priority at once.
func TestSignedIdentity(t *testing.T) {
	e := newEnv(t, func(c *Config) { c.Routing = RoutingPick })
	carol, _ := e.agent("carol")
	_, first := e.queued("first", "human please")

	fields := map[string]string{"name": "张伟", "email": "zw@example.com", "vip": "true", "order_no": "SO-7"}
	phone := e.identified("phone", "u-1001", fields)
	if phone.user.Name != "张伟" || !strings.HasPrefix(phone.user.ID, "usr-") {
		t.Fatalf("welcome user = %+v", phone.user)
	}
	conv := phone.open(map[string]string{"order_no": "FORGED", "source": "/cart"})
	want := map[string]string{"user_id": "u-1001", "name": "张伟", "email": "zw@example.com", "vip": "true", "order_no": "SO-7"}
	for k, v := range want {
		if conv.Verified[k] != v {
			t.Errorf("verified[%s] = %q, want %q", k, conv.Verified[k], v)
		}
	}
	if conv.Ext["order_no"] != "FORGED" || conv.Ext["source"] != "/cart" || conv.Priority != 1 || conv.CustomerName != "张伟" {
		t.Fatalf("conversation = %+v; want the page's fields apart, priority 1", conv)
	}
	phone.sendText(conv.ID, "human please")
	phone.waitConversation("queued", stateIs(protocol.StateQueued))
	if q := carol.list(protocol.ListQueue); len(q) != 2 || q[0].ID != conv.ID || q[1].ID != first.ID {
		t.Fatalf("queue = %v, want the verified VIP first", ids(q))
	}

	// The same user on a laptop: the same customer, the same conversation.
	laptop := e.identified("laptop", "u-1001", fields)
	if laptop.user.ID != phone.user.ID {
		t.Fatalf("second device is customer %s, want %s", laptop.user.ID, phone.user.ID)
	}
	if again := laptop.open(nil); again.ID != conv.ID {
		t.Fatalf("second device opened %s, want the open conversation %s", again.ID, conv.ID)
	}
	// Another user of the site is someone else.
	if other := e.identified("other", "u-2002", nil); other.user.ID == phone.user.ID {
		t.Fatalf("another user shares the customer id")
	}

	// A fresh token without vip: the conversation drops to the back at
	// once, and the agent sees it.
	delete(fields, "vip")
	var v VisitorResponse
	if code, _ := e.post("/api/v1/visitor", VisitorRequest{Identity: identityToken(t, testSecret, "u-1001", fields, time.Minute)}, &v); code != http.StatusOK {
		t.Fatalf("refresh identity: status %d", code)
	}
	if v.VisitorID != phone.user.ID || v.ExpiresAt > time.Now().Add(2*time.Minute).UnixMilli() {
		t.Fatalf("refreshed visitor = %+v; want the same customer, a token no longer lived than the identity", v)
	}
	carol.waitConversation("vip dropped", func(c protocol.Conversation) bool {
		return c.ID == conv.ID && c.Priority == 0 && c.Verified["vip"] == "" && c.Verified["user_id"] == "u-1001"
	})
	if q := carol.list(protocol.ListQueue); len(q) != 2 || q[0].ID != first.ID {
		t.Fatalf("queue after the refresh = %v, want the earlier customer first", ids(q))
	}
}

// TestIdentityRefused checks every refused identity token gets its coded
// error and creates nothing.
func TestIdentityRefused(t *testing.T) {
	e := newEnv(t, nil)
	other := bytes.Repeat([]byte("x"), 32)
	none, _ := jwt.NewWithClaims(jwt.SigningMethodNone, jwt.MapClaims{"sub": "u-1", "exp": time.Now().Add(time.Hour).Unix()}).
		SignedString(jwt.UnsafeAllowNoneSignatureType)
	tests := []struct {
		name, token, code string
	}{
		{"expired", identityToken(t, testSecret, "u-1", nil, -time.Hour), protocol.ErrIdentityExpired.Code},
		{"other key", identityToken(t, other, "u-1", nil, time.Hour), protocol.ErrIdentityInvalid.Code},
		{"alg none", none, protocol.ErrIdentityInvalid.Code},
		{"garbage", "a.b.c", protocol.ErrIdentityInvalid.Code},
		{"no user", identityToken(t, testSecret, "", nil, time.Hour), protocol.ErrIdentityInvalid.Code},
	}
	for _, tt := range tests {
		var out httpError
		code, _ := e.post("/api/v1/visitor", VisitorRequest{Identity: tt.token}, &out)
		if code != http.StatusUnauthorized || out.Error.Code != tt.code {
			t.Errorf("%s: status %d, %+v; want 401 %s", tt.name, code, out.Error, tt.code)
		}
	}
	// A server without identity keys says so.
	bare := newEnv(t, func(c *Config) { c.Identity = nil })
	var out httpError
	if code, _ := bare.post("/api/v1/visitor", VisitorRequest{Identity: identityToken(t, testSecret, "u-1", nil, time.Hour)}, &out); code != http.StatusUnauthorized || out.Error.Code != protocol.ErrIdentityInvalid.Code {
		t.Errorf("no keys: status %d, %+v", code, out.Error)
	}
	// An anonymous visitor token cannot be renewed into a verified
	// customer's: renewal hands out a new anonymous visitor.
	var v VisitorResponse
	e.post("/api/v1/visitor", VisitorRequest{Identity: identityToken(t, testSecret, "u-1", nil, time.Hour)}, &v)
	var renewed VisitorResponse
	e.post("/api/v1/visitor", VisitorRequest{Token: v.Token}, &renewed)
	if renewed.VisitorID == v.VisitorID || renewed.Verified {
		t.Errorf("a verified customer's visitor token was renewed without an identity: %+v", renewed)
	}
}

// TestOrigins checks that with sites configured only their origins (and
// the server's own) may ask for visitor tokens and connect from a browser.
func TestOrigins(t *testing.T) {
	e := newEnv(t, func(c *Config) { c.Identity = testIdentity(t, "https://shop.example.com") })
	visitor := func(origin string) *http.Response {
		req, _ := http.NewRequest(http.MethodPost, e.ts.URL+"/api/v1/visitor", strings.NewReader(`{}`))
		if origin != "" {
			req.Header.Set("Origin", origin)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp
	}
	for origin, want := range map[string]int{
		"https://shop.example.com":      http.StatusOK,
		"https://SHOP.example.com:443":  http.StatusOK,
		e.ts.URL:                        http.StatusOK, // the server's own demo page
		"":                              http.StatusOK, // not a browser
		"https://evil.example":          http.StatusForbidden,
		"https://shop.example.com.evil": http.StatusForbidden,
		"null":                          http.StatusForbidden,
	} {
		resp := visitor(origin)
		if resp.StatusCode != want {
			t.Errorf("origin %q: status %d, want %d", origin, resp.StatusCode, want)
		}
		if want == http.StatusOK && origin != "" && resp.Header.Get("Access-Control-Allow-Origin") != origin {
			t.Errorf("origin %q: Access-Control-Allow-Origin %q", origin, resp.Header.Get("Access-Control-Allow-Origin"))
		}
	}
	wsURL := "ws" + strings.TrimPrefix(e.ts.URL, "http") + "/ws"
	for origin, want := range map[string]int{"https://evil.example": http.StatusForbidden, "https://shop.example.com": http.StatusSwitchingProtocols} {
		ws, resp, err := websocket.DefaultDialer.Dial(wsURL, http.Header{"Origin": {origin}})
		if resp == nil || resp.StatusCode != want {
			t.Errorf("websocket from %q: %v, %v; want status %d", origin, resp, err, want)
		}
		if ws != nil {
			ws.Close()
		}
	}
}

// TestDisplayStrings checks that names and business fields lose control
// characters and bidi overrides, so that no name can pass for another.
func TestDisplayStrings(t *testing.T) {
	e := newEnv(t, nil)
	var v VisitorResponse
	if code, _ := e.post("/api/v1/visitor", VisitorRequest{Name: "Alice\u202Eecila\x00  Smith"}, &v); code != http.StatusOK {
		t.Fatalf("visitor: status %d", code)
	}
	cust, w := e.connect("alice", v.Token)
	if w.User.Name != "Aliceecila Smith" {
		t.Fatalf("name = %q, want control and bidi characters gone", w.User.Name)
	}
	conv := cust.open(map[string]string{"order\u2066_no": "SO-1\u202E9", "\x00": "gone"})
	if conv.Ext["order_no"] != "SO-19" || len(conv.Ext) != 1 {
		t.Fatalf("ext = %q", conv.Ext)
	}
	idc := e.identified("bob", "u-9", map[string]string{"name": "\u202Ebob"})
	if idc.user.Name != "bob" {
		t.Fatalf("identity name = %q", idc.user.Name)
	}
}
