package app_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"image"
	"image/png"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/gorilla/websocket"

	"switchboard/app"
	"switchboard/backend/server"
	"switchboard/backend/server/servertest"
	"switchboard/protocol"
)

// These tests run the project's server in-process (tusd behind it, on a
// temp data dir), so uploads meet the real tus endpoint and file checks.

// realServer is a running backend/server with one conversation of a new
// customer waiting in alice's team's queue.
type realServer struct {
	url    string
	convID string
}

func startRealServer(t *testing.T) *realServer {
	t.Helper()
	srv, err := server.New(servertest.Config(t, server.Config{DataDir: t.TempDir(), Demo: true, Routing: server.RoutingPick}))
	if err != nil {
		t.Fatalf("server.New: %v", err)
	}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		srv.Shutdown(ctx)
		ts.Close()
	})
	resp, err := http.Post(ts.URL+"/api/v1/visitor", "application/json", strings.NewReader(`{}`))
	if err != nil {
		t.Fatal(err)
	}
	var v server.VisitorResponse
	json.NewDecoder(resp.Body).Decode(&v)
	resp.Body.Close()

	ws, _, err := websocket.DefaultDialer.Dial("ws"+strings.TrimPrefix(ts.URL, "http")+"/ws", nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ws.Close() })
	n := 0
	request := func(typ string, data, out any) {
		t.Helper()
		n++
		id := fmt.Sprint(n)
		b, _ := protocol.Encode(typ, id, data)
		if err := ws.WriteMessage(websocket.TextMessage, b); err != nil {
			t.Fatal(err)
		}
		for {
			ws.SetReadDeadline(time.Now().Add(5 * time.Second))
			_, b, err := ws.ReadMessage()
			if err != nil {
				t.Fatalf("customer %s: %v", typ, err)
			}
			var f protocol.Frame
			json.Unmarshal(b, &f)
			if f.ID != id {
				continue
			}
			if f.Error != nil {
				t.Fatalf("customer %s: %v", typ, f.Error)
			}
			if out != nil {
				json.Unmarshal(f.Data, out)
			}
			return
		}
	}
	request(protocol.TypeHello, protocol.HelloData{Protocol: protocol.Version, Token: v.Token, Client: protocol.ClientWidget}, nil)
	var conv protocol.Conversation
	request(protocol.TypeOpen, protocol.OpenData{}, &conv)
	request(protocol.TypeSend, protocol.SendData{ConversationID: conv.ID, ClientMsgID: uuid.NewString(), Kind: protocol.KindText, Text: "I need a person"}, nil)
	return &realServer{url: ts.URL, convID: conv.ID}
}

// dialogPlatform is a fakePlatform with file dialogs.
type dialogPlatform struct {
	*fakePlatform
	saveTo string
	// saveName is the name the last save dialog proposed.
	saveName string
	drop     func([]string)
}

func (p *dialogPlatform) OpenFiles(string) ([]string, error) { return nil, nil }
func (p *dialogPlatform) SaveFile(_, name string) (string, error) {
	p.saveName = name
	return p.saveTo, nil
}
func (p *dialogPlatform) OnFileDrop(fn func(paths []string)) { p.drop = fn }

var _ app.Dialogs = (*dialogPlatform)(nil)

// cutter is a transport that can fail or hold PATCH requests, to cut an
// upload where a test likes.
type cutter struct {
	patches atomic.Int32
	// failAt fails the PATCH with this number (1-based) once.
	failAt int32
	// holdFrom holds every PATCH from this number on until its request ends.
	holdFrom int32
}

func (c *cutter) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Method == http.MethodPatch {
		n := c.patches.Add(1)
		if n == c.failAt {
			return nil, fmt.Errorf("link cut")
		}
		if c.holdFrom > 0 && n >= c.holdFrom {
			<-r.Context().Done()
			return nil, r.Context().Err()
		}
	}
	return http.DefaultTransport.RoundTrip(r)
}

type uploadFixture struct {
	svc *app.Service
	a   *app.App
	p   *dialogPlatform
}

func startApp(t *testing.T, rs *realServer, dir string, rt http.RoundTripper) *uploadFixture {
	t.Helper()
	return startAppWith(t, rs, dir, rt, true)
}

