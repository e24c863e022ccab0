package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"switchboard/backend/store"
	"switchboard/protocol"
)

// CreateFile implements store.Store.
func (s *Store) CreateFile(ctx context.Context, f store.File) error {
	if f.CreatedAt == 0 {
		f.CreatedAt = s.nowMS()
	}
	err := s.write(ctx, func(tx pgx.Tx) error {
		// The foreign key refuses an unknown conversation too; the read
		// gives it a clean not-found.
		var one int
		if err := tx.QueryRow(ctx, `SELECT 1 FROM conversations WHERE id = $1`, f.ConversationID).Scan(&one); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `INSERT INTO files
			(id, conversation_id, uploader_id, uploader_role, name, size, mime, sha256, thumb_sha256, width, height, duration_ms, state, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
			f.ID, f.ConversationID, f.UploaderID, f.UploaderRole, f.Name, f.Size, f.MIME, f.SHA256, f.ThumbSHA256,
			f.Width, f.Height, f.DurationMS, f.State, f.CreatedAt)
		return err
	})
	if err != nil {
		return fmt.Errorf("create file id=%s conv=%s: %w", f.ID, f.ConversationID, translate(err))
	}
	return nil
}

// File implements store.Store.
func (s *Store) File(ctx context.Context, id string) (store.File, error) {
	var f store.File
	err := s.pool.QueryRow(ctx, `SELECT id, conversation_id, uploader_id, uploader_role, name, size, mime, sha256,
		thumb_sha256, width, height, duration_ms, state, created_at FROM files WHERE id = $1`, id).Scan(
		&f.ID, &f.ConversationID, &f.UploaderID, &f.UploaderRole, &f.Name, &f.Size, &f.MIME, &f.SHA256,
		&f.ThumbSHA256, &f.Width, &f.Height, &f.DurationMS, &f.State, &f.CreatedAt)
	if err != nil {
		return store.File{}, fmt.Errorf("file id=%s: %w", id, translate(err))
	}
	return f, nil
}

// FileIsPublic implements store.Store.
func (s *Store) FileIsPublic(ctx context.Context, id string) (bool, error) {
	var public bool
	err := s.pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM messages m JOIN files f ON f.conversation_id = m.conversation_id
		WHERE f.id = $1 AND m.attachment_id = $1 AND m.visibility = $2)`, id, protocol.VisibilityPublic).Scan(&public)
	if err != nil {
		return false, fmt.Errorf("file is public id=%s: %w", id, translate(err))
	}
	return public, nil
}
