package botlearn_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/google/uuid"

	"switchboard/backend/botlearn"
	"switchboard/backend/kb"
	"switchboard/backend/store"
	_ "switchboard/backend/store/sqlite" // the tests' store engine
	"switchboard/protocol"
)

// chat is a conversation written into a real store.
type chat struct {
	t  *testing.T
	st store.Store
	id string
}

func openStore(t *testing.T) store.Store {
	t.Helper()
	st, err := store.Open(context.Background(), "sqlite:"+filepath.Join(t.TempDir(), "s.db"), store.OpenOptions{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func newChat(t *testing.T, st store.Store) *chat {
	t.Helper()
	ctx := context.Background()
	cust, err := st.UpsertCustomer(ctx, store.Customer{ID: "cust-" + uuid.NewString()})
	if err != nil {
		t.Fatal(err)
	}
	c, _, err := st.CreateConversation(ctx, store.NewConversation{CustomerID: cust.ID, Channel: "web", Actor: cust.ID,
		Opened: store.NewMessage{ClientMsgID: uuid.NewString(), SenderRole: protocol.RoleSystem, Kind: protocol.KindEvent,
			Visibility: protocol.VisibilityPublic, Event: &store.Event{Type: protocol.EventOpened}}})
	if err != nil {
		t.Fatal(err)
	}
	return &chat{t: t, st: st, id: c.ID}
}

func (c *chat) say(role, text string, ext map[string]string) store.Message {
	c.t.Helper()
	res, err := c.st.AppendMessage(context.Background(), store.NewMessage{ConversationID: c.id, ClientMsgID: uuid.NewString(),
		SenderRole: role, SenderName: role + "-name", Kind: protocol.KindText, Visibility: protocol.VisibilityPublic, Text: text, Ext: ext})
	if err != nil {
		c.t.Fatal(err)
	}
	return res.Message
}

func (c *chat) event(typ string) {
	c.t.Helper()
	if _, err := c.st.AppendMessage(context.Background(), store.NewMessage{ConversationID: c.id, ClientMsgID: uuid.NewString(),
		SenderRole: protocol.RoleSystem, Kind: protocol.KindEvent, Visibility: protocol.VisibilityPublic, Event: &store.Event{Type: typ}}); err != nil {
		c.t.Fatal(err)
	}
}

func entry(id string) map[string]string { return map[string]string{botlearn.ExtKBEntry: id} }

func reasons(ms []store.Miss) map[string]string {
	out := map[string]string{}
	for _, m := range ms {
		out[m.Reason] = m.Text
	}
	return out
}

func TestRecord(t *testing.T) {
	ctx := context.Background()
	st := openStore(t)
	r := botlearn.NewRecorder(st)

	// Unsure: the question itself.
	c := newChat(t, st)
	q := c.say(protocol.RoleCustomer, "寄到新疆要几天", nil)
	c.say(protocol.RoleBot, "您是想问以下问题吗？", nil)
	got, err := r.Answered(ctx, botlearn.Answer{Question: q, Unsure: true})
	if err != nil || len(got) != 1 || got[0].Reason != protocol.MissUnsure || got[0].Text != "寄到新疆要几天" || got[0].Locale != "zh" {
		t.Fatalf("unsure answer recorded %+v, %v", got, err)
	}
	// Answered, then the next question answered by the same entry: the
	// first is asked again. An answer by another entry is not.
	c = newChat(t, st)
	q1 := c.say(protocol.RoleCustomer, "how much is shipping", nil)
	c.say(protocol.RoleBot, "Shipping is free over 99.", entry("shipping-fee"))
	q2 := c.say(protocol.RoleCustomer, "so how much do I pay for delivery", nil)
	if got, _ := r.Answered(ctx, botlearn.Answer{Question: q2, EntryID: "returns"}); len(got) != 0 {
		t.Fatalf("an answer by another entry recorded %+v", got)
	}
	got, err = r.Answered(ctx, botlearn.Answer{Question: q2, EntryID: "shipping-fee"})
	if err != nil || reasons(got)[protocol.MissAskedAgain] != "how much is shipping" || got[0].Seq != q1.Seq {
		t.Fatalf("asked again recorded %+v, %v", got, err)
	}
	// The same entry again after an unsure reply in between is not asked
	// again right after.
	c = newChat(t, st)
	c.say(protocol.RoleCustomer, "how much is shipping", nil)
	c.say(protocol.RoleBot, "Shipping is free over 99.", entry("shipping-fee"))
	c.say(protocol.RoleCustomer, "hmm", nil)
	c.say(protocol.RoleBot, "Sorry?", nil)
	q3 := c.say(protocol.RoleCustomer, "shipping cost?", nil)
	if got, _ := r.Answered(ctx, botlearn.Answer{Question: q3, EntryID: "shipping-fee"}); len(got) != 0 {
		t.Fatalf("not right after, recorded %+v", got)
	}

	// Handed over on a bare request: the question before it.
	c = newChat(t, st)
	c.say(protocol.RoleCustomer, "我的快递三天了还没到", nil)
	c.say(protocol.RoleBot, "您是想问以下问题吗？", nil)
	h := c.say(protocol.RoleCustomer, "转人工", nil)
	got, err = r.HandedOver(ctx, c.id, h.Seq, "customer asked for an agent")
	if err != nil || reasons(got)[protocol.MissHandedOver] != "我的快递三天了还没到" {
		t.Fatalf("handed over recorded %+v, %v", got, err)
	}
	// Nothing but a request: nothing; a VIP handoff: nothing.
	c = newChat(t, st)
	h = c.say(protocol.RoleCustomer, "human please", nil)
	if got, _ := r.HandedOver(ctx, c.id, h.Seq, "customer asked for an agent"); len(got) != 0 {
		t.Fatalf("a bare request recorded %+v", got)
	}
	c = newChat(t, st)
	h = c.say(protocol.RoleCustomer, "where is my parcel", nil)
	if got, _ := r.HandedOver(ctx, c.id, h.Seq, "vip_customer"); len(got) != 0 {
		t.Fatalf("a VIP handoff recorded %+v", got)
	}

	// Unhelpful: the question the answer replied to, once.
	c = newChat(t, st)
	c.say(protocol.RoleCustomer, "can I return a used item", nil)
	a := c.say(protocol.RoleBot, "Returns within 7 days.", entry("returns"))
	for i, want := range []int{1, 0} {
		got, err = r.Unhelpful(ctx, c.id, a.Seq)
		if err != nil || len(got) != want {
			t.Fatalf("unhelpful #%d recorded %+v, %v; want %d", i+1, got, err, want)
		}
	}
	open, _ := st.OpenMisses(ctx, 0)
	if len(open) != 4 {
		t.Fatalf("open misses = %d, want 4", len(open))
	}
}

func TestReport(t *testing.T) {
	ctx := context.Background()
	st := openStore(t)
	r := botlearn.NewRecorder(st)
	ask := func(text string) *chat {
		c := newChat(t, st)
		q := c.say(protocol.RoleCustomer, text, nil)
		c.say(protocol.RoleBot, "?", nil)
		if _, err := r.Answered(ctx, botlearn.Answer{Question: q, Unsure: true}); err != nil {
			t.Fatal(err)
		}
		return c
	}
	ask("能开发票吗")
	handed := ask("可以开增值税发票吗")
	handed.event(protocol.EventHandoff)
	handed.say(protocol.RoleAgent, "可以的，下单后在订单详情里申请电子发票。", nil)
	ask("Can I get an invoice?")
	ask("你们有实体店吗")

	ix, err := kb.NewIndex(kb.Demo())
	if err != nil {
		t.Fatal(err)
	}
	rep, err := botlearn.Report(ctx, st, botlearn.ReportOptions{Search: ix, Version: 3})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Open != 4 || rep.KBVersion != 3 || len(rep.Groups) != 2 {
		t.Fatalf("report: open %d, version %d, %d groups; want 4, 3, 2: %+v", rep.Open, rep.KBVersion, len(rep.Groups), rep)
	}
	g := rep.Groups[0]
	if g.Count != 3 || len(g.Questions) != 3 || g.Questions[0].Text != "Can I get an invoice?" || g.Reasons[protocol.MissUnsure] != 3 || g.Locale != "zh" {
		t.Fatalf("first group = %+v; want the three invoice questions, newest first, mostly Chinese", g)
	}
	if g.ID != g.Questions[2].ID {
		t.Errorf("group id %s, want its oldest question's %s", g.ID, g.Questions[2].ID)
	}
	if g.Draft == nil || g.Draft.Text != "可以的，下单后在订单详情里申请电子发票。" || g.Draft.AgentName != "agent-name" || g.Draft.ConversationID != handed.id {
		t.Errorf("draft = %+v, want the agent's reply after the handoff", g.Draft)
	}
	if len(g.Suggestions) == 0 || len(g.Suggestions) > 3 || g.Suggestions[0].Label == "" {
		t.Errorf("suggestions = %+v, want up to three labelled entries", g.Suggestions)
	}
	if rep.Groups[1].Count != 1 || rep.Groups[1].Draft != nil {
		t.Errorf("second group = %+v", rep.Groups[1])
	}
	if one, _ := botlearn.Report(ctx, st, botlearn.ReportOptions{Limit: 1}); len(one.Groups) != 1 || one.Open != 4 || one.Groups[0].Suggestions != nil {
		t.Errorf("report with limit 1 and no search = %+v", one)
	}
}
