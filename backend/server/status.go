package server

import (
	"context"
	"time"

	"switchboard/backend/store"
	"switchboard/protocol"
)

// Agent status is ephemeral, like presence: it lives in this server's
// memory and ends with the agent's last connection. A connecting agent
// starts online, so a client that never sends status is routed to as
// before; one who set away keeps it while any of their connections lives.

// agentStatus returns the routing status of agent id: offline unless the
// agent has a live connection.
func (s *Server) agentStatus(id string) string {
	s.statusMu.Lock()
	defer s.statusMu.Unlock()
	if st, ok := s.statuses[id]; ok {
		return st
	}
	return protocol.StatusOffline
}

// agentConnected marks agent id online unless a connection of theirs has
// already set a status.
func (s *Server) agentConnected(id string) {
	s.statusMu.Lock()
	defer s.statusMu.Unlock()
	if _, ok := s.statuses[id]; !ok {
		s.statuses[id] = protocol.StatusOnline
		s.kickRouter()
	}
}

// agentDisconnected forgets the status of u once u has no live connection.
// The check runs under statusMu so a connection arriving meanwhile is
// either counted (status kept) or marks the agent online again after.
//
// An agent who goes offline holds no offer: theirs are withdrawn once they
// have stayed away for OfflineGrace, so that an app reconnecting after a
// blip (or opening a new connection as it signs in) keeps its offers.
func (s *Server) agentDisconnected(u protocol.User) {
	s.statusMu.Lock()
	gone := !s.online(u)
	if gone {
		delete(s.statuses, u.ID)
	}
	s.statusMu.Unlock()
	// A server shutting down keeps the offers: the agents reconnect (to it
	// or another node) and find them still there.
	if !gone || s.baseCtx.Err() != nil || s.shuttingDown.Load() {
		return
	}
	time.AfterFunc(s.cfg.OfflineGrace, func() {
		if s.baseCtx.Err() != nil || s.shuttingDown.Load() || s.online(u) {
			return
		}
		s.withdrawOffers(context.WithoutCancel(s.baseCtx), u.ID)
	})
}

// setAgentStatus stores status for agent id. Coming online wakes the
// router; going away or offline withdraws the agent's offers.
func (s *Server) setAgentStatus(ctx context.Context, id, status string) {
	s.statusMu.Lock()
	s.statuses[id] = status
	s.statusMu.Unlock()
	if status == protocol.StatusOnline {
		s.kickRouter()
		return
	}
	s.withdrawOffers(ctx, id)
}

// agentLoad is what agent id's capacity is measured against: the
// conversations assigned to them in a working state plus the offers they
// hold (each of which may become one).
func (s *Server) agentLoad(ctx context.Context, id string) (int, error) {
	if id == "" {
		return 0, nil
	}
	cs, err := s.store.ListConversations(ctx, store.ConversationFilter{AssigneeID: id, States: workingStates})
	if err != nil {
		return 0, err
	}
	offers, err := s.store.ListConversations(ctx, store.ConversationFilter{OfferAgentID: id})
	if err != nil {
		return 0, err
	}
	n := len(cs)
	for _, o := range offers {
		if o.AssigneeID != id {
			n++
		}
	}
	return n, nil
}

func validStatus(st string) bool {
	switch st {
	case protocol.StatusOnline, protocol.StatusAway, protocol.StatusOffline:
		return true
	}
	return false
}

// status sets the caller's routing status and answers with it.
func (p *peer) status(ctx context.Context, f protocol.Frame) *protocol.Error {
	if !isStaff(p.user.Role) {
		return protocol.ErrForbidden.WithMessage("only agents have a routing status")
	}
	var d protocol.StatusData
	if perr := protocol.DecodeData(f, &d); perr != nil {
		return perr
	}
	if !validStatus(d.Status) {
		return protocol.ErrInvalid.WithMessage("status must be online, away or offline")
	}
	p.s.setAgentStatus(ctx, p.user.ID, d.Status)
	p.s.log.Info("agent status", "session_id", p.id, "agent_id", p.user.ID, "status", d.Status)
	p.reply(protocol.TypeStatus, f.ID, protocol.StatusData{Status: d.Status})
	return nil
}
