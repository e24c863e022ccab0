package s3blobs

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/minio/minio-go/v7"
	tus "github.com/tus/tusd/v2/pkg/handler"

	"switchboard/backend/files"
)

// Unfinished uploads in the bucket. Uploads speak tus, and a PATCH may
// reach any node; so that every node finds every upload, the engine is
// also a tusd data store (Uploads) that keeps them in the bucket beside
// the blobs:
//
//	PREFIX/uploads/ID.info                   the upload's tus.FileInfo (JSON), written once
//	PREFIX/uploads/ID/00000000000000000000   a chunk: the bytes from offset 0
//	PREFIX/uploads/ID/00000000000000524288   the next chunk, from offset 524288 …
//
// A chunk is named by the offset of its first byte and is written once,
// whole, with If-None-Match: * (a create that fails when the object
// exists), never changed afterwards. The upload's content is the chain of
// chunks from offset 0, each starting where the one before it ends; its
// offset is where the chain ends. This is what makes two requests for one
// upload on two nodes at once safe without a lock across nodes: both
// compute the same end and try to create the same next chunk; S3 lets one
// create succeed and refuses the other (412), which the losing request
// answers with 409 Conflict (tus clients ask for the offset again and
// resume). So every byte range is written exactly once, the chain never
// forks, and exactly one request writes the last chunk and finishes the
// upload. The guarantee needs a service that honours If-None-Match on
// PUT, as AWS S3 (since August 2024), MinIO and gofakes3 do. On one that
// ignores it the later of two creates replaces the earlier one: since a
// tus client sends the same bytes of its file for the same offsets, the
// content stays whole, but two requests racing to the end could both
// finish the upload (the second then fails recording the file, whose id
// is taken). Within a node tusd's memory locker still serialises
// requests, and stops an old request when its client comes back with a
// new one.
//
// Unfinished uploads are plaintext in the bucket, as they are on a node's
// disk: the content is sealed when it becomes a blob.

// uploadsDir is where unfinished uploads live under the blobs' prefix. A
// blob key starts with two hex digits, so the two never meet; Reseal
// passes over these objects, which are not blobs.
const uploadsDir = "uploads/"

// chunkMax is the largest chunk: a PATCH body is cut into chunks of at
// most this many bytes. Each is spooled to a local file before it is
// sent (S3 wants its length first), so this bounds the spool per request,
// and it is below minio-go's multipart threshold, so that each chunk is
// one conditional PUT.
const chunkMax = 8 << 20

// chunkDigits is the width of a chunk's offset in its name: zero-padded,
// names sort in offset order.
const chunkDigits = 20

// Uploads is the tusd data store of unfinished uploads in the bucket.
type Uploads struct {
	client  *minio.Client
	bucket  string
	prefix  string // the blobs' prefix + uploadsDir
	tempDir string
	// chunkMax is the largest chunk; tests lower it.
	chunkMax int64
}

var (
	_ files.UploadStore  = (*Uploads)(nil)
	_ files.UploadKeeper = (*Blobs)(nil)
)

// Uploads returns the store of unfinished uploads beside the blobs,
// spooling chunks in tempDir ("" for the system's).
func (b *Blobs) Uploads(tempDir string) files.UploadStore {
	return b.uploads(tempDir)
}

func (b *Blobs) uploads(tempDir string) *Uploads {
	return &Uploads{client: b.client, bucket: b.bucket, prefix: b.prefix + uploadsDir, tempDir: tempDir, chunkMax: chunkMax}
}

// UseIn makes the store the composer's core and terminater.
func (s *Uploads) UseIn(composer *tus.StoreComposer) {
	composer.UseCore(s)
	composer.UseTerminater(s)
}

