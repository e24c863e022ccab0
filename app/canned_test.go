package app_test

import (
	"testing"

	"switchboard/app"
	"switchboard/protocol"
)

// These tests run against app/internal/fakeserver, which answers canned and
// canned_edit and pushes canned_changed the way docs/protocol.md says.

func sharedCanned() []protocol.CannedResponse {
	return []protocol.CannedResponse{
		{ID: "g1", Title: "Greeting", Shortcut: "hi", Text: protocol.CannedText{ZH: "您好，{customer.name}！", EN: "Hello, {customer.name}!"}},
		{ID: "p1", Team: "presales", Title: "Discount", Shortcut: "discount", Text: protocol.CannedText{ZH: "满减", EN: "Discount"}},
		{ID: "a1", Team: "aftersales", Title: "Refund", Shortcut: "refund", Text: protocol.CannedText{ZH: "已退款 {order_no}", EN: "Refunded {order_no}"}},
	}
}

func TestCannedListIsWhatTheUserReads(t *testing.T) {
	f := newFixture(t)
	f.srv.SetCanned(sharedCanned())
	f.signIn(t)
	l, err := f.a.CannedList()
	if err != nil {
		t.Fatalf("CannedList: %v", err)
	}
	var ids []string
	for _, r := range l.Responses {
		ids = append(ids, r.ID)
	}
	if len(ids) != 2 || ids[0] != "g1" || ids[1] != "p1" {
		t.Fatalf("alice's CannedList ids = %v; want [g1 p1] (global and presales)", ids)
	}
	// The personal responses stay next to the shared ones.
	if own, err := f.a.CannedResponses(); err != nil || len(own) != 6 {
		t.Fatalf("CannedResponses = %d, %v; want the six defaults", len(own), err)
	}
}

func TestCannedListEmptyIsAList(t *testing.T) {
	f := newFixture(t)
	f.signIn(t)
	l, err := f.a.CannedList()
	if err != nil || l.Responses == nil || len(l.Responses) != 0 {
		t.Fatalf("CannedList = %#v, %v; want an empty list, not null", l, err)
	}
}

func TestEditCannedRefusesAgents(t *testing.T) {
	f := newFixture(t)
	f.srv.SetCanned(sharedCanned())
	f.signIn(t)
	_, err := f.a.EditCanned(protocol.CannedEditData{Op: protocol.CannedOpCreate, Team: "presales", Shortcut: "x", Text: protocol.CannedText{EN: "x"}})
	wantCode(t, "an agent's EditCanned", err, "forbidden")
	if n := len(f.srv.CannedEdits()); n != 0 {
		t.Fatalf("%d canned edits reached the server from an agent; want 0", n)
	}
}

func TestEditCannedPassesServerErrors(t *testing.T) {
	f := newFixture(t)
	f.srv.SetCanned(sharedCanned())
	f.signIn(t)
	s := f.signInPeer(t, "sam", sam)

	cases := []struct {
		name string
		edit protocol.CannedEditData
		code string
	}{
		{"duplicate shortcut", protocol.CannedEditData{Op: protocol.CannedOpCreate, Team: "presales", Shortcut: "Discount", Text: protocol.CannedText{EN: "again"}}, "duplicate_shortcut"},
		{"unknown variable", protocol.CannedEditData{Op: protocol.CannedOpCreate, Team: "presales", Shortcut: "x", Text: protocol.CannedText{EN: "{coupon}"}}, "unknown_variable"},
		{"another team", protocol.CannedEditData{Op: protocol.CannedOpCreate, Team: "aftersales", Shortcut: "x", Text: protocol.CannedText{EN: "x"}}, "forbidden"},
		{"global by a supervisor", protocol.CannedEditData{Op: protocol.CannedOpUpdate, ID: "g1", Shortcut: "hi", Text: protocol.CannedText{EN: "x"}}, "forbidden"},
		{"no such id", protocol.CannedEditData{Op: protocol.CannedOpDelete, ID: "nope"}, "not_found"},
		{"no op", protocol.CannedEditData{ID: "p1"}, "invalid_request"},
	}
	for _, c := range cases {
		_, err := s.a.EditCanned(c.edit)
		wantCode(t, c.name, err, c.code)
	}
	if n := len(f.srv.CannedEdits()); n != 0 {
		t.Fatalf("%d canned edits applied; want 0 after refusals", n)
	}
}

func TestEditCannedAndThePush(t *testing.T) {
	f := newFixture(t)
	f.srv.SetCanned(sharedCanned())
	f.signIn(t) // alice, an agent of presales, receives the pushes
	s := f.signInPeer(t, "sam", sam)

	r, err := s.a.EditCanned(protocol.CannedEditData{
		Op: protocol.CannedOpCreate, Team: "presales", Title: "Coupon", Shortcut: "/Coupon",
		Text: protocol.CannedText{ZH: "{customer.name}，送您一张券", EN: "{customer.name}, a coupon for you"},
	})
	if err != nil {
		t.Fatalf("EditCanned(create): %v", err)
	}
	if r.ID == "" || r.Shortcut != "coupon" || r.Team != "presales" || r.UpdatedBy != sam.Name {
		t.Fatalf("EditCanned(create) = %+v; want the stored response, shortcut coupon, by Sam", r)
	}
	evs := f.p.waitFor(t, "canned push to alice", func(evs []emitted) bool { return len(named(evs, app.EventCannedChanged)) > 0 })
	ch := named(evs, app.EventCannedChanged)[0].data.(protocol.CannedChange)
	if ch.Response.ID != r.ID || ch.Deleted {
		t.Fatalf("pushed %+v; want the saved %s", ch, r.ID)
	}

	upd, err := s.a.EditCanned(protocol.CannedEditData{
		Op: protocol.CannedOpUpdate, ID: r.ID, Title: "Coupon", Shortcut: "coupon", Text: protocol.CannedText{EN: "A coupon"},
	})
	if err != nil || upd.Text.EN != "A coupon" || upd.Text.ZH != "" {
		t.Fatalf("EditCanned(update) = %+v, %v; want the new text", upd, err)
	}
	if _, err := s.a.EditCanned(protocol.CannedEditData{Op: protocol.CannedOpDelete, ID: r.ID}); err != nil {
		t.Fatalf("EditCanned(delete): %v", err)
	}
	f.p.waitFor(t, "the delete pushed", func(evs []emitted) bool {
		got := named(evs, app.EventCannedChanged)
		return len(got) == 3 && got[2].data.(protocol.CannedChange).Deleted
	})
	if l, err := f.a.CannedList(); err != nil || len(l.Responses) != 2 {
		t.Fatalf("alice's CannedList after the delete = %+v, %v; want the two she read before", l, err)
	}
	if n := len(f.srv.CannedEdits()); n != 3 {
		t.Fatalf("%d canned edits applied; want 3", n)
	}
}
