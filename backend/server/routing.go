package server

import (
	"context"
	"errors"
	"maps"
	"math/rand/v2"
	"slices"
	"strconv"
	"sync"
	"time"

	"switchboard/backend/conversation"
	"switchboard/backend/routing"
	"switchboard/backend/store"
	"switchboard/protocol"
)

// Routing. Queued conversations are offered, one agent at a time, by one
// router goroutine. The router wakes on a kick (anything that can change who
// could take what: a conversation entering the queue, an offer declined or
// expired, capacity freed, an agent coming online) and every RoutePoll as a
// safety net. For each team's queue, in queue order, it offers every
// conversation without an offer to the agent backend/routing chooses, from
// the connected agents with their status, load and last offer, and the
// conversation's team, packet and refusals.
//
// The routers of the nodes on one store share the queues: a router claims
// a batch of a team's conversations at a time (store.QueueClaims), which no
// other router holds until the offer is made, the router passes them over
// (released when it has looked at the whole queue) or the lease runs out
// (routeLease, so a node that died holds nothing for long). Routers running
// at once thus work down different parts of a queue instead of racing for
// its head. A router that finds conversations another holds looks again
// soon (routeRetry): nothing else would tell it when they are let go.
//
// An agent who refused a
// conversation is asked again, when nobody else can take it, no sooner than
// half an offer timeout after their last offer. An agent who keeps letting
// offers expire is set away (Config.MissedOffersAway) and so stops being
// asked.
//
// Correctness does not rest on the router being alone: the offer is a
// conditional store write (no other offer), accept is one (still queued) and
// the capacity check and the write it guards run under the agent's lock. So
// a conversation never goes to two agents and no agent goes above capacity,
// whatever races.

// agentLockStripes stripes the per-agent locks that order capacity checks
// with the writes they allow.
const agentLockStripes = 64

func (s *Server) lockAgent(id string) *sync.Mutex {
	var h uint32 = 2166136261
	for i := 0; i < len(id); i++ {
		h = (h ^ uint32(id[i])) * 16777619
	}
	return &s.agentLocks[h%agentLockStripes]
}

func (s *Server) offerTimer() store.Timer {
	return store.Timer{Kind: conversation.OfferTimeout, DueAt: s.dueAt(s.cfg.OfferTimeout)}
}

// kickRouter asks the router to look at the queues again soon.
func (s *Server) kickRouter() {
	select {
	case s.routeKick <- struct{}{}:
	default:
	}
}

// runRouter is the router goroutine; Shutdown waits for it.
func (s *Server) runRouter() {
	defer close(s.routerDone)
	tick := time.NewTicker(s.cfg.RoutePoll)
	defer tick.Stop()
	for {
		var retry <-chan time.Time
		if s.route(s.baseCtx) {
			// Jittered, so two routers waiting for each other's
			// conversations do not keep meeting.
			retry = time.After(routeRetry/2 + rand.N(routeRetry))
		}
		select {
		case <-s.baseCtx.Done():
			return
		case <-s.routeKick:
		case <-tick.C:
		case <-retry:
		}
	}
}

// Queue claims (see the comment at the top).
const (
	// routeBatch is how many conversations a router claims at once.
	routeBatch = 20
	// routeLease is how long a claim holds conversations at most: far
	// longer than offering a batch takes, short enough that a node that
	// died does not keep customers waiting long.
	routeLease = 10 * time.Second
	// routeRetry is about how soon a router looks again at conversations
	// another router held during its pass.
	routeRetry = 200 * time.Millisecond
)

// candidates are the connected agents the router may offer to: the
// routing package's view of them, and their records by ID for the offer.
type candidates struct {
	list   []routing.Candidate
	agents map[string]store.Agent
}

