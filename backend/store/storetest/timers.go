package storetest

import (
	"context"
	"errors"
	"sync"
	"testing"

	"github.com/google/uuid"

	"switchboard/backend/conversation"
	"switchboard/backend/store"
)

// testTimersDue checks DueTimers across conversations (earliest first, up
// to the limit) and DisarmTimer, which deletes only the version it names.
func testTimersDue(t *testing.T, s store.Store) {
	ctx := context.Background()
	alice, _, _ := seed(t, s)
	var convs []store.Conversation
	for _, due := range []int64{3000, 1000, 2000} {
		cust, err := s.UpsertCustomer(ctx, store.Customer{ID: uuid.NewString()})
		if err != nil {
			t.Fatal(err)
		}
		c := create(t, s, cust.ID)
		accept(t, s, c.ID, alice.ID, store.Timer{Kind: conversation.IdleTimeout, DueAt: due})
		convs = append(convs, c)
	}
	due, err := s.DueTimers(ctx, 2500, 0)
	if err != nil || len(due) != 2 || due[0].ConversationID != convs[1].ID || due[1].ConversationID != convs[2].ID {
		t.Fatalf("DueTimers(2500) = %+v, %v, want the timers due at 1000 and 2000, in that order", due, err)
	}
	if first, err := s.DueTimers(ctx, 5000, 1); err != nil || len(first) != 1 || first[0] != due[0] {
		t.Errorf("DueTimers(limit 1) = %+v, %v, want %+v", first, err, due[:1])
	}

	// A version replaced since it was read disarms nothing.
	stale := due[0]
	m := textMsg(stale.ConversationID, "still there")
	m.Postpone = &store.Timer{Kind: conversation.IdleTimeout, DueAt: 4000}
	if _, err := s.AppendMessage(ctx, m); err != nil {
		t.Fatal(err)
	}
	if err := s.DisarmTimer(ctx, stale); err != nil {
		t.Fatalf("DisarmTimer(stale) = %v, want nil", err)
	}
	fresh := timers(t, s, stale.ConversationID)
	if len(fresh) != 1 || fresh[0].DueAt != 4000 || fresh[0].Version == stale.Version {
		t.Fatalf("timers after disarming a stale version = %+v, want the postponed one", fresh)
	}
	if err := s.DisarmTimer(ctx, fresh[0]); err != nil {
		t.Fatalf("DisarmTimer: %v", err)
	}
	if got := timers(t, s, stale.ConversationID); len(got) != 0 {
		t.Errorf("timers after DisarmTimer = %+v, want none", got)
	}
	// Disarming again is harmless.
	if err := s.DisarmTimer(ctx, fresh[0]); err != nil {
		t.Errorf("DisarmTimer(again) = %v, want nil", err)
	}
	if due, err := s.DueTimers(ctx, 5000, 0); err != nil || len(due) != 2 || due[0].ConversationID != convs[2].ID || due[1].ConversationID != convs[0].ID {
		t.Errorf("DueTimers after disarming = %+v, %v, want the timers due at 2000 and 3000", due, err)
	}
}

// testTimersFireOnce fires one due timer from many goroutines at once, as
// several nodes reading the same DueTimers do: exactly one firing changes
// the conversation.
func testTimersFireOnce(t *testing.T, s store.Store) {
	ctx := context.Background()
	alice, _, cust := seed(t, s)
	c := create(t, s, cust.ID)
	before := accept(t, s, c.ID, alice.ID, store.Timer{Kind: conversation.IdleTimeout, DueAt: 1000})
	due, err := s.DueTimers(ctx, 1000, 0)
	if err != nil || len(due) != 1 {
		t.Fatalf("DueTimers = %+v, %v, want one", due, err)
	}
	const n = 8
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			tt := due[0]
			_, _, errs[i] = s.ChangeState(ctx, store.StateChange{ConversationID: c.ID, Event: tt.Kind, IfTimer: &tt,
				Message: eventMsg("waiting"), Actor: "timer"})
		})
	}
	wg.Wait()
	fired := 0
	for _, err := range errs {
		switch {
		case err == nil:
			fired++
		case !errors.Is(err, store.ErrIllegalState):
			t.Errorf("a losing firing = %v, want ErrIllegalState", err)
		}
	}
	if fired != 1 {
		t.Fatalf("the timer fired %d times, want once", fired)
	}
	after, err := s.Conversation(ctx, c.ID)
	if err != nil || after.State != conversation.WaitingCustomer || after.LastSeq != before.LastSeq+1 {
		t.Errorf("after firing = %+v, %v, want waiting_customer with one more message", after, err)
	}
	if left, err := s.DueTimers(ctx, 1000, 0); err != nil || len(left) != 0 {
		t.Errorf("DueTimers after firing = %+v, %v, want none", left, err)
	}
}
