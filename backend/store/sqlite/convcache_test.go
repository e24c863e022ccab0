package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/uuid"

	"switchboard/backend/conversation"
	"switchboard/backend/store"
	"switchboard/protocol"
)

// TestAppendSeesEveryWriter: the writer's conversation cache never answers
// an append with a copy older than a commit, whether the change came from
// this store's other writes or from another connection to the file (the
// admin command's).
func TestAppendSeesEveryWriter(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "cache.db")
	s, err := Open(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.UpsertCustomer(ctx, store.Customer{ID: "v-1", Name: "Wang"}); err != nil {
		t.Fatal(err)
	}
	conv, _, err := s.CreateConversation(ctx, store.NewConversation{CustomerID: "v-1", Channel: "web",
		Opened: store.NewMessage{ClientMsgID: uuid.NewString(), SenderRole: protocol.RoleSystem, Kind: protocol.KindEvent,
			Visibility: protocol.VisibilityPublic, Event: &store.Event{Type: protocol.EventOpened}}})
	if err != nil {
		t.Fatal(err)
	}
	say := func(text string, states ...conversation.State) (store.AppendResult, error) {
		return s.AppendMessage(ctx, store.NewMessage{ConversationID: conv.ID, ClientMsgID: uuid.NewString(),
			SenderRole: protocol.RoleCustomer, SenderID: "v-1", Kind: protocol.KindText,
			Visibility: protocol.VisibilityPublic, Text: text, States: states})
	}
	res, err := say("one")
	if err != nil {
		t.Fatal(err)
	}
	if _, cached := s.convs.get(conv.ID); !cached {
		t.Fatal("the conversation appended to is not cached")
	}
	if res.Conversation.CustomerName != "Wang" || res.Conversation.LastText != "one" {
		t.Fatalf("after the first append: %+v", res.Conversation)
	}

	if c, err := s.Conversation(ctx, conv.ID); err != nil || c.LastSeq != 2 || c.LastText != "one" {
		t.Fatalf("Conversation after the append: %+v, %v", c, err)
	}

	// Another connection renames the customer.
	other, err := sql.Open("sqlite", "file:"+escapePath(path)+"?_pragma=busy_timeout(5000)")
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	if _, err := other.ExecContext(ctx, `UPDATE customers SET name = 'Wang Wei' WHERE id = 'v-1'`); err != nil {
		t.Fatal(err)
	}
	res, err = say("two")
	if err != nil {
		t.Fatal(err)
	}
	if res.Conversation.CustomerName != "Wang Wei" || res.Conversation.LastSeq != 3 {
		t.Fatalf("after another connection's rename: %+v", res.Conversation)
	}
	// Reads outside the writer see another connection's write within
	// readerTTL.
	if _, err := other.ExecContext(ctx, `UPDATE customers SET name = 'Wang Wu' WHERE id = 'v-1'`); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(readerTTL + 2*time.Second); ; time.Sleep(50 * time.Millisecond) {
		c, err := s.Conversation(ctx, conv.ID)
		if err != nil {
			t.Fatal(err)
		}
		if c.CustomerName == "Wang Wu" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("Conversation still says %q %v after another connection's rename", c.CustomerName, readerTTL+2*time.Second)
		}
	}

	// This store's own write: tags and then a state change.
	if _, _, err := s.UpdateTags(ctx, store.TagChange{ConversationID: conv.ID, Add: []string{"vip"}, Max: 10}); err != nil {
		t.Fatal(err)
	}
	if c, err := s.Conversation(ctx, conv.ID); err != nil || len(c.Tags) != 1 {
		t.Fatalf("Conversation right after tagging: tags %v, %v", c.Tags, err)
	}
	res, err = say("three")
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Conversation.Tags) != 1 || res.Conversation.Tags[0] != "vip" {
		t.Fatalf("after tagging: tags %v", res.Conversation.Tags)
	}
	if err := s.UpsertTeam(ctx, store.Team{ID: "presales", Name: "Presales"}); err != nil {
		t.Fatal(err)
	}
	team := "presales"
	if _, _, err := s.ChangeState(ctx, store.StateChange{ConversationID: conv.ID, Event: conversation.Handoff, Team: &team,
		Message: store.NewMessage{ClientMsgID: uuid.NewString(), SenderRole: protocol.RoleSystem, Kind: protocol.KindEvent,
			Visibility: protocol.VisibilityPublic, Event: &store.Event{Type: protocol.EventHandoff}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := say("four", conversation.Bot); !errors.Is(err, store.ErrIllegalState) {
		t.Fatalf("an append for the bot's state after the handoff: %v, want illegal state", err)
	}
	if res, err = say("five", conversation.Queued); err != nil || res.Conversation.State != conversation.Queued {
		t.Fatalf("an append to the queued conversation: %+v, %v", res.Conversation, err)
	}

	// A copy handed out is the caller's: changing it changes no cache.
	res.Conversation.Tags[0] = "changed"
	if c, ok := s.convs.get(conv.ID); ok && c.Tags[0] != "vip" {
		t.Fatalf("the cache shares its tags with a result: %v", c.Tags)
	}
}

// TestBatchRowsTogether runs one group commit by hand: a message, its
// resend, the same client_msg_id in another conversation, an append that
// fails after its guards, and one more message. The resend is a duplicate
// of the first, the borrowed id a conflict, the failed append leaves no row,
// and the rows inserted together carry gap-free seqs with outbox entries in
// seq order.
func TestBatchRowsTogether(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	withEndpoint(t, s) // so messages get outbox rows
	var convs []string
	for _, cust := range []string{"v-1", "v-2"} {
		convs = append(convs, openConversation(t, s, cust).ID)
	}
	msg := func(conv, id string, states ...conversation.State) store.NewMessage {
		return store.NewMessage{ConversationID: conv, ClientMsgID: id, SenderRole: protocol.RoleCustomer,
			Kind: protocol.KindText, Visibility: protocol.VisibilityPublic, Text: "hi " + id[:4], States: states}
	}
	a, b := uuid.NewString(), uuid.NewString()
	reqs := []*appendReq{
		{ctx: ctx, nm: msg(convs[0], a)},
		{ctx: ctx, nm: msg(convs[0], a)},
		{ctx: ctx, nm: msg(convs[1], a)},
		{ctx: ctx, nm: msg(convs[0], uuid.NewString(), conversation.Active)}, // the conversation is with the bot
		{ctx: ctx, nm: msg(convs[0], b)},
	}
	for _, r := range reqs {
		r.done = make(chan appendDone, 1)
	}
	s.commitBatch(&writerScratch{}, reqs)
	got := make([]appendDone, len(reqs))
	for i, r := range reqs {
		got[i] = <-r.done
	}
	if got[0].err != nil || got[0].res.Message.Seq != 2 || got[0].res.Duplicate {
		t.Fatalf("first: %+v", got[0])
	}
	if got[1].err != nil || !got[1].res.Duplicate || got[1].res.Message.Seq != 2 {
		t.Fatalf("resend in the same batch: %+v, want a duplicate of seq 2", got[1])
	}
	if !errors.Is(got[2].err, store.ErrConflict) {
		t.Fatalf("the id in another conversation: %v, want a conflict", got[2].err)
	}
	if !errors.Is(got[3].err, store.ErrIllegalState) {
		t.Fatalf("guarded append: %v, want illegal state", got[3].err)
	}
	if got[4].err != nil || got[4].res.Message.Seq != 3 || got[4].res.Conversation.LastSeq != 3 {
		t.Fatalf("last: %+v", got[4])
	}
	// The conflict and the guard refused before writing: the batch went
	// on without savepoints.
	if n := s.batchRetries.Load(); n != 0 {
		t.Fatalf("batch run again %d times, want 0: its failures wrote nothing", n)
	}
	msgs, err := s.Messages(ctx, store.MessageQuery{ConversationID: convs[0], Limit: 10})
	if err != nil || len(msgs) != 3 || msgs[1].ClientMsgID != a || msgs[2].ClientMsgID != b {
		t.Fatalf("stored: %+v, %v", msgs, err)
	}
	if other, err := s.Messages(ctx, store.MessageQuery{ConversationID: convs[1], Limit: 10}); err != nil || len(other) != 1 {
		t.Fatalf("the other conversation: %+v, %v", other, err)
	}
	rows, err := s.r.QueryContext(ctx, `SELECT seq FROM outbox WHERE conversation_id = ? ORDER BY id`, convs[0])
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var seqs []int64
	for rows.Next() {
		var q int64
		if err := rows.Scan(&q); err != nil {
			t.Fatal(err)
		}
		seqs = append(seqs, q)
	}
	if len(seqs) != 3 || seqs[0] != 1 || seqs[1] != 2 || seqs[2] != 3 {
		t.Fatalf("outbox seqs in id order = %v, want [1 2 3]", seqs)
	}
}

// TestBatchFindsStoredResend: a batch does not look each client_msg_id up
// among the stored messages; a resend of one stored before makes the
// insert fail on the unique index, and the batch runs again carefully,
// once: the resend is answered with the message it repeats, even where a
// guard would now refuse it, an id of another conversation's message is a
// conflict, and the batch's other appends are stored once each.
func TestBatchFindsStoredResend(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	convs := []string{openConversation(t, s, "v-1").ID, openConversation(t, s, "v-2").ID}
	msg := func(conv, id string, states ...conversation.State) store.NewMessage {
		return store.NewMessage{ConversationID: conv, ClientMsgID: id, SenderRole: protocol.RoleCustomer,
			Kind: protocol.KindText, Visibility: protocol.VisibilityPublic, Text: "hi " + id[:4], States: states}
	}
	a, b := uuid.NewString(), uuid.NewString()
	for _, id := range []string{a, b} {
		if _, err := s.AppendMessage(ctx, msg(convs[0], id)); err != nil {
			t.Fatal(err)
		}
	}
	if n := s.batchRetries.Load(); n != 0 {
		t.Fatalf("new messages ran their batch again %d times", n)
	}
	batch := func(nms ...store.NewMessage) []appendDone {
		reqs := make([]*appendReq, len(nms))
		for i, nm := range nms {
			reqs[i] = &appendReq{ctx: ctx, nm: nm, done: make(chan appendDone, 1)}
		}
		s.commitBatch(&writerScratch{}, reqs)
		got := make([]appendDone, len(reqs))
		for i, r := range reqs {
			got[i] = <-r.done
		}
		return got
	}
	// A resend its guard would refuse now: refused, it is looked up, and
	// the batch need not run again.
	got := batch(msg(convs[1], uuid.NewString()), msg(convs[0], b, conversation.Active))
	if got[0].err != nil || got[0].res.Duplicate || got[0].res.Message.Seq != 2 {
		t.Fatalf("new message: %+v", got[0])
	}
	if got[1].err != nil || !got[1].res.Duplicate || got[1].res.Message.Seq != 3 {
		t.Fatalf("guarded resend: %+v, want the stored seq 3", got[1])
	}
	if n := s.batchRetries.Load(); n != 0 {
		t.Fatalf("a refused resend ran its batch again %d times", n)
	}
	got = batch(msg(convs[0], a), msg(convs[1], a), msg(convs[0], uuid.NewString()))
	if got[0].err != nil || !got[0].res.Duplicate || got[0].res.Message.Seq != 2 || got[0].res.Message.Text != "hi "+a[:4] {
		t.Fatalf("resend: %+v, want the stored seq 2", got[0])
	}
	if !errors.Is(got[1].err, store.ErrConflict) {
		t.Fatalf("another conversation's id: %v, want a conflict", got[1].err)
	}
	if got[2].err != nil || got[2].res.Duplicate || got[2].res.Message.Seq != 4 {
		t.Fatalf("new message after the resends: %+v, want seq 4", got[2])
	}
	if n := s.batchRetries.Load(); n != 1 {
		t.Fatalf("batch run %d more times, want once", n)
	}
	for i, want := range []int{4, 2} {
		msgs, err := s.Messages(ctx, store.MessageQuery{ConversationID: convs[i], Limit: 10})
		if err != nil || len(msgs) != want {
			t.Fatalf("conversation %d holds %d messages, %v; want %d", i, len(msgs), err, want)
		}
	}
}

// TestJoinedWriteStandsAlone: a write joined to a group commit (the
// outbox's fan-out) commits with the batch's appends, and one that fails
// undoes its own writes only.
func TestJoinedWriteStandsAlone(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	withEndpoint(t, s) // so messages get outbox rows
	c := openConversation(t, s, "v-1")
	outbox := func() int {
		var n int
		if err := s.r.QueryRowContext(ctx, `SELECT count(*) FROM outbox`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	before := outbox()
	if before == 0 {
		t.Fatal("no outbox row for the opening: the failed write would have nothing to delete")
	}
	msg := func() store.NewMessage {
		return store.NewMessage{ConversationID: c.ID, ClientMsgID: uuid.NewString(), SenderRole: protocol.RoleCustomer,
			Kind: protocol.KindText, Visibility: protocol.VisibilityPublic, Text: "hi"}
	}
	boom := errors.New("boom")
	reqs := []*appendReq{
		{ctx: ctx, nm: msg()},
		{ctx: ctx, apart: func(tx *sql.Tx) error {
			if _, err := tx.ExecContext(ctx, `DELETE FROM outbox`); err != nil {
				return err
			}
			return boom
		}},
		{ctx: ctx, nm: msg()},
	}
	for _, r := range reqs {
		r.done = make(chan appendDone, 1)
	}
	s.commitBatch(&writerScratch{}, reqs)
	got := make([]appendDone, len(reqs))
	for i, r := range reqs {
		got[i] = <-r.done
	}
	if got[0].err != nil || got[2].err != nil || got[2].res.Message.Seq != 3 {
		t.Fatalf("appends around the failed write: %+v, %+v", got[0], got[2])
	}
	if !errors.Is(got[1].err, boom) {
		t.Fatalf("failed joined write: %v, want its own error", got[1].err)
	}
	if n := s.batchRetries.Load(); n != 1 {
		t.Fatalf("batch run again %d times, want once, with savepoints: the failed write had written", n)
	}
	if n := outbox(); n != before+2 {
		t.Fatalf("outbox rows = %d, want %d: the failed write's delete undone, the appends' rows kept", n, before+2)
	}
	// The fan-out joins the writer's next batch and commits.
	n, err := s.FanOut(ctx, 100, 0, func(store.OutboxEntry) []store.Route { return nil })
	if err != nil || n != before+2 {
		t.Fatalf("FanOut = %d, %v, want %d", n, err, before+2)
	}
	if n := outbox(); n != 0 {
		t.Fatalf("outbox rows after the fan-out = %d, want 0", n)
	}
}
