package server

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"switchboard/backend/conversation"
	"switchboard/backend/store"
	"switchboard/backend/store/sqlite"
	"switchboard/protocol"
)

// TestListTeams checks the supervisors' list of their teams' conversations
// and its filters, with the cast of the authorization matrix: sam
// supervises presales, vera after-sales, adam is admin.
func TestListTeams(t *testing.T) {
	m := newMatrix(t)
	queued, _, _ := m.conv(t, queued)
	active, _, _ := m.conv(t, active) // presales, alice's
	// One in after-sales.
	ctx := context.Background()
	st := m.e.srv.store
	cust, _ := st.UpsertCustomer(ctx, store.Customer{ID: "after-cust"})
	after, _, err := st.CreateConversation(ctx, store.NewConversation{CustomerID: cust.ID, Channel: "web", Opened: sysEvent(protocol.EventOpened), Actor: cust.ID})
	if err != nil {
		t.Fatal(err)
	}
	team := "aftersales"
	if after, _, err = st.ChangeState(ctx, store.StateChange{ConversationID: after.ID, Event: conversation.Handoff, Team: &team,
		Message: sysEvent(protocol.EventHandoff), Actor: "bot"}); err != nil {
		t.Fatal(err)
	}
	time.Sleep(5 * time.Millisecond) // so that "waiting over 1 ms" holds

	list := func(who string, d protocol.ListData) ([]string, string) {
		t.Helper()
		c, _ := m.e.connect(who, m.tokens[who])
		defer c.ws.Close()
		d.Filter = protocol.ListTeams
		f := c.request(protocol.TypeList, d)
		if f.Type == protocol.TypeError {
			return nil, f.Error.Code
		}
		var l protocol.ConversationList
		c.decode(f, protocol.TypeConvList, &l)
		var got []string
		for _, cv := range l.Conversations {
			got = append(got, cv.ID)
		}
		slices.Sort(got)
		return got, ""
	}
	sorted := func(ids ...string) []string { slices.Sort(ids); return ids }
	tests := []struct {
		who  string
		d    protocol.ListData
		want []string
		code string
	}{
		{"sam", protocol.ListData{}, sorted(queued.ID, active.ID), ""},
		{"sam", protocol.ListData{AgentID: m.ids["alice"]}, sorted(active.ID), ""},
		{"sam", protocol.ListData{States: []string{"queued"}}, sorted(queued.ID), ""},
		{"sam", protocol.ListData{WaitingOverMS: 1}, sorted(queued.ID), ""},
		{"sam", protocol.ListData{WaitingOverMS: time.Hour.Milliseconds()}, nil, ""},
		{"sam", protocol.ListData{Team: "presales"}, sorted(queued.ID, active.ID), ""},
		{"sam", protocol.ListData{Team: "aftersales"}, nil, protocol.ErrForbidden.Code},
		{"sam", protocol.ListData{States: []string{"resolved"}}, nil, protocol.ErrInvalid.Code},
		{"vera", protocol.ListData{}, sorted(after.ID), ""},
		{"adam", protocol.ListData{}, sorted(queued.ID, active.ID, after.ID), ""},
		{"adam", protocol.ListData{Team: "aftersales"}, sorted(after.ID), ""},
		{"alice", protocol.ListData{}, nil, protocol.ErrForbidden.Code},
	}
	for _, tt := range tests {
		got, code := list(tt.who, tt.d)
		if code != tt.code || !slices.Equal(got, tt.want) {
			t.Errorf("%s lists %+v: %v %q, want %v %q", tt.who, tt.d, got, code, tt.want, tt.code)
		}
	}
}

// frozenClock stands still until the test moves it: floor figures are exact.
type frozenClock struct {
	mu sync.Mutex
	t  time.Time
}

func newFrozenClock() *frozenClock { return &frozenClock{t: time.UnixMilli(1_800_000_000_000)} }

func (c *frozenClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *frozenClock) advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

func (c *frozenClock) ms() int64 { return c.now().UnixMilli() }

