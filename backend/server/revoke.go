package server

import (
	"cmp"
	"context"
	"time"

	"switchboard/backend/auth"
	"switchboard/backend/conversation"
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

// refreshPruneEvery is how often expired refresh tokens are deleted.
const refreshPruneEvery = time.Hour

// signInAccess checks that the sign-in a staff access token was issued for
// (its refresh token family) has not ended: a logout or a reused refresh
// token ends it, and its access tokens open no more connections. Tokens
// from before refresh tokens carry no family and are not checked.
func (s *Server) signInAccess(ctx context.Context, c auth.Claims) *protocol.Error {
	if c.Family == "" {
		return nil
	}
	ended, err := s.store.RefreshFamilyEnded(ctx, c.Family)
	if err != nil {
		s.log.Error("check sign-in", "agent_id", c.Subject, "err", err)
		return protocol.ErrInternal
	}
	if ended {
		return errSignInEnded
	}
	return nil
}

// runAccessSweep closes, every AccessPoll until the server stops, the live
// connections of staff whose account is disabled, removed, or on a newer
// token generation than the connection signed in with; and, at start and
// every refreshPruneEvery, deletes the refresh tokens that have expired.
func (s *Server) runAccessSweep() {
	defer close(s.sweepDone)
	t := time.NewTicker(s.cfg.AccessPoll)
	defer t.Stop()
	prune := time.NewTicker(refreshPruneEvery)
	defer prune.Stop()
	s.pruneRefreshTokens(s.baseCtx)
	for {
		select {
		case <-s.baseCtx.Done():
			return
		case <-t.C:
			s.sweepAccess(s.baseCtx)
			// A safety net for a change of hours whose notice was lost.
			s.reloadHours(s.baseCtx)
		case <-prune.C:
			s.pruneRefreshTokens(s.baseCtx)
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
	var newlyDisabled []string
	s.sweepMu.Lock()
	if s.disabledSeen == nil {
		s.disabledSeen = make(map[string]bool)
	}
	for _, a := range list {
		access[a.ID] = a
		switch {
		case a.Disabled && !s.disabledSeen[a.ID]:
			s.disabledSeen[a.ID] = true
			newlyDisabled = append(newlyDisabled, a.ID)
		case !a.Disabled:
			delete(s.disabledSeen, a.ID)
		}
	}
	s.sweepMu.Unlock()
	closed := 0
	s.peers.Range(func(k, v any) bool {
		p := v.(*peer)
		if !p.authed.Load() || !isStaff(p.acc.Load().user.Role) {
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
	for _, id := range newlyDisabled {
		s.releaseWork(ctx, id)
	}
	return closed
}

// adminActor names the admin in the events of changes made for an admin
// command.
const adminActor = "admin"

// releaseWork gives back what a disabled agent held, so that no customer
// waits on an account nobody can sign in to: offers are withdrawn, and the
// conversations assigned to the agent go back to their team's queue, where
// the router offers them to the next agent.
func (s *Server) releaseWork(ctx context.Context, agentID string) {
	s.withdrawOffers(ctx, agentID)
	cs, err := s.store.ListConversations(ctx, store.ConversationFilter{AssigneeID: agentID,
		States: []conversation.State{conversation.Active, conversation.WaitingCustomer}})
	if err != nil {
		s.log.Error("list a disabled agent's conversations", "agent_id", agentID, "err", err)
		return
	}
	for _, c := range cs {
		team, none := cmp.Or(c.Team, s.cfg.DefaultTeam), ""
		if _, ok := s.applyChange(ctx, c, store.StateChange{
			Event:          conversation.TransferTeam,
			Team:           &team,
			AssigneeID:     &none,
			OfferAgentID:   &none,
			TransferFromID: &none,
			Message:        systemEvent(protocol.EventTransferred, team, adminActor),
			Actor:          adminActor,
		}); ok {
			s.log.Info("conversation of a disabled agent requeued", "conversation_id", c.ID, "agent_id", agentID, "team", team)
		}
	}
	if len(cs) > 0 {
		s.kickRouter()
	}
}
