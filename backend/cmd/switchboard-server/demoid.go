package main

import (
	"crypto/rand"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"switchboard/backend/identity"
	"switchboard/protocol"
)

// The demo store's "backend". With --demo the server also plays the part of
// the demo store's own server: the site "demo" has an HS256 secret kept in
// DATA/demo-identity.secret, and GET /demo/identity signs an identity token
// for the user the demo page names (?user=, with ?name=, ?vip=1 and
// ?order_no= vouched for), so the demo shows signed-in customers with
// verified fields. A real site signs only for the user its own session says
// is signed in (docs/deployment.md); this endpoint exists with --demo only.

const (
	demoSiteID         = "demo"
	demoIdentityFile   = "demo-identity.secret"
	demoIdentityTTL    = 10 * time.Minute
	demoIdentityMaxArg = 64
)

// demoSite loads the demo site's secret from dataDir, making it on first
// use.
func demoSite(dataDir string) (identity.Site, error) {
	p := filepath.Join(dataDir, demoIdentityFile)
	secret, err := os.ReadFile(p)
	if errors.Is(err, fs.ErrNotExist) {
		secret = make([]byte, 32)
		rand.Read(secret)
		if err := os.MkdirAll(dataDir, 0o700); err != nil {
			return identity.Site{}, err
		}
		err = os.WriteFile(p, secret, 0o600)
	}
	if err != nil {
		return identity.Site{}, fmt.Errorf("demo identity secret: %w", err)
	}
	if len(secret) != 32 {
		return identity.Site{}, fmt.Errorf("demo identity secret %s: want 32 bytes, have %d", p, len(secret))
	}
	return identity.Site{ID: demoSiteID, HS256Secret: secret}, nil
}

// demoIdentityHandler answers GET /demo/identity with a signed identity
// token (text/plain) for the user the query names.
func demoIdentityHandler(site identity.Site) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		user := protocol.CleanDisplay(q.Get("user"))
		if user == "" || len(user) > demoIdentityMaxArg {
			http.Error(w, "user is required (at most 64 bytes)", http.StatusBadRequest)
			return
		}
		ext := map[string]any{}
		if q.Get("vip") == "1" || q.Get("vip") == "true" {
			ext["vip"] = true
		}
		if o := protocol.CleanDisplay(q.Get("order_no")); o != "" && len(o) <= demoIdentityMaxArg {
			ext["order_no"] = o
		}
		claims := jwt.MapClaims{"sub": user, "exp": time.Now().Add(demoIdentityTTL).Unix(), "ext": ext}
		if n := protocol.CleanDisplay(q.Get("name")); n != "" && len(n) <= demoIdentityMaxArg {
			claims["name"] = n
		}
		tok := jwt.NewWithClaims(jwt.SigningMethodHS256, claims)
		tok.Header["kid"] = site.ID
		signed, err := tok.SignedString(site.HS256Secret)
		if err != nil {
			http.Error(w, "sign", http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		w.Write([]byte(signed))
	})
}
