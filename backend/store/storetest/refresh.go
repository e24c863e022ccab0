package storetest

import (
	"context"
	"errors"
	"sync"
	"testing"

	"github.com/google/uuid"

	"switchboard/backend/store"
)

// refreshToken is a token of family fam for agent, created at t0, that
// expires unused at t0+ttl.
func refreshToken(fam, agent string, t0, ttl int64) store.RefreshToken {
	return store.RefreshToken{Hash: uuid.NewString(), FamilyID: fam, AgentID: agent, TokenGen: 3,
		CreatedAt: t0, ExpiresAt: t0 + ttl, FamilyExpiresAt: t0 + 10*ttl}
}

// testRefreshRotate: a rotation uses the token up and adds the next one to
// the family with the family's fields; a used, expired or revoked token is
// not rotated again, and nothing is written then.
func testRefreshRotate(t *testing.T, s store.Store) {
	ctx := context.Background()
	alice, _, _ := seed(t, s)
	const t0, ttl = 1_000_000, 1000
	first := refreshToken("fam-1", alice.ID, t0, ttl)
	if err := s.AddRefreshToken(ctx, first); err != nil {
		t.Fatal(err)
	}
	if err := s.AddRefreshToken(ctx, first); !errors.Is(err, store.ErrConflict) {
		t.Errorf("AddRefreshToken of a stored hash = %v, want ErrConflict", err)
	}
	got, err := s.RefreshToken(ctx, first.Hash)
	if err != nil || got != first {
		t.Fatalf("RefreshToken = %+v, %v, want %+v", got, err, first)
	}

	// next's family fields come from the used token, whatever it says.
	next := store.RefreshToken{Hash: uuid.NewString(), FamilyID: "other", AgentID: "other", TokenGen: 99,
		CreatedAt: t0 + 10, ExpiresAt: t0 + 10 + ttl, FamilyExpiresAt: 1, UsedAt: 5, RevokedAt: 5}
	before, err := s.RotateRefreshToken(ctx, first.Hash, next, t0+10)
	if err != nil || before != first {
		t.Fatalf("RotateRefreshToken = %+v, %v, want %+v", before, err, first)
	}
	used, _ := s.RefreshToken(ctx, first.Hash)
	if used.UsedAt != t0+10 {
		t.Errorf("used token UsedAt = %d, want %d", used.UsedAt, t0+10)
	}
	stored, err := s.RefreshToken(ctx, next.Hash)
	want := store.RefreshToken{Hash: next.Hash, FamilyID: "fam-1", AgentID: alice.ID, TokenGen: 3,
		CreatedAt: t0 + 10, ExpiresAt: t0 + 10 + ttl, FamilyExpiresAt: first.FamilyExpiresAt}
	if err != nil || stored != want {
		t.Errorf("next token = %+v, %v, want %+v", stored, err, want)
	}

	// Reuse of the used token: refused with the token as it is.
	again := refreshToken("x", alice.ID, t0+20, ttl)
	before, err = s.RotateRefreshToken(ctx, first.Hash, again, t0+20)
	if !errors.Is(err, store.ErrIllegalState) || before.UsedAt != t0+10 {
		t.Errorf("RotateRefreshToken of a used token = %+v, %v, want ErrIllegalState with UsedAt", before, err)
	}
	if _, err := s.RefreshToken(ctx, again.Hash); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("a refused rotation stored its next token: %v", err)
	}

	// Expired: the token's own expiry, then the family's.
	if _, err := s.RotateRefreshToken(ctx, next.Hash, refreshToken("x", alice.ID, 0, ttl), t0+10+ttl); !errors.Is(err, store.ErrIllegalState) {
		t.Errorf("RotateRefreshToken at its expiry = %v, want ErrIllegalState", err)
	}
	fam2 := refreshToken("fam-2", alice.ID, t0, ttl)
	fam2.ExpiresAt, fam2.FamilyExpiresAt = t0+5*ttl, t0+ttl
	if err := s.AddRefreshToken(ctx, fam2); err != nil {
		t.Fatal(err)
	}
	if _, err := s.RotateRefreshToken(ctx, fam2.Hash, refreshToken("x", alice.ID, 0, ttl), t0+ttl); !errors.Is(err, store.ErrIllegalState) {
		t.Errorf("RotateRefreshToken at its family's expiry = %v, want ErrIllegalState", err)
	}

	if _, err := s.RotateRefreshToken(ctx, uuid.NewString(), refreshToken("x", alice.ID, 0, ttl), t0); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("RotateRefreshToken of an unknown hash = %v, want ErrNotFound", err)
	}
	if _, err := s.RefreshToken(ctx, uuid.NewString()); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("RefreshToken of an unknown hash = %v, want ErrNotFound", err)
	}
}

