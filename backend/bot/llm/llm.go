// Package llm is a bot backed by an OpenAI-compatible chat-completions
// endpoint. Its system prompt is grounded on the knowledge-base entries the
// kb index retrieves for the customer's message, the conversation's recent
// messages come before the question, and the model may hand the
// conversation to a person by calling the handoff tool. The model cites the
// entry it answered from as "[id]"; the citation is taken off the text and
// becomes the reply's EntryID.
package llm

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"switchboard/backend/bot"
	"switchboard/backend/kb"
)

// Defaults of Config.
const (
	DefaultTopK    = 3
	DefaultTimeout = 20 * time.Second
	// maxResponse bounds the body read from the endpoint.
	maxResponse = 1 << 20
)

// ReasonModel prefixes the reason of a handoff the model asked for.
const ReasonModel = "model"

// ToolHandoff is the name of the function the model calls to hand over.
const ToolHandoff = "handoff"

// Config configures a Bot. Zero values mean defaults.
type Config struct {
	// URL is the chat-completions endpoint, e.g.
	// "https://api.openai.com/v1/chat/completions"; a URL ending in "/v1"
	// gets "/chat/completions" appended. Required.
	URL string
	// Model is the model name sent with every request. Required.
	Model string
	// APIKey is sent as a bearer token when not empty.
	APIKey string
	// Index retrieves the entries the answers are grounded on; nil means
	// no grounding.
	Index *kb.Index
	// TopK is the number of entries in the prompt; 0 means DefaultTopK.
	TopK int
	// MinScore is the retrieval confidence at which the top entry names
	// the conversation's team and entry; 0 means 0.3.
	MinScore float64
	// Timeout bounds an answer whose ctx has no deadline; 0 means
	// DefaultTimeout. A deadline of ctx (the server's bot time limit) is
	// never cut short.
	Timeout time.Duration
	// Rules are extra handoff rules checked before the model is asked,
	// after the built-in triggers (see bot.Trigger).
	Rules []bot.Rule
	// Client sends the requests; nil means a client without its own
	// timeout (the context bounds each request).
	Client *http.Client
}

// Bot answers through a chat-completions endpoint. It is safe for
// concurrent use.
type Bot struct {
	cfg Config
}

var _ bot.Bot = (*Bot)(nil)

// New validates cfg and returns a bot.
func New(cfg Config) (*Bot, error) {
	if cfg.URL == "" {
		return nil, errors.New("llm bot: no url")
	}
	if cfg.Model == "" {
		return nil, errors.New("llm bot: no model")
	}
	cfg.URL = strings.TrimRight(cfg.URL, "/")
	if strings.HasSuffix(cfg.URL, "/v1") {
		cfg.URL += "/chat/completions"
	}
	if cfg.TopK <= 0 {
		cfg.TopK = DefaultTopK
	}
	if cfg.MinScore <= 0 {
		cfg.MinScore = 0.3
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultTimeout
	}
	if cfg.Client == nil {
		cfg.Client = &http.Client{}
	}
	return &Bot{cfg: cfg}, nil
}

// Wire types of the chat-completions API, only the fields used.
type (
	message struct {
		Role       string     `json:"role"`
		Content    string     `json:"content"`
		ToolCalls  []toolCall `json:"tool_calls,omitempty"`
		ToolCallID string     `json:"tool_call_id,omitempty"`
	}
	toolCall struct {
		ID       string `json:"id"`
		Type     string `json:"type"`
		Function struct {
			Name      string `json:"name"`
			Arguments string `json:"arguments"`
		} `json:"function"`
	}
	tool struct {
		Type     string       `json:"type"`
		Function toolFunction `json:"function"`
	}
	toolFunction struct {
		Name        string         `json:"name"`
		Description string         `json:"description"`
		Parameters  map[string]any `json:"parameters"`
	}
	request struct {
		Model       string    `json:"model"`
		Messages    []message `json:"messages"`
		Tools       []tool    `json:"tools"`
		Temperature float64   `json:"temperature"`
	}
	response struct {
		Choices []struct {
			Message      message `json:"message"`
			FinishReason string  `json:"finish_reason"`
		} `json:"choices"`
		Error *struct {
			Message string `json:"message"`
		} `json:"error"`
	}
)

var handoffTool = tool{Type: "function", Function: toolFunction{
	Name:        ToolHandoff,
	Description: "Hand the conversation to a human agent. Call it when the customer asks for a person, is upset, or the reference entries do not answer the question.",
	Parameters: map[string]any{
		"type": "object",
		"properties": map[string]any{
			"reason": map[string]any{"type": "string", "description": "why a person should take over, in a few words"},
		},
		"required": []string{"reason"},
	},
}}

