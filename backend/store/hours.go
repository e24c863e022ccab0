package store

import "context"

// BusinessHours are stored business hours: the global ones (Team "") or a
// team's own (package hours parses and checks them).
type BusinessHours struct {
	Team     string // "" for global
	Timezone string // IANA name; "" is UTC
	Weekly   string // e.g. "mon-fri 09:00-18:00; sat 10:00-16:00"
	Closed   []string
	// UpdatedBy names who saved them last; UpdatedAt is when, set by the
	// store (unix milliseconds).
	UpdatedBy string
	UpdatedAt int64
}

// Hours keeps the business hours.
type Hours interface {
	// BusinessHours lists the stored hours: the global ones first (when
	// stored), then the teams' by team id.
	BusinessHours(ctx context.Context) ([]BusinessHours, error)
	// PutBusinessHours stores h, replacing the hours stored for h.Team,
	// and returns them as stored.
	PutBusinessHours(ctx context.Context, h BusinessHours) (BusinessHours, error)
	// DeleteBusinessHours removes the hours of team ("" for the global
	// ones); ErrNotFound if none are stored. Deleting a team deletes its
	// hours too.
	DeleteBusinessHours(ctx context.Context, team string) error
}
