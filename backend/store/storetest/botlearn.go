package storetest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	"switchboard/backend/store"
	"switchboard/protocol"
)

func testBotMisses(t *testing.T, s store.Store) {
	ctx := context.Background()
	add := func(conv string, seq int64, text, reason string, at int64) (store.Miss, bool) {
		t.Helper()
		m, added, err := s.AddMiss(ctx, store.Miss{ConversationID: conv, Seq: seq, Text: text, Locale: "zh", Reason: reason, CreatedAt: at})
		if err != nil {
			t.Fatalf("AddMiss(%s, %d, %s): %v", conv, seq, reason, err)
		}
		return m, added
	}
	a, added := add("c1", 3, "运费多少钱", protocol.MissUnsure, 1000)
	if !added || a.ID == "" || a.Status != store.MissOpen || a.Text != "运费多少钱" || a.CreatedAt != 1000 {
		t.Fatalf("first AddMiss = %+v, added %v", a, added)
	}
	again, added := add("c1", 3, "运费多少钱?", protocol.MissUnsure, 2000)
	if added || again.ID != a.ID || again.Text != "运费多少钱" {
		t.Fatalf("the same message and reason again = %+v, added %v; want the first, not added", again, added)
	}
	b, added := add("c1", 3, "运费多少钱", protocol.MissUnhelpful, 3000)
	if !added || b.ID == a.ID {
		t.Fatalf("another reason for the same message = %+v, added %v; want a new miss", b, added)
	}
	c, _ := add("c2", 5, "how much is shipping", protocol.MissHandedOver, 3000)

	open, err := s.OpenMisses(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	if got := missIDs(open); fmt.Sprint(got) != fmt.Sprint([]string{c.ID, b.ID, a.ID}) {
		t.Fatalf("OpenMisses = %v, want newest first (same millisecond: last stored first) %v", got, []string{c.ID, b.ID, a.ID})
	}
	if two, err := s.OpenMisses(ctx, 2); err != nil || len(two) != 2 {
		t.Fatalf("OpenMisses(2) = %d misses, %v", len(two), err)
	}

	n, err := s.CloseMisses(ctx, []string{a.ID, "no-such-miss"})
	if err != nil || n != 1 {
		t.Fatalf("CloseMisses = %d, %v; want 1", n, err)
	}
	if n, err := s.CloseMisses(ctx, []string{a.ID}); err != nil || n != 0 {
		t.Fatalf("CloseMisses of a closed miss = %d, %v; want 0", n, err)
	}
	got, err := s.Miss(ctx, a.ID)
	if err != nil || got.Status != store.MissClosed || got.ClosedBy != 0 {
		t.Fatalf("dismissed Miss = %+v, %v", got, err)
	}
	if _, err := s.Miss(ctx, "no-such-miss"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("Miss(unknown) err = %v, want ErrNotFound", err)
	}
	open, _ = s.OpenMisses(ctx, 0)
	if got := missIDs(open); fmt.Sprint(got) != fmt.Sprint([]string{c.ID, b.ID}) {
		t.Fatalf("OpenMisses after a dismissal = %v", got)
	}
	// A closed question comes back into the report no more, even when it
	// is recorded again.
	if m, added := add("c1", 3, "运费多少钱", protocol.MissUnsure, 4000); added || m.Status != store.MissClosed {
		t.Fatalf("recording a closed miss again = %+v, added %v", m, added)
	}
}

func missIDs(ms []store.Miss) []string {
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = m.ID
	}
	return out
}

func testBotFeedback(t *testing.T, s store.Store) {
	ctx := context.Background()
	if _, err := s.BotFeedback(ctx, "c1", 4); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("BotFeedback before any = %v, want ErrNotFound", err)
	}
	prev, err := s.PutBotFeedback(ctx, store.BotFeedback{ConversationID: "c1", Seq: 4, CustomerID: "cu", Helpful: true})
	if err != nil || prev != nil {
		t.Fatalf("first PutBotFeedback = %v, %v; want no previous", prev, err)
	}
	prev, err = s.PutBotFeedback(ctx, store.BotFeedback{ConversationID: "c1", Seq: 4, CustomerID: "cu", Helpful: false})
	if err != nil || prev == nil || !prev.Helpful {
		t.Fatalf("second PutBotFeedback = %+v, %v; want the helpful one before", prev, err)
	}
	f, err := s.BotFeedback(ctx, "c1", 4)
	if err != nil || f.Helpful || f.CustomerID != "cu" || f.CreatedAt == 0 {
		t.Fatalf("BotFeedback = %+v, %v; want the unhelpful verdict that replaced it", f, err)
	}
	if _, err := s.PutBotFeedback(ctx, store.BotFeedback{ConversationID: "c1", Seq: 6, CustomerID: "cu", Helpful: true}); err != nil {
		t.Fatal(err)
	}
	if f, err := s.BotFeedback(ctx, "c1", 4); err != nil || f.Helpful {
		t.Fatalf("another message's verdict changed this one: %+v, %v", f, err)
	}
}

