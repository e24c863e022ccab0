package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"regexp"
	"slices"
	"strings"
	"text/tabwriter"
	"unicode/utf8"

	"switchboard/backend/audit"
	"switchboard/backend/auth"
	"switchboard/backend/notice"
	"switchboard/backend/staffadmin"
	"switchboard/backend/store"
	"switchboard/protocol"
)

const agentUsage = `Usage:
  switchboard-server agent list    [--data DIR]
  switchboard-server agent add     [--data DIR] --username U --name NAME [--role agent|supervisor|admin]
                                   [--teams T1,T2] [--capacity N] [--skills zh,en]
  switchboard-server agent set     [--data DIR] USERNAME [--name] [--role] [--teams] [--capacity] [--skills]
  switchboard-server agent passwd  [--data DIR] USERNAME
  switchboard-server agent disable [--data DIR] USERNAME
  switchboard-server agent enable  [--data DIR] USERNAME

The data directory is --data, else SWITCHBOARD_DATA, else "data" in the config file
(--config FILE or SWITCHBOARD_CONFIG), else ./switchboard-data. The store is --store,
else SWITCHBOARD_STORE, else "store" in the config file, else sqlite: in the data directory.

add and passwd read the password from SWITCHBOARD_PASSWORD, else from the first line of
standard input (never from a flag, which other users could see). Passwords have at least
8 characters. The server may be running. passwd signs the account out everywhere: its
tokens are revoked and a running server closes its connections within seconds. disable
does the same and refuses every sign-in until enable; enable does not bring old tokens
back. set changes hold from the account's next connection.
`

// minPassword is the shortest password the CLI sets.
const minPassword = 8