// route makes the offers the queues allow and tells queued customers where
// they stand. It reports whether it should run again soon: conversations it
// could have offered were held by another router.
func (s *Server) route(ctx context.Context) (retry bool) {
	teams, err := s.store.Teams(ctx)
	if err != nil {
		if ctx.Err() == nil {
			s.log.Error("route: list teams", "err", err)
		}
		return false
	}
	cands := s.connected(ctx)
	var queued []store.Conversation
	for _, t := range teams {
		queue, err := s.store.ListConversations(ctx, store.ConversationFilter{
			States: []conversation.State{conversation.Queued}, Teams: []string{t.ID}, QueueOrder: true,
		})
		if err != nil {
			if ctx.Err() == nil {
				s.log.Error("route: list queue", "team", t.ID, "err", err)
			}
			return false
		}
		// The queue as listed tells whether a claim could lead to an
		// offer: claims are writes, and most passes have none to make.
		if s.cfg.Routing != RoutingPick && ctx.Err() == nil && slices.ContainsFunc(queue, func(c store.Conversation) bool {
			return c.OfferAgentID == "" && routing.HasRoom(routingIn(c), cands.list)
		}) {
			offered, claimed, whole := s.routeTeam(ctx, t.ID, cands)
			for i, c := range queue {
				if after, ok := offered[c.ID]; ok {
					queue[i] = after
				} else if whole && !claimed[c.ID] && c.OfferAgentID == "" && routing.HasRoom(routingIn(c), cands.list) {
					retry = true
				}
			}
		}
		queued = append(queued, queue...)
	}
	s.metrics.setQueue(teams, queued)
	s.publishQueue(queued, cands.list)
	return retry && ctx.Err() == nil
}

// routeTeam offers team's queue, a claimed batch at a time, for as long as
// some agent has room. It returns the conversations it offered, after the
// offer, the ones it claimed, and whether it went through the whole queue
// (every batch it could claim). What it passes over it holds until the
// end, so each claim reaches further down the queue, and then releases for
// the other routers.
func (s *Server) routeTeam(ctx context.Context, team string, cands candidates) (offered map[string]store.Conversation, claimed map[string]bool, whole bool) {
	offered, claimed = map[string]store.Conversation{}, map[string]bool{}
	var passed []string
	defer func() {
		if len(passed) == 0 {
			return
		}
		// Released even when shutdown cut the pass short: the other nodes
		// need not wait for the lease to run out.
		rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		if err := s.store.ReleaseQueue(rctx, s.node, passed); err != nil {
			s.log.Warn("route: release queue", "team", team, "err", err)
		}
	}()
	for anyRoom(cands.list) && ctx.Err() == nil {
		now := s.nowMS()
		batch, err := s.store.ClaimQueue(ctx, store.QueueClaim{Team: team, Holder: s.node, Now: now,
			Until: now + routeLease.Milliseconds(), Limit: routeBatch})
		if err != nil {
			if ctx.Err() == nil {
				s.log.Error("route: claim queue", "team", team, "err", err)
			}
			return offered, claimed, false
		}
		for _, c := range batch {
			claimed[c.ID] = true
			if ctx.Err() == nil {
				if a := s.pick(ctx, c, cands.list); a != nil {
					if after, ok := s.offer(ctx, c, cands.agents[a.ID]); ok {
						a.Load++
						offered[c.ID] = after
						continue
					}
				}
			}
			passed = append(passed, c.ID)
		}
		if len(batch) < routeBatch {
			return offered, claimed, ctx.Err() == nil
		}
	}
	return offered, claimed, false
}

// anyRoom reports whether any of cands could take a conversation now,
// whatever its team (a conversation may go back to its previous agent).
func anyRoom(cands []routing.Candidate) bool {
	return slices.ContainsFunc(cands, func(a routing.Candidate) bool { return a.Online && a.Load < a.Capacity })
}

// connected returns the connected agents, with the loads of those online.
// Away agents are listed for the routing package to pass over; their load
// is not read.
func (s *Server) connected(ctx context.Context) candidates {
	online := s.liveAgents()
	out := candidates{agents: make(map[string]store.Agent, len(online))}
	for _, id := range slices.Sorted(maps.Keys(online)) {
		a, err := s.store.Agent(ctx, id)
		if err != nil {
			continue
		}
		c := routing.Candidate{ID: id, Online: online[id], Teams: a.Teams, Skills: a.Skills, Capacity: a.Capacity}
		if c.Online {
			if c.Load, err = s.agentLoad(ctx, id); err != nil {
				continue
			}
		}
		out.list = append(out.list, c)
		out.agents[id] = a
	}
	return out
}

