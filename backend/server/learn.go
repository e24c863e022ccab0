package server

import (
	"context"
	"errors"

	"switchboard/backend/botlearn"
	"switchboard/backend/kb"
	"switchboard/backend/kbedit"
	"switchboard/backend/notice"
	"switchboard/backend/store"
	"switchboard/protocol"
)

// The bot's learning loop (protocol/botlearn.go): the frames are here; what
// they do is packages botlearn (the misses and the report) and kbedit (the
// knowledge base's versions and edits).

// KnowledgeBase is the knowledge base a node's bot answers from
// (kbedit.Live).
type KnowledgeBase interface {
	// KB returns the knowledge base the bot answers from now, or nil.
	KB() *kb.KB
	// Index returns the bot's search index, or nil.
	Index() *kb.Index
	// Reload loads the newest published knowledge base into the bot.
	Reload(ctx context.Context) error
}

func (s *Server) liveKB() *kb.KB {
	if s.cfg.KnowledgeBase == nil {
		return nil
	}
	return s.cfg.KnowledgeBase.KB()
}

// learnAnswered records what the bot's stored answer to msg shows it
// missed. It runs after the answer was stored and pushed, on the bot's
// goroutine: it never holds up the customer's reply, and its failures are
// logged and counted, never the customer's.
func (s *Server) learnAnswered(msg store.Message, reply BotReply) {
	ctx := context.WithoutCancel(s.baseCtx)
	added, err := s.learn.Answered(ctx, botlearn.Answer{Question: msg, EntryID: reply.EntryID,
		Unsure: reply.EntryID == "" && len(reply.Suggestions) > 0})
	s.learned(msg.ConversationID, added, err)
}

// learnHandedOver records the question a handoff the bot asked for left
// unanswered (see botlearn.Recorder.HandedOver), after the handoff.
func (s *Server) learnHandedOver(msg store.Message, reason string) {
	ctx := context.WithoutCancel(s.baseCtx)
	added, err := s.learn.HandedOver(ctx, msg.ConversationID, msg.Seq, reason)
	s.learned(msg.ConversationID, added, err)
}

func (s *Server) learned(convID string, added []store.Miss, err error) {
	for _, m := range added {
		s.metrics.misses.WithLabelValues(m.Reason).Inc()
	}
	if err != nil {
		s.metrics.learnErrors.Inc()
		s.log.Warn("record the bot's miss", "conversation_id", convID, "err", err)
	}
}

func (p *peer) botFeedback(ctx context.Context, f protocol.Frame) *protocol.Error {
	if !p.isCustomer() {
		return protocol.ErrForbidden.WithMessage("only customers say whether the bot's answers helped")
	}
	var d protocol.BotFeedbackData
	if perr := protocol.DecodeData(f, &d); perr != nil {
		return perr
	}
	if d.Seq <= 0 {
		return protocol.ErrInvalid.WithMessage("seq must be a message's seq")
	}
	if !p.sendLimit.allow(p.s.cfg.Now()) {
		return protocol.ErrRateLimited.WithMessage("more than %g frames a second; retry later", p.s.cfg.SendRate)
	}
	c, perr := p.readable(ctx, d.ConversationID)
	if perr != nil {
		return perr
	}
	msgs, err := p.s.store.Messages(ctx, store.MessageQuery{ConversationID: c.ID, AfterSeq: d.Seq - 1, Limit: 1, PublicOnly: true})
	if err != nil {
		return p.storeError("read the rated message", err)
	}
	if len(msgs) == 0 || msgs[0].Seq != d.Seq {
		return protocol.ErrNotFound.WithMessage("no message %d in this conversation", d.Seq)
	}
	if m := msgs[0]; m.SenderRole != protocol.RoleBot || m.Kind != protocol.KindText || m.Ext[extKBEntry] == "" {
		return protocol.ErrInvalid.WithMessage("only the bot's answers from the knowledge base take feedback")
	}
	if _, err := p.s.store.PutBotFeedback(ctx, store.BotFeedback{ConversationID: c.ID, Seq: d.Seq, CustomerID: p.user.ID, Helpful: d.Helpful}); err != nil {
		return p.storeError("store bot feedback", err)
	}
	helpful := "false"
	if d.Helpful {
		helpful = "true"
	}
	p.s.metrics.feedback.WithLabelValues(helpful).Inc()
	if !d.Helpful {
		// The verdict is stored: a failure to put its question in the
		// report is logged and counted, not the customer's.
		added, err := p.s.learn.Unhelpful(context.WithoutCancel(ctx), c.ID, d.Seq)
		p.s.learned(c.ID, added, err)
	}
	p.reply(protocol.TypeBotFeedback, f.ID, protocol.BotFeedbackData{ConversationID: c.ID, Seq: d.Seq, Helpful: d.Helpful})
	return nil
}

// isSupervising reports whether role may work on the knowledge base and
// the report.
func isSupervising(role string) bool {
	return role == protocol.RoleSupervisor || role == protocol.RoleAdmin
}

