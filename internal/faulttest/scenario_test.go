package faulttest

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"

	"switchboard/internal/chatclient"
	"switchboard/protocol"
)

// agentSpec is one agent of a scenario and what its customers type to be
// handed over to a team the agent is in.
type agentSpec struct {
	Username string
	Password string
	Handoff  string
}

// scenario is a run of customers and agents talking through handed-over
// conversations: every customer opens a conversation, asks for a person,
// waits until its agent accepts, and then the customer sends CustomerSends
// messages while the agent sends AgentSends.
// Each customer is meant for one agent (its display name ends in
// "@username"), so the load per agent is fixed and no accept races.
type scenario struct {
	WSURL    string // where the clients connect (the proxy, or the server)
	HTTPBase string // where tokens are fetched (the server, directly)
	// Nodes, when set, are the WebSocket URLs of a cluster's nodes, and
	// WSURL is ignored. Customers are spread over the nodes, each on
	// another node than its agent; a client whose node fails moves on to
	// the next one (chatclient.Config.URLs).
	Nodes         []string
	Agents        []agentSpec
	Customers     int
	CustomerSends int // per conversation
	AgentSends    int // per conversation
	// InternalEvery makes every n-th agent message an internal note, which
	// the customer must never see (0: none).
	InternalEvery int
	// AcceptAfter makes agents leave a customer in the queue for this
	// long before accepting, so that offers to them and to others expire.
	AcceptAfter time.Duration
	Seed        uint64
	Log         *slog.Logger

	acked     atomic.Int64 // acknowledged sends, for progress and kills
	convs     []*convRun
	customers []*chatclient.Client
	agents    map[string]*chatclient.Client
}

// convRun is one customer's conversation and everything sent in it.
type convRun struct {
	idx      int
	name     string // customer display name, "cust-07@alice"
	agent    string
	customer *chatclient.Client

	// mu guards id, sends and rehandoffs.
	mu         sync.Mutex
	id         string
	sends      []*sendRec
	rehandoffs int
}

// sendRec is one message a client was asked to send, and its final ack.
type sendRec struct {
	role string // protocol.RoleCustomer or the agent's role
	d    protocol.SendData
	ack  protocol.AckData
	done bool
	err  error
}

func (cr *convRun) convID() string {
	cr.mu.Lock()
	defer cr.mu.Unlock()
	return cr.id
}

// seedFor returns the run's seed: SWITCHBOARD_FAULT_SEED if set, else the
// clock. It is logged, so a failure can be replayed with the same schedule.
func seedFor(t *testing.T) uint64 {
	t.Helper()
	if s := os.Getenv("SWITCHBOARD_FAULT_SEED"); s != "" {
		v, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			t.Fatalf("SWITCHBOARD_FAULT_SEED=%q: %v", s, err)
		}
		t.Logf("seed %d (from SWITCHBOARD_FAULT_SEED)", v)
		return v
	}
	v := uint64(time.Now().UnixNano())
	t.Logf("seed %d (replay with SWITCHBOARD_FAULT_SEED=%d)", v, v)
	return v
}

// loopbackClient fetches tokens from a loopback address of its own: the
// server rate-limits visitor tokens per IP, and all of 127.0.0.0/8 is
// loopback on Linux.
func loopbackClient(i int) *http.Client {
	ip := net.IPv4(127, 0, byte(1+i/250), byte(2+i%250))
	d := &net.Dialer{LocalAddr: &net.TCPAddr{IP: ip}, Timeout: 5 * time.Second}
	return &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{DialContext: d.DialContext, DisableKeepAlives: true}}
}

// nodeURLs lists the cluster's nodes starting at node home: where a client
// of that node connects first, and where it moves when home fails.
func (s *scenario) nodeURLs(home int) []string {
	var out []string
	for i := range s.Nodes {
		out = append(out, s.Nodes[(home+i)%len(s.Nodes)])
	}
	return out
}

// agentNode and customerNode place the clients on a cluster's nodes:
// agents round-robin, and each customer on one of the nodes its agent is
// not on, alternating between them.
func (s *scenario) agentNode(agent int) int { return agent % len(s.Nodes) }

