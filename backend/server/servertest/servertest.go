// Package servertest sets up what a server.Server needs in the tests of
// other packages the way the command does, so that they need not know the
// store engine: the SQLite store of the data directory.
package servertest

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"switchboard/backend/notice"
	"switchboard/backend/server"
	"switchboard/backend/store"
	_ "switchboard/backend/store/sqlite" // the engine of "sqlite:"
)

// Config returns cfg ready for server.New: without a Store, the SQLite
// database of cfg.DataDir (a new temporary directory when empty), closed at
// the end of the test, after the cleanups registered later (the server's
// Shutdown); and without a NoticeSocket, notice.Path(DataDir), as serve
// listens for the admin commands' change notices.
func Config(t testing.TB, cfg server.Config) server.Config {
	t.Helper()
	if cfg.DataDir == "" {
		cfg.DataDir = t.TempDir()
	}
	if cfg.Store == nil {
		if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
			t.Fatal(err)
		}
		st, err := store.Open(context.Background(), "sqlite:"+filepath.Join(cfg.DataDir, "switchboard.db"), store.OpenOptions{})
		if err != nil {
			t.Fatalf("open store: %v", err)
		}
		t.Cleanup(func() { st.Close() })
		cfg.Store = st
	}
	if cfg.NoticeSocket == "" {
		cfg.NoticeSocket = notice.Path(cfg.DataDir)
	}
	return cfg
}