func testKBVersions(t *testing.T, s store.Store) {
	ctx := context.Background()
	if vs, err := s.KBVersions(ctx, 0); err != nil || len(vs) != 0 {
		t.Fatalf("KBVersions of a new store = %v, %v", vs, err)
	}
	m, _, err := s.AddMiss(ctx, store.Miss{ConversationID: "c1", Seq: 2, Text: "q", Reason: protocol.MissUnsure})
	if err != nil {
		t.Fatal(err)
	}
	zero := int64(0)
	v1, err := s.PublishKB(ctx, store.KBPublish{Data: `{"v":1}`, Sum: "s1", Author: "cli", Summary: "import", Entries: 3,
		IfVersion: &zero, Settings: map[string]string{"kb.json": `{"v":1}`, "kb.sha256": "s1"}})
	if err != nil || v1.Version != 1 || v1.CreatedAt == 0 {
		t.Fatalf("first PublishKB = %+v, %v", v1, err)
	}
	// A stale base writes nothing: no version, no setting, no closed miss.
	_, err = s.PublishKB(ctx, store.KBPublish{Data: `{"v":"stale"}`, Sum: "stale", IfVersion: &zero,
		Settings: map[string]string{"kb.sha256": "stale"}, CloseMisses: []string{m.ID}})
	if !errors.Is(err, store.ErrConflict) {
		t.Fatalf("PublishKB on a stale base err = %v, want ErrConflict", err)
	}
	if v, _, _ := s.Setting(ctx, "kb.sha256"); v != "s1" {
		t.Fatalf("a refused publish changed the sum to %q", v)
	}
	if got, _ := s.Miss(ctx, m.ID); got.Status != store.MissOpen {
		t.Fatalf("a refused publish closed a miss: %+v", got)
	}
	one := int64(1)
	v2, err := s.PublishKB(ctx, store.KBPublish{Data: `{"v":2}`, Sum: "s2", Author: "alice", Summary: "add question", Entries: 3,
		IfVersion: &one, Settings: map[string]string{"kb.json": `{"v":2}`, "kb.sha256": "s2"}, CloseMisses: []string{m.ID}})
	if err != nil || v2.Version != 2 {
		t.Fatalf("second PublishKB = %+v, %v", v2, err)
	}
	if got, _ := s.Miss(ctx, m.ID); got.Status != store.MissClosed || got.ClosedBy != 2 {
		t.Fatalf("miss closed by the publish = %+v, want closed by version 2", got)
	}
	for k, want := range map[string]string{"kb.json": `{"v":2}`, "kb.sha256": "s2"} {
		if v, _, _ := s.Setting(ctx, k); v != want {
			t.Fatalf("setting %s = %q, want %q", k, v, want)
		}
	}
	// Unconditional (an import).
	v3, err := s.PublishKB(ctx, store.KBPublish{Data: `{"v":3}`, Sum: "s3", Author: "cli", Summary: "import", Entries: 5})
	if err != nil || v3.Version != 3 {
		t.Fatalf("unconditional PublishKB = %+v, %v", v3, err)
	}
	vs, err := s.KBVersions(ctx, 0)
	if err != nil || len(vs) != 3 || vs[0].Version != 3 || vs[2].Version != 1 || vs[0].Data != "" || vs[1].Author != "alice" || vs[0].Entries != 5 {
		t.Fatalf("KBVersions = %+v, %v; want 3, 2, 1 without data", vs, err)
	}
	if vs, _ := s.KBVersions(ctx, 1); len(vs) != 1 || vs[0].Version != 3 {
		t.Fatalf("KBVersions(1) = %+v, want the newest", vs)
	}
	got, err := s.KBVersion(ctx, 2)
	if err != nil || got.Data != `{"v":2}` || got.Sum != "s2" || got.Summary != "add question" {
		t.Fatalf("KBVersion(2) = %+v, %v", got, err)
	}
	if _, err := s.KBVersion(ctx, 9); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("KBVersion(9) err = %v, want ErrNotFound", err)
	}
}

// testKBPublishConcurrent: editors publishing on the same base at once have
// one winner; the others get ErrConflict.
func testKBPublishConcurrent(t *testing.T, s store.Store) {
	ctx := context.Background()
	const n = 6
	zero := int64(0)
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = s.PublishKB(ctx, store.KBPublish{Data: fmt.Sprint(i), Sum: fmt.Sprint(i), IfVersion: &zero})
		}()
	}
	wg.Wait()
	won := 0
	for _, err := range errs {
		switch {
		case err == nil:
			won++
		case !errors.Is(err, store.ErrConflict):
			t.Fatalf("PublishKB err = %v, want nil or ErrConflict", err)
		}
	}
	vs, err := s.KBVersions(ctx, 0)
	if won != 1 || err != nil || len(vs) != 1 {
		t.Fatalf("%d publishes won, versions %+v (%v); want exactly one", won, vs, err)
	}
}
