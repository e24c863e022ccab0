package server

import (
	"context"
	"slices"
	"strings"
	"time"

	"switchboard/backend/presence"
	"switchboard/protocol"
)

// Agent status in a cluster. Each node keeps the status of the agents
// connected to it (status.go); a node of a cluster also publishes that
// table and hears the others' (package presence), and answers every
// question about an agent's status — routing, transfers, the floor — from
// the merged view. The offers an agent lets expire are counted by the
// nodes holding their connections: the node whose timer saw one expire
// tells the others.

// Subjects of the agent events a node passes on to the others.
const (
	subjectOfferMissed   = "presence.missed"
	subjectOfferAnswered = "presence.answered"
)

// setupPresence starts sharing agent status with the other nodes; it runs
// only on a node of a cluster.
func (s *Server) setupPresence() {
	// The other nodes wait three heartbeats and a half before they take
	// a node for gone and its agents for offline.
	s.presence = presence.NewView(3*s.cfg.PresenceHeartbeat + s.cfg.PresenceHeartbeat/2)
	s.presenceKick = make(chan struct{}, 1)
	s.presenceCancels = append(s.presenceCancels,
		s.bus.Subscribe(presence.Subject, s.presenceHeard),
		s.bus.Subscribe(subjectOfferMissed, func(data []byte) {
			s.offerMissedHere(s.baseCtx, string(data))
		}),
		s.bus.Subscribe(subjectOfferAnswered, func(data []byte) {
			s.offerAnsweredHere(string(data))
		}),
	)
	s.presenceDone = make(chan struct{})
	go s.runPresence()
}

// closePresence stops sharing, telling the other nodes that this node's
// agents are gone from it.
func (s *Server) closePresence() {
	if s.presence == nil {
		return
	}
	<-s.presenceDone
	for _, cancel := range s.presenceCancels {
		cancel()
	}
	s.bus.Publish(presence.Subject, presence.Encode(presence.Snapshot{Node: s.node}))
}

// presenceChanged says this node's table changed: the other nodes hear of
// it at once.
func (s *Server) presenceChanged() {
	if s.presence == nil {
		return
	}
	select {
	case s.presenceKick <- struct{}{}:
	default:
	}
}

// runPresence publishes this node's table on every change and heartbeat,
// and forgets the nodes gone silent.
func (s *Server) runPresence() {
	defer close(s.presenceDone)
	tick := time.NewTicker(s.cfg.PresenceHeartbeat)
	defer tick.Stop()
	for {
		select {
		case <-s.baseCtx.Done():
			return
		case <-s.presenceKick:
		case <-tick.C:
			if gone := s.presence.Expire(time.Now()); len(gone) > 0 {
				s.nodeGone(gone)
			}
		}
		s.bus.Publish(presence.Subject, presence.Encode(presence.Snapshot{Node: s.node, Agents: s.localPresence()}))
	}
}

// nodeGone takes back the offers of the agents of a node gone silent
// (it died, or was cut off) who are connected nowhere else now: their node
// cannot withdraw them any more. Every node does it; the withdrawals are
// conditional, so one wins.
func (s *Server) nodeGone(agents []string) {
	s.presenceMoved()
	merged := s.clusterPresence()
	for _, id := range agents {
		if e := merged[id]; !e.Live {
			s.log.Info("agent's node went silent; withdrawing their offers", "agent_id", id)
			s.withdrawOffers(s.baseCtx, id)
		}
	}
}

// presenceHeard records another node's table.
func (s *Server) presenceHeard(data []byte) {
	snap, err := presence.Decode(data)
	if err != nil || snap.Node == s.node {
		return
	}
	if s.presence.Apply(snap, time.Now()) {
		s.presenceMoved()
	}
}

// presenceMoved reacts to a change of the cluster's agents seen from here:
// this node's floor and router look again.
func (s *Server) presenceMoved() {
	if s.floor != nil {
		s.floor.Mark("")
	}
	s.kickRouter()
}

// localPresence returns this node's table, in agent order.
func (s *Server) localPresence() []presence.Entry {
	s.statusMu.Lock()
	out := make([]presence.Entry, 0, len(s.statuses))
	for id, st := range s.statuses {
		out = append(out, presence.Entry{ID: id, Live: st.live, Status: st.status, Since: st.since,
			Missed: st.missed, AutoAway: st.autoAway})
	}
	s.statusMu.Unlock()
	slices.SortFunc(out, func(a, b presence.Entry) int { return strings.Compare(a.ID, b.ID) })
	return out
}

// clusterPresence returns the merged view of every agent this node or
// another has seen; nil on a server alone.
func (s *Server) clusterPresence() map[string]presence.Entry {
	if s.presence == nil {
		return nil
	}
	return s.presence.Merged(s.localPresence())
}

// offerMissed counts an offer to agent id that expired unanswered, on
// every node holding a connection of theirs.
func (s *Server) offerMissed(ctx context.Context, id string) {
	if s.presence != nil {
		s.bus.Publish(subjectOfferMissed, []byte(id))
	}
	s.offerMissedHere(ctx, id)
}

// offerAnswered ends agent id's run of missed offers, on every node.
func (s *Server) offerAnswered(id string) {
	if s.presence != nil {
		s.bus.Publish(subjectOfferAnswered, []byte(id))
	}
	s.offerAnsweredHere(id)
}

// liveAgents returns the agents connected in the cluster (or to this
// server alone), each with whether they are online (not away).
func (s *Server) liveAgents() map[string]bool {
	out := map[string]bool{}
	if m := s.clusterPresence(); m != nil {
		for id, e := range m {
			if e.Live {
				out[id] = e.Status == protocol.StatusOnline
			}
		}
		return out
	}
	s.statusMu.Lock()
	defer s.statusMu.Unlock()
	for id, st := range s.statuses {
		if st.live {
			out[id] = st.status == protocol.StatusOnline
		}
	}
	return out
}

// liveElsewhere reports whether agent id has a connection to another node
// of the cluster (an app that moved to another node keeps its offers).
func (s *Server) liveElsewhere(id string) bool {
	if s.presence == nil {
		return false
	}
	e, ok := s.presence.Merged(nil)[id]
	return ok && e.Live
}
