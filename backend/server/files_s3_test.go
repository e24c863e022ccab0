package server

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"os"
	"path/filepath"
	"testing"

	"switchboard/backend/files"
	_ "switchboard/backend/files/s3blobs" // registers s3:
	"switchboard/backend/files/s3blobs/s3test"
	"switchboard/backend/seal"
)

// TestUploadToS3 uploads through tus and downloads with Config.Files on
// S3-compatible storage: gofakes3 in process on loopback (package s3test),
// since no real S3 service is reachable from a test. The content lands in
// the bucket, sealed when the store is, and none of it in the data
// directory's files/.
func TestUploadToS3(t *testing.T) {
	for _, tc := range []struct {
		name string
		kek  seal.KEK
	}{
		{"plain", nil},
		{"sealed", testKEK(t, 1)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s3 := s3test.Start(t)
			e := startEnvKEK(t, Config{
				DataDir: t.TempDir(), Demo: true, Bot: fakeBot, Identity: testIdentity(t), Routing: RoutingPick,
				Files: s3.URL("switchboard/files"),
			}, tc.kek)
			_, _, custToken, aliceToken, conv := chatting(t, e)
			img := testPNG(t, 640, 480)
			id, perr := e.tus(custToken).upload(conv.ID, "photo.png", "image/png", img)
			if perr != nil {
				t.Fatalf("upload: %v", perr)
			}
			code, _, body := e.get("/api/v1/files/"+id, aliceToken, nil)
			if code != http.StatusOK || !bytes.Equal(body, img) {
				t.Fatalf("download = %d, %d bytes; want 200 and the image", code, len(body))
			}
			code, _, body = e.get("/api/v1/files/"+id, aliceToken, map[string]string{"Range": "bytes=100-199"})
			if code != http.StatusPartialContent || !bytes.Equal(body, img[100:200]) {
				t.Errorf("range download = %d, %d bytes; want 206 and bytes 100-199", code, len(body))
			}
			if code, _, _ := e.get("/api/v1/files/"+id+"/thumb", aliceToken, nil); code != http.StatusOK {
				t.Errorf("thumbnail = %d, want 200", code)
			}

			sum := sha256.Sum256(img)
			key, _ := files.BlobKey(hex.EncodeToString(sum[:]))
			objects := s3.Objects(t, "switchboard/files")
			stored, ok := objects[key]
			if len(objects) != 2 || !ok {
				t.Errorf("bucket holds %d objects, the image at %s: %v; want the image and its thumbnail", len(objects), key, ok)
			}
			if sealed := !bytes.Equal(stored, img); sealed != (tc.kek != nil) {
				t.Errorf("the image in the bucket is sealed: %v, want %v", sealed, tc.kek != nil)
			}
			if blobs := storedFiles(t, e); len(blobs) != 0 {
				t.Errorf("blobs in the data directory: %v", blobs)
			}
			if left, _ := os.ReadDir(filepath.Join(e.cfg.DataDir, "uploads")); len(left) != 0 {
				t.Errorf("the finished upload is left in uploads/: %d entries", len(left))
			}
		})
	}
}
