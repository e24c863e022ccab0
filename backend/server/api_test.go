package server

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
	"github.com/google/uuid"

	"switchboard/backend/hours"
	"switchboard/backend/store"
	"switchboard/protocol"
)

// openAPI loads docs/openapi.yaml, validates the document itself and
// returns a router over it.
func openAPI(t *testing.T) routers.Router {
	t.Helper()
	_, here, _, _ := runtime.Caller(0)
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromFile(filepath.Join(filepath.Dir(here), "..", "..", "docs", "openapi.yaml"))
	if err != nil {
		t.Fatalf("load openapi.yaml: %v", err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		t.Fatalf("openapi.yaml is not a valid OpenAPI document: %v", err)
	}
	doc.Servers = nil // match any host: the test server's
	r, err := gorillamux.NewRouter(doc)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// apiCall makes a request with key and checks the request and the answer
// against the OpenAPI document; it returns the status and the body.
func apiCall(t *testing.T, e *env, router routers.Router, key, method, path string, body any) (int, []byte) {
	t.Helper()
	var raw []byte
	switch b := body.(type) {
	case nil:
	case string:
		raw = []byte(b)
	case []byte:
		raw = b
	default:
		raw, _ = json.Marshal(b)
	}
	req, _ := http.NewRequest(method, e.ts.URL+path, bytes.NewReader(raw))
	if raw != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	ctx := context.Background()
	route, params, err := router.FindRoute(req)
	if err != nil {
		t.Fatalf("%s %s is not in openapi.yaml: %v", method, path, err)
	}
	in := &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route,
		Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc}}
	reqOK := openapi3filter.ValidateRequest(ctx, in) == nil
	req.Body = io.NopCloser(bytes.NewReader(raw))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	got, _ := io.ReadAll(resp.Body)
	if reqOK || resp.StatusCode < 400 {
		// A request the document refuses must be refused by the server
		// too; one it accepts must be answered as it says.
		if !reqOK {
			t.Errorf("%s %s: the document refuses the request, the server answered %d", method, path, resp.StatusCode)
		}
	}
	out := &openapi3filter.ResponseValidationInput{RequestValidationInput: in, Status: resp.StatusCode, Header: resp.Header,
		Options: &openapi3filter.Options{IncludeResponseStatus: true}}
	out.SetBodyBytes(got)
	if err := openapi3filter.ValidateResponse(ctx, out); err != nil {
		t.Errorf("%s %s: answer %d %s does not match openapi.yaml: %v", method, path, resp.StatusCode, got, err)
	}
	return resp.StatusCode, got
}

func apiKey(t *testing.T, e *env, scopes ...string) string {
	t.Helper()
	_, key, err := e.srv.apiKeys.Create(context.Background(), "test", scopes, "admin")
	if err != nil {
		t.Fatal(err)
	}
	return key
}

func errCode(body []byte) string {
	var out struct{ Error protocol.Error }
	json.Unmarshal(body, &out)
	return out.Error.Code
}

// TestAPIAuth: keys, scopes, revocation and the rate limit.
func TestAPIAuth(t *testing.T) {
	e := newEnv(t, func(c *Config) { c.APIKeyRate, c.APIKeyBurst = 0.001, 3 })
	r := openAPI(t)
	read := apiKey(t, e, "conversations:read")
	for _, tt := range []struct {
		name, key, method, path string
		status                  int
		code                    string
	}{
		{"no key", "", "GET", "/api/v1/agents", 401, "unauthenticated"},
		{"not a key", "sbk_nope", "GET", "/api/v1/agents", 401, "unauthenticated"},
		{"wrong scope", read, "GET", "/api/v1/agents", 403, "forbidden"},
		{"no filter", read, "GET", "/api/v1/conversations", 400, "invalid_request"},
	} {
		status, body := apiCall(t, e, r, tt.key, tt.method, tt.path, nil)
		if status != tt.status || errCode(body) != tt.code {
			t.Errorf("%s: %d %s, want %d %s", tt.name, status, body, tt.status, tt.code)
		}
	}
	// The bucket of 3 holds one more after the two requests above (the
	// bucket refills 1 in 1000 s: no timing in this test).
	if status, _ := apiCall(t, e, r, read, "GET", "/api/v1/conversations?state=queued", nil); status != 200 {
		t.Fatalf("third request = %d, want 200", status)
	}
	status, body := apiCall(t, e, r, read, "GET", "/api/v1/conversations?state=queued", nil)
	if status != 429 || errCode(body) != "rate_limited" {
		t.Errorf("past the burst = %d %s, want 429 rate_limited", status, body)
	}
	// Another key has its own bucket; a revoked one is refused.
	admin := apiKey(t, e, "admin")
	if status, _ := apiCall(t, e, r, admin, "GET", "/api/v1/agents", nil); status != 200 {
		t.Errorf("another key = %d, want 200", status)
	}
	id := strings.SplitN(strings.TrimPrefix(admin, "sbk_"), "_", 2)[0]
	if _, err := e.srv.apiKeys.Revoke(context.Background(), id); err != nil {
		t.Fatal(err)
	}
	if status, body := apiCall(t, e, r, admin, "GET", "/api/v1/agents", nil); status != 401 || errCode(body) != "unauthenticated" {
		t.Errorf("revoked key = %d %s, want 401 unauthenticated", status, body)
	}
}

