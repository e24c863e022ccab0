package seal

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func testKEK(t testing.TB, b byte) *LocalKEK {
	t.Helper()
	k, err := NewLocalKEK(bytes.Repeat([]byte{b}, KeySize), "test")
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func testRing(t testing.TB, kek KEK, ids ...uint32) (*Keyring, []WrappedKey) {
	t.Helper()
	var keys []WrappedKey
	for _, id := range ids {
		k, err := NewDataKey(kek, id, 1)
		if err != nil {
			t.Fatal(err)
		}
		keys = append(keys, k)
	}
	r, err := NewKeyring(kek, keys)
	if err != nil {
		t.Fatal(err)
	}
	return r, keys
}

func TestSealOpen(t *testing.T) {
	r, _ := testRing(t, testKEK(t, 1), 1)
	ad := AD("messages", "text", "c1", "7")
	for _, plain := range []string{"", "hello", strings.Repeat("退款", 1000)} {
		sealed, err := r.Seal([]byte(plain), ad)
		if err != nil {
			t.Fatal(err)
		}
		if plain != "" && bytes.Contains(sealed, []byte(plain)) {
			t.Errorf("Seal(%q) holds the plaintext", plain)
		}
		if id, err := KeyID(sealed); id != 1 || err != nil {
			t.Errorf("KeyID = %d, %v, want 1", id, err)
		}
		got, err := r.Open(sealed, ad)
		if err != nil || string(got) != plain {
			t.Errorf("Open(Seal(%q)) = %q, %v", plain, got, err)
		}
	}
}

// TestMovedValueDoesNotOpen checks that a sealed value copied to another
// place (another row, another column) or changed does not open.
func TestMovedValueDoesNotOpen(t *testing.T) {
	r, _ := testRing(t, testKEK(t, 1), 1)
	sealed, _ := r.Seal([]byte("secret"), AD("messages", "text", "c1", "7"))
	for _, ad := range [][]byte{
		AD("messages", "text", "c1", "8"),
		AD("messages", "ext", "c1", "7"),
		AD("messages", "text", "c2", "7"),
		AD("messages", "text", "c1", "7", ""),
		AD("messages", "text", "c1\x00", "7"),
	} {
		if _, err := r.Open(sealed, ad); !errors.Is(err, ErrOpen) {
			t.Errorf("Open at %q = %v, want ErrOpen", ad, err)
		}
	}
	bad := bytes.Clone(sealed)
	bad[len(bad)-1] ^= 1
	if _, err := r.Open(bad, AD("messages", "text", "c1", "7")); !errors.Is(err, ErrOpen) {
		t.Errorf("Open of a changed value = %v, want ErrOpen", err)
	}
}

func TestRotation(t *testing.T) {
	kek := testKEK(t, 1)
	r, keys := testRing(t, kek, 1)
	old, _ := r.Seal([]byte("old"), nil)
	k2, err := NewDataKey(kek, 2, 2)
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Add(k2); err != nil {
		t.Fatal(err)
	}
	if r.Current() != 2 {
		t.Fatalf("Current = %d, want 2", r.Current())
	}
	sealed, _ := r.Seal([]byte("new"), nil)
	if id, _ := KeyID(sealed); id != 2 {
		t.Errorf("new value sealed with %d, want 2", id)
	}
	if got, err := r.Open(old, nil); err != nil || string(got) != "old" {
		t.Errorf("Open(old) = %q, %v", got, err)
	}
	// A keyring that knows only key 1 says it does not know key 2.
	r1, err := NewKeyring(kek, keys)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r1.Open(sealed, nil); !errors.Is(err, ErrUnknownKey) {
		t.Errorf("Open with unknown key = %v, want ErrUnknownKey", err)
	}
}

func TestWrongKEK(t *testing.T) {
	_, keys := testRing(t, testKEK(t, 1), 1)
	if _, err := NewKeyring(testKEK(t, 2), keys); !errors.Is(err, ErrWrongKEK) {
		t.Errorf("NewKeyring with another KEK = %v, want ErrWrongKEK", err)
	}
	// A wrapped key moved to another id does not unwrap either.
	keys[0].ID = 5
	if _, err := NewKeyring(testKEK(t, 1), keys); !errors.Is(err, ErrWrongKEK) {
		t.Errorf("NewKeyring with a renumbered key = %v, want ErrWrongKEK", err)
	}
}

func TestKEKFile(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "kek")
	if err := WriteKEKFile(p); err != nil {
		t.Fatal(err)
	}
	if fi, _ := os.Stat(p); fi.Mode().Perm() != 0o600 {
		t.Errorf("KEK file mode = %v, want 0600", fi.Mode().Perm())
	}
	if err := WriteKEKFile(p); err == nil {
		t.Error("WriteKEKFile over an existing file succeeded")
	}
	if _, err := LoadKEKFile(p); err != nil {
		t.Fatal(err)
	}
	os.Chmod(p, 0o644)
	if _, err := LoadKEKFile(p); err == nil || !strings.Contains(err.Error(), "chmod 600") {
		t.Errorf("LoadKEKFile of a world-readable file = %v, want a refusal", err)
	}
	for _, in := range []string{"", "short", "AAAA", strings.Repeat("A", 44) + "x"} {
		if _, err := ParseKEK(in, "env"); err == nil {
			t.Errorf("ParseKEK(%q) succeeded", in)
		}
	}
}

