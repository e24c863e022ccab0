// Package s3test runs an S3-compatible server in process, for the tests of
// code that keeps files on object storage: nothing in a test run can reach
// a real S3 service. The server is gofakes3 with its in-memory backend,
// behind httptest on loopback; tests read and write its objects directly
// through the backend, not through the code under test.
package s3test

import (
	"bytes"
	"io"
	"log"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"
)

// Credentials the server is given in URLs; gofakes3 accepts any.
const (
	AccessKey = "switchboard-test"
	SecretKey = "switchboard-test-secret"
)

// Server is an S3-compatible server on loopback with one bucket.
type Server struct {
	// Endpoint is the server's host:port.
	Endpoint string
	// Bucket is the bucket created at start.
	Bucket  string
	backend *s3mem.Backend
}

// Start starts a server with an empty bucket; it stops when the test ends.
func Start(t testing.TB) *Server {
	t.Helper()
	backend := s3mem.New()
	faker := gofakes3.New(backend, gofakes3.WithLogger(gofakes3.DiscardLog()))
	ts := httptest.NewUnstartedServer(faker.Server())
	// gofakes3 writes a second status on some errors, which net/http
	// logs; the client sees the first.
	ts.Config.ErrorLog = log.New(io.Discard, "", 0)
	ts.Start()
	t.Cleanup(ts.Close)
	s := &Server{Endpoint: strings.TrimPrefix(ts.URL, "http://"), Bucket: "switchboard", backend: backend}
	if err := backend.CreateBucket(s.Bucket); err != nil {
		t.Fatal(err)
	}
	return s
}

// URL is the files URL of the bucket under prefix, credentials in it.
func (s *Server) URL(prefix string) string {
	u := url.URL{
		Scheme:   "s3",
		User:     url.UserPassword(AccessKey, SecretKey),
		Host:     s.Bucket,
		Path:     "/" + prefix,
		RawQuery: url.Values{"endpoint": {s.Endpoint}, "insecure": {"1"}, "region": {"us-east-1"}}.Encode(),
	}
	return u.String()
}

// Objects returns the bucket's objects under prefix ("" for all), by key
// after the prefix and its slash.
func (s *Server) Objects(t testing.TB, prefix string) map[string][]byte {
	t.Helper()
	if prefix != "" {
		prefix = strings.TrimSuffix(prefix, "/") + "/"
	}
	list, err := s.backend.ListBucket(s.Bucket, &gofakes3.Prefix{Prefix: prefix, HasPrefix: prefix != ""}, gofakes3.ListBucketPage{})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]byte{}
	for _, c := range list.Contents {
		o, err := s.backend.GetObject(s.Bucket, c.Key, nil)
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(o.Contents)
		o.Contents.Close()
		if err != nil {
			t.Fatal(err)
		}
		out[strings.TrimPrefix(c.Key, prefix)] = b
	}
	return out
}

// Put stores raw as the object key.
func (s *Server) Put(t testing.TB, key string, raw []byte) {
	t.Helper()
	if _, err := s.backend.PutObject(s.Bucket, key, map[string]string{}, bytes.NewReader(raw), int64(len(raw)), nil); err != nil {
		t.Fatal(err)
	}
}
