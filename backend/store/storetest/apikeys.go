package storetest

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/google/uuid"

	"switchboard/backend/store"
)

func testAPIKeys(t *testing.T, s store.Store) {
	ctx := context.Background()
	k := store.APIKey{ID: "k1", Name: "CRM 客户系统", Hash: "aa", Scopes: []string{"customers:write", "admin"}, CreatedBy: "admin"}
	if err := s.AddAPIKey(ctx, k); err != nil {
		t.Fatalf("AddAPIKey: %v", err)
	}
	if err := s.AddAPIKey(ctx, store.APIKey{ID: "k1", Name: "again", Hash: "bb"}); !errors.Is(err, store.ErrConflict) {
		t.Errorf("AddAPIKey(same id) = %v, want ErrConflict", err)
	}
	if err := s.AddAPIKey(ctx, store.APIKey{ID: "k2", Name: "orders", Hash: "cc", CreatedAt: 1}); err != nil {
		t.Fatal(err)
	}
	got, err := s.APIKey(ctx, "k1")
	if err != nil || got.Name != k.Name || got.Hash != "aa" || !slices.Equal(got.Scopes, k.Scopes) || got.CreatedAt == 0 ||
		got.LastUsedAt != 0 || got.RevokedAt != 0 {
		t.Errorf("APIKey(k1) = %+v, %v", got, err)
	}
	if _, err := s.APIKey(ctx, "nope"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("APIKey(unknown) = %v, want ErrNotFound", err)
	}
	all, err := s.APIKeys(ctx)
	if err != nil || len(all) != 2 || all[0].ID != "k2" || all[1].ID != "k1" || all[0].Scopes != nil {
		t.Errorf("APIKeys = %+v, %v, want k2 (no scopes) then k1", all, err)
	}

	if err := s.TouchAPIKey(ctx, "k1", 5000); err != nil {
		t.Fatal(err)
	}
	if err := s.TouchAPIKey(ctx, "k1", 4000); err != nil { // never back
		t.Fatal(err)
	}
	if err := s.TouchAPIKey(ctx, "nope", 4000); err != nil {
		t.Errorf("TouchAPIKey(unknown) = %v, want nil", err)
	}
	if got, _ := s.APIKey(ctx, "k1"); got.LastUsedAt != 5000 {
		t.Errorf("LastUsedAt = %d, want 5000", got.LastUsedAt)
	}

	r, err := s.RevokeAPIKey(ctx, "k1", 7000)
	if err != nil || r.RevokedAt != 7000 {
		t.Errorf("RevokeAPIKey = %+v, %v, want revoked at 7000", r, err)
	}
	if r, err := s.RevokeAPIKey(ctx, "k1", 9000); err != nil || r.RevokedAt != 7000 {
		t.Errorf("RevokeAPIKey again = %d, %v, want the first time 7000", r.RevokedAt, err)
	}
	if _, err := s.RevokeAPIKey(ctx, "nope", 7000); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("RevokeAPIKey(unknown) = %v, want ErrNotFound", err)
	}
}

// testListByFieldAndCreated checks the filters and the keyset paging of
// the integration API's conversation search.
func testListByFieldAndCreated(t *testing.T, s store.Store) {
	ctx := context.Background()
	_, _, cust := seed(t, s)
	var made []store.Conversation
	for i, ord := range []string{"A-1", "A-2", "A-1"} {
		cid := cust.ID
		if i > 0 {
			c, err := s.UpsertCustomer(ctx, store.Customer{ID: uuid.NewString()})
			if err != nil {
				t.Fatal(err)
			}
			cid = c.ID
		}
		c := create(t, s, cid)
		if i == 2 { // the order number a site vouched for
			c2, err := s.SetVerified(ctx, c.ID, map[string]string{"order_no": ord})
			if err != nil {
				t.Fatal(err)
			}
			c = c2
		} else if _, err := s.MergeExt(ctx, c.ID, map[string]string{"order_no": ord}); err != nil {
			t.Fatal(err)
		}
		made = append(made, c)
	}
	got, err := s.ListConversations(ctx, store.ConversationFilter{Field: "order_no", FieldValue: "A-1", ByCreated: true})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{made[0].ID, made[2].ID}
	if g := ids(got); len(g) != 2 || !slices.Contains(g, want[0]) || !slices.Contains(g, want[1]) {
		t.Errorf("order_no A-1 = %v, want %v (page and verified fields)", g, want)
	}

	// Every conversation once, in pages of one, newest created first.
	var seen []string
	f := store.ConversationFilter{ByCreated: true, Limit: 1}
	for range 10 {
		page, err := s.ListConversations(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		if len(page) == 0 {
			break
		}
		seen = append(seen, page[0].ID)
		f.AfterCreated, f.AfterID = page[0].CreatedAt, page[0].ID
	}
	if len(seen) != 3 {
		t.Fatalf("paged = %v, want the 3 conversations once each", seen)
	}
	for i := 1; i < len(seen); i++ {
		if slices.Index(seen, seen[i]) != i {
			t.Errorf("paged = %v: %s twice", seen, seen[i])
		}
	}

	last := made[2].CreatedAt
	got, _ = s.ListConversations(ctx, store.ConversationFilter{ByCreated: true, CreatedSince: last + 1})
	if len(got) != 0 {
		t.Errorf("since after the newest = %v, want none", ids(got))
	}
	got, _ = s.ListConversations(ctx, store.ConversationFilter{ByCreated: true, CreatedUntil: made[0].CreatedAt})
	if len(got) != 0 {
		t.Errorf("until the first = %v, want none", ids(got))
	}
	got, _ = s.ListConversations(ctx, store.ConversationFilter{ByCreated: true, CreatedSince: made[0].CreatedAt, CreatedUntil: last + 1})
	if len(got) != 3 {
		t.Errorf("since the first until after the last = %v, want all 3", ids(got))
	}
}
