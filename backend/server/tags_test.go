package server

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"switchboard/protocol"
)

func (c *client) tag(id string, add, remove []string) protocol.Frame {
	c.t.Helper()
	return c.request(protocol.TypeTag, protocol.TagData{ConversationID: id, Add: add, Remove: remove})
}

// tagged sends a tag request that must succeed and returns the tags of the
// conversation in the reply.
func (c *client) tagged(id string, add, remove []string) []string {
	c.t.Helper()
	var conv protocol.Conversation
	c.decode(c.tag(id, add, remove), protocol.TypeConversation, &conv)
	if conv.ID != id {
		c.t.Fatalf("%s: tag reply is conversation %s, want %s", c.name, conv.ID, id)
	}
	return conv.Tags
}

func (c *client) note(id, text string) protocol.Frame {
	c.t.Helper()
	return c.request(protocol.TypeCustomerNote, protocol.CustomerNoteData{ConversationID: id, Text: text})
}

// activeWith queues a new customer's conversation and has agent accept it.
func (e *env) activeWith(agent *client, name string) (*client, protocol.Conversation) {
	e.t.Helper()
	cust, conv := e.queued(name, "human")
	agent.accept(conv.ID)
	cust.waitConversation("active", stateIs(protocol.StateActive))
	return cust, conv
}

func findConv(cs []protocol.Conversation, id string) (protocol.Conversation, bool) {
	i := slices.IndexFunc(cs, func(c protocol.Conversation) bool { return c.ID == id })
	if i < 0 {
		return protocol.Conversation{}, false
	}
	return cs[i], true
}

// noStaffData matches a frame that carries tags or a customer note: none
// may reach a customer.
func noStaffData(f protocol.Frame) bool {
	if f.Type == protocol.TypeCustomerNote || strings.Contains(string(f.Data), `"tags"`) {
		return true
	}
	return strings.Contains(string(f.Data), "prefers email")
}

