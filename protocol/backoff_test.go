package protocol

import (
	"math/rand/v2"
	"testing"
	"time"
)

func TestBackoff(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	tests := []struct {
		n    int
		ceil time.Duration
	}{
		{0, ReconnectBase},
		{1, 2 * ReconnectBase},
		{5, 32 * ReconnectBase},
		{7, ReconnectMax},
		{40, ReconnectMax}, // the shift would overflow
	}
	for _, tt := range tests {
		var top time.Duration
		for range 500 {
			d := Backoff(tt.n, ReconnectBase, ReconnectMax, r.Int64N)
			if d < 0 || d > tt.ceil {
				t.Fatalf("Backoff(%d) = %v, want within [0, %v]", tt.n, d, tt.ceil)
			}
			top = max(top, d)
		}
		if top < tt.ceil/2 {
			t.Errorf("Backoff(%d) never passed %v in 500 draws; the jitter does not span [0, %v]", tt.n, tt.ceil/2, tt.ceil)
		}
	}
}