// pick chooses the agent to offer c to among cands, or nil.
func (s *Server) pick(ctx context.Context, c store.Conversation, cands []routing.Candidate) *routing.Candidate {
	in := routingIn(c)
	if !routing.HasRoom(in, cands) {
		return nil
	}
	refused, err := s.store.Refusals(ctx, c.ID)
	if err != nil {
		s.log.Error("route: read refusals", "conversation_id", c.ID, "err", err)
		return nil
	}
	in.Refused = refused
	// lastOffer moves with every offer made, this pass's included.
	s.routeMu.Lock()
	for i := range cands {
		cands[i].LastOffer = s.lastOffer[cands[i].ID]
	}
	s.routeMu.Unlock()
	id, ok := routing.Choose(in, cands, s.nowMS(), s.cfg.OfferTimeout/2)
	if !ok {
		return nil
	}
	return &cands[slices.IndexFunc(cands, func(a routing.Candidate) bool { return a.ID == id })]
}

// routingIn is c as package routing sees it, refusals aside.
func routingIn(c store.Conversation) routing.Conversation {
	in := routing.Conversation{Team: c.Team}
	if packet := decodePacket(c.Packet); packet != nil {
		in.PreviousAgentID, in.Locale = packet.PreviousAgentID, packet.Locale
	}
	return in
}

func (s *Server) noteOffer(agentID string) {
	s.routeMu.Lock()
	s.lastOffer[agentID] = s.nowMS()
	s.routeMu.Unlock()
}

// offer offers queued conversation c to a, if a still has room and c still
// has no offer.
func (s *Server) offer(ctx context.Context, c store.Conversation, a store.Agent) (store.Conversation, bool) {
	var gone bool
	defer func() {
		// Run after the agent's lock is released (defers run last first).
		if gone {
			s.withdrawOffers(ctx, a.ID)
		}
	}()
	amu := s.lockAgent(a.ID)
	amu.Lock()
	defer amu.Unlock()
	load, err := s.agentLoad(ctx, a.ID)
	if err != nil || load >= a.Capacity {
		return c, false
	}
	agent, none := a.ID, ""
	t := s.offerTimer()
	// Noted before the offer is pushed: the agent may answer (or the timer
	// fire) at once, and asking a refuser again is measured from it.
	s.noteOffer(agent)
	sc := store.StateChange{
		ConversationID: c.ID,
		Event:          conversation.Offer,
		OfferAgentID:   &agent,
		OfferExpiresAt: t.DueAt,
		TransferFromID: &none,
		IfOffer:        &none,
		IfState:        conversation.Queued,
		KeepTimers:     true,
		Arm:            []store.Timer{t},
		Message:        internalEvent(protocol.EventOffered, a.Name, routerActor),
		Actor:          routerActor,
		// The lock above orders this node's checks; the guard holds across
		// nodes, whose routers may offer to the same agent at once.
		Capacity: &store.CapacityGuard{AgentID: a.ID, Max: a.Capacity},
	}
	after, ok := s.applyChange(ctx, c, sc)
	if ok {
		s.log.Info("conversation offered", "conversation_id", c.ID, "agent_id", agent, "team", c.Team)
		// The agent's node may have gone silent between the pick and this
		// write: nodeGone then looked for their offers before this one
		// was stored, and nobody else would take it back before its timer.
		if live := s.clusterPresence(); live != nil && !live[a.ID].Live {
			s.log.Info("offered agent's node went silent meanwhile; withdrawing", "conversation_id", c.ID, "agent_id", agent)
			gone = true
		}
	}
	return after, ok
}

// routerActor names the router in the audit log and on offer events.
const routerActor = "router"

func internalEvent(typ, reason, actor string) store.NewMessage {
	m := systemEvent(typ, reason, actor)
	m.Visibility = protocol.VisibilityInternal
	return m
}

