package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"switchboard/backend/notice"
	"switchboard/backend/staffadmin"
	"switchboard/backend/store"
)

const teamUsage = `Usage:
  switchboard-server team list   [--data DIR]
  switchboard-server team add    [--data DIR] ID --name NAME [--skills zh,en] [--backup TEAM --overflow-at N]
  switchboard-server team set    [--data DIR] ID [--name] [--skills] [--backup] [--overflow-at]
  switchboard-server team remove [--data DIR] ID
  switchboard-server team sla    [--data DIR] ID [--wait 2m] [--first-response 1m] [--next-response 3m]

A team is where conversations queue for agents: the bot hands over to the team of the
knowledge base entry that last answered (else the default team, presales), and routing
offers a team's queue to its members (agent add/set --teams). --skills are what the team's
conversations need. --backup names the team that takes new conversations while this
team's queue holds --overflow-at or more (0: never overflows). remove refuses while
conversations are open in the team or another team overflows to it; members lose the
team. The data directory is found as for "agent". The server may be running: routing
reads teams at every pass; agents see new memberships at their next connection.

sla sets the team's service-level thresholds, which the supervisors' floor measures and
highlights: --wait from entering the queue to being accepted, --first-response from being
assigned to the agent's first reply, --next-response from the customer's oldest unanswered
message to the next reply. Durations such as 90s or 2m; 0 turns one off; those not given
stay as they were. A running server shows them on the floor at once. "teams" is accepted
for "team".
`

