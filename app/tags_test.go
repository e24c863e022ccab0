package app_test

import (
	"slices"
	"strings"
	"testing"

	"switchboard/app"
	"switchboard/protocol"
)

// These tests run against app/internal/fakeserver, which answers tag and
// customer_note as docs/protocol.md says; the end-to-end tests hold the real
// server to the same contract.

func TestSetTagsRoundTrip(t *testing.T) {
	f := newFixture(t)
	_, err := f.a.SetTags("c1", []string{"vip"}, nil)
	wantCode(t, "SetTags signed out", err, "unauthenticated")

	f.signIn(t)
	tests := []struct {
		name        string
		id          string
		add, remove []string
	}{
		{"empty conversation", "", []string{"vip"}, nil},
		{"nothing to change", "c1", nil, nil},
		{"blank tag", "c1", []string{"vip", " \t "}, nil},
		{"tag too long", "c1", []string{strings.Repeat("标", protocol.MaxTagRunes+1)}, nil},
		{"blank tag to remove", "c1", nil, []string{""}},
		{"too many tags", "c1", slices.Repeat([]string{"x"}, protocol.MaxTags+1), nil},
		{"too many tags to remove", "c1", nil, slices.Repeat([]string{"x"}, protocol.MaxTags+1)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := f.a.SetTags(tt.id, tt.add, tt.remove)
			wantCode(t, "SetTags", err, "invalid_request")
		})
	}
	if n := f.srv.Count(protocol.TypeTag); n != 0 {
		t.Fatalf("%d tag frames sent for invalid changes; want them refused in the app", n)
	}

	conv, err := f.a.SetTags("c1", []string{"  VIP \n customer ", "refund", "Refund"}, nil)
	want := []string{"refund", "VIP customer"}
	if err != nil || !slices.Equal(conv.Tags, want) || conv.ID != "c1" {
		t.Fatalf("SetTags(add) = %+v, %v; want tags %q", conv, err, want)
	}
	if got := f.srv.Conversation("c1").Tags; !slices.Equal(got, want) {
		t.Fatalf("server tags = %q, want %q", got, want)
	}
	f.p.waitFor(t, "a conversation event with the tags", func(evs []emitted) bool {
		c, ok := lastConversation(evs, "c1")
		return ok && slices.Equal(c.Tags, want)
	})
	queue, err := f.a.ListConversations("queue")
	if err != nil || len(queue) != 1 || !slices.Equal(queue[0].Tags, want) {
		t.Fatalf("cached queue = %+v, %v; want c1 with tags %q", queue, err, want)
	}

	// Removing is case-insensitive, and the last tag gone means none.
	conv, err = f.a.SetTags("c1", nil, []string{"vip  CUSTOMER"})
	if err != nil || !slices.Equal(conv.Tags, []string{"refund"}) {
		t.Fatalf("SetTags(remove) = %q, %v; want [refund]", conv.Tags, err)
	}
	d, err := f.a.Context("c1")
	if err != nil || !slices.Equal(d.Tags, []string{"refund"}) {
		t.Fatalf("Context tags = %q, %v; want [refund]", d.Tags, err)
	}
	conv, err = f.a.SetTags("c1", nil, []string{"refund"})
	if err != nil || len(conv.Tags) != 0 {
		t.Fatalf("SetTags(remove last) = %q, %v; want none", conv.Tags, err)
	}
	f.p.waitFor(t, "a conversation event without tags", func(evs []emitted) bool {
		c, ok := lastConversation(evs, "c1")
		return ok && len(c.Tags) == 0
	})
}

