package conversations

import (
	"context"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"switchboard/backend/conversation"
	"switchboard/backend/store"
	_ "switchboard/backend/store/sqlite" // the tests' store engine
	"switchboard/protocol"
)

// recorder is a Pusher that writes down what it was asked, in order, in
// the log the test shares with ack and the hooks.
type recorder struct {
	mu  *sync.Mutex
	log *[]string
}

func (r recorder) add(s string) {
	r.mu.Lock()
	*r.log = append(*r.log, s)
	r.mu.Unlock()
}

func (r recorder) Message(c store.Conversation, m store.Message) {
	r.add(fmt.Sprintf("push message %d", m.Seq))
}

func (r recorder) Conversation(before, after store.Conversation) {
	r.add(fmt.Sprintf("push conversation %s", after.State))
}

func (r recorder) Change(ctx context.Context, before, after store.Conversation, msg store.Message, then int) {
	r.add(fmt.Sprintf("push change %s %d", after.State, msg.Seq))
}

type fixture struct {
	st   store.Store
	svc  *Service
	mu   sync.Mutex
	log  []string
	lock sync.Mutex
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	st, err := store.Open(context.Background(), "sqlite:"+filepath.Join(t.TempDir(), "s.db"), store.OpenOptions{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	f := &fixture{st: st}
	rec := recorder{mu: &f.mu, log: &f.log}
	f.svc = New(Config{
		Store: st,
		Lock:  func(string) *sync.Mutex { return &f.lock },
		Push:  rec,
		IdleTimer: func() store.Timer {
			return store.Timer{Kind: conversation.IdleTimeout, DueAt: time.Now().Add(time.Hour).UnixMilli()}
		},
		CloseTimer: func() store.Timer {
			return store.Timer{Kind: conversation.Close, DueAt: time.Now().Add(time.Hour).UnixMilli()}
		},
		QueueTeam: func(_ context.Context, team string) string { return team },
		Answer:    func(c store.Conversation, m store.Message, locale string) { rec.add("answer " + locale) },
		Whispered: func(actor string, m store.Message) { rec.add("whisper audited") },
	})
	return f
}

func (f *fixture) take() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := f.log
	f.log = nil
	return out
}

func (f *fixture) open(t *testing.T, customer Actor) store.Conversation {
	t.Helper()
	ctx := context.Background()
	if _, err := f.st.UpsertCustomer(ctx, store.Customer{ID: customer.ID, Name: customer.Name}); err != nil {
		t.Fatal(err)
	}
	c, _, err := f.st.CreateConversation(ctx, store.NewConversation{
		ID: uuid.NewString(), CustomerID: customer.ID, Channel: "web",
		Opened: SystemEvent(protocol.EventOpened, "", customer.Name), Actor: customer.ID,
	})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func equal(a, b []string) bool {
	return fmt.Sprint(a) == fmt.Sprint(b)
}

func TestSendStoresThenAcksThenPushes(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	cust := Actor{ID: "cust-1", Name: "Lin", Role: protocol.RoleCustomer}
	conv := f.open(t, cust)
	in := SendInput{By: cust, Conversation: conv, ClientMsgID: uuid.NewString(), Kind: protocol.KindText,
		Visibility: protocol.VisibilityPublic, Text: "你好", Locale: "zh"}
	ack := func(res store.AppendResult) {
		f.mu.Lock()
		f.log = append(f.log, fmt.Sprintf("ack %d duplicate=%v", res.Message.Seq, res.Duplicate))
		f.mu.Unlock()
	}
	res, perr := f.svc.Send(ctx, in, ack)
	if perr != nil {
		t.Fatal(perr)
	}
	want := []string{fmt.Sprintf("ack %d duplicate=false", res.Message.Seq), fmt.Sprintf("push message %d", res.Message.Seq), "answer zh"}
	if got := f.take(); !equal(got, want) {
		t.Fatalf("send did %q, want %q", got, want)
	}
	// A retry is acknowledged with the stored message and pushes nothing;
	// as the newest message of a conversation with the bot it is answered
	// again (the bot's writes are idempotent).
	again, perr := f.svc.Send(ctx, in, ack)
	if perr != nil || again.Message.Seq != res.Message.Seq {
		t.Fatalf("retry = %+v, %v", again.Message, perr)
	}
	want = []string{fmt.Sprintf("ack %d duplicate=true", res.Message.Seq), "answer zh"}
	if got := f.take(); !equal(got, want) {
		t.Fatalf("retry did %q, want %q", got, want)
	}
}

func TestSendRefusals(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	cust := Actor{ID: "cust-1", Name: "Lin", Role: protocol.RoleCustomer}
	conv := f.open(t, cust)
	agent := Actor{ID: "agent-1", Name: "Alice", Role: protocol.RoleAgent, Teams: []string{"presales"}}
	noAck := func(store.AppendResult) { t.Error("a refused message was acknowledged") }
	send := func(by Actor, vis string) *protocol.Error {
		_, perr := f.svc.Send(ctx, SendInput{By: by, Conversation: conv, ClientMsgID: uuid.NewString(),
			Kind: protocol.KindText, Visibility: vis, Text: "hello"}, noAck)
		return perr
	}
	// The bot has it: an agent may not write to the customer yet.
	if perr := send(agent, protocol.VisibilityPublic); perr == nil || perr.Code != protocol.ErrIllegalState.Code {
		t.Errorf("agent writing to a conversation with the bot: %v, want %s", perr, protocol.ErrIllegalState.Code)
	}
	// Nor whisper in a conversation of no team of theirs.
	if perr := send(agent, protocol.VisibilityWhisper); perr == nil || perr.Code != protocol.ErrForbidden.Code {
		t.Errorf("agent whispering: %v, want %s", perr, protocol.ErrForbidden.Code)
	}
	if got := f.take(); len(got) != 0 {
		t.Errorf("refusals pushed %q", got)
	}
	msgs, err := f.st.Messages(ctx, store.MessageQuery{ConversationID: conv.ID})
	if err != nil || len(msgs) != 1 {
		t.Errorf("stored %d messages (%v), want only the opened event", len(msgs), err)
	}
}

func TestAgentFlowAndReopen(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	cust := Actor{ID: "cust-1", Name: "Lin", Role: protocol.RoleCustomer}
	conv := f.open(t, cust)
	agent := Actor{Name: "alice", Role: protocol.RoleAgent, Teams: []string{"presales"}}
	other := Actor{Name: "bob", Role: protocol.RoleAgent, Teams: []string{"presales"}}
	team := "presales"
	if err := f.st.UpsertTeam(ctx, store.Team{ID: team, Name: "Presales"}); err != nil {
		t.Fatal(err)
	}
	for _, a := range []*Actor{&agent, &other} {
		stored, err := f.st.UpsertAgent(ctx, store.Agent{Username: a.Name, Name: a.Name, Role: a.Role, Teams: a.Teams, PasswordHash: "x"})
		if err != nil {
			t.Fatal(err)
		}
		a.ID = stored.ID
	}
	var cur store.Conversation
	keep := func(c store.Conversation) { cur = c }
	if perr := f.svc.Change(ctx, cust, conv, store.StateChange{Event: conversation.Handoff, Team: &team,
		Message: SystemEvent(protocol.EventHandoff, "asked", "")}, keep); perr != nil {
		t.Fatal(perr)
	}
	if perr := f.svc.Change(ctx, agent, cur, store.StateChange{Event: conversation.Accept, AssigneeID: &agent.ID,
		Message: EventMessage(agent, protocol.EventAssigned, "")}, keep); perr != nil {
		t.Fatal(perr)
	}
	if cur.State != conversation.Active || cur.AssigneeID != agent.ID {
		t.Fatalf("after accept: %s, assignee %q", cur.State, cur.AssigneeID)
	}
	f.take()
	if perr := f.svc.Resolve(ctx, other, cur, keep); perr == nil || perr.Code != protocol.ErrForbidden.Code {
		t.Errorf("another agent resolving: %v, want %s", perr, protocol.ErrForbidden.Code)
	}
	if perr := f.svc.Resolve(ctx, agent, cur, keep); perr != nil {
		t.Fatal(perr)
	}
	if got := f.take(); len(got) != 1 || got[0] != fmt.Sprintf("push change resolved %d", cur.LastSeq) {
		t.Errorf("resolve pushed %q", got)
	}
	// The customer writes again: back to the team's queue, the reopened
	// conversation pushed before the message, and no bot answer.
	res, perr := f.svc.Send(ctx, SendInput{By: cust, Conversation: cur, ClientMsgID: uuid.NewString(),
		Kind: protocol.KindText, Visibility: protocol.VisibilityPublic, Text: "one more thing", Locale: "en"}, func(store.AppendResult) {})
	if perr != nil {
		t.Fatal(perr)
	}
	if res.Conversation.State != conversation.Queued || res.Conversation.Team != team {
		t.Errorf("after writing to a resolved conversation: %s in %q, want queued in %s", res.Conversation.State, res.Conversation.Team, team)
	}
	want := []string{"push conversation queued", fmt.Sprintf("push message %d", res.Message.Seq-1), fmt.Sprintf("push message %d", res.Message.Seq)}
	if got := f.take(); !equal(got, want) {
		t.Errorf("reopen did %q, want %q", got, want)
	}
}
