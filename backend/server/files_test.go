package server

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"io/fs"
	"maps"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"switchboard/backend/store"
	"switchboard/protocol"
)

// tusClient speaks the tus 1.0 protocol by hand, so the tests see every
// request and can cut an upload where they like.
type tusClient struct {
	t     *testing.T
	base  string
	token string
}

func (e *env) tus(token string) *tusClient {
	return &tusClient{t: e.t.(*testing.T), base: e.ts.URL, token: token}
}

func (c *tusClient) do(method, url string, body []byte, hdr map[string]string) *http.Response {
	c.t.Helper()
	req, err := http.NewRequest(method, url, bytes.NewReader(body))
	if err != nil {
		c.t.Fatal(err)
	}
	req.Header.Set("Tus-Resumable", "1.0.0")
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", method, url, err)
	}
	return resp
}

// create starts an upload of size bytes and returns its URL, or the coded
// error and status the server refused it with.
func (c *tusClient) create(convID, name, typ string, size int) (string, *protocol.Error, int) {
	c.t.Helper()
	return c.createMeta(convID, name, typ, size, nil)
}

// createMeta is create with more Upload-Metadata.
func (c *tusClient) createMeta(convID, name, typ string, size int, extra map[string]string) (string, *protocol.Error, int) {
	c.t.Helper()
	meta := []string{}
	all := map[string]string{"conversation_id": convID, "filename": name, "filetype": typ}
	maps.Copy(all, extra)
	for k, v := range all {
		meta = append(meta, k+" "+base64.StdEncoding.EncodeToString([]byte(v)))
	}
	resp := c.do(http.MethodPost, c.base+"/api/v1/uploads/", nil, map[string]string{
		"Upload-Length": strconv.Itoa(size), "Upload-Metadata": strings.Join(meta, ","),
	})
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusCreated {
		return "", decodeHTTPError(c.t, resp), resp.StatusCode
	}
	loc := resp.Header.Get("Location")
	if !strings.HasPrefix(loc, "http") {
		loc = c.base + loc
	}
	return loc, nil, resp.StatusCode
}

// patch sends data at offset; it returns the new offset, or the error.
func (c *tusClient) patch(url string, offset int, data []byte) (int, *protocol.Error) {
	c.t.Helper()
	resp := c.do(http.MethodPatch, url, data, map[string]string{
		"Upload-Offset": strconv.Itoa(offset), "Content-Type": "application/offset+octet-stream",
	})
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusNoContent {
		return 0, decodeHTTPError(c.t, resp)
	}
	n, _ := strconv.Atoi(resp.Header.Get("Upload-Offset"))
	return n, nil
}

// head returns the upload's offset as the server has it.
func (c *tusClient) head(url string) (int, int) {
	c.t.Helper()
	resp := c.do(http.MethodHead, url, nil, nil)
	resp.Body.Close()
	n, _ := strconv.Atoi(resp.Header.Get("Upload-Offset"))
	return n, resp.StatusCode
}

// upload creates and sends a whole file, returning the file id.
func (c *tusClient) upload(convID, name, typ string, data []byte) (string, *protocol.Error) {
	c.t.Helper()
	url, perr, _ := c.create(convID, name, typ, len(data))
	if perr != nil {
		return "", perr
	}
	if _, perr := c.patch(url, 0, data); perr != nil {
		return "", perr
	}
	return url[strings.LastIndex(url, "/")+1:], nil
}

func decodeHTTPError(t *testing.T, resp *http.Response) *protocol.Error {
	t.Helper()
	var he httpError
	b, _ := io.ReadAll(resp.Body)
	if err := json.Unmarshal(b, &he); err != nil || he.Error.Code == "" {
		t.Fatalf("status %d with body %q: want a coded JSON error", resp.StatusCode, b)
	}
	return &he.Error
}

