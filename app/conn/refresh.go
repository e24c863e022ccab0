package conn

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sync"
	"time"

	"switchboard/protocol"
)

// TokenSource hands a Manager its access tokens and renews them. Refresher
// is the one the app uses.
type TokenSource interface {
	// Token returns the current access token and when it expires (unix
	// milliseconds).
	Token() (token string, expiresAt int64)
	// Refresh replaces stale, the access token the caller holds, by a new
	// one, unless that has happened already, and returns the current one.
	// A refusal that ends the sign-in is a terminal *protocol.Error
	// (refresh_reused, unauthenticated, token_expired, account_disabled);
	// an unreachable server is protocol.ErrUnavailable.
	Refresh(ctx context.Context, stale string) (token string, expiresAt int64, err error)
}

// Refresher keeps a signed-in agent's pair of tokens and renews it at POST
// /api/v1/refresh. Refreshes run one at a time: the server takes a refresh
// token once, and treats a second use — two refreshes at once included — as
// a stolen copy that ends the sign-in.
type Refresher struct {
	client    *http.Client
	serverURL string
	// kept is called with every new pair, in order, so the app can keep
	// the new refresh token before it is needed.
	kept func(LoginResult)

	// refreshMu serializes refreshes; it is held across the HTTP call.
	refreshMu sync.Mutex
	// mu guards cur; it is never held across I/O.
	mu  sync.Mutex
	cur LoginResult
}

var _ TokenSource = (*Refresher)(nil)

// NewRefresher returns a Refresher starting from res (a login's answer or a
// kept session). kept, if not nil, is called with every new pair.
func NewRefresher(client *http.Client, serverURL string, res LoginResult, kept func(LoginResult)) *Refresher {
	if client == nil {
		client = http.DefaultClient
	}
	if kept == nil {
		kept = func(LoginResult) {}
	}
	return &Refresher{client: client, serverURL: serverURL, kept: kept, cur: res}
}

// Token implements TokenSource.
func (r *Refresher) Token() (string, int64) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.cur.Token, r.cur.ExpiresAt
}

// Current returns the pair held now.
func (r *Refresher) Current() LoginResult {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.cur
}

// Refresh implements TokenSource.
func (r *Refresher) Refresh(ctx context.Context, stale string) (string, int64, error) {
	r.refreshMu.Lock()
	defer r.refreshMu.Unlock()
	cur := r.Current()
	if cur.Token != stale && cur.Token != "" {
		// Another caller refreshed while this one waited.
		return cur.Token, cur.ExpiresAt, nil
	}
	if cur.RefreshToken == "" {
		return "", 0, protocol.ErrTokenExpired
	}
	res, err := Refresh(ctx, r.client, r.serverURL, cur.RefreshToken)
	if err != nil {
		return "", 0, err
	}
	if res.User.ID == "" {
		res.User = cur.User
	}
	r.mu.Lock()
	r.cur = res
	r.mu.Unlock()
	r.kept(res)
	return res.Token, res.ExpiresAt, nil
}

// Logout ends the sign-in at the server (POST /api/v1/logout). Whatever it
// answers, the caller forgets the tokens: a server that cannot be reached
// keeps the sign-in until its refresh token expires.
func (r *Refresher) Logout(ctx context.Context) error {
	r.refreshMu.Lock()
	defer r.refreshMu.Unlock()
	cur := r.Current()
	if cur.RefreshToken == "" {
		return nil
	}
	_, err := postJSON(ctx, r.client, r.serverURL+"/api/v1/logout", map[string]string{"refresh_token": cur.RefreshToken})
	return err
}

// Refresh exchanges a refresh token for the next pair of tokens; the one
// given is used up.
func Refresh(ctx context.Context, client *http.Client, serverURL, refreshToken string) (LoginResult, error) {
	raw, err := postJSON(ctx, client, serverURL+"/api/v1/refresh", map[string]string{"refresh_token": refreshToken})
	if err != nil {
		return LoginResult{}, err
	}
	var res LoginResult
	if err := json.Unmarshal(raw, &res); err != nil || res.Token == "" || res.RefreshToken == "" {
		return LoginResult{}, protocol.ErrUnavailable.WithMessage("%s did not answer the refresh like a Switchboard server", serverURL)
	}
	return res, nil
}

// postJSON posts body to url and returns the answer of a 200, the server's
// coded error otherwise, and protocol.ErrUnavailable when the server cannot
// be reached.
func postJSON(ctx context.Context, client *http.Client, url string, body any) ([]byte, error) {
	if client == nil {
		client = http.DefaultClient
	}
	b, err := json.Marshal(body)
	if err != nil {
		return nil, fmt.Errorf("encode request: %w", err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(b))
	if err != nil {
		return nil, protocol.ErrInvalid.WithMessage("server address is not usable: %v", err)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		return nil, protocol.ErrUnavailable.WithMessage("cannot reach the server: %s", networkReason(err))
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return nil, protocol.ErrUnavailable.WithMessage("reading the server's answer failed: %s", networkReason(err))
	}
	if resp.StatusCode == http.StatusOK {
		return raw, nil
	}
	var e struct {
		Error *protocol.Error `json:"error"`
	}
	if json.Unmarshal(raw, &e) == nil && e.Error != nil && e.Error.Code != "" {
		return nil, e.Error
	}
	if resp.StatusCode >= 500 || resp.StatusCode == http.StatusNotFound {
		return nil, protocol.ErrUnavailable.WithMessage("server answered %s", resp.Status)
	}
	return nil, protocol.ErrInvalid.WithMessage("server answered %s", resp.Status)
}

// renewLead is how long before its access token expires a connection
// renews it: two minutes, or half of what is left of a shorter token.
func renewLead(left time.Duration) time.Duration {
	return min(2*time.Minute, left/2)
}
