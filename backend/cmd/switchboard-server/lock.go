package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// lockName is the file in the data directory that a serving process holds
// locked, so that a second server and a restore refuse to touch a data
// directory in use.
const lockName = "switchboard.lock"

// errLocked means another process holds the data directory.
var errLocked = errors.New("in use by a running server")

// lockData takes the data directory's lock, creating the directory if
// needed; release gives it back. It returns an error wrapping errLocked
// when another process holds it.
func lockData(dir string) (release func(), err error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("create data dir: %w", err)
	}
	p := filepath.Join(dir, lockName)
	f, err := os.OpenFile(p, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("lock %s: %w", p, err)
	}
	if err := lockFile(f); err != nil {
		f.Close()
		if errors.Is(err, errLocked) {
			return nil, fmt.Errorf("data directory %s: %w", dir, errLocked)
		}
		return nil, fmt.Errorf("lock %s: %w", p, err)
	}
	return func() { f.Close() }, nil
}
