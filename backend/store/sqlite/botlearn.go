package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/google/uuid"

	"switchboard/backend/store"
)

var _ store.BotLearning = (*Store)(nil)

const missColumns = `id, conversation_id, seq, text, locale, reason, status, closed_by, created_at`

func (s *Store) scanMiss(sc scanner) (store.Miss, error) {
	var m store.Miss
	var text col
	if err := sc.Scan(&m.ID, &m.ConversationID, &m.Seq, &text, &m.Locale, &m.Reason, &m.Status, &m.ClosedBy, &m.CreatedAt); err != nil {
		return m, err
	}
	var err error
	m.Text, err = s.open(text, ad("bot_misses", "text", m.ID))
	return m, err
}

// AddMiss implements store.BotLearning.
func (s *Store) AddMiss(ctx context.Context, m store.Miss) (store.Miss, bool, error) {
	added := false
	err := s.writeApart(ctx, func(tx *sql.Tx) error {
		got, err := s.scanMiss(tx.QueryRowContext(ctx, `SELECT `+missColumns+` FROM bot_misses
			WHERE conversation_id = ? AND seq = ? AND reason = ?`, m.ConversationID, m.Seq, m.Reason))
		if err == nil {
			m = got
			return nil
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		m.ID = uuid.NewString()
		m.Status = store.MissOpen
		m.ClosedBy = 0
		if m.CreatedAt == 0 {
			m.CreatedAt = s.nowMS()
		}
		text, err := s.sealText(m.Text, ad("bot_misses", "text", m.ID))
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO bot_misses (id, conversation_id, seq, text, locale, reason, status, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, m.ID, m.ConversationID, m.Seq, text, m.Locale, m.Reason, m.Status, m.CreatedAt); err != nil {
			return err
		}
		added = true
		return nil
	})
	if err != nil {
		return store.Miss{}, false, fmt.Errorf("add miss conv=%s seq=%d: %w", m.ConversationID, m.Seq, translate(err))
	}
	return m, added, nil
}

// Miss implements store.BotLearning.
func (s *Store) Miss(ctx context.Context, id string) (store.Miss, error) {
	m, err := s.scanMiss(s.r.QueryRowContext(ctx, `SELECT `+missColumns+` FROM bot_misses WHERE id = ?`, id))
	if err != nil {
		return store.Miss{}, fmt.Errorf("miss %s: %w", id, translate(err))
	}
	return m, nil
}

// OpenMisses implements store.BotLearning.
func (s *Store) OpenMisses(ctx context.Context, limit int) ([]store.Miss, error) {
	if limit <= 0 {
		limit = 5000
	}
	rows, err := s.r.QueryContext(ctx, `SELECT `+missColumns+` FROM bot_misses WHERE status = 'open'
		ORDER BY created_at DESC, rowid DESC LIMIT ?`, limit)
	if err != nil {
		return nil, fmt.Errorf("open misses: %w", translate(err))
	}
	defer rows.Close()
	var out []store.Miss
	for rows.Next() {
		m, err := s.scanMiss(rows)
		if err != nil {
			return nil, fmt.Errorf("open misses: %w", err)
		}
		out = append(out, m)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("open misses: %w", translate(err))
	}
	return out, nil
}

// closeMisses closes the open misses among ids, by version (0: dismissed).
func closeMisses(ctx context.Context, tx *sql.Tx, ids []string, version, now int64) (int, error) {
	if len(ids) == 0 {
		return 0, nil
	}
	args := []any{version, now}
	for _, id := range ids {
		args = append(args, id)
	}
	res, err := tx.ExecContext(ctx, `UPDATE bot_misses SET status = 'closed', closed_by = ?, closed_at = ?
		WHERE status = 'open' AND id IN (`+placeholders(len(ids))+`)`, args...)
	if err != nil {
		return 0, err
	}
	n, err := res.RowsAffected()
	return int(n), err
}

// CloseMisses implements store.BotLearning.
func (s *Store) CloseMisses(ctx context.Context, ids []string) (int, error) {
	n := 0
	err := s.writeApart(ctx, func(tx *sql.Tx) error {
		var err error
		n, err = closeMisses(ctx, tx, ids, 0, s.nowMS())
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("close misses: %w", translate(err))
	}
	return n, nil
}

// PutBotFeedback implements store.BotLearning.
func (s *Store) PutBotFeedback(ctx context.Context, f store.BotFeedback) (*store.BotFeedback, error) {
	var prev *store.BotFeedback
	err := s.writeApart(ctx, func(tx *sql.Tx) error {
		prev = nil
		p, err := scanFeedback(tx.QueryRowContext(ctx, `SELECT conversation_id, seq, customer_id, helpful, created_at
			FROM bot_feedback WHERE conversation_id = ? AND seq = ?`, f.ConversationID, f.Seq))
		switch {
		case err == nil:
			prev = &p
		case !errors.Is(err, sql.ErrNoRows):
			return err
		}
		if f.CreatedAt == 0 {
			f.CreatedAt = s.nowMS()
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO bot_feedback (conversation_id, seq, customer_id, helpful, created_at)
			VALUES (?, ?, ?, ?, ?) ON CONFLICT (conversation_id, seq) DO UPDATE SET
			customer_id = excluded.customer_id, helpful = excluded.helpful, created_at = excluded.created_at`,
			f.ConversationID, f.Seq, f.CustomerID, f.Helpful, f.CreatedAt)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("put bot feedback conv=%s seq=%d: %w", f.ConversationID, f.Seq, translate(err))
	}
	return prev, nil
}

func scanFeedback(sc scanner) (store.BotFeedback, error) {
	var f store.BotFeedback
	err := sc.Scan(&f.ConversationID, &f.Seq, &f.CustomerID, &f.Helpful, &f.CreatedAt)
	return f, err
}

// BotFeedback implements store.BotLearning.
func (s *Store) BotFeedback(ctx context.Context, conversationID string, seq int64) (store.BotFeedback, error) {
	f, err := scanFeedback(s.r.QueryRowContext(ctx, `SELECT conversation_id, seq, customer_id, helpful, created_at
		FROM bot_feedback WHERE conversation_id = ? AND seq = ?`, conversationID, seq))
	if err != nil {
		return store.BotFeedback{}, fmt.Errorf("bot feedback conv=%s seq=%d: %w", conversationID, seq, translate(err))
	}
	return f, nil
}

// PublishKB implements store.BotLearning. The one write connection makes
// publishes take turns, so reading the current version and storing the
// next in one transaction cannot race.
func (s *Store) PublishKB(ctx context.Context, p store.KBPublish) (store.KBVersion, error) {
	var v store.KBVersion
	err := s.writeApart(ctx, func(tx *sql.Tx) error {
		var cur int64
		if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM kb_versions`).Scan(&cur); err != nil {
			return err
		}
		if p.IfVersion != nil && *p.IfVersion != cur {
			return fmt.Errorf("%w: knowledge base version %d is current, not %d", store.ErrConflict, cur, *p.IfVersion)
		}
		now := s.nowMS()
		v = store.KBVersion{Version: cur + 1, Data: p.Data, Sum: p.Sum, Author: p.Author, Summary: p.Summary,
			Entries: p.Entries, CreatedAt: p.CreatedAt}
		if v.CreatedAt == 0 {
			v.CreatedAt = now
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO kb_versions (version, data, sum, author, summary, entries, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, v.Version, v.Data, v.Sum, v.Author, v.Summary, v.Entries, v.CreatedAt); err != nil {
			return err
		}
		for k, val := range p.Settings {
			if sealedSettings[k] {
				return fmt.Errorf("setting %s is sealed: not for a knowledge base", k)
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO settings (k, v) VALUES (?, ?)
				ON CONFLICT (k) DO UPDATE SET v = excluded.v`, k, val); err != nil {
				return err
			}
		}
		_, err := closeMisses(ctx, tx, p.CloseMisses, v.Version, now)
		return err
	})
	if err != nil {
		return store.KBVersion{}, fmt.Errorf("publish knowledge base: %w", translate(err))
	}
	return v, nil
}

// KBVersions implements store.BotLearning.
func (s *Store) KBVersions(ctx context.Context, limit int) ([]store.KBVersion, error) {
	if limit <= 0 {
		limit = 100
	}
	rows, err := s.r.QueryContext(ctx, `SELECT version, sum, author, summary, entries, created_at
		FROM kb_versions ORDER BY version DESC LIMIT ?`, limit)
	if err != nil {
		return nil, fmt.Errorf("knowledge base versions: %w", translate(err))
	}
	defer rows.Close()
	var out []store.KBVersion
	for rows.Next() {
		var v store.KBVersion
		if err := rows.Scan(&v.Version, &v.Sum, &v.Author, &v.Summary, &v.Entries, &v.CreatedAt); err != nil {
			return nil, fmt.Errorf("knowledge base versions: %w", err)
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("knowledge base versions: %w", translate(err))
	}
	return out, nil
}

// KBVersion implements store.BotLearning.
func (s *Store) KBVersion(ctx context.Context, version int64) (store.KBVersion, error) {
	var v store.KBVersion
	err := s.r.QueryRowContext(ctx, `SELECT version, data, sum, author, summary, entries, created_at
		FROM kb_versions WHERE version = ?`, version).Scan(&v.Version, &v.Data, &v.Sum, &v.Author, &v.Summary, &v.Entries, &v.CreatedAt)
	if err != nil {
		return store.KBVersion{}, fmt.Errorf("knowledge base version %d: %w", version, translate(err))
	}
	return v, nil
}
