package store

import "context"

// APIKeys keeps the keys of the HTTP integration API (package apikeys).
// A key's secret is never stored, only its hash.
type APIKeys interface {
	// AddAPIKey stores a new key. It returns ErrConflict for an id stored
	// before.
	AddAPIKey(ctx context.Context, k APIKey) error
	// APIKey returns the key with id, revoked or not.
	APIKey(ctx context.Context, id string) (APIKey, error)
	// APIKeys lists every key, revoked ones too, oldest first.
	APIKeys(ctx context.Context) ([]APIKey, error)
	// RevokeAPIKey revokes the key with id at now and returns it; a key
	// revoked before keeps its first time. ErrNotFound for an unknown id.
	RevokeAPIKey(ctx context.Context, id string, now int64) (APIKey, error)
	// TouchAPIKey records that the key with id was used at at; the stored
	// time never moves back. An unknown id is no error.
	TouchAPIKey(ctx context.Context, id string, at int64) error
}

// APIKey is a key of the HTTP integration API. Times are unix
// milliseconds.
type APIKey struct {
	ID   string
	Name string
	// Hash is the hex SHA-256 of the key's secret (apikeys.Hash).
	Hash   string
	Scopes []string
	// CreatedBy names who made it in the audit log's terms.
	CreatedBy  string
	CreatedAt  int64
	LastUsedAt int64 // 0: never used
	RevokedAt  int64 // 0: good
}
