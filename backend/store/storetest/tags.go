package storetest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"

	"github.com/google/uuid"

	"switchboard/backend/conversation"
	"switchboard/backend/store"
	"switchboard/protocol"
)

func testTags(t *testing.T, s store.Store) {
	ctx := context.Background()
	alice, _, cust := seed(t, s)
	c := create(t, s, cust.ID)
	if c.Tags != nil {
		t.Fatalf("new conversation Tags = %q, want none", c.Tags)
	}

	steps := []struct {
		name        string
		add, remove []string
		want        []string
		wantChanged bool
	}{
		{"add", []string{"vip", "Refund", "退款"}, nil, []string{"Refund", "vip", "退款"}, true},
		{"add again in another case keeps the stored spelling", []string{"VIP", "refund"}, nil, []string{"Refund", "vip", "退款"}, false},
		{"duplicates in one change keep the first", []string{"Late", "LATE", "late"}, nil, []string{"Late", "Refund", "vip", "退款"}, true},
		{"remove by any case", nil, []string{"REFUND", "退款"}, []string{"Late", "vip"}, true},
		{"remove what is not there", nil, []string{"gone"}, []string{"Late", "vip"}, false},
		{"remove then add respells", []string{"VIP"}, []string{"vip"}, []string{"Late", "VIP"}, true},
		{"remove everything", nil, []string{"late", "vip"}, nil, true},
	}
	for _, st := range steps {
		got, changed, err := s.UpdateTags(ctx, store.TagChange{ConversationID: c.ID, Add: st.add, Remove: st.remove,
			Max: protocol.MaxTags, Actor: alice.ID})
		if err != nil {
			t.Fatalf("%s: UpdateTags: %v", st.name, err)
		}
		if !slices.Equal(got.Tags, st.want) || changed != st.wantChanged {
			t.Errorf("%s: UpdateTags = %q, changed %v, want %q, %v", st.name, got.Tags, changed, st.want, st.wantChanged)
		}
		if got.ID != c.ID || got.State != c.State || got.LastSeq != c.LastSeq {
			t.Errorf("%s: UpdateTags returned %+v, want conversation %s as it was", st.name, got, c.ID)
		}
		if got.UpdatedAt != c.UpdatedAt {
			t.Errorf("%s: UpdatedAt = %d, want %d (a tag change is not activity)", st.name, got.UpdatedAt, c.UpdatedAt)
		}
		read, err := s.Conversation(ctx, c.ID)
		if err != nil || !slices.Equal(read.Tags, st.want) {
			t.Errorf("%s: Conversation().Tags = %q, %v, want %q", st.name, read.Tags, err, st.want)
		}
	}

	// Every change is audited with its actor; a change that changes
	// nothing is not.
	audit, err := s.Audit(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, e := range audit {
		if e.Action == "tag" {
			n++
			if e.Actor != alice.ID || e.Detail == "" {
				t.Errorf("tag audit entry %+v, want actor %s and a detail", e, alice.ID)
			}
		}
	}
	if n != 5 {
		t.Errorf("%d tag audit entries, want 5", n)
	}

	if _, _, err := s.UpdateTags(ctx, store.TagChange{ConversationID: "no-such-conversation", Add: []string{"x"}, Max: protocol.MaxTags}); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("UpdateTags(unknown conversation) = %v, want ErrNotFound", err)
	}
}

