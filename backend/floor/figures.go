package floor

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"switchboard/backend/conversation"
	"switchboard/backend/store"
	"switchboard/protocol"
)

// AgentStatus is an agent's routing status as the server holds it.
type AgentStatus struct {
	// Status is protocol.StatusOnline, StatusAway or StatusOffline, since
	// Since (unix ms; 0 when unknown).
	Status string
	Since  int64
	// Missed counts the offers that expired unanswered since the agent
	// last came online; AutoAway is set while they are away for it.
	Missed   int
	AutoAway bool
}

// Input is everything the floor is computed from: the caller's scope and a
// snapshot of the server's state at Now.
type Input struct {
	// Role and Teams are the caller's: a supervisor sees their teams, an
	// admin every team.
	Role  string
	Teams []string
	// Now is the time the figures are for, unix milliseconds.
	Now int64
	// AllTeams are every team (with SLA); Agents every staff account
	// (with capacity); Status the routing status of the agents the server
	// has seen (the others are offline since an unknown time).
	AllTeams []store.Team
	Agents   []store.Agent
	Status   map[string]AgentStatus
	// Conversations are the open conversations: at least the queued and
	// worked ones (others are ignored).
	Conversations []store.Conversation
	// Monitored are the conversations someone monitors now.
	Monitored map[string]bool
	// History gives each team's samples of the last hour; nil: none.
	History *History
}

// scopeTeams returns the teams the caller sees, in id order, or
// ErrForbidden.
func scopeTeams(role string, mine []string, all []store.Team) ([]store.Team, error) {
	switch role {
	case protocol.RoleAdmin:
		return all, nil
	case protocol.RoleSupervisor:
		var out []store.Team
		for _, t := range all {
			if slices.Contains(mine, t.ID) {
				out = append(out, t)
			}
		}
		return out, nil
	}
	return nil, fmt.Errorf("%w: only supervisors and admins watch the floor", ErrForbidden)
}

// SLAOf returns t's thresholds on the wire.
func SLAOf(t store.Team) protocol.SLA {
	return protocol.SLA{FirstResponseMS: t.SLA.FirstResponseMS, WaitMS: t.SLA.WaitMS, NextResponseMS: t.SLA.NextResponseMS}
}

// Over-SLA names of FloorConversation.OverSLA.
const (
	OverFirstResponse = "first_response"
	OverNextResponse  = "next_response"
)

