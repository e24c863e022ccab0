package server

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/tus/tusd/v2/pkg/filestore"
	tus "github.com/tus/tusd/v2/pkg/handler"
	"github.com/tus/tusd/v2/pkg/memorylocker"
	xslog "golang.org/x/exp/slog"

	"switchboard/backend/auth"
	"switchboard/backend/conversation"
	"switchboard/backend/files"
	"switchboard/backend/quota"
	"switchboard/backend/store"
	"switchboard/protocol"
)

// Files. Uploads speak tus (resumable: a cut upload continues from its
// offset) at /api/v1/uploads/, through tusd. Unfinished uploads live where
// the blob engine keeps them when it keeps them at all (files.UploadKeeper:
// object storage, which every node shares, so that any node continues any
// upload), else in tusd's file store under DataDir/uploads, on the node
// that received them. Every request carries a Bearer token; creating an upload
// is allowed to whoever may write in the conversation named in its
// metadata, and every later request on it to its uploader only. When the
// last byte arrives the content is sniffed and checked against the declared
// type and the allow-list, hashed, moved into the content-addressed store
// (Config.Files: DataDir/files, or a bucket the nodes share) with a thumbnail for images, and recorded; a refused
// upload's data is deleted at once. The file's id is the upload's id (the
// last part of its URL): send names it as attachment_id.

const (
	uploadsPath = "/api/v1/uploads/"
	filesPath   = "/api/v1/files/"
)

// Upload-Metadata keys. The client sets the first three, and duration_ms
// for a recording; the server replaces the metadata at creation, adding who
// uploaded it.
const (
	metaConversation = "conversation_id"
	metaFilename     = "filename"
	metaFiletype     = "filetype"
	metaDuration     = "duration_ms"
	metaUploaderID   = "uploader_id"
	metaUploaderRole = "uploader_role"
	metaUploaderAddr = "uploader_addr"
)

// thumbWait is how long a finished image waits for a decode slot before it
// is stored without a thumbnail.
const thumbWait = 10 * time.Second

// openFilesTimeout bounds opening the blob store, which for object storage
// checks that the bucket answers.
const openFilesTimeout = 30 * time.Second

// maxVoiceDuration bounds the duration_ms an audio upload may declare.
const maxVoiceDuration = time.Hour

// uploaderKey carries the authenticated uploader from the auth wrapper to
// the tusd hooks (tusd hook contexts keep the request's values).
type uploaderKey struct{}

// caller is a user authenticated by a Bearer token.
type caller struct {
	user  protocol.User
	teams map[string]bool
	addr  string // the client's address
}

// setupFiles opens the blob store and builds the tus handler.
func (s *Server) setupFiles(ctx context.Context) error {
	octx, cancel := context.WithTimeout(ctx, openFilesTimeout)
	defer cancel()
	blobs, err := files.Open(octx, s.cfg.Files, files.OpenOptions{Keys: s.keys, Dir: filepath.Join(s.cfg.DataDir, "files")})
	if err != nil {
		return fmt.Errorf("open files: %w", err)
	}
	s.blobs = blobs
	s.uploadDir = filepath.Join(s.cfg.DataDir, "uploads")
	s.policy = files.Policy{MaxBytes: s.cfg.MaxUploadBytes, Types: s.cfg.UploadTypes}
	s.thumbs = files.NewThumbnailer(s.cfg.ImageMemory, 0)
	s.quota = quota.NewTracker(s.cfg.Now)
	composer := tus.NewStoreComposer()
	if k, ok := blobs.(files.UploadKeeper); ok {
		up := k.Uploads(s.uploadDir)
		s.sharedUploads, s.tusStore = up, up
		up.UseIn(composer)
	} else {
		fs := filestore.New(s.uploadDir)
		// Unfinished uploads are plaintext (tusd appends to them): owner-only.
		fs.DirModePerm, fs.FileModePerm = 0o700, 0o600
		s.tusStore = fs
		fs.UseIn(composer)
	}
	// The memory locker serialises an upload's requests within a node
	// (and stops an old request when a new one comes); the shared store
	// needs no lock across nodes (see package files/s3blobs).
	s.tusLocker = memorylocker.New()
	s.tusLocker.UseIn(composer)
	// Any origin, as for the widget's other endpoints: the Bearer token,
	// never a cookie, authenticates.
	cors := tus.DefaultCorsConfig
	cors.ExposeHeaders += ", Upload-File-Id"
	h, err := tus.NewHandler(tus.Config{
		Cors:          &cors,
		StoreComposer: composer,
		BasePath:      uploadsPath,
		// The limit is checked by preCreate, which answers with our coded
		// error rather than tusd's.
		MaxSize:                    0,
		DisableDownload:            true,
		DisableConcatenation:       true,
		PreUploadCreateCallback:    s.preCreateUpload,
		PreFinishResponseCallback:  s.finishUpload,
		PreUploadTerminateCallback: s.cancelUpload,
		Logger:                     xslog.New(xslog.NewTextHandler(tusLog{s.log}, &xslog.HandlerOptions{Level: xslog.LevelWarn})),
	})
	if err != nil {
		return fmt.Errorf("uploads: %w", err)
	}
	s.tus = http.StripPrefix(uploadsPath, h)
	return nil
}

