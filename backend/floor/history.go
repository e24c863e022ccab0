package floor

import (
	"sync"
	"time"

	"switchboard/protocol"
)

// History keeps each team's queue over the last hour: a sample about once a
// minute, in a ring per team. The server feeds it (Add) from the figures it
// computes, whether or not anyone watches the floor, so that a supervisor
// who opens it sees the hour before.
type History struct {
	every, span int64 // ms
	// mu guards teams and last, when the last sample was taken.
	mu    sync.Mutex
	teams map[string]*ring
	last  int64
}

// ring holds a team's samples, oldest first from start.
type ring struct {
	buf   []protocol.FloorSample
	start int
	n     int
}

// NewHistory keeps a sample every every (1m when 0) for span (1h when 0).
func NewHistory(every, span time.Duration) *History {
	if every <= 0 {
		every = time.Minute
	}
	if span <= 0 {
		span = time.Hour
	}
	return &History{every: every.Milliseconds(), span: span.Milliseconds(), teams: make(map[string]*ring)}
}

// Due reports whether a sample taken at (unix ms) would be kept: at least
// most of an interval after the last one (a tenth early is allowed, so a
// ticker that fires a little before the minute does not skip a whole
// one). Callers use it to skip computing figures nobody keeps.
func (h *History) Due(at int64) bool {
	if h == nil {
		return false
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.dueLocked(at)
}

func (h *History) dueLocked(at int64) bool {
	return h.last == 0 || at-h.last >= h.every-h.every/10
}

// Add records the queue of each team in teams at (unix ms), if a sample is
// due (see Due); else it does nothing.
func (h *History) Add(at int64, teams []protocol.FloorTeam) {
	if h == nil {
		return
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if !h.dueLocked(at) {
		return
	}
	h.last = at
	size := int(h.span/h.every) + 1
	for _, t := range teams {
		r := h.teams[t.ID]
		if r == nil {
			r = &ring{buf: make([]protocol.FloorSample, size)}
			h.teams[t.ID] = r
		}
		s := protocol.FloorSample{At: at, Queue: t.Queue, LongestWaitMS: t.LongestWaitMS}
		if r.n < len(r.buf) {
			r.buf[(r.start+r.n)%len(r.buf)] = s
			r.n++
		} else {
			r.buf[r.start] = s
			r.start = (r.start + 1) % len(r.buf)
		}
	}
}

// Samples returns team's samples of the span before the last one, oldest
// first (empty, never nil).
func (h *History) Samples(team string) []protocol.FloorSample {
	out := []protocol.FloorSample{}
	if h == nil {
		return out
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	r := h.teams[team]
	if r == nil || r.n == 0 {
		return out
	}
	last := r.buf[(r.start+r.n-1)%len(r.buf)].At
	for i := 0; i < r.n; i++ {
		s := r.buf[(r.start+i)%len(r.buf)]
		if last-s.At <= h.span {
			out = append(out, s)
		}
	}
	return out
}

// Forget drops the samples of teams not in keep (removed teams).
func (h *History) Forget(keep map[string]bool) {
	if h == nil {
		return
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	for id := range h.teams {
		if !keep[id] {
			delete(h.teams, id)
		}
	}
}