func TestTags(t *testing.T) {
	e := newEnv(t, nil)
	alice, _ := e.agent("alice")
	cust, conv := e.activeWith(alice, "customer")
	sam, _ := e.agent("sam") // supervisor of presales: watches the conversation

	steps := []struct {
		name        string
		add, remove []string
		want        []string
	}{
		{"add, normalized and sorted", []string{" VIP ", "Refund", "late \t\n delivery", "退款"},
			nil, []string{"late delivery", "Refund", "VIP", "退款"}},
		{"duplicates compare without case, first spelling kept", []string{"vip", "REFUND", "New", "new"},
			nil, []string{"late delivery", "New", "Refund", "VIP", "退款"}},
		{"remove in any case", nil, []string{"refund", "退款"}, []string{"late delivery", "New", "VIP"}},
		{"remove what is not there", nil, []string{"never-added"}, []string{"late delivery", "New", "VIP"}},
		{"remove and add in one request", []string{"b2b"}, []string{"new"}, []string{"b2b", "late delivery", "VIP"}},
	}
	for _, st := range steps {
		if got := alice.tagged(conv.ID, st.add, st.remove); !slices.Equal(got, st.want) {
			t.Errorf("%s: tags = %q, want %q", st.name, got, st.want)
		}
	}
	want := []string{"b2b", "late delivery", "VIP"}

	// Watchers get the change as a conversation push.
	sam.waitConversation("with the tags", func(c protocol.Conversation) bool {
		return c.ID == conv.ID && slices.Equal(c.Tags, want)
	})

	// Invalid tags refuse the whole request.
	bad := []struct {
		name        string
		add, remove []string
	}{
		{"empty", []string{"ok", ""}, nil},
		{"blank", []string{"   "}, nil},
		{"too long", []string{strings.Repeat("长", protocol.MaxTagRunes+1)}, nil},
		{"control character", []string{"a\x07b"}, nil},
		{"escape sequence", []string{"\x1b[31mred"}, nil},
		{"invalid removal", nil, []string{"a\x00"}},
		{"nothing to do", nil, nil},
	}
	for _, b := range bad {
		alice.wantError(alice.tag(conv.ID, b.add, b.remove), protocol.ErrInvalid.Code)
	}
	if got := alice.tagged(conv.ID, nil, []string{"absent"}); !slices.Equal(got, want) {
		t.Fatalf("tags after refused requests = %q, want %q", got, want)
	}
	// The longest tag fits.
	longest := strings.Repeat("长", protocol.MaxTagRunes)
	alice.tagged(conv.ID, []string{longest}, nil)
	alice.tagged(conv.ID, nil, []string{longest})

	// At most MaxTags: filling up works, one more is refused whole, a
	// duplicate of a stored tag or a swap still works.
	var fill []string
	for i := len(want); i < protocol.MaxTags; i++ {
		fill = append(fill, fmt.Sprintf("t%02d", i))
	}
	if got := alice.tagged(conv.ID, fill, nil); len(got) != protocol.MaxTags {
		t.Fatalf("filled up to %d tags, want %d", len(got), protocol.MaxTags)
	}
	alice.wantError(alice.tag(conv.ID, []string{"one-too-many"}, nil), protocol.ErrInvalid.Code)
	alice.wantError(alice.tag(conv.ID, []string{"VIP", "x", "y"}, []string{"b2b"}), protocol.ErrInvalid.Code)
	if got := alice.tagged(conv.ID, []string{"vip"}, nil); len(got) != protocol.MaxTags || !slices.Contains(got, "VIP") {
		t.Errorf("adding a stored tag at the limit = %q", got)
	}
	if got := alice.tagged(conv.ID, []string{"swap"}, []string{"T03"}); len(got) != protocol.MaxTags || !slices.Contains(got, "swap") {
		t.Errorf("swapping a tag at the limit = %q", got)
	}
	many := make([]string, protocol.MaxTags+1)
	for i := range many {
		many[i] = "vip"
	}
	alice.wantError(alice.tag(conv.ID, many, nil), protocol.ErrInvalid.Code)
	rest := append(slices.DeleteFunc(slices.Clone(fill), func(s string) bool { return s == "t03" }), "swap")
	if got := alice.tagged(conv.ID, nil, rest); !slices.Equal(got, want) {
		t.Fatalf("tags after taking the fill away = %q, want %q", got, want)
	}

	// Tags come with the conversation wherever staff read it.
	if c, ok := findConv(alice.list(protocol.ListMine), conv.ID); !ok || !slices.Equal(c.Tags, want) {
		t.Errorf("list mine: %+v, want the conversation with tags %q", c, want)
	}
	_, w := e.agent("alice")
	if c, ok := findConv(w.Conversations, conv.ID); !ok || !slices.Equal(c.Tags, want) {
		t.Errorf("welcome: %+v, want the conversation with tags %q", c, want)
	}
	if got := sam.contextOf(conv.ID).Tags; !slices.Equal(got, want) {
		t.Errorf("context tags = %q, want %q", got, want)
	}

	// Tags are not messages (the last seq stays), nor activity (neither
	// does updated_at); the audit log says who changed them.
	var c1, c2 protocol.Conversation
	alice.decode(alice.tag(conv.ID, []string{"extra"}, nil), protocol.TypeConversation, &c1)
	alice.decode(alice.tag(conv.ID, nil, []string{"extra"}), protocol.TypeConversation, &c2)
	if c2.LastSeq != c1.LastSeq || c2.UpdatedAt != c1.UpdatedAt {
		t.Errorf("tagging moved last_seq %d→%d, updated_at %d→%d", c1.LastSeq, c2.LastSeq, c1.UpdatedAt, c2.UpdatedAt)
	}
	audit, err := e.srv.store.Audit(context.Background(), conv.ID)
	if err != nil {
		t.Fatal(err)
	}
	aliceID, tagEntries := e.agentID("alice"), 0
	for _, a := range audit {
		if a.Action == "tag" {
			tagEntries++
			if a.Actor != aliceID {
				t.Errorf("tag audit entry %+v, want actor alice", a)
			}
		}
	}
	if tagEntries < len(steps) {
		t.Errorf("%d tag audit entries, want at least %d", tagEntries, len(steps))
	}

	// The customer never sees the tags: not in their conversation, not in
	// a push, not in a new connection's welcome.
	cust.wantError(cust.tag(conv.ID, []string{"mine"}, nil), protocol.ErrForbidden.Code)
	var own protocol.Conversation
	cust.decode(cust.request(protocol.TypeOpen, protocol.OpenData{}), protocol.TypeConversation, &own)
	if own.ID != conv.ID || own.Tags != nil {
		t.Errorf("customer's open = %+v, want conversation %s without tags", own, conv.ID)
	}
	cust.noPush(300*time.Millisecond, "with tags", noStaffData)
}

