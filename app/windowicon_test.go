package app_test

import (
	"bytes"
	"image/png"
	"os"
	"testing"

	"switchboard/app"
)

func TestWindowIconIsTheAppIconAt256(t *testing.T) {
	icon, err := png.Decode(bytes.NewReader(app.WindowIcon))
	if err != nil {
		t.Fatalf("WindowIcon is not a PNG: %v", err)
	}
	if b := icon.Bounds(); b.Dx() != 256 || b.Dy() != 256 {
		t.Fatalf("WindowIcon is %dx%d, want 256x256", b.Dx(), b.Dy())
	}
	f, err := os.Open("../build/appicon.png")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	orig, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	// Each pixel of the small icon against the mean of the 4×4 pixels of
	// the original it stands for: the same picture, not a stale one.
	scale := orig.Bounds().Dx() / 256
	var diff, n float64
	for y := range 256 {
		for x := range 256 {
			var want [4]float64
			for dy := range scale {
				for dx := range scale {
					r, g, b, a := orig.At(orig.Bounds().Min.X+x*scale+dx, orig.Bounds().Min.Y+y*scale+dy).RGBA()
					want[0] += float64(r)
					want[1] += float64(g)
					want[2] += float64(b)
					want[3] += float64(a)
				}
			}
			r, g, b, a := icon.At(x, y).RGBA()
			got := [4]float64{float64(r), float64(g), float64(b), float64(a)}
			for i := range 4 {
				d := got[i] - want[i]/float64(scale*scale)
				if d < 0 {
					d = -d
				}
				diff += d
				n++
			}
		}
	}
	if mean := diff / n / 0xffff; mean > 0.03 {
		t.Fatalf("WindowIcon differs from build/appicon.png scaled down by %.1f%% a channel on average; remake it (see windowicon.go)", mean*100)
	}
}
