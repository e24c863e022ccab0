package main

import (
	"bufio"
	"context"
	"database/sql"
	"encoding/csv"
	"encoding/json"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"switchboard/backend/audit"
	"switchboard/backend/store"
	"switchboard/backend/store/sqlite"
	"switchboard/protocol"
)

// jsonLines decodes the JSON lines of audit's output.
func jsonLines(t *testing.T, out string) []protocol.AuditEntry {
	t.Helper()
	var es []protocol.AuditEntry
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		var e protocol.AuditEntry
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
			t.Fatalf("line %q: %v", sc.Text(), err)
		}
		es = append(es, e)
	}
	return es
}

func actions(es []protocol.AuditEntry) []string {
	var out []string
	for _, e := range es {
		out = append(out, e.Action)
	}
	return out
}

// TestAdminCommandsAudited runs every admin command that changes something
// and reads the log back with the audit command, in both formats and with
// each filter.
func TestAdminCommandsAudited(t *testing.T) {
	data := t.TempDir()
	kbFile := filepath.Join(t.TempDir(), "kb.json")
	writeJSON(t, kbFile, shippingKB("两天内"))
	backupFile := filepath.Join(t.TempDir(), "b.db")
	d := "--data=" + data
	steps := [][]string{
		{"team", "add", d, "presales", "--name", "Presales"},
		{"agent", "add", d, "--username", "dora", "--name", "Dora", "--teams", "presales"},
		{"agent", "set", d, "dora", "--role", "supervisor"},
		{"agent", "passwd", d, "dora"},
		{"agent", "disable", d, "dora"},
		{"agent", "enable", d, "dora"},
		{"team", "set", d, "presales", "--skills", "zh"},
		{"team", "add", d, "spare", "--name", "Spare"},
		{"team", "remove", d, "spare"},
		{"kb", "import", d, kbFile},
		{"backup", d, backupFile},
	}
	for _, args := range steps {
		if code, out, errOut := cli(t, "correct horse\n", args...); code != 0 {
			t.Fatalf("%v = %d %q %q", args, code, out, errOut)
		}
	}
	// Reads by dora, as the server records them.
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(data, dbName), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	dora, err := st.AgentByUsername(ctx, "dora")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []string{"c1", "c2"} {
		if err := st.AddAudit(ctx, store.AuditEntry{Actor: dora.ID, Action: audit.ActionRead, ConversationID: c}); err != nil {
			t.Fatal(err)
		}
	}
	st.Close()

	code, out, errOut := cli(t, "", "audit", "--data", data)
	if code != 0 {
		t.Fatalf("audit = %d %q", code, errOut)
	}
	all := jsonLines(t, out)
	want := []string{"team.add", "agent.add", "agent.set", "agent.passwd", "agent.disable", "agent.enable", "team.set",
		"team.add", "team.remove", "kb.import", "backup", "read", "read"}
	if got := actions(all); !slices.Equal(got, want) {
		t.Fatalf("audit actions = %q, want %q", got, want)
	}
	for i, e := range all {
		if e.ID == 0 || e.TS == 0 || len(e.Hash) != 64 || (i < 11 && e.Actor != audit.AdminActor) {
			t.Errorf("entry %+v: want id, ts, hash and admin-cli for the commands", e)
		}
	}
	if !strings.Contains(all[2].Detail, "username=dora") || !strings.Contains(all[2].Detail, "role=supervisor") {
		t.Errorf("agent.set detail = %q, want the username and the new role", all[2].Detail)
	}

	hourAgo := time.Now().Add(-time.Hour).UTC().Format(time.RFC3339)
	tests := []struct {
		name string
		args []string
		want []string
	}{
		{"action", []string{"--action", "agent.set"}, []string{"agent.set"}},
		{"actor by username", []string{"--actor", "dora"}, []string{"read", "read"}},
		{"actor by id", []string{"--actor", dora.ID, "--conversation", "c2"}, []string{"read"}},
		{"admin commands of a kind", []string{"--actor", audit.AdminActor, "--action", "team.add"}, []string{"team.add", "team.add"}},
		{"since a duration", []string{"--since", "1h", "--action", "read"}, []string{"read", "read"}},
		{"until the past", []string{"--until", hourAgo}, nil},
		{"since the past", []string{"--since", hourAgo, "--limit", "2"}, []string{"team.add", "agent.add"}},
	}
	for _, tt := range tests {
		code, out, errOut := cli(t, "", append([]string{"audit", "--data", data}, tt.args...)...)
		if got := actions(jsonLines(t, out)); code != 0 || !slices.Equal(got, tt.want) {
			t.Errorf("%s: audit %q = %d %q (%q), want %q", tt.name, tt.args, code, got, errOut, tt.want)
		}
	}

	// CSV: a header, then one record per entry, names included.
	code, out, errOut = cli(t, "", "audit", "--data", data, "--format", "csv", "--actor", "dora")
	if code != 0 {
		t.Fatalf("audit csv = %d %q", code, errOut)
	}
	recs, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil || len(recs) != 3 {
		t.Fatalf("csv = %q, %v, want a header and 2 records", out, err)
	}
	if strings.Join(recs[0], ",") != "id,ts,time,actor,actor_name,action,conversation_id,detail,hash" {
		t.Errorf("csv header = %q", recs[0])
	}
	if r := recs[1]; r[3] != dora.ID || r[4] != "dora" || r[5] != "read" || r[6] != "c1" || len(r[8]) != 64 {
		t.Errorf("csv record = %q", r)
	}
	if _, err := time.Parse(time.RFC3339, recs[1][2]); err != nil {
		t.Errorf("csv time %q: %v", recs[1][2], err)
	}

	for _, bad := range [][]string{{"--format", "xml"}, {"--since", "last week"}, {"--limit", "-1"}, {"extra"}, {"verify", "--actor", "x"}} {
		if code, _, _ := cli(t, "", append([]string{"audit", "--data", data}, bad...)...); code != 2 {
			t.Errorf("audit %q exit %d, want 2", bad, code)
		}
	}

	// A restore is recorded in the restored log, which ends where the
	// backup was taken.
	if code, _, errOut := cli(t, "", "restore", "--data", data, backupFile); code != 0 {
		t.Fatalf("restore = %d %q", code, errOut)
	}
	_, out, _ = cli(t, "", "audit", "--data", data)
	wantRestored := append(slices.Clone(want[:10]), "restore")
	if got := actions(jsonLines(t, out)); !slices.Equal(got, wantRestored) {
		t.Errorf("audit after restore = %q, want %q", got, wantRestored)
	}
	if code, out, errOut := cli(t, "", "audit", "verify", "--data", data); code != 0 || !strings.Contains(out, "intact: 11 entries") {
		t.Errorf("verify after restore = %d %q %q", code, out, errOut)
	}
}

