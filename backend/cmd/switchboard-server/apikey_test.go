package main

import (
	"context"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"switchboard/backend/apikeys"
	"switchboard/backend/store"
)

// TestAPIKeyCommand makes, lists and revokes a key from the command line:
// the key is printed once and only its hash is stored, bad input is
// refused with its reason, and every change is in the audit log.
func TestAPIKeyCommand(t *testing.T) {
	clearEnv(t)
	ctx := context.Background()
	data := t.TempDir()
	cmd := func(args ...string) (int, string, string) {
		t.Helper()
		var out, errOut strings.Builder
		code := run(ctx, append([]string{"apikey"}, append(args, "--data", data)...), &out, &errOut)
		return code, out.String(), errOut.String()
	}
	code, out, errOut := cmd("create", "CRM 客户", "--scopes", "customers:write,conversations:read")
	m := regexp.MustCompile(`sbk_([0-9a-f]{16})_[A-Za-z0-9_-]{43}`).FindStringSubmatch(out)
	if code != 0 || m == nil {
		t.Fatalf("create = %d %q %q", code, out, errOut)
	}
	key, id := m[0], m[1]
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"create", "x", "--scopes", "root"}, "unknown scope"},
		{[]string{"create", "x"}, "at least one scope"},
		{[]string{"revoke", "nope"}, "no key"},
		{[]string{"list", "--scopes", "admin"}, "--scopes is for apikey create"},
		{[]string{"rename", "x"}, "unknown apikey command"},
	} {
		code, _, errOut := cmd(tt.args...)
		if code == 0 || !strings.Contains(errOut, tt.want) {
			t.Errorf("%v = %d %q, want an error saying %q", tt.args, code, errOut, tt.want)
		}
	}
	if code, out, _ := cmd("list"); code != 0 || !strings.Contains(out, id) || !strings.Contains(out, "CRM 客户") ||
		!strings.Contains(out, "customers:write,conversations:read") || !strings.Contains(out, "active") || strings.Contains(out, "sbk_") {
		t.Fatalf("list = %d %q (the key must not be listed)", code, out)
	}
	st, err := store.Open(ctx, "sqlite:"+filepath.Join(data, "switchboard.db"), store.OpenOptions{})
	if err != nil {
		t.Fatal(err)
	}
	keys := apikeys.New(apikeys.Config{Store: st})
	if _, err := keys.Verify(ctx, key); err != nil {
		t.Errorf("the printed key does not verify: %v", err)
	}
	st.Close()

	if code, out, errOut := cmd("revoke", id); code != 0 || !strings.Contains(out, "revoked: "+id) {
		t.Fatalf("revoke = %d %q %q", code, out, errOut)
	}
	if code, out, _ := cmd("list"); code != 0 || !strings.Contains(out, "revoked ") {
		t.Errorf("list after revoke = %d %q", code, out)
	}
	var audit strings.Builder
	run(ctx, []string{"audit", "--data", data}, &audit, &audit)
	if !strings.Contains(audit.String(), "apikey.create") || !strings.Contains(audit.String(), "apikey.revoke") {
		t.Errorf("audit log = %q, want apikey.create and apikey.revoke", audit.String())
	}
}
