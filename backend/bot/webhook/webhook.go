// Package webhook is a bot run by someone else: each customer message is
// POSTed as JSON to a URL, and the JSON response is the reply.
//
// Request:  {"conversation_id": "...", "text": "...", "locale": "zh"|"en", "ext": {...}}
// Response: {"text": "...", "handoff": false, "reason": "...", "suggestions": ["..."]}
//
// Optional response fields "team", "entry_id" and "score" (0..1) route and
// label the reply like the built-in bot's.
//
// A connection error, a 5xx or a 429 is retried with exponential back-off
// and jitter (a 429's or 503's Retry-After when it fits) while the time
// limit allows; any other 4xx and a malformed answer are not. With a secret
// every request is signed: see Sign and Verify.
package webhook

import (
	"bytes"
	"context"
	crand "crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"time"

	"switchboard/backend/bot"
	"switchboard/backend/signature"
)

// Defaults of Config.
const (
	// DefaultTimeout bounds an answer whose context has no deadline.
	DefaultTimeout = 10 * time.Second
	// DefaultMaxAttempts is how many times one message is posted at most.
	DefaultMaxAttempts = 4
	// DefaultBackoff is the wait before the first retry; each further one
	// waits twice as long, up to maxBackoff, less a random part.
	DefaultBackoff = 200 * time.Millisecond
)

// maxBackoff caps the wait between two attempts.
const maxBackoff = 2 * time.Second

// maxResponse bounds the body read from the webhook.
const maxResponse = 1 << 20

// ReasonWebhook is the reason of a handoff the webhook asked for without
// saying why.
const ReasonWebhook = "webhook"

// Headers of every request. HeaderTimestamp is the time of the attempt in
// Unix seconds; HeaderSignature is "v1=" and the hex HMAC-SHA-256, keyed
// with the secret, of the timestamp, ".", and the body (see Sign, Verify);
// HeaderDelivery is the same on every attempt at one message, for a
// receiver to recognise a retry of a message it handled.
const (
	HeaderTimestamp = "X-Switchboard-Timestamp"
	HeaderSignature = "X-Switchboard-Signature"
	HeaderDelivery  = "X-Switchboard-Delivery"
)

// Config configures a Bot. Zero values mean defaults.
type Config struct {
	// URL receives the POSTs. Required.
	URL string
	// Header is added to every request (e.g. an authorization token).
	Header http.Header
	// Secret signs every request (HeaderSignature) when not empty.
	Secret []byte
	// Timeout bounds an answer, retries included, whose context has no
	// deadline; 0 means DefaultTimeout. A deadline of the context (the
	// server's bot time limit) is never cut short.
	Timeout time.Duration
	// MaxAttempts bounds the attempts at one message; 0 means
	// DefaultMaxAttempts. Only a connection error, a 5xx or a 429 is
	// retried, and only while the context's deadline leaves time to wait.
	MaxAttempts int
	// Backoff is the wait before the first retry; 0 means DefaultBackoff.
	Backoff time.Duration
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
	if cfg.MaxAttempts <= 0 {
		cfg.MaxAttempts = DefaultMaxAttempts
	}
	if cfg.Backoff <= 0 {
		cfg.Backoff = DefaultBackoff
	}
	if cfg.Client == nil {
		cfg.Client = &http.Client{}
	}
	return &Bot{cfg: cfg}, nil
}

// Answer posts in to the webhook, retrying as Config says. A transport
// error, a non-2xx status (after the retries), a malformed response or one
// with neither text nor a handoff is an error (the server then hands over).
func (b *Bot) Answer(ctx context.Context, in bot.Input) (bot.Reply, error) {
	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, b.cfg.Timeout)
		defer cancel()
	}
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

// retryError is a failed attempt worth another: the request may not have
// reached the webhook, or the webhook said to try again. after, when not
// negative, is the wait the webhook asked for (Retry-After).
type retryError struct {
	err   error
	after time.Duration
}

func (e *retryError) Error() string { return e.err.Error() }
func (e *retryError) Unwrap() error { return e.err }

