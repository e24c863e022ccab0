package storetest

import (
	"context"
	"errors"
	"slices"
	"testing"

	"switchboard/backend/store"
)

// testBusinessHours: the global hours and a team's are stored, replaced,
// listed global first and deleted; deleting a team deletes its hours.
func testBusinessHours(t *testing.T, s store.Store) {
	ctx := context.Background()
	if list, err := s.BusinessHours(ctx); err != nil || len(list) != 0 {
		t.Fatalf("fresh store: %+v, %v; want none", list, err)
	}
	if err := s.UpsertTeam(ctx, store.Team{ID: "vip", Name: "VIP"}); err != nil {
		t.Fatal(err)
	}
	v, err := s.PutBusinessHours(ctx, store.BusinessHours{Team: "vip", Weekly: "always", UpdatedBy: "admin"})
	if err != nil {
		t.Fatal(err)
	}
	if v.Team != "vip" || v.Weekly != "always" || v.Timezone != "" || v.Closed != nil || v.UpdatedBy != "admin" || v.UpdatedAt == 0 {
		t.Fatalf("put team hours: %+v", v)
	}
	g, err := s.PutBusinessHours(ctx, store.BusinessHours{Timezone: "Asia/Shanghai", Weekly: "mon-fri 09:00-18:00",
		Closed: []string{"2026-10-01", "2026-10-02"}, UpdatedBy: "admin"})
	if err != nil {
		t.Fatal(err)
	}
	if g.Team != "" || g.Timezone != "Asia/Shanghai" || !slices.Equal(g.Closed, []string{"2026-10-01", "2026-10-02"}) {
		t.Fatalf("put global hours: %+v", g)
	}
	// Replacing takes every field.
	g, err = s.PutBusinessHours(ctx, store.BusinessHours{Weekly: "mon-sat 08:00-20:00", UpdatedBy: "api"})
	if err != nil || g.Timezone != "" || g.Weekly != "mon-sat 08:00-20:00" || g.Closed != nil || g.UpdatedBy != "api" {
		t.Fatalf("replace: %+v, %v", g, err)
	}
	list, err := s.BusinessHours(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 2 || list[0].Team != "" || list[0].Weekly != "mon-sat 08:00-20:00" || list[1].Team != "vip" || list[1].Weekly != "always" {
		t.Fatalf("list = %+v, want global then vip", list)
	}
	if err := s.DeleteBusinessHours(ctx, ""); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteBusinessHours(ctx, ""); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("delete twice: err = %v, want ErrNotFound", err)
	}
	if err := s.DeleteTeam(ctx, "vip"); err != nil {
		t.Fatal(err)
	}
	if list, err := s.BusinessHours(ctx); err != nil || len(list) != 0 {
		t.Fatalf("after deleting the team: %+v, %v; want none", list, err)
	}
}
