package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"switchboard/backend/store"
)

const apiKeyColumns = `id, name, hash, scopes, created_by, created_at, last_used_at, revoked_at`

func scanAPIKey(sc scanner) (store.APIKey, error) {
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
	err := s.writeApart(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO api_keys (`+apiKeyColumns+`) VALUES (?, ?, ?, ?, ?, ?, 0, 0)`,
			k.ID, k.Name, k.Hash, strings.Join(k.Scopes, ","), k.CreatedBy, k.CreatedAt)
		return err
	})
	if err != nil {
		return fmt.Errorf("add api key %s: %w", k.ID, translate(err))
	}
	return nil
}

// APIKey implements store.APIKeys.
func (s *Store) APIKey(ctx context.Context, id string) (store.APIKey, error) {
	k, err := scanAPIKey(s.r.QueryRowContext(ctx, `SELECT `+apiKeyColumns+` FROM api_keys WHERE id = ?`, id))
	if err != nil {
		return store.APIKey{}, fmt.Errorf("api key %s: %w", id, translate(err))
	}
	return k, nil
}

// APIKeys implements store.APIKeys.
func (s *Store) APIKeys(ctx context.Context) ([]store.APIKey, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT `+apiKeyColumns+` FROM api_keys ORDER BY created_at, id`)
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
	var out store.APIKey
	err := s.writeApart(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at = 0`, now, id); err != nil {
			return err
		}
		var err error
		out, err = scanAPIKey(tx.QueryRowContext(ctx, `SELECT `+apiKeyColumns+` FROM api_keys WHERE id = ?`, id))
		return err
	})
	if err != nil {
		return store.APIKey{}, fmt.Errorf("revoke api key %s: %w", id, translate(err))
	}
	return out, nil
}

// TouchAPIKey implements store.APIKeys.
func (s *Store) TouchAPIKey(ctx context.Context, id string, at int64) error {
	err := s.writeApart(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE api_keys SET last_used_at = ? WHERE id = ? AND last_used_at < ?`, at, id, at)
		return err
	})
	if err != nil {
		return fmt.Errorf("touch api key %s: %w", id, translate(err))
	}
	return nil
}
