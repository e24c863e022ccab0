package server

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"switchboard/backend/audit"
	"switchboard/backend/auth"
	"switchboard/backend/store"
	"switchboard/backend/supervise"
	"switchboard/protocol"
)

// supervisor creates another supervisor of teams and connects them.
func (e *env) supervisor(username string, teams ...string) *client {
	e.t.Helper()
	hash, err := auth.HashPasswordWith(testPasswordParams, DemoPassword)
	if err != nil {
		e.t.Fatal(err)
	}
	if _, err := e.srv.store.UpsertAgent(context.Background(), store.Agent{Username: username, Name: strings.ToUpper(username[:1]) + username[1:],
		Role: protocol.RoleSupervisor, PasswordHash: hash, Teams: teams}); err != nil {
		e.t.Fatal(err)
	}
	c, _ := e.agent(username)
	return c
}

func (c *client) monitor(id string, on bool) protocol.MonitorState {
	c.t.Helper()
	var st protocol.MonitorState
	c.decode(c.request(protocol.TypeMonitor, protocol.MonitorData{ConversationID: id, On: on}), protocol.TypeMonitor, &st)
	return st
}

// supervise sends a supervision frame answered by the conversation.
func (c *client) supervise(typ string, data any) protocol.Conversation {
	c.t.Helper()
	var conv protocol.Conversation
	c.decode(c.request(typ, data), protocol.TypeConversation, &conv)
	return conv
}

func (c *client) whisper(id, text string) protocol.Frame {
	c.t.Helper()
	return c.request(protocol.TypeSend, protocol.SendData{ConversationID: id, ClientMsgID: uuid.NewString(), Kind: protocol.KindText,
		Text: text, Visibility: protocol.VisibilityWhisper})
}

// draft sends a draft (answered only on failure).
func (c *client) draft(id, text string) {
	c.t.Helper()
	b, _ := protocol.Encode(protocol.TypeDraft, "", protocol.DraftData{ConversationID: id, Text: text})
	c.writeRaw(b)
}

func (c *client) waitMonitorState(what string, match func(protocol.MonitorState) bool) protocol.MonitorState {
	c.t.Helper()
	var st protocol.MonitorState
	c.waitPush("monitor state "+what, func(f protocol.Frame) bool {
		if f.Type != protocol.TypeMonitor {
			return false
		}
		st = protocol.MonitorState{}
		json.Unmarshal(f.Data, &st)
		return match(st)
	})
	return st
}

func (c *client) waitAssist(what string, match func(protocol.AssistPush) bool) protocol.AssistPush {
	c.t.Helper()
	var a protocol.AssistPush
	c.waitPush("assist "+what, func(f protocol.Frame) bool {
		if f.Type != protocol.TypeAssist {
			return false
		}
		a = protocol.AssistPush{}
		json.Unmarshal(f.Data, &a)
		return match(a)
	})
	return a
}

func isEvent(typ string) func(protocol.Message) bool {
	return func(m protocol.Message) bool { return m.Event != nil && m.Event.Type == typ }
}

// supervisionAudit lists the entries of action on conv, as "actor detail".
func supervisionAudit(t *testing.T, e *env, action, conv string) []string {
	t.Helper()
	e.srv.audits.flush()
	got, err := e.srv.store.AuditLog(context.Background(), store.AuditQuery{Action: action, ConversationID: conv})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, a := range got {
		out = append(out, a.Actor+" "+a.Detail)
	}
	return out
}

func TestSupervisionTopicsAreSubjects(t *testing.T) {
	// The registry publishes to subjects the hub adapter takes as topics.
	if supervise.SubjectAgent("a") != topicAgent("a") || supervise.SubjectSupervisors("t") != topicSupervisors("t") ||
		supervise.SubjectAdmins != topicAdmins {
		t.Fatal("supervise subjects and hub topics differ")
	}
}

