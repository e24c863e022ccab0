package app

import "sync"

// Event names emitted to the UI (runtime.EventsEmit). The frontend mirrors
// this list.
const (
	// EventConnState carries ConnState whenever the connection state changes.
	EventConnState = "conn:state"
	// EventConversation carries a protocol.Conversation that is new or changed.
	EventConversation = "conversation"
	// EventConversationRemoved carries ConversationRemoved: the server no
	// longer lists the conversation for this agent (e.g. another agent took
	// it while this one was offline).
	EventConversationRemoved = "conversation:removed"
	// EventMessage carries a protocol.Message newly stored in the cache.
	EventMessage = "message"
	// EventAck carries the protocol.AckData of a message this agent sent.
	EventAck = "ack"
	// EventSendFailed carries SendFailure: the server refused a pending
	// message for good; it was dropped from the outbox.
	EventSendFailed = "send:failed"
	// EventSessionEnded carries SessionEnded: the server rejected the token;
	// the UI returns to sign-in.
	EventSessionEnded = "session:ended"
	// EventNotificationOpen carries NotificationOpen: the agent clicked a
	// desktop notification; the UI opens its conversation.
	EventNotificationOpen = "notification:open"
	// EventUnseenMessage carries UnseenMessage: a customer message arrived
	// that the agent cannot see (another conversation is in view, or the
	// window is in the background); the UI plays its sound.
	EventUnseenMessage = "message:unseen"
	// EventUpdateAvailable carries UpdateNotice: the server approves a
	// newer desktop version than this one (app/update.go).
	EventUpdateAvailable = "update:available"
	// EventUser carries the signed-in protocol.User after an admin changed
	// their role, teams or name (the server's access push); the lists are
	// fetched again.
	EventUser = "user"
	// EventFloor carries the protocol.FloorData of the floor the supervisor
	// watches (WatchFloor): complete each time, it replaces what the UI had.
	EventFloor = "floor"
	// EventMonitor carries a protocol.MonitorState: who monitors a
	// conversation now (the agent shows "monitored by").
	EventMonitor = "monitor"
	// EventDraft carries a protocol.DraftPush: the draft of the agent of a
	// conversation the supervisor monitors.
	EventDraft = "draft"
	// EventAssist carries a protocol.AssistPush: an agent asks the
	// supervisors for help with a conversation (active), or no longer does.
	EventAssist = "assist"
	// EventStatus carries the protocol.StatusData the server set on its own
	// (away after missed offers: reason missed_offers).
	EventStatus = "status"
	// EventCannedChanged carries a protocol.CannedChange: a shared canned
	// response the user reads was saved or deleted (the "/" menu and the
	// editor update in place).
	EventCannedChanged = "canned:changed"
)

// UnseenMessage is the payload of EventUnseenMessage.
type UnseenMessage struct {
	ConversationID string `json:"conversation_id"`
	Seq            int64  `json:"seq"`
}

// NotificationOpen is the payload of EventNotificationOpen.
type NotificationOpen struct {
	ConversationID string `json:"conversation_id"`
}

// ConversationRemoved is the payload of EventConversationRemoved.
type ConversationRemoved struct {
	ConversationID string `json:"conversation_id"`
}

// SendFailure is the payload of EventSendFailed.
type SendFailure struct {
	ConversationID string `json:"conversation_id"`
	ClientMsgID    string `json:"client_msg_id"`
	Code           string `json:"code"`
	Message        string `json:"message"`
}

// SessionEnded is the payload of EventSessionEnded.
type SessionEnded struct {
	Reason string `json:"reason"` // protocol error code, e.g. token_expired
}

type event struct {
	name string
	data any
}

// emitter hands events to the Platform from a single goroutine, in the order
// emit was called, without ever blocking the caller: the connection's reader
// emits, and a slow UI must not stall it.
type emitter struct {
	p    Platform
	wake chan struct{}
	stop chan struct{}
	done chan struct{}

	// mu guards queue.
	mu    sync.Mutex
	queue []event
}

func newEmitter(p Platform) *emitter {
	e := &emitter{
		p:    p,
		wake: make(chan struct{}, 1),
		stop: make(chan struct{}),
		done: make(chan struct{}),
	}
	go e.run()
	return e
}

func (e *emitter) emit(name string, data any) {
	e.mu.Lock()
	e.queue = append(e.queue, event{name, data})
	e.mu.Unlock()
	select {
	case e.wake <- struct{}{}:
	default:
	}
}

func (e *emitter) run() {
	defer close(e.done)
	for {
		select {
		case <-e.wake:
			e.drain()
		case <-e.stop:
			e.drain()
			return
		}
	}
}

func (e *emitter) drain() {
	for {
		e.mu.Lock()
		batch := e.queue
		e.queue = nil
		e.mu.Unlock()
		if len(batch) == 0 {
			return
		}
		for _, ev := range batch {
			e.p.Emit(ev.name, ev.data)
		}
	}
}

// close emits what is queued and stops the goroutine.
func (e *emitter) close() {
	close(e.stop)
	<-e.done
}
