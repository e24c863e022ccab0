package sqlite

import (
	"context"
	"errors"
	"strings"

	"switchboard/backend/store"
)

// Scheme is the store URL scheme of this engine: "sqlite:PATH" (also
// "sqlite:///abs/path" and "sqlite://rel/path").
const Scheme = "sqlite"

func init() {
	store.Register(Scheme, OpenURL)
}

// OpenURL is the engine's store.Opener: source is the database path, after
// an optional "//".
func OpenURL(ctx context.Context, source string, opts store.OpenOptions) (store.Store, error) {
	path := strings.TrimPrefix(source, "//")
	if path == "" {
		return nil, errors.New("no database path (want sqlite:/path/to/switchboard.db)")
	}
	st, err := Open(ctx, path, Options{KEK: opts.KEK})
	if err != nil {
		return nil, err
	}
	return st, nil
}
