package server

import (
	"context"
	"errors"
	"time"

	"switchboard/backend/conversation"
	"switchboard/backend/store"
	"switchboard/backend/timers"
	"switchboard/protocol"
)

// Timers (package timers): the runner looks for due timers every TimerPoll
// and fires each here, through the store's conditional state change.

// timerActor names the timer runner in the audit log.
const timerActor = timers.Actor

func (s *Server) dueAt(d time.Duration) int64 { return s.cfg.Now().Add(d).UnixMilli() }

// durations are the state machine's waits.
func (s *Server) durations() timers.Durations {
	return timers.Durations{Idle: s.cfg.IdleTimeout, Waiting: s.cfg.WaitingTimeout, Close: s.cfg.CloseAfter}
}

func (s *Server) idleTimer() store.Timer  { return s.durations().IdleTimer(s.cfg.Now()) }
func (s *Server) closeTimer() store.Timer { return s.durations().CloseTimer(s.cfg.Now()) }

// runTimers is the timer runner. It stops when the server's base context
// ends; Shutdown waits for it before closing the store.
func (s *Server) runTimers() {
	defer close(s.timersDone)
	r := timers.Runner{Store: s.store, Fire: s.fireTimer, Poll: s.cfg.TimerPoll, Now: s.cfg.Now, Log: s.log}
	r.Run(s.baseCtx)
}

// fireTimer applies a due timer's event, with its event message, audit entry
// and the next state's timer in one transaction, then pushes the change. It
// reports whether the timer is gone (fired, stale or dropped).
func (s *Server) fireTimer(ctx context.Context, t store.Timer) bool {
	if t.Kind == conversation.OfferTimeout {
		return s.expireOffer(ctx, t)
	}
	plan, arm, ok := s.durations().Plan(t, s.cfg.Now())
	if !ok {
		s.log.Warn("dropping a timer of unknown kind", "conversation_id", t.ConversationID, "kind", string(t.Kind))
		return s.disarm(ctx, t)
	}
	ev := &plan
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
