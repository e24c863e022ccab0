package kbedit_test

import (
	"context"
	"errors"
	"path/filepath"
	"testing"

	"switchboard/backend/kb"
	"switchboard/backend/kbedit"
	"switchboard/backend/store"
	_ "switchboard/backend/store/sqlite" // the tests' store engine
	"switchboard/protocol"
)

func openStore(t *testing.T) store.Store {
	t.Helper()
	st, err := store.Open(context.Background(), "sqlite:"+filepath.Join(t.TempDir(), "s.db"), store.OpenOptions{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func TestEdits(t *testing.T) {
	ctx := context.Background()
	st := openStore(t)
	demo := kb.Demo()
	ed := kbedit.New(st, func() *kb.KB { return demo })
	k, v, err := ed.Current(ctx)
	if err != nil || v != 0 || len(k.Entries) != len(demo.Entries) {
		t.Fatalf("Current before any version = %d entries, v%d, %v; want the live one, v0", len(k.Entries), v, err)
	}
	entry := demo.Entries[0]
	miss, _, err := st.AddMiss(ctx, store.Miss{ConversationID: "c1", Seq: 2, Text: "寄到新疆要几天", Locale: "zh", Reason: protocol.MissUnsure})
	if err != nil {
		t.Fatal(err)
	}

	// Adding a question publishes version 1 and closes the miss with it.
	res, err := ed.Apply(ctx, kbedit.Edit{Op: protocol.KBOpAddQuestion, BaseVersion: 0, EntryID: entry.ID, Locale: "zh",
		Question: " 寄到新疆要几天 ", MissIDs: []string{miss.ID}, Author: "Sam", Actor: "sup-1"})
	if err != nil || res.Version != 1 || res.Published == nil || res.Published.Summary != "add question to "+entry.ID {
		t.Fatalf("add_question = %+v, %v", res, err)
	}
	got, _ := res.KB.Entry(entry.ID)
	if q := got.Questions.ZH; q[len(q)-1] != "寄到新疆要几天" {
		t.Fatalf("entry's questions = %q, want the new one, trimmed, last", q)
	}
	if m, _ := st.Miss(ctx, miss.ID); m.Status != store.MissClosed || m.ClosedBy != 1 {
		t.Fatalf("miss after the edit = %+v", m)
	}
	if log, _ := st.AuditLog(ctx, store.AuditQuery{Action: kbedit.AuditAction}); len(log) != 1 || log[0].Actor != "sup-1" {
		t.Fatalf("audit log = %+v, want one kb_edit by sup-1", log)
	}

	errCases := []struct {
		name string
		edit kbedit.Edit
		want error
	}{
		{"stale base", kbedit.Edit{Op: protocol.KBOpAddQuestion, BaseVersion: 0, EntryID: entry.ID, Locale: "zh", Question: "别的问题"}, kbedit.ErrConflict},
		{"duplicate question", kbedit.Edit{Op: protocol.KBOpAddQuestion, BaseVersion: 1, EntryID: demo.Entries[1].ID, Locale: "zh", Question: "寄到新疆要几天"}, kbedit.ErrInvalid},
		{"duplicate question other case", kbedit.Edit{Op: protocol.KBOpAddQuestion, BaseVersion: 1, EntryID: entry.ID, Locale: "en",
			Question: "  " + upper(entry.Questions.EN[0])}, kbedit.ErrInvalid},
		{"unknown entry", kbedit.Edit{Op: protocol.KBOpAddQuestion, BaseVersion: 1, EntryID: "nope", Locale: "zh", Question: "新问题"}, kbedit.ErrNotFound},
		{"bad locale", kbedit.Edit{Op: protocol.KBOpAddQuestion, BaseVersion: 1, EntryID: entry.ID, Locale: "fr", Question: "bonjour"}, kbedit.ErrInvalid},
		{"blank question", kbedit.Edit{Op: protocol.KBOpAddQuestion, BaseVersion: 1, EntryID: entry.ID, Locale: "zh", Question: "  "}, kbedit.ErrInvalid},
		{"create without English answer", kbedit.Edit{Op: protocol.KBOpCreateEntry, BaseVersion: 1, Entry: &kb.Entry{ID: "engraving",
			Questions: kb.Questions{ZH: []string{"可以刻字吗"}}, Answer: kb.Text{ZH: "可以。"}}}, kbedit.ErrInvalid},
		{"create existing id", kbedit.Edit{Op: protocol.KBOpCreateEntry, BaseVersion: 1, Entry: &kb.Entry{ID: entry.ID,
			Questions: kb.Questions{ZH: []string{"全新的问题"}}, Answer: kb.Text{ZH: "是", EN: "yes"}}}, kbedit.ErrInvalid},
		{"create with another entry's question", kbedit.Edit{Op: protocol.KBOpCreateEntry, BaseVersion: 1, Entry: &kb.Entry{ID: "x",
			Questions: kb.Questions{ZH: []string{"寄到新疆要几天"}}, Answer: kb.Text{ZH: "是", EN: "yes"}}}, kbedit.ErrInvalid},
		{"update unknown", kbedit.Edit{Op: protocol.KBOpUpdateEntry, BaseVersion: 1, Entry: &kb.Entry{ID: "nope",
			Questions: kb.Questions{EN: []string{"q?"}}, Answer: kb.Text{ZH: "是", EN: "yes"}}}, kbedit.ErrNotFound},
		{"delete unknown", kbedit.Edit{Op: protocol.KBOpDeleteEntry, BaseVersion: 1, EntryID: "nope"}, kbedit.ErrNotFound},
		{"rollback unknown version", kbedit.Edit{Op: protocol.KBOpRollback, BaseVersion: 1, Version: 7}, kbedit.ErrNotFound},
		{"unknown op", kbedit.Edit{Op: "rename", BaseVersion: 1}, kbedit.ErrInvalid},
		{"dismiss nothing", kbedit.Edit{Op: protocol.KBOpDismiss}, kbedit.ErrInvalid},
	}
	for _, tt := range errCases {
		if _, err := ed.Apply(ctx, tt.edit); !errors.Is(err, tt.want) {
			t.Errorf("%s: Apply err = %v, want %v", tt.name, err, tt.want)
		}
	}
	if vs, _ := ed.History(ctx, 0); len(vs) != 1 {
		t.Fatalf("refused edits made versions: %+v", vs)
	}

	res, err = ed.Apply(ctx, kbedit.Edit{Op: protocol.KBOpCreateEntry, BaseVersion: 1, Author: "Sam", Entry: &kb.Entry{ID: "engraving", Team: "presales",
		Questions: kb.Questions{ZH: []string{"可以刻字吗"}, EN: []string{"Can you engrave it?"}}, Answer: kb.Text{ZH: "可以，下单时填写刻字内容。", EN: "Yes: add the engraving at checkout."}}})
	if err != nil || res.Version != 2 {
		t.Fatalf("create_entry = %+v, %v", res, err)
	}
	res, err = ed.Apply(ctx, kbedit.Edit{Op: protocol.KBOpDeleteEntry, BaseVersion: 2, EntryID: entry.ID})
	if _, still := res.KB.Entry(entry.ID); err != nil || still || res.Version != 3 {
		t.Fatalf("delete_entry = v%d, still there %v, %v", res.Version, still, err)
	}
	res, err = ed.Apply(ctx, kbedit.Edit{Op: protocol.KBOpRollback, BaseVersion: 3, Version: 1, Author: "Sam"})
	if err != nil || res.Version != 4 || res.Published.Summary != "rollback to v1" {
		t.Fatalf("rollback = %+v, %v", res, err)
	}
	if _, back := res.KB.Entry(entry.ID); !back {
		t.Fatal("rollback to v1 did not bring the deleted entry back")
	}
	if _, gone := res.KB.Entry("engraving"); gone {
		t.Fatal("rollback to v1 kept an entry made after it")
	}
	// What every node follows is the rolled-back content.
	if k, err := kb.NewShared(st).Load(ctx); err != nil || len(k.Entries) != len(demo.Entries) {
		t.Fatalf("published after the rollback: %v", err)
	}

	// A dismissal closes misses without a version, whatever the base.
	m2, _, _ := st.AddMiss(ctx, store.Miss{ConversationID: "c2", Seq: 4, Text: "hello?", Locale: "en", Reason: protocol.MissUnsure})
	res, err = ed.Apply(ctx, kbedit.Edit{Op: protocol.KBOpDismiss, BaseVersion: 0, MissIDs: []string{m2.ID}})
	if err != nil || res.Closed != 1 || res.Version != 4 || res.Published != nil {
		t.Fatalf("dismiss = %+v, %v", res, err)
	}
	if m, _ := st.Miss(ctx, m2.ID); m.Status != store.MissClosed || m.ClosedBy != 0 {
		t.Fatalf("dismissed miss = %+v", m)
	}
}

func upper(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'a' && c <= 'z' {
			b[i] = c - 32
		}
	}
	return string(b)
}
