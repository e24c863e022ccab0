package relay

import (
	"sync"
	"time"
)

// Sequencer remembers, per conversation, the last message seq a node
// delivered to its connections, so that it delivers each conversation's
// messages once and in seq order whatever order they reach it in. The
// caller serializes the deliveries of one conversation (the server's
// conversation lock); the Sequencer only keeps its map safe.
//
// It forgets conversations idle for longer than Idle once it holds Max of
// them: a conversation it does not know starts again at the next message
// (see Admit).
type Sequencer struct {
	mu   sync.Mutex
	last map[string]mark
	max  int
	idle time.Duration
}

type mark struct {
	seq int64
	at  time.Time
}

// DefaultMax and DefaultIdle are the Sequencer's defaults.
const (
	DefaultMax  = 200_000
	DefaultIdle = 10 * time.Minute
)

// NewSequencer returns a Sequencer holding up to max conversations
// (DefaultMax when not positive), forgetting those idle longer than idle
// (DefaultIdle when not positive) when it is full.
func NewSequencer(max int, idle time.Duration) *Sequencer {
	if max <= 0 {
		max = DefaultMax
	}
	if idle <= 0 {
		idle = DefaultIdle
	}
	return &Sequencer{last: make(map[string]mark), max: max, idle: idle}
}

// Admit says what to do with message seq of conversation conv:
//   - ok false: it was delivered already; drop it.
//   - ok true and known true: deliver the messages after `after` and
//     before seq first (none when after is seq-1), then this one.
//   - ok true and known false: the conversation is new to the Sequencer;
//     the messages before seq that may still be on their way from other
//     nodes (the recent ones) should be delivered first.
//
// Deliver then calls Delivered.
func (q *Sequencer) Admit(conv string, seq int64) (after int64, known, ok bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	m, known := q.last[conv]
	if !known {
		return 0, false, true
	}
	if seq <= m.seq {
		return m.seq, true, false
	}
	return m.seq, true, true
}

// Delivered records that the messages of conv up to seq were delivered.
func (q *Sequencer) Delivered(conv string, seq int64, now time.Time) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if m, ok := q.last[conv]; ok && m.seq >= seq {
		q.last[conv] = mark{seq: m.seq, at: now}
		return
	}
	if _, ok := q.last[conv]; !ok && len(q.last) >= q.max {
		q.evictLocked(now)
	}
	q.last[conv] = mark{seq: seq, at: now}
}

// evictLocked forgets the idle conversations; when none is idle, the
// oldest tenth.
func (q *Sequencer) evictLocked(now time.Time) {
	for id, m := range q.last {
		if now.Sub(m.at) > q.idle {
			delete(q.last, id)
		}
	}
	if len(q.last) < q.max {
		return
	}
	var oldest time.Time
	for _, m := range q.last {
		if oldest.IsZero() || m.at.Before(oldest) {
			oldest = m.at
		}
	}
	cut := oldest.Add(now.Sub(oldest) / 10)
	for id, m := range q.last {
		if !m.at.After(cut) {
			delete(q.last, id)
		}
	}
}

// Last returns the last seq of conv delivered, and whether the Sequencer
// follows conv.
func (q *Sequencer) Last(conv string) (int64, bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	m, ok := q.last[conv]
	return m.seq, ok
}

// Known returns the conversations the Sequencer follows with the last seq
// delivered of each: what a node catches up after a cut from the bus.
func (q *Sequencer) Known() map[string]int64 {
	q.mu.Lock()
	defer q.mu.Unlock()
	out := make(map[string]int64, len(q.last))
	for id, m := range q.last {
		out[id] = m.seq
	}
	return out
}

// Len returns how many conversations the Sequencer follows.
func (q *Sequencer) Len() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return len(q.last)
}
