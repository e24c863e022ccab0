// Package conversations is the service that does what people do to
// conversations — write to them, resolve, transfer, reopen — whichever way
// they ask: a WebSocket frame, an HTTP API call, an admin command. Its
// inputs are typed (who acts, on which conversation, with what), its
// errors the protocol's coded ones; it knows nothing of frames or
// connections. Package conversation is the state machine it drives through
// the store; the transport authorizes the caller first (who may read which
// conversation) and hands over the conversation it loaded.
//
// Every write keeps the order of the reliability contract: stored (the
// store allocates the seq in the write's transaction), then acknowledged
// to the caller, then pushed to the other readers, all three under the
// conversation's lock, so every reader receives a conversation's pushes in
// seq order.
package conversations

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"sync"
	"time"

	"github.com/google/uuid"

	"switchboard/backend/conversation"
	"switchboard/backend/store"
	"switchboard/backend/supervise"
	"switchboard/protocol"
)

// Actor is who does something.
type Actor struct {
	ID    string
	Name  string
	Role  string
	Teams []string
}

// IsCustomer reports whether a is the customer.
func (a Actor) IsCustomer() bool { return a.Role == protocol.RoleCustomer }

func (a Actor) supervise() supervise.Actor {
	return supervise.Actor{ID: a.ID, Name: a.Name, Role: a.Role, Teams: a.Teams}
}

// Pusher carries what the service changed to the conversations' readers.
// Each method is called with the conversation's lock held.
type Pusher interface {
	// Message pushes stored message m of c.
	Message(c store.Conversation, m store.Message)
	// Conversation pushes c's new state after (before is the state the
	// readers had, for those who could read it and no longer can).
	Conversation(before, after store.Conversation)
	// Change pushes a stored state change: the conversation, its event
	// message and the then messages stored after it.
	Change(ctx context.Context, before, after store.Conversation, msg store.Message, then int)
}

// Config is what the service works with.
type Config struct {
	Store store.Store
	// Lock returns the lock that orders conversation id's writes and
	// pushes.
	Lock func(id string) *sync.Mutex
	Push Pusher
	// IdleTimer and CloseTimer are the timers a customer's message and a
	// resolve arm.
	IdleTimer, CloseTimer func() store.Timer
	// QueueTeam is where a conversation bound for team queues (its backup
	// while it overflows).
	QueueTeam func(ctx context.Context, team string) string
	// Answer hands a customer's message to the bot while the conversation
	// is with it.
	Answer func(c store.Conversation, m store.Message, locale string)
	// Whispered records a whisper in the audit log.
	Whispered func(actor string, m store.Message)
	// Changed runs after every change: it may free capacity or queue a
	// conversation (the router looks again).
	Changed func()
	Now     func() time.Time
	Log     *slog.Logger
}

// Service does the operations. Its zero value is not usable; see New.
type Service struct {
	cfg Config
}

// New returns the service of cfg.
func New(cfg Config) *Service {
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Changed == nil {
		cfg.Changed = func() {}
	}
	return &Service{cfg: cfg}
}

// OpenStates are the states in which a customer's message belongs to the
// conversation: the bot's, the queue's and the agents'.
var OpenStates = []conversation.State{conversation.Bot, conversation.Queued, conversation.Active, conversation.WaitingCustomer}

// WorkingStates are the states in which staff write to the customer.
var WorkingStates = []conversation.State{conversation.Active, conversation.WaitingCustomer}

// SendInput is one message to store.
type SendInput struct {
	By Actor
	// Conversation is the conversation written to, as the caller loaded it
	// after checking By may read it.
	Conversation store.Conversation
	// ClientMsgID makes the send idempotent: a retry with the same id is
	// answered with the stored message.
	ClientMsgID string
	Kind        string
	Visibility  string
	Text        string
	Attachment  *store.Attachment
	Card        *store.Card
	Ext         map[string]string
	// Locale is the customer's language, for the bot's answer.
	Locale string
}

