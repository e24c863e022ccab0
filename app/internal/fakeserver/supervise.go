package fakeserver

import (
	"slices"

	"switchboard/protocol"
)

// supervisionState is what the fake keeps of supervision: the floor it
// answers with, who watches it, who monitors which conversation, and the
// drafts it received.
type supervisionState struct {
	floor    protocol.FloorData
	watchers map[*client]bool
	monitors map[string][]protocol.Sender
	drafts   []protocol.DraftData
}

func isSupervisor(u protocol.User) bool {
	return u.Role == protocol.RoleSupervisor || u.Role == protocol.RoleAdmin
}

// teamsListed reports whether c is in u's ListTeams list.
func teamsListed(u protocol.User, c *protocol.Conversation) bool {
	switch c.State {
	case protocol.StateQueued, protocol.StateActive, protocol.StateWaitingCustomer:
	default:
		return false
	}
	return u.Role == protocol.RoleAdmin || u.Role == protocol.RoleSupervisor && slices.Contains(u.Teams, c.Team)
}

// SetFloor sets the floor the fake answers floor with and pushes it to
// those who watch it.
func (s *Server) SetFloor(d protocol.FloorData) {
	s.mu.Lock()
	s.sup.floor = d
	var cs []*client
	for c := range s.sup.watchers {
		cs = append(cs, c)
	}
	s.mu.Unlock()
	for _, c := range cs {
		c.send(protocol.TypeFloor, "", d)
	}
}

// Watchers counts the connections that watch the floor.
func (s *Server) Watchers() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.sup.watchers)
}

// Drafts returns the drafts received, in order.
func (s *Server) Drafts() []protocol.DraftData {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.sup.drafts)
}

// Push sends a frame to every connection, as the server's pushes do.
func (s *Server) Push(typ string, data any) {
	s.broadcast(typ, data)
}

