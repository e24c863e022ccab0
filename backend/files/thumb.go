package files

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	_ "image/gif" // decoders for Thumbnail
	"image/jpeg"
	_ "image/png"
	"io"
	"os"

	"golang.org/x/image/draw"
	_ "golang.org/x/image/webp"
)

// ThumbSize is the largest side of a thumbnail, in pixels.
const ThumbSize = 320

// MaxPixels refuses to decode larger images (a small file can declare a
// huge canvas).
const MaxPixels = 40 << 20

// ErrNotImage is returned by Thumbnail for content it cannot decode.
var ErrNotImage = errors.New("not a decodable image")

// Thumbnail decodes the image at path and returns its size and a JPEG
// thumbnail that fits in ThumbSize×ThumbSize (the image itself scaled
// down; small images are not scaled up).
func Thumbnail(path string) (thumb []byte, width, height int, err error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, 0, 0, err
	}
	defer f.Close()
	cfg, _, err := image.DecodeConfig(f)
	if err != nil {
		return nil, 0, 0, fmt.Errorf("%w: %v", ErrNotImage, err)
	}
	if cfg.Width <= 0 || cfg.Height <= 0 || cfg.Width*cfg.Height > MaxPixels {
		return nil, cfg.Width, cfg.Height, fmt.Errorf("%w: %d×%d pixels", ErrNotImage, cfg.Width, cfg.Height)
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return nil, 0, 0, err
	}
	src, _, err := image.Decode(f)
	if err != nil {
		return nil, cfg.Width, cfg.Height, fmt.Errorf("%w: %v", ErrNotImage, err)
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
		return nil, w, h, fmt.Errorf("encode thumbnail: %w", err)
	}
	return buf.Bytes(), w, h, nil
}