// get downloads path with token; it returns status, headers and body.
func (e *env) get(path, token string, hdr map[string]string) (int, http.Header, []byte) {
	e.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, e.ts.URL+path, nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatalf("GET %s: %v", path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, b
}

func testPNG(t testing.TB, w, h int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			img.Set(x, y, color.RGBA{R: uint8(x), G: uint8(y), B: 90, A: 255})
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// fakeExe is the start of a Windows program.
func fakeExe() []byte {
	b := make([]byte, 512)
	copy(b, "MZ\x90\x00\x03")
	copy(b[0x3c:], []byte{0x80, 0, 0, 0})
	copy(b[0x80:], "PE\x00\x00")
	return b
}

// chatting starts a customer whose conversation alice has accepted.
func chatting(t *testing.T, e *env) (cust, alice *client, custToken, aliceToken string, conv protocol.Conversation) {
	t.Helper()
	v := e.visitor()
	cust, _ = e.connect("customer", v.Token)
	conv = cust.open(nil)
	cust.sendText(conv.ID, "human please")
	cust.waitConversation("queued", func(c protocol.Conversation) bool { return c.State == protocol.StateQueued })
	lr := e.login("alice")
	alice, _ = e.connect("alice", lr.Token)
	alice.accept(conv.ID)
	return cust, alice, v.Token, lr.Token, conv
}

func pickEnv(t *testing.T, change func(*Config)) *env {
	return newEnv(t, func(c *Config) {
		c.Routing = RoutingPick
		if change != nil {
			change(c)
		}
	})
}

// storedFiles lists the blobs on disk.
func storedFiles(t *testing.T, e *env) (blobs []string) {
	t.Helper()
	filepath.WalkDir(filepath.Join(e.cfg.DataDir, "files"), func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			blobs = append(blobs, p)
		}
		return nil
	})
	return blobs
}

func TestUploadImageSendAndDownload(t *testing.T) {
	e := pickEnv(t, nil)
	cust, alice, custToken, aliceToken, conv := chatting(t, e)
	img := testPNG(t, 640, 480)

	id, perr := e.tus(custToken).upload(conv.ID, "holiday photo.png", "image/png", img)
	if perr != nil {
		t.Fatalf("upload: %v", perr)
	}
	var ack protocol.AckData
	cust.decode(cust.request(protocol.TypeSend, protocol.SendData{
		ConversationID: conv.ID, ClientMsgID: uuid.NewString(), Kind: protocol.KindImage, AttachmentID: id, Text: "the broken part",
	}), protocol.TypeAck, &ack)

	m := alice.waitMessage("image", func(m protocol.Message) bool { return m.Seq == ack.Seq })
	a := m.Attachment
	if m.Kind != protocol.KindImage || m.Text != "the broken part" || a == nil {
		t.Fatalf("agent got %+v, want an image with its caption and attachment", m)
	}
	if a.ID != id || a.Name != "holiday photo.png" || a.Size != int64(len(img)) || a.MIME != "image/png" ||
		a.Width != 640 || a.Height != 480 || !a.HasThumb {
		t.Errorf("attachment = %+v", a)
	}

	code, hdr, body := e.get("/api/v1/files/"+id, aliceToken, nil)
	if code != http.StatusOK || !bytes.Equal(body, img) {
		t.Fatalf("agent download = %d, %d bytes; want 200 and the image", code, len(body))
	}
	if hdr.Get("Content-Type") != "image/png" || hdr.Get("X-Content-Type-Options") != "nosniff" ||
		!strings.Contains(hdr.Get("Content-Disposition"), "holiday photo.png") {
		t.Errorf("download headers = %v", hdr)
	}
	code, hdr, body = e.get("/api/v1/files/"+id, aliceToken, map[string]string{"Range": "bytes=0-7"})
	if code != http.StatusPartialContent || !bytes.Equal(body, img[:8]) || hdr.Get("Content-Range") == "" {
		t.Errorf("range download = %d %q %v, want 206 and the first 8 bytes", code, body, hdr)
	}
	code, hdr, body = e.get("/api/v1/files/"+id+"/thumb", aliceToken, nil)
	if code != http.StatusOK || hdr.Get("Content-Type") != "image/jpeg" {
		t.Fatalf("thumbnail = %d %s", code, hdr.Get("Content-Type"))
	}
	cfg, format, err := image.DecodeConfig(bytes.NewReader(body))
	if err != nil || format != "jpeg" || cfg.Width != 320 || cfg.Height != 240 {
		t.Errorf("thumbnail = %s %d×%d, %v; want a 320×240 jpeg", format, cfg.Width, cfg.Height, err)
	}
	// The customer reads their own file; the history carries it too.
	if code, _, _ := e.get("/api/v1/files/"+id, custToken, nil); code != http.StatusOK {
		t.Errorf("customer download = %d, want 200", code)
	}
	h := alice.sync(conv.ID, ack.Seq-1)
	if len(h.Messages) == 0 || h.Messages[0].Attachment == nil || h.Messages[0].Attachment.ID != id {
		t.Errorf("history = %+v, want the image message with its attachment", h.Messages)
	}
	// Without a token, or with a wrong one: unauthenticated.
	if code, _, _ := e.get("/api/v1/files/"+id, "", nil); code != http.StatusUnauthorized {
		t.Errorf("download without a token = %d, want 401", code)
	}
}

