package server

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"switchboard/backend/bot"
	"switchboard/backend/bot/llm"
	"switchboard/backend/kb"
	"switchboard/backend/store"
	"switchboard/protocol"
)

// chatMessage and chatRequest are the fields of an OpenAI chat-completions
// request that the fake model reads.
type (
	chatMessage struct {
		Role    string `json:"role"`
		Content string `json:"content"`
	}
	chatRequest struct {
		Model    string        `json:"model"`
		Messages []chatMessage `json:"messages"`
	}
)

// fakeModel stands in for an OpenAI-compatible chat-completions endpoint:
// the real one is a third-party service that cannot run in these tests, so
// this one speaks its wire format on loopback and answers like a model told
// to by the system prompt: the first reference entry's answer, citing its
// id. It answers after delay and keeps every request.
type fakeModel struct {
	*httptest.Server
	delay time.Duration

	mu   sync.Mutex // guards reqs
	reqs []chatRequest
}

func newFakeModel(t *testing.T, delay time.Duration) *fakeModel {
	f := &fakeModel{delay: delay}
	f.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var req chatRequest
		if r.URL.Path != "/v1/chat/completions" || json.NewDecoder(r.Body).Decode(&req) != nil || len(req.Messages) < 2 {
			http.Error(w, `{"error":{"message":"bad request"}}`, http.StatusBadRequest)
			return
		}
		f.mu.Lock()
		f.reqs = append(f.reqs, req)
		f.mu.Unlock()
		select {
		case <-time.After(f.delay):
		case <-r.Context().Done():
			return
		}
		system := req.Messages[0].Content
		answer := "no reference"
		if _, entry, ok := strings.Cut(system, "1. ["); ok {
			id, _, _ := strings.Cut(entry, "]")
			_, a, _ := strings.Cut(entry, "A: ")
			a, _, _ = strings.Cut(a, "\n")
			answer = a + " [" + id + "]"
		}
		json.NewEncoder(w).Encode(map[string]any{
			"id": "chatcmpl-1", "object": "chat.completion",
			"choices": []any{map[string]any{"index": 0, "finish_reason": "stop",
				"message": map[string]any{"role": "assistant", "content": answer}}},
		})
	}))
	t.Cleanup(f.Close)
	return f
}

func (f *fakeModel) requests() []chatRequest {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]chatRequest(nil), f.reqs...)
}

// llmServerBot is the llm bot over the demo knowledge base, adapted to the
// server as the server binary does, its own timeout the time limit as
// there.
func llmServerBot(t *testing.T, url string, limit time.Duration) Bot {
	t.Helper()
	ix, err := kb.NewIndex(kb.Demo())
	if err != nil {
		t.Fatal(err)
	}
	b, err := llm.New(llm.Config{URL: url + "/v1", Model: "test-model", Index: ix, Timeout: limit})
	if err != nil {
		t.Fatal(err)
	}
	return BotFunc(func(ctx context.Context, in BotInput) (BotReply, error) {
		var history []bot.Turn
		for _, h := range in.History {
			history = append(history, bot.Turn{Role: h.Role, Text: h.Text})
		}
		r, err := b.Answer(ctx, bot.Input{ConversationID: in.ConversationID, Text: in.Text, LastTeam: in.LastTeam,
			Ext: in.Ext, Verified: in.Verified, LowConfidence: in.LowConfidence, History: history})
		return BotReply{Text: r.Text, Locale: r.Locale, Handoff: r.Handoff, Reason: r.Reason, Team: r.Team,
			EntryID: r.EntryID, Score: r.Score, Suggestions: r.Suggestions}, err
	})
}

