// Package sqlite is the single-node engine of the store contract, on
// modernc.org/sqlite (pure Go, so the server builds with CGO_ENABLED=0).
//
// The database runs in WAL mode with synchronous=FULL: a commit is on disk,
// not in a page cache, when it returns, which is what lets the server
// acknowledge a message right after storing it. All writes go through one
// connection (SQLite has one writer anyway; queueing in database/sql is
// cheaper than SQLITE_BUSY retries) and every write transaction starts with
// BEGIN IMMEDIATE so it takes the write lock up front. Reads use a separate
// pool of query-only connections that WAL lets run beside the writer.
// Messages, the hot path, are appended by group commit (group.go): many
// appends share one transaction and one disk flush.
package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/google/uuid"
	sqlite "modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"switchboard/backend/conversation"
	"switchboard/backend/seal"
	"switchboard/backend/store"
	"switchboard/protocol"
)

var (
	_ store.Store      = (*Store)(nil)
	_ store.Backuper   = (*Store)(nil)
	_ store.Locker     = (*Store)(nil)
	_ store.Resealer   = (*Store)(nil)
	_ store.KeyManager = (*Store)(nil)
)

// Options tune a Store. The zero value means defaults.
type Options struct {
	// Now is the clock for timestamps; nil means time.Now.
	Now func() time.Time
	// Readers is the size of the read pool; 0 means max(4, GOMAXPROCS).
	Readers int
	// BusyTimeout is how long a connection waits for a lock held by another
	// process; 0 means 5 seconds.
	BusyTimeout time.Duration
	// MaxBatch is the most appends one group commit takes; 0 means 256.
	MaxBatch int
	// CheckpointEvery is the interval of the background checkpoint
	// (checkpoint.go); 0 means one second.
	CheckpointEvery time.Duration
	// WALRestartFrames is the length of WAL, in frames, from which the
	// background checkpoint has the writer start the WAL over
	// (checkpoint.go); 0 means 4,096 (about 16 MB).
	WALRestartFrames int
	// KEK, when set, turns on encryption at rest (seal.go): it unwraps the
	// data keys, and a database without any gets its first. Nil stores
	// plaintext, and opens an encrypted database locked.
	KEK seal.KEK
}

// Store is a store.Store on one SQLite database file.
type Store struct {
	w   *sql.DB // the one write connection
	r   *sql.DB // query-only read pool
	now func() time.Time

	// The group commit writer (group.go): appends hands it requests, stop
	// ends it, loopDone is closed when it has.
	maxBatch int
	// scratch is the writer goroutine's, reused from batch to batch.
	scratch writerScratch
	// batchRetries counts the group commits run again with savepoints
	// because an append failed after writing (runBatch).
	batchRetries atomic.Int64
	appends      chan *appendReq
	stop         chan struct{}
	loopDone     chan struct{}
	// ckptDone is closed when the background checkpoint has stopped.
	ckptDone chan struct{}
	// walRestart is set by the background checkpoint when the writer is to
	// copy the WAL's last frames and start it over (checkpoint.go);
	// walRestarts counts the times it did.
	walRestart  atomic.Bool
	walRestarts atomic.Int64
	restartAt   int // Options.WALRestartFrames
	closeOnce   sync.Once

	// prepared holds the reads of the append path, by query text,
	// prepared on the write connection at Open and read-only after (its
	// row changes are rawSQL, prepared on the driver: rawStmts).
	prepared map[string]*sql.Stmt
	// chunks are the multi-row INSERTs of a group commit's rows, by
	// statement and number of rows, written at Open and prepared on first
	// use (rawStmts); read-only after.
	chunks map[chunkKey]string
	// readConv is loadConversationSQL prepared on the read pool.
	readConv *sql.Stmt
	// convs is the writer's conversation cache (convcache.go).
	convs convCache
	// outbox says whether appends write outbox entries (outbox.go).
	outbox outboxGate

	// keys seals and opens values (seal.go); nil without a KEK, and then
	// locked says the database holds sealed data all the same.
	keys   *seal.Keyring
	locked bool
	// resealMu guards resealKey and resealFrom: the DEK the reseal pass
	// seals with and, per table, the rowid it reached (-1: done).
	resealMu   sync.Mutex
	resealKey  uint32
	resealFrom map[string]int64
}

