package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
)

// Backup writes a consistent copy of the database to dst (which must not
// exist) while the store stays in use: SQLite's VACUUM INTO reads one
// snapshot, so appends committed meanwhile are simply not in the copy.
//
// The copy is the database as stored: what is sealed stays sealed, with
// its data keys wrapped by the KEK, which a restore needs. The file is
// created owner-only before SQLite fills it (VACUUM INTO takes an empty
// file), so it is never readable by others, not even while it is written.
func (s *Store) Backup(ctx context.Context, dst string) error {
	f, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, os.ErrExist) {
		return fmt.Errorf("backup to %s: file exists", dst)
	}
	if err != nil {
		return fmt.Errorf("backup to %s: %w", dst, err)
	}
	f.Close()
	if _, err := s.w.ExecContext(ctx, "VACUUM INTO ?", dst); err != nil {
		os.Remove(dst)
		return fmt.Errorf("backup to %s: %w", dst, err)
	}
	return nil
}

// BumpEpochs starts a new epoch in every conversation and returns how many
// there are. Run after a restore: clients whose cursors came from the lost
// future see the new epoch and reload instead of trusting seqs that the
// restored history will hand out again for different messages.
func (s *Store) BumpEpochs(ctx context.Context) (int64, error) {
	var n int64
	err := s.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, "UPDATE conversations SET epoch = epoch + 1")
		if err != nil {
			return err
		}
		n, _ = res.RowsAffected()
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("bump epochs: %w", err)
	}
	return n, nil
}