// applyChange stores a state change the server makes on its own account
// and pushes it, with the messages stored after its event. It reports
// whether the change applied; a change the store refused as illegal (the
// conversation moved on) is not an error.
func (s *Server) applyChange(ctx context.Context, before store.Conversation, sc store.StateChange) (store.Conversation, bool) {
	sc.ConversationID = before.ID
	mu := s.lockConv(before.ID)
	mu.Lock()
	defer mu.Unlock()
	after, msg, err := s.store.ChangeState(ctx, sc)
	if errors.Is(err, store.ErrIllegalState) || errors.Is(err, store.ErrLimit) {
		// Moved on, or (a capacity guard) the agent filled up through
		// another node meanwhile.
		s.log.Debug("change skipped: conversation or agent moved on", "conversation_id", before.ID, "event", string(sc.Event), "err", err)
		return before, false
	}
	if err != nil {
		if ctx.Err() == nil {
			s.log.Error("change state", "conversation_id", before.ID, "event", string(sc.Event), "err", err)
		}
		return before, false
	}
	s.pushChangeLocked(ctx, before, after, msg, len(sc.Then))
	return after, true
}

// pushChangeLocked pushes a stored state change: the conversation, its
// event message and the then messages stored right after it.
func (s *Server) pushChangeLocked(ctx context.Context, before, after store.Conversation, msg store.Message, then int) {
	s.pushConversationLocked(before, after)
	s.pushMessageLocked(after, msg)
	msgs := []store.Message{msg}
	if then > 0 {
		more, err := s.store.Messages(ctx, store.MessageQuery{ConversationID: after.ID, AfterSeq: msg.Seq, Limit: then})
		if err != nil {
			s.log.Error("read messages after a change", "conversation_id", after.ID, "err", err)
		}
		for _, m := range more {
			s.pushMessageLocked(after, m)
		}
		msgs = append(msgs, more...)
	}
	// A request for help raised or ended (answered, lowered, or by the
	// conversation moving on) alerts or calms the team's supervisors.
	s.publishAssistLocked(before, after, msgs...)
}

// withdrawOffers takes back every offer agent id holds: they went away or
// offline. Routing offers go to the next agent; transfer offers stay with
// their sender.
func (s *Server) withdrawOffers(ctx context.Context, id string) {
	cs, err := s.store.ListConversations(ctx, store.ConversationFilter{OfferAgentID: id})
	if err != nil {
		s.log.Error("list offers to withdraw", "agent_id", id, "err", err)
		return
	}
	for _, c := range cs {
		agent, none := id, ""
		s.applyChange(ctx, c, store.StateChange{
			Event:          conversation.Withdraw,
			OfferAgentID:   &none,
			TransferFromID: &none,
			IfOffer:        &agent,
			KeepTimers:     true,
			Message:        internalEvent(protocol.EventOfferExpired, c.OfferAgentName, routerActor),
			Actor:          routerActor,
		})
	}
	if len(cs) > 0 {
		s.kickRouter()
	}
}

// expireOffer is the offer timer firing: the conversation goes to the next
// agent (or stays with the transfer's sender), the offered agent is asked
// again only when nobody else can take it (see pick), and the miss counts
// towards setting them away (offerMissed).
func (s *Server) expireOffer(ctx context.Context, t store.Timer) bool {
	c, err := s.store.Conversation(ctx, t.ConversationID)
	if err != nil {
		s.log.Error("load conversation for offer timer", "conversation_id", t.ConversationID, "err", err)
		return errors.Is(err, store.ErrNotFound) && s.disarm(ctx, t)
	}
	tt, none := t, ""
	_, ok := s.applyChange(ctx, c, store.StateChange{
		Event:          conversation.OfferTimeout,
		OfferAgentID:   &none,
		TransferFromID: &none,
		Refuse:         c.OfferAgentID,
		KeepTimers:     true,
		IfTimer:        &tt,
		Message: store.NewMessage{
			ClientMsgID: timerMessageID(t),
			SenderRole:  protocol.RoleSystem,
			Kind:        protocol.KindEvent,
			Visibility:  protocol.VisibilityInternal,
			Event:       &store.Event{Type: protocol.EventOfferExpired, Reason: c.OfferAgentName, Actor: timerActor},
		},
		Actor: timerActor,
	})
	if !ok {
		return s.disarm(ctx, t)
	}
	s.log.Info("offer expired", "conversation_id", c.ID, "agent_id", c.OfferAgentID)
	if c.OfferAgentID != "" {
		s.offerMissed(ctx, c.OfferAgentID)
	}
	s.kickRouter()
	return true
}