// TestTagsInPushesToCustomer checks that a conversation change pushed to
// both sides carries the tags to staff and not to the customer.
func TestTagsInPushesToCustomer(t *testing.T) {
	e := newEnv(t, nil)
	alice, _ := e.agent("alice")
	cust, conv := e.activeWith(alice, "customer")
	alice.tagged(conv.ID, []string{"VIP"}, nil)
	alice.request(protocol.TypeResolve, ref(conv.ID))
	staff := alice.waitConversation("resolved", func(c protocol.Conversation) bool { return c.ID == conv.ID && c.State == protocol.StateResolved })
	if !slices.Equal(staff.Tags, []string{"VIP"}) {
		t.Errorf("staff push tags = %q, want [VIP]", staff.Tags)
	}
	var raw json.RawMessage
	cust.waitPush("resolved", func(f protocol.Frame) bool {
		var c protocol.Conversation
		if f.Type != protocol.TypeConversation || json.Unmarshal(f.Data, &c) != nil || c.State != protocol.StateResolved {
			return false
		}
		raw = f.Data
		return true
	})
	if strings.Contains(string(raw), "tags") || strings.Contains(string(raw), "VIP") {
		t.Errorf("customer push carries the tags: %s", raw)
	}
	cust.noPush(200*time.Millisecond, "with tags", noStaffData)
}

// TestTagAndNotePermissions is the role × own/foreign matrix of tag and
// customer_note, answered as the other staff actions on a conversation.
func TestTagAndNotePermissions(t *testing.T) {
	e := newEnv(t, nil)
	alice, _ := e.agent("alice") // presales
	custA, conv := e.activeWith(alice, "A")
	bob, _ := e.agent("bob")     // aftersales only
	carol, _ := e.agent("carol") // presales and aftersales, not the assignee
	sam, _ := e.agent("sam")     // supervisor of both teams
	custB, _ := e.customer("B")
	custB.open(nil)
	// A second conversation waits in the presales queue, visible to its
	// team's agents.
	_, queued := e.queued("Q", "human")

	type action struct {
		name string
		do   func(c *client, id string) protocol.Frame
		ok   string
	}
	actions := []action{
		{"tag", func(c *client, id string) protocol.Frame { return c.tag(id, []string{"checked"}, nil) }, protocol.TypeConversation},
		{"customer_note", func(c *client, id string) protocol.Frame { return c.note(id, "checked") }, protocol.TypeCustomerNote},
	}
	checks := []struct {
		who  string
		c    *client
		conv string
		want string // "" for success
	}{
		{"assignee", alice, conv.ID, ""},
		{"supervisor of the team", sam, conv.ID, ""},
		{"agent of another team", bob, conv.ID, protocol.ErrNotFound.Code},
		{"agent of the team, not the assignee", carol, conv.ID, protocol.ErrNotFound.Code},
		{"agent of the team, queued conversation", carol, queued.ID, ""},
		{"agent of another team, queued conversation", bob, queued.ID, protocol.ErrNotFound.Code},
		{"customer of the conversation", custA, conv.ID, protocol.ErrForbidden.Code},
		{"another customer", custB, conv.ID, protocol.ErrForbidden.Code},
		{"unknown conversation", alice, "no-such-conversation", protocol.ErrNotFound.Code},
		{"no conversation", alice, "", protocol.ErrInvalid.Code},
	}
	for _, a := range actions {
		for _, ch := range checks {
			t.Run(a.name+"/"+ch.who, func(t *testing.T) {
				f := a.do(ch.c, ch.conv)
				if ch.want == "" {
					if f.Type != a.ok {
						t.Fatalf("got %s %+v, want %s", f.Type, f.Error, a.ok)
					}
					return
				}
				ch.c.wantError(f, ch.want)
			})
		}
	}
}

