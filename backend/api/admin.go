package api

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"switchboard/backend/kb"
	"switchboard/backend/kbedit"
	"switchboard/backend/notice"
	"switchboard/backend/staffadmin"
	"switchboard/backend/store"
	"switchboard/backend/webhooks"
	"switchboard/protocol"
)

// Agent is a staff account as the API shows it (never its password hash).
type Agent struct {
	ID        string   `json:"id"`
	Username  string   `json:"username"`
	Name      string   `json:"name"`
	Role      string   `json:"role"`
	Teams     []string `json:"teams"`
	Capacity  int      `json:"capacity"`
	Skills    []string `json:"skills"`
	Disabled  bool     `json:"disabled"`
	CreatedAt int64    `json:"created_at"`
}

func toAgent(a store.Agent) Agent {
	return Agent{ID: a.ID, Username: a.Username, Name: a.Name, Role: a.Role, Teams: list(a.Teams), Capacity: a.Capacity,
		Skills: list(a.Skills), Disabled: a.Disabled, CreatedAt: a.CreatedAt}
}

func list(l []string) []string {
	if l == nil {
		return []string{}
	}
	return l
}

func (a *API) listAgents(q request) (int, any, *protocol.Error) {
	as, err := a.cfg.Store.Agents(q.r.Context())
	if err != nil {
		return 0, nil, a.internal("list agents", err)
	}
	out := make([]Agent, 0, len(as))
	for _, ag := range as {
		out = append(out, toAgent(ag))
	}
	return http.StatusOK, map[string][]Agent{"agents": out}, nil
}

func (a *API) agent(q request) (store.Agent, *protocol.Error) {
	id := q.r.PathValue("id")
	ag, err := a.cfg.Store.Agent(q.r.Context(), id)
	if errors.Is(err, store.ErrNotFound) {
		return ag, protocol.ErrNotFound.WithMessage("no agent %q", id)
	}
	if err != nil {
		return ag, a.internal("read agent", err)
	}
	return ag, nil
}

func (a *API) getAgent(q request) (int, any, *protocol.Error) {
	ag, perr := a.agent(q)
	if perr != nil {
		return 0, nil, perr
	}
	return http.StatusOK, toAgent(ag), nil
}

// AgentPatch is the body of PATCH /api/v1/agents/{id}; absent fields stay
// as they are.
type AgentPatch struct {
	Capacity *int      `json:"capacity"`
	Teams    *[]string `json:"teams"`
	Skills   *[]string `json:"skills"`
	Disabled *bool     `json:"disabled"`
}

// patchAgent changes what the agent set command changes (capacity, teams,
// skills) and what disable/enable do, with the same checks, audit entries
// and change notice: open connections take it at once, routing at its
// next pass.
func (a *API) patchAgent(q request) (int, any, *protocol.Error) {
	var p AgentPatch
	if perr := readBody(q, &p); perr != nil {
		return 0, nil, perr
	}
	ag, perr := a.agent(q)
	if perr != nil {
		return 0, nil, perr
	}
	ctx := q.r.Context()
	var detail []string
	ag, err := (staffadmin.Service{Store: a.cfg.Store, Name: staffadmin.JSON}).ApplyAgent(ctx, ag,
		staffadmin.AgentChange{Capacity: p.Capacity, Teams: p.Teams, Skills: p.Skills})
	if err != nil {
		return 0, nil, a.adminError("change agent", err)
	}
	if p.Capacity != nil {
		detail = append(detail, fmt.Sprintf("capacity=%d", ag.Capacity))
	}
	if p.Teams != nil {
		detail = append(detail, "teams="+strings.Join(ag.Teams, ","))
	}
	if p.Skills != nil {
		detail = append(detail, "skills="+strings.Join(ag.Skills, ","))
	}
	if p.Capacity == nil && p.Teams == nil && p.Skills == nil && p.Disabled == nil {
		return 0, nil, protocol.ErrInvalid.WithMessage("give at least one of capacity, teams, skills and disabled")
	}
	stored := ag
	if len(detail) > 0 {
		var err error
		if stored, err = a.cfg.Store.UpsertAgent(ctx, ag); err != nil {
			return 0, nil, a.internal("change agent", err)
		}
		a.audit(q, "agent.set", "", "username="+stored.Username+" "+strings.Join(detail, " "))
	}
	if p.Disabled != nil && *p.Disabled != stored.Disabled {
		var err error
		if stored, err = a.cfg.Store.SetAgentDisabled(ctx, stored.ID, *p.Disabled); err != nil {
			return 0, nil, a.internal("disable agent", err)
		}
		action := "agent.enable"
		if stored.Disabled {
			action = "agent.disable"
		}
		a.audit(q, action, "", "username="+stored.Username)
	}
	a.changed(ctx, notice.Notice{Kind: notice.Agent, ID: stored.ID})
	return http.StatusOK, toAgent(stored), nil
}

