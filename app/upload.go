package app

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"

	"switchboard/app/cache"
	"switchboard/protocol"
)

// Upload events.
const (
	// EventUploadProgress carries UploadProgress after every chunk the
	// server confirmed (and once when an upload starts or resumes).
	EventUploadProgress = "upload:progress"
	// EventUploadDone carries UploadDone: the file is on the server and the
	// message carrying it is in the outbox.
	EventUploadDone = "upload:done"
	// EventUploadFailed carries UploadFailed: the upload ended without a
	// message, refused by the server or cancelled (code "cancelled").
	EventUploadFailed = "upload:failed"
)

// UploadProgress is the payload of EventUploadProgress.
type UploadProgress struct {
	UploadID       string `json:"upload_id"`
	ConversationID string `json:"conversation_id"`
	Name           string `json:"name"`
	MIME           string `json:"mime"`
	Sent           int64  `json:"sent"`
	Size           int64  `json:"size"`
}

// UploadDone is the payload of EventUploadDone.
type UploadDone struct {
	UploadID       string           `json:"upload_id"`
	ConversationID string           `json:"conversation_id"`
	Message        protocol.Message `json:"message"` // pending, as Send returns it
}

// UploadFailed is the payload of EventUploadFailed.
type UploadFailed struct {
	UploadID       string `json:"upload_id"`
	ConversationID string `json:"conversation_id"`
	Name           string `json:"name"`
	Code           string `json:"code"`
	Message        string `json:"message"`
}

// codeCancelled is UploadFailed.Code of an upload the agent cancelled.
const codeCancelled = "cancelled"

// Upload tuning; Config's zero values mean these.
const (
	defaultUploadChunk = 1 << 20
	defaultUploadRetry = 2 * time.Second
	maxPasteBytes      = 20 << 20 // a pasted file travels as base64 over the bridge
)

// uploader runs a session's uploads: one goroutine per file, each owned by
// the session's wait group and stopped by its context or by cancel.
type uploader struct {
	s     *session
	http  *http.Client
	chunk int64
	retry time.Duration

	// mu guards running: the cancel function of every upload in progress.
	mu      sync.Mutex
	running map[string]context.CancelFunc
}

func newUploader(s *session) *uploader {
	u := &uploader{
		s:       s,
		http:    s.svc.cfg.TransferClient,
		chunk:   s.svc.cfg.UploadChunk,
		retry:   s.svc.cfg.UploadRetry,
		running: map[string]context.CancelFunc{},
	}
	if u.http == nil {
		u.http = &http.Client{Transport: &http.Transport{
			Proxy:                 http.ProxyFromEnvironment,
			ResponseHeaderTimeout: 60 * time.Second,
		}}
	}
	if u.chunk <= 0 {
		u.chunk = defaultUploadChunk
	}
	if u.retry <= 0 {
		u.retry = defaultUploadRetry
	}
	return u
}

// kindFor is the message kind a file of media type m is sent as.
func kindFor(m string) string {
	switch {
	case strings.HasPrefix(m, "image/"):
		return protocol.KindImage
	case strings.HasPrefix(m, "audio/"):
		return protocol.KindVoice
	default:
		return protocol.KindFile
	}
}

// thumbnailed reports whether the server makes a thumbnail of an image of
// type m (it decodes these four), so the agent's own image shows as a
// thumbnail like everyone else's rather than by loading the whole file. An
// image that does not decode fails on the server's sniffing anyway.
func thumbnailed(m string) bool {
	switch m {
	case "image/png", "image/jpeg", "image/gif", "image/webp":
		return true
	}
	return false
}

// typeOf guesses a file's media type from its name; the server sniffs the
// content and refuses a mismatch.
func typeOf(name string) string {
	t := mime.TypeByExtension(strings.ToLower(filepath.Ext(name)))
	if t == "" {
		return "application/octet-stream"
	}
	if m, _, err := mime.ParseMediaType(t); err == nil {
		return m
	}
	return t
}

// add records an upload of the file at p and starts it.
func (u *uploader) add(ctx context.Context, conversationID, p, name, mimeType string, temp bool) (UploadProgress, error) {
	if conversationID == "" {
		return UploadProgress{}, protocol.ErrInvalid.WithMessage("conversation id is empty")
	}
	fi, err := os.Stat(p)
	if err != nil {
		return UploadProgress{}, protocol.ErrInvalid.WithMessage("cannot read %s: %v", filepath.Base(p), err)
	}
	if !fi.Mode().IsRegular() {
		return UploadProgress{}, protocol.ErrInvalid.WithMessage("%s is not a file", filepath.Base(p))
	}
	if name == "" {
		name = filepath.Base(p)
	}
	if mimeType == "" {
		mimeType = typeOf(name)
	}
	id, err := uuid.NewV7()
	if err != nil {
		return UploadProgress{}, fmt.Errorf("new upload id: %w", err)
	}
	up := cache.Upload{
		ID: id.String(), ConversationID: conversationID, Path: p, Name: name, MIME: mimeType,
		Size: fi.Size(), Temp: temp, CreatedAt: time.Now().UnixMilli(),
	}
	if err := u.s.cache.PutUpload(ctx, up); err != nil {
		return UploadProgress{}, err
	}
	u.start(up)
	return progressOf(up), nil
}

