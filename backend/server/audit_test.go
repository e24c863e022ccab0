package server

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"switchboard/backend/audit"
	"switchboard/backend/auth"
	"switchboard/backend/store"
	"switchboard/protocol"
)

// adminToken creates an admin account (the demo has none) and signs it in.
func (e *env) adminToken(username string) (id, token string) {
	e.t.Helper()
	hash, err := auth.HashPassword(DemoPassword)
	if err != nil {
		e.t.Fatal(err)
	}
	a, err := e.srv.store.UpsertAgent(context.Background(), store.Agent{Username: username, Name: "Ada", Role: protocol.RoleAdmin, PasswordHash: hash})
	if err != nil {
		e.t.Fatal(err)
	}
	return a.ID, e.login(username).Token
}

// auditOf lists the read entries of actor on conversation conv, as
// "action detail".
func auditOf(t *testing.T, e *env, actor, conv string) []string {
	t.Helper()
	got, err := e.srv.store.AuditLog(context.Background(), store.AuditQuery{Actor: actor, ConversationID: conv})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, a := range got {
		if !slices.Contains([]string{audit.ActionRead, audit.ActionReadFile, audit.ActionReadThumb}, a.Action) {
			continue // live views (asynchronous) and the actor's changes
		}
		out = append(out, strings.TrimSpace(a.Action+" "+a.Detail))
	}
	return out
}

// TestAuditReads checks that every read of a conversation or its files by
// someone other than its assignee is recorded, and that the assignee's and
// the customer's are not.
func TestAuditReads(t *testing.T) {
	e := pickEnv(t, nil)
	cust, vr := e.customer("customer")
	conv := cust.open(nil)
	cust.sendText(conv.ID, "human please")
	cust.waitConversation("queued", func(c protocol.Conversation) bool { return c.State == protocol.StateQueued })
	carol, _ := e.agent("carol")
	carolID := carol.user.ID
	carol.sync(conv.ID, 0) // an agent reading their team's queue
	carol.decode(carol.request(protocol.TypeContext, ref(conv.ID)), protocol.TypeContext, new(protocol.ContextData))

	aliceToken := e.login("alice").Token
	alice, _ := e.connect("alice", aliceToken)
	alice.accept(conv.ID)
	alice.sync(conv.ID, 0)
	alice.decode(alice.request(protocol.TypeContext, ref(conv.ID)), protocol.TypeContext, new(protocol.ContextData))
	cust.sync(conv.ID, 0)

	samToken := e.login("sam").Token
	sam, _ := e.connect("sam", samToken)
	var h protocol.HistoryData
	sam.decode(sam.request(protocol.TypeSync, protocol.SyncData{ConversationID: conv.ID, BeforeSeq: 3}), protocol.TypeHistory, &h)
	sam.decode(sam.request(protocol.TypeContext, ref(conv.ID)), protocol.TypeContext, new(protocol.ContextData))

	adminID, adminTok := e.adminToken("ada")
	adm, _ := e.connect("ada", adminTok)
	adm.sync(conv.ID, 0)

	// A resume reads the history too.
	sam2 := e.dial("sam again")
	sam2.decode(sam2.request(protocol.TypeHello, protocol.HelloData{Protocol: protocol.Version, Token: samToken,
		Resume: map[string]int64{conv.ID: 1}}), protocol.TypeWelcome, new(protocol.WelcomeData))
	sam2.waitPush("resumed", func(f protocol.Frame) bool { return f.Type == protocol.TypeResumed })

	// Files: the customer's image, read by everyone.
	img := testPNG(t, 40, 40)
	v := vr.Token
	id, perr := e.tus(v).upload(conv.ID, "photo.png", "image/png", img)
	if perr != nil {
		t.Fatal(perr)
	}
	var ack protocol.AckData
	cust.decode(cust.request(protocol.TypeSend, protocol.SendData{ConversationID: conv.ID, ClientMsgID: uuid.NewString(),
		Kind: protocol.KindImage, AttachmentID: id}), protocol.TypeAck, &ack)
	for _, tok := range []string{v, aliceToken, samToken, adminTok} {
		for _, path := range []string{"/api/v1/files/" + id, "/api/v1/files/" + id + "/thumb"} {
			if code, _, _ := e.get(path, tok, nil); code != http.StatusOK {
				t.Fatalf("GET %s = %d, want 200", path, code)
			}
		}
	}

	tests := []struct {
		who, id string
		want    []string
	}{
		{"carol (agent, queued)", carolID, []string{"read via=sync", "read via=context"}},
		{"alice (assignee)", alice.user.ID, nil},
		{"customer", cust.user.ID, nil},
		{"sam (supervisor)", sam.user.ID, []string{"read via=history", "read via=context", "read via=resume",
			"read_file file=" + id, "read_thumb file=" + id}},
		{"admin", adminID, []string{"read via=sync", "read_file file=" + id, "read_thumb file=" + id}},
	}
	for _, tt := range tests {
		if got := auditOf(t, e, tt.id, conv.ID); !slices.Equal(got, tt.want) {
			t.Errorf("%s: audit entries = %q, want %q", tt.who, got, tt.want)
		}
	}
}

