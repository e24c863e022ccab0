package app

import (
	"context"

	"switchboard/protocol"
)

// The bound methods of shared canned responses: the list the composer's "/"
// menu offers next to the agent's personal ones (CannedResponses), and the
// edits of supervisors (their teams') and admins (every scope). The server
// checks who may edit what; its coded errors (duplicate_shortcut,
// unknown_variable, text_too_long, forbidden, not_found) pass through to the
// UI, which shows them next to the form. A change anyone makes arrives as
// EventCannedChanged.

// CannedList reads the shared canned responses the signed-in user may use:
// the global ones and those of their teams (an admin's: all).
func (a *App) CannedList() (protocol.CannedList, error) {
	sess, err := a.s.current()
	if err != nil {
		return protocol.CannedList{}, a.s.uiError(protocol.TypeCanned, err)
	}
	ctx, cancel := context.WithTimeout(a.s.context(), requestTimeout)
	defer cancel()
	l, err := sess.cannedList(ctx)
	return l, a.s.uiError(protocol.TypeCanned, err)
}

// EditCanned creates, updates or deletes one shared canned response
// (edit.Op, one of the protocol's CannedOp constants). The answer is the
// response as stored (for a delete, as it was).
func (a *App) EditCanned(edit protocol.CannedEditData) (protocol.CannedResponse, error) {
	sess, err := a.s.current()
	if err != nil {
		return protocol.CannedResponse{}, a.s.uiError(protocol.TypeCannedEdit, err)
	}
	ctx, cancel := context.WithTimeout(a.s.context(), requestTimeout)
	defer cancel()
	r, err := sess.editCanned(ctx, edit)
	return r, a.s.uiError(protocol.TypeCannedEdit, err)
}

func (s *session) cannedList(ctx context.Context) (protocol.CannedList, error) {
	var l protocol.CannedList
	if err := s.mgr.Request(ctx, protocol.TypeCanned, protocol.CannedRequest{}, &l); err != nil {
		return protocol.CannedList{}, err
	}
	if l.Responses == nil {
		l.Responses = []protocol.CannedResponse{}
	}
	return l, nil
}

func (s *session) editCanned(ctx context.Context, edit protocol.CannedEditData) (protocol.CannedResponse, error) {
	// Agents edit no scope: refused here without a round trip, with the
	// code the server would give.
	if !isSupervisor(s.me()) {
		return protocol.CannedResponse{}, protocol.ErrForbidden.WithMessage("canned responses are edited by supervisors and admins")
	}
	switch edit.Op {
	case protocol.CannedOpCreate, protocol.CannedOpUpdate, protocol.CannedOpDelete:
	default:
		return protocol.CannedResponse{}, protocol.ErrInvalid.WithMessage("op is create, update or delete")
	}
	var r protocol.CannedResponse
	if err := s.mgr.Request(ctx, protocol.TypeCannedEdit, edit, &r); err != nil {
		return protocol.CannedResponse{}, err
	}
	return r, nil
}