// Open opens (creating if needed) the database at path and migrates it to
// the newest schema.
func Open(ctx context.Context, path string, opts Options) (*Store, error) {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Readers <= 0 {
		opts.Readers = max(4, runtime.GOMAXPROCS(0))
	}
	if opts.BusyTimeout <= 0 {
		opts.BusyTimeout = 5 * time.Second
	}
	if err := secureFiles(path); err != nil {
		return nil, err // an *fs.PathError, which names the file
	}
	base := "file:" + escapePath(path) + "?_pragma=" + fmt.Sprintf("busy_timeout(%d)", opts.BusyTimeout.Milliseconds()) +
		"&_pragma=foreign_keys(1)"
	// temp_store: a savepoint's journal in memory, not a temporary file
	// written page by page. cache_size: 16 MiB of pages for the writer, not
	// SQLite's 2, so the index leaves of a thousand busy conversations stay
	// in memory instead of being read back at each append.
	// wal_autocheckpoint: checkpoints run on a connection of their own
	// (checkpoint.go); the writer's is a backstop.
	writer := base + fmt.Sprintf("&_pragma=journal_mode(WAL)&_pragma=synchronous(FULL)&_pragma=temp_store(MEMORY)&_pragma=cache_size(-16384)&_pragma=wal_autocheckpoint(%d)&_txlock=immediate", writerAutocheckpoint)
	if opts.KEK != nil {
		// What an update replaces or a delete removes is overwritten, not
		// left in free pages: the plaintext a reseal replaces is gone.
		writer += "&_pragma=secure_delete(1)"
	}
	w, err := sql.Open("sqlite", writer)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	w.SetConnMaxIdleTime(0)
	// Check the mode took: WAL can silently stay off on file systems that
	// cannot share memory, and then readers would block the writer.
	var mode string
	if err := w.QueryRowContext(ctx, `PRAGMA journal_mode`).Scan(&mode); err != nil {
		w.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	if !strings.EqualFold(mode, "wal") {
		w.Close()
		return nil, fmt.Errorf("open %s: journal mode is %q, want wal", path, mode)
	}
	if err := migrate(ctx, w); err != nil {
		w.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	if err := secureFiles(path); err != nil {
		w.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	r, err := sql.Open("sqlite", base+"&_pragma=query_only(1)")
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	r.SetMaxOpenConns(opts.Readers)
	r.SetMaxIdleConns(opts.Readers)
	if opts.MaxBatch <= 0 {
		opts.MaxBatch = 256
	}
	s := &Store{w: w, r: r, now: opts.Now, maxBatch: opts.MaxBatch,
		appends: make(chan *appendReq), stop: make(chan struct{}), loopDone: make(chan struct{})}
	s.outbox.gen = staleGen
	s.outbox.on.Store(true) // until read, below
	if err := s.openKeys(ctx, opts.KEK); err != nil {
		w.Close()
		r.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	go s.appendLoop()
	// The checkpoint's connection syncs as the writer's does: a checkpoint
	// fsyncs the WAL before it copies, and the database file after.
	c, err := sql.Open("sqlite", base+"&_pragma=synchronous(FULL)")
	if err != nil {
		s.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	c.SetMaxOpenConns(1)
	if opts.CheckpointEvery <= 0 {
		opts.CheckpointEvery = checkpointEvery
	}
	s.ckptDone = make(chan struct{})
	if opts.WALRestartFrames <= 0 {
		opts.WALRestartFrames = restartFrames
	}
	s.restartAt = opts.WALRestartFrames
	go s.checkpointLoop(c, opts.CheckpointEvery, s.ckptDone)
	if err := s.prepare(ctx); err != nil {
		s.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	if err := s.chainLegacyAudit(ctx); err != nil {
		s.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	var hooks bool
	if err := s.w.QueryRowContext(ctx, anyEndpointSQL).Scan(&hooks); err != nil {
		s.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	s.outbox.on.Store(hooks)
	return s, nil
}

// escapePath makes a file path safe inside a SQLite URI filename.
func escapePath(p string) string {
	return strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23").Replace(p)
}

// Close stops the group commit writer and closes both pools.
func (s *Store) Close() error {
	s.closeOnce.Do(func() { close(s.stop) })
	<-s.loopDone
	if s.ckptDone != nil {
		<-s.ckptDone
	}
	for _, st := range s.prepared {
		st.Close()
	}
	if len(s.scratch.raw.stmts) > 0 {
		// The writer is done: its statements go before its connection.
		if c, err := s.w.Conn(context.Background()); err == nil {
			c.Raw(func(ci any) error {
				if ci == s.scratch.raw.ci {
					s.scratch.raw.closeAll()
				}
				return nil
			})
			c.Close()
		}
	}
	if s.readConv != nil {
		s.readConv.Close()
	}
	return errors.Join(s.r.Close(), s.w.Close())
}

func (s *Store) nowMS() int64 { return s.now().UnixMilli() }

// write runs fn in one write transaction and commits it.
func (s *Store) write(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return err
	}
	// Still holding the write connection: no append can cache a copy
	// older than this commit (convcache.go).
	s.convs.drop()
	return tx.Commit()
}

// writeApart is write for a transaction that leaves alone everything a
// conversation is read from (conversations, customers, agents, tags, read
// cursors): tokens, keys, audit, files, timers, webhooks. The writer's
// conversation cache stays.
func (s *Store) writeApart(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return err
	}
	return tx.Commit()
}

// queryer is what reads need from *sql.DB and *sql.Tx, so a write
// transaction can read its own writes with the same helpers.
type queryer interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// translate maps driver errors onto the store sentinels.
func translate(err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, sql.ErrNoRows) {
		return store.ErrNotFound
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() {
		case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
			return fmt.Errorf("%w: %s", store.ErrConflict, se.Error())
		case sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY:
			return fmt.Errorf("%w: %s", store.ErrNotFound, se.Error())
		}
	}
	return err
}

// EnsureSetting implements store.Store.
func (s *Store) EnsureSetting(ctx context.Context, key, value string) (string, error) {
	var got string
	place := ad("settings", "v", key)
	err := s.write(ctx, func(tx *sql.Tx) error {
		var c col
		err := tx.QueryRowContext(ctx, `SELECT v FROM settings WHERE k = ?`, key).Scan(&c)
		if err == nil {
			got, err = s.open(c, place)
			return err
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		var v any = value
		if sealedSettings[key] {
			if v, err = s.sealText(value, place); err != nil {
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO settings (k, v) VALUES (?, ?)`, key, v); err != nil {
			return err
		}
		got = value
		return nil
	})
	if err != nil {
		return "", fmt.Errorf("ensure setting %s: %w", key, translate(err))
	}
	return got, nil
}

// Setting implements store.Store.
func (s *Store) Setting(ctx context.Context, key string) (string, bool, error) {
	var c col
	err := s.r.QueryRowContext(ctx, `SELECT v FROM settings WHERE k = ?`, key).Scan(&c)
	if errors.Is(err, sql.ErrNoRows) {
		return "", false, nil
	}
	if err != nil {
		return "", false, fmt.Errorf("setting %s: %w", key, translate(err))
	}
	v, err := s.open(c, ad("settings", "v", key))
	if err != nil {
		return "", false, fmt.Errorf("setting %s: %w", key, err)
	}
	return v, true, nil
}

// PutSetting implements store.Store.
func (s *Store) PutSetting(ctx context.Context, key, value string) error {
	err := s.write(ctx, func(tx *sql.Tx) error {
		var v any = value
		if sealedSettings[key] {
			var err error
			if v, err = s.sealText(value, ad("settings", "v", key)); err != nil {
				return err
			}
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO settings (k, v) VALUES (?, ?) ON CONFLICT (k) DO UPDATE SET v = excluded.v`, key, v)
		return err
	})
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
	err := s.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO teams (id, name, skills, backup, overflow_at) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (id) DO UPDATE SET name = excluded.name, skills = excluded.skills,
				backup = excluded.backup, overflow_at = excluded.overflow_at`,
			t.ID, t.Name, encodeList(t.Skills), t.Backup, t.OverflowAt)
		return err
	})
	if err != nil {
		return fmt.Errorf("upsert team %s: %w", t.ID, translate(err))
	}
	return nil
}

// Teams implements store.Store.
func (s *Store) Teams(ctx context.Context) ([]store.Team, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT `+teamColumns+` FROM teams ORDER BY id`)
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

const teamColumns = `id, name, skills, backup, overflow_at, sla_first_response_ms, sla_wait_ms, sla_next_response_ms`

func scanTeam(sc interface{ Scan(...any) error }) (store.Team, error) {
	var t store.Team
	var skills string
	if err := sc.Scan(&t.ID, &t.Name, &skills, &t.Backup, &t.OverflowAt,
		&t.SLA.FirstResponseMS, &t.SLA.WaitMS, &t.SLA.NextResponseMS); err != nil {
		return store.Team{}, err
	}
	t.Skills = decodeList(skills)
	return t, nil
}

// SetTeamSLA implements store.Store.
func (s *Store) SetTeamSLA(ctx context.Context, id string, sla store.SLA) (store.Team, error) {
	var t store.Team
	err := s.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE teams SET sla_first_response_ms = ?, sla_wait_ms = ?, sla_next_response_ms = ? WHERE id = ?`,
			sla.FirstResponseMS, sla.WaitMS, sla.NextResponseMS, id)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			return store.ErrNotFound
		}
		t, err = scanTeam(tx.QueryRowContext(ctx, `SELECT `+teamColumns+` FROM teams WHERE id = ?`, id))
		return err
	})
	if err != nil {
		return store.Team{}, fmt.Errorf("set sla of team %s: %w", id, translate(err))
	}
	return t, nil
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
	var out store.Agent
	err := s.write(ctx, func(tx *sql.Tx) error {
		var id string
		err := tx.QueryRowContext(ctx, `SELECT id FROM agents WHERE username = ?`, a.Username).Scan(&id)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			id = a.ID
			if id == "" {
				id = uuid.NewString()
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO agents (id, username, name, role, password_hash, capacity, skills, created_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, id, a.Username, a.Name, a.Role, a.PasswordHash, capacity, encodeList(a.Skills), s.nowMS()); err != nil {
				return err
			}
		case err != nil:
			return err
		default:
			if _, err := tx.ExecContext(ctx, `UPDATE agents SET name = ?, role = ?, password_hash = ?, capacity = ?, skills = ? WHERE id = ?`,
				a.Name, a.Role, a.PasswordHash, capacity, encodeList(a.Skills), id); err != nil {
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM agent_teams WHERE agent_id = ?`, id); err != nil {
			return err
		}
		for _, team := range a.Teams {
			if _, err := tx.ExecContext(ctx, `INSERT INTO agent_teams (agent_id, team_id) VALUES (?, ?)
				ON CONFLICT DO NOTHING`, id, team); err != nil {
				return err
			}
		}
		out, err = loadAgent(ctx, tx, `a.id = ?`, id)
		return err
	})
	if err != nil {
		return store.Agent{}, fmt.Errorf("upsert agent %s: %w", a.Username, translate(err))
	}
	return out, nil
}

// Agent implements store.Store.
func (s *Store) Agent(ctx context.Context, id string) (store.Agent, error) {
	a, err := loadAgent(ctx, s.r, `a.id = ?`, id)
	if err != nil {
		return store.Agent{}, fmt.Errorf("agent %s: %w", id, translate(err))
	}
	return a, nil
}

// AgentByUsername implements store.Store.
func (s *Store) AgentByUsername(ctx context.Context, username string) (store.Agent, error) {
	a, err := loadAgent(ctx, s.r, `a.username = ?`, username)
	if err != nil {
		return store.Agent{}, fmt.Errorf("agent %s: %w", username, translate(err))
	}
	return a, nil
}

// Agents implements store.Store.
func (s *Store) Agents(ctx context.Context) ([]store.Agent, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT id FROM agents ORDER BY name, id`)
	if err != nil {
		return nil, fmt.Errorf("list agents: %w", err)
	}
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, fmt.Errorf("list agents: %w", err)
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list agents: %w", err)
	}
	out := make([]store.Agent, 0, len(ids))
	for _, id := range ids {
		a, err := loadAgent(ctx, s.r, `a.id = ?`, id)
		if err != nil {
			return nil, fmt.Errorf("list agents: %w", translate(err))
		}
		out = append(out, a)
	}
	return out, nil
}

// SetAgentDisabled implements store.Store.
func (s *Store) SetAgentDisabled(ctx context.Context, id string, disabled bool) (store.Agent, error) {
	bump := 0
	if disabled {
		bump = 1
	}
	a, err := s.updateAgent(ctx, id, `UPDATE agents SET disabled = ?, token_gen = token_gen + ? WHERE id = ?`, disabled, bump, id)
	if err != nil {
		return store.Agent{}, fmt.Errorf("set agent %s disabled=%v: %w", id, disabled, err)
	}
	return a, nil
}

// RevokeAgentTokens implements store.Store.
func (s *Store) RevokeAgentTokens(ctx context.Context, id string) (store.Agent, error) {
	a, err := s.updateAgent(ctx, id, `UPDATE agents SET token_gen = token_gen + 1 WHERE id = ?`, id)
	if err != nil {
		return store.Agent{}, fmt.Errorf("revoke tokens of agent %s: %w", id, err)
	}
	return a, nil
}

// updateAgent runs an UPDATE of one agent row and returns the agent after
// it; ErrNotFound when no row matched.
func (s *Store) updateAgent(ctx context.Context, id, query string, args ...any) (store.Agent, error) {
	var out store.Agent
	err := s.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, query, args...)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return store.ErrNotFound
		}
		out, err = loadAgent(ctx, tx, `a.id = ?`, id)
		return err
	})
	return out, translate(err)
}

// AgentAccess implements store.Store.
func (s *Store) AgentAccess(ctx context.Context) ([]store.AgentAccess, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT id, disabled, token_gen FROM agents`)
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

// DeleteTeam implements store.Store.
func (s *Store) DeleteTeam(ctx context.Context, id string) error {
	err := s.write(ctx, func(tx *sql.Tx) error {
		var open, backups int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM conversations WHERE team = ? AND state NOT IN ('resolved', 'closed')`, id).Scan(&open); err != nil {
			return err
		}
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM teams WHERE backup = ? AND id <> ?`, id, id).Scan(&backups); err != nil {
			return err
		}
		if open > 0 {
			return fmt.Errorf("%d open conversations are in the team: %w", open, store.ErrConflict)
		}
		if backups > 0 {
			return fmt.Errorf("%d teams overflow to it: %w", backups, store.ErrConflict)
		}
		res, err := tx.ExecContext(ctx, `DELETE FROM teams WHERE id = ?`, id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return store.ErrNotFound
		}
		_, err = tx.ExecContext(ctx, `DELETE FROM business_hours WHERE team = ?`, id)
		return err
	})
	if err != nil {
		return fmt.Errorf("delete team %s: %w", id, translate(err))
	}
	return nil
}

func loadAgent(ctx context.Context, q queryer, where string, arg any) (store.Agent, error) {
	var a store.Agent
	var skills string
	err := q.QueryRowContext(ctx, `SELECT a.id, a.username, a.name, a.role, a.password_hash, a.capacity, a.skills, a.created_at,
		a.disabled, a.token_gen
		FROM agents a WHERE `+where, arg).Scan(&a.ID, &a.Username, &a.Name, &a.Role, &a.PasswordHash, &a.Capacity, &skills, &a.CreatedAt,
		&a.Disabled, &a.TokenGen)
	if err != nil {
		return a, err
	}
	a.Skills = decodeList(skills)
	rows, err := q.QueryContext(ctx, `SELECT team_id FROM agent_teams WHERE agent_id = ? ORDER BY team_id`, a.ID)
	if err != nil {
		return a, err
	}
	defer rows.Close()
	for rows.Next() {
		var t string
		if err := rows.Scan(&t); err != nil {
			return a, err
		}
		a.Teams = append(a.Teams, t)
	}
	return a, rows.Err()
}

// UpsertCustomer implements store.Store.
func (s *Store) UpsertCustomer(ctx context.Context, c store.Customer) (store.Customer, error) {
	if c.ID == "" {
		return store.Customer{}, errors.New("upsert customer: empty id")
	}
	// NULL keeps the stored verified fields.
	var verified any
	if c.Verified != nil {
		enc, err := encodeExt(c.Verified)
		if err != nil {
			return store.Customer{}, fmt.Errorf("upsert customer %s: %w", c.ID, err)
		}
		if verified, err = s.sealText(enc, ad("customers", "verified", c.ID)); err != nil {
			return store.Customer{}, fmt.Errorf("upsert customer %s: %w", c.ID, err)
		}
	}
	var out store.Customer
	err := s.write(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO customers (id, name, verified, created_at) VALUES (?, ?, COALESCE(?, '{}'), ?)
			ON CONFLICT (id) DO UPDATE SET name = CASE WHEN excluded.name <> '' THEN excluded.name ELSE customers.name END,
				verified = CASE WHEN ? IS NOT NULL THEN excluded.verified ELSE customers.verified END`,
			c.ID, c.Name, verified, s.nowMS(), verified); err != nil {
			return err
		}
		var err error
		out, err = s.scanCustomer(tx.QueryRowContext(ctx, customerSQL, c.ID))
		return err
	})
	if err != nil {
		return store.Customer{}, fmt.Errorf("upsert customer %s: %w", c.ID, translate(err))
	}
	return out, nil
}

const customerSQL = `SELECT id, name, verified, created_at FROM customers WHERE id = ?`

func (s *Store) scanCustomer(sc scanner) (store.Customer, error) {
	var c store.Customer
	var sealed col
	if err := sc.Scan(&c.ID, &c.Name, &sealed, &c.CreatedAt); err != nil {
		return c, err
	}
	verified, err := s.open(sealed, ad("customers", "verified", c.ID))
	if err != nil {
		return c, fmt.Errorf("customer %s verified: %w", c.ID, err)
	}
	if c.Verified, err = decodeExt(verified); err != nil {
		return c, fmt.Errorf("customer %s verified: %w", c.ID, err)
	}
	return c, nil
}

// Customer implements store.Store.
func (s *Store) Customer(ctx context.Context, id string) (store.Customer, error) {
	c, err := s.scanCustomer(s.r.QueryRowContext(ctx, customerSQL, id))
	if err != nil {
		return store.Customer{}, fmt.Errorf("customer %s: %w", id, translate(err))
	}
	return c, nil
}

const convColumns = `c.id, c.customer_id, cu.name, c.channel, c.state, c.team, COALESCE(c.assignee_id, ''),
	COALESCE(a.name, ''), c.handoff_reason, c.ext, c.verified, c.epoch, c.last_seq, c.last_team, c.last_text,
	COALESCE((SELECT r.seq FROM read_cursors r WHERE r.conversation_id = c.id AND r.reader_id = c.customer_id), 0),
	COALESCE((SELECT r.seq FROM read_cursors r WHERE r.conversation_id = c.id AND r.reader_id = c.assignee_id), 0),
	c.priority, c.queued_at, c.offer_agent_id,
	COALESCE((SELECT o.name FROM agents o WHERE o.id = c.offer_agent_id), ''),
	c.offer_expires_at, c.transfer_from_id, c.packet, c.rating, c.rating_comment,
	(SELECT json_group_array(t.tag) FROM conversation_tags t WHERE t.conversation_id = c.id),
	(SELECT json_group_array(json_array(j.value, COALESCE(ja.name, ''))) FROM json_each(c.joined) j
		LEFT JOIN agents ja ON ja.id = j.value),
	c.assist_at, c.assigned_at, c.first_reply_at, c.awaiting_since,
	c.created_at, c.updated_at`

const convFrom = ` FROM conversations c
	JOIN customers cu ON cu.id = c.customer_id
	LEFT JOIN agents a ON a.id = c.assignee_id`

type scanner interface{ Scan(dest ...any) error }

func (s *Store) scanConversation(sc scanner) (store.Conversation, error) {
	var c store.Conversation
	var state, ext, verified, tags, joined string
	var reason, sealedExt, sealedVerified, lastText, packet, comment col
	err := sc.Scan(&c.ID, &c.CustomerID, &c.CustomerName, &c.Channel, &state, &c.Team, &c.AssigneeID,
		&c.AssigneeName, &reason, &sealedExt, &sealedVerified, &c.Epoch, &c.LastSeq, &c.LastTeam, &lastText,
		&c.CustomerReadSeq, &c.AgentReadSeq, &c.Priority, &c.QueuedAt, &c.OfferAgentID, &c.OfferAgentName,
		&c.OfferExpiresAt, &c.TransferFromID, &packet, &c.Rating, &comment, &tags, &joined,
		&c.AssistAt, &c.AssignedAt, &c.FirstReplyAt, &c.AwaitingSince, &c.CreatedAt, &c.UpdatedAt)
	if err != nil {
		return c, err
	}
	if c.Joined, err = decodeJoined(joined); err != nil {
		return c, fmt.Errorf("conversation %s joined: %w", c.ID, err)
	}
	for _, f := range []struct {
		name string
		c    col
		dst  *string
	}{
		{"handoff_reason", reason, &c.HandoffReason}, {"ext", sealedExt, &ext}, {"verified", sealedVerified, &verified},
		{"last_text", lastText, &c.LastText},
		{"packet", packet, &c.Packet}, {"rating_comment", comment, &c.RatingComment},
	} {
		if *f.dst, err = s.open(f.c, ad("conversations", f.name, c.ID)); err != nil {
			return c, fmt.Errorf("conversation %s %s: %w", c.ID, f.name, err)
		}
	}
	c.State = conversation.State(state)
	if c.Ext, err = decodeExt(ext); err != nil {
		return c, fmt.Errorf("conversation %s ext: %w", c.ID, err)
	}
	if c.Verified, err = decodeExt(verified); err != nil {
		return c, fmt.Errorf("conversation %s verified: %w", c.ID, err)
	}
	if c.Tags, err = decodeTags(tags); err != nil {
		return c, fmt.Errorf("conversation %s tags: %w", c.ID, err)
	}
	return c, nil
}

const loadConversationSQL = `SELECT ` + convColumns + convFrom + ` WHERE c.id = ?`

func (s *Store) loadConversation(ctx context.Context, q queryer, id string) (store.Conversation, error) {
	return s.scanConversation(q.QueryRowContext(ctx, loadConversationSQL, id))
}

// CreateConversation implements store.Store.
func (s *Store) CreateConversation(ctx context.Context, nc store.NewConversation) (store.Conversation, store.Message, error) {
	to, err := conversation.Transition(conversation.None, conversation.Open)
	if err != nil {
		return store.Conversation{}, store.Message{}, fmt.Errorf("create conversation: %w: %w", store.ErrIllegalState, err)
	}
	if nc.ID == "" {
		nc.ID = uuid.Must(uuid.NewV7()).String()
	}
	plainExt, err := encodeExt(nc.Ext)
	if err != nil {
		return store.Conversation{}, store.Message{}, fmt.Errorf("create conversation: %w", err)
	}
	ext, err := s.sealText(plainExt, ad("conversations", "ext", nc.ID))
	if err != nil {
		return store.Conversation{}, store.Message{}, fmt.Errorf("create conversation: %w", err)
	}
	plainVerified, err := encodeExt(nc.Verified)
	if err != nil {
		return store.Conversation{}, store.Message{}, fmt.Errorf("create conversation: %w", err)
	}
	verified, err := s.sealText(plainVerified, ad("conversations", "verified", nc.ID))
	if err != nil {
		return store.Conversation{}, store.Message{}, fmt.Errorf("create conversation: %w", err)
	}
	var conv store.Conversation
	var msg store.Message
	err = s.write(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM conversations
			WHERE customer_id = ? AND state NOT IN ('resolved', 'closed')`, nc.CustomerID).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return fmt.Errorf("%w: customer %s already has an open conversation", store.ErrConflict, nc.CustomerID)
		}
		now := s.nowMS()
		if _, err := tx.ExecContext(ctx, `INSERT INTO conversations
			(id, customer_id, channel, state, ext, verified, priority, epoch, last_seq, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, 1, 0, ?, ?)`, nc.ID, nc.CustomerID, nc.Channel, string(to), ext, verified,
			store.Priority(nc.Verified), now, now); err != nil {
			return err
		}
		m := nc.Opened
		m.ConversationID = nc.ID
		if m.Event != nil {
			ev := *m.Event
			ev.From, ev.To = string(conversation.None), string(to)
			m.Event = &ev
		}
		var err error
		if msg, err = s.insertMessage(ctx, tx, m, 0, now, false); err != nil {
			return err
		}
		if err := s.audit(ctx, tx, store.AuditEntry{TS: now, Actor: nc.Actor, Action: string(conversation.Open),
			ConversationID: nc.ID, Detail: "to=" + string(to)}); err != nil {
			return err
		}
		conv, err = s.loadConversation(ctx, tx, nc.ID)
		return err
	})
	if err != nil {
		return store.Conversation{}, store.Message{}, fmt.Errorf("create conversation customer=%s: %w", nc.CustomerID, translate(err))
	}
	return conv, msg, nil
}