// queueTeam is where a conversation bound for team goes: the team's backup
// when the team's queue has reached its overflow threshold.
func (s *Server) queueTeam(ctx context.Context, team string) string {
	teams, err := s.store.Teams(ctx)
	if err != nil {
		return team
	}
	for _, t := range teams {
		if t.ID != team || t.Backup == "" || t.OverflowAt <= 0 {
			continue
		}
		q, err := s.store.ListConversations(ctx, store.ConversationFilter{
			States: []conversation.State{conversation.Queued}, Teams: []string{team}, Limit: t.OverflowAt,
		})
		if err == nil && len(q) >= t.OverflowAt {
			s.log.Info("queue overflow", "team", team, "backup", t.Backup, "queued", len(q))
			return t.Backup
		}
	}
	return team
}

// recordWait feeds the wait of a conversation just accepted into the
// expected-wait estimate.
func (s *Server) recordWait(c store.Conversation) {
	if c.QueuedAt == 0 {
		return
	}
	w := s.nowMS() - c.QueuedAt
	if w < 0 {
		return
	}
	s.metrics.wait.Observe(float64(w) / 1000)
	s.routeMu.Lock()
	waits := routing.Waits{AvgMS: s.waitEWMA}
	waits.Observe(w)
	s.waitEWMA = waits.AvgMS
	s.routeMu.Unlock()
}

// publishQueue tells each queued customer their place, the expected wait
// and whether anyone can take them, when that changed since last told.
func (s *Server) publishQueue(queued []store.Conversation, cands []routing.Candidate) {
	now := s.cfg.Now()
	book := s.hours.Load()
	s.routeMu.Lock()
	waits := routing.Waits{AvgMS: s.waitEWMA}
	s.routeMu.Unlock()
	in := make([]routing.Queued, len(queued))
	for i, c := range queued {
		in[i] = routing.Queued{ID: c.ID, Team: c.Team, OutOfHours: !book.For(c.Team).Open(now)}
	}
	next := make(map[string]protocol.QueueInfo, len(queued))
	for i, p := range waits.Places(in, cands) {
		qi := protocol.QueueInfo{
			ConversationID: p.ID,
			Position:       p.Position,
			AgentsOnline:   p.AgentsOnline,
			BusinessHours:  p.InHours,
			Open:           p.Open,
			ExpectedWaitMS: p.ExpectedWaitMS,
		}
		next[p.ID] = qi
		if prev, ok := s.queueInfo(p.ID); !ok || prev != qi {
			s.pushQueueInfo(queued[i].CustomerID, qi)
		}
	}
	s.queueMu.Lock()
	s.queueSent = next
	s.queueMu.Unlock()
}

// pushQueueInfo tells a queued customer where they stand. Every node's
// router works out every queued customer's place, so each tells only the
// customers connected to it.
func (s *Server) pushQueueInfo(customerID string, qi protocol.QueueInfo) {
	frame, err := protocol.Encode(protocol.TypeQueue, "", qi)
	if err != nil {
		return
	}
	for _, conn := range s.hub.Conns(topicCustomer(customerID)) {
		conn.Send(frame)
	}
}

// queueInfo returns what the customer of queued conversation id was last
// told, if anything.
func (s *Server) queueInfo(id string) (protocol.QueueInfo, bool) {
	s.queueMu.Lock()
	defer s.queueMu.Unlock()
	qi, ok := s.queueSent[id]
	return qi, ok
}

// timerMessageID derives the event message id of a timer firing from the
// timer's version, so firing the same timer twice stores one event.
func timerMessageID(t store.Timer) string {
	return derivedID("timer/"+strconv.FormatInt(t.Version, 10), string(t.Kind))
}
