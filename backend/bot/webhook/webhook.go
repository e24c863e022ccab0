// Package webhook is a bot run by someone else: each customer message is
// POSTed as JSON to a URL, and the JSON response is the reply.
//
// Request:  {"conversation_id": "...", "text": "...", "locale": "zh"|"en", "ext": {...}}
// Response: {"text": "...", "handoff": false, "reason": "...", "suggestions": ["..."]}
//
// Optional response fields "team", "entry_id" and "score" (0..1) route and
// label the reply like the built-in bot's.
package webhook

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
)

// DefaultTimeout bounds one request when the context allows longer.
const DefaultTimeout = 10 * time.Second

// maxResponse bounds the body read from the webhook.
const maxResponse = 1 << 20

// ReasonWebhook is the reason of a handoff the webhook asked for without
// saying why.
const ReasonWebhook = "webhook"

// Config configures a Bot. Zero values mean defaults.
type Config struct {
	// URL receives the POSTs. Required.
	URL string
	// Header is added to every request (e.g. an authorization token).
	Header http.Header
	// Timeout bounds one request; 0 means DefaultTimeout.
	Timeout time.Duration
	// Client sends the requests; nil means a client without its own
	// timeout (the context bounds each request).
	Client *http.Client
}

// Request is the body POSTed for each customer message.
type Request struct {
	ConversationID string `json:"conversation_id"`
	Text           string `json:"text"`
	Locale         string `json:"locale"`
	// Ext are the business fields the page passed, unverified; Verified
	// those the customer's signed identity token vouched for.
	Ext      map[string]string `json:"ext"`
	Verified map[string]string `json:"verified,omitempty"`
}

// Response is the body the webhook answers with.
type Response struct {
	Text        string   `json:"text"`
	Handoff     bool     `json:"handoff"`
	Reason      string   `json:"reason"`
	Suggestions []string `json:"suggestions"`
	Team        string   `json:"team,omitempty"`
	EntryID     string   `json:"entry_id,omitempty"`
	Score       float64  `json:"score,omitempty"`
}

// Bot answers through a webhook. It is safe for concurrent use.
type Bot struct {
	cfg Config
}

var _ bot.Bot = (*Bot)(nil)

// New validates cfg and returns a bot.
func New(cfg Config) (*Bot, error) {
	if cfg.URL == "" {
		return nil, errors.New("webhook bot: no url")
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultTimeout
	}
	if cfg.Client == nil {
		cfg.Client = &http.Client{}
	}
	return &Bot{cfg: cfg}, nil
}

// Answer posts in to the webhook. A transport error, a non-2xx status, a
// malformed response or one with neither text nor a handoff is an error
// (the server then hands over).
func (b *Bot) Answer(ctx context.Context, in bot.Input) (bot.Reply, error) {
	ctx, cancel := context.WithTimeout(ctx, b.cfg.Timeout)
	defer cancel()
	locale := bot.DetectLocale(in.Text)
	resp, err := b.post(ctx, Request{ConversationID: in.ConversationID, Text: in.Text, Locale: locale, Ext: in.Ext, Verified: in.Verified})
	if err != nil {
		return bot.Reply{}, fmt.Errorf("webhook answer conv=%s: %w", in.ConversationID, err)
	}
	r := bot.Reply{
		Text:        strings.TrimSpace(resp.Text),
		Locale:      locale,
		Handoff:     resp.Handoff,
		Reason:      resp.Reason,
		Team:        resp.Team,
		EntryID:     resp.EntryID,
		Score:       min(max(resp.Score, 0), 1),
		Suggestions: resp.Suggestions,
	}
	if r.Team == "" {
		r.Team = in.LastTeam
	}
	if r.Team == "" {
		r.Team = bot.DefaultTeam
	}
	if r.Handoff {
		if r.Reason == "" {
			r.Reason = ReasonWebhook
		}
		if r.Text == "" {
			r.Text = bot.HandoffText(locale)
		}
	} else if r.Text == "" {
		return bot.Reply{}, fmt.Errorf("webhook answer conv=%s: empty answer", in.ConversationID)
	}
	return r, nil
}

func (b *Bot) post(ctx context.Context, in Request) (Response, error) {
	body, err := json.Marshal(in)
	if err != nil {
		return Response{}, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, b.cfg.URL, bytes.NewReader(body))
	if err != nil {
		return Response{}, err
	}
	for k, vs := range b.cfg.Header {
		for _, v := range vs {
			req.Header.Add(k, v)
		}
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := b.cfg.Client.Do(req)
	if err != nil {
		return Response{}, err
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		io.Copy(io.Discard, io.LimitReader(resp.Body, maxResponse))
		return Response{}, fmt.Errorf("status %d", resp.StatusCode)
	}
	var out Response
	if err := json.NewDecoder(io.LimitReader(resp.Body, maxResponse)).Decode(&out); err != nil {
		return Response{}, fmt.Errorf("decode response: %w", err)
	}
	return out, nil
}