// TestMonitorAndDraft: a supervisor monitors silently; the agent is told
// who monitors them and their draft reaches the monitor; stopping or
// disconnecting ends it, each audited.
func TestMonitorAndDraft(t *testing.T) {
	e := pickEnv(t, nil)
	alice, _ := e.agent("alice")
	_, conv := e.activeWith(alice, "customer")
	sam, _ := e.agent("sam")
	samID := e.agentID("sam")

	// Nobody monitors: a draft goes nowhere, and is not answered.
	alice.draft(conv.ID, "nobody sees this")
	alice.list(protocol.ListMine) // the draft has been handled
	st := sam.monitor(conv.ID, true)
	if len(st.Monitors) != 1 || st.Monitors[0].ID != samID || st.Monitors[0].Name != "Sam" {
		t.Fatalf("monitor reply = %+v", st)
	}
	alice.waitMonitorState("sam monitoring", func(s protocol.MonitorState) bool {
		return s.ConversationID == conv.ID && len(s.Monitors) == 1 && s.Monitors[0].ID == samID
	})
	alice.draft(conv.ID, "Let me check your ord")
	got := sam.waitPush("draft", func(f protocol.Frame) bool { return f.Type == protocol.TypeDraft })
	var d protocol.DraftPush
	json.Unmarshal(got.Data, &d)
	if d.ConversationID != conv.ID || d.Text != "Let me check your ord" || d.Sender.Name != "Alice" || d.At == 0 {
		t.Fatalf("draft push = %+v", d)
	}
	// A monitor reads the internal notes and whispers live.
	alice.request(protocol.TypeSend, protocol.SendData{ConversationID: conv.ID, ClientMsgID: uuid.NewString(), Kind: protocol.KindText,
		Text: "customer seems upset", Visibility: protocol.VisibilityInternal})
	sam.waitMessage("internal note", func(m protocol.Message) bool { return m.Visibility == protocol.VisibilityInternal })
	alice.whisper(conv.ID, "help?")
	sam.waitMessage("whisper", func(m protocol.Message) bool { return m.Visibility == protocol.VisibilityWhisper })

	// Drafts: only the assignee's, within the limit.
	sam.wantError(sam.request(protocol.TypeDraft, protocol.DraftData{ConversationID: conv.ID, Text: "x"}), protocol.ErrForbidden.Code)
	alice.wantError(alice.request(protocol.TypeDraft, protocol.DraftData{ConversationID: conv.ID, Text: strings.Repeat("x", protocol.MaxTextRunes+1)}),
		protocol.ErrTextTooLong.Code)

	// Stop: the agent is told, drafts stop.
	if st := sam.monitor(conv.ID, false); len(st.Monitors) != 0 {
		t.Fatalf("monitor off reply = %+v", st)
	}
	alice.waitMonitorState("nobody", func(s protocol.MonitorState) bool { return len(s.Monitors) == 0 })

	// A monitor ends with its connection.
	sam2, _ := e.agent("sam")
	sam2.monitor(conv.ID, true)
	alice.waitMonitorState("sam again", func(s protocol.MonitorState) bool { return len(s.Monitors) == 1 })
	// An agent connecting later is told at hello.
	alice2, _ := e.agent("alice")
	alice2.waitMonitorState("at hello", func(s protocol.MonitorState) bool { return s.ConversationID == conv.ID && len(s.Monitors) == 1 })
	sam2.ws.Close()
	alice.waitMonitorState("after the disconnect", func(s protocol.MonitorState) bool { return len(s.Monitors) == 0 })

	want := []string{"start " + samID, "stop " + samID + " stop", "start " + samID, "stop " + samID + " disconnect"}
	var have []string
	e.srv.audits.flush()
	entries, _ := e.srv.store.AuditLog(context.Background(), store.AuditQuery{ConversationID: conv.ID})
	for _, en := range entries {
		switch en.Action {
		case audit.ActionMonitorStart:
			have = append(have, "start "+en.Actor)
		case audit.ActionMonitorStop:
			_, why, _ := strings.Cut(en.Detail, "reason=")
			have = append(have, "stop "+en.Actor+" "+why)
		}
	}
	if fmt.Sprint(have) != fmt.Sprint(want) {
		t.Fatalf("monitor audit = %v, want %v", have, want)
	}
	// Drafts after the monitors left reach nobody.
	alice.draft(conv.ID, "after")
	sam.noPush(300*time.Millisecond, "draft after the monitor stopped", func(f protocol.Frame) bool { return f.Type == protocol.TypeDraft })
}

// TestMonitorRules: another team's supervisor cannot monitor, nor anyone
// a conversation that is not worked.
func TestMonitorRules(t *testing.T) {
	e := pickEnv(t, nil)
	alice, _ := e.agent("alice")
	_, conv := e.activeWith(alice, "customer")
	vera := e.supervisor("vera", "aftersales")
	vera.wantError(vera.request(protocol.TypeMonitor, protocol.MonitorData{ConversationID: conv.ID, On: true}), protocol.ErrNotFound.Code)
	alice.wantError(alice.request(protocol.TypeMonitor, protocol.MonitorData{ConversationID: conv.ID, On: true}), protocol.ErrForbidden.Code)
	alice.supervise(protocol.TypeResolve, ref(conv.ID))
	sam, _ := e.agent("sam")
	sam.wantError(sam.request(protocol.TypeMonitor, protocol.MonitorData{ConversationID: conv.ID, On: true}), protocol.ErrIllegalState.Code)
}