// Conversation implements store.Store.
func (s *Store) Conversation(ctx context.Context, id string) (store.Conversation, error) {
	// Every frame about a conversation loads it to check access: a recent
	// append left it in the cache, else the statement is prepared once per
	// read connection, not parsed per call.
	if c, ok := s.convs.read(id, time.Now()); ok {
		return c, nil
	}
	c, err := s.scanConversation(s.readConv.QueryRowContext(ctx, id))
	if err != nil {
		return store.Conversation{}, fmt.Errorf("conversation %s: %w", id, translate(err))
	}
	return c, nil
}

// OpenConversationOf implements store.Store.
func (s *Store) OpenConversationOf(ctx context.Context, customerID string) (store.Conversation, error) {
	c, err := s.scanConversation(s.r.QueryRowContext(ctx, `SELECT `+convColumns+convFrom+`
		WHERE c.customer_id = ? AND c.state NOT IN ('resolved', 'closed')
		ORDER BY c.created_at DESC LIMIT 1`, customerID))
	if err != nil {
		return store.Conversation{}, fmt.Errorf("open conversation of %s: %w", customerID, translate(err))
	}
	return c, nil
}

// ListConversations implements store.Store.
func (s *Store) ListConversations(ctx context.Context, f store.ConversationFilter) ([]store.Conversation, error) {
	var where []string
	var args []any
	if f.CustomerID != "" {
		where = append(where, "c.customer_id = ?")
		args = append(args, f.CustomerID)
	}
	if f.AssigneeID != "" {
		where = append(where, "c.assignee_id = ?")
		args = append(args, f.AssigneeID)
	}
	if f.OfferAgentID != "" {
		where = append(where, "c.offer_agent_id = ?")
		args = append(args, f.OfferAgentID)
	}
	if len(f.Teams) > 0 {
		where = append(where, "c.team IN ("+placeholders(len(f.Teams))+")")
		for _, t := range f.Teams {
			args = append(args, t)
		}
	}
	if len(f.States) > 0 {
		where = append(where, "c.state IN ("+placeholders(len(f.States))+")")
		for _, st := range f.States {
			args = append(args, string(st))
		}
	}
	if f.CreatedSince != 0 {
		where = append(where, "c.created_at >= ?")
		args = append(args, f.CreatedSince)
	}
	if f.CreatedUntil != 0 {
		where = append(where, "c.created_at < ?")
		args = append(args, f.CreatedUntil)
	}
	if f.ByCreated && f.AfterID != "" {
		where = append(where, "(c.created_at < ? OR (c.created_at = ? AND c.id < ?))")
		args = append(args, f.AfterCreated, f.AfterCreated, f.AfterID)
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 500
	}
	q := `SELECT ` + convColumns + convFrom
	if len(where) > 0 {
		q += ` WHERE ` + strings.Join(where, " AND ")
	}
	// Fields may be sealed (encryption at rest), so a field filter reads
	// them decrypted: it scans the matching rows in order and keeps the
	// first limit that have the field, as a JSON filter in SQL would scan.
	byField := f.Field != ""
	sqlLimit := limit
	if byField {
		sqlLimit = -1 // no limit
	}
	switch {
	case f.ByCreated:
		q += ` ORDER BY c.created_at DESC, c.id DESC LIMIT ?`
	case f.QueueOrder:
		q += ` ORDER BY c.priority DESC, c.queued_at, c.rowid LIMIT ?`
	case f.Newest:
		q += ` ORDER BY c.updated_at DESC, c.id DESC LIMIT ?`
	default:
		q += ` ORDER BY c.updated_at, c.id LIMIT ?`
	}
	args = append(args, sqlLimit)
	rows, err := s.r.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("list conversations: %w", err)
	}
	defer rows.Close()
	out := []store.Conversation{}
	for rows.Next() && len(out) < limit {
		c, err := s.scanConversation(rows)
		if err != nil {
			return nil, fmt.Errorf("list conversations: %w", err)
		}
		if byField && c.Ext[f.Field] != f.FieldValue && c.Verified[f.Field] != f.FieldValue {
			continue
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list conversations: %w", err)
	}
	return out, nil
}