// floorEnv is a server whose store keeps time by the test's clock, so that
// what it stamps and what the floor measures agree; the floor is never
// refreshed but by changes.
func floorEnv(t *testing.T, clock *frozenClock, change func(*Config)) *env {
	t.Helper()
	dir := t.TempDir()
	st, err := sqlite.Open(context.Background(), dir+"/switchboard.db", sqlite.Options{Now: clock.now})
	if err != nil {
		t.Fatal(err)
	}
	cfg := Config{DataDir: dir, Demo: true, Bot: fakeBot, Identity: testIdentity(t), Store: st, Now: clock.now,
		TimerPoll: 5 * time.Millisecond, FloorRefresh: time.Hour}
	if change != nil {
		change(&cfg)
	}
	e := startEnv(t, cfg)
	t.Cleanup(func() { st.Close() }) // after the server's stop, registered before
	return e
}

func (c *client) watchFloor() protocol.FloorData {
	c.t.Helper()
	var d protocol.FloorData
	c.decode(c.request(protocol.TypeFloor, protocol.FloorRequest{Watch: true}), protocol.TypeFloor, &d)
	return d
}

// waitFloor waits for a floor push for which match is true.
func (c *client) waitFloor(what string, match func(protocol.FloorData) bool) protocol.FloorData {
	c.t.Helper()
	var d protocol.FloorData
	c.waitPush("floor "+what, func(f protocol.Frame) bool {
		if f.Type != protocol.TypeFloor || f.ID != "" {
			return false
		}
		d = protocol.FloorData{}
		json.Unmarshal(f.Data, &d)
		return match(d)
	})
	return d
}

func floorTeamOf(t testing.TB, d protocol.FloorData, id string) protocol.FloorTeam {
	t.Helper()
	for _, ft := range d.Teams {
		if ft.ID == id {
			return ft
		}
	}
	t.Fatalf("no team %s on the floor: %+v", id, d.Teams)
	return protocol.FloorTeam{}
}

func floorAgentOf(t testing.TB, d protocol.FloorData, name string) protocol.FloorAgent {
	t.Helper()
	for _, a := range d.Agents {
		if a.Name == name {
			return a
		}
	}
	t.Fatalf("no agent %s on the floor: %+v", name, d.Agents)
	return protocol.FloorAgent{}
}

// wantTeam compares a team's figures, its history aside.
func wantTeam(t *testing.T, when string, got, want protocol.FloorTeam) {
	t.Helper()
	got.History, want.History = nil, nil
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("%s: %s\n got %+v\nwant %+v", when, want.ID, got, want)
	}
}

