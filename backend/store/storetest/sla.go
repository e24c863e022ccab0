package storetest

import (
	"context"
	"errors"
	"testing"

	"switchboard/backend/store"
)

// testTeamSLA checks that a team's thresholds are set by SetTeamSLA alone:
// listed with the team, kept by UpsertTeam, refused for an unknown team.
func testTeamSLA(t *testing.T, s store.Store) {
	ctx := context.Background()
	seed(t, s)
	sla := store.SLA{FirstResponseMS: 60_000, WaitMS: 120_000, NextResponseMS: 180_000}
	got, err := s.SetTeamSLA(ctx, "presales", sla)
	if err != nil {
		t.Fatalf("SetTeamSLA: %v", err)
	}
	if got.ID != "presales" || got.Name != "售前" || got.SLA != sla {
		t.Fatalf("SetTeamSLA = %+v, want presales with %+v", got, sla)
	}
	find := func() (presales, aftersales store.Team) {
		t.Helper()
		teams, err := s.Teams(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, tm := range teams {
			switch tm.ID {
			case "presales":
				presales = tm
			case "aftersales":
				aftersales = tm
			}
		}
		return
	}
	if p, a := find(); p.SLA != sla || a.SLA != (store.SLA{}) {
		t.Fatalf("Teams: presales SLA %+v, aftersales %+v; want %+v and none", p.SLA, a.SLA, sla)
	}
	// Changing the team's other fields keeps its SLA, whatever the SLA
	// field of the upsert says.
	if err := s.UpsertTeam(ctx, store.Team{ID: "presales", Name: "Presales", Skills: []string{"zh"}}); err != nil {
		t.Fatal(err)
	}
	if p, _ := find(); p.SLA != sla || p.Name != "Presales" {
		t.Fatalf("after UpsertTeam: %+v, want the name changed and SLA %+v kept", p, sla)
	}
	// Zero turns a threshold off.
	if got, err := s.SetTeamSLA(ctx, "presales", store.SLA{WaitMS: 30_000}); err != nil || got.SLA != (store.SLA{WaitMS: 30_000}) {
		t.Fatalf("SetTeamSLA(wait only) = %+v, %v", got.SLA, err)
	}
	if _, err := s.SetTeamSLA(ctx, "nope", sla); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("SetTeamSLA(unknown team) = %v, want ErrNotFound", err)
	}
}
