package server

import (
	"context"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/google/uuid"

	"switchboard/backend/conversation"
	"switchboard/backend/store"
	"switchboard/protocol"
)

// The frames of people working a conversation: accept (an offer or from the
// queue), decline, transfer, hand back; the customer's rating; and what
// agents read about a conversation (context) and about each other
// (directory). Tags and customer notes are in tags.go.

func (p *peer) accept(ctx context.Context, f protocol.Frame) *protocol.Error {
	if !isStaff(p.user.Role) {
		return protocol.ErrForbidden.WithMessage("only agents accept conversations")
	}
	var d protocol.ConversationRef
	if perr := protocol.DecodeData(f, &d); perr != nil {
		return perr
	}
	before, perr := p.readable(ctx, d.ConversationID)
	if perr != nil {
		// An agent of the team saw this conversation in its queue: losing the
		// race to a colleague is a state conflict, not something to hide.
		if c, err := p.s.store.Conversation(ctx, d.ConversationID); err == nil && p.teams[c.Team] {
			return protocol.ErrIllegalState.WithMessage("another agent already accepted this conversation")
		}
		return perr
	}
	me, none := p.user.ID, ""
	sc := store.StateChange{
		Event:          conversation.Accept,
		AssigneeID:     &me,
		OfferAgentID:   &none,
		TransferFromID: &none,
		Message:        p.eventMessage(protocol.EventAssigned, ""),
		Arm:            []store.Timer{p.s.idleTimer()},
	}
	if before.State != conversation.Queued {
		// Only a transfer offered to the caller can be accepted while
		// someone works the conversation.
		if before.OfferAgentID != me {
			return protocol.ErrIllegalState.WithMessage("cannot accept a conversation that is %s", before.State)
		}
		sc.Event = conversation.TransferAccept
		sc.IfOffer = &me
		sc.Message = p.eventMessage(protocol.EventTransferAccepted, "")
	}
	// The capacity check and the write it allows are one step per agent.
	amu := p.s.lockAgent(me)
	amu.Lock()
	defer amu.Unlock()
	load, err := p.s.agentLoad(ctx, me)
	if err != nil {
		return p.storeError("agent load", err)
	}
	if before.OfferAgentID == me {
		load-- // the offer being accepted becomes the conversation
	}
	capacity := p.capacity(ctx)
	if load >= capacity {
		return protocol.ErrAtCapacity.WithMessage("you work %d conversations and your capacity is %d; resolve or transfer one first", load, capacity)
	}
	// The lock orders this node's accepts; the guard holds across nodes.
	sc.Capacity = &store.CapacityGuard{AgentID: me, Max: capacity}
	if perr := p.change(ctx, f, before, sc); perr != nil {
		return perr
	}
	p.s.offerAnswered(me)
	if sc.Event == conversation.Accept {
		p.s.recordWait(before)
	}
	return nil
}

// capacity is the caller's capacity, read fresh so that a change applies at
// once.
func (p *peer) capacity(ctx context.Context) int {
	a, err := p.s.store.Agent(ctx, p.user.ID)
	if err != nil || a.Capacity <= 0 {
		return store.DefaultCapacity
	}
	return a.Capacity
}

func (p *peer) decline(ctx context.Context, f protocol.Frame) *protocol.Error {
	before, perr := p.staffConversation(ctx, f, "only agents decline offers")
	if perr != nil {
		return perr
	}
	me, none := p.user.ID, ""
	if before.OfferAgentID != me {
		return protocol.ErrIllegalState.WithMessage("the conversation is not offered to you")
	}
	p.s.offerAnswered(me)
	return p.change(ctx, f, before, store.StateChange{
		Event:          conversation.Decline,
		OfferAgentID:   &none,
		TransferFromID: &none,
		IfOffer:        &me,
		Refuse:         me,
		KeepTimers:     true,
		Message:        internalEvent(protocol.EventDeclined, "", p.user.Name),
	})
}

// staffConversation reads the conversation a staff request (data: a
// ConversationRef) is about, answering forbidden (with refusal) for a
// customer and not_found for a conversation the caller may not read.
func (p *peer) staffConversation(ctx context.Context, f protocol.Frame, refusal string) (store.Conversation, *protocol.Error) {
	if !isStaff(p.user.Role) {
		return store.Conversation{}, protocol.ErrForbidden.WithMessage("%s", refusal)
	}
	var d protocol.ConversationRef
	if perr := protocol.DecodeData(f, &d); perr != nil {
		return store.Conversation{}, perr
	}
	return p.readable(ctx, d.ConversationID)
}

// mayWork reports whether the caller may pass conv on: its assignee, or a
// supervisor of its team.
func (p *peer) mayWork(c store.Conversation) *protocol.Error {
	if c.State != conversation.Active && c.State != conversation.WaitingCustomer {
		return protocol.ErrIllegalState.WithMessage("the conversation is %s", c.State)
	}
	if c.AssigneeID == p.user.ID || p.user.Role == protocol.RoleAdmin ||
		(p.user.Role == protocol.RoleSupervisor && p.teams[c.Team]) {
		return nil
	}
	return protocol.ErrForbidden.WithMessage("the conversation is assigned to someone else")
}

