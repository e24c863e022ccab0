package server

import (
	"context"
	"errors"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"switchboard/backend/identity"
	"switchboard/backend/store"
)

// Customer identity. A site's backend signs an identity token for its
// signed-in user; POST /api/v1/visitor verifies it (identity.Verifier) and
// makes the visitor that user: one customer id per site user, whatever the
// device, with the fields the token vouches for stored as the customer's
// verified fields. Conversations carry them apart from the fields the page
// passes: only verified fields set the queue priority and reach the bot as
// such (a VIP handoff needs a verified vip), and agents see which is which.

// refreshVerified brings the customer's open conversation, if any, to the
// verified fields just vouched for, and tells its readers.
func (s *Server) refreshVerified(ctx context.Context, customerID string, fields map[string]string) error {
	conv, err := s.store.OpenConversationOf(ctx, customerID)
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	_, err = s.setVerified(ctx, conv, fields)
	return err
}

// setVerified replaces conv's verified fields when they differ from fields,
// pushes the change to its readers and returns the conversation after.
func (s *Server) setVerified(ctx context.Context, conv store.Conversation, fields map[string]string) (store.Conversation, error) {
	if maps.Equal(conv.Verified, fields) || (len(conv.Verified) == 0 && len(fields) == 0) {
		return conv, nil
	}
	mu := s.lockConv(conv.ID)
	mu.Lock()
	defer mu.Unlock()
	after, err := s.store.SetVerified(ctx, conv.ID, fields)
	if err != nil {
		return conv, err
	}
	s.pushConversationLocked(conv, after)
	s.kickRouter()
	return after, nil
}

// originAllowed reports whether a browser request's Origin may use the
// visitor endpoints and the WebSocket: any origin when no site names one;
// otherwise a site's origin, or the server's own (its demo page). Requests
// without an Origin header come from programs, not pages: a browser always
// sends one on cross-origin requests and WebSocket handshakes, and a
// program can send any header it likes, so refusing them protects nothing.
func (s *Server) originAllowed(r *http.Request) bool {
	origin := r.Header.Get("Origin")
	allowed := s.cfg.Identity.Origins()
	if origin == "" || len(allowed) == 0 {
		return true
	}
	o, err := identity.NormalizeOrigin(origin)
	if err != nil {
		return false
	}
	if u, err := url.Parse(o); err == nil && strings.EqualFold(u.Host, r.Host) {
		return true
	}
	_, found := slices.BinarySearch(allowed, o)
	return found
}
