// Package timers runs the conversation state machine's timers.
//
// A timer is a row in the store, armed in the transaction of the state
// change that starts it and dropped by the next one, so it survives a
// restart and never outlives its state:
//
//	accept, customer_reply  arm idle_timeout  (Durations.Idle; postponed by every customer message, within a slack of Idle/20)
//	idle_timeout            arms auto_resolve (Durations.Waiting)
//	resolve, auto_resolve   arm close         (Durations.Close)
//	an offer                arms offer_timeout (routing's, fired by its own handler)
//
// Plan says what a due timer does (pure); Runner looks for due timers and
// fires each through a handler that applies it with the store's
// conditional state change, so a timer replaced or dropped meanwhile
// changes nothing. Any number of runners may share a store — the nodes of a
// cluster each run one: the firing is conditional on the timer's version
// and its event message's id is derived from it, so a timer fires once
// however many runners see it due.
package timers

import (
	"context"
	"log/slog"
	"time"

	"switchboard/backend/conversation"
	"switchboard/backend/store"
	"switchboard/protocol"
)

// Actor names the timers in events and the audit log.
const Actor = "system"

// Durations are how long the state machine's waits last.
type Durations struct {
	// Idle is how long an active conversation waits for the customer's
	// next message before it waits for them (waiting_customer).
	Idle time.Duration
	// Waiting is how long a waiting conversation waits before it is
	// resolved on its own.
	Waiting time.Duration
	// Close is how long a resolved conversation stays resolved before it
	// is closed.
	Close time.Duration
}

// Idle is the timer an accept or a customer's message arms at now.
//
// A customer's message postpones it with a slack of a twentieth of the
// wait (store.Timer.Slack): the conversation waits for the customer
// between Idle and Idle×1.05 after their last message, and a customer
// writing several messages within that twentieth moves the timer once.
func (d Durations) IdleTimer(now time.Time) store.Timer {
	return store.Timer{Kind: conversation.IdleTimeout, DueAt: now.Add(d.Idle).UnixMilli(), Slack: (d.Idle / idleSlack).Milliseconds()}
}

// idleSlack is the idle timer's slack as a fraction of its wait (1/20).
const idleSlack = 20

// CloseTimer is the timer a resolve arms at now.
func (d Durations) CloseTimer(now time.Time) store.Timer {
	return store.Timer{Kind: conversation.Close, DueAt: now.Add(d.Close).UnixMilli()}
}

// Plan returns what due timer t does at now: the event it records and the
// timers it arms. ok is false for a kind Plan does not handle (an offer's,
// which its own handler fires, or an unknown one).
func (d Durations) Plan(t store.Timer, now time.Time) (ev store.Event, arm []store.Timer, ok bool) {
	ev.Actor = Actor
	switch t.Kind {
	case conversation.IdleTimeout:
		ev.Type = protocol.EventWaiting
		arm = []store.Timer{{Kind: conversation.AutoResolve, DueAt: now.Add(d.Waiting).UnixMilli()}}
	case conversation.AutoResolve:
		ev.Type, ev.Reason = protocol.EventResolved, protocol.ReasonNoReply
		arm = []store.Timer{d.CloseTimer(now)}
	case conversation.Close:
		ev.Type = protocol.EventClosed
	default:
		return store.Event{}, nil, false
	}
	return ev, arm, true
}

// DefaultBatch is how many due timers one look at the store takes.
const DefaultBatch = 100

// Runner fires due timers.
type Runner struct {
	// Store is where the timers are.
	Store store.Timers
	// Fire applies a due timer and reports whether it is gone (fired,
	// stale or dropped); a timer not gone is looked at again next time.
	Fire func(ctx context.Context, t store.Timer) bool
	// Poll is how often the runner looks (a timer fires at most this
	// late); Batch how many it takes at a time (DefaultBatch).
	Poll  time.Duration
	Batch int
	Now   func() time.Time
	Log   *slog.Logger
}

// Run fires due timers until ctx ends.
func (r *Runner) Run(ctx context.Context) {
	tick := time.NewTicker(r.Poll)
	defer tick.Stop()
	for {
		r.FireDue(ctx)
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

// FireDue fires every timer due now, a batch at a time.
func (r *Runner) FireDue(ctx context.Context) {
	batch := r.Batch
	if batch <= 0 {
		batch = DefaultBatch
	}
	for ctx.Err() == nil {
		due, err := r.Store.DueTimers(ctx, r.Now().UnixMilli(), batch)
		if err != nil {
			if ctx.Err() == nil && r.Log != nil {
				r.Log.Error("read due timers", "err", err)
			}
			return
		}
		fired := 0
		for _, t := range due {
			if ctx.Err() != nil {
				return
			}
			if r.Fire(ctx, t) {
				fired++
			}
		}
		// A batch in which nothing could fire would come back the same.
		if len(due) < batch || fired == 0 {
			return
		}
	}
}
