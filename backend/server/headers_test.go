package server

import (
	"net/http"
	"strings"
	"testing"
)

// TestSecurityHeaders checks every kind of answer for its security headers:
// the demo page may be framed only by itself and the configured sites and
// loads only the server's own scripts; everything else may not be framed
// or load anything; nothing sends a referrer or may be sniffed.
func TestSecurityHeaders(t *testing.T) {
	page := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("<!doctype html>")) })
	e := newEnv(t, func(c *Config) {
		c.Identity = testIdentity(t, "https://shop.example.com", "https://m.shop.example.com")
		c.DemoPage = page
		c.Widget = page
	})
	get := func(path string) http.Header {
		resp, err := http.Get(e.ts.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.Header
	}
	for _, path := range []string{"/demo", "/demo/x"} {
		h := get(path)
		csp := h.Get("Content-Security-Policy")
		for _, want := range []string{"frame-ancestors 'self' https://m.shop.example.com https://shop.example.com", "script-src 'self';", "object-src 'none'", "base-uri 'none'"} {
			if !strings.Contains(csp, want) {
				t.Errorf("%s: CSP %q lacks %q", path, csp, want)
			}
		}
		if strings.Contains(csp, "'unsafe-eval'") || strings.Contains(csp, "script-src 'self' 'unsafe-inline'") {
			t.Errorf("%s: CSP %q allows inline or eval'd scripts", path, csp)
		}
		if h.Get("X-Frame-Options") != "" {
			t.Errorf("%s: X-Frame-Options %q would forbid the sites' frames", path, h.Get("X-Frame-Options"))
		}
	}
	for _, path := range []string{"/healthz", "/api/v1/nope", "/widget/switchboard-widget.js", "/demo/identity"} {
		h := get(path)
		if csp := h.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'none'") || !strings.Contains(csp, "frame-ancestors 'none'") {
			t.Errorf("%s: CSP %q", path, csp)
		}
		if h.Get("X-Frame-Options") != "DENY" {
			t.Errorf("%s: X-Frame-Options %q", path, h.Get("X-Frame-Options"))
		}
	}
	for _, path := range []string{"/demo", "/healthz", "/widget/x.js"} {
		h := get(path)
		if h.Get("Referrer-Policy") != "no-referrer" || h.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("%s: Referrer-Policy %q, X-Content-Type-Options %q", path, h.Get("Referrer-Policy"), h.Get("X-Content-Type-Options"))
		}
	}
	// Without sites, only the server itself may frame the demo page.
	bare := newEnv(t, func(c *Config) { c.Identity, c.DemoPage = nil, page })
	resp, err := http.Get(bare.ts.URL + "/demo")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if csp := resp.Header.Get("Content-Security-Policy"); !strings.HasSuffix(csp, "frame-ancestors 'self'") {
		t.Errorf("no sites: CSP %q", csp)
	}
}
