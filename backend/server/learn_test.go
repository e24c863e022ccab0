package server

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"switchboard/backend/bot"
	"switchboard/backend/kb"
	"switchboard/backend/kbedit"
	"switchboard/backend/store"
	"switchboard/protocol"
)

// learnEnv starts a server whose bot is the real knowledge-base bot over
// the demo knowledge base, following the published one as the server
// binary wires it (kbedit.Live).
func learnEnv(t *testing.T) (*env, store.Store) {
	t.Helper()
	dir := t.TempDir()
	st, err := openTestStore(t, dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	var cur atomic.Pointer[bot.KBBot]
	build := func(k *kb.KB) (*kb.Index, error) {
		b, err := bot.NewKB(k, bot.Options{})
		if err != nil {
			return nil, err
		}
		cur.Store(b)
		return b.Index(), nil
	}
	demo := kb.Demo()
	ix, err := build(demo)
	if err != nil {
		t.Fatal(err)
	}
	live := kbedit.NewLive(kb.NewShared(st), demo, ix, build)
	answer := BotFunc(func(ctx context.Context, in BotInput) (BotReply, error) {
		r, err := cur.Load().Answer(ctx, bot.Input{ConversationID: in.ConversationID, Text: in.Text, LastTeam: in.LastTeam,
			Ext: in.Ext, Verified: in.Verified, LowConfidence: in.LowConfidence})
		return BotReply{Text: r.Text, Locale: r.Locale, Handoff: r.Handoff, Reason: r.Reason, Team: r.Team,
			EntryID: r.EntryID, Score: r.Score, Suggestions: r.Suggestions}, err
	})
	e := startEnv(t, Config{DataDir: dir, Demo: true, Store: st, Bot: answer, KnowledgeBase: live, Identity: testIdentity(t)})
	return e, st
}

// ask sends text as the customer and returns the bot's answer.
func ask(c *client, convID, text string) protocol.Message {
	c.t.Helper()
	ack := c.sendText(convID, text)
	return c.waitMessage("bot answer to "+text, func(m protocol.Message) bool {
		return m.Sender.Role == protocol.RoleBot && m.Seq > ack.Seq
	})
}

// report asks for the report until it holds want open questions: the bot
// records a miss after its answer was pushed.
func report(sup *client, want int) protocol.BotReport {
	sup.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		var rep protocol.BotReport
		sup.decode(sup.request(protocol.TypeBotReport, protocol.BotReportRequest{}), protocol.TypeBotReport, &rep)
		if rep.Open == want || time.Now().After(deadline) {
			if rep.Open != want {
				sup.t.Fatalf("report has %d open questions, want %d: %+v", rep.Open, want, rep)
			}
			return rep
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestKBEditReachesTheBot(t *testing.T) {
	e, st := learnEnv(t)
	sam, _ := e.agent("sam")
	carol, _ := e.agent("carol")
	cust, _ := e.customer("customer")
	conv := cust.open(nil)

	const question = "Do you sell dog food?"
	first := ask(cust, conv.ID, question)
	if first.Ext[extKBEntry] != "" {
		t.Fatalf("the demo knowledge base already answers %q (entry %q)", question, first.Ext[extKBEntry])
	}
	rep := report(sam, 1)
	miss := rep.Groups[0].Questions[0]
	if miss.Text != question || miss.Locale != "en" || (miss.Reason != protocol.MissUnsure && miss.Reason != protocol.MissHandedOver) {
		t.Fatalf("report question = %+v", miss)
	}

	var k protocol.KBData
	sam.decode(sam.request(protocol.TypeKB, protocol.KBRequest{History: true}), protocol.TypeKB, &k)
	if k.Version != 0 || len(k.Entries) != len(kb.Demo().Entries) {
		t.Fatalf("kb before any edit: version %d, %d entries", k.Version, len(k.Entries))
	}

	// Agents and customers do not edit.
	edit := protocol.KBEditData{Op: protocol.KBOpCreateEntry, BaseVersion: 0, MissIDs: []string{miss.ID}, Entry: &protocol.KBEntry{
		ID: "pets", Team: "presales", Questions: protocol.KBQuestions{EN: []string{question}},
		Answer: protocol.KBText{ZH: "有的：狗粮和零食在宠物专区。", EN: "Yes: dog food and treats are in our Pets section."}}}
	carol.wantError(carol.request(protocol.TypeKBEdit, edit), "forbidden")
	cust.wantError(cust.request(protocol.TypeKBEdit, edit), "forbidden")

	sam.decode(sam.request(protocol.TypeKBEdit, edit), protocol.TypeKBEdit, &k)
	if k.Version != 1 || len(k.Entries) != len(kb.Demo().Entries)+1 {
		t.Fatalf("after create_entry: version %d, %d entries", k.Version, len(k.Entries))
	}
	report(sam, 0) // the edit answered it

	// The very next question gets the new entry's answer.
	cust2, _ := e.customer("customer2")
	conv2 := cust2.open(nil)
	got := ask(cust2, conv2.ID, question)
	if got.Ext[extKBEntry] != "pets" || got.Text != "Yes: dog food and treats are in our Pets section." {
		t.Fatalf("after the edit the bot answered %q (entry %q)", got.Text, got.Ext[extKBEntry])
	}

	// A question added to the entry answers in its language.
	sam.decode(sam.request(protocol.TypeKBEdit, protocol.KBEditData{Op: protocol.KBOpAddQuestion, BaseVersion: 1,
		EntryID: "pets", Locale: "zh", Question: "你们卖狗粮吗"}), protocol.TypeKBEdit, &k)
	if k.Version != 2 {
		t.Fatalf("after add_question: version %d", k.Version)
	}
	if got := ask(cust2, conv2.ID, "你们卖狗粮吗"); got.Ext[extKBEntry] != "pets" || got.Text != "有的：狗粮和零食在宠物专区。" {
		t.Fatalf("the added question was answered %q (entry %q)", got.Text, got.Ext[extKBEntry])
	}
	// The same question again, and an edit on an old version, are refused.
	sam.wantError(sam.request(protocol.TypeKBEdit, protocol.KBEditData{Op: protocol.KBOpAddQuestion, BaseVersion: 2,
		EntryID: "pets", Locale: "zh", Question: "你们卖狗粮吗"}), "invalid_request")
	sam.wantError(sam.request(protocol.TypeKBEdit, protocol.KBEditData{Op: protocol.KBOpAddQuestion, BaseVersion: 1,
		EntryID: "pets", Locale: "zh", Question: "狗能进店吗"}), "conflict")

	// Rollback to version 1 drops the added question again.
	sam.decode(sam.request(protocol.TypeKBEdit, protocol.KBEditData{Op: protocol.KBOpRollback, BaseVersion: 2, Version: 1}), protocol.TypeKBEdit, &k)
	sam.decode(sam.request(protocol.TypeKB, protocol.KBRequest{History: true}), protocol.TypeKB, &k)
	if k.Version != 3 || len(k.History) != 3 || k.History[0].Summary != "rollback to v1" || k.History[0].Author != "Sam" {
		t.Fatalf("history after the rollback = %+v", k.History)
	}
	if log, _ := st.AuditLog(context.Background(), store.AuditQuery{Action: kbedit.AuditAction}); len(log) != 3 {
		t.Fatalf("audit log has %d kb edits, want 3", len(log))
	}
}

func TestBotFeedback(t *testing.T) {
	e, _ := learnEnv(t)
	sam, _ := e.agent("sam")
	alice, _ := e.agent("alice")
	cust, _ := e.customer("customer")
	conv := cust.open(nil)
	answer := ask(cust, conv.ID, "运费怎么算？")
	if answer.Ext[extKBEntry] == "" {
		t.Fatalf("the demo bot did not answer from an entry: %+v", answer)
	}
	rate := func(c *client, seq int64, helpful bool) protocol.Frame {
		return c.request(protocol.TypeBotFeedback, protocol.BotFeedbackData{ConversationID: conv.ID, Seq: seq, Helpful: helpful})
	}
	alice.wantError(rate(alice, answer.Seq, false), "forbidden")
	other, _ := e.customer("other")
	other.wantError(rate(other, answer.Seq, false), "not_found")
	cust.wantError(rate(cust, answer.Seq-1, false), "invalid_request") // the customer's own message
	cust.wantError(rate(cust, answer.Seq+50, false), "not_found")

	var d protocol.BotFeedbackData
	cust.decode(rate(cust, answer.Seq, true), protocol.TypeBotFeedback, &d)
	if !d.Helpful || d.Seq != answer.Seq {
		t.Fatalf("feedback reply = %+v", d)
	}
	report(sam, 0)
	cust.decode(rate(cust, answer.Seq, false), protocol.TypeBotFeedback, &d)
	rep := report(sam, 1)
	if q := rep.Groups[0].Questions[0]; q.Reason != protocol.MissUnhelpful || q.Text != "运费怎么算？" || rep.Groups[0].Locale != "zh" {
		t.Fatalf("report after an unhelpful verdict = %+v", rep.Groups[0])
	}
	if len(rep.Groups[0].Suggestions) == 0 {
		t.Errorf("no suggestions from the live bot's index: %+v", rep.Groups[0])
	}
	_, _, page := e.get("/metrics", "", nil)
	for series, want := range map[string]float64{
		`switchboard_bot_feedback_total{helpful="true"}`: 1, `switchboard_bot_feedback_total{helpful="false"}`: 1,
		`switchboard_bot_misses_total{reason="unhelpful"}`: 1,
	} {
		if got := metricValue(t, string(page), series); got != want {
			t.Errorf("%s = %v, want %v", series, got, want)
		}
	}
}
