package cache

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"hash"
)

// KeySize is the size of a cache key: AES-256.
const KeySize = 32

// ErrWrongKey is returned by Open when the cache was written with another key
// (the keychain entry was lost or replaced): nothing in it can be read.
var ErrWrongKey = errors.New("the cache was encrypted with another key")

// NewKey returns a fresh random cache key.
func NewKey() []byte {
	k := make([]byte, KeySize)
	if _, err := rand.Read(k); err != nil {
		panic(err) // crypto/rand does not fail on supported platforms
	}
	return k
}

// sealer encrypts what the cache stores with AES-256-GCM and hashes search
// terms with HMAC-SHA-256, each with its own key derived from the cache key,
// so the search index says nothing about the words without the key.
//
// Every sealed value is bound to where it is stored (its table and row, as
// additional data), so a value copied into another row does not open.
type sealer struct {
	aead    cipher.AEAD
	termKey []byte
}

func newSealer(key []byte) (*sealer, error) {
	if len(key) != KeySize {
		return nil, fmt.Errorf("cache key is %d bytes, want %d", len(key), KeySize)
	}
	encKey, err := hkdf.Key(sha256.New, key, nil, "switchboard cache encryption v1", 32)
	if err != nil {
		return nil, err
	}
	termKey, err := hkdf.Key(sha256.New, key, nil, "switchboard cache search terms v1", 32)
	if err != nil {
		return nil, err
	}
	block, err := aes.NewCipher(encKey)
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	return &sealer{aead: aead, termKey: termKey}, nil
}

// seal encrypts plain for the place named by ad: a random nonce followed by
// the ciphertext and tag.
func (s *sealer) seal(plain []byte, ad string) []byte {
	out := make([]byte, s.aead.NonceSize(), s.aead.NonceSize()+len(plain)+s.aead.Overhead())
	if _, err := rand.Read(out); err != nil {
		panic(err)
	}
	return s.aead.Seal(out, out, plain, []byte(ad))
}

// open decrypts what seal made for the same ad.
func (s *sealer) open(sealed []byte, ad string) ([]byte, error) {
	n := s.aead.NonceSize()
	if len(sealed) < n+s.aead.Overhead() {
		return nil, errors.New("sealed value is too short")
	}
	plain, err := s.aead.Open(nil, sealed[:n], sealed[n:], []byte(ad))
	if err != nil {
		return nil, errors.New("sealed value does not open: wrong key or damaged")
	}
	return plain, nil
}

// termHasher hashes search terms; one per goroutine (it is not safe for
// concurrent use).
type termHasher struct{ mac hash.Hash }

func (s *sealer) hasher() termHasher {
	return termHasher{mac: hmac.New(sha256.New, s.termKey)}
}

// hash returns a term's index key: 31 bits of its HMAC, so SQLite stores
// it in 4 bytes. Distinct terms that share a key only cost a candidate that
// the search then opens and drops.
func (h termHasher) hash(term string) int64 {
	h.mac.Reset()
	h.mac.Write([]byte(term))
	var sum [sha256.Size]byte
	return int64(binary.BigEndian.Uint32(h.mac.Sum(sum[:0])[:4]) >> 1)
}

// Additional data naming where a sealed value is stored.
func adConversation(id string) string { return "conversation\x00" + id }
func adMessage(conversationID string, seq int64) string {
	return fmt.Sprintf("message\x00%s\x00%d", conversationID, seq)
}
func adOutbox(clientMsgID, column string) string {
	return "outbox\x00" + clientMsgID + "\x00" + column
}
func adUpload(id, column string) string { return "upload\x00" + id + "\x00" + column }

const adCheck = "check"

// checkPlain is sealed into the meta table when a cache is created, so Open
// can tell a wrong key from an empty cache.
var checkPlain = []byte("switchboard cache")
