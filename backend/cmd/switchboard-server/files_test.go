package main

import (
	"strings"
	"testing"

	"switchboard/backend/files/s3blobs/s3test"
)

// TestServeFilesS3 starts serve with the files on S3-compatible storage:
// gofakes3 in process on loopback (package s3test), since no real S3
// service is reachable from a test. The credentials come from the
// standard environment variables; a bucket that does not exist stops
// serve at start.
func TestServeFilesS3(t *testing.T) {
	clearEnv(t)
	s3 := s3test.Start(t)
	t.Setenv("AWS_ACCESS_KEY_ID", s3test.AccessKey)
	t.Setenv("AWS_SECRET_ACCESS_KEY", s3test.SecretKey)
	url := "s3://" + s3.Bucket + "/files?endpoint=" + s3.Endpoint + "&insecure=1"
	_, log, _, stop := startServeArgs(t, "--demo", "--data", t.TempDir(), "--files", url)
	stop()
	if strings.Contains(log.String(), s3test.SecretKey) {
		t.Errorf("serve logged the secret key: %s", log)
	}

	t.Setenv("SWITCHBOARD_FILES", "s3://nobucket/files?endpoint="+s3.Endpoint+"&insecure=1")
	code, _, errOut := cli(t, "", "serve", "--addr", "127.0.0.1:0", "--demo", "--data", t.TempDir())
	if code == 0 || !strings.Contains(errOut, "does not exist") {
		t.Errorf("serve with a missing bucket = %d, %q; want a failure saying the bucket does not exist", code, errOut)
	}
}
