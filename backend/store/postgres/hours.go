package postgres

import (
	"context"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"

	"switchboard/backend/store"
)

const hoursColumns = `team, timezone, weekly, closed, updated_by, updated_at`

func scanHours(sc pgx.Row) (store.BusinessHours, error) {
	var h store.BusinessHours
	var closed string
	err := sc.Scan(&h.Team, &h.Timezone, &h.Weekly, &closed, &h.UpdatedBy, &h.UpdatedAt)
	if closed != "" {
		h.Closed = strings.Split(closed, ",")
	}
	return h, err
}

// BusinessHours implements store.Hours.
func (s *Store) BusinessHours(ctx context.Context) ([]store.BusinessHours, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+hoursColumns+` FROM business_hours ORDER BY team COLLATE "C"`)
	if err != nil {
		return nil, fmt.Errorf("business hours: %w", err)
	}
	defer rows.Close()
	var out []store.BusinessHours
	for rows.Next() {
		h, err := scanHours(rows)
		if err != nil {
			return nil, fmt.Errorf("business hours: %w", err)
		}
		out = append(out, h)
	}
	return out, rows.Err()
}

// PutBusinessHours implements store.Hours.
func (s *Store) PutBusinessHours(ctx context.Context, h store.BusinessHours) (store.BusinessHours, error) {
	now := s.nowMS()
	var out store.BusinessHours
	err := s.write(ctx, func(tx pgx.Tx) error {
		var err error
		out, err = scanHours(tx.QueryRow(ctx, `INSERT INTO business_hours (`+hoursColumns+`)
			VALUES ($1, $2, $3, $4, $5, $6)
			ON CONFLICT (team) DO UPDATE SET timezone = excluded.timezone, weekly = excluded.weekly,
				closed = excluded.closed, updated_by = excluded.updated_by, updated_at = excluded.updated_at
			RETURNING `+hoursColumns,
			h.Team, h.Timezone, h.Weekly, strings.Join(h.Closed, ","), h.UpdatedBy, now))
		return err
	})
	if err != nil {
		return store.BusinessHours{}, fmt.Errorf("put business hours team=%q: %w", h.Team, translate(err))
	}
	return out, nil
}

// DeleteBusinessHours implements store.Hours.
func (s *Store) DeleteBusinessHours(ctx context.Context, team string) error {
	err := s.write(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `DELETE FROM business_hours WHERE team = $1`, team)
		if err == nil && tag.RowsAffected() == 0 {
			err = store.ErrNotFound
		}
		return err
	})
	if err != nil {
		return fmt.Errorf("delete business hours team=%q: %w", team, translate(err))
	}
	return nil
}
