package gzlines

import (
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"testing"
)

func TestWrite(t *testing.T) {
	path := filepath.Join(t.TempDir(), "words.txt.gz")
	if err := Write(path, []string{"cancel", "退款*"}); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	b, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := string(b), "cancel\n退款*\n"; got != want {
		t.Errorf("read back %q, want %q", got, want)
	}
	if err := Write(filepath.Join(t.TempDir(), "no", "such", "dir"), nil); err == nil {
		t.Error("Write into a missing directory succeeded")
	}
}
