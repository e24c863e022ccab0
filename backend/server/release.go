package server

import (
	"encoding/json"
	"net/http"
	"strconv"

	"switchboard/protocol"
)

// releasePath publishes the desktop release the admin has approved.
const releasePath = "/api/desktop/release"

// releaseMaxAge is how long clients and proxies may cache the release
// document: a newly approved version reaches every app within it.
const releaseMaxAge = 60

// DesktopRelease is the desktop app version the admin has approved for
// agents, with its download links per operating system (GOOS names:
// "windows", "linux", "darwin"). The app compares Version with its own and
// shows an update notice with the link for its OS; it never downloads or
// installs anything itself.
type DesktopRelease struct {
	Version   string            `json:"version"`
	Downloads map[string]string `json:"downloads"`
	NotesURL  string            `json:"notes_url,omitempty"`
}

// handleRelease answers GET /api/desktop/release: 200 with the release, or
// 204 when none is published. It needs no token (the app asks before and
// after signing in) and may be cached for releaseMaxAge seconds.
func (s *Server) handleRelease() http.HandlerFunc {
	var body []byte
	if r := s.cfg.DesktopRelease; r != nil && r.Version != "" {
		rel := *r
		if rel.Downloads == nil {
			rel.Downloads = map[string]string{}
		}
		body, _ = json.Marshal(rel) // strings only: cannot fail
	}
	return func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			writeError(w, protocol.ErrInvalid.WithMessage("use GET"))
			return
		}
		h := w.Header()
		h.Set("Cache-Control", "public, max-age="+strconv.Itoa(releaseMaxAge))
		if body == nil {
			w.WriteHeader(http.StatusNoContent)
			return
		}
		h.Set("Content-Type", "application/json; charset=utf-8")
		h.Set("Content-Length", strconv.Itoa(len(body)+1))
		w.WriteHeader(http.StatusOK)
		if r.Method == http.MethodGet {
			w.Write(append(body, '\n'))
		}
	}
}
