package server

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"switchboard/backend/files"
	_ "switchboard/backend/files/s3blobs" // registers s3:
	"switchboard/backend/files/s3blobs/s3test"
	"switchboard/backend/quota"
	"switchboard/backend/seal"
	"switchboard/protocol"
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

// s3Nodes starts two nodes on one store, one bus and one bucket (gofakes3
// in process on loopback, package s3test): a cluster without sticky
// sessions, where each request of an upload may reach either node.
func s3Nodes(t *testing.T, change func(*Config)) (one, two *env, s3 *s3test.Server) {
	t.Helper()
	s3 = s3test.Start(t)
	one, two, _ = twoNodes(t, func(c *Config) {
		c.Files, c.Routing = s3.URL("switchboard/files"), RoutingPick
		if change != nil {
			change(c)
		}
	})
	return one, two, s3
}

// onNode is c speaking to node e instead.
func (c *tusClient) onNode(e *env, url string) (*tusClient, string) {
	return &tusClient{t: c.t, base: e.ts.URL, token: c.token}, e.ts.URL + strings.TrimPrefix(url, c.base)
}

// wantNoUploadsLeft checks that nothing of an unfinished upload is left:
// in the bucket or in either node's upload directory.
func wantNoUploadsLeft(t *testing.T, s3 *s3test.Server, nodes ...*env) {
	t.Helper()
	if left := s3.Objects(t, "switchboard/files/uploads"); len(left) != 0 {
		t.Errorf("the bucket holds %d upload objects after finishing", len(left))
	}
	for _, e := range nodes {
		if left, _ := os.ReadDir(filepath.Join(e.cfg.DataDir, "uploads")); len(left) != 0 {
			t.Errorf("node %s's uploads/ holds %d entries after finishing", e.cfg.Node, len(left))
		}
	}
}