// tusLog passes tusd's warnings and errors (it logs every request at info
// level, which is left out) into the server's log; tusd has a logger type
// of its own.
type tusLog struct{ log *slog.Logger }

func (t tusLog) Write(b []byte) (int, error) {
	t.log.Warn("uploads", "tusd", strings.TrimSpace(string(b)))
	return len(b), nil
}

// bearer authenticates a request by its Authorization: Bearer token.
func (s *Server) bearer(r *http.Request) (caller, *protocol.Error) {
	h := r.Header.Get("Authorization")
	token, ok := strings.CutPrefix(h, "Bearer ")
	if !ok || token == "" {
		return caller{}, protocol.ErrUnauthorized.WithMessage("an Authorization: Bearer token is required")
	}
	claims, err := s.signer.Verify(token)
	switch {
	case errors.Is(err, auth.ErrTokenExpired):
		return caller{}, expiredError(claims)
	case err != nil:
		return caller{}, protocol.ErrUnauthorized
	}
	var u protocol.User
	switch {
	case claims.Role == protocol.RoleCustomer:
		c, err := s.store.Customer(r.Context(), claims.Subject)
		if err != nil {
			return caller{}, protocol.ErrUnauthorized
		}
		u = protocol.User{ID: c.ID, Role: protocol.RoleCustomer, Name: customerDisplayName(c.ID, c.Name)}
	case isStaff(claims.Role):
		a, err := s.store.Agent(r.Context(), claims.Subject)
		if err != nil {
			return caller{}, protocol.ErrUnauthorized
		}
		if perr := tokenAccess(a, claims); perr != nil {
			return caller{}, perr
		}
		if perr := s.signInAccess(r.Context(), claims); perr != nil {
			return caller{}, perr
		}
		u = agentUser(a)
	default:
		return caller{}, protocol.ErrUnauthorized
	}
	teams := make(map[string]bool, len(u.Teams))
	for _, t := range u.Teams {
		teams[t] = true
	}
	return caller{user: u, teams: teams}, nil
}

// writable loads a conversation the caller may write in now, by the rules
// of send: a customer their own open (or resolved: writing reopens it)
// conversation; staff the conversations assigned to them while they work
// them. An invisible conversation is not_found.
func (s *Server) writable(ctx context.Context, c caller, id string) (store.Conversation, *protocol.Error) {
	if id == "" {
		return store.Conversation{}, protocol.ErrInvalid.WithMessage("conversation_id is required")
	}
	if len(id) > 64 {
		return store.Conversation{}, protocol.ErrNotFound
	}
	conv, err := s.store.Conversation(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return store.Conversation{}, protocol.ErrNotFound
	}
	if err != nil {
		s.log.Error("load conversation", "conversation_id", id, "err", err)
		return store.Conversation{}, protocol.ErrInternal
	}
	if !canRead(c.user, c.teams, conv) {
		return store.Conversation{}, protocol.ErrNotFound
	}
	if c.user.Role == protocol.RoleCustomer {
		if conv.State == conversation.Closed {
			return store.Conversation{}, protocol.ErrIllegalState.WithMessage("the conversation is closed; open a new one")
		}
		return conv, nil
	}
	working := conv.State == conversation.Active || conv.State == conversation.WaitingCustomer
	if working && conv.AssigneeID != c.user.ID {
		return store.Conversation{}, protocol.ErrForbidden.WithMessage("the conversation is assigned to someone else")
	}
	if !working {
		return store.Conversation{}, protocol.ErrIllegalState.WithMessage("cannot write while the conversation is %s", conv.State)
	}
	return conv, nil
}

