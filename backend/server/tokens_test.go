package server

import (
	"net/http"
	"testing"
	"time"

	"switchboard/protocol"
)

// refreshAnswer posts a refresh token to path (refresh or logout) and
// returns the HTTP status, the answer and the error code ("" on success).
func refreshAnswer(e *env, path, token string) (int, LoginResponse, string) {
	e.t.Helper()
	var out struct {
		LoginResponse
		Error *protocol.Error `json:"error"`
	}
	code, _ := e.post(path, RefreshRequest{RefreshToken: token}, &out)
	if out.Error != nil {
		return code, out.LoginResponse, out.Error.Code
	}
	return code, out.LoginResponse, ""
}

// refreshOK refreshes token and fails the test unless it succeeds.
func refreshOK(e *env, token string) LoginResponse {
	e.t.Helper()
	code, res, errCode := refreshAnswer(e, "/api/v1/refresh", token)
	if code != http.StatusOK || errCode != "" || res.Token == "" || res.RefreshToken == "" {
		e.t.Fatalf("refresh = %d %q %+v, want 200 with a new pair", code, errCode, res)
	}
	return res
}

// TestLoginIssuesShortAccessToken: the login answer carries an access
// token that lasts 15 minutes and a refresh token that lasts 7 days; the
// access token is refused at hello once the 15 minutes are up.
func TestLoginIssuesShortAccessToken(t *testing.T) {
	clock := &testClock{}
	e := newEnv(t, func(c *Config) { c.Now = clock.now })
	before := clock.now()
	res := e.login("alice")
	after := clock.now()
	if res.ExpiresAt < before.Add(15*time.Minute).UnixMilli() || res.ExpiresAt > after.Add(15*time.Minute).UnixMilli() {
		t.Errorf("expires_at = %v, want 15 minutes after login (%v)", time.UnixMilli(res.ExpiresAt), before)
	}
	if res.RefreshExpiresAt < before.Add(7*24*time.Hour).UnixMilli() || res.RefreshExpiresAt > after.Add(7*24*time.Hour).UnixMilli() {
		t.Errorf("refresh_expires_at = %v, want 7 days after login", time.UnixMilli(res.RefreshExpiresAt))
	}
	if res.RefreshToken == "" || res.RefreshToken == res.Token || res.User.ID == "" {
		t.Fatalf("login answer = %+v, want a refresh token and the user", res)
	}
	clock.advance(15*time.Minute - 2*time.Second)
	if code := helloError(e, res.Token); code != "" {
		t.Errorf("hello just before expiry = %q, want welcome", code)
	}
	clock.advance(2 * time.Second)
	if code := helloError(e, res.Token); code != protocol.ErrTokenExpired.Code {
		t.Errorf("hello at expiry = %q, want token_expired", code)
	}
	// The refresh token still works, and its access token is good again.
	next := refreshOK(e, res.RefreshToken)
	if code := helloError(e, next.Token); code != "" {
		t.Errorf("hello with the refreshed token = %q, want welcome", code)
	}
}

// TestRefreshRotates: a refresh answers a new pair of the same account; the
// used refresh token is not taken again, the new one is.
func TestRefreshRotates(t *testing.T) {
	e := newEnv(t, nil)
	first := e.login("alice")
	second := refreshOK(e, first.RefreshToken)
	if second.RefreshToken == first.RefreshToken || second.Token == first.Token {
		t.Errorf("refresh answered the same tokens again")
	}
	if second.User.ID != first.User.ID {
		t.Errorf("refresh user = %+v, want %+v", second.User, first.User)
	}
	third := refreshOK(e, second.RefreshToken)
	if _, w := e.connect("alice", third.Token); w.User.ID != first.User.ID || w.ExpiresAt != third.ExpiresAt {
		t.Errorf("welcome = user %s expires_at %d, want %s %d", w.User.ID, w.ExpiresAt, first.User.ID, third.ExpiresAt)
	}
}

