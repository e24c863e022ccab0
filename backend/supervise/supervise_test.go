package supervise

import (
	"encoding/json"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"switchboard/backend/audit"
	"switchboard/backend/conversation"
	"switchboard/backend/store"
	"switchboard/protocol"
)

var (
	sam   = Actor{ID: "sam", Name: "Sam", Role: protocol.RoleSupervisor, Teams: []string{"presales"}}
	vera  = Actor{ID: "vera", Name: "Vera", Role: protocol.RoleSupervisor, Teams: []string{"aftersales"}}
	adam  = Actor{ID: "adam", Name: "Adam", Role: protocol.RoleAdmin}
	alice = Actor{ID: "alice", Name: "Alice", Role: protocol.RoleAgent, Teams: []string{"presales"}}
	carol = Actor{ID: "carol", Name: "Carol", Role: protocol.RoleAgent, Teams: []string{"presales"}}
	cust  = Actor{ID: "c1", Name: "Visitor", Role: protocol.RoleCustomer}
)

func conv(state conversation.State) store.Conversation {
	c := store.Conversation{ID: "x", CustomerID: "c1", Team: "presales", State: state}
	if state != conversation.Queued && state != conversation.Bot {
		c.AssigneeID, c.AssigneeName = "alice", "Alice"
	}
	return c
}

// kind names the error kind of err, "ok" for nil.
func kind(err error) string {
	for _, k := range []struct {
		err  error
		name string
	}{{ErrForbidden, "forbidden"}, {ErrIllegalState, "illegal"}, {ErrInvalid, "invalid"}, {ErrTooLong, "too_long"}, {ErrTargetUnavailable, "target"}} {
		if errors.Is(err, k.err) {
			return k.name
		}
	}
	if err != nil {
		return "other: " + err.Error()
	}
	return "ok"
}

func TestPermissions(t *testing.T) {
	active, queued, resolved := conv(conversation.Active), conv(conversation.Queued), conv(conversation.Resolved)
	tests := []struct {
		name string
		got  func() error
		want string
	}{
		{"sam monitors", func() error { return MayMonitor(sam, active) }, "ok"},
		{"sam monitors queued", func() error { return MayMonitor(sam, queued) }, "ok"},
		{"sam monitors resolved", func() error { return MayMonitor(sam, resolved) }, "illegal"},
		{"vera monitors", func() error { return MayMonitor(vera, active) }, "forbidden"},
		{"adam monitors", func() error { return MayMonitor(adam, active) }, "ok"},
		{"alice monitors", func() error { return MayMonitor(alice, active) }, "forbidden"},
		{"customer monitors", func() error { return MayMonitor(cust, active) }, "forbidden"},

		{"sam whispers", func() error { return MayWhisper(sam, active) }, "ok"},
		{"sam whispers queued", func() error { return MayWhisper(sam, queued) }, "ok"},
		{"assignee whispers", func() error { return MayWhisper(alice, active) }, "ok"},
		{"carol whispers", func() error { return MayWhisper(carol, active) }, "forbidden"},
		{"carol whispers queued", func() error { return MayWhisper(carol, queued) }, "forbidden"},
		{"vera whispers", func() error { return MayWhisper(vera, active) }, "forbidden"},
		{"customer whispers", func() error { return MayWhisper(cust, active) }, "forbidden"},
		{"sam whispers resolved", func() error { return MayWhisper(sam, resolved) }, "illegal"},

		{"assignee drafts", func() error { return MayDraft(alice, active) }, "ok"},
		{"sam drafts", func() error { return MayDraft(sam, active) }, "forbidden"},
		{"customer drafts", func() error { return MayDraft(cust, active) }, "forbidden"},
		{"assignee drafts resolved", func() error { return MayDraft(alice, resolved) }, "illegal"},

		{"sam joins", func() error { _, err := Join(sam, active); return err }, "ok"},
		{"sam joins queued", func() error { _, err := Join(sam, queued); return err }, "illegal"},
		{"vera joins", func() error { _, err := Join(vera, active); return err }, "forbidden"},
		{"alice joins", func() error { _, err := Join(alice, active); return err }, "forbidden"},
		{"adam joins", func() error { _, err := Join(adam, active); return err }, "ok"},

		{"sam takes over", func() error { _, err := TakeOver(sam, active, protocol.RoleAgent); return err }, "ok"},
		{"sam takes over queued", func() error { _, err := TakeOver(sam, queued, ""); return err }, "ok"},
		{"sam takes over resolved", func() error { _, err := TakeOver(sam, resolved, protocol.RoleAgent); return err }, "illegal"},
		{"vera takes over", func() error { _, err := TakeOver(vera, active, protocol.RoleAgent); return err }, "forbidden"},
		{"sam takes over from a supervisor", func() error { _, err := TakeOver(sam, active, protocol.RoleSupervisor); return err }, "illegal"},
		{"sam takes over from an admin", func() error { _, err := TakeOver(sam, active, protocol.RoleAdmin); return err }, "illegal"},
		{"alice takes over", func() error { _, err := TakeOver(alice, active, protocol.RoleAgent); return err }, "forbidden"},

		{"alice raises assist", func() error { _, err := Assist(alice, active, true, 1); return err }, "ok"},
		{"carol raises assist", func() error { _, err := Assist(carol, active, true, 1); return err }, "forbidden"},
		{"sam raises assist", func() error { _, err := Assist(sam, active, true, 1); return err }, "forbidden"},
		{"customer raises assist", func() error { _, err := Assist(cust, active, true, 1); return err }, "forbidden"},
	}
	for _, tt := range tests {
		if got := kind(tt.got()); got != tt.want {
			t.Errorf("%s: %s, want %s", tt.name, got, tt.want)
		}
	}
}

