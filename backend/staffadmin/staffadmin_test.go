package staffadmin_test

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"switchboard/backend/staffadmin"
	"switchboard/backend/store"
	_ "switchboard/backend/store/sqlite"
)

func ptr[T any](v T) *T { return &v }

func TestTeamsAndAgents(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(ctx, "sqlite:"+filepath.Join(t.TempDir(), "s.db"), store.OpenOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	flags := staffadmin.Service{Store: st, Name: staffadmin.Flags}
	api := staffadmin.Service{Store: st, Name: staffadmin.JSON}

	if _, created, err := flags.SaveTeam(ctx, "presales", staffadmin.TeamChange{Name: ptr("售前 Presales")}, staffadmin.Add); err != nil || !created {
		t.Fatalf("add: %v %v", created, err)
	}
	for _, c := range []struct {
		svc  staffadmin.Service
		id   string
		ch   staffadmin.TeamChange
		mode staffadmin.Mode
		want string
		is   error
	}{
		{flags, "presales", staffadmin.TeamChange{Name: ptr("x")}, staffadmin.Add, "exists", store.ErrConflict},
		{flags, "nope", staffadmin.TeamChange{Name: ptr("x")}, staffadmin.Set, "no team", store.ErrNotFound},
		{flags, "Bad Id", staffadmin.TeamChange{Name: ptr("x")}, staffadmin.Put, "lower-case", staffadmin.ErrInvalid},
		{flags, "ops", staffadmin.TeamChange{}, staffadmin.Add, "--name is required", staffadmin.ErrInvalid},
		{api, "ops", staffadmin.TeamChange{}, staffadmin.Put, "name is required", staffadmin.ErrInvalid},
		{flags, "ops", staffadmin.TeamChange{Name: ptr("  ")}, staffadmin.Add, "--name must have", staffadmin.ErrInvalid},
		{flags, "ops", staffadmin.TeamChange{Name: ptr("Ops"), Backup: ptr("ops")}, staffadmin.Add, "--backup cannot be the team itself", staffadmin.ErrInvalid},
		{flags, "ops", staffadmin.TeamChange{Name: ptr("Ops"), Backup: ptr("nope")}, staffadmin.Add, `--backup: no team "nope"`, staffadmin.ErrInvalid},
		{api, "ops", staffadmin.TeamChange{Name: ptr("Ops"), OverflowAt: ptr(3)}, staffadmin.Put, "overflow_at needs a backup", staffadmin.ErrInvalid},
		{flags, "ops", staffadmin.TeamChange{Name: ptr("Ops"), Backup: ptr("presales"), OverflowAt: ptr(-1)}, staffadmin.Add, "--overflow-at must be", staffadmin.ErrInvalid},
	} {
		_, _, err := c.svc.SaveTeam(ctx, c.id, c.ch, c.mode)
		if !errors.Is(err, c.is) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("SaveTeam(%s, %+v): %v, want %q", c.id, c.ch, err, c.want)
		}
	}
	if teams, _ := st.Teams(ctx); len(teams) != 1 {
		t.Fatalf("refused changes stored teams: %+v", teams)
	}
	tm, created, err := api.SaveTeam(ctx, "ops", staffadmin.TeamChange{Name: ptr("Ops"), Skills: ptr([]string{" zh", "en", "zh", ""}),
		Backup: ptr("presales"), OverflowAt: ptr(5)}, staffadmin.Put)
	if err != nil || !created || strings.Join(tm.Skills, ",") != "zh,en" || tm.Backup != "presales" || tm.OverflowAt != 5 {
		t.Fatalf("put: %+v %v %v", tm, created, err)
	}
	if _, err := flags.SetSLA(ctx, "ops", staffadmin.SLAChange{WaitMS: ptr(int64(-1))}); !errors.Is(err, staffadmin.ErrInvalid) || !strings.Contains(err.Error(), "--wait") {
		t.Fatalf("negative sla: %v", err)
	}
	if tm, err := api.SetSLA(ctx, "ops", staffadmin.SLAChange{FirstResponseMS: ptr(int64(60000))}); err != nil || tm.SLA.FirstResponseMS != 60000 || tm.SLA.WaitMS != 0 {
		t.Fatalf("sla: %+v %v", tm.SLA, err)
	}

	a := store.Agent{Username: "dora"}
	if _, err := flags.ApplyAgent(ctx, a, staffadmin.AgentChange{Capacity: ptr(101)}); !strings.Contains(fmt4(err), "--capacity must be") {
		t.Errorf("capacity 101: %v", err)
	}
	if _, err := api.ApplyAgent(ctx, a, staffadmin.AgentChange{Teams: ptr([]string{"ops", "ghosts"})}); !strings.Contains(fmt4(err), `no team "ghosts"`) {
		t.Errorf("unknown team: %v", err)
	}
	got, err := api.ApplyAgent(ctx, a, staffadmin.AgentChange{Capacity: ptr(4), Teams: ptr([]string{"ops", " ops"}), Skills: ptr([]string{"en"})})
	if err != nil || got.Capacity != 4 || strings.Join(got.Teams, ",") != "ops" || strings.Join(got.Skills, ",") != "en" {
		t.Errorf("apply: %+v %v", got, err)
	}
}

func fmt4(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}
