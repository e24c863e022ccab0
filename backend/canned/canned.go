package canned

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/google/uuid"

	"switchboard/backend/store"
	"switchboard/protocol"
)

// Limits of a canned response.
const (
	MaxTextRunes  = 2000 // each language's text
	MaxTitleRunes = 80
)

// Roles, as protocol names them.
const (
	RoleAgent      = "agent"
	RoleSupervisor = "supervisor"
	RoleAdmin      = "admin"
)

// Ops of an Edit.
const (
	OpCreate = "create"
	OpUpdate = "update"
	OpDelete = "delete"
)

// AuditAction is the audit log's action of an edit; Detail says which.
const AuditAction = "canned_edit"

// Refusals. Each error Apply returns for bad input wraps one of them.
var (
	// ErrInvalid: a field is missing or malformed (no text in either
	// language, a bad shortcut, an unknown op).
	ErrInvalid = errors.New("invalid canned response")
	// ErrTooLong: a text or the title is over its limit.
	ErrTooLong = errors.New("canned response too long")
	// ErrUnknownVariable: a text holds a variable Fill does not know.
	ErrUnknownVariable = errors.New("unknown variable")
	// ErrDuplicate: another response of the scope has the shortcut.
	ErrDuplicate = errors.New("duplicate shortcut")
	// ErrForbidden: the caller may not edit the scope.
	ErrForbidden = errors.New("forbidden scope")
	// ErrNotFound: no response with the id, or no team with the name.
	ErrNotFound = errors.New("not found")
)

// Store is what the service needs of the store.
type Store interface {
	store.CannedResponses
	Teams(ctx context.Context) ([]store.Team, error)
	AddAudit(ctx context.Context, e store.AuditEntry) error
}

// Service lists and edits canned responses for a caller: the one service
// the WebSocket handlers and the admin command use.
type Service struct {
	Store Store
}

// Caller is who lists or edits. The admin command is an admin with the
// actor audit.AdminActor.
type Caller struct {
	ID    string // the audit log's actor
	Name  string // shown as updated_by
	Role  string
	Teams []string
}

// CanRead reports whether c sees the responses of team ("" for global):
// everyone sees the global ones, staff their teams', admins all.
func (c Caller) CanRead(team string) bool {
	return team == "" || c.Role == RoleAdmin || slices.Contains(c.Teams, team)
}

// CanEdit reports whether c edits the responses of team: admins every
// scope, global included; supervisors their teams'; agents none.
func (c Caller) CanEdit(team string) bool {
	switch c.Role {
	case RoleAdmin:
		return true
	case RoleSupervisor:
		return team != "" && slices.Contains(c.Teams, team)
	}
	return false
}

// List returns the responses c may read, global ones first, then by team
// and shortcut.
func (s Service) List(ctx context.Context, c Caller) ([]store.CannedResponse, error) {
	all, err := s.Store.CannedResponses(ctx)
	if err != nil {
		return nil, err
	}
	out := all[:0]
	for _, r := range all {
		if c.CanRead(r.Team) {
			out = append(out, r)
		}
	}
	return out, nil
}

// Edit is one change. Update changes the title, shortcut and texts; the
// scope of a response stays the one it was created in (delete and create
// to move it). Delete needs only the ID.
type Edit struct {
	Op       string
	ID       string // update, delete
	Team     string // create: "" for global
	Title    string
	Shortcut string
	ZH, EN   string
}

var shortcutRE = regexp.MustCompile(`^[\p{L}\p{N}_\-]{1,32}$`)

// NormalizeShortcut returns shortcut as it is stored and matched: trimmed,
// without a leading "/", in lower case. ok is false unless it is 1 to 32
// letters, digits, '_' or '-'.
func NormalizeShortcut(shortcut string) (string, bool) {
	s := strings.ToLower(strings.TrimPrefix(strings.TrimSpace(shortcut), "/"))
	return s, shortcutRE.MatchString(s)
}

// Check validates and normalizes the fields of a response: the shortcut,
// the title (the shortcut when empty), the texts (trimmed; one at least,
// each at most MaxTextRunes, with known variables only).
func Check(r store.CannedResponse) (store.CannedResponse, error) {
	sc, ok := NormalizeShortcut(r.Shortcut)
	if !ok {
		return r, fmt.Errorf("%w: shortcut %q: 1 to 32 letters, digits, - or _", ErrInvalid, r.Shortcut)
	}
	r.Shortcut = sc
	r.Title = strings.Join(strings.Fields(r.Title), " ")
	if r.Title == "" {
		r.Title = "/" + sc
	}
	if n := utf8.RuneCountInString(r.Title); n > MaxTitleRunes {
		return r, fmt.Errorf("%w: the title has %d characters; at most %d", ErrTooLong, n, MaxTitleRunes)
	}
	r.TextZH, r.TextEN = strings.TrimSpace(r.TextZH), strings.TrimSpace(r.TextEN)
	if !utf8.ValidString(r.TextZH) || !utf8.ValidString(r.TextEN) || !utf8.ValidString(r.Title) {
		return r, fmt.Errorf("%w: not valid UTF-8", ErrInvalid)
	}
	if r.TextZH == "" && r.TextEN == "" {
		return r, fmt.Errorf("%w: give the text in Chinese, English or both", ErrInvalid)
	}
	for _, t := range []struct{ lang, text string }{{"zh", r.TextZH}, {"en", r.TextEN}} {
		if n := utf8.RuneCountInString(t.text); n > MaxTextRunes {
			return r, fmt.Errorf("%w: the %s text has %d characters; at most %d", ErrTooLong, t.lang, n, MaxTextRunes)
		}
		if u := Unknown(t.text); len(u) > 0 {
			return r, fmt.Errorf("%w: {%s} in the %s text; known: {%s}, {%s}, {%s}, {ext.KEY}", ErrUnknownVariable,
				u[0], t.lang, VarCustomerName, VarOrderNo, VarAgentName)
		}
	}
	return r, nil
}