func TestReassign(t *testing.T) {
	active := conv(conversation.Active)
	carolA := store.Agent{ID: "carol", Name: "Carol", Role: protocol.RoleAgent, Teams: []string{"presales"}}
	bobA := store.Agent{ID: "bob", Name: "Bob", Role: protocol.RoleAgent, Teams: []string{"aftersales"}}
	aliceA := store.Agent{ID: "alice", Name: "Alice", Role: protocol.RoleAgent, Teams: []string{"presales"}}
	tests := []struct {
		name   string
		a      Actor
		target Target
		want   string
	}{
		{"to an online agent of the team", sam, Target{carolA, protocol.StatusOnline}, "ok"},
		{"to an away agent", sam, Target{carolA, protocol.StatusAway}, "ok"},
		{"to an offline agent", sam, Target{carolA, protocol.StatusOffline}, "target"},
		{"to an agent of another team", sam, Target{bobA, protocol.StatusOnline}, "target"},
		{"admin to an agent of another team", adam, Target{bobA, protocol.StatusOnline}, "ok"},
		{"to the assignee", sam, Target{aliceA, protocol.StatusOnline}, "target"},
		{"to nobody", sam, Target{}, "target"},
		{"by another team's supervisor", vera, Target{carolA, protocol.StatusOnline}, "forbidden"},
		{"by the assignee", alice, Target{carolA, protocol.StatusOnline}, "forbidden"},
	}
	for _, tt := range tests {
		ch, err := ReassignToAgent(tt.a, active, tt.target, " a note ")
		if got := kind(err); got != tt.want {
			t.Errorf("%s: %s, want %s", tt.name, got, tt.want)
			continue
		}
		if err != nil {
			continue
		}
		if *ch.AssigneeID != tt.target.Agent.ID || *ch.IfAssignee != "alice" || ch.Message.Event.Type != protocol.EventReassigned ||
			ch.Message.Visibility != protocol.VisibilityPublic || len(ch.Then) != 1 || ch.Then[0].Visibility != protocol.VisibilityInternal ||
			ch.Then[0].Text != "a note" || len(ch.Tell) != 1 || ch.Tell[0] != "alice" {
			t.Errorf("%s: change %+v", tt.name, ch)
		}
	}
	if _, err := ReassignToTeam(sam, active, "nowhere", false, ""); kind(err) != "target" {
		t.Errorf("to an unknown team: %v", err)
	}
	ch, err := ReassignToTeam(sam, active, "aftersales", true, "")
	if err != nil || *ch.Team != "aftersales" || ch.Event != conversation.TransferTeam || len(ch.Then) != 0 {
		t.Errorf("to a team: %+v, %v", ch, err)
	}
	for _, d := range []protocol.ReassignData{{ConversationID: "x"}, {ConversationID: "x", ToAgentID: "a", ToTeam: "t"}} {
		if err := CheckReassign(d); kind(err) != "invalid" {
			t.Errorf("CheckReassign(%+v) = %v, want invalid", d, err)
		}
	}
	if err := CheckReassign(protocol.ReassignData{ToTeam: "t", Note: strings.Repeat("n", protocol.MaxNoteRunes+1)}); kind(err) != "too_long" {
		t.Errorf("long note: %v", err)
	}
}

