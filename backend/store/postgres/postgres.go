// Package postgres is the engine of the store contract for running several
// server nodes on one database: PostgreSQL through pgx (pgxpool).
//
// Every node writes at once, so the rules the SQLite engine gets from its
// single writer are kept here by the database:
//
//   - A write that depends on a conversation starts by locking its row
//     (SELECT … FOR NO KEY UPDATE) and keeps the lock to its commit:
//     appends, state changes, tags and their checks see the conversation as
//     it is, and concurrent writers to one conversation take turns.
//     Writers to different conversations do not wait for each other.
//   - A message's seq is allocated in the append's transaction by
//     UPDATE conversations SET last_seq = last_seq + 1 … RETURNING last_seq.
//   - State changes stay conditional (WHERE state = from, and the offer, the
//     assignee and the rating they depend on), so of two changes one wins
//     even without the lock.
//   - The audit log is one hash chain: appending to it takes a transaction
//     advisory lock, so entries are numbered and chained one at a time
//     across all nodes (audit.go).
//   - Transactions run at READ COMMITTED; one that PostgreSQL aborts as a
//     deadlock victim or for a serialization failure is retried.
//
// PostgreSQL commits many transactions with one WAL flush by itself, so
// there is no group commit here (the SQLite engine's group.go).
//
// Encryption at rest (the SQLite engine's seal.go) is not implemented:
// this engine stores plaintext, and Options has no KEK. The sealed run of
// the conformance suite is the SQLite engine's own test. Until sealing is
// ported, encrypt the database's storage instead (an encrypted volume).
package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"switchboard/backend/store"
)

var _ store.Store = (*Store)(nil)

// Options tune a Store. The zero value means defaults.
type Options struct {
	// Now is the clock for timestamps; nil means time.Now.
	Now func() time.Time
	// MaxConns caps the connection pool; 0 means pgxpool's default (the
	// larger of 4 and the number of CPUs) or pool_max_conns in the DSN.
	MaxConns int32
}

// Store is a store.Store on one PostgreSQL database.
type Store struct {
	pool *pgxpool.Pool
	now  func() time.Time
}

// Open connects to the database at dsn (a postgres:// URL or key=value
// string, as pgx takes it) and migrates it to the newest schema.
func Open(ctx context.Context, dsn string, opts Options) (*Store, error) {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("open postgres: %w", err)
	}
	if opts.MaxConns > 0 {
		cfg.MaxConns = opts.MaxConns
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("open postgres: %w", err)
	}
	if err := migrate(ctx, pool); err != nil {
		pool.Close()
		return nil, fmt.Errorf("open postgres: %w", err)
	}
	return &Store{pool: pool, now: opts.Now}, nil
}

// Close closes the pool.
func (s *Store) Close() error {
	s.pool.Close()
	return nil
}

func (s *Store) nowMS() int64 { return s.now().UnixMilli() }

// maxAttempts bounds the retries of a transaction PostgreSQL aborted.
const maxAttempts = 5

// write runs fn in one READ COMMITTED transaction and commits it, running
// it again (fn must be repeatable) when PostgreSQL aborts it as a deadlock
// victim or for a serialization failure.
func (s *Store) write(ctx context.Context, fn func(tx pgx.Tx) error) error {
	for attempt := 1; ; attempt++ {
		err := s.writeOnce(ctx, fn)
		if err == nil || attempt == maxAttempts || !retryable(err) {
			return err
		}
	}
}

// writeOnce runs fn in a transaction. ctx bounds fn, not the commit: once
// fn is done the commit is sent and waited for even if ctx ends, so a
// caller that gave up never reports failure for a write that is stored
// (the SQLite engine's group commit promises the same).
func (s *Store) writeOnce(ctx context.Context, fn func(tx pgx.Tx) error) error {
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		tx.Rollback(context.WithoutCancel(ctx))
		return err
	}
	return tx.Commit(context.WithoutCancel(ctx))
}

func retryable(err error) bool {
	var pe *pgconn.PgError
	if !errors.As(err, &pe) {
		return false
	}
	switch pe.Code {
	case "40001", "40P01": // serialization_failure, deadlock_detected
		return true
	}
	return false
}

// querier is what reads need from the pool and from a transaction, so a
// write can read its own writes with the same helpers.
type querier interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// translate maps driver errors onto the store sentinels.
func translate(err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, pgx.ErrNoRows) {
		return store.ErrNotFound
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch pe.Code {
		case "23505": // unique_violation
			return fmt.Errorf("%w: %s", store.ErrConflict, pe.Message)
		case "23503": // foreign_key_violation
			return fmt.Errorf("%w: %s", store.ErrNotFound, pe.Message)
		}
	}
	return err
}

