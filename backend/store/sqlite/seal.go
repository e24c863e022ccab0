package sqlite

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"

	"switchboard/backend/seal"
	"switchboard/backend/store"
)

// Encryption at rest. With Options.KEK set, the columns that hold what
// people wrote (sealedTables) are stored sealed (package seal): a BLOB
// holding the DEK id, the nonce and the ciphertext, bound to its table,
// column and row. Plaintext stays TEXT, which is how a database written
// before encryption was turned on reads on: a value's storage class says
// whether it is sealed, and the reseal job (Reseal) seals the plaintext and
// whatever an older DEK sealed, a batch at a time. Empty strings stay
// empty: they say nothing.
//
// The DEKs are in seal_keys, wrapped by the KEK; the newest seals.

// ErrLocked is returned when a sealed value is read, or a value to seal is
// written, by a store opened without the key-encryption key.
var ErrLocked = errors.New("the database is encrypted and was opened without its key-encryption key")

// sealedTable names a table's sealed columns and the columns whose values
// name its rows in the additional data; where, when set, limits the
// sealed rows.
type sealedTable struct {
	name  string
	key   []string
	cols  []string
	where string
}

var sealedTables = []sealedTable{
	{name: "conversations", key: []string{"id"}, cols: []string{"handoff_reason", "ext", "verified", "last_text", "packet", "rating_comment"}},
	{name: "messages", key: []string{"conversation_id", "seq"}, cols: []string{"text", "event", "ext", "attachment", "card"}},
	{name: "customer_notes", key: []string{"id"}, cols: []string{"text"}},
	{name: "customers", key: []string{"id"}, cols: []string{"verified"}},
	{name: "files", key: []string{"id"}, cols: []string{"name"}},
	{name: "bot_misses", key: []string{"id"}, cols: []string{"text"}},
	{name: "settings", key: []string{"k"}, cols: []string{"v"}, where: sealedSettingsWhere},
}

// sealedSettings are the settings stored sealed: the secrets. The others
// are the server's bookkeeping (audit_chain_legacy…), read in SQL.
var sealedSettings = map[string]bool{"token_secret": true}

const sealedSettingsWhere = `k IN ('token_secret')`

// ad names where a value is stored.
func ad(table, col string, key ...string) []byte {
	return seal.AD(append([]string{table, col}, key...)...)
}

func adMessage(col, conv string, seq int64) []byte {
	return ad("messages", col, conv, strconv.FormatInt(seq, 10))
}

// openKeys loads the DEKs and unwraps them with kek, making the first one
// when the database has none. Without kek a database that has DEKs opens
// locked: what is not sealed reads, what is sealed does not.
func (s *Store) openKeys(ctx context.Context, kek seal.KEK) error {
	keys, err := s.wrappedKeys(ctx)
	if err != nil {
		return err
	}
	if kek == nil {
		s.locked = len(keys) > 0
		return nil
	}
	if len(keys) == 0 {
		k, err := seal.NewDataKey(kek, 1, s.nowMS())
		if err != nil {
			return err
		}
		if _, err := s.w.ExecContext(ctx, `INSERT INTO seal_keys (id, wrapped, created_at) VALUES (?, ?, ?)`,
			k.ID, k.Wrapped, k.CreatedAt); err != nil {
			return fmt.Errorf("store the first data key: %w", err)
		}
		keys = append(keys, k)
	}
	ring, err := seal.NewKeyring(kek, keys)
	if err != nil {
		return fmt.Errorf("%w (key-encryption key from %s)", err, kek.Name())
	}
	s.keys = ring
	return nil
}

