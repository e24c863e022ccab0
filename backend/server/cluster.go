package server

import (
	"cmp"
	"context"
	"crypto/rand"
	"encoding/hex"
	"hash/fnv"
	"slices"
	"sync"
	"time"

	"switchboard/backend/bus"
	"switchboard/backend/hub"
	"switchboard/backend/notice"
	"switchboard/backend/relay"
	"switchboard/backend/store"
	"switchboard/protocol"
)

// Pushes on every node. A server given a bus (Config.Bus) may share it with
// other nodes on the same store: each push it makes to its own connections
// travels to the others too (package relay), and theirs reach its
// connections. A server with a bus of its own is alone, and pushes only
// locally. Every push goes through deliver (this node's connections) and
// publish (the other nodes'); a node receiving one calls relayed.

// recentWindow is how far back a node that meets a conversation for the
// first time delivers its messages from the store: those another node may
// have stored and published just before, still on their way.
const recentWindow = 10 * time.Second

// recentSeqs bounds how many messages that look back reads.
const recentSeqs = 64

// relayWorkers is how many goroutines deliver other nodes' pushes, each
// taking the conversations that hash to it, in order.
const relayWorkers = 8

// maxCatchUp bounds the messages and conversations one catch-up after a cut
// from the bus reads per conversation and in all.
const maxCatchUp = 500

// setupCluster starts relaying pushes when the bus is shared.
func (s *Server) setupCluster() {
	// The name is for people; what a node recognizes its own messages on
	// the bus by must be unique, whatever names they were given.
	b := make([]byte, 6)
	rand.Read(b)
	s.node = cmp.Or(s.cfg.Node, "node") + "-" + hex.EncodeToString(b)
	s.noticeCancel = s.bus.Subscribe(notice.Subject, s.noticeRelayed)
	if s.ownBus != nil {
		return
	}
	s.seqs = relay.NewSequencer(0, 0)
	s.relay = relay.New(s.node, s.bus, s.log, s.relayed, relayWorkers)
	s.setupPresence()
	if r, ok := s.bus.(bus.Resumer); ok {
		s.resumeCancel = r.OnResume(func(since time.Time) {
			go s.catchUp(s.baseCtx, since)
		})
	}
	s.log.Info("cluster node", "node", cmp.Or(s.cfg.Node, s.node), "bus_id", s.node)
}

// closeCluster stops relaying.
func (s *Server) closeCluster() {
	if s.resumeCancel != nil {
		s.resumeCancel()
	}
	if s.relay != nil {
		s.relay.Close()
	}
	if s.noticeCancel != nil {
		s.noticeCancel()
	}
}

// publish sends a push to the other nodes, if any.
func (s *Server) publish(p relay.Push) {
	if s.relay != nil {
		s.relay.Publish(p)
	}
}

// fanFrame pushes an ephemeral frame to the connections of topics on every
// node, except the connection except (on this node) and the connections of
// user skipUser.
func (s *Server) fanFrame(topics []string, frame []byte, except *hub.Conn, skipUser string) {
	p := relay.Push{Kind: relay.Frame, Topics: topics, SkipUser: skipUser, Frame: frame}
	s.deliver(p, except)
	s.publish(p)
}

// deliver hands a Frame or Message push to this node's connections.
func (s *Server) deliver(p relay.Push, except *hub.Conn) {
	conns := s.hub.Conns(p.Topics...)
	if len(p.Except) > 0 {
		skip := map[*hub.Conn]bool{}
		for _, c := range s.hub.Conns(p.Except...) {
			skip[c] = true
		}
		conns = slices.DeleteFunc(conns, func(c *hub.Conn) bool { return skip[c] })
	}
	for _, conn := range conns {
		if conn == except {
			continue
		}
		v, isPeer := s.peers.Load(conn)
		if !isPeer {
			conn.Send(p.Frame)
			continue
		}
		pr := v.(*peer)
		if p.SkipUser != "" && pr.user.ID == p.SkipUser {
			continue
		}
		if p.Kind != relay.Message {
			conn.Send(p.Frame)
			continue
		}
		pr.noteLiveView(p.Conv, p.Assignee)
		pr.deliverMessage(p.Conv, p.Seq, p.Frame)
	}
}

// messagePush is the push of stored message m of c: to c's staff readers,
// and to its customer when m is public.
func (s *Server) messagePush(c store.Conversation, m store.Message) (relay.Push, bool) {
	frame, err := protocol.Encode(protocol.TypeMessage, "", toProtoMessage(m))
	if err != nil {
		s.log.Error("encode message push", "conversation_id", c.ID, "err", err)
		return relay.Push{}, false
	}
	topics := readerTopics(c)
	if m.Visibility == protocol.VisibilityPublic {
		topics = append(topics, topicCustomer(c.CustomerID))
	}
	return relay.Push{Kind: relay.Message, Conv: c.ID, Seq: m.Seq, Assignee: c.AssigneeID, Topics: topics, Frame: frame}, true
}

// relayLockStripes stripes the relay locks by conversation id.
const relayLockStripes = 256

// lockRelay returns the lock that orders the message pushes of
// conversation id on this node, its own and the other nodes' alike, with
// its Sequencer. A node's own pushes take it inside the conversation lock;
// nothing takes the conversation lock inside it.
func (s *Server) lockRelay(id string) *sync.Mutex {
	h := fnv.New32a()
	h.Write([]byte(id))
	return &s.relayLocks[h.Sum32()%relayLockStripes]
}