// adminError maps a staffadmin or store error onto a coded one.
func (a *API) adminError(what string, err error) *protocol.Error {
	switch {
	case errors.Is(err, staffadmin.ErrInvalid):
		return protocol.ErrInvalid.WithMessage("%s", strings.TrimPrefix(err.Error(), staffadmin.ErrInvalid.Error()+": "))
	case errors.Is(err, store.ErrNotFound):
		return protocol.ErrNotFound.WithMessage("%v", err)
	}
	return a.internal(what, err)
}

// Team is a team as the API shows it.
type Team struct {
	ID         string   `json:"id"`
	Name       string   `json:"name"`
	Skills     []string `json:"skills"`
	Backup     string   `json:"backup"`
	OverflowAt int      `json:"overflow_at"`
	SLA        SLA      `json:"sla"`
}

// SLA are a team's thresholds in milliseconds; 0 means none.
type SLA struct {
	WaitMS          int64 `json:"wait_ms"`
	FirstResponseMS int64 `json:"first_response_ms"`
	NextResponseMS  int64 `json:"next_response_ms"`
}

func toTeam(t store.Team) Team {
	return Team{ID: t.ID, Name: t.Name, Skills: list(t.Skills), Backup: t.Backup, OverflowAt: t.OverflowAt,
		SLA: SLA{WaitMS: t.SLA.WaitMS, FirstResponseMS: t.SLA.FirstResponseMS, NextResponseMS: t.SLA.NextResponseMS}}
}

func (a *API) listTeams(q request) (int, any, *protocol.Error) {
	ts, err := a.cfg.Store.Teams(q.r.Context())
	if err != nil {
		return 0, nil, a.internal("list teams", err)
	}
	out := make([]Team, 0, len(ts))
	for _, t := range ts {
		out = append(out, toTeam(t))
	}
	return http.StatusOK, map[string][]Team{"teams": out}, nil
}

func (a *API) getTeam(q request) (int, any, *protocol.Error) {
	ts, err := a.cfg.Store.Teams(q.r.Context())
	if err != nil {
		return 0, nil, a.internal("list teams", err)
	}
	id := q.r.PathValue("id")
	i := slices.IndexFunc(ts, func(t store.Team) bool { return t.ID == id })
	if i < 0 {
		return 0, nil, protocol.ErrNotFound.WithMessage("no team %q", id)
	}
	return http.StatusOK, toTeam(ts[i]), nil
}

// TeamPut is the body of PUT /api/v1/teams/{id}: the whole team.
type TeamPut struct {
	Name       string   `json:"name"`
	Skills     []string `json:"skills"`
	Backup     string   `json:"backup"`
	OverflowAt int      `json:"overflow_at"`
	SLA        *SLA     `json:"sla"`
}

