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

	"switchboard/backend/audit"
	"switchboard/backend/hours"
	"switchboard/backend/notice"
	"switchboard/backend/store"
)

const hoursUsage = `Usage:
  switchboard-server hours show  [--data DIR] [--team T]
  switchboard-server hours set   [--data DIR] [--team T] [--weekly SCHEDULE] [--timezone ZONE] [--closed DATE,…]
  switchboard-server hours clear [--data DIR] [--team T]

Business hours: outside them a queued customer is told that agents are away and invited to
leave a message. They are global, or a team's own with --team (a team without its own follows
the global ones). --weekly is windows separated by ";", each days and a time range in 24-hour
time, e.g. "mon-fri 09:00-18:00; sat 10:00-16:00", or "always"; --timezone an IANA name such as
Asia/Shanghai (default UTC); --closed dates closed all day such as public holidays, YYYY-MM-DD
(--closed "" clears them). set replaces what it is given and keeps the rest as stored.

Stored global hours win over serve's --business-hours (with --timezone), which is the default
while none are stored; clear removes the stored ones (a team then follows the global hours).
show lists the hours in force, where they come from and whether they are open now. Running
servers apply a change at once.
`

// hoursCommand shows and changes the stored business hours through
// package hours.
func hoursCommand(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, hoursUsage)
		return 2
	}
	sub, args := args[0], args[1:]
	fs := adminFlags("hours "+sub, stderr)
	team := fs.String("team", "", "the team (default: the global hours)")
	weekly := fs.String("weekly", "", `set: the weekly schedule, e.g. "mon-fri 09:00-18:00; sat 10:00-16:00", or "always"`)
	tz := fs.String("timezone", "", "set: the time zone, e.g. Asia/Shanghai (default: as stored, else UTC)")
	closed := fs.String("closed", "", "set: dates closed all day, YYYY-MM-DD,… (\"\" clears them)")
	pos, set, code, ok := parseInterspersed(fs, args)
	if !ok {
		return code
	}
	fail := func(format string, a ...any) int {
		fmt.Fprintf(stderr, "hours %s: %s\n", sub, fmt.Sprintf(format, a...))
		return 1
	}
	allowed := map[string][]string{"show": {"team"}, "set": {"team", "weekly", "timezone", "closed"}, "clear": {"team"}}
	flags, known := allowed[sub]
	if !known {
		fmt.Fprintf(stderr, "unknown hours command %q\n\n%s", sub, hoursUsage)
		return 2
	}
	if len(pos) != 0 {
		fmt.Fprintf(stderr, "hours %s: takes no arguments, got %q\n\n%s", sub, pos, hoursUsage)
		return 2
	}
	for name := range set {
		if name != "data" && name != "store" && name != "config" && name != "bus" && !slices.Contains(flags, name) {
			return fail("--%s is not for hours %s", name, sub)
		}
	}
	if sub == "set" && !set["weekly"] && !set["timezone"] && !set["closed"] {
		return fail("give at least one of --weekly, --timezone and --closed")
	}
	c, err := adminSettings(fs)
	if err != nil {
		return fail("%v", err)
	}
	def, err := defaultHours(c)
	if err != nil {
		return fail("the configured business_hours: %v", err)
	}
	st, err := openData(ctx, fs)
	if err != nil {
		return fail("%v", err)
	}
	defer st.Close()
	svc := hours.Service{Store: st, Default: def}
	admin := hours.Caller{ID: audit.AdminActor, Name: audit.AdminActor}

	switch sub {
	case "show":
		global, teams, err := svc.List(ctx)
		if err != nil {
			return fail("%v", err)
		}
		list := append([]hours.Entry{global}, teams...)
		if set["team"] {
			i := slices.IndexFunc(teams, func(e hours.Entry) bool { return e.Team == *team })
			if i < 0 {
				return fail("no team %q (team list shows them)", *team)
			}
			list = teams[i : i+1]
		}
		now := time.Now()
		tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "SCOPE\tSOURCE\tHOURS\tNOW\tUPDATED\tBY")
		for _, e := range list {
			state := "open"
			if open, next := e.OpenNow(now); !open {
				state = "closed"
				if !next.IsZero() {
					state += " until " + next.In(e.Schedule.Location()).Format("2006-01-02 15:04 MST")
				}
			}
			updated := "-"
			if e.UpdatedAt != 0 {
				updated = time.UnixMilli(e.UpdatedAt).UTC().Format(time.RFC3339)
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", scopeName(e.Team), e.Source, e.Schedule, state, updated, e.UpdatedBy)
		}
		tw.Flush()
		return 0
	case "set":
		cur, err := svc.Get(ctx, *team)
		if errors.Is(err, store.ErrNotFound) {
			return fail("no team %q (team list shows them)", *team)
		} else if err != nil {
			return fail("%v", err)
		}
		var spec hours.Spec
		if cur.Source == hours.SourceStored {
			spec = cur.Schedule.Spec()
		}
		if set["weekly"] {
			spec.Weekly = *weekly
		}
		if set["timezone"] {
			spec.Timezone = *tz
		}
		if set["closed"] {
			spec.Closed = splitList(*closed)
		}
		if spec.Weekly == "" {
			return fail("no hours are stored for %s yet: give --weekly", scopeName(*team))
		}
		e, err := svc.Set(ctx, admin, *team, spec)
		if err != nil {
			return fail("%s", strings.TrimPrefix(err.Error(), hours.ErrInvalid.Error()+": "))
		}
		fmt.Fprintf(stdout, "saved %s: %s\n", scopeName(*team), e.Schedule)
	case "clear":
		if err := svc.Clear(ctx, admin, *team); errors.Is(err, store.ErrNotFound) {
			return fail("%v", err)
		} else if err != nil {
			return fail("%v", err)
		}
		e, err := svc.Get(ctx, *team)
		if err != nil {
			return fail("%v", err)
		}
		fmt.Fprintf(stdout, "cleared %s: now %s (%s)\n", scopeName(*team), e.Schedule, e.Source)
	}
	notifyServer(ctx, fs, notice.Notice{Kind: notice.Hours, ID: *team}, stdout, stderr)
	return 0
}

// defaultHours are the serve settings' business hours, in force while none
// are stored: nil (always open) when none are set.
func defaultHours(c serveConfig) (*hours.Schedule, error) {
	if strings.TrimSpace(c.BusinessHours) == "" {
		return nil, nil
	}
	tz := c.Timezone
	if tz == "" {
		tz = "Local"
	}
	return hours.Parse(hours.Spec{Weekly: c.BusinessHours, Timezone: tz})
}
