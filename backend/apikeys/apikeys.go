// Package apikeys holds the keys of the HTTP integration API: their form
// (sbk_<id>_<secret>), their scopes, how they are made, checked and
// revoked, and each key's rate limit. The CLI makes and revokes keys
// through Service; the API's handlers check every request's key with it.
//
// Only the SHA-256 of a key's secret is stored. A plain hash, not a slow
// password hash such as argon2id, is enough because the secret is 256
// random bits made by the server, not a word a person chose: there is no
// dictionary to try, and a fast hash keeps the check of every request
// cheap. The lookup goes by the key's id, and the hashes are compared in
// constant time.
package apikeys

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"golang.org/x/time/rate"

	"switchboard/backend/store"
)

// Prefix starts every key, so that a leaked key is recognizable (secret
// scanners, logs).
const Prefix = "sbk_"

// Scopes a key may hold.
const (
	// ScopeCustomersWrite pushes customers' profiles and fields.
	ScopeCustomersWrite = "customers:write"
	// ScopeConversationsRead looks up conversations and their messages.
	ScopeConversationsRead = "conversations:read"
	// ScopeAdmin manages agents, teams, the knowledge base and webhooks,
	// and reads internal notes.
	ScopeAdmin = "admin"
)

// AllScopes lists the scopes in the order they are documented.
var AllScopes = []string{ScopeCustomersWrite, ScopeConversationsRead, ScopeAdmin}

// Errors; compare with errors.Is.
var (
	// ErrInvalid: a name or scope list that cannot be a key's.
	ErrInvalid = errors.New("invalid api key")
	// ErrUnknown: no such key, a revoked one, or a wrong secret. Callers
	// are not told which.
	ErrUnknown = errors.New("unknown or revoked api key")
)

// TouchEvery is how often a key's last use is written at most: the list
// shows it to the minute, and a busy key does not write on every request.
const TouchEvery = time.Minute

// Default rate limit of each key: requests a second, and the burst.
const (
	DefaultRate  = 20
	DefaultBurst = 40
)

// Hash is the stored form of a key's secret: its SHA-256 in hex.
func Hash(secret string) string {
	h := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(h[:])
}

// Parse splits a key into its id and secret.
func Parse(key string) (id, secret string, ok bool) {
	rest, found := strings.CutPrefix(key, Prefix)
	if !found {
		return "", "", false
	}
	id, secret, found = strings.Cut(rest, "_")
	if !found || id == "" || len(id) > 32 || secret == "" || len(secret) > 128 {
		return "", "", false
	}
	return id, secret, true
}

// ParseScopes reads a comma-separated scope list: each scope known, none
// twice, at least one.
func ParseScopes(list string) ([]string, error) {
	var out []string
	for _, s := range strings.Split(list, ",") {
		s = strings.TrimSpace(s)
		if s == "" {
			continue
		}
		if !slices.Contains(AllScopes, s) {
			return nil, fmt.Errorf("%w: unknown scope %q (want %s)", ErrInvalid, s, strings.Join(AllScopes, ", "))
		}
		if !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%w: give at least one scope (%s)", ErrInvalid, strings.Join(AllScopes, ", "))
	}
	return out, nil
}

// Has reports whether k holds scope.
func Has(k store.APIKey, scope string) bool { return slices.Contains(k.Scopes, scope) }

// Config configures a Service. Zero values mean the defaults.
type Config struct {
	Store store.APIKeys
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Rate is each key's sustained rate in requests a second (0:
	// DefaultRate); Burst the requests it may make at once (0:
	// DefaultBurst).
	Rate  float64
	Burst int
}

// Service makes, checks and revokes keys, and limits each key's rate.
type Service struct {
	cfg Config

	// mu guards limits.
	mu sync.Mutex
	// limits holds one token bucket per key that made a request with its
	// right secret; only good keys get one, so bad requests cannot grow
	// it.
	limits map[string]*rate.Limiter
}