// TestWhisper: the team's supervisor and the assignee whisper to each
// other; other agents cannot; each whisper is audited.
func TestWhisper(t *testing.T) {
	e := pickEnv(t, nil)
	alice, _ := e.agent("alice")
	_, conv := e.activeWith(alice, "customer")
	sam, _ := e.agent("sam")
	var ack protocol.AckData
	sam.decode(sam.whisper(conv.ID, "offer the coupon"), protocol.TypeAck, &ack)
	m := alice.waitMessage("whisper", func(m protocol.Message) bool { return m.Seq == ack.Seq })
	if m.Visibility != protocol.VisibilityWhisper || m.Sender.Role != protocol.RoleSupervisor || m.Text != "offer the coupon" {
		t.Fatalf("whisper = %+v", m)
	}
	alice.decode(alice.whisper(conv.ID, "done"), protocol.TypeAck, &ack)
	sam.waitMessage("whisper back", func(m protocol.Message) bool { return m.Seq == ack.Seq && m.Visibility == protocol.VisibilityWhisper })
	// A whisper is not a reply: the first reply is still to come.
	if c, _ := e.srv.store.Conversation(context.Background(), conv.ID); c.FirstReplyAt != 0 {
		t.Fatalf("first_reply_at after whispers = %d", c.FirstReplyAt)
	}
	carol, _ := e.agent("carol")
	carol.wantError(carol.whisper(conv.ID, "me too"), protocol.ErrNotFound.Code)
	// A supervisor who has not joined may whisper but not reply.
	f := sam.request(protocol.TypeSend, protocol.SendData{ConversationID: conv.ID, ClientMsgID: uuid.NewString(), Kind: protocol.KindText, Text: "hi"})
	sam.wantError(f, protocol.ErrForbidden.Code)
	if !strings.Contains(f.Error.Message, "join") {
		t.Fatalf("refusal %q does not say how to write", f.Error.Message)
	}
	if got := supervisionAudit(t, e, audit.ActionWhisper, conv.ID); len(got) != 2 {
		t.Fatalf("whisper audit = %v", got)
	}
	// A resend of a stored whisper is acknowledged again, even once the
	// conversation moved on; a new one is refused.
	id := uuid.NewString()
	whisper := protocol.SendData{ConversationID: conv.ID, ClientMsgID: id, Kind: protocol.KindText, Text: "later", Visibility: protocol.VisibilityWhisper}
	sam.decode(sam.request(protocol.TypeSend, whisper), protocol.TypeAck, &ack)
	alice.supervise(protocol.TypeResolve, ref(conv.ID))
	var again protocol.AckData
	sam.decode(sam.request(protocol.TypeSend, whisper), protocol.TypeAck, &again)
	if !again.Duplicate || again.Seq != ack.Seq {
		t.Fatalf("resent whisper = %+v, want the duplicate of %+v", again, ack)
	}
	sam.wantError(sam.whisper(conv.ID, "too late"), protocol.ErrIllegalState.Code)
	// Whispers go to queued conversations too, from their supervisors.
	_, q := e.queued("waiting", "human")
	sam.decode(sam.whisper(q.ID, "vip, take it"), protocol.TypeAck, &ack)
	carol.wantError(carol.whisper(q.ID, "ok"), protocol.ErrForbidden.Code)
}

// TestJoinAndLeave: a supervisor barges in visibly, replies next to the
// agent, and leaves.
func TestJoinAndLeave(t *testing.T) {
	e := pickEnv(t, nil)
	alice, _ := e.agent("alice")
	cust, conv := e.activeWith(alice, "customer")
	sam, _ := e.agent("sam")
	samID := e.agentID("sam")
	c := sam.supervise(protocol.TypeJoin, ref(conv.ID))
	if len(c.Joined) != 1 || c.Joined[0].ID != samID || c.AssigneeID != e.agentID("alice") {
		t.Fatalf("join reply = %+v", c)
	}
	ev := cust.waitMessage("joined", isEvent(protocol.EventJoined))
	if ev.Visibility != protocol.VisibilityPublic || ev.Event.Actor != "Sam" {
		t.Fatalf("joined event = %+v", ev)
	}
	alice.waitConversation("joined", func(c protocol.Conversation) bool { return len(c.Joined) == 1 })
	// Joining twice changes nothing.
	if again := sam.supervise(protocol.TypeJoin, ref(conv.ID)); again.LastSeq != c.LastSeq {
		t.Fatalf("joining twice moved the conversation: %d → %d", c.LastSeq, again.LastSeq)
	}
	ack := sam.sendText(conv.ID, "Hi, I'm Sam, the team lead")
	m := cust.waitMessage("supervisor's reply", func(m protocol.Message) bool { return m.Seq == ack.Seq })
	if m.Sender.Role != protocol.RoleSupervisor || m.Sender.Name != "Sam" {
		t.Fatalf("supervisor's reply = %+v", m)
	}
	alice.sendText(conv.ID, "and I'm still here")
	c = sam.supervise(protocol.TypeLeave, ref(conv.ID))
	if len(c.Joined) != 0 {
		t.Fatalf("leave reply = %+v", c)
	}
	cust.waitMessage("left", isEvent(protocol.EventLeft))
	sam.wantError(sam.request(protocol.TypeSend, protocol.SendData{ConversationID: conv.ID, ClientMsgID: uuid.NewString(), Kind: protocol.KindText, Text: "x"}),
		protocol.ErrForbidden.Code)
	for _, action := range []string{"join", "leave"} {
		if got := supervisionAudit(t, e, action, conv.ID); len(got) != 1 || !strings.HasPrefix(got[0], samID) {
			t.Fatalf("%s audit = %v", action, got)
		}
	}
	// Join is for worked conversations; another team's supervisor may not.
	vera := e.supervisor("vera", "aftersales")
	vera.wantError(vera.request(protocol.TypeJoin, ref(conv.ID)), protocol.ErrNotFound.Code)
	_, q := e.queued("waiting", "human")
	sam.wantError(sam.request(protocol.TypeJoin, ref(q.ID)), protocol.ErrIllegalState.Code)
}

