package store

import (
	"context"
	"errors"
	"fmt"

	"switchboard/backend/seal"
)

// ErrUnsupported means the store's engine lacks an optional capability (see
// the interfaces below); nothing was done.
var ErrUnsupported = errors.New("not supported by this store engine")

// The optional interfaces: what some engines can do and others cannot, or
// do with their own tools. A caller asserts the one it needs and answers
// ErrUnsupported when the store lacks it (see Backup).

// Backuper is an engine that copies its database consistently while it is
// in use (SQLite's VACUUM INTO). A server engine such as PostgreSQL leaves
// backups to its own tools.
type Backuper interface {
	// Backup writes a consistent copy of the database to the file dst,
	// which must not exist.
	Backup(ctx context.Context, dst string) error
}

// Backup copies st's database to dst, or returns ErrUnsupported when its
// engine has no online backup.
func Backup(ctx context.Context, st Store, dst string) error {
	b, ok := st.(Backuper)
	if !ok {
		return fmt.Errorf("online backup: %w: use the database's own backup tools", ErrUnsupported)
	}
	return b.Backup(ctx, dst)
}

// Locker is an engine that can be opened on data it cannot read: an
// encrypted database opened without its key-encryption key.
type Locker interface {
	// Locked reports whether the database holds sealed data that this
	// store, opened without the key-encryption key, cannot read or add to.
	Locked() bool
}

// Resealer is an engine that encrypts at rest and seals its data again in
// the background, a batch at a time: the server's reseal job.
type Resealer interface {
	// Keyring returns the store's data keys, for sealing what lives beside
	// the database (the files); nil without a key-encryption key.
	Keyring() *seal.Keyring
	// RefreshKeys adds the data keys another process stored since the
	// store opened; the newest then seals.
	RefreshKeys(ctx context.Context) error
	// Reseal seals again, with the current data key, up to batch rows that
	// hold plaintext or values an older key sealed, and returns how many
	// it changed: 0 when none is left.
	Reseal(ctx context.Context, batch int) (int, error)
}

// KeyManager is an engine whose data keys an operator manages: the keys
// command.
type KeyManager interface {
	// Encrypted reports whether the store seals what it writes.
	Encrypted() bool
	// RotateKey makes a new data key, which seals from now on, and returns
	// its id.
	RotateKey(ctx context.Context) (uint32, error)
	// Rewrap wraps every data key again with to, the new key-encryption
	// key, in one transaction.
	Rewrap(ctx context.Context, to seal.KEK) error
	// KeyStatus lists the data keys, newest last, with the rows each still
	// seals, and first the rows with plaintext (ID 0) if any.
	KeyStatus(ctx context.Context) ([]KeyCount, error)
}

// KeyCount is one data key and how many rows hold a value it sealed. ID 0
// counts the rows that hold plaintext still.
type KeyCount struct {
	ID        uint32
	CreatedAt int64
	Current   bool
	Rows      int64
}
