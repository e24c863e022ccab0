package server

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"switchboard/backend/canned"
	"switchboard/backend/notice"
	"switchboard/backend/store"
	"switchboard/protocol"
)

func (c *client) cannedList() []protocol.CannedResponse {
	c.t.Helper()
	var l protocol.CannedList
	c.decode(c.request(protocol.TypeCanned, protocol.CannedRequest{}), protocol.TypeCanned, &l)
	return l.Responses
}

func (c *client) cannedEdit(d protocol.CannedEditData) protocol.Frame {
	c.t.Helper()
	return c.request(protocol.TypeCannedEdit, d)
}

func isCannedChange(f protocol.Frame) bool { return f.Type == protocol.TypeCannedChanged }

func (c *client) cannedChange() protocol.CannedChange {
	c.t.Helper()
	var ch protocol.CannedChange
	if err := json.Unmarshal(c.waitPush("canned_changed", isCannedChange).Data, &ch); err != nil {
		c.t.Fatal(err)
	}
	return ch
}

func scopes(l []protocol.CannedResponse) []string {
	var out []string
	for _, r := range l {
		out = append(out, r.Team+"/"+r.Shortcut)
	}
	return out
}

// TestCannedScope: each caller lists the global responses and their teams'
// (an admin all); the demo seed gives some of each.
func TestCannedScope(t *testing.T) {
	e := newEnv(t, nil)
	alice, _ := e.agent("alice") // presales
	bob, _ := e.agent("bob")     // aftersales
	_, tok := e.adminToken("adam")
	adam, _ := e.connect("adam", tok)
	cust, _ := e.customer("c1")

	ga, gb, gadm := scopes(alice.cannedList()), scopes(bob.cannedList()), scopes(adam.cannedList())
	if !slices.Contains(ga, "/hello") || !slices.Contains(ga, "presales/discount") || slices.Contains(ga, "aftersales/refund") {
		t.Errorf("alice lists %v, want global and presales only", ga)
	}
	if !slices.Contains(gb, "/hello") || !slices.Contains(gb, "aftersales/refund") || slices.Contains(gb, "presales/discount") {
		t.Errorf("bob lists %v, want global and aftersales only", gb)
	}
	if len(gadm) != len(canned.Demo) {
		t.Errorf("admin lists %v, want all %d", gadm, len(canned.Demo))
	}
	cust.wantError(cust.request(protocol.TypeCanned, protocol.CannedRequest{}), protocol.ErrForbidden.Code)
}