func testTagsLimit(t *testing.T, s store.Store) {
	ctx := context.Background()
	_, _, cust := seed(t, s)
	c := create(t, s, cust.ID)
	const max = 3
	if _, _, err := s.UpdateTags(ctx, store.TagChange{ConversationID: c.ID, Add: []string{"a", "b"}, Max: max}); err != nil {
		t.Fatal(err)
	}
	_, _, err := s.UpdateTags(ctx, store.TagChange{ConversationID: c.ID, Add: []string{"c", "d"}, Max: max})
	if !errors.Is(err, store.ErrLimit) {
		t.Fatalf("UpdateTags past the limit = %v, want ErrLimit", err)
	}
	if got, _ := s.Conversation(ctx, c.ID); !slices.Equal(got.Tags, []string{"a", "b"}) {
		t.Errorf("tags after a refused change = %q, want [a b] (nothing written)", got.Tags)
	}
	// Duplicates of stored tags do not count; removals make room first.
	for _, tc := range []store.TagChange{
		{Add: []string{"A", "B", "c"}},
		{Add: []string{"d"}, Remove: []string{"a"}},
	} {
		tc.ConversationID, tc.Max = c.ID, max
		if _, _, err := s.UpdateTags(ctx, tc); err != nil {
			t.Errorf("UpdateTags(add %q remove %q) at the limit = %v, want nil", tc.Add, tc.Remove, err)
		}
	}
	if got, _ := s.Conversation(ctx, c.ID); !slices.Equal(got.Tags, []string{"b", "c", "d"}) {
		t.Errorf("tags = %q, want [b c d]", got.Tags)
	}

	// Concurrent changes cannot pass the limit together.
	c2 := create(t, s, mustCustomer(t, s).ID)
	var wg sync.WaitGroup
	errs := make([]error, 8)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, _, errs[i] = s.UpdateTags(ctx, store.TagChange{ConversationID: c2.ID, Add: []string{fmt.Sprint("t", i)}, Max: max})
		}()
	}
	wg.Wait()
	ok := 0
	for _, err := range errs {
		switch {
		case err == nil:
			ok++
		case !errors.Is(err, store.ErrLimit):
			t.Errorf("concurrent UpdateTags: %v", err)
		}
	}
	if got, _ := s.Conversation(ctx, c2.ID); ok != max || len(got.Tags) != max {
		t.Errorf("%d concurrent adds succeeded leaving %q, want %d", ok, got.Tags, max)
	}
}

func mustCustomer(t *testing.T, s store.Store) store.Customer {
	t.Helper()
	c, err := s.UpsertCustomer(context.Background(), store.Customer{ID: uuid.NewString(), Name: "Other"})
	if err != nil {
		t.Fatalf("UpsertCustomer: %v", err)
	}
	return c
}

// testTagsEverywhere checks that every read of a conversation carries its
// tags, not just Conversation.
func testTagsEverywhere(t *testing.T, s store.Store) {
	ctx := context.Background()
	alice, _, cust := seed(t, s)
	c := create(t, s, cust.ID)
	want := []string{"b2b", "VIP"}
	if _, _, err := s.UpdateTags(ctx, store.TagChange{ConversationID: c.ID, Add: []string{"VIP", "b2b"}, Max: protocol.MaxTags}); err != nil {
		t.Fatal(err)
	}
	check := func(where string, got store.Conversation) {
		t.Helper()
		if !slices.Equal(got.Tags, want) {
			t.Errorf("%s: Tags = %q, want %q", where, got.Tags, want)
		}
	}
	open, err := s.OpenConversationOf(ctx, cust.ID)
	if err != nil {
		t.Fatal(err)
	}
	check("OpenConversationOf", open)
	list, err := s.ListConversations(ctx, store.ConversationFilter{CustomerID: cust.ID})
	if err != nil || len(list) != 1 {
		t.Fatalf("ListConversations = %d, %v", len(list), err)
	}
	check("ListConversations", list[0])
	merged, err := s.MergeExt(ctx, c.ID, map[string]string{"order": "42"})
	if err != nil {
		t.Fatal(err)
	}
	check("MergeExt", merged)
	queued := toQueue(t, s, c.ID, "presales")
	check("ChangeState", queued)
	res, err := s.AppendMessage(ctx, textMsg(c.ID, "hello"))
	if err != nil {
		t.Fatal(err)
	}
	check("AppendMessage", res.Conversation)
	active, _, err := s.ChangeState(ctx, store.StateChange{ConversationID: c.ID, Event: conversation.Accept,
		AssigneeID: ptr(alice.ID), Message: eventMsg(protocol.EventAssigned), Actor: alice.ID})
	if err != nil {
		t.Fatal(err)
	}
	check("ChangeState (accept)", active)
	queue, err := s.ListConversations(ctx, store.ConversationFilter{AssigneeID: alice.ID, States: []conversation.State{conversation.Active}})
	if err != nil || len(queue) != 1 {
		t.Fatalf("ListConversations(assignee) = %d, %v", len(queue), err)
	}
	check("ListConversations(assignee)", queue[0])
}