func TestUploadResumesAfterCut(t *testing.T) {
	e := pickEnv(t, nil)
	cust, alice, custToken, _, conv := chatting(t, e)
	data := []byte("%PDF-1.7\n" + strings.Repeat("resumable upload body ", 5000))
	tc := e.tus(custToken)
	url, perr, _ := tc.create(conv.ID, "invoice.pdf", "application/pdf", len(data))
	if perr != nil {
		t.Fatal(perr)
	}
	half := len(data) / 2

	// The connection drops mid-body: the server keeps what arrived.
	req, _ := http.NewRequest(http.MethodPatch, url, io.MultiReader(bytes.NewReader(data[:half]), errReader{}))
	req.Header.Set("Tus-Resumable", "1.0.0")
	req.Header.Set("Authorization", "Bearer "+custToken)
	req.Header.Set("Upload-Offset", "0")
	req.Header.Set("Content-Type", "application/offset+octet-stream")
	if resp, err := http.DefaultClient.Do(req); err == nil {
		resp.Body.Close()
	}
	// The server may still be writing what arrived when the client sees
	// its connection fail: wait for it.
	offset, code := tc.head(url)
	for deadline := time.Now().Add(5 * time.Second); code == http.StatusOK && offset == 0 && time.Now().Before(deadline); {
		time.Sleep(20 * time.Millisecond)
		offset, code = tc.head(url)
	}
	if code != http.StatusOK || offset <= 0 || offset > half {
		t.Fatalf("HEAD after the cut = %d, offset %d; want 200 and 0 < offset <= %d", code, offset, half)
	}
	// Another user cannot see or continue it.
	if _, code := e.tus(e.login("bob").Token).head(url); code != http.StatusNotFound {
		t.Errorf("HEAD by another user = %d, want 404", code)
	}
	// Resuming at a wrong offset is refused; at the right one it finishes.
	resp := tc.do(http.MethodPatch, url, data, map[string]string{"Upload-Offset": "0", "Content-Type": "application/offset+octet-stream"})
	resp.Body.Close()
	if resp.StatusCode != http.StatusConflict {
		t.Errorf("PATCH at offset 0 after progress = %d, want 409", resp.StatusCode)
	}
	end, perr := tc.patch(url, offset, data[offset:])
	if perr != nil || end != len(data) {
		t.Fatalf("resume = %d, %v; want %d", end, perr, len(data))
	}
	id := url[strings.LastIndex(url, "/")+1:]
	var ack protocol.AckData
	cust.decode(cust.request(protocol.TypeSend, protocol.SendData{
		ConversationID: conv.ID, ClientMsgID: uuid.NewString(), Kind: protocol.KindFile, AttachmentID: id,
	}), protocol.TypeAck, &ack)
	m := alice.waitMessage("file", func(m protocol.Message) bool { return m.Seq == ack.Seq })
	if m.Attachment == nil || m.Attachment.MIME != "application/pdf" || m.Attachment.HasThumb {
		t.Errorf("file message attachment = %+v", m.Attachment)
	}
	_, _, body := e.get("/api/v1/files/"+id, custToken, nil)
	if !bytes.Equal(body, data) {
		t.Errorf("downloaded %d bytes, want the %d uploaded", len(body), len(data))
	}
	// The finished upload is gone from tusd's directory.
	if left, _ := os.ReadDir(filepath.Join(e.cfg.DataDir, "uploads")); len(left) != 0 {
		t.Errorf("uploads dir holds %d entries after finishing, want 0", len(left))
	}
}

type errReader struct{}

func (errReader) Read([]byte) (int, error) { return 0, fmt.Errorf("connection cut") }