func TestCustomerNotes(t *testing.T) {
	// Notes count against the connection's rate: room for the many below.
	e := newEnv(t, func(c *Config) { c.SendBurst = 4 * protocol.MaxContextNotes })
	alice, _ := e.agent("alice")
	cust, first := e.activeWith(alice, "customer")
	aliceID := e.agentID("alice")

	var n1 protocol.CustomerNote
	alice.decode(alice.note(first.ID, "  prefers email, not phone \n"), protocol.TypeCustomerNote, &n1)
	if n1.ID == "" || n1.CustomerID != first.CustomerID || n1.AuthorID != aliceID || n1.AuthorName != "Alice" ||
		n1.Text != "prefers email, not phone" || n1.CreatedAt <= 0 {
		t.Errorf("note reply = %+v", n1)
	}

	// Length limits, after trimming.
	longest := strings.Repeat("记", protocol.MaxCustomerNoteRunes)
	for _, bad := range []string{"", " \n\t ", longest + "x"} {
		alice.wantError(alice.note(first.ID, bad), protocol.ErrInvalid.Code)
	}
	var n2 protocol.CustomerNote
	alice.decode(alice.note(first.ID, " "+longest+" "), protocol.TypeCustomerNote, &n2)
	if n2.Text != longest {
		t.Errorf("longest note stored with %d characters, want %d", len([]rune(n2.Text)), protocol.MaxCustomerNoteRunes)
	}

	// Not in the transcript.
	for _, m := range alice.sync(first.ID, 0).Messages {
		if strings.Contains(m.Text, "prefers email") {
			t.Errorf("the note went into the transcript: %+v", m)
		}
	}

	// The customer's next conversation, worked by another agent, shows the
	// notes, newest first.
	alice.request(protocol.TypeResolve, ref(first.ID))
	cust.waitConversation("resolved", stateIs(protocol.StateResolved))
	second := cust.open(nil)
	if second.ID == first.ID {
		t.Fatalf("open after resolve returned the resolved conversation")
	}
	cust.sendText(second.ID, "human")
	cust.waitConversation("queued", func(c protocol.Conversation) bool { return c.ID == second.ID && c.State == protocol.StateQueued })
	carol, _ := e.agent("carol")
	ctx := carol.contextOf(second.ID)
	if len(ctx.Notes) != 2 || ctx.Notes[0].ID != n2.ID || ctx.Notes[1] != n1 {
		t.Fatalf("context notes = %+v, want [%s %s]", ctx.Notes, n2.ID, n1.ID)
	}

	// Another customer's context has none of them.
	_, other := e.queued("other", "human")
	if notes := carol.contextOf(other.ID).Notes; len(notes) != 0 {
		t.Errorf("another customer's notes = %+v, want none", notes)
	}

	// Context shows the newest MaxContextNotes.
	for i := range protocol.MaxContextNotes {
		carol.decode(carol.note(second.ID, fmt.Sprint("note ", i)), protocol.TypeCustomerNote, &protocol.CustomerNote{})
		time.Sleep(time.Millisecond) // distinct created_at, so the order is by time
	}
	notes := carol.contextOf(second.ID).Notes
	if len(notes) != protocol.MaxContextNotes || notes[0].Text != fmt.Sprint("note ", protocol.MaxContextNotes-1) || notes[0].AuthorName != "Carol" {
		t.Errorf("context holds %d notes starting %+v, want %d starting with the newest", len(notes), notes[0], protocol.MaxContextNotes)
	}

	// The customer can neither write nor see notes.
	cust.wantError(cust.note(second.ID, "let me in"), protocol.ErrForbidden.Code)
	cust.wantError(cust.request(protocol.TypeContext, ref(second.ID)), protocol.ErrForbidden.Code)
	for _, m := range cust.sync(first.ID, 0).Messages {
		if strings.Contains(m.Text, "prefers email") {
			t.Errorf("the customer reads the note: %+v", m)
		}
	}
	cust.noPush(300*time.Millisecond, "a note", noStaffData)
}

