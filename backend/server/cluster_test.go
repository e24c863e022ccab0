package server

import (
	"context"
	"encoding/json"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"switchboard/backend/bus"
	"switchboard/backend/notice"
	"switchboard/backend/presence"
	"switchboard/backend/relay"
	"switchboard/backend/store"
	"switchboard/protocol"
)

// lossyBus loses or doubles the next message pushes published on it, as a
// bus may (package bus's contract is best effort).
type lossyBus struct {
	bus.Bus
	drop, dup atomic.Int32
}

func (b *lossyBus) Publish(subject string, data []byte) {
	if subject == relay.Subject {
		if p, err := relay.Decode(data); err == nil && p.Kind == relay.Message {
			if b.drop.Load() > 0 && b.drop.Add(-1) >= 0 {
				return
			}
			if b.dup.Load() > 0 && b.dup.Add(-1) >= 0 {
				b.Bus.Publish(subject, data)
			}
		}
	}
	b.Bus.Publish(subject, data)
}

// twoNodes starts two servers on one store and one bus, as two nodes of a
// cluster; node one listens for admin change notices.
func twoNodes(t *testing.T, change func(*Config)) (one, two *env, b *lossyBus) {
	t.Helper()
	st, err := store.Open(context.Background(), "sqlite:"+filepath.Join(t.TempDir(), "switchboard.db"), store.OpenOptions{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return twoNodesOn(t, st, st, change)
}

// twoNodesOn starts two servers, node one on st1 and node two on st2 (one
// store, or two opened on one database), and one bus, as twoNodes does.
func twoNodesOn(t *testing.T, st1, st2 store.Store, change func(*Config)) (one, two *env, b *lossyBus) {
	t.Helper()
	dir := t.TempDir()
	inproc := bus.NewInproc(bus.InprocConfig{})
	t.Cleanup(inproc.Close)
	b = &lossyBus{Bus: inproc}
	base := nodeConfig(t, b)
	if change != nil {
		change(&base)
	}
	c1, c2 := base, base
	c1.Store, c1.Node, c1.DataDir, c1.Demo, c1.NoticeSocket = st1, "one", filepath.Join(dir, "one"), true, notice.Path(filepath.Join(dir, "one"))
	c2.Store, c2.Node, c2.DataDir = st2, "two", filepath.Join(dir, "two")
	// Stopped in reverse: node two first, then one, then the store.
	one, two = startEnv(t, c1), startEnv(t, c2)
	return one, two, b
}

// nodeConfig is the configuration every node of the cluster tests shares:
// the bus, the fake bot, routing polled only when a test asks.
func nodeConfig(t *testing.T, b *lossyBus) Config {
	return Config{Bus: b, Bot: fakeBot, Identity: testIdentity(t), RoutePoll: time.Hour,
		PresenceHeartbeat: 100 * time.Millisecond}
}

// acceptedAcross starts a conversation whose customer is on node one and
// whose agent, carol, accepted it on node two, and has one customer text
// delivered to her.
func acceptedAcross(t *testing.T, one, two *env, text string) (carol, cust *client, conv protocol.Conversation, first protocol.AckData) {
	t.Helper()
	carol, _ = two.agent("carol")
	cust, conv = one.queued("customer", "转人工")
	carol.waitConversation("offer", func(c protocol.Conversation) bool { return c.ID == conv.ID && c.OfferAgentID == carol.user.ID })
	carol.request(protocol.TypeAccept, ref(conv.ID))
	first = cust.sendText(conv.ID, text)
	carol.waitMessage("the first text", func(m protocol.Message) bool { return m.Seq == first.Seq })
	return carol, cust, conv, first
}

func TestClusterPushesReachEveryNode(t *testing.T) {
	one, two, b := twoNodes(t, nil)

	// The customer is on node one, the agent on node two.
	bob, _ := two.agent("carol") // presales, where the fake bot hands over
	cust, conv := one.queued("customer", "转人工")
	bob.waitConversation("queued on the other node", func(c protocol.Conversation) bool {
		return c.ID == conv.ID && c.State == protocol.StateQueued
	})
	// Node two's router offers it to bob (node one has no agent online).
	bob.waitConversation("offer", func(c protocol.Conversation) bool { return c.ID == conv.ID && c.OfferAgentID == bob.user.ID })
	var accepted protocol.Conversation
	bob.decode(bob.request(protocol.TypeAccept, ref(conv.ID)), protocol.TypeConversation, &accepted)
	cust.waitConversation("accepted on the other node", func(c protocol.Conversation) bool {
		return c.ID == conv.ID && c.State == protocol.StateActive && c.AssigneeID == bob.user.ID
	})

	// Both ways.
	ack := bob.sendText(conv.ID, "Hello, this is Bob.")
	cust.waitMessage("agent's text", func(m protocol.Message) bool { return m.Seq == ack.Seq && m.Text == "Hello, this is Bob." })
	ack = cust.sendText(conv.ID, "My parcel is late.")
	bob.waitMessage("customer's text", func(m protocol.Message) bool { return m.Seq == ack.Seq })

	// A lost push: node two fills the gap from the store when the next
	// message comes, and delivers both in order.
	b.drop.Store(1)
	lost := cust.sendText(conv.ID, "lost on the bus")
	next := cust.sendText(conv.ID, "after the loss")
	bob.waitMessage("the lost message, from the store", func(m protocol.Message) bool { return m.Seq == lost.Seq && m.Text == "lost on the bus" })
	bob.waitMessage("the next one, after it", func(m protocol.Message) bool { return m.Seq == next.Seq })
	_, _, page := two.get("/metrics", "", nil)
	if got := metricValue(t, string(page), "switchboard_relay_filled_total"); got < 1 {
		t.Errorf("relay_filled_total on node two = %v, want at least 1", got)
	}

	// A doubled push is delivered once.
	b.dup.Store(1)
	twice := cust.sendText(conv.ID, "twice on the bus")
	marker := cust.sendText(conv.ID, "marker")
	if seen := bob.countUntil(twice.Seq, marker.Seq); seen != 1 {
		t.Errorf("the doubled message reached the agent %d times, want once", seen)
	}

	// Typing crosses nodes as an ephemeral frame.
	cust.writeRaw([]byte(`{"type":"typing","data":{"conversation_id":"` + conv.ID + `","active":true}}`))
	bob.waitPush("customer typing", func(f protocol.Frame) bool { return f.Type == protocol.TypeTyping })
}

func TestClusterAdminNoticeReachesEveryNode(t *testing.T) {
	one, two, _ := twoNodes(t, nil)
	bob, _ := two.agent("bob")
	ctx := context.Background()
	a, err := one.srv.Store().AgentByUsername(ctx, "bob")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := one.srv.Store().SetAgentDisabled(ctx, a.ID, true); err != nil {
		t.Fatal(err)
	}
	// The admin command tells the node on its data directory, which
	// passes it on: bob's connection to node two closes at once.
	if err := notice.Send(ctx, one.cfg.NoticeSocket, notice.Notice{Kind: notice.Agent, ID: a.ID}); err != nil {
		t.Fatalf("notice: %v", err)
	}
	if code, errCode := readUntilClosed(t, bob); code != protocol.CloseUnauthorized || errCode != protocol.ErrAccountDisabled.Code {
		t.Errorf("bob closed with %d after %q, want %d after account_disabled", code, errCode, protocol.CloseUnauthorized)
	}
}

// msgSeq is the seq of a message push.
func msgSeq(t *testing.T, f protocol.Frame) int64 {
	t.Helper()
	var m protocol.Message
	if err := json.Unmarshal(f.Data, &m); err != nil {
		t.Fatalf("message push: %v", err)
	}
	return m.Seq
}

// countUntil reads c's pushes until the message with seq until and returns
// how many times the message with seq seq came before it.
func (c *client) countUntil(seq, until int64) int {
	c.t.Helper()
	n := 0
	for {
		f := c.read()
		if f.Type != protocol.TypeMessage {
			continue
		}
		switch msgSeq(c.t.(*testing.T), f) {
		case seq:
			n++
		case until:
			return n
		}
	}
}

func TestClusterAgentStatus(t *testing.T) {
	one, two, b := twoNodes(t, func(c *Config) {
		c.OfferTimeout, c.TimerPoll, c.MissedOffersAway = 300*time.Millisecond, 50*time.Millisecond, 1
	})
	sam, _ := one.agent("sam") // a supervisor, on node one
	sam.watchFloor()
	carol, _ := two.agent("carol")
	sam.waitFloor("carol online on the other node", func(d protocol.FloorData) bool {
		return floorAgentOf(t, d, "Carol").Status == protocol.StatusOnline
	})
	carol.request(protocol.TypeStatus, protocol.StatusData{Status: protocol.StatusAway})
	sam.waitFloor("carol away", func(d protocol.FloorData) bool { return floorAgentOf(t, d, "Carol").Status == protocol.StatusAway })

	// A node that stops publishing is gone: its agents go offline.
	b.Publish(presence.Subject, presence.Encode(presence.Snapshot{Node: "ghost", Agents: []presence.Entry{
		{ID: aliceID(t, one), Live: true, Status: protocol.StatusOnline, Since: time.Now().UnixMilli()}}}))
	sam.waitFloor("alice online on a ghost node", func(d protocol.FloorData) bool {
		return floorAgentOf(t, d, "Alice").Status == protocol.StatusOnline
	})
	sam.waitFloor("the ghost node forgotten", func(d protocol.FloorData) bool {
		return floorAgentOf(t, d, "Alice").Status == protocol.StatusOffline
	})

	// Offers missed are counted where the agent is, whichever node's timer
	// saw them expire: carol, online again, lets one expire and is set away.
	carol.request(protocol.TypeStatus, protocol.StatusData{Status: protocol.StatusOnline})
	one.queued("customer", "转人工")
	carol.waitPush("set away for the missed offer", func(f protocol.Frame) bool {
		var st protocol.StatusData
		return f.Type == protocol.TypeStatus && f.ID == "" && json.Unmarshal(f.Data, &st) == nil &&
			st.Status == protocol.StatusAway && st.Reason == protocol.StatusReasonMissedOffers
	})
	sam.waitFloor("carol away after a missed offer", func(d protocol.FloorData) bool {
		c := floorAgentOf(t, d, "Carol")
		return c.Status == protocol.StatusAway && c.AutoAway
	})
}

func aliceID(t *testing.T, e *env) string {
	t.Helper()
	a, err := e.srv.Store().AgentByUsername(context.Background(), "alice")
	if err != nil {
		t.Fatal(err)
	}
	return a.ID
}

// An agent whose app moves to another node keeps the offers it holds: the
// node it left sees it live on the other one when its grace ends.
func TestClusterOfferFollowsAgentToAnotherNode(t *testing.T) {
	one, two, _ := twoNodes(t, func(c *Config) { c.OfflineGrace = 200 * time.Millisecond })
	first, _ := one.agent("carol")
	_, conv := two.queued("customer", "转人工")
	first.waitConversation("offer", func(c protocol.Conversation) bool { return c.ID == conv.ID && c.OfferAgentID == first.user.ID })
	second, _ := two.agent("carol")
	deadline := time.Now().Add(5 * time.Second)
	for !one.srv.liveElsewhere(second.user.ID) {
		if time.Now().After(deadline) {
			t.Fatal("node one never saw carol connected to node two")
		}
		time.Sleep(10 * time.Millisecond)
	}
	first.ws.Close()
	time.Sleep(4 * 200 * time.Millisecond) // past the grace
	msgs, err := one.srv.Store().Messages(context.Background(), store.MessageQuery{ConversationID: conv.ID})
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range msgs {
		if m.Event != nil && m.Event.Type == protocol.EventOfferExpired {
			t.Errorf("carol's offer was taken back when her app moved to node two: %+v", m.Event)
		}
	}
}

// The offers of an agent whose node died come back at once (not at the
// offer's timeout): the other nodes take them back when the node goes
// silent.
func TestClusterDeadNodeOffersComeBack(t *testing.T) {
	one, _, b := twoNodes(t, nil)
	alice := aliceID(t, one)
	// The doomed node beats as a live node does until alice holds the
	// offer: a customer queued under a slow machine (-race) may take
	// longer than the silence that ends a node.
	snap := presence.Encode(presence.Snapshot{Node: "doomed", Agents: []presence.Entry{
		{ID: alice, Live: true, Status: protocol.StatusOnline, Since: time.Now().UnixMilli()}}})
	b.Publish(presence.Subject, snap)
	stopBeats := make(chan struct{})
	beating := make(chan struct{})
	go func() {
		defer close(beating)
		tick := time.NewTicker(50 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-stopBeats:
				return
			case <-tick.C:
				b.Publish(presence.Subject, snap)
			}
		}
	}()
	stop := sync.OnceFunc(func() { close(stopBeats); <-beating })
	t.Cleanup(stop)
	_, conv := one.queued("customer", "转人工") // presales, alice's team
	waitStore := func(what string, ok func() bool) {
		t.Helper()
		deadline := time.Now().Add(10 * time.Second)
		for !ok() {
			if time.Now().After(deadline) {
				t.Fatalf("no %s", what)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	waitStore("offer to alice on the doomed node", func() bool {
		c, err := one.srv.Store().Conversation(context.Background(), conv.ID)
		return err == nil && c.OfferAgentID == alice
	})
	// The doomed node publishes nothing more.
	stop()
	waitStore("offer taken back", func() bool {
		msgs, err := one.srv.Store().Messages(context.Background(), store.MessageQuery{ConversationID: conv.ID})
		if err != nil {
			return false
		}
		for _, m := range msgs {
			if m.Event != nil && m.Event.Type == protocol.EventOfferExpired && m.Event.Actor == routerActor {
				return true
			}
		}
		return false
	})
}

// A catch-up after a cut from the bus delivers each message once: a push
// delivered between its look at the conversations followed and its turn
// for one of them is not delivered again (it would reach the connections
// out of seq order).
func TestClusterCatchUpDeliversOnce(t *testing.T) {
	one, two, b := twoNodes(t, nil)
	carol, cust, conv, first := acceptedAcross(t, one, two, "before the cut")

	// Node two is back on the bus and looks at what it follows, while
	// the conversation is busy.
	ctx := context.Background()
	mu := two.srv.lockConv(conv.ID)
	mu.Lock()
	caughtUp := make(chan struct{})
	go func() { defer close(caughtUp); two.srv.catchUp(ctx, time.Now()) }()
	time.Sleep(100 * time.Millisecond)
	// Meanwhile the next message reaches node two and is delivered, as
	// relayed does (its push itself lost, so that it comes only so).
	b.drop.Store(1)
	next := cust.sendText(conv.ID, "during the catch-up")
	ms, err := two.srv.store.Messages(ctx, store.MessageQuery{ConversationID: conv.ID, AfterSeq: first.Seq, Limit: 1})
	if err != nil || len(ms) != 1 || ms[0].Seq != next.Seq {
		mu.Unlock()
		t.Fatalf("the next message: %v, %v", ms, err)
	}
	c, err := two.srv.store.Conversation(ctx, conv.ID)
	if err != nil {
		mu.Unlock()
		t.Fatal(err)
	}
	p, _ := two.srv.messagePush(c, ms[0])
	two.srv.deliver(p, nil)
	two.srv.seqs.Delivered(conv.ID, next.Seq, time.Now())
	mu.Unlock()
	<-caughtUp

	marker := cust.sendText(conv.ID, "marker")
	if seen := carol.countUntil(next.Seq, marker.Seq); seen != 1 {
		t.Errorf("the message delivered during the catch-up reached the agent %d times, want once", seen)
	}
}

// A catch-up after a cut from the bus reaches the conversations a node has
// not followed yet: a node just started (after a restart, say), whose
// clients are there but to which no push of their conversation has come,
// still delivers the messages stored during the cut. A last message lost
// on the bus would otherwise never reach them.
func TestClusterCatchUpReachesConversationsNewToTheNode(t *testing.T) {
	one, two, b := twoNodes(t, nil)
	_, cust, conv, _ := acceptedAcross(t, one, two, "before node three")

	// Node three starts on the same store and bus; carol's app connects
	// there too. No push of the conversation has reached node three.
	c3 := nodeConfig(t, b)
	c3.Store, c3.Node, c3.DataDir = one.srv.Store(), "three", filepath.Join(t.TempDir(), "three")
	three := startEnv(t, c3)
	carol3, _ := three.agent("carol")
	if _, known := three.srv.seqs.Last(conv.ID); known {
		t.Fatal("node three follows the conversation already; the test needs it new there")
	}

	// The bus is cut: the customer's next message is stored on node one
	// and its push lost.
	cut := time.Now()
	b.drop.Store(1)
	lost := cust.sendText(conv.ID, "during the cut")
	three.srv.catchUp(context.Background(), cut)
	carol3.waitMessage("the message stored during the cut", func(m protocol.Message) bool { return m.Seq == lost.Seq })
}
