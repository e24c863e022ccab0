package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"switchboard/backend/apikeys"
	"switchboard/backend/audit"
	"switchboard/backend/store"
)

const apikeyUsage = `Usage:
  switchboard-server apikey create [--data DIR] NAME --scopes customers:write,conversations:read,admin
  switchboard-server apikey list   [--data DIR]
  switchboard-server apikey revoke [--data DIR] ID

Keys of the HTTP API (/api/v1/…, docs/operations.md "HTTP API"). create prints the key
(sbk_<id>_<secret>) once: only its hash is kept, so a lost key is revoked and made anew.
Scopes: customers:write pushes customers' profiles and fields; conversations:read looks
up conversations and their messages; admin manages agents, teams, the knowledge base and
webhooks and reads internal notes. revoke refuses the key's next request on every node.
list shows each key's last use, to the minute. The server may be running.
`

// apikeyCommand manages the keys of the HTTP API.
func apikeyCommand(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, apikeyUsage)
		return 2
	}
	sub, args := args[0], args[1:]
	fs := adminFlags("apikey "+sub, stderr)
	scopes := fs.String("scopes", "", "create: comma-separated scopes: "+strings.Join(apikeys.AllScopes, ","))
	pos, set, code, ok := parseInterspersed(fs, args)
	if !ok {
		return code
	}
	fail := func(format string, a ...any) int {
		fmt.Fprintf(stderr, "apikey %s: %s\n", sub, fmt.Sprintf(format, a...))
		return 1
	}
	wantPos, ok := map[string]int{"create": 1, "list": 0, "revoke": 1}[sub]
	if !ok {
		fmt.Fprintf(stderr, "unknown apikey command %q\n\n%s", sub, apikeyUsage)
		return 2
	}
	if len(pos) != wantPos {
		fmt.Fprintf(stderr, "apikey %s: want %d argument(s), got %q\n\n%s", sub, wantPos, pos, apikeyUsage)
		return 2
	}
	if sub != "create" && set["scopes"] {
		return fail("--scopes is for apikey create")
	}
	var sc []string
	if sub == "create" {
		var err error
		if sc, err = apikeys.ParseScopes(*scopes); err != nil {
			return fail("--scopes: %v", err)
		}
	}
	st, err := openData(ctx, fs)
	if err != nil {
		return fail("%v", err)
	}
	defer st.Close()
	keys := apikeys.New(apikeys.Config{Store: st})
	switch sub {
	case "create":
		k, key, err := keys.Create(ctx, pos[0], sc, audit.AdminActor)
		if err != nil {
			return fail("%v", err)
		}
		recordAdmin(ctx, st, "apikey.create", "key="+k.ID+" scopes="+strings.Join(k.Scopes, ","), stderr)
		fmt.Fprintf(stdout, "created api key %s (%s), scopes %s\n", k.ID, k.Name, strings.Join(k.Scopes, ","))
		fmt.Fprintf(stdout, "key (shown once): %s\n", key)
	case "list":
		all, err := keys.List(ctx)
		if err != nil {
			return fail("%v", err)
		}
		w := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
		fmt.Fprintln(w, "ID\tNAME\tSCOPES\tCREATED\tLAST USED\tSTATUS")
		for _, k := range all {
			status := "active"
			if k.RevokedAt != 0 {
				status = "revoked " + msText(k.RevokedAt)
			}
			fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\n", k.ID, k.Name, strings.Join(k.Scopes, ","), msText(k.CreatedAt), msText(k.LastUsedAt), status)
		}
		w.Flush()
	case "revoke":
		k, err := keys.Revoke(ctx, pos[0])
		if errors.Is(err, store.ErrNotFound) {
			return fail("no key %q (apikey list shows them)", pos[0])
		} else if err != nil {
			return fail("%v", err)
		}
		recordAdmin(ctx, st, "apikey.revoke", "key="+k.ID, stderr)
		fmt.Fprintf(stdout, "revoked: %s (%s)\n", k.ID, k.Name)
	}
	return 0
}

// msText is a unix millisecond time to the minute, "-" for none.
func msText(ms int64) string {
	if ms == 0 {
		return "-"
	}
	return time.UnixMilli(ms).UTC().Format("2006-01-02 15:04Z")
}
