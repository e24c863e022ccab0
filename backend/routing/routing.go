// Package routing decides who is offered a queued conversation and tells a
// queued customer what to expect. It decides from typed inputs only: the
// caller reads the store, the agents' statuses and the clock, and applies
// the answer.
//
// # Choosing an agent
//
// Choose picks the agent a queued conversation is offered to, by these
// rules in order:
//
//  1. Only an agent who is online (connected, with status online) and below
//     capacity is offered anything. Load counts the conversations the agent
//     works and the offers they hold, so an offer reserves its place.
//  2. The agent must be a member of the conversation's team, except the
//     agent who served the customer last, who may take them again whatever
//     team the conversation is in now.
//  3. Agents who refused the conversation (declined it or let an offer of
//     it expire) are passed over while anyone else can take it.
//  4. The agent who served the customer last is chosen when they qualify
//     and have not refused it.
//  5. When only refusers of the conversation's team are left, they are
//     asked again rather than leaving the conversation without an offer,
//     but no sooner than Rest after their last offer, so that a decline is
//     not answered by the same offer at once. (An agent who keeps letting
//     offers expire is set away by the caller and so stops being asked.)
//  6. Among those left, the agents who speak the customer's language (a
//     skill named by the locale) are preferred, if any do.
//  7. The least loaded wins; among equals the one offered something
//     longest ago; among those the lowest ID, so that the answer does not
//     depend on the order of the candidates.
//
// The choice is advice: the caller's offer is a conditional write that
// checks capacity again, so a stale candidate list never puts an agent above
// capacity or a conversation with two agents.
//
// # Queue estimates
//
// Waits keeps a moving average of how long accepted conversations waited
// in the queue. Places turns it into what each queued customer is told:
// their place in their team's queue, how many of the team's agents are
// online, whether anyone can take them now, and the expected wait — the
// average wait per place times their place, shared among the team's online
// agents.
package routing

import (
	"cmp"
	"slices"
	"time"
)

// Conversation is what routing needs to know of a queued conversation.
type Conversation struct {
	// Team is the team whose queue the conversation is in.
	Team string
	// PreviousAgentID is the agent who served the customer last, if any.
	PreviousAgentID string
	// Locale is the customer's language, matched against agents' skills.
	Locale string
	// Refused are the agents who declined the conversation or let an offer
	// of it expire.
	Refused []string
}

// Candidate is an agent the conversation may be offered to.
type Candidate struct {
	ID string
	// Online is set when the agent is connected with status online; away
	// and offline agents are offered nothing and do not count as online in
	// queue estimates.
	Online bool
	Teams  []string
	Skills []string
	// Capacity is how many conversations and offers the agent may hold;
	// Load is how many they hold now.
	Capacity int
	Load     int
	// LastOffer is when the agent was last offered something (unix ms),
	// zero if never.
	LastOffer int64
}

func (a Candidate) member(team string) bool { return slices.Contains(a.Teams, team) }

// hasRoomFor reports whether a may take c, refusals aside (rules 1 and 2).
func (a Candidate) hasRoomFor(c Conversation) bool {
	return a.Online && a.Load < a.Capacity && (a.member(c.Team) || (c.PreviousAgentID != "" && a.ID == c.PreviousAgentID))
}

// HasRoom reports whether any of cands may take c, refusals aside. When it
// reports false Choose does too, whatever c.Refused holds, so a caller may
// skip reading the refusals.
func HasRoom(c Conversation, cands []Candidate) bool {
	return slices.ContainsFunc(cands, func(a Candidate) bool { return a.hasRoomFor(c) })
}

// Choose returns the agent to offer c to, by the rules of the package doc,
// or false when nobody may be offered it now. now is the current time (unix
// ms); rest is the least time between an agent's last offer and asking them
// again about a conversation they refused.
func Choose(c Conversation, cands []Candidate, now int64, rest time.Duration) (agentID string, ok bool) {
	var room []Candidate
	for _, a := range cands {
		if a.hasRoomFor(c) {
			room = append(room, a)
		}
	}
	if len(room) == 0 {
		return "", false
	}
	refused := func(a Candidate) bool { return slices.Contains(c.Refused, a.ID) }
	// Room holds the team's members and the previous agent; past this loop
	// willing holds the members who did not refuse.
	var willing []Candidate
	for _, a := range room {
		if refused(a) {
			continue
		}
		if c.PreviousAgentID != "" && a.ID == c.PreviousAgentID {
			return a.ID, true
		}
		willing = append(willing, a)
	}
	if len(willing) == 0 {
		// Everyone with room refused it: ask again those of the team who
		// have rested since their last offer.
		for _, a := range room {
			if a.member(c.Team) && now-a.LastOffer >= rest.Milliseconds() {
				willing = append(willing, a)
			}
		}
	}
	if len(willing) == 0 {
		return "", false
	}
	if c.Locale != "" {
		speakers := slices.DeleteFunc(slices.Clone(willing), func(a Candidate) bool { return !slices.Contains(a.Skills, c.Locale) })
		if len(speakers) > 0 {
			willing = speakers
		}
	}
	best := slices.MinFunc(willing, func(a, b Candidate) int {
		return cmp.Or(cmp.Compare(a.Load, b.Load), cmp.Compare(a.LastOffer, b.LastOffer), cmp.Compare(a.ID, b.ID))
	})
	return best.ID, true
}
