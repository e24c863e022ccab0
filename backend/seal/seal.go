// Package seal encrypts what the server keeps at rest: envelope encryption
// with AES-256-GCM.
//
// Data is sealed with a data key (DEK), a random 256-bit key that never
// leaves memory unwrapped: it is stored wrapped by the key-encryption key
// (KEK), which comes from outside the data (a file, the environment, an HSM)
// and is needed to start. Rotation adds a DEK; new values use the newest
// while the older ones still open what they sealed, until a background job
// has sealed everything again with the newest.
//
// A sealed value says which DEK sealed it, carries its random nonce, and is
// bound to where it is stored by additional data (its table, column and
// row), so a value copied into another row does not open.
//
//	value: 0x01 | DEK id (4 bytes, big endian) | nonce (12) | ciphertext | tag (16)
//
// Files are sealed in chunks (stream.go) so that a range of one can be read
// without decrypting all of it.
package seal

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
	"sync"
)

// KeySize is the size of a KEK and of a DEK: AES-256.
const KeySize = 32

const (
	version   = 0x01
	headerLen = 1 + 4 // version, DEK id
	nonceLen  = 12
	tagLen    = 16
	// Overhead is how many bytes sealing adds to a value.
	Overhead = headerLen + nonceLen + tagLen
)

// Errors of Open. Neither says more than it must: a caller logs them with
// the value's place, never with its bytes.
var (
	// ErrMalformed means the bytes are not a sealed value.
	ErrMalformed = errors.New("sealed value is malformed")
	// ErrUnknownKey means the value names a DEK the keyring does not hold.
	ErrUnknownKey = errors.New("sealed value names an unknown data key")
	// ErrOpen means authentication failed: the value was changed, or moved
	// from the place it was sealed for.
	ErrOpen = errors.New("sealed value does not open: damaged or moved")
	// ErrWrongKEK means the KEK does not unwrap a stored DEK.
	ErrWrongKEK = errors.New("the key-encryption key does not open the stored data keys (wrong key?)")
)

// KEK wraps and unwraps data keys. ad binds a wrapped key to its id.
type KEK interface {
	Wrap(dek, ad []byte) ([]byte, error)
	Unwrap(wrapped, ad []byte) ([]byte, error)
	// Name says where the KEK comes from, for logs ("file /etc/…", "env").
	Name() string
}

// WrappedKey is a DEK as stored: its id, the DEK wrapped by the KEK, and
// when it was made (Unix ms).
type WrappedKey struct {
	ID        uint32
	Wrapped   []byte
	CreatedAt int64
}

// NewDataKey makes a random DEK with the given id and returns it wrapped by
// kek, ready to store.
func NewDataKey(kek KEK, id uint32, now int64) (WrappedKey, error) {
	if id == 0 {
		return WrappedKey{}, errors.New("data key id 0 is reserved")
	}
	dek := make([]byte, KeySize)
	rand.Read(dek)
	w, err := kek.Wrap(dek, wrapAD(id))
	if err != nil {
		return WrappedKey{}, fmt.Errorf("wrap data key %d: %w", id, err)
	}
	return WrappedKey{ID: id, Wrapped: w, CreatedAt: now}, nil
}

// Rewrap unwraps k with from and wraps it again with to: the DEK stays,
// so everything it sealed opens as before, under another KEK.
func Rewrap(k WrappedKey, from, to KEK) (WrappedKey, error) {
	dek, err := from.Unwrap(k.Wrapped, wrapAD(k.ID))
	if err != nil {
		return WrappedKey{}, fmt.Errorf("data key %d: %w", k.ID, err)
	}
	defer clear(dek)
	w, err := to.Wrap(dek, wrapAD(k.ID))
	if err != nil {
		return WrappedKey{}, fmt.Errorf("wrap data key %d: %w", k.ID, err)
	}
	k.Wrapped = w
	return k, nil
}

func wrapAD(id uint32) []byte {
	return binary.BigEndian.AppendUint32([]byte("switchboard data key v1\x00"), id)
}

// Keyring holds the unwrapped DEKs and seals with the current one (the
// newest). It is safe for concurrent use.
type Keyring struct {
	kek KEK
	// mu guards keys and current; Add is rare, Seal and Open are hot.
	mu      sync.RWMutex
	keys    map[uint32]cipher.AEAD
	current uint32
}