func (s *Store) wrappedKeys(ctx context.Context) ([]seal.WrappedKey, error) {
	rows, err := s.w.QueryContext(ctx, `SELECT id, wrapped, created_at FROM seal_keys ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("load data keys: %w", err)
	}
	defer rows.Close()
	var keys []seal.WrappedKey
	for rows.Next() {
		var k seal.WrappedKey
		if err := rows.Scan(&k.ID, &k.Wrapped, &k.CreatedAt); err != nil {
			return nil, fmt.Errorf("load data keys: %w", err)
		}
		keys = append(keys, k)
	}
	return keys, rows.Err()
}

// Encrypted reports whether the store seals what it writes.
func (s *Store) Encrypted() bool { return s.keys != nil }

// Locked reports whether the database holds sealed data that this store,
// opened without the key-encryption key, cannot read or add to.
func (s *Store) Locked() bool { return s.locked }

// sealText returns what to store for v in the place ad names: v itself
// without a keyring or when empty, else its sealed bytes.
func (s *Store) sealText(v string, ad []byte) (any, error) {
	if v == "" {
		return "", nil
	}
	if s.keys == nil {
		if s.locked {
			return nil, ErrLocked
		}
		return v, nil
	}
	return s.keys.Seal([]byte(v), ad)
}

// sealNull is sealText keeping NULL as NULL.
func (s *Store) sealNull(v sql.NullString, ad []byte) (any, error) {
	if !v.Valid {
		return nil, nil
	}
	return s.sealText(v.String, ad)
}

// sealMessageCol is sealNull of column col of message seq of conv, its
// associated data made only when the value is sealed (on the append path
// every message has five such columns, most of them NULL).
func (s *Store) sealMessageCol(v sql.NullString, col, conv string, seq int64) (any, error) {
	if !v.Valid {
		return nil, nil
	}
	if v.String == "" || s.keys == nil {
		return s.sealText(v.String, nil)
	}
	return s.sealText(v.String, adMessage(col, conv, seq))
}

// col scans a column that may be sealed: SQLite hands a BLOB for a sealed
// value, TEXT for plaintext, nil for NULL.
type col struct {
	text   string
	sealed []byte
	valid  bool
}

func (c *col) Scan(src any) error {
	*c = col{}
	switch v := src.(type) {
	case nil:
	case string:
		c.text, c.valid = v, true
	case []byte:
		c.sealed, c.valid = bytes.Clone(v), true
	default:
		return fmt.Errorf("sealed column holds a %T", src)
	}
	return nil
}

// open returns the plaintext of c, sealed for the place ad names.
func (s *Store) open(c col, ad []byte) (string, error) {
	if c.sealed == nil {
		return c.text, nil
	}
	if s.keys == nil {
		return "", ErrLocked
	}
	b, err := s.keys.Open(c.sealed, ad)
	if err != nil {
		return "", err
	}
	return string(b), nil
}

// openNull is open keeping NULL as invalid.
func (s *Store) openNull(c col, ad []byte) (sql.NullString, error) {
	if !c.valid {
		return sql.NullString{}, nil
	}
	v, err := s.open(c, ad)
	return sql.NullString{String: v, Valid: err == nil}, err
}

// RotateKey makes a new DEK, which seals from now on; the older ones still
// open what they sealed until Reseal has sealed it again. It returns the
// new DEK's id. A running server sharing the database picks the key up at
// its next RefreshKeys.
func (s *Store) RotateKey(ctx context.Context) (uint32, error) {
	if s.keys == nil {
		return 0, errors.New("rotate key: the store has no key-encryption key")
	}
	var k seal.WrappedKey
	err := s.write(ctx, func(tx *sql.Tx) error {
		var last uint32
		if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0) FROM seal_keys`).Scan(&last); err != nil {
			return err
		}
		var err error
		if k, err = seal.NewDataKey(s.keys.KEK(), last+1, s.nowMS()); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO seal_keys (id, wrapped, created_at) VALUES (?, ?, ?)`, k.ID, k.Wrapped, k.CreatedAt)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("rotate key: %w", err)
	}
	if err := s.keys.Add(k); err != nil {
		return 0, fmt.Errorf("rotate key: %w", err)
	}
	return k.ID, nil
}

// RefreshKeys adds the DEKs another process (switchboard-server keys
// rotate) stored since the store opened; the newest then seals.
func (s *Store) RefreshKeys(ctx context.Context) error {
	if s.keys == nil {
		return nil
	}
	keys, err := s.wrappedKeys(ctx)
	if err != nil {
		return err
	}
	for _, k := range keys {
		if err := s.keys.Add(k); err != nil {
			return fmt.Errorf("refresh data keys: %w", err)
		}
	}
	return nil
}

// Rewrap wraps every DEK again with to, the new KEK, in one transaction:
// from then on the database opens with to only. The data stays as sealed.
func (s *Store) Rewrap(ctx context.Context, to seal.KEK) error {
	if s.keys == nil {
		return errors.New("rewrap: the store has no key-encryption key")
	}
	err := s.write(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT id, wrapped, created_at FROM seal_keys ORDER BY id`)
		if err != nil {
			return err
		}
		var keys []seal.WrappedKey
		for rows.Next() {
			var k seal.WrappedKey
			if err := rows.Scan(&k.ID, &k.Wrapped, &k.CreatedAt); err != nil {
				rows.Close()
				return err
			}
			keys = append(keys, k)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, k := range keys {
			nk, err := seal.Rewrap(k, s.keys.KEK(), to)
			if err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `UPDATE seal_keys SET wrapped = ? WHERE id = ?`, nk.Wrapped, nk.ID); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("rewrap data keys: %w", err)
	}
	return nil
}

