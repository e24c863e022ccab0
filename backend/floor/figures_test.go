package floor

import (
	"errors"
	"reflect"
	"testing"
	"time"

	"switchboard/backend/conversation"
	"switchboard/backend/store"
	"switchboard/protocol"
)

// scenario is a scripted floor: three teams, five staff, queued and worked
// conversations placed relative to the clock.
type scenario struct {
	now  int64 // the movable clock, unix ms
	base int64 // when the conversations were placed
	in   Input
}

const sec = int64(1000)

func newScenario() *scenario {
	base := int64(1_000_000_000)
	presalesSLA := store.SLA{FirstResponseMS: 60 * sec, WaitMS: 120 * sec, NextResponseMS: 180 * sec}
	teams := []store.Team{
		{ID: "aftersales", Name: "After-sales"},
		{ID: "presales", Name: "Presales", SLA: presalesSLA},
		{ID: "vip", Name: "VIP", SLA: store.SLA{WaitMS: sec}},
	}
	agents := []store.Agent{
		{ID: "a", Name: "Alice", Role: protocol.RoleAgent, Teams: []string{"presales"}, Capacity: 2},
		{ID: "b", Name: "Bob", Role: protocol.RoleAgent, Teams: []string{"aftersales", "presales"}, Capacity: 3},
		{ID: "c", Name: "Carol", Role: protocol.RoleAgent, Teams: []string{"aftersales"}, Capacity: 1},
		{ID: "s", Name: "Sam", Role: protocol.RoleSupervisor, Teams: []string{"presales"}, Capacity: 3},
		{ID: "v", Name: "Victor", Role: protocol.RoleAgent, Teams: []string{"vip"}},                    // default capacity
		{ID: "z", Name: "Zed", Role: protocol.RoleAdmin},                                               // no team: not on the floor
		{ID: "d", Name: "Dora", Role: protocol.RoleAgent, Teams: []string{"presales"}, Disabled: true}, // disabled: neither
	}
	status := map[string]AgentStatus{
		"a": {Status: protocol.StatusOnline, Since: base - 600*sec, Missed: 1},
		"b": {Status: protocol.StatusAway, Since: base - 10*sec, Missed: 2, AutoAway: true},
		// c was never seen: offline since an unknown time.
		"s": {Status: protocol.StatusOnline, Since: base - 3600*sec},
		"v": {Status: protocol.StatusOnline, Since: base - 60*sec},
	}
	q := func(id, team string, waited int64, offer string) store.Conversation {
		return store.Conversation{ID: id, CustomerName: "cust " + id, State: conversation.Queued, Team: team,
			QueuedAt: base - waited*sec, OfferAgentID: offer}
	}
	w := func(id, team, agent string, state conversation.State, assigned, replied, awaiting int64) store.Conversation {
		c := store.Conversation{ID: id, CustomerName: "cust " + id, State: state, Team: team, AssigneeID: agent}
		if assigned > 0 {
			c.AssignedAt = base - assigned*sec
		}
		if replied > 0 {
			c.FirstReplyAt = base - replied*sec
		}
		if awaiting > 0 {
			c.AwaitingSince = base - awaiting*sec
		}
		return c
	}
	w2 := w("w2", "presales", "a", conversation.WaitingCustomer, 300, 280, 0)
	w2.AssistAt = base - 5*sec
	w4 := w("w4", "presales", "b", conversation.Active, 20, 0, 190)
	w4.OfferAgentID, w4.TransferFromID = "s", "b" // a transfer offered to Sam
	convs := []store.Conversation{
		q("q1", "presales", 150, "a"),
		q("q2", "presales", 30, ""),
		q("q3", "presales", 90, ""),
		q("q4", "aftersales", 10, ""),
		w("w1", "presales", "a", conversation.Active, 90, 0, 100),
		w2,
		w("w3", "aftersales", "b", conversation.Active, 50, 45, 200),
		w4,
		w("v1", "vip", "v", conversation.Active, 10, 0, 0),
		w("r1", "presales", "a", conversation.Resolved, 900, 800, 0),
		{ID: "bot1", State: conversation.Bot, CreatedAt: base - 5*sec},
	}
	return &scenario{now: base, base: base, in: Input{
		AllTeams: teams, Agents: agents, Status: status, Conversations: convs,
		Monitored: map[string]bool{"w1": true},
	}}
}

