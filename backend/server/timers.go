package server

import (
	"context"
	"errors"
	"time"

	"switchboard/backend/conversation"
	"switchboard/backend/store"
	"switchboard/protocol"
)

// Timers. The state machine's timers are rows in the store, armed in the
// transaction of the state change that starts them and dropped by the next
// one, so they survive a restart and never outlive their state. One runner
// goroutine, owned by the Server, looks for due timers every TimerPoll and
// fires each through the store's conditional state change: a timer that was
// replaced or dropped meanwhile changes nothing.
//
//	accept, customer_reply  arm idle_timeout  (IdleTimeout; postponed by every customer message)
//	idle_timeout            arms auto_resolve (WaitingTimeout)
//	resolve, auto_resolve   arm close         (CloseAfter)

// dueTimerBatch is how many due timers one look at the store takes.
const dueTimerBatch = 100

// timerActor names the timer runner in the audit log.
const timerActor = "system"

func (s *Server) dueAt(d time.Duration) int64 { return s.cfg.Now().Add(d).UnixMilli() }

func (s *Server) idleTimer() store.Timer {
	return store.Timer{Kind: conversation.IdleTimeout, DueAt: s.dueAt(s.cfg.IdleTimeout)}
}

func (s *Server) closeTimer() store.Timer {
	return store.Timer{Kind: conversation.Close, DueAt: s.dueAt(s.cfg.CloseAfter)}
}

// runTimers is the timer runner. It stops when the server's base context
// ends; Shutdown waits for it before closing the store.
func (s *Server) runTimers() {
	defer close(s.timersDone)
	tick := time.NewTicker(s.cfg.TimerPoll)
	defer tick.Stop()
	for {
		s.fireDueTimers(s.baseCtx)
		select {
		case <-s.baseCtx.Done():
			return
		case <-tick.C:
		}
	}
}

// fireDueTimers fires every timer due now, a batch at a time.
func (s *Server) fireDueTimers(ctx context.Context) {
	for ctx.Err() == nil {
		due, err := s.store.DueTimers(ctx, s.nowMS(), dueTimerBatch)
		if err != nil {
			if ctx.Err() == nil {
				s.log.Error("read due timers", "err", err)
			}
			return
		}
		fired := 0
		for _, t := range due {
			if ctx.Err() != nil {
				return
			}
			if s.fireTimer(ctx, t) {
				fired++
			}
		}
		// A batch in which nothing could fire would come back the same.
		if len(due) < dueTimerBatch || fired == 0 {
			return
		}
	}
}

// fireTimer applies a due timer's event, with its event message, audit entry
// and the next state's timer in one transaction, then pushes the change. It
// reports whether the timer is gone (fired, stale or dropped).
func (s *Server) fireTimer(ctx context.Context, t store.Timer) bool {
	ev := &store.Event{Actor: timerActor}
	var arm []store.Timer
	switch t.Kind {
	case conversation.IdleTimeout:
		ev.Type = protocol.EventWaiting
		arm = []store.Timer{{Kind: conversation.AutoResolve, DueAt: s.dueAt(s.cfg.WaitingTimeout)}}
	case conversation.AutoResolve:
		ev.Type, ev.Reason = protocol.EventResolved, protocol.ReasonNoReply
		arm = []store.Timer{s.closeTimer()}
	case conversation.Close:
		ev.Type = protocol.EventClosed
	case conversation.OfferTimeout:
		return s.expireOffer(ctx, t)
	default:
		s.log.Warn("dropping a timer of unknown kind", "conversation_id", t.ConversationID, "kind", string(t.Kind))
		return s.disarm(ctx, t)
	}
	mu := s.lockConv(t.ConversationID)
	mu.Lock()
	defer mu.Unlock()
	before, err := s.store.Conversation(ctx, t.ConversationID)
	if err != nil {
		s.log.Error("load conversation for timer", "conversation_id", t.ConversationID, "err", err)
		return false
	}
	tt := t
	after, msg, err := s.store.ChangeState(ctx, store.StateChange{
		ConversationID: t.ConversationID,
		Event:          t.Kind,
		Message: store.NewMessage{
			// Derived from the timer's version: firing the same timer twice
			// (a crash between commit and delete cannot happen, but a retry
			// after an unknown outcome can) stores one event.
			ClientMsgID: timerMessageID(t),
			SenderRole:  protocol.RoleSystem,
			Kind:        protocol.KindEvent,
			Visibility:  protocol.VisibilityPublic,
			Event:       ev,
		},
		Actor:   timerActor,
		Arm:     arm,
		IfTimer: &tt,
	})
	if errors.Is(err, store.ErrIllegalState) {
		// Replaced or dropped since it was read, or (which no path arms) a
		// timer its state does not take: either way it must not come back.
		s.log.Debug("timer did not fire", "conversation_id", t.ConversationID, "kind", string(t.Kind), "err", err)
		return s.disarm(ctx, t)
	}
	if err != nil {
		if ctx.Err() == nil {
			s.log.Error("fire timer", "conversation_id", t.ConversationID, "kind", string(t.Kind), "err", err)
		}
		return false
	}
	s.log.Info("conversation "+string(t.Kind), "conversation_id", after.ID,
		"from", string(before.State), "to", string(after.State))
	s.pushConversationLocked(before, after)
	s.pushMessageLocked(after, msg)
	return true
}

func (s *Server) disarm(ctx context.Context, t store.Timer) bool {
	if err := s.store.DisarmTimer(ctx, t); err != nil {
		s.log.Error("disarm timer", "conversation_id", t.ConversationID, "kind", string(t.Kind), "err", err)
		return false
	}
	return true
}