func progressOf(up cache.Upload) UploadProgress {
	return UploadProgress{
		UploadID: up.ID, ConversationID: up.ConversationID, Name: up.Name, MIME: up.MIME,
		Sent: up.Offset, Size: up.Size,
	}
}

// resumeAll starts the uploads a previous run left unfinished.
func (u *uploader) resumeAll(ctx context.Context) {
	ups, err := u.s.cache.Uploads(ctx)
	if err != nil {
		u.s.log.Warn("cache read failed", "err", err)
		return
	}
	for _, up := range ups {
		u.s.log.Info("resuming upload", "upload_id", up.ID, "conversation_id", up.ConversationID, "offset", up.Offset)
		u.start(up)
	}
}

// list returns the unfinished uploads, for a UI that (re)starts.
func (u *uploader) list(ctx context.Context) ([]UploadProgress, error) {
	ups, err := u.s.cache.Uploads(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]UploadProgress, 0, len(ups))
	for _, up := range ups {
		out = append(out, progressOf(up))
	}
	return out, nil
}

func (u *uploader) start(up cache.Upload) {
	u.mu.Lock()
	defer u.mu.Unlock()
	if _, ok := u.running[up.ID]; ok || u.s.ctx == nil || u.s.ctx.Err() != nil {
		return
	}
	ctx, cancel := context.WithCancel(u.s.ctx)
	u.running[up.ID] = cancel
	u.s.wg.Go(func() {
		defer func() {
			u.mu.Lock()
			delete(u.running, up.ID)
			u.mu.Unlock()
			cancel()
		}()
		u.run(ctx, up)
	})
}

// cancel stops an upload and forgets it; the server's copy is deleted.
func (u *uploader) cancel(ctx context.Context, id string) error {
	u.mu.Lock()
	stop := u.running[id]
	u.mu.Unlock()
	if stop != nil {
		stop()
	}
	ups, err := u.s.cache.Uploads(ctx)
	if err != nil {
		return err
	}
	for _, up := range ups {
		if up.ID != id {
			continue
		}
		u.forget(ctx, up)
		if up.URL != "" {
			req, err := u.request(ctx, http.MethodDelete, up.URL, nil)
			if err == nil {
				if resp, err := u.http.Do(req); err == nil {
					resp.Body.Close()
				}
			}
		}
		u.s.emit(EventUploadFailed, UploadFailed{
			UploadID: id, ConversationID: up.ConversationID, Name: up.Name,
			Code: codeCancelled, Message: "upload cancelled",
		})
		return nil
	}
	return protocol.ErrNotFound.WithMessage("no upload %s", id)
}

// forget drops an upload's record and, for the app's own copy, its file.
func (u *uploader) forget(ctx context.Context, up cache.Upload) {
	if err := u.s.cache.RemoveUpload(context.WithoutCancel(ctx), up.ID); err != nil {
		u.s.log.Warn("cache write failed", "err", err)
	}
	if up.Temp {
		os.Remove(up.Path)
	}
}

// run uploads until the file is on the server, the server refuses it for
// good, or ctx ends (cancel or sign-out; the record stays for next time).
func (u *uploader) run(ctx context.Context, up cache.Upload) {
	log := u.s.log.With("upload_id", up.ID, "conversation_id", up.ConversationID)
	u.s.emit(EventUploadProgress, progressOf(up))
	for {
		fileID, err := u.attempt(ctx, &up)
		if ctx.Err() != nil {
			return
		}
		if err == nil {
			u.finish(ctx, up, fileID)
			return
		}
		if pe, ok := errors.AsType[*protocol.Error](err); ok && pe.Code == protocol.ErrUnauthorized.Code {
			// The token expired: keep the upload for the next sign-in.
			log.Info("upload paused: the token was refused", "offset", up.Offset)
			return
		}
		if pe, ok := errors.AsType[*protocol.Error](err); ok && !pe.Retryable {
			log.Info("upload refused", "code", pe.Code, "err", err)
			u.forget(ctx, up)
			u.s.emit(EventUploadFailed, UploadFailed{
				UploadID: up.ID, ConversationID: up.ConversationID, Name: up.Name, Code: pe.Code, Message: pe.Message,
			})
			return
		}
		log.Info("upload interrupted; will resume", "offset", up.Offset, "err", err)
		select {
		case <-ctx.Done():
			return
		case <-time.After(u.retry):
		}
	}
}