// AgentLoad implements store.Store. Both counts are read from indexes
// (conversations_by_assignee, conversations_by_offer).
func (s *Store) AgentLoad(ctx context.Context, agentID string, states []conversation.State) (int, error) {
	args := []any{agentID}
	assigned := `0`
	if len(states) > 0 {
		assigned = `(SELECT count(*) FROM conversations WHERE assignee_id = ?1 AND state IN (` + placeholders(len(states)) + `))`
		for _, st := range states {
			args = append(args, string(st))
		}
	}
	var n int
	err := s.r.QueryRowContext(ctx, `SELECT `+assigned+` + (SELECT count(*) FROM conversations
		WHERE offer_agent_id = ?1 AND offer_agent_id <> '' AND coalesce(assignee_id, '') <> ?1)`, args...).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("agent load %s: %w", agentID, translate(err))
	}
	return n, nil
}

func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?,", n), ",")
}

// MergeExt implements store.Store.
func (s *Store) MergeExt(ctx context.Context, id string, ext map[string]string) (store.Conversation, error) {
	var conv store.Conversation
	err := s.write(ctx, func(tx *sql.Tx) error {
		place := ad("conversations", "ext", id)
		var c col
		if err := tx.QueryRowContext(ctx, `SELECT ext FROM conversations WHERE id = ?`, id).Scan(&c); err != nil {
			return err
		}
		raw, err := s.open(c, place)
		if err != nil {
			return err
		}
		cur, err := decodeExt(raw)
		if err != nil {
			return err
		}
		if cur == nil {
			cur = map[string]string{}
		}
		for k, v := range ext {
			cur[k] = v
		}
		plain, err := encodeExt(cur)
		if err != nil {
			return err
		}
		enc, err := s.sealText(plain, place)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE conversations SET ext = ?, updated_at = ? WHERE id = ?`,
			enc, s.nowMS(), id); err != nil {
			return err
		}
		conv, err = s.loadConversation(ctx, tx, id)
		return err
	})
	if err != nil {
		return store.Conversation{}, fmt.Errorf("merge ext conv=%s: %w", id, translate(err))
	}
	return conv, nil
}

// SetVerified implements store.Store.
func (s *Store) SetVerified(ctx context.Context, id string, verified map[string]string) (store.Conversation, error) {
	plain, err := encodeExt(verified)
	if err != nil {
		return store.Conversation{}, fmt.Errorf("set verified conv=%s: %w", id, err)
	}
	enc, err := s.sealText(plain, ad("conversations", "verified", id))
	if err != nil {
		return store.Conversation{}, fmt.Errorf("set verified conv=%s: %w", id, err)
	}
	var conv store.Conversation
	err = s.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE conversations SET verified = ?, priority = ?, updated_at = ? WHERE id = ?`,
			enc, store.Priority(verified), s.nowMS(), id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return store.ErrNotFound
		}
		conv, err = s.loadConversation(ctx, tx, id)
		return err
	})
	if err != nil {
		return store.Conversation{}, fmt.Errorf("set verified conv=%s: %w", id, translate(err))
	}
	return conv, nil
}

