package server

import (
	"net/http"
	"strings"
)

// Security headers. Every answer forbids being framed (except the demo page,
// by the configured sites), leaks no referrer and may not be sniffed into
// another type. The JSON endpoints, files and widget assets need nothing
// from the browser, so their policy allows nothing; the demo page, the one
// HTML page the server has, gets a policy that allows exactly its own
// scripts, styles, images and connection.

// apiCSP is the policy of every answer but the demo page: nothing may load,
// nothing may frame it.
const apiCSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"

// pageCSP is the demo page's policy; frame-ancestors is added per server.
// Styles allow 'unsafe-inline' for the widget, which positions its panel
// and previews with style attributes; scripts are the server's files only.
// 'self' covers the page's WebSocket to the same host (CSP Level 3).
const pageCSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; " +
	"img-src 'self' data: blob:; media-src 'self' blob:; connect-src 'self'; font-src 'self'; " +
	"object-src 'none'; base-uri 'none'; form-action 'self'"

// withSecurityHeaders wraps the server's routes with the security headers.
func (s *Server) withSecurityHeaders(next http.Handler) http.Handler {
	ancestors := "frame-ancestors 'self'"
	for _, o := range s.cfg.Identity.Origins() {
		ancestors += " " + o
	}
	page := pageCSP + "; " + ancestors
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hdr := w.Header()
		hdr.Set("X-Content-Type-Options", "nosniff")
		hdr.Set("Referrer-Policy", "no-referrer")
		if isDemoPage(r.URL.Path) {
			hdr.Set("Content-Security-Policy", page)
		} else {
			hdr.Set("Content-Security-Policy", apiCSP)
			hdr.Set("X-Frame-Options", "DENY")
		}
		next.ServeHTTP(w, r)
	})
}

// isDemoPage reports whether path is the demo page (served at / as a
// redirect, /demo and anything under it but its identity endpoint).
func isDemoPage(path string) bool {
	return path == "/demo" || (strings.HasPrefix(path, "/demo/") && path != "/demo/identity")
}
