// Package api is the HTTP integration API for CRMs, order systems and
// admins (/api/v1/customers, conversations, agents, teams, kb, canned,
// business-hours, webhooks):
// authentication by API key (package apikeys) with scopes and a rate limit
// per key, strict JSON in and out, coded errors in the shape of the other
// HTTP endpoints, cursor paging. It is transport only: the changes go
// through the store and the services the CLI uses (webhooks.Admin,
// kbedit), and what the server must do after a change (update an open
// conversation, tell the running nodes) are hooks in Config.
// docs/openapi.yaml describes every endpoint; the tests check the real
// server's answers against it.
package api

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"switchboard/backend/apikeys"
	"switchboard/backend/hours"
	"switchboard/backend/kbedit"
	"switchboard/backend/notice"
	"switchboard/backend/store"
	"switchboard/backend/webhooks"
	"switchboard/protocol"
)

// MaxBody caps a request body.
const MaxBody = 1 << 20

// Pages: the default and the most items a list answers at once.
const (
	DefaultPage = 50
	MaxPage     = 200
)

// Config wires the API to the server. Store, Keys, KB and the hooks are
// required.
type Config struct {
	Store store.Store
	Keys  *apikeys.Service
	KB    *kbedit.Editor
	// Sites are the ids of the sites in the sites file: a customer is
	// pushed for one of them (?site=, else the only one).
	Sites []string
	// RefreshVerified brings the customer's open conversation, if any, to
	// their verified fields and tells its readers.
	RefreshVerified func(ctx context.Context, customerID string, verified map[string]string) error
	// Changed applies an admin change on this node and tells the others,
	// as the admin commands' notice does.
	Changed func(ctx context.Context, n notice.Notice) error
	// KBPublished puts a new knowledge base version to work everywhere.
	KBPublished func(ctx context.Context)
	// DefaultHours are the global business hours while none are stored
	// (the server's --business-hours; nil: always open).
	DefaultHours *hours.Schedule
	Now          func() time.Time
	Log          *slog.Logger
}

// API serves the integration API.
type API struct {
	cfg      Config
	webhooks webhooks.Admin
}

// New returns the API of cfg.
func New(cfg Config) *API {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	return &API{cfg: cfg, webhooks: webhooks.Admin{Store: cfg.Store, Now: cfg.Now}}
}

// Route is one path of the API and its handler, which answers every
// method (a method the path does not serve gets a coded error).
type Route struct {
	Pattern string
	Handler http.HandlerFunc
}