// TestTakeOver: the supervisor becomes the assignee; the agent is pushed
// the change and the event, and can no longer reply.
func TestTakeOver(t *testing.T) {
	e := pickEnv(t, nil)
	alice, _ := e.agent("alice")
	cust, conv := e.activeWith(alice, "customer")
	sam, _ := e.agent("sam")
	samID := e.agentID("sam")
	c := sam.supervise(protocol.TypeTakeOver, ref(conv.ID))
	if c.AssigneeID != samID || c.State != protocol.StateActive {
		t.Fatalf("take over reply = %+v", c)
	}
	alice.waitConversation("taken", func(c protocol.Conversation) bool { return c.ID == conv.ID && c.AssigneeID == samID })
	ev := alice.waitMessage("taken_over event", isEvent(protocol.EventTakenOver))
	if ev.Event.Actor != "Sam" || ev.Event.Reason != "Alice" {
		t.Fatalf("taken_over event = %+v", ev.Event)
	}
	cust.waitMessage("taken_over event", isEvent(protocol.EventTakenOver))
	alice.wantError(alice.request(protocol.TypeSend, protocol.SendData{ConversationID: conv.ID, ClientMsgID: uuid.NewString(), Kind: protocol.KindText, Text: "x"}),
		protocol.ErrNotFound.Code)
	sam.sendText(conv.ID, "I'll take it from here")
	sam.wantError(sam.request(protocol.TypeTakeOver, ref(conv.ID)), protocol.ErrIllegalState.Code)
	if got := supervisionAudit(t, e, "take_over", conv.ID); len(got) != 1 || !strings.HasPrefix(got[0], samID) {
		t.Fatalf("take over audit = %v", got)
	}
}

// TestTakeOverRace: two supervisors take over at once; one wins, the
// other is told the conversation is a supervisor's already (or was given to
// someone meanwhile).
func TestTakeOverRace(t *testing.T) {
	e := pickEnv(t, nil)
	alice, _ := e.agent("alice")
	for round := 0; round < 5; round++ {
		_, conv := e.activeWith(alice, fmt.Sprint("customer", round))
		s1, _ := e.agent("sam")
		s2 := e.supervisor(fmt.Sprint("sue", round), "presales")
		var wg sync.WaitGroup
		frames := make([]protocol.Frame, 2)
		for i, s := range []*client{s1, s2} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				b, _ := protocol.Encode(protocol.TypeTakeOver, "t", ref(conv.ID))
				s.writeRaw(b)
				for {
					s.ws.SetReadDeadline(time.Now().Add(5 * time.Second))
					_, raw, err := s.ws.ReadMessage()
					if err != nil {
						return
					}
					var f protocol.Frame
					json.Unmarshal(raw, &f)
					if f.ID == "t" {
						frames[i] = f
						return
					}
				}
			}()
		}
		wg.Wait()
		won := 0
		for _, f := range frames {
			switch {
			case f.Type == protocol.TypeConversation:
				won++
			case f.Type == protocol.TypeError && f.Error.Code == protocol.ErrIllegalState.Code:
			default:
				t.Fatalf("round %d: take over answered %+v", round, f)
			}
		}
		if won != 1 {
			t.Fatalf("round %d: %d take-overs won, want 1", round, won)
		}
		events := 0
		for _, m := range s1.sync(conv.ID, 0).Messages {
			if m.Event != nil && m.Event.Type == protocol.EventTakenOver {
				events++
			}
		}
		if events != 1 {
			t.Fatalf("round %d: %d taken_over events", round, events)
		}
		s1.ws.Close()
		s2.ws.Close()
	}
}

