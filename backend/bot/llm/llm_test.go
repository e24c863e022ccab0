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
// with the first reference answer of the system prompt.
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
		if req.Model != "test-model" || len(req.Messages) != 2 || req.Messages[0].Role != "system" || req.Messages[1].Role != "user" {
			t.Errorf("fake: request = %+v, want model test-model, system and user messages", req)
		}
		if len(req.Tools) != 1 || req.Tools[0].Function.Name != ToolHandoff {
			t.Errorf("fake: tools = %+v, want the handoff tool", req.Tools)
		}
		user, system := req.Messages[1].Content, req.Messages[0].Content
		var msg message
		msg.Role = "assistant"
		switch {
		case strings.Contains(user, "slow"):
			select {
			case <-r.Context().Done():
			case <-time.After(5 * time.Second):
			}
			return
		case strings.Contains(user, "broken"):
			w.Write([]byte(`{"choices":[`))
			return
		case strings.Contains(user, "unclear"):
			c := toolCall{ID: "call_1", Type: "function"}
			c.Function.Name = ToolHandoff
			c.Function.Arguments = `{"reason":"question not covered"}`
			msg.ToolCalls = []toolCall{c}
		default:
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
