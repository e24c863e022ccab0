package kb

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"time"
)

// FileName is the name of the imported knowledge base in the server's data
// directory.
const FileName = "kb.json"

// Install validates data as a knowledge base in kb.json format and writes it
// unchanged to dir/FileName, creating dir if needed. The write is atomic: a
// temporary file in dir is synced and renamed over the old one, so a server
// polling the file (see Watcher) never reads half of it, and an invalid data
// or a failed write leaves the old file as it was.
func Install(dir string, data []byte) (*KB, error) {
	k, err := Load(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("install knowledge base: %w", err)
	}
	if err := writeFileAtomic(filepath.Join(dir, FileName), data); err != nil {
		return nil, fmt.Errorf("install knowledge base: %w", err)
	}
	return k, nil
}

// writeFileAtomic replaces path with data, mode 0600.
func writeFileAtomic(path string, data []byte) (err error) {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return err
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(tmp)
		}
	}()
	if err = f.Chmod(0o600); err != nil {
		return err
	}
	if _, err = f.Write(data); err != nil {
		return err
	}
	if err = f.Sync(); err != nil {
		return err
	}
	if err = f.Close(); err != nil {
		return err
	}
	if err = os.Rename(tmp, path); err != nil {
		return err
	}
	// Make the rename itself durable. Not every platform can sync a
	// directory; the file is in place either way.
	if d, derr := os.Open(filepath.Dir(path)); derr == nil {
		d.Sync()
		d.Close()
	}
	return nil
}

// Watcher loads a knowledge base file again when it changes: when it is
// replaced (as Install does), or its modification time or size changes. It
// is used by one goroutine at a time.
type Watcher struct {
	path string
	last os.FileInfo // the file as of the last Load; nil before or when missing
}

// NewWatcher returns a watcher of the kb.json file at path.
func NewWatcher(path string) *Watcher { return &Watcher{path: path} }

// Path returns the watched file.
func (w *Watcher) Path() string { return w.path }

// Load loads and validates the file if it changed since the last Load; the
// first Load sees any existing file as changed. It returns nil and no error
// when the file is unchanged or does not exist. A file that fails to load
// counts as seen: it is not tried again until it changes.
func (w *Watcher) Load() (*KB, error) {
	fi, err := os.Stat(w.path)
	if errors.Is(err, os.ErrNotExist) {
		w.last = nil
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("stat knowledge base: %w", err)
	}
	if w.last != nil && os.SameFile(w.last, fi) && fi.ModTime().Equal(w.last.ModTime()) && fi.Size() == w.last.Size() {
		return nil, nil
	}
	// Remember the state from before the read: a write racing the read
	// changes it again, so the next Load reads the file once more.
	w.last = fi
	return LoadFile(w.path)
}

// Run calls Load every interval until ctx is done and hands each changed
// knowledge base to apply. A file that fails to load, or that apply
// refuses, is logged as an error; the caller keeps the knowledge base it
// had.
func (w *Watcher) Run(ctx context.Context, interval time.Duration, log *slog.Logger, apply func(*KB) error) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		k, err := w.Load()
		if err == nil && k != nil {
			err = apply(k)
		}
		if err != nil {
			log.Error("reload knowledge base, keeping the current one", "path", w.path, "err", err)
		}
	}
}
