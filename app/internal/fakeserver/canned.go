package fakeserver

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"switchboard/protocol"
)

// cannedState is what the fake keeps of canned responses: the shared
// responses in the order canned lists them, and the edits it applied.
type cannedState struct {
	responses []protocol.CannedResponse
	edits     []protocol.CannedEditData
	nextID    int
}

// SetCanned makes rs the fake's canned responses.
func (s *Server) SetCanned(rs []protocol.CannedResponse) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.canned.responses = slices.Clone(rs)
}

// CannedEdits returns the canned_edit frames the fake applied, in order.
func (s *Server) CannedEdits() []protocol.CannedEditData {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.canned.edits)
}

// cannedCanRead reports whether u reads the responses of team, as the
// server's canned.Caller does.
func cannedCanRead(u protocol.User, team string) bool {
	return team == "" || u.Role == protocol.RoleAdmin || slices.Contains(u.Teams, team)
}

// cannedCanEdit reports whether u edits the responses of team: admins every
// scope, supervisors their teams', agents none.
func cannedCanEdit(u protocol.User, team string) bool {
	switch u.Role {
	case protocol.RoleAdmin:
		return true
	case protocol.RoleSupervisor:
		return team != "" && slices.Contains(u.Teams, team)
	}
	return false
}

var (
	cannedShortcutRE = regexp.MustCompile(`^[\p{L}\p{N}_\-]{1,32}$`)
	cannedVarRE      = regexp.MustCompile(`\{([A-Za-z0-9_.-]{1,64})\}`)
)

func cannedKnownVariable(name string) bool {
	switch name {
	case "customer.name", "order_no", "agent.name":
		return true
	}
	key, ok := strings.CutPrefix(name, "ext.")
	return ok && key != "" && !strings.HasPrefix(key, ".") && !strings.HasSuffix(key, ".")
}

// handleCanned answers the frames of canned responses; false for others.
func (s *Server) handleCanned(c *client, f protocol.Frame) bool {
	fail := func(e *protocol.Error) { c.write(protocol.EncodeError(f.ID, e)) }
	switch f.Type {
	case protocol.TypeCanned:
		var d protocol.CannedRequest
		if perr := protocol.DecodeData(f, &d); perr != nil {
			fail(perr)
			return true
		}
		s.mu.Lock()
		var l protocol.CannedList
		for _, r := range s.canned.responses {
			if cannedCanRead(c.user, r.Team) {
				l.Responses = append(l.Responses, r)
			}
		}
		s.mu.Unlock()
		c.send(protocol.TypeCanned, f.ID, l)
	case protocol.TypeCannedEdit:
		var d protocol.CannedEditData
		if perr := protocol.DecodeData(f, &d); perr != nil {
			fail(perr)
			return true
		}
		s.mu.Lock()
		ch, perr := s.cannedEditLocked(c.user, d)
		var cs []*client
		if perr == nil {
			for o := range s.clients {
				if o.user.Role != protocol.RoleCustomer && cannedCanRead(o.user, ch.Response.Team) {
					cs = append(cs, o)
				}
			}
		}
		s.mu.Unlock()
		if perr != nil {
			fail(perr)
			return true
		}
		c.send(protocol.TypeCannedEdit, f.ID, ch.Response)
		for _, o := range cs {
			o.send(protocol.TypeCannedChanged, "", ch)
		}
	default:
		return false
	}
	return true
}

// cannedEditLocked applies one canned_edit the way the contract says.
func (s *Server) cannedEditLocked(u protocol.User, d protocol.CannedEditData) (protocol.CannedChange, *protocol.Error) {
	at := -1
	if d.Op == protocol.CannedOpUpdate || d.Op == protocol.CannedOpDelete {
		at = slices.IndexFunc(s.canned.responses, func(r protocol.CannedResponse) bool { return r.ID == d.ID })
		if at < 0 {
			return protocol.CannedChange{}, protocol.ErrNotFound.WithMessage("no such canned response")
		}
	}
	var r protocol.CannedResponse
	switch d.Op {
	case protocol.CannedOpCreate:
		r.Team = d.Team
	case protocol.CannedOpUpdate, protocol.CannedOpDelete:
		r = s.canned.responses[at]
	default:
		return protocol.CannedChange{}, protocol.ErrInvalid.WithMessage("unknown op")
	}
	if !cannedCanEdit(u, r.Team) {
		return protocol.CannedChange{}, protocol.ErrForbidden.WithMessage("you may not edit this scope")
	}
	r.UpdatedBy, r.UpdatedAt = u.Name, s.tickLocked()
	if d.Op == protocol.CannedOpDelete {
		s.canned.responses = slices.Delete(s.canned.responses, at, at+1)
		s.canned.edits = append(s.canned.edits, d)
		return protocol.CannedChange{Response: r, Deleted: true}, nil
	}
	sc := strings.ToLower(strings.TrimPrefix(strings.TrimSpace(d.Shortcut), "/"))
	if !cannedShortcutRE.MatchString(sc) {
		return protocol.CannedChange{}, protocol.ErrInvalid.WithMessage("the shortcut is 1 to 32 letters, digits, - or _")
	}
	zh, en := strings.TrimSpace(d.Text.ZH), strings.TrimSpace(d.Text.EN)
	if zh == "" && en == "" {
		return protocol.CannedChange{}, protocol.ErrInvalid.WithMessage("the text is empty")
	}
	for _, t := range []string{zh, en} {
		if utf8.RuneCountInString(t) > protocol.MaxCannedRunes {
			return protocol.CannedChange{}, protocol.ErrTextTooLong.WithMessage("a text is over %d characters", protocol.MaxCannedRunes)
		}
		for _, m := range cannedVarRE.FindAllStringSubmatch(t, -1) {
			if !cannedKnownVariable(m[1]) {
				return protocol.CannedChange{}, protocol.ErrUnknownVariable.WithMessage("unknown variable %s", m[0])
			}
		}
	}
	if slices.ContainsFunc(s.canned.responses, func(o protocol.CannedResponse) bool {
		return o.Team == r.Team && o.Shortcut == sc && o.ID != r.ID
	}) {
		return protocol.CannedChange{}, protocol.ErrDuplicateShortcut.WithMessage("another response of this scope has /%s", sc)
	}
	r.Shortcut, r.Title, r.Text = sc, strings.Join(strings.Fields(d.Title), " "), protocol.CannedText{ZH: zh, EN: en}
	if r.Title == "" {
		r.Title = "/" + sc
	}
	if d.Op == protocol.CannedOpCreate {
		s.canned.nextID++
		r.ID = fmt.Sprintf("cr%d", s.canned.nextID)
		s.canned.responses = append(s.canned.responses, r)
	} else {
		s.canned.responses[at] = r
	}
	s.canned.edits = append(s.canned.edits, d)
	return protocol.CannedChange{Response: r}, nil
}
