package files

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/color"
	"image/png"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"switchboard/backend/seal"
)

func TestSanitizeName(t *testing.T) {
	tests := []struct {
		in, want string // want "" means refused
	}{
		{"photo.png", "photo.png"},
		{"  报价单 v2.pdf ", "报价单 v2.pdf"},
		{"../../etc/passwd", ""},
		{"..", ""},
		{"a/b.png", ""},
		{`C:\Windows\evil.exe`, ""},
		{"bad\x00name.png", ""},
		{"line\nbreak.txt", ""},
		{"rtl\u202egnp.exe", ""},
		{"", ""},
		{strings.Repeat("x", 300) + ".png", strings.Repeat("x", MaxNameBytes-4) + ".png"},
	}
	for _, tt := range tests {
		got, err := SanitizeName(tt.in)
		if tt.want == "" {
			if !errors.Is(err, ErrBadName) {
				t.Errorf("SanitizeName(%q) = %q, %v; want ErrBadName", tt.in, got, err)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("SanitizeName(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
}

func pngBytes(t *testing.T, w, h int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for x := 0; x < w; x++ {
		img.Set(x, x%h, color.RGBA{R: 200, A: 255})
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestCheck(t *testing.T) {
	p := Policy{MaxBytes: 1 << 20, Types: DefaultTypes}
	exe := append([]byte("MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff"), make([]byte, 200)...)
	copy(exe[0x3c:], []byte{0x80, 0, 0, 0})
	exe = append(exe, []byte("PE\x00\x00")...)
	tests := []struct {
		name     string
		head     []byte
		declared string
		want     string // "" means refused
	}{
		{"png", pngBytes(t, 4, 4), "image/png", "image/png"},
		{"png declared jpeg", pngBytes(t, 4, 4), "image/jpeg", "image/png"},
		{"png declared pdf", pngBytes(t, 4, 4), "application/pdf", ""},
		{"exe declared png", exe, "image/png", ""},
		{"exe declared zip", exe, "application/zip", ""},
		{"html declared text", []byte("<!DOCTYPE html><script>alert(1)</script>"), "text/plain", ""},
		{"text", []byte("hello, 你好\n"), "text/plain", "text/plain"},
		{"pdf", []byte("%PDF-1.7\n1 0 obj\n"), "application/pdf", "application/pdf"},
		{"svg refused", []byte(`<svg xmlns="http://www.w3.org/2000/svg"><script/></svg>`), "image/svg+xml", ""},
		{"bad declared", pngBytes(t, 4, 4), "not a type", ""},
	}
	for _, tt := range tests {
		got, err := p.CheckBytes(tt.head, tt.declared)
		if tt.want == "" {
			if !errors.Is(err, ErrSpoofed) {
				t.Errorf("%s: CheckBytes = %q, %v; want ErrSpoofed", tt.name, got, err)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("%s: CheckBytes = %q, %v; want %q", tt.name, got, err, tt.want)
		}
	}
}

func TestAllowedAndParseTypes(t *testing.T) {
	types, err := ParseTypes(" image/* , application/pdf")
	if err != nil {
		t.Fatal(err)
	}
	p := Policy{Types: types}
	for in, want := range map[string]bool{"image/png": true, "IMAGE/GIF": true, "application/pdf; x=1": true, "audio/ogg": false, "": false} {
		if got := p.Allowed(in); got != want {
			t.Errorf("Allowed(%q) = %v, want %v", in, got, want)
		}
	}
	for _, bad := range []string{"", "png", "*/*", "image/png;x"} {
		if _, err := ParseTypes(bad); err == nil {
			t.Errorf("ParseTypes(%q) = nil error", bad)
		}
	}
}

func TestBlobsAndThumbnail(t *testing.T) {
	dir := t.TempDir()
	b := NewBlobs(filepath.Join(dir, "files"))
	src := filepath.Join(dir, "upload")
	if err := os.WriteFile(src, pngBytes(t, 800, 400), 0o600); err != nil {
		t.Fatal(err)
	}
	th := NewThumbnailer(0, 0)
	ctx := context.Background()
	thumb, w, h, err := th.Thumbnail(ctx, src)
	if err != nil || w != 800 || h != 400 {
		t.Fatalf("Thumbnail = %d×%d, %v", w, h, err)
	}
	cfg, format, err := image.DecodeConfig(bytes.NewReader(thumb))
	if err != nil || format != "jpeg" || cfg.Width != ThumbSize || cfg.Height != ThumbSize/2 {
		t.Errorf("thumbnail = %s %d×%d, %v; want jpeg %d×%d", format, cfg.Width, cfg.Height, err, ThumbSize, ThumbSize/2)
	}
	sum, err := SumFile(src)
	if err != nil {
		t.Fatal(err)
	}
	if err := b.Adopt(src, sum); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(src); !os.IsNotExist(err) {
		t.Errorf("source still there after Adopt: %v", err)
	}
	p, _ := b.Path(sum)
	if got, _ := SumFile(p); got != sum {
		t.Errorf("stored blob sum = %s, want %s", got, sum)
	}
	if _, err := b.Path("../../x"); err == nil {
		t.Error("Path accepted a non-sha256")
	}
	if _, _, _, err := th.Thumbnail(ctx, p+"-missing"); err == nil {
		t.Error("Thumbnail of a missing file succeeded")
	}
	txt := filepath.Join(dir, "t.txt")
	os.WriteFile(txt, []byte("hello"), 0o600)
	if _, _, _, err := th.Thumbnail(ctx, txt); !errors.Is(err, ErrNotImage) {
		t.Errorf("Thumbnail(text) = %v, want ErrNotImage", err)
	}
}

func testKeyring(t *testing.T) (*seal.Keyring, seal.KEK) {
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

// TestSealedBlobs stores files and thumbnails sealed: the bytes on disk do
// not hold the content, the same content is stored once, reads (and range
// reads) give the plaintext back, blobs stored before sealing read on and
// Reseal seals them, and again after a rotation.
func TestSealedBlobs(t *testing.T) {
	dir := t.TempDir()
	keys, kek := testKeyring(t)
	secret := bytes.Repeat([]byte("Wombatcontent "), 20000) // several chunks
	// A blob from before sealing was turned on.
	legacy := []byte("Legacyplain blob")
	plainSum, err := NewBlobs(filepath.Join(dir, "files")).Put(legacy)
	if err != nil {
		t.Fatal(err)
	}
	b := NewSealedBlobs(filepath.Join(dir, "files"), keys)
	src := filepath.Join(dir, "upload")
	os.WriteFile(src, secret, 0o600)
	sum, _ := SumFile(src)
	if err := b.Adopt(src, sum); err != nil {
		t.Fatal(err)
	}
	if got, err := b.Put(secret); err != nil || got != sum {
		t.Fatalf("Put of the same content = %s, %v; want %s", got, err, sum)
	}
	thumbSum, err := b.Put([]byte("Wombatthumb"))
	if err != nil {
		t.Fatal(err)
	}
	read := func(sum string) []byte {
		t.Helper()
		f, err := b.Open(sum)
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
	if !bytes.Equal(read(sum), secret) || string(read(thumbSum)) != "Wombatthumb" || !bytes.Equal(read(plainSum), legacy) {
		t.Fatal("blobs do not read back")
	}
	f, _ := b.Open(sum)
	f.Seek(int64(len(secret)-5), io.SeekStart)
	tail, _ := io.ReadAll(f)
	f.Close()
	if !bytes.Equal(tail, secret[len(secret)-5:]) {
		t.Errorf("tail after seek = %q", tail)
	}
	rawHas := func(word string) bool {
		t.Helper()
		found := false
		filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				raw, _ := os.ReadFile(p)
				found = found || bytes.Contains(raw, []byte(word))
			}
			return nil
		})
		return found
	}
	if rawHas("Wombat") {
		t.Error("a sealed blob holds its content in the clear")
	}
	if !rawHas("Legacyplain") {
		t.Fatal("the blob from before sealing is not plaintext: the test checks nothing")
	}
	resealAll := func() {
		t.Helper()
		for i := 0; i < 100; i++ {
			n, err := b.Reseal(t.Context(), 1)
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
	if rawHas("Legacyplain") || !bytes.Equal(read(plainSum), legacy) {
		t.Error("Reseal left the old blob plaintext or broke it")
	}
	k2, _ := seal.NewDataKey(kek, 2, 2)
	keys.Add(k2)
	resealAll()
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			raw, _ := os.ReadFile(p)
			if id, err := seal.FileKeyID(raw); err != nil || id != 2 {
				t.Errorf("%s sealed with key %d, %v after rotation and reseal; want 2", filepath.Base(p), id, err)
			}
			if fi, _ := d.Info(); fi.Mode().Perm() != 0o600 {
				t.Errorf("%s has mode %v, want 0600", filepath.Base(p), fi.Mode().Perm())
			}
		}
		return nil
	})
	if !bytes.Equal(read(sum), secret) || !bytes.Equal(read(plainSum), legacy) {
		t.Error("blobs do not read back after rotation")
	}
	// A blob copied under another sum does not open.
	p1, _ := b.Path(sum)
	p2, _ := b.Path(thumbSum)
	raw, _ := os.ReadFile(p1)
	os.WriteFile(p2, raw, 0o600)
	if f, err := b.Open(thumbSum); err == nil {
		_, err = io.ReadAll(f)
		f.Close()
		if err == nil {
			t.Error("a blob moved to another sum opened")
		}
	}
}
