package files

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"switchboard/backend/seal"
)

// Blobs is the content-addressed blob store: content named by the SHA-256
// (hex) of its plaintext, stored once however often it is put. Every
// engine keeps a blob whole or not at all: a blob that Has reports always
// opens with all of its content.
//
// With a keyring (OpenOptions.Keys) every engine stores each blob sealed
// the same way (SealBlob), still named by its plaintext's sum; blobs stored
// before sealing was turned on read on as they are.
type Blobs interface {
	// Put stores content and returns its SHA-256 (hex).
	Put(ctx context.Context, content []byte) (string, error)
	// Adopt stores the file at src, whose SHA-256 is sum, and removes src
	// (also when the content is stored already).
	Adopt(ctx context.Context, src, sum string) error
	// Open opens the blob with SHA-256 sum for reading its plaintext. The
	// reader seeks, so that a range request reads only what it covers. A
	// missing blob is an error matching fs.ErrNotExist.
	Open(ctx context.Context, sum string) (io.ReadSeekCloser, error)
	// Has reports whether the blob with SHA-256 sum is stored.
	Has(ctx context.Context, sum string) (bool, error)
}

// Resealer is a Blobs that can seal its blobs again with the current data
// key of its keyring.
type Resealer interface {
	// Reseal seals again, with the current DEK, up to batch blobs that are
	// plaintext or sealed with an older DEK, and returns how many it
	// changed: 0 when none is left.
	Reseal(ctx context.Context, batch int) (int, error)
}

// OpenOptions are what every engine is opened with.
type OpenOptions struct {
	// Keys, when set, seals every blob stored; nil stores plaintext.
	Keys *seal.Keyring
	// Dir is the directory of the local engine when the URL names none
	// ("" or "file:").
	Dir string
}

// Opener opens the blob store of one engine. source is the URL after its
// scheme and colon: for "s3://bucket/prefix" it is "//bucket/prefix".
type Opener func(ctx context.Context, source string, opts OpenOptions) (Blobs, error)

// LocalScheme is the URL scheme of the local engine: "file:PATH".
const LocalScheme = "file"

// plannedSchemes are the engines a program may be built without: their
// URLs get a clear answer instead of "unknown scheme".
var plannedSchemes = []string{"s3"}

// ErrNotBuilt means the files URL names an engine this program was built
// without.
var ErrNotBuilt = errors.New("files engine not built")

var (
	openersMu sync.RWMutex
	openers   = map[string]Opener{}
)

// Register makes an engine available to Open under a URL scheme
// (lowercase, without the colon), from the engine package's init, so that a
// program links exactly the engines it imports. It panics when the scheme
// is registered twice.
func Register(scheme string, open Opener) {
	openersMu.Lock()
	defer openersMu.Unlock()
	if open == nil {
		panic("files: Register of a nil opener for " + scheme)
	}
	if _, dup := openers[scheme]; dup || scheme == LocalScheme {
		panic("files: Register called twice for " + scheme)
	}
	openers[scheme] = open
}

