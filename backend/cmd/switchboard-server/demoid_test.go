package main

import (
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestSitesAndDemoIdentity starts serve with a sites file and --demo: the
// demo store's identity endpoint signs a token the server verifies (same
// user, same customer on a second request; vip verified), the demo secret
// is kept 0600 and survives a restart, and a browser from an origin not in
// the sites file is refused a visitor token.
func TestSitesAndDemoIdentity(t *testing.T) {
	dir := t.TempDir()
	sites := filepath.Join(dir, "sites.toml")
	os.WriteFile(filepath.Join(dir, "shop.secret"), []byte(strings.Repeat("s", 40)), 0o600)
	os.WriteFile(sites, []byte("[[site]]\nid = \"shop\"\norigins = [\"https://shop.example.com\"]\nhs256_secret_file = \"shop.secret\"\n"), 0o600)
	data := filepath.Join(dir, "data")
	base, _, _, stop := startServeArgs(t, "--demo", "--data", data, "--sites", sites)

	identify := func() (string, bool) {
		t.Helper()
		resp, err := http.Get(base + "/demo/identity?user=u-1001&vip=1&name=Emma&order_no=SO-7")
		if err != nil || resp.StatusCode != 200 {
			t.Fatalf("demo identity: %v %v", resp, err)
		}
		tok, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		body, _ := json.Marshal(map[string]string{"identity": string(tok)})
		resp, err = http.Post(base+"/api/v1/visitor", "application/json", strings.NewReader(string(body)))
		if err != nil || resp.StatusCode != 200 {
			t.Fatalf("visitor with the demo identity: %v %v", resp, err)
		}
		defer resp.Body.Close()
		var v struct {
			VisitorID string `json:"visitor_id"`
			Verified  bool   `json:"verified"`
		}
		json.NewDecoder(resp.Body).Decode(&v)
		return v.VisitorID, v.Verified
	}
	first, verified := identify()
	if !verified || !strings.HasPrefix(first, "usr-") {
		t.Fatalf("visitor %q verified %v", first, verified)
	}
	req, _ := http.NewRequest(http.MethodPost, base+"/api/v1/visitor", strings.NewReader(`{}`))
	req.Header.Set("Origin", "https://evil.example")
	resp, err := http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != http.StatusForbidden {
		t.Fatalf("foreign origin: %v %v; want 403", resp, err)
	}
	resp.Body.Close()
	stop()

	fi, err := os.Stat(filepath.Join(data, demoIdentityFile))
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("demo secret: %v %v; want mode 0600", fi, err)
	}
	base, _, _, stop = startServeArgs(t, "--demo", "--data", data, "--sites", sites)
	defer stop()
	if again, _ := identify(); again != first {
		t.Errorf("after a restart the same user is %q, want %q", again, first)
	}
}

// TestSitesFileRefused checks serve refuses a sites file it cannot use.
func TestSitesFileRefused(t *testing.T) {
	dir := t.TempDir()
	sites := filepath.Join(dir, "sites.toml")
	os.WriteFile(sites, []byte("[[site]]\nid = \"shop\"\norigins = [\"shop.example.com\"]\n"), 0o600)
	var out, errb syncBuffer
	if code := run(t.Context(), []string{"serve", "--addr", "127.0.0.1:0", "--data", filepath.Join(dir, "d"), "--sites", sites}, &out, &errb); code != 2 {
		t.Fatalf("serve with a bad sites file exited %d, want 2:\n%s", code, errb.String())
	}
	if !strings.Contains(errb.String(), "sites") || !strings.Contains(errb.String(), "shop.example.com") {
		t.Errorf("error does not name the setting and the bad origin:\n%s", errb.String())
	}
}