func TestUploadRefusals(t *testing.T) {
	e := pickEnv(t, func(c *Config) { c.MaxUploadBytes = 64 << 10 })
	_, _, custToken, aliceToken, conv := chatting(t, e)
	other, _ := e.customer("someone else")
	otherConv := other.open(nil)
	tc := e.tus(custToken)
	img := testPNG(t, 16, 16)

	tests := []struct {
		name       string
		tc         *tusClient
		conv, file string
		typ        string
		data       []byte
		want       string
		status     int
	}{
		{"foreign conversation", tc, otherConv.ID, "a.png", "image/png", img, protocol.ErrNotFound.Code, 404},
		{"agent not assigned", e.tus(e.login("carol").Token), conv.ID, "a.png", "image/png", img, protocol.ErrNotFound.Code, 404},
		{"path traversal", tc, conv.ID, "../../etc/passwd.png", "image/png", img, protocol.ErrInvalid.Code, 400},
		{"windows path", tc, conv.ID, `..\..\evil.png`, "image/png", img, protocol.ErrInvalid.Code, 400},
		{"control characters", tc, conv.ID, "a\x00.png", "image/png", img, protocol.ErrInvalid.Code, 400},
		{"declared exe", tc, conv.ID, "setup.exe", "application/x-msdownload", fakeExe(), protocol.ErrTypeNotAllowed.Code, 415},
		{"declared svg", tc, conv.ID, "a.svg", "image/svg+xml", []byte("<svg/>"), protocol.ErrTypeNotAllowed.Code, 415},
		{"spoofed exe as png", tc, conv.ID, "cute.png", "image/png", fakeExe(), protocol.ErrTypeNotAllowed.Code, 415},
		{"spoofed html as text", tc, conv.ID, "notes.txt", "text/plain", []byte("<html><script>alert(1)</script></html>"), protocol.ErrTypeNotAllowed.Code, 415},
		{"png declared pdf", tc, conv.ID, "doc.pdf", "application/pdf", img, protocol.ErrTypeNotAllowed.Code, 415},
		{"oversized", tc, conv.ID, "big.pdf", "application/pdf", make([]byte, 64<<10+1), protocol.ErrFileTooLarge.Code, 413},
		{"no token", e.tus(""), conv.ID, "a.png", "image/png", img, protocol.ErrUnauthorized.Code, 401},
		{"bad token", e.tus(aliceToken + "x"), conv.ID, "a.png", "image/png", img, protocol.ErrUnauthorized.Code, 401},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.tc.t = t
			url, perr, status := tt.tc.create(tt.conv, tt.file, tt.typ, len(tt.data))
			if perr == nil {
				_, perr = tt.tc.patch(url, 0, tt.data)
				status = uploadStatus(protocol.ErrTypeNotAllowed) // only the content check refuses at the end
			}
			if perr == nil || perr.Code != tt.want || perr.Message == "" || status != tt.status {
				t.Fatalf("upload = %v (status %d), want %s (%d)", perr, status, tt.want, tt.status)
			}
			if url != "" {
				if _, code := tt.tc.head(url); code != http.StatusNotFound {
					t.Errorf("HEAD of the refused upload = %d, want 404 (its data deleted)", code)
				}
			}
		})
	}
	// Nothing was stored: no blob on disk, no row, no upload left behind.
	if blobs := storedFiles(t, e); len(blobs) != 0 {
		t.Errorf("blobs on disk after refusals: %v", blobs)
	}
	if left, _ := os.ReadDir(filepath.Join(e.cfg.DataDir, "uploads")); len(left) != 0 {
		t.Errorf("uploads dir holds %d entries after refusals, want 0", len(left))
	}
	if n := countFiles(t, e); n != 0 {
		t.Errorf("files table has %d rows after refusals, want 0", n)
	}
}

// countFiles counts the rows of the files table, reading the database
// file beside the server (WAL lets a second reader in).
func countFiles(t *testing.T, e *env) int {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+filepath.Join(e.cfg.DataDir, "switchboard.db")+"?_pragma=query_only(1)")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var n int
	if err := db.QueryRow(`SELECT COUNT(*) FROM files`).Scan(&n); err != nil {
		t.Fatalf("count files: %v", err)
	}
	return n
}

