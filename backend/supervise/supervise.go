// Package supervise holds the rules of supervising a conversation: who may
// silently monitor it, whisper in it, join it (barge-in), take it over,
// reassign it and ask for or answer a request for help (assist), and the
// state change each of those makes. It also keeps the live monitors of
// every conversation (Registry), passes the assignee's draft to them and
// tells the conversation's staff who monitors it.
//
// It decides from typed inputs and has no transport: the server loads the
// conversation, checks that the caller may read it at all (not_found
// otherwise), asks this package, applies the returned change through the
// store and answers. Live updates leave through Publisher, to subjects that
// name staff audiences only: nothing here is ever addressed to a customer.
//
// The rules:
//
//   - Supervisors of the conversation's team, and admins, monitor, join,
//     take over and reassign it, and whisper in it.
//   - The assignee (agent or supervisor) raises and lowers assist, sends
//     drafts, and may whisper back: a whisper is how an agent answers a
//     supervisor's coaching without the customer seeing it. Other agents,
//     even of the team, do none of these.
//   - A supervisor answering assist by monitoring, joining or taking over
//     lowers it with an assist_answered event.
//   - joined, left, taken_over and reassigned are public events (the
//     customer sees who serves them); assist events are internal.
package supervise

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/google/uuid"

	"switchboard/backend/conversation"
	"switchboard/backend/store"
	"switchboard/protocol"
)

// Errors of the rules. Each error returned wraps one of them and carries a
// message for the caller.
var (
	// ErrForbidden: the caller's role or team does not allow the mode.
	ErrForbidden = errors.New("forbidden")
	// ErrIllegalState: the conversation's state (or assignee) does not
	// allow it now.
	ErrIllegalState = errors.New("illegal state")
	// ErrInvalid: the request itself is malformed.
	ErrInvalid = errors.New("invalid")
	// ErrTooLong: a text is over its limit.
	ErrTooLong = errors.New("too long")
	// ErrTargetUnavailable: a reassign's target cannot take the
	// conversation.
	ErrTargetUnavailable = errors.New("target unavailable")
)

// denial is an error of kind with a message fit for the caller.
type denial struct {
	kind error
	msg  string
}

func (d *denial) Error() string { return d.msg }
func (d *denial) Unwrap() error { return d.kind }

func deny(kind error, format string, args ...any) error {
	return &denial{kind: kind, msg: fmt.Sprintf(format, args...)}
}

// Actor is the staff member asking.
type Actor struct {
	ID    string
	Name  string
	Role  string
	Teams []string
}

// Sender is a as a message's or push's sender.
func (a Actor) Sender() protocol.Sender {
	return protocol.Sender{Role: a.Role, ID: a.ID, Name: a.Name}
}

// Supervises reports whether a supervises team: an admin every team, a
// supervisor their own.
func (a Actor) Supervises(team string) bool {
	switch a.Role {
	case protocol.RoleAdmin:
		return true
	case protocol.RoleSupervisor:
		return team != "" && slices.Contains(a.Teams, team)
	}
	return false
}

func isStaff(role string) bool {
	return role == protocol.RoleAgent || role == protocol.RoleSupervisor || role == protocol.RoleAdmin
}

// WorkedStates are the states a conversation is supervised in: waiting in
// a queue or worked by someone. Monitors and whispers are for these.
var WorkedStates = []conversation.State{conversation.Queued, conversation.Active, conversation.WaitingCustomer}

// AssignedStates are the states in which a conversation has an assignee who
// writes to the customer.
var AssignedStates = []conversation.State{conversation.Active, conversation.WaitingCustomer}

func assigned(c store.Conversation) bool { return slices.Contains(AssignedStates, c.State) }

// MayMonitor says whether a may monitor c.
func MayMonitor(a Actor, c store.Conversation) error {
	if !a.Supervises(c.Team) {
		return deny(ErrForbidden, "only supervisors of the conversation's team monitor it")
	}
	if !slices.Contains(WorkedStates, c.State) {
		return deny(ErrIllegalState, "cannot monitor a conversation that is %s", c.State)
	}
	return nil
}

