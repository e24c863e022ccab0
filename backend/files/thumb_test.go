package files

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"image"
	"image/color"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// pngHeader is a PNG with an IHDR chunk and no pixel data: DecodeConfig
// reads it, decoding it fails. A thumbnailer that refuses it with ErrTooBig
// refused before decoding.
func pngHeader(w, h uint32, depth, colorType, interlace byte) []byte {
	var b bytes.Buffer
	b.WriteString("\x89PNG\r\n\x1a\n")
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr[0:], w)
	binary.BigEndian.PutUint32(ihdr[4:], h)
	ihdr[8], ihdr[9], ihdr[12] = depth, colorType, interlace
	chunk := func(typ string, data []byte) {
		binary.Write(&b, binary.BigEndian, uint32(len(data)))
		crc := crc32.NewIEEE()
		crc.Write([]byte(typ))
		crc.Write(data)
		b.WriteString(typ)
		b.Write(data)
		binary.Write(&b, binary.BigEndian, crc.Sum32())
	}
	chunk("IHDR", ihdr)
	chunk("IEND", nil)
	return b.Bytes()
}

// TestThumbnailRefusesBomb: a 6000×6000 PNG of 16-bit RGBA declares 288 MB
// of pixels; the default budget refuses it from its header, never decoding
// (decoding this header-only file would fail with ErrNotImage instead).
func TestThumbnailRefusesBomb(t *testing.T) {
	dir := t.TempDir()
	bomb := filepath.Join(dir, "bomb.png")
	os.WriteFile(bomb, pngHeader(6000, 6000, 16, 6, 0), 0o600)
	_, w, h, err := NewThumbnailer(0, 0).Thumbnail(context.Background(), bomb)
	if !errors.Is(err, ErrTooBig) || w != 6000 || h != 6000 {
		t.Errorf("Thumbnail(16-bit 6000×6000) = %d×%d, %v; want 6000×6000, ErrTooBig", w, h, err)
	}
	// The same canvas at 8-bit gray (36 MB) fits and is decoded: the
	// missing pixel data then fails the decode.
	gray := filepath.Join(dir, "gray.png")
	os.WriteFile(gray, pngHeader(6000, 6000, 8, 0, 0), 0o600)
	if _, _, _, err := NewThumbnailer(0, 0).Thumbnail(context.Background(), gray); !errors.Is(err, ErrNotImage) {
		t.Errorf("Thumbnail(8-bit gray 6000×6000) = %v; want a decode that fails (ErrNotImage)", err)
	}
}

// TestThumbnailBusy holds the only decode slot: the next decode gives up
// when its context ends, without decoding.
func TestThumbnailBusy(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "a.png")
	os.WriteFile(src, pngBytes(t, 40, 40), 0o600)
	th := NewThumbnailer(0, 1)
	th.slots <- struct{}{} // a decode in progress
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if _, w, _, err := th.Thumbnail(ctx, src); !errors.Is(err, ErrBusy) || w != 40 {
		t.Errorf("Thumbnail with the slot taken = %d, %v; want 40, ErrBusy", w, err)
	}
	<-th.slots
	if _, _, _, err := th.Thumbnail(context.Background(), src); err != nil {
		t.Errorf("Thumbnail with the slot free = %v", err)
	}
}

func TestDecodeCost(t *testing.T) {
	tests := []struct {
		name   string
		cfg    image.Config
		format string
		file   []byte
		want   int64
	}{
		{"16-bit RGBA PNG", image.Config{ColorModel: color.RGBA64Model, Width: 6000, Height: 6000}, "png",
			pngHeader(6000, 6000, 16, 6, 0), 6000 * 6000 * 8},
		{"interlaced 16-bit PNG", image.Config{ColorModel: color.NRGBA64Model, Width: 100, Height: 100}, "png",
			pngHeader(100, 100, 16, 6, 1), 100 * 100 * 8 * 2},
		{"8-bit RGBA PNG", image.Config{ColorModel: color.NRGBAModel, Width: 10, Height: 10}, "png", nil, 400},
		{"paletted GIF", image.Config{ColorModel: color.Palette{color.Black}, Width: 10, Height: 10}, "gif", nil, 100},
		{"baseline JPEG", image.Config{ColorModel: color.YCbCrModel, Width: 10, Height: 10}, "jpeg",
			jpegHead(0xc0), 300},
		{"progressive JPEG", image.Config{ColorModel: color.YCbCrModel, Width: 10, Height: 10}, "jpeg",
			jpegHead(0xc2), 300 + 1200},
		{"lossless WebP", image.Config{ColorModel: color.NRGBAModel, Width: 10, Height: 10}, "webp", nil, 800},
	}
	for _, tt := range tests {
		var r *bytes.Reader
		if tt.file != nil {
			r = bytes.NewReader(tt.file)
		}
		var got int64
		if r != nil {
			got = DecodeCost(tt.cfg, tt.format, r)
		} else {
			got = DecodeCost(tt.cfg, tt.format, nil)
		}
		if got != tt.want {
			t.Errorf("%s: DecodeCost = %d, want %d", tt.name, got, tt.want)
		}
	}
}

// jpegHead is the start of a JPEG: SOI, an APP0 segment, then a frame
// header with marker sof.
func jpegHead(sof byte) []byte {
	b := []byte{0xff, 0xd8, 0xff, 0xe0, 0x00, 0x04, 'J', 'F'}
	return append(b, 0xff, sof, 0x00, 0x08)
}
