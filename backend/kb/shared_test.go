package kb_test

import (
	"context"
	"encoding/json"
	"errors"
	"path/filepath"
	"testing"

	"switchboard/backend/kb"
	"switchboard/backend/store"
	_ "switchboard/backend/store/sqlite" // the tests' store engine
)

func kbJSON(t *testing.T, answer string) []byte {
	t.Helper()
	b, err := json.Marshal(kb.KB{Version: 1, Entries: []kb.Entry{
		{ID: "ship", Team: "presales", Questions: kb.Questions{ZH: []string{"多久能发货？"}}, Answer: kb.Text{ZH: answer}},
	}})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestSharedFollowsPublished(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(ctx, "sqlite:"+filepath.Join(t.TempDir(), "s.db"), store.OpenOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	a, b := kb.NewShared(st), kb.NewShared(st) // two nodes
	if k, err := a.Load(ctx); k != nil || err != nil {
		t.Fatalf("nothing published: %v, %v", k, err)
	}
	if _, err := kb.Publish(ctx, st, kbJSON(t, "first")); err != nil {
		t.Fatal(err)
	}
	for _, n := range []*kb.Shared{a, b} {
		if k, err := n.Load(ctx); err != nil || k == nil || k.Entries[0].Answer.ZH != "first" {
			t.Fatalf("after publishing: %+v, %v", k, err)
		}
		if k, err := n.Load(ctx); k != nil || err != nil {
			t.Errorf("unchanged: loaded again (%v)", err)
		}
	}
	if _, err := kb.Publish(ctx, st, []byte(`{"version":1,"entries":[]}`)); err == nil {
		t.Error("an invalid knowledge base was published")
	}
	if k, _ := a.Load(ctx); k != nil {
		t.Error("a refused publish changed what nodes load")
	}
	// One broken behind Publish's back fails once, then counts as seen.
	st.PutSetting(ctx, kb.SettingKey, "{")
	st.PutSetting(ctx, kb.SumKey, "whatever")
	if _, err := a.Load(ctx); err == nil {
		t.Error("a broken published knowledge base loaded")
	}
	if k, err := a.Load(ctx); k != nil || err != nil {
		t.Errorf("the broken one was tried again: %v", err)
	}
	if _, err := kb.Publish(ctx, st, kbJSON(t, "second")); err != nil {
		t.Fatal(err)
	}
	if k, err := a.Load(ctx); err != nil || k == nil || k.Entries[0].Answer.ZH != "second" {
		t.Errorf("after a new publish: %+v, %v", k, err)
	}
}

func TestPublishVersions(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(ctx, "sqlite:"+filepath.Join(t.TempDir(), "s.db"), store.OpenOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	// Published by a release without versions: the first version is made
	// from it, once.
	old := kbJSON(t, "before versions")
	st.PutSetting(ctx, kb.SettingKey, string(old))
	st.PutSetting(ctx, kb.SumKey, kb.Sum(old))
	for i, want := range []bool{true, false} {
		if made, err := kb.EnsureVersion(ctx, st); made != want || err != nil {
			t.Fatalf("EnsureVersion #%d = %v, %v; want %v", i+1, made, err, want)
		}
	}
	v1, err := st.KBVersion(ctx, 1)
	if err != nil || v1.Data != string(old) || v1.Sum != kb.Sum(old) || v1.Entries != 1 {
		t.Fatalf("version 1 = %+v, %v", v1, err)
	}

	node := kb.NewShared(st)
	node.Load(ctx)
	stale := int64(0)
	if _, _, err := kb.PublishVersion(ctx, st, kbJSON(t, "stale"), kb.Change{Author: "alice", Base: &stale}); !errors.Is(err, store.ErrConflict) {
		t.Fatalf("publish on a stale base: %v, want ErrConflict", err)
	}
	base := int64(1)
	k, v, err := kb.PublishVersion(ctx, st, kbJSON(t, "edited"), kb.Change{Author: "alice", Summary: "edit", Base: &base})
	if err != nil || v.Version != 2 || k.Entries[0].Answer.ZH != "edited" {
		t.Fatalf("publish on the current base = %v, %+v, %v", k, v, err)
	}
	if k, err := node.Load(ctx); err != nil || k == nil || k.Entries[0].Answer.ZH != "edited" {
		t.Fatalf("a node after the edit loads %+v, %v", k, err)
	}
	if _, err := kb.Publish(ctx, st, kbJSON(t, "imported")); err != nil {
		t.Fatal(err)
	}
	if vs, _ := st.KBVersions(ctx, 0); len(vs) != 3 || vs[0].Author != "cli" {
		t.Fatalf("versions after an import: %+v", vs)
	}
}