// TestFloorFigures walks a scripted shift on a clock the test moves and
// checks the presales floor a supervisor is pushed at every step: queue and
// waits against the team's SLA, agents' status and load, and the first and
// next response of a conversation being worked.
func TestFloorFigures(t *testing.T) {
	clock := newFrozenClock()
	e := floorEnv(t, clock, func(c *Config) { c.Routing = RoutingPick })
	ctx := context.Background()
	sla := store.SLA{FirstResponseMS: 60_000, WaitMS: 120_000, NextResponseMS: 180_000}
	if _, err := e.srv.store.SetTeamSLA(ctx, "presales", sla); err != nil {
		t.Fatal(err)
	}
	wsla := protocol.SLA{FirstResponseMS: 60_000, WaitMS: 120_000, NextResponseMS: 180_000}
	t0 := clock.ms()
	sam, _ := e.agent("sam") // supervises presales and after-sales
	d := sam.watchFloor()
	if d.At != t0 || len(d.Teams) != 2 || d.Teams[0].ID != "aftersales" || len(d.Teams[0].History) != 1 {
		t.Fatalf("floor = %+v", d)
	}
	wantTeam(t, "at start", floorTeamOf(t, d, "presales"), protocol.FloorTeam{ID: "presales", Name: d.Teams[1].Name, SLA: wsla,
		AgentsOnline: 1, AgentsOffline: 2, Capacity: 3})
	if a := floorAgentOf(t, d, "Sam"); a.Status != protocol.StatusOnline || a.StatusSince != t0 || a.Capacity != 3 {
		t.Fatalf("sam = %+v", a)
	}
	if a := floorAgentOf(t, d, "Alice"); a.Status != protocol.StatusOffline || a.StatusSince != 0 {
		t.Fatalf("alice = %+v", a)
	}
	name := d.Teams[1].Name
	presales := func(d protocol.FloorData) protocol.FloorTeam { return floorTeamOf(t, d, "presales") }

	// A customer queues: pushed with queue 1.
	cust1, conv1 := e.queued("one", "human")
	d = sam.waitFloor("queue 1", func(d protocol.FloorData) bool { return presales(d).Queue == 1 })
	wantTeam(t, "one queued", presales(d), protocol.FloorTeam{ID: "presales", Name: name, SLA: wsla,
		Queue: 1, AgentsOnline: 1, AgentsOffline: 2, Capacity: 3})

	// 150 s later a second: the first is over the wait SLA.
	clock.advance(150 * time.Second)
	e.queued("two", "human")
	d = sam.waitFloor("queue 2", func(d protocol.FloorData) bool { return presales(d).Queue == 2 })
	wantTeam(t, "two queued", presales(d), protocol.FloorTeam{ID: "presales", Name: name, SLA: wsla,
		Queue: 2, LongestWaitMS: 150_000, MedianWaitMS: 75_000, QueueOverSLA: 1, AgentsOnline: 1, AgentsOffline: 2, Capacity: 3})

	// Alice comes and takes the first.
	t1 := clock.ms()
	alice, _ := e.agent("alice")
	alice.accept(conv1.ID)
	d = sam.waitFloor("accepted", func(d protocol.FloorData) bool { return presales(d).Queue == 1 })
	wantTeam(t, "accepted", presales(d), protocol.FloorTeam{ID: "presales", Name: name, SLA: wsla,
		Queue: 1, AgentsOnline: 2, AgentsOffline: 1, Load: 1, Capacity: 8})
	a := floorAgentOf(t, d, "Alice")
	if len(a.Conversations) == 0 || !strings.HasPrefix(a.Conversations[0].CustomerName, "Visitor ") {
		t.Fatalf("alice's conversations %+v: want the visitor named as elsewhere", a.Conversations)
	}
	want := protocol.FloorAgent{ID: e.agentID("alice"), Name: "Alice", Role: protocol.RoleAgent, Teams: []string{"presales"},
		Status: protocol.StatusOnline, StatusSince: t1, Load: 1, Capacity: 5,
		Conversations: []protocol.FloorConversation{{ID: conv1.ID, CustomerName: a.Conversations[0].CustomerName,
			State: protocol.StateActive, Team: "presales", AwaitingMS: 150_000}}}
	if !reflect.DeepEqual(a, want) {
		t.Fatalf("alice\n got %+v\nwant %+v", a, want)
	}

	// 70 s without a reply, and the customer writes again: past the first
	// response and (waiting since the first message) the next response.
	clock.advance(70 * time.Second)
	cust1.sendText(conv1.ID, "hello?")
	d = sam.waitFloor("overdue", func(d protocol.FloorData) bool { return presales(d).ResponseOverSLA == 1 })
	wantTeam(t, "overdue", presales(d), protocol.FloorTeam{ID: "presales", Name: name, SLA: wsla,
		Queue: 1, LongestWaitMS: 70_000, MedianWaitMS: 70_000, ResponseOverSLA: 1, AgentsOnline: 2, AgentsOffline: 1, Load: 1, Capacity: 8})
	if c := floorAgentOf(t, d, "Alice").Conversations[0]; c.FirstResponseMS != 70_000 || c.Responded || c.AwaitingMS != 220_000 ||
		!slices.Equal(c.OverSLA, []string{"first_response", "next_response"}) {
		t.Fatalf("overdue conversation = %+v", c)
	}

	// Alice answers.
	alice.sendText(conv1.ID, "Sorry for the wait!")
	d = sam.waitFloor("answered", func(d protocol.FloorData) bool { return presales(d).ResponseOverSLA == 0 })
	if c := floorAgentOf(t, d, "Alice").Conversations[0]; c.FirstResponseMS != 70_000 || !c.Responded || c.AwaitingMS != 0 || c.OverSLA != nil {
		t.Fatalf("answered conversation = %+v", c)
	}

	// Alice steps away: time in status starts again, her room leaves the
	// team's capacity.
	clock.advance(5 * time.Second)
	alice.request(protocol.TypeStatus, protocol.StatusData{Status: protocol.StatusAway})
	d = sam.waitFloor("away", func(d protocol.FloorData) bool { return presales(d).AgentsAway == 1 })
	wantTeam(t, "away", presales(d), protocol.FloorTeam{ID: "presales", Name: name, SLA: wsla,
		Queue: 1, LongestWaitMS: 75_000, MedianWaitMS: 75_000, AgentsOnline: 1, AgentsAway: 1, AgentsOffline: 1, Load: 0, Capacity: 3})
	if a := floorAgentOf(t, d, "Alice"); a.Status != protocol.StatusAway || a.StatusSince != clock.ms() || a.Load != 1 {
		t.Fatalf("alice away = %+v", a)
	}

	// Sam monitors the conversation: the floor flags it.
	sam.decode(sam.request(protocol.TypeMonitor, protocol.MonitorData{ConversationID: conv1.ID, On: true}), protocol.TypeMonitor, &protocol.MonitorState{})
	d = sam.waitFloor("monitored", func(d protocol.FloorData) bool { return floorAgentOf(t, d, "Alice").Conversations[0].Monitored })
	sam.decode(sam.request(protocol.TypeMonitor, protocol.MonitorData{ConversationID: conv1.ID, On: false}), protocol.TypeMonitor, &protocol.MonitorState{})
	d = sam.waitFloor("monitor ended", func(d protocol.FloorData) bool { return !floorAgentOf(t, d, "Alice").Conversations[0].Monitored })

	// Watching ends with watch false.
	var off protocol.FloorData
	sam.decode(sam.request(protocol.TypeFloor, protocol.FloorRequest{Watch: false}), protocol.TypeFloor, &off)
	if len(off.Teams) != 0 || e.srv.floor.Watching() != 0 {
		t.Fatalf("after watch false: %+v, %d watching", off, e.srv.floor.Watching())
	}
	e.queued("three", "human")
	sam.noPush(300*time.Millisecond, "floor after watch false", func(f protocol.Frame) bool { return f.Type == protocol.TypeFloor })
}

