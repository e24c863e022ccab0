package main

import (
	"context"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"switchboard/backend/store"
	"switchboard/backend/store/sqlite"
)

// TestWebhookCommand manages an endpoint from the command line: the
// secret is printed once, the database holds what was said, bad input is
// refused with its reason and changes nothing.
func TestWebhookCommand(t *testing.T) {
	clearEnv(t)
	ctx := context.Background()
	data := t.TempDir()
	hook := func(args ...string) (int, string, string) {
		t.Helper()
		var out, errOut strings.Builder
		code := run(ctx, append([]string{"webhook"}, append(args, "--data", data)...), &out, &errOut)
		return code, out.String(), errOut.String()
	}
	code, out, errOut := hook("add", "crm", "--url", "https://crm.example/hook", "--events", "message.created, conversation.resolved")
	secret := regexp.MustCompile(`whsec_[0-9a-f]{64}`).FindString(out)
	if code != 0 || secret == "" {
		t.Fatalf("add = %d %q %q", code, out, errOut)
	}
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"add", "crm", "--url", "https://crm.example/other"}, "exists"},
		{[]string{"add", "bi", "--url", "ftp://bi.example/"}, "want http(s)"},
		{[]string{"add", "bi", "--url", "https://bi.example/", "--events", "conversation.exploded"}, "unknown event type"},
		{[]string{"add", "bi"}, "url is required"},
		{[]string{"set", "nope", "--enabled=false"}, "not found"},
		{[]string{"rotate", "crm", "--url", "https://x.example/"}, "--url is not for webhook rotate"},
		{[]string{"replay", "crm", "seven"}, "not a delivery id"},
	} {
		code, _, errOut := hook(tt.args...)
		if code == 0 || !strings.Contains(errOut, tt.want) {
			t.Errorf("%v = %d %q, want an error saying %q", tt.args, code, errOut, tt.want)
		}
	}
	if code, out, errOut := hook("set", "crm", "--enabled=false", "--private"); code != 0 || !strings.Contains(out, "enabled false") {
		t.Fatalf("set = %d %q %q", code, out, errOut)
	}
	code, out, _ = hook("rotate", "crm", "--overlap", "2h")
	next := regexp.MustCompile(`whsec_[0-9a-f]{64}`).FindString(out)
	if code != 0 || next == "" || next == secret {
		t.Fatalf("rotate = %d %q", code, out)
	}
	if code, out, _ := hook("list"); code != 0 || !strings.Contains(out, "crm") || !strings.Contains(out, "conversation.resolved,message.created") || strings.Contains(out, "whsec_") {
		t.Fatalf("list = %d %q (the secret must not be listed)", code, out)
	}
	if code, out, _ := hook("dead", "crm"); code != 0 || !strings.Contains(out, "DELIVERY") {
		t.Fatalf("dead = %d %q", code, out)
	}

	st, err := sqlite.Open(ctx, filepath.Join(data, dbName), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	eps, err := st.WebhookEndpoints(ctx)
	log, _ := st.AuditLog(ctx, store.AuditQuery{Action: "webhook.rotate"})
	st.Close()
	if len(log) != 1 || !strings.Contains(log[0].Detail, "webhook=crm") {
		t.Errorf("audit log of the rotation: %+v", log)
	}
	if err != nil || len(eps) != 1 {
		t.Fatalf("endpoints %+v %v", eps, err)
	}
	want := store.WebhookEndpoint{ID: "crm", URL: "https://crm.example/hook", Events: []string{"conversation.resolved", "message.created"},
		Private: true, Enabled: false, Secret: next, OldSecret: secret}
	got := eps[0]
	if got.ID != want.ID || got.URL != want.URL || strings.Join(got.Events, ",") != strings.Join(want.Events, ",") ||
		got.Private != want.Private || got.Enabled != want.Enabled || got.Secret != want.Secret || got.OldSecret != want.OldSecret {
		t.Fatalf("stored %+v, want %+v", got, want)
	}
	if code, _, _ := hook("remove", "crm"); code != 0 {
		t.Fatal("remove failed")
	}
	if code, _, errOut := hook("remove", "crm"); code == 0 || !strings.Contains(errOut, "not found") {
		t.Fatalf("second remove: %q", errOut)
	}
}