func TestSendAttachmentRules(t *testing.T) {
	e := pickEnv(t, nil)
	cust, alice, custToken, aliceToken, conv := chatting(t, e)
	pdf := []byte("%PDF-1.4\nhello")
	pdfID, perr := e.tus(custToken).upload(conv.ID, "a.pdf", "application/pdf", pdf)
	if perr != nil {
		t.Fatal(perr)
	}
	agentImg, perr := e.tus(aliceToken).upload(conv.ID, "b.png", "image/png", testPNG(t, 8, 8))
	if perr != nil {
		t.Fatal(perr)
	}
	send := func(c *client, kind, att string) protocol.Frame {
		return c.request(protocol.TypeSend, protocol.SendData{ConversationID: conv.ID, ClientMsgID: uuid.NewString(), Kind: kind, AttachmentID: att})
	}
	cust.wantError(send(cust, protocol.KindImage, pdfID), protocol.ErrTypeNotAllowed.Code)
	cust.wantError(send(cust, protocol.KindVoice, pdfID), protocol.ErrTypeNotAllowed.Code)
	cust.wantError(send(cust, protocol.KindFile, "nope"), protocol.ErrUploadNotFound.Code)
	cust.wantError(send(cust, protocol.KindFile, ""), protocol.ErrInvalid.Code)
	// Someone else's upload cannot be sent as one's own.
	cust.wantError(send(cust, protocol.KindImage, agentImg), protocol.ErrUploadNotFound.Code)
	cust.wantError(send(cust, "video", pdfID), protocol.ErrInvalid.Code)

	// A file sent in an internal note stays hidden from the customer.
	var ack protocol.AckData
	alice.decode(alice.request(protocol.TypeSend, protocol.SendData{ConversationID: conv.ID, ClientMsgID: uuid.NewString(),
		Kind: protocol.KindImage, AttachmentID: agentImg, Visibility: protocol.VisibilityInternal}), protocol.TypeAck, &ack)
	if code, _, _ := e.get("/api/v1/files/"+agentImg, custToken, nil); code != http.StatusNotFound {
		t.Errorf("customer download of an internal note's file = %d, want 404", code)
	}
	// Sent in public, it is the customer's to read.
	alice.decode(send(alice, protocol.KindImage, agentImg), protocol.TypeAck, &ack)
	cust.waitMessage("agent image", func(m protocol.Message) bool { return m.Seq == ack.Seq && m.Attachment != nil })
	if code, _, _ := e.get("/api/v1/files/"+agentImg, custToken, nil); code != http.StatusOK {
		t.Errorf("customer download of a public file = %d, want 200", code)
	}
}

func TestFilesOfOtherConversations(t *testing.T) {
	e := pickEnv(t, nil)
	cust, _, custToken, _, conv := chatting(t, e)
	img := testPNG(t, 20, 20)
	id, perr := e.tus(custToken).upload(conv.ID, "mine.png", "image/png", img)
	if perr != nil {
		t.Fatal(perr)
	}
	var ack protocol.AckData
	cust.decode(cust.request(protocol.TypeSend, protocol.SendData{ConversationID: conv.ID, ClientMsgID: uuid.NewString(),
		Kind: protocol.KindImage, AttachmentID: id}), protocol.TypeAck, &ack)

	other := e.visitor()
	oc, _ := e.connect("other", other.Token)
	oc.open(nil)
	for _, path := range []string{"/api/v1/files/" + id, "/api/v1/files/" + id + "/thumb", "/api/v1/files/" + strings.Repeat("x", 100)} {
		code, _, body := e.get(path, other.Token, nil)
		if code != http.StatusNotFound || bytes.Contains(body, img[:16]) {
			t.Errorf("other customer GET %s = %d, want 404", path, code)
		}
	}
	// A supervisor of the team reads it, and the read is audited.
	if code, _, _ := e.get("/api/v1/files/"+id, e.login("sam").Token, nil); code != http.StatusOK {
		t.Errorf("supervisor of the team = %d, want 200", code)
	}
	audit, _ := e.srv.store.Audit(context.Background(), conv.ID)
	if len(audit) == 0 || audit[len(audit)-1].Action != "read_file" {
		t.Errorf("audit after a supervisor's download = %+v, want read_file last", audit)
	}
	// An agent of another team (bob: aftersales) reads nothing either.
	if code, _, _ := e.get("/api/v1/files/"+id, e.login("bob").Token, nil); code != http.StatusNotFound {
		t.Errorf("agent of another team = %d, want 404", code)
	}
	// And the other customer cannot attach it in their own conversation.
	oc.wantError(oc.request(protocol.TypeSend, protocol.SendData{ConversationID: conv.ID, ClientMsgID: uuid.NewString(),
		Kind: protocol.KindImage, AttachmentID: id}), protocol.ErrNotFound.Code)

	// Content-addressed: the same bytes again are stored once.
	if _, perr := e.tus(custToken).upload(conv.ID, "again.png", "image/png", img); perr != nil {
		t.Fatal(perr)
	}
	blobs := storedFiles(t, e)
	if len(blobs) != 2 { // the image and its thumbnail
		t.Errorf("blobs on disk = %v, want the image and its thumbnail once", blobs)
	}
	f, err := e.srv.store.File(context.Background(), id)
	if err != nil || f.State != store.FileReady || len(f.SHA256) != 64 {
		t.Errorf("stored file = %+v, %v", f, err)
	}
	if n := countFiles(t, e); n != 2 {
		t.Errorf("files table has %d rows, want 2 (one per upload)", n)
	}
}

