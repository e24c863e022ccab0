package server

import (
	"context"
	"errors"
	"strconv"
	"strings"

	"switchboard/backend/audit"
	"switchboard/backend/conversations"
	"switchboard/backend/relay"
	"switchboard/backend/store"
	"switchboard/backend/supervise"
	"switchboard/protocol"
)

// The frames of supervision (package supervise decides; these handlers
// decode, check that the caller may read the conversation, call it, apply
// the change and answer): monitor, draft, join, leave, take_over, reassign
// and assist. Whispers are sends (peer.send). None of what they push is
// addressed to a customer: the registry publishes to staff subjects only,
// and hubPublisher refuses any other.

// hubPublisher carries package supervise's pushes to the hub's topics,
// which its subjects name: agent:<id>, supervisors:<team>, admins.
type hubPublisher struct{ s *Server }

func (h hubPublisher) Publish(subject string, data []byte) {
	if strings.HasPrefix(subject, "customer:") {
		h.s.log.Error("supervision push to a customer refused", "subject", subject)
		return
	}
	h.s.fanFrame([]string{subject}, data, nil, "")
	h.s.supervisionPushed(subject, data)
}

// auditRecorder records the registry's entries through the audit writer,
// without waiting: they are recorded on the fan-out and disconnect paths.
type auditRecorder struct{ w *auditWriter }

func (a auditRecorder) Record(e store.AuditEntry) { a.w.record(e) }

// actor is the caller as package supervise knows them.
func (p *peer) actor() supervise.Actor {
	return supervise.Actor{ID: p.user.ID, Name: p.user.Name, Role: p.user.Role, Teams: p.user.Teams}
}

// superviseError turns a rule's refusal into a coded error.
func superviseError(err error) *protocol.Error { return conversations.SuperviseError(err) }

// staffOnly refuses customers with refusal.
func (p *peer) staffOnly(refusal string) *protocol.Error {
	if !isStaff(p.user.Role) {
		return protocol.ErrForbidden.WithMessage("%s", refusal)
	}
	return nil
}

func (p *peer) monitor(ctx context.Context, f protocol.Frame) *protocol.Error {
	if perr := p.staffOnly("only supervisors monitor conversations"); perr != nil {
		return perr
	}
	var d protocol.MonitorData
	if perr := protocol.DecodeData(f, &d); perr != nil {
		return perr
	}
	c, perr := p.readable(ctx, d.ConversationID)
	if perr != nil {
		return perr
	}
	if !d.On {
		st, _ := p.s.monitors.Stop(p.id, c)
		p.reply(protocol.TypeMonitor, f.ID, st)
		return nil
	}
	st, err := p.s.monitors.Start(supervise.Monitor{Conn: p.id, Staff: p.actor(), Since: p.s.nowMS()}, c)
	if err != nil {
		return superviseError(err)
	}
	p.reply(protocol.TypeMonitor, f.ID, st)
	// Monitoring answers the agent's request for help. The monitor is
	// answered already: a failure here (the flag lowered meanwhile) is
	// logged, not sent.
	if ch := supervise.Answer(p.actor(), c); !ch.None {
		if perr := p.applySupervise(ctx, nil, c, ch); perr != nil {
			p.s.log.Debug("answer assist by monitoring", "conversation_id", c.ID, "user_id", p.user.ID, "err", perr.Message)
		}
	}
	return nil
}

func (p *peer) draft(ctx context.Context, f protocol.Frame) *protocol.Error {
	if perr := p.staffOnly("only the assignee's composer has drafts"); perr != nil {
		return perr
	}
	var d protocol.DraftData
	if perr := protocol.DecodeData(f, &d); perr != nil {
		return perr
	}
	if d.ConversationID == "" {
		return protocol.ErrInvalid.WithMessage("conversation_id is required")
	}
	// Beyond the connection's rate a draft is dropped without a word, as
	// typing is: the next one supersedes it.
	if !p.draftLimit.allow(p.s.cfg.Now()) {
		return nil
	}
	c, perr := p.readable(ctx, d.ConversationID)
	if perr != nil {
		return perr
	}
	if err := p.s.monitors.Draft(p.actor(), c, d.Text); err != nil {
		return superviseError(err)
	}
	return nil
}

func (p *peer) join(ctx context.Context, f protocol.Frame) *protocol.Error {
	c, perr := p.staffConversation(ctx, f, "only supervisors join conversations")
	if perr != nil {
		return perr
	}
	ch, err := supervise.Join(p.actor(), c)
	if err != nil {
		return superviseError(err)
	}
	return p.applySupervise(ctx, &f, c, ch)
}