// handleSupervision answers the frames of supervision; false for others.
func (s *Server) handleSupervision(c *client, f protocol.Frame) bool {
	me := protocol.Sender{Role: c.user.Role, ID: c.user.ID, Name: c.user.Name}
	fail := func(e *protocol.Error) { c.write(protocol.EncodeError(f.ID, e)) }
	switch f.Type {
	case protocol.TypeFloor:
		var d protocol.FloorRequest
		if perr := protocol.DecodeData(f, &d); perr != nil {
			fail(perr)
			return true
		}
		if !isSupervisor(c.user) {
			fail(protocol.ErrForbidden)
			return true
		}
		s.mu.Lock()
		if s.sup.watchers == nil {
			s.sup.watchers = map[*client]bool{}
		}
		if d.Watch {
			s.sup.watchers[c] = true
		} else {
			delete(s.sup.watchers, c)
		}
		floor := s.sup.floor
		s.mu.Unlock()
		c.send(protocol.TypeFloor, f.ID, floor)

	case protocol.TypeMonitor:
		var d protocol.MonitorData
		if perr := protocol.DecodeData(f, &d); perr != nil {
			fail(perr)
			return true
		}
		if !isSupervisor(c.user) {
			fail(protocol.ErrForbidden)
			return true
		}
		s.mu.Lock()
		if _, ok := s.convs[d.ConversationID]; !ok {
			s.mu.Unlock()
			fail(protocol.ErrNotFound)
			return true
		}
		if s.sup.monitors == nil {
			s.sup.monitors = map[string][]protocol.Sender{}
		}
		ms := slices.DeleteFunc(slices.Clone(s.sup.monitors[d.ConversationID]), func(m protocol.Sender) bool { return m.ID == me.ID })
		if d.On {
			ms = append(ms, me)
		}
		s.sup.monitors[d.ConversationID] = ms
		st := protocol.MonitorState{ConversationID: d.ConversationID, Monitors: ms}
		s.mu.Unlock()
		c.send(protocol.TypeMonitor, f.ID, st)
		s.broadcast(protocol.TypeMonitor, st)

	case protocol.TypeDraft:
		var d protocol.DraftData
		if perr := protocol.DecodeData(f, &d); perr != nil {
			fail(perr)
			return true
		}
		s.mu.Lock()
		s.sup.drafts = append(s.sup.drafts, d)
		push := protocol.DraftPush{ConversationID: d.ConversationID, Sender: me, Text: d.Text, At: s.tickLocked()}
		watching := map[string]bool{}
		for _, m := range s.sup.monitors[d.ConversationID] {
			watching[m.ID] = true
		}
		var cs []*client
		for o := range s.clients {
			if watching[o.user.ID] {
				cs = append(cs, o)
			}
		}
		s.mu.Unlock()
		for _, o := range cs {
			o.send(protocol.TypeDraft, "", push)
		}

	case protocol.TypeJoin, protocol.TypeLeave, protocol.TypeTakeOver:
		var d protocol.ConversationRef
		if perr := protocol.DecodeData(f, &d); perr != nil {
			fail(perr)
			return true
		}
		if !isSupervisor(c.user) {
			fail(protocol.ErrForbidden)
			return true
		}
		s.mu.Lock()
		conv, ok := s.convs[d.ConversationID]
		if !ok {
			s.mu.Unlock()
			fail(protocol.ErrNotFound)
			return true
		}
		var ev protocol.Event
		switch f.Type {
		case protocol.TypeJoin:
			conv.Joined = append(slices.DeleteFunc(conv.Joined, func(m protocol.Sender) bool { return m.ID == me.ID }), me)
			ev = protocol.Event{Type: protocol.EventJoined, Actor: me.Name}
		case protocol.TypeLeave:
			conv.Joined = slices.DeleteFunc(conv.Joined, func(m protocol.Sender) bool { return m.ID == me.ID })
			ev = protocol.Event{Type: protocol.EventLeft, Actor: me.Name}
		case protocol.TypeTakeOver:
			ev = protocol.Event{Type: protocol.EventTakenOver, Actor: me.Name, Reason: conv.AssigneeName}
			conv.AssigneeID, conv.AssigneeName = me.ID, me.Name
			conv.AssistAt = 0
		}
		m := s.eventLocked(conv, ev, protocol.VisibilityPublic)
		snapshot := *conv
		s.mu.Unlock()
		c.send(protocol.TypeConversation, f.ID, snapshot)
		s.broadcast(protocol.TypeMessage, m)
		s.broadcast(protocol.TypeConversation, snapshot)

	case protocol.TypeReassign:
		var d protocol.ReassignData
		if perr := protocol.DecodeData(f, &d); perr != nil {
			fail(perr)
			return true
		}
		if !isSupervisor(c.user) {
			fail(protocol.ErrForbidden)
			return true
		}
		s.mu.Lock()
		conv, ok := s.convs[d.ConversationID]
		if !ok {
			s.mu.Unlock()
			fail(protocol.ErrNotFound)
			return true
		}
		if d.ToAgentID != "" {
			to, ok := s.userByIDLocked(d.ToAgentID)
			if !ok {
				s.mu.Unlock()
				fail(protocol.ErrNotFound)
				return true
			}
			conv.AssigneeID, conv.AssigneeName = to.ID, to.Name
			if conv.State == protocol.StateQueued {
				conv.State = protocol.StateActive
			}
		} else {
			conv.State, conv.Team = protocol.StateQueued, d.ToTeam
			conv.AssigneeID, conv.AssigneeName = "", ""
		}
		clearOffer(conv)
		m := s.eventLocked(conv, protocol.Event{Type: protocol.EventReassigned, Actor: me.Name, Reason: conv.AssigneeName}, protocol.VisibilityPublic)
		snapshot := *conv
		s.mu.Unlock()
		c.send(protocol.TypeConversation, f.ID, snapshot)
		s.broadcast(protocol.TypeMessage, m)
		s.broadcast(protocol.TypeConversation, snapshot)

	case protocol.TypeAssist:
		var d protocol.AssistData
		if perr := protocol.DecodeData(f, &d); perr != nil {
			fail(perr)
			return true
		}
		s.mu.Lock()
		conv, ok := s.convs[d.ConversationID]
		if !ok || conv.AssigneeID != c.user.ID {
			s.mu.Unlock()
			fail(protocol.ErrForbidden)
			return true
		}
		now := s.tickLocked()
		conv.AssistAt = 0
		if d.On {
			conv.AssistAt = now
		}
		snapshot := *conv
		push := protocol.AssistPush{
			ConversationID: conv.ID, Team: conv.Team, Agent: me, CustomerName: conv.CustomerName, Active: d.On, At: now,
		}
		s.mu.Unlock()
		c.send(protocol.TypeConversation, f.ID, snapshot)
		s.broadcast(protocol.TypeConversation, snapshot)
		s.broadcast(protocol.TypeAssist, push)

	default:
		return false
	}
	return true
}