// finish turns a finished upload into a pending message.
func (u *uploader) finish(ctx context.Context, up cache.Upload, fileID string) {
	cmid, err := uuid.NewV7()
	if err != nil {
		u.s.log.Error("new client_msg_id", "err", err)
		return
	}
	it := cache.OutboxItem{
		ClientMsgID:    cmid.String(),
		ConversationID: up.ConversationID,
		CreatedAt:      time.Now().UnixMilli(),
		Kind:           kindFor(up.MIME),
		Attachment: &protocol.Attachment{ID: fileID, Name: up.Name, Size: up.Size, MIME: up.MIME,
			HasThumb: thumbnailed(up.MIME)},
	}
	if err := u.s.cache.FinishUpload(context.WithoutCancel(ctx), up.ID, it); err != nil {
		u.s.log.Warn("cache write failed", "upload_id", up.ID, "err", err)
		return
	}
	if up.Temp {
		os.Remove(up.Path)
	}
	u.s.updatePending()
	u.s.kickOutbox()
	u.s.emit(EventUploadDone, UploadDone{
		UploadID: up.ID, ConversationID: up.ConversationID, Message: pendingMessage(u.s.me(), it),
	})
}

// attempt creates the upload if needed, finds the server's offset and sends
// the rest, chunk by chunk. It returns the file id once the last byte is in.
func (u *uploader) attempt(ctx context.Context, up *cache.Upload) (string, error) {
	if up.URL == "" {
		loc, err := u.create(ctx, *up)
		if err != nil {
			return "", err
		}
		up.URL, up.Offset = loc, 0
		if err := u.s.cache.SetUploadProgress(ctx, up.ID, up.URL, 0); err != nil {
			return "", err
		}
	} else {
		off, err := u.offset(ctx, up.URL)
		if errors.Is(err, errUploadGone) {
			// The server forgot the upload (expired, or restarted without
			// it): start again from nothing.
			up.URL, up.Offset = "", 0
			if err := u.s.cache.SetUploadProgress(ctx, up.ID, "", 0); err != nil {
				return "", err
			}
			return "", err
		}
		if err != nil {
			return "", err
		}
		up.Offset = off
	}
	f, err := os.Open(up.Path)
	if err != nil {
		return "", protocol.ErrInvalid.WithMessage("cannot read %s: %v", up.Name, err)
	}
	defer f.Close()
	for {
		n := min(u.chunk, up.Size-up.Offset)
		buf := make([]byte, n)
		if _, err := f.ReadAt(buf, up.Offset); err != nil && !(errors.Is(err, io.EOF) && n == 0) {
			return "", protocol.ErrInvalid.WithMessage("cannot read %s: %v", up.Name, err)
		}
		off, fileID, err := u.patch(ctx, up.URL, up.Offset, buf)
		if err != nil {
			return "", err
		}
		up.Offset = off
		if err := u.s.cache.SetUploadProgress(ctx, up.ID, up.URL, off); err != nil {
			return "", err
		}
		u.s.emit(EventUploadProgress, progressOf(*up))
		if off >= up.Size {
			if fileID == "" {
				fileID = path.Base(up.URL)
			}
			return fileID, nil
		}
	}
}

// errUploadGone is a HEAD that found no upload at the URL.
var errUploadGone = &protocol.Error{Code: protocol.ErrUploadNotFound.Code, Message: "the upload is gone", Retryable: true}

func (u *uploader) request(ctx context.Context, method, target string, body []byte) (*http.Request, error) {
	var r io.Reader
	if body != nil {
		r = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, target, r)
	if err != nil {
		return nil, protocol.ErrInvalid.WithMessage("bad upload address: %v", err)
	}
	req.Header.Set("Tus-Resumable", "1.0.0")
	req.Header.Set("Authorization", "Bearer "+u.s.accessToken(ctx))
	return req, nil
}