// SetLastTeam implements store.Store.
func (s *Store) SetLastTeam(ctx context.Context, id, team string) error {
	err := s.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE conversations SET last_team = ? WHERE id = ?`, team, id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return store.ErrNotFound
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("set last team conv=%s: %w", id, translate(err))
	}
	return nil
}

// ChangeState implements store.Store.
func (s *Store) ChangeState(ctx context.Context, sc store.StateChange) (store.Conversation, store.Message, error) {
	var conv store.Conversation
	var msg store.Message
	err := s.write(ctx, func(tx *sql.Tx) error {
		var err error
		conv, msg, err = s.changeStateTx(ctx, tx, sc)
		return err
	})
	if err != nil {
		return store.Conversation{}, store.Message{}, fmt.Errorf("change state conv=%s event=%s: %w", sc.ConversationID, sc.Event, translate(err))
	}
	return conv, msg, nil
}

// changeStateTx is ChangeState inside a transaction.
func (s *Store) changeStateTx(ctx context.Context, tx execQueryer, sc store.StateChange) (store.Conversation, store.Message, error) {
	var conv store.Conversation
	var msg store.Message
	var from, joinedBefore string
	var lastSeq int64
	if err := tx.QueryRowContext(ctx, `SELECT state, last_seq, joined FROM conversations WHERE id = ?`, sc.ConversationID).
		Scan(&from, &lastSeq, &joinedBefore); err != nil {
		return conv, msg, err
	}
	to, err := conversation.Transition(conversation.State(from), sc.Event)
	if err != nil {
		return conv, msg, fmt.Errorf("%w: %w", store.ErrIllegalState, err)
	}
	joined, err := nextJoined(joinedBefore, sc, to)
	if err != nil {
		return conv, msg, err
	}
	var assist sql.NullInt64
	if sc.Assist != nil {
		assist = sql.NullInt64{Int64: *sc.Assist, Valid: true}
	}
	if sc.IfState != "" && conversation.State(from) != sc.IfState {
		return conv, msg, fmt.Errorf("%w: %s needs state %s, not %s", store.ErrIllegalState, sc.Event, sc.IfState, from)
	}
	if sc.IfTimer != nil {
		armed, err := timerArmedTx(ctx, tx, sc.ConversationID, *sc.IfTimer)
		if err != nil {
			return conv, msg, err
		}
		if !armed {
			return conv, msg, fmt.Errorf("%w: %s timer %d is no longer armed", store.ErrIllegalState, sc.IfTimer.Kind, sc.IfTimer.Version)
		}
	}
	if sc.IfOffer != nil || sc.Rating != nil {
		var offer string
		var rating int
		if err := tx.QueryRowContext(ctx, `SELECT offer_agent_id, rating FROM conversations WHERE id = ?`, sc.ConversationID).
			Scan(&offer, &rating); err != nil {
			return conv, msg, err
		}
		if sc.IfOffer != nil && offer != *sc.IfOffer {
			return conv, msg, fmt.Errorf("%w: the conversation is offered to %q, not %q", store.ErrIllegalState, offer, *sc.IfOffer)
		}
		if sc.Rating != nil && rating != 0 {
			return conv, msg, fmt.Errorf("%w: the conversation is rated already", store.ErrIllegalState)
		}
	}
	if sc.IfAssignee != nil {
		var assignee string
		if err := tx.QueryRowContext(ctx, `SELECT COALESCE(assignee_id, '') FROM conversations WHERE id = ?`, sc.ConversationID).
			Scan(&assignee); err != nil {
			return conv, msg, err
		}
		if assignee != *sc.IfAssignee {
			return conv, msg, fmt.Errorf("%w: the conversation is assigned to %q, not %q", store.ErrIllegalState, assignee, *sc.IfAssignee)
		}
	}
	if err := changeTimersTx(ctx, tx, sc); err != nil {
		return conv, msg, err
	}
	now := s.nowMS()
	// The state condition makes the update lose, not overwrite, when
	// another writer moved the conversation since it was read. With one
	// write connection that cannot happen here, but an engine with
	// concurrent writers relies on it, and the contract is the same.
	var offerExpires sql.NullInt64
	if sc.OfferAgentID != nil {
		offerExpires = sql.NullInt64{Int64: sc.OfferExpiresAt, Valid: true}
		if *sc.OfferAgentID == "" {
			offerExpires.Int64 = 0
		}
	}
	var rating sql.NullInt64
	var ratingComment sql.NullString
	if sc.Rating != nil {
		rating = sql.NullInt64{Int64: int64(sc.Rating.Score), Valid: true}
		ratingComment = sql.NullString{String: sc.Rating.Comment, Valid: true}
	}
	sealedComment, err := s.sealNull(ratingComment, ad("conversations", "rating_comment", sc.ConversationID))
	if err != nil {
		return conv, msg, err
	}
	reason, err := s.sealNull(nullable(sc.HandoffReason), ad("conversations", "handoff_reason", sc.ConversationID))
	if err != nil {
		return conv, msg, err
	}
	packet, err := s.sealNull(nullable(sc.Packet), ad("conversations", "packet", sc.ConversationID))
	if err != nil {
		return conv, msg, err
	}
	// A new assignee (not a change to none) starts the first-reply clock
	// and lowers a request for help; so does leaving the worked states.
	newAssignee := sc.AssigneeID != nil && *sc.AssigneeID != ""
	worked := to == conversation.Active || to == conversation.WaitingCustomer
	// Every change ends a router's queue lease (store.QueueClaims): an
	// offer is what the lease was for, and after any other change the
	// conversation is worth a fresh look by every router.
	res, err := tx.ExecContext(ctx, `UPDATE conversations SET state = ?,
			team = COALESCE(?, team),
			assigned_at = CASE WHEN ? AND COALESCE(assignee_id, '') <> ? THEN ? ELSE assigned_at END,
			first_reply_at = CASE WHEN ? AND COALESCE(assignee_id, '') <> ? THEN 0 ELSE first_reply_at END,
			assist_at = CASE WHEN ? THEN ?
				WHEN NOT ? OR (? AND COALESCE(assignee_id, '') <> ?) THEN 0 ELSE assist_at END,
			joined = ?,
			assignee_id = CASE WHEN ? THEN NULLIF(?, '') ELSE assignee_id END,
			handoff_reason = COALESCE(?, handoff_reason),
			queued_at = CASE WHEN ? = 'queued' AND state <> 'queued' THEN ? ELSE queued_at END,
			offer_agent_id = COALESCE(?, offer_agent_id),
			offer_expires_at = COALESCE(?, offer_expires_at),
			transfer_from_id = COALESCE(?, transfer_from_id),
			packet = COALESCE(?, packet),
			rating = COALESCE(?, rating),
			rating_comment = COALESCE(?, rating_comment),
			route_lease_until = 0,
			route_lease_node = '',
			updated_at = ?
		WHERE id = ? AND state = ?`,
		string(to), nullable(sc.Team),
		newAssignee, deref(sc.AssigneeID), now,
		newAssignee, deref(sc.AssigneeID),
		assist.Valid, assist.Int64, worked, newAssignee, deref(sc.AssigneeID),
		joined,
		sc.AssigneeID != nil, deref(sc.AssigneeID), reason,
		string(to), now,
		nullable(sc.OfferAgentID), offerExpires, nullable(sc.TransferFromID), packet,
		rating, sealedComment, now,
		sc.ConversationID, from)
	if err != nil {
		return conv, msg, err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return conv, msg, fmt.Errorf("%w: conversation changed concurrently", store.ErrIllegalState)
	}
	if sc.Refuse != "" {
		if _, err := tx.ExecContext(ctx, `INSERT INTO offer_refusals (conversation_id, agent_id, created_at) VALUES (?, ?, ?)
			ON CONFLICT DO NOTHING`, sc.ConversationID, sc.Refuse, now); err != nil {
			return conv, msg, err
		}
	}
	if g := sc.Capacity; g != nil {
		// One writer: nothing else changes the load before the commit.
		var load int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM conversations
			WHERE (assignee_id = ? AND state IN ('active', 'waiting_customer'))
				OR (offer_agent_id = ? AND COALESCE(assignee_id, '') <> ?)`, g.AgentID, g.AgentID, g.AgentID).Scan(&load); err != nil {
			return conv, msg, err
		}
		if load > g.Max {
			return conv, msg, fmt.Errorf("%w: agent %s would have %d conversations, capacity %d", store.ErrLimit, g.AgentID, load, g.Max)
		}
	}
	m := sc.Message
	m.ConversationID = sc.ConversationID
	if m.Event != nil {
		ev := *m.Event
		ev.From, ev.To = from, string(to)
		m.Event = &ev
	}
	if msg, err = s.insertMessage(ctx, tx, m, lastSeq, now, false); err != nil {
		return conv, msg, err
	}
	for i, then := range sc.Then {
		then.ConversationID = sc.ConversationID
		if _, err := s.insertMessage(ctx, tx, then, msg.Seq+int64(i), now, false); err != nil {
			return conv, msg, err
		}
	}
	if err := s.audit(ctx, tx, store.AuditEntry{TS: now, Actor: sc.Actor, Action: string(sc.Event),
		ConversationID: sc.ConversationID, Detail: "from=" + from + " to=" + string(to)}); err != nil {
		return conv, msg, err
	}
	conv, err = s.loadConversation(ctx, tx, sc.ConversationID)
	return conv, msg, err
}