func (s *scenario) customerNode(i int) int {
	a := i % len(s.Agents)
	if len(s.Nodes) < 2 {
		return 0
	}
	return (s.agentNode(a) + 1 + (i/len(s.Agents))%(len(s.Nodes)-1)) % len(s.Nodes)
}

func (s *scenario) clientConfig(token string, seed uint64) chatclient.Config {
	return chatclient.Config{
		URL:            s.WSURL,
		Token:          token,
		RequestTimeout: 3 * time.Second,
		MinBackoff:     20 * time.Millisecond,
		MaxBackoff:     500 * time.Millisecond,
		Seed:           seed,
		Logger:         s.Log,
	}
}

// connect signs everyone in and starts their clients. The caller closes
// them with stop.
func (s *scenario) connect(ctx context.Context) error {
	s.agents = make(map[string]*chatclient.Client)
	for i, a := range s.Agents {
		login, err := chatclient.LoginAgent(ctx, nil, s.HTTPBase, a.Username, a.Password)
		if err != nil {
			return fmt.Errorf("login %s: %w", a.Username, err)
		}
		cfg := s.clientConfig(login.Token, s.Seed+uint64(1000+i))
		if len(s.Nodes) > 0 {
			cfg.URLs = s.nodeURLs(s.agentNode(i))
		}
		c := chatclient.New(cfg)
		c.Start(ctx)
		s.agents[a.Username] = c
	}
	for i := 0; i < s.Customers; i++ {
		a := s.Agents[i%len(s.Agents)]
		name := fmt.Sprintf("cust-%02d@%s", i, a.Username)
		v, err := chatclient.NewVisitor(ctx, loopbackClient(i), s.HTTPBase, name)
		if err != nil {
			return fmt.Errorf("visitor %s: %w", name, err)
		}
		cfg := s.clientConfig(v.Token, s.Seed+uint64(i))
		if len(s.Nodes) > 0 {
			cfg.URLs = s.nodeURLs(s.customerNode(i))
		}
		c := chatclient.New(cfg)
		c.Start(ctx)
		s.customers = append(s.customers, c)
		s.convs = append(s.convs, &convRun{idx: i, name: name, agent: a.Username, customer: c})
	}
	return nil
}

func (s *scenario) stop() {
	for _, c := range s.customers {
		c.Close()
	}
	for _, c := range s.agents {
		c.Close()
	}
}

// run drives every customer and agent to the end of their script and
// returns the first failure.
func (s *scenario) run(ctx context.Context) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var wg sync.WaitGroup
	errs := make(chan error, len(s.convs)+len(s.Agents)+1)
	fail := func(err error) {
		if err != nil {
			errs <- err
			cancel()
		}
	}
	for _, cr := range s.convs {
		wg.Add(1)
		go func() { defer wg.Done(); fail(s.customerScript(ctx, cr)) }()
	}
	for _, a := range s.Agents {
		wg.Add(1)
		go func() { defer wg.Done(); fail(s.agentScript(ctx, a)) }()
	}
	wg.Wait()
	close(errs)
	var all []error
	for err := range errs {
		all = append(all, err)
	}
	return errors.Join(all...)
}

func (s *scenario) handoffText(agent string) string {
	for _, a := range s.Agents {
		if a.Username == agent && a.Handoff != "" {
			return a.Handoff
		}
	}
	return "转人工"
}

// send records a message before asking the client to send it, so a send
// that never completes is still counted as asked for.
func (s *scenario) send(ctx context.Context, cr *convRun, c *chatclient.Client, role, text, visibility string) error {
	rec := &sendRec{role: role, d: protocol.SendData{
		ConversationID: cr.convID(), ClientMsgID: uuid.Must(uuid.NewV7()).String(),
		Kind: protocol.KindText, Text: text, Visibility: visibility,
	}}
	cr.mu.Lock()
	cr.sends = append(cr.sends, rec)
	cr.mu.Unlock()
	ack, err := c.Send(ctx, rec.d)
	cr.mu.Lock()
	rec.ack, rec.err, rec.done = ack, err, err == nil
	cr.mu.Unlock()
	if err != nil {
		return fmt.Errorf("%s: %w", cr.name, err)
	}
	s.acked.Add(1)
	return nil
}