// uploadStatus is the HTTP status of a coded upload error.
func uploadStatus(e *protocol.Error) int {
	switch e.Code {
	case protocol.ErrFileTooLarge.Code:
		return http.StatusRequestEntityTooLarge
	case protocol.ErrTypeNotAllowed.Code:
		return http.StatusUnsupportedMediaType
	case protocol.ErrUploadNotFound.Code:
		return http.StatusNotFound
	}
	return httpStatus(e)
}

// uploadOwners are whom an upload by c counts against: a visitor and the
// address they upload from (one machine can mint many visitors), or a
// staff member.
func (s *Server) uploadOwners(userID, role, addr string) []quota.Owner {
	if role == protocol.RoleCustomer {
		owners := []quota.Owner{{Key: "visitor:" + userID, Limits: s.cfg.VisitorQuota}}
		if addr != "" {
			owners = append(owners, quota.Owner{Key: "addr:" + addr, Limits: s.cfg.AddressQuota})
		}
		return owners
	}
	return []quota.Owner{{Key: "staff:" + userID, Limits: s.cfg.AgentQuota}}
}

// quotaError words a refused reservation for the client.
func quotaError(err error) *protocol.Error {
	var ex *quota.ExceededError
	if !errors.As(err, &ex) {
		return protocol.ErrInternal
	}
	whose := "your"
	if strings.HasPrefix(ex.Owner, "addr:") {
		whose = "your network's"
	}
	switch ex.Limit {
	case quota.LimitSessions:
		return protocol.ErrQuotaExceeded.WithMessage(
			"%s unfinished uploads are at the limit of %d; finish or cancel one first", whose, ex.Max)
	case quota.LimitInFlight:
		return protocol.ErrQuotaExceeded.WithMessage(
			"%s unfinished uploads would pass %d bytes together; finish or cancel one first", whose, ex.Max)
	default:
		return protocol.ErrQuotaExceeded.WithMessage(
			"%s uploads today would pass %d bytes; try again tomorrow", whose, ex.Max)
	}
}

// tusError turns a coded error into the error a tusd hook returns: the
// same JSON body as every other endpoint.
func tusError(e *protocol.Error) error {
	body, _ := json.Marshal(map[string]*protocol.Error{"error": e})
	return tus.Error{
		ErrorCode: e.Code,
		Message:   e.Message,
		HTTPResponse: tus.HTTPResponse{
			StatusCode: uploadStatus(e),
			Body:       string(body) + "\n",
			Header:     tus.HTTPHeader{"Content-Type": "application/json; charset=utf-8"},
		},
	}
}

// writeUploadError answers an upload or download request the tus handler
// never saw, readable by the widget on another origin.
func writeUploadError(w http.ResponseWriter, e *protocol.Error) {
	w.Header().Set("Access-Control-Allow-Origin", "*")
	writeJSON(w, uploadStatus(e), map[string]*protocol.Error{"error": e})
}

// handleUploads authenticates every tus request and keeps each upload to
// its uploader, then hands the request to tusd.
func (s *Server) handleUploads(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodOptions {
		s.tus.ServeHTTP(w, r) // CORS preflight: tusd answers it
		return
	}
	method := r.Method
	if o := r.Header.Get("X-HTTP-Method-Override"); method == http.MethodPost && o != "" {
		method = o // tusd honours the override; so must the checks
	}
	c, perr := s.bearer(r)
	if perr != nil {
		writeUploadError(w, perr)
		return
	}
	c.addr = clientIP(r)
	if method != http.MethodPost {
		id := strings.TrimPrefix(r.URL.Path, uploadsPath)
		if !s.ownsUpload(r.Context(), id, c.user.ID) {
			writeUploadError(w, protocol.ErrUploadNotFound)
			return
		}
	}
	s.tus.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), uploaderKey{}, c)))
}

