package canned_test

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"switchboard/backend/canned"
	"switchboard/backend/store"
	_ "switchboard/backend/store/sqlite"
)

// cases are shared with the desktop composer's tests
// (frontend/src/features/canned/fill.test.ts), so that both fill alike.
type cases struct {
	Fill []struct {
		Name   string `json:"name"`
		Text   string `json:"text"`
		Values struct {
			CustomerName string            `json:"customer_name"`
			AgentName    string            `json:"agent_name"`
			Ext          map[string]string `json:"ext"`
		} `json:"values"`
		Want    string   `json:"want"`
		Missing []string `json:"missing"`
	} `json:"fill"`
	Unknown []struct {
		Text    string   `json:"text"`
		Unknown []string `json:"unknown"`
	} `json:"unknown"`
	Pick []struct {
		ZH   string `json:"zh"`
		EN   string `json:"en"`
		Lang string `json:"lang"`
		Want string `json:"want"`
	} `json:"pick"`
}

func loadCases(t *testing.T) cases {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "fill_cases.json"))
	if err != nil {
		t.Fatal(err)
	}
	var c cases
	if err := json.Unmarshal(b, &c); err != nil {
		t.Fatal(err)
	}
	if len(c.Fill) == 0 || len(c.Unknown) == 0 || len(c.Pick) == 0 {
		t.Fatal("no cases")
	}
	return c
}

func TestFill(t *testing.T) {
	for _, tc := range loadCases(t).Fill {
		v := canned.Values{CustomerName: tc.Values.CustomerName, AgentName: tc.Values.AgentName, Ext: tc.Values.Ext}
		got, missing := canned.Fill(tc.Text, v)
		if got != tc.Want || !slices.Equal(missing, tc.Missing) && len(missing)+len(tc.Missing) > 0 {
			t.Errorf("%s: Fill(%q) = %q, %q; want %q, %q", tc.Name, tc.Text, got, missing, tc.Want, tc.Missing)
		}
	}
}

func TestUnknown(t *testing.T) {
	for _, tc := range loadCases(t).Unknown {
		if got := canned.Unknown(tc.Text); !slices.Equal(got, tc.Unknown) && len(got)+len(tc.Unknown) > 0 {
			t.Errorf("Unknown(%q) = %q, want %q", tc.Text, got, tc.Unknown)
		}
	}
}

func TestPick(t *testing.T) {
	for _, tc := range loadCases(t).Pick {
		if got := canned.Pick(tc.ZH, tc.EN, tc.Lang); got != tc.Want {
			t.Errorf("Pick(%q, %q, %q) = %q, want %q", tc.ZH, tc.EN, tc.Lang, got, tc.Want)
		}
	}
}

func TestCheck(t *testing.T) {
	long := strings.Repeat("长", canned.MaxTextRunes+1)
	tests := []struct {
		name string
		in   store.CannedResponse
		want error
	}{
		{"ok", store.CannedResponse{Shortcut: "/Refund", TextEN: "Refund for {order_no}"}, nil},
		{"chinese shortcut", store.CannedResponse{Shortcut: "退款", TextZH: "已退款"}, nil},
		{"no text", store.CannedResponse{Shortcut: "x", TextZH: "  ", TextEN: ""}, canned.ErrInvalid},
		{"bad shortcut", store.CannedResponse{Shortcut: "re fund", TextEN: "x"}, canned.ErrInvalid},
		{"empty shortcut", store.CannedResponse{Shortcut: "/", TextEN: "x"}, canned.ErrInvalid},
		{"too long", store.CannedResponse{Shortcut: "x", TextZH: long}, canned.ErrTooLong},
		{"longest", store.CannedResponse{Shortcut: "x", TextZH: long[len("长"):]}, nil},
		{"unknown variable", store.CannedResponse{Shortcut: "x", TextEN: "ok", TextZH: "{客户}{customer.phone}"}, canned.ErrUnknownVariable},
	}
	for _, tt := range tests {
		got, err := canned.Check(tt.in)
		if !errors.Is(err, tt.want) || (tt.want == nil) != (err == nil) {
			t.Errorf("%s: Check(%+v) err = %v, want %v", tt.name, tt.in, err, tt.want)
		}
		if err == nil && (strings.HasPrefix(got.Shortcut, "/") || got.Shortcut != strings.ToLower(got.Shortcut) || got.Title == "") {
			t.Errorf("%s: Check normalized to %+v", tt.name, got)
		}
	}
}

