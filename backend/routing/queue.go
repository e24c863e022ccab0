package routing

import "time"

// DefaultWaitPerPlace is the expected wait per place in the queue and
// online agent before any wait was observed.
const DefaultWaitPerPlace = time.Minute

// waitWeight is the weight of a new observation in the moving average.
const waitWeight = 0.2

// Waits is the moving average of the waits of accepted conversations. The
// zero value has observed nothing.
type Waits struct {
	// AvgMS is the average wait in ms, zero until a wait was observed.
	AvgMS float64
}

// Observe adds the wait of a conversation just accepted, in ms. A negative
// wait (a clock stepped back) is ignored.
func (w *Waits) Observe(waitMS int64) {
	if waitMS < 0 {
		return
	}
	if w.AvgMS == 0 {
		w.AvgMS = float64(waitMS)
		return
	}
	w.AvgMS = (1-waitWeight)*w.AvgMS + waitWeight*float64(waitMS)
}

// PerPlaceMS is the expected wait per place and online agent, in ms: the
// average, or DefaultWaitPerPlace before any wait was observed.
func (w Waits) PerPlaceMS() float64 {
	if w.AvgMS == 0 {
		return float64(DefaultWaitPerPlace.Milliseconds())
	}
	return w.AvgMS
}

// ExpectedMS is the expected wait, in ms, of the customer at position (1
// is next) in a queue that agents online agents serve; zero without
// agents. It is rounded to 10 s so that the estimate does not change, and
// get told again, on every look.
func (w Waits) ExpectedMS(position, agents int) int64 {
	if agents <= 0 {
		return 0
	}
	est := w.PerPlaceMS() * float64(position) / float64(agents)
	return int64(est/10000+0.5) * 10000
}

// Queued is a conversation in a team's queue.
type Queued struct {
	ID   string
	Team string
	// OutOfHours is set when it is now outside the business hours of the
	// conversation's team.
	OutOfHours bool
}

// Place is what the customer of a queued conversation is told.
type Place struct {
	ID string
	// Position is the place in the team's queue, 1 for the next.
	Position int
	// AgentsOnline is how many of the team's agents are online.
	AgentsOnline int
	// InHours is set within the business hours of the team.
	InHours bool
	// Open is set when someone can take the customer: an agent of the team
	// is online within business hours.
	Open bool
	// ExpectedWaitMS is the expected wait, zero unless Open.
	ExpectedWaitMS int64
}

// Places returns the place of each of queued, in the same order; queued
// holds every team's queue in queue order. cands are the agents known to be connected; only
// online ones count.
func (w Waits) Places(queued []Queued, cands []Candidate) []Place {
	online := map[string]int{}
	for _, a := range cands {
		if !a.Online {
			continue
		}
		for _, t := range a.Teams {
			online[t]++
		}
	}
	position := map[string]int{}
	out := make([]Place, 0, len(queued))
	for _, q := range queued {
		position[q.Team]++
		n := online[q.Team]
		p := Place{ID: q.ID, Position: position[q.Team], AgentsOnline: n, InHours: !q.OutOfHours, Open: n > 0 && !q.OutOfHours}
		if p.Open {
			p.ExpectedWaitMS = w.ExpectedMS(p.Position, n)
		}
		out = append(out, p)
	}
	return out
}