// Routes lists the API's paths for the server's mux.
func (a *API) Routes() []Route {
	return []Route{
		{"/api/v1/customers/{user_id}", a.methods(map[string]endpoint{"PUT": {apikeys.ScopeCustomersWrite, a.putCustomer}})},
		{"/api/v1/conversations", a.methods(map[string]endpoint{"GET": {apikeys.ScopeConversationsRead, a.listConversations}})},
		{"/api/v1/conversations/{id}", a.methods(map[string]endpoint{"GET": {apikeys.ScopeConversationsRead, a.getConversation}})},
		{"/api/v1/conversations/{id}/messages", a.methods(map[string]endpoint{"GET": {apikeys.ScopeConversationsRead, a.listMessages}})},
		{"/api/v1/agents", a.methods(map[string]endpoint{"GET": {apikeys.ScopeAdmin, a.listAgents}})},
		{"/api/v1/agents/{id}", a.methods(map[string]endpoint{"GET": {apikeys.ScopeAdmin, a.getAgent}, "PATCH": {apikeys.ScopeAdmin, a.patchAgent}})},
		{"/api/v1/teams", a.methods(map[string]endpoint{"GET": {apikeys.ScopeAdmin, a.listTeams}})},
		{"/api/v1/teams/{id}", a.methods(map[string]endpoint{"GET": {apikeys.ScopeAdmin, a.getTeam}, "PUT": {apikeys.ScopeAdmin, a.putTeam}})},
		{"/api/v1/kb", a.methods(map[string]endpoint{"GET": {apikeys.ScopeAdmin, a.getKB}})},
		{"/api/v1/kb/edits", a.methods(map[string]endpoint{"POST": {apikeys.ScopeAdmin, a.postKBEdit}})},
		{"/api/v1/canned", a.methods(map[string]endpoint{"GET": {apikeys.ScopeAdmin, a.listCanned}, "POST": {apikeys.ScopeAdmin, a.postCanned}})},
		{"/api/v1/canned/{id}", a.methods(map[string]endpoint{"PATCH": {apikeys.ScopeAdmin, a.patchCanned}, "DELETE": {apikeys.ScopeAdmin, a.deleteCanned}})},
		{"/api/v1/business-hours", a.methods(map[string]endpoint{"GET": {apikeys.ScopeAdmin, a.listHours}, "PUT": {apikeys.ScopeAdmin, a.putHours}, "DELETE": {apikeys.ScopeAdmin, a.deleteHours}})},
		{"/api/v1/business-hours/{team}", a.methods(map[string]endpoint{"GET": {apikeys.ScopeAdmin, a.getHours}, "PUT": {apikeys.ScopeAdmin, a.putHours}, "DELETE": {apikeys.ScopeAdmin, a.deleteHours}})},
		{"/api/v1/webhooks", a.methods(map[string]endpoint{"GET": {apikeys.ScopeAdmin, a.listWebhooks}, "POST": {apikeys.ScopeAdmin, a.postWebhook}})},
		{"/api/v1/webhooks/{id}", a.methods(map[string]endpoint{"PATCH": {apikeys.ScopeAdmin, a.patchWebhook}, "DELETE": {apikeys.ScopeAdmin, a.deleteWebhook}})},
		{"/api/v1/webhooks/{id}/dead", a.methods(map[string]endpoint{"GET": {apikeys.ScopeAdmin, a.listDead}})},
		{"/api/v1/webhooks/{id}/replay", a.methods(map[string]endpoint{"POST": {apikeys.ScopeAdmin, a.replay}})},
	}
}

// request is one authenticated call.
type request struct {
	r   *http.Request
	w   http.ResponseWriter
	key store.APIKey
}

// actor names the key in the audit log.
func (q request) actor() string { return "apikey:" + q.key.ID }

type endpoint struct {
	scope string
	fn    func(request) (int, any, *protocol.Error)
}

// methods authenticates, limits and dispatches a path's calls by method.
func (a *API) methods(eps map[string]endpoint) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		key, perr := a.authenticate(r)
		if perr != nil {
			writeError(w, perr)
			return
		}
		if ok, wait := a.cfg.Keys.Allow(key.ID); !ok {
			w.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(max(wait.Seconds(), 1)))))
			writeError(w, protocol.ErrRateLimited)
			return
		}
		ep, ok := eps[r.Method]
		if !ok {
			allowed := make([]string, 0, len(eps))
			for m := range eps {
				allowed = append(allowed, m)
			}
			writeError(w, protocol.ErrInvalid.WithMessage("use %s", strings.Join(slices.Sorted(slices.Values(allowed)), " or ")))
			return
		}
		if !apikeys.Has(key, ep.scope) {
			writeError(w, protocol.ErrForbidden.WithMessage("this key lacks the %s scope", ep.scope))
			return
		}
		status, body, perr := ep.fn(request{r: r, w: w, key: key})
		if perr != nil {
			writeError(w, perr)
			return
		}
		if body == nil {
			w.WriteHeader(status)
			return
		}
		writeJSON(w, status, body)
	}
}

func (a *API) authenticate(r *http.Request) (store.APIKey, *protocol.Error) {
	h := r.Header.Get("Authorization")
	tok, ok := strings.CutPrefix(h, "Bearer ")
	if !ok || !strings.HasPrefix(tok, apikeys.Prefix) {
		return store.APIKey{}, protocol.ErrUnauthorized.WithMessage("send an API key: Authorization: Bearer sbk_…")
	}
	k, err := a.cfg.Keys.Verify(r.Context(), tok)
	if errors.Is(err, apikeys.ErrUnknown) {
		return store.APIKey{}, protocol.ErrUnauthorized.WithMessage("unknown or revoked API key")
	}
	if err != nil {
		a.cfg.Log.Error("verify api key", "err", err)
		return store.APIKey{}, protocol.ErrInternal
	}
	return k, nil
}