// TestLLMBotThroughServer: the model gets the conversation so far and the
// knowledge base's top entries, and the answer is stored with the entry it
// cited.
func TestLLMBotThroughServer(t *testing.T) {
	model := newFakeModel(t, 0)
	e := newEnv(t, func(c *Config) { c.Bot = llmServerBot(t, model.URL, 5*time.Second); c.BotTimeout = 5 * time.Second })
	cust, _ := e.customer("customer")
	conv := cust.open(nil)

	const first, second = "Is shipping free?", "And how long does delivery take?"
	cust.sendText(conv.ID, first)
	a1 := cust.waitMessage("first answer", func(m protocol.Message) bool { return m.Sender.Role == protocol.RoleBot })
	cust.sendText(conv.ID, second)
	a2 := cust.waitMessage("second answer", func(m protocol.Message) bool { return m.Sender.Role == protocol.RoleBot })

	reqs := model.requests()
	if len(reqs) != 2 {
		t.Fatalf("the model got %d requests, want 2", len(reqs))
	}
	// Grounding: the kb ranker's top entries for the question, answers
	// included, in the system prompt.
	ix, _ := kb.NewIndex(kb.Demo())
	top, err := ix.Search(context.Background(), second, kb.EN, llm.DefaultTopK)
	if err != nil || len(top.Hits) != llm.DefaultTopK {
		t.Fatalf("Search(%q) = %+v, %v; want %d hits", second, top, err, llm.DefaultTopK)
	}
	system := reqs[1].Messages[0]
	for _, h := range top.Hits {
		if system.Role != "system" || !strings.Contains(system.Content, "["+h.Entry.ID+"]") || !strings.Contains(system.Content, h.Entry.Answer.EN) {
			t.Errorf("system prompt %q lacks entry %s and its answer", system.Content, h.Entry.ID)
		}
	}
	// History: the first exchange, then the question.
	want := []chatMessage{{"user", first}, {"assistant", a1.Text}, {"user", second}}
	got := reqs[1].Messages[1:]
	if len(got) != len(want) {
		t.Fatalf("second request's messages after the system prompt = %+v, want %+v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("second request's message %d = %+v, want %+v", i+1, got[i], want[i])
		}
	}
	if n := len(reqs[0].Messages); n != 2 {
		t.Errorf("first request has %d messages, want the system prompt and the question", n)
	}

	// Stored with the entry the model cited, the citation off the text.
	msgs, err := e.st.Messages(context.Background(), store.MessageQuery{ConversationID: conv.ID})
	if err != nil {
		t.Fatal(err)
	}
	entries := map[string]string{}
	for _, m := range msgs {
		if m.SenderRole == protocol.RoleBot {
			entries[m.Text] = m.Ext[extKBEntry]
		}
	}
	firstTop, _ := ix.Search(context.Background(), first, kb.EN, 1)
	for _, c := range []struct {
		m    protocol.Message
		want string
	}{{a1, firstTop.Hits[0].Entry.ID}, {a2, top.Hits[0].Entry.ID}} {
		if entries[c.m.Text] != c.want || strings.Contains(c.m.Text, "[") {
			t.Errorf("stored answer %q has kb_entry %q, want %q and no citation in the text", c.m.Text, entries[c.m.Text], c.want)
		}
	}
}

// TestLLMBotTimeLimit: a model slower than the bot's time limit hands the
// customer over as bot unavailable; a longer limit (--bot-timeout) waits for
// its answer.
func TestLLMBotTimeLimit(t *testing.T) {
	model := newFakeModel(t, 400*time.Millisecond)
	tests := []struct {
		name    string
		limit   time.Duration
		handoff bool
	}{
		{"slower than the limit", 150 * time.Millisecond, true},
		{"within a longer limit", 5 * time.Second, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, func(c *Config) { c.Bot = llmServerBot(t, model.URL, tt.limit); c.BotTimeout = tt.limit })
			cust, _ := e.customer("customer")
			conv := cust.open(nil)
			cust.sendText(conv.ID, "Is shipping free?")
			if tt.handoff {
				q := cust.waitConversation("queued", func(c protocol.Conversation) bool { return c.State == protocol.StateQueued })
				if q.HandoffReason != reasonBotUnavailable {
					t.Errorf("handoff reason = %q, want %q", q.HandoffReason, reasonBotUnavailable)
				}
				return
			}
			m := cust.waitMessage("answer", func(m protocol.Message) bool { return m.Sender.Role == protocol.RoleBot })
			fee, _ := kb.Demo().Entry("shipping-fee")
			if m.Text != fee.Answer.EN {
				t.Errorf("answer = %q, want %q", m.Text, fee.Answer.EN)
			}
		})
	}
}