// MayWhisper says whether a may whisper in c: its team's supervisors and
// admins, and its assignee, while it is queued or worked.
func MayWhisper(a Actor, c store.Conversation) error {
	if !isStaff(a.Role) {
		return deny(ErrForbidden, "customers cannot whisper")
	}
	if !a.Supervises(c.Team) && (c.AssigneeID != a.ID || c.AssigneeID == "") {
		return deny(ErrForbidden, "only the conversation's supervisors and its assignee whisper in it")
	}
	if !slices.Contains(WorkedStates, c.State) {
		return deny(ErrIllegalState, "cannot whisper while the conversation is %s", c.State)
	}
	return nil
}

// WhisperGuard is what the store must still find when a's whisper is
// appended to c: the states, and for an assignee who does not supervise
// the team, that they are still the assignee.
func WhisperGuard(a Actor, c store.Conversation) (states []conversation.State, assignee string) {
	if a.Supervises(c.Team) {
		return WorkedStates, ""
	}
	return AssignedStates, a.ID
}

// MayDraft says whether a may send drafts of c: its assignee, while it is
// worked.
func MayDraft(a Actor, c store.Conversation) error {
	if !isStaff(a.Role) {
		return deny(ErrForbidden, "only the assignee's composer has drafts")
	}
	if c.AssigneeID != a.ID {
		return deny(ErrForbidden, "only the conversation's assignee sends drafts")
	}
	if !assigned(c) {
		return deny(ErrIllegalState, "the conversation is %s", c.State)
	}
	return nil
}

// Change is what a mode does to a conversation.
type Change struct {
	// StateChange is for the store; the caller sets ConversationID, Actor
	// and, for a new assignee, the idle timer to arm.
	store.StateChange
	// None says nothing is to change (joining twice, lowering a flag that
	// is down): the caller answers with the conversation as it is.
	None bool
	// Tell are agents who lose the conversation with the change and are
	// no longer its readers: the caller passes them its event too.
	Tell []string
	// NewAssignee is set when the change gives the conversation to
	// someone.
	NewAssignee bool
}

func event(typ, reason, actor, visibility string) store.NewMessage {
	return store.NewMessage{
		ClientMsgID: uuid.NewString(),
		SenderRole:  protocol.RoleSystem,
		Kind:        protocol.KindEvent,
		Visibility:  visibility,
		Event:       &store.Event{Type: typ, Reason: reason, Actor: actor},
	}
}

// answerAssist adds to sc the lowering of c's request for help by a, if
// one is up.
func answerAssist(a Actor, c store.Conversation, sc *store.StateChange) {
	if c.AssistAt == 0 {
		return
	}
	zero := int64(0)
	sc.Assist = &zero
	sc.Then = append(sc.Then, event(protocol.EventAssistAnswered, "", a.Name, protocol.VisibilityInternal))
}

// Join is a barging in on c: a joins visibly and writes next to the
// assignee.
func Join(a Actor, c store.Conversation) (Change, error) {
	if !a.Supervises(c.Team) {
		return Change{}, deny(ErrForbidden, "only supervisors of the conversation's team join it")
	}
	if !assigned(c) {
		return Change{}, deny(ErrIllegalState, "cannot join a conversation that is %s", c.State)
	}
	if c.AssigneeID == a.ID {
		return Change{}, deny(ErrIllegalState, "the conversation is yours already")
	}
	if c.JoinedBy(a.ID) {
		return Change{None: true}, nil
	}
	sc := store.StateChange{
		Event:      conversation.Join,
		Join:       a.ID,
		KeepTimers: true,
		Message:    event(protocol.EventJoined, "", a.Name, protocol.VisibilityPublic),
	}
	answerAssist(a, c, &sc)
	return Change{StateChange: sc}, nil
}

// Leave ends a's barge-in on c.
func Leave(a Actor, c store.Conversation) (Change, error) {
	if !isStaff(a.Role) {
		return Change{}, deny(ErrForbidden, "only supervisors join and leave conversations")
	}
	if !c.JoinedBy(a.ID) {
		if !a.Supervises(c.Team) {
			return Change{}, deny(ErrForbidden, "only supervisors join and leave conversations")
		}
		return Change{None: true}, nil
	}
	return Change{StateChange: store.StateChange{
		Event:      conversation.Leave,
		Leave:      a.ID,
		KeepTimers: true,
		Message:    event(protocol.EventLeft, "", a.Name, protocol.VisibilityPublic),
	}}, nil
}