func TestTagsAndNotesSurviveRestart(t *testing.T) {
	dir := t.TempDir()
	e := startEnv(t, Config{DataDir: dir, Demo: true, Bot: fakeBot})
	alice, _ := e.agent("alice")
	_, conv := e.activeWith(alice, "customer")
	alice.tagged(conv.ID, []string{"VIP", "refund"}, nil)
	var n protocol.CustomerNote
	alice.decode(alice.note(conv.ID, "prefers email"), protocol.TypeCustomerNote, &n)
	e.stop()

	e2 := startEnv(t, Config{DataDir: dir, Demo: true, Bot: fakeBot})
	alice2, w := e2.agent("alice")
	if c, ok := findConv(w.Conversations, conv.ID); !ok || !slices.Equal(c.Tags, []string{"refund", "VIP"}) {
		t.Fatalf("welcome after restart = %+v, want conversation %s tagged [refund VIP]", w.Conversations, conv.ID)
	}
	if notes := alice2.contextOf(conv.ID).Notes; len(notes) != 1 || notes[0] != n {
		t.Errorf("notes after restart = %+v, want [%+v]", notes, n)
	}
}

func TestTagAndNoteBadFrames(t *testing.T) {
	e := newEnv(t, nil)
	alice, _ := e.agent("alice")
	_, conv := e.activeWith(alice, "customer")
	tests := []struct {
		name string
		in   string
		code string
	}{
		{"malformed JSON", `{"type":"tag","data":{"add":[`, protocol.ErrMalformed.Code},
		{"tag without data", `{"type":"tag"}`, protocol.ErrInvalid.Code},
		{"tag with null data", `{"type":"tag","data":null}`, protocol.ErrInvalid.Code},
		{"add is not a list", `{"type":"tag","data":{"conversation_id":"` + conv.ID + `","add":"vip"}}`, protocol.ErrInvalid.Code},
		{"a tag is not a string", `{"type":"tag","data":{"conversation_id":"` + conv.ID + `","add":["vip",7]}}`, protocol.ErrInvalid.Code},
		{"note without data", `{"type":"customer_note"}`, protocol.ErrInvalid.Code},
		{"note text not a string", `{"type":"customer_note","data":{"conversation_id":"` + conv.ID + `","text":5}}`, protocol.ErrInvalid.Code},
		{"note for a huge conversation id", `{"type":"customer_note","data":{"conversation_id":"` + strings.Repeat("z", 1000) + `","text":"x"}}`, protocol.ErrNotFound.Code},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := alice.rawError([]byte(tt.in)); got.Code != tt.code {
				t.Fatalf("error = %+v, want %s", got, tt.code)
			}
		})
	}
	// Unknown fields are allowed, as on every frame (newer clients).
	alice.writeRaw([]byte(`{"type":"tag","id":"x1","data":{"conversation_id":"` + conv.ID + `","add":["vip"],"color":"red"}}`))
	var c protocol.Conversation
	alice.decode(alice.replyTo("x1"), protocol.TypeConversation, &c)
	if !slices.Equal(c.Tags, []string{"vip"}) {
		t.Errorf("tags = %q, want [vip]", c.Tags)
	}
}
