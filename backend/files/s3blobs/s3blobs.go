// Package s3blobs keeps the blob store (files.Blobs) on S3-compatible
// object storage, which every node of a deployment shares. Importing it
// registers the URL scheme "s3" with files.Open:
//
//	s3://[ACCESS_KEY:SECRET_KEY@]BUCKET[/PREFIX][?endpoint=HOST:PORT&region=REGION&insecure=1]
//
// Without an endpoint the bucket is on AWS S3; insecure=1 speaks plain
// HTTP (a store on the same host or a private network). Credentials not in
// the URL come from AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and, for
// temporary ones, AWS_SESSION_TOKEN.
//
// Objects are named PREFIX/ab/cd/abcd… (files.BlobKey), the layout of the
// local engine, so a local directory copied into the bucket is a working
// store. A sealed blob is stored as the local engine stores it
// (files.SealBlob) and opened through files.OpenBlob, so the two engines
// share one format.
//
// The client is minio-go rather than aws-sdk-go-v2: it speaks to any
// S3-compatible service (path-style requests where virtual hosts are not
// set up), it is one module instead of a dozen, and its objects are
// io.ReadSeekers, which the file download (http.ServeContent, range
// requests) and the sealed-file reader need.
//
// Unfinished uploads live in the bucket too, under PREFIX/uploads/, so
// that a resumable upload started on one node continues and finishes on
// any other: Blobs.Uploads is a tusd data store of immutable chunks, each
// created once with a conditional PUT (uploads.go has the layout and what
// it guarantees without a lock across nodes). It is ours rather than
// tusd's s3store, which was tried: s3store works against gofakes3 through
// aws-sdk-go-v2 (path-style requests, a custom endpoint), but it keeps an
// upload as an S3 multipart upload whose parts and pending ".part" object
// it replaces in place, so its documentation requires a lock across every
// node serving the uploads, which tusd does not ship; it brings a second
// S3 client of a dozen modules besides minio-go; and it renames each
// upload "ID+MULTIPART_ID" (an identifier of the service, long on AWS),
// while a stored file keeps its upload's short id.
package s3blobs

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path"
	"strings"
	"sync"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"

	"switchboard/backend/files"
	"switchboard/backend/seal"
)

// Scheme is the URL scheme of the engine.
const Scheme = "s3"

func init() { files.Register(Scheme, open) }

// Blobs is the blob store in one bucket under a prefix.
type Blobs struct {
	client *minio.Client
	bucket string
	prefix string // "" or ending in "/"
	keys   *seal.Keyring

	// resealMu guards the reseal pass: resealDone is the DEK a completed
	// pass sealed everything with, resealKey the DEK of the pass under
	// way and resealAfter the last object it has looked at, so that each
	// batch lists on from there instead of from the start.
	resealMu    sync.Mutex
	resealDone  uint32
	resealKey   uint32
	resealAfter string
}

var (
	_ files.Blobs    = (*Blobs)(nil)
	_ files.Resealer = (*Blobs)(nil)
)

// New returns the blob store in bucket under prefix ("" for the whole
// bucket), reached through client, sealing with keys when not nil.
func New(client *minio.Client, bucket, prefix string, keys *seal.Keyring) *Blobs {
	prefix = strings.Trim(prefix, "/")
	if prefix != "" {
		prefix += "/"
	}
	return &Blobs{client: client, bucket: bucket, prefix: prefix, keys: keys}
}

// Location is where a URL puts the blobs, and how to reach it.
type Location struct {
	Bucket   string
	Prefix   string
	Endpoint string // host[:port]
	Region   string // "" lets the client ask the service
	Insecure bool   // plain HTTP
	// AccessKey and SecretKey are the credentials in the URL; "" when
	// they come from the environment.
	AccessKey, SecretKey string
}

