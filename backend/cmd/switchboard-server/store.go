package main

import (
	"context"
	"flag"
	"fmt"
	"path/filepath"
	"strings"

	"switchboard/backend/seal"
	"switchboard/backend/store"
	_ "switchboard/backend/store/postgres" // registers postgres: and postgresql:
	"switchboard/backend/store/sqlite"     // registers sqlite:
)

// dbName is the SQLite database file inside the data directory: the store
// of "sqlite:" without a path.
const dbName = "switchboard.db"

// defaultStore is the store setting's default: SQLite in the data directory.
const defaultStore = "sqlite:"

// storeFlagUsage is the help of --store, in serve and the admin commands.
const storeFlagUsage = "store URL: sqlite: (the database in the data directory), sqlite:PATH, or postgres://USER:PASSWORD@HOST/DB (no encryption at rest yet: with --insecure-plaintext)"

// storeURL is the store URL of settings c: c.Store, where "sqlite:" without
// a path means the database in the data directory.
func storeURL(c serveConfig) (string, error) {
	u := c.Store
	if u == "" {
		u = defaultStore
	}
	scheme, source, err := store.SplitURL(u)
	if err != nil {
		return "", err
	}
	if scheme == sqlite.Scheme && strings.TrimPrefix(source, "//") == "" {
		return sqlite.Scheme + ":" + filepath.Join(c.Data, dbName), nil
	}
	return u, nil
}

// sqlitePath returns the database file of a sqlite: store URL, and false
// for a store of another engine.
func sqlitePath(url string) (string, bool) {
	scheme, source, err := store.SplitURL(url)
	if err != nil || scheme != sqlite.Scheme {
		return "", false
	}
	return strings.TrimPrefix(source, "//"), true
}

// storeName names the store of url in messages: the file of a SQLite
// store, the scheme of any other (its URL may hold a password).
func storeName(url string) string {
	if p, ok := sqlitePath(url); ok {
		return p
	}
	scheme, _, _ := store.SplitURL(url)
	return "the " + scheme + " store"
}

// openStore opens the store of settings c; kek, when not nil, turns on
// encryption at rest.
func openStore(ctx context.Context, c serveConfig, kek seal.KEK) (store.Store, error) {
	u, err := storeURL(c)
	if err != nil {
		return nil, err
	}
	return store.Open(ctx, u, store.OpenOptions{KEK: kek})
}

// adminSettings resolves the settings of an admin command whose flag set
// has --data, --store, --bus and --config (adminFlags): the defaults, the config
// file, the environment, then the flags given.
func adminSettings(fs *flag.FlagSet) (serveConfig, error) {
	c, err := loadSettings(fs.Lookup("config").Value.String())
	if err != nil {
		return c, err
	}
	fs.Visit(func(f *flag.Flag) {
		switch f.Name {
		case "data":
			c.Data = f.Value.String()
		case "store":
			c.Store = f.Value.String()
		case "bus":
			c.Bus = f.Value.String()
		}
	})
	return c, nil
}

// locationFlags counts the flags of set that say where the data is (--data,
// --store, --config, --bus) rather than what to do.
func locationFlags(set map[string]bool) int {
	return boolInt(set["data"]) + boolInt(set["store"]) + boolInt(set["config"]) + boolInt(set["bus"])
}

// unsupported is the error of an admin command that needs an optional
// capability (see package store) the store's engine lacks.
func unsupported(what, url string) error {
	return fmt.Errorf("%s: %w (%s)", what, store.ErrUnsupported, storeName(url))
}
