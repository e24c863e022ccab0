package main

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"switchboard/backend/webhooks"
)

const webhookUsage = `Usage:
  switchboard-server webhook list    [--data DIR]
  switchboard-server webhook add     [--data DIR] ID --url URL [--events TYPE,…] [--private] [--disabled]
  switchboard-server webhook set     [--data DIR] ID [--url URL] [--events TYPE,…] [--private=BOOL] [--enabled=BOOL]
  switchboard-server webhook rotate  [--data DIR] ID [--overlap 24h]
  switchboard-server webhook remove  [--data DIR] ID
  switchboard-server webhook dead    [--data DIR] ID [--limit 50]
  switchboard-server webhook replay  [--data DIR] ID [DELIVERY…]

An endpoint receives every conversation and message event it asks for (--events; all
when not given, or *) as a signed POST, retried with back-off for a day, in order per
conversation (docs/operations.md, "Webhooks"). Internal notes and whispers go only to an
endpoint added with --private. add and rotate print the signing secret: it is shown
once. rotate makes a new secret and keeps signing with the old one too for --overlap, so
the receiver can switch at leisure. dead lists the deliveries given up on; replay sends
them (all, or the DELIVERY ids given) again. Running servers pick changes up within a
second. Event types: ` + "conversation.created, conversation.handed_over, conversation.offered,\nconversation.accepted, conversation.transferred, conversation.resolved, conversation.reopened,\nconversation.rated, conversation.closed, message.created.\n"

