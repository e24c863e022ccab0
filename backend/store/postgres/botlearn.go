package postgres

import (
	"context"
	"errors"
	"fmt"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"switchboard/backend/store"
)

var _ store.BotLearning = (*Store)(nil)

const missColumns = `id, conversation_id, seq, text, locale, reason, status, closed_by, created_at`

func scanMiss(sc pgx.Row) (store.Miss, error) {
	var m store.Miss
	err := sc.Scan(&m.ID, &m.ConversationID, &m.Seq, &m.Text, &m.Locale, &m.Reason, &m.Status, &m.ClosedBy, &m.CreatedAt)
	return m, err
}

// AddMiss implements store.BotLearning.
func (s *Store) AddMiss(ctx context.Context, m store.Miss) (store.Miss, bool, error) {
	in := m
	added := false
	err := s.write(ctx, func(tx pgx.Tx) error {
		m, added = in, false
		m.ID = uuid.NewString()
		m.Status = store.MissOpen
		m.ClosedBy = 0
		if m.CreatedAt == 0 {
			m.CreatedAt = s.nowMS()
		}
		tag, err := tx.Exec(ctx, `INSERT INTO bot_misses (id, conversation_id, seq, text, locale, reason, status, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (conversation_id, seq, reason) DO NOTHING`,
			m.ID, m.ConversationID, m.Seq, m.Text, m.Locale, m.Reason, m.Status, m.CreatedAt)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 1 {
			added = true
			return nil
		}
		m, err = scanMiss(tx.QueryRow(ctx, `SELECT `+missColumns+` FROM bot_misses
			WHERE conversation_id = $1 AND seq = $2 AND reason = $3`, in.ConversationID, in.Seq, in.Reason))
		return err
	})
	if err != nil {
		return store.Miss{}, false, fmt.Errorf("add miss conv=%s seq=%d: %w", in.ConversationID, in.Seq, translate(err))
	}
	return m, added, nil
}

// Miss implements store.BotLearning.
func (s *Store) Miss(ctx context.Context, id string) (store.Miss, error) {
	m, err := scanMiss(s.pool.QueryRow(ctx, `SELECT `+missColumns+` FROM bot_misses WHERE id = $1`, id))
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
	rows, err := s.pool.Query(ctx, `SELECT `+missColumns+` FROM bot_misses WHERE status = 'open'
		ORDER BY created_at DESC, n DESC LIMIT $1`, limit)
	if err != nil {
		return nil, fmt.Errorf("open misses: %w", translate(err))
	}
	defer rows.Close()
	var out []store.Miss
	for rows.Next() {
		m, err := scanMiss(rows)
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
func closeMisses(ctx context.Context, tx pgx.Tx, ids []string, version, now int64) (int, error) {
	if len(ids) == 0 {
		return 0, nil
	}
	tag, err := tx.Exec(ctx, `UPDATE bot_misses SET status = 'closed', closed_by = $1, closed_at = $2
		WHERE status = 'open' AND id = ANY($3)`, version, now, ids)
	if err != nil {
		return 0, err
	}
	return int(tag.RowsAffected()), nil
}

// CloseMisses implements store.BotLearning.
func (s *Store) CloseMisses(ctx context.Context, ids []string) (int, error) {
	n := 0
	err := s.write(ctx, func(tx pgx.Tx) error {
		var err error
		n, err = closeMisses(ctx, tx, ids, 0, s.nowMS())
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("close misses: %w", translate(err))
	}
	return n, nil
}

const feedbackColumns = `conversation_id, seq, customer_id, helpful, created_at`

func scanFeedback(sc pgx.Row) (store.BotFeedback, error) {
	var f store.BotFeedback
	err := sc.Scan(&f.ConversationID, &f.Seq, &f.CustomerID, &f.Helpful, &f.CreatedAt)
	return f, err
}

// PutBotFeedback implements store.BotLearning. The row lock of the
// message's verdict makes concurrent verdicts take turns.
func (s *Store) PutBotFeedback(ctx context.Context, f store.BotFeedback) (*store.BotFeedback, error) {
	var prev *store.BotFeedback
	if f.CreatedAt == 0 {
		f.CreatedAt = s.nowMS()
	}
	err := s.write(ctx, func(tx pgx.Tx) error {
		prev = nil
		p, err := scanFeedback(tx.QueryRow(ctx, `SELECT `+feedbackColumns+` FROM bot_feedback
			WHERE conversation_id = $1 AND seq = $2 FOR UPDATE`, f.ConversationID, f.Seq))
		switch {
		case err == nil:
			prev = &p
		case !errors.Is(err, pgx.ErrNoRows):
			return err
		}
		_, err = tx.Exec(ctx, `INSERT INTO bot_feedback (`+feedbackColumns+`) VALUES ($1, $2, $3, $4, $5)
			ON CONFLICT (conversation_id, seq) DO UPDATE SET
			customer_id = excluded.customer_id, helpful = excluded.helpful, created_at = excluded.created_at`,
			f.ConversationID, f.Seq, f.CustomerID, f.Helpful, f.CreatedAt)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("put bot feedback conv=%s seq=%d: %w", f.ConversationID, f.Seq, translate(err))
	}
	return prev, nil
}

// BotFeedback implements store.BotLearning.
func (s *Store) BotFeedback(ctx context.Context, conversationID string, seq int64) (store.BotFeedback, error) {
	f, err := scanFeedback(s.pool.QueryRow(ctx, `SELECT `+feedbackColumns+` FROM bot_feedback
		WHERE conversation_id = $1 AND seq = $2`, conversationID, seq))
	if err != nil {
		return store.BotFeedback{}, fmt.Errorf("bot feedback conv=%s seq=%d: %w", conversationID, seq, translate(err))
	}
	return f, nil
}

// PublishKB implements store.BotLearning. The knowledge base's advisory
// lock makes the nodes' publishes take turns, so reading the current
// version and storing the next cannot race.
func (s *Store) PublishKB(ctx context.Context, p store.KBPublish) (store.KBVersion, error) {
	var v store.KBVersion
	err := s.write(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, kbLockKey); err != nil {
			return err
		}
		var cur int64
		if err := tx.QueryRow(ctx, `SELECT COALESCE(MAX(version), 0) FROM kb_versions`).Scan(&cur); err != nil {
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
		if _, err := tx.Exec(ctx, `INSERT INTO kb_versions (version, data, sum, author, summary, entries, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7)`, v.Version, v.Data, v.Sum, v.Author, v.Summary, v.Entries, v.CreatedAt); err != nil {
			return err
		}
		for k, val := range p.Settings {
			if _, err := tx.Exec(ctx, `INSERT INTO settings (k, v) VALUES ($1, $2)
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
	rows, err := s.pool.Query(ctx, `SELECT version, sum, author, summary, entries, created_at
		FROM kb_versions ORDER BY version DESC LIMIT $1`, limit)
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
	err := s.pool.QueryRow(ctx, `SELECT version, data, sum, author, summary, entries, created_at
		FROM kb_versions WHERE version = $1`, version).Scan(&v.Version, &v.Data, &v.Sum, &v.Author, &v.Summary, &v.Entries, &v.CreatedAt)
	if err != nil {
		return store.KBVersion{}, fmt.Errorf("knowledge base version %d: %w", version, translate(err))
	}
	return v, nil
}