func TestCustomerNoteRoundTrip(t *testing.T) {
	f := newFixture(t)
	// Another conversation of the same customer: notes follow the customer.
	f.srv.AddConversation(protocol.Conversation{
		ID: "c2", CustomerID: "v-1", CustomerName: "Wang", Channel: "web", State: protocol.StateQueued, Team: "presales",
	})
	_, err := f.a.AddCustomerNote("c1", "prefers email")
	wantCode(t, "AddCustomerNote signed out", err, "unauthenticated")

	f.signIn(t)
	tests := []struct{ name, id, text string }{
		{"empty conversation", "", "prefers email"},
		{"empty text", "c1", "  \n "},
		{"text too long", "c1", strings.Repeat("注", protocol.MaxCustomerNoteRunes+1)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := f.a.AddCustomerNote(tt.id, tt.text)
			wantCode(t, "AddCustomerNote", err, "invalid_request")
		})
	}
	if n := f.srv.Count(protocol.TypeCustomerNote); n != 0 {
		t.Fatalf("%d customer_note frames sent for invalid notes; want them refused in the app", n)
	}

	first, err := f.a.AddCustomerNote("c1", "  prefers email \n")
	if err != nil || first.ID == "" || first.Text != "prefers email" || first.CustomerID != "v-1" ||
		first.AuthorID != alice.ID || first.AuthorName != "Alice" || first.CreatedAt == 0 {
		t.Fatalf("AddCustomerNote = %+v, %v", first, err)
	}
	long := strings.Repeat("注", protocol.MaxCustomerNoteRunes)
	second, err := f.a.AddCustomerNote("c2", long)
	if err != nil || second.Text != long {
		t.Fatalf("AddCustomerNote(at the limit) = %d characters, %v", len([]rune(second.Text)), err)
	}
	if got := f.srv.Notes("v-1"); len(got) != 2 {
		t.Fatalf("server notes = %+v; want 2", got)
	}

	for _, id := range []string{"c1", "c2"} {
		d, err := f.a.Context(id)
		if err != nil || len(d.Notes) != 2 || d.Notes[0].ID != second.ID || d.Notes[1] != first {
			t.Fatalf("Context(%s) notes = %+v, %v; want the second note, then %+v", id, d.Notes, err, first)
		}
	}
	// A note is not a conversation change.
	for _, e := range named(f.p.snapshot(), app.EventConversation) {
		if c := e.data.(protocol.Conversation); len(c.Tags) != 0 {
			t.Fatalf("conversation event with tags after notes: %+v", c)
		}
	}
}

func TestTagAndNoteServerErrors(t *testing.T) {
	f := newFixture(t)
	f.signIn(t)

	// The server's limit on tags in all, which the app cannot see.
	var many []string
	for i := range protocol.MaxTags {
		many = append(many, string(rune('a'+i)))
	}
	if _, err := f.a.SetTags("c1", many, nil); err != nil {
		t.Fatalf("SetTags(%d tags): %v", len(many), err)
	}
	_, err := f.a.SetTags("c1", []string{"one too many"}, nil)
	if err == nil || err.Error() != "invalid_request: a conversation has at most 20 tags" {
		t.Fatalf("SetTags past the limit: error = %v; want the server's code and message", err)
	}

	tests := []struct {
		name string
		typ  string
		perr *protocol.Error
		call func() error
		want string
	}{
		{
			"tag refused", protocol.TypeTag, protocol.ErrForbidden,
			func() error { _, err := f.a.SetTags("c1", []string{"x"}, nil); return err },
			"forbidden: not allowed for this user",
		},
		{
			"note refused", protocol.TypeCustomerNote, protocol.ErrRateLimited.WithMessage("slow down"),
			func() error { _, err := f.a.AddCustomerNote("c1", "x"); return err },
			"rate_limited: slow down",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f.srv.FailNext(tt.typ, tt.perr)
			if err := tt.call(); err == nil || err.Error() != tt.want {
				t.Fatalf("error = %v, want %q", err, tt.want)
			}
		})
	}

	_, err = f.a.SetTags("nope", []string{"x"}, nil)
	wantCode(t, "SetTags(nope)", err, "not_found")
	_, err = f.a.AddCustomerNote("nope", "x")
	wantCode(t, "AddCustomerNote(nope)", err, "not_found")
}