func TestStream(t *testing.T) {
	r, _ := testRing(t, testKEK(t, 1), 1)
	ad := AD("blob", "abc")
	for _, n := range []int{0, 1, ChunkSize - 1, ChunkSize, ChunkSize + 1, 3*ChunkSize + 17} {
		plain := bytes.Repeat([]byte("0123456789abcdef"), n/16+1)[:n]
		var buf bytes.Buffer
		w, err := r.NewWriter(&buf, ad)
		if err != nil {
			t.Fatal(err)
		}
		// Odd write sizes cross chunk boundaries.
		for p := plain; len(p) > 0; {
			k := min(len(p), 7777)
			w.Write(p[:k])
			p = p[k:]
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		if int64(buf.Len()) != SealedSize(int64(n)) {
			t.Errorf("n=%d: sealed size %d, SealedSize says %d", n, buf.Len(), SealedSize(int64(n)))
		}
		sealed := buf.Bytes()
		sr, err := r.NewReader(bytes.NewReader(sealed), int64(len(sealed)), ad)
		if err != nil {
			t.Fatalf("n=%d: %v", n, err)
		}
		got, err := io.ReadAll(sr)
		if err != nil || !bytes.Equal(got, plain) {
			t.Fatalf("n=%d: read %d bytes, %v", n, len(got), err)
		}
		if n > 10 {
			sr.Seek(int64(n-10), io.SeekStart)
			tail, _ := io.ReadAll(sr)
			if !bytes.Equal(tail, plain[n-10:]) {
				t.Errorf("n=%d: tail after seek = %q", n, tail)
			}
		}
		// Another place, a cut file, a flipped bit: none reads.
		bad := []struct {
			name string
			b    []byte
			ad   []byte
		}{
			{"other ad", sealed, AD("blob", "abd")},
			{"cut", sealed[:len(sealed)-1], ad},
			{"flipped", flip(sealed, len(sealed)-5), ad},
		}
		if n > ChunkSize {
			bad = append(bad, struct {
				name string
				b    []byte
				ad   []byte
			}{"last chunk dropped", sealed[:FileHeaderLen+sealedChunk], ad})
		}
		for _, b := range bad {
			sr, err := r.NewReader(bytes.NewReader(b.b), int64(len(b.b)), b.ad)
			if err == nil {
				err = sr.Check()
			}
			if err == nil {
				t.Errorf("n=%d %s: read without error", n, b.name)
			}
		}
	}
}

func flip(b []byte, i int) []byte {
	b = bytes.Clone(b)
	b[i] ^= 0x80
	return b
}

// FuzzOpen feeds arbitrary bytes to the decoders of sealed values and
// files: they fail cleanly, never panic, and nothing forged opens.
func FuzzOpen(f *testing.F) {
	r, _ := testRing(f, testKEK(f, 1), 1, 2)
	v, _ := r.Seal([]byte("seed"), AD("x"))
	f.Add(v)
	var buf bytes.Buffer
	w, _ := r.NewWriter(&buf, AD("x"))
	w.Write([]byte("seed file"))
	w.Close()
	f.Add(buf.Bytes())
	f.Add([]byte{1, 0, 0, 0, 1})
	f.Add([]byte("SBF1\x00\x00\x00\x01aaaaaaaa"))
	f.Fuzz(func(t *testing.T, b []byte) {
		if plain, err := r.Open(b, AD("x")); err == nil && !bytes.Equal(b, v) {
			t.Errorf("forged value opened: %q", plain)
		}
		KeyID(b)
		sr, err := r.NewReader(bytes.NewReader(b), int64(len(b)), AD("x"))
		if err != nil {
			return
		}
		sr.Seek(int64(len(b)/2), io.SeekStart)
		io.ReadAll(sr)
		if err := sr.Check(); err == nil && !bytes.Equal(b, buf.Bytes()) {
			t.Errorf("forged file opened")
		}
	})
}

// BenchmarkSeal and BenchmarkOpen measure one message text's worth of
// sealing, the work encryption at rest adds per stored value.
func BenchmarkSeal(b *testing.B) {
	r, _ := testRing(b, testKEK(b, 1), 1)
	plain := []byte("hello, is my order on its way? It was due on Tuesday.")
	ad := AD("messages", "text", "2b0e4a1c-7d4f-4a57-9a53-6a1b4b7c2f10", "42")
	b.SetBytes(int64(len(plain)))
	b.ReportAllocs()
	for b.Loop() {
		r.Seal(plain, ad)
	}
}

func BenchmarkOpen(b *testing.B) {
	r, _ := testRing(b, testKEK(b, 1), 1)
	plain := []byte("hello, is my order on its way? It was due on Tuesday.")
	ad := AD("messages", "text", "2b0e4a1c-7d4f-4a57-9a53-6a1b4b7c2f10", "42")
	sealed, _ := r.Seal(plain, ad)
	b.SetBytes(int64(len(plain)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := r.Open(sealed, ad); err != nil {
			b.Fatal(err)
		}
	}
}