func (p *peer) transfer(ctx context.Context, f protocol.Frame) *protocol.Error {
	if !isStaff(p.user.Role) {
		return protocol.ErrForbidden.WithMessage("only agents transfer conversations")
	}
	var d protocol.TransferData
	if perr := protocol.DecodeData(f, &d); perr != nil {
		return perr
	}
	if (d.ToAgentID == "") == (d.ToTeam == "") {
		return protocol.ErrInvalid.WithMessage("name exactly one of to_agent_id and to_team")
	}
	if !utf8.ValidString(d.Note) {
		return protocol.ErrInvalid.WithMessage("note is not valid UTF-8")
	}
	if n := utf8.RuneCountInString(d.Note); n > protocol.MaxNoteRunes {
		return protocol.ErrTextTooLong.WithMessage("note has %d characters; the limit is %d", n, protocol.MaxNoteRunes)
	}
	before, perr := p.readable(ctx, d.ConversationID)
	if perr != nil {
		return perr
	}
	if perr := p.mayWork(before); perr != nil {
		return perr
	}
	var then []store.NewMessage
	if note := strings.TrimSpace(d.Note); note != "" {
		then = append(then, store.NewMessage{
			ClientMsgID: uuid.NewString(),
			SenderRole:  p.user.Role,
			SenderID:    p.user.ID,
			SenderName:  p.user.Name,
			Kind:        protocol.KindText,
			Visibility:  protocol.VisibilityInternal,
			Text:        note,
		})
	}
	none := ""
	if d.ToTeam != "" {
		teams, err := p.s.store.Teams(ctx)
		if err != nil {
			return p.storeError("list teams", err)
		}
		name := ""
		for _, t := range teams {
			if t.ID == d.ToTeam {
				name = t.Name
			}
		}
		if name == "" {
			return protocol.ErrTargetUnavailable.WithMessage("there is no team %q", truncate(d.ToTeam, 64))
		}
		team := d.ToTeam
		return p.change(ctx, f, before, store.StateChange{
			Event:          conversation.TransferTeam,
			Team:           &team,
			AssigneeID:     &none,
			OfferAgentID:   &none,
			TransferFromID: &none,
			Message:        p.eventMessage(protocol.EventTransferred, team),
			Then:           then,
		})
	}
	if d.ToAgentID == p.user.ID || d.ToAgentID == before.AssigneeID {
		return protocol.ErrTargetUnavailable.WithMessage("the conversation is already theirs")
	}
	if len(d.ToAgentID) > 64 {
		return protocol.ErrTargetUnavailable.WithMessage("there is no such agent")
	}
	target, err := p.s.store.Agent(ctx, d.ToAgentID)
	if err != nil {
		return protocol.ErrTargetUnavailable.WithMessage("there is no such agent")
	}
	if st := p.s.agentStatus(target.ID); st != protocol.StatusOnline {
		return protocol.ErrTargetUnavailable.WithMessage("%s is %s", target.Name, st)
	}
	amu := p.s.lockAgent(target.ID)
	amu.Lock()
	defer amu.Unlock()
	load, err := p.s.agentLoad(ctx, target.ID)
	if err != nil {
		return p.storeError("agent load", err)
	}
	if load >= target.Capacity {
		return protocol.ErrTargetUnavailable.WithMessage("%s is at capacity (%d of %d)", target.Name, load, target.Capacity)
	}
	if before.OfferAgentID != "" {
		return protocol.ErrIllegalState.WithMessage("a transfer to %s is already waiting for an answer", before.OfferAgentName)
	}
	to, from := target.ID, before.AssigneeID
	t := p.s.offerTimer()
	return p.change(ctx, f, before, store.StateChange{
		Event:          conversation.Offer,
		OfferAgentID:   &to,
		OfferExpiresAt: t.DueAt,
		TransferFromID: &from,
		IfOffer:        &none,
		IfState:        before.State,
		KeepTimers:     true,
		Arm:            []store.Timer{t},
		Message:        internalEvent(protocol.EventTransferRequested, target.Name, p.user.Name),
		Then:           then,
		Capacity:       &store.CapacityGuard{AgentID: target.ID, Max: target.Capacity},
	})
}

func (p *peer) handBack(ctx context.Context, f protocol.Frame) *protocol.Error {
	before, perr := p.staffConversation(ctx, f, "only agents hand conversations back")
	if perr != nil {
		return perr
	}
	if perr := p.mayWork(before); perr != nil {
		return perr
	}
	none := ""
	return p.change(ctx, f, before, store.StateChange{
		Event:          conversation.HandBack,
		AssigneeID:     &none,
		OfferAgentID:   &none,
		TransferFromID: &none,
		Message:        p.eventMessage(protocol.EventHandedBack, ""),
	})
}