// Refusals implements store.Store.
func (s *Store) Refusals(ctx context.Context, conversationID string) ([]string, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT agent_id FROM offer_refusals WHERE conversation_id = ?`, conversationID)
	if err != nil {
		return nil, fmt.Errorf("refusals conv=%s: %w", conversationID, err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("refusals conv=%s: %w", conversationID, err)
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

// decodeJoined reads the joined supervisors as convColumns lists them:
// [[id, name], …].
func decodeJoined(s string) ([]store.Staff, error) {
	var pairs [][2]string
	if err := json.Unmarshal([]byte(s), &pairs); err != nil {
		return nil, err
	}
	if len(pairs) == 0 {
		return nil, nil
	}
	out := make([]store.Staff, len(pairs))
	for i, p := range pairs {
		out[i] = store.Staff{ID: p[0], Name: p[1]}
	}
	return out, nil
}

// nextJoined is the joined list (agent ids, JSON) after sc, given the list
// before and the state the change leads to.
func nextJoined(before string, sc store.StateChange, to conversation.State) (string, error) {
	if to != conversation.Active && to != conversation.WaitingCustomer {
		return "[]", nil
	}
	if sc.Join == "" && sc.Leave == "" {
		return before, nil
	}
	var ids []string
	if err := json.Unmarshal([]byte(before), &ids); err != nil {
		return "", fmt.Errorf("joined: %w", err)
	}
	ids = slices.DeleteFunc(ids, func(id string) bool { return id == sc.Leave || id == sc.Join })
	if sc.Join != "" {
		ids = append(ids, sc.Join)
	}
	return encodeList(ids), nil
}

func encodeList(l []string) string {
	if len(l) == 0 {
		return "[]"
	}
	b, _ := json.Marshal(l)
	return string(b)
}

func decodeList(s string) []string {
	var l []string
	if json.Unmarshal([]byte(s), &l) != nil || len(l) == 0 {
		return nil
	}
	return l
}

func nullable(p *string) sql.NullString {
	if p == nil {
		return sql.NullString{}
	}
	return sql.NullString{String: *p, Valid: true}
}

func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

func containsState(list []conversation.State, s conversation.State) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

const insertMessageSQL = `INSERT INTO messages
	(conversation_id, seq, client_msg_id, sender_role, sender_id, sender_name, kind, visibility, text, event, ext, created_at,
	 attachment_id, attachment, card)
	VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`

// insertOutboxSQL gives every stored message its outbox entry (see
// store.Webhooks), in the message's own transaction.
const insertOutboxSQL = `INSERT INTO outbox (conversation_id, seq, kind, event_type, visibility, created_at)
	VALUES (?, ?, ?, ?, ?, ?)`

const advanceSeqSQL = `UPDATE conversations SET last_seq = ?, updated_at = ?,
		last_text = CASE WHEN ? THEN ? ELSE last_text END,
		awaiting_since = CASE WHEN ? AND awaiting_since = 0 THEN ? WHEN ? THEN 0 ELSE awaiting_since END,
		first_reply_at = CASE WHEN ? AND first_reply_at = 0 AND assignee_id = ? THEN ? ELSE first_reply_at END
	WHERE id = ? AND last_seq = ?`

// insertMessage stores m as seq lastSeq+1 and moves the conversation's
// last_seq with it. The caller's transaction read lastSeq, so allocation and
// insert are one atomic step.
func (s *Store) insertMessage(ctx context.Context, tx execQueryer, m store.NewMessage, lastSeq, now int64, deferred bool) (store.Message, error) {
	if m.ClientMsgID == "" {
		return store.Message{}, errors.New("message without client_msg_id")
	}
	seq := lastSeq + 1
	var event, ext sql.NullString
	if m.Event != nil {
		b, err := json.Marshal(m.Event)
		if err != nil {
			return store.Message{}, err
		}
		event = sql.NullString{String: string(b), Valid: true}
	}
	if len(m.Ext) > 0 {
		b, err := json.Marshal(m.Ext)
		if err != nil {
			return store.Message{}, err
		}
		ext = sql.NullString{String: string(b), Valid: true}
	}
	var attID, att, card sql.NullString
	if m.Attachment != nil {
		b, err := json.Marshal(m.Attachment)
		if err != nil {
			return store.Message{}, err
		}
		attID = sql.NullString{String: m.Attachment.ID, Valid: true}
		att = sql.NullString{String: string(b), Valid: true}
	}
	if m.Card != nil {
		b, err := json.Marshal(m.Card)
		if err != nil {
			return store.Message{}, err
		}
		card = sql.NullString{String: string(b), Valid: true}
	}
	var sealed [5]any
	for i, f := range [...]struct {
		name string
		v    sql.NullString
	}{
		{"text", sql.NullString{String: m.Text, Valid: true}}, {"event", event}, {"ext", ext}, {"attachment", att}, {"card", card},
	} {
		var err error
		if sealed[i], err = s.sealMessageCol(f.v, f.name, m.ConversationID, seq); err != nil {
			return store.Message{}, err
		}
	}
	var last any = ""
	if m.UpdatesLastText() {
		// The additional data only where there is a key to seal with: it
		// is built for nothing on a store without one.
		var data []byte
		if s.keys != nil {
			data = ad("conversations", "last_text", m.ConversationID)
		}
		var err error
		if last, err = s.sealText(m.PreviewText(), data); err != nil {
			return store.Message{}, err
		}
	}
	eventType := ""
	if m.Event != nil {
		eventType = m.Event.Type
	}
	msg := store.Message{
		ConversationID: m.ConversationID, Seq: seq, ClientMsgID: m.ClientMsgID,
		SenderRole: m.SenderRole, SenderID: m.SenderID, SenderName: m.SenderName,
		Kind: m.Kind, Visibility: m.Visibility, Text: m.Text, Event: m.Event, Attachment: m.Attachment, Card: m.Card,
		Ext: m.Ext, CreatedAt: now,
	}
	row := []any{m.ConversationID, seq, m.ClientMsgID, m.SenderRole, m.SenderID, m.SenderName, m.Kind, m.Visibility,
		sealed[0], sealed[1], sealed[2], now, attID, sealed[3], sealed[4]}
	var entry []any
	if s.outbox.on.Load() {
		entry = []any{m.ConversationID, seq, m.Kind, eventType, m.Visibility, now}
	}
	if st, ok := tx.(stmtTx); ok && st.pend != nil {
		// In a group commit: inserted with the batch's other rows.
		st.pend.add(msg, row, entry)
		if deferred {
			// And the conversation moved on with the batch's others.
			st.pend.advanceConv(m.ConversationID, lastSeq, seq, now, m.UpdatesLastText(), last)
			return msg, nil
		}
		// Moved on now: what the batch kept back of it goes first.
		if err := st.pend.flushConv(ctx, st, m.ConversationID); err != nil {
			return store.Message{}, err
		}
	} else {
		if _, err := tx.ExecContext(ctx, insertMessageSQL, row...); err != nil {
			return store.Message{}, err
		}
		if entry != nil {
			if _, err := tx.ExecContext(ctx, insertOutboxSQL, entry...); err != nil {
				return store.Message{}, err
			}
		}
	}
	res, err := tx.ExecContext(ctx, advanceSeqSQL,
		seq, now, m.UpdatesLastText(), last,
		m.CustomerWrote(), now, m.StaffAnswered(),
		m.StaffAnswered(), m.SenderID, now,
		m.ConversationID, lastSeq)
	if err != nil {
		return store.Message{}, err
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return store.Message{}, fmt.Errorf("%w: seq %d was allocated concurrently", store.ErrConflict, seq)
	}
	return msg, nil
}

const msgColumns = `conversation_id, seq, client_msg_id, sender_role, sender_id, sender_name, kind, visibility,
	text, event, ext, created_at, attachment, card`

func (s *Store) scanMessage(sc scanner) (store.Message, error) {
	var m store.Message
	var event, ext, att, card sql.NullString
	var sealed [5]col
	if err := sc.Scan(&m.ConversationID, &m.Seq, &m.ClientMsgID, &m.SenderRole, &m.SenderID, &m.SenderName,
		&m.Kind, &m.Visibility, &sealed[0], &sealed[1], &sealed[2], &m.CreatedAt, &sealed[3], &sealed[4]); err != nil {
		return m, err
	}
	var text sql.NullString
	for i, f := range []struct {
		name string
		dst  *sql.NullString
	}{{"text", &text}, {"event", &event}, {"ext", &ext}, {"attachment", &att}, {"card", &card}} {
		var err error
		if *f.dst, err = s.openNull(sealed[i], adMessage(f.name, m.ConversationID, m.Seq)); err != nil {
			return m, fmt.Errorf("message %s/%d %s: %w", m.ConversationID, m.Seq, f.name, err)
		}
	}
	m.Text = text.String
	if att.Valid {
		m.Attachment = new(store.Attachment)
		if err := json.Unmarshal([]byte(att.String), m.Attachment); err != nil {
			return m, fmt.Errorf("message %s/%d attachment: %w", m.ConversationID, m.Seq, err)
		}
	}
	if card.Valid {
		m.Card = new(store.Card)
		if err := json.Unmarshal([]byte(card.String), m.Card); err != nil {
			return m, fmt.Errorf("message %s/%d card: %w", m.ConversationID, m.Seq, err)
		}
	}
	if event.Valid {
		m.Event = new(store.Event)
		if err := json.Unmarshal([]byte(event.String), m.Event); err != nil {
			return m, fmt.Errorf("message %s/%d event: %w", m.ConversationID, m.Seq, err)
		}
	}
	if ext.Valid {
		var err error
		if m.Ext, err = decodeExt(ext.String); err != nil {
			return m, fmt.Errorf("message %s/%d ext: %w", m.ConversationID, m.Seq, err)
		}
	}
	return m, nil
}

// Messages implements store.Store.
func (s *Store) Messages(ctx context.Context, q store.MessageQuery) ([]store.Message, error) {
	limit := q.Limit
	if limit <= 0 {
		limit = 500
	}
	query := `SELECT ` + msgColumns + ` FROM messages WHERE conversation_id = ? AND seq > ?`
	args := []any{q.ConversationID, q.AfterSeq}
	if q.BeforeSeq > 0 {
		query += ` AND seq < ?`
		args = append(args, q.BeforeSeq)
	}
	if q.PublicOnly {
		query += ` AND visibility = ?`
		args = append(args, protocol.VisibilityPublic)
	}
	if q.BeforeSeq > 0 {
		query += ` ORDER BY seq DESC LIMIT ?`
	} else {
		query += ` ORDER BY seq LIMIT ?`
	}
	args = append(args, limit)
	rows, err := s.r.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("messages conv=%s: %w", q.ConversationID, err)
	}
	defer rows.Close()
	out := []store.Message{}
	for rows.Next() {
		m, err := s.scanMessage(rows)
		if err != nil {
			return nil, fmt.Errorf("messages conv=%s: %w", q.ConversationID, err)
		}
		out = append(out, m)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("messages conv=%s: %w", q.ConversationID, err)
	}
	if q.BeforeSeq > 0 {
		slices.Reverse(out)
	}
	return out, nil
}

// MarkRead implements store.Store.
func (s *Store) MarkRead(ctx context.Context, m store.ReadMark) (int64, bool, error) {
	var cur int64
	var moved bool
	err := s.write(ctx, func(tx *sql.Tx) error {
		var last int64
		if err := tx.QueryRowContext(ctx, `SELECT last_seq FROM conversations WHERE id = ?`, m.ConversationID).Scan(&last); err != nil {
			return err
		}
		want := min(max(m.Seq, 0), last)
		err := tx.QueryRowContext(ctx, `SELECT seq FROM read_cursors WHERE conversation_id = ? AND reader_id = ?`,
			m.ConversationID, m.ReaderID).Scan(&cur)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		if want <= cur {
			return nil
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO read_cursors (conversation_id, reader_id, reader_role, seq, updated_at)
			VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (conversation_id, reader_id) DO UPDATE SET seq = excluded.seq, reader_role = excluded.reader_role,
				updated_at = excluded.updated_at`,
			m.ConversationID, m.ReaderID, m.ReaderRole, want, s.nowMS()); err != nil {
			return err
		}
		cur, moved = want, true
		return nil
	})
	if err != nil {
		return 0, false, fmt.Errorf("mark read conv=%s reader=%s: %w", m.ConversationID, m.ReaderID, translate(err))
	}
	return cur, moved, nil
}

func encodeExt(m map[string]string) (string, error) {
	if len(m) == 0 {
		return "{}", nil
	}
	b, err := json.Marshal(m)
	if err != nil {
		return "", fmt.Errorf("encode ext: %w", err)
	}
	return string(b), nil
}

func decodeExt(s string) (map[string]string, error) {
	if s == "" || s == "{}" {
		return nil, nil
	}
	var m map[string]string
	if err := json.Unmarshal([]byte(s), &m); err != nil {
		return nil, err
	}
	return m, nil
}
