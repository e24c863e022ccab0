package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"switchboard/backend/audit"
	"switchboard/backend/store"
	"switchboard/backend/store/sqlite"
)

// dbName is the database file inside the data directory.
const dbName = "switchboard.db"

// backup writes a consistent copy of the database while the server may be
// running.
func backup(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	dataDir, file, ok := parseDataFile("backup", "", args, stderr)
	if !ok {
		return 2
	}
	st, err := sqlite.Open(ctx, filepath.Join(dataDir, dbName), sqlite.Options{})
	if err != nil {
		fmt.Fprintf(stderr, "backup: %v\n", err)
		return 1
	}
	defer st.Close()
	if err := st.Backup(ctx, file); err != nil {
		fmt.Fprintf(stderr, "backup: %v\n", err)
		return 1
	}
	recordAdmin(ctx, st, "backup", "to="+file, stderr)
	fmt.Fprintf(stdout, "backed up %s to %s\n", filepath.Join(dataDir, dbName), file)
	return 0
}

// restore replaces the database with a backup and starts a new epoch in
// every conversation, so that clients holding messages newer than the backup
// reload instead of resuming from seqs the restored history will reuse. The
// server must be stopped.
func restore(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	dataDir, file, ok := parseDataFile("restore", "   (stop the server first)", args, stderr)
	if !ok {
		return 2
	}
	if err := restoreDB(ctx, file, dataDir, stdout); err != nil {
		fmt.Fprintf(stderr, "restore: %v\n", err)
		return 1
	}
	return 0
}

// parseDataFile parses "[--data DIR] FILE", the arguments of backup and
// restore; ok is false (and the usage printed) when they are wrong.
func parseDataFile(cmd, note string, args []string, stderr io.Writer) (dataDir, file string, ok bool) {
	fs := flag.NewFlagSet(cmd, flag.ContinueOnError)
	fs.SetOutput(stderr)
	dir := fs.String("data", "", "data directory (default: SWITCHBOARD_DATA, the config file's data, ./switchboard-data)")
	configPath := fs.String("config", "", "config file to read the data directory from (env "+configEnv+")")
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: switchboard-server %s [--data DIR | --config FILE] FILE%s\n", cmd, note)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return "", "", false
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return "", "", false
	}
	dataSet := false
	fs.Visit(func(f *flag.Flag) { dataSet = dataSet || f.Name == "data" })
	d, err := dataDirSetting(dataSet, *dir, *configPath)
	if err != nil {
		fmt.Fprintf(stderr, "%s: %v\n", cmd, err)
		return "", "", false
	}
	return d, fs.Arg(0), true
}

func restoreDB(ctx context.Context, from, dataDir string, stdout io.Writer) error {
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
	dst := filepath.Join(dataDir, dbName)
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