func (sc *scenario) compute(t *testing.T, role string, teams ...string) protocol.FloorData {
	t.Helper()
	in := sc.in
	in.Role, in.Teams, in.Now = role, teams, sc.now
	d, err := Compute(in)
	if err != nil {
		t.Fatalf("Compute(%s %v): %v", role, teams, err)
	}
	if d.At != sc.now {
		t.Errorf("At = %d, want %d", d.At, sc.now)
	}
	return d
}

func team(t *testing.T, d protocol.FloorData, id string) protocol.FloorTeam {
	t.Helper()
	for _, ft := range d.Teams {
		if ft.ID == id {
			return ft
		}
	}
	t.Fatalf("no team %s in %+v", id, d.Teams)
	return protocol.FloorTeam{}
}

func agent(t *testing.T, d protocol.FloorData, id string) protocol.FloorAgent {
	t.Helper()
	for _, a := range d.Agents {
		if a.ID == id {
			return a
		}
	}
	t.Fatalf("no agent %s in %+v", id, d.Agents)
	return protocol.FloorAgent{}
}

// sameTeam compares a team's figures, History aside.
func sameTeam(t *testing.T, when string, got, want protocol.FloorTeam) {
	t.Helper()
	got.History, want.History = nil, nil
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s: team %s\n got %+v\nwant %+v", when, want.ID, got, want)
	}
}

func TestComputeSupervisor(t *testing.T) {
	sc := newScenario()
	d := sc.compute(t, protocol.RoleSupervisor, "presales")
	if len(d.Teams) != 1 {
		t.Fatalf("teams = %+v, want presales only", d.Teams)
	}
	sla := protocol.SLA{FirstResponseMS: 60 * sec, WaitMS: 120 * sec, NextResponseMS: 180 * sec}
	sameTeam(t, "at start", team(t, d, "presales"), protocol.FloorTeam{
		ID: "presales", Name: "Presales", SLA: sla,
		Queue: 3, LongestWaitMS: 150 * sec, MedianWaitMS: 90 * sec, QueueOverSLA: 1,
		ResponseOverSLA: 2, // w1: no first reply for 90 s; w4: customer unanswered for 190 s
		OffersOut:       2, // q1 to Alice, w4's transfer to Sam
		AgentsOnline:    2, AgentsAway: 1, AgentsOffline: 0,
		Load: 3 + 1, Capacity: 2 + 3, // Alice and Sam are online
		MissedOffers: 1 + 2,
		Assists:      1,
	})
	var names []string
	for _, a := range d.Agents {
		names = append(names, a.Name)
	}
	if !reflect.DeepEqual(names, []string{"Alice", "Bob", "Sam"}) {
		t.Fatalf("agents = %v, want Alice, Bob, Sam", names)
	}
	alice := agent(t, d, "a")
	wantAlice := protocol.FloorAgent{ID: "a", Name: "Alice", Role: protocol.RoleAgent, Teams: []string{"presales"},
		Status: protocol.StatusOnline, StatusSince: sc.base - 600*sec, Load: 3, Capacity: 2, MissedOffers: 1,
		Conversations: []protocol.FloorConversation{
			{ID: "w1", CustomerName: "cust w1", State: "active", Team: "presales", AwaitingMS: 100 * sec,
				FirstResponseMS: 90 * sec, OverSLA: []string{OverFirstResponse}, Monitored: true},
			{ID: "w2", CustomerName: "cust w2", State: "waiting_customer", Team: "presales",
				FirstResponseMS: 20 * sec, Responded: true, Assist: true},
		}}
	if !reflect.DeepEqual(alice, wantAlice) {
		t.Errorf("alice\n got %+v\nwant %+v", alice, wantAlice)
	}
	// Bob is in two teams; Sam sees only the one they share, and only his
	// conversation of it.
	bob := agent(t, d, "b")
	wantBob := protocol.FloorAgent{ID: "b", Name: "Bob", Role: protocol.RoleAgent, Teams: []string{"presales"},
		Status: protocol.StatusAway, StatusSince: sc.base - 10*sec, Load: 2, Capacity: 3, MissedOffers: 2, AutoAway: true,
		Conversations: []protocol.FloorConversation{
			{ID: "w4", CustomerName: "cust w4", State: "active", Team: "presales", AwaitingMS: 190 * sec,
				FirstResponseMS: 20 * sec, OverSLA: []string{OverNextResponse}},
		}}
	if !reflect.DeepEqual(bob, wantBob) {
		t.Errorf("bob\n got %+v\nwant %+v", bob, wantBob)
	}
	if sam := agent(t, d, "s"); sam.Load != 1 || sam.Capacity != 3 || len(sam.Conversations) != 0 || sam.Conversations == nil {
		t.Errorf("sam = %+v, want load 1 (the offer), capacity 3, no conversations", sam)
	}

	// A minute later the waits have grown: two queued over the SLA, w1
	// still unanswered.
	sc.now += 60 * sec
	d = sc.compute(t, protocol.RoleSupervisor, "presales")
	p := team(t, d, "presales")
	if p.Queue != 3 || p.LongestWaitMS != 210*sec || p.MedianWaitMS != 150*sec || p.QueueOverSLA != 2 || p.ResponseOverSLA != 2 {
		t.Errorf("a minute later: %+v", p)
	}
	if c := agent(t, d, "a").Conversations[0]; c.FirstResponseMS != 150*sec || c.AwaitingMS != 160*sec {
		t.Errorf("w1 a minute later = %+v", c)
	}
	// Alice answers w1: the first response is done, nothing awaits.
	for i, c := range sc.in.Conversations {
		if c.ID == "w1" {
			sc.in.Conversations[i].FirstReplyAt, sc.in.Conversations[i].AwaitingSince = sc.now, 0
		}
	}
	d = sc.compute(t, protocol.RoleSupervisor, "presales")
	if c := agent(t, d, "a").Conversations[0]; !c.Responded || c.FirstResponseMS != 150*sec || c.AwaitingMS != 0 || len(c.OverSLA) != 0 {
		t.Errorf("w1 answered = %+v", c)
	}
	if p := team(t, d, "presales"); p.ResponseOverSLA != 1 {
		t.Errorf("response over SLA after the reply = %d, want 1 (w4)", p.ResponseOverSLA)
	}
}