// webhookCommand manages outgoing webhook endpoints.
func webhookCommand(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, webhookUsage)
		return 2
	}
	sub, args := args[0], args[1:]
	fs := adminFlags("webhook "+sub, stderr)
	url := fs.String("url", "", "where to POST the events (http or https)")
	events := fs.String("events", "", "comma-separated event types (default all)")
	private := fs.Bool("private", false, "also send internal notes and whispers")
	disabled := fs.Bool("disabled", false, "add: start disabled")
	enabled := fs.Bool("enabled", true, "set: enable or disable")
	overlap := fs.Duration("overlap", webhooks.DefaultOverlap, "rotate: how long the old secret keeps signing")
	limit := fs.Int("limit", 50, "dead: how many to list")
	pos, set, code, ok := parseInterspersed(fs, args)
	if !ok {
		return code
	}
	fail := func(format string, a ...any) int {
		fmt.Fprintf(stderr, "webhook %s: %s\n", sub, fmt.Sprintf(format, a...))
		return 1
	}
	allowed := map[string][]string{
		"list": {}, "add": {"url", "events", "private", "disabled"}, "set": {"url", "events", "private", "enabled"},
		"rotate": {"overlap"}, "remove": {}, "dead": {"limit"}, "replay": {},
	}
	flags, known := allowed[sub]
	if !known {
		fmt.Fprintf(stderr, "unknown webhook command %q\n\n%s", sub, webhookUsage)
		return 2
	}
	for name := range set {
		if name != "data" && name != "store" && name != "config" && name != "bus" && !slices.Contains(flags, name) {
			return fail("--%s is not for webhook %s", name, sub)
		}
	}
	switch {
	case sub == "list" && len(pos) != 0, sub != "list" && sub != "replay" && len(pos) != 1, sub == "replay" && len(pos) < 1:
		fmt.Fprintf(stderr, "webhook %s: wrong arguments %q\n\n%s", sub, pos, webhookUsage)
		return 2
	}
	var ids []int64
	if sub == "replay" {
		for _, p := range pos[1:] {
			n, err := strconv.ParseInt(p, 10, 64)
			if err != nil || n <= 0 {
				return fail("delivery %q is not a delivery id (see webhook dead)", p)
			}
			ids = append(ids, n)
		}
	}
	spec := webhooks.EndpointSpec{}
	if set["url"] {
		spec.URL = url
	}
	if set["events"] {
		list := strings.Split(*events, ",")
		for i := range list {
			list[i] = strings.TrimSpace(list[i])
		}
		spec.Events = &list
	}
	if set["private"] {
		spec.Private = private
	}
	if set["enabled"] {
		spec.Enabled = enabled
	}
	if set["disabled"] {
		on := !*disabled
		spec.Enabled = &on
	}

	st, err := openData(ctx, fs)
	if err != nil {
		return fail("%v", err)
	}
	defer st.Close()
	admin := webhooks.Admin{Store: st}
	switch sub {
	case "list":
		eps, err := admin.List(ctx)
		if err != nil {
			return fail("%v", err)
		}
		counts, err := st.DeliveryCounts(ctx)
		if err != nil {
			return fail("%v", err)
		}
		tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tURL\tEVENTS\tPRIVATE\tENABLED\tPENDING\tDONE\tDEAD")
		for _, e := range eps {
			n := map[string]int{}
			for _, c := range counts {
				if c.EndpointID == e.ID {
					n[c.State] = c.N
				}
			}
			ev := strings.Join(e.Events, ",")
			if ev == "" {
				ev = "*"
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%v\t%v\t%d\t%d\t%d\n", e.ID, e.URL, ev, e.Private, e.Enabled, n["pending"], n["done"], n["dead"])
		}
		tw.Flush()
	case "add":
		e, err := admin.Add(ctx, pos[0], spec)
		if err != nil {
			return fail("%v", err)
		}
		recordAdmin(ctx, st, "webhook.add", "webhook="+e.ID+" url="+e.URL, stderr)
		fmt.Fprintf(stdout, "added webhook endpoint %s → %s\nsigning secret (shown once): %s\n", e.ID, e.URL, e.Secret)
	case "set":
		e, err := admin.Update(ctx, pos[0], spec)
		if err != nil {
			return fail("%v", err)
		}
		recordAdmin(ctx, st, "webhook.set", fmt.Sprintf("webhook=%s url=%s enabled=%v private=%v", e.ID, e.URL, e.Enabled, e.Private), stderr)
		fmt.Fprintf(stdout, "updated webhook endpoint %s → %s (enabled %v)\n", e.ID, e.URL, e.Enabled)
	case "rotate":
		e, err := admin.Rotate(ctx, pos[0], *overlap)
		if err != nil {
			return fail("%v", err)
		}
		recordAdmin(ctx, st, "webhook.rotate", "webhook="+e.ID, stderr)
		fmt.Fprintf(stdout, "new signing secret of %s (shown once): %s\nthe old one also signs until %s\n", e.ID, e.Secret,
			time.UnixMilli(e.OldSecretUntil).UTC().Format(time.RFC3339))
	case "remove":
		if err := admin.Remove(ctx, pos[0]); err != nil {
			return fail("%v", err)
		}
		recordAdmin(ctx, st, "webhook.remove", "webhook="+pos[0], stderr)
		fmt.Fprintf(stdout, "removed webhook endpoint %s and its deliveries\n", pos[0])
	case "dead":
		ds, err := admin.DeadLetters(ctx, pos[0], *limit)
		if err != nil {
			return fail("%v", err)
		}
		tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "DELIVERY\tEVENT\tTYPE\tATTEMPTS\tGIVEN UP\tLAST STATUS\tLAST ERROR")
		for _, d := range ds {
			fmt.Fprintf(tw, "%d\t%s\t%s\t%d\t%s\t%d\t%s\n", d.ID, webhooks.EventID(d.ConversationID, d.Seq), d.EventType, d.Attempts,
				time.UnixMilli(d.DoneAt).UTC().Format(time.RFC3339), d.LastStatus, d.LastError)
		}
		tw.Flush()
	case "replay":
		n, err := admin.Replay(ctx, pos[0], ids)
		if err != nil {
			return fail("%v", err)
		}
		recordAdmin(ctx, st, "webhook.replay", fmt.Sprintf("webhook=%s replayed=%d", pos[0], n), stderr)
		fmt.Fprintf(stdout, "%d deliveries of %s sent again\n", n, pos[0])
	}
	return 0
}
