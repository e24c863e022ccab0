package postgres

import (
	"context"
	"fmt"
	"os"
	"testing"

	"switchboard/backend/store"
	"switchboard/backend/store/postgres/pgtest"
	"switchboard/backend/store/storetest"
)

// cluster is the PostgreSQL server every test of the package shares; each
// test gets a database of its own on it.
var cluster *pgtest.Cluster

// TestMain starts a real cluster (package pgtest) and stops it after. With
// no PostgreSQL binaries on the machine the tests fail, they do not skip.
func TestMain(m *testing.M) {
	c, err := pgtest.Start(context.Background())
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	cluster = c
	code := m.Run()
	if err := c.Stop(); err != nil {
		fmt.Fprintln(os.Stderr, err)
	}
	os.Exit(code)
}

func openTemp(t *testing.T) *Store {
	t.Helper()
	ctx := context.Background()
	dsn, err := cluster.CreateDB(ctx)
	if err != nil {
		t.Fatal(err)
	}
	s, err := Open(ctx, dsn, Options{})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store { return openTemp(t) })
}