func TestComputeAdmin(t *testing.T) {
	sc := newScenario()
	d := sc.compute(t, protocol.RoleAdmin)
	var ids []string
	for _, ft := range d.Teams {
		ids = append(ids, ft.ID)
	}
	if !reflect.DeepEqual(ids, []string{"aftersales", "presales", "vip"}) {
		t.Fatalf("admin teams = %v", ids)
	}
	sameTeam(t, "admin", team(t, d, "aftersales"), protocol.FloorTeam{
		ID: "aftersales", Name: "After-sales",
		Queue: 1, LongestWaitMS: 10 * sec, MedianWaitMS: 10 * sec,
		AgentsAway: 1, AgentsOffline: 1, MissedOffers: 2,
	})
	sameTeam(t, "admin", team(t, d, "vip"), protocol.FloorTeam{
		ID: "vip", Name: "VIP", SLA: protocol.SLA{WaitMS: sec},
		AgentsOnline: 1, Load: 1, Capacity: store.DefaultCapacity,
	})
	if len(d.Agents) != 5 {
		t.Fatalf("admin agents = %+v, want the five with teams", d.Agents)
	}
	bob := agent(t, d, "b")
	if !reflect.DeepEqual(bob.Teams, []string{"aftersales", "presales"}) || len(bob.Conversations) != 2 {
		t.Errorf("bob for the admin = %+v", bob)
	}
	// w3 is in a team without SLA: never over, however long it waits.
	if c := bob.Conversations[0]; c.ID != "w3" || c.AwaitingMS != 200*sec || !c.Responded || c.FirstResponseMS != 5*sec || c.OverSLA != nil {
		t.Errorf("w3 = %+v", c)
	}
	if carol := agent(t, d, "c"); carol.Status != protocol.StatusOffline || carol.StatusSince != 0 || carol.Capacity != 1 {
		t.Errorf("carol = %+v, want offline since unknown", carol)
	}
}

