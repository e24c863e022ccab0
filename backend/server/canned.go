package server

import (
	"context"

	"switchboard/backend/canned"
	"switchboard/backend/relay"
	"switchboard/backend/store"
	"switchboard/protocol"
)

// Shared canned responses: the frames call package canned, and every change
// is pushed to the staff who read its scope, so that each composer's "/"
// menu is current without a reload.

func (p *peer) cannedCaller() canned.Caller {
	return canned.Caller{ID: p.user.ID, Name: p.user.Name, Role: p.user.Role, Teams: p.user.Teams}
}

func (p *peer) cannedList(ctx context.Context, f protocol.Frame) *protocol.Error {
	if !isStaff(p.user.Role) {
		return protocol.ErrForbidden.WithMessage("only staff use canned responses")
	}
	var d protocol.CannedRequest
	if perr := protocol.DecodeData(f, &d); perr != nil {
		return perr
	}
	list, err := p.s.canned.List(ctx, p.cannedCaller())
	if err != nil {
		return p.storeError("list canned responses", err)
	}
	out := protocol.CannedList{Responses: make([]protocol.CannedResponse, len(list))}
	for i, r := range list {
		out.Responses[i] = toProtoCanned(r)
	}
	p.reply(protocol.TypeCanned, f.ID, out)
	return nil
}

func (p *peer) cannedEdit(ctx context.Context, f protocol.Frame) *protocol.Error {
	if !isStaff(p.user.Role) {
		return protocol.ErrForbidden.WithMessage("only staff edit canned responses")
	}
	var d protocol.CannedEditData
	if perr := protocol.DecodeData(f, &d); perr != nil {
		return perr
	}
	if !p.sendLimit.allow(p.s.cfg.Now()) {
		return protocol.ErrRateLimited.WithMessage("more than %g changes a second; retry later", p.s.cfg.SendRate)
	}
	r, err := p.s.canned.Apply(ctx, p.cannedCaller(), canned.Edit{Op: d.Op, ID: d.ID, Team: d.Team, Title: d.Title,
		Shortcut: d.Shortcut, ZH: d.Text.ZH, EN: d.Text.EN})
	if perr := cannedError(err); perr != nil {
		if perr == protocol.ErrInternal {
			return p.storeError("edit canned response", err)
		}
		return perr
	}
	p.s.log.Info("canned response edited", "user_id", p.user.ID, "op", d.Op, "canned_id", r.ID, "team", r.Team)
	p.reply(protocol.TypeCannedEdit, f.ID, toProtoCanned(r))
	p.s.fanFrame(cannedTopics(r.Team), cannedChangeFrame(r, d.Op == protocol.CannedOpDelete), nil, "")
	return nil
}

// cannedError turns a refusal of package canned into its coded error;
// ErrInternal for any other error.
func cannedError(err error) *protocol.Error { return canned.Coded(err) }

// cannedTopics are the topics of the staff who read a scope.
func cannedTopics(team string) []string {
	if team == "" {
		return []string{topicStaff}
	}
	return []string{topicTeam(team), topicAdmins}
}

func cannedChangeFrame(r store.CannedResponse, deleted bool) []byte {
	b, _ := protocol.Encode(protocol.TypeCannedChanged, "", protocol.CannedChange{Response: toProtoCanned(r), Deleted: deleted})
	return b
}

// cannedChanged pushes a change an admin command made (a change notice
// naming the response) to this node's connections; each node gets the
// notice. A response no longer stored was deleted: every staff connection
// is told to drop it.
func (s *Server) cannedChanged(ctx context.Context, id string) error {
	all, err := s.store.CannedResponses(ctx)
	if err != nil {
		return err
	}
	r, deleted := store.CannedResponse{ID: id}, true
	for _, c := range all {
		if c.ID == id {
			r, deleted = c, false
		}
	}
	topics := cannedTopics(r.Team)
	if deleted {
		topics = []string{topicStaff}
	}
	s.deliver(relay.Push{Kind: relay.Frame, Topics: topics, Frame: cannedChangeFrame(r, deleted)}, nil)
	return nil
}

func toProtoCanned(r store.CannedResponse) protocol.CannedResponse {
	return protocol.CannedResponse{ID: r.ID, Team: r.Team, Title: r.Title, Shortcut: r.Shortcut,
		Text: protocol.CannedText{ZH: r.TextZH, EN: r.TextEN}, UpdatedBy: r.UpdatedBy, UpdatedAt: r.UpdatedAt}
}
