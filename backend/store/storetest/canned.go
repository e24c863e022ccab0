package storetest

import (
	"context"
	"errors"
	"testing"

	"switchboard/backend/store"
)

// testCannedResponses: responses are created, replaced, listed in scope
// order and deleted; a shortcut is unique within its scope only.
func testCannedResponses(t *testing.T, s store.Store) {
	ctx := context.Background()
	put := func(r store.CannedResponse) (store.CannedResponse, error) { return s.PutCannedResponse(ctx, r) }
	g, err := put(store.CannedResponse{ID: "c1", Title: "Refund", Shortcut: "refund", TextZH: "已退款", TextEN: "Refunded", UpdatedBy: "Ada"})
	if err != nil {
		t.Fatal(err)
	}
	if g.ID != "c1" || g.Team != "" || g.Title != "Refund" || g.Shortcut != "refund" || g.TextZH != "已退款" || g.TextEN != "Refunded" || g.UpdatedBy != "Ada" || g.UpdatedAt == 0 {
		t.Fatalf("put: %+v", g)
	}
	// The same shortcut in a team is another response.
	if _, err := put(store.CannedResponse{ID: "c2", Team: "presales", Title: "Refund", Shortcut: "refund", TextEN: "Presales refund"}); err != nil {
		t.Fatalf("same shortcut in a team: %v", err)
	}
	if _, err := put(store.CannedResponse{ID: "c3", Team: "presales", Title: "Again", Shortcut: "refund", TextEN: "x"}); !errors.Is(err, store.ErrConflict) {
		t.Fatalf("duplicate shortcut in a scope: err = %v, want ErrConflict", err)
	}
	if _, err := put(store.CannedResponse{ID: "c0", Team: "aftersales", Title: "Hi", Shortcut: "hello", TextZH: "您好"}); err != nil {
		t.Fatal(err)
	}
	// Replacing keeps the id and takes every field.
	g.Title, g.TextEN, g.TextZH, g.UpdatedBy = "Refund done", "", "退款完成", "Sam"
	if g, err = put(g); err != nil || g.Title != "Refund done" || g.TextEN != "" || g.TextZH != "退款完成" || g.UpdatedBy != "Sam" {
		t.Fatalf("replace: %+v, %v", g, err)
	}
	list, err := s.CannedResponses(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range list {
		got = append(got, r.Team+"/"+r.Shortcut)
	}
	if want := []string{"/refund", "aftersales/hello", "presales/refund"}; len(got) != len(want) || got[0] != want[0] || got[1] != want[1] || got[2] != want[2] {
		t.Fatalf("list = %v, want %v", got, want)
	}
	if list[0].Title != "Refund done" {
		t.Errorf("listed %+v, want the replaced one", list[0])
	}
	if err := s.DeleteCannedResponse(ctx, "c2"); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteCannedResponse(ctx, "c2"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("delete twice: err = %v, want ErrNotFound", err)
	}
	// The freed shortcut may be taken again.
	if _, err := put(store.CannedResponse{ID: "c3", Team: "presales", Title: "Again", Shortcut: "refund", TextEN: "x"}); err != nil {
		t.Fatalf("reuse a deleted shortcut: %v", err)
	}
	if list, _ = s.CannedResponses(ctx); len(list) != 3 {
		t.Fatalf("after delete and reuse: %d responses, want 3", len(list))
	}
}
