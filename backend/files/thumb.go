package files

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"image"
	"image/color"
	_ "image/gif" // decoders for Thumbnail
	"image/jpeg"
	_ "image/png"
	"io"
	"os"

	"golang.org/x/image/draw"
	_ "golang.org/x/image/webp"
	"golang.org/x/sync/semaphore"
)

// ThumbSize is the largest side of a thumbnail, in pixels.
const ThumbSize = 320

// MaxPixels refuses to decode larger images whatever the memory budget (a
// small file can declare a huge canvas).
const MaxPixels = 40 << 20

// DefaultDecodeMemory is the default memory budget of a Thumbnailer: a
// 48-megapixel baseline JPEG (8000×6000 at 3 bytes a pixel, 144 MB) fits;
// a 6000×6000 PNG of 16-bit colour (8 bytes a pixel, 288 MB) does not.
const DefaultDecodeMemory = 160 << 20

// DefaultDecodes is how many images a Thumbnailer decodes at once by
// default: decoding is CPU work, and uploads should not take every core.
const DefaultDecodes = 2

var (
	// ErrNotImage is returned by Thumbnail for content it cannot decode.
	ErrNotImage = errors.New("not a decodable image")
	// ErrTooBig is returned by Thumbnail, before decoding, for an image
	// whose decoded pixels would not fit the memory budget.
	ErrTooBig = errors.New("image too large to decode within the memory budget")
	// ErrBusy is returned by Thumbnail when the decode could not start
	// before ctx ended (other decodes held the budget).
	ErrBusy = errors.New("image decoding busy")
)

// Thumbnailer makes thumbnails within a memory budget. A small file can
// declare an enormous canvas (a 311 KB PNG of 6000×6000 16-bit pixels
// decodes to 288 MB), so the size an image will take decoded is computed
// from its header before any pixel is decoded: an image larger than the
// whole budget is never decoded, and the images being decoded at once
// share the budget and a small number of slots.
type Thumbnailer struct {
	sem    *semaphore.Weighted // in KiB
	budget int64               // KiB
	slots  chan struct{}
}

// NewThumbnailer returns a Thumbnailer whose decodes take at most budget
// bytes together (DefaultDecodeMemory when not positive), at most
// concurrent at once (DefaultDecodes when not positive).
func NewThumbnailer(budget int64, concurrent int) *Thumbnailer {
	if budget <= 0 {
		budget = DefaultDecodeMemory
	}
	if concurrent <= 0 {
		concurrent = DefaultDecodes
	}
	kib := max(budget>>10, 1)
	return &Thumbnailer{sem: semaphore.NewWeighted(kib), budget: kib, slots: make(chan struct{}, concurrent)}
}

// Thumbnail decodes the image at path and returns its size and a JPEG
// thumbnail that fits in ThumbSize×ThumbSize (the image itself scaled
// down; small images are not scaled up). The size comes from the header
// and is returned with ErrTooBig and ErrBusy too.
func (t *Thumbnailer) Thumbnail(ctx context.Context, path string) (thumb []byte, width, height int, err error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, 0, 0, err
	}
	defer f.Close()
	cfg, format, err := image.DecodeConfig(f)
	if err != nil {
		return nil, 0, 0, fmt.Errorf("%w: %v", ErrNotImage, err)
	}
	w, h := cfg.Width, cfg.Height
	if w <= 0 || h <= 0 || int64(w)*int64(h) > MaxPixels {
		return nil, w, h, fmt.Errorf("%w: %d×%d pixels", ErrTooBig, w, h)
	}
	cost := DecodeCost(cfg, format, f)
	kib := (cost + 1023) >> 10
	if kib > t.budget {
		return nil, w, h, fmt.Errorf("%w: %d×%d pixels take %d MiB decoded, the budget is %d MiB",
			ErrTooBig, w, h, cost>>20, t.budget>>10)
	}
	select {
	case t.slots <- struct{}{}:
	case <-ctx.Done():
		return nil, w, h, fmt.Errorf("%w: %v", ErrBusy, ctx.Err())
	}
	defer func() { <-t.slots }()
	if err := t.sem.Acquire(ctx, kib); err != nil {
		return nil, w, h, fmt.Errorf("%w: %v", ErrBusy, err)
	}
	defer t.sem.Release(kib)
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return nil, w, h, err
	}
	thumb, err = scale(f)
	return thumb, w, h, err
}

