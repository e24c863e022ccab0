package server

import (
	"context"
	"errors"
	"time"

	"switchboard/backend/auth"
	"switchboard/protocol"
)

// Access tokens on a live connection. A staff connection is authenticated
// by the access token of its hello, which expires long before an agent's
// working day ends. Cutting the connection then would cost a reconnect every
// AgentTokenTTL, so the client sends a fresh access token on the same
// connection instead (reauth) and the connection goes on. The server pushes
// token_expiring ReauthNotice before the token expires, for clients that do
// not keep time themselves; a connection whose token expires without a
// reauth is closed with CloseTokenExpired (refresh, reconnect, resume).
// Visitor connections do not expire: visitor tokens last a month and stay
// as they are.

// expiredError refuses a genuine token past its expiry, telling staff to
// refresh their access token and visitors to fetch a new visitor token.
func expiredError(c auth.Claims) *protocol.Error {
	if isStaff(c.Role) {
		return protocol.ErrTokenExpired.WithMessage("the access token has expired; refresh it and try again")
	}
	return protocol.ErrTokenExpired.WithMessage("the visitor token has expired; fetch a new one")
}

// setAuth records the access token a staff connection is authenticated
// with; armAuthTimer then starts watching its expiry.
func (p *peer) setAuth(c auth.Claims) {
	p.authMu.Lock()
	defer p.authMu.Unlock()
	p.authExp, p.family, p.authNoticed = c.ExpiresAt, c.Family, false
}

// authExpiry returns when the connection's access token expires (0: never).
func (p *peer) authExpiry() int64 {
	p.authMu.Lock()
	defer p.authMu.Unlock()
	return p.authExp
}

// authFamily returns the sign-in the connection's access token belongs to.
func (p *peer) authFamily() string {
	p.authMu.Lock()
	defer p.authMu.Unlock()
	return p.family
}

// armAuthTimer (re)starts the expiry timer for the current token.
func (p *peer) armAuthTimer() {
	p.authMu.Lock()
	defer p.authMu.Unlock()
	p.armAuthTimerLocked()
}

func (p *peer) armAuthTimerLocked() {
	if p.authExp == 0 {
		return
	}
	// The server's clock (cfg.Now) says how long is left; the timer waits
	// that long on the wall clock and checks again.
	left := time.Duration(p.authExp-p.s.nowMS()) * time.Millisecond
	wait := left
	if !p.authNoticed {
		wait = left - p.s.cfg.ReauthNotice
	}
	if p.authTimer == nil {
		p.authTimer = time.AfterFunc(max(wait, 0), p.authTick)
		return
	}
	p.authTimer.Reset(max(wait, 0))
}

// authTick runs on the timer's goroutine: it pushes token_expiring when the
// notice is due, and closes the connection once the token has expired.
func (p *peer) authTick() {
	p.authMu.Lock()
	defer p.authMu.Unlock()
	if p.authExp == 0 {
		return
	}
	left := p.authExp - p.s.nowMS()
	switch {
	case left <= 0:
		p.s.log.Info("closing connection: access token expired", "agent_id", p.user.ID, "conn_id", p.id)
		p.out.Send(protocol.EncodeError("", protocol.ErrTokenExpired.WithMessage("the access token expired; refresh it and reconnect")))
		if p.conn != nil {
			p.conn.Close(protocol.CloseTokenExpired, "token expired")
		}
		p.authExp = 0
		return
	case !p.authNoticed && left <= p.s.cfg.ReauthNotice.Milliseconds():
		p.authNoticed = true
		b, err := protocol.Encode(protocol.TypeTokenExpiring, "", protocol.AuthExpiry{ExpiresAt: p.authExp})
		if err == nil {
			p.out.Send(b)
		}
	}
	p.armAuthTimerLocked()
}

// stopAuthTimer stops watching the expiry, once the connection has ended.
func (p *peer) stopAuthTimer() {
	p.authMu.Lock()
	defer p.authMu.Unlock()
	p.authExp = 0
	if p.authTimer != nil {
		p.authTimer.Stop()
	}
}

// reauth replaces the connection's access token by a fresh one of the same
// account. The token is checked as at hello; a token that is not good
// leaves the connection as it was (the old token still runs out).
func (p *peer) reauth(ctx context.Context, f protocol.Frame) *protocol.Error {
	if !isStaff(p.user.Role) {
		return protocol.ErrForbidden.WithMessage("only staff connections are reauthenticated; visitor connections do not expire")
	}
	var d protocol.ReauthData
	if perr := protocol.DecodeData(f, &d); perr != nil {
		return perr
	}
	claims, err := p.s.signer.Verify(d.Token)
	switch {
	case errors.Is(err, auth.ErrTokenExpired):
		return protocol.ErrTokenExpired.WithMessage("the new access token has expired already; refresh again")
	case err != nil:
		return protocol.ErrUnauthorized
	}
	if claims.Subject != p.user.ID || !isStaff(claims.Role) {
		return protocol.ErrForbidden.WithMessage("the token is another account's; a connection stays with its account")
	}
	a, err := p.s.store.Agent(ctx, claims.Subject)
	if err != nil {
		return p.storeError("reauth agent", err)
	}
	if perr := tokenAccess(a, claims); perr != nil {
		return perr
	}
	if perr := p.s.signInAccess(ctx, claims); perr != nil {
		return perr
	}
	p.authMu.Lock()
	if claims.ExpiresAt > p.authExp {
		p.authExp, p.family, p.authNoticed = claims.ExpiresAt, claims.Family, false
		p.armAuthTimerLocked()
	}
	exp := p.authExp
	p.authMu.Unlock()
	p.reply(protocol.TypeReauth, f.ID, protocol.AuthExpiry{ExpiresAt: exp})
	return nil
}