// Compute returns the floor in.Role and in.Teams see at in.Now: per team
// the queue and its waits, breaches of the team's SLA, offers out, agents
// by status, load and capacity, missed offers and open requests for help;
// per agent their status and the conversations they work.
//
// Waits count from QueuedAt. A team's Load and Capacity are those of its
// members online now (the room routing has); an agent's Load counts the
// conversations they work and the offers they hold, as routing does. A
// conversation is over an SLA while it is past a threshold now: no first
// reply FirstResponseMS after it was assigned, or a customer message
// unanswered for NextResponseMS.
func Compute(in Input) (protocol.FloorData, error) {
	teams, err := scopeTeams(in.Role, in.Teams, in.AllTeams)
	if err != nil {
		return protocol.FloorData{}, err
	}
	out := protocol.FloorData{At: in.Now, Teams: []protocol.FloorTeam{}, Agents: []protocol.FloorAgent{}}
	inScope := make(map[string]store.Team, len(teams))
	for _, t := range teams {
		inScope[t.ID] = t
	}

	// Per agent: the load routing measures, and the worked conversations
	// of the scope.
	load := map[string]int{}
	worked := map[string][]protocol.FloorConversation{}
	queues := map[string][]int64{}
	ft := make(map[string]*protocol.FloorTeam, len(teams))
	for _, t := range teams {
		ft[t.ID] = &protocol.FloorTeam{ID: t.ID, Name: t.Name, SLA: SLAOf(t), History: in.History.Samples(t.ID)}
	}
	for _, c := range in.Conversations {
		isWorked := c.State == conversation.Active || c.State == conversation.WaitingCustomer
		if isWorked && c.AssigneeID != "" {
			load[c.AssigneeID]++
		}
		if c.OfferAgentID != "" && c.OfferAgentID != c.AssigneeID && (isWorked || c.State == conversation.Queued) {
			load[c.OfferAgentID]++
		}
		t, ok := ft[c.Team]
		if !ok {
			continue
		}
		if c.OfferAgentID != "" && (isWorked || c.State == conversation.Queued) {
			t.OffersOut++
		}
		switch {
		case c.State == conversation.Queued:
			since := c.QueuedAt
			if since == 0 {
				since = c.CreatedAt
			}
			wait := max(in.Now-since, 0)
			queues[c.Team] = append(queues[c.Team], wait)
			if sla := t.SLA.WaitMS; sla > 0 && wait > sla {
				t.QueueOverSLA++
			}
		case isWorked:
			fc := floorConversation(c, t.SLA, in)
			if len(fc.OverSLA) > 0 {
				t.ResponseOverSLA++
			}
			if fc.Assist {
				t.Assists++
			}
			if c.AssigneeID != "" {
				worked[c.AssigneeID] = append(worked[c.AssigneeID], fc)
			}
		}
	}
	for id, waits := range queues {
		t := ft[id]
		slices.Sort(waits)
		t.Queue = len(waits)
		t.LongestWaitMS = waits[len(waits)-1]
		if n := len(waits); n%2 == 1 {
			t.MedianWaitMS = waits[n/2]
		} else {
			t.MedianWaitMS = (waits[n/2-1] + waits[n/2]) / 2
		}
	}

	for _, a := range in.Agents {
		if a.Disabled {
			continue // not on anyone's floor: they cannot sign in
		}
		var mine []string
		for _, tid := range a.Teams {
			if _, ok := inScope[tid]; ok {
				mine = append(mine, tid)
			}
		}
		if len(mine) == 0 {
			continue
		}
		st, ok := in.Status[a.ID]
		if !ok || st.Status == "" {
			st = AgentStatus{Status: protocol.StatusOffline, Since: st.Since, Missed: st.Missed}
		}
		capacity := a.Capacity
		if capacity <= 0 {
			capacity = store.DefaultCapacity
		}
		convs := worked[a.ID]
		if convs == nil {
			convs = []protocol.FloorConversation{}
		}
		sort.Slice(convs, func(i, j int) bool { return convs[i].ID < convs[j].ID })
		out.Agents = append(out.Agents, protocol.FloorAgent{
			ID: a.ID, Name: a.Name, Role: a.Role, Teams: mine,
			Status: st.Status, StatusSince: st.Since,
			Load: load[a.ID], Capacity: capacity,
			MissedOffers: st.Missed, AutoAway: st.AutoAway && st.Status == protocol.StatusAway,
			Conversations: convs,
		})
		for _, tid := range mine {
			t := ft[tid]
			switch st.Status {
			case protocol.StatusOnline:
				t.AgentsOnline++
				t.Load += load[a.ID]
				t.Capacity += capacity
			case protocol.StatusAway:
				t.AgentsAway++
			default:
				t.AgentsOffline++
			}
			t.MissedOffers += st.Missed
		}
	}
	sort.SliceStable(out.Agents, func(i, j int) bool {
		a, b := out.Agents[i], out.Agents[j]
		if c := strings.Compare(a.Name, b.Name); c != 0 {
			return c < 0
		}
		return a.ID < b.ID
	})
	for _, t := range teams {
		out.Teams = append(out.Teams, *ft[t.ID])
	}
	return out, nil
}

// floorConversation is worked conversation c as the floor shows it, with
// the thresholds of its team.
func floorConversation(c store.Conversation, sla protocol.SLA, in Input) protocol.FloorConversation {
	fc := protocol.FloorConversation{
		ID: c.ID, CustomerName: c.CustomerName, State: string(c.State), Team: c.Team,
		Monitored: in.Monitored[c.ID], Assist: c.AssistAt > 0,
	}
	if c.AwaitingSince > 0 {
		fc.AwaitingMS = max(in.Now-c.AwaitingSince, 0)
	}
	switch {
	case c.FirstReplyAt > 0 && c.AssignedAt > 0:
		fc.Responded = true
		fc.FirstResponseMS = max(c.FirstReplyAt-c.AssignedAt, 0)
	case c.FirstReplyAt > 0:
		fc.Responded = true
	case c.AssignedAt > 0:
		fc.FirstResponseMS = max(in.Now-c.AssignedAt, 0)
	}
	if sla.FirstResponseMS > 0 && !fc.Responded && c.AssignedAt > 0 && fc.FirstResponseMS > sla.FirstResponseMS {
		fc.OverSLA = append(fc.OverSLA, OverFirstResponse)
	}
	if sla.NextResponseMS > 0 && fc.AwaitingMS > sla.NextResponseMS {
		fc.OverSLA = append(fc.OverSLA, OverNextResponse)
	}
	return fc
}
