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
