package app_test

import (
	"slices"
	"strings"
	"testing"

	"switchboard/app"
	"switchboard/app/internal/fakeserver"
	"switchboard/protocol"
)

func pageSeqs(p app.MessagePage) []int64 {
	out := []int64{}
	for _, m := range p.Messages {
		out = append(out, m.Seq)
	}
	return out
}

func seqRange(from, to int64) []int64 {
	out := []int64{}
	for s := from; s <= to; s++ {
		out = append(out, s)
	}
	return out
}

func TestTranscriptPageNewestThenOlderFromCache(t *testing.T) {
	f := newFixture(t)
	for range 297 {
		f.srv.Say("c1", customer, "earlier", false)
	}
	f.signIn(t)
	if _, err := f.a.Accept("c1"); err != nil { // seq 301: assigned
		t.Fatal(err)
	}
	if _, err := f.a.Send("c1", "hello"); err != nil {
		t.Fatal(err)
	}
	evs := f.p.waitFor(t, "the ack", func(evs []emitted) bool { return len(named(evs, app.EventAck)) == 1 })
	ackSeq := named(evs, app.EventAck)[0].data.(protocol.AckData).Seq

	newest, err := f.a.TranscriptPage("c1", 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := pageSeqs(newest), seqRange(ackSeq-99, ackSeq); !slices.Equal(got, want) || !newest.HasMore {
		t.Fatalf("newest page = %v has_more=%v, want %v has_more=true", got, newest.HasMore, want)
	}

	syncs := f.srv.Count(fakeserver.ScrollbackCount)
	tests := []struct {
		name    string
		before  int64
		limit   int
		want    []int64
		hasMore bool
	}{
		{"page before the newest", ackSeq - 99, 100, seqRange(ackSeq-199, ackSeq-100), true},
		{"the first page", 51, 100, seqRange(1, 50), false},
		{"nothing before the first", 1, 100, []int64{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := f.a.TranscriptPage("c1", tt.before, tt.limit)
			if err != nil {
				t.Fatal(err)
			}
			if got := pageSeqs(p); !slices.Equal(got, tt.want) || p.HasMore != tt.hasMore {
				t.Errorf("TranscriptPage(c1, %d, %d) = %v has_more=%v, want %v has_more=%v",
					tt.before, tt.limit, got, p.HasMore, tt.want, tt.hasMore)
			}
		})
	}
	if n := f.srv.Count(fakeserver.ScrollbackCount); n != syncs {
		t.Errorf("older pages of a cached transcript made %d sync requests, want none", n-syncs)
	}
	if _, err := f.a.TranscriptPage("c1", -1, 10); err == nil || !strings.HasPrefix(err.Error(), "invalid_request: ") {
		t.Errorf("TranscriptPage(before -1) error = %v, want invalid_request", err)
	}
}

func TestTranscriptPageOlderFromServerIsCached(t *testing.T) {
	f := newFixture(t)
	// A conversation the agent's lists do not hold, so nothing of it is
	// cached: its older pages must come from the server.
	f.srv.AddConversation(protocol.Conversation{ID: "c9", CustomerName: "Zhao", State: protocol.StateResolved, Team: "presales"})
	for range 60 {
		f.srv.Say("c9", customer, "old", false)
	}
	f.signIn(t)

	syncs := f.srv.Count(fakeserver.ScrollbackCount)
	p, err := f.a.TranscriptPage("c9", 41, 10)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := pageSeqs(p), seqRange(31, 40); !slices.Equal(got, want) || !p.HasMore {
		t.Fatalf("TranscriptPage(c9, 41, 10) = %v has_more=%v, want %v has_more=true", got, p.HasMore, want)
	}
	if n := f.srv.Count(fakeserver.ScrollbackCount) - syncs; n != 1 {
		t.Fatalf("an uncached page made %d sync requests, want 1", n)
	}
	again, err := f.a.TranscriptPage("c9", 41, 10)
	if err != nil || !slices.Equal(pageSeqs(again), seqRange(31, 40)) {
		t.Fatalf("TranscriptPage again = %v, %v", pageSeqs(again), err)
	}
	if n := f.srv.Count(fakeserver.ScrollbackCount) - syncs; n != 1 {
		t.Errorf("the same page again made %d sync requests in all, want 1 (cached)", n)
	}
}

func TestSendNoteIsInternalAndIdempotent(t *testing.T) {
	f := newFixture(t)
	f.signIn(t)
	if _, err := f.a.Accept("c1"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.a.Transcript("c1"); err != nil {
		t.Fatal(err)
	}
	const id = "0190a0b0-0000-7000-8000-000000000001"
	m, err := f.a.SendNote("c1", id, "VIP: offer free shipping")
	if err != nil {
		t.Fatal(err)
	}
	if m.Seq == 0 || m.ClientMsgID != id || m.Visibility != protocol.VisibilityInternal || m.Sender.ID != alice.ID {
		t.Fatalf("SendNote = %+v; want a stored internal message of alice's", m)
	}
	stored := f.srv.Messages("c1")
	if last := stored[len(stored)-1]; last.Seq != m.Seq || last.Visibility != protocol.VisibilityInternal {
		t.Fatalf("the server stored %+v; want the note as internal", last)
	}
	f.p.waitFor(t, "the note as a message event", func(evs []emitted) bool {
		return slices.Contains(messageSeqs(evs, "c1"), m.Seq)
	})

	// A retry after a lost answer stores nothing twice.
	again, err := f.a.SendNote("c1", id, "VIP: offer free shipping")
	if err != nil || again.Seq != m.Seq {
		t.Fatalf("SendNote retry = seq %d, %v; want seq %d", again.Seq, err, m.Seq)
	}
	if n := len(f.srv.Messages("c1")); n != len(stored) {
		t.Fatalf("the server holds %d messages after a retry, want %d", n, len(stored))
	}

	tests := []struct {
		name, id, text, wantPrefix string
	}{
		{"empty", "", "  ", "invalid_request: "},
		{"bad id", "not-a-uuid", "note", "invalid_request: "},
		{"too long", "", strings.Repeat("x", protocol.MaxTextRunes+1), "text_too_long: "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := f.a.SendNote("c1", tt.id, tt.text); err == nil || !strings.HasPrefix(err.Error(), tt.wantPrefix) {
				t.Errorf("SendNote(%q) error = %v, want prefix %q", tt.text, err, tt.wantPrefix)
			}
		})
	}

	f.srv.Refuse(true)
	f.srv.DropConnections()
	f.p.waitFor(t, "offline", func(evs []emitted) bool { return lastConnState(evs) != "online" })
	if _, err := f.a.SendNote("c1", "", "offline note"); err == nil || !strings.HasPrefix(err.Error(), "unavailable: ") {
		t.Errorf("SendNote offline error = %v, want unavailable", err)
	}
}

func TestMarkReadAndCustomerReceipts(t *testing.T) {
	f := newFixture(t)
	f.signIn(t)
	if _, err := f.a.Accept("c1"); err != nil {
		t.Fatal(err)
	}
	n, err := f.a.MarkRead("c1", 3)
	if err != nil || n != 3 {
		t.Fatalf("MarkRead(c1, 3) = %d, %v; want 3", n, err)
	}
	f.p.waitFor(t, "agent_read_seq 3", func(evs []emitted) bool {
		c, ok := lastConversation(evs, "c1")
		return ok && c.AgentReadSeq == 3
	})
	// Cursors never move back.
	if n, err := f.a.MarkRead("c1", 1); err != nil || n != 3 {
		t.Fatalf("MarkRead(c1, 1) = %d, %v; want 3", n, err)
	}

	f.srv.ReadBy("c1", customer, 4)
	f.p.waitFor(t, "customer_read_seq 4", func(evs []emitted) bool {
		c, ok := lastConversation(evs, "c1")
		return ok && c.CustomerReadSeq == 4 && c.AgentReadSeq == 3
	})
	mine, err := f.a.ListConversations("mine")
	if err != nil || len(mine) != 1 || mine[0].CustomerReadSeq != 4 || mine[0].AgentReadSeq != 3 {
		t.Fatalf("cached conversation = %+v, %v; want the read cursors kept", mine, err)
	}

	if _, err := f.a.MarkRead("", 1); err == nil || !strings.HasPrefix(err.Error(), "invalid_request: ") {
		t.Errorf("MarkRead without a conversation error = %v, want invalid_request", err)
	}
}

func TestResolvedSince(t *testing.T) {
	f := newFixture(t)
	f.signIn(t)
	if _, err := f.a.Accept("c1"); err != nil {
		t.Fatal(err)
	}
	c, err := f.a.Resolve("c1")
	if err != nil {
		t.Fatal(err)
	}
	got, err := f.a.ResolvedSince(c.UpdatedAt)
	if err != nil || len(got) != 1 || got[0].ID != "c1" || got[0].State != protocol.StateResolved {
		t.Fatalf("ResolvedSince(resolution time) = %+v, %v; want c1", got, err)
	}
	got, err = f.a.ResolvedSince(c.UpdatedAt + 1)
	if err != nil || got == nil || len(got) != 0 {
		t.Fatalf("ResolvedSince(after it) = %#v, %v; want empty, non-nil", got, err)
	}
}