// putTeam creates or replaces a team (name, skills, overflow and SLA)
// with the team commands' checks, audit entries and change notice.
func (a *API) putTeam(q request) (int, any, *protocol.Error) {
	id := q.r.PathValue("id")
	if !staffadmin.TeamRE.MatchString(id) {
		return 0, nil, protocol.ErrInvalid.WithMessage("team id: use 1-64 lower-case letters, digits, '.', '_' or '-'")
	}
	var p TeamPut
	if perr := readBody(q, &p); perr != nil {
		return 0, nil, perr
	}
	ctx := q.r.Context()
	svc := staffadmin.Service{Store: a.cfg.Store, Name: staffadmin.JSON}
	if p.SLA != nil {
		for _, v := range []int64{p.SLA.WaitMS, p.SLA.FirstResponseMS, p.SLA.NextResponseMS} {
			if v < 0 || v > staffadmin.MaxSLAMS {
				return 0, nil, protocol.ErrInvalid.WithMessage("sla thresholds are milliseconds from 0 (none) to %d (720h)", int64(staffadmin.MaxSLAMS))
			}
		}
	}
	skills := p.Skills
	if skills == nil {
		skills = []string{}
	}
	t, created, err := svc.SaveTeam(ctx, id, staffadmin.TeamChange{Name: &p.Name, Skills: &skills, Backup: &p.Backup, OverflowAt: &p.OverflowAt}, staffadmin.Put)
	if err != nil {
		return 0, nil, a.adminError("put team", err)
	}
	exists := !created
	name := t.Name
	action := "team.set"
	if !exists {
		action = "team.add"
	}
	a.audit(q, action, "", fmt.Sprintf("team=%s name=%s skills=%s backup=%s overflow-at=%d", id, name,
		strings.Join(t.Skills, ","), t.Backup, t.OverflowAt))
	if p.SLA != nil {
		if t, err = svc.SetSLA(ctx, id, staffadmin.SLAChange{WaitMS: &p.SLA.WaitMS, FirstResponseMS: &p.SLA.FirstResponseMS,
			NextResponseMS: &p.SLA.NextResponseMS}); err != nil {
			return 0, nil, a.adminError("set team sla", err)
		}
		a.audit(q, "team.sla", "", fmt.Sprintf("team=%s wait=%dms first-response=%dms next-response=%dms", id,
			t.SLA.WaitMS, t.SLA.FirstResponseMS, t.SLA.NextResponseMS))
	}
	a.changed(ctx, notice.Notice{Kind: notice.Team, ID: id})
	status := http.StatusOK
	if !exists {
		status = http.StatusCreated
	}
	ts, err := a.cfg.Store.Teams(ctx)
	if err != nil {
		return 0, nil, a.internal("list teams", err)
	}
	i := slices.IndexFunc(ts, func(t store.Team) bool { return t.ID == id })
	if i < 0 {
		return 0, nil, a.internal("put team", errors.New("the team vanished"))
	}
	return status, toTeam(ts[i]), nil
}

// KnowledgeBase answers GET /api/v1/kb and POST /api/v1/kb/edits: the
// knowledge base in the kb.json format and its version (0: none stored
// yet, the one the bot answers from).
type KnowledgeBase struct {
	Version int64  `json:"version"`
	KB      *kb.KB `json:"kb"`
	// Closed counts the report's questions a dismissal closed.
	Closed int `json:"closed,omitempty"`
}

func (a *API) getKB(q request) (int, any, *protocol.Error) {
	k, v, err := a.cfg.KB.Current(q.r.Context())
	if err != nil {
		return 0, nil, a.internal("read the knowledge base", err)
	}
	if k == nil {
		k = &kb.KB{Entries: []kb.Entry{}}
	}
	return http.StatusOK, KnowledgeBase{Version: v, KB: k}, nil
}

// KBEdit is the body of POST /api/v1/kb/edits: the kb_edit frame's edit.
type KBEdit struct {
	Op          string    `json:"op"`
	BaseVersion int64     `json:"base_version"`
	EntryID     string    `json:"entry_id,omitempty"`
	Locale      string    `json:"locale,omitempty"`
	Question    string    `json:"question,omitempty"`
	Entry       *kb.Entry `json:"entry,omitempty"`
	Version     int64     `json:"version,omitempty"`
	MissIDs     []string  `json:"miss_ids,omitempty"`
}

