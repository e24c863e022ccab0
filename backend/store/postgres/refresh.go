package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"switchboard/backend/store"
)

const refreshColumns = `hash, family_id, agent_id, token_gen, created_at, expires_at, family_expires_at, used_at, revoked_at`

func scanRefresh(row pgx.Row) (store.RefreshToken, error) {
	var t store.RefreshToken
	err := row.Scan(&t.Hash, &t.FamilyID, &t.AgentID, &t.TokenGen, &t.CreatedAt, &t.ExpiresAt, &t.FamilyExpiresAt, &t.UsedAt, &t.RevokedAt)
	return t, err
}

func insertRefresh(ctx context.Context, q querier, t store.RefreshToken) error {
	_, err := q.Exec(ctx, `INSERT INTO refresh_tokens (`+refreshColumns+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
		t.Hash, t.FamilyID, t.AgentID, t.TokenGen, t.CreatedAt, t.ExpiresAt, t.FamilyExpiresAt, t.UsedAt, t.RevokedAt)
	return err
}

// AddRefreshToken implements store.Store.
func (s *Store) AddRefreshToken(ctx context.Context, t store.RefreshToken) error {
	if err := insertRefresh(ctx, s.pool, t); err != nil {
		return fmt.Errorf("add refresh token family=%s: %w", t.FamilyID, translate(err))
	}
	return nil
}

// RotateRefreshToken implements store.Store. The token's row lock makes
// concurrent rotations take turns: the second reads the token as the first
// left it (used) and fails on the conditional UPDATE.
func (s *Store) RotateRefreshToken(ctx context.Context, hash string, next store.RefreshToken, now int64) (store.RefreshToken, error) {
	var before store.RefreshToken
	err := s.write(ctx, func(tx pgx.Tx) error {
		var err error
		before, err = scanRefresh(tx.QueryRow(ctx, `SELECT `+refreshColumns+` FROM refresh_tokens WHERE hash = $1 FOR UPDATE`, hash))
		if err != nil {
			return err
		}
		tag, err := tx.Exec(ctx, `UPDATE refresh_tokens SET used_at = $2
			WHERE hash = $1 AND used_at = 0 AND revoked_at = 0 AND expires_at > $2 AND family_expires_at > $2`, hash, now)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return store.ErrIllegalState
		}
		next.FamilyID, next.AgentID, next.TokenGen, next.FamilyExpiresAt = before.FamilyID, before.AgentID, before.TokenGen, before.FamilyExpiresAt
		next.UsedAt, next.RevokedAt = 0, 0
		return insertRefresh(ctx, tx, next)
	})
	if err != nil {
		return before, fmt.Errorf("rotate refresh token family=%s: %w", before.FamilyID, translate(err))
	}
	return before, nil
}

// RefreshToken implements store.Store.
func (s *Store) RefreshToken(ctx context.Context, hash string) (store.RefreshToken, error) {
	t, err := scanRefresh(s.pool.QueryRow(ctx, `SELECT `+refreshColumns+` FROM refresh_tokens WHERE hash = $1`, hash))
	if err != nil {
		return store.RefreshToken{}, fmt.Errorf("refresh token: %w", translate(err))
	}
	return t, nil
}

// RefreshFamilyEnded implements store.Store.
func (s *Store) RefreshFamilyEnded(ctx context.Context, familyID string) (bool, error) {
	var n int
	var revoked int64
	err := s.pool.QueryRow(ctx, `SELECT COUNT(*), COALESCE(MAX(revoked_at), 0) FROM refresh_tokens WHERE family_id = $1`, familyID).Scan(&n, &revoked)
	if err != nil {
		return false, fmt.Errorf("refresh family=%s: %w", familyID, translate(err))
	}
	return n == 0 || revoked != 0, nil
}

// RevokeRefreshFamily implements store.Store.
func (s *Store) RevokeRefreshFamily(ctx context.Context, familyID string, now int64) error {
	err := s.write(ctx, func(tx pgx.Tx) error {
		var n int
		if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM refresh_tokens WHERE family_id = $1`, familyID).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return store.ErrNotFound
		}
		_, err := tx.Exec(ctx, `UPDATE refresh_tokens SET revoked_at = $2 WHERE family_id = $1 AND revoked_at = 0`, familyID, now)
		return err
	})
	if err != nil {
		return fmt.Errorf("revoke refresh family=%s: %w", familyID, translate(err))
	}
	return nil
}

// PruneRefreshTokens implements store.Store.
func (s *Store) PruneRefreshTokens(ctx context.Context, now int64) (int, error) {
	tag, err := s.pool.Exec(ctx, `DELETE FROM refresh_tokens WHERE expires_at <= $1 OR family_expires_at <= $1`, now)
	if err != nil {
		return 0, fmt.Errorf("prune refresh tokens: %w", translate(err))
	}
	return int(tag.RowsAffected()), nil
}
