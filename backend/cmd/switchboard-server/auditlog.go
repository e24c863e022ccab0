package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"time"

	"switchboard/backend/audit"
	"switchboard/backend/server"
	"switchboard/backend/store"
	"switchboard/protocol"
)

const auditUsage = `Usage:
  switchboard-server audit [--data DIR] [--actor A] [--conversation ID] [--action NAME]
                           [--since T] [--until T] [--limit N] [--format jsonl|csv]
  switchboard-server audit verify [--data DIR]

audit prints the audit log's entries that match every filter given, oldest first: JSON
lines (the default) or CSV with a header. --actor is an account's username or id, or
admin-cli for the admin commands. --since and --until take an RFC 3339 time
(2026-01-02T15:04:05Z) or a duration before now (24h, 90m); --since is inclusive, --until
exclusive. --limit stops after N entries (0: all).

verify walks the whole log and checks that each entry's hash links it to the one before,
so an entry edited, removed or moved shows; it names the first broken link and exits 1.
When the log is intact it prints the number of entries and the head hash: kept
elsewhere, the head hash also shows later whether the newest entries were cut off.

The data directory is found as for "agent". The server may be running.
`

// auditPage is how many entries one query of the log reads.
const auditPage = 1000

// auditCommand reads and verifies the audit log of a data directory.
func auditCommand(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	verify := len(args) > 0 && args[0] == "verify"
	name := "audit"
	if verify {
		name, args = "audit verify", args[1:]
	}
	fs := adminFlags(name, stderr)
	fs.Usage = func() { fmt.Fprint(stderr, auditUsage) }
	actor := fs.String("actor", "", "only entries of this actor: a username, an account id or admin-cli")
	conv := fs.String("conversation", "", "only entries about this conversation id")
	action := fs.String("action", "", "only entries of this action (read, read_file, live_view, accept, agent.set …)")
	since := fs.String("since", "", "only entries at or after this time: RFC 3339 or a duration before now (24h)")
	until := fs.String("until", "", "only entries before this time: RFC 3339 or a duration before now")
	limit := fs.Int("limit", 0, "print at most this many entries (0: all)")
	format := fs.String("format", "jsonl", "output format: jsonl or csv")
	pos, set, code, ok := parseInterspersed(fs, args)
	if !ok {
		return code
	}
	fail := func(format string, a ...any) int {
		fmt.Fprintf(stderr, "%s: %s\n", name, fmt.Sprintf(format, a...))
		return 1
	}
	if len(pos) != 0 {
		fmt.Fprintf(stderr, "%s: unexpected argument %q\n\n%s", name, pos[0], auditUsage)
		return 2
	}
	if verify && len(set)-locationFlags(set) > 0 {
		fmt.Fprintf(stderr, "audit verify takes no flags but --data and --config\n")
		return 2
	}
	q := store.AuditQuery{Actor: *actor, ConversationID: *conv, Action: *action}
	now := time.Now()
	for _, b := range []struct {
		flag, value string
		to          *int64
	}{{"since", *since, &q.Since}, {"until", *until, &q.Until}} {
		if b.value == "" {
			continue
		}
		ms, err := audit.ParseTime(b.value, now)
		if err != nil {
			fmt.Fprintf(stderr, "%s: --%s: %v\n", name, b.flag, err)
			return 2
		}
		*b.to = ms
	}
	if *format != "jsonl" && *format != "csv" {
		fmt.Fprintf(stderr, "%s: --format %q: want jsonl or csv\n", name, *format)
		return 2
	}
	if *limit < 0 {
		fmt.Fprintf(stderr, "%s: --limit must not be negative\n", name)
		return 2
	}

	st, err := openData(ctx, fs)
	if err != nil {
		return fail("%v", err)
	}
	defer st.Close()

	if verify {
		var v audit.Verifier
		err := eachAudit(ctx, st, store.AuditQuery{}, 0, func(e store.AuditEntry) error {
			return v.Add(audit.Entry{ID: e.ID, TS: e.TS, Actor: e.Actor, Action: e.Action,
				ConversationID: e.ConversationID, Detail: e.Detail}, e.Hash)
		})
		var broken *audit.BreakError
		if errors.As(err, &broken) {
			fmt.Fprintf(stderr, "%v (%d entries before it are intact)\n", broken, v.Count())
			return 1
		}
		if err != nil {
			return fail("%v", err)
		}
		fmt.Fprintf(stdout, "audit log intact: %d entries; head %s\n", v.Count(), v.Head())
		return 0
	}

	// Actors are account ids: --actor takes a username too, and the output
	// names each account.
	agents, err := st.Agents(ctx)
	if err != nil {
		return fail("%v", err)
	}
	names := make(map[string]string, len(agents))
	for _, a := range agents {
		names[a.ID] = a.Username
		if a.Username == q.Actor {
			q.Actor = a.ID
		}
	}
	var write func(protocol.AuditEntry) error
	var flush func() error
	switch *format {
	case "jsonl":
		enc := json.NewEncoder(stdout)
		enc.SetEscapeHTML(false)
		write, flush = func(e protocol.AuditEntry) error { return enc.Encode(e) }, func() error { return nil }
	case "csv":
		w := csv.NewWriter(stdout)
		if err := w.Write([]string{"id", "ts", "time", "actor", "actor_name", "action", "conversation_id", "detail", "hash"}); err != nil {
			return fail("%v", err)
		}
		write = func(e protocol.AuditEntry) error {
			return w.Write([]string{strconv.FormatInt(e.ID, 10), strconv.FormatInt(e.TS, 10),
				time.UnixMilli(e.TS).UTC().Format("2006-01-02T15:04:05.000Z07:00"), e.Actor, e.ActorName, e.Action,
				e.ConversationID, e.Detail, e.Hash})
		}
		flush = func() error { w.Flush(); return w.Error() }
	}
	err = eachAudit(ctx, st, q, *limit, func(e store.AuditEntry) error {
		pe := server.ToProtoAudit(e)
		pe.ActorName = names[e.Actor]
		return write(pe)
	})
	if ferr := flush(); err == nil {
		err = ferr
	}
	if err != nil {
		return fail("%v", err)
	}
	return 0
}

// eachAudit calls fn for the entries of q in log order, page by page, up to
// limit of them (0: all).
func eachAudit(ctx context.Context, st store.Store, q store.AuditQuery, limit int, fn func(store.AuditEntry) error) error {
	n := 0
	for {
		q.Limit = auditPage
		if limit > 0 {
			q.Limit = min(auditPage, limit-n)
		}
		page, err := st.AuditLog(ctx, q)
		if err != nil {
			return err
		}
		for _, e := range page {
			if err := fn(e); err != nil {
				return err
			}
		}
		n += len(page)
		if len(page) < q.Limit || (limit > 0 && n >= limit) {
			return nil
		}
		q.AfterID = page[len(page)-1].ID
	}
}