func TestCardSend(t *testing.T) {
	e := pickEnv(t, nil)
	cust, alice, _, _, conv := chatting(t, e)
	send := func(c *client, card *protocol.Card, text string) protocol.Frame {
		return c.request(protocol.TypeSend, protocol.SendData{ConversationID: conv.ID, ClientMsgID: uuid.NewString(),
			Kind: protocol.KindCard, Card: card, Text: text})
	}
	product := &protocol.Card{Type: protocol.CardProduct, Version: 1,
		Data: json.RawMessage(`{"sku":"K-1","title":"Kettle","price":"129.00","currency":"CNY","url":"https://shop.example/k-1"}`)}
	var ack protocol.AckData
	alice.decode(send(alice, product, ""), protocol.TypeAck, &ack)
	m := cust.waitMessage("product card", func(m protocol.Message) bool { return m.Seq == ack.Seq })
	if m.Kind != protocol.KindCard || m.Card == nil || m.Card.Type != protocol.CardProduct || m.Card.Fallback != "Kettle — 129.00 CNY https://shop.example/k-1" {
		t.Fatalf("customer got %+v (card %+v), want the product card with its fallback", m, m.Card)
	}
	var data protocol.ProductCardV1
	if err := json.Unmarshal(m.Card.Data, &data); err != nil || data.SKU != "K-1" || data.Price != "129.00" {
		t.Errorf("card data = %s, %v", m.Card.Data, err)
	}

	bad := []struct {
		name string
		c    *client
		card *protocol.Card
		text string
		want string
	}{
		{"unknown type", alice, &protocol.Card{Type: "poll", Version: 1, Data: json.RawMessage(`{}`)}, "", protocol.ErrInvalidCard.Code},
		{"unknown version", alice, &protocol.Card{Type: protocol.CardProduct, Version: 9, Data: product.Data}, "", protocol.ErrInvalidCard.Code},
		{"bad status", alice, &protocol.Card{Type: protocol.CardOrderStatus, Version: 1, Data: json.RawMessage(`{"order_no":"1","status":"teleported"}`)}, "", protocol.ErrInvalidCard.Code},
		{"javascript url", alice, &protocol.Card{Type: protocol.CardProduct, Version: 1, Data: json.RawMessage(`{"sku":"1","title":"x","price":"1","currency":"CNY","url":"javascript:alert(1)"}`)}, "", protocol.ErrInvalidCard.Code},
		{"rating scale 7", alice, &protocol.Card{Type: protocol.CardRatingForm, Version: 1, Data: json.RawMessage(`{"question":"?","scale":7}`)}, "", protocol.ErrInvalidCard.Code},
		{"no card", alice, nil, "", protocol.ErrInvalidCard.Code},
		{"card with text", alice, product, "hi", protocol.ErrInvalid.Code},
		{"customer card", cust, product, "", protocol.ErrForbidden.Code},
	}
	for _, tt := range bad {
		f := send(tt.c, tt.card, tt.text)
		if f.Type != protocol.TypeError || f.Error.Code != tt.want {
			t.Errorf("%s: send = %s %+v, want %s", tt.name, f.Type, f.Error, tt.want)
		}
	}
	// Nothing of the refused cards was stored.
	msgs, _ := e.srv.store.Messages(context.Background(), store.MessageQuery{ConversationID: conv.ID, AfterSeq: ack.Seq})
	if len(msgs) != 0 {
		t.Errorf("%d messages stored after the refused cards, want 0", len(msgs))
	}
}

