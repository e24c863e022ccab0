package server

import (
	"encoding/json"
	"net/http"
	"reflect"
	"testing"
)

// TestDesktopRelease reads the published release without a token: 200 with
// the document and a one-minute cache, 204 when none is published, and a
// refusal of other methods.
func TestDesktopRelease(t *testing.T) {
	want := DesktopRelease{
		Version: "0.2.0",
		Downloads: map[string]string{
			"windows": "https://dl.example.com/switchboard-0.2.0-setup.exe",
			"linux":   "https://dl.example.com/switchboard_0.2.0_amd64.deb",
			"darwin":  "https://dl.example.com/Switchboard-0.2.0.dmg",
		},
		NotesURL: "https://dl.example.com/notes/0.2.0",
	}
	e := newEnv(t, func(c *Config) { c.DesktopRelease = &want })
	code, hdr, body := e.get(releasePath, "", nil)
	if code != http.StatusOK {
		t.Fatalf("GET %s = %d %s", releasePath, code, body)
	}
	if cc := hdr.Get("Cache-Control"); cc != "public, max-age=60" {
		t.Errorf("Cache-Control = %q, want public, max-age=60", cc)
	}
	var got DesktopRelease
	if err := json.Unmarshal(body, &got); err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("release = %+v (%v), want %+v", got, err, want)
	}
	var raw map[string]any
	json.Unmarshal(body, &raw)
	for _, k := range []string{"version", "downloads", "notes_url"} {
		if _, ok := raw[k]; !ok {
			t.Errorf("release document lacks %q: %s", k, body)
		}
	}

	resp, err := http.Post(e.ts.URL+releasePath, "application/json", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadRequest {
		t.Errorf("POST %s = %d, want 400", releasePath, resp.StatusCode)
	}

	for name, rel := range map[string]*DesktopRelease{"nil": nil, "no version": {Downloads: want.Downloads}} {
		e := newEnv(t, func(c *Config) { c.DesktopRelease = rel })
		code, hdr, body := e.get(releasePath, "", nil)
		if code != http.StatusNoContent || len(body) != 0 {
			t.Errorf("%s: GET %s = %d %q, want 204 and no body", name, releasePath, code, body)
		}
		if cc := hdr.Get("Cache-Control"); cc != "public, max-age=60" {
			t.Errorf("%s: Cache-Control = %q", name, cc)
		}
	}
}
