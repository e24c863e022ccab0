// Package files keeps uploaded files: the rules an upload must pass (size,
// allowed types, a safe name, content that is what it claims to be), the
// content-addressed blob store on local disk, and image thumbnails.
//
// Content is stored once per SHA-256 under Dir/ab/cd/abcd…; records in the
// database (store.File) point at it. Nothing here knows about users or
// conversations: the server decides who may upload and read.
package files

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"mime"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"switchboard/backend/seal"
)

// DefaultTypes is the default allow-list: images, audio, PDF, office
// documents, plain text and zip. SVG is left out on purpose: it can carry
// script.
var DefaultTypes = []string{
	"image/png", "image/jpeg", "image/gif", "image/webp",
	"audio/*",
	"application/pdf",
	"application/msword", "application/vnd.ms-excel", "application/vnd.ms-powerpoint",
	"application/vnd.openxmlformats-officedocument.*",
	"application/vnd.oasis.opendocument.*",
	"text/plain", "text/csv",
	"application/zip",
}

// Policy is what an upload must satisfy.
type Policy struct {
	// MaxBytes is the largest upload.
	MaxBytes int64
	// Types is the allow-list: exact media types ("image/png") or
	// prefixes ending in "*" ("audio/*").
	Types []string
}

// Allowed reports whether media type t (parameters ignored) is on the
// allow-list.
func (p Policy) Allowed(t string) bool {
	t = BaseType(t)
	if t == "" {
		return false
	}
	for _, a := range p.Types {
		if strings.HasSuffix(a, "*") {
			if strings.HasPrefix(t, strings.TrimSuffix(a, "*")) {
				return true
			}
		} else if a == t {
			return true
		}
	}
	return false
}

// BaseType is media type t lowercased without parameters, or "" when t
// does not parse.
func BaseType(t string) string {
	mt, _, err := mime.ParseMediaType(t)
	if err != nil || !strings.Contains(mt, "/") {
		return ""
	}
	return strings.ToLower(mt)
}

// ParseTypes reads a comma-separated allow-list ("image/*,application/pdf").
func ParseTypes(s string) ([]string, error) {
	var out []string
	for _, t := range strings.Split(s, ",") {
		t = strings.ToLower(strings.TrimSpace(t))
		if t == "" {
			continue
		}
		major, minor, ok := strings.Cut(t, "/")
		if !ok || major == "" || minor == "" || strings.ContainsAny(t, " ;") || strings.Contains(major, "*") {
			return nil, fmt.Errorf("upload type %q: want type/subtype or type/prefix*", t)
		}
		out = append(out, t)
	}
	if len(out) == 0 {
		return nil, errors.New("upload types: the list is empty")
	}
	return out, nil
}

// MaxNameBytes caps a stored file name.
const MaxNameBytes = 255

// ErrBadName is returned by SanitizeName for a name that cannot be made
// safe without guessing: one with path parts or control characters.
var ErrBadName = errors.New("file name must be a plain name without path parts or control characters")