func hasEvent(typ string) func([]protocol.Message) bool {
	return func(ms []protocol.Message) bool {
		for _, m := range ms {
			if m.Kind == protocol.KindEvent && m.Event != nil && m.Event.Type == typ {
				return true
			}
		}
		return false
	}
}

func (s *scenario) customerScript(ctx context.Context, cr *convRun) error {
	c := cr.customer
	var conv protocol.Conversation
	err := c.Retry(ctx, func(ctx context.Context) error {
		return c.Request(ctx, protocol.TypeOpen, protocol.OpenData{Ext: map[string]string{"run": "faulttest"}}, &conv)
	})
	if err != nil {
		return fmt.Errorf("%s: open: %w", cr.name, err)
	}
	cr.mu.Lock()
	cr.id = conv.ID
	cr.mu.Unlock()
	c.Track(conv.ID)

	// Ask for a person until the handoff shows. The bot runs after the
	// ack, so a server that dies in between never hands over; asking again
	// (a new message) is what a person would do.
	for attempt := 0; ; attempt++ {
		if attempt == 6 {
			return fmt.Errorf("%s: no handoff after %d requests", cr.name, attempt)
		}
		if attempt > 0 {
			cr.mu.Lock()
			cr.rehandoffs++
			cr.mu.Unlock()
		}
		if err := s.send(ctx, cr, c, protocol.RoleCustomer, s.handoffText(cr.agent), protocol.VisibilityPublic); err != nil {
			return err
		}
		wctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		err := c.Wait(wctx, conv.ID, hasEvent(protocol.EventHandoff))
		cancel()
		if err == nil {
			break
		}
		if ctx.Err() != nil {
			return fmt.Errorf("%s: waiting for handoff: %w", cr.name, ctx.Err())
		}
	}
	if err := c.Wait(ctx, conv.ID, hasEvent(protocol.EventAssigned)); err != nil {
		return fmt.Errorf("%s: waiting for an agent: %w", cr.name, err)
	}
	for k := 0; k < s.CustomerSends; k++ {
		if err := s.send(ctx, cr, c, protocol.RoleCustomer, fmt.Sprintf("%s says %03d", cr.name, k), protocol.VisibilityPublic); err != nil {
			return err
		}
	}
	return nil
}

// agentScript accepts the agent's customers from the queue as they arrive
// and runs one sender per accepted conversation.
func (s *scenario) agentScript(ctx context.Context, a agentSpec) error {
	c := s.agents[a.Username]
	tag := "@" + a.Username
	byName := make(map[string]*convRun)
	for _, cr := range s.convs {
		if cr.agent == a.Username {
			byName[cr.name] = cr
		}
	}
	accepted := make(map[string]bool)
	seen := make(map[string]time.Time) // when a conversation was first seen queued
	var wg sync.WaitGroup
	errs := make(chan error, len(byName))
	for len(accepted) < len(byName) {
		var queue, mine protocol.ConversationList
		err := c.Retry(ctx, func(ctx context.Context) error {
			return c.Request(ctx, protocol.TypeList, protocol.ListData{Filter: protocol.ListQueue}, &queue)
		})
		if err != nil {
			return fmt.Errorf("%s: list queue: %w", a.Username, err)
		}
		for _, conv := range queue.Conversations {
			if _, ok := seen[conv.ID]; !ok {
				seen[conv.ID] = time.Now()
			}
			if strings.HasSuffix(conv.CustomerName, tag) && time.Since(seen[conv.ID]) >= s.AcceptAfter {
				// One attempt: whether it worked shows in "mine" below. A
				// lost reply may have accepted it; a retry would then be
				// refused as illegal_transition.
				c.Request(ctx, protocol.TypeAccept, protocol.ConversationRef{ConversationID: conv.ID}, nil)
			}
		}
		err = c.Retry(ctx, func(ctx context.Context) error {
			return c.Request(ctx, protocol.TypeList, protocol.ListData{Filter: protocol.ListMine}, &mine)
		})
		if err != nil {
			return fmt.Errorf("%s: list mine: %w", a.Username, err)
		}
		for _, conv := range mine.Conversations {
			cr := byName[conv.CustomerName]
			if cr == nil || accepted[conv.ID] {
				continue
			}
			accepted[conv.ID] = true
			c.Track(conv.ID)
			wg.Add(1)
			go func() {
				defer wg.Done()
				if err := s.agentSender(ctx, c, cr, conv.ID); err != nil {
					errs <- err
				}
			}()
		}
		if len(accepted) < len(byName) {
			select {
			case <-ctx.Done():
				wg.Wait()
				return fmt.Errorf("%s: accepted %d of %d: %w", a.Username, len(accepted), len(byName), ctx.Err())
			case <-time.After(100 * time.Millisecond):
			}
		}
	}
	wg.Wait()
	close(errs)
	return <-errs
}

