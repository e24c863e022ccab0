package app

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
)

// TestFetchUpdate covers how the app reads a release document: which
// versions make a notice, which links it keeps, and what is an error. The
// end-to-end path against the project's server is TestUpdateNotice.
func TestFetchUpdate(t *testing.T) {
	var body atomic.Value
	var status atomic.Int32
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		if r.URL.Path != releasePath {
			http.NotFound(w, r)
			return
		}
		w.WriteHeader(int(status.Load()))
		w.Write([]byte(body.Load().(string)))
	}))
	defer srv.Close()

	tests := []struct {
		name    string
		status  int
		body    string
		current string
		want    *UpdateNotice
		wantErr bool
	}{
		{"newer", 200, `{"version":"0.2.0","downloads":{"linux":"https://dl.example.com/sb.deb","windows":"https://dl.example.com/sb.msi"},"notes_url":"https://example.com/notes"}`, "0.1.0",
			&UpdateNotice{Current: "0.1.0", Version: "0.2.0", URL: "https://dl.example.com/sb.deb", NotesURL: "https://example.com/notes"}, false},
		{"newer with v prefix, no link for this OS", 200, `{"version":"v1.0.0","downloads":{"windows":"https://dl.example.com/sb.msi"}}`, "0.9.9",
			&UpdateNotice{Current: "0.9.9", Version: "v1.0.0"}, false},
		{"same", 200, `{"version":"0.1.0"}`, "0.1.0", nil, false},
		{"older approved", 200, `{"version":"0.1.0"}`, "0.2.0", nil, false},
		{"prerelease is older than its release", 200, `{"version":"0.2.0"}`, "0.2.0-rc.1",
			&UpdateNotice{Current: "0.2.0-rc.1", Version: "0.2.0"}, false},
		{"none published", 204, ``, "0.1.0", nil, false},
		{"a link that is not http(s) is dropped", 200, `{"version":"0.2.0","downloads":{"linux":"javascript:alert(1)"},"notes_url":"file:///etc/passwd"}`, "0.1.0",
			&UpdateNotice{Current: "0.1.0", Version: "0.2.0"}, false},
		{"not a version", 200, `{"version":"latest"}`, "0.1.0", nil, true},
		{"malformed", 200, `{"version":`, "0.1.0", nil, true},
		{"server error", 500, `oops`, "0.1.0", nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status.Store(int32(tt.status))
			body.Store(tt.body)
			got, err := fetchUpdate(context.Background(), srv.Client(), srv.URL+"/", tt.current, "linux")
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, want error %v", err, tt.wantErr)
			}
			if (got == nil) != (tt.want == nil) || (got != nil && *got != *tt.want) {
				t.Fatalf("notice = %+v, want %+v", got, tt.want)
			}
		})
	}

	// A development build has no release version: it never asks.
	before := hits.Load()
	if n, err := fetchUpdate(context.Background(), srv.Client(), srv.URL, "dev", "linux"); n != nil || err != nil {
		t.Fatalf("dev build: %+v, %v", n, err)
	}
	if hits.Load() != before {
		t.Fatal("a dev build asked the server")
	}
}