// ownsUpload reports whether upload id exists (unfinished) and was created
// by userID.
func (s *Server) ownsUpload(ctx context.Context, id, userID string) bool {
	if id == "" || len(id) > 64 || strings.ContainsAny(id, `/\.`) {
		return false
	}
	up, err := s.tusStore.GetUpload(ctx, id)
	if err != nil {
		return false
	}
	info, err := up.GetInfo(ctx)
	return err == nil && info.MetaData[metaUploaderID] == userID
}

// preCreateUpload checks a new upload before tusd creates it: the caller
// may write in the conversation, the size is within the limit, the
// declared type is allowed and the name is plain. Nothing is written when
// it refuses.
func (s *Server) preCreateUpload(hook tus.HookEvent) (tus.HTTPResponse, tus.FileInfoChanges, error) {
	var none tus.FileInfoChanges
	c, ok := hook.Context.Value(uploaderKey{}).(caller)
	if !ok {
		return tus.HTTPResponse{}, none, tusError(protocol.ErrUnauthorized)
	}
	info := hook.Upload
	if info.SizeIsDeferred || info.IsPartial || info.IsFinal {
		return tus.HTTPResponse{}, none, tusError(protocol.ErrInvalid.WithMessage("the upload's length must be given (Upload-Length)"))
	}
	if info.Size <= 0 {
		return tus.HTTPResponse{}, none, tusError(protocol.ErrInvalid.WithMessage("the file is empty"))
	}
	if info.Size > s.cfg.MaxUploadBytes {
		return tus.HTTPResponse{}, none, tusError(protocol.ErrFileTooLarge.WithMessage(
			"the file is %d bytes; the limit is %d", info.Size, s.cfg.MaxUploadBytes))
	}
	meta := info.MetaData
	conv, perr := s.writable(hook.Context, c, meta[metaConversation])
	if perr != nil {
		return tus.HTTPResponse{}, none, tusError(perr)
	}
	name, err := files.SanitizeName(meta[metaFilename])
	if err != nil {
		return tus.HTTPResponse{}, none, tusError(protocol.ErrInvalid.WithMessage("filename: %v", err))
	}
	declared := files.BaseType(meta[metaFiletype])
	if !s.policy.Allowed(declared) {
		return tus.HTTPResponse{}, none, tusError(protocol.ErrTypeNotAllowed.WithMessage(
			"files of type %q are not allowed", truncate(meta[metaFiletype], 64)))
	}
	if err := os.MkdirAll(s.uploadDir, 0o700); err != nil {
		s.log.Error("create upload dir", "err", err)
		return tus.HTTPResponse{}, none, tusError(protocol.ErrInternal)
	}
	// A recording's length as the recorder measured it: shown by players
	// before they load the file (a recorded WebM states none itself).
	var duration string
	if d := meta[metaDuration]; d != "" && strings.HasPrefix(declared, "audio/") {
		ms, err := strconv.ParseInt(d, 10, 64)
		if err != nil || ms <= 0 || ms > maxVoiceDuration.Milliseconds() {
			return tus.HTTPResponse{}, none, tusError(protocol.ErrInvalid.WithMessage(
				"duration_ms must be a number of milliseconds between 1 and %d", maxVoiceDuration.Milliseconds()))
		}
		duration = strconv.FormatInt(ms, 10)
	}
	id := strings.ReplaceAll(uuid.NewString(), "-", "")
	// The declared length is reserved in full now: bytes that never come
	// still hold their place until the upload ends or is swept.
	if err := s.quota.Open(id, info.Size, s.uploadOwners(c.user.ID, c.user.Role, c.addr)...); err != nil {
		s.metrics.refused.WithLabelValues(refusedUploadQuota).Inc()
		s.log.Warn("upload refused: quota", "conversation_id", conv.ID, "user_id", c.user.ID, "ip", c.addr,
			"size", info.Size, "err", err)
		return tus.HTTPResponse{}, none, tusError(quotaError(err))
	}
	s.log.Info("upload created", "file_id", id, "conversation_id", conv.ID, "user_id", c.user.ID, "size", info.Size, "type", declared)
	return tus.HTTPResponse{}, tus.FileInfoChanges{ID: id, MetaData: tus.MetaData{
		metaConversation: conv.ID,
		metaFilename:     name,
		metaFiletype:     declared,
		metaUploaderID:   c.user.ID,
		metaUploaderRole: c.user.Role,
		metaDuration:     duration,
		metaUploaderAddr: c.addr,
	}}, nil
}