func TestComputeScope(t *testing.T) {
	sc := newScenario()
	for _, role := range []string{protocol.RoleAgent, protocol.RoleCustomer, ""} {
		in := sc.in
		in.Role, in.Now = role, sc.now
		if _, err := Compute(in); !errors.Is(err, ErrForbidden) {
			t.Errorf("Compute as %q: %v, want ErrForbidden", role, err)
		}
	}
	// A supervisor of no team sees an empty floor, not every team's.
	d := sc.compute(t, protocol.RoleSupervisor)
	if len(d.Teams) != 0 || len(d.Agents) != 0 || d.Teams == nil || d.Agents == nil {
		t.Errorf("supervisor of no team: %+v", d)
	}
	// A team that does not exist is not on anyone's floor.
	d = sc.compute(t, protocol.RoleSupervisor, "gone", "aftersales")
	if len(d.Teams) != 1 || d.Teams[0].ID != "aftersales" {
		t.Errorf("teams = %+v", d.Teams)
	}
	// An even queue's median is the mean of the middle two.
	sc.in.Conversations = append(sc.in.Conversations, store.Conversation{ID: "q5", State: conversation.Queued,
		Team: "aftersales", QueuedAt: sc.base - 20*sec})
	if a := team(t, sc.compute(t, protocol.RoleAdmin), "aftersales"); a.Queue != 2 || a.MedianWaitMS != 15*sec || a.LongestWaitMS != 20*sec {
		t.Errorf("even queue: %+v", a)
	}
}

func TestHistory(t *testing.T) {
	h := NewHistory(time.Minute, time.Hour)
	min := int64(60 * sec)
	at := int64(5_000_000)
	sample := func(queue int) []protocol.FloorTeam {
		return []protocol.FloorTeam{{ID: "presales", Queue: queue, LongestWaitMS: int64(queue) * sec}}
	}
	h.Add(at, sample(1))
	if !h.Due(at+min) || h.Due(at+30*sec) {
		t.Fatal("Due: want a sample due after a minute, not after 30 s")
	}
	h.Add(at+30*sec, sample(99)) // too soon: dropped
	h.Add(at+58*sec, sample(2))  // a little early: kept
	got := h.Samples("presales")
	want := []protocol.FloorSample{{At: at, Queue: 1, LongestWaitMS: sec}, {At: at + 58*sec, Queue: 2, LongestWaitMS: 2 * sec}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("samples = %+v, want %+v", got, want)
	}
	// Two hours of samples keep the last hour.
	last := at + 58*sec
	for i := 1; i <= 120; i++ {
		h.Add(last+int64(i)*min, sample(i))
	}
	got = h.Samples("presales")
	end := last + 120*min
	if len(got) != 61 || got[0].At != end-60*min || got[60].At != end || got[60].Queue != 120 {
		t.Fatalf("after two hours: %d samples from %d to %d, want 61 from %d to %d", len(got), got[0].At, got[len(got)-1].At, end-60*min, end)
	}
	for i := 1; i < len(got); i++ {
		if got[i].At-got[i-1].At != min {
			t.Fatalf("samples %d and %d are %d ms apart", i-1, i, got[i].At-got[i-1].At)
		}
	}
	if s := h.Samples("other"); s == nil || len(s) != 0 {
		t.Errorf("samples of an unknown team = %#v, want empty", s)
	}
	// Compute shows each team's history.
	sc := newScenario()
	sc.in.History = h
	if p := team(t, sc.compute(t, protocol.RoleSupervisor, "presales"), "presales"); len(p.History) != 61 {
		t.Errorf("presales history on the floor: %d samples, want 61", len(p.History))
	}
	h.Forget(map[string]bool{})
	if len(h.Samples("presales")) != 0 {
		t.Error("Forget kept a removed team's samples")
	}
}
