package server

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"switchboard/backend/auth"
	"switchboard/backend/conversation"
	"switchboard/backend/store"
	"switchboard/protocol"
)

// The authorization matrix: every frame a connection may send and every
// HTTP route, for every kind of caller, against one conversation X of the
// customer cust1, in the team presales, assigned to alice when it is worked.
// The callers are who matter to X:
//
//	cust1  the customer, X is theirs          cust2  another customer
//	alice  agent, X's assignee                carol  agent of X's team, not its assignee
//	bob    agent of another team              sam    supervisor of X's team
//	vera   supervisor of another team only    adam   admin
//
// Each cell is what the server must answer: "ok" or an error code. A frame
// in handlers or a route in the mux without its row fails the test, so no
// action can be added without deciding who may do it.

var principals = []string{"cust1", "cust2", "alice", "carol", "bob", "sam", "vera", "adam"}

const (
	ok = "ok"
	nf = "not_found"
	fb = "forbidden"
	it = "illegal_transition"
	un = "unauthenticated"
)

// every expects the same answer from every caller.
func every(want string) map[string]string {
	m := map[string]string{}
	for _, p := range principals {
		m[p] = want
	}
	return m
}

// cells builds a row from the answers of the customers, of the agents
// (alice, carol, bob), of the supervisors (sam, vera) and of the admin.
func cells(cust1, cust2, alice, carol, bob, sam, vera, adam string) map[string]string {
	return map[string]string{"cust1": cust1, "cust2": cust2, "alice": alice, "carol": carol, "bob": bob, "sam": sam, "vera": vera, "adam": adam}
}

// state is what X looks like before the frame.
type state int

const (
	none     state = iota // no conversation is needed
	queued                // queued in presales
	offered               // queued, offered to alice
	active                // active, assigned to alice
	resolved              // resolved by alice
)

type frameRow struct {
	typ   string
	state state
	data  func(convID string) any
	want  map[string]string
}

func convRef(id string) any { return protocol.ConversationRef{ConversationID: id} }

