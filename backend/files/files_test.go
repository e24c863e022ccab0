package files

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
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
	b := NewLocalBlobs(filepath.Join(dir, "files"), nil)
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
	if err := b.Adopt(ctx, src, sum); err != nil {
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