// Apply makes one edit for c and records it in the audit log. It returns
// the response as stored (for a delete, as it was).
func (s Service) Apply(ctx context.Context, c Caller, e Edit) (store.CannedResponse, error) {
	var (
		r   store.CannedResponse
		err error
	)
	switch e.Op {
	case OpCreate:
		r, err = s.create(ctx, c, e)
	case OpUpdate, OpDelete:
		r, err = s.find(ctx, c, e.ID)
		if err != nil {
			return r, err
		}
		if e.Op == OpDelete {
			err = s.Store.DeleteCannedResponse(ctx, r.ID)
			if errors.Is(err, store.ErrNotFound) {
				err = fmt.Errorf("%w: canned response %q", ErrNotFound, e.ID)
			}
			break
		}
		r.Title, r.Shortcut, r.TextZH, r.TextEN = e.Title, e.Shortcut, e.ZH, e.EN
		r, err = s.put(ctx, c, r)
	default:
		return r, fmt.Errorf("%w: op %q: want create, update or delete", ErrInvalid, e.Op)
	}
	if err != nil {
		return r, err
	}
	scope := r.Team
	if scope == "" {
		scope = "global"
	}
	_ = s.Store.AddAudit(ctx, store.AuditEntry{Actor: c.ID, Action: AuditAction,
		Detail: fmt.Sprintf("op=%s id=%s scope=%s shortcut=%s", e.Op, r.ID, scope, r.Shortcut)})
	return r, nil
}

func (s Service) create(ctx context.Context, c Caller, e Edit) (store.CannedResponse, error) {
	if !c.CanEdit(e.Team) {
		return store.CannedResponse{}, forbidden(c, e.Team)
	}
	if e.Team != "" {
		teams, err := s.Store.Teams(ctx)
		if err != nil {
			return store.CannedResponse{}, err
		}
		if !slices.ContainsFunc(teams, func(t store.Team) bool { return t.ID == e.Team }) {
			return store.CannedResponse{}, fmt.Errorf("%w: no team %q", ErrNotFound, e.Team)
		}
	}
	return s.put(ctx, c, store.CannedResponse{ID: uuid.NewString(), Team: e.Team, Title: e.Title, Shortcut: e.Shortcut, TextZH: e.ZH, TextEN: e.EN})
}

func (s Service) put(ctx context.Context, c Caller, r store.CannedResponse) (store.CannedResponse, error) {
	r, err := Check(r)
	if err != nil {
		return r, err
	}
	r.UpdatedBy = c.Name
	out, err := s.Store.PutCannedResponse(ctx, r)
	if errors.Is(err, store.ErrConflict) {
		return r, fmt.Errorf("%w: /%s is taken in this scope", ErrDuplicate, r.Shortcut)
	}
	return out, err
}

// find returns the response id that c may edit. One c may not even read
// is not found.
func (s Service) find(ctx context.Context, c Caller, id string) (store.CannedResponse, error) {
	all, err := s.Store.CannedResponses(ctx)
	if err != nil {
		return store.CannedResponse{}, err
	}
	i := slices.IndexFunc(all, func(r store.CannedResponse) bool { return r.ID == id })
	if i < 0 || !c.CanRead(all[i].Team) {
		return store.CannedResponse{}, fmt.Errorf("%w: canned response %q", ErrNotFound, id)
	}
	if !c.CanEdit(all[i].Team) {
		return all[i], forbidden(c, all[i].Team)
	}
	return all[i], nil
}

func forbidden(c Caller, team string) error {
	if team == "" {
		return fmt.Errorf("%w: only admins edit global canned responses", ErrForbidden)
	}
	if c.Role == RoleAgent {
		return fmt.Errorf("%w: agents do not edit canned responses", ErrForbidden)
	}
	return fmt.Errorf("%w: you do not supervise team %q", ErrForbidden, team)
}

// Coded turns a refusal of this package into its protocol error, and any
// other error into protocol.ErrInternal; nil stays nil. The WebSocket
// frames and the HTTP API answer with it alike.
func Coded(err error) *protocol.Error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, ErrUnknownVariable):
		return protocol.ErrUnknownVariable.WithMessage("%s", err.Error())
	case errors.Is(err, ErrDuplicate):
		return protocol.ErrDuplicateShortcut.WithMessage("%s", err.Error())
	case errors.Is(err, ErrTooLong):
		return protocol.ErrTextTooLong.WithMessage("%s", err.Error())
	case errors.Is(err, ErrInvalid):
		return protocol.ErrInvalid.WithMessage("%s", err.Error())
	case errors.Is(err, ErrForbidden):
		return protocol.ErrForbidden.WithMessage("%s", err.Error())
	case errors.Is(err, ErrNotFound):
		return protocol.ErrNotFound.WithMessage("%s", err.Error())
	}
	return protocol.ErrInternal
}
