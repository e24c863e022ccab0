package app

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"runtime"
	"strings"
	"time"

	"golang.org/x/mod/semver"

	"switchboard/internal/buildinfo"
)

// The update notice: the server publishes the desktop version IT has
// approved (GET /api/desktop/release, docs/protocol.md); an app older than
// it shows a notice with the download link for its OS. Nothing is
// downloaded or replaced by the app itself: IT's installers do that.

// releasePath is the server's endpoint for the approved desktop release.
const releasePath = "/api/desktop/release"

// defaultUpdateInterval is how often a signed-in app asks again.
const defaultUpdateInterval = 6 * time.Hour

// maxReleaseBody bounds the release document read from the server.
const maxReleaseBody = 64 << 10

// AboutInfo is what the About panel shows.
type AboutInfo struct {
	Version   string `json:"version"`
	OS        string `json:"os"`
	Arch      string `json:"arch"`
	GoVersion string `json:"go_version"`
	// ServerURL is the server signed in to; empty when signed out.
	ServerURL string `json:"server_url,omitempty"`
	// ConfigDir holds the settings and the encrypted cache.
	ConfigDir string `json:"config_dir"`
	// UpdateCheck is false when the update notice is turned off by policy
	// (DisableUpdateCheck).
	UpdateCheck bool `json:"update_check"`
}

// UpdateNotice is the payload of the update:available event: a newer
// approved version and where to get it for this OS.
type UpdateNotice struct {
	Current string `json:"current"`
	Version string `json:"version"`
	// URL is the download link for this OS; empty when the admin gave none
	// (the notice then only says a newer version is approved).
	URL      string `json:"url,omitempty"`
	NotesURL string `json:"notes_url,omitempty"`
}

// release is the server's document at releasePath.
type release struct {
	Version   string            `json:"version"`
	Downloads map[string]string `json:"downloads"`
	NotesURL  string            `json:"notes_url"`
}

// About reports the app's version and where it runs.
func (a *App) About() (AboutInfo, error) {
	info := AboutInfo{
		Version:     a.s.version(),
		OS:          runtime.GOOS,
		Arch:        runtime.GOARCH,
		GoVersion:   runtime.Version(),
		ConfigDir:   a.s.cfg.Dir,
		UpdateCheck: !a.s.updateCheckDisabled(),
	}
	if sess, err := a.s.current(); err == nil {
		info.ServerURL = sess.serverURL
	}
	return info, nil
}

// UpdateNotice returns the notice of a newer approved version, or null.
func (a *App) UpdateNotice() (*UpdateNotice, error) {
	a.s.mu.Lock()
	defer a.s.mu.Unlock()
	if a.s.update == nil {
		return nil, nil
	}
	n := *a.s.update
	return &n, nil
}

func (s *Service) version() string {
	if s.cfg.Version != "" {
		return s.cfg.Version
	}
	return buildinfo.Version
}

// checkUpdates asks the session's server for the approved release at once
// and then every UpdateInterval until ctx ends, unless policy turns the
// check off. Failures are logged at debug level and retried next time: an
// older server without the endpoint is normal.
func (sess *session) checkUpdates(ctx context.Context) {
	s := sess.svc
	if s.updateCheckDisabled() {
		s.log.Info("update check turned off by policy")
		return
	}
	interval := s.cfg.UpdateInterval
	if interval <= 0 {
		interval = defaultUpdateInterval
	}
	for {
		n, err := fetchUpdate(ctx, s.cfg.HTTPClient, sess.serverURL, s.version(), runtime.GOOS)
		switch {
		case err != nil:
			s.log.Debug("update check failed", "err", err)
		case sess.svc.isCurrent(sess):
			s.setUpdate(n)
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(interval):
		}
	}
}

// setUpdate records the notice (nil: none) and tells the UI when it changed.
func (s *Service) setUpdate(n *UpdateNotice) {
	s.mu.Lock()
	same := (s.update == nil && n == nil) || (s.update != nil && n != nil && *s.update == *n)
	s.update = n
	s.mu.Unlock()
	if same || n == nil {
		return
	}
	s.log.Info("a newer desktop version is approved", "current", n.Current, "version", n.Version)
	s.emit(EventUpdateAvailable, *n)
}

// fetchUpdate reads the approved release from the server and returns a
// notice when it is newer than current; nil when it is not, when none is
// published (204), or when current is not a release version (a dev build).
func fetchUpdate(ctx context.Context, client *http.Client, serverURL, current, goos string) (*UpdateNotice, error) {
	cur := semverOf(current)
	if cur == "" {
		return nil, nil
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, strings.TrimRight(serverURL, "/")+releasePath, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	switch resp.StatusCode {
	case http.StatusNoContent, http.StatusNotFound:
		return nil, nil
	case http.StatusOK:
	default:
		return nil, fmt.Errorf("release: HTTP %d", resp.StatusCode)
	}
	var rel release
	if err := json.NewDecoder(io.LimitReader(resp.Body, maxReleaseBody)).Decode(&rel); err != nil {
		return nil, fmt.Errorf("release: %w", err)
	}
	v := semverOf(rel.Version)
	if v == "" {
		return nil, fmt.Errorf("release: version %q is not a semantic version", rel.Version)
	}
	if semver.Compare(v, cur) <= 0 {
		return nil, nil
	}
	return &UpdateNotice{
		Current:  current,
		Version:  rel.Version,
		URL:      webURL(rel.Downloads[goos]),
		NotesURL: webURL(rel.NotesURL),
	}, nil
}

// semverOf returns v as a canonical "vX.Y.Z" semantic version, or "".
func semverOf(v string) string {
	v = strings.TrimSpace(v)
	if !strings.HasPrefix(v, "v") {
		v = "v" + v
	}
	if !semver.IsValid(v) {
		return ""
	}
	return semver.Canonical(v)
}

// webURL keeps only http and https links: the UI opens it in the browser.
func webURL(u string) string {
	if strings.HasPrefix(u, "https://") || strings.HasPrefix(u, "http://") {
		return u
	}
	return ""
}
