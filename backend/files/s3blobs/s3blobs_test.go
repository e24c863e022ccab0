package s3blobs_test

import (
	"strings"
	"testing"

	"switchboard/backend/files"
	"switchboard/backend/files/blobstest"
	"switchboard/backend/files/s3blobs"
	"switchboard/backend/files/s3blobs/s3test"
	"switchboard/backend/seal"
)

// The tests run against gofakes3 (package s3test), an S3-compatible server
// in process on loopback: no real S3 service is reachable from a test.

func TestS3Blobs(t *testing.T) {
	blobstest.Run(t, func(t *testing.T) blobstest.Engine {
		srv := s3test.Start(t)
		const prefix = "blobs"
		return blobstest.Engine{
			Open: func(t *testing.T, keys *seal.Keyring) files.Blobs {
				t.Helper()
				b, err := files.Open(t.Context(), srv.URL(prefix), files.OpenOptions{Keys: keys})
				if err != nil {
					t.Fatalf("open: %v", err)
				}
				if _, ok := b.(*s3blobs.Blobs); !ok {
					t.Fatalf("files.Open(s3://…) = %T, want *s3blobs.Blobs", b)
				}
				return b
			},
			Raw: func(t *testing.T) map[string][]byte { return srv.Objects(t, prefix) },
			SetRaw: func(t *testing.T, key string, raw []byte) {
				srv.Put(t, prefix+"/"+key, raw)
			},
		}
	})
}

func TestParseURL(t *testing.T) {
	tests := []struct {
		in   string
		want s3blobs.Location
	}{
		{"s3://bucket", s3blobs.Location{Bucket: "bucket", Endpoint: "s3.amazonaws.com"}},
		{"s3://bucket/a/b/?region=eu-west-1", s3blobs.Location{Bucket: "bucket", Prefix: "a/b", Endpoint: "s3.amazonaws.com", Region: "eu-west-1"}},
		{"S3://k:s@bucket/p?endpoint=minio:9000&insecure=1", s3blobs.Location{Bucket: "bucket", Prefix: "p", Endpoint: "minio:9000", Insecure: true, AccessKey: "k", SecretKey: "s"}},
	}
	for _, tt := range tests {
		got, err := s3blobs.ParseURL(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("ParseURL(%q) = %+v, %v; want %+v", tt.in, got, err, tt.want)
		}
	}
	for _, bad := range []string{
		"s3:bucket", "s3:///prefix", "s3://bucket?endpoint=", "s3://bucket?insecure=maybe",
		"s3://bucket?acl=public", "s3://keyonly@bucket", "s3://k:secret@bucket?endpoint=http://x/",
	} {
		if _, err := s3blobs.ParseURL(bad); err == nil {
			t.Errorf("ParseURL(%q) succeeded", bad)
		} else if strings.Contains(err.Error(), "secret") {
			t.Errorf("ParseURL(%q) = %v: the error repeats the secret", bad, err)
		}
	}
}

// TestOpenRefuses opens stores that cannot work: the error comes at once,
// without the secret key.
func TestOpenRefuses(t *testing.T) {
	srv := s3test.Start(t)
	t.Setenv("AWS_ACCESS_KEY_ID", "")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "")
	for _, tc := range []struct{ url, want string }{
		{"s3://" + srv.Bucket + "?endpoint=" + srv.Endpoint + "&insecure=1", "no credentials"},
		{"s3://k:secret@missing?endpoint=" + srv.Endpoint + "&insecure=1", "does not exist"},
	} {
		_, err := files.Open(t.Context(), tc.url, files.OpenOptions{})
		if err == nil || !strings.Contains(err.Error(), tc.want) || strings.Contains(err.Error(), "secret") {
			t.Errorf("Open(%q) = %v; want an error saying %q without the secret", tc.url, err, tc.want)
		}
	}
	t.Setenv("AWS_ACCESS_KEY_ID", "from-env")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "from-env-secret")
	if _, err := files.Open(t.Context(), "s3://"+srv.Bucket+"?endpoint="+srv.Endpoint+"&insecure=1", files.OpenOptions{}); err != nil {
		t.Errorf("Open with credentials from the environment: %v", err)
	}
}
