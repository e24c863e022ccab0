package timers

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/uuid"

	"switchboard/backend/conversation"
	"switchboard/backend/store"
	_ "switchboard/backend/store/sqlite" // the tests' store engine
	"switchboard/protocol"
)

func TestPlan(t *testing.T) {
	d := Durations{Idle: 5 * time.Minute, Waiting: 10 * time.Minute, Close: 24 * time.Hour}
	now := time.UnixMilli(1_000_000)
	for _, tc := range []struct {
		kind   conversation.Event
		event  string
		reason string
		arms   conversation.Event
		after  time.Duration
	}{
		{conversation.IdleTimeout, protocol.EventWaiting, "", conversation.AutoResolve, d.Waiting},
		{conversation.AutoResolve, protocol.EventResolved, protocol.ReasonNoReply, conversation.Close, d.Close},
		{conversation.Close, protocol.EventClosed, "", "", 0},
	} {
		ev, arm, ok := d.Plan(store.Timer{Kind: tc.kind}, now)
		if !ok || ev.Type != tc.event || ev.Reason != tc.reason || ev.Actor != Actor {
			t.Errorf("%s: event %+v ok %v, want %s/%s", tc.kind, ev, ok, tc.event, tc.reason)
		}
		switch {
		case tc.arms == "" && len(arm) != 0:
			t.Errorf("%s arms %+v, want nothing", tc.kind, arm)
		case tc.arms != "" && (len(arm) != 1 || arm[0].Kind != tc.arms || arm[0].DueAt != now.Add(tc.after).UnixMilli()):
			t.Errorf("%s arms %+v, want %s in %v", tc.kind, arm, tc.arms, tc.after)
		}
	}
	for _, k := range []conversation.Event{conversation.OfferTimeout, "nonsense"} {
		if _, _, ok := d.Plan(store.Timer{Kind: k}, now); ok {
			t.Errorf("Plan took a %s timer", k)
		}
	}
	if got := d.IdleTimer(now); got.Kind != conversation.IdleTimeout || got.DueAt != now.Add(d.Idle).UnixMilli() ||
		got.Slack != (d.Idle/20).Milliseconds() || got.Slack <= 0 {
		t.Errorf("IdleTimer = %+v, want due after %v with a slack of a twentieth of it", got, d.Idle)
	}
}

// armed stores n conversations, each active with an idle timer due at due.
func armed(t *testing.T, st store.Store, n int, due time.Time) {
	t.Helper()
	ctx := context.Background()
	if err := st.UpsertTeam(ctx, store.Team{ID: "t", Name: "T"}); err != nil {
		t.Fatal(err)
	}
	a, err := st.UpsertAgent(ctx, store.Agent{Username: "a", Name: "A", Role: protocol.RoleAgent, Teams: []string{"t"}, PasswordHash: "x"})
	if err != nil {
		t.Fatal(err)
	}
	ev := func(typ string) store.NewMessage {
		return store.NewMessage{ClientMsgID: uuid.NewString(), SenderRole: protocol.RoleSystem, Kind: protocol.KindEvent,
			Visibility: protocol.VisibilityPublic, Event: &store.Event{Type: typ}}
	}
	team := "t"
	for range n {
		cust := uuid.NewString()
		if _, err := st.UpsertCustomer(ctx, store.Customer{ID: cust, Name: "C"}); err != nil {
			t.Fatal(err)
		}
		c, _, err := st.CreateConversation(ctx, store.NewConversation{ID: uuid.NewString(), CustomerID: cust, Channel: "web", Opened: ev(protocol.EventOpened)})
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := st.ChangeState(ctx, store.StateChange{ConversationID: c.ID, Event: conversation.Handoff, Team: &team, Message: ev(protocol.EventHandoff)}); err != nil {
			t.Fatal(err)
		}
		if _, _, err := st.ChangeState(ctx, store.StateChange{ConversationID: c.ID, Event: conversation.Accept, AssigneeID: &a.ID,
			Message: ev(protocol.EventAssigned), Arm: []store.Timer{{Kind: conversation.IdleTimeout, DueAt: due.UnixMilli()}}}); err != nil {
			t.Fatal(err)
		}
	}
}

func TestRunnerFiresEveryDueTimerInBatches(t *testing.T) {
	st, err := store.Open(context.Background(), "sqlite:"+filepath.Join(t.TempDir(), "s.db"), store.OpenOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	now := time.Now()
	armed(t, st, 7, now.Add(-time.Second))
	armed(t, st, 2, now.Add(time.Hour)) // not due
	seen := map[string]int{}
	r := Runner{Store: st, Batch: 3, Now: func() time.Time { return now }, Fire: func(ctx context.Context, tm store.Timer) bool {
		seen[tm.ConversationID]++
		return st.DisarmTimer(ctx, tm) == nil
	}}
	r.FireDue(context.Background())
	if len(seen) != 7 {
		t.Fatalf("fired the timers of %d conversations, want 7 (in batches of 3)", len(seen))
	}
	for id, n := range seen {
		if n != 1 {
			t.Errorf("the timer of %s fired %d times", id, n)
		}
	}

	// A handler that cannot fire (the store is failing, say) stops the
	// pass after one batch instead of spinning.
	armed(t, st, 5, now.Add(-time.Second))
	calls := 0
	r.Fire = func(context.Context, store.Timer) bool { calls++; return false }
	r.FireDue(context.Background())
	if calls != 3 {
		t.Errorf("a failing handler was called %d times, want one batch of 3", calls)
	}
}
