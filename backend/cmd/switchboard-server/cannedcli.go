package main

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"switchboard/backend/audit"
	"switchboard/backend/canned"
	"switchboard/backend/notice"
	"switchboard/backend/store"
)

const cannedUsage = `Usage:
  switchboard-server canned list    [--data DIR] [--team T]
  switchboard-server canned add     [--data DIR] --shortcut S [--team T] [--title T] [--zh TEXT] [--en TEXT]
  switchboard-server canned set     [--data DIR] ID [--title T] [--shortcut S] [--zh TEXT] [--en TEXT]
  switchboard-server canned remove  [--data DIR] ID
  switchboard-server canned preview [--data DIR] ID [--lang zh|en] [--customer NAME] [--agent NAME] [--ext K=V,…]

Shared canned responses, inserted in the desktop composer by typing "/" and the shortcut.
Without --team a response is global (every agent's); with it, the team's. The text is
given in Chinese (--zh), English (--en) or both, at most 2000 characters each, and may hold
{customer.name}, {order_no}, {agent.name} and {ext.KEY}; any other variable is refused.
preview fills a response's variables as the composer does; a variable without a value
stays as written. Running servers push every change to the agents at once.
`

// cannedCommand manages the shared canned responses through package canned.
func cannedCommand(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, cannedUsage)
		return 2
	}
	sub, args := args[0], args[1:]
	fs := adminFlags("canned "+sub, stderr)
	team := fs.String("team", "", "the team (default: global)")
	title := fs.String("title", "", "the title shown in the menu (default: the shortcut)")
	shortcut := fs.String("shortcut", "", "what \"/\" matches")
	zh := fs.String("zh", "", "the Chinese text")
	en := fs.String("en", "", "the English text")
	lang := fs.String("lang", "en", "preview: the conversation's language")
	customer := fs.String("customer", "", "preview: the customer's name")
	agentName := fs.String("agent", "", "preview: the agent's name")
	ext := fs.String("ext", "", "preview: business fields, K=V,…")
	pos, set, code, ok := parseInterspersed(fs, args)
	if !ok {
		return code
	}
	fail := func(format string, a ...any) int {
		fmt.Fprintf(stderr, "canned %s: %s\n", sub, fmt.Sprintf(format, a...))
		return 1
	}
	allowed := map[string][]string{
		"list": {"team"}, "add": {"team", "title", "shortcut", "zh", "en"}, "set": {"title", "shortcut", "zh", "en"},
		"remove": {}, "preview": {"lang", "customer", "agent", "ext"},
	}
	flags, known := allowed[sub]
	if !known {
		fmt.Fprintf(stderr, "unknown canned command %q\n\n%s", sub, cannedUsage)
		return 2
	}
	for name := range set {
		if name != "data" && name != "store" && name != "config" && name != "bus" && !slices.Contains(flags, name) {
			return fail("--%s is not for canned %s", name, sub)
		}
	}
	if (sub == "list" || sub == "add") != (len(pos) == 0) || len(pos) > 1 {
		fmt.Fprintf(stderr, "canned %s: wrong arguments %q\n\n%s", sub, pos, cannedUsage)
		return 2
	}
	st, err := openData(ctx, fs)
	if err != nil {
		return fail("%v", err)
	}
	defer st.Close()
	svc := canned.Service{Store: st}
	admin := canned.Caller{ID: audit.AdminActor, Name: audit.AdminActor, Role: canned.RoleAdmin}
	all, err := svc.List(ctx, admin)
	if err != nil {
		return fail("%v", err)
	}
	var cur store.CannedResponse
	if len(pos) == 1 {
		i := slices.IndexFunc(all, func(r store.CannedResponse) bool { return r.ID == pos[0] })
		if i < 0 {
			return fail("no canned response %q (see canned list)", pos[0])
		}
		cur = all[i]
	}
	var edit canned.Edit
	switch sub {
	case "list":
		tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tSCOPE\tSHORTCUT\tTITLE\tUPDATED\tBY")
		for _, r := range all {
			if set["team"] && r.Team != *team {
				continue
			}
			fmt.Fprintf(tw, "%s\t%s\t/%s\t%s\t%s\t%s\n", r.ID, scopeName(r.Team), r.Shortcut, r.Title,
				time.UnixMilli(r.UpdatedAt).UTC().Format(time.RFC3339), r.UpdatedBy)
		}
		tw.Flush()
		return 0
	case "preview":
		v := canned.Values{CustomerName: *customer, AgentName: *agentName, Ext: map[string]string{}}
		for _, kv := range strings.Split(*ext, ",") {
			if k, val, ok := strings.Cut(kv, "="); ok {
				v.Ext[strings.TrimSpace(k)] = strings.TrimSpace(val)
			}
		}
		text, missing := canned.Fill(canned.Pick(cur.TextZH, cur.TextEN, *lang), v)
		fmt.Fprintln(stdout, text)
		if len(missing) > 0 {
			fmt.Fprintf(stderr, "to fill in: %s\n", strings.Join(missing, " "))
		}
		return 0
	case "add":
		edit = canned.Edit{Op: canned.OpCreate, Team: *team, Title: *title, Shortcut: *shortcut, ZH: *zh, EN: *en}
	case "set":
		edit = canned.Edit{Op: canned.OpUpdate, ID: cur.ID, Title: cur.Title, Shortcut: cur.Shortcut, ZH: cur.TextZH, EN: cur.TextEN}
		if set["title"] {
			edit.Title = *title
		}
		if set["shortcut"] {
			edit.Shortcut = *shortcut
		}
		if set["zh"] {
			edit.ZH = *zh
		}
		if set["en"] {
			edit.EN = *en
		}
	case "remove":
		edit = canned.Edit{Op: canned.OpDelete, ID: cur.ID}
	}
	r, err := svc.Apply(ctx, admin, edit)
	if err != nil {
		return fail("%v", err)
	}
	switch sub {
	case "remove":
		fmt.Fprintf(stdout, "removed /%s (%s)\n", r.Shortcut, scopeName(r.Team))
	default:
		fmt.Fprintf(stdout, "saved %s: /%s (%s)\n", r.ID, r.Shortcut, scopeName(r.Team))
	}
	notifyServer(ctx, fs, notice.Notice{Kind: notice.Canned, ID: r.ID}, stdout, stderr)
	return 0
}

func scopeName(team string) string {
	if team == "" {
		return "global"
	}
	return "team " + team
}