// testRefreshRevoke: revoking a family revokes every token of it, the newest
// included, keeps the first revocation time, and leaves other families alone.
func testRefreshRevoke(t *testing.T, s store.Store) {
	ctx := context.Background()
	alice, _, _ := seed(t, s)
	const t0, ttl = 1_000_000, 1000
	first := refreshToken("fam-1", alice.ID, t0, ttl)
	other := refreshToken("fam-2", alice.ID, t0, ttl)
	for _, tok := range []store.RefreshToken{first, other} {
		if err := s.AddRefreshToken(ctx, tok); err != nil {
			t.Fatal(err)
		}
	}
	next := refreshToken("", "", t0+1, ttl)
	if _, err := s.RotateRefreshToken(ctx, first.Hash, next, t0+1); err != nil {
		t.Fatal(err)
	}
	if err := s.RevokeRefreshFamily(ctx, "fam-1", t0+2); err != nil {
		t.Fatal(err)
	}
	if err := s.RevokeRefreshFamily(ctx, "fam-1", t0+3); err != nil {
		t.Errorf("RevokeRefreshFamily again = %v", err)
	}
	for _, h := range []string{first.Hash, next.Hash} {
		if got, err := s.RefreshToken(ctx, h); err != nil || got.RevokedAt != t0+2 {
			t.Errorf("token of the revoked family = %+v, %v, want RevokedAt %d", got, err, t0+2)
		}
	}
	if got, _ := s.RefreshToken(ctx, other.Hash); got.RevokedAt != 0 {
		t.Errorf("token of another family revoked: %+v", got)
	}
	for fam, want := range map[string]bool{"fam-1": true, "fam-2": false, "no-such-family": true} {
		if ended, err := s.RefreshFamilyEnded(ctx, fam); err != nil || ended != want {
			t.Errorf("RefreshFamilyEnded(%s) = %v, %v, want %v", fam, ended, err, want)
		}
	}
	before, err := s.RotateRefreshToken(ctx, next.Hash, refreshToken("", "", t0+4, ttl), t0+4)
	if !errors.Is(err, store.ErrIllegalState) || before.RevokedAt != t0+2 {
		t.Errorf("RotateRefreshToken of a revoked token = %+v, %v, want ErrIllegalState with RevokedAt", before, err)
	}
	if err := s.RevokeRefreshFamily(ctx, "no-such-family", t0); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("RevokeRefreshFamily of an unknown family = %v, want ErrNotFound", err)
	}
}

// testRefreshConcurrent: of many rotations of one token at once, exactly one
// wins.
func testRefreshConcurrent(t *testing.T, s store.Store) {
	ctx := context.Background()
	alice, _, _ := seed(t, s)
	first := refreshToken("fam-1", alice.ID, 1000, 1000)
	if err := s.AddRefreshToken(ctx, first); err != nil {
		t.Fatal(err)
	}
	const n = 8
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Go(func() {
			_, errs[i] = s.RotateRefreshToken(ctx, first.Hash, refreshToken("", "", 1001, 1000), 1001)
		})
	}
	wg.Wait()
	won := 0
	for _, err := range errs {
		switch {
		case err == nil:
			won++
		case !errors.Is(err, store.ErrIllegalState):
			t.Errorf("a losing rotation = %v, want ErrIllegalState", err)
		}
	}
	if won != 1 {
		t.Errorf("%d of %d concurrent rotations succeeded, want 1", won, n)
	}
}

// testRefreshPrune deletes the tokens expired by their own or their
// family's expiry, and no other.
func testRefreshPrune(t *testing.T, s store.Store) {
	ctx := context.Background()
	alice, _, _ := seed(t, s)
	live := refreshToken("a", alice.ID, 1000, 1000) // expires 2000, family 11000
	own := refreshToken("b", alice.ID, 0, 1000)     // expires 1000
	fam := refreshToken("c", alice.ID, 1000, 1000)  // family expires 1500
	fam.FamilyExpiresAt = 1500
	for _, tok := range []store.RefreshToken{live, own, fam} {
		if err := s.AddRefreshToken(ctx, tok); err != nil {
			t.Fatal(err)
		}
	}
	n, err := s.PruneRefreshTokens(ctx, 1500)
	if err != nil || n != 2 {
		t.Errorf("PruneRefreshTokens = %d, %v, want 2", n, err)
	}
	if _, err := s.RefreshToken(ctx, live.Hash); err != nil {
		t.Errorf("live token pruned: %v", err)
	}
	for _, h := range []string{own.Hash, fam.Hash} {
		if _, err := s.RefreshToken(ctx, h); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("expired token kept: %v", err)
		}
	}
}