var frameMatrix = []frameRow{
	{protocol.TypeOpen, none, func(string) any { return protocol.OpenData{} },
		cells(ok, ok, fb, fb, fb, fb, fb, fb)},
	{protocol.TypeSend, active, func(id string) any {
		return protocol.SendData{ConversationID: id, ClientMsgID: uuid.NewString(), Kind: protocol.KindText, Text: "hi"}
	}, cells(ok, nf, ok, nf, nf, fb, nf, fb)},
	{protocol.TypeSync, active, func(id string) any { return protocol.SyncData{ConversationID: id} },
		cells(ok, nf, ok, nf, nf, ok, nf, ok)},
	{protocol.TypeRead, active, func(id string) any { return protocol.ReadData{ConversationID: id, Seq: 1} },
		cells(ok, nf, ok, nf, nf, ok, nf, ok)},
	{protocol.TypeTyping, active, func(id string) any { return protocol.TypingData{ConversationID: id, Active: true} },
		cells(ok, nf, ok, nf, nf, ok, nf, ok)},
	{protocol.TypeContext, active, convRef,
		cells(fb, fb, ok, nf, nf, ok, nf, ok)},
	{protocol.TypeTag, active, func(id string) any { return protocol.TagData{ConversationID: id, Add: []string{"x"}} },
		cells(fb, fb, ok, nf, nf, ok, nf, ok)},
	{protocol.TypeCustomerNote, active, func(id string) any { return protocol.CustomerNoteData{ConversationID: id, Text: "note"} },
		cells(fb, fb, ok, nf, nf, ok, nf, ok)},
	{protocol.TypeList, none, func(string) any { return protocol.ListData{Filter: protocol.ListQueue} },
		cells(fb, fb, ok, ok, ok, ok, ok, ok)},
	{protocol.TypeDirectory, none, func(string) any { return struct{}{} },
		cells(fb, fb, ok, ok, ok, ok, ok, ok)},
	// The floor: supervisors and admins only, each their own scope (what
	// each sees is TestFloorScope's).
	{protocol.TypeFloor, none, func(string) any { return protocol.FloorRequest{Watch: true} },
		cells(fb, fb, fb, fb, fb, ok, ok, ok)},
	// The learning loop. Feedback is the customer's, on the bot's answers
	// only (X's seq 1 is its opened event: not one); the report and the
	// knowledge base are supervisors' and admins'.
	{protocol.TypeBotFeedback, active, func(id string) any { return protocol.BotFeedbackData{ConversationID: id, Seq: 1} },
		cells("invalid_request", nf, fb, fb, fb, fb, fb, fb)},
	{protocol.TypeBotReport, none, func(string) any { return protocol.BotReportRequest{} },
		cells(fb, fb, fb, fb, fb, ok, ok, ok)},
	{protocol.TypeKB, none, func(string) any { return protocol.KBRequest{History: true} },
		cells(fb, fb, fb, fb, fb, ok, ok, ok)},
	{protocol.TypeKBEdit, none, func(string) any {
		return protocol.KBEditData{Op: protocol.KBOpDismiss, MissIDs: []string{"no-such-miss"}}
	}, cells(fb, fb, fb, fb, fb, ok, ok, ok)},
	// Canned responses: every staff member lists; supervisors edit their
	// teams', admins every scope.
	{protocol.TypeCanned, none, func(string) any { return protocol.CannedRequest{} },
		cells(fb, fb, ok, ok, ok, ok, ok, ok)},
	{protocol.TypeCannedEdit, none, func(string) any {
		return protocol.CannedEditData{Op: protocol.CannedOpCreate, Team: "presales", Shortcut: "m" + uuid.NewString()[:8], Text: protocol.CannedText{EN: "x"}}
	}, cells(fb, fb, fb, fb, fb, ok, fb, ok)},
	{protocol.TypeStatus, none, func(string) any { return protocol.StatusData{Status: protocol.StatusAway} },
		cells(fb, fb, ok, ok, ok, ok, ok, ok)},
	{protocol.TypeAccept, queued, convRef,
		cells(fb, fb, ok, ok, nf, ok, nf, ok)},
	// Only the agent it is offered to declines an offer; others who can
	// see the conversation are told it is not offered to them.
	{protocol.TypeDecline, offered, convRef,
		cells(fb, fb, ok, it, nf, it, nf, it)},
	{protocol.TypeResolve, active, convRef,
		cells(fb, fb, ok, nf, nf, ok, nf, ok)},
	{protocol.TypeTransfer, active, func(id string) any { return protocol.TransferData{ConversationID: id, ToTeam: "aftersales"} },
		cells(fb, fb, ok, nf, nf, ok, nf, ok)},
	// Supervisors and admins may do for a team's conversation what its
	// assignee may: resolve, transfer, hand back to the bot.
	{protocol.TypeHandBack, active, convRef,
		cells(fb, fb, ok, nf, nf, ok, nf, ok)},
	{protocol.TypeRate, resolved, func(id string) any { return protocol.RateData{ConversationID: id, Score: 5} },
		cells(ok, nf, fb, fb, fb, fb, fb, fb)},
	// Staff replace their connection's access token; a customer's
	// connection does not expire. The forged token is refused.
	{protocol.TypeReauth, none, func(string) any { return protocol.ReauthData{Token: "sb1.forged"} },
		cells(fb, fb, un, un, un, un, un, un)},
	// X holds no card: the customer gets past the access check to the
	// card's own check; everyone else is stopped before it.
	{protocol.TypeCardAction, active, func(id string) any {
		return protocol.CardActionData{ConversationID: id, ClientMsgID: uuid.NewString(), CardSeq: 1, Action: "confirm"}
	}, cells(protocol.ErrInvalidCard.Code, nf, fb, fb, fb, fb, fb, fb)},

	// Supervision (package supervise): the team's supervisors and admins
	// monitor, join, leave, take over and reassign; the assignee drafts and
	// asks for help; both whisper. An agent who may not read the
	// conversation is told it does not exist.
	{protocol.TypeMonitor, active, func(id string) any { return protocol.MonitorData{ConversationID: id, On: true} },
		cells(fb, fb, fb, nf, nf, ok, nf, ok)},
	{protocol.TypeDraft, active, func(id string) any { return protocol.DraftData{ConversationID: id, Text: "draft"} },
		cells(fb, fb, ok, nf, nf, fb, nf, fb)},
	{protocol.TypeJoin, active, convRef,
		cells(fb, fb, fb, nf, nf, ok, nf, ok)},
	{protocol.TypeLeave, active, convRef,
		cells(fb, fb, fb, nf, nf, ok, nf, ok)},
	{protocol.TypeTakeOver, active, convRef,
		cells(fb, fb, fb, nf, nf, ok, nf, ok)},
	{protocol.TypeTakeOver, queued, convRef,
		cells(fb, fb, fb, fb, nf, ok, nf, ok)},
	{protocol.TypeReassign, active, func(id string) any { return protocol.ReassignData{ConversationID: id, ToTeam: "aftersales"} },
		cells(fb, fb, fb, nf, nf, ok, nf, ok)},
	{protocol.TypeAssist, active, func(id string) any { return protocol.AssistData{ConversationID: id, On: true} },
		cells(fb, fb, ok, nf, nf, fb, nf, fb)},
	{protocol.TypeSend, active, func(id string) any {
		return protocol.SendData{ConversationID: id, ClientMsgID: uuid.NewString(), Kind: protocol.KindText, Text: "psst", Visibility: protocol.VisibilityWhisper}
	}, cells(fb, fb, ok, nf, nf, ok, nf, ok)},
	{protocol.TypeSend, queued, func(id string) any {
		return protocol.SendData{ConversationID: id, ClientMsgID: uuid.NewString(), Kind: protocol.KindText, Text: "psst", Visibility: protocol.VisibilityWhisper}
	}, cells(fb, fb, fb, fb, nf, ok, nf, ok)},
}

