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
	"os"
	"path/filepath"
	"strings"
	"sync"

	"switchboard/backend/seal"
)

// LocalBlobs is the blob store in a directory on local disk, the engine of
// a single node: each blob is a file at Dir/ab/cd/abcd…, written beside
// its place, synced, then renamed into it.
type LocalBlobs struct {
	dir  string
	keys *seal.Keyring
	// resealMu guards resealDone: the DEK a completed Reseal pass sealed
	// everything with.
	resealMu   sync.Mutex
	resealDone uint32
}

var (
	_ Blobs    = (*LocalBlobs)(nil)
	_ Resealer = (*LocalBlobs)(nil)
)

// NewLocalBlobs returns the blob store in dir, sealing with keys when not
// nil. The directory is created with the first blob, so a server that
// never stores a file leaves no trace.
func NewLocalBlobs(dir string, keys *seal.Keyring) *LocalBlobs {
	return &LocalBlobs{dir: dir, keys: keys}
}

// Dir is the directory the blobs live under.
func (b *LocalBlobs) Dir() string { return b.dir }

// Path is where the blob with SHA-256 sum (hex) lives.
func (b *LocalBlobs) Path(sum string) (string, error) {
	key, err := BlobKey(sum)
	if err != nil {
		return "", err
	}
	return localPath(b.dir, key), nil
}

// Open opens the blob with SHA-256 sum for reading its plaintext.
func (b *LocalBlobs) Open(_ context.Context, sum string) (io.ReadSeekCloser, error) {
	p, err := b.Path(sum)
	if err != nil {
		return nil, err
	}
	f, err := os.Open(p)
	if err != nil {
		return nil, err
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	return OpenBlob(f, fi.Size(), b.keys, sum)
}

// Has reports whether the blob with SHA-256 sum is stored.
func (b *LocalBlobs) Has(_ context.Context, sum string) (bool, error) {
	p, err := b.Path(sum)
	if err != nil {
		return false, err
	}
	_, err = os.Stat(p)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	return err == nil, err
}

// Adopt moves the file at src, whose SHA-256 is sum, into the store (on
// the same file system: a rename). When the content is stored already, src
// is removed instead. The blob is synced before it is renamed into place,
// so a stored path always holds the whole content.
func (b *LocalBlobs) Adopt(_ context.Context, src, sum string) error {
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
func (b *LocalBlobs) Put(ctx context.Context, content []byte) (string, error) {
	s := sha256.Sum256(content)
	sum := hex.EncodeToString(s[:])
	dst, _ := b.Path(sum)
	if _, err := os.Stat(dst); err == nil {
		return sum, nil
	}
	if b.keys != nil {
		// Straight from memory to a sealed file: the plaintext never
		// touches the disk.
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
	if err := b.Adopt(ctx, tmp.Name(), sum); err != nil {
		os.Remove(tmp.Name())
		return "", err
	}
	return sum, nil
}

// sealInto writes the sealed content read from in to dst through a
// temporary file beside dst, synced before it is renamed into place, so dst
// never holds part of a blob. check, when set, must pass before the rename.
func (b *LocalBlobs) sealInto(in io.Reader, dst, sum string, check func() error) error {
	tmp, err := os.CreateTemp(filepath.Dir(dst), ".seal-*")
	if err != nil {
		return err
	}
	fail := func(err error) error {
		tmp.Close()
		os.Remove(tmp.Name())
		return err
	}
	if err := SealBlob(tmp, b.keys, sum, in); err != nil {
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
func (b *LocalBlobs) Reseal(ctx context.Context, batch int) (int, error) {
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
		if err := b.resealOne(ctx, p, sum); err != nil {
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
func (b *LocalBlobs) stale(p string, cur uint32) (bool, error) {
	f, err := os.Open(p)
	if err != nil {
		return false, err
	}
	defer f.Close()
	head := make([]byte, seal.FileHeaderLen)
	n, _ := io.ReadFull(f, head)
	return NeedsReseal(head[:n], cur), nil
}

// resealOne replaces the blob at p by its content sealed with the current
// DEK, checked against its sum before the old file is replaced.
func (b *LocalBlobs) resealOne(ctx context.Context, p, sum string) error {
	in, err := b.Open(ctx, sum)
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
