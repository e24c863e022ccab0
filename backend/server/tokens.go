package server

import (
	"context"
	"errors"
	"net/http"

	"github.com/google/uuid"

	"switchboard/backend/audit"
	"switchboard/backend/auth"
	"switchboard/backend/hub"
	"switchboard/backend/store"
	"switchboard/protocol"
)

// Agents' tokens. A sign-in (POST /api/v1/login) hands out a short access
// token and a refresh token, the first of a new family. POST /api/v1/refresh
// uses the refresh token up and hands out the next pair in the same family.
// A refresh token that comes back after it was used up means two parties
// hold it — the app and a thief, or a thief who got there first — and the
// server cannot tell which is which, so it ends the whole sign-in: the
// family is revoked (the newest token included) and the connections opened
// with its access tokens are closed. The rule is strict: there is no grace
// for two refreshes at once, so the app refreshes one at a time.
//
// A family is also good only while the agent's token generation is the one
// it was issued in and the account is enabled, so disabling the account or
// revoking its tokens ends every sign-in at once. POST /api/v1/logout revokes
// the family of the refresh token it is given.

// RefreshRequest is the body of POST /api/v1/refresh and POST
// /api/v1/logout.
type RefreshRequest struct {
	RefreshToken string `json:"refresh_token"`
}

// LogoutResponse answers POST /api/v1/logout.
type LogoutResponse struct {
	Status string `json:"status"` // "signed_out"
}

// signIn starts a new sign-in of agent: a new refresh token family and the
// first pair of tokens.
func (s *Server) signIn(ctx context.Context, agent store.Agent) (LoginResponse, error) {
	now := s.nowMS()
	refresh, hash := auth.NewRefreshToken()
	rt := store.RefreshToken{
		Hash:            hash,
		FamilyID:        uuid.NewString(),
		AgentID:         agent.ID,
		TokenGen:        agent.TokenGen,
		CreatedAt:       now,
		FamilyExpiresAt: now + s.cfg.RefreshFamilyTTL.Milliseconds(),
	}
	rt.ExpiresAt = min(now+s.cfg.RefreshTokenTTL.Milliseconds(), rt.FamilyExpiresAt)
	if err := s.store.AddRefreshToken(ctx, rt); err != nil {
		return LoginResponse{}, err
	}
	return s.tokenPair(agent, rt, refresh), nil
}

// tokenPair is the answer carrying refresh token rt (whose plain form is
// refresh) and a new access token of the same family.
func (s *Server) tokenPair(agent store.Agent, rt store.RefreshToken, refresh string) LoginResponse {
	now := s.cfg.Now()
	c := auth.Claims{
		Subject:   agent.ID,
		Role:      agent.Role,
		IssuedAt:  now.Unix(),
		ExpiresAt: now.Add(s.cfg.AgentTokenTTL).UnixMilli(),
		Gen:       agent.TokenGen,
		Family:    rt.FamilyID,
	}
	return LoginResponse{
		Token:            s.signer.Sign(c),
		ExpiresAt:        c.ExpiresAt,
		RefreshToken:     refresh,
		RefreshExpiresAt: rt.ExpiresAt,
		User:             agentUser(agent),
	}
}

// errSignInEnded refuses a refresh token of a family that was revoked.
var errSignInEnded = protocol.ErrUnauthorized.WithMessage("this sign-in has ended; sign in again")

func (s *Server) handleRefresh(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		writeError(w, protocol.ErrInvalid.WithMessage("use POST"))
		return
	}
	var req RefreshRequest
	if perr := readJSON(w, r, &req, false); perr != nil {
		writeError(w, perr)
		return
	}
	res, perr := s.refresh(r.Context(), req.RefreshToken, clientIP(r))
	if perr != nil {
		writeError(w, perr)
		return
	}
	writeJSON(w, http.StatusOK, res)
}

// refresh exchanges a refresh token for the next pair.
func (s *Server) refresh(ctx context.Context, token, ip string) (LoginResponse, *protocol.Error) {
	hash, ok := auth.RefreshTokenHash(token)
	if !ok {
		return LoginResponse{}, protocol.ErrUnauthorized.WithMessage("refresh_token is missing or malformed")
	}
	rt, err := s.store.RefreshToken(ctx, hash)
	switch {
	case errors.Is(err, store.ErrNotFound):
		return LoginResponse{}, protocol.ErrUnauthorized.WithMessage("unknown refresh token; sign in again")
	case err != nil:
		s.log.Error("refresh: load token", "err", err)
		return LoginResponse{}, protocol.ErrInternal
	}
	if perr := s.refreshable(ctx, rt, ip); perr != nil {
		return LoginResponse{}, perr
	}
	agent, err := s.store.Agent(ctx, rt.AgentID)
	switch {
	case errors.Is(err, store.ErrNotFound):
		return LoginResponse{}, protocol.ErrUnauthorized.WithMessage("the account no longer exists")
	case err != nil:
		s.log.Error("refresh: load agent", "agent_id", rt.AgentID, "err", err)
		return LoginResponse{}, protocol.ErrInternal
	}
	if perr := tokenAccess(agent, auth.Claims{Gen: rt.TokenGen}); perr != nil {
		s.log.Info("refresh refused", "agent_id", agent.ID, "family", rt.FamilyID, "code", perr.Code)
		return LoginResponse{}, perr
	}
	now := s.nowMS()
	refresh, nextHash := auth.NewRefreshToken()
	next := store.RefreshToken{Hash: nextHash, CreatedAt: now,
		ExpiresAt: min(now+s.cfg.RefreshTokenTTL.Milliseconds(), rt.FamilyExpiresAt)}
	before, err := s.store.RotateRefreshToken(ctx, hash, next, now)
	switch {
	case errors.Is(err, store.ErrIllegalState):
		// Something changed since it was read: a concurrent refresh of
		// the same token (reuse), a revocation or the expiry.
		if perr := s.refreshable(ctx, before, ip); perr != nil {
			return LoginResponse{}, perr
		}
		return LoginResponse{}, errSignInEnded
	case err != nil:
		s.log.Error("refresh: rotate", "agent_id", agent.ID, "err", err)
		return LoginResponse{}, protocol.ErrInternal
	}
	next.FamilyID, next.AgentID, next.TokenGen, next.FamilyExpiresAt = rt.FamilyID, rt.AgentID, rt.TokenGen, rt.FamilyExpiresAt
	s.log.Debug("refresh", "agent_id", agent.ID, "family", rt.FamilyID)
	return s.tokenPair(agent, next, refresh), nil
}

