package faulttest

import (
	"context"
	"log/slog"
	"math/rand/v2"
	"path/filepath"
	"testing"
	"time"

	"switchboard/backend/seal"
	"switchboard/backend/server"
	"switchboard/backend/store"
	"switchboard/backend/store/sqlite"
	"switchboard/internal/chatclient"
)

// TestCrash runs the server as a separate process, kills it with SIGKILL
// twice while customers and agents are sending, and starts it again on the
// same data directory and port each time. The clients reconnect and resend;
// at the end everything acknowledged must be stored exactly once, in order,
// and held by every participant (see scenario.verify) — also when read
// straight from the database file after a graceful stop.
func TestCrash(t *testing.T) {
	seed := seedFor(t)
	// Two agents within their demo capacity (alice 5, carol 8), five
	// customers each.
	customers, custSends, agentSends := 10, 120, 81
	if testing.Short() {
		customers, custSends, agentSends = 6, 15, 15
	}
	ctx, cancel := context.WithTimeout(context.Background(), 120*time.Second)
	defer cancel()

	p := &serverProc{bin: buildServer(t), addr: freeAddr(t), dataDir: t.TempDir()}
	if err := p.start(); err != nil {
		t.Fatalf("%v\n%s", err, p.output())
	}
	defer func() {
		if err := p.stop(); err != nil {
			t.Errorf("stop server: %v", err)
		}
		if t.Failed() {
			t.Logf("server log:\n%s", p.output())
		}
	}()

	s := &scenario{
		WSURL:    "ws://" + p.addr + "/ws",
		HTTPBase: "http://" + p.addr,
		// The demo knowledge base hands "转人工" to presales.
		Agents: []agentSpec{
			{Username: "alice", Password: server.DemoPassword},
			{Username: "carol", Password: server.DemoPassword},
		},
		Customers:     customers,
		CustomerSends: custSends,
		AgentSends:    agentSends,
		Seed:          seed,
		Log:           slog.New(slog.DiscardHandler),
	}
	start := time.Now()
	if err := s.connect(ctx); err != nil {
		s.stop()
		t.Fatal(err)
	}
	defer s.stop()

	// Kill at a third and at two thirds of the messages, each time after
	// a seeded extra delay so the kill lands at a random point of a send.
	total := int64(customers * (custSends + agentSends + 1))
	rng := rand.New(rand.NewPCG(seed, 7))
	type kill struct {
		acked int64
		down  time.Duration
	}
	var kills []kill
	var restartErr error
	runCtx, stopRun := context.WithCancel(ctx)
	defer stopRun()
	killerDone := make(chan struct{})
	go func() {
		defer close(killerDone)
		for _, at := range []int64{total / 3, 2 * total / 3} {
			for s.acked.Load() < at {
				select {
				case <-ctx.Done():
					return
				case <-time.After(time.Millisecond):
				}
			}
			time.Sleep(time.Duration(rng.Int64N(int64(20 * time.Millisecond))))
			n := s.acked.Load()
			p.kill()
			down := time.Duration(100+rng.Int64N(400)) * time.Millisecond
			time.Sleep(down)
			kills = append(kills, kill{n, down})
			if restartErr = p.start(); restartErr != nil {
				stopRun()
				return
			}
		}
	}()
	runErr := s.run(runCtx)
	<-killerDone
	if restartErr != nil {
		t.Fatalf("restart after kill %d: %v", len(kills), restartErr)
	}
	ran := time.Since(start)
	if runErr != nil {
		t.Fatalf("run (seed %d): %v", seed, runErr)
	}
	if len(kills) != 2 {
		t.Fatalf("server killed %d times, want 2 (the run ended first?)", len(kills))
	}

	// The transcript as the server tells a fresh connection.
	readers := make(map[string]*chatclient.Client)
	for i, a := range s.Agents {
		login, err := chatclient.LoginAgent(ctx, nil, s.HTTPBase, a.Username, a.Password)
		if err != nil {
			t.Fatal(err)
		}
		c := chatclient.New(s.clientConfig(login.Token, seed+uint64(5000+i)))
		c.Start(ctx)
		defer c.Close()
		readers[a.Username] = c
	}
	agentOf := make(map[string]string)
	for _, cr := range s.convs {
		agentOf[cr.convID()] = cr.agent
	}
	overWire := make(map[string][]entry)
	truth := func(ctx context.Context, id string) ([]entry, error) {
		ms, err := readers[agentOf[id]].History(ctx, id)
		if err != nil {
			return nil, err
		}
		overWire[id] = entries(ms)
		return overWire[id], nil
	}
	stored, sent := s.verify(t, ctx, truth)
	st, re := s.summary()
	t.Logf("%d customers, %d agents: %d messages sent and acknowledged, %d stored, in %v", customers, len(s.Agents), sent, stored, ran.Round(time.Millisecond))
	for i, k := range kills {
		t.Logf("kill %d: SIGKILL after %d acks, down for %v", i+1, k.acked, k.down)
	}
	t.Logf("clients: %d connects, %d disconnects, %d failed connects, %d resends, %d rate-limited sends retried, %d duplicate acks, %d duplicate pushes dropped, %d syncs, %d repeated handoff requests",
		st.Connects, st.Disconnects, st.DialFailures, st.Resends, st.RateLimited, st.Duplicates, st.DupPushes, st.GapSyncs, re)
	if st.Misordered != 0 {
		t.Errorf("%d pushes arrived out of seq order on one connection", st.Misordered)
	}

	// And as the database file holds it once the server is gone.
	s.stop()
	for _, c := range readers {
		c.Close()
	}
	if err := p.stop(); err != nil {
		t.Fatalf("stop server: %v", err)
	}
	// The demo server seals the data with the key it wrote beside it.
	kek, err := seal.LoadKEKFile(filepath.Join(p.dataDir, "demo-kek.key"))
	if err != nil {
		t.Fatalf("the demo's key-encryption key: %v", err)
	}
	st2, err := sqlite.Open(ctx, filepath.Join(p.dataDir, "switchboard.db"), sqlite.Options{KEK: kek})
	if err != nil {
		t.Fatalf("open the database: %v", err)
	}
	defer st2.Close()
	for id, want := range overWire {
		ms, err := st2.Messages(ctx, store.MessageQuery{ConversationID: id, Limit: 100000})
		if err != nil {
			t.Fatal(err)
		}
		if len(ms) != len(want) {
			t.Fatalf("conversation %s: %d messages in the database, %d over the wire", id, len(ms), len(want))
		}
		for i, m := range ms {
			if got := (entry{m.Seq, m.ClientMsgID, m.SenderRole, m.Kind, m.Visibility, m.Text}); got != want[i] {
				t.Fatalf("conversation %s: database has %+v at %d, the wire said %+v", id, got, i, want[i])
			}
		}
	}
}