func TestCardAction(t *testing.T) {
	e := pickEnv(t, nil)
	cust, alice, _, _, conv := chatting(t, e)
	sendCard := func(typ, data string) int64 {
		var ack protocol.AckData
		alice.decode(alice.request(protocol.TypeSend, protocol.SendData{ConversationID: conv.ID, ClientMsgID: uuid.NewString(),
			Kind: protocol.KindCard, Card: &protocol.Card{Type: typ, Version: 1, Data: json.RawMessage(data)}}), protocol.TypeAck, &ack)
		return ack.Seq
	}
	product := sendCard(protocol.CardProduct, `{"sku":"K-1","title":"Kettle","price":"129","currency":"CNY"}`)
	form := sendCard(protocol.CardRatingForm, `{"question":"How did we do?","scale":5,"comment_allowed":true}`)
	order := sendCard(protocol.CardOrderStatus, `{"order_no":"SO-7","status":"shipped"}`)
	text := alice.sendText(conv.ID, "anything else?").Seq

	act := func(c *client, id string, seq int64, action, values string) protocol.Frame {
		d := protocol.CardActionData{ConversationID: conv.ID, ClientMsgID: id, CardSeq: seq, Action: action}
		if values != "" {
			d.Values = json.RawMessage(values)
		}
		return c.request(protocol.TypeCardAction, d)
	}
	id := uuid.NewString()
	var ack protocol.AckData
	cust.decode(act(cust, id, form, protocol.ActionSubmit, `{"score":5,"comment":"快"}`), protocol.TypeAck, &ack)
	m := alice.waitMessage("card action", func(m protocol.Message) bool { return m.Seq == ack.Seq })
	ev := m.Event
	if m.Kind != protocol.KindEvent || ev == nil || ev.Type != protocol.EventCardAction || ev.CardSeq != form ||
		ev.CardType != protocol.CardRatingForm || ev.Action != protocol.ActionSubmit || string(ev.Values) != `{"score":5,"comment":"快"}` ||
		m.Sender.Role != protocol.RoleCustomer {
		t.Fatalf("agent got %+v (event %+v), want the card_action event", m, ev)
	}
	// A resend is answered with the original seq and stores nothing new.
	var dup protocol.AckData
	cust.decode(act(cust, id, form, protocol.ActionSubmit, `{"score":5,"comment":"快"}`), protocol.TypeAck, &dup)
	if !dup.Duplicate || dup.Seq != ack.Seq {
		t.Errorf("resend ack = %+v, want duplicate of seq %d", dup, ack.Seq)
	}
	cust.decode(act(cust, uuid.NewString(), product, protocol.ActionBuy, `{"qty":2}`), protocol.TypeAck, &ack)
	m = alice.waitMessage("buy", func(m protocol.Message) bool { return m.Seq == ack.Seq })
	if m.Event == nil || m.Event.Action != protocol.ActionBuy || string(m.Event.Values) != `{"qty":2}` {
		t.Errorf("buy event = %+v", m.Event)
	}

	bad := []struct {
		name          string
		c             *client
		seq           int64
		action, value string
		want          string
	}{
		{"score 6", cust, form, protocol.ActionSubmit, `{"score":6}`, protocol.ErrInvalidCard.Code},
		{"score missing", cust, form, protocol.ActionSubmit, `{}`, protocol.ErrInvalidCard.Code},
		{"unknown value", cust, form, protocol.ActionSubmit, `{"score":3,"bribe":1}`, protocol.ErrInvalidCard.Code},
		{"undeclared action", cust, product, "refund", ``, protocol.ErrInvalidCard.Code},
		{"submit on product", cust, product, protocol.ActionSubmit, `{"score":3}`, protocol.ErrInvalidCard.Code},
		{"order has no actions", cust, order, protocol.ActionView, ``, protocol.ErrInvalidCard.Code},
		{"not a card", cust, text, protocol.ActionView, ``, protocol.ErrInvalidCard.Code},
		{"no such seq", cust, 9999, protocol.ActionView, ``, protocol.ErrInvalidCard.Code},
		{"agent acts", alice, product, protocol.ActionView, ``, protocol.ErrForbidden.Code},
	}
	last := ack.Seq
	for _, tt := range bad {
		f := act(tt.c, uuid.NewString(), tt.seq, tt.action, tt.value)
		if f.Type != protocol.TypeError || f.Error.Code != tt.want {
			t.Errorf("%s: card_action = %s %+v, want %s", tt.name, f.Type, f.Error, tt.want)
		}
	}
	// Another customer cannot act on this conversation's cards.
	other, _ := e.customer("other")
	other.wantError(act(other, uuid.NewString(), product, protocol.ActionView, ``), protocol.ErrNotFound.Code)
	msgs, _ := e.srv.store.Messages(context.Background(), store.MessageQuery{ConversationID: conv.ID, AfterSeq: last})
	if len(msgs) != 0 {
		t.Errorf("%d messages stored after refused actions, want 0", len(msgs))
	}
}

