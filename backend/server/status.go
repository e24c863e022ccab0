package server

import (
	"context"
	"time"

	"switchboard/backend/floor"
	"switchboard/protocol"
)

// Agent status is ephemeral, like presence: it lives in this server's
// memory and ends with the agent's last connection. A connecting agent
// starts online, so a client that never sends status is routed to as
// before; one who set away keeps it while any of their connections lives.
// Beside it the server keeps, for the floor, when it last changed (going
// offline included) and the offers the agent let expire since they last
// came online; too many in a row set them away (offerMissed).

// agentState is what the server knows of an agent's routing status.
type agentState struct {
	// live is set while the agent has a connection; status is meaningful
	// only then (else they are offline).
	live   bool
	status string
	// since is when status last changed (unix ms).
	since int64
	// missed counts the offers that expired unanswered since the agent
	// last came online; streak those in a row, ended by answering one.
	missed, streak int
	// autoAway is set while the agent is away because they missed
	// MissedOffersAway offers in a row.
	autoAway bool
}

// setLocked moves st to status at now. The caller holds statusMu.
func (st *agentState) setLocked(status string, now int64) {
	if st.status != status || st.since == 0 {
		st.since = now
	}
	if status == protocol.StatusOnline && st.status != protocol.StatusOnline {
		st.missed, st.streak = 0, 0
	}
	if status != protocol.StatusAway {
		st.autoAway = false
	}
	st.status = status
}

// agentStatus returns the routing status of agent id: offline unless the
// agent has a live connection.
func (s *Server) agentStatus(id string) string {
	if m := s.clusterPresence(); m != nil {
		if e, ok := m[id]; ok && e.Live {
			return e.Status
		}
		return protocol.StatusOffline
	}
	s.statusMu.Lock()
	defer s.statusMu.Unlock()
	if st, ok := s.statuses[id]; ok && st.live {
		return st.status
	}
	return protocol.StatusOffline
}

// agentPresence returns the status of every agent the server has seen since
// it started; the others are offline since an unknown time.
func (s *Server) agentPresence() map[string]floor.AgentStatus {
	if m := s.clusterPresence(); m != nil {
		out := make(map[string]floor.AgentStatus, len(m))
		for id, e := range m {
			out[id] = floor.AgentStatus{Status: e.Status, Since: e.Since, Missed: e.Missed, AutoAway: e.AutoAway}
		}
		return out
	}
	s.statusMu.Lock()
	defer s.statusMu.Unlock()
	out := make(map[string]floor.AgentStatus, len(s.statuses))
	for id, st := range s.statuses {
		p := floor.AgentStatus{Status: protocol.StatusOffline, Since: st.since, Missed: st.missed}
		if st.live {
			p.Status, p.AutoAway = st.status, st.autoAway
		}
		out[id] = p
	}
	return out
}

// agentConnected marks agent id online unless a connection of theirs has
// already set a status.
func (s *Server) agentConnected(id string) {
	s.statusMu.Lock()
	st, ok := s.statuses[id]
	if !ok {
		st = &agentState{status: protocol.StatusOffline}
		s.statuses[id] = st
	}
	came := !st.live
	if came {
		st.live = true
		st.setLocked(protocol.StatusOnline, s.nowMS())
	}
	s.statusMu.Unlock()
	if came {
		s.presenceChanged()
		s.kickRouter()
		s.floorDirty("")
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
	if st, ok := s.statuses[u.ID]; gone && ok && st.live {
		st.live = false
		st.setLocked(protocol.StatusOffline, s.nowMS())
	}
	s.statusMu.Unlock()
	// A server shutting down keeps the offers: the agents reconnect (to it
	// or another node) and find them still there.
	if !gone || s.baseCtx.Err() != nil || s.shuttingDown.Load() {
		return
	}
	s.presenceChanged()
	s.floorDirty("")
	time.AfterFunc(s.cfg.OfflineGrace, func() {
		if s.baseCtx.Err() != nil || s.shuttingDown.Load() || s.online(u) || s.liveElsewhere(u.ID) {
			return
		}
		s.withdrawOffers(context.WithoutCancel(s.baseCtx), u.ID)
	})
}

// setAgentStatus stores status for agent id. Coming online wakes the
// router; going away or offline withdraws the agent's offers.
func (s *Server) setAgentStatus(ctx context.Context, id, status string) {
	s.statusMu.Lock()
	st, ok := s.statuses[id]
	if !ok {
		st = &agentState{live: true}
		s.statuses[id] = st
	}
	st.setLocked(status, s.nowMS())
	s.statusMu.Unlock()
	s.presenceChanged()
	s.floorDirty("")
	if status == protocol.StatusOnline {
		s.kickRouter()
		return
	}
	s.withdrawOffers(ctx, id)
}

// offerMissedHere counts an offer to agent id that expired unanswered, if
// they are connected here. After MissedOffersAway in a row the agent is set
// away, so that routing stops offering to someone who is not there, and
// their connections here are told why.
func (s *Server) offerMissedHere(ctx context.Context, id string) {
	s.statusMu.Lock()
	st, ok := s.statuses[id]
	away := false
	if ok {
		st.missed++
		st.streak++
		limit := s.cfg.MissedOffersAway
		if limit > 0 && st.streak >= limit && st.live && st.status == protocol.StatusOnline {
			st.setLocked(protocol.StatusAway, s.nowMS())
			st.autoAway, st.streak = true, 0
			away = true
		}
	}
	s.statusMu.Unlock()
	if !ok {
		return
	}
	s.presenceChanged()
	s.floorDirty("")
	if !away {
		return
	}
	s.log.Info("agent set away after missed offers", "agent_id", id, "missed", s.cfg.MissedOffersAway)
	if frame, err := protocol.Encode(protocol.TypeStatus, "", protocol.StatusData{
		Status: protocol.StatusAway, Reason: protocol.StatusReasonMissedOffers,
	}); err == nil {
		for _, c := range s.hub.Conns(topicAgent(id)) {
			c.Send(frame)
		}
	}
	s.withdrawOffers(ctx, id)
}

// offerAnsweredHere ends agent id's run of missed offers here: they
// accepted or declined one.
func (s *Server) offerAnsweredHere(id string) {
	s.statusMu.Lock()
	if st, ok := s.statuses[id]; ok {
		st.streak = 0
	}
	s.statusMu.Unlock()
}

// agentLoad is what agent id's capacity is measured against: the
// conversations assigned to them in a working state plus the offers they
// hold (each of which may become one).
func (s *Server) agentLoad(ctx context.Context, id string) (int, error) {
	if id == "" {
		return 0, nil
	}
	return s.store.AgentLoad(ctx, id, workingStates)
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