// TestCannedEdit: who may edit which scope, the coded refusals, and the
// push of every change to the staff of its scope only.
func TestCannedEdit(t *testing.T) {
	e := newEnv(t, nil)
	alice, _ := e.agent("alice") // presales agent
	bob, _ := e.agent("bob")     // aftersales agent
	sam, _ := e.agent("sam")     // supervisor of both
	_, tok := e.adminToken("adam")
	adam, _ := e.connect("adam", tok)

	var created protocol.CannedResponse
	sam.decode(sam.cannedEdit(protocol.CannedEditData{Op: protocol.CannedOpCreate, Team: "presales", Shortcut: "/Price",
		Text: protocol.CannedText{ZH: "{customer.name}，价格是 100 元", EN: "{customer.name}, it costs 100"}}), protocol.TypeCannedEdit, &created)
	if created.ID == "" || created.Shortcut != "price" || created.Team != "presales" || created.UpdatedBy != "Sam" || created.UpdatedAt == 0 {
		t.Fatalf("created %+v", created)
	}
	if ch := alice.cannedChange(); ch.Response.ID != created.ID || ch.Deleted {
		t.Fatalf("alice was pushed %+v, want the new presales response", ch)
	}
	if ch := adam.cannedChange(); ch.Response.ID != created.ID {
		t.Fatalf("the admin was pushed %+v", ch)
	}
	if !slices.Contains(scopes(alice.cannedList()), "presales/price") {
		t.Error("alice does not list the new response")
	}

	// Refusals, each with its code; nothing is stored.
	for _, tc := range []struct {
		name string
		who  *client
		d    protocol.CannedEditData
		code string
	}{
		{"supervisor, global", sam, protocol.CannedEditData{Op: protocol.CannedOpCreate, Shortcut: "x", Text: protocol.CannedText{EN: "x"}}, protocol.ErrForbidden.Code},
		{"agent", alice, protocol.CannedEditData{Op: protocol.CannedOpCreate, Team: "presales", Shortcut: "x", Text: protocol.CannedText{EN: "x"}}, protocol.ErrForbidden.Code},
		{"agent deletes", alice, protocol.CannedEditData{Op: protocol.CannedOpDelete, ID: created.ID}, protocol.ErrForbidden.Code},
		{"unreadable id", bob, protocol.CannedEditData{Op: protocol.CannedOpDelete, ID: created.ID}, protocol.ErrNotFound.Code},
		{"empty text", sam, protocol.CannedEditData{Op: protocol.CannedOpCreate, Team: "presales", Shortcut: "x", Text: protocol.CannedText{ZH: " ", EN: ""}}, protocol.ErrInvalid.Code},
		{"too long", sam, protocol.CannedEditData{Op: protocol.CannedOpCreate, Team: "presales", Shortcut: "x", Text: protocol.CannedText{EN: strings.Repeat("a", protocol.MaxCannedRunes+1)}}, protocol.ErrTextTooLong.Code},
		{"unknown variable", sam, protocol.CannedEditData{Op: protocol.CannedOpCreate, Team: "presales", Shortcut: "x", Text: protocol.CannedText{EN: "Dear {customer.title}"}}, protocol.ErrUnknownVariable.Code},
		{"duplicate", sam, protocol.CannedEditData{Op: protocol.CannedOpCreate, Team: "presales", Shortcut: "PRICE", Text: protocol.CannedText{EN: "x"}}, protocol.ErrDuplicateShortcut.Code},
		{"bad op", adam, protocol.CannedEditData{Op: "rename"}, protocol.ErrInvalid.Code},
	} {
		f := tc.who.cannedEdit(tc.d)
		if f.Type != protocol.TypeError || f.Error == nil || f.Error.Code != tc.code {
			t.Errorf("%s: got %s %+v, want %s", tc.name, f.Type, f.Error, tc.code)
		}
	}
	if n := len(adam.cannedList()); n != len(canned.Demo)+1 {
		t.Errorf("after the refusals the admin lists %d, want %d", n, len(canned.Demo)+1)
	}

	// The admin edits a global one: every agent is pushed it. Bob's first
	// push is that one: the presales change never reached him.
	var hello protocol.CannedResponse
	for _, r := range adam.cannedList() {
		if r.Shortcut == "hello" {
			hello = r
		}
	}
	adam.decode(adam.cannedEdit(protocol.CannedEditData{Op: protocol.CannedOpUpdate, ID: hello.ID, Title: "Hi", Shortcut: "hi",
		Text: protocol.CannedText{EN: "Hi {customer.name}"}}), protocol.TypeCannedEdit, &hello)
	if ch := bob.cannedChange(); ch.Response.ID != hello.ID || ch.Response.Shortcut != "hi" || ch.Response.Text.ZH != "" {
		t.Fatalf("bob's first push is %+v, want the global update", ch)
	}
	if ch := alice.cannedChange(); ch.Response.ID != hello.ID {
		t.Fatalf("alice was pushed %+v, want the global update", ch)
	}

	// The supervisor deletes: the team is told to drop it.
	sam.decode(sam.cannedEdit(protocol.CannedEditData{Op: protocol.CannedOpDelete, ID: created.ID}), protocol.TypeCannedEdit, &created)
	if ch := alice.cannedChange(); ch.Response.ID != created.ID || !ch.Deleted {
		t.Fatalf("alice was pushed %+v, want the deletion", ch)
	}
	if slices.Contains(scopes(alice.cannedList()), "presales/price") {
		t.Error("the deleted response is still listed")
	}
}

// TestCannedNotice: a change the admin command made reaches connected
// staff through its change notice, a deletion too.
func TestCannedNotice(t *testing.T) {
	e := newEnv(t, nil)
	bob, _ := e.agent("bob")
	ctx := context.Background()
	r, err := e.srv.store.PutCannedResponse(ctx, store.CannedResponse{ID: "cli-1", Team: "aftersales", Title: "T", Shortcut: "cli", TextEN: "from the CLI"})
	if err != nil {
		t.Fatal(err)
	}
	if err := notice.Send(ctx, notice.Path(e.cfg.DataDir), notice.Notice{Kind: notice.Canned, ID: r.ID}); err != nil {
		t.Fatal(err)
	}
	if ch := bob.cannedChange(); ch.Response.ID != r.ID || ch.Response.Text.EN != "from the CLI" || ch.Deleted {
		t.Fatalf("bob was pushed %+v", ch)
	}
	if err := e.srv.store.DeleteCannedResponse(ctx, r.ID); err != nil {
		t.Fatal(err)
	}
	if err := notice.Send(ctx, notice.Path(e.cfg.DataDir), notice.Notice{Kind: notice.Canned, ID: r.ID}); err != nil {
		t.Fatal(err)
	}
	if ch := bob.cannedChange(); ch.Response.ID != r.ID || !ch.Deleted {
		t.Fatalf("bob was pushed %+v, want the deletion", ch)
	}
}
