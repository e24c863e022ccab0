package sqlite

import (
	"context"
	"database/sql"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"switchboard/backend/audit"
	"switchboard/backend/store"
)

// TestAuditLegacyChained checks that entries stored before the log was
// chained get their hashes once, on the Open that migrates, and that the
// chain goes on from them.
func TestAuditLegacyChained(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "old.db")
	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	// The schema as of the version before the chain, with entries in its
	// unchained log.
	if _, err := db.ExecContext(ctx, `CREATE TABLE schema_version (version INTEGER NOT NULL)`); err != nil {
		t.Fatal(err)
	}
	chained := slices.IndexFunc(migrations, func(m string) bool { return strings.Contains(m, "audit_chain_legacy") })
	if chained < 0 {
		t.Fatal("no migration chains the audit log")
	}
	for v, m := range migrations[:chained] {
		if _, err := db.ExecContext(ctx, m); err != nil {
			t.Fatalf("migration %d: %v", v+1, err)
		}
		if _, err := db.ExecContext(ctx, `INSERT INTO schema_version (version) VALUES (?)`, v+1); err != nil {
			t.Fatal(err)
		}
	}
	for i, action := range []string{"login", "read", "agent.add"} {
		if _, err := db.ExecContext(ctx, `INSERT INTO audit (ts, actor, action) VALUES (?, 'a', ?)`, 1000+i, action); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()

	s, err := Open(ctx, path, Options{})
	if err != nil {
		t.Fatalf("Open migrating: %v", err)
	}
	defer s.Close()
	if err := s.AddAudit(ctx, store.AuditEntry{Actor: "b", Action: "read", ConversationID: "c"}); err != nil {
		t.Fatal(err)
	}
	got, err := s.AuditLog(ctx, store.AuditQuery{})
	if err != nil || len(got) != 4 {
		t.Fatalf("AuditLog = %+v, %v, want 4 entries", got, err)
	}
	var v audit.Verifier
	for _, e := range got {
		if err := v.Add(auditEntry(e), e.Hash); err != nil {
			t.Errorf("entry %d: %v", e.ID, err)
		}
	}
	var pending int
	s.r.QueryRowContext(ctx, `SELECT COUNT(*) FROM settings WHERE k = 'audit_chain_legacy'`).Scan(&pending)
	if pending != 0 {
		t.Error("the legacy chaining is still pending after Open")
	}
}

// TestAuditAppendAfterRollback checks that an audit entry undone with its
// transaction leaves no hole the next entry chains over.
func TestAuditAppendAfterRollback(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	if err := s.AddAudit(ctx, store.AuditEntry{Actor: "a", Action: "one"}); err != nil {
		t.Fatal(err)
	}
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.audit(ctx, tx, store.AuditEntry{Actor: "a", Action: "undone"}); err != nil {
		t.Fatal(err)
	}
	tx.Rollback()
	if err := s.AddAudit(ctx, store.AuditEntry{Actor: "a", Action: "two"}); err != nil {
		t.Fatal(err)
	}
	got, _ := s.AuditLog(ctx, store.AuditQuery{})
	var v audit.Verifier
	for _, e := range got {
		if err := v.Add(auditEntry(e), e.Hash); err != nil {
			t.Errorf("entry %d: %v", e.ID, err)
		}
	}
	if len(got) != 2 || got[1].Action != "two" || got[1].ID != 2 {
		t.Errorf("AuditLog = %+v, want one and two as entries 1 and 2", got)
	}
}
