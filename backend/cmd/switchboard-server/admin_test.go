package main

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"switchboard/backend/server"
	"switchboard/backend/store"
	"switchboard/backend/store/sqlite"
	"switchboard/protocol"
)

// cli runs an admin command and returns its exit code and output.
func cli(t *testing.T, stdinText string, args ...string) (int, string, string) {
	t.Helper()
	old := stdin
	stdin = strings.NewReader(stdinText)
	defer func() { stdin = old }()
	var out, errOut strings.Builder
	code := run(context.Background(), args, &out, &errOut)
	return code, out.String(), errOut.String()
}

// signIn logs username in at base and returns the HTTP status, the token
// and the error code.
func signIn(t *testing.T, base, username, password string) (int, string, string) {
	t.Helper()
	body, _ := json.Marshal(map[string]string{"username": username, "password": password})
	resp, err := http.Post(base+"/api/v1/login", "application/json", strings.NewReader(string(body)))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out struct {
		Token string
		Error *protocol.Error
	}
	json.NewDecoder(resp.Body).Decode(&out)
	code := ""
	if out.Error != nil {
		code = out.Error.Code
	}
	return resp.StatusCode, out.Token, code
}

// staffConn connects to base with token and waits for the welcome.
func staffConn(t *testing.T, base, token string) *websocket.Conn {
	t.Helper()
	ws, _, err := websocket.DefaultDialer.Dial("ws"+strings.TrimPrefix(base, "http")+"/ws", nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ws.Close() })
	b, _ := protocol.Encode(protocol.TypeHello, "1", protocol.HelloData{Protocol: protocol.Version, Token: token, Client: protocol.ClientDesktop})
	ws.WriteMessage(websocket.TextMessage, b)
	ws.SetReadDeadline(time.Now().Add(10 * time.Second))
	for {
		_, msg, err := ws.ReadMessage()
		if err != nil {
			t.Fatalf("hello: %v", err)
		}
		var f protocol.Frame
		json.Unmarshal(msg, &f)
		if f.Type == protocol.TypeWelcome {
			return ws
		}
		if f.Type == protocol.TypeError {
			t.Fatalf("hello refused: %+v", f.Error)
		}
	}
}

// closedWith reads ws until the server closes it and returns the close
// code, waiting as long as the server's access sweep may take and more.
func closedWith(t *testing.T, ws *websocket.Conn) int {
	t.Helper()
	ws.SetReadDeadline(time.Now().Add(15 * time.Second))
	for {
		if _, _, err := ws.ReadMessage(); err != nil {
			var ce *websocket.CloseError
			if !errors.As(err, &ce) {
				t.Fatalf("connection ended without a close frame: %v", err)
			}
			return ce.Code
		}
	}
}

// TestAgentDisableAcrossServer disables, enables and resets the password
// of an account with the CLI while the server runs on the same data
// directory: the server closes the account's live connection, refuses its
// sign-in while disabled, and signs it out after a password reset.
func TestAgentDisableAcrossServer(t *testing.T) {
	clearEnv(t)
	dir := t.TempDir()
	base, _, _, stop := startServeArgs(t, "--demo", "--data", dir)
	defer stop()

	status, token, _ := signIn(t, base, "alice", server.DemoPassword)
	if status != http.StatusOK {
		t.Fatalf("login = %d", status)
	}
	ws := staffConn(t, base, token)

	if code, out, errOut := cli(t, "", "agent", "disable", "alice", "--data", dir); code != 0 || !strings.Contains(out, "disabled: alice") {
		t.Fatalf("agent disable = %d %q %q", code, out, errOut)
	}
	if code := closedWith(t, ws); code != protocol.CloseUnauthorized {
		t.Errorf("alice's connection closed with %d, want %d", code, protocol.CloseUnauthorized)
	}
	if status, _, code := signIn(t, base, "alice", server.DemoPassword); status != http.StatusForbidden || code != protocol.ErrAccountDisabled.Code {
		t.Errorf("login while disabled = %d %q, want 403 account_disabled", status, code)
	}
	if _, out, _ := cli(t, "", "agent", "list", "--data", dir); !strings.Contains(out, "disabled") {
		t.Errorf("agent list does not show alice disabled:\n%s", out)
	}

	if code, out, errOut := cli(t, "", "agent", "enable", "alice", "--data", dir); code != 0 || !strings.Contains(out, "enabled: alice") {
		t.Fatalf("agent enable = %d %q %q", code, out, errOut)
	}
	status, token, _ = signIn(t, base, "alice", server.DemoPassword)
	if status != http.StatusOK {
		t.Fatalf("login after enable = %d", status)
	}
	ws = staffConn(t, base, token)

	t.Setenv("SWITCHBOARD_PASSWORD", "a brand new password")
	if code, out, errOut := cli(t, "", "agent", "passwd", "alice", "--data", dir); code != 0 || !strings.Contains(out, "signed out") {
		t.Fatalf("agent passwd = %d %q %q", code, out, errOut)
	}
	if code := closedWith(t, ws); code != protocol.CloseUnauthorized {
		t.Errorf("after passwd alice's connection closed with %d, want %d", code, protocol.CloseUnauthorized)
	}
	if status, _, _ := signIn(t, base, "alice", "a brand new password"); status != http.StatusOK {
		t.Errorf("login with the new password = %d", status)
	}
}