// ParseURL reads an s3:// URL. Its errors do not repeat the URL, which
// may hold a secret key.
func ParseURL(raw string) (Location, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return Location{}, errors.New("s3 files URL does not parse")
	}
	if !strings.EqualFold(u.Scheme, Scheme) || u.Host == "" || u.Opaque != "" {
		return Location{}, errors.New("s3 files URL: want s3://BUCKET/PREFIX")
	}
	loc := Location{Bucket: u.Host, Prefix: strings.Trim(u.Path, "/"), Endpoint: "s3.amazonaws.com"}
	if u.User != nil {
		loc.AccessKey = u.User.Username()
		loc.SecretKey, _ = u.User.Password()
		if loc.AccessKey == "" || loc.SecretKey == "" {
			return Location{}, errors.New("s3 files URL: credentials in the URL need both ACCESS_KEY:SECRET_KEY")
		}
	}
	for k, v := range u.Query() {
		val := v[len(v)-1]
		switch k {
		case "endpoint":
			if val == "" || strings.ContainsAny(val, "/@") {
				return Location{}, fmt.Errorf("s3 files URL: endpoint %q: want HOST or HOST:PORT", val)
			}
			loc.Endpoint = val
		case "region":
			loc.Region = val
		case "insecure":
			switch val {
			case "1", "true":
				loc.Insecure = true
			case "0", "false", "":
			default:
				return Location{}, fmt.Errorf("s3 files URL: insecure=%q: want 1 or 0", val)
			}
		default:
			return Location{}, fmt.Errorf("s3 files URL: unknown parameter %q (known: endpoint, region, insecure)", k)
		}
	}
	return loc, nil
}

// Client returns a client for loc, with the credentials of the URL or
// else of the environment.
func (loc Location) Client() (*minio.Client, error) {
	creds := credentials.NewStaticV4(loc.AccessKey, loc.SecretKey, "")
	if loc.AccessKey == "" {
		creds = credentials.NewEnvAWS()
		if v, err := creds.Get(); err != nil || v.AccessKeyID == "" || v.SecretAccessKey == "" {
			return nil, errors.New("s3 files: no credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or give ACCESS_KEY:SECRET_KEY in the URL")
		}
	}
	c, err := minio.New(loc.Endpoint, &minio.Options{Creds: creds, Secure: !loc.Insecure, Region: loc.Region})
	if err != nil {
		return nil, fmt.Errorf("s3 files: endpoint %s: %w", loc.Endpoint, err)
	}
	return c, nil
}

// open is the files.Opener of "s3:": it checks that the bucket answers,
// so that a server with a wrong URL or credentials does not start.
func open(ctx context.Context, source string, opts files.OpenOptions) (files.Blobs, error) {
	loc, err := ParseURL(Scheme + ":" + source)
	if err != nil {
		return nil, err
	}
	c, err := loc.Client()
	if err != nil {
		return nil, err
	}
	ok, err := c.BucketExists(ctx, loc.Bucket)
	if err != nil {
		return nil, fmt.Errorf("s3 files: bucket %s at %s: %w", loc.Bucket, loc.Endpoint, err)
	}
	if !ok {
		return nil, fmt.Errorf("s3 files: bucket %s at %s does not exist", loc.Bucket, loc.Endpoint)
	}
	return New(c, loc.Bucket, loc.Prefix, opts.Keys), nil
}

// objectKey is the object of the blob with SHA-256 sum.
func (b *Blobs) objectKey(sum string) (string, error) {
	k, err := files.BlobKey(sum)
	if err != nil {
		return "", err
	}
	return b.prefix + k, nil
}

// notFound reports whether err says the object does not exist.
func notFound(err error) bool {
	code := minio.ToErrorResponse(err).Code
	return code == minio.NoSuchKey || code == "NotFound"
}

// Has reports whether the blob with SHA-256 sum is stored.
func (b *Blobs) Has(ctx context.Context, sum string) (bool, error) {
	key, err := b.objectKey(sum)
	if err != nil {
		return false, err
	}
	_, err = b.client.StatObject(ctx, b.bucket, key, minio.StatObjectOptions{})
	switch {
	case err == nil:
		return true, nil
	case notFound(err):
		return false, nil
	}
	return false, fmt.Errorf("blob %s: %w", sum, err)
}

