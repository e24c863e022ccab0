package hours

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"switchboard/backend/store"
)

// Where the hours of a scope come from.
const (
	// SourceStored: stored for the scope (hours set).
	SourceStored = "stored"
	// SourceDefault: the global hours are the server's default
	// (--business-hours), nothing being stored.
	SourceDefault = "default"
	// SourceGlobal: a team without its own follows the global hours.
	SourceGlobal = "global"
)

// Audit log actions of the changes.
const (
	AuditSet   = "hours.set"
	AuditClear = "hours.clear"
)

// Store is what the Service needs of the store.
type Store interface {
	store.Hours
	Teams(ctx context.Context) ([]store.Team, error)
	AddAudit(ctx context.Context, e store.AuditEntry) error
}

// Service reads and changes the stored business hours, for the admin
// command and the HTTP API alike. Stored global hours win over Default;
// a team's own win over the global ones.
type Service struct {
	Store Store
	// Default are the global hours while none are stored: the server's
	// --business-hours (nil: always open).
	Default *Schedule
}

// Caller is who changes the hours: ID goes to the audit log, Name to the
// hours' updated_by.
type Caller struct {
	ID   string
	Name string
}

// Entry is the hours of one scope as shown: Team "" for the global ones.
// Schedule nil is always open.
type Entry struct {
	Team      string
	Schedule  *Schedule
	Source    string
	UpdatedBy string
	UpdatedAt int64
}

// Load returns the hours in force. Stored hours that no longer parse (a
// time zone the system lost) are an error naming them.
func (s Service) Load(ctx context.Context) (*Book, error) {
	rows, err := s.Store.BusinessHours(ctx)
	if err != nil {
		return nil, err
	}
	b := &Book{Global: s.Default, Teams: map[string]*Schedule{}}
	var bad []string
	for _, r := range rows {
		h, err := Parse(specOf(r))
		if err != nil {
			bad = append(bad, fmt.Sprintf("%s: %v", scope(r.Team), err))
			continue
		}
		if r.Team == "" {
			b.Global = h
		} else {
			b.Teams[r.Team] = h
		}
	}
	if len(bad) > 0 {
		return b, fmt.Errorf("stored business hours skipped: %s", strings.Join(bad, "; "))
	}
	return b, nil
}

func specOf(r store.BusinessHours) Spec {
	return Spec{Timezone: r.Timezone, Weekly: r.Weekly, Closed: r.Closed}
}

func scope(team string) string {
	if team == "" {
		return "global"
	}
	return "team " + team
}

// List returns the global hours and those of every team, by team id.
func (s Service) List(ctx context.Context) (global Entry, teams []Entry, err error) {
	rows, err := s.Store.BusinessHours(ctx)
	if err != nil {
		return Entry{}, nil, err
	}
	ts, err := s.Store.Teams(ctx)
	if err != nil {
		return Entry{}, nil, err
	}
	global = Entry{Schedule: s.Default, Source: SourceDefault}
	own := map[string]Entry{}
	for _, r := range rows {
		h, err := Parse(specOf(r))
		if err != nil {
			return Entry{}, nil, fmt.Errorf("stored hours of %s: %w", scope(r.Team), err)
		}
		e := Entry{Team: r.Team, Schedule: h, Source: SourceStored, UpdatedBy: r.UpdatedBy, UpdatedAt: r.UpdatedAt}
		if r.Team == "" {
			global = e
		} else {
			own[r.Team] = e
		}
	}
	for _, t := range ts {
		e, ok := own[t.ID]
		if !ok {
			e = Entry{Team: t.ID, Schedule: global.Schedule, Source: SourceGlobal}
		}
		teams = append(teams, e)
	}
	return global, teams, nil
}

// Get returns the hours of team ("" for the global ones); store.ErrNotFound
// for an unknown team.
func (s Service) Get(ctx context.Context, team string) (Entry, error) {
	global, teams, err := s.List(ctx)
	if err != nil {
		return Entry{}, err
	}
	if team == "" {
		return global, nil
	}
	i := slices.IndexFunc(teams, func(e Entry) bool { return e.Team == team })
	if i < 0 {
		return Entry{}, fmt.Errorf("no team %q: %w", team, store.ErrNotFound)
	}
	return teams[i], nil
}

// Set checks spec and stores it as the hours of team ("" for the global
// ones), and records it in the audit log. Errors: ErrInvalid for a bad
// spec, store.ErrNotFound for an unknown team.
func (s Service) Set(ctx context.Context, c Caller, team string, spec Spec) (Entry, error) {
	// Stored hours are read by every node: "Local" would mean each node's
	// own zone.
	if strings.EqualFold(strings.TrimSpace(spec.Timezone), "Local") {
		return Entry{}, invalid("time zone %q: name the zone, such as Asia/Shanghai", spec.Timezone)
	}
	h, err := Parse(spec)
	if err != nil {
		return Entry{}, err
	}
	if err := s.teamExists(ctx, team); err != nil {
		return Entry{}, err
	}
	n := h.Spec()
	r, err := s.Store.PutBusinessHours(ctx, store.BusinessHours{Team: team, Timezone: n.Timezone, Weekly: n.Weekly,
		Closed: n.Closed, UpdatedBy: c.Name})
	if err != nil {
		return Entry{}, err
	}
	s.audit(ctx, c, AuditSet, fmt.Sprintf("scope=%s hours=%q", scope(team), h.String()))
	return Entry{Team: team, Schedule: h, Source: SourceStored, UpdatedBy: r.UpdatedBy, UpdatedAt: r.UpdatedAt}, nil
}

// Clear removes the stored hours of team ("" for the global ones, which
// fall back to Default; a team then follows the global hours) and records
// it in the audit log. store.ErrNotFound when none are stored.
func (s Service) Clear(ctx context.Context, c Caller, team string) error {
	if err := s.teamExists(ctx, team); err != nil {
		return err
	}
	if err := s.Store.DeleteBusinessHours(ctx, team); err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return fmt.Errorf("no business hours are stored for %s: %w", scope(team), store.ErrNotFound)
		}
		return err
	}
	s.audit(ctx, c, AuditClear, "scope="+scope(team))
	return nil
}

func (s Service) teamExists(ctx context.Context, team string) error {
	if team == "" {
		return nil
	}
	ts, err := s.Store.Teams(ctx)
	if err != nil {
		return err
	}
	if !slices.ContainsFunc(ts, func(t store.Team) bool { return t.ID == team }) {
		return fmt.Errorf("no team %q: %w", team, store.ErrNotFound)
	}
	return nil
}

// audit records a change; a failure does not undo it (as the other admin
// changes).
func (s Service) audit(ctx context.Context, c Caller, action, detail string) {
	_ = s.Store.AddAudit(ctx, store.AuditEntry{Actor: c.ID, Action: action, Detail: detail})
}

// OpenNow reports whether e's hours are open at now and, when they are
// not, when they next open (zero when they do not within a year).
func (e Entry) OpenNow(now time.Time) (open bool, next time.Time) {
	if e.Schedule.Open(now) {
		return true, time.Time{}
	}
	next, _ = e.Schedule.NextOpen(now)
	return false, next
}