// KeyCount is one DEK and how many rows hold a value it sealed. ID 0 counts
// the rows that hold plaintext still.
type KeyCount = store.KeyCount

// KeyStatus lists the DEKs, newest last, with the rows each still seals,
// and first the rows with plaintext (ID 0) if any. It reads every sealed
// table: an operator's command, not a hot path.
func (s *Store) KeyStatus(ctx context.Context) ([]KeyCount, error) {
	keys, err := s.wrappedKeys(ctx)
	if err != nil {
		return nil, err
	}
	counts := map[uint32]int64{}
	for _, t := range sealedTables {
		parts := make([]string, len(t.cols))
		for i, c := range t.cols {
			parts[i] = fmt.Sprintf(`SELECT rowid, CASE WHEN typeof(%[1]s) = 'blob' THEN hex(substr(%[1]s, 2, 4))
				WHEN %[1]s IS NULL OR %[1]s = '' THEN NULL ELSE '' END AS k FROM %[2]s`, c, t.name)
			if t.where != "" {
				parts[i] += ` WHERE ` + t.where
			}
		}
		rows, err := s.r.QueryContext(ctx, `SELECT k, COUNT(*) FROM (`+strings.Join(parts, " UNION ")+`) WHERE k IS NOT NULL GROUP BY k`)
		if err != nil {
			return nil, fmt.Errorf("key status %s: %w", t.name, err)
		}
		for rows.Next() {
			var k string
			var n int64
			if err := rows.Scan(&k, &n); err != nil {
				rows.Close()
				return nil, fmt.Errorf("key status %s: %w", t.name, err)
			}
			var id uint32
			if k != "" {
				b, _ := hex.DecodeString(k)
				if len(b) == 4 {
					id = binary.BigEndian.Uint32(b)
				}
			}
			counts[id] += n
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("key status %s: %w", t.name, err)
		}
	}
	var out []KeyCount
	if n := counts[0]; n > 0 {
		out = append(out, KeyCount{Rows: n})
	}
	for i, k := range keys {
		out = append(out, KeyCount{ID: k.ID, CreatedAt: k.CreatedAt, Current: i == len(keys)-1, Rows: counts[k.ID]})
	}
	return out, nil
}

