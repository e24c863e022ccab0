package server

import (
	"context"
	"time"

	"switchboard/backend/auth"
	"switchboard/backend/hub"
	"switchboard/backend/store"
	"switchboard/protocol"
)

// Revocation. Tokens are signed, not stored, so the store says which are
// still good: an agent's token is good while the account is enabled and the
// token's generation is the account's (disabling the account or resetting
// its password moves the generation on). Every hello and every HTTP call
// checks that; the access sweep closes the connections that were accepted
// before the change, including changes written by the admin CLI into the
// same database while the server runs.

// tokenAccess checks a genuine staff token against the account it names.
func tokenAccess(a store.Agent, c auth.Claims) *protocol.Error {
	if a.Disabled {
		return protocol.ErrAccountDisabled
	}
	if c.Gen != a.TokenGen {
		return protocol.ErrUnauthorized.WithMessage("the token was revoked; sign in again")
	}
	return nil
}

// runAccessSweep closes, every AccessPoll until the server stops, the live
// connections of staff whose account is disabled, removed, or on a newer
// token generation than the connection signed in with.
func (s *Server) runAccessSweep() {
	defer close(s.sweepDone)
	t := time.NewTicker(s.cfg.AccessPoll)
	defer t.Stop()
	for {
		select {
		case <-s.baseCtx.Done():
			return
		case <-t.C:
			s.sweepAccess(s.baseCtx)
		}
	}
}

// sweepAccess runs one pass of the access sweep and returns how many
// connections it closed.
func (s *Server) sweepAccess(ctx context.Context) int {
	list, err := s.store.AgentAccess(ctx)
	if err != nil {
		if ctx.Err() == nil {
			s.log.Warn("access sweep", "err", err)
		}
		return 0
	}
	access := make(map[string]store.AgentAccess, len(list))
	for _, a := range list {
		access[a.ID] = a
	}
	closed := 0
	s.peers.Range(func(k, v any) bool {
		p := v.(*peer)
		if !p.authed.Load() || !isStaff(p.user.Role) {
			return true
		}
		a, ok := access[p.user.ID]
		var reason string
		switch {
		case !ok:
			reason = "account removed"
		case a.Disabled:
			reason = "account disabled"
		case a.TokenGen != p.tokenGen:
			reason = "token revoked"
		default:
			return true
		}
		s.log.Info("closing connection: "+reason, "agent_id", p.user.ID, "conn_id", p.id)
		// The error frame says why before the close: clients show it and
		// sign out instead of reconnecting (4500 is terminal).
		perr := protocol.ErrUnauthorized.WithMessage("the token was revoked; sign in again")
		if reason == "account disabled" {
			perr = protocol.ErrAccountDisabled
		}
		p.out.Send(protocol.EncodeError("", perr))
		k.(*hub.Conn).Close(protocol.CloseUnauthorized, reason)
		closed++
		return true
	})
	return closed
}