// Send stores a message, calls ack with the result (before anyone else
// hears of it), then pushes it. A customer writing to a resolved
// conversation reopens it; writing while waited for makes it active again.
// The state rules are the store's guards, not checks here, so that a retry
// of a stored message is answered with its ack even after the conversation
// moved on.
func (s *Service) Send(ctx context.Context, in SendInput, ack func(store.AppendResult)) (store.AppendResult, *protocol.Error) {
	conv, by := in.Conversation, in.By
	nm := store.NewMessage{
		ConversationID: conv.ID,
		ClientMsgID:    in.ClientMsgID,
		SenderRole:     by.Role,
		SenderID:       by.ID,
		SenderName:     by.Name,
		Kind:           in.Kind,
		Visibility:     in.Visibility,
		Text:           in.Text,
		Attachment:     in.Attachment,
		Card:           in.Card,
		Ext:            in.Ext,
	}
	switch {
	case in.Visibility == protocol.VisibilityWhisper:
		// A whisper goes to the conversation's staff only: its team's
		// supervisors and its assignee write them (package supervise). The
		// state is left to the store's guard, as for other messages.
		if err := supervise.MayWhisper(by.supervise(), conv); err != nil && !errors.Is(err, supervise.ErrIllegalState) {
			return store.AppendResult{}, SuperviseError(err)
		}
		nm.States, nm.Assignee = supervise.WhisperGuard(by.supervise(), conv)
	case by.IsCustomer():
		nm.States = OpenStates
		// A customer message starts the idle wait again (only an active
		// conversation has an idle timer to postpone).
		idle := s.cfg.IdleTimer()
		nm.Postpone = &idle
		// Writing while waited for makes the conversation active again, in
		// the transaction that stores the message.
		nm.Change = store.ChangeOn{Event: conversation.CustomerReply, Make: resumedBy}
	default:
		nm.States = WorkingStates
		nm.Assignee = by.ID
	}

	mu := s.cfg.Lock(conv.ID)
	mu.Lock()
	res, err := s.cfg.Store.AppendMessage(ctx, nm)
	if errors.Is(err, store.ErrIllegalState) && by.IsCustomer() {
		// Writing to a resolved conversation reopens it, and the message
		// goes in after the reopened event. A retry of a message stored
		// before the resolve never gets here: duplicates are answered first.
		if perr := s.reopenLocked(ctx, by, conv.ID); perr != nil {
			mu.Unlock()
			return res, perr
		}
		res, err = s.cfg.Store.AppendMessage(ctx, nm)
	}
	if err != nil {
		mu.Unlock()
		if errors.Is(err, store.ErrIllegalState) && !by.IsCustomer() {
			return res, s.whyNotWritable(ctx, by, conv.ID)
		}
		if errors.Is(err, store.ErrIllegalState) {
			return res, protocol.ErrIllegalState.WithMessage("the conversation is closed; open a new one")
		}
		return res, s.storeError("append message", err)
	}
	ack(res)
	if !res.Duplicate {
		if res.Message.Visibility == protocol.VisibilityWhisper && s.cfg.Whispered != nil {
			s.cfg.Whispered(by.ID, res.Message)
		}
		s.cfg.Push.Message(res.Conversation, res.Message)
		if res.Changed != nil {
			s.cfg.Push.Conversation(res.Conversation, res.Conversation)
			s.cfg.Push.Message(res.Conversation, *res.Changed)
		}
	}
	mu.Unlock()

	// A resend of the newest message of a conversation still with the bot
	// was acknowledged before a crash but never answered: answer it now.
	// What the bot writes has ids derived from the message's, so answering
	// twice stores nothing twice.
	unanswered := !res.Duplicate || res.Message.Seq == res.Conversation.LastSeq
	if by.IsCustomer() && unanswered && res.Conversation.State == conversation.Bot && s.cfg.Answer != nil {
		s.cfg.Answer(res.Conversation, res.Message, in.Locale)
	}
	return res, nil
}

