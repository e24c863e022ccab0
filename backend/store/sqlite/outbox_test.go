package sqlite

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"

	"github.com/google/uuid"

	"switchboard/backend/store"
	"switchboard/protocol"
)

// outboxRows counts the outbox's entries.
func outboxRows(t *testing.T, s *Store) int {
	t.Helper()
	var n int
	if err := s.r.QueryRowContext(context.Background(), `SELECT count(*) FROM outbox`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// withEndpoint adds a webhook endpoint, so that stored messages get outbox
// entries.
func withEndpoint(t *testing.T, s *Store) {
	t.Helper()
	if _, err := s.PutWebhookEndpoint(context.Background(), store.WebhookEndpoint{ID: "hook", URL: "http://127.0.0.1:9/", Secret: "k", Enabled: true}); err != nil {
		t.Fatal(err)
	}
}

func appendText(t *testing.T, s *Store, conv string) {
	t.Helper()
	if _, err := s.AppendMessage(context.Background(), store.NewMessage{ConversationID: conv, ClientMsgID: uuid.NewString(),
		SenderRole: protocol.RoleCustomer, Kind: protocol.KindText, Visibility: protocol.VisibilityPublic, Text: "hi"}); err != nil {
		t.Fatal(err)
	}
}

// TestOutboxOnlyWithEndpoints: a message stored while no webhook endpoint
// exists gets no outbox entry; from an endpoint's creation on every one
// does, in the group commit and outside it (a conversation's opening
// event); after the last endpoint's deletion none does again; and an
// endpoint written by another connection to the file is seen too.
func TestOutboxOnlyWithEndpoints(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "hooks.db")
	s, err := Open(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer func() { s.Close() }()
	c := openConversation(t, s, uuid.NewString())
	appendText(t, s, c.ID)
	if n := outboxRows(t, s); n != 0 {
		t.Fatalf("%d outbox entries without an endpoint, want 0", n)
	}

	for _, id := range []string{"a", "b"} {
		if _, err := s.PutWebhookEndpoint(ctx, store.WebhookEndpoint{ID: id, URL: "http://127.0.0.1:9/", Secret: "k", Enabled: true}); err != nil {
			t.Fatal(err)
		}
	}
	appendText(t, s, c.ID)
	openConversation(t, s, uuid.NewString()) // its opening event, outside the group commit
	if n := outboxRows(t, s); n != 2 {
		t.Fatalf("%d outbox entries with endpoints, want 2", n)
	}
	if err := s.DeleteWebhookEndpoint(ctx, "a"); err != nil {
		t.Fatal(err)
	}
	appendText(t, s, c.ID)
	if n := outboxRows(t, s); n != 3 {
		t.Fatalf("%d outbox entries with one endpoint left, want 3", n)
	}
	if err := s.DeleteWebhookEndpoint(ctx, "b"); err != nil {
		t.Fatal(err)
	}
	appendText(t, s, c.ID)
	if n := outboxRows(t, s); n != 3 {
		t.Fatalf("%d outbox entries after the last endpoint went, want still 3", n)
	}

	// Another process adds an endpoint to the file.
	other, err := sql.Open("sqlite", "file:"+escapePath(path)+"?_pragma=busy_timeout(5000)")
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	if _, err := other.ExecContext(ctx, `INSERT INTO webhook_endpoints (id, url, secret, created_at, updated_at)
		VALUES ('c', 'http://127.0.0.1:9/', 'k', 1, 1)`); err != nil {
		t.Fatal(err)
	}
	appendText(t, s, c.ID)
	if n := outboxRows(t, s); n != 4 {
		t.Fatalf("%d outbox entries after another process added an endpoint, want 4", n)
	}
}