// scale decodes the image in r and encodes its thumbnail.
func scale(r io.Reader) ([]byte, error) {
	src, _, err := image.Decode(r)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrNotImage, err)
	}
	b := src.Bounds()
	w, h := b.Dx(), b.Dy()
	tw, th := w, h
	if w > ThumbSize || h > ThumbSize {
		if w >= h {
			tw, th = ThumbSize, max(1, h*ThumbSize/w)
		} else {
			tw, th = max(1, w*ThumbSize/h), ThumbSize
		}
	}
	dst := image.NewRGBA(image.Rect(0, 0, tw, th))
	// White under transparent pixels: JPEG has no alpha.
	draw.Draw(dst, dst.Bounds(), image.White, image.Point{}, draw.Src)
	draw.ApproxBiLinear.Scale(dst, dst.Bounds(), src, b, draw.Over, nil)
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, dst, &jpeg.Options{Quality: 80}); err != nil {
		return nil, fmt.Errorf("encode thumbnail: %w", err)
	}
	return buf.Bytes(), nil
}

// DecodeCost is about how many bytes decoding an image takes, from its
// header: its pixels at the size the standard decoders keep them
// (BytesPerPixel), twice that for an interlaced PNG (the decoder holds each
// pass and the result) and a lossless WebP (pixels are built as 32-bit
// words first), plus 4 bytes a pixel per colour component for a
// progressive JPEG (its coefficients stay in memory until the last scan).
// r reads the image's file from its start (for the interlace and
// progressive flags); nil skips those.
func DecodeCost(cfg image.Config, format string, r io.ReaderAt) int64 {
	px := int64(cfg.Width) * int64(cfg.Height)
	cost := px * BytesPerPixel(cfg.ColorModel)
	switch format {
	case "png":
		if r != nil && pngInterlaced(r) {
			cost *= 2
		}
	case "webp":
		cost *= 2
	case "jpeg":
		if r != nil && jpegProgressive(r) {
			components := int64(3)
			switch cfg.ColorModel {
			case color.GrayModel:
				components = 1
			case color.CMYKModel:
				components = 4
			}
			cost += px * 4 * components
		}
	}
	return cost
}

// BytesPerPixel is how many bytes a decoded pixel of color model m takes
// in the image types the standard decoders return: 8 for 16-bit RGBA, 4 for
// 8-bit RGBA and CMYK, 3 for Y'CbCr (4:4:4, the largest subsampling), 2 for
// 16-bit gray, 1 for gray and paletted images; 8 for a model it does not
// know.
func BytesPerPixel(m color.Model) int64 {
	switch m {
	case color.RGBA64Model, color.NRGBA64Model:
		return 8
	case color.RGBAModel, color.NRGBAModel, color.CMYKModel, color.NYCbCrAModel:
		return 4
	case color.YCbCrModel:
		return 3
	case color.Gray16Model, color.Alpha16Model:
		return 2
	case color.GrayModel, color.AlphaModel:
		return 1
	}
	if _, ok := m.(color.Palette); ok {
		return 1
	}
	return 8
}

// pngInterlaced reads the interlace method of a PNG's IHDR chunk, which
// image.DecodeConfig does not report.
func pngInterlaced(r io.ReaderAt) bool {
	// Signature (8), chunk length (4), "IHDR" (4), width, height (8),
	// bit depth, colour type, compression, filter (4), interlace (1).
	var b [29]byte
	if _, err := r.ReadAt(b[:], 0); err != nil {
		return false
	}
	return string(b[12:16]) == "IHDR" && b[28] == 1
}

// jpegProgressive walks a JPEG's segments to its frame header and reports
// whether the frame is progressive (SOF2, SOF6, SOF10, SOF14).
func jpegProgressive(r io.ReaderAt) bool {
	off := int64(2) // after SOI
	var b [4]byte
	for range 256 {
		if _, err := r.ReadAt(b[:], off); err != nil || b[0] != 0xff {
			return false
		}
		m := b[1]
		switch {
		case m == 0xff: // fill byte
			off++
			continue
		case m >= 0xc0 && m <= 0xcf && m != 0xc4 && m != 0xc8 && m != 0xcc:
			return m == 0xc2 || m == 0xc6 || m == 0xca || m == 0xce
		}
		off += 2 + int64(binary.BigEndian.Uint16(b[2:4]))
	}
	return false
}