// cancelUpload frees the quota of an upload its uploader deletes (tus
// DELETE) before tusd removes it.
func (s *Server) cancelUpload(hook tus.HookEvent) (tus.HTTPResponse, error) {
	s.uploadEnded(hook.Upload.ID)
	return tus.HTTPResponse{}, nil
}

// subjectUploadEnded carries the id of an upload that ended (finished,
// refused, deleted or swept) on one node to the others: with shared
// uploads the node that reserved its quota may not be the one that saw
// it end. A lost notice is made good by that node's sweep.
const subjectUploadEnded = "uploads.ended"

// uploadEnded frees the quota upload id holds, here and, when uploads are
// shared, on the other nodes.
func (s *Server) uploadEnded(id string) {
	s.quota.Close(id)
	if s.sharedUploads != nil {
		s.bus.Publish(subjectUploadEnded, []byte(id))
	}
}

// spoolUpload copies the content of shared upload id into a new file in
// the upload directory (its name starts with a dot, as tusd's never do)
// and returns its path: the checks, the thumbnail and the blob store work
// on a file, and the content is never held in memory whole.
func (s *Server) spoolUpload(ctx context.Context, id string) (string, error) {
	up, err := s.sharedUploads.GetUpload(ctx, id)
	if err != nil {
		return "", err
	}
	r, err := up.GetReader(ctx)
	if err != nil {
		return "", err
	}
	defer r.Close()
	if err := os.MkdirAll(s.uploadDir, 0o700); err != nil {
		return "", err
	}
	f, err := os.CreateTemp(s.uploadDir, ".finish-*")
	if err != nil {
		return "", err
	}
	_, err = io.Copy(f, r)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(f.Name())
		return "", err
	}
	return f.Name(), nil
}

