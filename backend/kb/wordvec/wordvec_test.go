package wordvec

import "testing"

func vector(t *testing.T, v *Vectors, words ...string) []float64 {
	t.Helper()
	sum := make([]float64, v.Dims())
	for _, w := range words {
		if !v.AddTo(sum, w, 1) {
			t.Fatalf("no vector for %q", w)
		}
	}
	return sum
}

func TestLoad(t *testing.T) {
	v, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	if v.Dims() != 100 || v.Len() < 30000 {
		t.Fatalf("Load() = %d words of %d dimensions, want 30000+ of 100", v.Len(), v.Dims())
	}
	if r, ok := v.Rank("the"); !ok || r != 0 {
		t.Errorf(`Rank("the") = %d, %v, want 0, true`, r, ok)
	}
	// Words of the knowledge base are kept however rare.
	for _, w := range []string{"refund", "courier", "installments", "alipay"} {
		if _, ok := v.Rank(w); !ok {
			t.Errorf("Rank(%q) not found", w)
		}
	}
}

// Near words must be nearer than unrelated ones, or the quantization
// lost what the vectors are for.
func TestNear(t *testing.T) {
	v, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ word, near, far string }{
		{"refund", "reimbursement", "volcano"},
		{"courier", "delivery", "poetry"},
		{"discount", "coupon", "tennis"},
	} {
		a, n, f := vector(t, v, c.word), vector(t, v, c.near), vector(t, v, c.far)
		if cn, cf := Cosine(a, n), Cosine(a, f); cn <= cf {
			t.Errorf("cos(%s, %s) = %.2f, not above cos(%s, %s) = %.2f", c.word, c.near, cn, c.word, c.far, cf)
		}
	}
}

func TestParseRejects(t *testing.T) {
	for _, b := range [][]byte{nil, []byte("WVEC1\n"), []byte("nope")} {
		if _, err := Parse(b); err == nil {
			t.Errorf("Parse(%q) = nil error", b)
		}
	}
	if _, err := Parse(data[:len(data)-1]); err == nil {
		t.Error("Parse(truncated) = nil error")
	}
}

// TestLookupEveryWord: every word is found at its own row, and words that
// are not listed (prefixes, extensions, other cases) are not found.
func TestLookupEveryWord(t *testing.T) {
	v, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	for i := range int32(v.Len()) {
		w := string(v.word(i))
		if j, ok := v.lookup(w); !ok || j != i {
			t.Fatalf("lookup(%q) = %d, %v, want row %d", w, j, ok, i)
		}
	}
	for _, w := range []string{"", "refundx", "refun", "REFUND", "zzzzzzzz"} {
		if j, ok := v.lookup(w); ok {
			t.Errorf("lookup(%q) = row %d (%q), want none", w, j, v.word(j))
		}
	}
}
