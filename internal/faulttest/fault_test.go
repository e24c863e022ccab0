package faulttest

import (
	"context"
	"log/slog"
	"net"
	"runtime"
	"strings"
	"testing"
	"time"

	"switchboard/backend/auth"
	"switchboard/backend/server"
	"switchboard/backend/server/servertest"
	"switchboard/backend/store"
	"switchboard/protocol"
)

// handoffBot hands every conversation over on "人工", to the aftersales team
// when the message says 售后 and to presales otherwise.
var handoffBot = server.BotFunc(func(ctx context.Context, in server.BotInput) (server.BotReply, error) {
	if !strings.Contains(in.Text, "人工") {
		return server.BotReply{Text: "请输入「转人工」联系客服。", Locale: "zh"}, nil
	}
	team := "presales"
	if strings.Contains(in.Text, "售后") {
		team = "aftersales"
	}
	return server.BotReply{Handoff: true, Team: team, Locale: "zh"}, nil
})

// TestFault runs 50 customers and 5 agents through a proxy that cuts,
// stalls and delays their connections at random while they exchange over
// 10,000 messages, then checks that nothing acknowledged was lost,
// duplicated or reordered at anyone (see scenario.verify).
func TestFault(t *testing.T) {
	seed := seedFor(t)
	// The server takes at most 20 messages a second per connection, and an
	// agent serves ten conversations over one: agents say less than
	// customers, or their rate limit alone would take most of a minute.
	customers, custSends, agentSends := 50, 150, 50
	if testing.Short() {
		customers, custSends, agentSends = 10, 30, 10
	}
	ctx, cancel := context.WithTimeout(context.Background(), 240*time.Second)
	defer cancel()
	goroutines := runtime.NumGoroutine()

	// The scenario's agents pick their own customers (no offers to others),
	// ten each: room for all of them.
	srv, err := server.New(servertest.Config(t, server.Config{DataDir: t.TempDir(), Demo: true, Bot: handoffBot, Routing: server.RoutingPick}))
	if err != nil {
		t.Fatalf("server.New: %v", err)
	}
	// A fifth agent next to the demo's alice, bob, carol and sam.
	hash, err := auth.HashPassword(server.DemoPassword)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := srv.Store().UpsertAgent(ctx, store.Agent{
		Username: "dave", Name: "Dave", Role: protocol.RoleAgent, PasswordHash: hash, Teams: []string{"presales", "aftersales"},
	}); err != nil {
		t.Fatalf("add agent: %v", err)
	}
	// Every customer stays in the team it asked for: no overflow to the
	// backup team, or an agent would wait for a customer routed elsewhere.
	for _, team := range server.DemoTeams {
		team.OverflowAt = 0
		if err := srv.Store().UpsertTeam(ctx, team); err != nil {
			t.Fatal(err)
		}
	}
	for _, name := range []string{"alice", "bob", "carol", "sam", "dave"} {
		a, err := srv.Store().AgentByUsername(ctx, name)
		if err != nil {
			t.Fatal(err)
		}
		a.Capacity = 20
		if _, err := srv.Store().UpsertAgent(ctx, a); err != nil {
			t.Fatalf("capacity of %s: %v", name, err)
		}
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	proxy, err := NewProxy(ln.Addr().String(), seed)
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		proxy.Close()
		sctx, scancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer scancel()
		if err := srv.Shutdown(sctx); err != nil {
			t.Errorf("shutdown: %v", err)
		}
		if err := <-served; err != nil {
			t.Errorf("serve: %v", err)
		}
	}()

	s := &scenario{
		WSURL:    "ws://" + proxy.Addr() + "/ws",
		HTTPBase: "http://" + ln.Addr().String(),
		Agents: []agentSpec{
			{Username: "alice", Password: server.DemoPassword},
			{Username: "bob", Password: server.DemoPassword, Handoff: "转人工 售后"},
			{Username: "carol", Password: server.DemoPassword},
			{Username: "sam", Password: server.DemoPassword, Handoff: "转人工 售后"},
			{Username: "dave", Password: server.DemoPassword},
		},
		Customers:     customers,
		CustomerSends: custSends,
		AgentSends:    agentSends,
		InternalEvery: 10,
		Seed:          seed,
		Log:           slog.New(slog.DiscardHandler),
	}
	start := time.Now()
	if err := s.connect(ctx); err != nil {
		s.stop()
		t.Fatal(err)
	}
	defer s.stop()

	proxy.SetFaults(Faults{
		Latency:          2 * time.Millisecond,
		CutsPerSecond:    8,
		StallsPerSecond:  2,
		StallMin:         100 * time.Millisecond,
		StallMax:         4 * time.Second, // longer than the request timeout now and then
		OutagesPerSecond: 0.1,
		OutageFor:        300 * time.Millisecond,
	})
	runErr := s.run(ctx)
	proxy.SetFaults(Faults{})
	ran := time.Since(start)
	if runErr != nil {
		t.Fatalf("run (seed %d): %v", seed, runErr)
	}

	truth := func(ctx context.Context, id string) ([]entry, error) {
		ms, err := srv.Store().Messages(ctx, store.MessageQuery{ConversationID: id, Limit: 100000})
		if err != nil {
			return nil, err
		}
		out := make([]entry, len(ms))
		for i, m := range ms {
			out[i] = entry{m.Seq, m.ClientMsgID, m.SenderRole, m.Kind, m.Visibility, m.Text}
		}
		return out, nil
	}
	stored, sent := s.verify(t, ctx, truth)
	st, re := s.summary()
	ps := proxy.Stats()
	t.Logf("%d customers, %d agents: %d messages sent and acknowledged, %d stored in %d conversations, in %v",
		customers, len(s.Agents), sent, stored, len(s.convs), ran.Round(time.Millisecond))
	t.Logf("proxy: %d connections, %d cuts, %d stalls, %d outages, %d refused", ps.Accepted, ps.Cuts, ps.Stalls, ps.Outages, ps.Refused)
	t.Logf("clients: %d connects, %d disconnects, %d failed connects, %d resends, %d rate-limited sends retried, %d duplicate acks, %d duplicate pushes dropped, %d syncs, %d repeated handoff requests",
		st.Connects, st.Disconnects, st.DialFailures, st.Resends, st.RateLimited, st.Duplicates, st.DupPushes, st.GapSyncs, re)
	if st.Misordered != 0 {
		t.Errorf("%d pushes arrived out of seq order on one connection", st.Misordered)
	}
	if !testing.Short() && sent < 10000 {
		t.Errorf("only %d messages sent, want at least 10,000", sent)
	}
	if ps.Cuts == 0 || ps.Stalls == 0 {
		t.Errorf("the proxy injected no faults: %+v", ps)
	}

	s.stop()
	proxy.Close()
	checkGoroutines(t, goroutines)
}

// checkGoroutines waits for the goroutine count to come back near where it
// started; the server is still up here, so its idle goroutines may remain.
func checkGoroutines(t *testing.T, before int) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		n := runtime.NumGoroutine()
		if n <= before+20 {
			return
		}
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<20)
			buf = buf[:runtime.Stack(buf, true)]
			t.Errorf("%d goroutines still running, %d at the start:\n%s", n, before, buf)
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
}