// teamCommand manages teams in the database of a data directory.
func teamCommand(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, teamUsage)
		return 2
	}
	sub, args := args[0], args[1:]
	fs := adminFlags("team "+sub, stderr)
	name := fs.String("name", "", "display name shown to agents")
	skills := fs.String("skills", "", "comma-separated skills the team's conversations need")
	backup := fs.String("backup", "", "team that takes new conversations while this one's queue is full (empty: none)")
	overflowAt := fs.Int("overflow-at", 0, "queue length at which new conversations go to --backup (0: never)")
	wait := fs.Duration("wait", 0, "sla: longest a customer should wait in the queue (0: no threshold)")
	firstResponse := fs.Duration("first-response", 0, "sla: longest from being assigned to the first reply (0: no threshold)")
	nextResponse := fs.Duration("next-response", 0, "sla: longest a customer message should wait for a reply (0: no threshold)")
	pos, set, code, ok := parseInterspersed(fs, args)
	if !ok {
		return code
	}
	fail := func(format string, a ...any) int {
		fmt.Fprintf(stderr, "team %s: %s\n", sub, fmt.Sprintf(format, a...))
		return 1
	}
	wantPos, ok := map[string]int{"list": 0, "add": 1, "set": 1, "remove": 1, "sla": 1}[sub]
	if !ok {
		fmt.Fprintf(stderr, "unknown team command %q\n\n%s", sub, teamUsage)
		return 2
	}
	if len(pos) != wantPos {
		fmt.Fprintf(stderr, "team %s: want %d argument(s), got %q\n\n%s", sub, wantPos, pos, teamUsage)
		return 2
	}
	if (sub == "list" || sub == "remove") && len(set)-locationFlags(set) > 0 {
		return fail("takes no flags but --data and --config")
	}
	slaFlags := []struct {
		name  string
		value *time.Duration
	}{{"wait", wait}, {"first-response", firstResponse}, {"next-response", nextResponse}}
	given := 0
	for _, f := range slaFlags {
		if set[f.name] {
			given++
			if sub != "sla" {
				return fail("--%s is for team sla", f.name)
			}
			if *f.value < 0 || *f.value > 30*24*time.Hour || *f.value%time.Millisecond != 0 {
				return fail("--%s must be a duration from 0 (none) to 720h, in whole milliseconds", f.name)
			}
		}
	}
	if sub == "sla" {
		if given == 0 {
			return fail("give at least one of --wait, --first-response and --next-response")
		}
		if given+locationFlags(set) != len(set) {
			return fail("takes --wait, --first-response, --next-response, --data and --config only")
		}
	}

	st, err := openData(ctx, fs)
	if err != nil {
		return fail("%v", err)
	}
	defer st.Close()
	teams, err := st.Teams(ctx)
	if err != nil {
		return fail("%v", err)
	}
	find := func(id string) (store.Team, bool) {
		i := slices.IndexFunc(teams, func(t store.Team) bool { return t.ID == id })
		if i < 0 {
			return store.Team{}, false
		}
		return teams[i], true
	}

	switch sub {
	case "list":
		agents, err := st.Agents(ctx)
		if err != nil {
			return fail("%v", err)
		}
		w := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
		fmt.Fprintln(w, "ID\tNAME\tSKILLS\tBACKUP\tOVERFLOW AT\tSLA WAIT/FIRST/NEXT\tMEMBERS")
		for _, t := range teams {
			var members []string
			for _, a := range agents {
				if slices.Contains(a.Teams, t.ID) {
					members = append(members, a.Username)
				}
			}
			sla := slaText(t.SLA.WaitMS) + "/" + slaText(t.SLA.FirstResponseMS) + "/" + slaText(t.SLA.NextResponseMS)
			fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%d\t%s\t%s\n", t.ID, t.Name, strings.Join(t.Skills, ","), t.Backup, t.OverflowAt, sla, strings.Join(members, ","))
		}
		w.Flush()
		return 0
	case "remove":
		id := pos[0]
		if _, ok := find(id); !ok {
			return fail("no team %q (team list shows them)", id)
		}
		if err := st.DeleteTeam(ctx, id); errors.Is(err, store.ErrConflict) {
			return fail("%q is in use: %v; move its conversations or change the other teams' --backup first", id, err)
		} else if err != nil {
			return fail("%v", err)
		}
		recordAdmin(ctx, st, "team.remove", "team="+id, stderr)
		fmt.Fprintf(stdout, "removed: %s\n", id)
		notifyServer(ctx, fs, notice.Notice{Kind: notice.Team, ID: id}, stdout, stderr)
		return 0
	}

	id := pos[0]
	t, exists := find(id)
	if sub == "sla" {
		if !exists {
			return fail("no team %q (team list shows them)", id)
		}
		var c staffadmin.SLAChange
		for _, f := range []struct {
			name string
			dst  **int64
			v    time.Duration
		}{{"wait", &c.WaitMS, *wait}, {"first-response", &c.FirstResponseMS, *firstResponse}, {"next-response", &c.NextResponseMS, *nextResponse}} {
			if set[f.name] {
				ms := f.v.Milliseconds()
				*f.dst = &ms
			}
		}
		if t, err = (staffadmin.Service{Store: st, Name: staffadmin.Flags}).SetSLA(ctx, id, c); err != nil {
			return fail("%v", err)
		}
		detail := fmt.Sprintf("team=%s wait=%s first-response=%s next-response=%s", id,
			slaText(t.SLA.WaitMS), slaText(t.SLA.FirstResponseMS), slaText(t.SLA.NextResponseMS))
		recordAdmin(ctx, st, "team.sla", detail, stderr)
		fmt.Fprintf(stdout, "sla of %s: wait %s, first response %s, next response %s\n", id,
			slaText(t.SLA.WaitMS), slaText(t.SLA.FirstResponseMS), slaText(t.SLA.NextResponseMS))
		notifyServer(ctx, fs, notice.Notice{Kind: notice.Team, ID: id}, stdout, stderr)
		return 0
	}
	if sub == "set" && !exists {
		return fail("no team %q (team list shows them)", id)
	}
	if sub == "add" && exists {
		return fail("%q exists; change it with team set", id)
	}
	var change staffadmin.TeamChange
	if set["name"] {
		change.Name = name
	}
	if set["skills"] {
		l := splitList(*skills)
		change.Skills = &l
	}
	if set["backup"] {
		change.Backup = backup
	}
	if set["overflow-at"] {
		change.OverflowAt = overflowAt
	}
	mode := map[string]staffadmin.Mode{"add": staffadmin.Add, "set": staffadmin.Set}[sub]
	if t, _, err = (staffadmin.Service{Store: st, Name: staffadmin.Flags}).SaveTeam(ctx, id, change, mode); err != nil {
		return fail("%v", err)
	}
	detail := "team=" + id
	for _, f := range []struct{ name, value string }{{"name", t.Name}, {"skills", strings.Join(t.Skills, ",")},
		{"backup", t.Backup}, {"overflow-at", fmt.Sprint(t.OverflowAt)}} {
		if set[f.name] {
			detail += " " + f.name + "=" + f.value
		}
	}
	recordAdmin(ctx, st, "team."+sub, detail, stderr)
	fmt.Fprintf(stdout, "%s: %s (%s)\n", map[string]string{"add": "added", "set": "changed"}[sub], t.ID, t.Name)
	notifyServer(ctx, fs, notice.Notice{Kind: notice.Team, ID: id}, stdout, stderr)
	return 0
}

// slaText shows an SLA threshold: a duration, or "-" for none.
func slaText(ms int64) string {
	if ms == 0 {
		return "-"
	}
	return (time.Duration(ms) * time.Millisecond).String()
}
