package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"switchboard/backend/audit"
	"switchboard/backend/store"
	"switchboard/backend/store/sqlite"
)

// backup writes a consistent copy of the database while the server may be
// running.
func backup(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	c, file, ok := parseDataFile("backup", "", args, stderr)
	if !ok {
		return 2
	}
	u, err := storeURL(c)
	if err != nil {
		fmt.Fprintf(stderr, "backup: %v\n", err)
		return 2
	}
	st, err := store.Open(ctx, u, store.OpenOptions{})
	if err != nil {
		fmt.Fprintf(stderr, "backup: %v\n", err)
		return 1
	}
	defer st.Close()
	if err := store.Backup(ctx, st, file); err != nil {
		fmt.Fprintf(stderr, "backup: %v\n", err)
		return 1
	}
	recordAdmin(ctx, st, "backup", "to="+file, stderr)
	fmt.Fprintf(stdout, "backed up %s to %s\n", storeName(u), file)
	return 0
}

// restore replaces the database with a backup and starts a new epoch in
// every conversation, so that clients holding messages newer than the backup
// reload instead of resuming from seqs the restored history will reuse. The
// server must be stopped.
func restore(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	c, file, ok := parseDataFile("restore", "   (stop the server first)", args, stderr)
	if !ok {
		return 2
	}
	u, err := storeURL(c)
	if err != nil {
		fmt.Fprintf(stderr, "restore: %v\n", err)
		return 2
	}
	// A restore replaces the database file: a SQLite store's only.
	db, ok := sqlitePath(u)
	if !ok {
		fmt.Fprintf(stderr, "restore: %v; restore the database with its own tools\n", unsupported("restore", u))
		return 1
	}
	if err := restoreDB(ctx, file, c.Data, db, stdout); err != nil {
		fmt.Fprintf(stderr, "restore: %v\n", err)
		return 1
	}
	return 0
}

// parseDataFile parses "[--data DIR] [--store URL] FILE", the arguments of
// backup, restore and kb import, into the settings they name (see
// adminSettings); ok is false (and the usage printed) when they are wrong.
func parseDataFile(cmd, note string, args []string, stderr io.Writer) (c serveConfig, file string, ok bool) {
	fs := adminFlags(cmd, stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: switchboard-server %s [--data DIR] [--store URL] [--config FILE] FILE%s\n", cmd, note)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return c, "", false
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return c, "", false
	}
	c, err := adminSettings(fs)
	if err != nil {
		fmt.Fprintf(stderr, "%s: %v\n", cmd, err)
		return c, "", false
	}
	return c, fs.Arg(0), true
}

// restoreDB replaces the SQLite database dst, of the data directory
// dataDir, with the backup from.
func restoreDB(ctx context.Context, from, dataDir, dst string, stdout io.Writer) error {
	// Check the backup opens as a Switchboard database before touching the
	// live one.
	if _, err := os.Stat(from); err != nil {
		return err
	}
	// Replacing the file under a running server would lose what it writes
	// next and confuse its open connections: refuse, and hold the lock so
	// that no server starts halfway through.
	release, err := lockData(dataDir)
	if errors.Is(err, errLocked) {
		return fmt.Errorf("%w; stop it first (systemctl stop switchboard-server)", err)
	}
	if err != nil {
		return err
	}
	defer release()
	tmp := dst + ".restore"
	if err := copyFile(from, tmp); err != nil {
		return err
	}
	check, err := sqlite.Open(ctx, tmp, sqlite.Options{})
	if err != nil {
		os.Remove(tmp)
		return fmt.Errorf("%s is not a usable database: %w", from, err)
	}
	n, err := check.BumpEpochs(ctx)
	if err == nil {
		// Into the restored log: the backup's own ends before this.
		err = check.AddAudit(ctx, store.AuditEntry{Actor: audit.AdminActor, Action: "restore",
			Detail: fmt.Sprintf("from=%s new_epochs=%d", from, n)})
	}
	if cerr := check.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(tmp)
		return err
	}
	for _, suffix := range []string{"-wal", "-shm"} {
		if err := os.Remove(dst + suffix); err != nil && !errors.Is(err, os.ErrNotExist) {
			return err
		}
		if err := os.Remove(tmp + suffix); err != nil && !errors.Is(err, os.ErrNotExist) {
			return err
		}
	}
	if err := os.Rename(tmp, dst); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "restored %s from %s; %d conversations start a new epoch\n", dst, from, n)
	return nil
}

func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	if err := out.Sync(); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
