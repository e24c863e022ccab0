package main

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"switchboard/backend/server"
	"switchboard/backend/store/postgres/pgtest"
)

func TestStoreURL(t *testing.T) {
	for _, tc := range []struct{ store, data, want string }{
		{"", "/srv/data", "sqlite:" + filepath.Join("/srv/data", dbName)},
		{"sqlite:", "/srv/data", "sqlite:" + filepath.Join("/srv/data", dbName)},
		{"SQLite:", "rel", "sqlite:" + filepath.Join("rel", dbName)},
		{"sqlite://", "/srv/data", "sqlite:" + filepath.Join("/srv/data", dbName)},
		{"sqlite:/var/lib/x.db", "/srv/data", "sqlite:/var/lib/x.db"},
		{"postgres://u:pw@db/switchboard", "/srv/data", "postgres://u:pw@db/switchboard"},
	} {
		got, err := storeURL(serveConfig{Store: tc.store, Data: tc.data})
		if err != nil || got != tc.want {
			t.Errorf("storeURL(store %q, data %q) = %q, %v; want %q", tc.store, tc.data, got, err, tc.want)
		}
	}
	if got, err := storeURL(serveConfig{Store: "/var/lib/x.db"}); err == nil {
		t.Errorf("storeURL of a bare path = %q, want an error", got)
	}
}

// TestStoreFlag runs serve and the admin commands on a SQLite store outside
// the data directory, named by --store, the config file and the
// environment, and on stores this build cannot open.
func TestStoreFlag(t *testing.T) {
	clearEnv(t)
	dir := t.TempDir()
	db := filepath.Join(t.TempDir(), "elsewhere.db")
	_, _, _, stop := startServeArgs(t, "--demo", "--data", dir, "--store", "sqlite:"+db)
	stop()
	if _, err := os.Stat(db); err != nil {
		t.Fatalf("serve --store sqlite:%s made no database there: %v", db, err)
	}
	if _, err := os.Stat(filepath.Join(dir, dbName)); err == nil {
		t.Errorf("serve --store sqlite:%s made a database in the data directory too", db)
	}

	if code, out, errOut := cli(t, "", "agent", "list", "--data", dir, "--store", "sqlite:"+db); code != 0 || !strings.Contains(out, "alice") {
		t.Errorf("agent list --store = %d, %q, %q; want the demo accounts", code, out, errOut)
	}
	cfg := writeConfig(t, `store = "sqlite:`+db+`"`)
	if code, out, errOut := cli(t, "", "team", "list", "--config", cfg); code != 0 || !strings.Contains(out, "presales") {
		t.Errorf("team list with the store in the config file = %d, %q, %q; want the demo teams", code, out, errOut)
	}
	t.Setenv("SWITCHBOARD_STORE", "sqlite:"+db)
	backupFile := filepath.Join(t.TempDir(), "b.db")
	if code, out, errOut := cli(t, "", "backup", backupFile); code != 0 || !strings.Contains(out, db) {
		t.Errorf("backup with SWITCHBOARD_STORE = %d, %q, %q; want a backup of %s", code, out, errOut, db)
	}
	t.Setenv("SWITCHBOARD_STORE", "")

	// Nothing listens on port 1: connecting fails at once.
	pg := "postgres://switchboard:secret@127.0.0.1:1/switchboard?connect_timeout=5"
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"serve postgres with a key", []string{"serve", "--addr", "127.0.0.1:0", "--demo", "--data", dir, "--store", pg}, "does not encrypt at rest"},
		{"agent postgres unreachable", []string{"agent", "list", "--data", dir, "--store", pg}, "open postgres store"},
		{"restore postgres", []string{"restore", "--data", dir, "--store", pg, backupFile}, "not supported"},
		{"unknown scheme", []string{"team", "list", "--data", dir, "--store", "mysql://root:secret@db/x"}, `unknown scheme "mysql"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, _, errOut := cli(t, "", tc.args...)
			if code == 0 || !strings.Contains(errOut, tc.want) {
				t.Errorf("%s = %d, %q; want a failure saying %q", strings.Join(tc.args, " "), code, errOut, tc.want)
			}
			if strings.Contains(errOut, "secret") {
				t.Errorf("%s printed the store's password: %q", strings.Join(tc.args, " "), errOut)
			}
		})
	}
}

// TestServePostgres runs the server on a real PostgreSQL cluster (started
// by pgtest): the demo seed, an agent signing in and a customer's message
// reaching her, and the admin commands on the same store.
func TestServePostgres(t *testing.T) {
	clearEnv(t)
	cluster, err := pgtest.Start(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cluster.Stop() })
	dsn, err := cluster.CreateDB(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	base, _, _, stop := startServeArgs(t, "--demo", "--insecure-plaintext", "--data", dir, "--store", dsn)
	defer stop()

	status, token, _ := signIn(t, base, "alice", server.DemoPassword)
	if status != http.StatusOK {
		t.Fatalf("sign in alice: %d", status)
	}
	ws := staffConn(t, base, token)
	v := newVisitor(t, base)
	v.ask("转人工")
	waitOffer(t, ws, v.conv.ID, "Alice", "alice was not offered the customer's conversation")

	if code, out, errOut := cli(t, "", "agent", "list", "--data", dir, "--store", dsn); code != 0 || !strings.Contains(out, "alice") {
		t.Errorf("agent list on postgres = %d, %q, %q", code, out, errOut)
	}
	if code, _, errOut := cli(t, "", "keys", "status", "--data", dir, "--store", dsn); code == 0 || !strings.Contains(errOut, "not supported") {
		t.Errorf("keys status on postgres = %d, %q; want a refusal", code, errOut)
	}
}