// Open opens the blob store a URL names: "" or "file:" is the local engine
// in opts.Dir, "file:PATH" the local engine in PATH, and "scheme:source"
// the engine registered for scheme ("s3://bucket/prefix" with package
// files/s3blobs imported). Errors do not repeat the URL: it may hold a
// secret.
func Open(ctx context.Context, url string, opts OpenOptions) (Blobs, error) {
	if url == "" {
		url = LocalScheme + ":"
	}
	scheme, source, ok := strings.Cut(url, ":")
	if !ok || len(scheme) < 2 || strings.ContainsAny(scheme, `/\`) {
		return nil, errors.New("files: want a URL scheme:source, such as file:/var/lib/switchboard/files or s3://bucket/prefix")
	}
	scheme = strings.ToLower(scheme)
	if scheme == LocalScheme {
		dir := strings.TrimPrefix(source, "//")
		if dir == "" {
			dir = opts.Dir
		}
		if dir == "" {
			return nil, errors.New("files: file: needs a directory")
		}
		return NewLocalBlobs(dir, opts.Keys), nil
	}
	openersMu.RLock()
	open := openers[scheme]
	var known []string
	for k := range openers {
		known = append(known, k)
	}
	openersMu.RUnlock()
	if open == nil {
		if slices.Contains(plannedSchemes, scheme) {
			return nil, fmt.Errorf("files: %s: %w into this program", scheme, ErrNotBuilt)
		}
		known = append(known, LocalScheme)
		slices.Sort(known)
		return nil, fmt.Errorf("files: unknown scheme %q (known: %s)", scheme, strings.Join(known, ", "))
	}
	return open(ctx, source, opts)
}

// BlobKey is where the blob with SHA-256 sum (hex) lives inside a store,
// slash-separated: "ab/cd/abcd…". Every engine uses this layout, so that
// a local directory copied into a bucket (or back) is a working store.
func BlobKey(sum string) (string, error) {
	if len(sum) != 64 {
		return "", fmt.Errorf("blob %q: not a sha256", sum)
	}
	if _, err := hex.DecodeString(sum); err != nil {
		return "", fmt.Errorf("blob %q: not a sha256", sum)
	}
	return sum[:2] + "/" + sum[2:4] + "/" + sum, nil
}

// blobAD names a blob in the additional data of its chunks.
func blobAD(sum string) []byte { return seal.AD("blob", sum) }

// SealBlob writes the content read from in to w sealed with the current
// DEK of keys, bound to the blob's sum: sealed content moved to another
// sum does not open. Every engine stores sealed blobs this way.
func SealBlob(w io.Writer, keys *seal.Keyring, sum string, in io.Reader) error {
	sw, err := keys.NewWriter(w, blobAD(sum))
	if err != nil {
		return err
	}
	if _, err := io.Copy(sw, in); err != nil {
		return err
	}
	return sw.Close()
}

// RawBlob is a stored blob's bytes as an engine reads them back.
type RawBlob interface {
	io.ReadSeekCloser
	io.ReaderAt
}

// OpenBlob returns the plaintext of the stored blob sum whose raw bytes
// (size of them) raw reads: raw itself when the blob is plaintext, the
// unsealed content when it is sealed. Closing the result closes raw; on an
// error raw is closed already.
func OpenBlob(raw RawBlob, size int64, keys *seal.Keyring, sum string) (io.ReadSeekCloser, error) {
	head := make([]byte, seal.FileHeaderLen)
	n, err := raw.ReadAt(head, 0)
	if err != nil && !errors.Is(err, io.EOF) {
		raw.Close()
		return nil, fmt.Errorf("blob %s: %w", sum, err)
	}
	if !seal.IsSealedFile(head[:n]) {
		if _, err := raw.Seek(0, io.SeekStart); err != nil {
			raw.Close()
			return nil, fmt.Errorf("blob %s: %w", sum, err)
		}
		return raw, nil
	}
	if keys == nil {
		raw.Close()
		return nil, fmt.Errorf("blob %s is sealed and the store has no key", sum)
	}
	r, err := keys.NewReader(raw, size, blobAD(sum))
	if err != nil {
		raw.Close()
		return nil, fmt.Errorf("blob %s: %w", sum, err)
	}
	return sealedBlob{r, raw}, nil
}

// sealedBlob reads a sealed blob and closes its raw reader.
type sealedBlob struct {
	*seal.Reader
	raw io.Closer
}

func (s sealedBlob) Close() error { return s.raw.Close() }

// NeedsReseal reports whether a blob whose first raw bytes are head is
// plaintext or sealed with a DEK other than cur.
func NeedsReseal(head []byte, cur uint32) bool {
	id, err := seal.FileKeyID(head)
	return err != nil || id != cur
}

// localPath is the path of key (BlobKey) under dir.
func localPath(dir, key string) string { return filepath.Join(dir, filepath.FromSlash(key)) }