// TestTeamCommand adds, changes, lists and removes teams, and checks each
// refusal names its reason and writes nothing.
func TestTeamCommand(t *testing.T) {
	clearEnv(t)
	data := t.TempDir()
	team := func(args ...string) (int, string, string) {
		t.Helper()
		return cli(t, "", append(append([]string{"team"}, args...), "--data", data)...)
	}
	if code, out, errOut := team("add", "presales", "--name", "Presales", "--skills", "zh,en"); code != 0 || !strings.Contains(out, "added: presales") {
		t.Fatalf("team add = %d %q %q", code, out, errOut)
	}
	if code, _, errOut := team("add", "vip", "--name", "VIP", "--backup", "presales", "--overflow-at", "3"); code != 0 {
		t.Fatalf("team add vip = %d %q", code, errOut)
	}
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"add", "presales", "--name", "Again"}, "exists"},
		{[]string{"add", "Bad Id", "--name", "X"}, "id \"Bad Id\""},
		{[]string{"add", "ops"}, "--name is required"},
		{[]string{"add", "ops", "--name", "Ops", "--overflow-at", "2"}, "needs a --backup"},
		{[]string{"add", "ops", "--name", "Ops", "--backup", "nope"}, `no team "nope"`},
		{[]string{"set", "vip", "--backup", "vip"}, "the team itself"},
		{[]string{"set", "vip", "--overflow-at", "-1"}, "--overflow-at"},
		{[]string{"set", "nope", "--name", "X"}, `no team "nope"`},
		{[]string{"remove", "presales"}, "in use"}, // vip overflows to it
		{[]string{"remove", "nope"}, `no team "nope"`},
		{[]string{"list", "--name", "x"}, "takes no flags"},
	} {
		if code, _, errOut := team(tt.args...); code == 0 || !strings.Contains(errOut, tt.want) {
			t.Errorf("team %v = %d %q, want an error with %q", tt.args, code, errOut, tt.want)
		}
	}
	if code, _, _ := team("frobnicate"); code != 2 {
		t.Errorf("unknown team subcommand exit %d, want 2", code)
	}
	if code, _, errOut := team("set", "vip", "--overflow-at", "5"); code != 0 {
		t.Fatalf("team set = %d %q", code, errOut)
	}
	t.Setenv("SWITCHBOARD_PASSWORD", "correct horse")
	if code, _, errOut := cli(t, "", "agent", "add", "--data", data, "--username", "dora", "--name", "Dora", "--teams", "vip,presales"); code != 0 {
		t.Fatalf("agent add = %d %q", code, errOut)
	}
	code, out, _ := team("list")
	if code != 0 || !strings.Contains(out, "vip") || !strings.Contains(out, "presales") || !strings.Contains(out, "dora") {
		t.Errorf("team list = %d\n%s", code, out)
	}

	st, err := sqlite.Open(t.Context(), filepath.Join(data, dbName), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	teams, _ := st.Teams(t.Context())
	want := []store.Team{
		{ID: "presales", Name: "Presales", Skills: []string{"zh", "en"}},
		{ID: "vip", Name: "VIP", Backup: "presales", OverflowAt: 5},
	}
	if len(teams) != 2 || teams[0].ID != want[0].ID || strings.Join(teams[0].Skills, ",") != "zh,en" ||
		teams[1].Backup != "presales" || teams[1].OverflowAt != 5 || teams[1].Name != "VIP" {
		t.Errorf("teams = %+v, want %+v", teams, want)
	}
	st.Close()

	if code, out, errOut := team("set", "vip", "--backup", "", "--overflow-at", "0"); code != 0 {
		t.Fatalf("team set clearing the backup = %d %q %q", code, out, errOut)
	}
	if code, out, errOut := team("remove", "vip"); code != 0 || !strings.Contains(out, "removed: vip") {
		t.Fatalf("team remove = %d %q %q", code, out, errOut)
	}
	_, out, _ = cli(t, "", "agent", "list", "--data", data)
	if !strings.Contains(out, "dora") || strings.Contains(out, "vip") {
		t.Errorf("after removing vip, agent list =\n%s\nwant dora without vip", out)
	}
}

// TestAdminDataFromConfig finds the data directory in the config file when
// neither --data nor SWITCHBOARD_DATA is given.
func TestAdminDataFromConfig(t *testing.T) {
	clearEnv(t)
	data := t.TempDir()
	cfg := writeConfig(t, "data = \""+data+"\"\n")
	if code, _, errOut := cli(t, "", "team", "add", "ops", "--name", "Ops", "--config", cfg); code != 0 {
		t.Fatalf("team add --config = %d %q", code, errOut)
	}
	t.Setenv(configEnv, cfg)
	if code, out, _ := cli(t, "", "team", "list"); code != 0 || !strings.Contains(out, "ops") {
		t.Errorf("team list with SWITCHBOARD_CONFIG = %d\n%s", code, out)
	}
	bad := writeConfig(t, "dta = \"x\"\n")
	if code, _, errOut := cli(t, "", "agent", "list", "--config", bad); code == 0 || !strings.Contains(errOut, `unknown key "dta"`) {
		t.Errorf("agent list with a bad config = %d %q", code, errOut)
	}
}
