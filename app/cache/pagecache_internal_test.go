package cache

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"
)

// Every pooled connection holds its page cache to 512 KiB, not SQLite's
// 2 MiB (the DSN's pragma, applied to each connection as it is opened).
func TestConnectionsHoldASmallPageCache(t *testing.T) {
	ctx := context.Background()
	c, err := Open(ctx, filepath.Join(t.TempDir(), "c.db"), NewKey())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	// Two connections at once, so the second is a new one.
	c1, err := c.db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer c1.Close()
	c2, err := c.db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer c2.Close()
	for _, conn := range []*sql.Conn{c1, c2} {
		var size int
		if err := conn.QueryRowContext(ctx, "PRAGMA cache_size").Scan(&size); err != nil {
			t.Fatal(err)
		}
		if size != -512 {
			t.Fatalf("PRAGMA cache_size = %d, want -512 (512 KiB)", size)
		}
	}
}
