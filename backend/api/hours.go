package api

import (
	"errors"
	"net/http"
	"strings"

	"switchboard/backend/hours"
	"switchboard/backend/notice"
	"switchboard/backend/store"
	"switchboard/protocol"
)

// BusinessHours are the hours of one scope as the API shows them: Team ""
// for the global ones; Source stored, default (the server's
// --business-hours, nothing stored) or global (a team without its own).
// Weekly "always" is open round the clock. NextOpenAt (unix milliseconds)
// is set while closed, unless they do not open within a year.
type BusinessHours struct {
	Team       string   `json:"team"`
	Source     string   `json:"source"`
	Timezone   string   `json:"timezone"`
	Weekly     string   `json:"weekly"`
	Closed     []string `json:"closed"`
	OpenNow    bool     `json:"open_now"`
	NextOpenAt int64    `json:"next_open_at,omitempty"`
	UpdatedBy  string   `json:"updated_by"`
	UpdatedAt  int64    `json:"updated_at"`
}

// HoursBody is the body of PUT /api/v1/business-hours and
// /api/v1/business-hours/{team}: the whole hours of the scope.
type HoursBody struct {
	Timezone string   `json:"timezone"`
	Weekly   string   `json:"weekly"`
	Closed   []string `json:"closed"`
}

func (a *API) toHours(e hours.Entry) BusinessHours {
	spec := e.Schedule.Spec()
	if e.Schedule == nil {
		spec.Weekly = hours.Always
	}
	out := BusinessHours{Team: e.Team, Source: e.Source, Timezone: spec.Timezone, Weekly: spec.Weekly, Closed: list(spec.Closed),
		UpdatedBy: e.UpdatedBy, UpdatedAt: e.UpdatedAt}
	open, next := e.OpenNow(a.cfg.Now())
	out.OpenNow = open
	if !next.IsZero() {
		out.NextOpenAt = next.UnixMilli()
	}
	return out
}

func (a *API) hoursService() hours.Service {
	return hours.Service{Store: a.cfg.Store, Default: a.cfg.DefaultHours}
}

// hoursCaller is an API key as the hours' audit entries and updated_by
// name it.
func hoursCaller(q request) hours.Caller {
	return hours.Caller{ID: q.actor(), Name: "API key " + q.key.Name}
}

// hoursError turns package hours' errors into coded ones.
func (a *API) hoursError(what string, err error) *protocol.Error {
	switch {
	case errors.Is(err, hours.ErrInvalid):
		return protocol.ErrInvalid.WithMessage("%s", strings.TrimPrefix(err.Error(), hours.ErrInvalid.Error()+": "))
	case errors.Is(err, store.ErrNotFound):
		return protocol.ErrNotFound.WithMessage("%s", strings.TrimSuffix(err.Error(), ": "+store.ErrNotFound.Error()))
	}
	return a.internal(what, err)
}

func (a *API) listHours(q request) (int, any, *protocol.Error) {
	global, teams, err := a.hoursService().List(q.r.Context())
	if err != nil {
		return 0, nil, a.internal("list business hours", err)
	}
	out := struct {
		Global BusinessHours   `json:"global"`
		Teams  []BusinessHours `json:"teams"`
	}{Global: a.toHours(global), Teams: make([]BusinessHours, 0, len(teams))}
	for _, e := range teams {
		out.Teams = append(out.Teams, a.toHours(e))
	}
	return http.StatusOK, out, nil
}

func (a *API) getHours(q request) (int, any, *protocol.Error) {
	e, err := a.hoursService().Get(q.r.Context(), q.r.PathValue("team"))
	if err != nil {
		return 0, nil, a.hoursError("read business hours", err)
	}
	return http.StatusOK, a.toHours(e), nil
}

// putHours stores the hours of the scope and tells the nodes: queued
// customers learn at once whether they are within hours.
func (a *API) putHours(q request) (int, any, *protocol.Error) {
	var b HoursBody
	if perr := readBody(q, &b); perr != nil {
		return 0, nil, perr
	}
	team := q.r.PathValue("team")
	ctx := q.r.Context()
	e, err := a.hoursService().Set(ctx, hoursCaller(q), team, hours.Spec{Timezone: b.Timezone, Weekly: b.Weekly, Closed: b.Closed})
	if err != nil {
		return 0, nil, a.hoursError("set business hours", err)
	}
	a.changed(ctx, notice.Notice{Kind: notice.Hours, ID: team})
	return http.StatusOK, a.toHours(e), nil
}

// deleteHours removes the stored hours of the scope and answers the hours
// now in force there.
func (a *API) deleteHours(q request) (int, any, *protocol.Error) {
	team := q.r.PathValue("team")
	ctx := q.r.Context()
	svc := a.hoursService()
	if err := svc.Clear(ctx, hoursCaller(q), team); err != nil {
		return 0, nil, a.hoursError("clear business hours", err)
	}
	a.changed(ctx, notice.Notice{Kind: notice.Hours, ID: team})
	e, err := svc.Get(ctx, team)
	if err != nil {
		return 0, nil, a.hoursError("read business hours", err)
	}
	return http.StatusOK, a.toHours(e), nil
}