// Answer asks the model. The built-in triggers hand over without a request;
// a transport error, a non-2xx status or a malformed response is an error
// (the server then hands over).
func (b *Bot) Answer(ctx context.Context, in bot.Input) (bot.Reply, error) {
	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, b.cfg.Timeout)
		defer cancel()
	}
	locale := bot.DetectLocale(in.Text)
	team := in.LastTeam
	if team == "" {
		team = bot.DefaultTeam
	}
	var hits kb.Result
	if b.cfg.Index != nil {
		var err error
		if hits, err = b.cfg.Index.Search(ctx, in.Text, locale, b.cfg.TopK); err != nil {
			return bot.Reply{}, fmt.Errorf("llm answer conv=%s: %w", in.ConversationID, err)
		}
	}
	r := bot.Reply{Locale: locale, Team: team, Score: hits.Confidence}
	if hits.Confidence >= b.cfg.MinScore && len(hits.Hits) > 0 {
		e := hits.Hits[0].Entry
		r.EntryID = e.ID
		if e.Team != "" {
			r.Team = e.Team
		}
	}
	if reason, ok := bot.Trigger(in, b.cfg.Rules); ok {
		r.Handoff, r.Reason, r.Text, r.Score = true, reason, bot.HandoffText(locale), 1
		return r, nil
	}

	msgs := make([]message, 0, len(in.History)+2)
	msgs = append(msgs, message{Role: "system", Content: systemPrompt(locale, hits.Hits)})
	for _, t := range in.History {
		role := "assistant"
		if t.Role == bot.RoleCustomer {
			role = "user"
		}
		msgs = append(msgs, message{Role: role, Content: t.Text})
	}
	msgs = append(msgs, message{Role: "user", Content: in.Text})
	body, err := json.Marshal(request{Model: b.cfg.Model, Messages: msgs, Tools: []tool{handoffTool}})
	if err != nil {
		return bot.Reply{}, fmt.Errorf("llm answer conv=%s: %w", in.ConversationID, err)
	}
	msg, err := b.complete(ctx, body)
	if err != nil {
		return bot.Reply{}, fmt.Errorf("llm answer conv=%s: %w", in.ConversationID, err)
	}
	for _, c := range msg.ToolCalls {
		if c.Function.Name != ToolHandoff {
			continue
		}
		var args struct {
			Reason string `json:"reason"`
		}
		// A model may send malformed arguments; the call itself is the
		// decision, the reason only detail.
		_ = json.Unmarshal([]byte(c.Function.Arguments), &args)
		r.Handoff = true
		r.Reason = ReasonModel
		if s := strings.TrimSpace(args.Reason); s != "" {
			r.Reason += ": " + s
		}
		r.Text = strings.TrimSpace(msg.Content)
		if r.Text == "" {
			r.Text = bot.HandoffText(locale)
		}
		return r, nil
	}
	text, cited := takeCitation(msg.Content, hits.Hits)
	if r.Text = text; r.Text == "" {
		return bot.Reply{}, fmt.Errorf("llm answer conv=%s: empty answer", in.ConversationID)
	}
	if cited != nil {
		// The model says which entry it used: that one, whatever the
		// retrieval's confidence.
		r.EntryID = cited.ID
		if cited.Team != "" {
			r.Team = cited.Team
		}
	}
	return r, nil
}

// takeCitation removes from text the citations of entries among hits, their
// ids in brackets, and returns the rest, trimmed, and the entry cited first
// (nil if none). Brackets around anything else stay: they are the model's.
func takeCitation(text string, hits []kb.Hit) (string, *kb.Entry) {
	var first *kb.Entry
	at := len(text)
	for i := range hits {
		c := "[" + hits[i].Entry.ID + "]"
		j := strings.Index(text, c)
		if j < 0 {
			continue
		}
		if j < at {
			first, at = &hits[i].Entry, j
		}
		text = strings.ReplaceAll(text, " "+c, "")
		text = strings.ReplaceAll(text, c, "")
	}
	return strings.TrimSpace(text), first
}

func (b *Bot) complete(ctx context.Context, body []byte) (message, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, b.cfg.URL, bytes.NewReader(body))
	if err != nil {
		return message{}, err
	}
	req.Header.Set("Content-Type", "application/json")
	if b.cfg.APIKey != "" {
		req.Header.Set("Authorization", "Bearer "+b.cfg.APIKey)
	}
	resp, err := b.cfg.Client.Do(req)
	if err != nil {
		return message{}, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxResponse))
	if err != nil {
		return message{}, fmt.Errorf("read response: %w", err)
	}
	var out response
	jerr := json.Unmarshal(data, &out)
	if resp.StatusCode/100 != 2 {
		if jerr == nil && out.Error != nil {
			return message{}, fmt.Errorf("status %d: %s", resp.StatusCode, out.Error.Message)
		}
		return message{}, fmt.Errorf("status %d", resp.StatusCode)
	}
	if jerr != nil {
		return message{}, fmt.Errorf("decode response: %w", jerr)
	}
	if len(out.Choices) == 0 {
		return message{}, errors.New("response without choices")
	}
	return out.Choices[0].Message, nil
}

// exampleID is the id shown in the prompt's citation example.
func exampleID(hits []kb.Hit) string {
	if len(hits) > 0 {
		return hits[0].Entry.ID
	}
	return "entry-id"
}

// systemPrompt grounds the model on the retrieved entries, in the
// customer's language.
func systemPrompt(locale string, hits []kb.Hit) string {
	var sb strings.Builder
	if locale == kb.ZH {
		sb.WriteString("你是云杉商城的客服助手。只根据下面的参考条目回答，用中文，简短礼貌；前面的对话帮助你理解客户的追问。在回答末尾用方括号写出所依据条目的编号，例如 [" + exampleID(hits) + "]。参考条目回答不了、客户要找人工或情绪激动时，调用 handoff 工具并说明原因，不要编造。\n\n参考条目：\n")
	} else {
		sb.WriteString("You are the customer-service assistant of the store. Answer only from the reference entries below, in English, briefly and politely; the conversation so far helps you understand follow-up questions. End the answer with the id of the entry you used in brackets, e.g. [" + exampleID(hits) + "]. When the entries do not answer the question, or the customer asks for a person or is upset, call the handoff tool with a reason instead of guessing.\n\nReference entries:\n")
	}
	if len(hits) == 0 {
		sb.WriteString("(none)\n")
	}
	for i, h := range hits {
		qs := h.Entry.Questions.Get(locale)
		q := ""
		if len(qs) > 0 {
			q = qs[0]
		}
		fmt.Fprintf(&sb, "%d. [%s] Q: %s\n   A: %s\n", i+1, h.Entry.ID, q, h.Entry.Answer.Get(locale))
	}
	return sb.String()
}