// list makes a nil list the empty array: pgx sends a nil slice as NULL.
func list(l []string) []string {
	if l == nil {
		return []string{}
	}
	return l
}

// orNil makes an empty list nil, as the SQLite engine returns it.
func orNil(l []string) []string {
	if len(l) == 0 {
		return nil
	}
	return l
}

// EnsureSetting implements store.Store.
func (s *Store) EnsureSetting(ctx context.Context, key, value string) (string, error) {
	var got string
	err := s.write(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO settings (k, v) VALUES ($1, $2) ON CONFLICT (k) DO NOTHING`, key, value); err != nil {
			return err
		}
		return tx.QueryRow(ctx, `SELECT v FROM settings WHERE k = $1`, key).Scan(&got)
	})
	if err != nil {
		return "", fmt.Errorf("ensure setting %s: %w", key, translate(err))
	}
	return got, nil
}

// Setting implements store.Store.
func (s *Store) Setting(ctx context.Context, key string) (string, bool, error) {
	var v string
	err := s.pool.QueryRow(ctx, `SELECT v FROM settings WHERE k = $1`, key).Scan(&v)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", false, nil
	}
	if err != nil {
		return "", false, fmt.Errorf("setting %s: %w", key, translate(err))
	}
	return v, true, nil
}

// PutSetting implements store.Store.
func (s *Store) PutSetting(ctx context.Context, key, value string) error {
	_, err := s.pool.Exec(ctx, `INSERT INTO settings (k, v) VALUES ($1, $2) ON CONFLICT (k) DO UPDATE SET v = excluded.v`, key, value)
	if err != nil {
		return fmt.Errorf("put setting %s: %w", key, translate(err))
	}
	return nil
}

// UpsertTeam implements store.Store.
func (s *Store) UpsertTeam(ctx context.Context, t store.Team) error {
	if t.ID == "" {
		return errors.New("upsert team: empty id")
	}
	_, err := s.pool.Exec(ctx, `INSERT INTO teams (id, name, skills, backup, overflow_at) VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (id) DO UPDATE SET name = excluded.name, skills = excluded.skills,
			backup = excluded.backup, overflow_at = excluded.overflow_at`,
		t.ID, t.Name, list(t.Skills), t.Backup, t.OverflowAt)
	if err != nil {
		return fmt.Errorf("upsert team %s: %w", t.ID, translate(err))
	}
	return nil
}

const teamColumns = `id, name, skills, backup, overflow_at, sla_first_response_ms, sla_wait_ms, sla_next_response_ms`

func scanTeam(sc pgx.Row) (store.Team, error) {
	var t store.Team
	if err := sc.Scan(&t.ID, &t.Name, &t.Skills, &t.Backup, &t.OverflowAt,
		&t.SLA.FirstResponseMS, &t.SLA.WaitMS, &t.SLA.NextResponseMS); err != nil {
		return store.Team{}, err
	}
	t.Skills = orNil(t.Skills)
	return t, nil
}

// Teams implements store.Store.
func (s *Store) Teams(ctx context.Context) ([]store.Team, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+teamColumns+` FROM teams ORDER BY id COLLATE "C"`)
	if err != nil {
		return nil, fmt.Errorf("list teams: %w", err)
	}
	defer rows.Close()
	var out []store.Team
	for rows.Next() {
		t, err := scanTeam(rows)
		if err != nil {
			return nil, fmt.Errorf("list teams: %w", err)
		}
		out = append(out, t)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list teams: %w", err)
	}
	return out, nil
}

// SetTeamSLA implements store.Store.
func (s *Store) SetTeamSLA(ctx context.Context, id string, sla store.SLA) (store.Team, error) {
	t, err := scanTeam(s.pool.QueryRow(ctx, `UPDATE teams SET sla_first_response_ms = $1, sla_wait_ms = $2, sla_next_response_ms = $3
		WHERE id = $4 RETURNING `+teamColumns, sla.FirstResponseMS, sla.WaitMS, sla.NextResponseMS, id))
	if err != nil {
		return store.Team{}, fmt.Errorf("set sla of team %s: %w", id, translate(err))
	}
	return t, nil
}

// DeleteTeam implements store.Store.
func (s *Store) DeleteTeam(ctx context.Context, id string) error {
	err := s.write(ctx, func(tx pgx.Tx) error {
		// The team's row lock (when it exists) makes concurrent deletes
		// and upserts of it wait; the checks read what is committed now.
		if _, err := tx.Exec(ctx, `SELECT 1 FROM teams WHERE id = $1 FOR UPDATE`, id); err != nil {
			return err
		}
		var open, backups int
		if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM conversations WHERE team = $1 AND state NOT IN ('resolved', 'closed')`, id).Scan(&open); err != nil {
			return err
		}
		if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM teams WHERE backup = $1 AND id <> $1`, id).Scan(&backups); err != nil {
			return err
		}
		if open > 0 {
			return fmt.Errorf("%d open conversations are in the team: %w", open, store.ErrConflict)
		}
		if backups > 0 {
			return fmt.Errorf("%d teams overflow to it: %w", backups, store.ErrConflict)
		}
		tag, err := tx.Exec(ctx, `DELETE FROM teams WHERE id = $1`, id)
		if err == nil && tag.RowsAffected() == 0 {
			err = store.ErrNotFound
		}
		if err == nil {
			_, err = tx.Exec(ctx, `DELETE FROM business_hours WHERE team = $1`, id)
		}
		return err
	})
	if err != nil {
		return fmt.Errorf("delete team %s: %w", id, translate(err))
	}
	return nil
}

// UpsertAgent implements store.Store.
func (s *Store) UpsertAgent(ctx context.Context, a store.Agent) (store.Agent, error) {
	if a.Username == "" {
		return store.Agent{}, errors.New("upsert agent: empty username")
	}
	capacity := a.Capacity
	if capacity <= 0 {
		capacity = store.DefaultCapacity
	}
	id := a.ID
	if id == "" {
		id = uuid.NewString()
	}
	var out store.Agent
	err := s.write(ctx, func(tx pgx.Tx) error {
		// One statement creates or updates, so two nodes upserting one
		// username agree on its id.
		var stored string
		if err := tx.QueryRow(ctx, `INSERT INTO agents (id, username, name, role, password_hash, capacity, skills, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
			ON CONFLICT (username) DO UPDATE SET name = excluded.name, role = excluded.role,
				password_hash = excluded.password_hash, capacity = excluded.capacity, skills = excluded.skills
			RETURNING id`, id, a.Username, a.Name, a.Role, a.PasswordHash, capacity, list(a.Skills), s.nowMS()).Scan(&stored); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM agent_teams WHERE agent_id = $1`, stored); err != nil {
			return err
		}
		for _, team := range a.Teams {
			if _, err := tx.Exec(ctx, `INSERT INTO agent_teams (agent_id, team_id) VALUES ($1, $2)
				ON CONFLICT DO NOTHING`, stored, team); err != nil {
				return err
			}
		}
		var err error
		out, err = loadAgent(ctx, tx, `a.id = $1`, stored)
		return err
	})
	if err != nil {
		return store.Agent{}, fmt.Errorf("upsert agent %s: %w", a.Username, translate(err))
	}
	return out, nil
}