// finishUpload checks a complete upload's content and stores it, or
// deletes it and tells the client why.
func (s *Server) finishUpload(hook tus.HookEvent) (tus.HTTPResponse, error) {
	info := hook.Upload
	meta := info.MetaData
	// Stored or refused, the upload is no longer in flight.
	defer s.uploadEnded(info.ID)
	log := s.log.With("file_id", info.ID, "conversation_id", meta[metaConversation], "user_id", meta[metaUploaderID])
	// bin is the upload's content in a local file; discard deletes it and
	// the upload, done removes what is left of the upload once the
	// content is stored.
	var (
		bin           string
		discard, done func()
	)
	if s.sharedUploads == nil {
		infoPath := info.Storage[filestore.StorageKeyInfoPath]
		bin = info.Storage[filestore.StorageKeyPath]
		discard = func() {
			os.Remove(bin)
			os.Remove(infoPath)
		}
		done = func() { os.Remove(infoPath) }
	} else {
		// The request may be cut while the content is checked and
		// stored; the upload is removed all the same.
		ctx := context.WithoutCancel(hook.Context)
		done = func() {
			if err := s.sharedUploads.Remove(ctx, info.ID); err != nil {
				log.Warn("remove finished upload", "err", err)
			}
		}
		var err error
		if bin, err = s.spoolUpload(hook.Context, info.ID); err != nil {
			// tusd finishes an upload once: one that cannot be read now
			// would stay complete and never stored. The client starts over.
			done()
			log.Error("read upload", "err", err)
			return tus.HTTPResponse{}, tusError(protocol.ErrInternal)
		}
		discard = func() {
			os.Remove(bin)
			done()
		}
	}
	sniffed, err := s.policy.Check(bin, meta[metaFiletype])
	if err != nil {
		discard()
		if errors.Is(err, files.ErrSpoofed) {
			log.Warn("upload refused", "err", err)
			return tus.HTTPResponse{}, tusError(protocol.ErrTypeNotAllowed.WithMessage(
				"the file's content is not an allowed type or does not match %s", meta[metaFiletype]))
		}
		log.Error("check upload", "err", err)
		return tus.HTTPResponse{}, tusError(protocol.ErrInternal)
	}
	sum, err := files.SumFile(bin)
	if err != nil {
		discard()
		log.Error("hash upload", "err", err)
		return tus.HTTPResponse{}, tusError(protocol.ErrInternal)
	}
	f := store.File{
		ID: info.ID, ConversationID: meta[metaConversation], UploaderID: meta[metaUploaderID],
		UploaderRole: meta[metaUploaderRole], Name: meta[metaFilename], Size: info.Size, MIME: sniffed,
		SHA256: sum, State: store.FileReady,
	}
	if strings.HasPrefix(sniffed, "audio/") {
		f.DurationMS, _ = strconv.ParseInt(meta[metaDuration], 10, 64)
	}
	if strings.HasPrefix(sniffed, "image/") {
		// An image too large to decode within the budget, or one that
		// finds the decoders busy for long, is still a valid file: it is
		// stored and sent without a thumbnail, and clients show it as a
		// file (or load it whole) instead.
		tctx, cancel := context.WithTimeout(hook.Context, thumbWait)
		thumb, w, h, err := s.thumbs.Thumbnail(tctx, bin)
		cancel()
		f.Width, f.Height = w, h
		switch {
		case err == nil:
			if f.ThumbSHA256, err = s.blobs.Put(hook.Context, thumb); err != nil {
				log.Warn("store thumbnail", "err", err)
			}
		case errors.Is(err, files.ErrTooBig), errors.Is(err, files.ErrBusy):
			s.metrics.refused.WithLabelValues(refusedThumbnail).Inc()
			log.Warn("no thumbnail", "width", w, "height", h, "err", err)
		default:
			log.Info("no thumbnail", "err", err)
		}
	}
	if err := s.blobs.Adopt(hook.Context, bin, sum); err != nil {
		discard()
		log.Error("store upload", "err", err)
		return tus.HTTPResponse{}, tusError(protocol.ErrInternal)
	}
	done()
	// The record comes last: a file id that resolves always has its
	// content. A crash between the two leaves an unreferenced blob, never a
	// record without content.
	if err := s.store.CreateFile(hook.Context, f); err != nil {
		log.Error("record upload", "err", err)
		if errors.Is(err, store.ErrNotFound) {
			return tus.HTTPResponse{}, tusError(protocol.ErrNotFound)
		}
		return tus.HTTPResponse{}, tusError(protocol.ErrInternal)
	}
	log.Info("upload stored", "size", f.Size, "type", f.MIME, "sha256", sum)
	return tus.HTTPResponse{Header: tus.HTTPHeader{"Upload-File-Id": f.ID}}, nil
}

