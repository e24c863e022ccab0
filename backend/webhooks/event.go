// Package webhooks tells other systems what happens in Switchboard: every
// change of a conversation and every message becomes an event, delivered
// at least once to each endpoint that asked for its type, signed, retried
// with exponential back-off and jitter, and in order per conversation per
// endpoint.
//
// Each event comes from one stored message (a state change is stored as an
// event message), so it has the conversation's seq and a stable id derived
// from the conversation and the seq: a receiver that gets an event twice
// sees the same id.
package webhooks

import (
	"fmt"
	"slices"

	"switchboard/protocol"
)

// Event types.
const (
	ConversationCreated     = "conversation.created"
	ConversationHandedOver  = "conversation.handed_over"
	ConversationOffered     = "conversation.offered"
	ConversationAccepted    = "conversation.accepted"
	ConversationTransferred = "conversation.transferred"
	ConversationResolved    = "conversation.resolved"
	ConversationReopened    = "conversation.reopened"
	ConversationRated       = "conversation.rated"
	ConversationClosed      = "conversation.closed"
	MessageCreated          = "message.created"
)

// Types lists every event type, in documentation order.
func Types() []string {
	return []string{
		ConversationCreated, ConversationHandedOver, ConversationOffered,
		ConversationAccepted, ConversationTransferred, ConversationResolved,
		ConversationReopened, ConversationRated, ConversationClosed,
		MessageCreated,
	}
}

// eventTypes maps a conversation event message's type to its event type.
// Event messages of other types (offer expiries, declines, card actions,
// supervision) are not sent as conversation events.
var eventTypes = map[string]string{
	protocol.EventOpened:           ConversationCreated,
	protocol.EventHandoff:          ConversationHandedOver,
	protocol.EventOffered:          ConversationOffered,
	protocol.EventAssigned:         ConversationAccepted,
	protocol.EventTransferAccepted: ConversationAccepted,
	protocol.EventTakenOver:        ConversationAccepted,
	protocol.EventReassigned:       ConversationAccepted,
	protocol.EventTransferred:      ConversationTransferred,
	protocol.EventResolved:         ConversationResolved,
	protocol.EventReopened:         ConversationReopened,
	protocol.EventRated:            ConversationRated,
	protocol.EventClosed:           ConversationClosed,
}

// TypeOf returns the event type of a stored message, and false when the
// message is not sent as an event.
func TypeOf(kind, eventType string) (string, bool) {
	if kind == protocol.KindEvent {
		t, ok := eventTypes[eventType]
		return t, ok
	}
	return MessageCreated, true
}

// Event is what an endpoint receives, as the JSON body of one POST.
type Event struct {
	// ID is stable across every attempt and every endpoint: the
	// conversation id and seq.
	ID             string `json:"id"`
	Type           string `json:"type"`
	ConversationID string `json:"conversation_id"`
	Seq            int64  `json:"seq"`
	At             int64  `json:"at"` // unix milliseconds, when it happened
	// Message is the stored message the event comes from: for a
	// conversation event, its event message (Event says from and to which
	// state, and why).
	Message protocol.Message `json:"message"`
}

// EventID is the id of the event of a conversation's message seq.
func EventID(conversationID string, seq int64) string {
	return fmt.Sprintf("%s:%d", conversationID, seq)
}

// NewEvent returns the event of a stored message, and false when the
// message is not sent as an event.
func NewEvent(m protocol.Message) (Event, bool) {
	et := ""
	if m.Event != nil {
		et = m.Event.Type
	}
	t, ok := TypeOf(m.Kind, et)
	if !ok {
		return Event{}, false
	}
	return Event{
		ID:             EventID(m.ConversationID, m.Seq),
		Type:           t,
		ConversationID: m.ConversationID,
		Seq:            m.Seq,
		At:             m.CreatedAt,
		Message:        m,
	}, true
}

// Subscription is what an endpoint asked for.
type Subscription struct {
	// Events are the event types it wants; empty or "*" means all.
	Events []string
	// Private also sends messages customers never see: internal notes and
	// whispers. Without it only public messages are sent.
	Private bool
}

// Wants says whether an endpoint subscribed so receives an event of type
// typ about a message of visibility. Conversation events go whatever their
// message's visibility (an offer is an internal event message, but not a
// secret from the company's own systems); only messages are filtered.
func (s Subscription) Wants(typ, visibility string) bool {
	if typ == MessageCreated && visibility != protocol.VisibilityPublic && !s.Private {
		return false
	}
	return len(s.Events) == 0 || slices.Contains(s.Events, "*") || slices.Contains(s.Events, typ)
}

// ValidType says whether t is an event type or "*".
func ValidType(t string) bool { return t == "*" || slices.Contains(Types(), t) }
