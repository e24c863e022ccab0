package sqlite

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"switchboard/backend/store"
	"switchboard/backend/store/storetest"
)

func openTemp(t *testing.T) *Store {
	t.Helper()
	s, err := Open(context.Background(), filepath.Join(t.TempDir(), "test.db"), Options{})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store { return openTemp(t) })
}

func TestPragmas(t *testing.T) {
	s := openTemp(t)
	ctx := context.Background()
	checks := []struct {
		pragma string
		want   string
	}{
		{"journal_mode", "wal"},
		{"synchronous", "2"}, // FULL
		{"foreign_keys", "1"},
	}
	for _, c := range checks {
		var got string
		if err := s.w.QueryRowContext(ctx, "PRAGMA "+c.pragma).Scan(&got); err != nil {
			t.Fatalf("PRAGMA %s: %v", c.pragma, err)
		}
		if got != c.want {
			t.Errorf("PRAGMA %s = %q, want %q", c.pragma, got, c.want)
		}
	}
	var fk string
	if err := s.r.QueryRowContext(ctx, "PRAGMA foreign_keys").Scan(&fk); err != nil || fk != "1" {
		t.Errorf("reader foreign_keys = %q, %v", fk, err)
	}
}

func TestReopenKeepsDataAndSchema(t *testing.T) {
	path := filepath.Join(t.TempDir(), "re.db")
	ctx := context.Background()
	s, err := Open(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.EnsureSetting(ctx, "k", "v1"); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s, err = Open(ctx, path, Options{})
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	defer s.Close()
	var version int
	if err := s.r.QueryRowContext(ctx, `SELECT MAX(version) FROM schema_version`).Scan(&version); err != nil || version != len(migrations) {
		t.Errorf("schema version = %d, %v, want %d", version, err, len(migrations))
	}
	if got, _ := s.EnsureSetting(ctx, "k", "v2"); got != "v1" {
		t.Errorf("setting after reopen = %q, want v1", got)
	}
}

func TestEscapePath(t *testing.T) {
	tests := []struct{ in, want string }{
		{"/a/b.db", "/a/b.db"},
		{"/a?b#c%d.db", "/a%3fb%23c%25d.db"},
	}
	for _, tt := range tests {
		if got := escapePath(tt.in); got != tt.want {
			t.Errorf("escapePath(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestOpenOddPath(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data dir #1?")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "x%y.db")
	s, err := Open(context.Background(), path, Options{})
	if err != nil {
		t.Fatalf("Open(%q): %v", path, err)
	}
	s.Close()
	if _, err := os.Stat(path); err != nil {
		t.Errorf("database not created at %q: %v", path, err)
	}
}
