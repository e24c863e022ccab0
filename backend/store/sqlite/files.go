package sqlite

import (
	"context"
	"database/sql"
	"fmt"

	"switchboard/backend/store"
	"switchboard/protocol"
)

// CreateFile implements store.Store.
func (s *Store) CreateFile(ctx context.Context, f store.File) error {
	if f.CreatedAt == 0 {
		f.CreatedAt = s.nowMS()
	}
	name, err := s.sealText(f.Name, ad("files", "name", f.ID))
	if err != nil {
		return fmt.Errorf("create file id=%s conv=%s: %w", f.ID, f.ConversationID, err)
	}
	err = s.writeApart(ctx, func(tx *sql.Tx) error {
		// The conversation must exist: the foreign key says so too, but
		// only a read gives a clean not-found.
		var one int
		if err := tx.QueryRowContext(ctx, `SELECT 1 FROM conversations WHERE id = ?`, f.ConversationID).Scan(&one); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO files
			(id, conversation_id, uploader_id, uploader_role, name, size, mime, sha256, thumb_sha256, width, height, duration_ms, state, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			f.ID, f.ConversationID, f.UploaderID, f.UploaderRole, name, f.Size, f.MIME, f.SHA256, f.ThumbSHA256,
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
	var name col
	err := s.r.QueryRowContext(ctx, `SELECT id, conversation_id, uploader_id, uploader_role, name, size, mime, sha256,
		thumb_sha256, width, height, duration_ms, state, created_at FROM files WHERE id = ?`, id).Scan(
		&f.ID, &f.ConversationID, &f.UploaderID, &f.UploaderRole, &name, &f.Size, &f.MIME, &f.SHA256,
		&f.ThumbSHA256, &f.Width, &f.Height, &f.DurationMS, &f.State, &f.CreatedAt)
	if err != nil {
		return store.File{}, fmt.Errorf("file id=%s: %w", id, translate(err))
	}
	if f.Name, err = s.open(name, ad("files", "name", f.ID)); err != nil {
		return store.File{}, fmt.Errorf("file id=%s name: %w", id, err)
	}
	return f, nil
}

// FileIsPublic implements store.Store.
func (s *Store) FileIsPublic(ctx context.Context, id string) (bool, error) {
	var n int
	err := s.r.QueryRowContext(ctx, `SELECT COUNT(*) FROM messages m JOIN files f ON f.conversation_id = m.conversation_id
		WHERE f.id = ? AND m.attachment_id = ? AND m.visibility = ?`, id, id, protocol.VisibilityPublic).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("file is public id=%s: %w", id, translate(err))
	}
	return n > 0, nil
}
