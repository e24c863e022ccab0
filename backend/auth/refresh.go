package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"strings"
)

// refreshPrefix names the refresh token format.
const refreshPrefix = "sbr1."

// refreshBytes is the randomness in a refresh token.
const refreshBytes = 32

// NewRefreshToken returns a new opaque refresh token and the hash it is
// stored under. Refresh tokens are random, not signed: the server keeps
// their hashes, so a copy of the database does not hold a usable token, and
// the server can use each one up or revoke it.
func NewRefreshToken() (token, hash string) {
	b := make([]byte, refreshBytes)
	rand.Read(b) // crypto/rand.Read never fails
	token = refreshPrefix + base64.RawURLEncoding.EncodeToString(b)
	return token, hashRefresh(token)
}

// RefreshTokenHash returns the hash a refresh token is stored under, and
// false for anything that is not a refresh token's form. The hash is a plain
// SHA-256: the token carries 256 random bits, so there is nothing to guess
// that a slow hash would protect.
func RefreshTokenHash(token string) (string, bool) {
	if !strings.HasPrefix(token, refreshPrefix) {
		return "", false
	}
	b, err := base64.RawURLEncoding.DecodeString(token[len(refreshPrefix):])
	if err != nil || len(b) != refreshBytes {
		return "", false
	}
	return hashRefresh(token), true
}

func hashRefresh(token string) string {
	h := sha256.Sum256([]byte(token))
	return hex.EncodeToString(h[:])
}
