package sqlite_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"switchboard/backend/store"
	"switchboard/backend/store/sqlite"
)

func TestOpenURL(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct{ name, url, file string }{
		{"path", "sqlite:" + filepath.Join(dir, "a.db"), "a.db"},
		{"slashes", "sqlite://" + filepath.Join(dir, "b.db"), "b.db"},
		{"upper case scheme", "SQLite:" + filepath.Join(dir, "c.db"), "c.db"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			st, err := store.Open(t.Context(), tc.url, store.OpenOptions{})
			if err != nil {
				t.Fatalf("Open(%q) = %v", tc.url, err)
			}
			defer st.Close()
			if _, ok := st.(*sqlite.Store); !ok {
				t.Errorf("Open(%q) = %T, want *sqlite.Store", tc.url, st)
			}
			if _, err := st.EnsureSetting(t.Context(), "k", "v"); err != nil {
				t.Errorf("EnsureSetting: %v", err)
			}
			if _, err := os.Stat(filepath.Join(dir, tc.file)); err != nil {
				t.Errorf("Open(%q) made no database file: %v", tc.url, err)
			}
		})
	}
	for _, url := range []string{"sqlite:", "sqlite://"} {
		if st, err := store.Open(t.Context(), url, store.OpenOptions{}); err == nil || !strings.Contains(err.Error(), "no database path") {
			t.Errorf("Open(%q) = %v, %v; want an error naming the missing path", url, st, err)
		}
	}
}
