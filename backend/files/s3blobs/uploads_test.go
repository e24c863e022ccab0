package s3blobs

import (
	"bytes"
	"errors"
	"io"
	"os"
	"strings"
	"sync"
	"testing"

	tus "github.com/tus/tusd/v2/pkg/handler"

	"switchboard/backend/files/s3blobs/s3test"
)

// The tests run against gofakes3 (package s3test), an S3-compatible server
// in process on loopback: no real S3 service is reachable from a test.

// testUploads is an upload store in a fresh bucket under prefix "p", with
// chunks of at most max bytes.
func testUploads(t *testing.T, max int64) (*Uploads, *s3test.Server) {
	t.Helper()
	srv := s3test.Start(t)
	loc, err := ParseURL(srv.URL("p"))
	if err != nil {
		t.Fatal(err)
	}
	c, err := loc.Client()
	if err != nil {
		t.Fatal(err)
	}
	s := New(c, loc.Bucket, loc.Prefix, nil).uploads(t.TempDir())
	s.chunkMax = max
	return s, srv
}

func readUpload(t *testing.T, s *Uploads, id string) []byte {
	t.Helper()
	up, err := s.GetUpload(t.Context(), id)
	if err != nil {
		t.Fatal(err)
	}
	r, err := up.GetReader(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	b, err := io.ReadAll(r)
	if err != nil {
		t.Fatalf("read upload: %v", err)
	}
	return b
}

func TestUploadsWriteAndRead(t *testing.T) {
	s, srv := testUploads(t, 10)
	ctx := t.Context()
	data := []byte(strings.Repeat("0123456789abcdef", 5)) // 80 bytes: chunks of 10
	up, err := s.NewUpload(ctx, tus.FileInfo{ID: "u1", Size: int64(len(data)), MetaData: tus.MetaData{"k": "v"}})
	if err != nil {
		t.Fatal(err)
	}
	if n, err := up.WriteChunk(ctx, 0, bytes.NewReader(data[:25])); n != 25 || err != nil {
		t.Fatalf("WriteChunk(0, 25 bytes) = %d, %v", n, err)
	}
	// A chunk is created once: a write from an offset taken already (a
	// stale request) is refused.
	if n, err := up.WriteChunk(ctx, 20, bytes.NewReader(data[20:30])); n != 0 || !errors.Is(err, tus.ErrMismatchOffset) {
		t.Fatalf("WriteChunk(20) over a stored chunk = %d, %v; want 0, ErrMismatchOffset", n, err)
	}
	// Another node's view: a fresh GetUpload on the same bucket.
	up2, err := s.GetUpload(ctx, "u1")
	if err != nil {
		t.Fatal(err)
	}
	info, err := up2.GetInfo(ctx)
	if err != nil || info.Offset != 25 || info.Size != 80 || info.MetaData["k"] != "v" {
		t.Fatalf("GetInfo = %+v, %v; want offset 25 of 80 with the metadata", info, err)
	}
	if got := readUpload(t, s, "u1"); !bytes.Equal(got, data[:25]) {
		t.Errorf("content so far = %q, want %q", got, data[:25])
	}
	if n, err := up2.WriteChunk(ctx, 25, bytes.NewReader(data[25:])); n != 55 || err != nil {
		t.Fatalf("WriteChunk(25, rest) = %d, %v", n, err)
	}
	if got := readUpload(t, s, "u1"); !bytes.Equal(got, data) {
		t.Errorf("content = %q, want %q", got, data)
	}
	objs := srv.Objects(t, "p/uploads")
	if len(objs) != 1+9 || objs["u1/00000000000000000000"] == nil || objs["u1/00000000000000000025"] == nil {
		t.Errorf("objects = %d: %v; want the info and 9 chunks, one from offset 25", len(objs), keys(objs))
	}

	list, err := s.List(ctx)
	if err != nil || len(list) != 1 || list[0].ID != "u1" || list[0].Size != 80 || list[0].MetaData["k"] != "v" || list[0].LastWrite.IsZero() {
		t.Fatalf("List = %+v, %v", list, err)
	}
	if err := s.AsTerminatableUpload(up2).Terminate(ctx); err != nil {
		t.Fatal(err)
	}
	if objs := srv.Objects(t, "p/uploads"); len(objs) != 0 {
		t.Errorf("objects after Terminate: %v", keys(objs))
	}
	if _, err := s.GetUpload(ctx, "u1"); !errors.Is(err, tus.ErrNotFound) {
		t.Errorf("GetUpload after Terminate = %v, want ErrNotFound", err)
	}
	if _, err := s.Stat(ctx, "u1"); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("Stat after Terminate = %v, want ErrNotExist", err)
	}
	if err := s.Remove(ctx, "u1"); err != nil {
		t.Errorf("Remove of a removed upload = %v, want nil", err)
	}
}

