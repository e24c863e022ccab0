package storetest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"

	"switchboard/backend/audit"
	"switchboard/backend/conversation"
	"switchboard/backend/store"
	"switchboard/protocol"
)

// verifyChain walks the whole audit log in pages of page entries, checks
// every link and returns the entries.
func verifyChain(t *testing.T, s store.Store, page int) []store.AuditEntry {
	t.Helper()
	var all []store.AuditEntry
	var v audit.Verifier
	var after int64
	for {
		got, err := s.AuditLog(context.Background(), store.AuditQuery{AfterID: after, Limit: page})
		if err != nil {
			t.Fatalf("AuditLog(after %d): %v", after, err)
		}
		for _, e := range got {
			if err := v.Add(audit.Entry{ID: e.ID, TS: e.TS, Actor: e.Actor, Action: e.Action,
				ConversationID: e.ConversationID, Detail: e.Detail}, e.Hash); err != nil {
				t.Fatalf("audit chain: %v", err)
			}
		}
		all = append(all, got...)
		if len(got) < page {
			return all
		}
		after = got[len(got)-1].ID
	}
}

// testAuditChain checks that every audit entry, whichever write stored it,
// is in the one chain, numbered one after the other.
func testAuditChain(t *testing.T, s store.Store) {
	ctx := context.Background()
	alice, bob, cust := seed(t, s)
	if err := s.AddAudit(ctx, store.AuditEntry{Actor: audit.AdminActor, Action: "agent.add", Detail: "username=alice"}); err != nil {
		t.Fatal(err)
	}
	c := create(t, s, cust.ID)   // open, in CreateConversation
	accept(t, s, c.ID, alice.ID) // handoff, accept: ChangeState
	if _, _, err := s.UpdateTags(ctx, store.TagChange{ConversationID: c.ID, Add: []string{"vip"}, Max: protocol.MaxTags, Actor: alice.ID}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddCustomerNote(ctx, store.CustomerNote{CustomerID: cust.ID, ConversationID: c.ID, AuthorID: alice.ID, Text: "n"}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.ChangeState(ctx, store.StateChange{ConversationID: c.ID, Event: conversation.IdleTimeout,
		Message: eventMsg("waiting")}); err != nil {
		t.Fatal(err)
	}
	m := textMsg(c.ID, "back") // customer_reply, inside the group commit
	m.Change = resumeOn(store.StateChange{Message: eventMsg("resumed"), Actor: cust.ID}, nil)
	if res, err := s.AppendMessage(ctx, m); err != nil || res.Changed == nil {
		t.Fatalf("append with change = %+v, %v", res, err)
	}
	if err := s.AddAudit(ctx, store.AuditEntry{Actor: bob.ID, Action: audit.ActionRead, ConversationID: c.ID}); err != nil {
		t.Fatal(err)
	}

	all := verifyChain(t, s, 3)
	var actions []string
	for i, e := range all {
		if e.ID != all[0].ID+int64(i) {
			t.Errorf("entry %d has ID %d, want %d: IDs go up by one", i, e.ID, all[0].ID+int64(i))
		}
		if e.TS == 0 || e.Hash == "" {
			t.Errorf("entry %+v has no time or hash", e)
		}
		actions = append(actions, e.Action)
	}
	want := []string{"agent.add", string(conversation.Open), string(conversation.Handoff), string(conversation.Accept),
		audit.ActionTag, audit.ActionCustomerNote, string(conversation.IdleTimeout), string(conversation.CustomerReply), audit.ActionRead}
	if !slices.Equal(actions, want) {
		t.Errorf("audit log actions = %q, want %q", actions, want)
	}
	// Audit (one conversation) returns the same entries as stored.
	conv, err := s.Audit(ctx, c.ID)
	if err != nil || len(conv) != len(want)-1 || conv[0] != all[1] {
		t.Errorf("Audit(conv) = %+v, %v, want the log's entries of the conversation", conv, err)
	}
}

// testAuditQuery checks AuditLog's filters and paging.
func testAuditQuery(t *testing.T, s store.Store) {
	ctx := context.Background()
	add := func(ts int64, actor, action, conv string) {
		t.Helper()
		if err := s.AddAudit(ctx, store.AuditEntry{TS: ts, Actor: actor, Action: action, ConversationID: conv, Detail: fmt.Sprint(ts)}); err != nil {
			t.Fatal(err)
		}
	}
	add(1000, "sup", audit.ActionRead, "c1")
	add(2000, "sup", audit.ActionReadFile, "c1")
	add(3000, "adm", audit.ActionRead, "c2")
	add(4000, "sup", audit.ActionLiveView, "c2")
	add(5000, audit.AdminActor, "team.add", "")
	details := func(es []store.AuditEntry) []string {
		var out []string
		for _, e := range es {
			out = append(out, e.Detail)
		}
		return out
	}
	tests := []struct {
		name string
		q    store.AuditQuery
		want []string
	}{
		{"all", store.AuditQuery{}, []string{"1000", "2000", "3000", "4000", "5000"}},
		{"actor", store.AuditQuery{Actor: "sup"}, []string{"1000", "2000", "4000"}},
		{"conversation", store.AuditQuery{ConversationID: "c2"}, []string{"3000", "4000"}},
		{"action", store.AuditQuery{Action: audit.ActionRead}, []string{"1000", "3000"}},
		{"since", store.AuditQuery{Since: 3000}, []string{"3000", "4000", "5000"}},
		{"until is exclusive", store.AuditQuery{Until: 3000}, []string{"1000", "2000"}},
		{"combined", store.AuditQuery{Actor: "sup", Since: 1500, Until: 4500}, []string{"2000", "4000"}},
		{"limit", store.AuditQuery{Limit: 2}, []string{"1000", "2000"}},
		{"no match", store.AuditQuery{Actor: "nobody"}, nil},
	}
	for _, tt := range tests {
		got, err := s.AuditLog(ctx, tt.q)
		if err != nil || !slices.Equal(details(got), tt.want) {
			t.Errorf("%s: AuditLog(%+v) = %q, %v, want %q", tt.name, tt.q, details(got), err, tt.want)
		}
	}
	// Paging by AfterID with a filter.
	first, _ := s.AuditLog(ctx, store.AuditQuery{Actor: "sup", Limit: 2})
	if len(first) != 2 {
		t.Fatalf("first page = %+v", first)
	}
	rest, err := s.AuditLog(ctx, store.AuditQuery{Actor: "sup", Limit: 2, AfterID: first[1].ID})
	if err != nil || !slices.Equal(details(rest), []string{"4000"}) {
		t.Errorf("second page = %q, %v, want [4000]", details(rest), err)
	}
}

// testAuditConcurrent appends audit entries from every kind of write at
// once; the chain must come out whole.
func testAuditConcurrent(t *testing.T, s store.Store) {
	ctx := context.Background()
	alice, _, _ := seed(t, s)
	const convs = 6
	ids := make([]string, convs)
	for i := range ids {
		cust, err := s.UpsertCustomer(ctx, store.Customer{ID: fmt.Sprintf("cust-%d", i)})
		if err != nil {
			t.Fatal(err)
		}
		c := create(t, s, cust.ID)
		accept(t, s, c.ID, alice.ID)
		if _, _, err := s.ChangeState(ctx, store.StateChange{ConversationID: c.ID, Event: conversation.IdleTimeout,
			Message: eventMsg("waiting")}); err != nil {
			t.Fatal(err)
		}
		ids[i] = c.ID
	}
	var wg sync.WaitGroup
	errs := make(chan error, convs*20)
	for i, id := range ids {
		wg.Add(3)
		go func() { // a customer reply, with its state change, in the group commit
			defer wg.Done()
			m := textMsg(id, "back")
			m.Change = resumeOn(store.StateChange{Message: eventMsg("resumed"), Actor: "cust"}, nil)
			if _, err := s.AppendMessage(ctx, m); err != nil {
				errs <- err
			}
			for range 5 {
				if _, err := s.AppendMessage(ctx, textMsg(id, "more")); err != nil {
					errs <- err
				}
			}
		}()
		go func() {
			defer wg.Done()
			for j := range 5 {
				if _, _, err := s.UpdateTags(ctx, store.TagChange{ConversationID: id, Add: []string{fmt.Sprint("t", j)},
					Max: protocol.MaxTags, Actor: alice.ID}); err != nil {
					errs <- err
				}
			}
		}()
		go func() {
			defer wg.Done()
			for j := range 5 {
				if err := s.AddAudit(ctx, store.AuditEntry{Actor: fmt.Sprint("sup", i), Action: audit.ActionRead,
					ConversationID: id, Detail: fmt.Sprint(j)}); err != nil {
					errs <- err
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if !errors.Is(err, store.ErrIllegalState) {
			t.Error(err)
		}
	}
	all := verifyChain(t, s, 7)
	counts := map[string]int{}
	for _, e := range all {
		counts[e.Action]++
	}
	if counts[audit.ActionRead] != convs*5 || counts[audit.ActionTag] != convs*5 || counts[string(conversation.CustomerReply)] != convs {
		t.Errorf("audit counts = %v, want %d reads, %d tag changes, %d customer replies", counts, convs*5, convs*5, convs)
	}
}

// testAuditBatch checks AddAudits: the entries in their order, in the one
// chain between the entries around them; nothing for an empty batch.
func testAuditBatch(t *testing.T, s store.Store) {
	ctx := context.Background()
	if err := s.AddAudit(ctx, store.AuditEntry{Actor: "a", Action: "before"}); err != nil {
		t.Fatal(err)
	}
	var batch []store.AuditEntry
	for i := range 5 {
		batch = append(batch, store.AuditEntry{Actor: "b", Action: fmt.Sprint("batch-", i), ConversationID: "c1"})
	}
	if err := s.AddAudits(ctx, batch); err != nil {
		t.Fatal(err)
	}
	if err := s.AddAudits(ctx, nil); err != nil {
		t.Fatal(err)
	}
	if err := s.AddAudit(ctx, store.AuditEntry{Actor: "a", Action: "after"}); err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, e := range verifyChain(t, s, 3) {
		actions = append(actions, e.Action)
	}
	want := []string{"before", "batch-0", "batch-1", "batch-2", "batch-3", "batch-4", "after"}
	if !slices.Equal(actions, want) {
		t.Errorf("log = %v, want %v", actions, want)
	}
}
