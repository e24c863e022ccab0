package server

import (
	"context"

	"switchboard/backend/conversations"
	"switchboard/backend/store"
)

// The conversations service (package conversations) does what people do
// to conversations; the server is its transport. These are its ties to
// the server: the conversation locks, the pushes, the timers, routing, the
// bot and the audit log.

// decodePacket and encodePacket read and write a conversation's stored
// handoff packet.
var (
	decodePacket = conversations.DecodePacket
	encodePacket = conversations.EncodePacket
)

// newConversations returns the service wired to s.
func (s *Server) newConversations() *conversations.Service {
	return conversations.New(conversations.Config{
		Store:      s.store,
		Lock:       s.lockConv,
		Push:       pusher{s},
		IdleTimer:  s.idleTimer,
		CloseTimer: s.closeTimer,
		QueueTeam:  s.queueTeam,
		Answer:     s.runBot,
		Whispered:  s.auditWhisper,
		Changed:    s.kickRouter,
		Now:        s.cfg.Now,
		Log:        s.log,
	})
}

// pusher carries the service's changes to the readers, on every node.
type pusher struct{ s *Server }

func (p pusher) Message(c store.Conversation, m store.Message) { p.s.pushMessageLocked(c, m) }

func (p pusher) Conversation(before, after store.Conversation) {
	p.s.pushConversationLocked(before, after)
}

func (p pusher) Change(ctx context.Context, before, after store.Conversation, msg store.Message, then int) {
	p.s.pushChangeLocked(ctx, before, after, msg, then)
}

// actor is the connection's user as the service knows them.
func (p *peer) convActor() conversations.Actor {
	return conversations.Actor{ID: p.user.ID, Name: p.user.Name, Role: p.user.Role, Teams: p.user.Teams}
}
