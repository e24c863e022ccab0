package floor

import (
	"errors"
	"slices"
	"testing"

	"switchboard/backend/conversation"
	"switchboard/backend/store"
	"switchboard/protocol"
)

func TestList(t *testing.T) {
	sup := Query{Role: protocol.RoleSupervisor, Teams: []string{"presales", "aftersales"}, Now: 100_000}
	tests := []struct {
		name    string
		q       func(Query) Query
		err     error
		teams   []string
		states  []conversation.State
		agent   string
		keep    []store.Conversation
		dropped []store.Conversation
	}{
		{name: "supervisor: all of their teams, worked states",
			q: func(q Query) Query { return q }, teams: []string{"presales", "aftersales"}, states: Worked,
			keep:    []store.Conversation{{Team: "presales", State: conversation.Active}},
			dropped: []store.Conversation{{Team: "", State: conversation.Bot}}},
		{name: "one of their teams", q: func(q Query) Query { q.Team = "presales"; return q }, teams: []string{"presales"}, states: Worked},
		{name: "a team not theirs", q: func(q Query) Query { q.Team = "vip"; return q }, err: ErrForbidden},
		{name: "agent", q: func(q Query) Query { q.Role = protocol.RoleAgent; return q }, err: ErrForbidden},
		{name: "customer", q: func(q Query) Query { q.Role = protocol.RoleCustomer; return q }, err: ErrForbidden},
		{name: "admin: every team", q: func(q Query) Query { q.Role, q.Teams = protocol.RoleAdmin, nil; return q }, states: Worked},
		{name: "admin: any one team", q: func(q Query) Query { q.Role, q.Teams, q.Team = protocol.RoleAdmin, nil, "vip"; return q },
			teams: []string{"vip"}, states: Worked},
		{name: "states", q: func(q Query) Query { q.States = []string{"queued"}; return q },
			teams: []string{"presales", "aftersales"}, states: []conversation.State{conversation.Queued}},
		{name: "a state not worked", q: func(q Query) Query { q.States = []string{"resolved"}; return q }, err: ErrInvalid},
		{name: "agent filter", q: func(q Query) Query { q.AgentID = "a1"; return q },
			teams: []string{"presales", "aftersales"}, states: Worked, agent: "a1"},
		{name: "waiting over a minute", q: func(q Query) Query { q.WaitingOverMS = 60_000; return q },
			teams: []string{"presales", "aftersales"}, states: Worked,
			keep: []store.Conversation{{Team: "presales", State: conversation.Queued, QueuedAt: 30_000}},
			dropped: []store.Conversation{{Team: "presales", State: conversation.Queued, QueuedAt: 50_000},
				{Team: "presales", State: conversation.Active, QueuedAt: 1}}},
		{name: "negative wait", q: func(q Query) Query { q.WaitingOverMS = -1; return q }, err: ErrInvalid},
	}
	for _, tt := range tests {
		p, err := List(tt.q(sup))
		if !errors.Is(err, tt.err) {
			t.Errorf("%s: err = %v, want %v", tt.name, err, tt.err)
			continue
		}
		if err != nil {
			continue
		}
		if !slices.Equal(p.Filter.Teams, tt.teams) || !slices.Equal(p.Filter.States, tt.states) || p.Filter.AssigneeID != tt.agent || !p.Filter.QueueOrder {
			t.Errorf("%s: filter = %+v", tt.name, p.Filter)
		}
		for _, c := range tt.keep {
			if !p.Keep(c) {
				t.Errorf("%s: dropped %+v", tt.name, c)
			}
		}
		for _, c := range tt.dropped {
			if p.Keep(c) {
				t.Errorf("%s: kept %+v", tt.name, c)
			}
		}
	}
	// A supervisor without teams has no floor.
	p, err := List(Query{Role: protocol.RoleSupervisor})
	if err != nil || !p.None || p.Keep(store.Conversation{Team: "presales", State: conversation.Active}) {
		t.Errorf("no teams: %v, keeps something", err)
	}
}