func TestChanges(t *testing.T) {
	active := conv(conversation.Active)
	active.AssistAt = 5
	// Joining answers a request for help: a public joined event, then an
	// internal assist_answered.
	ch, err := Join(sam, active)
	if err != nil || ch.Join != "sam" || ch.Message.Event.Type != protocol.EventJoined || ch.Message.Visibility != protocol.VisibilityPublic ||
		ch.Assist == nil || *ch.Assist != 0 || len(ch.Then) != 1 || ch.Then[0].Event.Type != protocol.EventAssistAnswered ||
		ch.Then[0].Visibility != protocol.VisibilityInternal {
		t.Fatalf("Join = %+v, %v", ch, err)
	}
	active.Joined = []store.Staff{{ID: "sam", Name: "Sam"}}
	if ch, err := Join(sam, active); err != nil || !ch.None {
		t.Fatalf("joining twice = %+v, %v; want nothing to change", ch, err)
	}
	if ch, err := Leave(sam, active); err != nil || ch.Leave != "sam" || ch.Message.Event.Type != protocol.EventLeft {
		t.Fatalf("Leave = %+v, %v", ch, err)
	}
	if ch, err := Leave(adam, active); err != nil || !ch.None {
		t.Fatalf("leaving without having joined = %+v, %v", ch, err)
	}
	ch, err = TakeOver(sam, active, protocol.RoleAgent)
	if err != nil || *ch.AssigneeID != "sam" || *ch.IfAssignee != "alice" || ch.Leave != "sam" || ch.Message.Event.Reason != "Alice" ||
		ch.Message.Event.Type != protocol.EventTakenOver || len(ch.Tell) != 1 || !ch.NewAssignee {
		t.Fatalf("TakeOver = %+v, %v", ch, err)
	}
	queued := conv(conversation.Queued)
	if ch, err := TakeOver(sam, queued, ""); err != nil || len(ch.Tell) != 0 || *ch.IfAssignee != "" {
		t.Fatalf("TakeOver(queued) = %+v, %v", ch, err)
	}
	plain := conv(conversation.Active)
	ch, err = Assist(alice, plain, true, 42)
	if err != nil || *ch.Assist != 42 || ch.Message.Event.Type != protocol.EventAssistRaised || ch.Message.Visibility != protocol.VisibilityInternal {
		t.Fatalf("Assist(on) = %+v, %v", ch, err)
	}
	if ch, _ := Assist(alice, plain, false, 42); !ch.None {
		t.Fatalf("lowering a flag that is down = %+v", ch)
	}
	plain.AssistAt = 42
	if ch, _ := Assist(alice, plain, false, 50); ch.None || *ch.Assist != 0 || ch.Message.Event.Type != protocol.EventAssistLowered {
		t.Fatalf("Assist(off) = %+v", ch)
	}
	if ch := Answer(sam, plain); ch.None || ch.Message.Event.Type != protocol.EventAssistAnswered || ch.Message.Event.Actor != "Sam" {
		t.Fatalf("Answer = %+v", ch)
	}
	if ch := Answer(vera, plain); !ch.None {
		t.Fatalf("Answer by another team's supervisor = %+v", ch)
	}
	if ch := Answer(sam, conv(conversation.Active)); !ch.None {
		t.Fatalf("Answer without a request = %+v", ch)
	}
	p, ok := AssistNotice(conv(conversation.Active), plain, "", 9)
	if !ok || !p.Active || p.Team != "presales" || p.Agent.ID != "alice" {
		t.Fatalf("AssistNotice(raise) = %+v, %v", p, ok)
	}
	p, ok = AssistNotice(plain, conv(conversation.Resolved), "Sam", 9)
	if !ok || p.Active || p.Answerer != "Sam" || p.Agent.ID != "alice" {
		t.Fatalf("AssistNotice(end) = %+v, %v", p, ok)
	}
	if _, ok := AssistNotice(plain, plain, "", 9); ok {
		t.Fatal("AssistNotice without a change")
	}
}

// fakes

type published struct {
	subject string
	typ     string
	data    json.RawMessage
}

type fakePub struct {
	mu  sync.Mutex
	got []published
}

func (f *fakePub) Publish(subject string, data []byte) {
	var fr protocol.Frame
	json.Unmarshal(data, &fr)
	f.mu.Lock()
	f.got = append(f.got, published{subject, fr.Type, fr.Data})
	f.mu.Unlock()
}

func (f *fakePub) take() []published {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := f.got
	f.got = nil
	return out
}

type fakeAudit struct {
	mu  sync.Mutex
	got []store.AuditEntry
}

func (f *fakeAudit) Record(e store.AuditEntry) {
	f.mu.Lock()
	f.got = append(f.got, e)
	f.mu.Unlock()
}

// fakeClock is a clock with timers run by advance.
type fakeClock struct {
	now    time.Time
	timers []*fakeTimer
}