// startAppWith starts the app on dir; without signIn it starts from the
// session kept there by an earlier run.
func startAppWith(t *testing.T, rs *realServer, dir string, rt http.RoundTripper, signIn bool, mutate ...func(*app.Config)) *uploadFixture {
	t.Helper()
	p := &dialogPlatform{fakePlatform: newFakePlatform(t)}
	cfg := app.Config{
		Dir:            dir,
		Platform:       p,
		RequestTimeout: 5 * time.Second,
		ReconnectMin:   10 * time.Millisecond,
		ReconnectMax:   50 * time.Millisecond,
		TransferClient: &http.Client{Transport: rt},
		UploadChunk:    64 << 10,
		UploadRetry:    20 * time.Millisecond,
	}
	for _, m := range mutate {
		m(&cfg)
	}
	svc := app.New(cfg)
	svc.Start(context.Background())
	t.Cleanup(svc.Stop)
	a := svc.App()
	if !signIn {
		return &uploadFixture{svc: svc, a: a, p: p}
	}
	if _, err := a.SignIn(rs.url, "alice", server.DemoPassword); err != nil {
		t.Fatalf("SignIn: %v", err)
	}
	return &uploadFixture{svc: svc, a: a, p: p}
}

func (f *uploadFixture) accept(t *testing.T, convID string) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		_, err := f.a.Accept(convID)
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("Accept: %v", err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// pngFile writes a file that sniffs as PNG, of about size bytes.
func pngFile(t *testing.T, dir string, size int) (string, []byte) {
	t.Helper()
	b := make([]byte, size)
	rand.Read(b)
	copy(b, []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde"))
	p := filepath.Join(dir, "photo.png")
	if err := os.WriteFile(p, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return p, b
}

// textFile writes a plain text file of size bytes.
func textFile(t *testing.T, dir string, size int) (string, []byte) {
	t.Helper()
	b := bytes.Repeat([]byte("switchboard uploads resume.\n"), size/28+1)[:size]
	p := filepath.Join(dir, "notes.txt")
	if err := os.WriteFile(p, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return p, b
}

func uploadEvents[T any](evs []emitted, name string) []T {
	var out []T
	for _, e := range named(evs, name) {
		out = append(out, e.data.(T))
	}
	return out
}

func waitDone(t *testing.T, p *fakePlatform, uploadID string) app.UploadDone {
	t.Helper()
	var done app.UploadDone
	p.waitFor(t, "upload:done "+uploadID, func(evs []emitted) bool {
		for _, d := range uploadEvents[app.UploadDone](evs, app.EventUploadDone) {
			if d.UploadID == uploadID {
				done = d
				return true
			}
		}
		for _, f := range uploadEvents[app.UploadFailed](evs, app.EventUploadFailed) {
			if f.UploadID == uploadID {
				t.Fatalf("upload failed: %+v", f)
			}
		}
		return false
	})
	return done
}

func TestUploadSendsFileMessageWithProgress(t *testing.T) {
	rs := startRealServer(t)
	f := startApp(t, rs, t.TempDir(), http.DefaultTransport)
	f.accept(t, rs.convID)
	path, content := textFile(t, t.TempDir(), 200<<10)

	ups, err := f.a.UploadPaths(rs.convID, []string{path})
	if err != nil || len(ups) != 1 {
		t.Fatalf("UploadPaths = %v, %v", ups, err)
	}
	done := waitDone(t, f.p.fakePlatform, ups[0].UploadID)
	m := done.Message
	if m.Kind != protocol.KindFile || m.Attachment == nil || m.Attachment.Size != int64(len(content)) || m.Attachment.Name != "notes.txt" {
		t.Fatalf("pending message = %+v", m)
	}
	f.p.waitFor(t, "ack", func(evs []emitted) bool { return hasAck(evs, m.ClientMsgID) })

	var sent []int64
	for _, p := range uploadEvents[app.UploadProgress](f.p.snapshot(), app.EventUploadProgress) {
		if p.UploadID == ups[0].UploadID {
			sent = append(sent, p.Sent)
		}
	}
	// 200 KiB in 64 KiB chunks: 0 at the start, then four chunks.
	want := []int64{0, 64 << 10, 128 << 10, 192 << 10, 200 << 10}
	if fmt.Sprint(sent) != fmt.Sprint(want) {
		t.Errorf("progress sent = %v, want %v", sent, want)
	}

	// The message went out with the file: download it back.
	dest := filepath.Join(t.TempDir(), "back.txt")
	f.p.saveTo = dest
	dl, err := f.a.DownloadFile(m.Attachment.ID, "notes.txt")
	if err != nil || !dl.Done || dl.Path != dest {
		t.Fatalf("DownloadFile = %+v, %v", dl, err)
	}
	got, _ := os.ReadFile(dest)
	if !bytes.Equal(got, content) {
		t.Errorf("downloaded %d bytes, want the %d uploaded", len(got), len(content))
	}
	// Events reach the UI from the emitter's goroutine: wait for the last.
	var last app.DownloadProgress
	f.p.waitFor(t, "download done", func(evs []emitted) bool {
		for _, p := range uploadEvents[app.DownloadProgress](evs, app.EventDownloadProgress) {
			last = p
		}
		return last.Done
	})
	if !last.Done || last.Received != int64(len(content)) || last.Size != int64(len(content)) {
		t.Errorf("last download:progress = %+v", last)
	}
	if _, err := os.Stat(dest + ".part"); !os.IsNotExist(err) {
		t.Errorf("the .part file is left: %v", err)
	}
}

func TestUploadImageAndDataURL(t *testing.T) {
	rs := startRealServer(t)
	dir := t.TempDir()
	f := startApp(t, rs, dir, http.DefaultTransport)
	f.accept(t, rs.convID)
	img := image.NewRGBA(image.Rect(0, 0, 400, 300))
	for i := range img.Pix {
		img.Pix[i] = byte(i)
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	content := buf.Bytes()

	up, err := f.a.UploadData(rs.convID, "clip.png", "image/png", b64(content))
	if err != nil {
		t.Fatalf("UploadData: %v", err)
	}
	done := waitDone(t, f.p.fakePlatform, up.UploadID)
	if done.Message.Kind != protocol.KindImage || !done.Message.Attachment.HasThumb {
		t.Fatalf("message = %+v, want an image with a thumbnail", done.Message)
	}
	u, err := f.a.FileDataURL(done.Message.Attachment.ID, false)
	if err != nil || !strings.HasPrefix(u, "data:image/png;base64,") {
		t.Fatalf("FileDataURL = %.40q, %v", u, err)
	}
	// The agent's own image has its thumbnail, as the message says.
	thumb, err := f.a.FileDataURL(done.Message.Attachment.ID, true)
	if err != nil || !strings.HasPrefix(thumb, "data:image/jpeg;base64,") || len(thumb) >= len(u) {
		t.Fatalf("thumbnail = %.40q (%d bytes, image %d), %v", thumb, len(thumb), len(u), err)
	}
	if left, _ := filepath.Glob(filepath.Join(dir, "pasted", "*")); len(left) != 0 {
		t.Errorf("pasted copies left: %v", left)
	}
}

func TestUploadRefusedType(t *testing.T) {
	rs := startRealServer(t)
	f := startApp(t, rs, t.TempDir(), http.DefaultTransport)
	f.accept(t, rs.convID)
	p := filepath.Join(t.TempDir(), "page.html")
	os.WriteFile(p, []byte("<html><script>alert(1)</script></html>"), 0o600)
	ups, err := f.a.UploadPaths(rs.convID, []string{p})
	if err != nil {
		t.Fatal(err)
	}
	evs := f.p.waitFor(t, "upload:failed", func(evs []emitted) bool {
		return len(named(evs, app.EventUploadFailed)) > 0
	})
	fail := uploadEvents[app.UploadFailed](evs, app.EventUploadFailed)[0]
	if fail.UploadID != ups[0].UploadID || fail.Code != protocol.ErrTypeNotAllowed.Code {
		t.Errorf("upload:failed = %+v, want type_not_allowed", fail)
	}
	if list, _ := f.a.ListUploads(); len(list) != 0 {
		t.Errorf("ListUploads = %v, want none left", list)
	}
}

func TestUploadCancel(t *testing.T) {
	rs := startRealServer(t)
	cut := &cutter{holdFrom: 2}
	f := startApp(t, rs, t.TempDir(), cut)
	f.accept(t, rs.convID)
	path, _ := textFile(t, t.TempDir(), 300<<10)
	ups, err := f.a.UploadPaths(rs.convID, []string{path})
	if err != nil {
		t.Fatal(err)
	}
	id := ups[0].UploadID
	f.p.waitFor(t, "first chunk", func(evs []emitted) bool {
		for _, p := range uploadEvents[app.UploadProgress](evs, app.EventUploadProgress) {
			if p.UploadID == id && p.Sent > 0 {
				return true
			}
		}
		return false
	})
	if err := f.a.CancelUpload(id); err != nil {
		t.Fatalf("CancelUpload: %v", err)
	}
	evs := f.p.waitFor(t, "cancelled", func(evs []emitted) bool { return len(named(evs, app.EventUploadFailed)) > 0 })
	if fail := uploadEvents[app.UploadFailed](evs, app.EventUploadFailed)[0]; fail.Code != "cancelled" {
		t.Errorf("upload:failed code = %q, want cancelled", fail.Code)
	}
	if list, _ := f.a.ListUploads(); len(list) != 0 {
		t.Errorf("ListUploads = %v, want none", list)
	}
	if err := f.a.CancelUpload(id); err == nil {
		t.Errorf("CancelUpload twice: no error")
	}
	time.Sleep(50 * time.Millisecond)
	if n := len(named(f.p.snapshot(), app.EventUploadDone)); n != 0 {
		t.Errorf("%d upload:done after cancel", n)
	}
}

func TestUploadResumesAfterCut(t *testing.T) {
	rs := startRealServer(t)
	cut := &cutter{failAt: 3}
	f := startApp(t, rs, t.TempDir(), cut)
	f.accept(t, rs.convID)
	path, content := textFile(t, t.TempDir(), 300<<10)
	ups, _ := f.a.UploadPaths(rs.convID, []string{path})
	done := waitDone(t, f.p.fakePlatform, ups[0].UploadID)
	// 5 chunks and the one that was cut.
	if n := cut.patches.Load(); n != 6 {
		t.Errorf("PATCH requests = %d, want 6 (5 chunks, one cut and resent)", n)
	}
	f.p.waitFor(t, "ack", func(evs []emitted) bool { return hasAck(evs, done.Message.ClientMsgID) })
	f.p.saveTo = filepath.Join(t.TempDir(), "back.txt")
	if _, err := f.a.DownloadFile(done.Message.Attachment.ID, "notes.txt"); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(f.p.saveTo); !bytes.Equal(got, content) {
		t.Errorf("downloaded content differs from the upload (%d vs %d bytes)", len(got), len(content))
	}
}

func TestUploadResumesAfterRestart(t *testing.T) {
	rs := startRealServer(t)
	dir := t.TempDir()
	path, content := textFile(t, t.TempDir(), 300<<10)

	first := startApp(t, rs, dir, &cutter{holdFrom: 3})
	first.accept(t, rs.convID)
	ups, _ := first.a.UploadPaths(rs.convID, []string{path})
	id := ups[0].UploadID
	first.p.waitFor(t, "two chunks", func(evs []emitted) bool {
		for _, p := range uploadEvents[app.UploadProgress](evs, app.EventUploadProgress) {
			if p.UploadID == id && p.Sent == 128<<10 {
				return true
			}
		}
		return false
	})
	first.svc.Stop()

	// The second run opens signed in, from the session kept in the
	// (file) keychain, and resumes the upload without a password.
	cut := &cutter{}
	second := startAppWith(t, rs, dir, cut, false)
	boot, _ := second.a.Bootstrap()
	if !boot.SignedIn || boot.Session.User.Name != "Alice" {
		t.Fatalf("after restart: %+v, want alice signed in", boot)
	}
	list, err := second.a.ListUploads()
	if err != nil || len(list) != 1 || list[0].UploadID != id {
		t.Fatalf("ListUploads after restart = %v, %v", list, err)
	}
	done := waitDone(t, second.p.fakePlatform, id)
	if n := cut.patches.Load(); n != 3 {
		t.Errorf("PATCH requests after restart = %d, want 3 (resumed at 128 KiB)", n)
	}
	second.p.waitFor(t, "ack", func(evs []emitted) bool { return hasAck(evs, done.Message.ClientMsgID) })
	second.p.saveTo = filepath.Join(t.TempDir(), "back.txt")
	if _, err := second.a.DownloadFile(done.Message.Attachment.ID, "notes.txt"); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(second.p.saveTo); !bytes.Equal(got, content) {
		t.Errorf("downloaded content differs from the upload")
	}
}

func TestSendCard(t *testing.T) {
	rs := startRealServer(t)
	f := startApp(t, rs, t.TempDir(), http.DefaultTransport)
	f.accept(t, rs.convID)
	m, err := f.a.SendCard(rs.convID, protocol.Card{Type: "order_status", Version: 1,
		Data: json.RawMessage(`{"order_no":"SO-1","status":"shipped","eta":"2026-12-01"}`)})
	if err != nil || m.Kind != protocol.KindCard {
		t.Fatalf("SendCard = %+v, %v", m, err)
	}
	f.p.waitFor(t, "card ack", func(evs []emitted) bool { return hasAck(evs, m.ClientMsgID) })

	bad, err := f.a.SendCard(rs.convID, protocol.Card{Type: "order_status", Version: 1,
		Data: json.RawMessage(`{"order_no":"SO-1","status":"lost"}`)})
	if err != nil {
		t.Fatal(err)
	}
	evs := f.p.waitFor(t, "send:failed", func(evs []emitted) bool { return len(named(evs, app.EventSendFailed)) > 0 })
	if sf := named(evs, app.EventSendFailed)[0].data.(app.SendFailure); sf.ClientMsgID != bad.ClientMsgID || sf.Code != protocol.ErrInvalidCard.Code {
		t.Errorf("send:failed = %+v, want invalid_card", sf)
	}
}

func TestCannedResponsesDefaults(t *testing.T) {
	svc := app.New(app.Config{Dir: t.TempDir(), Platform: newFakePlatform(t)})
	svc.Start(context.Background())
	defer svc.Stop()
	list, err := svc.App().CannedResponses()
	if err != nil || len(list) == 0 {
		t.Fatalf("CannedResponses = %v, %v", list, err)
	}
	for _, c := range list {
		if c.Shortcut == "" || c.Text == "" || c.TextZH == "" {
			t.Errorf("canned response %+v lacks a shortcut or a language", c)
		}
	}
}

func b64(b []byte) string { return base64.StdEncoding.EncodeToString(b) }

// TestDownloadFolder saves downloads into the configured folder without the
// save dialog, never over an existing file.
func TestDownloadFolder(t *testing.T) {
	rs := startRealServer(t)
	downloads := filepath.Join(t.TempDir(), "Downloads")
	f := startAppWith(t, rs, t.TempDir(), http.DefaultTransport, true, func(c *app.Config) { c.DownloadDir = downloads })
	f.accept(t, rs.convID)
	path, content := textFile(t, t.TempDir(), 5000)
	ups, err := f.a.UploadPaths(rs.convID, []string{path})
	if err != nil {
		t.Fatal(err)
	}
	done := waitDone(t, f.p.fakePlatform, ups[0].UploadID)
	f.p.saveTo = "/nonexistent/the-dialog-must-not-be-used"
	var paths []string
	for range 2 {
		dl, err := f.a.DownloadFile(done.Message.Attachment.ID, "../notes.txt")
		if err != nil || !dl.Done {
			t.Fatalf("DownloadFile = %+v, %v", dl, err)
		}
		paths = append(paths, dl.Path)
		if got, _ := os.ReadFile(dl.Path); !bytes.Equal(got, content) {
			t.Errorf("%s holds %d bytes, want the %d uploaded", dl.Path, len(got), len(content))
		}
	}
	want := []string{filepath.Join(downloads, "notes.txt"), filepath.Join(downloads, "notes (2).txt")}
	if fmt.Sprint(paths) != fmt.Sprint(want) {
		t.Errorf("saved to %v, want %v", paths, want)
	}
	// A failed download leaves nothing behind.
	if _, err := f.a.DownloadFile("nosuchfile", "gone.txt"); err == nil {
		t.Fatal("downloading a file that does not exist succeeded")
	}
	if left, _ := filepath.Glob(filepath.Join(downloads, "gone*")); len(left) != 0 {
		t.Errorf("a failed download left %v", left)
	}
}
