package webhooks_test

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"switchboard/backend/store"
	_ "switchboard/backend/store/sqlite"
	"switchboard/backend/webhooks"
)

func ptr[T any](v T) *T { return &v }

func TestAdmin(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(ctx, "sqlite:"+filepath.Join(t.TempDir(), "s.db"), store.OpenOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	now := time.Unix(1_800_000_000, 0)
	a := webhooks.Admin{Store: st, Now: func() time.Time { return now }}

	bad := []struct {
		name string
		id   string
		spec webhooks.EndpointSpec
	}{
		{"no url", "crm", webhooks.EndpointSpec{}},
		{"ftp url", "crm", webhooks.EndpointSpec{URL: ptr("ftp://crm.example/")}},
		{"credentials in url", "crm", webhooks.EndpointSpec{URL: ptr("https://u:p@crm.example/")}},
		{"relative url", "crm", webhooks.EndpointSpec{URL: ptr("/hook")}},
		{"bad id", "CRM hook", webhooks.EndpointSpec{URL: ptr("https://crm.example/")}},
		{"unknown event", "crm", webhooks.EndpointSpec{URL: ptr("https://crm.example/"), Events: ptr([]string{"conversation.exploded"})}},
	}
	for _, c := range bad {
		if _, err := a.Add(ctx, c.id, c.spec); !errors.Is(err, webhooks.ErrInvalid) {
			t.Errorf("%s: err %v, want ErrInvalid", c.name, err)
		}
	}
	if eps, _ := a.List(ctx); len(eps) != 0 {
		t.Fatalf("refused adds stored %+v", eps)
	}

	e, err := a.Add(ctx, "crm", webhooks.EndpointSpec{URL: ptr("https://crm.example/hook"),
		Events: ptr([]string{webhooks.MessageCreated, webhooks.ConversationResolved, webhooks.MessageCreated})})
	if err != nil {
		t.Fatal(err)
	}
	if !e.Enabled || e.Private || len(e.Events) != 2 || !strings.HasPrefix(e.Secret, "whsec_") || len(e.Secret) != 6+64 {
		t.Fatalf("added %+v", e)
	}
	if _, err := a.Add(ctx, "crm", webhooks.EndpointSpec{URL: ptr("https://other.example/")}); !errors.Is(err, store.ErrConflict) {
		t.Fatalf("second add: %v", err)
	}
	u, err := a.Update(ctx, "crm", webhooks.EndpointSpec{Enabled: ptr(false), Events: ptr([]string{"*"}), Private: ptr(true)})
	if err != nil || u.Enabled || u.Events != nil || !u.Private || u.URL != "https://crm.example/hook" || u.Secret != e.Secret {
		t.Fatalf("update: %+v %v", u, err)
	}
	if _, err := a.Update(ctx, "nope", webhooks.EndpointSpec{}); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("update of a missing endpoint: %v", err)
	}

	r, err := a.Rotate(ctx, "crm", time.Hour)
	if err != nil || r.Secret == e.Secret || r.OldSecret != e.Secret || r.OldSecretUntil != now.Add(time.Hour).UnixMilli() {
		t.Fatalf("rotate: %+v %v", r, err)
	}
	r2, _ := a.Rotate(ctx, "crm", 0)
	if r2.OldSecret != r.Secret || r2.OldSecretUntil != now.Add(webhooks.DefaultOverlap).UnixMilli() {
		t.Fatalf("second rotation: %+v", r2)
	}

	if _, err := a.DeadLetters(ctx, "nope", 10); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("dead letters of a missing endpoint: %v", err)
	}
	if n, err := a.Replay(ctx, "crm", nil); err != nil || n != 0 {
		t.Fatalf("replay with nothing dead = %d, %v", n, err)
	}
	if err := a.Remove(ctx, "crm"); err != nil {
		t.Fatal(err)
	}
	if err := a.Remove(ctx, "crm"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("second remove: %v", err)
	}
}