// TestFloorLive checks that a change reaches the floor at once (the
// periodic refresh is an hour away), and that an agent who misses offers
// shows on it as set away.
func TestFloorLive(t *testing.T) {
	clock := newFrozenClock()
	e := floorEnv(t, clock, func(c *Config) { c.OfferTimeout = 10 * time.Second })
	ctx := context.Background()
	hash, _ := e.srv.store.AgentByUsername(ctx, "sam")
	if _, err := e.srv.store.UpsertAgent(ctx, store.Agent{Username: "adam", Name: "Adam", Role: protocol.RoleAdmin, PasswordHash: hash.PasswordHash}); err != nil {
		t.Fatal(err)
	}
	adam, _ := e.agent("adam") // in no team: never offered anything
	d := adam.watchFloor()
	if q := floorTeamOf(t, d, "presales").Queue; q != 0 {
		t.Fatalf("queue at start = %d", q)
	}
	alice, _ := e.agent("alice") // the only one of presales online
	adam.waitFloor("alice online", func(d protocol.FloorData) bool { return floorAgentOf(t, d, "Alice").Status == protocol.StatusOnline })

	start := time.Now()
	_, conv := e.queued("customer", "human")
	d = adam.waitFloor("queued", func(d protocol.FloorData) bool { return floorTeamOf(t, d, "presales").Queue == 1 })
	if el := time.Since(start); el > time.Second {
		t.Errorf("the floor took %v to show the queued customer", el)
	}
	if floorTeamOf(t, d, "presales").OffersOut != 1 { // the offer may come in the same push
		d = adam.waitFloor("offered", func(d protocol.FloorData) bool { return floorTeamOf(t, d, "presales").OffersOut == 1 })
	}
	if a := floorAgentOf(t, d, "Alice"); a.Load != 1 {
		t.Fatalf("alice with an offer = %+v", a)
	}
	aliceID := e.agentID("alice")
	for i := 0; i < 2; i++ {
		alice.waitConversation("offer", offeredTo(conv.ID, aliceID))
		clock.advance(11 * time.Second)
		alice.waitMessage("expired", eventIs(protocol.EventOfferExpired))
	}
	d = adam.waitFloor("auto away", func(d protocol.FloorData) bool { return floorAgentOf(t, d, "Alice").AutoAway })
	a := floorAgentOf(t, d, "Alice")
	p := floorTeamOf(t, d, "presales")
	if a.Status != protocol.StatusAway || a.MissedOffers != 2 || a.StatusSince != clock.ms() || p.MissedOffers != 2 || p.AgentsAway != 1 {
		t.Fatalf("after two missed offers: alice %+v, presales %+v", a, p)
	}

	// A closed connection stops watching.
	adam.ws.Close()
	deadline := time.Now().Add(5 * time.Second)
	for e.srv.floor.Watching() != 0 {
		if time.Now().After(deadline) {
			t.Fatal("still watching after the connection closed")
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestFloorScope checks whose floor each caller sees: a supervisor their
// teams and those teams' agents, an admin every team, agents and customers
// nothing.
func TestFloorScope(t *testing.T) {
	m := newMatrix(t) // sam: presales; vera: after-sales; adam: admin
	tests := []struct {
		who    string
		teams  []string
		agents []string
		code   string
	}{
		{"sam", []string{"presales"}, []string{"Alice", "Carol", "Sam"}, ""},
		{"vera", []string{"aftersales"}, []string{"Bob", "Carol", "Vera"}, ""},
		{"adam", []string{"aftersales", "presales"}, []string{"Alice", "Bob", "Carol", "Sam", "Vera"}, ""},
		{"alice", nil, nil, protocol.ErrForbidden.Code},
	}
	for _, tt := range tests {
		c, _ := m.e.connect(tt.who, m.tokens[tt.who])
		f := c.request(protocol.TypeFloor, protocol.FloorRequest{Watch: true})
		if tt.code != "" {
			c.wantError(f, tt.code)
			c.ws.Close()
			continue
		}
		var d protocol.FloorData
		c.decode(f, protocol.TypeFloor, &d)
		var teams, agents []string
		for _, ft := range d.Teams {
			teams = append(teams, ft.ID)
		}
		for _, a := range d.Agents {
			agents = append(agents, a.Name)
			if tt.who == "sam" && a.Name == "Carol" && !slices.Equal(a.Teams, []string{"presales"}) {
				t.Errorf("sam sees carol's teams %v, want presales only", a.Teams)
			}
		}
		if !slices.Equal(teams, tt.teams) || !slices.Equal(agents, tt.agents) {
			t.Errorf("%s sees teams %v and agents %v, want %v and %v", tt.who, teams, agents, tt.teams, tt.agents)
		}
		c.ws.Close()
	}
	_, cust1, _ := m.conv(t, none)
	c, _ := m.e.connect("cust1", cust1)
	c.wantError(c.request(protocol.TypeFloor, protocol.FloorRequest{Watch: true}), protocol.ErrForbidden.Code)
}

// TestFloorCountsBeyondAPage checks that the floor counts every queued
// conversation, not the store's default page of 500.
func TestFloorCountsBeyondAPage(t *testing.T) {
	m := newMatrix(t)
	ctx := context.Background()
	st := m.e.srv.store
	const n = 520
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for w := 0; w < 8; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := w; i < n; i += 8 {
				cust, err := st.UpsertCustomer(ctx, store.Customer{ID: fmt.Sprintf("page-%d", i)})
				if err != nil {
					errs <- err
					return
				}
				c, _, err := st.CreateConversation(ctx, store.NewConversation{CustomerID: cust.ID, Channel: "web", Opened: sysEvent(protocol.EventOpened), Actor: cust.ID})
				if err != nil {
					errs <- err
					return
				}
				team := "presales"
				if _, _, err := st.ChangeState(ctx, store.StateChange{ConversationID: c.ID, Event: conversation.Handoff, Team: &team,
					Message: sysEvent(protocol.EventHandoff), Actor: "bot"}); err != nil {
					errs <- err
					return
				}
			}
		}(w)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	c, _ := m.e.connect("adam", m.tokens["adam"])
	if q := floorTeamOf(t, c.watchFloor(), "presales").Queue; q != n {
		t.Fatalf("presales queue on the floor = %d, want %d", q, n)
	}
	_, _, body := m.e.get("/metrics", "", nil)
	if v := metricValue(t, string(body), `switchboard_floor_watchers`); v != 1 {
		t.Errorf("floor watchers = %v, want 1", v)
	}
}