// TestTakeOverWhileAgentSends: every message the agent had acknowledged
// is before the take-over; after it, the agent is refused.
func TestTakeOverWhileAgentSends(t *testing.T) {
	e := pickEnv(t, unlimited)
	alice, _ := e.agent("alice")
	_, conv := e.activeWith(alice, "customer")
	writer, _ := e.agent("alice")
	sam, _ := e.agent("sam")
	acked := make(chan []int64, 1)
	go func() {
		var seqs []int64
		defer func() { acked <- seqs }()
		for i := 0; i < 200; i++ {
			b, _ := protocol.Encode(protocol.TypeSend, "w", protocol.SendData{ConversationID: conv.ID, ClientMsgID: uuid.NewString(),
				Kind: protocol.KindText, Text: fmt.Sprint("m", i)})
			if writer.ws.WriteMessage(1, b) != nil {
				return
			}
			for {
				writer.ws.SetReadDeadline(time.Now().Add(5 * time.Second))
				_, raw, err := writer.ws.ReadMessage()
				if err != nil {
					return
				}
				var f protocol.Frame
				json.Unmarshal(raw, &f)
				if f.ID != "w" {
					continue
				}
				if f.Type != protocol.TypeAck {
					return
				}
				var a protocol.AckData
				json.Unmarshal(f.Data, &a)
				seqs = append(seqs, a.Seq)
				break
			}
		}
	}()
	time.Sleep(20 * time.Millisecond)
	sam.supervise(protocol.TypeTakeOver, ref(conv.ID))
	seqs := <-acked
	var taken int64
	stored := map[int64]bool{}
	for _, m := range sam.sync(conv.ID, 0).Messages {
		if m.Event != nil && m.Event.Type == protocol.EventTakenOver {
			taken = m.Seq
		}
		if m.Sender.Name == "Alice" && m.Kind == protocol.KindText {
			stored[m.Seq] = true
			if taken != 0 {
				t.Fatalf("alice's message %d stored after the take-over at %d", m.Seq, taken)
			}
		}
	}
	if taken == 0 {
		t.Fatal("no taken_over event")
	}
	for _, s := range seqs {
		if !stored[s] || s > taken {
			t.Fatalf("acknowledged seq %d: stored %v, take-over at %d", s, stored[s], taken)
		}
	}
	if len(seqs) == 200 {
		t.Log("the writer finished before the take-over")
	}
}

// TestReassign: to an online agent of the team at once; not to another
// team's agent, nor to an offline one; to a team like a transfer.
func TestReassign(t *testing.T) {
	e := pickEnv(t, nil)
	alice, _ := e.agent("alice")
	_, conv := e.activeWith(alice, "customer")
	sam, _ := e.agent("sam")
	carol, _ := e.agent("carol")
	bob, _ := e.agent("bob")
	carolID := e.agentID("carol")
	c := sam.supervise(protocol.TypeReassign, protocol.ReassignData{ConversationID: conv.ID, ToAgentID: carolID, Note: "she asked for a refund"})
	if c.AssigneeID != carolID || c.State != protocol.StateActive || c.OfferAgentID != "" {
		t.Fatalf("reassign reply = %+v", c)
	}
	carol.waitConversation("given", func(c protocol.Conversation) bool { return c.ID == conv.ID && c.AssigneeID == carolID })
	carol.waitMessage("note", func(m protocol.Message) bool {
		return m.Visibility == protocol.VisibilityInternal && m.Text == "she asked for a refund"
	})
	alice.waitMessage("reassigned event", func(m protocol.Message) bool {
		return m.Event != nil && m.Event.Type == protocol.EventReassigned && m.Event.Reason == "Carol"
	})
	carol.sendText(conv.ID, "Hello, Carol here")

	bobID := e.agentID("bob")
	sam.wantError(sam.request(protocol.TypeReassign, protocol.ReassignData{ConversationID: conv.ID, ToAgentID: bobID}), protocol.ErrTargetUnavailable.Code)
	sam.wantError(sam.request(protocol.TypeReassign, protocol.ReassignData{ConversationID: conv.ID, ToAgentID: "nobody"}), protocol.ErrTargetUnavailable.Code)
	sam.wantError(sam.request(protocol.TypeReassign, protocol.ReassignData{ConversationID: conv.ID, ToAgentID: carolID}), protocol.ErrTargetUnavailable.Code)
	sam.wantError(sam.request(protocol.TypeReassign, protocol.ReassignData{ConversationID: conv.ID}), protocol.ErrInvalid.Code)
	alice.ws.Close()
	aliceID := e.agentID("alice")
	deadline := time.Now().Add(5 * time.Second)
	for e.srv.agentStatus(aliceID) != protocol.StatusOffline && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	sam.wantError(sam.request(protocol.TypeReassign, protocol.ReassignData{ConversationID: conv.ID, ToAgentID: aliceID}), protocol.ErrTargetUnavailable.Code)

	c = sam.supervise(protocol.TypeReassign, protocol.ReassignData{ConversationID: conv.ID, ToTeam: "aftersales"})
	if c.State != protocol.StateQueued || c.Team != "aftersales" || c.AssigneeID != "" {
		t.Fatalf("reassign to a team = %+v", c)
	}
	bob.waitConversation("queued in aftersales", func(c protocol.Conversation) bool { return c.ID == conv.ID && c.State == protocol.StateQueued })
	// Reassigning a queued conversation to an agent assigns it.
	c = sam.supervise(protocol.TypeReassign, protocol.ReassignData{ConversationID: conv.ID, ToAgentID: bobID})
	if c.AssigneeID != bobID || c.State != protocol.StateActive {
		t.Fatalf("reassign a queued conversation = %+v", c)
	}
	if got := supervisionAudit(t, e, "reassign", conv.ID); len(got) != 2 {
		t.Fatalf("reassign audit = %v", got)
	}
}