// TestUploadAcrossNodes starts an upload on one node and finishes it on
// the other: the image downloads intact from both, with its thumbnail,
// and the quota node one reserved for it is freed when node two stores it.
func TestUploadAcrossNodes(t *testing.T) {
	one, two, s3 := s3Nodes(t, func(c *Config) { c.VisitorQuota = quota.Limits{Sessions: 1} })
	_, _, custToken, aliceToken, conv := chatting(t, one)
	img := testPNG(t, 640, 480)
	tc := one.tus(custToken)
	url, perr, _ := tc.create(conv.ID, "photo.png", "image/png", len(img))
	if perr != nil {
		t.Fatal(perr)
	}
	half := len(img) / 2
	if n, perr := tc.patch(url, 0, img[:half]); perr != nil || n != half {
		t.Fatalf("first half on node one = %d, %v", n, perr)
	}
	tc2, url2 := tc.onNode(two, url)
	if off, code := tc2.head(url2); code != http.StatusOK || off != half {
		t.Fatalf("HEAD on node two = %d, offset %d; want 200 and %d", code, off, half)
	}
	if n, perr := tc2.patch(url2, half, img[half:]); perr != nil || n != len(img) {
		t.Fatalf("second half on node two = %d, %v", n, perr)
	}
	id := url[strings.LastIndex(url, "/")+1:]
	for _, e := range []*env{one, two} {
		code, _, body := e.get("/api/v1/files/"+id, aliceToken, nil)
		if code != http.StatusOK || !bytes.Equal(body, img) {
			t.Errorf("download from node %s = %d, %d bytes; want 200 and the image", e.cfg.Node, code, len(body))
		}
		if code, _, _ := e.get("/api/v1/files/"+id+"/thumb", aliceToken, nil); code != http.StatusOK {
			t.Errorf("thumbnail from node %s = %d, want 200", e.cfg.Node, code)
		}
	}
	wantNoUploadsLeft(t, s3, one, two)
	// Node one's reservation goes with node two's notice on the bus.
	deadline := time.Now().Add(5 * time.Second)
	for {
		_, perr, _ := tc.create(conv.ID, "b.png", "image/png", 10)
		if perr == nil {
			break
		}
		if perr.Code != protocol.ErrQuotaExceeded.Code || time.Now().After(deadline) {
			t.Fatalf("a new upload on node one after the first finished on node two: %+v", perr)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestUploadResumesOnAnotherNode cuts an upload on node one and resumes it
// on node two. A retry from a stale offset (the client did not see what
// node one kept) is refused with 409; the resume from the offset HEAD
// gives finishes, and the file is intact.
func TestUploadResumesOnAnotherNode(t *testing.T) {
	one, two, s3 := s3Nodes(t, nil)
	cust, alice, custToken, _, conv := chatting(t, one)
	data := []byte("%PDF-1.7\n" + strings.Repeat("resumable upload body ", 5000))
	tc := one.tus(custToken)
	url, perr, _ := tc.create(conv.ID, "invoice.pdf", "application/pdf", len(data))
	if perr != nil {
		t.Fatal(perr)
	}
	half := len(data) / 2
	req, _ := http.NewRequest(http.MethodPatch, url, io.MultiReader(bytes.NewReader(data[:half]), errReader{}))
	req.Header.Set("Tus-Resumable", "1.0.0")
	req.Header.Set("Authorization", "Bearer "+custToken)
	req.Header.Set("Upload-Offset", "0")
	req.Header.Set("Content-Type", "application/offset+octet-stream")
	if resp, err := http.DefaultClient.Do(req); err == nil {
		resp.Body.Close()
	}
	tc2, url2 := tc.onNode(two, url)
	offset, code := tc2.head(url2)
	for deadline := time.Now().Add(5 * time.Second); code == http.StatusOK && offset == 0 && time.Now().Before(deadline); {
		time.Sleep(20 * time.Millisecond)
		offset, code = tc2.head(url2)
	}
	if code != http.StatusOK || offset <= 0 || offset > half {
		t.Fatalf("HEAD on node two after the cut = %d, offset %d; want 200 and 0 < offset <= %d", code, offset, half)
	}
	resp := tc2.do(http.MethodPatch, url2, data, map[string]string{"Upload-Offset": "0", "Content-Type": "application/offset+octet-stream"})
	resp.Body.Close()
	if resp.StatusCode != http.StatusConflict {
		t.Errorf("PATCH at offset 0 on node two after progress = %d, want 409", resp.StatusCode)
	}
	// Another user sees nothing of it on either node.
	bob := one.login("bob").Token
	if _, code := two.tus(bob).head(url2); code != http.StatusNotFound {
		t.Errorf("HEAD by another user on node two = %d, want 404", code)
	}
	if end, perr := tc2.patch(url2, offset, data[offset:]); perr != nil || end != len(data) {
		t.Fatalf("resume on node two = %d, %v; want %d", end, perr, len(data))
	}
	id := url[strings.LastIndex(url, "/")+1:]
	var ack protocol.AckData
	cust.decode(cust.request(protocol.TypeSend, protocol.SendData{
		ConversationID: conv.ID, ClientMsgID: uuid.NewString(), Kind: protocol.KindFile, AttachmentID: id,
	}), protocol.TypeAck, &ack)
	m := alice.waitMessage("file", func(m protocol.Message) bool { return m.Seq == ack.Seq })
	if m.Attachment == nil || m.Attachment.MIME != "application/pdf" || m.Attachment.Size != int64(len(data)) {
		t.Errorf("file message attachment = %+v", m.Attachment)
	}
	for _, e := range []*env{one, two} {
		if _, _, body := e.get("/api/v1/files/"+id, custToken, nil); !bytes.Equal(body, data) {
			t.Errorf("downloaded %d bytes from node %s, want the %d uploaded", len(body), e.cfg.Node, len(data))
		}
	}
	wantNoUploadsLeft(t, s3, one, two)
}

// TestSharedUploadRefused: content refused at the end on node two is
// deleted from the bucket, and the upload is gone on node one too.
func TestSharedUploadRefused(t *testing.T) {
	one, two, s3 := s3Nodes(t, nil)
	_, _, custToken, _, conv := chatting(t, one)
	exe := fakeExe()
	tc := one.tus(custToken)
	url, perr, _ := tc.create(conv.ID, "cute.png", "image/png", len(exe))
	if perr != nil {
		t.Fatal(perr)
	}
	if _, perr := tc.patch(url, 0, exe[:100]); perr != nil {
		t.Fatal(perr)
	}
	tc2, url2 := tc.onNode(two, url)
	if _, perr := tc2.patch(url2, 100, exe[100:]); perr == nil || perr.Code != protocol.ErrTypeNotAllowed.Code {
		t.Fatalf("finish of a spoofed image on node two = %+v, want type_not_allowed", perr)
	}
	if _, code := tc.head(url); code != http.StatusNotFound {
		t.Errorf("HEAD of the refused upload on node one = %d, want 404", code)
	}
	wantNoUploadsLeft(t, s3, one, two)
	if left := s3.Objects(t, "switchboard/files"); len(left) != 0 {
		t.Errorf("the bucket holds %d objects after a refusal", len(left))
	}
}

// TestSharedUploadSweep abandons an upload in the bucket: once nothing was
// written to it for UploadExpiry, the sweep deletes its objects and frees
// the quota it held on the node that created it.
func TestSharedUploadSweep(t *testing.T) {
	one, _, s3 := s3Nodes(t, func(c *Config) {
		c.UploadExpiry = 2 * time.Second
		c.VisitorQuota = quota.Limits{Sessions: 1}
	})
	_, _, custToken, _, conv := chatting(t, one)
	tc := one.tus(custToken)
	url, perr, _ := tc.create(conv.ID, "a.txt", "text/plain", 100)
	if perr != nil {
		t.Fatal(perr)
	}
	if _, perr := tc.patch(url, 0, []byte("half")); perr != nil {
		t.Fatal(perr)
	}
	if n := len(s3.Objects(t, "switchboard/files/uploads")); n != 2 {
		t.Fatalf("the bucket holds %d upload objects, want 2 (the info and a chunk)", n)
	}
	if _, perr, _ := tc.create(conv.ID, "b.txt", "text/plain", 5); perr == nil || perr.Code != protocol.ErrQuotaExceeded.Code {
		t.Fatalf("second upload while the first is unfinished: %+v, want quota_exceeded", perr)
	}
	deadline := time.Now().Add(15 * time.Second)
	for len(s3.Objects(t, "switchboard/files/uploads")) > 0 {
		if time.Now().After(deadline) {
			t.Fatalf("abandoned upload still in the bucket")
		}
		time.Sleep(50 * time.Millisecond)
	}
	if _, code := tc.head(url); code != http.StatusNotFound {
		t.Errorf("HEAD of the swept upload: %d, want 404", code)
	}
	deadline = time.Now().Add(5 * time.Second)
	for {
		_, perr := tc.upload(conv.ID, "b.txt", "text/plain", []byte("hello"))
		if perr == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("upload after the sweep: %v", perr)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// heldReader gives head, then waits for release before it gives tail: a
// request body that stalls halfway.
type heldReader struct {
	head, tail io.Reader
	release    chan struct{}
	sent       chan struct{} // closed when head is read
}

func (r *heldReader) Read(p []byte) (int, error) {
	if n, err := r.head.Read(p); n > 0 || err != io.EOF {
		return n, err
	}
	if r.sent != nil {
		close(r.sent)
		r.sent = nil
	}
	<-r.release
	return r.tail.Read(p)
}

// spooling waits until node e spools a chunk of a shared upload in its
// upload directory.
func spooling(t *testing.T, e *env) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		if m, _ := filepath.Glob(filepath.Join(e.cfg.DataDir, "uploads", ".chunk-*")); len(m) > 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("node %s never started spooling the upload", e.cfg.Node)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// TestUploadRetriedWhileOldRequestRuns: a client whose request to node one
// stalls retries on node two, which finishes the upload while the old
// request still runs. When the old request goes on, its upload is gone:
// it is refused and leaves nothing behind, and the file is intact.
func TestUploadRetriedWhileOldRequestRuns(t *testing.T) {
	one, two, s3 := s3Nodes(t, nil)
	_, _, custToken, aliceToken, conv := chatting(t, one)
	data := []byte("%PDF-1.7\n" + strings.Repeat("retried upload body ", 5000))
	tc := one.tus(custToken)
	url, perr, _ := tc.create(conv.ID, "invoice.pdf", "application/pdf", len(data))
	if perr != nil {
		t.Fatal(perr)
	}
	half := len(data) / 2
	body := &heldReader{head: bytes.NewReader(data[:half]), tail: bytes.NewReader(data[half:]),
		release: make(chan struct{}), sent: make(chan struct{})}
	sent := body.sent
	req, _ := http.NewRequest(http.MethodPatch, url, body)
	req.ContentLength = int64(len(data))
	req.Header.Set("Tus-Resumable", "1.0.0")
	req.Header.Set("Authorization", "Bearer "+custToken)
	req.Header.Set("Upload-Offset", "0")
	req.Header.Set("Content-Type", "application/offset+octet-stream")
	old := make(chan int, 1)
	go func() {
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			old <- 0
			return
		}
		resp.Body.Close()
		old <- resp.StatusCode
	}()
	<-sent
	// The client has sent half; wait until node one's handler has taken
	// the request and spools it, so that the retry overtakes a request
	// under way, not one node one has yet to read (which would see the
	// finished upload's chunk and answer 409 instead).
	spooling(t, one)

	tc2, url2 := tc.onNode(two, url)
	offset, code := tc2.head(url2)
	if code != http.StatusOK || offset != 0 {
		t.Fatalf("HEAD on node two while node one holds half in its spool = %d, offset %d; want 200 and 0", code, offset)
	}
	if end, perr := tc2.patch(url2, 0, data); perr != nil || end != len(data) {
		t.Fatalf("retry on node two = %d, %v; want %d", end, perr, len(data))
	}
	close(body.release)
	if status := <-old; status != http.StatusNotFound {
		t.Errorf("the old request on node one = %d, want 404 (its upload is stored and gone)", status)
	}
	id := url[strings.LastIndex(url, "/")+1:]
	if _, _, got := one.get("/api/v1/files/"+id, aliceToken, nil); !bytes.Equal(got, data) {
		t.Errorf("downloaded %d bytes, want the %d uploaded", len(got), len(data))
	}
	wantNoUploadsLeft(t, s3, one, two)
}