// TakeOver makes a the assignee of c, queued or worked. assigneeRole is
// the role of c's assignee, if any: a conversation a supervisor or admin
// works is not taken from them (it is reassigned, deliberately, instead),
// so of two supervisors taking over one after the other the first wins;
// and the change is conditional on c's assignee, so of two at once too.
func TakeOver(a Actor, c store.Conversation, assigneeRole string) (Change, error) {
	if !a.Supervises(c.Team) {
		return Change{}, deny(ErrForbidden, "only supervisors of the conversation's team take it over")
	}
	if !slices.Contains(WorkedStates, c.State) {
		return Change{}, deny(ErrIllegalState, "cannot take over a conversation that is %s", c.State)
	}
	if c.AssigneeID == a.ID {
		return Change{}, deny(ErrIllegalState, "the conversation is yours already")
	}
	if c.AssigneeID != "" && (assigneeRole == protocol.RoleSupervisor || assigneeRole == protocol.RoleAdmin) {
		return Change{}, deny(ErrIllegalState, "%s works the conversation already; reassign it instead", c.AssigneeName)
	}
	me, none, was := a.ID, "", c.AssigneeID
	sc := store.StateChange{
		Event:          conversation.TakeOver,
		AssigneeID:     &me,
		OfferAgentID:   &none,
		TransferFromID: &none,
		IfAssignee:     &was,
		Leave:          a.ID,
		Message:        event(protocol.EventTakenOver, c.AssigneeName, a.Name, protocol.VisibilityPublic),
	}
	answerAssist(a, c, &sc)
	ch := Change{StateChange: sc, NewAssignee: true}
	if was != "" {
		ch.Tell = []string{was}
	}
	return ch, nil
}

// Target is a reassign's agent as the caller found them.
type Target struct {
	Agent store.Agent
	// Status is the agent's routing status now (protocol.StatusOnline…).
	Status string
}

// CheckReassign checks a reassign request's form: exactly one target, a
// note within its limit.
func CheckReassign(d protocol.ReassignData) error {
	if (d.ToAgentID == "") == (d.ToTeam == "") {
		return deny(ErrInvalid, "name exactly one of to_agent_id and to_team")
	}
	if !utf8.ValidString(d.Note) {
		return deny(ErrInvalid, "note is not valid UTF-8")
	}
	if n := utf8.RuneCountInString(d.Note); n > protocol.MaxNoteRunes {
		return deny(ErrTooLong, "note has %d characters; the limit is %d", n, protocol.MaxNoteRunes)
	}
	return nil
}

func note(a Actor, text string) []store.NewMessage {
	text = strings.TrimSpace(text)
	if text == "" {
		return nil
	}
	return []store.NewMessage{{
		ClientMsgID: uuid.NewString(),
		SenderRole:  a.Role,
		SenderID:    a.ID,
		SenderName:  a.Name,
		Kind:        protocol.KindText,
		Visibility:  protocol.VisibilityInternal,
		Text:        text,
	}}
}

// ReassignToAgent gives c to t at once, without an offer: a supervisor to
// an agent of c's team, an admin to any staff member, who must not be
// offline. A supervisor's decision overrides the agent's capacity.
func ReassignToAgent(a Actor, c store.Conversation, t Target, noteText string) (Change, error) {
	if !a.Supervises(c.Team) {
		return Change{}, deny(ErrForbidden, "only supervisors of the conversation's team reassign it")
	}
	if !slices.Contains(WorkedStates, c.State) {
		return Change{}, deny(ErrIllegalState, "cannot reassign a conversation that is %s", c.State)
	}
	switch {
	case t.Agent.ID == "" || !isStaff(t.Agent.Role) || t.Agent.Disabled:
		return Change{}, deny(ErrTargetUnavailable, "there is no such agent")
	case t.Agent.ID == c.AssigneeID:
		return Change{}, deny(ErrTargetUnavailable, "the conversation is already theirs")
	case a.Role != protocol.RoleAdmin && !slices.Contains(t.Agent.Teams, c.Team):
		return Change{}, deny(ErrTargetUnavailable, "%s is not in team %s", t.Agent.Name, c.Team)
	case t.Status == protocol.StatusOffline || t.Status == "":
		return Change{}, deny(ErrTargetUnavailable, "%s is offline", t.Agent.Name)
	}
	to, none, was := t.Agent.ID, "", c.AssigneeID
	ch := Change{NewAssignee: true, StateChange: store.StateChange{
		Event:          conversation.Reassign,
		AssigneeID:     &to,
		OfferAgentID:   &none,
		TransferFromID: &none,
		IfAssignee:     &was,
		Leave:          to,
		Message:        event(protocol.EventReassigned, t.Agent.Name, a.Name, protocol.VisibilityPublic),
		Then:           note(a, noteText),
	}}
	if was != "" {
		ch.Tell = []string{was}
	}
	return ch, nil
}