// TestPhotoToTheBotHandsOver: the bot cannot read a photo; one sent without
// a caption while the bot has the conversation goes to a person, in the
// customer's language, instead of getting "sorry?".
func TestPhotoToTheBotHandsOver(t *testing.T) {
	e := pickEnv(t, nil)
	v := e.visitor()
	cust, _ := e.connect("customer", v.Token)
	var conv protocol.Conversation
	cust.decode(cust.request(protocol.TypeOpen, protocol.OpenData{Locale: "zh-CN"}), protocol.TypeConversation, &conv)
	id, perr := e.tus(v.Token).upload(conv.ID, "broken.png", "image/png", testPNG(t, 40, 30))
	if perr != nil {
		t.Fatalf("upload: %+v", perr)
	}
	var ack protocol.AckData
	cust.decode(cust.request(protocol.TypeSend, protocol.SendData{
		ConversationID: conv.ID, ClientMsgID: uuid.NewString(), Kind: protocol.KindImage, AttachmentID: id,
	}), protocol.TypeAck, &ack)
	q := cust.waitConversation("queued", stateIs(protocol.StateQueued))
	if q.HandoffReason != reasonAttachment {
		t.Fatalf("handoff reason = %q", q.HandoffReason)
	}
	bye := cust.waitMessage("goodbye", func(m protocol.Message) bool { return m.Sender.Role == protocol.RoleBot })
	if bye.Text != handoffTextZH {
		t.Fatalf("bot said %q, want the Chinese handoff line", bye.Text)
	}
}

// oggOpus is the start of an Ogg Opus recording: enough for the sniffer.
func oggOpus() []byte {
	b := append([]byte("OggS"), make([]byte, 24)...)
	b = append(b, "OpusHead"...)
	return append(b, make([]byte, 64)...)
}

func TestVoiceDuration(t *testing.T) {
	e := pickEnv(t, nil)
	cust, _, custToken, _, conv := chatting(t, e)
	tc := e.tus(custToken)
	data := oggOpus()

	// A recording states its length; the message carries it.
	url, perr, _ := tc.createMeta(conv.ID, "voice.ogg", "audio/ogg", len(data), map[string]string{"duration_ms": "4250"})
	if perr != nil {
		t.Fatal(perr)
	}
	if _, perr := tc.patch(url, 0, data); perr != nil {
		t.Fatal(perr)
	}
	id := url[strings.LastIndex(url, "/")+1:]
	var ack protocol.AckData
	cust.decode(cust.request(protocol.TypeSend, protocol.SendData{ConversationID: conv.ID, ClientMsgID: uuid.NewString(),
		Kind: protocol.KindVoice, AttachmentID: id}), protocol.TypeAck, &ack)
	m := cust.waitMessage("voice", func(m protocol.Message) bool { return m.Seq == ack.Seq })
	if m.Attachment == nil || m.Attachment.DurationMS != 4250 || m.Attachment.MIME != "audio/ogg" {
		t.Fatalf("voice attachment = %+v", m.Attachment)
	}

	// Nonsense lengths are refused with a coded error and store nothing.
	before := countFiles(t, e)
	for _, d := range []string{"-1", "0", "abc", "3600001", "1e3"} {
		if _, perr, _ := tc.createMeta(conv.ID, "voice.ogg", "audio/ogg", len(data), map[string]string{"duration_ms": d}); perr == nil || perr.Code != protocol.ErrInvalid.Code {
			t.Errorf("duration_ms %q: %v, want invalid_request", d, perr)
		}
	}
	if n := countFiles(t, e); n != before {
		t.Errorf("refused uploads stored %d files", n-before)
	}
	// Only audio carries a length: on other files it is ignored.
	pdfID, perr := func() (string, *protocol.Error) {
		pdf := []byte("%PDF-1.4\nhello")
		url, perr, _ := tc.createMeta(conv.ID, "a.pdf", "application/pdf", len(pdf), map[string]string{"duration_ms": "abc"})
		if perr != nil {
			return "", perr
		}
		_, perr = tc.patch(url, 0, pdf)
		return url[strings.LastIndex(url, "/")+1:], perr
	}()
	if perr != nil || pdfID == "" {
		t.Fatalf("pdf with a duration: %v", perr)
	}
}