// internal logs err and returns the coded internal error.
func (a *API) internal(what string, err error) *protocol.Error {
	a.cfg.Log.Error("api: "+what, "err", err)
	return protocol.ErrInternal
}

// audit records an admin change (or a read) made with q's key.
func (a *API) audit(q request, action, conversationID, detail string) {
	if err := a.cfg.Store.AddAudit(q.r.Context(), store.AuditEntry{Actor: q.actor(), Action: action,
		ConversationID: conversationID, Detail: detail}); err != nil {
		a.cfg.Log.Warn("api: audit", "action", action, "err", err)
	}
}

// changed tells this node and the others about an admin change.
func (a *API) changed(ctx context.Context, n notice.Notice) {
	if err := a.cfg.Changed(ctx, n); err != nil {
		a.cfg.Log.Warn("api: apply change notice", "kind", n.Kind, "id", n.ID, "err", err)
	}
}

// readBody decodes a JSON object into v: at most MaxBody bytes, no
// unknown fields, nothing after it.
func readBody(q request, v any) *protocol.Error {
	body, err := io.ReadAll(http.MaxBytesReader(q.w, q.r.Body, MaxBody))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return protocol.ErrFrameTooLarge.WithMessage("request body exceeds %d bytes", MaxBody)
		}
		return protocol.ErrInvalid.WithMessage("cannot read request body")
	}
	if len(strings.TrimSpace(string(body))) == 0 {
		return protocol.ErrInvalid.WithMessage("request body must be a JSON object")
	}
	dec := json.NewDecoder(strings.NewReader(string(body)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var syn *json.SyntaxError
		var typ *json.UnmarshalTypeError
		switch {
		case errors.As(err, &syn), errors.Is(err, io.ErrUnexpectedEOF):
			return protocol.ErrMalformed.WithMessage("request body is not a valid JSON object")
		case errors.As(err, &typ):
			return protocol.ErrInvalid.WithMessage("field %q must be %s", typ.Field, typ.Type.Kind())
		case strings.HasPrefix(err.Error(), "json: unknown field"):
			return protocol.ErrInvalid.WithMessage("%s", strings.TrimPrefix(err.Error(), "json: "))
		}
		return protocol.ErrMalformed.WithMessage("request body is not a valid JSON object")
	}
	if dec.More() {
		return protocol.ErrMalformed.WithMessage("request body must hold one JSON object")
	}
	return nil
}

// httpStatus maps a coded error onto its HTTP status, as the server's
// other endpoints do.
func httpStatus(e *protocol.Error) int {
	switch e.Code {
	case protocol.ErrMalformed.Code, protocol.ErrInvalid.Code, protocol.ErrTextTooLong.Code:
		return http.StatusBadRequest
	case protocol.ErrUnknownVariable.Code:
		return http.StatusUnprocessableEntity
	case protocol.ErrDuplicateShortcut.Code:
		return http.StatusConflict
	case protocol.ErrUnauthorized.Code:
		return http.StatusUnauthorized
	case protocol.ErrForbidden.Code:
		return http.StatusForbidden
	case protocol.ErrNotFound.Code:
		return http.StatusNotFound
	case protocol.ErrConflict.Code:
		return http.StatusConflict
	case protocol.ErrFrameTooLarge.Code:
		return http.StatusRequestEntityTooLarge
	case protocol.ErrRateLimited.Code:
		return http.StatusTooManyRequests
	case protocol.ErrUnavailable.Code:
		return http.StatusServiceUnavailable
	}
	return http.StatusInternalServerError
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

func writeError(w http.ResponseWriter, e *protocol.Error) {
	writeJSON(w, httpStatus(e), map[string]*protocol.Error{"error": e})
}

// pageLimit reads ?limit= (DefaultPage when absent).
func pageLimit(q request) (int, *protocol.Error) {
	raw := q.r.URL.Query().Get("limit")
	if raw == "" {
		return DefaultPage, nil
	}
	n, err := strconv.Atoi(raw)
	if err != nil || n < 1 || n > MaxPage {
		return 0, protocol.ErrInvalid.WithMessage("limit must be a whole number from 1 to %d", MaxPage)
	}
	return n, nil
}