// TestAssist: the agent raises a flag, the team's supervisors are alerted
// until one answers (monitor, join or take over) or the agent lowers it.
func TestAssist(t *testing.T) {
	e := pickEnv(t, nil)
	alice, _ := e.agent("alice")
	_, conv := e.activeWith(alice, "customer")
	sam, _ := e.agent("sam")
	vera := e.supervisor("vera", "aftersales")

	c := alice.supervise(protocol.TypeAssist, protocol.AssistData{ConversationID: conv.ID, On: true})
	if c.AssistAt == 0 {
		t.Fatalf("assist reply = %+v", c)
	}
	// The event, then the alert.
	sam.waitMessage("assist_raised", func(m protocol.Message) bool {
		return m.Event != nil && m.Event.Type == protocol.EventAssistRaised && m.Visibility == protocol.VisibilityInternal
	})
	a := sam.waitAssist("raised", func(a protocol.AssistPush) bool { return a.ConversationID == conv.ID })
	if !a.Active || a.Team != "presales" || a.Agent.Name != "Alice" || a.CustomerName == "" {
		t.Fatalf("assist push = %+v", a)
	}
	// Raising twice changes nothing; only the assignee raises.
	if again := alice.supervise(protocol.TypeAssist, protocol.AssistData{ConversationID: conv.ID, On: true}); again.AssistAt != c.AssistAt {
		t.Fatalf("raised twice: %d → %d", c.AssistAt, again.AssistAt)
	}
	sam.wantError(sam.request(protocol.TypeAssist, protocol.AssistData{ConversationID: conv.ID, On: true}), protocol.ErrForbidden.Code)

	// A supervisor signing in later is alerted at once.
	late, _ := e.agent("sam")
	if a := late.waitAssist("at hello", func(a protocol.AssistPush) bool { return a.ConversationID == conv.ID }); !a.Active || a.At != c.AssistAt {
		t.Fatalf("assist at hello = %+v", a)
	}
	late.ws.Close()

	// Monitoring answers it.
	sam.monitor(conv.ID, true)
	a = sam.waitAssist("answered", func(a protocol.AssistPush) bool { return !a.Active })
	if a.Answerer != "Sam" {
		t.Fatalf("answered push = %+v", a)
	}
	alice.waitConversation("flag down", func(c protocol.Conversation) bool { return c.ID == conv.ID && c.AssistAt == 0 })
	alice.waitMessage("assist_answered", isEvent(protocol.EventAssistAnswered))

	// Lowered by the agent: ended without an answerer.
	alice.supervise(protocol.TypeAssist, protocol.AssistData{ConversationID: conv.ID, On: true})
	sam.waitAssist("raised again", func(a protocol.AssistPush) bool { return a.Active })
	c = alice.supervise(protocol.TypeAssist, protocol.AssistData{ConversationID: conv.ID, On: false})
	if c.AssistAt != 0 {
		t.Fatalf("lowered = %+v", c)
	}
	if a := sam.waitAssist("lowered", func(a protocol.AssistPush) bool { return !a.Active }); a.Answerer != "" {
		t.Fatalf("lowered push = %+v", a)
	}
	// Joining answers it too.
	alice.supervise(protocol.TypeAssist, protocol.AssistData{ConversationID: conv.ID, On: true})
	sam.waitAssist("raised a third time", func(a protocol.AssistPush) bool { return a.Active })
	sam.supervise(protocol.TypeJoin, ref(conv.ID))
	sam.waitAssist("answered by joining", func(a protocol.AssistPush) bool { return !a.Active && a.Answerer == "Sam" })
	// Resolving ends a raised flag as well.
	alice.supervise(protocol.TypeAssist, protocol.AssistData{ConversationID: conv.ID, On: true})
	sam.waitAssist("raised a fourth time", func(a protocol.AssistPush) bool { return a.Active })
	alice.supervise(protocol.TypeResolve, ref(conv.ID))
	sam.waitAssist("ended by resolving", func(a protocol.AssistPush) bool { return !a.Active })
	// Four raises, one lowering, one answer by monitoring (joining is
	// recorded as the join).
	if got := supervisionAudit(t, e, "assist", conv.ID); len(got) != 6 {
		t.Fatalf("assist audit = %v", got)
	}
	vera.noPush(200*time.Millisecond, "another team's assist", func(f protocol.Frame) bool { return f.Type == protocol.TypeAssist })
}

