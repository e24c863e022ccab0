package webhooks

import (
	"bytes"
	"cmp"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"strconv"
	"time"

	"switchboard/backend/signature"
)

// Headers of every delivery. HeaderTimestamp is the attempt's time in Unix
// seconds; HeaderSignature is one "v1=<hex>" per secret of the endpoint
// (two while one is being rotated out), see package signature; HeaderEvent
// is the event id, the same on every attempt and for every endpoint;
// HeaderAttempt counts attempts from 1.
const (
	HeaderTimestamp = "X-Switchboard-Timestamp"
	HeaderSignature = "X-Switchboard-Signature"
	HeaderEvent     = "X-Switchboard-Event"
	HeaderEventType = "X-Switchboard-Event-Type"
	HeaderAttempt   = "X-Switchboard-Attempt"
)

// Delivery timing.
const (
	// AttemptTimeout bounds one attempt: connecting, sending and the
	// receiver's answer.
	AttemptTimeout = 10 * time.Second
	// GiveUpAfter is how long an event is retried, counted from its first
	// attempt; then it goes to the dead-letter list.
	GiveUpAfter = 24 * time.Hour
	// FirstRetry is the wait before the first retry; each further one
	// waits twice as long, up to MaxRetry.
	FirstRetry = 5 * time.Second
	MaxRetry   = time.Hour
)

// maxAnswer bounds what is read of a receiver's answer (kept for the
// dead-letter list).
const maxAnswer = 512

// Schedule is when failed deliveries are tried again.
type Schedule struct {
	// First is the wait before the first retry; each further one waits
	// twice as long, up to Max. GiveUp is how long an event is retried,
	// counted from its first attempt. Zero values mean FirstRetry,
	// MaxRetry and GiveUpAfter.
	First, Max, GiveUp time.Duration
}

func (s Schedule) fill() Schedule {
	if s.First <= 0 {
		s.First = FirstRetry
	}
	if s.Max <= 0 {
		s.Max = MaxRetry
	}
	if s.GiveUp <= 0 {
		s.GiveUp = GiveUpAfter
	}
	return s
}

// Backoff returns the wait after failed attempt n (1 for the first):
// First doubled n-1 times, capped at Max, of which a random half is taken
// off (r in [0, 1)), so that receivers coming back after an outage are not
// hit by every sender at once.
func (s Schedule) Backoff(n int, r float64) time.Duration {
	s = s.fill()
	d := s.First
	for i := 1; i < n && d < s.Max; i++ {
		d *= 2
	}
	d = min(d, s.Max)
	return d/2 + time.Duration(r*float64(d/2))
}

// Next returns when to try again after failed attempt n of an event first
// tried at first, and false when it is time to give up. A receiver's
// Retry-After is honoured when it is later than the back-off.
func (s Schedule) Next(first, now time.Time, n int, retryAfter time.Duration) (time.Time, bool) {
	s = s.fill()
	next := now.Add(s.Backoff(n, rand.Float64()))
	if ra := now.Add(retryAfter); retryAfter > 0 && ra.After(next) {
		next = ra
	}
	if next.Sub(first) > s.GiveUp {
		return time.Time{}, false
	}
	return next, true
}

// Result is the outcome of one attempt.
type Result struct {
	// Status is the receiver's HTTP status, 0 when there was none
	// (connection refused or cut, timeout).
	Status int
	// Err is nil when the receiver took the event (any 2xx).
	Err error
	// RetryAfter is the receiver's Retry-After on a 429 or 503.
	RetryAfter time.Duration
}

// Sender posts events to endpoints.
type Sender struct {
	Client *http.Client
	// Timeout bounds one attempt; 0 means AttemptTimeout.
	Timeout time.Duration
}

// Send makes one attempt (number attempt) at posting body, the JSON of
// ev, to url, signed with each of secrets.
func (s Sender) Send(ctx context.Context, url string, secrets [][]byte, ev Event, body []byte, attempt int, now time.Time) Result {
	ctx, cancel := context.WithTimeout(ctx, cmp.Or(s.Timeout, AttemptTimeout))
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return Result{Err: fmt.Errorf("webhook request: %w", err)}
	}
	ts := strconv.FormatInt(now.Unix(), 10)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "Switchboard-Webhooks/1")
	req.Header.Set(HeaderTimestamp, ts)
	if len(secrets) > 0 {
		req.Header.Set(HeaderSignature, signature.SignAll(secrets, ts, body))
	}
	req.Header.Set(HeaderEvent, ev.ID)
	req.Header.Set(HeaderEventType, ev.Type)
	req.Header.Set(HeaderAttempt, strconv.Itoa(attempt))
	c := s.Client
	if c == nil {
		c = http.DefaultClient
	}
	resp, err := c.Do(req)
	if err != nil {
		return Result{Err: fmt.Errorf("post to webhook: %w", err)}
	}
	defer resp.Body.Close()
	answer, _ := io.ReadAll(io.LimitReader(resp.Body, maxAnswer))
	io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	r := Result{Status: resp.StatusCode}
	if resp.StatusCode/100 == 2 {
		return r
	}
	r.Err = fmt.Errorf("webhook answered %s: %q", resp.Status, bytes.TrimSpace(answer))
	if resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusServiceUnavailable {
		r.RetryAfter = retryAfter(resp.Header.Get("Retry-After"), now)
	}
	return r
}

// retryAfter reads a Retry-After header: seconds or an HTTP date; 0 when
// absent or unreadable.
func retryAfter(v string, now time.Time) time.Duration {
	if v == "" {
		return 0
	}
	if n, err := strconv.Atoi(v); err == nil && n >= 0 {
		return time.Duration(n) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(t.Sub(now), 0)
	}
	return 0
}