// TestRefreshReuseEndsSignIn: a refresh token presented again after it was
// used is refused with refresh_reused, and every token of its sign-in is
// revoked — the newest one too, and the connection opened with it is
// closed — while another sign-in of the same agent goes on.
func TestRefreshReuseEndsSignIn(t *testing.T) {
	e := newEnv(t, nil)
	first := e.login("alice")
	other := e.login("alice")
	second := refreshOK(e, first.RefreshToken)
	conn, _ := e.connect("alice", second.Token)
	otherConn, _ := e.connect("alice-other", other.Token)

	code, _, errCode := refreshAnswer(e, "/api/v1/refresh", first.RefreshToken)
	if code != http.StatusUnauthorized || errCode != protocol.ErrRefreshReused.Code {
		t.Fatalf("reuse of a used refresh token = %d %q, want 401 refresh_reused", code, errCode)
	}
	if code, _, errCode := refreshAnswer(e, "/api/v1/refresh", second.RefreshToken); code != http.StatusUnauthorized || errCode != protocol.ErrUnauthorized.Code {
		t.Errorf("refresh with the newest token of the ended sign-in = %d %q, want 401 unauthenticated", code, errCode)
	}
	if closeCode, errCode := readUntilClosed(t, conn); closeCode != protocol.CloseUnauthorized || errCode != protocol.ErrUnauthorized.Code {
		t.Errorf("connection of the ended sign-in closed with %d after %q, want 4500 after unauthenticated", closeCode, errCode)
	}
	// The ended sign-in's access tokens open no new connection.
	if code := helloError(e, second.Token); code != protocol.ErrUnauthorized.Code {
		t.Errorf("hello with the ended sign-in's access token = %q, want unauthenticated", code)
	}
	// The other sign-in is untouched.
	otherConn.request(protocol.TypeList, protocol.ListData{Filter: protocol.ListMine})
	refreshOK(e, other.RefreshToken)

	// Reuse is audited.
	found := false
	entries, err := e.srv.store.Audit(t.Context(), "")
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range entries {
		found = found || (a.Action == "refresh_reused" && a.Actor == first.User.ID)
	}
	if !found {
		t.Errorf("audit entries %+v lack refresh_reused", entries)
	}
}

// TestRefreshConcurrentIsReuse: two refreshes of one token at once are
// reuse: one of them may win, but the sign-in ends either way (strict, no
// grace), so the app refreshes one at a time.
func TestRefreshConcurrentIsReuse(t *testing.T) {
	e := newEnv(t, nil)
	first := e.login("alice")
	type answer struct {
		res     LoginResponse
		errCode string
	}
	answers := make(chan answer, 2)
	for range 2 {
		go func() {
			_, res, errCode := refreshAnswer(e, "/api/v1/refresh", first.RefreshToken)
			answers <- answer{res, errCode}
		}()
	}
	var won []LoginResponse
	reused := 0
	for range 2 {
		a := <-answers
		switch a.errCode {
		case "":
			won = append(won, a.res)
		case protocol.ErrRefreshReused.Code:
			reused++
		default:
			t.Errorf("concurrent refresh = %q, want success or refresh_reused", a.errCode)
		}
	}
	if len(won) > 1 || reused < 1 {
		t.Fatalf("%d won and %d were reuse, want at most one win and a reuse", len(won), reused)
	}
	for _, w := range won {
		if code, _, errCode := refreshAnswer(e, "/api/v1/refresh", w.RefreshToken); errCode != protocol.ErrUnauthorized.Code {
			t.Errorf("refresh with the winner's token = %d %q, want unauthenticated (sign-in ended)", code, errCode)
		}
	}
}

// TestLogout revokes the sign-in of the refresh token: it cannot be
// refreshed, its connection is closed, logging out again is fine, and the
// agent's other sign-ins go on.
func TestLogout(t *testing.T) {
	e := newEnv(t, nil)
	res := e.login("alice")
	other := e.login("alice")
	conn, _ := e.connect("alice", res.Token)
	if code, _, errCode := refreshAnswer(e, "/api/v1/logout", res.RefreshToken); code != http.StatusOK || errCode != "" {
		t.Fatalf("logout = %d %q, want 200", code, errCode)
	}
	if closeCode, _ := readUntilClosed(t, conn); closeCode != protocol.CloseUnauthorized {
		t.Errorf("connection of the signed-out sign-in closed with %d, want 4500", closeCode)
	}
	if code, _, errCode := refreshAnswer(e, "/api/v1/refresh", res.RefreshToken); code != http.StatusUnauthorized || errCode != protocol.ErrUnauthorized.Code {
		t.Errorf("refresh after logout = %d %q, want 401 unauthenticated", code, errCode)
	}
	if code, _, errCode := refreshAnswer(e, "/api/v1/logout", res.RefreshToken); code != http.StatusOK || errCode != "" {
		t.Errorf("second logout = %d %q, want 200", code, errCode)
	}
	// Its access token opens no connection and fetches no file; the other
	// sign-in's does (the file is unknown: 404, not 401).
	if code := helloError(e, res.Token); code != protocol.ErrUnauthorized.Code {
		t.Errorf("hello after logout = %q, want unauthenticated", code)
	}
	if code := helloError(e, other.Token); code != "" {
		t.Errorf("hello of the other sign-in = %q, want welcome", code)
	}
	for tok, want := range map[string]int{res.Token: http.StatusUnauthorized, other.Token: http.StatusNotFound} {
		req, _ := http.NewRequest(http.MethodGet, e.ts.URL+"/api/v1/files/no-such-file", nil)
		req.Header.Set("Authorization", "Bearer "+tok)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != want {
			t.Errorf("GET a file = %d, want %d", resp.StatusCode, want)
		}
	}
	refreshOK(e, other.RefreshToken)
}

