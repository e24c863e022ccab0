package main

import (
	"encoding/json"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"switchboard/backend/server"
	"switchboard/backend/store"
	"switchboard/backend/store/sqlite"
	"switchboard/protocol"
)

// TestTeamSLACommand sets a team's SLA while the server runs: the database
// has it, a supervisor watching the floor is pushed it at once, and the
// refusals name their reason.
func TestTeamSLACommand(t *testing.T) {
	clearEnv(t)
	dir := t.TempDir()
	base, stopServe := startServe(t, dir)
	stop := sync.OnceFunc(stopServe)
	defer stop()
	status, token, _ := signIn(t, base, "sam", server.DemoPassword)
	if status != http.StatusOK {
		t.Fatalf("sign in sam: %d", status)
	}
	ws := staffConn(t, base, token)
	b, _ := protocol.Encode(protocol.TypeFloor, "f1", protocol.FloorRequest{Watch: true})
	ws.WriteMessage(websocket.TextMessage, b)
	floor := func(match func(protocol.FloorData) bool) protocol.FloorData {
		t.Helper()
		ws.SetReadDeadline(time.Now().Add(3 * time.Second))
		for {
			_, msg, err := ws.ReadMessage()
			if err != nil {
				t.Fatalf("no floor as wanted: %v", err)
			}
			var f protocol.Frame
			json.Unmarshal(msg, &f)
			if f.Type != protocol.TypeFloor {
				continue
			}
			var d protocol.FloorData
			json.Unmarshal(f.Data, &d)
			if match(d) {
				return d
			}
		}
	}
	presales := func(d protocol.FloorData) protocol.SLA {
		for _, ft := range d.Teams {
			if ft.ID == "presales" {
				return ft.SLA
			}
		}
		return protocol.SLA{}
	}
	floor(func(d protocol.FloorData) bool { return len(d.Teams) > 0 })

	code, out, errOut := cli(t, "", "teams", "sla", "presales", "--data", dir, "--wait", "2m", "--first-response", "1m", "--next-response", "3m")
	if code != 0 || !strings.Contains(out, "wait 2m0s, first response 1m0s, next response 3m0s") || !strings.Contains(out, "running server has applied") {
		t.Fatalf("team sla = %d %q %q", code, out, errOut)
	}
	want := protocol.SLA{WaitMS: 120_000, FirstResponseMS: 60_000, NextResponseMS: 180_000}
	start := time.Now()
	floor(func(d protocol.FloorData) bool { return presales(d) == want })
	if el := time.Since(start); el > time.Second {
		t.Errorf("the floor showed the new SLA after %v", el)
	}
	// One threshold changes, the others stay; 0 turns one off.
	if code, out, errOut := cli(t, "", "team", "sla", "presales", "--data", dir, "--first-response", "0"); code != 0 || !strings.Contains(out, "first response -") {
		t.Fatalf("team sla --first-response 0 = %d %q %q", code, out, errOut)
	}
	want.FirstResponseMS = 0
	floor(func(d protocol.FloorData) bool { return presales(d) == want })
	// team set leaves the SLA alone.
	if code, _, errOut := cli(t, "", "team", "set", "presales", "--data", dir, "--skills", "zh"); code != 0 {
		t.Fatalf("team set = %d %q", code, errOut)
	}
	if _, out, _ := cli(t, "", "team", "list", "--data", dir); !strings.Contains(out, "2m0s/-/3m0s") {
		t.Errorf("team list lacks the SLA:\n%s", out)
	}
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"sla", "presales"}, "at least one"},
		{[]string{"sla", "nope", "--wait", "1m"}, `no team "nope"`},
		{[]string{"sla", "presales", "--wait", "-1m"}, "--wait must be"},
		{[]string{"sla", "presales", "--wait", "1m", "--name", "X"}, "only"},
		{[]string{"set", "presales", "--wait", "1m"}, "for team sla"},
	} {
		if code, _, errOut := cli(t, "", append(append([]string{"team"}, tt.args...), "--data", dir)...); code == 0 || !strings.Contains(errOut, tt.want) {
			t.Errorf("team %v = %d %q, want an error with %q", tt.args, code, errOut, tt.want)
		}
	}
	stop()
	st, err := sqlite.Open(t.Context(), filepath.Join(dir, dbName), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	teams, _ := st.Teams(t.Context())
	for _, tm := range teams {
		if tm.ID == "presales" && tm.SLA != (store.SLA{WaitMS: 120_000, NextResponseMS: 180_000}) {
			t.Errorf("stored SLA = %+v", tm.SLA)
		}
	}
}