// TestAuditLiveView checks that a supervisor's connection receiving a
// conversation's live pushes is recorded once, however many pushes, and
// again for another connection; the assignee's is not.
func TestAuditLiveView(t *testing.T) {
	e := pickEnv(t, nil)
	cust, _, _, _, conv := chatting(t, e)
	sam, _ := e.agent("sam")
	for i := range 3 {
		ack := cust.sendText(conv.ID, fmt.Sprint("message ", i))
		sam.waitMessage("push", func(m protocol.Message) bool { return m.Seq == ack.Seq })
	}
	liveViews := func(actor string) []store.AuditEntry {
		got, err := e.srv.store.AuditLog(context.Background(), store.AuditQuery{Actor: actor, Action: audit.ActionLiveView, ConversationID: conv.ID})
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	e.srv.audits.flush()
	if got := liveViews(sam.user.ID); len(got) != 1 {
		t.Fatalf("live views of sam = %+v, want 1", got)
	}
	// More pushes add nothing.
	ack := cust.sendText(conv.ID, "more")
	sam.waitMessage("push", func(m protocol.Message) bool { return m.Seq == ack.Seq })
	e.srv.audits.flush()
	if got := liveViews(sam.user.ID); len(got) != 1 {
		t.Errorf("live views of sam after more pushes = %d, want 1", len(got))
	}
	if got := liveViews(e.agentID("alice")); len(got) != 0 {
		t.Errorf("live views of the assignee = %+v, want none", got)
	}
	// An admin sees every conversation live: recorded once too.
	adminID, adminTok := e.adminToken("ada")
	adm, _ := e.connect("ada", adminTok)
	for _, text := range []string{"admin 1", "admin 2"} {
		ack := cust.sendText(conv.ID, text)
		adm.waitMessage("push", func(m protocol.Message) bool { return m.Seq == ack.Seq })
	}
	e.srv.audits.flush()
	if got := liveViews(adminID); len(got) != 1 {
		t.Errorf("live views of the admin = %d, want 1", len(got))
	}
	// Another connection of sam's is another view.
	sam2, _ := e.agent("sam")
	ack = cust.sendText(conv.ID, "again")
	sam2.waitMessage("push", func(m protocol.Message) bool { return m.Seq == ack.Seq })
	e.srv.audits.flush()
	if got := liveViews(sam.user.ID); len(got) != 2 || got[0].Detail == got[1].Detail {
		t.Errorf("live views of two connections = %+v, want 2 with their sessions", got)
	}
}

// getAudit asks the admin endpoint with query q.
func (e *env) getAudit(token string, q url.Values) (int, protocol.AuditPage, protocol.Error) {
	e.t.Helper()
	code, _, body := e.get(protocol.AuditPath+"?"+q.Encode(), token, nil)
	var page protocol.AuditPage
	var herr httpError
	if code == http.StatusOK {
		if err := json.Unmarshal(body, &page); err != nil {
			e.t.Fatalf("decode %s: %v", body, err)
		}
	} else {
		json.Unmarshal(body, &herr)
	}
	return code, page, herr.Error
}

func TestAuditEndpointPermissions(t *testing.T) {
	e := pickEnv(t, nil)
	_, adminTok := e.adminToken("ada")
	tests := []struct {
		name     string
		token    string
		wantCode int
		wantErr  string
	}{
		{"no token", "", http.StatusUnauthorized, protocol.ErrUnauthorized.Code},
		{"bad token", "nope", http.StatusUnauthorized, protocol.ErrUnauthorized.Code},
		{"customer", e.visitor().Token, http.StatusForbidden, protocol.ErrForbidden.Code},
		{"agent", e.login("alice").Token, http.StatusForbidden, protocol.ErrForbidden.Code},
		{"supervisor", e.login("sam").Token, http.StatusForbidden, protocol.ErrForbidden.Code},
		{"admin", adminTok, http.StatusOK, ""},
	}
	for _, tt := range tests {
		code, _, perr := e.getAudit(tt.token, nil)
		if code != tt.wantCode || perr.Code != tt.wantErr {
			t.Errorf("%s: GET %s = %d %q, want %d %q", tt.name, protocol.AuditPath, code, perr.Code, tt.wantCode, tt.wantErr)
		}
	}
	req, _ := http.NewRequest(http.MethodPost, e.ts.URL+protocol.AuditPath, nil)
	req.Header.Set("Authorization", "Bearer "+adminTok)
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != http.StatusBadRequest {
		t.Errorf("POST = %v, %v, want 400", resp, err)
	} else {
		resp.Body.Close()
	}
}

func TestAuditEndpointFilters(t *testing.T) {
	e := pickEnv(t, nil)
	adminID, adminTok := e.adminToken("ada")
	ctx := context.Background()
	now := time.Now().UnixMilli()
	for i, a := range []store.AuditEntry{
		{TS: now - 3*3600_000, Actor: "sup-1", Action: audit.ActionRead, ConversationID: "c1"},
		{TS: now - 2*3600_000, Actor: "sup-1", Action: audit.ActionReadFile, ConversationID: "c1"},
		{TS: now - 1*3600_000, Actor: "sup-2", Action: audit.ActionRead, ConversationID: "c2"},
		{TS: now - 1000, Actor: "sup-1", Action: audit.ActionRead, ConversationID: "c2"},
	} {
		a.Detail = fmt.Sprint("n", i)
		if err := e.srv.store.AddAudit(ctx, a); err != nil {
			t.Fatal(err)
		}
	}
	details := func(p protocol.AuditPage) string {
		var out []string
		for _, a := range p.Entries {
			out = append(out, a.Detail)
		}
		return strings.Join(out, ",")
	}
	tests := []struct {
		name string
		q    url.Values
		want string
	}{
		{"actor", url.Values{"actor": {"sup-1"}}, "n0,n1,n3"},
		{"conversation", url.Values{"conversation": {"c2"}}, "n2,n3"},
		{"action", url.Values{"action": {"read"}, "actor": {"sup-1"}}, "n0,n3"},
		{"since duration", url.Values{"since": {"90m"}, "conversation": {"c2"}}, "n2,n3"},
		{"since and until", url.Values{"since": {"150m"}, "until": {time.UnixMilli(now - 30*60_000).UTC().Format(time.RFC3339)}}, "n1,n2"},
	}
	for _, tt := range tests {
		code, page, perr := e.getAudit(adminTok, tt.q)
		if code != http.StatusOK || details(page) != tt.want {
			t.Errorf("%s: %v = %d %v %q, want %q", tt.name, tt.q, code, perr, details(page), tt.want)
		}
	}
	// Paging: two at a time over sup-1's three.
	_, p1, _ := e.getAudit(adminTok, url.Values{"actor": {"sup-1"}, "limit": {"2"}})
	if details(p1) != "n0,n1" || !p1.HasMore || p1.NextAfter != p1.Entries[1].ID {
		t.Fatalf("page 1 = %+v", p1)
	}
	_, p2, _ := e.getAudit(adminTok, url.Values{"actor": {"sup-1"}, "limit": {"2"}, "after": {fmt.Sprint(p1.NextAfter)}})
	if details(p2) != "n3" || p2.HasMore || p2.NextAfter != 0 {
		t.Errorf("page 2 = %+v", p2)
	}
	if p1.Entries[0].Hash == "" || p1.Entries[0].ID == 0 {
		t.Errorf("entry %+v has no id or hash", p1.Entries[0])
	}
	for _, bad := range []url.Values{{"since": {"yesterday"}}, {"limit": {"0"}}, {"limit": {"5000"}}, {"after": {"-1"}}} {
		if code, _, perr := e.getAudit(adminTok, bad); code != http.StatusBadRequest || perr.Code != protocol.ErrInvalid.Code {
			t.Errorf("%v = %d %q, want 400 invalid", bad, code, perr.Code)
		}
	}
	// An actor by username, named in the answer.
	_, byName, _ := e.getAudit(adminTok, url.Values{"actor": {"ada"}})
	if len(byName.Entries) == 0 || byName.Entries[0].Actor != adminID || byName.Entries[0].ActorName != "ada" {
		t.Errorf("actor=ada = %+v, want the admin's entries with their username", byName.Entries)
	}
	// Reading the log is in the log.
	got, _ := e.srv.store.AuditLog(ctx, store.AuditQuery{Actor: adminID, Action: audit.ActionReadAudit})
	if len(got) == 0 || got[0].Detail != "actor=sup-1" {
		t.Errorf("the admin's reads of the log = %+v, want them recorded with their query", got)
	}
}