// Open opens the blob with SHA-256 sum for reading its plaintext. Reads
// fetch the object as they go; a seek starts a ranged request.
func (b *Blobs) Open(ctx context.Context, sum string) (io.ReadSeekCloser, error) {
	key, err := b.objectKey(sum)
	if err != nil {
		return nil, err
	}
	obj, err := b.client.GetObject(ctx, b.bucket, key, minio.GetObjectOptions{})
	if err != nil {
		return nil, fmt.Errorf("blob %s: %w", sum, err)
	}
	info, err := obj.Stat()
	if err != nil {
		obj.Close()
		if notFound(err) {
			return nil, fmt.Errorf("blob %s: %w", sum, fs.ErrNotExist)
		}
		return nil, fmt.Errorf("blob %s: %w", sum, err)
	}
	return files.OpenBlob(&object{Object: obj}, info.Size, b.keys, sum)
}

// object is a stored object read in order. The sealed-file reader reads
// it chunk after chunk through ReadAt; minio's own ReadAt starts a request
// for every call, so ReadAt here reads on from where the last read ended
// and seeks (one new request) only when it must. It moves the offset of
// Read, which the callers (files.OpenBlob and the sealed reader) allow.
type object struct {
	*minio.Object
	pos int64 // where the next Read starts
}

func (o *object) Read(p []byte) (int, error) {
	n, err := o.Object.Read(p)
	o.pos += int64(n)
	return n, err
}

func (o *object) Seek(offset int64, whence int) (int64, error) {
	n, err := o.Object.Seek(offset, whence)
	if err == nil {
		o.pos = n
	}
	return n, err
}

func (o *object) ReadAt(p []byte, off int64) (int, error) {
	if off != o.pos {
		if _, err := o.Seek(off, io.SeekStart); err != nil {
			return 0, err
		}
	}
	n, err := io.ReadFull(o, p)
	if errors.Is(err, io.ErrUnexpectedEOF) {
		err = io.EOF
	}
	return n, err
}

// Put stores content and returns its SHA-256 (hex).
func (b *Blobs) Put(ctx context.Context, content []byte) (string, error) {
	s := sha256.Sum256(content)
	sum := hex.EncodeToString(s[:])
	if has, err := b.Has(ctx, sum); err != nil || has {
		return sum, err
	}
	if err := b.put(ctx, sum, bytes.NewReader(content), int64(len(content))); err != nil {
		return "", fmt.Errorf("put blob: %w", err)
	}
	return sum, nil
}

// Adopt uploads the file at src, whose SHA-256 is sum, and removes it.
func (b *Blobs) Adopt(ctx context.Context, src, sum string) error {
	has, err := b.Has(ctx, sum)
	if err != nil {
		return fmt.Errorf("adopt %s: %w", sum, err)
	}
	if has {
		return os.Remove(src)
	}
	f, err := os.Open(src)
	if err != nil {
		return fmt.Errorf("adopt %s: %w", sum, err)
	}
	fi, err := f.Stat()
	if err == nil {
		err = b.put(ctx, sum, f, fi.Size())
	}
	f.Close()
	if err != nil {
		return fmt.Errorf("adopt %s: %w", sum, err)
	}
	return os.Remove(src)
}

// errPutEnded stops a sealer whose upload ended before reading it all.
var errPutEnded = errors.New("upload ended")

// put uploads size bytes of plaintext from in as blob sum, sealed on the
// way when the store has keys. An object appears whole or not at all.
func (b *Blobs) put(ctx context.Context, sum string, in io.Reader, size int64) error {
	key, err := b.objectKey(sum)
	if err != nil {
		return err
	}
	opts := minio.PutObjectOptions{ContentType: "application/octet-stream"}
	if size == 0 {
		// minio-go sends an empty body over plain HTTP as a chunked
		// stream without a length, which S3 refuses (MissingContentLength);
		// without the payload signature it sends Content-Length: 0.
		opts.DisableContentSha256 = true
	}
	if b.keys == nil {
		_, err := b.client.PutObject(ctx, b.bucket, key, in, size, opts)
		return err
	}
	pr, pw := io.Pipe()
	sealed := make(chan error, 1)
	go func() {
		err := files.SealBlob(pw, b.keys, sum, in)
		pw.CloseWithError(err)
		sealed <- err
	}()
	_, err = b.client.PutObject(ctx, b.bucket, key, pr, seal.SealedSize(size), opts)
	pr.CloseWithError(errPutEnded)
	if serr := <-sealed; err == nil && serr != nil {
		err = serr
	}
	return err
}

