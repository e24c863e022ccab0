package widget

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"
)

var builtFS = fstest.MapFS{
	".gitkeep":               {Data: nil},
	"switchboard-widget.js":  {Data: []byte(`var Switchboard=function(){}();`)},
	"switchboard-widget.css": {Data: []byte(`.sb-root{}`)},
	"demo.html":              {Data: []byte(`<!doctype html><title>云杉商城</title>`)},
}

var placeholderFS = fstest.MapFS{".gitkeep": {Data: nil}}

func get(t *testing.T, h http.Handler, method, target string, hdr map[string]string) *http.Response {
	t.Helper()
	req := httptest.NewRequest(method, target, nil)
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec.Result()
}

func body(t *testing.T, r *http.Response) string {
	t.Helper()
	b, err := io.ReadAll(r.Body)
	if err != nil {
		t.Fatalf("read body: %v", err)
	}
	return string(b)
}

func TestFiles(t *testing.T) {
	mux := http.NewServeMux()
	mux.Handle("/widget/", http.StripPrefix("/widget", newAssets(builtFS).files()))
	tests := []struct {
		name     string
		method   string
		path     string
		status   int
		ctype    string
		contains string
	}{
		{"script", "GET", "/widget/switchboard-widget.js", 200, "text/javascript; charset=utf-8", "Switchboard"},
		{"style", "GET", "/widget/switchboard-widget.css", 200, "text/css; charset=utf-8", ".sb-root"},
		{"demo file", "GET", "/widget/demo.html", 200, "text/html; charset=utf-8", "云杉商城"},
		{"head", "HEAD", "/widget/switchboard-widget.js", 200, "text/javascript; charset=utf-8", ""},
		{"placeholder hidden", "GET", "/widget/.gitkeep", 404, "", ""},
		{"missing", "GET", "/widget/nope.js", 404, "", ""},
		{"directory", "GET", "/widget/", 404, "", ""},
		{"post", "POST", "/widget/switchboard-widget.js", 405, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := get(t, mux, tt.method, tt.path, nil)
			if r.StatusCode != tt.status {
				t.Fatalf("%s %s: status = %d, want %d", tt.method, tt.path, r.StatusCode, tt.status)
			}
			if tt.status != 200 {
				return
			}
			if got := r.Header.Get("Content-Type"); got != tt.ctype {
				t.Errorf("Content-Type = %q, want %q", got, tt.ctype)
			}
			if got := r.Header.Get("Cache-Control"); got != "no-cache" {
				t.Errorf("Cache-Control = %q, want no-cache", got)
			}
			if got := r.Header.Get("ETag"); got == "" {
				t.Error("no ETag")
			}
			if b := body(t, r); !strings.Contains(b, tt.contains) {
				t.Errorf("body = %q, want it to contain %q", b, tt.contains)
			}
		})
	}
}

func TestFilesTraversal(t *testing.T) {
	h := newAssets(builtFS).files()
	for _, p := range []string{"/../widget.go", "/../../go.mod", "/./../demo.html/.."} {
		if r := get(t, h, "GET", p, nil); r.StatusCode != http.StatusNotFound {
			t.Errorf("GET %s: status = %d, want 404", p, r.StatusCode)
		}
	}
}

func TestFilesRevalidate(t *testing.T) {
	h := newAssets(builtFS).files()
	first := get(t, h, "GET", "/switchboard-widget.js", nil)
	etag := first.Header.Get("ETag")
	again := get(t, h, "GET", "/switchboard-widget.js", map[string]string{"If-None-Match": etag})
	if again.StatusCode != http.StatusNotModified {
		t.Fatalf("revalidation with %s: status = %d, want 304", etag, again.StatusCode)
	}
}

func TestDemo(t *testing.T) {
	r := get(t, newAssets(builtFS).demo(), "GET", "/demo", nil)
	if r.StatusCode != 200 {
		t.Fatalf("status = %d, want 200", r.StatusCode)
	}
	if got := r.Header.Get("Content-Type"); got != "text/html; charset=utf-8" {
		t.Errorf("Content-Type = %q", got)
	}
	if got := r.Header.Get("Cache-Control"); got != "no-cache" {
		t.Errorf("Cache-Control = %q, want no-cache", got)
	}
	if b := body(t, r); !strings.Contains(b, "云杉商城") {
		t.Errorf("body = %q", b)
	}
}

func TestNotBuilt(t *testing.T) {
	a := newAssets(placeholderFS)
	for _, tt := range []struct {
		name string
		h    http.Handler
		path string
	}{
		{"demo", a.demo(), "/demo"},
		{"script", a.files(), "/switchboard-widget.js"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := get(t, tt.h, "GET", tt.path, nil)
			if r.StatusCode != http.StatusServiceUnavailable {
				t.Fatalf("GET %s: status = %d, want 503", tt.path, r.StatusCode)
			}
			if got := r.Header.Get("Content-Type"); got != "text/plain; charset=utf-8" {
				t.Errorf("Content-Type = %q", got)
			}
			if b := body(t, r); b != notBuilt {
				t.Errorf("body = %q, want %q", b, notBuilt)
			}
		})
	}
}

// TestEmbedded checks the real handlers over whatever dist/ holds: the build
// or only its placeholder.
func TestEmbedded(t *testing.T) {
	demo := get(t, DemoHandler(), "GET", "/demo", nil)
	script := get(t, Handler(), "GET", "/switchboard-widget.js", nil)
	if !loaded().built() {
		if demo.StatusCode != 503 || script.StatusCode != 503 {
			t.Fatalf("not built: demo %d, script %d; want 503, 503", demo.StatusCode, script.StatusCode)
		}
		return
	}
	if demo.StatusCode != 200 || script.StatusCode != 200 {
		t.Fatalf("built: demo %d, script %d; want 200, 200", demo.StatusCode, script.StatusCode)
	}
	d := body(t, demo)
	for _, want := range []string{"/widget/switchboard-widget.js", "/widget/switchboard-widget.css", "/widget/demo.js", "/widget/demo.css"} {
		if !strings.Contains(d, want) {
			t.Errorf("demo page does not contain %q", want)
		}
	}
	// The page has no inline script: its Content-Security-Policy allows
	// the server's own scripts only.
	if strings.Contains(d, "<script>") {
		t.Errorf("demo page has an inline script")
	}
	js := get(t, Handler(), "GET", "/demo.js", nil)
	if b := body(t, js); js.StatusCode != 200 || !strings.Contains(b, "Switchboard.init") {
		t.Errorf("demo.js: status %d, starts no widget", js.StatusCode)
	}
	css := get(t, Handler(), "GET", "/switchboard-widget.css", nil)
	if css.StatusCode != 200 {
		t.Errorf("css status = %d", css.StatusCode)
	}
}