// leakedToCustomer reports what in f a customer must never receive from
// supervision: monitor states, drafts, assist alerts, a silent monitor's
// typing or reading, messages that are not public (whispers, notes, assist
// events), and the conversation's supervision fields.
func leakedToCustomer(f protocol.Frame, silentID string) string {
	raw := string(f.Data)
	switch {
	case f.Type == protocol.TypeMonitor || f.Type == protocol.TypeDraft || f.Type == protocol.TypeAssist:
		return "a " + f.Type + " frame"
	case strings.Contains(raw, "SECRET"):
		return "secret text"
	case (f.Type == protocol.TypeTyping || f.Type == protocol.TypeRead) && strings.Contains(raw, silentID):
		return "a silent monitor's " + f.Type
	case f.Type == protocol.TypeMessage:
		var m protocol.Message
		json.Unmarshal(f.Data, &m)
		if m.Visibility != protocol.VisibilityPublic {
			return "a " + m.Visibility + " message"
		}
	case f.Type == protocol.TypeConversation || f.Type == protocol.TypeWelcome:
		for _, k := range []string{`"joined":`, `"assist_at":`, `"assigned_at":`, `"first_reply_at":`, `"awaiting_since":`} {
			if strings.Contains(raw, k) {
				return "the conversation's " + k + " field"
			}
		}
	}
	return ""
}

// TestSupervisionNeverReachesCustomer drives every supervision mode with the
// customer connected, and checks that nothing of it reaches the customer:
// not live, not in sync, not on a fresh reconnect with resume.
func TestSupervisionNeverReachesCustomer(t *testing.T) {
	e := pickEnv(t, nil)
	alice, _ := e.agent("alice")
	cust, v, _, conv := func() (*client, VisitorResponse, *client, protocol.Conversation) {
		cust, v := e.customer("customer")
		conv := cust.open(nil)
		cust.sendText(conv.ID, "human")
		cust.waitConversation("queued", stateIs(protocol.StateQueued))
		alice.accept(conv.ID)
		return cust, v, alice, conv
	}()
	sam, _ := e.agent("sam")
	carol, _ := e.agent("carol")
	samID := e.agentID("sam")
	var frames []protocol.Frame

	// Silent monitor: state, drafts, typing and reading, whispers, notes.
	sam.monitor(conv.ID, true)
	alice.draft(conv.ID, "SECRET draft")
	sam.waitPush("draft", func(f protocol.Frame) bool { return f.Type == protocol.TypeDraft })
	typing, _ := protocol.Encode(protocol.TypeTyping, "", protocol.TypingData{ConversationID: conv.ID, Active: true})
	sam.writeRaw(typing)
	sam.request(protocol.TypeRead, protocol.ReadData{ConversationID: conv.ID, Seq: 3})
	sam.decode(sam.whisper(conv.ID, "SECRET whisper"), protocol.TypeAck, &protocol.AckData{})
	alice.decode(alice.whisper(conv.ID, "SECRET whisper back"), protocol.TypeAck, &protocol.AckData{})
	alice.request(protocol.TypeSend, protocol.SendData{ConversationID: conv.ID, ClientMsgID: uuid.NewString(), Kind: protocol.KindText,
		Text: "SECRET note", Visibility: protocol.VisibilityInternal})
	alice.sendText(conv.ID, "a public reply")
	// Assist, answered by joining; barge-in and leave.
	alice.supervise(protocol.TypeAssist, protocol.AssistData{ConversationID: conv.ID, On: true})
	sam.supervise(protocol.TypeJoin, ref(conv.ID))
	sam.sendText(conv.ID, "hello from the lead")
	sam.supervise(protocol.TypeLeave, ref(conv.ID))
	// Assist, answered by taking over; reassign; assist lowered.
	alice.supervise(protocol.TypeAssist, protocol.AssistData{ConversationID: conv.ID, On: true})
	sam.supervise(protocol.TypeTakeOver, ref(conv.ID))
	sam.supervise(protocol.TypeReassign, protocol.ReassignData{ConversationID: conv.ID, ToAgentID: e.agentID("carol"), Note: "SECRET handover note"})
	carol.supervise(protocol.TypeAssist, protocol.AssistData{ConversationID: conv.ID, On: true})
	carol.draft(conv.ID, "SECRET draft two")
	carol.supervise(protocol.TypeAssist, protocol.AssistData{ConversationID: conv.ID, On: false})
	sam.monitor(conv.ID, false)
	carol.sendText(conv.ID, "last public reply")

	// Live, and in sync on the same connection.
	h := cust.sync(conv.ID, 0)
	frames = append(frames, cust.pushes...)
	cust.pushes = nil
	var public []string
	for _, m := range h.Messages {
		if m.Visibility != protocol.VisibilityPublic || strings.Contains(m.Text, "SECRET") {
			t.Errorf("sync gave the customer %+v", m)
		}
		if m.Event != nil {
			public = append(public, m.Event.Type)
		}
	}
	for _, want := range []string{protocol.EventJoined, protocol.EventLeft, protocol.EventTakenOver, protocol.EventReassigned} {
		if !strings.Contains(strings.Join(public, ","), want) {
			t.Errorf("the customer's history lacks the public %s event (has %v)", want, public)
		}
	}
	var c protocol.Conversation
	cust.decode(cust.request(protocol.TypeOpen, protocol.OpenData{}), protocol.TypeConversation, &c)
	if c.Joined != nil || c.AssistAt != 0 || c.AssignedAt != 0 {
		t.Errorf("the customer's conversation carries supervision fields: %+v", c)
	}
	deadline := time.Now().Add(500 * time.Millisecond)
	for time.Now().Before(deadline) {
		cust.ws.SetReadDeadline(deadline)
		_, raw, err := cust.ws.ReadMessage()
		if err != nil {
			break
		}
		var f protocol.Frame
		json.Unmarshal(raw, &f)
		frames = append(frames, f)
	}
	live := len(frames)

	// A fresh connection resuming from the start.
	again := e.dial("customer again")
	var w protocol.WelcomeData
	again.decode(again.request(protocol.TypeHello, protocol.HelloData{Token: v.Token, Resume: map[string]int64{conv.ID: 0}}), protocol.TypeWelcome, &w)
	wf, _ := protocol.Encode(protocol.TypeWelcome, "", w)
	var welcome protocol.Frame
	json.Unmarshal(wf, &welcome)
	frames = append(frames, welcome)
	resumed := 0
	for {
		f := again.read()
		frames = append(frames, f)
		if f.Type == protocol.TypeMessage {
			resumed++
		}
		if f.Type == protocol.TypeResumed {
			break
		}
	}
	if resumed != len(h.Messages) {
		t.Errorf("resume gave %d messages, sync %d", resumed, len(h.Messages))
	}
	for i, f := range frames {
		if what := leakedToCustomer(f, samID); what != "" {
			where := "live"
			if i >= live {
				where = "on resume"
			}
			t.Errorf("%s, the customer received %s: %s %s", where, what, f.Type, f.Data)
		}
	}
}

