// Package blobstest is the behaviour every files.Blobs engine shares: one
// suite, run by each engine's tests against its own storage, as
// store/storetest is for the stores.
package blobstest

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"switchboard/backend/files"
	"switchboard/backend/seal"
)

// Engine makes blob stores of one engine for a test.
type Engine struct {
	// Open returns a store sealing with keys (nil: plaintext). Every store
	// one Engine opens is at the same place: what one stores, another
	// reads.
	Open func(t *testing.T, keys *seal.Keyring) files.Blobs
	// Raw returns every object the engine keeps at its place, by key
	// (files.BlobKey), as stored.
	Raw func(t *testing.T) map[string][]byte
	// SetRaw replaces the stored bytes of key.
	SetRaw func(t *testing.T, key string, raw []byte)
}

// Run runs the suite; newEngine gives every test a fresh, empty place.
func Run(t *testing.T, newEngine func(t *testing.T) Engine) {
	for _, tc := range []struct {
		name string
		fn   func(t *testing.T, e Engine)
	}{
		{"PutOpenHas", testPutOpenHas},
		{"Adopt", testAdopt},
		{"Missing", testMissing},
		{"Range", testRange},
		{"Sealed", testSealed},
		{"Reseal", testReseal},
	} {
		t.Run(tc.name, func(t *testing.T) { tc.fn(t, newEngine(t)) })
	}
}

// Keyring returns a keyring with one data key, and its KEK for adding
// more.
func Keyring(t *testing.T) (*seal.Keyring, seal.KEK) {
	t.Helper()
	kek, err := seal.NewLocalKEK(bytes.Repeat([]byte{7}, seal.KeySize), "test")
	if err != nil {
		t.Fatal(err)
	}
	k, err := seal.NewDataKey(kek, 1, 1)
	if err != nil {
		t.Fatal(err)
	}
	r, err := seal.NewKeyring(kek, []seal.WrappedKey{k})
	if err != nil {
		t.Fatal(err)
	}
	return r, kek
}

func sumOf(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

func key(t *testing.T, sum string) string {
	t.Helper()
	k, err := files.BlobKey(sum)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// read returns the plaintext of blob sum.
func read(t *testing.T, b files.Blobs, sum string) []byte {
	t.Helper()
	f, err := b.Open(t.Context(), sum)
	if err != nil {
		t.Fatalf("Open(%s): %v", sum, err)
	}
	defer f.Close()
	got, err := io.ReadAll(f)
	if err != nil {
		t.Fatalf("read %s: %v", sum, err)
	}
	return got
}

// writeTemp writes content to a new file and returns its path.
func writeTemp(t *testing.T, content []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "upload")
	if err := os.WriteFile(p, content, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func testPutOpenHas(t *testing.T, e Engine) {
	ctx := t.Context()
	b := e.Open(t, nil)
	content := []byte("hello, 你好")
	sum, err := b.Put(ctx, content)
	if err != nil || sum != sumOf(content) {
		t.Fatalf("Put = %s, %v; want %s", sum, err, sumOf(content))
	}
	if again, err := b.Put(ctx, content); err != nil || again != sum {
		t.Errorf("Put of the same content = %s, %v; want %s", again, err, sum)
	}
	if has, err := b.Has(ctx, sum); !has || err != nil {
		t.Errorf("Has(stored) = %v, %v; want true", has, err)
	}
	if has, err := b.Has(ctx, sumOf([]byte("other"))); has || err != nil {
		t.Errorf("Has(not stored) = %v, %v; want false, nil", has, err)
	}
	if got := read(t, b, sum); !bytes.Equal(got, content) {
		t.Errorf("read back %q, want %q", got, content)
	}
	empty, err := b.Put(ctx, nil)
	if err != nil {
		t.Fatalf("Put(empty): %v", err)
	}
	if got := read(t, b, empty); len(got) != 0 {
		t.Errorf("empty blob reads %q", got)
	}
	raw := e.Raw(t)
	if len(raw) != 2 || !bytes.Equal(raw[key(t, sum)], content) {
		t.Errorf("stored objects = %d, content at %s = %q; want 2 objects, the content in the clear at its key",
			len(raw), key(t, sum), raw[key(t, sum)])
	}
}

func testAdopt(t *testing.T, e Engine) {
	ctx := t.Context()
	b := e.Open(t, nil)
	content := bytes.Repeat([]byte("adopted "), 1000)
	src := writeTemp(t, content)
	sum := sumOf(content)
	if err := b.Adopt(ctx, src, sum); err != nil {
		t.Fatalf("Adopt: %v", err)
	}
	if _, err := os.Stat(src); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("source after Adopt: %v, want it gone", err)
	}
	if got := read(t, b, sum); !bytes.Equal(got, content) {
		t.Errorf("adopted blob reads %d bytes, want the %d adopted", len(got), len(content))
	}
	// The same content again: stored once, the source removed.
	src = writeTemp(t, content)
	if err := b.Adopt(ctx, src, sum); err != nil {
		t.Fatalf("Adopt of stored content: %v", err)
	}
	if _, err := os.Stat(src); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("source after Adopt of stored content: %v, want it gone", err)
	}
	if raw := e.Raw(t); len(raw) != 1 {
		t.Errorf("stored objects = %d after adopting one content twice, want 1", len(raw))
	}
	if err := b.Adopt(ctx, writeTemp(t, content), "../../etc/passwd"); err == nil {
		t.Error("Adopt under a name that is not a sha256 succeeded")
	}
}

func testMissing(t *testing.T, e Engine) {
	ctx := t.Context()
	b := e.Open(t, nil)
	missing := sumOf([]byte("never stored"))
	f, err := b.Open(ctx, missing)
	if err == nil {
		f.Close()
		t.Fatal("Open of a missing blob succeeded")
	}
	if !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Open of a missing blob = %v, want an error matching fs.ErrNotExist", err)
	}
	for _, bad := range []string{"", "../../x", strings.Repeat("g", 64), strings.Repeat("a", 63)} {
		if f, err := b.Open(ctx, bad); err == nil {
			f.Close()
			t.Errorf("Open(%q) succeeded", bad)
		}
		if has, _ := b.Has(ctx, bad); has {
			t.Errorf("Has(%q) = true", bad)
		}
	}
}

