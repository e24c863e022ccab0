package app

import (
	"context"

	"switchboard/protocol"
)

// The bound methods of the bot's learning loop: the report of the questions
// the bot missed, the knowledge base with its versions, and the edits that
// turn the report into sample questions and entries. Supervisors and admins
// only; the server checks, and its coded errors (conflict when somebody
// else edited first) pass through to the UI.

// BotReport reads the unanswered-questions report, at most limit groups (0:
// the server's default), largest first.
func (a *App) BotReport(limit int) (protocol.BotReport, error) {
	sess, err := a.s.current()
	if err != nil {
		return protocol.BotReport{}, a.s.uiError(protocol.TypeBotReport, err)
	}
	ctx, cancel := context.WithTimeout(a.s.context(), requestTimeout)
	defer cancel()
	r, err := sess.botReport(ctx, limit)
	return r, a.s.uiError(protocol.TypeBotReport, err)
}

// KnowledgeBase reads the knowledge base as it is now with its version, and
// its earlier versions, newest first, when history is set.
func (a *App) KnowledgeBase(history bool) (protocol.KBData, error) {
	sess, err := a.s.current()
	if err != nil {
		return protocol.KBData{}, a.s.uiError(protocol.TypeKB, err)
	}
	ctx, cancel := context.WithTimeout(a.s.context(), requestTimeout)
	defer cancel()
	d, err := sess.knowledgeBase(ctx, history)
	return d, a.s.uiError(protocol.TypeKB, err)
}

// EditKnowledgeBase makes one change to the knowledge base or the report
// (edit.Op, one of the protocol's KBOp constants). The answer is the
// knowledge base with its new version.
func (a *App) EditKnowledgeBase(edit protocol.KBEditData) (protocol.KBData, error) {
	sess, err := a.s.current()
	if err != nil {
		return protocol.KBData{}, a.s.uiError(protocol.TypeKBEdit, err)
	}
	ctx, cancel := context.WithTimeout(a.s.context(), requestTimeout)
	defer cancel()
	d, err := sess.editKnowledgeBase(ctx, edit)
	return d, a.s.uiError(protocol.TypeKBEdit, err)
}

func (s *session) botReport(ctx context.Context, limit int) (protocol.BotReport, error) {
	if !isSupervisor(s.me()) {
		return protocol.BotReport{}, protocol.ErrForbidden.WithMessage("the bot report is for supervisors and admins")
	}
	if limit < 0 {
		return protocol.BotReport{}, protocol.ErrInvalid.WithMessage("limit is negative")
	}
	var r protocol.BotReport
	if err := s.mgr.Request(ctx, protocol.TypeBotReport, protocol.BotReportRequest{Limit: limit}, &r); err != nil {
		return protocol.BotReport{}, err
	}
	return normalReport(r), nil
}

func (s *session) knowledgeBase(ctx context.Context, history bool) (protocol.KBData, error) {
	if !isSupervisor(s.me()) {
		return protocol.KBData{}, protocol.ErrForbidden.WithMessage("the knowledge base is for supervisors and admins")
	}
	var d protocol.KBData
	if err := s.mgr.Request(ctx, protocol.TypeKB, protocol.KBRequest{History: history}, &d); err != nil {
		return protocol.KBData{}, err
	}
	return normalKB(d, history), nil
}

func (s *session) editKnowledgeBase(ctx context.Context, edit protocol.KBEditData) (protocol.KBData, error) {
	if !isSupervisor(s.me()) {
		return protocol.KBData{}, protocol.ErrForbidden.WithMessage("the knowledge base is for supervisors and admins")
	}
	if edit.Op == "" {
		return protocol.KBData{}, protocol.ErrInvalid.WithMessage("op is empty")
	}
	var d protocol.KBData
	if err := s.mgr.Request(ctx, protocol.TypeKBEdit, edit, &d); err != nil {
		return protocol.KBData{}, err
	}
	return normalKB(d, false), nil
}

// normalReport gives the UI lists and maps, never nulls.
func normalReport(r protocol.BotReport) protocol.BotReport {
	if r.Groups == nil {
		r.Groups = []protocol.MissGroup{}
	}
	for i := range r.Groups {
		g := &r.Groups[i]
		if g.Questions == nil {
			g.Questions = []protocol.MissQuestion{}
		}
		if g.Reasons == nil {
			g.Reasons = map[string]int{}
		}
		if g.Suggestions == nil {
			g.Suggestions = []protocol.KBSuggestion{}
		}
	}
	return r
}

// normalKB gives the UI lists, never nulls; the history is a list when it
// was asked for.
func normalKB(d protocol.KBData, history bool) protocol.KBData {
	if d.Entries == nil {
		d.Entries = []protocol.KBEntry{}
	}
	for i := range d.Entries {
		q := &d.Entries[i].Questions
		if q.ZH == nil {
			q.ZH = []string{}
		}
		if q.EN == nil {
			q.EN = []string{}
		}
	}
	if history && d.History == nil {
		d.History = []protocol.KBVersion{}
	}
	return d
}