func (s *scenario) agentSender(ctx context.Context, c *chatclient.Client, cr *convRun, convID string) error {
	role := c.User().Role
	for k := 0; k < s.AgentSends; k++ {
		vis := protocol.VisibilityPublic
		if s.InternalEvery > 0 && k%s.InternalEvery == s.InternalEvery-1 {
			vis = protocol.VisibilityInternal
		}
		if err := s.send(ctx, cr, c, role, fmt.Sprintf("%s answers %s %03d", cr.agent, cr.name, k), vis); err != nil {
			return err
		}
	}
	return nil
}

// entry is the part of a message the checks compare.
type entry struct {
	Seq         int64
	ClientMsgID string
	Role        string
	Kind        string
	Visibility  string
	Text        string
}

func entryOf(m protocol.Message) entry {
	return entry{m.Seq, m.ClientMsgID, m.Sender.Role, m.Kind, m.Visibility, m.Text}
}

func entries(ms []protocol.Message) []entry {
	out := make([]entry, len(ms))
	for i, m := range ms {
		out[i] = entryOf(m)
	}
	return out
}

func publicOnly(es []entry) []entry {
	var out []entry
	for _, e := range es {
		if e.Visibility == protocol.VisibilityPublic {
			out = append(out, e)
		}
	}
	return out
}

// truthFunc returns a conversation's full stored transcript in seq order.
type truthFunc func(ctx context.Context, convID string) ([]entry, error)