func (p *peer) leave(ctx context.Context, f protocol.Frame) *protocol.Error {
	c, perr := p.staffConversation(ctx, f, "only supervisors leave conversations")
	if perr != nil {
		return perr
	}
	ch, err := supervise.Leave(p.actor(), c)
	if err != nil {
		return superviseError(err)
	}
	return p.applySupervise(ctx, &f, c, ch)
}

func (p *peer) takeOver(ctx context.Context, f protocol.Frame) *protocol.Error {
	c, perr := p.staffConversation(ctx, f, "only supervisors take conversations over")
	if perr != nil {
		return perr
	}
	role := ""
	if c.AssigneeID != "" {
		a, err := p.s.store.Agent(ctx, c.AssigneeID)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return p.storeError("load assignee", err)
		}
		role = a.Role
	}
	ch, err := supervise.TakeOver(p.actor(), c, role)
	if err != nil {
		return superviseError(err)
	}
	return p.applySupervise(ctx, &f, c, ch)
}

func (p *peer) reassign(ctx context.Context, f protocol.Frame) *protocol.Error {
	if perr := p.staffOnly("only supervisors reassign conversations"); perr != nil {
		return perr
	}
	var d protocol.ReassignData
	if perr := protocol.DecodeData(f, &d); perr != nil {
		return perr
	}
	if err := supervise.CheckReassign(d); err != nil {
		return superviseError(err)
	}
	c, perr := p.readable(ctx, d.ConversationID)
	if perr != nil {
		return perr
	}
	var ch supervise.Change
	var err error
	if d.ToTeam != "" {
		teams, serr := p.s.store.Teams(ctx)
		if serr != nil {
			return p.storeError("list teams", serr)
		}
		known := false
		for _, t := range teams {
			known = known || t.ID == d.ToTeam
		}
		ch, err = supervise.ReassignToTeam(p.actor(), c, d.ToTeam, known, d.Note)
	} else {
		var t supervise.Target
		if len(d.ToAgentID) <= 64 {
			a, aerr := p.s.store.Agent(ctx, d.ToAgentID)
			switch {
			case aerr == nil:
				t = supervise.Target{Agent: a, Status: p.s.agentStatus(a.ID)}
			case !errors.Is(aerr, store.ErrNotFound):
				return p.storeError("load agent", aerr)
			}
		}
		ch, err = supervise.ReassignToAgent(p.actor(), c, t, d.Note)
	}
	if err != nil {
		return superviseError(err)
	}
	return p.applySupervise(ctx, &f, c, ch)
}

func (p *peer) assist(ctx context.Context, f protocol.Frame) *protocol.Error {
	if perr := p.staffOnly("only agents ask for help"); perr != nil {
		return perr
	}
	var d protocol.AssistData
	if perr := protocol.DecodeData(f, &d); perr != nil {
		return perr
	}
	c, perr := p.readable(ctx, d.ConversationID)
	if perr != nil {
		return perr
	}
	ch, err := supervise.Assist(p.actor(), c, d.On, p.s.nowMS())
	if err != nil {
		return superviseError(err)
	}
	return p.applySupervise(ctx, &f, c, ch)
}

// applySupervise stores a supervision change (the store's conditions
// decide races), answers f (when not nil) with the new conversation, pushes
// the change and its messages, and passes its event to the agents it took
// the conversation from, who no longer read it.
func (p *peer) applySupervise(ctx context.Context, f *protocol.Frame, before store.Conversation, ch supervise.Change) *protocol.Error {
	if ch.None {
		if f != nil {
			p.reply(protocol.TypeConversation, f.ID, p.conversation(before))
		}
		return nil
	}
	sc := ch.StateChange
	sc.ConversationID, sc.Actor = before.ID, p.user.ID
	if ch.NewAssignee {
		sc.Arm = []store.Timer{p.s.idleTimer()}
	}
	mu := p.s.lockConv(before.ID)
	mu.Lock()
	defer mu.Unlock()
	after, msg, err := p.s.store.ChangeState(ctx, sc)
	if errors.Is(err, store.ErrIllegalState) {
		cur, _ := p.s.store.Conversation(ctx, before.ID)
		if sc.IfAssignee != nil && cur.AssigneeID != *sc.IfAssignee {
			return protocol.ErrIllegalState.WithMessage("the conversation was given to %s meanwhile", cur.AssigneeName)
		}
		return protocol.ErrIllegalState.WithMessage("cannot %s a conversation that is %s", sc.Event, cur.State)
	}
	if err != nil {
		return p.storeError(string(sc.Event), err)
	}
	p.s.log.Info("conversation "+string(sc.Event), "conversation_id", after.ID, "user_id", p.user.ID,
		"from", string(before.State), "to", string(after.State), "assignee_id", after.AssigneeID)
	if f != nil {
		p.reply(protocol.TypeConversation, f.ID, p.conversation(after))
	}
	p.s.pushChangeLocked(ctx, before, after, msg, len(sc.Then))
	p.s.tellLocked(after, ch.Tell, msg)
	p.s.kickRouter()
	return nil
}

