package cache

import (
	"context"
	"fmt"
)

// Upload is a file being uploaded, kept so the upload resumes where it
// stopped after a dropped link or a restart. It is removed once the message
// carrying the file is in the outbox, or when the agent cancels.
type Upload struct {
	ID             string // local id, named in upload events
	ConversationID string
	Path           string // the file on disk
	Name           string
	MIME           string
	Size           int64
	// URL is the tus upload's address once the server created it; Offset
	// the bytes it confirmed so far.
	URL    string
	Offset int64
	// Temp says Path is the app's own copy (a pasted image) to delete when
	// the upload ends.
	Temp      bool
	CreatedAt int64 // unix milliseconds
}

// PutUpload records an upload or replaces its record.
func (c *Cache) PutUpload(ctx context.Context, u Upload) error {
	return c.putUpload(ctx, c.db, u)
}

func (c *Cache) putUpload(ctx context.Context, db execer, u Upload) error {
	_, err := db.ExecContext(ctx, `INSERT INTO uploads
		(id, conversation_id, path, name, mime, size, url, sent_bytes, temp, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET url = excluded.url, sent_bytes = excluded.sent_bytes`,
		u.ID, u.ConversationID, c.seal.seal([]byte(u.Path), adUpload(u.ID, "path")),
		c.seal.seal([]byte(u.Name), adUpload(u.ID, "name")), u.MIME, u.Size, u.URL, u.Offset, u.Temp, u.CreatedAt)
	if err != nil {
		return fmt.Errorf("put upload %s: %w", u.ID, err)
	}
	return nil
}

// SetUploadProgress records an upload's URL and confirmed offset.
func (c *Cache) SetUploadProgress(ctx context.Context, id, url string, offset int64) error {
	if _, err := c.db.ExecContext(ctx, "UPDATE uploads SET url = ?, sent_bytes = ? WHERE id = ?", url, offset, id); err != nil {
		return fmt.Errorf("set upload progress %s: %w", id, err)
	}
	return nil
}

// Uploads returns the unfinished uploads, oldest first.
func (c *Cache) Uploads(ctx context.Context) ([]Upload, error) {
	rows, err := c.db.QueryContext(ctx, `SELECT id, conversation_id, path, name, mime, size, url, sent_bytes, temp, created_at
		FROM uploads ORDER BY created_at, rowid`)
	if err != nil {
		return nil, fmt.Errorf("read uploads: %w", err)
	}
	defer rows.Close()
	var out []Upload
	for rows.Next() {
		var u Upload
		var path, name []byte
		if err := rows.Scan(&u.ID, &u.ConversationID, &path, &name, &u.MIME, &u.Size, &u.URL, &u.Offset, &u.Temp, &u.CreatedAt); err != nil {
			return nil, fmt.Errorf("read uploads: %w", err)
		}
		p, err := c.seal.open(path, adUpload(u.ID, "path"))
		if err != nil {
			return nil, fmt.Errorf("read upload %s: %w", u.ID, err)
		}
		n, err := c.seal.open(name, adUpload(u.ID, "name"))
		if err != nil {
			return nil, fmt.Errorf("read upload %s: %w", u.ID, err)
		}
		u.Path, u.Name = string(p), string(n)
		out = append(out, u)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read uploads: %w", err)
	}
	return out, nil
}

// RemoveUpload forgets an upload.
func (c *Cache) RemoveUpload(ctx context.Context, id string) error {
	if _, err := c.db.ExecContext(ctx, "DELETE FROM uploads WHERE id = ?", id); err != nil {
		return fmt.Errorf("remove upload %s: %w", id, err)
	}
	return nil
}

// FinishUpload replaces an upload by the message that carries its file, in
// one transaction, so a crash leaves either the upload to resume or the
// message to send, never both or neither.
func (c *Cache) FinishUpload(ctx context.Context, id string, it OutboxItem) error {
	tx, err := c.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("finish upload %s: %w", id, err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, "DELETE FROM uploads WHERE id = ?", id); err != nil {
		return fmt.Errorf("finish upload %s: %w", id, err)
	}
	if err := c.addOutboxTx(ctx, tx, it); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("finish upload %s: %w", id, err)
	}
	return nil
}

// sealOptional is v as sealed JSON, or empty for nil.
func sealOptional[T any](c *Cache, v *T, ad string) []byte {
	if v == nil {
		return []byte{}
	}
	b, err := c.sealJSON(v, ad)
	if err != nil {
		return []byte{}
	}
	return b
}
