// Package widget serves the customer web widget and the demo store page.
//
// The widget is a small TypeScript bundle built by Vite into dist/ (npm ci &&
// npm run build in this directory; make does it). dist/ is embedded in the
// server binary; before the first build it holds only a placeholder, and the
// handlers answer 503 with a hint instead of pretending the files are missing.
package widget

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"net/http"
	"path"
	"strings"
	"sync"
	"time"
)

//go:embed all:dist
var embedded embed.FS

// notBuilt is the body of the 503 answer while dist/ has no build.
const notBuilt = "widget not built: run make\n"

// demoPage is the demo store page's file name in dist/.
const demoPage = "demo.html"

// Handler serves the built widget files (switchboard-widget.js, .css, demo.html)
// by their path relative to dist/. Mount it with the prefix stripped:
//
//	mux.Handle("/widget/", http.StripPrefix("/widget", widget.Handler()))
func Handler() http.Handler {
	return loaded().files()
}

// DemoHandler serves the demo store page (云杉商城 / Spruce Mall) that
// embeds the widget, for GET /demo.
func DemoHandler() http.Handler {
	return loaded().demo()
}

// loaded reads the embedded files once, on first use.
var loaded = sync.OnceValue(func() *assets {
	sub, err := fs.Sub(embedded, "dist")
	if err != nil {
		// fs.Sub fails only on an invalid path; "dist" is a constant.
		panic(err)
	}
	return newAssets(sub)
})

// asset is one file, read once: the embedded files never change while the
// process runs.
type asset struct {
	name        string
	body        []byte
	etag        string
	contentType string
}

// assets holds every servable file of a dist tree.
type assets struct {
	byPath map[string]*asset // slash path without the leading slash
}

// newAssets loads the files of fsys. Dot files (the .gitkeep placeholder) are
// not served; a tree with nothing else counts as not built.
func newAssets(fsys fs.FS) *assets {
	a := &assets{byPath: make(map[string]*asset)}
	_ = fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil // an unreadable entry is skipped, not fatal
		}
		if strings.HasPrefix(d.Name(), ".") && p != "." {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			return nil
		}
		body, err := fs.ReadFile(fsys, p)
		if err != nil {
			return nil
		}
		sum := sha256.Sum256(body)
		a.byPath[p] = &asset{
			name:        path.Base(p),
			body:        body,
			etag:        `"` + hex.EncodeToString(sum[:12]) + `"`,
			contentType: contentType(p),
		}
		return nil
	})
	return a
}

func (a *assets) built() bool { return len(a.byPath) > 0 }

// files serves any asset by path.
func (a *assets) files() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !allowMethod(w, r) {
			return
		}
		if !a.built() {
			serveNotBuilt(w)
			return
		}
		f, ok := a.byPath[strings.TrimPrefix(path.Clean("/"+r.URL.Path), "/")]
		if !ok {
			http.NotFound(w, r)
			return
		}
		serve(w, r, f)
	})
}

// demo serves demo.html whatever the request path.
func (a *assets) demo() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !allowMethod(w, r) {
			return
		}
		f, ok := a.byPath[demoPage]
		if !ok {
			serveNotBuilt(w)
			return
		}
		serve(w, r, f)
	})
}

func serve(w http.ResponseWriter, r *http.Request, f *asset) {
	h := w.Header()
	h.Set("Content-Type", f.contentType)
	// no-cache: browsers revalidate with the ETag, so a new server build is
	// picked up at once while unchanged files cost a 304.
	h.Set("Cache-Control", "no-cache")
	h.Set("ETag", f.etag)
	h.Set("X-Content-Type-Options", "nosniff")
	http.ServeContent(w, r, f.name, time.Time{}, bytes.NewReader(f.body))
}

func serveNotBuilt(w http.ResponseWriter) {
	h := w.Header()
	h.Set("Content-Type", "text/plain; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(http.StatusServiceUnavailable)
	_, _ = w.Write([]byte(notBuilt))
}

func allowMethod(w http.ResponseWriter, r *http.Request) bool {
	if r.Method == http.MethodGet || r.Method == http.MethodHead {
		return true
	}
	w.Header().Set("Allow", "GET, HEAD")
	http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
	return false
}

// contentType names the types the build produces explicitly rather than
// trusting the host's MIME tables, which differ between systems (a wrong
// type for the script breaks it under nosniff).
func contentType(p string) string {
	switch strings.ToLower(path.Ext(p)) {
	case ".js", ".mjs":
		return "text/javascript; charset=utf-8"
	case ".css":
		return "text/css; charset=utf-8"
	case ".html":
		return "text/html; charset=utf-8"
	case ".json", ".map":
		return "application/json"
	case ".svg":
		return "image/svg+xml"
	case ".png":
		return "image/png"
	case ".woff2":
		return "font/woff2"
	default:
		return "application/octet-stream"
	}
}