// testRange reads parts of plaintext and sealed blobs of several chunks,
// by Seek and by HTTP range requests through http.ServeContent, as the
// file download does.
func testRange(t *testing.T, e Engine) {
	ctx := t.Context()
	keys, _ := Keyring(t)
	for _, sealed := range []bool{false, true} {
		var k *seal.Keyring
		name := "plain"
		if sealed {
			k, name = keys, "sealed"
		}
		// Other content for each, so that the sealed store does not find
		// the plaintext one stored already.
		content := make([]byte, 3*seal.ChunkSize+123)
		for i := range content {
			content[i] = byte(i * 7 / 5)
		}
		content[0] = byte(len(name))
		b := e.Open(t, k)
		sum, err := b.Put(ctx, content)
		if err != nil {
			t.Fatalf("%s: Put: %v", name, err)
		}
		f, err := b.Open(ctx, sum)
		if err != nil {
			t.Fatalf("%s: Open: %v", name, err)
		}
		for _, off := range []int64{seal.ChunkSize - 3, 5, int64(len(content) - 5)} {
			if _, err := f.Seek(off, io.SeekStart); err != nil {
				t.Fatalf("%s: Seek(%d): %v", name, off, err)
			}
			got := make([]byte, 5)
			if _, err := io.ReadFull(f, got); err != nil || !bytes.Equal(got, content[off:off+5]) {
				t.Errorf("%s: 5 bytes at %d = %v, %v; want %v", name, off, got, err, content[off:off+5])
			}
		}
		if end, err := f.Seek(0, io.SeekEnd); err != nil || end != int64(len(content)) {
			t.Errorf("%s: Seek to the end = %d, %v; want %d", name, end, err, len(content))
		}
		f.Seek(0, io.SeekStart)
		req := httptest.NewRequest(http.MethodGet, "/", nil)
		req.Header.Set("Range", "bytes=65530-65545")
		w := httptest.NewRecorder()
		http.ServeContent(w, req, "", time.Time{}, f)
		f.Close()
		if w.Code != http.StatusPartialContent || !bytes.Equal(w.Body.Bytes(), content[65530:65546]) {
			t.Errorf("%s: range request = %d %v; want 206 and bytes 65530-65545", name, w.Code, w.Body.Bytes())
		}
	}
}

