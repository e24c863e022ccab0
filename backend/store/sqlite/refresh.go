package sqlite

import (
	"context"
	"database/sql"
	"fmt"

	"switchboard/backend/store"
)

const refreshColumns = `hash, family_id, agent_id, token_gen, created_at, expires_at, family_expires_at, used_at, revoked_at`

func scanRefresh(row interface{ Scan(...any) error }) (store.RefreshToken, error) {
	var t store.RefreshToken
	err := row.Scan(&t.Hash, &t.FamilyID, &t.AgentID, &t.TokenGen, &t.CreatedAt, &t.ExpiresAt, &t.FamilyExpiresAt, &t.UsedAt, &t.RevokedAt)
	return t, err
}

func insertRefresh(ctx context.Context, tx *sql.Tx, t store.RefreshToken) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO refresh_tokens (`+refreshColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		t.Hash, t.FamilyID, t.AgentID, t.TokenGen, t.CreatedAt, t.ExpiresAt, t.FamilyExpiresAt, t.UsedAt, t.RevokedAt)
	return err
}

// AddRefreshToken implements store.Store.
func (s *Store) AddRefreshToken(ctx context.Context, t store.RefreshToken) error {
	err := s.writeApart(ctx, func(tx *sql.Tx) error { return insertRefresh(ctx, tx, t) })
	if err != nil {
		return fmt.Errorf("add refresh token family=%s: %w", t.FamilyID, translate(err))
	}
	return nil
}

// RotateRefreshToken implements store.Store. The conditional UPDATE is what
// makes one of two concurrent rotations lose: the second finds used_at set.
func (s *Store) RotateRefreshToken(ctx context.Context, hash string, next store.RefreshToken, now int64) (store.RefreshToken, error) {
	var before store.RefreshToken
	err := s.writeApart(ctx, func(tx *sql.Tx) error {
		var err error
		before, err = scanRefresh(tx.QueryRowContext(ctx, `SELECT `+refreshColumns+` FROM refresh_tokens WHERE hash = ?`, hash))
		if err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE refresh_tokens SET used_at = ?
			WHERE hash = ? AND used_at = 0 AND revoked_at = 0 AND expires_at > ? AND family_expires_at > ?`,
			now, hash, now, now)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
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
	t, err := scanRefresh(s.r.QueryRowContext(ctx, `SELECT `+refreshColumns+` FROM refresh_tokens WHERE hash = ?`, hash))
	if err != nil {
		return store.RefreshToken{}, fmt.Errorf("refresh token: %w", translate(err))
	}
	return t, nil
}

// RefreshFamilyEnded implements store.Store.
func (s *Store) RefreshFamilyEnded(ctx context.Context, familyID string) (bool, error) {
	var n int
	var revoked int64
	err := s.r.QueryRowContext(ctx, `SELECT COUNT(*), COALESCE(MAX(revoked_at), 0) FROM refresh_tokens WHERE family_id = ?`, familyID).Scan(&n, &revoked)
	if err != nil {
		return false, fmt.Errorf("refresh family=%s: %w", familyID, translate(err))
	}
	return n == 0 || revoked != 0, nil
}

// RevokeRefreshFamily implements store.Store.
func (s *Store) RevokeRefreshFamily(ctx context.Context, familyID string, now int64) error {
	err := s.writeApart(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM refresh_tokens WHERE family_id = ?`, familyID).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return store.ErrNotFound
		}
		_, err := tx.ExecContext(ctx, `UPDATE refresh_tokens SET revoked_at = ? WHERE family_id = ? AND revoked_at = 0`, now, familyID)
		return err
	})
	if err != nil {
		return fmt.Errorf("revoke refresh family=%s: %w", familyID, translate(err))
	}
	return nil
}

// PruneRefreshTokens implements store.Store.
func (s *Store) PruneRefreshTokens(ctx context.Context, now int64) (int, error) {
	var n int64
	err := s.writeApart(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM refresh_tokens WHERE expires_at <= ? OR family_expires_at <= ?`, now, now)
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("prune refresh tokens: %w", translate(err))
	}
	return int(n), nil
}