// matrix is the cast of TestAuthorizationMatrix.
type matrix struct {
	e      *env
	ids    map[string]string // username → agent id
	tokens map[string]string // principal → token (customers' minted per conversation)
}

func newMatrix(t *testing.T) *matrix {
	// Every case gives alice a conversation: room for all of them.
	page := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("page")) })
	e := pickEnv(t, func(c *Config) {
		c.AccessPoll, c.DemoCapacity = time.Hour, 1000
		c.Widget, c.DemoPage = page, page // so that their routes are in the matrix
	})
	ctx := context.Background()
	st := e.srv.store
	hash, err := auth.HashPasswordWith(testPasswordParams, DemoPassword)
	if err != nil {
		t.Fatal(err)
	}
	// sam supervises presales only; vera after-sales only; adam is admin.
	sam, _ := st.AgentByUsername(ctx, "sam")
	sam.Teams = []string{"presales"}
	for _, a := range []store.Agent{sam,
		{Username: "vera", Name: "Vera", Role: protocol.RoleSupervisor, PasswordHash: hash, Teams: []string{"aftersales"}},
		{Username: "adam", Name: "Adam", Role: protocol.RoleAdmin, PasswordHash: hash},
	} {
		if _, err := st.UpsertAgent(ctx, a); err != nil {
			t.Fatal(err)
		}
	}
	m := &matrix{e: e, ids: map[string]string{}, tokens: map[string]string{}}
	for _, u := range []string{"alice", "carol", "bob", "sam", "vera", "adam"} {
		a, err := st.AgentByUsername(ctx, u)
		if err != nil {
			t.Fatal(err)
		}
		m.ids[u] = a.ID
		tok, _ := e.srv.signer.IssueGen(a.ID, a.Role, a.TokenGen, time.Hour)
		m.tokens[u] = tok
	}
	return m
}