type fakeTimer struct {
	at      time.Time
	f       func()
	stopped bool
}

func (c *fakeClock) Now() time.Time { return c.now }

func (c *fakeClock) AfterFunc(d time.Duration, f func()) func() bool {
	t := &fakeTimer{at: c.now.Add(d), f: f}
	c.timers = append(c.timers, t)
	return func() bool { was := !t.stopped; t.stopped = true; return was }
}

func (c *fakeClock) advance(d time.Duration) {
	c.now = c.now.Add(d)
	for _, t := range c.timers {
		if !t.stopped && !t.at.After(c.now) {
			t.stopped = true
			t.f()
		}
	}
}

func newTestRegistry() (*Registry, *fakePub, *fakeAudit, *fakeClock) {
	pub, aud := &fakePub{}, &fakeAudit{}
	clk := &fakeClock{now: time.UnixMilli(1_000_000)}
	r := NewRegistry(Config{Publisher: pub, Auditor: aud, Now: clk.Now, AfterFunc: clk.AfterFunc})
	return r, pub, aud, clk
}

func TestRegistryStartStop(t *testing.T) {
	r, pub, aud, _ := newTestRegistry()
	c := conv(conversation.Active)
	if _, err := r.Start(Monitor{Conn: "v1", Staff: vera}, c); kind(err) != "forbidden" {
		t.Fatalf("another team's supervisor starting: %v", err)
	}
	st, err := r.Start(Monitor{Conn: "s1", Staff: sam}, c)
	if err != nil || len(st.Monitors) != 1 || st.Monitors[0].ID != "sam" {
		t.Fatalf("Start = %+v, %v", st, err)
	}
	// The state goes to the conversation's staff: admins, the assignee and
	// the team's supervisors; never a customer.
	got := pub.take()
	subjects := map[string]bool{}
	for _, p := range got {
		if p.typ != protocol.TypeMonitor {
			t.Fatalf("push %+v", p)
		}
		subjects[p.subject] = true
	}
	for _, s := range []string{SubjectAdmins, SubjectAgent("alice"), SubjectSupervisors("presales")} {
		if !subjects[s] {
			t.Errorf("monitor state not published to %s (got %v)", s, subjects)
		}
	}
	if len(subjects) != 3 {
		t.Errorf("monitor state published to %v", subjects)
	}
	// A second connection of the same person, and an admin.
	r.Start(Monitor{Conn: "s2", Staff: sam}, c)
	st, _ = r.Start(Monitor{Conn: "a1", Staff: adam}, c)
	if len(st.Monitors) != 2 {
		t.Fatalf("monitors = %+v, want sam and adam once each", st.Monitors)
	}
	if st, stopped := r.Stop("s1", c); !stopped || len(st.Monitors) != 2 {
		t.Fatalf("Stop(s1) = %+v, %v", st, stopped)
	}
	if _, stopped := r.Stop("s1", c); stopped {
		t.Fatal("stopped twice")
	}
	r.Drop("s2")
	r.Drop("a1")
	if r.Monitored(c.ID) {
		t.Fatalf("still monitored: %+v", r.State(c.ID))
	}
	var actions []string
	for _, e := range aud.got {
		actions = append(actions, e.Action+" "+e.Actor+" "+e.Detail)
	}
	want := []string{
		"monitor_start sam session=s1", "monitor_start sam session=s2", "monitor_start adam session=a1",
		"monitor_stop sam session=s1;reason=stop", "monitor_stop sam session=s2;reason=disconnect",
		"monitor_stop adam session=a1;reason=disconnect",
	}
	if strings.Join(actions, "\n") != strings.Join(want, "\n") {
		t.Fatalf("audit:\n%s\nwant:\n%s", strings.Join(actions, "\n"), strings.Join(want, "\n"))
	}
	for _, e := range aud.got {
		if e.ConversationID != c.ID || (e.Action != audit.ActionMonitorStart && e.Action != audit.ActionMonitorStop) {
			t.Fatalf("audit entry %+v", e)
		}
	}
}