// New returns a service of the keys in cfg.Store.
func New(cfg Config) *Service {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Rate <= 0 {
		cfg.Rate = DefaultRate
	}
	if cfg.Burst <= 0 {
		cfg.Burst = DefaultBurst
	}
	return &Service{cfg: cfg, limits: make(map[string]*rate.Limiter)}
}

// Create makes a key named name with scopes and returns it as stored and
// the whole key, which is shown once and never again: only its hash is
// kept. by names the maker in the audit log's terms.
func (s *Service) Create(ctx context.Context, name string, scopes []string, by string) (store.APIKey, string, error) {
	name = strings.TrimSpace(name)
	if name == "" || utf8.RuneCountInString(name) > 64 || !utf8.ValidString(name) {
		return store.APIKey{}, "", fmt.Errorf("%w: the name must have 1 to 64 characters", ErrInvalid)
	}
	scopes, err := ParseScopes(strings.Join(scopes, ","))
	if err != nil {
		return store.APIKey{}, "", err
	}
	idb, secretb := make([]byte, 8), make([]byte, 32)
	rand.Read(idb)
	rand.Read(secretb)
	id := hex.EncodeToString(idb)
	secret := base64.RawURLEncoding.EncodeToString(secretb)
	k := store.APIKey{ID: id, Name: name, Hash: Hash(secret), Scopes: scopes, CreatedBy: by, CreatedAt: s.cfg.Now().UnixMilli()}
	if err := s.cfg.Store.AddAPIKey(ctx, k); err != nil {
		return store.APIKey{}, "", err
	}
	return k, Prefix + id + "_" + secret, nil
}

// List returns every key, revoked ones too.
func (s *Service) List(ctx context.Context) ([]store.APIKey, error) { return s.cfg.Store.APIKeys(ctx) }

// Revoke revokes the key with id; its next request is refused on every
// node, since every request reads its key.
func (s *Service) Revoke(ctx context.Context, id string) (store.APIKey, error) {
	k, err := s.cfg.Store.RevokeAPIKey(ctx, id, s.cfg.Now().UnixMilli())
	if err == nil {
		s.mu.Lock()
		delete(s.limits, id)
		s.mu.Unlock()
	}
	return k, err
}

// Verify returns the good key that key is, or ErrUnknown. It records the
// key's use at most once every TouchEvery (a failure to record is not the
// caller's problem, and is returned as nothing).
func (s *Service) Verify(ctx context.Context, key string) (store.APIKey, error) {
	id, secret, ok := Parse(key)
	if !ok {
		return store.APIKey{}, ErrUnknown
	}
	k, err := s.cfg.Store.APIKey(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return store.APIKey{}, ErrUnknown
	}
	if err != nil {
		return store.APIKey{}, err
	}
	if subtle.ConstantTimeCompare([]byte(k.Hash), []byte(Hash(secret))) != 1 || k.RevokedAt != 0 {
		return store.APIKey{}, ErrUnknown
	}
	// The stored last use decides, so nodes and restarts share it: at
	// most one write a minute per key and node racing.
	if now := s.cfg.Now().UnixMilli(); now-k.LastUsedAt >= TouchEvery.Milliseconds() {
		if err := s.cfg.Store.TouchAPIKey(ctx, k.ID, now); err == nil {
			k.LastUsedAt = now
		}
	}
	return k, nil
}

// Allow takes one request from the bucket of key id. When the bucket is
// empty it returns false and how long until a request would be let
// through.
func (s *Service) Allow(id string) (bool, time.Duration) {
	s.mu.Lock()
	l := s.limits[id]
	if l == nil {
		l = rate.NewLimiter(rate.Limit(s.cfg.Rate), s.cfg.Burst)
		s.limits[id] = l
	}
	s.mu.Unlock()
	now := s.cfg.Now()
	if l.AllowN(now, 1) {
		return true, 0
	}
	r := l.ReserveN(now, 1)
	wait := r.DelayFrom(now)
	r.CancelAt(now)
	return false, wait
}