var usernameRE = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{0,63}$`)

// agentCommand manages staff accounts in the database of a data directory.
func agentCommand(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, agentUsage)
		return 2
	}
	sub, args := args[0], args[1:]
	fs := adminFlags("agent "+sub, stderr)
	username := fs.String("username", "", "login name: lower-case letters, digits, . _ -")
	name := fs.String("name", "", "display name shown to customers and colleagues")
	role := fs.String("role", "", "agent, supervisor or admin")
	teams := fs.String("teams", "", "comma-separated team ids")
	capacity := fs.Int("capacity", 0, "most conversations worked at once (0: the default)")
	skills := fs.String("skills", "", "comma-separated skills, e.g. zh,en")
	// Flags may follow the USERNAME of set and passwd.
	pos, set, code, ok := parseInterspersed(fs, args)
	if !ok {
		return code
	}
	fail := func(format string, a ...any) int {
		fmt.Fprintf(stderr, "agent %s: %s\n", sub, fmt.Sprintf(format, a...))
		return 1
	}

	wantPos, ok := map[string]int{"list": 0, "add": 0, "set": 1, "passwd": 1, "disable": 1, "enable": 1}[sub]
	if !ok {
		fmt.Fprintf(stderr, "unknown agent command %q\n\n%s", sub, agentUsage)
		return 2
	}
	if len(pos) != wantPos {
		fmt.Fprintf(stderr, "agent %s: want %d argument(s), got %q\n\n%s", sub, wantPos, pos, agentUsage)
		return 2
	}

	st, err := openData(ctx, fs)
	if err != nil {
		return fail("%v", err)
	}
	defer st.Close()

	if sub == "list" {
		agents, err := st.Agents(ctx)
		if err != nil {
			return fail("%v", err)
		}
		w := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
		fmt.Fprintln(w, "USERNAME\tNAME\tROLE\tTEAMS\tCAPACITY\tSKILLS\tSTATUS")
		for _, a := range agents {
			status := "enabled"
			if a.Disabled {
				status = "disabled"
			}
			fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%d\t%s\t%s\n", a.Username, a.Name, a.Role,
				strings.Join(a.Teams, ","), a.Capacity, strings.Join(a.Skills, ","), status)
		}
		w.Flush()
		return 0
	}

	var a store.Agent
	switch sub {
	case "add":
		if !usernameRE.MatchString(*username) {
			return fail("--username %q: use 1-64 lower-case letters, digits, '.', '_' or '-'", *username)
		}
		if _, err := st.AgentByUsername(ctx, *username); err == nil {
			return fail("%q exists; change it with agent set or agent passwd", *username)
		} else if !errors.Is(err, store.ErrNotFound) {
			return fail("%v", err)
		}
		if strings.TrimSpace(*name) == "" {
			return fail("--name is required")
		}
		a = store.Agent{Username: *username, Role: protocol.RoleAgent}
	default: // set, passwd
		if a, err = st.AgentByUsername(ctx, pos[0]); errors.Is(err, store.ErrNotFound) {
			return fail("no account %q (agent list shows them)", pos[0])
		} else if err != nil {
			return fail("%v", err)
		}
		if sub != "set" && len(set)-locationFlags(set) > 0 {
			return fail("%s takes no flags but --data and --config", sub)
		}
	}
	if sub == "disable" || sub == "enable" {
		b, err := st.SetAgentDisabled(ctx, a.ID, sub == "disable")
		if err != nil {
			return fail("%v", err)
		}
		recordAdmin(ctx, st, "agent."+sub, "username="+b.Username, stderr)
		if b.Disabled {
			fmt.Fprintf(stdout, "disabled: %s; its tokens are revoked\n", b.Username)
		} else {
			fmt.Fprintf(stdout, "enabled: %s; it signs in again with its password\n", b.Username)
		}
		notifyServer(ctx, fs, notice.Notice{Kind: notice.Agent, ID: b.ID}, stdout, stderr)
		return 0
	}
	if set["name"] {
		n := protocol.CleanDisplay(*name)
		if n == "" || utf8.RuneCountInString(n) > 64 {
			return fail("--name must have 1-64 characters")
		}
		a.Name = n
	}
	if set["role"] {
		if !slices.Contains([]string{protocol.RoleAgent, protocol.RoleSupervisor, protocol.RoleAdmin}, *role) {
			return fail("--role %q: want agent, supervisor or admin", *role)
		}
		a.Role = *role
	}
	var change staffadmin.AgentChange
	if set["teams"] {
		l := splitList(*teams)
		change.Teams = &l
	}
	if set["capacity"] {
		change.Capacity = capacity
	}
	if set["skills"] {
		l := splitList(*skills)
		change.Skills = &l
	}
	if a, err = (staffadmin.Service{Store: st, Name: staffadmin.Flags}).ApplyAgent(ctx, a, change); err != nil {
		return fail("%v", err)
	}
	if sub == "add" || sub == "passwd" {
		pw, err := readPassword(stdin)
		if err != nil {
			return fail("%v", err)
		}
		if a.PasswordHash, err = auth.HashPassword(pw); err != nil {
			return fail("%v", err)
		}
	}
	stored, err := st.UpsertAgent(ctx, a)
	if err != nil {
		return fail("%v", err)
	}
	if sub == "passwd" {
		// A reset password signs the account out everywhere: a session on a
		// stolen laptop must not outlive it.
		if _, err := st.RevokeAgentTokens(ctx, stored.ID); err != nil {
			return fail("password set, but revoking the old tokens failed: %v", err)
		}
	}
	detail := "username=" + stored.Username
	if sub != "passwd" {
		// What the command set, so the log tells a role change from a
		// new display name.
		for _, f := range []struct{ name, value string }{{"name", stored.Name}, {"role", stored.Role},
			{"teams", strings.Join(stored.Teams, ",")}, {"capacity", fmt.Sprint(stored.Capacity)},
			{"skills", strings.Join(stored.Skills, ",")}} {
			if set[f.name] {
				detail += " " + f.name + "=" + f.value
			}
		}
	}
	recordAdmin(ctx, st, "agent."+sub, detail, stderr)
	fmt.Fprintf(stdout, "%s: %s (%s)\n", map[string]string{"add": "added", "set": "changed",
		"passwd": "password set, old sessions signed out"}[sub], a.Username, a.Role)
	notifyServer(ctx, fs, notice.Notice{Kind: notice.Agent, ID: stored.ID}, stdout, stderr)
	return 0
}

// openData opens the store the admin command of fs (adminFlags) names:
// --store when set, else SWITCHBOARD_STORE, else the config file's store,
// else SQLite in the data directory (--data, SWITCHBOARD_DATA, the config
// file's data, the default).
func openData(ctx context.Context, fs *flag.FlagSet) (store.Store, error) {
	c, err := adminSettings(fs)
	if err != nil {
		return nil, err
	}
	return openStore(ctx, c, nil)
}

// notifyServer tells the running servers what changed: the one on the data
// directory, if any, through its notice socket (it passes the change on to
// the other nodes of its cluster and says when it has applied it), and,
// when the settings name the cluster's bus, every node through the bus.
// Without a server there is nothing to tell: the next one reads the
// database. A server that cannot be told still applies the change at its
// next access sweep.
func notifyServer(ctx context.Context, fs *flag.FlagSet, n notice.Notice, stdout, stderr io.Writer) {
	c, err := adminSettings(fs)
	if err != nil {
		return
	}
	notifyServers(ctx, c, n, stdout, stderr)
}

// notifyServers is notifyServer with the settings resolved.
func notifyServers(ctx context.Context, c serveConfig, n notice.Notice, stdout, stderr io.Writer) {
	switch err := notice.Send(ctx, notice.Path(c.Data), n); {
	case err == nil:
		fmt.Fprintln(stdout, "the running server has applied the change to its open connections")
	case errors.Is(err, notice.ErrNoServer):
	default:
		fmt.Fprintf(stderr, "warning: the running server was not told (%v); it closes the connections of disabled accounts and revoked tokens within 30 s; other changes reach an agent's connections when they reconnect\n", err)
	}
	if c.Bus == "" {
		return
	}
	b, err := openBus(c.Bus, slog.New(slog.DiscardHandler))
	if err != nil {
		fmt.Fprintf(stderr, "warning: the cluster was not told (%v); its nodes close the connections of disabled accounts and revoked tokens within 30 s; other changes reach an agent's connections when they reconnect\n", err)
		return
	}
	b.Publish(notice.Subject, notice.Marshal("admin", n))
	b.Close() // flushes
	fmt.Fprintln(stdout, "the change was published to the cluster's nodes")
}

// recordAdmin records an admin command in the audit log; a failure is
// reported but does not undo the change.
func recordAdmin(ctx context.Context, st store.AuditLog, action, detail string, stderr io.Writer) {
	if err := st.AddAudit(ctx, store.AuditEntry{Actor: audit.AdminActor, Action: action, Detail: detail}); err != nil {
		fmt.Fprintf(stderr, "warning: audit %s: %v\n", action, err)
	}
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// splitList splits a comma-separated list, dropping empty items.
func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" && !slices.Contains(out, p) {
			out = append(out, p)
		}
	}
	return out
}

// readPassword takes SWITCHBOARD_PASSWORD, else the first line of stdin.
func readPassword(stdin io.Reader) (string, error) {
	pw := os.Getenv("SWITCHBOARD_PASSWORD")
	if pw == "" {
		line, err := bufio.NewReader(stdin).ReadString('\n')
		if err != nil && !errors.Is(err, io.EOF) {
			return "", fmt.Errorf("read the password: %w", err)
		}
		pw = strings.TrimRight(line, "\r\n")
	}
	if utf8.RuneCountInString(pw) < minPassword {
		return "", fmt.Errorf("the password needs at least %d characters (from SWITCHBOARD_PASSWORD or the first line of standard input)", minPassword)
	}
	return pw, nil
}

// adminFlags starts the flag set of an admin command with the flags that
// find its data directory, store and servers: --data, --store, --bus and
// --config.
func adminFlags(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.String("data", "", "data directory (default: SWITCHBOARD_DATA, the config file's data, ./switchboard-data)")
	fs.String("store", "", "store URL (default: SWITCHBOARD_STORE, the config file's store, sqlite: in the data directory)")
	fs.String("bus", "", "the cluster's bus, to tell every node of a change (default: SWITCHBOARD_BUS, the config file's bus; none: tell the server on the data directory)")
	fs.String("config", "", "config file to read the data directory, store and bus from (env "+configEnv+")")
	return fs
}

// parseInterspersed parses fs from args allowing flags after positional
// arguments (as in "agent set alice --capacity 3"). It returns the
// positional arguments and the names of the flags given; when !ok the
// command exits with code (0 after -h, 2 on a bad flag).
func parseInterspersed(fs *flag.FlagSet, args []string) (pos []string, set map[string]bool, code int, ok bool) {
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, nil, 0, false
			}
			return nil, nil, 2, false
		}
		if fs.NArg() == 0 {
			break
		}
		pos = append(pos, fs.Arg(0))
		args = fs.Args()[1:]
	}
	set = map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	return pos, set, 0, true
}