// TestUploadsConcurrentWriters writes one upload from the same offset
// through two stores at once, as two nodes serving a client that retried
// while its first request still ran: one request stores each chunk, the
// other is refused with 409, and the content is whole.
func TestUploadsConcurrentWriters(t *testing.T) {
	a, _ := testUploads(t, 1<<10)
	b := &Uploads{client: a.client, bucket: a.bucket, prefix: a.prefix, tempDir: t.TempDir(), chunkMax: a.chunkMax}
	ctx := t.Context()
	data := bytes.Repeat([]byte("switchboard "), 4000) // 48000 bytes: 47 chunks
	if _, err := a.NewUpload(ctx, tus.FileInfo{ID: "u2", Size: int64(len(data))}); err != nil {
		t.Fatal(err)
	}
	for round := 0; round < 5; round++ {
		var (
			wg      sync.WaitGroup
			n       [2]int64
			errs    [2]error
			offsets [2]int64
		)
		for i, s := range []*Uploads{a, b} {
			up, err := s.GetUpload(ctx, "u2")
			if err != nil {
				t.Fatal(err)
			}
			info, err := up.GetInfo(ctx)
			if err != nil {
				t.Fatal(err)
			}
			offsets[i] = info.Offset
			wg.Go(func() {
				n[i], errs[i] = up.WriteChunk(ctx, info.Offset, bytes.NewReader(data[info.Offset:]))
			})
		}
		wg.Wait()
		for i := range 2 {
			if errs[i] != nil && !errors.Is(errs[i], tus.ErrMismatchOffset) {
				t.Fatalf("round %d writer %d: %v, want nil or ErrMismatchOffset", round, i, errs[i])
			}
		}
		if errs[0] == nil && errs[1] == nil && offsets[0] == offsets[1] {
			t.Fatalf("round %d: both writers from %d succeeded (%d and %d bytes)", round, offsets[0], n[0], n[1])
		}
		if got := readUpload(t, a, "u2"); !bytes.Equal(got, data) {
			t.Fatalf("round %d: content is %d bytes, equal: %v; want the %d written", round, len(got), bytes.Equal(got, data[:len(got)]), len(data))
		}
		if n[0]+offsets[0] != int64(len(data)) && n[1]+offsets[1] != int64(len(data)) {
			t.Fatalf("round %d: neither writer reached the end (%d+%d, %d+%d)", round, offsets[0], n[0], offsets[1], n[1])
		}
		if errs[0] == nil && errs[1] == nil {
			t.Fatalf("round %d: both writers succeeded", round)
		}
		// Start over for the next round.
		if err := a.Remove(ctx, "u2"); err != nil {
			t.Fatal(err)
		}
		if _, err := a.NewUpload(ctx, tus.FileInfo{ID: "u2", Size: int64(len(data))}); err != nil {
			t.Fatal(err)
		}
	}
}

// TestUploadsChunksWithoutInfo: chunks whose info is gone (a crash in
// Remove) are listed with their last write, for the sweep to delete.
func TestUploadsChunksWithoutInfo(t *testing.T) {
	s, srv := testUploads(t, 1<<10)
	srv.Put(t, "p/uploads/orphan/00000000000000000000", []byte("abc"))
	srv.Put(t, "p/uploads/notes.txt", []byte("not an upload"))
	list, err := s.List(t.Context())
	if err != nil || len(list) != 1 || list[0].ID != "orphan" || list[0].MetaData != nil || list[0].LastWrite.IsZero() {
		t.Fatalf("List = %+v, %v; want the orphan alone, without metadata", list, err)
	}
	if _, err := s.GetUpload(t.Context(), "orphan"); !errors.Is(err, tus.ErrNotFound) {
		t.Errorf("GetUpload(orphan) = %v, want ErrNotFound", err)
	}
	if err := s.Remove(t.Context(), "orphan"); err != nil {
		t.Fatal(err)
	}
	if objs := srv.Objects(t, "p/uploads"); len(objs) != 1 {
		t.Errorf("objects after Remove: %v; want notes.txt alone", keys(objs))
	}
}

func keys(m map[string][]byte) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

// TestUploadsWriteAfterRemove: a request that outlived its upload (another
// node finished or deleted it meanwhile) leaves no chunk behind.
func TestUploadsWriteAfterRemove(t *testing.T) {
	s, srv := testUploads(t, 1<<10)
	ctx := t.Context()
	up, err := s.NewUpload(ctx, tus.FileInfo{ID: "u3", Size: 10})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Remove(ctx, "u3"); err != nil {
		t.Fatal(err)
	}
	if n, err := up.WriteChunk(ctx, 0, strings.NewReader("0123456789")); n != 0 || !errors.Is(err, tus.ErrNotFound) {
		t.Errorf("WriteChunk after Remove = %d, %v; want 0, ErrNotFound", n, err)
	}
	if objs := srv.Objects(t, "p/uploads"); len(objs) != 0 {
		t.Errorf("objects after a write to a removed upload: %v", keys(objs))
	}
}