// Reseal seals again, with the current DEK, up to batch rows that hold
// plaintext or values an older DEK sealed, in one write transaction, and
// returns how many it changed: 0 when none is left. Rows are visited in
// rowid order from where the last call stopped, so a pass over a large
// table costs one scan, not one per batch.
func (s *Store) Reseal(ctx context.Context, batch int) (int, error) {
	if s.keys == nil {
		return 0, nil
	}
	if batch <= 0 {
		batch = 100
	}
	cur := s.keys.Current()
	s.resealMu.Lock()
	defer s.resealMu.Unlock()
	if s.resealKey != cur {
		s.resealKey, s.resealFrom = cur, map[string]int64{}
	}
	for _, t := range sealedTables {
		from := s.resealFrom[t.name]
		if from < 0 {
			continue
		}
		n, last, err := s.resealTable(ctx, t, cur, from, batch)
		if err != nil {
			return 0, err
		}
		if n == 0 {
			s.resealFrom[t.name] = -1 // done with this key
			continue
		}
		s.resealFrom[t.name] = last
		return n, nil
	}
	return 0, nil
}

func (s *Store) resealTable(ctx context.Context, t sealedTable, cur uint32, from int64, batch int) (int, int64, error) {
	curID := binary.BigEndian.AppendUint32(nil, cur)
	stale := make([]string, len(t.cols))
	var args []any
	args = append(args, from)
	for i, c := range t.cols {
		stale[i] = fmt.Sprintf(`(typeof(%[1]s) = 'text' AND %[1]s <> '') OR (typeof(%[1]s) = 'blob' AND substr(%[1]s, 2, 4) <> ?)`, c)
		args = append(args, curID)
	}
	args = append(args, batch)
	q := `SELECT rowid, ` + strings.Join(t.key, ", ") + `, ` + strings.Join(t.cols, ", ") + ` FROM ` + t.name +
		` WHERE rowid > ? AND (` + strings.Join(stale, " OR ") + `)`
	if t.where != "" {
		q += ` AND ` + t.where
	}
	q += ` ORDER BY rowid LIMIT ?`
	upd := `UPDATE ` + t.name + ` SET ` + strings.Join(t.cols, " = ?, ") + ` = ? WHERE rowid = ?`
	n := 0
	var last int64
	err := s.write(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, q, args...)
		if err != nil {
			return err
		}
		type row struct {
			rowid int64
			vals  []any
		}
		var todo []row
		for rows.Next() {
			var rowid int64
			keys := make([]string, len(t.key))
			cols := make([]col, len(t.cols))
			dest := []any{&rowid}
			for i := range keys {
				dest = append(dest, &keys[i])
			}
			for i := range cols {
				dest = append(dest, &cols[i])
			}
			if err := rows.Scan(dest...); err != nil {
				rows.Close()
				return err
			}
			vals := make([]any, 0, len(cols)+1)
			for i, c := range cols {
				place := ad(t.name, t.cols[i], keys...)
				v, err := s.openNull(c, place)
				if err != nil {
					rows.Close()
					return fmt.Errorf("%s rowid %d column %s: %w", t.name, rowid, t.cols[i], err)
				}
				sv, err := s.sealNull(v, place)
				if err != nil {
					rows.Close()
					return err
				}
				vals = append(vals, sv)
			}
			todo = append(todo, row{rowid, append(vals, rowid)})
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, r := range todo {
			if _, err := tx.ExecContext(ctx, upd, r.vals...); err != nil {
				return err
			}
			last = r.rowid
		}
		n = len(todo)
		return nil
	})
	if err != nil {
		return 0, 0, fmt.Errorf("reseal %s: %w", t.name, err)
	}
	return n, last, nil
}

// secureFiles creates the database file owner-only if it is new and makes
// it, its WAL and its shared-memory file owner-only if they are not: SQLite
// gives the WAL and SHM the database file's mode.
func secureFiles(path string) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	switch {
	case err == nil:
		f.Close()
	case !errors.Is(err, os.ErrExist):
		return err
	}
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		fi, err := os.Stat(p)
		if err != nil {
			continue
		}
		if fi.Mode().Perm()&0o077 != 0 {
			if err := os.Chmod(p, 0o600); err != nil {
				return err
			}
		}
	}
	return nil
}

// Keyring returns the store's keyring, for sealing what lives beside the
// database (the files); nil without a KEK.
func (s *Store) Keyring() *seal.Keyring { return s.keys }