// TestAPICustomerPush: fields pushed for a signed-in customer reach their
// open conversation as verified fields, and the agent sees them live.
func TestAPICustomerPush(t *testing.T) {
	e := newEnv(t, nil)
	r := openAPI(t)
	key := apiKey(t, e, "customers:write", "conversations:read")
	cust := e.identified("王芳", "u-42", nil)
	conv := cust.open(map[string]string{"order_no": "SO-1"})
	agent, _ := e.agent("alice")

	status, body := apiCall(t, e, r, key, "PUT", "/api/v1/customers/u-42", map[string]any{"name": "王芳", "fields": map[string]string{"tier": "gold", "vip": "true"}})
	if status != 200 {
		t.Fatalf("push = %d %s", status, body)
	}
	var c struct {
		ConversationID string            `json:"conversation_id"`
		Verified       map[string]string `json:"verified"`
	}
	json.Unmarshal(body, &c)
	if c.ConversationID != conv.ID || c.Verified["tier"] != "gold" || c.Verified["user_id"] != "u-42" {
		t.Errorf("push answered %s, want the open conversation %s and the fields", body, conv.ID)
	}
	stored, err := e.srv.store.Conversation(context.Background(), conv.ID)
	if err != nil || stored.Verified["tier"] != "gold" || stored.Priority != 1 {
		t.Errorf("conversation after the push: verified %v priority %d, %v; want tier gold and VIP priority", stored.Verified, stored.Priority, err)
	}
	cust.sendText(conv.ID, "转人工")
	got := agent.waitConversation("the pushed fields", func(pc protocol.Conversation) bool {
		return pc.ID == conv.ID && pc.Verified["tier"] == "gold"
	})
	if got.Verified["vip"] != "true" {
		t.Errorf("agent sees verified %v, want vip", got.Verified)
	}

	status, body = apiCall(t, e, r, key, "GET", "/api/v1/conversations?customer=u-42", nil)
	if status != 200 || !strings.Contains(string(body), conv.ID) {
		t.Errorf("by customer = %d %s", status, body)
	}
	status, body = apiCall(t, e, r, key, "GET", "/api/v1/conversations?order_no=SO-1", nil)
	if status != 200 || !strings.Contains(string(body), conv.ID) {
		t.Errorf("by order_no = %d %s", status, body)
	}
	for _, tt := range []struct {
		name   string
		body   any
		status int
		code   string
	}{
		{"malformed", `{"name":`, 400, "malformed_frame"},
		{"unknown field", `{"nmae":"x"}`, 400, "invalid_request"},
		{"not text", `{"fields":{"a":1}}`, 400, "invalid_request"},
		{"oversized", `{"name":"` + strings.Repeat("x", 1<<20) + `"}`, 413, "frame_too_large"},
	} {
		status, body := apiCall(t, e, r, key, "PUT", "/api/v1/customers/u-42", tt.body)
		if status != tt.status || errCode(body) != tt.code {
			t.Errorf("%s: %d %.200s, want %d %s", tt.name, status, body, tt.status, tt.code)
		}
	}
	if s, _ := e.srv.store.Conversation(context.Background(), conv.ID); s.Verified["tier"] != "gold" {
		t.Errorf("bad input changed the fields: %v", s.Verified)
	}
}