// NewKeyring unwraps keys with kek; the one with the highest id is current.
// It fails with ErrWrongKEK when kek does not unwrap them.
func NewKeyring(kek KEK, keys []WrappedKey) (*Keyring, error) {
	if kek == nil {
		return nil, errors.New("keyring: no key-encryption key")
	}
	r := &Keyring{kek: kek, keys: make(map[uint32]cipher.AEAD)}
	for _, k := range keys {
		if err := r.Add(k); err != nil {
			return nil, err
		}
	}
	return r, nil
}

// Add unwraps k and makes it current if its id is the highest. Adding a
// key already held does nothing.
func (r *Keyring) Add(k WrappedKey) error {
	r.mu.RLock()
	_, have := r.keys[k.ID]
	r.mu.RUnlock()
	if have {
		return nil
	}
	if k.ID == 0 {
		return errors.New("data key id 0 is reserved")
	}
	dek, err := r.kek.Unwrap(k.Wrapped, wrapAD(k.ID))
	if err != nil {
		return fmt.Errorf("data key %d: %w", k.ID, err)
	}
	aead, err := newAEAD(dek)
	clear(dek)
	if err != nil {
		return fmt.Errorf("data key %d: %w", k.ID, err)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.keys[k.ID] = aead
	if k.ID > r.current {
		r.current = k.ID
	}
	return nil
}

// KEK returns the keyring's key-encryption key.
func (r *Keyring) KEK() KEK { return r.kek }

// Current returns the id of the DEK new values are sealed with; 0 when the
// keyring holds none.
func (r *Keyring) Current() uint32 {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return r.current
}

// IDs returns the ids of the DEKs held, ascending.
func (r *Keyring) IDs() []uint32 {
	r.mu.RLock()
	defer r.mu.RUnlock()
	ids := make([]uint32, 0, len(r.keys))
	for id := range r.keys {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids
}

func (r *Keyring) aead(id uint32) cipher.AEAD {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return r.keys[id]
}

func newAEAD(key []byte) (cipher.AEAD, error) {
	if len(key) != KeySize {
		return nil, fmt.Errorf("key is %d bytes, want %d", len(key), KeySize)
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(block)
}

// Seal encrypts plain with the current DEK for the place ad names.
func (r *Keyring) Seal(plain, ad []byte) ([]byte, error) {
	r.mu.RLock()
	id := r.current
	aead := r.keys[id]
	r.mu.RUnlock()
	if aead == nil {
		return nil, errors.New("seal: the keyring holds no data key")
	}
	out := make([]byte, headerLen+nonceLen, headerLen+nonceLen+len(plain)+tagLen)
	out[0] = version
	binary.BigEndian.PutUint32(out[1:], id)
	rand.Read(out[headerLen:])
	return aead.Seal(out, out[headerLen:], plain, valueAD(out[:headerLen], ad)), nil
}

// Open decrypts what Seal made for the same ad.
func (r *Keyring) Open(sealed, ad []byte) ([]byte, error) {
	id, err := KeyID(sealed)
	if err != nil {
		return nil, err
	}
	aead := r.aead(id)
	if aead == nil {
		return nil, fmt.Errorf("%w (%d)", ErrUnknownKey, id)
	}
	plain, err := aead.Open(nil, sealed[headerLen:headerLen+nonceLen], sealed[headerLen+nonceLen:], valueAD(sealed[:headerLen], ad))
	if err != nil {
		return nil, ErrOpen
	}
	return plain, nil
}

// valueAD binds the header (so the DEK id cannot be swapped) and the place.
func valueAD(header, ad []byte) []byte {
	out := make([]byte, 0, len(header)+len(ad))
	return append(append(out, header...), ad...)
}

// KeyID returns the id of the DEK that sealed a value, checking only its
// shape.
func KeyID(sealed []byte) (uint32, error) {
	if len(sealed) < Overhead || sealed[0] != version {
		return 0, ErrMalformed
	}
	id := binary.BigEndian.Uint32(sealed[1:headerLen])
	if id == 0 {
		return 0, ErrMalformed
	}
	return id, nil
}

// AD builds additional data naming a place from its parts (table, column,
// row key…), each length-prefixed so that no two places share a spelling.
func AD(parts ...string) []byte {
	n := 0
	for _, p := range parts {
		n += 4 + len(p)
	}
	out := make([]byte, 0, n)
	for _, p := range parts {
		out = binary.BigEndian.AppendUint32(out, uint32(len(p)))
		out = append(out, p...)
	}
	return out
}