// testSealed stores sealed: no stored byte holds the content, the same
// content is stored once, blobs from before sealing read on, a sealed blob
// does not open without the key nor under another sum.
func testSealed(t *testing.T, e Engine) {
	ctx := t.Context()
	keys, _ := Keyring(t)
	legacy := []byte("Legacyplain blob")
	plainSum, err := e.Open(t, nil).Put(ctx, legacy)
	if err != nil {
		t.Fatal(err)
	}
	b := e.Open(t, keys)
	secret := bytes.Repeat([]byte("Wombatcontent "), 20000) // several chunks
	sum := sumOf(secret)
	if err := b.Adopt(ctx, writeTemp(t, secret), sum); err != nil {
		t.Fatalf("Adopt: %v", err)
	}
	if got, err := b.Put(ctx, secret); err != nil || got != sum {
		t.Fatalf("Put of the same content = %s, %v; want %s", got, err, sum)
	}
	thumbSum, err := b.Put(ctx, []byte("Wombatthumb"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(read(t, b, sum), secret) || string(read(t, b, thumbSum)) != "Wombatthumb" ||
		!bytes.Equal(read(t, b, plainSum), legacy) {
		t.Fatal("blobs do not read back")
	}
	raw := e.Raw(t)
	if len(raw) != 3 {
		t.Errorf("stored objects = %d, want 3", len(raw))
	}
	for k, v := range raw {
		if bytes.Contains(v, []byte("Wombat")) {
			t.Errorf("%s holds its content in the clear", k)
		}
	}
	if !bytes.Contains(raw[key(t, plainSum)], []byte("Legacyplain")) {
		t.Error("the blob from before sealing is not plaintext: the test checks nothing")
	}
	if f, err := e.Open(t, nil).Open(ctx, sum); err == nil {
		f.Close()
		t.Error("a sealed blob opened without the key")
	}
	// A sealed blob copied under another sum does not open.
	e.SetRaw(t, key(t, thumbSum), raw[key(t, sum)])
	if f, err := b.Open(ctx, thumbSum); err == nil {
		_, err = io.ReadAll(f)
		f.Close()
		if err == nil {
			t.Error("a blob moved to another sum opened")
		}
	}
}

// testReseal seals the blobs from before sealing, and all of them again
// after a new data key, when the engine reseals.
func testReseal(t *testing.T, e Engine) {
	ctx := t.Context()
	keys, kek := Keyring(t)
	legacy := []byte("Legacyplain blob")
	plainSum, err := e.Open(t, nil).Put(ctx, legacy)
	if err != nil {
		t.Fatal(err)
	}
	b := e.Open(t, keys)
	r, ok := b.(files.Resealer)
	if !ok {
		t.Skip("the engine does not reseal")
	}
	secret := bytes.Repeat([]byte("Wombatcontent "), 10000)
	sum, err := b.Put(ctx, secret)
	if err != nil {
		t.Fatal(err)
	}
	resealAll := func() {
		t.Helper()
		for range 100 {
			n, err := r.Reseal(ctx, 1)
			if err != nil {
				t.Fatalf("Reseal: %v", err)
			}
			if n == 0 {
				return
			}
		}
		t.Fatal("Reseal does not finish")
	}
	resealAll()
	if raw := e.Raw(t)[key(t, plainSum)]; bytes.Contains(raw, []byte("Legacyplain")) {
		t.Error("Reseal left the blob from before sealing plaintext")
	}
	if !bytes.Equal(read(t, b, plainSum), legacy) {
		t.Error("Reseal broke the blob from before sealing")
	}
	k2, err := seal.NewDataKey(kek, 2, 2)
	if err != nil {
		t.Fatal(err)
	}
	if err := keys.Add(k2); err != nil {
		t.Fatal(err)
	}
	resealAll()
	for k, v := range e.Raw(t) {
		if id, err := seal.FileKeyID(v); err != nil || id != 2 {
			t.Errorf("%s sealed with key %d, %v after rotation and reseal; want 2", k, id, err)
		}
	}
	if !bytes.Equal(read(t, b, sum), secret) || !bytes.Equal(read(t, b, plainSum), legacy) {
		t.Error("blobs do not read back after rotation")
	}
}
