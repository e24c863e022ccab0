// Package conversation holds the conversation state machine: the typed states a
// conversation moves through and the one function that decides every move.
//
// Every layer that changes a conversation's state asks Transition first; the
// store applies the answer with a conditional update, so a move decided on a
// stale read loses instead of overwriting a newer state.
package conversation

import (
	"errors"
	"fmt"

	"switchboard/protocol"
)

// State is a conversation's state. The values are the wire values of
// protocol.State*.
type State string

// States of a conversation.
const (
	// None is the state before a conversation exists.
	None            State = ""
	Bot             State = protocol.StateBot
	Queued          State = protocol.StateQueued
	Active          State = protocol.StateActive
	WaitingCustomer State = protocol.StateWaitingCustomer
	Resolved        State = protocol.StateResolved
	Closed          State = protocol.StateClosed
)

// Open reports whether a conversation in state s is still going on: the
// customer's next message belongs to it rather than to a new conversation.
func (s State) Open() bool {
	switch s {
	case Bot, Queued, Active, WaitingCustomer:
		return true
	}
	return false
}

// Valid reports whether s is one of the named states other than None.
func (s State) Valid() bool {
	switch s {
	case Bot, Queued, Active, WaitingCustomer, Resolved, Closed:
		return true
	}
	return false
}

// Event is something that happens to a conversation and may move it to
// another state.
type Event string

// Events of a conversation.
const (
	// Open is the customer starting a conversation.
	Open Event = "open"
	// Handoff is the bot (or its failure) passing the conversation to people.
	Handoff Event = "handoff"
	// Accept is an agent taking a queued conversation.
	Accept Event = "accept"
	// AgentReply is the assignee writing to the customer; it keeps the
	// conversation active.
	AgentReply Event = "agent_reply"
	// IdleTimeout is the idle timer firing: the customer has not written for
	// a while, so the conversation waits for them.
	IdleTimeout Event = "idle_timeout"
	// CustomerReply is the customer writing again while waited for.
	CustomerReply Event = "customer_reply"
	// AutoResolve is the waiting timer firing: the customer never came back.
	AutoResolve Event = "auto_resolve"
	// Resolve is the agent closing the matter.
	Resolve Event = "resolve"
	// Close is the close timer firing: the rating window is over and the
	// conversation can no longer be reopened.
	Close Event = "close"
	// Reopen is the customer writing to a resolved conversation an agent had:
	// it goes back to the queue of its team.
	Reopen Event = "reopen"
	// ReopenBot is the customer writing to a resolved conversation no agent
	// had: it goes back to the bot.
	ReopenBot Event = "reopen_bot"
	// TransferTeam is the assignee sending the conversation back to a team's
	// queue.
	TransferTeam Event = "transfer_team"
	// OfferTimeout is an offer to an agent expiring unanswered; the
	// conversation stays queued for the next agent.
	OfferTimeout Event = "offer_timeout"
	// Decline is an agent refusing an offer; the conversation stays queued.
	Decline Event = "decline"
	// HandBack is the assignee giving the conversation back to the bot.
	HandBack Event = "hand_back"
	// Offer is the conversation being offered to one agent: a queued one by
	// the router, or a worked one by its assignee (a transfer to an agent).
	// The state does not change; the offer is a field of the conversation.
	Offer Event = "offer"
	// Withdraw is an offer taken back because its agent went away or
	// offline.
	Withdraw Event = "withdraw"
	// TransferAccept is the agent a transfer was offered to taking the
	// conversation over.
	TransferAccept Event = "transfer_accept"
	// Rate is the customer rating a resolved conversation.
	Rate Event = "rate"
	// Join is a supervisor barging in on a worked conversation: they write
	// next to the assignee. Leave ends it. Neither changes the state.
	Join  Event = "join"
	Leave Event = "leave"
	// TakeOver is a supervisor becoming the assignee of a conversation of
	// their team, queued or worked: it is active, theirs.
	TakeOver Event = "take_over"
	// Reassign is a supervisor giving a conversation to an agent at once,
	// without an offer: it is active, the agent's.
	Reassign Event = "reassign"
	// Assist is the assignee raising or lowering their request for help, or
	// a supervisor answering it. The state does not change.
	Assist Event = "assist"
)

// Events lists every event, for tests and documentation.
var Events = []Event{Open, Handoff, Accept, AgentReply, IdleTimeout, CustomerReply, AutoResolve,
	Resolve, Close, Reopen, ReopenBot, TransferTeam, OfferTimeout, Decline, HandBack, Offer, Withdraw,
	TransferAccept, Rate, Join, Leave, TakeOver, Reassign, Assist}

// ErrIllegalTransition is returned, wrapped, by Transition for a move the
// state machine does not allow.
var ErrIllegalTransition = errors.New("illegal transition")

// transitions is the whole state machine: for each event, the state it leads
// to from each state it is allowed in. Anything not listed is illegal.
//
// Reopen is two events because where a reopened conversation goes depends on
// its past, which the caller knows and the state does not: back to the queue
// of its team when an agent had it (the customer is mid-matter with people),
// else back to the bot.
var transitions = map[Event]map[State]State{
	Open:          {None: Bot},
	Handoff:       {Bot: Queued},
	Accept:        {Queued: Active},
	AgentReply:    {Active: Active},
	IdleTimeout:   {Active: WaitingCustomer},
	CustomerReply: {WaitingCustomer: Active},
	AutoResolve:   {WaitingCustomer: Resolved},
	Resolve:       {Active: Resolved, WaitingCustomer: Resolved},
	Close:         {Resolved: Closed},
	Reopen:        {Resolved: Queued},
	ReopenBot:     {Resolved: Bot},
	TransferTeam:  {Active: Queued, WaitingCustomer: Queued},
	HandBack:      {Active: Bot},
	// An offer lives in a queued conversation (routing) or a worked one (a
	// transfer to an agent); taking it back leaves the state as it is.
	Offer:          offerStates,
	OfferTimeout:   offerStates,
	Decline:        offerStates,
	Withdraw:       offerStates,
	TransferAccept: {Active: Active, WaitingCustomer: Active},
	Rate:           {Resolved: Resolved},
	Join:           workedStates,
	Leave:          workedStates,
	TakeOver:       {Queued: Active, Active: Active, WaitingCustomer: Active},
	Reassign:       {Queued: Active, Active: Active, WaitingCustomer: Active},
	Assist:         workedStates,
}

// workedStates are the states people work a conversation in, each left as
// it is by supervision's events that do not move it.
var workedStates = map[State]State{Active: Active, WaitingCustomer: WaitingCustomer}

// offerStates are the states an offer lives in, each left as it is by the
// offer's events.
var offerStates = map[State]State{Queued: Queued, Active: Active, WaitingCustomer: WaitingCustomer}

// Allows is whether ev is allowed in state from: Transition without the
// error, for a check made on every message (a customer's message carries
// the event that resumes a waiting conversation, illegal in any other).
func Allows(from State, ev Event) bool {
	_, ok := transitions[ev][from]
	return ok
}

// Transition returns the state a conversation in state from moves to on ev,
// or an error wrapping ErrIllegalTransition when ev is not allowed in from.
func Transition(from State, ev Event) (State, error) {
	to, ok := transitions[ev][from]
	if !ok {
		if from == None {
			return from, fmt.Errorf("%w: %s on a conversation that does not exist", ErrIllegalTransition, ev)
		}
		return from, fmt.Errorf("%w: %s in state %s", ErrIllegalTransition, ev, from)
	}
	return to, nil
}
