package protocol

import "testing"

func TestCleanDisplay(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Alice", "Alice"},
		{"张伟", "张伟"},
		{"", ""},
		{"  Bob  Smith \t", "Bob Smith"},
		{"a\x00b", "a b"},
		{"\x00\x00", ""},
		{"Alice\u202Eecila", "Aliceecila"},
		{"\u2066admin\u2069", "admin"},
		{"x\u200bx", "xx"},
		{"line\nbreak\r\n", "line break"},
		{"esc\x1b[31mred", "esc [31mred"},
		{"bad\xffutf8", "badutf8"},
		{"👩\u200d💻 dev", "👩\u200d💻 dev"},
		{"rtl \u200fmark", "rtl mark"},
		{"\ufeffbom", "bom"},
	}
	for _, tt := range tests {
		if got := CleanDisplay(tt.in); got != tt.want {
			t.Errorf("CleanDisplay(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if got := CleanDisplay(tt.want); got != tt.want {
			t.Errorf("CleanDisplay is not idempotent on %q: %q", tt.want, got)
		}
	}
}

func FuzzCleanDisplay(f *testing.F) {
	f.Add("Alice\u202Eecila")
	f.Add(" a\x00 b ")
	f.Fuzz(func(t *testing.T, s string) {
		c := CleanDisplay(s)
		if CleanDisplay(c) != c {
			t.Fatalf("not idempotent: %q -> %q -> %q", s, c, CleanDisplay(c))
		}
		if !isCleanDisplay(c) {
			t.Fatalf("result %q of %q is not clean", c, s)
		}
	})
}