// TestAPIMessagesAndPaging: internal notes hidden without ?internal and
// admin, pages that meet.
func TestAPIMessagesAndPaging(t *testing.T) {
	e := newEnv(t, nil)
	r := openAPI(t)
	read := apiKey(t, e, "conversations:read")
	both := apiKey(t, e, "conversations:read", "admin")
	var ids []string
	for _, n := range []string{"a", "b", "c"} {
		_, conv := e.queued("cust-"+n, "转人工")
		ids = append(ids, conv.ID)
	}
	seen := map[string]bool{}
	cursor := ""
	for range 5 {
		path := "/api/v1/conversations?state=queued&limit=2"
		if cursor != "" {
			path += "&cursor=" + cursor
		}
		status, body := apiCall(t, e, r, read, "GET", path, nil)
		var page struct {
			Conversations []struct{ ID string }
			NextCursor    string `json:"next_cursor"`
		}
		json.Unmarshal(body, &page)
		if status != 200 {
			t.Fatalf("page = %d %s", status, body)
		}
		for _, c := range page.Conversations {
			if seen[c.ID] {
				t.Errorf("%s on two pages", c.ID)
			}
			seen[c.ID] = true
		}
		if cursor = page.NextCursor; cursor == "" {
			break
		}
	}
	for _, id := range ids {
		if !seen[id] {
			t.Errorf("%s on no page", id)
		}
	}

	agent, _ := e.agent("alice")
	agent.request(protocol.TypeAccept, ref(ids[0]))
	agent.request(protocol.TypeSend, protocol.SendData{ConversationID: ids[0], ClientMsgID: uuid.NewString(), Kind: protocol.KindText,
		Text: "内部备注 internal note", Visibility: protocol.VisibilityInternal})
	agent.waitMessage("the note", func(m protocol.Message) bool { return m.Visibility == protocol.VisibilityInternal })
	path := "/api/v1/conversations/" + ids[0] + "/messages"
	if status, body := apiCall(t, e, r, read, "GET", path, nil); status != 200 || strings.Contains(string(body), "internal note") {
		t.Errorf("public messages = %d %s, want no internal note", status, body)
	}
	if status, body := apiCall(t, e, r, read, "GET", path+"?internal=true", nil); status != 403 || errCode(body) != "forbidden" {
		t.Errorf("internal without admin = %d %s, want 403", status, body)
	}
	if status, body := apiCall(t, e, r, both, "GET", path+"?internal=true", nil); status != 200 || !strings.Contains(string(body), "internal note") {
		t.Errorf("internal with admin = %d %s, want the note", status, body)
	}
	if status, body := apiCall(t, e, r, read, "GET", "/api/v1/conversations/nope", nil); status != 404 || errCode(body) != "not_found" {
		t.Errorf("unknown conversation = %d %s", status, body)
	}
}

