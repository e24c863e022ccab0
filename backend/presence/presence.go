// Package presence gives every node of a cluster one view of the agents'
// routing status (online, away, offline), which each node knows only for
// the agents connected to it.
//
// Each node publishes its table on the bus (a Snapshot: every agent it has
// seen, live or not) when it changes and at every heartbeat; each node keeps
// the latest Snapshot of every other node, and forgets a node it has not
// heard from for a TTL (it died, or was cut off), so its agents go offline
// everywhere within that time. A node leaving on purpose publishes an empty
// Snapshot first.
//
// Merge makes one Entry per agent from the node's own table and the others':
//
//   - An agent is live while live on any node.
//   - A live agent's status is the one set last (greatest Since) among the
//     nodes where they are live: an agent who sets away through one
//     connection is away everywhere, though a node holding another
//     connection of theirs still has them online since they connected.
//   - An agent live nowhere is offline, since the latest Since of all.
//
// The store stays out of it: status is ephemeral, like presence (SPEC §4),
// and a lost Snapshot is replaced by the next heartbeat's.
package presence

import (
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"sync"
	"time"
)

// Subject is the bus subject of Snapshots.
const Subject = "presence.snapshot"

// Entry is what a node knows of one agent.
type Entry struct {
	ID string `json:"id"`
	// Live is set while the agent has a connection to the node; Status is
	// meaningful only then.
	Live   bool   `json:"live,omitempty"`
	Status string `json:"status,omitempty"`
	// Since is when Status last changed (unix ms).
	Since int64 `json:"since"`
	// Missed counts the offers the agent let expire since they last came
	// online; AutoAway is set while they are away for missing too many.
	Missed   int  `json:"missed,omitempty"`
	AutoAway bool `json:"auto_away,omitempty"`
}

// Snapshot is a node's table as it travels.
type Snapshot struct {
	Node   string  `json:"node"`
	Agents []Entry `json:"agents"`
}

// Encode returns the bus message of s.
func Encode(s Snapshot) []byte {
	b, _ := json.Marshal(s)
	return b
}

// Decode parses a bus message of Encode.
func Decode(b []byte) (Snapshot, error) {
	var s Snapshot
	if err := json.Unmarshal(b, &s); err != nil {
		return Snapshot{}, err
	}
	if s.Node == "" {
		return Snapshot{}, errors.New("presence: snapshot of no node")
	}
	return s, nil
}

// Offline is the status of an agent live nowhere.
const Offline = "offline"

// Merge returns one Entry per agent of tables (see the package comment).
func Merge(tables ...[]Entry) map[string]Entry {
	out := make(map[string]Entry)
	for _, t := range tables {
		for _, e := range t {
			cur, seen := out[e.ID]
			switch {
			case !seen:
				out[e.ID] = e
			case e.Live && !cur.Live:
				out[e.ID] = e
			case e.Live == cur.Live && e.Since > cur.Since:
				out[e.ID] = e
			}
		}
	}
	for id, e := range out {
		if !e.Live {
			e.Status, e.AutoAway = Offline, false
			out[id] = e
		}
	}
	return out
}

// View holds the other nodes' latest Snapshots.
type View struct {
	mu    sync.Mutex
	nodes map[string]heard
	ttl   time.Duration
}

type heard struct {
	at     time.Time
	agents []Entry
}

// NewView returns a View that forgets a node not heard from for ttl.
func NewView(ttl time.Duration) *View {
	return &View{nodes: make(map[string]heard), ttl: ttl}
}

// Apply records node's Snapshot heard at now; it reports whether the
// node's agents differ from what the View held (a heartbeat repeating the
// last Snapshot changes nothing).
func (v *View) Apply(s Snapshot, now time.Time) bool {
	agents := slices.SortedFunc(slices.Values(s.Agents), func(a, b Entry) int { return strings.Compare(a.ID, b.ID) })
	v.mu.Lock()
	defer v.mu.Unlock()
	prev, ok := v.nodes[s.Node]
	v.nodes[s.Node] = heard{at: now, agents: agents}
	return !ok || !slices.Equal(prev.agents, agents)
}

// Expire forgets the nodes not heard from since now minus the TTL and
// returns the agents that were live on them (who may now be live nowhere).
func (v *View) Expire(now time.Time) (agents []string) {
	v.mu.Lock()
	defer v.mu.Unlock()
	for node, h := range v.nodes {
		if now.Sub(h.at) > v.ttl {
			delete(v.nodes, node)
			for _, e := range h.agents {
				if e.Live {
					agents = append(agents, e.ID)
				}
			}
		}
	}
	return agents
}

// Nodes returns the nodes the View holds.
func (v *View) Nodes() []string {
	v.mu.Lock()
	defer v.mu.Unlock()
	out := make([]string, 0, len(v.nodes))
	for n := range v.nodes {
		out = append(out, n)
	}
	return out
}

// Merged returns Merge of local and the other nodes' tables.
func (v *View) Merged(local []Entry) map[string]Entry {
	v.mu.Lock()
	tables := make([][]Entry, 0, len(v.nodes)+1)
	tables = append(tables, local)
	for _, h := range v.nodes {
		tables = append(tables, h.agents)
	}
	v.mu.Unlock()
	return Merge(tables...)
}
