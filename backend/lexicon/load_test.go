package lexicon

import "testing"

func TestLoad(t *testing.T) {
	lx, err := Load()
	if err != nil {
		t.Fatalf("Load() error: %v", err)
	}
	if lx.Len() < 250 {
		t.Errorf("Load() has %d concepts, want at least 250", lx.Len())
	}
}