// admitLocked readies this node to deliver message seq of conversation id:
// it reports false when the node delivered it already, and delivers from
// the store first the messages another node stored before it whose pushes
// have not come (lost, or overtaken). Alone, a node delivers every message
// in order as it stores it, and nothing needs checking. The caller holds
// the conversation's relay lock.
func (s *Server) admitLocked(ctx context.Context, id string, seq int64) bool {
	if s.seqs == nil {
		return true
	}
	after, known, ok := s.seqs.Admit(id, seq)
	if !ok {
		return false
	}
	recent := !known
	if recent {
		after = max(0, seq-recentSeqs)
	}
	if after < seq-1 {
		var notBefore int64
		if recent {
			notBefore = s.nowMS() - recentWindow.Milliseconds()
		}
		s.fillLocked(ctx, id, after, seq, notBefore)
	}
	return true
}

// fillLocked delivers the messages of conversation id after seq after and
// before seq before (0: no end) from the store, those stored at notBefore
// (unix ms) or later. The caller holds the conversation's relay lock.
func (s *Server) fillLocked(ctx context.Context, id string, after, before, notBefore int64) {
	msgs, err := s.store.Messages(ctx, store.MessageQuery{ConversationID: id, AfterSeq: after, BeforeSeq: before, Limit: maxCatchUp})
	if err != nil || len(msgs) == 0 {
		if err != nil {
			s.log.Warn("relay: read missed messages", "conversation_id", id, "err", err)
		}
		return
	}
	c, err := s.store.Conversation(ctx, id)
	if err != nil {
		s.log.Warn("relay: read conversation", "conversation_id", id, "err", err)
		return
	}
	filled := 0
	for _, m := range msgs {
		if m.CreatedAt < notBefore {
			continue
		}
		if p, ok := s.messagePush(c, m); ok {
			s.deliver(p, nil)
			filled++
		}
	}
	s.metrics.relayFilled.Add(float64(filled))
	s.seqs.Delivered(id, msgs[len(msgs)-1].Seq, s.cfg.Now())
}

// relayed delivers another node's push to this node's connections.
func (s *Server) relayed(p relay.Push) {
	ctx := s.baseCtx
	switch p.Kind {
	case relay.Frame:
		s.deliver(p, nil)
	case relay.Message:
		// The relay lock, not the conversation's: a node's own appends hold
		// that across their commits, and another node's messages need not
		// wait for them, only be ordered with their pushes (which take the
		// relay lock too).
		mu := s.lockRelay(p.Conv)
		mu.Lock()
		defer mu.Unlock()
		if !s.admitLocked(ctx, p.Conv, p.Seq) {
			return
		}
		s.deliver(p, nil)
		s.seqs.Delivered(p.Conv, p.Seq, s.cfg.Now())
	case relay.Conversation:
		mu := s.lockConv(p.Conv)
		mu.Lock()
		defer mu.Unlock()
		c, err := s.store.Conversation(ctx, p.Conv)
		if err != nil {
			s.log.Warn("relay: read changed conversation", "conversation_id", p.Conv, "err", err)
			return
		}
		s.deliverConversationLocked(p.Topics, c)
		// It may have joined a queue this node's agents can take.
		s.kickRouter()
	}
}

// catchUp brings this node's connections up to date after a cut from the
// bus that began at since: the messages of the conversations it follows
// stored meanwhile, and the state of the conversations changed meanwhile.
func (s *Server) catchUp(ctx context.Context, since time.Time) {
	s.log.Info("relay: back on the bus; catching up", "cut_at", since)
	for id := range s.seqs.Known() {
		mu := s.lockRelay(id)
		mu.Lock()
		// The last seq delivered is read again under the lock: a push
		// delivered since Known may have moved it on, and the messages up
		// to it must not go out twice (nor after it, out of order).
		if last, ok := s.seqs.Last(id); ok {
			s.fillLocked(ctx, id, last, 0, 0)
		}
		mu.Unlock()
	}
	changed, err := s.store.ListConversations(ctx, store.ConversationFilter{Newest: true, Limit: maxCatchUp})
	if err != nil {
		s.log.Warn("relay: list changed conversations", "err", err)
		return
	}
	from := since.Add(-recentWindow).UnixMilli()
	for _, c := range changed {
		if c.UpdatedAt < from {
			break
		}
		// A conversation the Sequencer does not follow yet had its
		// messages skipped above: its clients resumed on this node (one
		// restarted, say) and no push of it has come here since. Those
		// stored since the cut are delivered now, or a last message lost
		// on the bus would never reach them; a client drops by seq what
		// it holds already.
		rmu := s.lockRelay(c.ID)
		rmu.Lock()
		if _, known := s.seqs.Last(c.ID); !known && c.LastSeq > 0 {
			s.fillLocked(ctx, c.ID, max(0, c.LastSeq-maxCatchUp), 0, from)
		}
		rmu.Unlock()
		mu := s.lockConv(c.ID)
		mu.Lock()
		if c, err = s.store.Conversation(ctx, c.ID); err == nil {
			s.deliverConversationLocked(nil, c)
		}
		mu.Unlock()
	}
	s.kickRouter()
	s.floorDirty("")
}

// applyNoticeEverywhere applies a change notice of an admin command here
// and sends it to the other nodes.
func (s *Server) applyNoticeEverywhere(ctx context.Context, n notice.Notice) error {
	s.bus.Publish(notice.Subject, notice.Marshal(s.node, n))
	return s.applyNotice(ctx, n)
}

// noticeRelayed applies a change notice from another node, or from an
// admin command that published it on the bus itself.
func (s *Server) noticeRelayed(data []byte) {
	origin, n, err := notice.Unmarshal(data)
	if err != nil || origin == s.node {
		return
	}
	if err := s.applyNotice(s.baseCtx, n); err != nil {
		s.log.Warn("apply relayed change notice", "kind", n.Kind, "id", n.ID, "err", err)
	}
}
