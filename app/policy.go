package app

import (
	"context"
	"log/slog"
	"strings"
	"time"

	"switchboard/app/conn"
	"switchboard/app/policy"
	"switchboard/protocol"
)

// ErrServerNotAllowed refuses to sign in to, or resume a session on, a
// server the managed policy does not allow (AllowedServers, or a locked
// ServerURL). It is the app's own code, not the protocol's.
var ErrServerNotAllowed = &protocol.Error{Code: "server_not_allowed", Message: "your administrator does not allow this server"}

// defaultPruneInterval is how often the cache is pruned while signed in
// when a retention policy is set.
const defaultPruneInterval = 24 * time.Hour

// Policy returns the managed policy in force: for each setting its value,
// whether the administrator locked it, and the source it came from ("" for
// the built-in default), with the problems found in the sources. The policy
// is read once at start; a change applies at the next start.
func (a *App) Policy() (policy.Policy, error) {
	return *a.s.policy, nil
}

// loadPolicy reads the managed policy, logs what is wrong with it and sets
// the log level it asks for. It runs in New, before anything else logs.
func (s *Service) loadPolicy() *policy.Policy {
	srcs := s.cfg.PolicySources
	if srcs == nil {
		srcs = policy.SystemSources()
	}
	p := policy.Load(srcs...)
	// Problems are logged before the policy's level applies, so a policy
	// that turns the log down still shows what is wrong with it.
	for _, pr := range p.Problems {
		level := slog.LevelError
		if pr.Severity == policy.SeverityWarning {
			level = slog.LevelWarn
		}
		s.log.Log(context.Background(), level, "managed policy problem",
			"source", pr.Source, "key", pr.Key, "code", pr.Code, "detail", pr.Message)
	}
	var names []string
	for _, src := range srcs {
		names = append(names, src.Name())
	}
	s.log.Info("managed policy", "sources", strings.Join(names, "; "),
		"server_url", p.ServerURL.Value, "server_url_locked", p.ServerURL.Locked,
		"allowed_servers", strings.Join(p.AllowedServers.Value, ","),
		"update_check_disabled", p.DisableUpdateCheck.Value, "language", p.Language.Value,
		"cache_retention_days", p.CacheRetentionDays.Value, "log_level", p.LogLevel.Value,
		"problems", len(p.Problems))
	if s.cfg.LogLevel != nil {
		s.cfg.LogLevel.Set(slogLevel(p.LogLevel.Value))
	}
	return p
}

func slogLevel(v string) slog.Level {
	switch v {
	case policy.LogDebug:
		return slog.LevelDebug
	case policy.LogWarn:
		return slog.LevelWarn
	case policy.LogError:
		return slog.LevelError
	}
	return slog.LevelInfo
}

// updateCheckDisabled reports whether the policy turns the update check off.
func (s *Service) updateCheckDisabled() bool {
	return s.policy.DisableUpdateCheck.Value
}

// defaultServerURL is the server the sign-in screen offers, and whether the
// agent may change it: a locked policy URL; else the one the agent started
// the app with (SWITCHBOARD_SERVER_URL), the last one signed in to, the
// policy's preset or recommended URL, the built-in one. Called with s.mu
// held.
func (s *Service) defaultServerURLLocked() (string, bool) {
	p := s.policy
	if p.ServerURL.Locked {
		return p.ServerURL.Value, true
	}
	for _, u := range []string{s.cfg.DefaultServerURL, s.settings.ServerURL, p.ServerURL.Value} {
		if u != "" {
			return u, false
		}
	}
	return DefaultServerURL, false
}

// policyServerURL returns the server to sign in to when the agent asked for
// serverURL: the locked one, if the policy locks it.
func (s *Service) policyServerURL(serverURL string) string {
	if s.policy.ServerURL.Locked {
		return s.policy.ServerURL.Value
	}
	return serverURL
}

// checkServer refuses a server (a normalized URL) the policy does not
// allow: another than a locked ServerURL, or one not in AllowedServers.
func (s *Service) checkServer(serverURL string) error {
	p := s.policy
	if p.ServerURL.Locked {
		locked, err := conn.NormalizeServerURL(p.ServerURL.Value)
		if err != nil || !strings.EqualFold(locked, serverURL) {
			return ErrServerNotAllowed.WithMessage("your administrator set the server to %s", p.ServerURL.Value)
		}
	}
	if !policy.ServerAllowed(p.AllowedServers.Value, serverURL) {
		return ErrServerNotAllowed.WithMessage("your administrator does not allow the server %s", serverURL)
	}
	return nil
}

// keepCacheRetention prunes the session's cache of messages older than the
// policy's CacheRetentionDays now and then daily, until the session closes.
// The caller has started sess and holds signInMu.
func (s *Service) keepCacheRetention(sess *session) {
	days := s.policy.CacheRetentionDays.Value
	if days <= 0 {
		return
	}
	every := s.cfg.CachePruneInterval
	if every <= 0 {
		every = defaultPruneInterval
	}
	ctx := sess.ctx
	sess.wg.Go(func() {
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			cutoff := time.Now().AddDate(0, 0, -days)
			p, err := sess.cache.PruneBefore(ctx, cutoff)
			switch {
			case err != nil && ctx.Err() == nil:
				sess.log.Warn("prune the cache", "retention_days", days, "err", err)
			case p.Messages > 0 || p.Conversations > 0:
				sess.log.Info("pruned the cache", "retention_days", days,
					"messages", p.Messages, "conversations", p.Conversations)
			}
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
		}
	})
}
