// Package floor answers what supervisors see of their teams' floor: the
// conversations their teams hold, narrowed by team, agent, state and time
// waited (List); the floor's figures — queues, waits, SLA breaches, agents'
// status and load — computed from a snapshot (Compute) with an hour of
// history (History); and a live view that recomputes them for every watcher
// when the bus says something changed (Watcher). It decides from typed
// inputs, with no transport in it.
package floor

import (
	"errors"
	"fmt"
	"slices"

	"switchboard/backend/conversation"
	"switchboard/backend/store"
	"switchboard/protocol"
)

// Errors of List.
var (
	// ErrForbidden: the caller may not list their teams' conversations (an
	// agent), or named a team that is not theirs.
	ErrForbidden = errors.New("forbidden")
	// ErrInvalid: a filter value is not one List knows.
	ErrInvalid = errors.New("invalid filter")
)

// Worked are the states of the conversations people work on; the floor
// lists these.
var Worked = []conversation.State{conversation.Queued, conversation.Active, conversation.WaitingCustomer}

// Query is a request for a team's conversations.
type Query struct {
	// Role and Teams are the caller's.
	Role  string
	Teams []string
	// Team, AgentID, States and WaitingOverMS narrow the list; zero
	// values keep everything.
	Team          string
	AgentID       string
	States        []string
	WaitingOverMS int64
	// Now is the current time, unix milliseconds.
	Now int64
}

// Plan is how to answer a Query: what to ask the store, and which of the
// answers to keep.
type Plan struct {
	// None is set when the answer is empty without asking (a supervisor
	// of no team).
	None   bool
	Filter store.ConversationFilter
	Keep   func(store.Conversation) bool
}

// List plans the answer to q, or says why there is none.
func List(q Query) (Plan, error) {
	var teams []string
	switch q.Role {
	case protocol.RoleAdmin:
		if q.Team != "" {
			teams = []string{q.Team}
		}
	case protocol.RoleSupervisor:
		teams = q.Teams
		if q.Team != "" {
			if !slices.Contains(q.Teams, q.Team) {
				return Plan{}, fmt.Errorf("%w: team %q is not one of yours", ErrForbidden, q.Team)
			}
			teams = []string{q.Team}
		}
		if len(teams) == 0 {
			// No teams means no floor, not every floor.
			return Plan{None: true, Keep: func(store.Conversation) bool { return false }}, nil
		}
	default:
		return Plan{}, fmt.Errorf("%w: only supervisors and admins list their teams' conversations", ErrForbidden)
	}
	states := Worked
	if len(q.States) > 0 {
		states = nil
		for _, s := range q.States {
			st := conversation.State(s)
			if !slices.Contains(Worked, st) {
				return Plan{}, fmt.Errorf("%w: state %q; want queued, active or waiting_customer", ErrInvalid, s)
			}
			states = append(states, st)
		}
	}
	if q.WaitingOverMS < 0 {
		return Plan{}, fmt.Errorf("%w: waiting_over_ms must not be negative", ErrInvalid)
	}
	f := store.ConversationFilter{Teams: teams, States: states, AssigneeID: q.AgentID, QueueOrder: true}
	keep := func(c store.Conversation) bool {
		if c.Team == "" {
			return false
		}
		if q.WaitingOverMS > 0 {
			return c.State == conversation.Queued && c.QueuedAt > 0 && q.Now-c.QueuedAt > q.WaitingOverMS
		}
		return true
	}
	return Plan{Filter: f, Keep: keep}, nil
}
