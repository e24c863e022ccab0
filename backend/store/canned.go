package store

import "context"

// CannedResponse is a shared reply staff insert by its shortcut: global
// (Team "") or one team's. Its shortcut is unique within its scope.
type CannedResponse struct {
	ID       string
	Team     string // "" for global
	Title    string
	Shortcut string // lower case, without the "/"
	TextZH   string
	TextEN   string
	// UpdatedBy names who saved it last (a display name, or the admin
	// command); UpdatedAt is when, set by the store (unix milliseconds).
	UpdatedBy string
	UpdatedAt int64
}

// CannedResponses keeps the shared canned responses (package canned holds
// their rules).
type CannedResponses interface {
	// CannedResponses lists every canned response, global ones first, then
	// by team and shortcut.
	CannedResponses(ctx context.Context) ([]CannedResponse, error)
	// PutCannedResponse creates the response with r.ID or replaces it,
	// and returns it as stored. ErrConflict: another response of r.Team
	// has r.Shortcut.
	PutCannedResponse(ctx context.Context, r CannedResponse) (CannedResponse, error)
	// DeleteCannedResponse removes a response; ErrNotFound if there is
	// none with id.
	DeleteCannedResponse(ctx context.Context, id string) error
}
