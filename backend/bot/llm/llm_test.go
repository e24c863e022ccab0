package llm

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"switchboard/backend/bot"
	"switchboard/backend/kb"
)

// fakeOpenAI is a stand-in for an OpenAI-compatible chat-completions
// endpoint, a third-party service these tests cannot reach. It speaks the
// wire format (request: model, messages, tools; response: choices[0].message
// with content or tool_calls) and decides like a model would be told to: a
// message with "unclear" calls the handoff tool, anything else is answered
// with the first reference answer of the system prompt ("cite" adds the
// citation of the second reference entry, "wait" answers after 200ms,
// "history" answers with the roles and texts of the messages before it).
func fakeOpenAI(t *testing.T, key string) *httptest.Server {
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/v1/chat/completions" || r.Method != http.MethodPost {
			http.Error(w, `{"error":{"message":"not found"}}`, http.StatusNotFound)
			return
		}
		if r.Header.Get("Authorization") != "Bearer "+key {
			w.WriteHeader(http.StatusUnauthorized)
			w.Write([]byte(`{"error":{"message":"Incorrect API key provided"}}`))
			return
		}
		var req request
		if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
			t.Errorf("fake: decode request: %v", err)
			return
		}
		n := len(req.Messages)
		if req.Model != "test-model" || n < 2 || req.Messages[0].Role != "system" || req.Messages[n-1].Role != "user" {
			t.Errorf("fake: request = %+v, want model test-model, system message first and user message last", req)
			return
		}
		if len(req.Tools) != 1 || req.Tools[0].Function.Name != ToolHandoff {
			t.Errorf("fake: tools = %+v, want the handoff tool", req.Tools)
		}
		user, system := req.Messages[n-1].Content, req.Messages[0].Content
		var msg message
		msg.Role = "assistant"
		switch {
		case strings.Contains(user, "slow"):
			select {
			case <-r.Context().Done():
			case <-time.After(5 * time.Second):
			}
			return
		case strings.Contains(user, "history"):
			var turns []string
			for _, m := range req.Messages[1 : n-1] {
				turns = append(turns, m.Role+":"+m.Content)
			}
			msg.Content = strings.Join(turns, "|")
		case strings.Contains(user, "cite"):
			// The second entry's id: "2. [id] Q: …".
			_, rest, _ := strings.Cut(system, "\n2. [")
			id, _, _ := strings.Cut(rest, "]")
			msg.Content = "From the second entry. [" + id + "] [not-an-entry]"
		case strings.Contains(user, "broken"):
			w.Write([]byte(`{"choices":[`))
			return
		case strings.Contains(user, "unclear"):
			c := toolCall{ID: "call_1", Type: "function"}
			c.Function.Name = ToolHandoff
			c.Function.Arguments = `{"reason":"question not covered"}`
			msg.ToolCalls = []toolCall{c}
		default:
			if strings.Contains(user, "wait") {
				time.Sleep(200 * time.Millisecond)
			}
			_, a, ok := strings.Cut(system, "A: ")
			if !ok {
				msg.Content = "no reference"
			} else {
				msg.Content, _, _ = strings.Cut(a, "\n")
			}
		}
		json.NewEncoder(w).Encode(map[string]any{
			"id": "chatcmpl-1", "object": "chat.completion",
			"choices": []any{map[string]any{"index": 0, "message": msg, "finish_reason": "stop"}},
		})
	}))
}

func newBot(t *testing.T, url, key string) *Bot {
	ix, err := kb.NewIndex(kb.Demo())
	if err != nil {
		t.Fatal(err)
	}
	b, err := New(Config{URL: url + "/v1", Model: "test-model", APIKey: key, Index: ix})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestAnswer(t *testing.T) {
	srv := fakeOpenAI(t, "sk-test")
	defer srv.Close()
	b := newBot(t, srv.URL, "sk-test")
	k := kb.Demo()
	fee, _ := k.Entry("shipping-fee")
	tests := []struct {
		name, text  string
		ext         map[string]string // verified fields
		wantText    string
		wantHandoff bool
		wantReason  string
		wantEntry   string
	}{
		{"grounded zh", "包邮吗", nil, fee.Answer.ZH, false, "", "shipping-fee"},
		{"grounded en", "Is shipping free?", nil, fee.Answer.EN, false, "", "shipping-fee"},
		{"tool call", "something unclear", nil, bot.HandoffTextEN, true, "model: question not covered", ""},
		{"asked, no request", "转人工", nil, bot.HandoffTextZH, true, bot.ReasonAskedForAgent, "contact-human"},
		{"vip, no request", "Is shipping free?", map[string]string{"vip": "1"}, bot.HandoffTextEN, true, bot.ReasonVIP, "shipping-fee"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := b.Answer(context.Background(), bot.Input{ConversationID: "c1", Text: tt.text, Verified: tt.ext})
			if err != nil {
				t.Fatalf("Answer(%q) error: %v", tt.text, err)
			}
			if r.Text != tt.wantText || r.Handoff != tt.wantHandoff || r.Reason != tt.wantReason || r.EntryID != tt.wantEntry {
				t.Errorf("Answer(%q) = %+v, want text %q handoff %v reason %q entry %q", tt.text, r, tt.wantText, tt.wantHandoff, tt.wantReason, tt.wantEntry)
			}
			if r.Team == "" || r.Score < 0 || r.Score > 1 {
				t.Errorf("Answer(%q) = %+v, want a team and a score in 0..1", tt.text, r)
			}
		})
	}
}