// SanitizeName checks an uploaded file's name and returns it as stored: no
// directory parts (no "/", "\", "." or ".."), no control or format
// characters (which can reverse text), trimmed, at most MaxNameBytes
// (cut keeping the extension). Names that are not plain are refused rather
// than cleaned, so the sender learns the name did not survive.
func SanitizeName(name string) (string, error) {
	name = strings.TrimSpace(name)
	if name == "" || !utf8.ValidString(name) || name == "." || name == ".." ||
		strings.ContainsAny(name, `/\`) || strings.Contains(name, "..") {
		return "", ErrBadName
	}
	for _, r := range name {
		if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) {
			return "", ErrBadName
		}
	}
	if len(name) > MaxNameBytes {
		ext := filepath.Ext(name)
		if len(ext) > 16 || !utf8.ValidString(ext) {
			ext = ""
		}
		stem := name[:MaxNameBytes-len(ext)]
		for !utf8.ValidString(stem) {
			stem = stem[:len(stem)-1]
		}
		name = stem + ext
	}
	return name, nil
}

// Blobs is the content-addressed store on disk.
//
// With a keyring (NewSealedBlobs) every blob is stored sealed (package
// seal, in chunks, bound to its sum), still named by the SHA-256 of its
// plaintext so that the same content is stored once. Blobs stored before
// sealing was turned on read on as they are until Reseal seals them.
type Blobs struct {
	dir  string
	keys *seal.Keyring
	// resealMu guards resealDone: the DEK a completed Reseal pass sealed
	// everything with.
	resealMu   sync.Mutex
	resealDone uint32
}

// NewBlobs returns the blob store in dir. The directory is created with
// the first blob, so a server that never stores a file leaves no trace.
func NewBlobs(dir string) *Blobs {
	return &Blobs{dir: dir}
}

// NewSealedBlobs returns the blob store in dir, sealing with keys.
func NewSealedBlobs(dir string, keys *seal.Keyring) *Blobs {
	return &Blobs{dir: dir, keys: keys}
}

// blobAD names a blob in the additional data of its chunks.
func blobAD(sum string) []byte { return seal.AD("blob", sum) }

// Dir is the directory the blobs live under.
func (b *Blobs) Dir() string { return b.dir }

// Path is where the blob with SHA-256 sum (hex) lives.
func (b *Blobs) Path(sum string) (string, error) {
	if len(sum) != 64 {
		return "", fmt.Errorf("blob %q: not a sha256", sum)
	}
	if _, err := hex.DecodeString(sum); err != nil {
		return "", fmt.Errorf("blob %q: not a sha256", sum)
	}
	return filepath.Join(b.dir, sum[:2], sum[2:4], sum), nil
}

// Open opens the blob with SHA-256 sum for reading its plaintext.
func (b *Blobs) Open(sum string) (io.ReadSeekCloser, error) {
	p, err := b.Path(sum)
	if err != nil {
		return nil, err
	}
	f, err := os.Open(p)
	if err != nil {
		return nil, err
	}
	head := make([]byte, seal.FileHeaderLen)
	n, _ := io.ReadFull(f, head)
	if !seal.IsSealedFile(head[:n]) {
		if _, err := f.Seek(0, io.SeekStart); err != nil {
			f.Close()
			return nil, err
		}
		return f, nil
	}
	if b.keys == nil {
		f.Close()
		return nil, fmt.Errorf("blob %s is sealed and the store has no key", sum)
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	r, err := b.keys.NewReader(f, fi.Size(), blobAD(sum))
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("blob %s: %w", sum, err)
	}
	return sealedFile{r, f}, nil
}

// sealedFile reads a sealed blob and closes its file.
type sealedFile struct {
	*seal.Reader
	f *os.File
}

func (s sealedFile) Close() error { return s.f.Close() }

// Has reports whether the blob with SHA-256 sum is stored.
func (b *Blobs) Has(sum string) bool {
	p, err := b.Path(sum)
	if err != nil {
		return false
	}
	_, err = os.Stat(p)
	return err == nil
}

// SumFile returns the SHA-256 (hex) of the file at path.
func SumFile(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", fmt.Errorf("hash %s: %w", path, err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// Adopt moves the file at src, whose SHA-256 is sum, into the store (on
// the same file system: a rename). When the content is stored already, src
// is removed instead. The blob is synced before it is renamed into place,
// so a stored path always holds the whole content.
func (b *Blobs) Adopt(src, sum string) error {
	dst, err := b.Path(sum)
	if err != nil {
		return err
	}
	if _, err := os.Stat(dst); err == nil {
		return os.Remove(src)
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o700); err != nil {
		return fmt.Errorf("adopt %s: %w", sum, err)
	}
	if b.keys != nil {
		in, err := os.Open(src)
		if err != nil {
			return fmt.Errorf("adopt %s: %w", sum, err)
		}
		err = b.sealInto(in, dst, sum, nil)
		in.Close()
		if err != nil {
			return fmt.Errorf("adopt %s: %w", sum, err)
		}
		return os.Remove(src)
	}
	f, err := os.Open(src)
	if err != nil {
		return fmt.Errorf("adopt %s: %w", sum, err)
	}
	serr := errors.Join(f.Chmod(0o600), f.Sync())
	f.Close()
	if serr != nil {
		return fmt.Errorf("adopt %s: %w", sum, serr)
	}
	if err := os.Rename(src, dst); err != nil {
		return fmt.Errorf("adopt %s: %w", sum, err)
	}
	return nil
}

// Put stores content b and returns its SHA-256 (hex).
func (b *Blobs) Put(content []byte) (string, error) {
	s := sha256.Sum256(content)
	sum := hex.EncodeToString(s[:])
	if b.Has(sum) {
		return sum, nil
	}
	if b.keys != nil {
		// Straight from memory to a sealed file: the plaintext never
		// touches the disk.
		dst, _ := b.Path(sum)
		if err := os.MkdirAll(filepath.Dir(dst), 0o700); err != nil {
			return "", fmt.Errorf("put blob: %w", err)
		}
		if err := b.sealInto(bytes.NewReader(content), dst, sum, nil); err != nil {
			return "", fmt.Errorf("put blob: %w", err)
		}
		return sum, nil
	}
	if err := os.MkdirAll(b.dir, 0o700); err != nil {
		return "", fmt.Errorf("put blob: %w", err)
	}
	tmp, err := os.CreateTemp(b.dir, ".put-*")
	if err != nil {
		return "", fmt.Errorf("put blob: %w", err)
	}
	_, werr := tmp.Write(content)
	cerr := tmp.Close()
	if err := errors.Join(werr, cerr); err != nil {
		os.Remove(tmp.Name())
		return "", fmt.Errorf("put blob: %w", err)
	}
	if err := b.Adopt(tmp.Name(), sum); err != nil {
		os.Remove(tmp.Name())
		return "", err
	}
	return sum, nil
}

// sealInto writes the sealed content read from in to dst through a
// temporary file beside dst, synced before it is renamed into place, so dst
// never holds part of a blob. check, when set, must pass before the rename.
func (b *Blobs) sealInto(in io.Reader, dst, sum string, check func() error) error {
	tmp, err := os.CreateTemp(filepath.Dir(dst), ".seal-*")
	if err != nil {
		return err
	}
	fail := func(err error) error {
		tmp.Close()
		os.Remove(tmp.Name())
		return err
	}
	w, err := b.keys.NewWriter(tmp, blobAD(sum))
	if err != nil {
		return fail(err)
	}
	if _, err := io.Copy(w, in); err != nil {
		return fail(err)
	}
	if err := w.Close(); err != nil {
		return fail(err)
	}
	if err := tmp.Sync(); err != nil {
		return fail(err)
	}
	if check != nil {
		if err := check(); err != nil {
			return fail(err)
		}
	}
	if err := tmp.Close(); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	if err := os.Rename(tmp.Name(), dst); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	return nil
}

// Reseal seals again, with the current DEK, up to batch blobs that are
// plaintext or sealed with an older DEK, and returns how many it changed:
// 0 when none is left. Once a pass finds none it does not walk the
// directory again until the current DEK changes.
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
	n := 0
	errFull := errors.New("batch full")
	err := filepath.WalkDir(b.dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) && p == b.dir {
				return fs.SkipAll
			}
			return err
		}
		if d.IsDir() || strings.HasPrefix(d.Name(), ".") {
			return nil
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		sum := d.Name()
		if want, err := b.Path(sum); err != nil || want != p {
			return nil // not a blob
		}
		stale, err := b.stale(p, cur)
		if err != nil || !stale {
			return err
		}
		if err := b.resealOne(p, sum); err != nil {
			return fmt.Errorf("reseal blob %s: %w", sum, err)
		}
		n++
		if n >= batch {
			return errFull
		}
		return nil
	})
	if errors.Is(err, errFull) {
		return n, nil
	}
	if err != nil {
		return n, err
	}
	if n == 0 {
		b.resealDone = cur
	}
	return n, nil
}

// stale reports whether the blob at p is plaintext or sealed with a DEK
// other than cur.
func (b *Blobs) stale(p string, cur uint32) (bool, error) {
	f, err := os.Open(p)
	if err != nil {
		return false, err
	}
	defer f.Close()
	head := make([]byte, seal.FileHeaderLen)
	n, _ := io.ReadFull(f, head)
	id, err := seal.FileKeyID(head[:n])
	return err != nil || id != cur, nil
}

// resealOne replaces the blob at p by its content sealed with the current
// DEK, checked against its sum before the old file is replaced.
func (b *Blobs) resealOne(p, sum string) error {
	in, err := b.Open(sum)
	if err != nil {
		return err
	}
	defer in.Close()
	h := sha256.New()
	return b.sealInto(io.TeeReader(in, h), p, sum, func() error {
		in.Close() // before the rename replaces the file
		if got := hex.EncodeToString(h.Sum(nil)); got != sum {
			return fmt.Errorf("content has sum %s", got)
		}
		return nil
	})
}
