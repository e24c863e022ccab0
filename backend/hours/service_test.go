package hours_test

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"switchboard/backend/hours"
	"switchboard/backend/store"
	_ "switchboard/backend/store/sqlite" // the tests' store engine
)

func TestService(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(ctx, "sqlite:"+filepath.Join(t.TempDir(), "s.db"), store.OpenOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	for _, id := range []string{"presales", "vip"} {
		if err := st.UpsertTeam(ctx, store.Team{ID: id, Name: id}); err != nil {
			t.Fatal(err)
		}
	}
	def, err := hours.Parse(hours.Spec{Weekly: "mon-fri 09:00-18:00"})
	if err != nil {
		t.Fatal(err)
	}
	svc := hours.Service{Store: st, Default: def}
	admin := hours.Caller{ID: "admin", Name: "admin"}
	saturday := time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)

	// Nothing stored: the default everywhere.
	b, err := svc.Load(ctx)
	if err != nil || b.For("vip") != def || b.For("presales").Open(saturday) {
		t.Fatalf("default: %+v, %v", b, err)
	}
	global, teams, err := svc.List(ctx)
	if err != nil || global.Source != hours.SourceDefault || len(teams) != 2 || teams[1].Source != hours.SourceGlobal {
		t.Fatalf("List = %+v, %+v, %v", global, teams, err)
	}

	// Bad input is refused with a reason and stores nothing.
	if _, err := svc.Set(ctx, admin, "", hours.Spec{Weekly: "mon 18:00-09:00"}); !errors.Is(err, hours.ErrInvalid) {
		t.Errorf("Set(backwards) = %v, want ErrInvalid", err)
	}
	if _, err := svc.Set(ctx, admin, "", hours.Spec{Weekly: hours.Always, Timezone: "Local"}); !errors.Is(err, hours.ErrInvalid) {
		t.Errorf("Set(Local) = %v, want ErrInvalid", err)
	}
	if _, err := svc.Set(ctx, admin, "nobody", hours.Spec{Weekly: hours.Always}); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Set(unknown team) = %v, want ErrNotFound", err)
	}
	if err := svc.Clear(ctx, admin, ""); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Clear(nothing stored) = %v, want ErrNotFound", err)
	}

	// Stored global hours win over the default; a team's own win over them.
	if _, err := svc.Set(ctx, admin, "", hours.Spec{Weekly: "sat-sun 10:00-16:00", Timezone: "UTC"}); err != nil {
		t.Fatal(err)
	}
	e, err := svc.Set(ctx, hours.Caller{ID: "apikey:k1", Name: "API key crm"}, "vip", hours.Spec{Weekly: "mon 09:00-10:00"})
	if err != nil || e.UpdatedBy != "API key crm" || e.UpdatedAt == 0 {
		t.Fatalf("Set(vip) = %+v, %v", e, err)
	}
	b, err = svc.Load(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !b.For("presales").Open(saturday) || b.For("vip").Open(saturday) {
		t.Errorf("stored: presales follows the global hours (open on Saturday), vip its own (closed)")
	}
	if e, err := svc.Get(ctx, "vip"); err != nil || e.Source != hours.SourceStored {
		t.Errorf("Get(vip) = %+v, %v", e, err)
	}
	if open, next := (hours.Entry{Schedule: b.For("vip")}).OpenNow(saturday); open || !next.Equal(time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)) {
		t.Errorf("OpenNow(vip, Saturday) = %v, %v; want closed until Monday 09:00", open, next)
	}

	// Clearing the global hours falls back to the default.
	if err := svc.Clear(ctx, admin, ""); err != nil {
		t.Fatal(err)
	}
	if b, err = svc.Load(ctx); err != nil || b.Global != def || b.For("presales").Open(saturday) {
		t.Errorf("after clear: %+v, %v", b, err)
	}
	entries, err := st.AuditLog(ctx, store.AuditQuery{})
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, e := range entries {
		actions = append(actions, e.Actor+" "+e.Action)
	}
	want := []string{"admin hours.set", "apikey:k1 hours.set", "admin hours.clear"}
	if len(actions) != len(want) {
		t.Fatalf("audit = %q, want %q", actions, want)
	}
	for i := range want {
		if actions[i] != want[i] {
			t.Errorf("audit[%d] = %q, want %q", i, actions[i], want[i])
		}
	}
}
