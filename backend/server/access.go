package server

import (
	"switchboard/backend/conversation"
	"switchboard/backend/hub"
	"switchboard/backend/relay"
	"switchboard/backend/store"
	"switchboard/protocol"
)

// Hub topics. A connection subscribes to its own topics at hello; fan-out
// looks up the topics of a conversation's readers.
func topicCustomer(id string) string { return "customer:" + id }
func topicAgent(id string) string    { return "agent:" + id }

// topicTeam holds the agents and supervisors of a team: they read the
// team's queued conversations.
func topicTeam(team string) string { return "team:" + team }

// topicSupervisors holds a team's supervisors: they read all of the team's
// conversations.
func topicSupervisors(team string) string { return "supervisors:" + team }

// topicAdmins holds admins, who read everything.
const topicAdmins = "admins"

// topicStaff holds every staff connection: for what all staff read (the
// global canned responses).
const topicStaff = "staff"

func isStaff(role string) bool {
	return role == protocol.RoleAgent || role == protocol.RoleSupervisor || role == protocol.RoleAdmin
}

// userTopics are the topics a user's connections subscribe to.
func userTopics(u protocol.User) []string {
	switch u.Role {
	case protocol.RoleCustomer:
		return []string{topicCustomer(u.ID)}
	case protocol.RoleAdmin:
		return []string{topicAgent(u.ID), topicAdmins, topicStaff}
	}
	topics := []string{topicAgent(u.ID), topicStaff}
	for _, t := range u.Teams {
		topics = append(topics, topicTeam(t))
		if u.Role == protocol.RoleSupervisor {
			topics = append(topics, topicSupervisors(t))
		}
	}
	return topics
}

// canRead is the one read rule, checked on every frame: a customer reads
// their own conversations; an agent those assigned or offered to them and
// those queued in their teams; a supervisor any of their teams'; an admin all. Callers
// answer not_found when it is false, so existence does not leak.
func canRead(u protocol.User, teams map[string]bool, c store.Conversation) bool {
	switch u.Role {
	case protocol.RoleCustomer:
		return c.CustomerID == u.ID
	case protocol.RoleAgent:
		return c.AssigneeID == u.ID || c.OfferAgentID == u.ID || (c.State == conversation.Queued && teams[c.Team])
	case protocol.RoleSupervisor:
		return c.AssigneeID == u.ID || c.OfferAgentID == u.ID || (c.Team != "" && teams[c.Team])
	case protocol.RoleAdmin:
		return true
	}
	return false
}

// readerTopics are the staff topics whose connections may read c; it mirrors
// canRead. The customer's topic is separate because customers see public
// messages only.
func readerTopics(c store.Conversation) []string {
	// Room for every topic below and the customer's (messagePush): one
	// allocation a push.
	topics := make([]string, 1, 6)
	topics[0] = topicAdmins
	if c.AssigneeID != "" {
		topics = append(topics, topicAgent(c.AssigneeID))
	}
	if c.OfferAgentID != "" && c.OfferAgentID != c.AssigneeID {
		topics = append(topics, topicAgent(c.OfferAgentID))
	}
	if c.Team != "" {
		topics = append(topics, topicSupervisors(c.Team))
		if c.State == conversation.Queued {
			topics = append(topics, topicTeam(c.Team))
		}
	}
	return topics
}

// pushMessageLocked sends a stored message to every connection that may read
// it, on every node. The caller holds the conversation's lock, so pushes
// leave in seq order.
func (s *Server) pushMessageLocked(c store.Conversation, m store.Message) {
	if s.webhooks != nil {
		s.webhooks.Kick() // its outbox entry is stored: send it now
	}
	p, ok := s.messagePush(c, m)
	if !ok {
		return
	}
	s.conversationChanged(c.Team)
	if s.seqs == nil {
		s.deliver(p, nil)
		return
	}
	mu := s.lockRelay(c.ID)
	mu.Lock()
	defer mu.Unlock()
	if !s.admitLocked(s.baseCtx, c.ID, m.Seq) {
		return
	}
	s.deliver(p, nil)
	s.seqs.Delivered(c.ID, m.Seq, s.cfg.Now())
	s.publish(p)
}

// pushConversationLocked sends a conversation's new state to everyone who
// may read it now and everyone who could before (so that, say, a queue entry
// disappears from the other agents' lists when one accepts it), on every
// node. The customer gets it without what only staff see (forCustomer).
func (s *Server) pushConversationLocked(before, after store.Conversation) {
	s.conversationChanged(before.Team, after.Team)
	was := readerTopics(before)
	s.deliverConversationLocked(was, after)
	s.publish(relay.Push{Kind: relay.Conversation, Conv: after.ID, Topics: was})
}

// deliverConversationLocked sends c to this node's connections that may
// read it and those of the staff topics before (who could before a change).
func (s *Server) deliverConversationLocked(before []string, c store.Conversation) {
	pc := toProtoConversation(c)
	frame, err := protocol.Encode(protocol.TypeConversation, "", pc)
	if err != nil {
		s.log.Error("encode conversation push", "conversation_id", c.ID, "err", err)
		return
	}
	for _, conn := range s.hub.Conns(append(before, readerTopics(c)...)...) {
		if p, ok := s.peers.Load(conn); ok {
			p.(*peer).noteLiveView(c.ID, c.AssigneeID)
		}
		conn.Send(frame)
	}
	if conns := s.hub.Conns(topicCustomer(c.CustomerID)); len(conns) > 0 {
		if hasStaffFields(pc) {
			if frame, err = protocol.Encode(protocol.TypeConversation, "", forCustomer(pc)); err != nil {
				s.log.Error("encode conversation push", "conversation_id", c.ID, "err", err)
				return
			}
		}
		for _, conn := range conns {
			conn.Send(frame)
		}
	}
	// Monitors follow the conversation: those who may no longer monitor
	// it (it left the worked states or their team) stop.
	s.monitors.Seen(c)
}

// pushToReaders sends an ephemeral frame about c to everyone who may read
// it (the customer too when toCustomer) except the connection except.
// Typing goes only to other users: a user's own connections skip it.
func (s *Server) pushToReaders(c store.Conversation, typ string, data any, except *hub.Conn, toCustomer bool) {
	frame, err := protocol.Encode(typ, "", data)
	if err != nil {
		s.log.Error("encode push", "type", typ, "conversation_id", c.ID, "err", err)
		return
	}
	var from string
	if p, ok := s.peers.Load(except); ok && typ == protocol.TypeTyping {
		from = p.(*peer).user.ID
	}
	topics := readerTopics(c)
	if toCustomer {
		topics = append(topics, topicCustomer(c.CustomerID))
	}
	s.fanFrame(topics, frame, except, from)
}
