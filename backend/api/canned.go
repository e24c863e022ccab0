package api

import (
	"net/http"

	"switchboard/backend/canned"
	"switchboard/backend/notice"
	"switchboard/backend/store"
	"switchboard/protocol"
)

// Canned is a shared canned response as the API shows it: the protocol's
// CannedResponse.
type Canned = protocol.CannedResponse

// CannedBody is the body of POST /api/v1/canned (team: "" for global) and
// of PATCH /api/v1/canned/{id} (team ignored: a response stays in its
// scope; title, shortcut and text are replaced).
type CannedBody struct {
	Team     string              `json:"team"`
	Title    string              `json:"title"`
	Shortcut string              `json:"shortcut"`
	Text     protocol.CannedText `json:"text"`
}

func toCanned(r store.CannedResponse) Canned {
	return Canned{ID: r.ID, Team: r.Team, Title: r.Title, Shortcut: r.Shortcut,
		Text: protocol.CannedText{ZH: r.TextZH, EN: r.TextEN}, UpdatedBy: r.UpdatedBy, UpdatedAt: r.UpdatedAt}
}

// cannedCaller is an admin key as package canned sees it: it edits every
// scope, global included, as the admin command does.
func cannedCaller(q request) canned.Caller {
	return canned.Caller{ID: q.actor(), Name: "API key " + q.key.Name, Role: canned.RoleAdmin}
}

func (a *API) listCanned(q request) (int, any, *protocol.Error) {
	rs, err := (canned.Service{Store: a.cfg.Store}).List(q.r.Context(), cannedCaller(q))
	if err != nil {
		return 0, nil, a.internal("list canned responses", err)
	}
	out := make([]Canned, 0, len(rs))
	for _, r := range rs {
		out = append(out, toCanned(r))
	}
	return http.StatusOK, map[string][]Canned{"responses": out}, nil
}

func (a *API) editCanned(q request, op string) (int, any, *protocol.Error) {
	var b CannedBody
	if op != protocol.CannedOpDelete {
		if perr := readBody(q, &b); perr != nil {
			return 0, nil, perr
		}
	}
	e := canned.Edit{Op: op, ID: q.r.PathValue("id"), Team: b.Team, Title: b.Title, Shortcut: b.Shortcut, ZH: b.Text.ZH, EN: b.Text.EN}
	r, err := (canned.Service{Store: a.cfg.Store}).Apply(q.r.Context(), cannedCaller(q), e)
	if perr := canned.Coded(err); perr != nil {
		if perr == protocol.ErrInternal {
			return 0, nil, a.internal("edit canned response", err)
		}
		return 0, nil, perr
	}
	// Every node pushes the change to the staff of its scope.
	a.changed(q.r.Context(), notice.Notice{Kind: notice.Canned, ID: r.ID})
	switch op {
	case protocol.CannedOpCreate:
		return http.StatusCreated, toCanned(r), nil
	case protocol.CannedOpDelete:
		return http.StatusNoContent, nil, nil
	}
	return http.StatusOK, toCanned(r), nil
}

func (a *API) postCanned(q request) (int, any, *protocol.Error) {
	return a.editCanned(q, protocol.CannedOpCreate)
}

func (a *API) patchCanned(q request) (int, any, *protocol.Error) {
	return a.editCanned(q, protocol.CannedOpUpdate)
}

func (a *API) deleteCanned(q request) (int, any, *protocol.Error) {
	return a.editCanned(q, protocol.CannedOpDelete)
}