func (p *peer) rate(ctx context.Context, f protocol.Frame) *protocol.Error {
	if !p.isCustomer() {
		return protocol.ErrForbidden.WithMessage("only the customer rates a conversation")
	}
	var d protocol.RateData
	if perr := protocol.DecodeData(f, &d); perr != nil {
		return perr
	}
	if d.Score < 1 || d.Score > 5 {
		return protocol.ErrInvalid.WithMessage("score must be 1 to 5")
	}
	if !utf8.ValidString(d.Comment) {
		return protocol.ErrInvalid.WithMessage("comment is not valid UTF-8")
	}
	if n := utf8.RuneCountInString(d.Comment); n > protocol.MaxRatingCommentRunes {
		return protocol.ErrTextTooLong.WithMessage("comment has %d characters; the limit is %d", n, protocol.MaxRatingCommentRunes)
	}
	before, perr := p.readable(ctx, d.ConversationID)
	if perr != nil {
		return perr
	}
	if before.Rating != 0 {
		return protocol.ErrIllegalState.WithMessage("the conversation is rated already")
	}
	return p.change(ctx, f, before, store.StateChange{
		Event:      conversation.Rate,
		Rating:     &store.Rating{Score: d.Score, Comment: strings.TrimSpace(d.Comment)},
		KeepTimers: true,
		Message:    p.eventMessage(protocol.EventRated, strconv.Itoa(d.Score)),
	})
}

// maxPrevious is how many earlier conversations context lists.
const maxPrevious = 20

func (p *peer) context(ctx context.Context, f protocol.Frame) *protocol.Error {
	c, perr := p.staffConversation(ctx, f, "only agents read a conversation's context")
	if perr != nil {
		return perr
	}
	cust, err := p.s.store.Customer(ctx, c.CustomerID)
	if err != nil {
		return p.storeError("load customer", err)
	}
	all, err := p.s.store.ListConversations(ctx, store.ConversationFilter{CustomerID: c.CustomerID, Newest: true, Limit: maxPrevious + 1})
	if err != nil {
		return p.storeError("list previous conversations", err)
	}
	out := protocol.ContextData{
		ConversationID: c.ID,
		Packet:         decodePacket(c.Packet),
		Customer: protocol.Profile{
			ID: cust.ID, Name: customerDisplayName(cust.ID, cust.Name), CreatedAt: cust.CreatedAt, Conversations: len(all),
		},
		Ext:      c.Ext,
		Verified: c.Verified,
		Previous: []protocol.PastConversation{},
		Tags:     c.Tags,
	}
	notes, err := p.s.store.CustomerNotes(ctx, c.CustomerID, protocol.MaxContextNotes)
	if err != nil {
		return p.storeError("list customer notes", err)
	}
	for _, n := range notes {
		out.Notes = append(out.Notes, toProtoNote(n))
	}
	for _, o := range all {
		if o.ID == c.ID || len(out.Previous) == maxPrevious {
			continue
		}
		out.Previous = append(out.Previous, protocol.PastConversation{
			ID: o.ID, State: string(o.State), Team: o.Team, AssigneeName: o.AssigneeName,
			HandoffReason: o.HandoffReason, LastText: o.LastText, Rating: o.Rating,
			CreatedAt: o.CreatedAt, UpdatedAt: o.UpdatedAt,
		})
	}
	p.auditRead(ctx, c, "context")
	p.reply(protocol.TypeContext, f.ID, out)
	return nil
}

func (p *peer) directory(ctx context.Context, f protocol.Frame) *protocol.Error {
	if !isStaff(p.user.Role) {
		return protocol.ErrForbidden.WithMessage("only agents read the directory")
	}
	agents, err := p.s.store.Agents(ctx)
	if err != nil {
		return p.storeError("list agents", err)
	}
	teams, err := p.s.store.Teams(ctx)
	if err != nil {
		return p.storeError("list teams", err)
	}
	out := protocol.DirectoryData{Agents: []protocol.AgentInfo{}, Teams: []protocol.TeamInfo{}}
	online := map[string]int{}
	for _, a := range agents {
		if !isStaff(a.Role) {
			continue
		}
		st := p.s.agentStatus(a.ID)
		load, err := p.s.agentLoad(ctx, a.ID)
		if err != nil {
			return p.storeError("agent load", err)
		}
		teams := a.Teams
		if teams == nil {
			teams = []string{}
		}
		if st == protocol.StatusOnline {
			for _, t := range teams {
				online[t]++
			}
		}
		out.Agents = append(out.Agents, protocol.AgentInfo{
			ID: a.ID, Name: a.Name, Role: a.Role, Status: st, Load: load, Capacity: a.Capacity, Teams: teams, Skills: a.Skills,
		})
	}
	for _, t := range teams {
		q, err := p.s.store.ListConversations(ctx, store.ConversationFilter{States: []conversation.State{conversation.Queued}, Teams: []string{t.ID}})
		if err != nil {
			return p.storeError("list queue", err)
		}
		out.Teams = append(out.Teams, protocol.TeamInfo{
			ID: t.ID, Name: t.Name, Skills: t.Skills, QueueLength: len(q), AgentsOnline: online[t.ID],
		})
	}
	p.reply(protocol.TypeDirectory, f.ID, out)
	return nil
}