// TestRefreshRefused: each way a refresh fails has its code, and none of
// them hands out tokens.
func TestRefreshRefused(t *testing.T) {
	clock := &testClock{}
	e := newEnv(t, func(c *Config) {
		c.Now = clock.now
		c.AccessPoll = time.Hour
		c.RefreshTokenTTL = time.Hour
		c.RefreshFamilyTTL = 3 * time.Hour
	})
	ctx := t.Context()

	t.Run("bad input", func(t *testing.T) {
		for _, tok := range []string{"", "sb1.abc", "sbr1.short", "sbr1." + string(make([]byte, 43))} {
			if code, _, errCode := refreshAnswer(e, "/api/v1/refresh", tok); code != http.StatusUnauthorized || errCode != protocol.ErrUnauthorized.Code {
				t.Errorf("refresh(%q) = %d %q, want 401 unauthenticated", tok, code, errCode)
			}
		}
		// A well-formed token the server never issued.
		unknown := "sbr1.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
		if code, _, errCode := refreshAnswer(e, "/api/v1/refresh", unknown); code != http.StatusUnauthorized || errCode != protocol.ErrUnauthorized.Code {
			t.Errorf("refresh(unknown) = %d %q, want 401 unauthenticated", code, errCode)
		}
		if code, _, errCode := refreshAnswer(e, "/api/v1/logout", unknown); code != http.StatusUnauthorized || errCode != protocol.ErrUnauthorized.Code {
			t.Errorf("logout(unknown) = %d %q, want 401 unauthenticated", code, errCode)
		}
		resp, err := http.Get(e.ts.URL + "/api/v1/refresh")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusBadRequest {
			t.Errorf("GET /api/v1/refresh = %d, want 400", resp.StatusCode)
		}
	})

	t.Run("disabled agent", func(t *testing.T) {
		res := e.login("bob")
		if _, err := e.srv.store.SetAgentDisabled(ctx, res.User.ID, true); err != nil {
			t.Fatal(err)
		}
		if code, _, errCode := refreshAnswer(e, "/api/v1/refresh", res.RefreshToken); code != http.StatusForbidden || errCode != protocol.ErrAccountDisabled.Code {
			t.Errorf("refresh of a disabled agent = %d %q, want 403 account_disabled", code, errCode)
		}
		// Enabling does not bring the old sign-in back: disabling moved the
		// token generation on.
		if _, err := e.srv.store.SetAgentDisabled(ctx, res.User.ID, false); err != nil {
			t.Fatal(err)
		}
		if code, _, errCode := refreshAnswer(e, "/api/v1/refresh", res.RefreshToken); code != http.StatusUnauthorized || errCode != protocol.ErrUnauthorized.Code {
			t.Errorf("refresh after re-enabling = %d %q, want 401 unauthenticated", code, errCode)
		}
	})

	t.Run("revoked tokens", func(t *testing.T) {
		res := e.login("carol")
		if _, err := e.srv.store.RevokeAgentTokens(ctx, res.User.ID); err != nil {
			t.Fatal(err)
		}
		if code, _, errCode := refreshAnswer(e, "/api/v1/refresh", res.RefreshToken); code != http.StatusUnauthorized || errCode != protocol.ErrUnauthorized.Code {
			t.Errorf("refresh after revocation = %d %q, want 401 unauthenticated", code, errCode)
		}
	})

	t.Run("expired unused", func(t *testing.T) {
		res := e.login("alice")
		clock.advance(time.Hour)
		if code, _, errCode := refreshAnswer(e, "/api/v1/refresh", res.RefreshToken); code != http.StatusUnauthorized || errCode != protocol.ErrTokenExpired.Code {
			t.Errorf("refresh after the refresh token's lifetime = %d %q, want 401 token_expired", code, errCode)
		}
	})

	t.Run("family expired", func(t *testing.T) {
		res := e.login("alice")
		tok := res.RefreshToken
		for range 2 {
			clock.advance(59 * time.Minute)
			tok = refreshOK(e, tok).RefreshToken
		}
		clock.advance(59 * time.Minute) // 2h57m: each token is fresh, the family is not
		next := refreshOK(e, tok)
		if next.RefreshExpiresAt > res.RefreshExpiresAt-time.Hour.Milliseconds()+3*time.Hour.Milliseconds() {
			t.Errorf("refresh_expires_at %d runs past the family's end", next.RefreshExpiresAt)
		}
		clock.advance(3 * time.Minute)
		if code, _, errCode := refreshAnswer(e, "/api/v1/refresh", next.RefreshToken); errCode != protocol.ErrTokenExpired.Code {
			t.Errorf("refresh after the family's lifetime = %d %q, want token_expired", code, errCode)
		}
	})
}