// whyNotWritable tells a staff member why their message was refused: the
// conversation is someone else's (forbidden) or not in a state that takes
// replies (illegal_transition).
func (s *Service) whyNotWritable(ctx context.Context, by Actor, id string) *protocol.Error {
	c, err := s.cfg.Store.Conversation(ctx, id)
	if err != nil {
		return s.storeError("load conversation", err)
	}
	working := c.State == conversation.Active || c.State == conversation.WaitingCustomer
	if working && c.AssigneeID != by.ID && !c.JoinedBy(by.ID) {
		if supervise.MayWhisper(by.supervise(), c) == nil {
			return protocol.ErrForbidden.WithMessage("the conversation is assigned to someone else: join it to write to the customer, or whisper")
		}
		return protocol.ErrForbidden.WithMessage("the conversation is assigned to someone else")
	}
	return protocol.ErrIllegalState.WithMessage("cannot reply while the conversation is %s", c.State)
}

// Change applies a state change someone asked for: store it (the store's
// conditional update decides races), call reply with the new conversation,
// then push the change and its event message.
func (s *Service) Change(ctx context.Context, by Actor, before store.Conversation, sc store.StateChange, reply func(store.Conversation)) *protocol.Error {
	sc.ConversationID = before.ID
	sc.Actor = by.ID
	mu := s.cfg.Lock(before.ID)
	mu.Lock()
	defer mu.Unlock()
	after, msg, err := s.cfg.Store.ChangeState(ctx, sc)
	if errors.Is(err, store.ErrIllegalState) {
		cur, _ := s.cfg.Store.Conversation(ctx, before.ID)
		return protocol.ErrIllegalState.WithMessage("cannot %s a conversation that is %s", sc.Event, cur.State)
	}
	if errors.Is(err, store.ErrLimit) && sc.Capacity != nil {
		return protocol.ErrAtCapacity.WithMessage("the agent has no room for another conversation (capacity %d)", sc.Capacity.Max)
	}
	if err != nil {
		return s.storeError(string(sc.Event), err)
	}
	s.cfg.Log.Info("conversation "+string(sc.Event), "conversation_id", after.ID, "user_id", by.ID,
		"from", string(before.State), "to", string(after.State))
	reply(after)
	s.cfg.Push.Change(ctx, before, after, msg, len(sc.Then))
	s.cfg.Changed()
	return nil
}

// Resolve resolves a conversation for a staff member: an agent only their
// own while it is worked.
func (s *Service) Resolve(ctx context.Context, by Actor, before store.Conversation, reply func(store.Conversation)) *protocol.Error {
	working := before.State == conversation.Active || before.State == conversation.WaitingCustomer
	if working && by.Role == protocol.RoleAgent && before.AssigneeID != by.ID {
		return protocol.ErrForbidden.WithMessage("the conversation is assigned to someone else")
	}
	none := ""
	return s.Change(ctx, by, before, store.StateChange{
		Event:          conversation.Resolve,
		Message:        EventMessage(by, protocol.EventResolved, ""),
		Arm:            []store.Timer{s.cfg.CloseTimer()},
		OfferAgentID:   &none, // a transfer asked for is off
		TransferFromID: &none,
	}, reply)
}

// reopenLocked reopens the customer's resolved conversation id, back to
// the queue of its team when an agent had it, else to the bot. It answers
// the error for the customer when the conversation cannot take messages.
// The caller holds the conversation's lock.
func (s *Service) reopenLocked(ctx context.Context, by Actor, id string) *protocol.Error {
	before, err := s.cfg.Store.Conversation(ctx, id)
	if err != nil {
		return s.storeError("load conversation", err)
	}
	if before.State != conversation.Resolved {
		return protocol.ErrIllegalState.WithMessage("the conversation is closed; open a new one")
	}
	sc := store.StateChange{
		ConversationID: id,
		Event:          conversation.ReopenBot,
		Message:        SystemEvent(protocol.EventReopened, "", by.Name),
		Actor:          by.ID,
	}
	if before.AssigneeID != "" {
		// Back to the queue of the team, for whoever accepts it next: first
		// offered to the agent who had it.
		none := ""
		team := s.cfg.QueueTeam(ctx, before.Team)
		sc.Event, sc.AssigneeID, sc.Team = conversation.Reopen, &none, &team
		packet := protocol.HandoffPacket{}
		if old := DecodePacket(before.Packet); old != nil {
			packet = *old
		}
		packet.Trigger, packet.Reason, packet.At = protocol.TriggerReopened, "", s.cfg.Now().UnixMilli()
		packet.PreviousAgentID, packet.PreviousAgentName = before.AssigneeID, before.AssigneeName
		sc.Packet = EncodePacket(packet)
	}
	after, msg, err := s.cfg.Store.ChangeState(ctx, sc)
	switch {
	case errors.Is(err, store.ErrConflict):
		return protocol.ErrIllegalState.WithMessage("you have a newer conversation; write there")
	case errors.Is(err, store.ErrIllegalState):
		return protocol.ErrIllegalState.WithMessage("the conversation is closed; open a new one")
	case err != nil:
		return s.storeError("reopen", err)
	}
	s.cfg.Log.Info("conversation "+string(sc.Event), "conversation_id", id, "to", string(after.State))
	s.cfg.Push.Conversation(before, after)
	s.cfg.Push.Message(after, msg)
	s.cfg.Changed()
	return nil
}

