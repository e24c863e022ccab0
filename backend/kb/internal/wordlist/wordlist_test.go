package wordlist

import (
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"slices"
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

func TestLines(t *testing.T) {
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a"), filepath.Join(dir, "b")
	os.WriteFile(a, []byte("one\ntwo\n"), 0o600)
	os.WriteFile(b, []byte("three"), 0o600)
	var got []string
	if err := Lines([]string{a, b}, func(l string) { got = append(got, l) }); err != nil {
		t.Fatal(err)
	}
	if want := []string{"one", "two", "three"}; !slices.Equal(got, want) {
		t.Errorf("Lines = %q, want %q", got, want)
	}
	if err := Lines([]string{filepath.Join(dir, "missing")}, func(string) {}); err == nil {
		t.Error("Lines of a missing file succeeded")
	}
}