// TestReauthKeepsConnection: a staff connection is told before its access
// token expires, takes a fresh token with reauth and goes on past the old
// token's expiry; a bad reauth changes nothing.
func TestReauthKeepsConnection(t *testing.T) {
	// Generous times: a loaded machine signs in slowly (argon2id).
	e := newEnv(t, func(c *Config) {
		c.AgentTokenTTL = 6 * time.Second
		c.ReauthNotice = 5 * time.Second
	})
	bob := e.login("bob")
	res := e.login("alice")
	alice, w := e.connect("alice", res.Token)
	if w.ExpiresAt != res.ExpiresAt {
		t.Errorf("welcome expires_at = %d, want the token's %d", w.ExpiresAt, res.ExpiresAt)
	}
	var exp protocol.AuthExpiry
	f := alice.waitPush("token_expiring", func(f protocol.Frame) bool { return f.Type == protocol.TypeTokenExpiring })
	alice.decode(f, protocol.TypeTokenExpiring, &exp)
	if exp.ExpiresAt != res.ExpiresAt {
		t.Errorf("token_expiring expires_at = %d, want %d", exp.ExpiresAt, res.ExpiresAt)
	}

	alice.wantError(alice.request(protocol.TypeReauth, protocol.ReauthData{Token: bob.Token}), protocol.ErrForbidden.Code)
	alice.wantError(alice.request(protocol.TypeReauth, protocol.ReauthData{Token: "sb1.forged"}), protocol.ErrUnauthorized.Code)

	next := refreshOK(e, res.RefreshToken)
	alice.decode(alice.request(protocol.TypeReauth, protocol.ReauthData{Token: next.Token}), protocol.TypeReauth, &exp)
	if exp.ExpiresAt != next.ExpiresAt {
		t.Errorf("reauth expires_at = %d, want %d", exp.ExpiresAt, next.ExpiresAt)
	}
	time.Sleep(time.Until(time.UnixMilli(res.ExpiresAt)) + 200*time.Millisecond)
	var list protocol.ConversationList
	alice.decode(alice.request(protocol.TypeList, protocol.ListData{Filter: protocol.ListMine}), protocol.TypeConvList, &list)

	// Visitors have nothing to reauth.
	cust, v := e.customer("dave")
	cust.wantError(cust.request(protocol.TypeReauth, protocol.ReauthData{Token: v.Token}), protocol.ErrForbidden.Code)
}

// TestConnectionExpiresWithoutReauth: a staff connection whose access token
// expires without a reauth is closed with token_expired and 4002 (refresh
// and reconnect), while a visitor's connection stays.
func TestConnectionExpiresWithoutReauth(t *testing.T) {
	e := newEnv(t, func(c *Config) {
		c.AgentTokenTTL = time.Second
		c.VisitorTokenTTL = time.Second
	})
	alice, _ := e.agent("alice")
	cust, _ := e.customer("dave")
	start := time.Now()
	closeCode, errCode := readUntilClosed(t, alice)
	if closeCode != protocol.CloseTokenExpired || errCode != protocol.ErrTokenExpired.Code {
		t.Errorf("expired connection closed with %d after %q, want 4002 after token_expired", closeCode, errCode)
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("closed %v after connecting, want about a second", d)
	}
	cust.open(nil) // still connected
}
