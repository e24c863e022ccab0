package sqlite

import (
	"context"
	"database/sql"
	"fmt"

	"switchboard/backend/store"
)

const cannedColumns = `id, team, title, shortcut, text_zh, text_en, updated_by, updated_at`

func scanCanned(sc scanner) (store.CannedResponse, error) {
	var r store.CannedResponse
	err := sc.Scan(&r.ID, &r.Team, &r.Title, &r.Shortcut, &r.TextZH, &r.TextEN, &r.UpdatedBy, &r.UpdatedAt)
	return r, err
}

// CannedResponses implements store.CannedResponses.
func (s *Store) CannedResponses(ctx context.Context) ([]store.CannedResponse, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT `+cannedColumns+` FROM canned_responses ORDER BY team, shortcut`)
	if err != nil {
		return nil, fmt.Errorf("canned responses: %w", err)
	}
	defer rows.Close()
	var out []store.CannedResponse
	for rows.Next() {
		r, err := scanCanned(rows)
		if err != nil {
			return nil, fmt.Errorf("canned responses: %w", err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// PutCannedResponse implements store.CannedResponses.
func (s *Store) PutCannedResponse(ctx context.Context, r store.CannedResponse) (store.CannedResponse, error) {
	now := s.nowMS()
	var out store.CannedResponse
	err := s.writeApart(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO canned_responses (`+cannedColumns+`)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (id) DO UPDATE SET team = excluded.team, title = excluded.title,
				shortcut = excluded.shortcut, text_zh = excluded.text_zh, text_en = excluded.text_en,
				updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
			r.ID, r.Team, r.Title, r.Shortcut, r.TextZH, r.TextEN, r.UpdatedBy, now); err != nil {
			return err
		}
		var err error
		out, err = scanCanned(tx.QueryRowContext(ctx, `SELECT `+cannedColumns+` FROM canned_responses WHERE id = ?`, r.ID))
		return err
	})
	if err != nil {
		return store.CannedResponse{}, fmt.Errorf("put canned response %s: %w", r.ID, translate(err))
	}
	return out, nil
}

// DeleteCannedResponse implements store.CannedResponses.
func (s *Store) DeleteCannedResponse(ctx context.Context, id string) error {
	err := s.writeApart(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM canned_responses WHERE id = ?`, id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return store.ErrNotFound
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("delete canned response %s: %w", id, translate(err))
	}
	return nil
}
