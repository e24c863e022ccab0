package pgtest

import (
	"context"
	"os"
	"testing"

	"github.com/jackc/pgx/v5"
)

func TestStartCreateStop(t *testing.T) {
	ctx := context.Background()
	c, err := Start(ctx)
	if err != nil {
		t.Fatal(err)
	}
	dir := c.dir
	dsn, err := c.CreateDB(ctx)
	if err != nil {
		c.Stop()
		t.Fatal(err)
	}
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		c.Stop()
		t.Fatal(err)
	}
	var v string
	err = conn.QueryRow(ctx, `SHOW server_version`).Scan(&v)
	conn.Close(ctx)
	if err != nil || v == "" {
		t.Errorf("server_version = %q, %v", v, err)
	}
	if err := c.Stop(); err != nil {
		t.Errorf("Stop: %v", err)
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("cluster directory %s left behind: %v", dir, err)
	}
}
