package sqlite

import (
	"context"
	"testing"

	"switchboard/backend/conversation"
	"switchboard/backend/store"
	"switchboard/protocol"

	"github.com/google/uuid"
)

// TestTimerVersions: a postponement keeps the timer's row and gives it the
// postponing message's seq, so each postponement is a version of its own,
// and a re-armed timer's version is above every version of the one before.
func TestTimerVersions(t *testing.T) {
	for _, v := range []struct{ id, seq int64 }{{1, 0}, {1, 7}, {1<<31 - 1, 1<<32 - 1}} {
		if id, seq := timerRow(timerVersion(v.id, v.seq)); id != v.id || seq != v.seq {
			t.Errorf("timerRow(timerVersion(%d, %d)) = %d, %d", v.id, v.seq, id, seq)
		}
	}
	ctx := context.Background()
	s := openTemp(t)
	c := openConversation(t, s, "v-1")
	var rowsBefore int
	if err := s.r.QueryRowContext(ctx, `SELECT count(*) FROM timers`).Scan(&rowsBefore); err != nil {
		t.Fatal(err)
	}
	if _, err := s.w.ExecContext(ctx, `INSERT INTO timers (conversation_id, kind, due_at) VALUES (?, ?, 1000)`,
		c.ID, string(conversation.IdleTimeout)); err != nil {
		t.Fatal(err)
	}
	armed, err := s.Timers(ctx, c.ID)
	if err != nil || len(armed) != 1 {
		t.Fatalf("Timers = %+v, %v", armed, err)
	}
	var seen []int64
	for due := int64(2000); due <= 4000; due += 1000 {
		res, err := s.AppendMessage(ctx, store.NewMessage{ConversationID: c.ID, ClientMsgID: uuid.NewString(),
			SenderRole: protocol.RoleCustomer, Kind: protocol.KindText, Visibility: protocol.VisibilityPublic, Text: "still here",
			Postpone: &store.Timer{Kind: conversation.IdleTimeout, DueAt: due}})
		if err != nil {
			t.Fatal(err)
		}
		got, err := s.Timers(ctx, c.ID)
		if err != nil || len(got) != 1 || got[0].DueAt != due {
			t.Fatalf("after postponing to %d: %+v, %v", due, got, err)
		}
		if id, seq := timerRow(got[0].Version); seq != res.Message.Seq || id != armed[0].Version>>timerSeqBits {
			t.Fatalf("version %d is row %d seq %d, want row %d and the message's seq %d", got[0].Version, id, seq, armed[0].Version>>timerSeqBits, res.Message.Seq)
		}
		seen = append(seen, got[0].Version)
	}
	for i := 1; i < len(seen); i++ {
		if seen[i] <= seen[i-1] {
			t.Fatalf("versions %v do not increase", seen)
		}
	}
	var rows int
	if err := s.r.QueryRowContext(ctx, `SELECT count(*) FROM timers`).Scan(&rows); err != nil || rows != rowsBefore+1 {
		t.Fatalf("timer rows = %d, %v, want %d: a postponement keeps its row", rows, err, rowsBefore+1)
	}
	// Re-armed, the timer's version is above every earlier one.
	if _, err := s.w.ExecContext(ctx, `DELETE FROM timers WHERE conversation_id = ?`, c.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.w.ExecContext(ctx, `INSERT INTO timers (conversation_id, kind, due_at) VALUES (?, ?, 9000)`,
		c.ID, string(conversation.IdleTimeout)); err != nil {
		t.Fatal(err)
	}
	again, err := s.Timers(ctx, c.ID)
	if err != nil || len(again) != 1 || again[0].Version <= seen[len(seen)-1] {
		t.Fatalf("re-armed: %+v, %v, want a version above %d", again, err, seen[len(seen)-1])
	}
}

// TestPostponeLeavesDueAt: a postponement to later writes due_later and
// leaves due_at, so the index on due_at is not touched per message; the
// timer is due at the later time all the same; DueTimers, finding it at
// its old due_at, moves due_at up; a postponement to earlier than due_at
// moves due_at itself.
func TestPostponeLeavesDueAt(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	c := openConversation(t, s, "v-1")
	if _, err := s.w.ExecContext(ctx, `INSERT INTO timers (conversation_id, kind, due_at) VALUES (?, ?, 1000)`,
		c.ID, string(conversation.IdleTimeout)); err != nil {
		t.Fatal(err)
	}
	columns := func() (dueAt, dueLater int64) {
		t.Helper()
		if err := s.r.QueryRowContext(ctx, `SELECT due_at, due_later FROM timers WHERE conversation_id = ?`, c.ID).Scan(&dueAt, &dueLater); err != nil {
			t.Fatal(err)
		}
		return dueAt, dueLater
	}
	postpone := func(due int64) {
		t.Helper()
		if _, err := s.AppendMessage(ctx, store.NewMessage{ConversationID: c.ID, ClientMsgID: uuid.NewString(),
			SenderRole: protocol.RoleCustomer, Kind: protocol.KindText, Visibility: protocol.VisibilityPublic, Text: "still here",
			Postpone: &store.Timer{Kind: conversation.IdleTimeout, DueAt: due}}); err != nil {
			t.Fatal(err)
		}
	}
	dueAt := func(now int64) []store.Timer {
		t.Helper()
		ts, err := s.DueTimers(ctx, now, 10)
		if err != nil {
			t.Fatal(err)
		}
		return ts
	}
	postpone(3000)
	if at, later := columns(); at != 1000 || later != 3000 {
		t.Fatalf("after postponing to 3000: due_at %d, due_later %d; want 1000, 3000", at, later)
	}
	if ts := dueAt(1500); len(ts) != 0 {
		t.Fatalf("due at 1500: %+v, want none: it was postponed to 3000", ts)
	}
	if at, later := columns(); at != 3000 || later != 0 {
		t.Fatalf("after DueTimers found it postponed: due_at %d, due_later %d; want 3000, 0", at, later)
	}
	postpone(5000)
	if ts := dueAt(4999); len(ts) != 0 {
		t.Fatalf("due at 4999: %+v", ts)
	}
	if ts := dueAt(5000); len(ts) != 1 || ts[0].DueAt != 5000 {
		t.Fatalf("due at 5000: %+v, want the timer, due at 5000", ts)
	}
	postpone(2000) // a shorter wait than the one armed
	if at, later := columns(); at != 2000 || later != 0 {
		t.Fatalf("after postponing to an earlier 2000: due_at %d, due_later %d; want 2000, 0", at, later)
	}
	if ts := dueAt(2000); len(ts) != 1 || ts[0].DueAt != 2000 {
		t.Fatalf("due at 2000: %+v", ts)
	}
}

// TestPostponeWithinSlackReadsNothing: a postponement within the slack of
// what the writer knows of the timer is skipped without a lookup, and what
// it knows is forgotten by a state change that re-arms the timer, so the
// next postponement moves the new one.
func TestPostponeWithinSlackReadsNothing(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	c := openConversation(t, s, "slack-1")
	idle := func(due, slack int64) *store.Timer {
		return &store.Timer{Kind: conversation.IdleTimeout, DueAt: due, Slack: slack}
	}
	customer := func(p *store.Timer) {
		t.Helper()
		if _, err := s.AppendMessage(ctx, store.NewMessage{ConversationID: c.ID, ClientMsgID: uuid.NewString(),
			SenderRole: protocol.RoleCustomer, Kind: protocol.KindText, Visibility: protocol.VisibilityPublic, Text: "still here",
			Postpone: p}); err != nil {
			t.Fatal(err)
		}
	}
	due := func() int64 {
		t.Helper()
		ts, err := s.Timers(ctx, c.ID)
		if err != nil || len(ts) != 1 {
			t.Fatalf("Timers = %+v, %v, want one", ts, err)
		}
		return ts[0].DueAt
	}
	eventMessage := func(typ string) store.NewMessage {
		return store.NewMessage{ClientMsgID: uuid.NewString(), SenderRole: protocol.RoleSystem, Kind: protocol.KindEvent,
			Visibility: protocol.VisibilityPublic, Event: &store.Event{Type: typ}}
	}
	agent := "agent-slack"
	if _, err := s.UpsertAgent(ctx, store.Agent{ID: agent, Username: agent, Name: "Agent", Role: protocol.RoleAgent}); err != nil {
		t.Fatal(err)
	}
	// Armed the way the server arms it: by a state change.
	team := ""
	if _, _, err := s.ChangeState(ctx, store.StateChange{ConversationID: c.ID, Event: conversation.Handoff, Team: &team,
		Message: eventMessage(protocol.EventHandoff)}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.ChangeState(ctx, store.StateChange{ConversationID: c.ID, Event: conversation.Accept, AssigneeID: &agent,
		Arm: []store.Timer{*idle(1000, 0)}, Message: eventMessage(protocol.EventAssigned)}); err != nil {
		t.Fatal(err)
	}
	customer(idle(5000, 200)) // moved: 5200, and the writer knows it
	if got := due(); got != 5200 {
		t.Fatalf("due at %d after postponing to 5000 with slack 200, want 5200", got)
	}
	// Behind the writer's back (as no server path does): the row moves to
	// 3000. A postponement within the slack of what the writer knows
	// (5100..5300 holds 5200) neither reads nor writes the row.
	if _, err := s.w.ExecContext(ctx, `UPDATE timers SET due_at = 3000, due_later = 0 WHERE conversation_id = ?`, c.ID); err != nil {
		t.Fatal(err)
	}
	customer(idle(5100, 200))
	if got := due(); got != 3000 {
		t.Fatalf("due at %d, want the row as it was (3000): the postponement within the known slack read it", got)
	}
	// A state change re-arming the timer makes the writer forget: the next
	// postponement reads the new timer and moves it.
	if _, _, err := s.ChangeState(ctx, store.StateChange{ConversationID: c.ID, Event: conversation.AgentReply,
		Arm: []store.Timer{*idle(2000, 0)}, Message: eventMessage(protocol.EventAssigned)}); err != nil {
		t.Fatal(err)
	}
	customer(idle(5100, 200))
	if got := due(); got != 5300 {
		t.Fatalf("due at %d after a re-arm and a postponement to 5100 with slack 200, want 5300", got)
	}
	// Waited for, the conversation has no idle timer: a customer's message
	// postpones none (and the writer learns there is none), then its state
	// change re-arms one in the same append. The next postponement reads
	// and moves that one.
	if _, _, err := s.ChangeState(ctx, store.StateChange{ConversationID: c.ID, Event: conversation.IdleTimeout,
		Arm: []store.Timer{{Kind: conversation.AutoResolve, DueAt: 8000}}, Message: eventMessage(protocol.EventWaiting)}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AppendMessage(ctx, store.NewMessage{ConversationID: c.ID, ClientMsgID: uuid.NewString(),
		SenderRole: protocol.RoleCustomer, Kind: protocol.KindText, Visibility: protocol.VisibilityPublic, Text: "back",
		Postpone: idle(9000, 200), Change: store.ChangeOn{Event: conversation.CustomerReply, Make: func(store.NewMessage) store.StateChange {
			return store.StateChange{Arm: []store.Timer{*idle(9000, 200)}, Message: eventMessage(protocol.EventResumed)}
		}}}); err != nil {
		t.Fatal(err)
	}
	if got := due(); got != 9000 {
		t.Fatalf("due at %d after the customer's reply re-armed it at 9000", got)
	}
	customer(idle(9500, 200))
	if got := due(); got != 9700 {
		t.Fatalf("due at %d after postponing the re-armed timer to 9500 with slack 200, want 9700", got)
	}
}