// verify checks every conversation against its stored transcript: every
// send acknowledged; the transcript gap-free with each client_msg_id once;
// each acknowledged message in it exactly once, at its acked seq, with its
// text; each sender's messages in the order sent; and both participants
// holding exactly what they may see, in order. It returns counts for the log.
func (s *scenario) verify(t *testing.T, ctx context.Context, truth truthFunc) (stored, sent int) {
	t.Helper()
	for _, cr := range s.convs {
		id := cr.convID()
		want, err := truth(ctx, id)
		if err != nil {
			t.Fatalf("%s: read transcript: %v", cr.name, err)
		}
		stored += len(want)
		byID := make(map[string]entry, len(want))
		for i, e := range want {
			if e.Seq != int64(i+1) {
				t.Fatalf("%s: transcript seq %d at index %d: not gap-free from 1", cr.name, e.Seq, i)
			}
			if _, dup := byID[e.ClientMsgID]; dup {
				t.Fatalf("%s: client_msg_id %s stored twice", cr.name, e.ClientMsgID)
			}
			byID[e.ClientMsgID] = e
		}

		cr.mu.Lock()
		sends := append([]*sendRec(nil), cr.sends...)
		cr.mu.Unlock()
		ours := make(map[string]bool, len(sends))
		lastSeq := map[string]int64{}
		for _, r := range sends {
			sent++
			ours[r.d.ClientMsgID] = true
			if !r.done {
				t.Fatalf("%s: message %s (%q) was never acknowledged: %v", cr.name, r.d.ClientMsgID, r.d.Text, r.err)
			}
			if r.ack.ClientMsgID != r.d.ClientMsgID || r.ack.ConversationID != id || r.ack.Epoch != 1 {
				t.Fatalf("%s: ack %+v does not match send %+v", cr.name, r.ack, r.d)
			}
			e, ok := byID[r.d.ClientMsgID]
			if !ok {
				t.Fatalf("%s: acknowledged message %s (seq %d, %q) is not in the transcript", cr.name, r.d.ClientMsgID, r.ack.Seq, r.d.Text)
			}
			if e.Seq != r.ack.Seq || e.Text != r.d.Text || e.Visibility != r.d.Visibility || e.Role != r.role {
				t.Fatalf("%s: stored %+v, but sent %q (%s, %s) and was acked seq %d", cr.name, e, r.d.Text, r.d.Visibility, r.role, r.ack.Seq)
			}
			// Each sender waits for an ack before its next message, so
			// its seqs must rise in the order it sent.
			if r.ack.Seq <= lastSeq[r.role] {
				t.Fatalf("%s: %s message %q got seq %d after one with seq %d", cr.name, r.role, r.d.Text, r.ack.Seq, lastSeq[r.role])
			}
			lastSeq[r.role] = r.ack.Seq
		}
		// Nothing from the participants that nobody asked for.
		for _, e := range want {
			if (e.Role == protocol.RoleCustomer || e.Role == protocol.RoleAgent || e.Role == protocol.RoleSupervisor) && !ours[e.ClientMsgID] {
				t.Fatalf("%s: stored message %+v was never sent", cr.name, e)
			}
		}

		// Each participant ends up holding exactly what it may read.
		agent := s.agents[cr.agent]
		views := []struct {
			who  string
			c    *chatclient.Client
			want []entry
		}{
			{cr.name, cr.customer, publicOnly(want)},
			{cr.agent, agent, want},
		}
		for _, v := range views {
			wctx, cancel := context.WithTimeout(ctx, 30*time.Second)
			v.c.Wait(wctx, id, func(ms []protocol.Message) bool {
				return len(ms) >= len(v.want)
			})
			cancel()
			got := entries(v.c.Messages(id))
			if len(got) != len(v.want) {
				t.Fatalf("%s holds %d messages of %s, want %d\n%s", v.who, len(got), cr.name, len(v.want), diff(got, v.want))
			}
			for i := range got {
				if got[i] != v.want[i] {
					t.Fatalf("%s: message %d of %s is %+v, want %+v", v.who, i, cr.name, got[i], v.want[i])
				}
			}
			if ep := v.c.Epoch(id); ep != 1 {
				t.Fatalf("%s: epoch of %s is %d, want 1", v.who, cr.name, ep)
			}
		}
	}
	return stored, sent
}

// diff lists the first differences between two transcripts.
func diff(got, want []entry) string {
	var b strings.Builder
	n := 0
	for i := 0; i < max(len(got), len(want)) && n < 5; i++ {
		var g, w entry
		if i < len(got) {
			g = got[i]
		}
		if i < len(want) {
			w = want[i]
		}
		if g != w {
			fmt.Fprintf(&b, "  [%d] got %+v\n       want %+v\n", i, g, w)
			n++
		}
	}
	return b.String()
}

// summary adds up the clients' counters.
func (s *scenario) summary() (chatclient.Stats, int) {
	var sum chatclient.Stats
	add := func(c *chatclient.Client) {
		st := c.Stats()
		sum.Connects += st.Connects
		sum.Disconnects += st.Disconnects
		sum.DialFailures += st.DialFailures
		sum.Failovers += st.Failovers
		sum.Resends += st.Resends
		sum.RateLimited += st.RateLimited
		sum.Duplicates += st.Duplicates
		sum.DupPushes += st.DupPushes
		sum.GapSyncs += st.GapSyncs
		sum.Misordered += st.Misordered
	}
	for _, c := range s.customers {
		add(c)
	}
	for _, c := range s.agents {
		add(c)
	}
	re := 0
	for _, cr := range s.convs {
		cr.mu.Lock()
		re += cr.rehandoffs
		cr.mu.Unlock()
	}
	return sum, re
}