// chainedData makes a data directory whose log holds entries from the
// admin, from reads and from state changes.
func chainedData(t *testing.T) string {
	t.Helper()
	ctx := context.Background()
	data := t.TempDir()
	st, err := sqlite.Open(ctx, filepath.Join(data, dbName), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	for i, a := range []string{"team.add", "agent.add", "read", "read_file", "live_view"} {
		if err := st.AddAudit(ctx, store.AuditEntry{Actor: "sup", Action: a, ConversationID: "c", Detail: string(rune('a' + i))}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := st.UpsertCustomer(ctx, store.Customer{ID: "cust"}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := st.CreateConversation(ctx, store.NewConversation{CustomerID: "cust", Channel: "web", Actor: "cust",
		Opened: store.NewMessage{ClientMsgID: "00000000-0000-0000-0000-000000000001", SenderRole: protocol.RoleSystem,
			Kind: protocol.KindEvent, Visibility: protocol.VisibilityPublic, Event: &store.Event{Type: protocol.EventOpened}}}); err != nil {
		t.Fatal(err)
	}
	return data
}

// tamper runs SQL statements on the data directory's database file, as
// someone with the file would.
func tamper(t *testing.T, data string, stmts ...string) {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+filepath.Join(data, dbName))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, s := range stmts {
		if _, err := db.Exec(s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
}

func TestAuditVerify(t *testing.T) {
	// Entries 2 and 3 swapped whole, hashes included: each still matches
	// its own contents, not its place.
	swap := []string{
		`CREATE TEMP TABLE a AS SELECT * FROM audit WHERE id IN (2, 3)`,
		`UPDATE audit SET ts = (SELECT ts FROM a WHERE id = 5 - audit.id), actor = (SELECT actor FROM a WHERE id = 5 - audit.id),
			action = (SELECT action FROM a WHERE id = 5 - audit.id), conversation_id = (SELECT conversation_id FROM a WHERE id = 5 - audit.id),
			detail = (SELECT detail FROM a WHERE id = 5 - audit.id), hash = (SELECT hash FROM a WHERE id = 5 - audit.id)
			WHERE id IN (2, 3)`,
	}
	tests := []struct {
		name     string
		stmts    []string
		wantCode int
		want     string
	}{
		{"intact", nil, 0, "audit log intact: 6 entries; head "},
		{"edited", []string{`UPDATE audit SET detail = 'nothing to see' WHERE id = 3`}, 1, "broken at entry 3"},
		{"edited actor", []string{`UPDATE audit SET actor = 'someone else' WHERE id = 1`}, 1, "broken at entry 1"},
		{"edited hash too", []string{`UPDATE audit SET action = 'read', hash = (SELECT hash FROM audit WHERE id = 4) WHERE id = 5`}, 1, "broken at entry 5"},
		{"deleted", []string{`DELETE FROM audit WHERE id = 3`}, 1, "broken at entry 4: its hash does not follow entry 2"},
		{"reordered", swap, 1, "broken at entry 2"},
		{"renumbered", []string{`UPDATE audit SET id = 100 WHERE id = 2`}, 1, "broken at entry 3"},
	}
	for _, tt := range tests {
		data := chainedData(t)
		tamper(t, data, tt.stmts...)
		code, out, errOut := cli(t, "", "audit", "verify", "--data", data)
		if code != tt.wantCode || !strings.Contains(out+errOut, tt.want) {
			t.Errorf("%s: audit verify = %d %q %q, want %d and %q", tt.name, code, out, errOut, tt.wantCode, tt.want)
		}
	}
}
