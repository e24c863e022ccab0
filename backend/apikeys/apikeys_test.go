package apikeys

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"switchboard/backend/store"
	_ "switchboard/backend/store/sqlite"
)

func newService(t *testing.T, now *time.Time, rate float64, burst int) (*Service, store.Store) {
	t.Helper()
	st, err := store.Open(context.Background(), "sqlite:"+filepath.Join(t.TempDir(), "s.db"), store.OpenOptions{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return New(Config{Store: st, Now: func() time.Time { return *now }, Rate: rate, Burst: burst}), st
}

func TestParseScopes(t *testing.T) {
	tests := []struct {
		in      string
		want    string
		wantErr bool
	}{
		{"customers:write", "customers:write", false},
		{" admin , conversations:read,admin", "admin,conversations:read", false},
		{"", "", true},
		{",,", "", true},
		{"admin,root", "", true},
		{"Admin", "", true},
	}
	for _, tt := range tests {
		got, err := ParseScopes(tt.in)
		if (err != nil) != tt.wantErr || strings.Join(got, ",") != tt.want {
			t.Errorf("ParseScopes(%q) = %v, %v, want %q (error %v)", tt.in, got, err, tt.want, tt.wantErr)
		}
		if err != nil && !errors.Is(err, ErrInvalid) {
			t.Errorf("ParseScopes(%q) error %v is not ErrInvalid", tt.in, err)
		}
	}
}

func TestParse(t *testing.T) {
	tests := []struct {
		in         string
		id, secret string
		ok         bool
	}{
		{"sbk_0123abcd_s3cr-et_x", "0123abcd", "s3cr-et_x", true},
		{"sbk__secret", "", "", false},
		{"sbk_id_", "", "", false},
		{"sbk_id", "", "", false},
		{"Bearer sbk_a_b", "", "", false},
		{"whsec_a_b", "", "", false},
	}
	for _, tt := range tests {
		id, secret, ok := Parse(tt.in)
		if id != tt.id || secret != tt.secret || ok != tt.ok {
			t.Errorf("Parse(%q) = %q, %q, %v, want %q, %q, %v", tt.in, id, secret, ok, tt.id, tt.secret, tt.ok)
		}
	}
}

func TestCreateVerifyRevoke(t *testing.T) {
	ctx := context.Background()
	now := time.UnixMilli(1_700_000_000_000)
	s, st := newService(t, &now, 0, 0)
	k, key, err := s.Create(ctx, "订单系统 orders", []string{"conversations:read", "customers:write"}, "admin")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(key, Prefix+k.ID+"_") {
		t.Errorf("key %q does not start with %s%s_", key, Prefix, k.ID)
	}
	stored, _ := st.APIKey(ctx, k.ID)
	if strings.Contains(key, stored.Hash) || stored.Hash == "" || strings.Contains(stored.Hash, key[len(Prefix+k.ID+"_"):]) {
		t.Errorf("stored hash %q: want the secret's hash, not the secret", stored.Hash)
	}
	got, err := s.Verify(ctx, key)
	if err != nil || got.ID != k.ID || !Has(got, ScopeCustomersWrite) || Has(got, ScopeAdmin) {
		t.Fatalf("Verify = %+v, %v", got, err)
	}
	if stored, _ := st.APIKey(ctx, k.ID); stored.LastUsedAt != now.UnixMilli() {
		t.Errorf("last used = %d, want %d", stored.LastUsedAt, now.UnixMilli())
	}
	// Within the minute the last use is not written again.
	now = now.Add(30 * time.Second)
	s.Verify(ctx, key)
	if stored, _ := st.APIKey(ctx, k.ID); stored.LastUsedAt != now.Add(-30*time.Second).UnixMilli() {
		t.Errorf("last used after 30s = %d, want unchanged", stored.LastUsedAt)
	}
	now = now.Add(31 * time.Second)
	s.Verify(ctx, key)
	if stored, _ := st.APIKey(ctx, k.ID); stored.LastUsedAt != now.UnixMilli() {
		t.Errorf("last used after 61s = %d, want %d", stored.LastUsedAt, now.UnixMilli())
	}

	for _, bad := range []string{key + "x", strings.Replace(key, k.ID, "ffffffffffffffff", 1), "sbk_nope", ""} {
		if _, err := s.Verify(ctx, bad); !errors.Is(err, ErrUnknown) {
			t.Errorf("Verify(%q) = %v, want ErrUnknown", bad, err)
		}
	}
	if _, err := s.Revoke(ctx, k.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Verify(ctx, key); !errors.Is(err, ErrUnknown) {
		t.Errorf("Verify(revoked) = %v, want ErrUnknown", err)
	}
	if _, err := s.Revoke(ctx, "nope"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Revoke(unknown) = %v, want ErrNotFound", err)
	}
	if _, _, err := s.Create(ctx, " ", []string{"admin"}, "admin"); !errors.Is(err, ErrInvalid) {
		t.Errorf("Create(no name) = %v, want ErrInvalid", err)
	}
	if _, _, err := s.Create(ctx, "x", []string{"root"}, "admin"); !errors.Is(err, ErrInvalid) {
		t.Errorf("Create(bad scope) = %v, want ErrInvalid", err)
	}
}

func TestAllowBucket(t *testing.T) {
	now := time.UnixMilli(1_700_000_000_000)
	s, _ := newService(t, &now, 2, 3) // 2/s, burst 3, on a clock that only moves when told
	for i := range 3 {
		if ok, _ := s.Allow("a"); !ok {
			t.Fatalf("request %d of the burst refused", i+1)
		}
	}
	ok, wait := s.Allow("a")
	if ok || wait != 500*time.Millisecond {
		t.Errorf("past the burst: Allow = %v, %v; want false, 500ms", ok, wait)
	}
	if ok, _ := s.Allow("b"); !ok {
		t.Error("another key's bucket is shared")
	}
	now = now.Add(500 * time.Millisecond)
	if ok, _ := s.Allow("a"); !ok {
		t.Error("refused after the bucket refilled one token")
	}
	if ok, _ := s.Allow("a"); ok {
		t.Error("allowed a second request on one refilled token")
	}
}
