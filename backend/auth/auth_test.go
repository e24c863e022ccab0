package auth

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"
)

// fastParams keep the tests quick; the format and checks are the same.
var fastParams = MinParams

func TestPassword(t *testing.T) {
	h, err := HashPasswordWith(fastParams, "switchboard-demo")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=1024,t=1,p=1$") {
		t.Errorf("hash = %q, want PHC argon2id form", h)
	}
	tests := []struct {
		name, pw string
		want     bool
	}{
		{"right", "switchboard-demo", true},
		{"wrong", "switchboard-dem0", false},
		{"empty", "", false},
	}
	for _, tt := range tests {
		got, err := VerifyPassword(h, tt.pw)
		if err != nil || got != tt.want {
			t.Errorf("VerifyPassword(%q) = %v, %v, want %v", tt.pw, got, err, tt.want)
		}
	}
	h2, _ := HashPasswordWith(fastParams, "switchboard-demo")
	if h == h2 {
		t.Errorf("two hashes of one password are equal: salt is not random")
	}
}

func TestDefaultParamsHash(t *testing.T) {
	h, err := HashPassword("pw")
	if err != nil {
		t.Fatal(err)
	}
	if ok, err := VerifyPassword(h, "pw"); !ok || err != nil {
		t.Errorf("VerifyPassword(default params) = %v, %v", ok, err)
	}
}

func TestVerifyPasswordBadHash(t *testing.T) {
	bad := []string{
		"",
		"plain",
		"$argon2i$v=19$m=1024,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA",
		"$argon2id$v=18$m=1024,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA",
		"$argon2id$v=19$m=99999999,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA",
		"$argon2id$v=19$m=1024,t=1,p=1$!!$aGFzaGhhc2hoYXNoaGFzaA",
		"$argon2id$v=19$m=1024,t=1,p=1$c2FsdHNhbHQ$",
	}
	for _, h := range bad {
		if ok, err := VerifyPassword(h, "pw"); ok || !errors.Is(err, ErrBadHash) {
			t.Errorf("VerifyPassword(%q) = %v, %v, want false, ErrBadHash", h, ok, err)
		}
	}
}

func TestToken(t *testing.T) {
	now := time.Unix(1_700_000_000, 0)
	clock := func() time.Time { return now }
	secret := bytes.Repeat([]byte("k"), 32)
	s, err := NewSigner(secret, clock)
	if err != nil {
		t.Fatal(err)
	}
	tok, c := s.Issue("agent-1", "agent", time.Hour)
	if c.ExpiresAt != now.Add(time.Hour).UnixMilli() {
		t.Errorf("ExpiresAt = %d", c.ExpiresAt)
	}
	got, err := s.Verify(tok)
	if err != nil || got.Subject != "agent-1" || got.Role != "agent" {
		t.Fatalf("Verify = %+v, %v", got, err)
	}

	other, _ := NewSigner(bytes.Repeat([]byte("x"), 32), clock)
	forged, _ := other.Issue("agent-1", "supervisor", time.Hour)
	i := strings.LastIndexByte(tok, '.')
	tests := []struct {
		name string
		in   string
		want error
	}{
		{"empty", "", ErrTokenInvalid},
		{"garbage", "hello", ErrTokenInvalid},
		{"other key", forged, ErrTokenInvalid},
		{"bad signature", tok[:i+1] + "AAAA", ErrTokenInvalid},
		{"tampered body", tok[:5] + "x" + tok[6:], ErrTokenInvalid},
		{"no signature", tok[:i], ErrTokenInvalid},
	}
	for _, tt := range tests {
		if _, err := s.Verify(tt.in); !errors.Is(err, tt.want) {
			t.Errorf("%s: Verify = %v, want %v", tt.name, err, tt.want)
		}
	}

	now = now.Add(time.Hour)
	if _, err := s.Verify(tok); !errors.Is(err, ErrTokenExpired) {
		t.Errorf("Verify after expiry = %v, want ErrTokenExpired", err)
	}
	if _, err := NewSigner([]byte("short"), nil); err == nil {
		t.Errorf("NewSigner(short secret) = nil error")
	}
}

func TestLimiter(t *testing.T) {
	now := time.Unix(0, 0)
	l := NewLimiter(0.5, 3, func() time.Time { return now })
	for i := range 3 {
		if !l.Allow("alice|1.2.3.4") {
			t.Fatalf("attempt %d refused within burst", i+1)
		}
	}
	if l.Allow("alice|1.2.3.4") {
		t.Fatalf("4th attempt allowed, want refused")
	}
	if !l.Allow("alice|5.6.7.8") {
		t.Errorf("another IP refused: keys must be independent")
	}
	now = now.Add(2 * time.Second) // one token back at 0.5/s
	if !l.Allow("alice|1.2.3.4") {
		t.Errorf("refused after refill")
	}
	if l.Allow("alice|1.2.3.4") {
		t.Errorf("allowed twice after one token refilled")
	}
}

func TestRefreshToken(t *testing.T) {
	tok, hash := NewRefreshToken()
	tok2, hash2 := NewRefreshToken()
	if tok == tok2 || hash == hash2 {
		t.Fatalf("two refresh tokens are equal: %q", tok)
	}
	if got, ok := RefreshTokenHash(tok); !ok || got != hash {
		t.Errorf("RefreshTokenHash(new token) = %q, %v, want %q, true", got, ok, hash)
	}
	if strings.Contains(hash, tok[len(refreshPrefix):]) {
		t.Errorf("hash %q contains the token", hash)
	}
	bad := []string{"", "sbr1.", "sbr1.!!!!", tok[:len(tok)-2], "sb1." + tok[len(refreshPrefix):], tok + "AA"}
	for _, b := range bad {
		if h, ok := RefreshTokenHash(b); ok {
			t.Errorf("RefreshTokenHash(%q) = %q, true, want false", b, h)
		}
	}
}
