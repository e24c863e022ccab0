// Package staffadmin holds the rules of changing agents and teams: what a
// capacity, a team id, a name, a backup team, an overflow threshold and an
// SLA may be. The admin commands and the HTTP API both apply them, so a
// change is refused or taken the same way whichever way it comes.
package staffadmin

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"switchboard/backend/store"
	"switchboard/protocol"
)

// ErrInvalid is wrapped by every refusal of a value; its message names the
// field as the caller's Naming says.
var ErrInvalid = errors.New("invalid")

// Naming says how a caller names a field in its messages.
type Naming func(field string) string

// Flags names fields as command-line flags: overflow_at → --overflow-at.
func Flags(field string) string { return "--" + strings.ReplaceAll(field, "_", "-") }

// JSON names fields as JSON keys: overflow_at.
func JSON(field string) string { return field }

// Limits.
const (
	MaxCapacity   = 100
	MaxOverflowAt = 100000
	MaxNameRunes  = 64
	// MaxSLAMS is the longest SLA threshold, 720 hours.
	MaxSLAMS = 30 * 24 * 3600 * 1000
)

// TeamRE is what a team id may be: it appears in URLs, logs and kb.json.
var TeamRE = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{0,63}$`)

// Service applies the rules for one caller.
type Service struct {
	Store store.Store
	Name  Naming
}

func (s Service) name(field string) string {
	if s.Name == nil {
		return field
	}
	return s.Name(field)
}

func (s Service) invalid(format string, a ...any) error {
	return fmt.Errorf("%w: %s", ErrInvalid, fmt.Sprintf(format, a...))
}

// CleanList trims items and drops empty and repeated ones.
func CleanList(in []string) []string {
	out := []string{}
	for _, v := range in {
		if v = strings.TrimSpace(v); v != "" && !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	return out
}

// AgentChange is what may change of an agent; nil fields stay.
type AgentChange struct {
	Capacity *int
	Teams    *[]string
	Skills   *[]string
}

// ApplyAgent checks c and applies it to a (not stored: the caller stores
// the agent with whatever else it changes).
func (s Service) ApplyAgent(ctx context.Context, a store.Agent, c AgentChange) (store.Agent, error) {
	if c.Capacity != nil {
		if *c.Capacity < 0 || *c.Capacity > MaxCapacity {
			return a, s.invalid("%s must be 0 (the default) to %d", s.name("capacity"), MaxCapacity)
		}
		a.Capacity = *c.Capacity
	}
	if c.Teams != nil {
		known, err := s.Store.Teams(ctx)
		if err != nil {
			return a, err
		}
		teams := CleanList(*c.Teams)
		for _, t := range teams {
			if !slices.ContainsFunc(known, func(k store.Team) bool { return k.ID == t }) {
				return a, s.invalid("no team %q", t)
			}
		}
		a.Teams = teams
	}
	if c.Skills != nil {
		a.Skills = CleanList(*c.Skills)
	}
	return a, nil
}

// TeamChange is what may change of a team; nil fields stay.
type TeamChange struct {
	Name       *string
	Skills     *[]string
	Backup     *string
	OverflowAt *int
}

// Mode says whether SaveTeam creates, changes or does either.
type Mode int

const (
	Add Mode = iota // the team must not exist; a name is required
	Set             // the team must exist
	Put             // either
)

// SaveTeam checks c against the teams as stored and stores the team. It
// reports whether it created it.
func (s Service) SaveTeam(ctx context.Context, id string, c TeamChange, mode Mode) (store.Team, bool, error) {
	teams, err := s.Store.Teams(ctx)
	if err != nil {
		return store.Team{}, false, err
	}
	find := func(id string) (store.Team, bool) {
		i := slices.IndexFunc(teams, func(t store.Team) bool { return t.ID == id })
		if i < 0 {
			return store.Team{}, false
		}
		return teams[i], true
	}
	t, exists := find(id)
	switch {
	case mode == Add && exists:
		return t, false, fmt.Errorf("%w: %q exists", store.ErrConflict, id)
	case mode == Set && !exists:
		return t, false, fmt.Errorf("%w: no team %q", store.ErrNotFound, id)
	case !exists && !TeamRE.MatchString(id):
		return t, false, s.invalid("id %q: use 1-64 lower-case letters, digits, '.', '_' or '-'", id)
	case !exists && c.Name == nil:
		return t, false, s.invalid("%s is required", s.name("name"))
	}
	t.ID = id
	if c.Name != nil {
		n := protocol.CleanDisplay(*c.Name)
		if n == "" || utf8.RuneCountInString(n) > MaxNameRunes {
			return t, false, s.invalid("%s must have 1-%d characters", s.name("name"), MaxNameRunes)
		}
		t.Name = n
	}
	if c.Skills != nil {
		t.Skills = CleanList(*c.Skills)
	}
	if c.Backup != nil {
		t.Backup = strings.TrimSpace(*c.Backup)
		if t.Backup == id {
			return t, false, s.invalid("%s cannot be the team itself", s.name("backup"))
		}
		if _, ok := find(t.Backup); t.Backup != "" && !ok {
			return t, false, s.invalid("%s: no team %q", s.name("backup"), t.Backup)
		}
	}
	if c.OverflowAt != nil {
		if *c.OverflowAt < 0 || *c.OverflowAt > MaxOverflowAt {
			return t, false, s.invalid("%s must be 0 (never) to %d", s.name("overflow_at"), MaxOverflowAt)
		}
		t.OverflowAt = *c.OverflowAt
	}
	if t.OverflowAt > 0 && t.Backup == "" {
		return t, false, s.invalid("%s needs a %s team to overflow to", s.name("overflow_at"), s.name("backup"))
	}
	if err := s.Store.UpsertTeam(ctx, t); err != nil {
		return t, false, err
	}
	return t, !exists, nil
}

// SLAChange is what may change of a team's SLA, in milliseconds; nil
// fields stay, 0 turns one off.
type SLAChange struct {
	WaitMS, FirstResponseMS, NextResponseMS *int64
}

// SetSLA checks and stores a team's SLA thresholds.
func (s Service) SetSLA(ctx context.Context, id string, c SLAChange) (store.Team, error) {
	teams, err := s.Store.Teams(ctx)
	if err != nil {
		return store.Team{}, err
	}
	i := slices.IndexFunc(teams, func(t store.Team) bool { return t.ID == id })
	if i < 0 {
		return store.Team{}, fmt.Errorf("%w: no team %q", store.ErrNotFound, id)
	}
	sla := teams[i].SLA
	for _, f := range []struct {
		name string
		dst  *int64
		v    *int64
	}{{"wait", &sla.WaitMS, c.WaitMS}, {"first_response", &sla.FirstResponseMS, c.FirstResponseMS}, {"next_response", &sla.NextResponseMS, c.NextResponseMS}} {
		if f.v == nil {
			continue
		}
		if *f.v < 0 || *f.v > MaxSLAMS {
			return store.Team{}, s.invalid("%s must be from 0 (none) to 720h", s.name(f.name))
		}
		*f.dst = *f.v
	}
	return s.Store.SetTeamSLA(ctx, id, sla)
}