func (a *API) postKBEdit(q request) (int, any, *protocol.Error) {
	var d KBEdit
	if perr := readBody(q, &d); perr != nil {
		return 0, nil, perr
	}
	ctx := q.r.Context()
	res, err := a.cfg.KB.Apply(ctx, kbedit.Edit{Op: d.Op, BaseVersion: d.BaseVersion, EntryID: d.EntryID, Locale: d.Locale,
		Question: d.Question, Entry: d.Entry, Version: d.Version, MissIDs: d.MissIDs, Author: "api:" + q.key.Name, Actor: q.actor()})
	switch {
	case errors.Is(err, kbedit.ErrConflict):
		return 0, nil, protocol.ErrConflict.WithMessage("the knowledge base changed since version %d: read it again and redo the edit", d.BaseVersion)
	case errors.Is(err, kbedit.ErrInvalid):
		return 0, nil, protocol.ErrInvalid.WithMessage("%s", err.Error())
	case errors.Is(err, kbedit.ErrNotFound):
		return 0, nil, protocol.ErrNotFound.WithMessage("%s", err.Error())
	case err != nil:
		return 0, nil, a.internal("edit the knowledge base", err)
	}
	if res.Published != nil {
		a.cfg.KBPublished(ctx)
	}
	k := res.KB
	if k == nil {
		k = &kb.KB{Entries: []kb.Entry{}}
	}
	return http.StatusOK, KnowledgeBase{Version: res.Version, KB: k, Closed: res.Closed}, nil
}

// Webhook is an endpoint as the API shows it; Secret only when it was
// just made (shown once).
type Webhook struct {
	ID        string   `json:"id"`
	URL       string   `json:"url"`
	Events    []string `json:"events"`
	Private   bool     `json:"private"`
	Enabled   bool     `json:"enabled"`
	Secret    string   `json:"secret,omitempty"`
	CreatedAt int64    `json:"created_at"`
	UpdatedAt int64    `json:"updated_at"`
}

func toWebhook(e store.WebhookEndpoint) Webhook {
	return Webhook{ID: e.ID, URL: e.URL, Events: list(e.Events), Private: e.Private, Enabled: e.Enabled,
		CreatedAt: e.CreatedAt, UpdatedAt: e.UpdatedAt}
}

// webhookError turns webhooks.Admin's errors into coded ones.
func (a *API) webhookError(what string, err error) *protocol.Error {
	switch {
	case errors.Is(err, webhooks.ErrInvalid):
		return protocol.ErrInvalid.WithMessage("%s", err.Error())
	case errors.Is(err, store.ErrNotFound):
		return protocol.ErrNotFound.WithMessage("no such webhook endpoint")
	case errors.Is(err, store.ErrConflict):
		return protocol.ErrConflict.WithMessage("%s", err.Error())
	}
	return a.internal(what, err)
}

func (a *API) listWebhooks(q request) (int, any, *protocol.Error) {
	es, err := a.webhooks.List(q.r.Context())
	if err != nil {
		return 0, nil, a.internal("list webhooks", err)
	}
	out := make([]Webhook, 0, len(es))
	for _, e := range es {
		out = append(out, toWebhook(e))
	}
	return http.StatusOK, map[string][]Webhook{"webhooks": out}, nil
}

// WebhookSpec is the body of POST /api/v1/webhooks (id and url required)
// and PATCH /api/v1/webhooks/{id} (absent fields stay as they are).
type WebhookSpec struct {
	ID      string    `json:"id,omitempty"`
	URL     *string   `json:"url"`
	Events  *[]string `json:"events"`
	Private *bool     `json:"private"`
	Enabled *bool     `json:"enabled"`
}