// conv makes a fresh X for cust1 (a new customer each time, so every case
// starts from its own conversation) in the given state, and returns it with
// the tokens of cust1 and of another customer.
func (m *matrix) conv(t *testing.T, s state) (x store.Conversation, cust1, cust2 string) {
	t.Helper()
	ctx := context.Background()
	st := m.e.srv.store
	ids := [2]string{uuid.NewString(), uuid.NewString()}
	for _, id := range ids {
		if _, err := st.UpsertCustomer(ctx, store.Customer{ID: id}); err != nil {
			t.Fatal(err)
		}
	}
	cust1, _ = m.e.srv.signer.Issue(ids[0], protocol.RoleCustomer, time.Hour)
	cust2, _ = m.e.srv.signer.Issue(ids[1], protocol.RoleCustomer, time.Hour)
	// The other customer has a conversation of their own.
	if _, _, err := st.CreateConversation(ctx, store.NewConversation{CustomerID: ids[1], Channel: "web", Opened: sysEvent(protocol.EventOpened), Actor: ids[1]}); err != nil {
		t.Fatal(err)
	}
	if s == none {
		return store.Conversation{}, cust1, cust2
	}
	x, _, err := st.CreateConversation(ctx, store.NewConversation{CustomerID: ids[0], Channel: "web", Opened: sysEvent(protocol.EventOpened), Actor: ids[0]})
	if err != nil {
		t.Fatal(err)
	}
	change := func(sc store.StateChange) {
		t.Helper()
		sc.ConversationID, sc.Actor = x.ID, "test"
		if sc.Message.ClientMsgID == "" {
			sc.Message = sysEvent(string(sc.Event))
		}
		if x, _, err = st.ChangeState(ctx, sc); err != nil {
			t.Fatalf("%s: %v", sc.Event, err)
		}
	}
	team, alice := "presales", m.ids["alice"]
	change(store.StateChange{Event: conversation.Handoff, Team: &team})
	switch s {
	case offered:
		change(store.StateChange{Event: conversation.Offer, OfferAgentID: &alice, OfferExpiresAt: time.Now().Add(time.Hour).UnixMilli(), KeepTimers: true})
	case active, resolved:
		change(store.StateChange{Event: conversation.Accept, AssigneeID: &alice})
		if s == resolved {
			change(store.StateChange{Event: conversation.Resolve})
		}
	}
	return x, cust1, cust2
}

func sysEvent(typ string) store.NewMessage {
	return store.NewMessage{ClientMsgID: uuid.NewString(), SenderRole: protocol.RoleSystem, Kind: protocol.KindEvent,
		Visibility: protocol.VisibilityPublic, Event: &store.Event{Type: typ}}
}

// outcome sends one frame as the holder of token and returns "ok" or the
// error code. A frame answered only on failure (typing) is followed by a
// probe: requests are handled in order, so its error would come first.
func (m *matrix) outcome(t *testing.T, token, typ string, data any) string {
	t.Helper()
	c, _ := m.e.connect("matrix", token)
	defer c.ws.Close()
	b, _ := json.Marshal(data)
	c.writeRaw([]byte(fmt.Sprintf(`{"type":%q,"id":"m1","data":%s}`, typ, b)))
	c.writeRaw([]byte(`{"type":"probe","id":"probe"}`))
	for {
		f := c.read()
		switch f.ID {
		case "m1":
			if f.Type == protocol.TypeError {
				return f.Error.Code
			}
			return ok
		case "probe":
			return ok
		}
	}
}

func TestAuthorizationMatrix(t *testing.T) {
	m := newMatrix(t)
	covered := map[string]bool{}
	var bad []string
	for _, row := range frameMatrix {
		covered[row.typ] = true
		for _, p := range principals {
			want, okRow := row.want[p]
			if !okRow {
				t.Fatalf("%s: no cell for %s", row.typ, p)
			}
			x, cust1, cust2 := m.conv(t, row.state)
			token := map[string]string{"cust1": cust1, "cust2": cust2}[p]
			if token == "" {
				token = m.tokens[p]
			}
			if got := m.outcome(t, token, row.typ, row.data(x.ID)); got != want {
				bad = append(bad, fmt.Sprintf("%-14s %-6s got %-22s want %s", row.typ, p, got, want))
			}
		}
	}
	for typ := range handlers {
		if !covered[typ] {
			t.Errorf("frame %q has no row in frameMatrix: decide who may send it", typ)
		}
	}
	if len(bad) > 0 {
		t.Errorf("authorization matrix, %d cells differ:\n%s", len(bad), strings.Join(bad, "\n"))
	}
}

// httpRow is an HTTP route's row: the answer's status for each caller
// ("anon" is a request without a token).
type httpRow struct {
	pattern string
	method  string
	// path builds the request path for a file of X (fileID) and the
	// request body, if any.
	path func(fileID, convID string) string
	do   func(m *matrix, t *testing.T, token, path, convID string) int
	want map[string]int
}

func statusCells(anon, cust1, cust2, alice, carol, bob, sam, vera, adam int) map[string]int {
	return map[string]int{"anon": anon, "cust1": cust1, "cust2": cust2, "alice": alice, "carol": carol, "bob": bob, "sam": sam, "vera": vera, "adam": adam}
}

