package postgres

import (
	"context"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"

	"switchboard/backend/store"
)

const apiKeyColumns = `id, name, hash, scopes, created_by, created_at, last_used_at, revoked_at`

func scanAPIKey(sc pgx.Row) (store.APIKey, error) {
	var k store.APIKey
	var scopes string
	if err := sc.Scan(&k.ID, &k.Name, &k.Hash, &scopes, &k.CreatedBy, &k.CreatedAt, &k.LastUsedAt, &k.RevokedAt); err != nil {
		return k, err
	}
	if scopes != "" {
		k.Scopes = strings.Split(scopes, ",")
	}
	return k, nil
}

// AddAPIKey implements store.APIKeys.
func (s *Store) AddAPIKey(ctx context.Context, k store.APIKey) error {
	if k.CreatedAt == 0 {
		k.CreatedAt = s.nowMS()
	}
	_, err := s.pool.Exec(ctx, `INSERT INTO api_keys (`+apiKeyColumns+`) VALUES ($1, $2, $3, $4, $5, $6, 0, 0)`,
		k.ID, k.Name, k.Hash, strings.Join(k.Scopes, ","), k.CreatedBy, k.CreatedAt)
	if err != nil {
		return fmt.Errorf("add api key %s: %w", k.ID, translate(err))
	}
	return nil
}

// APIKey implements store.APIKeys.
func (s *Store) APIKey(ctx context.Context, id string) (store.APIKey, error) {
	k, err := scanAPIKey(s.pool.QueryRow(ctx, `SELECT `+apiKeyColumns+` FROM api_keys WHERE id = $1`, id))
	if err != nil {
		return store.APIKey{}, fmt.Errorf("api key %s: %w", id, translate(err))
	}
	return k, nil
}

// APIKeys implements store.APIKeys.
func (s *Store) APIKeys(ctx context.Context) ([]store.APIKey, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+apiKeyColumns+` FROM api_keys ORDER BY created_at, id COLLATE "C"`)
	if err != nil {
		return nil, fmt.Errorf("api keys: %w", err)
	}
	defer rows.Close()
	var out []store.APIKey
	for rows.Next() {
		k, err := scanAPIKey(rows)
		if err != nil {
			return nil, fmt.Errorf("api keys: %w", err)
		}
		out = append(out, k)
	}
	return out, rows.Err()
}

// RevokeAPIKey implements store.APIKeys.
func (s *Store) RevokeAPIKey(ctx context.Context, id string, now int64) (store.APIKey, error) {
	k, err := scanAPIKey(s.pool.QueryRow(ctx, `UPDATE api_keys SET revoked_at = CASE WHEN revoked_at = 0 THEN $2 ELSE revoked_at END
		WHERE id = $1 RETURNING `+apiKeyColumns, id, now))
	if err != nil {
		return store.APIKey{}, fmt.Errorf("revoke api key %s: %w", id, translate(err))
	}
	return k, nil
}

// TouchAPIKey implements store.APIKeys.
func (s *Store) TouchAPIKey(ctx context.Context, id string, at int64) error {
	if _, err := s.pool.Exec(ctx, `UPDATE api_keys SET last_used_at = $2 WHERE id = $1 AND last_used_at < $2`, id, at); err != nil {
		return fmt.Errorf("touch api key %s: %w", id, translate(err))
	}
	return nil
}