func testCustomerNotes(t *testing.T, s store.Store) {
	ctx := context.Background()
	alice, bob, cust := seed(t, s)
	c1 := create(t, s, cust.ID)
	other := mustCustomer(t, s)

	if got, err := s.CustomerNotes(ctx, cust.ID, 50); err != nil || len(got) != 0 {
		t.Fatalf("CustomerNotes(no notes) = %v, %v, want none", got, err)
	}
	n1, err := s.AddCustomerNote(ctx, store.CustomerNote{CustomerID: cust.ID, ConversationID: c1.ID, AuthorID: alice.ID, AuthorName: alice.Name, Text: "prefers email"})
	if err != nil {
		t.Fatalf("AddCustomerNote: %v", err)
	}
	if n1.ID == "" || n1.CreatedAt == 0 || n1.Text != "prefers email" || n1.AuthorName != "Alice" {
		t.Errorf("AddCustomerNote = %+v, want an id, a time and the note", n1)
	}
	// Notes of the same millisecond still come back newest first.
	n2, err := s.AddCustomerNote(ctx, store.CustomerNote{CustomerID: cust.ID, ConversationID: c1.ID, AuthorID: bob.ID, AuthorName: bob.Name, Text: "第二条", CreatedAt: n1.CreatedAt})
	if err != nil {
		t.Fatal(err)
	}
	n3, err := s.AddCustomerNote(ctx, store.CustomerNote{CustomerID: cust.ID, AuthorID: bob.ID, AuthorName: bob.Name, Text: "third", CreatedAt: n1.CreatedAt + 1})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddCustomerNote(ctx, store.CustomerNote{CustomerID: other.ID, AuthorID: bob.ID, Text: "someone else"}); err != nil {
		t.Fatal(err)
	}

	got, err := s.CustomerNotes(ctx, cust.ID, 50)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 || got[0] != n3 || got[1] != n2 || got[2] != n1 {
		t.Errorf("CustomerNotes = %+v\nwant newest first %+v", got, []store.CustomerNote{n3, n2, n1})
	}
	if got, _ := s.CustomerNotes(ctx, cust.ID, 2); len(got) != 2 || got[0].ID != n3.ID || got[1].ID != n2.ID {
		t.Errorf("CustomerNotes(limit 2) = %+v, want the newest two", got)
	}
	if got, _ := s.CustomerNotes(ctx, other.ID, 50); len(got) != 1 || got[0].Text != "someone else" {
		t.Errorf("CustomerNotes(other) = %+v, want only their note", got)
	}

	audit, err := s.Audit(ctx, c1.ID)
	if err != nil {
		t.Fatal(err)
	}
	var authors []string
	for _, e := range audit {
		if e.Action == "customer_note" {
			authors = append(authors, e.Actor)
		}
	}
	if !slices.Equal(authors, []string{alice.ID, bob.ID}) {
		t.Errorf("customer_note audit actors = %q, want [alice bob]", authors)
	}

	if _, err := s.AddCustomerNote(ctx, store.CustomerNote{CustomerID: "no-such-customer", AuthorID: alice.ID, Text: "x"}); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("AddCustomerNote(unknown customer) = %v, want ErrNotFound", err)
	}
	if _, err := s.AddCustomerNote(ctx, store.CustomerNote{ID: n1.ID, CustomerID: cust.ID, AuthorID: alice.ID, Text: "again"}); !errors.Is(err, store.ErrConflict) {
		t.Errorf("AddCustomerNote(stored id) = %v, want ErrConflict", err)
	}
}
