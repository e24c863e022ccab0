package chatclient

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"time"

	"switchboard/protocol"
)

// Login is the answer of POST /api/v1/login.
type Login struct {
	Token     string        `json:"token"`
	ExpiresAt int64         `json:"expires_at"`
	User      protocol.User `json:"user"`
}

// Visitor is the answer of POST /api/v1/visitor.
type Visitor struct {
	Token     string `json:"token"`
	VisitorID string `json:"visitor_id"`
	ExpiresAt int64  `json:"expires_at"`
}

// LoginAgent signs an agent in at base ("http://host:port"). hc nil means
// http.DefaultClient.
func LoginAgent(ctx context.Context, hc *http.Client, base, username, password string) (Login, error) {
	var out Login
	err := postJSON(ctx, hc, base+"/api/v1/login", map[string]string{"username": username, "password": password}, &out)
	return out, err
}

// NewVisitor asks base for a visitor token with a display name.
func NewVisitor(ctx context.Context, hc *http.Client, base, name string) (Visitor, error) {
	var out Visitor
	err := postJSON(ctx, hc, base+"/api/v1/visitor", map[string]string{"name": name}, &out)
	return out, err
}

// NewIdentifiedVisitor gets a visitor token for the site user an identity
// token (signed by the site's backend) vouches for.
func NewIdentifiedVisitor(ctx context.Context, hc *http.Client, base, identity string) (Visitor, error) {
	var out Visitor
	err := postJSON(ctx, hc, base+"/api/v1/visitor", map[string]string{"identity": identity}, &out)
	return out, err
}

// postJSON posts body and decodes a 200 answer into out. Network failures
// and retryable coded errors are retried with a short pause until ctx is done.
func postJSON(ctx context.Context, hc *http.Client, url string, body, out any) error {
	if hc == nil {
		hc = http.DefaultClient
	}
	b, err := json.Marshal(body)
	if err != nil {
		return err
	}
	for {
		err := postOnce(ctx, hc, url, b, out)
		if err == nil {
			return nil
		}
		if perr, ok := err.(*protocol.Error); ok && !perr.Retryable {
			return fmt.Errorf("POST %s: %w", url, err)
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("POST %s: %w (last error: %v)", url, ctx.Err(), err)
		case <-time.After(200 * time.Millisecond):
		}
	}
}

func postOnce(ctx context.Context, hc *http.Client, url string, b []byte, out any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(b))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := hc.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		var e struct {
			Error *protocol.Error `json:"error"`
		}
		if json.Unmarshal(raw, &e) == nil && e.Error != nil {
			return e.Error
		}
		return fmt.Errorf("status %d", resp.StatusCode)
	}
	return json.Unmarshal(raw, out)
}
