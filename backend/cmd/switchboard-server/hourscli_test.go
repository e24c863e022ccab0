package main

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"switchboard/protocol"
)

// TestHoursCommand changes the business hours while the server runs: the
// serve flag is the default until hours are stored, a team's own win over
// the global ones, and a queued customer is told at once whether it is
// within hours.
func TestHoursCommand(t *testing.T) {
	clearEnv(t)
	dir := t.TempDir()
	// Open only on a day three days from today: closed now.
	closedDay := []string{"sun", "mon", "tue", "wed", "thu", "fri", "sat"}[(time.Now().UTC().Weekday()+3)%7] + " 00:00-24:00"
	base, _, _, stop := startServeArgs(t, "--demo", "--data", dir, "--business-hours", closedDay, "--timezone", "UTC")
	defer stop()

	v := newVisitor(t, base)
	v.send(protocol.TypeSend, protocol.SendData{ConversationID: v.conv.ID, ClientMsgID: uuid.NewString(), Text: "转人工"})
	inHours := func(want bool) {
		t.Helper()
		v.read(func(f protocol.Frame) bool {
			var q protocol.QueueInfo
			json.Unmarshal(f.Data, &q)
			return f.Type == protocol.TypeQueue && q.ConversationID == v.conv.ID && q.BusinessHours == want
		})
	}
	inHours(false) // the serve flag

	run := func(args ...string) string {
		t.Helper()
		code, out, errOut := cli(t, "", append([]string{"hours"}, append(args, "--data", dir)...)...)
		if code != 0 {
			t.Fatalf("hours %q = %d %q %q", args, code, out, errOut)
		}
		return out
	}
	if out := run("set", "--weekly", "always", "--closed", "2030-01-01"); !strings.Contains(out, "saved global: always (UTC); closed 2030-01-01") || !strings.Contains(out, "running server has applied") {
		t.Fatalf("hours set = %q", out)
	}
	inHours(true) // the stored hours win over the flag
	// A team's own hours win for its conversations; set keeps what it is not given.
	run("set", "--team", "presales", "--weekly", closedDay, "--timezone", "Asia/Shanghai")
	inHours(false)
	if out := run("set", "--team", "presales", "--closed", "2031-05-01"); !strings.Contains(out, closedDay+" (Asia/Shanghai); closed 2031-05-01") {
		t.Errorf("hours set --closed = %q, want the weekly hours and zone kept", out)
	}
	out := run("show")
	for _, want := range []string{"global", "stored", "always (UTC)", "team presales", "closed until", "team aftersales"} {
		if !strings.Contains(out, want) {
			t.Errorf("hours show lacks %q:\n%s", want, out)
		}
	}
	if out := run("clear", "--team", "presales"); !strings.Contains(out, "now always (UTC); closed 2030-01-01 (global)") {
		t.Errorf("hours clear --team = %q", out)
	}
	inHours(true)

	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"set", "--weekly", "mon 18:00-09:00"}, "ends before it starts"},
		{[]string{"set", "--timezone", "Mars/Olympus"}, "unknown time zone"},
		{[]string{"set", "--team", "nobody", "--weekly", "always"}, `no team "nobody"`},
		{[]string{"set", "--team", "aftersales", "--timezone", "UTC"}, "give --weekly"},
		{[]string{"set"}, "give at least one"},
		{[]string{"show", "--weekly", "always"}, "--weekly is not for hours show"},
		{[]string{"clear", "--team", "aftersales"}, "no business hours are stored for team aftersales"},
	} {
		code, out, errOut := cli(t, "", append([]string{"hours"}, append(tt.args, "--data", dir)...)...)
		if code == 0 || !strings.Contains(errOut, tt.want) {
			t.Errorf("hours %q = %d %q %q, want a failure mentioning %q", tt.args, code, out, errOut, tt.want)
		}
	}
	code, out, _ := cli(t, "", "audit", "--data", dir, "--action", "hours.set")
	if code != 0 || strings.Count(out, "hours.set") != 3 {
		t.Errorf("audit --action hours.set = %d %q, want the three changes", code, out)
	}
}