// validID reports whether id can name an upload's objects.
func validID(id string) bool {
	return id != "" && len(id) <= 128 && !strings.ContainsAny(id, `/\`) && !strings.HasPrefix(id, ".")
}

func (s *Uploads) infoKey(id string) string { return s.prefix + id + ".info" }

func (s *Uploads) chunkKey(id string, offset int64) string {
	return fmt.Sprintf("%s%s/%0*d", s.prefix, id, chunkDigits, offset)
}

// NewUpload stores the info of a new upload (with a random ID when
// info.ID is empty).
func (s *Uploads) NewUpload(ctx context.Context, info tus.FileInfo) (tus.Upload, error) {
	if info.ID == "" {
		info.ID = strings.ReplaceAll(uuid.NewString(), "-", "")
	}
	if !validID(info.ID) {
		return nil, fmt.Errorf("new upload %q: not an upload id", info.ID)
	}
	if info.SizeIsDeferred || info.IsPartial || info.IsFinal {
		return nil, fmt.Errorf("new upload %s: uploads of deferred length and concatenation are not supported", info.ID)
	}
	info.Offset, info.Storage = 0, nil
	b, err := json.Marshal(info)
	if err != nil {
		return nil, err
	}
	opts := minio.PutObjectOptions{ContentType: "application/json"}
	opts.SetMatchETagExcept("*")
	if _, err := s.client.PutObject(ctx, s.bucket, s.infoKey(info.ID), strings.NewReader(string(b)), int64(len(b)), opts); err != nil {
		return nil, fmt.Errorf("new upload %s: %w", info.ID, err)
	}
	return &upload{s: s, id: info.ID, info: &info}, nil
}

// GetUpload returns upload id, or tus.ErrNotFound.
func (s *Uploads) GetUpload(ctx context.Context, id string) (tus.Upload, error) {
	if !validID(id) {
		return nil, tus.ErrNotFound
	}
	up := &upload{s: s, id: id}
	if _, err := up.loadInfo(ctx); err != nil {
		return nil, err
	}
	return up, nil
}

// AsTerminatableUpload lets tusd delete an upload (tus DELETE).
func (s *Uploads) AsTerminatableUpload(u tus.Upload) tus.TerminatableUpload { return u.(*upload) }

// chunk is a stored chunk of an upload.
type chunk struct {
	key      string
	offset   int64
	size     int64
	modified time.Time
}

// uploadObjects lists what is stored of the uploads whose objects start
// with prefix after s.prefix ("" for all): their infos' modification
// times and their chunks in offset order, by upload ID.
func (s *Uploads) uploadObjects(ctx context.Context, prefix string) (infos map[string]time.Time, chunks map[string][]chunk, err error) {
	infos, chunks = map[string]time.Time{}, map[string][]chunk{}
	for obj := range s.client.ListObjects(ctx, s.bucket, minio.ListObjectsOptions{Prefix: s.prefix + prefix, Recursive: true}) {
		if obj.Err != nil {
			return nil, nil, fmt.Errorf("list uploads: %w", obj.Err)
		}
		rel := strings.TrimPrefix(obj.Key, s.prefix)
		if id, ok := strings.CutSuffix(rel, ".info"); ok && validID(id) {
			infos[id] = obj.LastModified
			continue
		}
		id, name, ok := strings.Cut(rel, "/")
		off, err := strconv.ParseInt(name, 10, 64)
		if !ok || !validID(id) || len(name) != chunkDigits || err != nil {
			continue // not ours
		}
		chunks[id] = append(chunks[id], chunk{key: obj.Key, offset: off, size: obj.Size, modified: obj.LastModified})
	}
	for _, cs := range chunks {
		slices.SortFunc(cs, func(a, b chunk) int { return cmp.Compare(a.offset, b.offset) })
	}
	return infos, chunks, nil
}

// chain is the chunks that make up an upload's content: from offset 0,
// each where the one before it ends. Conditional creates keep any other
// chunk from existing; one that does anyway is left out.
func chain(cs []chunk) (out []chunk, end int64) {
	for _, c := range cs {
		if c.offset == end && c.size > 0 {
			out = append(out, c)
			end += c.size
		}
	}
	return out, end
}

// List returns the unfinished uploads in the bucket.
func (s *Uploads) List(ctx context.Context) ([]files.Upload, error) {
	infos, chunks, err := s.uploadObjects(ctx, "")
	if err != nil {
		return nil, err
	}
	ids := make([]string, 0, len(infos))
	for id := range infos {
		ids = append(ids, id)
	}
	for id := range chunks {
		if _, ok := infos[id]; !ok {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	out := make([]files.Upload, 0, len(ids))
	for _, id := range ids {
		u, err := s.describe(ctx, id, infos, chunks)
		if err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	return out, nil
}

// Stat returns unfinished upload id as List does.
func (s *Uploads) Stat(ctx context.Context, id string) (files.Upload, error) {
	if !validID(id) {
		return files.Upload{}, fmt.Errorf("upload %q: %w", id, os.ErrNotExist)
	}
	infos, chunks, err := s.uploadObjects(ctx, id)
	if err != nil {
		return files.Upload{}, err
	}
	if _, ok := infos[id]; !ok && len(chunks[id]) == 0 {
		return files.Upload{}, fmt.Errorf("upload %s: %w", id, os.ErrNotExist)
	}
	return s.describe(ctx, id, infos, chunks)
}

// describe is upload id as the listing found it, with its info read.
func (s *Uploads) describe(ctx context.Context, id string, infos map[string]time.Time, chunks map[string][]chunk) (files.Upload, error) {
	u := files.Upload{ID: id, LastWrite: infos[id]}
	for _, c := range chunks[id] {
		if c.modified.After(u.LastWrite) {
			u.LastWrite = c.modified
		}
	}
	if _, ok := infos[id]; !ok {
		return u, nil
	}
	info, err := (&upload{s: s, id: id}).loadInfo(ctx)
	switch {
	case errors.Is(err, tus.ErrNotFound):
		return u, nil // removed meanwhile
	case err != nil:
		return files.Upload{}, err
	}
	u.Size, u.MetaData = info.Size, info.MetaData
	return u, nil
}

// Remove deletes upload id: its info first, so that it is gone for
// every request at once, then its chunks.
func (s *Uploads) Remove(ctx context.Context, id string) error {
	if !validID(id) {
		return fmt.Errorf("remove upload %q: not an upload id", id)
	}
	if err := s.client.RemoveObject(ctx, s.bucket, s.infoKey(id), minio.RemoveObjectOptions{}); err != nil && !notFound(err) {
		return fmt.Errorf("remove upload %s: %w", id, err)
	}
	_, chunks, err := s.uploadObjects(ctx, id+"/")
	if err != nil {
		return fmt.Errorf("remove upload %s: %w", id, err)
	}
	for _, c := range chunks[id] {
		if err := s.client.RemoveObject(ctx, s.bucket, c.key, minio.RemoveObjectOptions{}); err != nil && !notFound(err) {
			return fmt.Errorf("remove upload %s: %w", id, err)
		}
	}
	return nil
}

// upload is one unfinished upload; tusd makes one per request.
type upload struct {
	s    *Uploads
	id   string
	info *tus.FileInfo // as stored; it never changes
}

var (
	_ tus.Upload             = (*upload)(nil)
	_ tus.TerminatableUpload = (*upload)(nil)
)

// loadInfo reads the upload's info once.
func (up *upload) loadInfo(ctx context.Context) (tus.FileInfo, error) {
	if up.info != nil {
		return *up.info, nil
	}
	obj, err := up.s.client.GetObject(ctx, up.s.bucket, up.s.infoKey(up.id), minio.GetObjectOptions{})
	if err != nil {
		return tus.FileInfo{}, fmt.Errorf("upload %s: %w", up.id, err)
	}
	defer obj.Close()
	b, err := io.ReadAll(io.LimitReader(obj, 1<<20))
	if notFound(err) {
		return tus.FileInfo{}, tus.ErrNotFound
	}
	if err != nil {
		return tus.FileInfo{}, fmt.Errorf("upload %s: %w", up.id, err)
	}
	var info tus.FileInfo
	if err := json.Unmarshal(b, &info); err != nil {
		return tus.FileInfo{}, fmt.Errorf("upload %s: info: %w", up.id, err)
	}
	up.info = &info
	return info, nil
}

// chain lists the upload's chunks and returns those of its content.
func (up *upload) chain(ctx context.Context) ([]chunk, int64, error) {
	_, chunks, err := up.s.uploadObjects(ctx, up.id+"/")
	if err != nil {
		return nil, 0, err
	}
	cs, end := chain(chunks[up.id])
	return cs, end, nil
}

// GetInfo returns the upload's info with its offset: where its chain of
// chunks ends.
func (up *upload) GetInfo(ctx context.Context) (tus.FileInfo, error) {
	info, err := up.loadInfo(ctx)
	if err != nil {
		return tus.FileInfo{}, err
	}
	_, end, err := up.chain(ctx)
	if err != nil {
		return tus.FileInfo{}, err
	}
	info.Offset = end
	return info, nil
}

// WriteChunk stores what src gives from offset on, as chunks of at most
// chunkMax bytes. A chunk that another request created first ends the
// write with tus.ErrMismatchOffset (409); what src gave before an error
// is stored, so that the client resumes after it.
func (up *upload) WriteChunk(ctx context.Context, offset int64, src io.Reader) (int64, error) {
	var written int64
	for {
		n, err := up.putChunk(ctx, offset+written, src)
		written += n
		if err != nil || n < up.s.chunkMax {
			return written, err
		}
	}
}

// putChunk spools up to chunkMax bytes of src and creates the chunk at
// offset with them. It returns how many it stored: fewer than chunkMax
// when src ended.
func (up *upload) putChunk(ctx context.Context, offset int64, src io.Reader) (int64, error) {
	dir := up.s.tempDir
	if dir != "" {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return 0, fmt.Errorf("upload %s: %w", up.id, err)
		}
	}
	tmp, err := os.CreateTemp(dir, ".chunk-*")
	if err != nil {
		return 0, fmt.Errorf("upload %s: %w", up.id, err)
	}
	defer func() {
		tmp.Close()
		os.Remove(tmp.Name())
	}()
	n, rerr := io.CopyN(tmp, src, up.s.chunkMax)
	if errors.Is(rerr, io.EOF) {
		rerr = nil
	}
	if n == 0 {
		return 0, rerr
	}
	if _, err := tmp.Seek(0, io.SeekStart); err != nil {
		return 0, fmt.Errorf("upload %s: %w", up.id, err)
	}
	opts := minio.PutObjectOptions{ContentType: "application/octet-stream"}
	opts.SetMatchETagExcept("*")
	if _, err := up.s.client.PutObject(ctx, up.s.bucket, up.s.chunkKey(up.id, offset), tmp, n, opts); err != nil {
		if minio.ToErrorResponse(err).Code == minio.PreconditionFailed {
			return 0, tus.ErrMismatchOffset
		}
		return 0, fmt.Errorf("upload %s: chunk at %d: %w", up.id, offset, err)
	}
	// A request that outlived its upload (finished or deleted meanwhile
	// through another request) must not leave a chunk behind. Remove
	// deletes the info before it lists the chunks: either it listed this
	// one, or the info is gone here.
	if _, err := up.s.client.StatObject(ctx, up.s.bucket, up.s.infoKey(up.id), minio.StatObjectOptions{}); notFound(err) {
		if err := up.s.client.RemoveObject(ctx, up.s.bucket, up.s.chunkKey(up.id, offset), minio.RemoveObjectOptions{}); err != nil {
			return 0, fmt.Errorf("upload %s: remove chunk at %d: %w", up.id, offset, err)
		}
		return 0, tus.ErrNotFound
	}
	return n, rerr
}

// GetReader reads the upload's content so far, chunk after chunk.
func (up *upload) GetReader(ctx context.Context) (io.ReadCloser, error) {
	cs, _, err := up.chain(ctx)
	if err != nil {
		return nil, err
	}
	return &chainReader{ctx: ctx, s: up.s, chunks: cs}, nil
}

// FinishUpload has nothing to do: the chunks are the content.
func (up *upload) FinishUpload(context.Context) error { return nil }

// Terminate deletes the upload.
func (up *upload) Terminate(ctx context.Context) error { return up.s.Remove(ctx, up.id) }

// chainReader reads chunks one after the other, each fetched when the
// one before it is done.
type chainReader struct {
	ctx    context.Context
	s      *Uploads
	chunks []chunk
	cur    *minio.Object
	left   int64 // bytes of cur not read yet
}

func (r *chainReader) Read(p []byte) (int, error) {
	for {
		if r.cur == nil {
			if len(r.chunks) == 0 {
				return 0, io.EOF
			}
			c := r.chunks[0]
			r.chunks = r.chunks[1:]
			obj, err := r.s.client.GetObject(r.ctx, r.s.bucket, c.key, minio.GetObjectOptions{})
			if err != nil {
				return 0, fmt.Errorf("read chunk %s: %w", c.key, err)
			}
			r.cur, r.left = obj, c.size
		}
		n, err := r.cur.Read(p)
		r.left -= int64(n)
		if errors.Is(err, io.EOF) {
			r.cur.Close()
			r.cur = nil
			if r.left != 0 {
				return n, fmt.Errorf("read chunk: %w", io.ErrUnexpectedEOF)
			}
			err = nil
		}
		if n > 0 || err != nil {
			return n, err
		}
	}
}

func (r *chainReader) Close() error {
	if r.cur != nil {
		return r.cur.Close()
	}
	return nil
}