func (p *peer) botReport(ctx context.Context, f protocol.Frame) *protocol.Error {
	if !isSupervising(p.user.Role) {
		return protocol.ErrForbidden.WithMessage("only supervisors and admins read the report")
	}
	var d protocol.BotReportRequest
	if perr := protocol.DecodeData(f, &d); perr != nil {
		return perr
	}
	if d.Limit < 0 || d.Limit > botlearn.MaxGroups {
		return protocol.ErrInvalid.WithMessage("limit is 0 (the default, %d) to %d", botlearn.DefaultGroups, botlearn.MaxGroups)
	}
	opts := botlearn.ReportOptions{Limit: d.Limit}
	if kbase := p.s.cfg.KnowledgeBase; kbase != nil {
		if ix := kbase.Index(); ix != nil {
			opts.Search = ix
		}
	}
	vs, err := p.s.store.KBVersions(ctx, 1)
	if err != nil {
		return p.storeError("knowledge base version", err)
	}
	if len(vs) > 0 {
		opts.Version = vs[0].Version
	}
	rep, err := botlearn.Report(ctx, p.s.store, opts)
	if err != nil {
		return p.storeError("bot report", err)
	}
	p.reply(protocol.TypeBotReport, f.ID, rep)
	return nil
}

func (p *peer) knowledgeBase(ctx context.Context, f protocol.Frame) *protocol.Error {
	if !isSupervising(p.user.Role) {
		return protocol.ErrForbidden.WithMessage("only supervisors and admins read the knowledge base")
	}
	var d protocol.KBRequest
	if perr := protocol.DecodeData(f, &d); perr != nil {
		return perr
	}
	k, v, err := p.s.kbEditor.Current(ctx)
	if err != nil {
		return p.storeError("read the knowledge base", err)
	}
	out := toProtoKB(k, v)
	if d.History {
		vs, err := p.s.kbEditor.History(ctx, 100)
		if err != nil {
			return p.storeError("knowledge base history", err)
		}
		out.History = make([]protocol.KBVersion, len(vs))
		for i, v := range vs {
			out.History[i] = protocol.KBVersion{Version: v.Version, At: v.CreatedAt, Author: v.Author, Summary: v.Summary, Entries: v.Entries}
		}
	}
	p.reply(protocol.TypeKB, f.ID, out)
	return nil
}

func (p *peer) kbEdit(ctx context.Context, f protocol.Frame) *protocol.Error {
	if !isSupervising(p.user.Role) {
		return protocol.ErrForbidden.WithMessage("only supervisors and admins edit the knowledge base")
	}
	var d protocol.KBEditData
	if perr := protocol.DecodeData(f, &d); perr != nil {
		return perr
	}
	ed := kbedit.Edit{Op: d.Op, BaseVersion: d.BaseVersion, EntryID: d.EntryID, Locale: d.Locale, Question: d.Question,
		Version: d.Version, MissIDs: d.MissIDs, Author: p.user.Name, Actor: p.user.ID}
	if d.Entry != nil {
		e := fromProtoEntry(*d.Entry)
		ed.Entry = &e
	}
	res, err := p.s.kbEditor.Apply(ctx, ed)
	switch {
	case errors.Is(err, kbedit.ErrConflict):
		return protocol.ErrConflict.WithMessage("the knowledge base changed since version %d: read it again and redo the edit", d.BaseVersion)
	case errors.Is(err, kbedit.ErrInvalid):
		return protocol.ErrInvalid.WithMessage("%s", err.Error())
	case errors.Is(err, kbedit.ErrNotFound):
		return protocol.ErrNotFound.WithMessage("%s", err.Error())
	case err != nil:
		return p.storeError("edit the knowledge base", err)
	}
	if res.Published != nil {
		p.s.log.Info("knowledge base edited", "user_id", p.user.ID, "op", d.Op, "version", res.Version)
		p.s.knowledgeBasePublished(ctx)
	}
	p.reply(protocol.TypeKBEdit, f.ID, toProtoKB(res.KB, res.Version))
	return nil
}

// knowledgeBasePublished puts a new knowledge base to work: this node's bot
// at once, before the edit is answered, and the other nodes' through a
// change notice, as "kb import" does.
func (s *Server) knowledgeBasePublished(ctx context.Context) {
	s.bus.Publish(notice.Subject, notice.Marshal(s.node, notice.Notice{Kind: notice.KB}))
	if s.cfg.KnowledgeBase == nil {
		if s.cfg.KnowledgeBaseChanged != nil {
			s.cfg.KnowledgeBaseChanged()
		}
		return
	}
	if err := s.cfg.KnowledgeBase.Reload(ctx); err != nil {
		s.log.Error("reload the edited knowledge base", "err", err)
	}
}

func toProtoKB(k *kb.KB, version int64) protocol.KBData {
	out := protocol.KBData{Version: version, Entries: []protocol.KBEntry{}}
	if k == nil {
		return out
	}
	for _, e := range k.Entries {
		out.Entries = append(out.Entries, protocol.KBEntry{ID: e.ID, Team: e.Team,
			Questions: protocol.KBQuestions{ZH: nonNil(e.Questions.ZH), EN: nonNil(e.Questions.EN)},
			Answer:    protocol.KBText{ZH: e.Answer.ZH, EN: e.Answer.EN}})
	}
	return out
}

func nonNil(l []string) []string {
	if l == nil {
		return []string{}
	}
	return l
}

func fromProtoEntry(e protocol.KBEntry) kb.Entry {
	return kb.Entry{ID: e.ID, Team: e.Team, Questions: kb.Questions{ZH: e.Questions.ZH, EN: e.Questions.EN},
		Answer: kb.Text{ZH: e.Answer.ZH, EN: e.Answer.EN}}
}
