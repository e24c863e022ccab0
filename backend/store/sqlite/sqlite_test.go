package sqlite

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/google/uuid"

	"switchboard/backend/store"
	"switchboard/backend/store/storetest"
	"switchboard/protocol"
)

func openTemp(t *testing.T) *Store {
	t.Helper()
	path := filepath.Join(t.TempDir(), "test.db")
	if err := copyTemplate(path); err != nil {
		t.Fatal(err)
	}
	s, err := Open(context.Background(), path, Options{})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// template is a new database, made once per test process and copied for
// each openTemp: migrating one from nothing takes a third of a second
// under the race detector, and the conformance suite opens a hundred.
var template struct {
	once sync.Once
	b    []byte
	err  error
}

func copyTemplate(path string) error {
	template.once.Do(func() {
		dir, err := os.MkdirTemp("", "sqlite-template-")
		if err != nil {
			template.err = err
			return
		}
		defer os.RemoveAll(dir)
		src := filepath.Join(dir, "template.db")
		s, err := Open(context.Background(), src, Options{})
		if err != nil {
			template.err = err
			return
		}
		if err := s.Close(); err != nil { // checkpoints the WAL into the file
			template.err = err
			return
		}
		template.b, template.err = os.ReadFile(src)
	})
	if template.err != nil {
		return fmt.Errorf("template database: %w", template.err)
	}
	return os.WriteFile(path, template.b, 0o600)
}

// openConversation creates customer id and opens a web conversation for
// them, as the widget's first message does.
func openConversation(t *testing.T, s *Store, id string) store.Conversation {
	t.Helper()
	ctx := context.Background()
	if _, err := s.UpsertCustomer(ctx, store.Customer{ID: id}); err != nil {
		t.Fatal(err)
	}
	c, _, err := s.CreateConversation(ctx, store.NewConversation{CustomerID: id, Channel: "web",
		Opened: store.NewMessage{ClientMsgID: uuid.NewString(), SenderRole: protocol.RoleSystem, Kind: protocol.KindEvent,
			Visibility: protocol.VisibilityPublic, Event: &store.Event{Type: protocol.EventOpened}}})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store { return openTemp(t) })
}

func TestPragmas(t *testing.T) {
	s := openTemp(t)
	ctx := context.Background()
	checks := []struct {
		pragma string
		want   string
	}{
		{"journal_mode", "wal"},
		{"synchronous", "2"}, // FULL
		{"foreign_keys", "1"},
		{"temp_store", "2"},             // MEMORY: a savepoint's journal is not a file
		{"wal_autocheckpoint", "50000"}, // a backstop: checkpoint.go
	}
	for _, c := range checks {
		var got string
		if err := s.w.QueryRowContext(ctx, "PRAGMA "+c.pragma).Scan(&got); err != nil {
			t.Fatalf("PRAGMA %s: %v", c.pragma, err)
		}
		if got != c.want {
			t.Errorf("PRAGMA %s = %q, want %q", c.pragma, got, c.want)
		}
	}
	var fk string
	if err := s.r.QueryRowContext(ctx, "PRAGMA foreign_keys").Scan(&fk); err != nil || fk != "1" {
		t.Errorf("reader foreign_keys = %q, %v", fk, err)
	}
}

func TestReopenKeepsDataAndSchema(t *testing.T) {
	path := filepath.Join(t.TempDir(), "re.db")
	ctx := context.Background()
	s, err := Open(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.EnsureSetting(ctx, "k", "v1"); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s, err = Open(ctx, path, Options{})
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	defer s.Close()
	var version int
	if err := s.r.QueryRowContext(ctx, `SELECT MAX(version) FROM schema_version`).Scan(&version); err != nil || version != len(migrations) {
		t.Errorf("schema version = %d, %v, want %d", version, err, len(migrations))
	}
	if got, _ := s.EnsureSetting(ctx, "k", "v2"); got != "v1" {
		t.Errorf("setting after reopen = %q, want v1", got)
	}
}

func TestEscapePath(t *testing.T) {
	tests := []struct{ in, want string }{
		{"/a/b.db", "/a/b.db"},
		{"/a?b#c%d.db", "/a%3fb%23c%25d.db"},
	}
	for _, tt := range tests {
		if got := escapePath(tt.in); got != tt.want {
			t.Errorf("escapePath(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestOpenOddPath(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data dir #1?")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "x%y.db")
	s, err := Open(context.Background(), path, Options{})
	if err != nil {
		t.Fatalf("Open(%q): %v", path, err)
	}
	s.Close()
	if _, err := os.Stat(path); err != nil {
		t.Errorf("database not created at %q: %v", path, err)
	}
}

// TestBackupAndRestoreEpochs backs up a live store, keeps writing, then
// opens the backup as a restore would: the later message is absent and
// bumping the epochs moves every conversation to a new epoch.
func TestBackupAndRestoreEpochs(t *testing.T) {
	ctx := t.Context()
	dir := t.TempDir()
	s, err := Open(ctx, filepath.Join(dir, "switchboard.db"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	cust, err := s.UpsertCustomer(ctx, store.Customer{ID: "cust-1"})
	if err != nil {
		t.Fatal(err)
	}
	conv, _, err := s.CreateConversation(ctx, store.NewConversation{CustomerID: cust.ID, Channel: "web",
		Opened: store.NewMessage{ClientMsgID: uuid.NewString(), SenderRole: protocol.RoleSystem, Kind: protocol.KindEvent,
			Visibility: protocol.VisibilityPublic, Event: &store.Event{Type: protocol.EventOpened}}})
	if err != nil {
		t.Fatal(err)
	}
	send := func(text string) {
		t.Helper()
		if _, err := s.AppendMessage(ctx, store.NewMessage{ConversationID: conv.ID, ClientMsgID: uuid.NewString(),
			SenderRole: protocol.RoleCustomer, SenderID: cust.ID, Kind: protocol.KindText,
			Visibility: protocol.VisibilityPublic, Text: text}); err != nil {
			t.Fatal(err)
		}
	}
	send("before the backup")
	backup := filepath.Join(dir, "backup.db")
	if err := s.Backup(ctx, backup); err != nil {
		t.Fatalf("Backup: %v", err)
	}
	if err := s.Backup(ctx, backup); err == nil {
		t.Fatal("Backup over an existing file succeeded")
	}
	if fi, err := os.Stat(backup); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("backup file mode = %v, %v; want 0600", fi.Mode().Perm(), err)
	}
	send("after the backup")

	r, err := Open(ctx, backup, Options{})
	if err != nil {
		t.Fatalf("open the backup: %v", err)
	}
	defer r.Close()
	restored, err := r.Conversation(ctx, conv.ID)
	if err != nil || restored.LastSeq != 2 {
		t.Fatalf("restored conversation = %+v, %v; want last_seq 2", restored, err)
	}
	n, err := r.BumpEpochs(ctx)
	if err != nil || n != 1 {
		t.Fatalf("BumpEpochs = %d, %v", n, err)
	}
	if after, _ := r.Conversation(ctx, conv.ID); after.Epoch != restored.Epoch+1 {
		t.Fatalf("epoch after bump = %d, want %d", after.Epoch, restored.Epoch+1)
	}
}
