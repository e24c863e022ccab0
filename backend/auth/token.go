package auth

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Token lifetimes.
//
// An agent signs in once and then holds two tokens: a short access token
// that every hello and HTTP call carries, and a refresh token that only
// POST /api/v1/refresh accepts, which hands out the next pair. A refresh
// token lasts RefreshTokenTTL unused (an app left closed for longer signs in
// again) and no refresh token of one sign-in outlives RefreshFamilyTTL after
// the password was typed.
const (
	AgentTokenTTL    = 15 * time.Minute
	RefreshTokenTTL  = 7 * 24 * time.Hour
	RefreshFamilyTTL = 30 * 24 * time.Hour
	VisitorTokenTTL  = 30 * 24 * time.Hour
)

// Token errors. They are distinct so a client can tell "sign in again"
// (expired) from "this token is no good" (invalid).
var (
	ErrTokenInvalid = errors.New("invalid token")
	ErrTokenExpired = errors.New("token expired")
)

// Claims is what a token vouches for.
type Claims struct {
	Subject   string `json:"sub"`  // agent id or visitor (customer) id
	Role      string `json:"role"` // a protocol.Role* value
	IssuedAt  int64  `json:"iat"`  // unix seconds
	ExpiresAt int64  `json:"exp"`  // unix milliseconds
	// Gen is the account's token generation when the token was issued
	// (store.Agent.TokenGen); the server refuses a token whose generation
	// is no longer the account's. Visitor tokens leave it 0.
	Gen int64 `json:"gen,omitempty"`
	// Family names the sign-in (the refresh token family) an agent's access
	// token was issued for, so that ending the sign-in can close the
	// connections it opened. Visitor tokens leave it empty.
	Family string `json:"fam,omitempty"`
}

// tokenPrefix names the format, so a future format can be told apart.
const tokenPrefix = "sb1."

// Signer issues and checks HMAC-SHA256 signed tokens:
// "sb1." + base64url(claims JSON) + "." + base64url(mac).
type Signer struct {
	key []byte
	now func() time.Time
}

// NewSigner returns a Signer keyed by secret (at least 32 bytes). now is the
// clock; nil means time.Now.
func NewSigner(secret []byte, now func() time.Time) (*Signer, error) {
	if len(secret) < 32 {
		return nil, fmt.Errorf("token secret is %d bytes; need at least 32", len(secret))
	}
	if now == nil {
		now = time.Now
	}
	return &Signer{key: append([]byte(nil), secret...), now: now}, nil
}

// Issue signs a token for subject with role, valid for ttl, and returns it
// with its claims.
func (s *Signer) Issue(subject, role string, ttl time.Duration) (string, Claims) {
	return s.IssueGen(subject, role, 0, ttl)
}

// IssueGen is Issue for a token of generation gen (see Claims.Gen).
func (s *Signer) IssueGen(subject, role string, gen int64, ttl time.Duration) (string, Claims) {
	now := s.now()
	c := Claims{Subject: subject, Role: role, IssuedAt: now.Unix(), ExpiresAt: now.Add(ttl).UnixMilli(), Gen: gen}
	return s.Sign(c), c
}

// Sign signs c as given.
func (s *Signer) Sign(c Claims) string {
	payload, _ := json.Marshal(c) // a struct of strings and ints cannot fail
	body := tokenPrefix + base64.RawURLEncoding.EncodeToString(payload)
	return body + "." + base64.RawURLEncoding.EncodeToString(s.mac(body))
}

func (s *Signer) mac(body string) []byte {
	m := hmac.New(sha256.New, s.key)
	m.Write([]byte(body))
	return m.Sum(nil)
}

// Verify checks token's signature and expiry. It returns ErrTokenInvalid for
// anything not signed by this key (checked first, so nothing unsigned is
// trusted) and ErrTokenExpired for a genuine token past its expiry.
func (s *Signer) Verify(token string) (Claims, error) {
	var c Claims
	if len(token) > 4096 || !strings.HasPrefix(token, tokenPrefix) {
		return c, ErrTokenInvalid
	}
	i := strings.LastIndexByte(token, '.')
	if i <= len(tokenPrefix) {
		return c, ErrTokenInvalid
	}
	body, sig := token[:i], token[i+1:]
	got, err := base64.RawURLEncoding.DecodeString(sig)
	if err != nil || !hmac.Equal(got, s.mac(body)) {
		return c, ErrTokenInvalid
	}
	payload, err := base64.RawURLEncoding.DecodeString(body[len(tokenPrefix):])
	if err != nil {
		return c, ErrTokenInvalid
	}
	if err := json.Unmarshal(payload, &c); err != nil || c.Subject == "" || c.Role == "" {
		return Claims{}, ErrTokenInvalid
	}
	if s.now().UnixMilli() >= c.ExpiresAt {
		return c, ErrTokenExpired
	}
	return c, nil
}
