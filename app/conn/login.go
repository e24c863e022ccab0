package conn

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"switchboard/protocol"
)

// LoginResult is the server's answer to POST /api/v1/login and POST
// /api/v1/refresh: a short access token and the refresh token that renews
// it (empty from a server that has none).
type LoginResult struct {
	Token            string        `json:"token"`
	ExpiresAt        int64         `json:"expires_at"` // unix milliseconds
	RefreshToken     string        `json:"refresh_token,omitempty"`
	RefreshExpiresAt int64         `json:"refresh_expires_at,omitempty"` // unix milliseconds
	User             protocol.User `json:"user"`
}

// NormalizeServerURL checks a server address typed by a person and returns it
// in canonical form: scheme http or https (http when none is given), no path,
// no trailing slash.
func NormalizeServerURL(raw string) (string, error) {
	s := strings.TrimSpace(raw)
	if s == "" {
		return "", protocol.ErrInvalid.WithMessage("server address is empty")
	}
	if !strings.Contains(s, "://") {
		s = "http://" + s
	}
	u, err := url.Parse(s)
	if err != nil || u.Host == "" {
		return "", protocol.ErrInvalid.WithMessage("server address %q is not a valid URL", raw)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return "", protocol.ErrInvalid.WithMessage("server address must start with http:// or https://")
	}
	u.Path = strings.TrimRight(u.Path, "/")
	u.RawQuery, u.Fragment, u.User = "", "", nil
	return u.String(), nil
}

// websocketURL maps the server's HTTP address to its WebSocket endpoint.
func websocketURL(serverURL string) (string, error) {
	u, err := url.Parse(serverURL)
	if err != nil {
		return "", fmt.Errorf("parse server url: %w", err)
	}
	switch u.Scheme {
	case "https":
		u.Scheme = "wss"
	default:
		u.Scheme = "ws"
	}
	u.Path = strings.TrimRight(u.Path, "/") + "/ws"
	return u.String(), nil
}

// Login exchanges a username and password for an access token. A refusal by
// the server is returned as its *protocol.Error (bad_credentials, rate_limited…);
// a server that cannot be reached as protocol.ErrUnavailable.
func Login(ctx context.Context, client *http.Client, serverURL, username, password string) (LoginResult, error) {
	if client == nil {
		client = http.DefaultClient
	}
	body, err := json.Marshal(map[string]string{"username": username, "password": password})
	if err != nil {
		return LoginResult{}, fmt.Errorf("encode login: %w", err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, serverURL+"/api/v1/login", bytes.NewReader(body))
	if err != nil {
		return LoginResult{}, protocol.ErrInvalid.WithMessage("server address is not usable: %v", err)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		return LoginResult{}, protocol.ErrUnavailable.WithMessage("cannot reach the server: %s", networkReason(err))
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return LoginResult{}, protocol.ErrUnavailable.WithMessage("reading the server's answer failed: %s", networkReason(err))
	}
	if resp.StatusCode != http.StatusOK {
		var e struct {
			Error *protocol.Error `json:"error"`
		}
		if json.Unmarshal(raw, &e) == nil && e.Error != nil && e.Error.Code != "" {
			return LoginResult{}, e.Error
		}
		switch {
		case resp.StatusCode == http.StatusUnauthorized:
			return LoginResult{}, protocol.ErrBadCredentials
		case resp.StatusCode == http.StatusNotFound:
			return LoginResult{}, protocol.ErrUnavailable.WithMessage("%s is not a Switchboard server", serverURL)
		case resp.StatusCode >= 500:
			return LoginResult{}, protocol.ErrUnavailable.WithMessage("server answered %s", resp.Status)
		default:
			return LoginResult{}, protocol.ErrInvalid.WithMessage("server answered %s", resp.Status)
		}
	}
	var res LoginResult
	if err := json.Unmarshal(raw, &res); err != nil || res.Token == "" {
		return LoginResult{}, protocol.ErrUnavailable.WithMessage("%s did not answer like a Switchboard server", serverURL)
	}
	return res, nil
}

// networkReason shortens a transport error for a person: the URL the error
// repeats is already known to them.
func networkReason(err error) string {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	return err.Error()
}