// ReassignToTeam sends worked c to team's queue, as a transfer to a team
// does. known says whether the team exists.
func ReassignToTeam(a Actor, c store.Conversation, team string, known bool, noteText string) (Change, error) {
	if !a.Supervises(c.Team) {
		return Change{}, deny(ErrForbidden, "only supervisors of the conversation's team reassign it")
	}
	if !known {
		return Change{}, deny(ErrTargetUnavailable, "there is no team %q", truncate(team, 64))
	}
	if !assigned(c) {
		return Change{}, deny(ErrIllegalState, "cannot send a conversation that is %s to a team", c.State)
	}
	none, to, was := "", team, c.AssigneeID
	ch := Change{StateChange: store.StateChange{
		Event:          conversation.TransferTeam,
		Team:           &to,
		AssigneeID:     &none,
		OfferAgentID:   &none,
		TransferFromID: &none,
		IfAssignee:     &was,
		Message:        event(protocol.EventTransferred, team, a.Name, protocol.VisibilityPublic),
		Then:           note(a, noteText),
	}}
	if was != "" {
		ch.Tell = []string{was}
	}
	return ch, nil
}

// Assist raises (on) or lowers the assignee's request for help; now is
// the time, unix ms.
func Assist(a Actor, c store.Conversation, on bool, now int64) (Change, error) {
	if !isStaff(a.Role) || c.AssigneeID != a.ID {
		return Change{}, deny(ErrForbidden, "only the conversation's assignee asks for help")
	}
	if !assigned(c) {
		return Change{}, deny(ErrIllegalState, "cannot ask for help while the conversation is %s", c.State)
	}
	if on == (c.AssistAt != 0) {
		return Change{None: true}, nil
	}
	at, typ := now, protocol.EventAssistRaised
	if !on {
		at, typ = 0, protocol.EventAssistLowered
	}
	return Change{StateChange: store.StateChange{
		Event:      conversation.Assist,
		Assist:     &at,
		KeepTimers: true,
		Message:    event(typ, "", a.Name, protocol.VisibilityInternal),
	}}, nil
}

// Answer is a supervisor answering c's request for help by monitoring it:
// None when no request is up or a does not supervise c.
func Answer(a Actor, c store.Conversation) Change {
	if c.AssistAt == 0 || !a.Supervises(c.Team) || !assigned(c) {
		return Change{None: true}
	}
	zero := int64(0)
	return Change{StateChange: store.StateChange{
		Event:      conversation.Assist,
		Assist:     &zero,
		KeepTimers: true,
		Message:    event(protocol.EventAssistAnswered, "", a.Name, protocol.VisibilityInternal),
	}}
}

// AssistNotice is the push telling c's team's supervisors that its request
// for help went up or ended with a change from before to after, and
// whether there is one to send. answerer names the supervisor who answered
// it, if one did.
func AssistNotice(before, after store.Conversation, answerer string, now int64) (protocol.AssistPush, bool) {
	if (before.AssistAt == 0) == (after.AssistAt == 0) {
		return protocol.AssistPush{}, false
	}
	team := after.Team
	if team == "" {
		team = before.Team
	}
	agent := after
	if after.AssistAt == 0 {
		agent = before // the one who asked, even if the conversation moved on
	}
	return protocol.AssistPush{
		ConversationID: after.ID,
		Team:           team,
		Agent:          protocol.Sender{Role: protocol.RoleAgent, ID: agent.AssigneeID, Name: agent.AssigneeName},
		CustomerName:   after.CustomerName,
		Active:         after.AssistAt != 0,
		Answerer:       answerer,
		At:             now,
	}, true
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