// TestDraftLatestWins: a burst of drafts reaches the monitor throttled,
// and the last one always arrives.
func TestDraftLatestWins(t *testing.T) {
	e := pickEnv(t, nil)
	alice, _ := e.agent("alice")
	_, conv := e.activeWith(alice, "customer")
	sam, _ := e.agent("sam")
	sam.monitor(conv.ID, true)
	for i := 0; i < 20; i++ {
		alice.draft(conv.ID, fmt.Sprint("draft ", i))
	}
	alice.list(protocol.ListMine)
	start := time.Now()
	got := 0
	sam.waitPush("the last draft", func(f protocol.Frame) bool {
		if f.Type != protocol.TypeDraft {
			return false
		}
		got++
		var d protocol.DraftPush
		json.Unmarshal(f.Data, &d)
		return d.Text == "draft 19"
	})
	if got > 3 || time.Since(start) > 2*time.Second {
		t.Fatalf("%d drafts of a burst of 20 passed on in %v", got, time.Since(start))
	}
}

// TestMonitorEndsWithReach: a monitor ends when the conversation moves to
// a team the supervisor does not supervise, and the end is audited.
func TestMonitorEndsWithReach(t *testing.T) {
	e := pickEnv(t, nil)
	alice, _ := e.agent("alice")
	_, conv := e.activeWith(alice, "customer")
	sue := e.supervisor("sue", "presales")
	sue.monitor(conv.ID, true)
	alice.waitMonitorState("sue", func(s protocol.MonitorState) bool { return len(s.Monitors) == 1 })
	alice.supervise(protocol.TypeTransfer, protocol.TransferData{ConversationID: conv.ID, ToTeam: "aftersales"})
	sue.waitMonitorState("ended", func(s protocol.MonitorState) bool { return s.ConversationID == conv.ID && len(s.Monitors) == 0 })
	got := supervisionAudit(t, e, audit.ActionMonitorStop, conv.ID)
	if len(got) != 1 || !strings.HasSuffix(got[0], "reason=ended") {
		t.Fatalf("monitor stop audit = %v", got)
	}
	sue.wantError(sue.request(protocol.TypeMonitor, protocol.MonitorData{ConversationID: conv.ID, On: true}), protocol.ErrNotFound.Code)
}
