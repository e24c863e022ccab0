package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"switchboard/backend/store"
)

const cannedColumns = `id, team, title, shortcut, text_zh, text_en, updated_by, updated_at`

func scanCanned(sc pgx.Row) (store.CannedResponse, error) {
	var r store.CannedResponse
	err := sc.Scan(&r.ID, &r.Team, &r.Title, &r.Shortcut, &r.TextZH, &r.TextEN, &r.UpdatedBy, &r.UpdatedAt)
	return r, err
}

// CannedResponses implements store.CannedResponses.
func (s *Store) CannedResponses(ctx context.Context) ([]store.CannedResponse, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+cannedColumns+` FROM canned_responses ORDER BY team COLLATE "C", shortcut COLLATE "C"`)
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
	err := s.write(ctx, func(tx pgx.Tx) error {
		var err error
		out, err = scanCanned(tx.QueryRow(ctx, `INSERT INTO canned_responses (`+cannedColumns+`)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
			ON CONFLICT (id) DO UPDATE SET team = excluded.team, title = excluded.title,
				shortcut = excluded.shortcut, text_zh = excluded.text_zh, text_en = excluded.text_en,
				updated_by = excluded.updated_by, updated_at = excluded.updated_at
			RETURNING `+cannedColumns,
			r.ID, r.Team, r.Title, r.Shortcut, r.TextZH, r.TextEN, r.UpdatedBy, now))
		return err
	})
	if err != nil {
		return store.CannedResponse{}, fmt.Errorf("put canned response %s: %w", r.ID, translate(err))
	}
	return out, nil
}

// DeleteCannedResponse implements store.CannedResponses.
func (s *Store) DeleteCannedResponse(ctx context.Context, id string) error {
	err := s.write(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `DELETE FROM canned_responses WHERE id = $1`, id)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return store.ErrNotFound
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("delete canned response %s: %w", id, translate(err))
	}
	return nil
}
