package main

import (
	"context"
	"regexp"
	"strings"
	"testing"
)

// TestCannedCommand manages shared canned responses from the command line:
// what is said is stored and listed, bad input is refused with its reason,
// and preview fills the variables as the composer does.
func TestCannedCommand(t *testing.T) {
	clearEnv(t)
	ctx := context.Background()
	data := t.TempDir()
	cmd := func(args ...string) (int, string, string) {
		t.Helper()
		var out, errOut strings.Builder
		code := run(ctx, append([]string{"canned"}, append(args, "--data", data)...), &out, &errOut)
		return code, out.String(), errOut.String()
	}
	code, out, errOut := cmd("add", "--shortcut", "/Refund", "--en", "Refund for {order_no}, {customer.name}", "--zh", "订单 {order_no} 已退款")
	id := regexp.MustCompile(`saved (\S+):`).FindStringSubmatch(out)
	if code != 0 || id == nil || !strings.Contains(out, "/refund (global)") {
		t.Fatalf("add = %d %q %q", code, out, errOut)
	}
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"add", "--shortcut", "refund", "--en", "again"}, "taken"},
		{[]string{"add", "--shortcut", "x", "--en", "Dear {customer.title}"}, "unknown variable"},
		{[]string{"add", "--shortcut", "x"}, "Chinese, English or both"},
		{[]string{"add", "--shortcut", "x", "--team", "nosuch", "--en", "x"}, "no team"},
		{[]string{"add", "--shortcut", "x", "--en", strings.Repeat("a", 2001)}, "at most 2000"},
		{[]string{"set", "nope", "--en", "x"}, "no canned response"},
		{[]string{"remove", id[1], "--zh", "x"}, "--zh is not for canned remove"},
	} {
		code, out, errOut := cmd(tt.args...)
		if code == 0 || !strings.Contains(errOut, tt.want) {
			t.Errorf("canned %v = %d %q %q, want a failure saying %q", tt.args, code, out, errOut, tt.want)
		}
	}
	if code, out, _ := cmd("set", id[1], "--title", "Refund done"); code != 0 || !strings.Contains(out, "saved") {
		t.Fatalf("set = %d %q", code, out)
	}
	code, out, _ = cmd("list")
	if code != 0 || strings.Count(out, "\n") != 2 || !strings.Contains(out, "Refund done") || !strings.Contains(out, "admin-cli") {
		t.Fatalf("list = %d %q, want the header and one response", code, out)
	}
	code, out, errOut = cmd("preview", id[1], "--lang", "en", "--customer", "Li Lei")
	if code != 0 || out != "Refund for {order_no}, Li Lei\n" || !strings.Contains(errOut, "{order_no}") {
		t.Fatalf("preview = %d %q %q", code, out, errOut)
	}
	code, out, _ = cmd("preview", id[1], "--lang", "zh", "--ext", "order_no=A-7")
	if code != 0 || out != "订单 A-7 已退款\n" {
		t.Fatalf("preview zh = %d %q", code, out)
	}
	if code, out, errOut := cmd("remove", id[1]); code != 0 || !strings.Contains(out, "removed /refund") {
		t.Fatalf("remove = %d %q %q", code, out, errOut)
	}
	if _, out, _ := cmd("list"); strings.Count(out, "\n") != 1 {
		t.Fatalf("list after remove = %q", out)
	}
}