// TestAPIAdmin: admin changes take effect, are audited, and bad ones are
// refused.
func TestAPIAdmin(t *testing.T) {
	e := newEnv(t, nil)
	r := openAPI(t)
	key := apiKey(t, e, "admin")
	alice, err := e.srv.store.AgentByUsername(context.Background(), "alice")
	if err != nil {
		t.Fatal(err)
	}
	status, body := apiCall(t, e, r, key, "PATCH", "/api/v1/agents/"+alice.ID, map[string]any{"capacity": 7, "skills": []string{"zh"}})
	if status != 200 {
		t.Fatalf("patch agent = %d %s", status, body)
	}
	if a, _ := e.srv.store.Agent(context.Background(), alice.ID); a.Capacity != 7 {
		t.Errorf("capacity after = %d, want 7", a.Capacity)
	}
	if status, body := apiCall(t, e, r, key, "GET", "/api/v1/agents", nil); status != 200 || !strings.Contains(string(body), `"capacity":7`) {
		t.Errorf("agent list = %d %s, want capacity 7", status, body)
	}
	if status, body := apiCall(t, e, r, key, "PATCH", "/api/v1/agents/"+alice.ID, map[string]any{"capacity": 500}); status != 400 || errCode(body) != "invalid_request" {
		t.Errorf("capacity 500 = %d %s", status, body)
	}
	if status, body := apiCall(t, e, r, key, "PATCH", "/api/v1/agents/"+alice.ID, map[string]any{"teams": []string{"nope"}}); status != 400 {
		t.Errorf("unknown team = %d %s", status, body)
	}
	status, body = apiCall(t, e, r, key, "PUT", "/api/v1/teams/vip", map[string]any{"name": "VIP 客服", "skills": []string{"zh"},
		"sla": map[string]int{"wait_ms": 60000, "first_response_ms": 0, "next_response_ms": 0}})
	if status != 201 || !strings.Contains(string(body), `"wait_ms":60000`) {
		t.Errorf("put team = %d %s", status, body)
	}
	if status, _ := apiCall(t, e, r, key, "GET", "/api/v1/teams/vip", nil); status != 200 {
		t.Errorf("get team = %d", status)
	}
	if status, body := apiCall(t, e, r, key, "GET", "/api/v1/kb", nil); status != 200 || !strings.Contains(string(body), `"entries"`) {
		t.Errorf("kb = %d %.200s", status, body)
	}
	if status, body := apiCall(t, e, r, key, "POST", "/api/v1/kb/edits", map[string]any{"op": "rollback", "base_version": 999, "version": 1}); status != 409 || errCode(body) != "conflict" {
		t.Errorf("stale kb edit = %d %s, want 409", status, body)
	}
	status, body = apiCall(t, e, r, key, "POST", "/api/v1/webhooks", map[string]any{"id": "crm", "url": "https://crm.example/hook"})
	if status != 201 || !strings.Contains(string(body), "whsec_") {
		t.Fatalf("add webhook = %d %s", status, body)
	}
	if status, body := apiCall(t, e, r, key, "GET", "/api/v1/webhooks", nil); status != 200 || strings.Contains(string(body), "whsec_") {
		t.Errorf("list webhooks = %d %s (no secret)", status, body)
	}
	if status, body := apiCall(t, e, r, key, "PATCH", "/api/v1/webhooks/crm", map[string]any{"enabled": false}); status != 200 || !strings.Contains(string(body), `"enabled":false`) {
		t.Errorf("patch webhook = %d %s", status, body)
	}
	if status, _ := apiCall(t, e, r, key, "GET", "/api/v1/webhooks/crm/dead", nil); status != 200 {
		t.Errorf("dead = %d", status)
	}
	if status, body := apiCall(t, e, r, key, "POST", "/api/v1/webhooks/crm/replay", map[string]any{}); status != 200 || !strings.Contains(string(body), `"replayed":0`) {
		t.Errorf("replay = %d %s", status, body)
	}
	if status, body := apiCall(t, e, r, key, "POST", "/api/v1/webhooks", map[string]any{"id": "bad", "url": "ftp://x"}); status != 400 {
		t.Errorf("bad webhook url = %d %s", status, body)
	}
	if status, _ := apiCall(t, e, r, key, "DELETE", "/api/v1/webhooks/crm", nil); status != 204 {
		t.Errorf("delete webhook = %d", status)
	}
	if status, body := apiCall(t, e, r, key, "DELETE", "/api/v1/webhooks/crm", nil); status != 404 {
		t.Errorf("delete again = %d %s", status, body)
	}
	entries, err := e.srv.store.AuditLog(context.Background(), store.AuditQuery{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, en := range entries {
		if strings.HasPrefix(en.Actor, "apikey:") {
			actions = append(actions, en.Action)
		}
	}
	for _, want := range []string{"agent.set", "team.add", "team.sla", "webhook.add", "webhook.set", "webhook.remove"} {
		if !strings.Contains(strings.Join(actions, " "), want) {
			t.Errorf("audit log by the key = %v, want %s", actions, want)
		}
	}
}

// TestAPICanned manages shared canned responses through the API: the same
// rules and coded errors as the frames, and a connected agent is pushed
// the change.
func TestAPICanned(t *testing.T) {
	e := newEnv(t, nil)
	r := openAPI(t)
	key := apiKey(t, e, "admin")
	alice, _ := e.agent("alice")
	body := map[string]any{"team": "presales", "title": "Order number", "shortcut": "/Order",
		"text": map[string]string{"zh": "请提供订单号 {order_no}", "en": "Your order {order_no}?"}}
	status, out := apiCall(t, e, r, key, "POST", "/api/v1/canned", body)
	if status != 201 || !strings.Contains(string(out), `"shortcut":"order"`) {
		t.Fatalf("create = %d %s", status, out)
	}
	var created struct {
		ID string `json:"id"`
	}
	json.Unmarshal(out, &created)
	alice.waitPush("canned_changed after the API's create", func(f protocol.Frame) bool {
		return f.Type == protocol.TypeCannedChanged && strings.Contains(string(f.Data), created.ID)
	})
	for _, c := range []struct {
		body map[string]any
		code string
		http int
	}{
		{map[string]any{"shortcut": "x", "text": map[string]string{"zh": "{coupon}", "en": ""}}, "unknown_variable", 422},
		{map[string]any{"team": "presales", "shortcut": "order", "text": map[string]string{"zh": "再来一个", "en": ""}}, "duplicate_shortcut", 409},
		{map[string]any{"shortcut": "empty", "text": map[string]string{"zh": "", "en": ""}}, "invalid_request", 400},
	} {
		if status, out := apiCall(t, e, r, key, "POST", "/api/v1/canned", c.body); status != c.http || errCode(out) != c.code {
			t.Errorf("create %v = %d %s, want %d %s", c.body, status, out, c.http, c.code)
		}
	}
	if status, out := apiCall(t, e, r, key, "PATCH", "/api/v1/canned/"+created.ID, map[string]any{"title": "Order", "shortcut": "order-no",
		"text": map[string]string{"zh": "订单号？", "en": "Order number?"}}); status != 200 || !strings.Contains(string(out), `"order-no"`) {
		t.Errorf("update = %d %s", status, out)
	}
	if status, out := apiCall(t, e, r, key, "GET", "/api/v1/canned", nil); status != 200 || !strings.Contains(string(out), `"order-no"`) {
		t.Errorf("list = %d %s", status, out)
	}
	if status, _ := apiCall(t, e, r, key, "DELETE", "/api/v1/canned/"+created.ID, nil); status != 204 {
		t.Errorf("delete = %d", status)
	}
	if status, out := apiCall(t, e, r, key, "DELETE", "/api/v1/canned/"+created.ID, nil); status != 404 || errCode(out) != "not_found" {
		t.Errorf("second delete = %d %s", status, out)
	}
	if status, _ := apiCall(t, e, r, apiKey(t, e, "conversations:read"), "GET", "/api/v1/canned", nil); status != 403 {
		t.Errorf("without the admin scope = %d", status)
	}
}

// TestAPIBusinessHours: the hours are stored and changed through the API,
// checked against the document, and a queued customer is told at once
// whether it is within the hours of their conversation's team.
func TestAPIBusinessHours(t *testing.T) {
	e := newEnv(t, nil)
	r := openAPI(t)
	key := apiKey(t, e, "admin")
	var got struct {
		Global struct {
			Source, Weekly string
			OpenNow        bool  `json:"open_now"`
			NextOpenAt     int64 `json:"next_open_at"`
		}
		Teams []struct{ Team, Source string }
	}
	status, out := apiCall(t, e, r, key, "GET", "/api/v1/business-hours", nil)
	json.Unmarshal(out, &got)
	if status != 200 || got.Global.Source != "default" || got.Global.Weekly != "always" || !got.Global.OpenNow || len(got.Teams) == 0 {
		t.Fatalf("GET before any change = %d %s", status, out)
	}

	e.agent("alice")
	cust, conv := e.queued("customer", "human")
	cust.waitQueue("within hours", func(q protocol.QueueInfo) bool { return q.ConversationID == conv.ID && q.BusinessHours && q.Open })
	c, err := e.srv.store.Conversation(context.Background(), conv.ID)
	if err != nil {
		t.Fatal(err)
	}
	// Open only on a day three days from today: closed now.
	day := []string{"sun", "mon", "tue", "wed", "thu", "fri", "sat"}[(time.Now().UTC().Weekday()+3)%7]
	status, out = apiCall(t, e, r, key, "PUT", "/api/v1/business-hours", map[string]any{"weekly": day + " 00:00-24:00", "timezone": "UTC",
		"closed": []string{"2030-01-01", "2029-12-25"}})
	if status != 200 || !strings.Contains(string(out), `"source":"stored"`) || !strings.Contains(string(out), `"closed":["2029-12-25","2030-01-01"]`) ||
		!strings.Contains(string(out), `"open_now":false`) || !strings.Contains(string(out), `"updated_by":"API key test"`) {
		t.Fatalf("PUT global = %d %s", status, out)
	}
	q := cust.waitQueue("outside the stored hours", func(q protocol.QueueInfo) bool { return q.ConversationID == conv.ID && !q.BusinessHours })
	if q.Open || q.AgentsOnline != 1 {
		t.Errorf("queue info outside hours = %+v", q)
	}
	status, out = apiCall(t, e, r, key, "GET", "/api/v1/business-hours", nil)
	json.Unmarshal(out, &got)
	if status != 200 || got.Global.OpenNow || got.Global.NextOpenAt <= time.Now().UnixMilli() {
		t.Errorf("GET when closed = %d %s", status, out)
	}

	// The team's own hours win for its conversations.
	if status, out := apiCall(t, e, r, key, "PUT", "/api/v1/business-hours/"+c.Team, map[string]any{"weekly": "always"}); status != 200 {
		t.Fatalf("PUT team = %d %s", status, out)
	}
	cust.waitQueue("within the team's hours", func(q protocol.QueueInfo) bool { return q.ConversationID == conv.ID && q.BusinessHours && q.Open })
	if status, out := apiCall(t, e, r, key, "GET", "/api/v1/business-hours/"+c.Team, nil); status != 200 || !strings.Contains(string(out), `"source":"stored"`) {
		t.Errorf("GET team = %d %s", status, out)
	}
	if status, out := apiCall(t, e, r, key, "DELETE", "/api/v1/business-hours/"+c.Team, nil); status != 200 || !strings.Contains(string(out), `"source":"global"`) {
		t.Errorf("DELETE team = %d %s", status, out)
	}
	cust.waitQueue("back to the global hours", func(q protocol.QueueInfo) bool { return q.ConversationID == conv.ID && !q.BusinessHours })
	if status, out := apiCall(t, e, r, key, "DELETE", "/api/v1/business-hours", nil); status != 200 || !strings.Contains(string(out), `"source":"default"`) {
		t.Errorf("DELETE global = %d %s", status, out)
	}
	cust.waitQueue("back to the default", func(q protocol.QueueInfo) bool { return q.ConversationID == conv.ID && q.BusinessHours })

	// Bad input: coded errors with the reason.
	for _, tt := range []struct {
		method, path string
		body         any
		http         int
		code, msg    string
	}{
		{"PUT", "/api/v1/business-hours", map[string]any{"weekly": "mon 18:00-09:00"}, 400, "invalid_request", "ends before it starts"},
		{"PUT", "/api/v1/business-hours", map[string]any{"weekly": "funday 09:00-10:00"}, 400, "invalid_request", "unknown day"},
		{"PUT", "/api/v1/business-hours", map[string]any{"weekly": "always", "timezone": "Mars/Olympus"}, 400, "invalid_request", "time zone"},
		{"PUT", "/api/v1/business-hours", map[string]any{"weekly": "always", "closed": []string{"25/12/2029"}}, 400, "invalid_request", "YYYY-MM-DD"},
		{"PUT", "/api/v1/business-hours", map[string]any{"weekly": "always", "open": true}, 400, "invalid_request", ""},
		{"PUT", "/api/v1/business-hours/nobody", map[string]any{"weekly": "always"}, 404, "not_found", "nobody"},
		{"GET", "/api/v1/business-hours/nobody", nil, 404, "not_found", "nobody"},
		{"DELETE", "/api/v1/business-hours", nil, 404, "not_found", "no business hours"},
	} {
		status, out := apiCall(t, e, r, key, tt.method, tt.path, tt.body)
		if status != tt.http || errCode(out) != tt.code || !strings.Contains(string(out), tt.msg) {
			t.Errorf("%s %s %v = %d %s, want %d %s mentioning %q", tt.method, tt.path, tt.body, status, out, tt.http, tt.code, tt.msg)
		}
	}
	if status, _ := apiCall(t, e, r, apiKey(t, e, "conversations:read"), "PUT", "/api/v1/business-hours", map[string]any{"weekly": "always"}); status != 403 {
		t.Errorf("without the admin scope = %d", status)
	}
	entries, err := e.srv.store.AuditLog(context.Background(), store.AuditQuery{Action: hours.AuditSet})
	if err != nil || len(entries) != 2 || !strings.HasPrefix(entries[0].Actor, "apikey:") {
		t.Errorf("audit of hours.set = %+v, %v; want the two changes by the key", entries, err)
	}
}