// storeError turns a store error into what the caller may see; anything
// unexpected is logged and becomes internal.
func (s *Service) storeError(op string, err error) *protocol.Error {
	switch {
	case errors.Is(err, store.ErrNotFound):
		return protocol.ErrNotFound
	case errors.Is(err, store.ErrIllegalState):
		return protocol.ErrIllegalState
	case errors.Is(err, store.ErrConflict):
		return protocol.ErrConflict
	}
	s.cfg.Log.Error(op, "err", err)
	return protocol.ErrInternal
}

// SuperviseError is the coded error of a refusal of package supervise.
func SuperviseError(err error) *protocol.Error {
	switch {
	case errors.Is(err, supervise.ErrForbidden):
		return protocol.ErrForbidden.WithMessage("%v", err)
	case errors.Is(err, supervise.ErrIllegalState):
		return protocol.ErrIllegalState.WithMessage("%v", err)
	case errors.Is(err, supervise.ErrTooLong):
		return protocol.ErrTextTooLong.WithMessage("%v", err)
	case errors.Is(err, supervise.ErrTargetUnavailable):
		return protocol.ErrTargetUnavailable.WithMessage("%v", err)
	}
	return protocol.ErrInvalid.WithMessage("%v", err)
}

// DecodePacket parses a conversation's stored handoff packet; nil when it
// has none (or it does not parse).
func DecodePacket(raw string) *protocol.HandoffPacket {
	if raw == "" {
		return nil
	}
	var p protocol.HandoffPacket
	if json.Unmarshal([]byte(raw), &p) != nil {
		return nil
	}
	return &p
}

// EncodePacket is the stored form of p, for a StateChange.
func EncodePacket(p protocol.HandoffPacket) *string {
	b, err := json.Marshal(p)
	if err != nil {
		return nil
	}
	s := string(b)
	return &s
}

// EventMessage is the event message of a change by.
func EventMessage(by Actor, typ, reason string) store.NewMessage {
	return store.NewMessage{
		ClientMsgID: uuid.Must(uuid.NewV7()).String(),
		SenderRole:  protocol.RoleSystem,
		Kind:        protocol.KindEvent,
		Visibility:  protocol.VisibilityPublic,
		Event:       &store.Event{Type: typ, Reason: reason, Actor: by.Name},
	}
}

// resumedBy is the change a customer's message nm makes to a conversation
// waiting for them: active again, its idle timer armed as nm postpones it.
func resumedBy(nm store.NewMessage) store.StateChange {
	return store.StateChange{
		Message: SystemEvent(protocol.EventResumed, "", nm.SenderName),
		Actor:   nm.SenderID,
		Arm:     []store.Timer{*nm.Postpone},
	}
}

// SystemEvent is an event message the server writes on its own account
// (actor names who caused it, if anyone).
func SystemEvent(typ, reason, actor string) store.NewMessage {
	return store.NewMessage{
		ClientMsgID: uuid.Must(uuid.NewV7()).String(),
		SenderRole:  protocol.RoleSystem,
		Kind:        protocol.KindEvent,
		Visibility:  protocol.VisibilityPublic,
		Event:       &store.Event{Type: typ, Reason: reason, Actor: actor},
	}
}
