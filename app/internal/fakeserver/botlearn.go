package fakeserver

import (
	"slices"

	"switchboard/protocol"
)

// learningState is what the fake keeps of the bot's learning loop: the
// report it answers bot_report with, and the knowledge base's versions,
// oldest first (the last is the current one).
type learningState struct {
	report   protocol.BotReport
	versions []kbVersion
	edits    []protocol.KBEditData
}

type kbVersion struct {
	meta    protocol.KBVersion
	entries []protocol.KBEntry
}

// SetReport sets the report the fake answers bot_report with; its
// kb_version is the knowledge base's current version.
func (s *Server) SetReport(r protocol.BotReport) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.learn.report = r
}

// SetKnowledgeBase makes entries the knowledge base's first version.
func (s *Server) SetKnowledgeBase(entries []protocol.KBEntry) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.learn.versions = []kbVersion{{
		meta:    protocol.KBVersion{Version: 1, At: s.tickLocked(), Author: "cli", Summary: "import", Entries: len(entries)},
		entries: slices.Clone(entries),
	}}
}

// KBEdits returns the kb_edit frames the fake applied, in order.
func (s *Server) KBEdits() []protocol.KBEditData {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.learn.edits)
}

func (l *learningState) currentLocked() kbVersion {
	if len(l.versions) == 0 {
		return kbVersion{}
	}
	return l.versions[len(l.versions)-1]
}

func (s *Server) kbLocked(history bool) protocol.KBData {
	cur := s.learn.currentLocked()
	d := protocol.KBData{Version: cur.meta.Version, Entries: slices.Clone(cur.entries)}
	if history {
		for _, v := range slices.Backward(s.learn.versions) {
			d.History = append(d.History, v.meta)
		}
	}
	return d
}

// handleLearning answers the frames of the learning loop; false for others.
func (s *Server) handleLearning(c *client, f protocol.Frame) bool {
	fail := func(e *protocol.Error) { c.write(protocol.EncodeError(f.ID, e)) }
	switch f.Type {
	case protocol.TypeBotReport, protocol.TypeKB, protocol.TypeKBEdit:
	default:
		return false
	}
	if !isSupervisor(c.user) {
		fail(protocol.ErrForbidden)
		return true
	}
	switch f.Type {
	case protocol.TypeBotReport:
		var d protocol.BotReportRequest
		if perr := protocol.DecodeData(f, &d); perr != nil {
			fail(perr)
			return true
		}
		s.mu.Lock()
		r := s.learn.report
		r.KBVersion = s.learn.currentLocked().meta.Version
		if d.Limit > 0 && len(r.Groups) > d.Limit {
			r.Groups = r.Groups[:d.Limit]
		}
		s.mu.Unlock()
		c.send(protocol.TypeBotReport, f.ID, r)

	case protocol.TypeKB:
		var d protocol.KBRequest
		if perr := protocol.DecodeData(f, &d); perr != nil {
			fail(perr)
			return true
		}
		s.mu.Lock()
		kb := s.kbLocked(d.History)
		s.mu.Unlock()
		c.send(protocol.TypeKB, f.ID, kb)

	case protocol.TypeKBEdit:
		var d protocol.KBEditData
		if perr := protocol.DecodeData(f, &d); perr != nil {
			fail(perr)
			return true
		}
		s.mu.Lock()
		perr := s.editLocked(c.user, d)
		kb := s.kbLocked(false)
		s.mu.Unlock()
		if perr != nil {
			fail(perr)
			return true
		}
		c.send(protocol.TypeKBEdit, f.ID, kb)
	}
	return true
}

// editLocked applies one kb_edit the way the contract says: every change
// but dismiss needs the current version and makes a new one.
func (s *Server) editLocked(u protocol.User, d protocol.KBEditData) *protocol.Error {
	cur := s.learn.currentLocked()
	if d.Op != protocol.KBOpDismiss && d.BaseVersion != cur.meta.Version {
		return protocol.ErrConflict.WithMessage("the knowledge base changed; read it again")
	}
	entries := slices.Clone(cur.entries)
	at := slices.IndexFunc(entries, func(e protocol.KBEntry) bool { return e.ID == d.EntryID })
	var summary string
	switch d.Op {
	case protocol.KBOpDismiss:
	case protocol.KBOpAddQuestion:
		if at < 0 {
			return protocol.ErrNotFound.WithMessage("no such entry")
		}
		e := entries[at]
		if d.Locale == "zh" {
			e.Questions.ZH = append(slices.Clone(e.Questions.ZH), d.Question)
		} else {
			e.Questions.EN = append(slices.Clone(e.Questions.EN), d.Question)
		}
		entries[at] = e
		summary = "add question to " + d.EntryID
	case protocol.KBOpCreateEntry:
		if d.Entry == nil || d.Entry.ID == "" || d.Entry.Answer.ZH == "" || d.Entry.Answer.EN == "" {
			return protocol.ErrInvalid.WithMessage("an entry needs an id and an answer in both languages")
		}
		if slices.ContainsFunc(entries, func(e protocol.KBEntry) bool { return e.ID == d.Entry.ID }) {
			return protocol.ErrInvalid.WithMessage("the entry id is taken")
		}
		entries = append(entries, *d.Entry)
		summary = "create " + d.Entry.ID
	case protocol.KBOpRollback:
		i := slices.IndexFunc(s.learn.versions, func(v kbVersion) bool { return v.meta.Version == d.Version })
		if i < 0 {
			return protocol.ErrNotFound.WithMessage("no such version")
		}
		entries = slices.Clone(s.learn.versions[i].entries)
		summary = "roll back to a version"
	default:
		return protocol.ErrInvalid.WithMessage("unknown op")
	}
	s.learn.edits = append(s.learn.edits, d)
	s.learn.report = dropMisses(s.learn.report, d.MissIDs)
	if d.Op == protocol.KBOpDismiss {
		return nil
	}
	s.learn.versions = append(s.learn.versions, kbVersion{
		meta: protocol.KBVersion{
			Version: cur.meta.Version + 1, At: s.tickLocked(), Author: u.Name, Summary: summary, Entries: len(entries),
		},
		entries: entries,
	})
	return nil
}

// dropMisses takes the questions ids out of r, and the groups left empty.
func dropMisses(r protocol.BotReport, ids []string) protocol.BotReport {
	var groups []protocol.MissGroup
	open := 0
	for _, g := range r.Groups {
		g.Questions = slices.DeleteFunc(slices.Clone(g.Questions), func(q protocol.MissQuestion) bool {
			return slices.Contains(ids, q.ID)
		})
		if len(g.Questions) == 0 {
			continue
		}
		g.Count = len(g.Questions)
		open += g.Count
		groups = append(groups, g)
	}
	r.Groups, r.Open = groups, open
	return r
}
