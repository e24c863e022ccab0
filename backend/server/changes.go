package server

import (
	"context"
	"slices"

	"switchboard/backend/hub"
	"switchboard/backend/notice"
	"switchboard/backend/supervise"
	"switchboard/protocol"
)

// Admin changes reach open connections at once. The admin commands write
// the database and then send a change notice (package notice) to the server
// on the same data directory; the server applies it before answering:
// disabled, removed and revoked accounts lose their connections (and their
// work goes back to the queue), and everyone else's connections take their
// new role, teams and name from the next frame on, move to the topics of
// their new teams for live pushes, and are told with an access push. The
// access sweep (revoke.go) stays as a slow safety net for changes whose
// notice was lost.

// applyNotice applies one change notice.
func (s *Server) applyNotice(ctx context.Context, n notice.Notice) error {
	if n.Kind == notice.KB {
		if s.cfg.KnowledgeBaseChanged != nil {
			s.cfg.KnowledgeBaseChanged()
		}
		return nil
	}
	if n.Kind == notice.Canned {
		return s.cannedChanged(ctx, n.ID)
	}
	if n.Kind == notice.Hours {
		if err := s.reloadHours(ctx); err != nil {
			return err
		}
		// The router's pass tells queued customers whether they are
		// now within hours.
		s.kickRouter()
		return nil
	}
	s.sweepAccess(ctx)
	var ids []string
	switch n.Kind {
	case notice.Agent:
		ids = []string{n.ID}
	case notice.Team:
		// Any connected account may have been in the team.
		seen := map[string]bool{}
		s.peers.Range(func(_, v any) bool {
			p := v.(*peer)
			if a := p.acc.Load(); p.authed.Load() && a != nil && isStaff(a.user.Role) && !seen[a.user.ID] {
				seen[a.user.ID] = true
				ids = append(ids, a.user.ID)
			}
			return true
		})
	}
	for _, id := range ids {
		if err := s.applyAccess(ctx, id); err != nil {
			return err
		}
	}
	s.kickRouter()
	// A team's SLA, a capacity, a membership: any team's floor.
	s.floorDirty("")
	return nil
}

// applyAccess gives the live connections of agent id the account's current
// role, teams and name. An agent who lost a team or a role has their offers
// withdrawn: the router offers them again to whoever may now take them.
func (s *Server) applyAccess(ctx context.Context, id string) error {
	a, err := s.store.Agent(ctx, id)
	if err != nil {
		// A removed account's connections were closed by the sweep.
		return nil
	}
	now := newAccess(agentUser(a))
	lost := false
	for _, c := range s.hub.Conns(topicAgent(id)) {
		v, ok := s.peers.Load(c)
		if !ok {
			continue
		}
		p := v.(*peer)
		p.subMu.Lock()
		before := p.acc.Load()
		if before == nil || sameAccess(before.user, now.user) {
			p.subMu.Unlock()
			continue
		}
		p.acc.Store(now)
		s.resubscribe(c, userTopics(before.user), userTopics(now.user))
		p.subMu.Unlock()
		s.monitors.Reaccess(p.id, supervise.Actor{ID: now.user.ID, Name: now.user.Name, Role: now.user.Role, Teams: now.user.Teams})
		if reduced(before.user, now.user) {
			lost = true
		}
		b, err := protocol.Encode(protocol.TypeAccess, "", now.user)
		if err == nil {
			p.out.Send(b)
		}
		s.log.Info("access changed on a live connection", "agent_id", id, "conn_id", p.id, "role", now.user.Role, "teams", now.user.Teams)
	}
	if lost {
		s.withdrawOffers(ctx, id)
	}
	return nil
}

// resubscribe moves c from the topics of before to those of after.
func (s *Server) resubscribe(c *hub.Conn, before, after []string) {
	var gone []string
	for _, t := range before {
		if !slices.Contains(after, t) {
			gone = append(gone, t)
		}
	}
	s.hub.Unsubscribe(c, gone...)
	s.hub.Subscribe(c, after...)
}

func sameAccess(a, b protocol.User) bool {
	return a.Role == b.Role && a.Name == b.Name && slices.Equal(a.Teams, b.Teams)
}

// reduced reports whether after may read less than before: a lower role or
// a team fewer.
func reduced(before, after protocol.User) bool {
	rank := map[string]int{protocol.RoleAgent: 1, protocol.RoleSupervisor: 2, protocol.RoleAdmin: 3}
	if rank[after.Role] < rank[before.Role] {
		return true
	}
	for _, t := range before.Teams {
		if !slices.Contains(after.Teams, t) {
			return true
		}
	}
	return false
}
