package main

import (
	"path/filepath"
	"strings"
	"testing"

	"switchboard/backend/auth"
	"switchboard/backend/store"
	"switchboard/backend/store/sqlite"
)

func TestAgentCommand(t *testing.T) {
	ctx := t.Context()
	data := t.TempDir()
	st, err := sqlite.Open(ctx, filepath.Join(data, dbName), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := st.UpsertTeam(ctx, store.Team{ID: "presales", Name: "Presales"}); err != nil {
		t.Fatal(err)
	}
	st.Close()

	agent := func(stdinText string, args ...string) (int, string, string) {
		t.Helper()
		old := stdin
		stdin = strings.NewReader(stdinText)
		t.Cleanup(func() { stdin = old })
		var out, errOut strings.Builder
		code := run(ctx, append([]string{"agent"}, append(args, "--data", data)...), &out, &errOut)
		return code, out.String(), errOut.String()
	}

	// Add reads the password from standard input.
	if code, out, errOut := agent("correct horse\n", "add", "--username", "dora", "--name", "Dora Li",
		"--teams", "presales", "--skills", "zh,en", "--capacity", "4"); code != 0 || !strings.Contains(out, "added: dora") {
		t.Fatalf("add = %d %q %q", code, out, errOut)
	}
	// Refusals, each with a clear message and nothing written.
	for _, tt := range []struct {
		stdin string
		args  []string
		want  string
	}{
		{"correct horse\n", []string{"add", "--username", "dora", "--name", "Again"}, "exists"},
		{"correct horse\n", []string{"add", "--username", "Bad Name", "--name", "X"}, "--username"},
		{"short\n", []string{"add", "--username", "eve", "--name", "Eve"}, "at least 8"},
		{"correct horse\n", []string{"add", "--username", "eve", "--name", "Eve", "--teams", "nope"}, `no team "nope"`},
		{"correct horse\n", []string{"add", "--username", "eve", "--name", "Eve", "--role", "root"}, "--role"},
		{"", []string{"set", "nobody", "--name", "X"}, "no account"},
		{"", []string{"passwd", "dora", "--name", "X"}, "takes no flags"},
	} {
		code, _, errOut := agent(tt.stdin, tt.args...)
		if code == 0 || !strings.Contains(errOut, tt.want) {
			t.Errorf("agent %v = %d %q, want an error with %q", tt.args, code, errOut, tt.want)
		}
	}
	if code, _, _ := agent("", "frobnicate"); code != 2 {
		t.Errorf("unknown subcommand exit %d, want 2", code)
	}

	// Set changes what it names and keeps the rest; passwd from the env.
	if code, _, errOut := agent("", "set", "dora", "--role", "supervisor"); code != 0 {
		t.Fatalf("set = %d %q", code, errOut)
	}
	t.Setenv("SWITCHBOARD_PASSWORD", "battery staple")
	if code, _, errOut := agent("", "passwd", "dora"); code != 0 {
		t.Fatalf("passwd = %d %q", code, errOut)
	}
	code, out, _ := agent("", "list")
	if code != 0 || !strings.Contains(out, "dora") || !strings.Contains(out, "supervisor") || !strings.Contains(out, "zh,en") {
		t.Fatalf("list = %d\n%s", code, out)
	}

	st, err = sqlite.Open(ctx, filepath.Join(data, dbName), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	a, err := st.AgentByUsername(ctx, "dora")
	if err != nil {
		t.Fatal(err)
	}
	if a.Name != "Dora Li" || a.Role != "supervisor" || a.Capacity != 4 || strings.Join(a.Teams, ",") != "presales" {
		t.Fatalf("dora = %+v", a)
	}
	if ok, _ := auth.VerifyPassword(a.PasswordHash, "battery staple"); !ok {
		t.Fatal("the new password does not verify")
	}
	if ok, _ := auth.VerifyPassword(a.PasswordHash, "correct horse"); ok {
		t.Fatal("the old password still verifies")
	}
	if _, err := st.AgentByUsername(ctx, "eve"); err == nil {
		t.Fatal("a refused add stored eve")
	}
}
