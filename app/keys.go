package app

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"switchboard/app/cache"
	"switchboard/app/conn"
	"switchboard/app/secrets"
	"switchboard/protocol"
)

// The names secrets are kept under.
const (
	secretSession     = "session"
	secretCachePrefix = "cache-key/"
)

// openCache opens the encrypted cache at path with its key from the
// keychain, making both when there are none. A cache whose key is gone
// cannot be read by anyone: it is removed and started afresh (everything in
// it but unsent messages can be fetched again; those are lost, and logged).
func (s *Service) openCache(ctx context.Context, path string) (*cache.Cache, error) {
	if s.secrets == nil {
		return nil, protocol.ErrUnavailable.WithMessage("no keychain to keep the cache key in: %v", s.secretsErr)
	}
	name := secretCachePrefix + strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))
	var key []byte
	v, err := s.secrets.Get(name)
	switch {
	case err == nil:
		key, err = base64.StdEncoding.DecodeString(v)
		if err != nil || len(key) != cache.KeySize {
			return nil, fmt.Errorf("cache key %s in the %s store is damaged", name, s.secrets.Kind())
		}
	case errors.Is(err, secrets.ErrNotFound):
		if _, statErr := os.Stat(path); statErr == nil {
			s.log.Warn("the cache's key is gone from the keychain; starting a new cache", "cache", path)
			if err := cache.Remove(path); err != nil {
				return nil, fmt.Errorf("remove unreadable cache: %w", err)
			}
		}
		key = cache.NewKey()
		// The key is kept before the cache exists, so a crash never leaves
		// a cache without its key.
		if err := s.secrets.Set(name, base64.StdEncoding.EncodeToString(key)); err != nil {
			return nil, err
		}
	default:
		return nil, err
	}
	c, err := cache.Open(ctx, path, key)
	if errors.Is(err, cache.ErrWrongKey) {
		s.log.Warn("the cache was encrypted with another key; starting a new cache", "cache", path)
		if err := cache.Remove(path); err != nil {
			return nil, fmt.Errorf("remove unreadable cache: %w", err)
		}
		c, err = cache.Open(ctx, path, key)
	}
	return c, err
}

// storedSession is the signed-in session kept in the keychain, so the app
// opens signed in, from its cache, until the sign-in expires or the agent
// signs out. The refresh token in it is replaced at every renewal: the one
// before is used up.
type storedSession struct {
	ServerURL        string        `json:"server_url"`
	Token            string        `json:"token"`
	ExpiresAt        int64         `json:"expires_at"` // unix milliseconds
	RefreshToken     string        `json:"refresh_token,omitempty"`
	RefreshExpiresAt int64         `json:"refresh_expires_at,omitempty"` // unix milliseconds
	User             protocol.User `json:"user"`
}

// storedSessionOf is the session to keep for a sign-in's tokens.
func storedSessionOf(serverURL string, res conn.LoginResult) storedSession {
	return storedSession{ServerURL: serverURL, Token: res.Token, ExpiresAt: res.ExpiresAt,
		RefreshToken: res.RefreshToken, RefreshExpiresAt: res.RefreshExpiresAt, User: res.User}
}

// loginResult is the kept session's tokens.
func (st storedSession) loginResult() conn.LoginResult {
	return conn.LoginResult{Token: st.Token, ExpiresAt: st.ExpiresAt,
		RefreshToken: st.RefreshToken, RefreshExpiresAt: st.RefreshExpiresAt, User: st.User}
}

// resumeMargin is how long a stored token must still be valid for the app
// to resume with it rather than ask for the password.
const resumeMargin = time.Minute

func (s *Service) saveSession(st storedSession) {
	if s.secrets == nil {
		return
	}
	b, err := json.Marshal(st)
	if err == nil {
		err = s.secrets.Set(secretSession, string(b))
	}
	if err != nil {
		s.log.Warn("the session could not be kept; the next start asks for the password", "err", err)
	}
}

func (s *Service) forgetSession() {
	if s.secrets == nil {
		return
	}
	if err := s.secrets.Delete(secretSession); err != nil {
		s.log.Warn("forget the session", "err", err)
	}
}

// loadSession returns the kept session if it can still be used.
func (s *Service) loadSession(now time.Time) (storedSession, bool) {
	if s.secrets == nil {
		return storedSession{}, false
	}
	v, err := s.secrets.Get(secretSession)
	if err != nil {
		if !errors.Is(err, secrets.ErrNotFound) {
			s.log.Warn("read the kept session", "err", err)
		}
		return storedSession{}, false
	}
	var st storedSession
	if err := json.Unmarshal([]byte(v), &st); err != nil || st.Token == "" || st.User.ID == "" || st.ServerURL == "" {
		s.log.Warn("the kept session is damaged; forgetting it", "err", err)
		s.forgetSession()
		return storedSession{}, false
	}
	// The access token is renewed on connecting; what must still be good
	// is the refresh token (or, from before refresh tokens, the token).
	until := st.ExpiresAt
	if st.RefreshToken != "" {
		until = st.RefreshExpiresAt
	}
	if time.UnixMilli(until).Before(now.Add(resumeMargin)) {
		s.forgetSession()
		return storedSession{}, false
	}
	return st, true
}

// resume opens the kept session: the cache first, so the lists show at once,
// then the connection, which tells whether the server still takes the token
// (if not, the session ends and the UI asks for the password).
func (s *Service) resume(st storedSession) error {
	s.signInMu.Lock()
	defer s.signInMu.Unlock()
	ctx := s.context()
	if ctx.Err() != nil {
		return ctx.Err()
	}
	if err := s.checkServer(st.ServerURL); err != nil {
		// The policy changed since: the agent signs in where it allows.
		s.forgetSession()
		return err
	}
	sess, err := openSession(ctx, s, st.ServerURL, st.loginResult())
	if err != nil {
		return err
	}
	s.startSession(sess)
	return nil
}

// PrepareSession makes cfg.Dir hold a signed-in session of user on
// serverURL, as a sign-in would, and returns its open cache for the caller
// to fill: the next app started on that directory opens signed in, from
// that cache. For tools that set up a machine (the desktop benchmark).
func PrepareSession(ctx context.Context, cfg Config, serverURL string, res conn.LoginResult) (*cache.Cache, error) {
	s := New(cfg)
	if s.secretsErr != nil {
		return nil, s.secretsErr
	}
	u, err := conn.NormalizeServerURL(serverURL)
	if err != nil {
		return nil, err
	}
	c, err := s.openCache(ctx, cachePath(s.cfg.Dir, u, res.User.ID))
	if err != nil {
		return nil, err
	}
	s.saveSession(storedSessionOf(u, res))
	return c, nil
}
