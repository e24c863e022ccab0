package store

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"

	"switchboard/backend/seal"
)

// OpenOptions are what every engine is opened with.
type OpenOptions struct {
	// KEK, when set, turns on encryption at rest in an engine that has it
	// (see Resealer); nil stores plaintext. An engine without encryption at
	// rest refuses a KEK rather than ignore it.
	KEK seal.KEK
}

// Opener opens a store of one engine. source is the store URL after its
// scheme and colon: for "sqlite:/var/lib/switchboard/switchboard.db" it is
// "/var/lib/switchboard/switchboard.db".
type Opener func(ctx context.Context, source string, opts OpenOptions) (Store, error)

// plannedSchemes are the engines a binary may be built without: their
// URLs get a clear answer instead of "unknown scheme".
var plannedSchemes = []string{"postgres", "postgresql"}

// ErrNotBuilt means the store URL names an engine this program was built
// without.
var ErrNotBuilt = errors.New("store engine not built")

var (
	openersMu sync.RWMutex
	openers   = map[string]Opener{}
)

// Register makes an engine available to Open under a URL scheme
// (lowercase, without the colon), the way database/sql drivers register:
// from the engine package's init, so that a program links exactly the
// engines it imports. It panics when the scheme is registered twice.
func Register(scheme string, open Opener) {
	openersMu.Lock()
	defer openersMu.Unlock()
	if open == nil {
		panic("store: Register of a nil opener for " + scheme)
	}
	if _, dup := openers[scheme]; dup {
		panic("store: Register called twice for " + scheme)
	}
	openers[scheme] = open
}

// Schemes returns the registered URL schemes, sorted.
func Schemes() []string {
	openersMu.RLock()
	defer openersMu.RUnlock()
	var s []string
	for k := range openers {
		s = append(s, k)
	}
	slices.Sort(s)
	return s
}

// Open opens the store a URL names, "scheme:source", with the engine
// registered for its scheme: "sqlite:PATH" with package store/sqlite
// imported. A scheme of a planned engine answers ErrNotBuilt, any other
// unregistered one an error listing the registered schemes.
func Open(ctx context.Context, url string, opts OpenOptions) (Store, error) {
	scheme, source, err := SplitURL(url)
	if err != nil {
		return nil, err
	}
	openersMu.RLock()
	open := openers[scheme]
	openersMu.RUnlock()
	if open == nil {
		if slices.Contains(plannedSchemes, scheme) {
			return nil, fmt.Errorf("store %s: %w: the %s engine is not built into this binary", scheme, ErrNotBuilt, scheme)
		}
		return nil, fmt.Errorf("store: unknown scheme %q (known: %s)", scheme, strings.Join(Schemes(), ", "))
	}
	st, err := open(ctx, source, opts)
	if err != nil {
		return nil, fmt.Errorf("open %s store: %w", scheme, err)
	}
	return st, nil
}

// SplitURL splits a store URL into its lowercased scheme and the rest after
// the colon. The rest is the engine's to read: a path need not be escaped
// (a Windows drive letter's colon comes after the scheme's).
func SplitURL(url string) (scheme, source string, err error) {
	scheme, source, ok := strings.Cut(url, ":")
	if !ok || !validScheme(scheme) {
		// The URL is not repeated: it may hold a password.
		return "", "", errors.New("store: want a URL scheme:source, such as sqlite:/path/to/switchboard.db")
	}
	return strings.ToLower(scheme), source, nil
}

// validScheme reports whether s is a URL scheme (RFC 3986): a letter, then
// letters, digits, "+", "-" or ".". A single letter is refused, so that a
// bare Windows path is not read as a URL.
func validScheme(s string) bool {
	if len(s) < 2 {
		return false
	}
	for i, r := range s {
		switch {
		case 'a' <= r && r <= 'z', 'A' <= r && r <= 'Z':
		case i > 0 && ('0' <= r && r <= '9' || r == '+' || r == '-' || r == '.'):
		default:
			return false
		}
	}
	return true
}
