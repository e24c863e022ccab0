package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"switchboard/backend/store"
)

const hoursColumns = `team, timezone, weekly, closed, updated_by, updated_at`

func scanHours(sc scanner) (store.BusinessHours, error) {
	var h store.BusinessHours
	var closed string
	err := sc.Scan(&h.Team, &h.Timezone, &h.Weekly, &closed, &h.UpdatedBy, &h.UpdatedAt)
	h.Closed = splitClosed(closed)
	return h, err
}

func splitClosed(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ",")
}

// BusinessHours implements store.Hours.
func (s *Store) BusinessHours(ctx context.Context) ([]store.BusinessHours, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT `+hoursColumns+` FROM business_hours ORDER BY team`)
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
	err := s.write(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO business_hours (`+hoursColumns+`)
			VALUES (?, ?, ?, ?, ?, ?)
			ON CONFLICT (team) DO UPDATE SET timezone = excluded.timezone, weekly = excluded.weekly,
				closed = excluded.closed, updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
			h.Team, h.Timezone, h.Weekly, strings.Join(h.Closed, ","), h.UpdatedBy, now); err != nil {
			return err
		}
		var err error
		out, err = scanHours(tx.QueryRowContext(ctx, `SELECT `+hoursColumns+` FROM business_hours WHERE team = ?`, h.Team))
		return err
	})
	if err != nil {
		return store.BusinessHours{}, fmt.Errorf("put business hours team=%q: %w", h.Team, translate(err))
	}
	return out, nil
}

// DeleteBusinessHours implements store.Hours.
func (s *Store) DeleteBusinessHours(ctx context.Context, team string) error {
	err := s.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM business_hours WHERE team = ?`, team)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return store.ErrNotFound
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("delete business hours team=%q: %w", team, translate(err))
	}
	return nil
}
