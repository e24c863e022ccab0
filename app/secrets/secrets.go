// Package secrets keeps the desktop app's secrets — the key its local cache
// is encrypted with and the signed-in session's token — in the OS keychain:
// the Keychain on macOS, the Credential Manager on Windows, the Secret
// Service (GNOME Keyring, KWallet) over D-Bus on Linux.
//
// A machine without a keychain (a Linux desktop with no Secret Service, a
// headless test box) can keep them in a file of the config directory
// instead, readable only by the user: that protects the cache as much as the
// file system does and no more, so it is chosen explicitly (Mode "file") or,
// in Mode "auto", only after the keychain did not answer, with a warning.
package secrets

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"sync"

	"github.com/zalando/go-keyring"
)

// Service is the name the secrets are filed under in the OS keychain.
const Service = "Switchboard"

// FileName is the file secrets are kept in by the file store.
const FileName = "secrets.json"

// Modes of Open.
const (
	ModeAuto = "auto" // the OS keychain, else a file with a warning
	ModeOS   = "os"   // the OS keychain or nothing
	ModeFile = "file" // a file in the config directory
)

// ErrNotFound is returned by Get for a secret that was never set.
var ErrNotFound = errors.New("secret not found")

// Store keeps named secrets.
type Store interface {
	// Get returns a secret, or ErrNotFound.
	Get(name string) (string, error)
	// Set stores a secret, replacing any old value.
	Set(name, value string) error
	// Delete forgets a secret; forgetting one that is not there is no error.
	Delete(name string) error
	// Kind says where the secrets are: "os" or "file".
	Kind() string
}

// Open returns the store of a mode ("" means auto). dir is the config
// directory the file store uses.
func Open(mode, dir string, log *slog.Logger) (Store, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	switch mode {
	case ModeFile:
		return &fileStore{path: filepath.Join(dir, FileName)}, nil
	case ModeOS:
		if err := probe(); err != nil {
			return nil, fmt.Errorf("OS keychain: %w", err)
		}
		return osStore{}, nil
	case "", ModeAuto:
		if err := probe(); err != nil {
			log.Warn("no OS keychain; keeping the cache key and session in a file readable only by this user",
				"file", filepath.Join(dir, FileName), "err", err)
			return &fileStore{path: filepath.Join(dir, FileName)}, nil
		}
		return osStore{}, nil
	default:
		return nil, fmt.Errorf("unknown secrets mode %q (want auto, os or file)", mode)
	}
}

// probe asks the keychain for a secret that is not there: a working
// keychain answers "not found", a missing one fails.
func probe() error {
	_, err := keyring.Get(Service, "probe")
	if err == nil || errors.Is(err, keyring.ErrNotFound) {
		return nil
	}
	return err
}

type osStore struct{}

func (osStore) Kind() string { return ModeOS }

func (osStore) Get(name string) (string, error) {
	v, err := keyring.Get(Service, name)
	if errors.Is(err, keyring.ErrNotFound) {
		return "", ErrNotFound
	}
	if err != nil {
		return "", fmt.Errorf("read %s from the keychain: %w", name, err)
	}
	return v, nil
}

func (osStore) Set(name, value string) error {
	if err := keyring.Set(Service, name, value); err != nil {
		return fmt.Errorf("write %s to the keychain: %w", name, err)
	}
	return nil
}

func (osStore) Delete(name string) error {
	err := keyring.Delete(Service, name)
	if err != nil && !errors.Is(err, keyring.ErrNotFound) {
		return fmt.Errorf("delete %s from the keychain: %w", name, err)
	}
	return nil
}

// fileStore keeps the secrets in one JSON file, mode 0600, replaced
// atomically on every change.
type fileStore struct {
	mu   sync.Mutex
	path string
}

func (*fileStore) Kind() string { return ModeFile }

func (f *fileStore) Get(name string) (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	m, err := f.read()
	if err != nil {
		return "", err
	}
	v, ok := m[name]
	if !ok {
		return "", ErrNotFound
	}
	return v, nil
}

func (f *fileStore) Set(name, value string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	m, err := f.read()
	if err != nil {
		return err
	}
	m[name] = value
	return f.write(m)
}

func (f *fileStore) Delete(name string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	m, err := f.read()
	if err != nil {
		return err
	}
	if _, ok := m[name]; !ok {
		return nil
	}
	delete(m, name)
	return f.write(m)
}

func (f *fileStore) read() (map[string]string, error) {
	m := map[string]string{}
	b, err := os.ReadFile(f.path)
	if errors.Is(err, fs.ErrNotExist) {
		return m, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read secrets: %w", err)
	}
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("decode secrets %s: %w", f.path, err)
	}
	return m, nil
}

func (f *fileStore) write(m map[string]string) error {
	dir := filepath.Dir(f.path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("create config dir: %w", err)
	}
	b, err := json.Marshal(m)
	if err != nil {
		return fmt.Errorf("encode secrets: %w", err)
	}
	tmp, err := os.CreateTemp(dir, FileName+".*")
	if err != nil {
		return fmt.Errorf("write secrets: %w", err)
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return fmt.Errorf("write secrets: %w", err)
	}
	if _, err := tmp.Write(b); err != nil {
		tmp.Close()
		return fmt.Errorf("write secrets: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("write secrets: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write secrets: %w", err)
	}
	if err := os.Rename(tmp.Name(), f.path); err != nil {
		return fmt.Errorf("write secrets: %w", err)
	}
	return nil
}