// Agent implements store.Store.
func (s *Store) Agent(ctx context.Context, id string) (store.Agent, error) {
	a, err := loadAgent(ctx, s.pool, `a.id = $1`, id)
	if err != nil {
		return store.Agent{}, fmt.Errorf("agent %s: %w", id, translate(err))
	}
	return a, nil
}

// AgentByUsername implements store.Store.
func (s *Store) AgentByUsername(ctx context.Context, username string) (store.Agent, error) {
	a, err := loadAgent(ctx, s.pool, `a.username = $1`, username)
	if err != nil {
		return store.Agent{}, fmt.Errorf("agent %s: %w", username, translate(err))
	}
	return a, nil
}

const agentColumns = `a.id, a.username, a.name, a.role, a.password_hash, a.capacity, a.skills, a.created_at,
	a.disabled, a.token_gen,
	ARRAY(SELECT t.team_id FROM agent_teams t WHERE t.agent_id = a.id ORDER BY t.team_id COLLATE "C")`

func scanAgent(sc pgx.Row) (store.Agent, error) {
	var a store.Agent
	err := sc.Scan(&a.ID, &a.Username, &a.Name, &a.Role, &a.PasswordHash, &a.Capacity, &a.Skills, &a.CreatedAt,
		&a.Disabled, &a.TokenGen, &a.Teams)
	a.Skills, a.Teams = orNil(a.Skills), orNil(a.Teams)
	return a, err
}

func loadAgent(ctx context.Context, q querier, where string, arg any) (store.Agent, error) {
	return scanAgent(q.QueryRow(ctx, `SELECT `+agentColumns+` FROM agents a WHERE `+where, arg))
}

