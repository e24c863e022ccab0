package server

import (
	"context"

	"switchboard/backend/store"
	"switchboard/protocol"
)

// Presence is ephemeral: it is worked out from the live connections and
// pushed when it changes, never stored. A user is online while at least one
// of their connections is; the change is announced to the other
// participants of the user's open conversations — a customer's to the staff
// who can read them, an agent's to the customers of the conversations
// assigned to them. Two connections of one user opening and closing at the
// same moment may announce out of order; a client treats presence as a hint.

// userTopic is the topic holding every connection of u.
func userTopic(u protocol.User) string {
	if u.Role == protocol.RoleCustomer {
		return topicCustomer(u.ID)
	}
	return topicAgent(u.ID)
}

// online reports whether u has a live connection.
func (s *Server) online(u protocol.User) bool {
	return len(s.hub.Conns(userTopic(u))) > 0
}

// announcePresence pushes u's presence to the other participants of u's
// open conversations.
func (s *Server) announcePresence(ctx context.Context, u protocol.User, online bool) {
	filter := store.ConversationFilter{States: openStates}
	if u.Role == protocol.RoleCustomer {
		filter.CustomerID = u.ID
	} else {
		filter.AssigneeID = u.ID
	}
	convs, err := s.store.ListConversations(ctx, filter)
	if err != nil {
		s.log.Warn("presence: list conversations", "user_id", u.ID, "err", err)
		return
	}
	for _, c := range convs {
		frame, err := protocol.Encode(protocol.TypePresence, "", protocol.PresencePush{
			ConversationID: c.ID,
			User:           protocol.Sender{Role: u.Role, ID: u.ID, Name: u.Name},
			Online:         online,
		})
		if err != nil {
			s.log.Error("encode presence", "conversation_id", c.ID, "err", err)
			return
		}
		topics := readerTopics(c)
		if u.Role != protocol.RoleCustomer {
			topics = []string{topicCustomer(c.CustomerID)}
		}
		s.fanFrame(topics, frame, nil, u.ID)
	}
}