func TestRegistrySeenEnds(t *testing.T) {
	r, pub, aud, _ := newTestRegistry()
	c := conv(conversation.Active)
	r.Start(Monitor{Conn: "s1", Staff: sam}, c)
	r.Start(Monitor{Conn: "a1", Staff: adam}, c)
	pub.take()
	// Moved to another team: sam may no longer monitor it, adam may.
	c.Team = "aftersales"
	r.Seen(c)
	if st := r.State(c.ID); len(st.Monitors) != 1 || st.Monitors[0].ID != "adam" {
		t.Fatalf("after the team changed: %+v", st)
	}
	// To the staff (alice, the new team's supervisors, admins), and to
	// sam, whose monitor ended.
	got := pub.take()
	subjects := map[string]bool{}
	for _, p := range got {
		subjects[p.subject] = true
	}
	if len(got) != 4 || !subjects[SubjectAgent("sam")] || !subjects[SubjectSupervisors("aftersales")] || !subjects[SubjectAdmins] {
		t.Fatalf("pushes after the team changed: %+v", got)
	}
	c.State = conversation.Resolved
	r.Seen(c)
	if r.Monitored(c.ID) {
		t.Fatal("a resolved conversation is still monitored")
	}
	if last := aud.got[len(aud.got)-1]; last.Detail != "session=a1;reason=ended" {
		t.Fatalf("last audit entry %+v", last)
	}
}

func TestRegistryReaccess(t *testing.T) {
	r, pub, aud, _ := newTestRegistry()
	c := conv(conversation.Active)
	r.Start(Monitor{Conn: "s1", Staff: sam}, c)
	pub.take()
	// Still a supervisor of the team, under a new name: the monitor stays.
	renamed := sam
	renamed.Name = "Samuel"
	r.Reaccess("s1", renamed)
	if st := r.State(c.ID); len(st.Monitors) != 1 || st.Monitors[0].Name != "Samuel" {
		t.Fatalf("after a rename: %+v", st)
	}
	// No longer of the team: it ends, and drafts no longer reach them.
	demoted := sam
	demoted.Teams = []string{"aftersales"}
	r.Reaccess("s1", demoted)
	if r.Monitored(c.ID) {
		t.Fatalf("monitored after the supervisor left the team: %+v", r.State(c.ID))
	}
	if last := aud.got[len(aud.got)-1]; last.Detail != "session=s1;reason=access" {
		t.Fatalf("last audit entry %+v", last)
	}
	if got := pub.take(); len(got) == 0 {
		t.Fatal("the end of the monitor was not published")
	}
}

func TestDraftThrottle(t *testing.T) {
	r, pub, _, clk := newTestRegistry()
	c := conv(conversation.Active)
	// Nobody monitors: dropped.
	if err := r.Draft(alice, c, "hel"); err != nil {
		t.Fatal(err)
	}
	if got := pub.take(); len(got) != 0 {
		t.Fatalf("draft without monitors published: %+v", got)
	}
	if err := r.Draft(sam, c, "x"); kind(err) != "forbidden" {
		t.Fatalf("draft from a supervisor: %v", err)
	}
	if err := r.Draft(alice, c, strings.Repeat("x", protocol.MaxTextRunes+1)); kind(err) != "too_long" {
		t.Fatalf("long draft: %v", err)
	}
	r.Start(Monitor{Conn: "s1", Staff: sam}, c)
	r.Start(Monitor{Conn: "s2", Staff: sam}, c)
	pub.take()
	drafts := func() string {
		var out []string
		for _, p := range pub.take() {
			if p.typ != protocol.TypeDraft {
				t.Fatalf("push %+v", p)
			}
			var d protocol.DraftPush
			json.Unmarshal(p.data, &d)
			out = append(out, p.subject+" "+d.Text)
		}
		return strings.Join(out, ",")
	}
	r.Draft(alice, c, "h")
	if got := drafts(); got != "agent:sam h" {
		t.Fatalf("first draft: %q", got)
	}
	// Within the interval: held, the latest replacing the earlier.
	clk.advance(50 * time.Millisecond)
	r.Draft(alice, c, "he")
	clk.advance(50 * time.Millisecond)
	r.Draft(alice, c, "hel")
	if got := drafts(); got != "" {
		t.Fatalf("drafts within the interval published at once: %q", got)
	}
	clk.advance(150 * time.Millisecond)
	if got := drafts(); got != "agent:sam hel" {
		t.Fatalf("at the interval's end: %q", got)
	}
	// Many drafts over a second: about four pass.
	for i := 0; i < 100; i++ {
		clk.advance(10 * time.Millisecond)
		r.Draft(alice, c, "x")
	}
	clk.advance(time.Second)
	if n := len(strings.Split(drafts(), ",")); n < 4 || n > 5 {
		t.Fatalf("%d drafts passed in a second", n)
	}
	// Once nobody monitors, a held draft is dropped.
	clk.advance(time.Second)
	r.Draft(alice, c, "a")
	r.Draft(alice, c, "ab")
	r.Drop("s1")
	r.Drop("s2")
	pub.take()
	clk.advance(time.Second)
	if got := drafts(); got != "" {
		t.Fatalf("held draft published after the monitors left: %q", got)
	}
	r.Close()
}