func (a *API) postWebhook(q request) (int, any, *protocol.Error) {
	var s WebhookSpec
	if perr := readBody(q, &s); perr != nil {
		return 0, nil, perr
	}
	if s.URL == nil {
		return 0, nil, protocol.ErrInvalid.WithMessage("url is required")
	}
	e, err := a.webhooks.Add(q.r.Context(), s.ID, webhooks.EndpointSpec{URL: s.URL, Events: s.Events, Private: s.Private, Enabled: s.Enabled})
	if err != nil {
		return 0, nil, a.webhookError("add webhook", err)
	}
	a.audit(q, "webhook.add", "", "webhook="+e.ID+" url="+e.URL)
	out := toWebhook(e)
	out.Secret = e.Secret
	return http.StatusCreated, out, nil
}

func (a *API) patchWebhook(q request) (int, any, *protocol.Error) {
	var s WebhookSpec
	if perr := readBody(q, &s); perr != nil {
		return 0, nil, perr
	}
	if s.ID != "" {
		return 0, nil, protocol.ErrInvalid.WithMessage("the id is the path's; it cannot change")
	}
	e, err := a.webhooks.Update(q.r.Context(), q.r.PathValue("id"), webhooks.EndpointSpec{URL: s.URL, Events: s.Events, Private: s.Private, Enabled: s.Enabled})
	if err != nil {
		return 0, nil, a.webhookError("change webhook", err)
	}
	a.audit(q, "webhook.set", "", fmt.Sprintf("webhook=%s url=%s enabled=%v private=%v", e.ID, e.URL, e.Enabled, e.Private))
	return http.StatusOK, toWebhook(e), nil
}

func (a *API) deleteWebhook(q request) (int, any, *protocol.Error) {
	id := q.r.PathValue("id")
	if err := a.webhooks.Remove(q.r.Context(), id); err != nil {
		return 0, nil, a.webhookError("remove webhook", err)
	}
	a.audit(q, "webhook.remove", "", "webhook="+id)
	return http.StatusNoContent, nil, nil
}

// DeadLetter is a delivery given up on.
type DeadLetter struct {
	ID             int64  `json:"id"`
	ConversationID string `json:"conversation_id"`
	Seq            int64  `json:"seq"`
	EventType      string `json:"event_type"`
	Attempts       int    `json:"attempts"`
	LastStatus     int    `json:"last_status"`
	LastError      string `json:"last_error"`
	CreatedAt      int64  `json:"created_at"`
	DoneAt         int64  `json:"done_at"`
}

func (a *API) listDead(q request) (int, any, *protocol.Error) {
	limit, perr := pageLimit(q)
	if perr != nil {
		return 0, nil, perr
	}
	ds, err := a.webhooks.DeadLetters(q.r.Context(), q.r.PathValue("id"), limit)
	if err != nil {
		return 0, nil, a.webhookError("list dead letters", err)
	}
	out := make([]DeadLetter, 0, len(ds))
	for _, d := range ds {
		out = append(out, DeadLetter{ID: d.ID, ConversationID: d.ConversationID, Seq: d.Seq, EventType: d.EventType,
			Attempts: d.Attempts, LastStatus: d.LastStatus, LastError: d.LastError, CreatedAt: d.CreatedAt, DoneAt: d.DoneAt})
	}
	return http.StatusOK, map[string][]DeadLetter{"dead": out}, nil
}

// Replay is the body of POST /api/v1/webhooks/{id}/replay: the dead
// deliveries to send again (none: all of them).
type Replay struct {
	IDs []int64 `json:"ids"`
}

func (a *API) replay(q request) (int, any, *protocol.Error) {
	var r Replay
	if perr := readBody(q, &r); perr != nil {
		return 0, nil, perr
	}
	id := q.r.PathValue("id")
	n, err := a.webhooks.Replay(q.r.Context(), id, r.IDs)
	if err != nil {
		return 0, nil, a.webhookError("replay dead letters", err)
	}
	a.audit(q, "webhook.replay", "", fmt.Sprintf("webhook=%s replayed=%d", id, n))
	return http.StatusOK, map[string]int{"replayed": n}, nil
}