func (u *uploader) create(ctx context.Context, up cache.Upload) (string, error) {
	meta := make([]string, 0, 3)
	for _, kv := range [][2]string{{"conversation_id", up.ConversationID}, {"filename", up.Name}, {"filetype", up.MIME}} {
		meta = append(meta, kv[0]+" "+base64.StdEncoding.EncodeToString([]byte(kv[1])))
	}
	base := strings.TrimRight(u.s.serverURL, "/") + "/api/v1/uploads/"
	req, err := u.request(ctx, http.MethodPost, base, nil)
	if err != nil {
		return "", err
	}
	req.Header.Set("Upload-Length", strconv.FormatInt(up.Size, 10))
	req.Header.Set("Upload-Metadata", strings.Join(meta, ","))
	resp, err := u.http.Do(req)
	if err != nil {
		return "", fmt.Errorf("create upload: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusCreated {
		return "", httpError(resp)
	}
	loc, err := url.Parse(resp.Header.Get("Location"))
	if err != nil || loc.String() == "" {
		return "", fmt.Errorf("create upload: bad location %q", resp.Header.Get("Location"))
	}
	b, _ := url.Parse(base)
	return b.ResolveReference(loc).String(), nil
}

func (u *uploader) offset(ctx context.Context, target string) (int64, error) {
	req, err := u.request(ctx, http.MethodHead, target, nil)
	if err != nil {
		return 0, err
	}
	resp, err := u.http.Do(req)
	if err != nil {
		return 0, fmt.Errorf("upload offset: %w", err)
	}
	resp.Body.Close()
	switch {
	case resp.StatusCode == http.StatusNotFound || resp.StatusCode == http.StatusGone:
		return 0, errUploadGone
	case resp.StatusCode/100 != 2:
		return 0, httpError(resp)
	}
	off, err := strconv.ParseInt(resp.Header.Get("Upload-Offset"), 10, 64)
	if err != nil {
		return 0, fmt.Errorf("upload offset: bad Upload-Offset %q", resp.Header.Get("Upload-Offset"))
	}
	return off, nil
}

// patch sends one chunk at off and returns the new offset and, after the
// last chunk, the file id the server named.
func (u *uploader) patch(ctx context.Context, target string, off int64, chunk []byte) (int64, string, error) {
	req, err := u.request(ctx, http.MethodPatch, target, chunk)
	if err != nil {
		return 0, "", err
	}
	req.Header.Set("Content-Type", "application/offset+octet-stream")
	req.Header.Set("Upload-Offset", strconv.FormatInt(off, 10))
	resp, err := u.http.Do(req)
	if err != nil {
		return 0, "", fmt.Errorf("upload chunk: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode == http.StatusConflict {
		// Offsets disagree (a chunk arrived whose answer was lost): HEAD
		// again and carry on from the server's offset.
		return 0, "", fmt.Errorf("upload chunk: offset %d conflicts", off)
	}
	if resp.StatusCode != http.StatusNoContent && resp.StatusCode != http.StatusOK {
		return 0, "", httpError(resp)
	}
	n, err := strconv.ParseInt(resp.Header.Get("Upload-Offset"), 10, 64)
	if err != nil {
		return 0, "", fmt.Errorf("upload chunk: bad Upload-Offset %q", resp.Header.Get("Upload-Offset"))
	}
	return n, resp.Header.Get("Upload-File-Id"), nil
}

// httpError reads the server's coded error; a 5xx or an uncoded answer is
// retryable, a coded 4xx is not.
func httpError(resp *http.Response) error {
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	var body struct {
		Error *protocol.Error `json:"error"`
	}
	if json.Unmarshal(b, &body) == nil && body.Error != nil && body.Error.Code != "" {
		pe := *body.Error
		if resp.StatusCode >= 500 {
			pe.Retryable = true
		}
		return &pe
	}
	if resp.StatusCode == http.StatusUnauthorized {
		return protocol.ErrUnauthorized.WithMessage("the server refused the token")
	}
	if resp.StatusCode >= 400 && resp.StatusCode < 500 && resp.StatusCode != http.StatusConflict &&
		resp.StatusCode != http.StatusRequestTimeout && resp.StatusCode != http.StatusTooManyRequests {
		return &protocol.Error{Code: protocol.ErrInvalid.Code, Message: fmt.Sprintf("the server answered %s", resp.Status)}
	}
	return fmt.Errorf("the server answered %s: %s", resp.Status, strings.TrimSpace(string(b)))
}

// pasted writes a pasted file to the app's own upload folder, so its upload
// survives a restart like any other.
func pastedFile(dir, name, b64 string) (string, error) {
	if base64.StdEncoding.DecodedLen(len(b64)) > maxPasteBytes {
		return "", protocol.ErrInvalid.WithMessage("a pasted file may be at most %d bytes", maxPasteBytes)
	}
	b, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		return "", protocol.ErrInvalid.WithMessage("pasted data is not base64")
	}
	d := filepath.Join(dir, "pasted")
	if err := os.MkdirAll(d, 0o700); err != nil {
		return "", fmt.Errorf("paste: %w", err)
	}
	f, err := os.CreateTemp(d, "paste-*"+filepath.Ext(filepath.Base(name)))
	if err != nil {
		return "", fmt.Errorf("paste: %w", err)
	}
	if _, err := f.Write(b); err != nil {
		f.Close()
		os.Remove(f.Name())
		return "", fmt.Errorf("paste: %w", err)
	}
	if err := f.Close(); err != nil {
		os.Remove(f.Name())
		return "", fmt.Errorf("paste: %w", err)
	}
	return f.Name(), nil
}