// refreshable refuses a refresh token that is revoked, used up (and then
// ends its sign-in) or expired.
func (s *Server) refreshable(ctx context.Context, rt store.RefreshToken, ip string) *protocol.Error {
	now := s.nowMS()
	switch {
	case rt.RevokedAt != 0:
		return errSignInEnded
	case rt.UsedAt != 0:
		s.log.Warn("refresh token reused; ending the sign-in", "agent_id", rt.AgentID, "family", rt.FamilyID, "ip", ip)
		if err := s.store.AddAudit(ctx, store.AuditEntry{Actor: rt.AgentID, Action: audit.ActionRefreshReused,
			Detail: "family=" + rt.FamilyID + " ip=" + ip}); err != nil {
			s.log.Warn("audit refresh_reused", "agent_id", rt.AgentID, "err", err)
		}
		if err := s.endSignIn(ctx, rt.FamilyID); err != nil {
			s.log.Error("refresh reused: revoke family", "family", rt.FamilyID, "err", err)
			return protocol.ErrInternal
		}
		return protocol.ErrRefreshReused
	case rt.ExpiresAt <= now || rt.FamilyExpiresAt <= now:
		return protocol.ErrTokenExpired.WithMessage("the sign-in has expired; sign in again")
	}
	return nil
}

func (s *Server) handleLogout(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		writeError(w, protocol.ErrInvalid.WithMessage("use POST"))
		return
	}
	var req RefreshRequest
	if perr := readJSON(w, r, &req, false); perr != nil {
		writeError(w, perr)
		return
	}
	hash, ok := auth.RefreshTokenHash(req.RefreshToken)
	if !ok {
		writeError(w, protocol.ErrUnauthorized.WithMessage("refresh_token is missing or malformed"))
		return
	}
	ctx := r.Context()
	rt, err := s.store.RefreshToken(ctx, hash)
	switch {
	case errors.Is(err, store.ErrNotFound):
		writeError(w, protocol.ErrUnauthorized.WithMessage("unknown refresh token"))
		return
	case err != nil:
		s.log.Error("logout: load token", "err", err)
		writeError(w, protocol.ErrInternal)
		return
	}
	// Any token of the sign-in ends it, even one used up: ending a
	// sign-in gives nobody anything.
	if rt.RevokedAt == 0 {
		if err := s.endSignIn(ctx, rt.FamilyID); err != nil {
			s.log.Error("logout: revoke family", "family", rt.FamilyID, "err", err)
			writeError(w, protocol.ErrInternal)
			return
		}
		if err := s.store.AddAudit(ctx, store.AuditEntry{Actor: rt.AgentID, Action: audit.ActionLogout, Detail: "ip=" + clientIP(r)}); err != nil {
			s.log.Warn("audit logout", "agent_id", rt.AgentID, "err", err)
		}
		s.log.Info("logout", "agent_id", rt.AgentID, "family", rt.FamilyID, "ip", clientIP(r))
	}
	writeJSON(w, http.StatusOK, LogoutResponse{Status: "signed_out"})
}

// endSignIn revokes a refresh token family and closes the live connections
// authenticated with its access tokens; hello, reauth and HTTP calls refuse
// the family's access tokens from then on (signInAccess).
func (s *Server) endSignIn(ctx context.Context, family string) error {
	if err := s.store.RevokeRefreshFamily(ctx, family, s.nowMS()); err != nil {
		return err
	}
	s.peers.Range(func(k, v any) bool {
		p := v.(*peer)
		if !p.authed.Load() || p.authFamily() != family {
			return true
		}
		s.log.Info("closing connection: sign-in ended", "agent_id", p.user.ID, "conn_id", p.id)
		p.out.Send(protocol.EncodeError("", errSignInEnded))
		k.(*hub.Conn).Close(protocol.CloseUnauthorized, "sign-in ended")
		return true
	})
	return nil
}

// pruneRefreshTokens deletes expired refresh tokens; the access sweep calls
// it now and then.
func (s *Server) pruneRefreshTokens(ctx context.Context) {
	n, err := s.store.PruneRefreshTokens(ctx, s.nowMS())
	if err != nil {
		if ctx.Err() == nil {
			s.log.Warn("prune refresh tokens", "err", err)
		}
		return
	}
	if n > 0 {
		s.log.Debug("pruned expired refresh tokens", "count", n)
	}
}