// post sends in until an attempt succeeds, fails for good, or the attempts
// or the time run out. Waits grow exponentially with jitter, so that many
// servers retrying after one outage do not come back at once.
func (b *Bot) post(ctx context.Context, in Request) (Response, error) {
	body, err := json.Marshal(in)
	if err != nil {
		return Response{}, err
	}
	delivery := newDelivery()
	wait := b.cfg.Backoff
	for attempt := 1; ; attempt++ {
		resp, err := b.attempt(ctx, body, delivery)
		var re *retryError
		if err == nil || !errors.As(err, &re) {
			return resp, err
		}
		if attempt >= b.cfg.MaxAttempts {
			return Response{}, fmt.Errorf("%w (attempt %d, the last)", err, attempt)
		}
		d := wait/2 + rand.N(wait/2+1)
		if re.after >= 0 {
			d = re.after
		}
		if deadline, ok := ctx.Deadline(); ok && time.Until(deadline) <= d {
			return Response{}, fmt.Errorf("%w (attempt %d; no time left to wait %v for another)", err, attempt, d.Round(time.Millisecond))
		}
		t := time.NewTimer(d)
		select {
		case <-ctx.Done():
			t.Stop()
			return Response{}, fmt.Errorf("%w (attempt %d): %w", err, attempt, ctx.Err())
		case <-t.C:
		}
		wait = min(2*wait, maxBackoff)
	}
}

// attempt posts body once. Errors worth a retry are *retryError.
func (b *Bot) attempt(ctx context.Context, body []byte, delivery string) (Response, error) {
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
	req.Header.Set(HeaderDelivery, delivery)
	if len(b.cfg.Secret) > 0 {
		ts := strconv.FormatInt(time.Now().Unix(), 10)
		req.Header.Set(HeaderTimestamp, ts)
		req.Header.Set(HeaderSignature, Sign(b.cfg.Secret, ts, body))
	}
	resp, err := b.cfg.Client.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			// Out of time: no retry could be in time either.
			return Response{}, err
		}
		return Response{}, &retryError{err: err, after: -1}
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		io.Copy(io.Discard, io.LimitReader(resp.Body, maxResponse))
		err := fmt.Errorf("status %d", resp.StatusCode)
		if resp.StatusCode/100 == 5 || resp.StatusCode == http.StatusTooManyRequests {
			return Response{}, &retryError{err: err, after: retryAfter(resp.Header.Get("Retry-After"), time.Now())}
		}
		return Response{}, err
	}
	var out Response
	if err := json.NewDecoder(io.LimitReader(resp.Body, maxResponse)).Decode(&out); err != nil {
		return Response{}, fmt.Errorf("decode response: %w", err)
	}
	return out, nil
}

// retryAfter parses a Retry-After header, seconds or an HTTP date; -1
// means none.
func retryAfter(v string, now time.Time) time.Duration {
	if v == "" {
		return -1
	}
	if n, err := strconv.Atoi(v); err == nil && n >= 0 {
		return time.Duration(n) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(t.Sub(now), 0)
	}
	return -1
}

func newDelivery() string {
	var b [16]byte
	crand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// Sign returns the HeaderSignature value of body sent at timestamp (the
// HeaderTimestamp value): see package signature.
func Sign(secret []byte, timestamp string, body []byte) string {
	return signature.Sign(secret, timestamp, body)
}

// Errors of Verify.
var (
	ErrNoSignature  = signature.ErrNoSignature
	ErrBadSignature = signature.ErrBadSignature
	ErrStale        = signature.ErrStale
)

// Verify checks, for a receiver, that body came signed with secret:
// signature is the HeaderSignature value (one or more comma-separated
// "v1=<hex>"), timestamp the HeaderTimestamp value, within tolerance of
// now (a replayed request is refused once it is older).
func Verify(secret []byte, timestamp, sig string, body []byte, now time.Time, tolerance time.Duration) error {
	return signature.Verify(secret, timestamp, sig, body, now, tolerance)
}