// tellLocked passes a change's event message to the connections of agents
// who lost the conversation with it and are not its readers any more (the
// agent a conversation was taken from sees why it went).
func (s *Server) tellLocked(after store.Conversation, agents []string, msg store.Message) {
	if len(agents) == 0 {
		return
	}
	frame, err := protocol.Encode(protocol.TypeMessage, "", toProtoMessage(msg))
	if err != nil {
		s.log.Error("encode message push", "conversation_id", after.ID, "err", err)
		return
	}
	topics := make([]string, 0, len(agents))
	for _, id := range agents {
		topics = append(topics, topicAgent(id))
	}
	p := relay.Push{Kind: relay.Message, Conv: after.ID, Seq: msg.Seq, Assignee: after.AssigneeID,
		Topics: topics, Except: readerTopics(after), Frame: frame}
	s.deliver(p, nil)
	// The other nodes delivered the message to its readers already: this
	// copy is for others, past their sequencers.
	p.Kind = relay.Frame
	s.publish(p)
}

// publishAssistLocked tells a team's supervisors that a request for help
// went up or ended with the change from before to after; msgs are the
// change's messages, which name the supervisor who answered it.
func (s *Server) publishAssistLocked(before, after store.Conversation, msgs ...store.Message) {
	answerer := ""
	for _, m := range msgs {
		if m.Event != nil && m.Event.Type == protocol.EventAssistAnswered {
			answerer = m.Event.Actor
		}
	}
	n, ok := supervise.AssistNotice(before, after, answerer, s.nowMS())
	if !ok || n.Team == "" {
		return
	}
	n.CustomerName = customerDisplayName(after.CustomerID, after.CustomerName)
	frame, err := protocol.Encode(protocol.TypeAssist, "", n)
	if err != nil {
		s.log.Error("encode assist push", "conversation_id", after.ID, "err", err)
		return
	}
	hubPublisher{s}.Publish(supervise.SubjectSupervisors(n.Team), frame)
}

// auditWhisper records a stored whisper.
func (s *Server) auditWhisper(actor string, m store.Message) {
	s.audits.record(store.AuditEntry{TS: s.nowMS(), Actor: actor, Action: audit.ActionWhisper,
		ConversationID: m.ConversationID, Detail: "seq=" + strconv.FormatInt(m.Seq, 10)})
}

// visibleStaff reports whether a staff member is someone the customer
// knows serves them (the assignee or a supervisor who joined), whose
// typing and reading the customer may see; a silent monitor is not.
func visibleStaff(id string, c store.Conversation) bool {
	return c.AssigneeID == id || c.JoinedBy(id)
}

// pushMonitorStates tells a staff connection, at hello, who monitors the
// conversations it was given.
func (p *peer) pushMonitorStates(convs []store.Conversation) {
	for _, c := range convs {
		if p.s.monitors.Monitored(c.ID) {
			p.push(protocol.TypeMonitor, p.s.monitors.State(c.ID))
		}
	}
}

// maxAssistsAtHello bounds the conversations a supervisor's hello looks
// through for raised requests for help.
const maxAssistsAtHello = 2000

// pushRaisedAssists tells a supervisor's new connection, after welcome,
// of the requests for help raised in their teams and not answered yet, so
// that their alert goes on across a reconnect or a later sign-in.
func (p *peer) pushRaisedAssists(ctx context.Context) {
	if p.user.Role != protocol.RoleSupervisor || len(p.user.Teams) == 0 {
		return
	}
	cs, err := p.s.store.ListConversations(ctx, store.ConversationFilter{Teams: p.user.Teams, States: supervise.AssignedStates,
		Limit: maxAssistsAtHello})
	if err != nil {
		p.s.log.Warn("list raised assists", "user_id", p.user.ID, "err", err)
		return
	}
	for _, c := range cs {
		if c.AssistAt == 0 {
			continue
		}
		before := c
		before.AssistAt = 0
		if n, ok := supervise.AssistNotice(before, c, "", c.AssistAt); ok {
			n.CustomerName = customerDisplayName(c.CustomerID, c.CustomerName)
			p.push(protocol.TypeAssist, n)
		}
	}
}