// Reseal seals again, with the current DEK, up to batch blobs that are
// plaintext or sealed with an older DEK, and returns how many it changed:
// 0 when the pass has looked at every object. A pass lists the bucket
// once, batch after batch; after a complete pass it does not list again
// until the current DEK changes.
func (b *Blobs) Reseal(ctx context.Context, batch int) (int, error) {
	if b.keys == nil {
		return 0, nil
	}
	cur := b.keys.Current()
	b.resealMu.Lock()
	defer b.resealMu.Unlock()
	if b.resealDone == cur {
		return 0, nil
	}
	if b.resealKey != cur {
		b.resealKey, b.resealAfter = cur, ""
	}
	lctx, cancel := context.WithCancel(ctx)
	defer cancel() // stops the listing when the batch is full
	n := 0
	for obj := range b.client.ListObjects(lctx, b.bucket, minio.ListObjectsOptions{
		Prefix: b.prefix, Recursive: true, StartAfter: b.resealAfter,
	}) {
		if obj.Err != nil {
			return n, fmt.Errorf("reseal: list blobs: %w", obj.Err)
		}
		sum := path.Base(obj.Key)
		if want, err := b.objectKey(sum); err != nil || want != obj.Key {
			continue // not a blob
		}
		stale, err := b.stale(ctx, obj, cur)
		if err != nil {
			return n, fmt.Errorf("reseal blob %s: %w", sum, err)
		}
		if stale {
			if err := b.resealOne(ctx, sum); err != nil {
				return n, fmt.Errorf("reseal blob %s: %w", sum, err)
			}
			n++
		}
		b.resealAfter = obj.Key
		if n >= batch {
			return n, nil
		}
	}
	if err := ctx.Err(); err != nil {
		return n, err
	}
	b.resealDone, b.resealAfter = cur, ""
	return n, nil
}

// stale reports whether obj is plaintext or sealed with a DEK other than
// cur, reading only its header.
func (b *Blobs) stale(ctx context.Context, obj minio.ObjectInfo, cur uint32) (bool, error) {
	if obj.Size < int64(seal.FileHeaderLen) {
		return true, nil // too short to be sealed
	}
	var opts minio.GetObjectOptions
	if err := opts.SetRange(0, int64(seal.FileHeaderLen)-1); err != nil {
		return false, err
	}
	r, err := b.client.GetObject(ctx, b.bucket, obj.Key, opts)
	if err != nil {
		return false, err
	}
	defer r.Close()
	head := make([]byte, seal.FileHeaderLen)
	if _, err := io.ReadFull(r, head); err != nil {
		return false, err
	}
	return files.NeedsReseal(head, cur), nil
}

// resealOne replaces blob sum by its content sealed with the current DEK.
// The new object is sealed into a temporary file (never plaintext) and
// checked against its sum before it replaces the old one.
func (b *Blobs) resealOne(ctx context.Context, sum string) error {
	in, err := b.Open(ctx, sum)
	if err != nil {
		return err
	}
	defer in.Close()
	tmp, err := os.CreateTemp("", "switchboard-reseal-*")
	if err != nil {
		return err
	}
	defer func() {
		tmp.Close()
		os.Remove(tmp.Name())
	}()
	h := sha256.New()
	if err := files.SealBlob(tmp, b.keys, sum, io.TeeReader(in, h)); err != nil {
		return err
	}
	if got := hex.EncodeToString(h.Sum(nil)); got != sum {
		return fmt.Errorf("content has sum %s", got)
	}
	size, err := tmp.Seek(0, io.SeekCurrent)
	if err != nil {
		return err
	}
	if _, err := tmp.Seek(0, io.SeekStart); err != nil {
		return err
	}
	key, _ := b.objectKey(sum)
	_, err = b.client.PutObject(ctx, b.bucket, key, tmp, size, minio.PutObjectOptions{ContentType: "application/octet-stream"})
	return err
}
