package server

import (
	"context"
	"encoding/json"
	"errors"
	"strings"

	"switchboard/backend/conversation"
	"switchboard/backend/floor"
	"switchboard/backend/store"
	"switchboard/backend/supervise"
	"switchboard/protocol"
)

// The floor view (package floor) is live: whatever changes a team's figures
// publishes the team on the bus (floor.Subject), and the floor watcher
// recomputes and pushes the floors of the supervisors who watch it. The
// publishing is here: conversations pushed (pushConversationLocked,
// pushMessageLocked, so routing's offers too), agents' statuses and
// presence (status.go), admin changes (changes.go) and supervision's pushes
// to a team's supervisors (monitors, assists: supervise.go).

// maxFloorConversations bounds the conversations one floor snapshot reads
// (the store's default page is far smaller than a busy floor).
const maxFloorConversations = 50_000

// floorStates are the states the floor counts.
var floorStates = []conversation.State{conversation.Queued, conversation.Active, conversation.WaitingCustomer}

// floorDirty says that team's floor changed; "" says any team's may have.
func (s *Server) floorDirty(team string) {
	s.bus.Publish(floor.Subject, []byte(team))
}

// conversationChanged says that the floors of a conversation's teams
// changed (before and after a move); conversations of no team are on no
// floor.
func (s *Server) conversationChanged(teams ...string) {
	for i, t := range teams {
		if t != "" && (i == 0 || t != teams[i-1]) {
			s.floorDirty(t)
		}
	}
}

// supervisionPushed marks the floor of a team whose supervisors package
// supervise told something (a monitor started or ended, an assist raised
// or answered): the floor shows both. Drafts change nothing on it.
func (s *Server) supervisionPushed(subject string, data []byte) {
	team, ok := strings.CutPrefix(subject, supervise.SubjectSupervisors(""))
	if !ok || team == "" {
		return
	}
	var f struct {
		Type string `json:"type"`
	}
	if json.Unmarshal(data, &f) == nil && f.Type != protocol.TypeDraft {
		s.floorDirty(team)
	}
}

// loadFloor is the floor watcher's snapshot of the server's state.
func (s *Server) loadFloor(ctx context.Context) (floor.Snapshot, error) {
	teams, err := s.store.Teams(ctx)
	if err != nil {
		return floor.Snapshot{}, err
	}
	agents, err := s.store.Agents(ctx)
	if err != nil {
		return floor.Snapshot{}, err
	}
	convs, err := s.store.ListConversations(ctx, store.ConversationFilter{States: floorStates, Limit: maxFloorConversations})
	if err != nil {
		return floor.Snapshot{}, err
	}
	for i := range convs {
		// The floor names customers as the rest of the staff's views do.
		convs[i].CustomerName = customerDisplayName(convs[i].CustomerID, convs[i].CustomerName)
	}
	if len(convs) == maxFloorConversations {
		s.log.Warn("floor: more open conversations than it counts", "counted", maxFloorConversations)
	}
	monitored := map[string]bool{}
	for _, c := range convs {
		if s.monitors.Monitored(c.ID) {
			monitored[c.ID] = true
		}
	}
	return floor.Snapshot{AllTeams: teams, Agents: agents, Status: s.agentPresence(), Conversations: convs, Monitored: monitored}, nil
}

// floor starts (watch) or stops pushing the caller's floor.
func (p *peer) floor(ctx context.Context, f protocol.Frame) *protocol.Error {
	if p.user.Role != protocol.RoleSupervisor && p.user.Role != protocol.RoleAdmin {
		return protocol.ErrForbidden.WithMessage("only supervisors and admins watch the floor")
	}
	var d protocol.FloorRequest
	if perr := protocol.DecodeData(f, &d); perr != nil {
		return perr
	}
	if !d.Watch {
		p.s.floor.Unwatch(p.id)
		p.reply(protocol.TypeFloor, f.ID, protocol.FloorData{At: p.s.nowMS(), Teams: []protocol.FloorTeam{}, Agents: []protocol.FloorAgent{}})
		return nil
	}
	// The scope is read at every recompute: an admin's change of the
	// caller's role or teams applies to the watch at once.
	scope := func() floor.Scope {
		a := p.acc.Load()
		return floor.Scope{Role: a.user.Role, Teams: a.user.Teams}
	}
	push := func(fd protocol.FloorData) {
		if b, err := protocol.Encode(protocol.TypeFloor, "", fd); err == nil {
			p.out.Send(b)
		}
	}
	err := p.s.floor.Watch(ctx, p.id, scope, func(fd protocol.FloorData) { p.reply(protocol.TypeFloor, f.ID, fd) }, push)
	switch {
	case errors.Is(err, floor.ErrForbidden):
		return protocol.ErrForbidden.WithMessage("only supervisors and admins watch the floor")
	case err != nil:
		return p.storeError("floor", err)
	}
	p.s.log.Info("floor watched", "session_id", p.id, "user_id", p.user.ID)
	return nil
}