func everyStatus(code int) map[string]int {
	return statusCells(code, code, code, code, code, code, code, code, code)
}

func fixed(p string) func(string, string) string { return func(string, string) string { return p } }

// get requests path with token (none when empty) and returns the status.
func get(m *matrix, t *testing.T, token, path, _ string) int {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, m.e.ts.URL+path, nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

func post(body string) func(*matrix, *testing.T, string, string, string) int {
	return func(m *matrix, t *testing.T, token, path, _ string) int {
		t.Helper()
		req, _ := http.NewRequest(http.MethodPost, m.e.ts.URL+path, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
}

// login signs in with a wrong password, whoever asks: refused. Many tries
// from one address are slowed down (429), which is a refusal too.
func login(m *matrix, t *testing.T, token, path, conv string) int {
	t.Helper()
	code := post(`{"username":"alice","password":"wrong"}`)(m, t, token, path, conv)
	if code == http.StatusTooManyRequests {
		return http.StatusUnauthorized
	}
	return code
}

// createUpload starts a tus upload into the conversation.
func createUpload(m *matrix, t *testing.T, token, _, convID string) int {
	t.Helper()
	tc := m.e.tus(token)
	_, _, code := tc.create(convID, "a.pdf", "application/pdf", 10)
	return code
}

var httpMatrix = []httpRow{
	{"/api/v1/login", "POST", fixed("/api/v1/login"), login, everyStatus(401)},
	{"/api/v1/visitor", "POST", fixed("/api/v1/visitor"), post(`{}`), everyStatus(200)},
	// A refresh token in the body, not the bearer, is what counts: an
	// unknown one is refused, whoever asks.
	{"/api/v1/refresh", "POST", fixed("/api/v1/refresh"), post(`{"refresh_token":"sbr1.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}`), everyStatus(401)},
	{"/api/v1/logout", "POST", fixed("/api/v1/logout"), post(`{"refresh_token":"sbr1.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}`), everyStatus(401)},
	{uploadsPath, "POST", fixed(uploadsPath), createUpload,
		statusCells(401, 201, 404, 201, 404, 404, 403, 404, 403)},
	{filesPath + "{id}", "GET", func(f, _ string) string { return filesPath + f }, get,
		statusCells(401, 200, 404, 200, 404, 404, 200, 404, 200)},
	{filesPath + "{id}/thumb", "GET", func(f, _ string) string { return filesPath + f + "/thumb" }, get,
		statusCells(401, 200, 404, 200, 404, 404, 200, 404, 200)},
	{transcriptPath, "GET", func(_, c string) string { return "/api/v1/conversations/" + c + "/transcript" }, get,
		statusCells(401, 200, 404, 200, 404, 404, 200, 404, 200)},
	// No SMTP server is configured here: the customer is told so.
	{transcriptEmailPath, "POST", func(_, c string) string { return "/api/v1/conversations/" + c + "/transcript/email" }, post(`{"to":"a@example.org"}`),
		statusCells(401, 501, 404, 403, 403, 403, 403, 403, 403)},
	// No release is published here: 204 to anyone.
	{releasePath, "GET", fixed(releasePath), get, everyStatus(204)},
	{protocol.AuditPath, "GET", fixed(protocol.AuditPath), get,
		statusCells(401, 403, 403, 403, 403, 403, 403, 403, 200)},
	// The integration API takes API keys only (api_test.go checks them):
	// a staff or customer token is no key.
	{"/api/v1/customers/{user_id}", "PUT", fixed("/api/v1/customers/u1"), get, everyStatus(401)},
	{"/api/v1/conversations", "GET", fixed("/api/v1/conversations"), get, everyStatus(401)},
	{"/api/v1/conversations/{id}", "GET", func(_, c string) string { return "/api/v1/conversations/" + c }, get, everyStatus(401)},
	{"/api/v1/conversations/{id}/messages", "GET", func(_, c string) string { return "/api/v1/conversations/" + c + "/messages" }, get, everyStatus(401)},
	{"/api/v1/agents", "GET", fixed("/api/v1/agents"), get, everyStatus(401)},
	{"/api/v1/agents/{id}", "PATCH", fixed("/api/v1/agents/a1"), get, everyStatus(401)},
	{"/api/v1/teams", "GET", fixed("/api/v1/teams"), get, everyStatus(401)},
	{"/api/v1/teams/{id}", "PUT", fixed("/api/v1/teams/presales"), get, everyStatus(401)},
	{"/api/v1/kb", "GET", fixed("/api/v1/kb"), get, everyStatus(401)},
	{"/api/v1/kb/edits", "POST", fixed("/api/v1/kb/edits"), post(`{}`), everyStatus(401)},
	{"/api/v1/business-hours", "GET", fixed("/api/v1/business-hours"), get, everyStatus(401)},
	{"/api/v1/business-hours/{team}", "PUT", fixed("/api/v1/business-hours/presales"), get, everyStatus(401)},
	{"/api/v1/canned", "GET", fixed("/api/v1/canned"), get, everyStatus(401)},
	{"/api/v1/canned/{id}", "DELETE", fixed("/api/v1/canned/c1"), get, everyStatus(401)},
	{"/api/v1/webhooks", "GET", fixed("/api/v1/webhooks"), get, everyStatus(401)},
	{"/api/v1/webhooks/{id}", "PATCH", fixed("/api/v1/webhooks/crm"), get, everyStatus(401)},
	{"/api/v1/webhooks/{id}/dead", "GET", fixed("/api/v1/webhooks/crm/dead"), get, everyStatus(401)},
	{"/api/v1/webhooks/{id}/replay", "POST", fixed("/api/v1/webhooks/crm/replay"), post(`{}`), everyStatus(401)},
	{"/api/", "GET", fixed("/api/v1/nothing"), get, everyStatus(404)},
	{"/healthz", "GET", fixed("/healthz"), get, everyStatus(200)},
	{"/readyz", "GET", fixed("/readyz"), get, everyStatus(200)},
	{"/metrics", "GET", fixed("/metrics"), get, everyStatus(200)},
	// A plain GET is no WebSocket handshake; the connection's frames are
	// the frame matrix.
	{"/ws", "GET", fixed("/ws"), get, everyStatus(400)},
	// The public pages and assets: anyone.
	{"/widget/", "GET", fixed("/widget/switchboard-widget.js"), get, everyStatus(200)},
	{"/demo", "GET", fixed("/demo"), get, everyStatus(200)},
	{"/demo/", "GET", fixed("/demo/x"), get, everyStatus(200)},
	{"/{$}", "GET", fixed("/"), get, everyStatus(200)}, // redirected to /demo
}

func TestAuthorizationMatrixHTTP(t *testing.T) {
	m := newMatrix(t)
	// X with an image the customer sent: a file with a thumbnail.
	x, cust1, cust2 := m.conv(t, active)
	fileID, perr := m.e.tus(cust1).upload(x.ID, "photo.png", "image/png", testPNG(t, 64, 64))
	if perr != nil {
		t.Fatal(perr)
	}
	c, _ := m.e.connect("cust1", cust1)
	c.request(protocol.TypeSend, protocol.SendData{ConversationID: x.ID, ClientMsgID: uuid.NewString(), Kind: protocol.KindImage, AttachmentID: fileID})
	tokens := map[string]string{"anon": "", "cust1": cust1, "cust2": cust2}
	for p, tok := range m.tokens {
		tokens[p] = tok
	}
	covered := map[string]bool{}
	var bad []string
	for _, row := range httpMatrix {
		covered[row.pattern] = true
		callers := slices.Sorted(func(yield func(string) bool) {
			for p := range row.want {
				if !yield(p) {
					return
				}
			}
		})
		if len(callers) != len(principals)+1 {
			t.Fatalf("%s: %d cells, want one per caller and anon", row.pattern, len(callers))
		}
		for _, p := range callers {
			if got := row.do(m, t, tokens[p], row.path(fileID, x.ID), x.ID); got != row.want[p] {
				bad = append(bad, fmt.Sprintf("%-26s %-5s got %d want %d", row.pattern, p, got, row.want[p]))
			}
		}
	}
	sort.Strings(bad)
	for _, p := range m.e.srv.patterns {
		if !covered[p] {
			t.Errorf("route %q has no row in httpMatrix: decide who may call it", p)
		}
	}
	if len(bad) > 0 {
		t.Errorf("HTTP authorization matrix, %d cells differ:\n%s", len(bad), strings.Join(bad, "\n"))
	}
}