func openStore(t *testing.T) store.Store {
	t.Helper()
	st, err := store.Open(context.Background(), "sqlite:"+filepath.Join(t.TempDir(), "s.db"), store.OpenOptions{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	for _, id := range []string{"presales", "aftersales"} {
		if err := st.UpsertTeam(context.Background(), store.Team{ID: id, Name: id}); err != nil {
			t.Fatal(err)
		}
	}
	return st
}

// TestPermissions: who lists and edits which scope.
func TestPermissions(t *testing.T) {
	ctx := context.Background()
	st := openStore(t)
	svc := canned.Service{Store: st}
	admin := canned.Caller{ID: "admin-cli", Name: "admin", Role: canned.RoleAdmin}
	sam := canned.Caller{ID: "s", Name: "Sam", Role: canned.RoleSupervisor, Teams: []string{"presales"}}
	alice := canned.Caller{ID: "a", Name: "Alice", Role: canned.RoleAgent, Teams: []string{"presales"}}
	bob := canned.Caller{ID: "b", Name: "Bob", Role: canned.RoleAgent, Teams: []string{"aftersales"}}

	g, err := svc.Apply(ctx, admin, canned.Edit{Op: canned.OpCreate, Shortcut: "hello", EN: "Hello {customer.name}"})
	if err != nil || g.UpdatedBy != "admin" || g.Title != "/hello" {
		t.Fatalf("admin creates a global one: %+v, %v", g, err)
	}
	p, err := svc.Apply(ctx, sam, canned.Edit{Op: canned.OpCreate, Team: "presales", Shortcut: "hello", ZH: "您好"})
	if err != nil {
		t.Fatalf("supervisor creates one of their team: %v", err)
	}
	for _, tc := range []struct {
		name string
		who  canned.Caller
		e    canned.Edit
		want error
	}{
		{"supervisor, global", sam, canned.Edit{Op: canned.OpCreate, Shortcut: "x", EN: "x"}, canned.ErrForbidden},
		{"supervisor, another team", sam, canned.Edit{Op: canned.OpCreate, Team: "aftersales", Shortcut: "x", EN: "x"}, canned.ErrForbidden},
		{"supervisor updates global", sam, canned.Edit{Op: canned.OpUpdate, ID: g.ID, Shortcut: "x", EN: "x"}, canned.ErrForbidden},
		{"agent, own team", alice, canned.Edit{Op: canned.OpCreate, Team: "presales", Shortcut: "x", EN: "x"}, canned.ErrForbidden},
		{"agent deletes", alice, canned.Edit{Op: canned.OpDelete, ID: p.ID}, canned.ErrForbidden},
		{"other team's agent deletes", bob, canned.Edit{Op: canned.OpDelete, ID: p.ID}, canned.ErrNotFound},
		{"duplicate", sam, canned.Edit{Op: canned.OpCreate, Team: "presales", Shortcut: "/HELLO", EN: "x"}, canned.ErrDuplicate},
		{"no team", admin, canned.Edit{Op: canned.OpCreate, Team: "nosuch", Shortcut: "x", EN: "x"}, canned.ErrNotFound},
		{"bad op", admin, canned.Edit{Op: "rename"}, canned.ErrInvalid},
	} {
		if _, err := svc.Apply(ctx, tc.who, tc.e); !errors.Is(err, tc.want) {
			t.Errorf("%s: err = %v, want %v", tc.name, err, tc.want)
		}
	}
	count := func(c canned.Caller) int {
		l, err := svc.List(ctx, c)
		if err != nil {
			t.Fatal(err)
		}
		return len(l)
	}
	if a, b, ad := count(alice), count(bob), count(admin); a != 2 || b != 1 || ad != 2 {
		t.Errorf("lists: alice %d, bob %d, admin %d; want 2, 1, 2", a, b, ad)
	}
	// An update keeps the scope and takes the new fields.
	u, err := svc.Apply(ctx, sam, canned.Edit{Op: canned.OpUpdate, ID: p.ID, Team: "aftersales", Title: "Greeting", Shortcut: "hi", ZH: "您好 {agent.name}"})
	if err != nil || u.Team != "presales" || u.Shortcut != "hi" || u.Title != "Greeting" || u.UpdatedBy != "Sam" {
		t.Fatalf("update: %+v, %v", u, err)
	}
	if _, err := svc.Apply(ctx, sam, canned.Edit{Op: canned.OpDelete, ID: p.ID}); err != nil {
		t.Fatal(err)
	}
	if count(alice) != 1 {
		t.Error("the deleted response is still listed")
	}
	entries, err := st.AuditLog(ctx, store.AuditQuery{Action: canned.AuditAction})
	if err != nil || len(entries) != 4 {
		t.Fatalf("audit: %d entries, %v; want 4 (create, create, update, delete)", len(entries), err)
	}
}

// TestDemo: the demo responses pass the rules, and seeding twice keeps
// what was edited in between.
func TestDemo(t *testing.T) {
	ctx := context.Background()
	for _, r := range canned.Demo {
		if _, err := canned.Check(r); err != nil || r.TextZH == "" || r.TextEN == "" {
			t.Errorf("demo response %s: %v (both languages wanted)", r.Shortcut, err)
		}
	}
	st := openStore(t)
	if err := canned.SeedDemo(ctx, st); err != nil {
		t.Fatal(err)
	}
	if err := st.DeleteCannedResponse(ctx, canned.Demo[0].ID); err != nil {
		t.Fatal(err)
	}
	if err := canned.SeedDemo(ctx, st); err != nil {
		t.Fatal(err)
	}
	if l, _ := st.CannedResponses(ctx); len(l) != len(canned.Demo)-1 {
		t.Errorf("after a second seed: %d responses, want %d", len(l), len(canned.Demo)-1)
	}
}
