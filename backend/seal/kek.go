package seal

import (
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// LocalKEK is a KEK held in memory: from a file or the environment. It wraps
// with AES-256-GCM.
type LocalKEK struct {
	aead cipher.AEAD
	name string
}

var _ KEK = (*LocalKEK)(nil)

// NewLocalKEK returns a KEK of the 32 bytes key; name says where it came
// from.
func NewLocalKEK(key []byte, name string) (*LocalKEK, error) {
	aead, err := newAEAD(key)
	if err != nil {
		return nil, fmt.Errorf("key-encryption key from %s: %w", name, err)
	}
	return &LocalKEK{aead: aead, name: name}, nil
}

// ParseKEK reads a KEK written as base64 (standard or URL alphabet, padded
// or not) of 32 bytes.
func ParseKEK(text, name string) (*LocalKEK, error) {
	text = strings.TrimSpace(text)
	var key []byte
	var err error
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		if key, err = enc.DecodeString(text); err == nil {
			break
		}
	}
	if err != nil || len(key) != KeySize {
		return nil, fmt.Errorf("key-encryption key from %s: want base64 of %d random bytes (switchboard-server keys gen FILE writes one)", name, KeySize)
	}
	defer clear(key)
	return NewLocalKEK(key, name)
}

// LoadKEKFile reads a KEK file written by WriteKEKFile (base64 of 32 bytes).
// The file must not be readable or writable by others, nor writable by its
// group: a key anyone on the machine can read protects nothing.
func LoadKEKFile(path string) (*LocalKEK, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("key-encryption key file: %w", err)
	}
	if m := fi.Mode().Perm(); m&0o027 != 0 {
		return nil, fmt.Errorf("key-encryption key file %s has mode %04o: others must not read it (chmod 600 %s)", path, m, path)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("key-encryption key file: %w", err)
	}
	defer clear(b)
	return ParseKEK(string(b), "file "+path)
}

// WriteKEKFile writes a new random KEK to path (mode 0600), which must not
// exist.
func WriteKEKFile(path string) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return fmt.Errorf("write key-encryption key: %w", err)
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		if errors.Is(err, fs.ErrExist) {
			return fmt.Errorf("write key-encryption key: %s exists", path)
		}
		return fmt.Errorf("write key-encryption key: %w", err)
	}
	key := make([]byte, KeySize)
	rand.Read(key)
	_, werr := f.WriteString(base64.StdEncoding.EncodeToString(key) + "\n")
	clear(key)
	serr := f.Sync()
	cerr := f.Close()
	if err := errors.Join(werr, serr, cerr); err != nil {
		os.Remove(path)
		return fmt.Errorf("write key-encryption key: %w", err)
	}
	return nil
}

// Name implements KEK.
func (k *LocalKEK) Name() string { return k.name }

// Wrap implements KEK.
func (k *LocalKEK) Wrap(dek, ad []byte) ([]byte, error) {
	out := make([]byte, nonceLen, nonceLen+len(dek)+tagLen)
	rand.Read(out)
	return k.aead.Seal(out, out, dek, ad), nil
}

// Unwrap implements KEK.
func (k *LocalKEK) Unwrap(wrapped, ad []byte) ([]byte, error) {
	if len(wrapped) < nonceLen+tagLen {
		return nil, ErrWrongKEK
	}
	dek, err := k.aead.Open(nil, wrapped[:nonceLen], wrapped[nonceLen:], ad)
	if err != nil {
		return nil, ErrWrongKEK
	}
	return dek, nil
}
