package server

import (
	"encoding/json"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"switchboard/protocol"
)

// readUntilClosed reads c until the server closes it and returns the close
// code and the code of the last error frame before it.
func readUntilClosed(t *testing.T, c *client) (closeCode int, errCode string) {
	t.Helper()
	c.ws.SetReadDeadline(time.Now().Add(10 * time.Second))
	for {
		_, b, err := c.ws.ReadMessage()
		if err != nil {
			var ce *websocket.CloseError
			if !errors.As(err, &ce) {
				t.Fatalf("%s: read until closed: %v", c.name, err)
			}
			return ce.Code, errCode
		}
		var f protocol.Frame
		if json.Unmarshal(b, &f) == nil && f.Type == protocol.TypeError && f.Error != nil {
			errCode = f.Error.Code
		}
	}
}

// helloError says hello with token on a new connection and returns the
// error code of the refusal ("" when welcomed).
func helloError(e *env, token string) string {
	e.t.Helper()
	c := e.dial("hello")
	f := c.request(protocol.TypeHello, protocol.HelloData{Protocol: protocol.Version, Token: token, Client: protocol.ClientDesktop})
	if f.Type == protocol.TypeWelcome {
		return ""
	}
	if f.Error == nil {
		e.t.Fatalf("hello answered %s without an error", f.Type)
	}
	return f.Error.Code
}

// loginCode signs in with password and returns the HTTP status and error
// code ("" on success).
func loginCode(e *env, username, password string) (int, string) {
	e.t.Helper()
	var out httpError
	code, _ := e.post("/api/v1/login", LoginRequest{Username: username, Password: password}, &out)
	return code, out.Error.Code
}

// TestDisableAgent disables a signed-in agent in the store, as the admin CLI
// does: a sweep closes her connection with account_disabled and 4500, puts
// the conversation she worked back in its team's queue, her token and her
// password are refused, and enabling her lets her sign in again without
// bringing her old token back.
func TestDisableAgent(t *testing.T) {
	e := pickEnv(t, func(c *Config) { c.AccessPoll = time.Hour }) // sweeps run by hand
	ctx := t.Context()
	alice, w := e.agent("alice")
	oldToken := e.login("alice").Token
	bob, _ := e.agent("bob")
	cust, conv := e.queued("dave", "human please")
	var worked protocol.Conversation
	alice.decode(alice.request(protocol.TypeAccept, ref(conv.ID)), protocol.TypeConversation, &worked)
	if worked.State != protocol.StateActive || worked.AssigneeID != w.User.ID {
		t.Fatalf("accepted conversation = %s assignee %q", worked.State, worked.AssigneeID)
	}

	if n := e.srv.sweepAccess(ctx); n != 0 {
		t.Fatalf("sweep before any change closed %d connections", n)
	}
	if _, err := e.srv.Store().SetAgentDisabled(ctx, w.User.ID, true); err != nil {
		t.Fatal(err)
	}
	if n := e.srv.sweepAccess(ctx); n != 1 {
		t.Errorf("sweep closed %d connections, want alice's 1", n)
	}
	if code, errCode := readUntilClosed(t, alice); code != protocol.CloseUnauthorized || errCode != protocol.ErrAccountDisabled.Code {
		t.Errorf("alice closed with %d after %q, want %d after account_disabled", code, errCode, protocol.CloseUnauthorized)
	}
	// Bob is untouched: his connection still answers.
	bob.list("mine")
	// Her conversation waits in its team's queue again, and its customer
	// is told.
	cust.waitConversation("requeued", func(c protocol.Conversation) bool { return c.State == protocol.StateQueued })
	if c, err := e.srv.Store().Conversation(ctx, conv.ID); err != nil || c.AssigneeID != "" || string(c.State) != protocol.StateQueued || c.Team != worked.Team {
		t.Errorf("stored conversation = %s team %q assignee %q (%v), want queued in %q without assignee", c.State, c.Team, c.AssigneeID, err, worked.Team)
	}
	// Only once: a second sweep finds nothing to close or release.
	if n := e.srv.sweepAccess(ctx); n != 0 {
		t.Errorf("second sweep closed %d connections", n)
	}

	if got := helloError(e, oldToken); got != protocol.ErrAccountDisabled.Code {
		t.Errorf("hello with a disabled account's token = %q, want account_disabled", got)
	}
	if status, code := loginCode(e, "alice", DemoPassword); status != http.StatusForbidden || code != protocol.ErrAccountDisabled.Code {
		t.Errorf("login of a disabled account = %d %q, want 403 account_disabled", status, code)
	}
	// A wrong password learns nothing about the account.
	if status, code := loginCode(e, "alice", "wrong password"); status != http.StatusUnauthorized || code != protocol.ErrBadCredentials.Code {
		t.Errorf("login of a disabled account with a wrong password = %d %q, want 401 bad_credentials", status, code)
	}
	if status, _, _ := e.get("/api/v1/files/nope", oldToken, nil); status != http.StatusForbidden {
		t.Errorf("GET a file with a disabled account's token = %d, want 403", status)
	}

	if _, err := e.srv.Store().SetAgentDisabled(ctx, w.User.ID, false); err != nil {
		t.Fatal(err)
	}
	if got := helloError(e, oldToken); got != protocol.ErrUnauthorized.Code {
		t.Errorf("hello with a token from before the disable = %q, want unauthenticated", got)
	}
	if got := helloError(e, e.login("alice").Token); got != "" {
		t.Errorf("hello with a new token after enable = %q, want welcome", got)
	}
}

// TestRevokeTokens revokes an agent's tokens (a password reset): the
// background sweep closes her live connection, and neither the WebSocket
// nor HTTP accepts the old token; a new sign-in works.
func TestRevokeTokens(t *testing.T) {
	e := newEnv(t, func(c *Config) { c.AccessPoll = 20 * time.Millisecond })
	token := e.login("alice").Token
	alice, w := e.connect("alice", token)
	if _, err := e.srv.Store().RevokeAgentTokens(t.Context(), w.User.ID); err != nil {
		t.Fatal(err)
	}
	if code, errCode := readUntilClosed(t, alice); code != protocol.CloseUnauthorized || errCode != protocol.ErrUnauthorized.Code {
		t.Errorf("alice closed with %d after %q, want %d after unauthenticated", code, errCode, protocol.CloseUnauthorized)
	}
	if got := helloError(e, token); got != protocol.ErrUnauthorized.Code {
		t.Errorf("hello with a revoked token = %q, want unauthenticated", got)
	}
	if status, _, _ := e.get("/api/v1/files/nope", token, nil); status != http.StatusUnauthorized {
		t.Errorf("GET a file with a revoked token = %d, want 401", status)
	}
	if got := helloError(e, e.login("alice").Token); got != "" {
		t.Errorf("hello after signing in again = %q, want welcome", got)
	}
}