func TestAnswerHistoryAndCitation(t *testing.T) {
	srv := fakeOpenAI(t, "sk-test")
	defer srv.Close()
	b := newBot(t, srv.URL, "sk-test")
	r, err := b.Answer(context.Background(), bot.Input{ConversationID: "c1", Text: "and the history?", History: []bot.Turn{
		{Role: bot.RoleCustomer, Text: "where is my parcel"},
		{Role: bot.RoleBot, Text: "Which order?"},
		{Role: bot.RoleAgent, Text: "Let me look."},
	}})
	if want := "user:where is my parcel|assistant:Which order?|assistant:Let me look."; err != nil || r.Text != want {
		t.Errorf("Answer with history = %+v, %v; want text %q", r, err, want)
	}

	// The entry the model cites is the reply's, with its team, whatever
	// the retrieval ranked first; other brackets stay.
	ix, _ := kb.NewIndex(kb.Demo())
	res, err := ix.Search(context.Background(), "Is shipping free? cite", kb.EN, DefaultTopK)
	if err != nil || len(res.Hits) < 2 {
		t.Fatalf("Search = %+v, %v; want two hits at least", res, err)
	}
	second := res.Hits[1].Entry
	r, err = b.Answer(context.Background(), bot.Input{ConversationID: "c1", Text: "Is shipping free? cite"})
	if err != nil || r.EntryID != second.ID || r.Text != "From the second entry. [not-an-entry]" {
		t.Errorf("Answer citing %s = %+v, %v; want its entry and the citation off the text", second.ID, r, err)
	}
	if second.Team != "" && r.Team != second.Team {
		t.Errorf("Answer citing %s: team %q, want %q", second.ID, r.Team, second.Team)
	}
}

func TestTakeCitation(t *testing.T) {
	hits := []kb.Hit{{Entry: kb.Entry{ID: "a"}}, {Entry: kb.Entry{ID: "退货 b"}}}
	tests := []struct{ in, wantText, wantID string }{
		{"Free over 99. [a]", "Free over 99.", "a"},
		{"[退货 b] 七天无理由。[a]", "七天无理由。", "退货 b"},
		{"See [this] page.", "See [this] page.", ""},
		{"[c] no such entry", "[c] no such entry", ""},
	}
	for _, tt := range tests {
		text, e := takeCitation(tt.in, hits)
		id := ""
		if e != nil {
			id = e.ID
		}
		if text != tt.wantText || id != tt.wantID {
			t.Errorf("takeCitation(%q) = %q, %q; want %q, %q", tt.in, text, id, tt.wantText, tt.wantID)
		}
	}
}

// TestTimeoutBelowDeadline: the bot's own Timeout bounds only answers
// without a deadline; the caller's longer one is never cut short.
func TestTimeoutBelowDeadline(t *testing.T) {
	srv := fakeOpenAI(t, "sk-test")
	defer srv.Close()
	ix, _ := kb.NewIndex(kb.Demo())
	b, err := New(Config{URL: srv.URL + "/v1", Model: "test-model", APIKey: "sk-test", Index: ix, Timeout: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if _, err := b.Answer(ctx, bot.Input{ConversationID: "c1", Text: "Is shipping free? wait"}); err != nil {
		t.Errorf("Answer within the caller's deadline: %v", err)
	}
	if _, err := b.Answer(context.Background(), bot.Input{ConversationID: "c1", Text: "Is shipping free? wait"}); err == nil || !strings.Contains(err.Error(), "deadline exceeded") {
		t.Errorf("Answer without a deadline = %v, want the bot's own timeout", err)
	}
}

func TestAnswerErrors(t *testing.T) {
	srv := fakeOpenAI(t, "sk-test")
	defer srv.Close()
	tests := []struct {
		name, key, text, wantErr string
		timeout                  time.Duration
	}{
		{"bad key", "sk-wrong", "Is shipping free?", "status 401: Incorrect API key", 0},
		{"malformed", "sk-test", "broken", "decode response", 0},
		{"time budget", "sk-test", "slow", "deadline exceeded", 100 * time.Millisecond},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := newBot(t, srv.URL, tt.key)
			ctx := context.Background()
			if tt.timeout > 0 {
				var cancel context.CancelFunc
				ctx, cancel = context.WithTimeout(ctx, tt.timeout)
				defer cancel()
			}
			_, err := b.Answer(ctx, bot.Input{ConversationID: "c2", Text: tt.text})
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) || !strings.Contains(err.Error(), "conv=c2") {
				t.Errorf("Answer(%q) error = %v, want one containing %q and the conversation", tt.text, err, tt.wantErr)
			}
		})
	}
}

func TestNew(t *testing.T) {
	for _, cfg := range []Config{{Model: "m"}, {URL: "http://x"}} {
		if _, err := New(cfg); err == nil {
			t.Errorf("New(%+v) error = nil, want one", cfg)
		}
	}
}

func TestSystemPrompt(t *testing.T) {
	k := kb.Demo()
	e, _ := k.Entry("invoice")
	p := systemPrompt(kb.ZH, []kb.Hit{{Entry: e}})
	if !strings.Contains(p, e.Answer.ZH) || !strings.Contains(p, "handoff") {
		t.Errorf("systemPrompt = %q, want the entry's answer and the tool", p)
	}
}