// Agents implements store.Store.
func (s *Store) Agents(ctx context.Context) ([]store.Agent, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+agentColumns+` FROM agents a ORDER BY a.name COLLATE "C", a.id COLLATE "C"`)
	if err != nil {
		return nil, fmt.Errorf("list agents: %w", err)
	}
	defer rows.Close()
	out := []store.Agent{}
	for rows.Next() {
		a, err := scanAgent(rows)
		if err != nil {
			return nil, fmt.Errorf("list agents: %w", err)
		}
		out = append(out, a)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list agents: %w", err)
	}
	return out, nil
}

// SetAgentDisabled implements store.Store.
func (s *Store) SetAgentDisabled(ctx context.Context, id string, disabled bool) (store.Agent, error) {
	bump := 0
	if disabled {
		bump = 1
	}
	a, err := s.updateAgent(ctx, id, `UPDATE agents SET disabled = $2, token_gen = token_gen + $3 WHERE id = $1`, id, disabled, bump)
	if err != nil {
		return store.Agent{}, fmt.Errorf("set agent %s disabled=%v: %w", id, disabled, err)
	}
	return a, nil
}

// RevokeAgentTokens implements store.Store.
func (s *Store) RevokeAgentTokens(ctx context.Context, id string) (store.Agent, error) {
	a, err := s.updateAgent(ctx, id, `UPDATE agents SET token_gen = token_gen + 1 WHERE id = $1`, id)
	if err != nil {
		return store.Agent{}, fmt.Errorf("revoke tokens of agent %s: %w", id, err)
	}
	return a, nil
}

// updateAgent runs an UPDATE of one agent row and returns the agent after
// it; ErrNotFound when no row matched.
func (s *Store) updateAgent(ctx context.Context, id, query string, args ...any) (store.Agent, error) {
	var out store.Agent
	err := s.write(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, query, args...)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return store.ErrNotFound
		}
		out, err = loadAgent(ctx, tx, `a.id = $1`, id)
		return err
	})
	return out, translate(err)
}

// AgentAccess implements store.Store.
func (s *Store) AgentAccess(ctx context.Context) ([]store.AgentAccess, error) {
	rows, err := s.pool.Query(ctx, `SELECT id, disabled, token_gen FROM agents`)
	if err != nil {
		return nil, fmt.Errorf("agent access: %w", err)
	}
	defer rows.Close()
	var out []store.AgentAccess
	for rows.Next() {
		var a store.AgentAccess
		if err := rows.Scan(&a.ID, &a.Disabled, &a.TokenGen); err != nil {
			return nil, fmt.Errorf("agent access: %w", err)
		}
		out = append(out, a)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("agent access: %w", err)
	}
	return out, nil
}

// UpsertCustomer implements store.Store.
func (s *Store) UpsertCustomer(ctx context.Context, c store.Customer) (store.Customer, error) {
	if c.ID == "" {
		return store.Customer{}, errors.New("upsert customer: empty id")
	}
	// NULL keeps the stored verified fields.
	var verified *string
	if c.Verified != nil {
		enc, err := encodeExt(c.Verified)
		if err != nil {
			return store.Customer{}, fmt.Errorf("upsert customer %s: %w", c.ID, err)
		}
		verified = &enc
	}
	out, err := scanCustomer(s.pool.QueryRow(ctx, `INSERT INTO customers (id, name, verified, created_at)
		VALUES ($1, $2, COALESCE($3::text::jsonb, '{}'), $4)
		ON CONFLICT (id) DO UPDATE SET name = CASE WHEN excluded.name <> '' THEN excluded.name ELSE customers.name END,
			verified = CASE WHEN $3::text IS NOT NULL THEN excluded.verified ELSE customers.verified END
		RETURNING `+customerColumns, c.ID, c.Name, verified, s.nowMS()))
	if err != nil {
		return store.Customer{}, fmt.Errorf("upsert customer %s: %w", c.ID, translate(err))
	}
	return out, nil
}

const customerColumns = `id, name, verified::text, created_at`

func scanCustomer(sc pgx.Row) (store.Customer, error) {
	var c store.Customer
	var verified string
	if err := sc.Scan(&c.ID, &c.Name, &verified, &c.CreatedAt); err != nil {
		return c, err
	}
	var err error
	if c.Verified, err = decodeExt(verified); err != nil {
		return c, fmt.Errorf("customer %s verified: %w", c.ID, err)
	}
	return c, nil
}

// Customer implements store.Store.
func (s *Store) Customer(ctx context.Context, id string) (store.Customer, error) {
	c, err := scanCustomer(s.pool.QueryRow(ctx, `SELECT `+customerColumns+` FROM customers WHERE id = $1`, id))
	if err != nil {
		return store.Customer{}, fmt.Errorf("customer %s: %w", id, translate(err))
	}
	return c, nil
}