// handleFile serves GET /api/v1/files/{id} (thumb false) and
// /api/v1/files/{id}/thumb to those who may read the file's conversation:
// staff by the read rule, a customer when they uploaded the file or a
// public message carries it. Anyone else gets not_found.
func (s *Server) handleFile(thumb bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		hdr := w.Header()
		hdr.Set("Access-Control-Allow-Origin", "*")
		hdr.Set("Access-Control-Expose-Headers", "Content-Disposition, Content-Length, Content-Range, Accept-Ranges, ETag")
		if r.Method == http.MethodOptions {
			hdr.Set("Access-Control-Allow-Methods", "GET, HEAD, OPTIONS")
			hdr.Set("Access-Control-Allow-Headers", "Authorization, Range, If-None-Match, If-Range")
			hdr.Set("Access-Control-Max-Age", "600")
			w.WriteHeader(http.StatusNoContent)
			return
		}
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			writeUploadError(w, protocol.ErrInvalid.WithMessage("use GET"))
			return
		}
		c, perr := s.bearer(r)
		if perr != nil {
			writeUploadError(w, perr)
			return
		}
		notFound := protocol.ErrNotFound.WithMessage("file not found")
		f, conv, ok := s.readableFile(r.Context(), c, r.PathValue("id"))
		if !ok {
			writeUploadError(w, notFound)
			return
		}
		sum, typ, name := f.SHA256, f.MIME, f.Name
		if thumb {
			if f.ThumbSHA256 == "" {
				writeUploadError(w, notFound)
				return
			}
			sum, typ, name = f.ThumbSHA256, "image/jpeg", "thumb-"+strings.TrimSuffix(f.Name, filepath.Ext(f.Name))+".jpg"
		}
		fh, err := s.blobs.Open(r.Context(), sum)
		if err != nil {
			s.log.Error("open file", "file_id", f.ID, "sha256", sum, "err", err)
			writeUploadError(w, protocol.ErrInternal)
			return
		}
		defer fh.Close()
		s.auditFileRead(r.Context(), c, conv, f, thumb)
		disposition := "attachment"
		if strings.HasPrefix(typ, "image/") || strings.HasPrefix(typ, "audio/") {
			disposition = "inline"
		}
		hdr.Set("Content-Type", typ)
		hdr.Set("Content-Disposition", mime.FormatMediaType(disposition, map[string]string{"filename": name}))
		hdr.Set("X-Content-Type-Options", "nosniff")
		// Whatever the content, it never runs as a page of this origin.
		hdr.Set("Content-Security-Policy", "default-src 'none'; sandbox")
		hdr.Set("Cache-Control", "private, max-age=86400")
		hdr.Set("ETag", `"`+sum+`"`)
		http.ServeContent(w, r, "", time.UnixMilli(f.CreatedAt), fh)
	}
}

// readableFile loads file id and its conversation if caller may read it.
// The caller records the read (auditFileRead), as sync does.
func (s *Server) readableFile(ctx context.Context, c caller, id string) (store.File, store.Conversation, bool) {
	var none store.Conversation
	if id == "" || len(id) > 64 {
		return store.File{}, none, false
	}
	f, err := s.store.File(ctx, id)
	if err != nil {
		if !errors.Is(err, store.ErrNotFound) {
			s.log.Error("load file", "file_id", id, "err", err)
		}
		return store.File{}, none, false
	}
	conv, err := s.store.Conversation(ctx, f.ConversationID)
	if err != nil || !canRead(c.user, c.teams, conv) {
		return store.File{}, none, false
	}
	if c.user.Role == protocol.RoleCustomer && f.UploaderID != c.user.ID {
		public, err := s.store.FileIsPublic(ctx, f.ID)
		if err != nil {
			s.log.Error("file is public", "file_id", id, "err", err)
		}
		if !public {
			return store.File{}, none, false
		}
	}
	return f, conv, true
}

// attachment resolves a send's attachment_id: a finished upload of the
// sender in this conversation whose type fits the message kind.
func (p *peer) attachment(ctx context.Context, conv store.Conversation, d protocol.SendData) (*store.Attachment, *protocol.Error) {
	if d.AttachmentID == "" {
		return nil, protocol.ErrInvalid.WithMessage("a %s message needs an attachment_id", d.Kind)
	}
	if len(d.AttachmentID) > 64 {
		return nil, protocol.ErrUploadNotFound
	}
	f, err := p.s.store.File(ctx, d.AttachmentID)
	if errors.Is(err, store.ErrNotFound) {
		return nil, protocol.ErrUploadNotFound
	}
	if err != nil {
		return nil, p.storeError("load file", err)
	}
	if f.ConversationID != conv.ID || f.UploaderID != p.user.ID || f.State != store.FileReady {
		return nil, protocol.ErrUploadNotFound
	}
	switch {
	case d.Kind == protocol.KindImage && !strings.HasPrefix(f.MIME, "image/"):
		return nil, protocol.ErrTypeNotAllowed.WithMessage("an image message needs an image; this file is %s", f.MIME)
	case d.Kind == protocol.KindVoice && !strings.HasPrefix(f.MIME, "audio/"):
		return nil, protocol.ErrTypeNotAllowed.WithMessage("a voice message needs audio; this file is %s", f.MIME)
	}
	return f.Attachment(), nil
}
