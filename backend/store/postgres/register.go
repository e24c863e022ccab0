package postgres

import (
	"context"
	"errors"

	"switchboard/backend/store"
)

// Schemes are the store URL schemes of this engine: "postgres://user:pw@host/db"
// (and "postgresql://…"), any URL pgx takes.
var Schemes = []string{"postgres", "postgresql"}

func init() {
	for _, s := range Schemes {
		scheme := s
		store.Register(scheme, func(ctx context.Context, source string, opts store.OpenOptions) (store.Store, error) {
			return OpenURL(ctx, scheme+":"+source, opts)
		})
	}
}

// ErrNoSealing: the engine was given a key-encryption key, but it does not
// encrypt at rest yet.
var ErrNoSealing = errors.New("the postgres engine does not encrypt at rest yet: start without a key-encryption key (--insecure-plaintext)")

// OpenURL opens the database at url (the whole store URL) for the opener.
func OpenURL(ctx context.Context, url string, opts store.OpenOptions) (store.Store, error) {
	if opts.KEK != nil {
		return nil, ErrNoSealing
	}
	st, err := Open(ctx, url, Options{})
	if err != nil {
		return nil, err
	}
	return st, nil
}
