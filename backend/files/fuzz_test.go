package files

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// FuzzSanitizeName checks that an accepted name is plain, bounded and
// stable (sanitizing it again changes nothing).
func FuzzSanitizeName(f *testing.F) {
	for _, s := range []string{"a.png", "../x", `a\b`, "报价单.pdf", "x\u202e.exe", strings.Repeat("é", 200) + ".jpeg", " .. ", "\xff.png"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		out, err := SanitizeName(in)
		if err != nil {
			return
		}
		if out == "" || len(out) > MaxNameBytes || !utf8.ValidString(out) || strings.ContainsAny(out, `/\`) || strings.Contains(out, "..") {
			t.Fatalf("SanitizeName(%q) = %q", in, out)
		}
		for _, r := range out {
			if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) {
				t.Fatalf("SanitizeName(%q) = %q keeps %U", in, out, r)
			}
		}
		if again, err := SanitizeName(out); err != nil || again != out {
			t.Fatalf("SanitizeName(%q) = %q, %v; want it unchanged", out, again, err)
		}
	})
}

// FuzzCheck checks that the sniffing never panics and only ever answers
// an allowed type.
func FuzzCheck(f *testing.F) {
	f.Add([]byte("\x89PNG\r\n\x1a\n"), "image/png")
	f.Add([]byte("MZ\x90\x00"), "image/png")
	f.Add([]byte("<html>"), "text/plain")
	f.Add([]byte("%PDF-1.4"), "application/pdf")
	f.Add([]byte("PK\x03\x04"), "application/zip")
	p := Policy{Types: DefaultTypes}
	f.Fuzz(func(t *testing.T, head []byte, declared string) {
		got, err := p.CheckBytes(head, declared)
		if err == nil && !p.Allowed(got) {
			t.Fatalf("CheckBytes(%q, %q) = %q, which is not allowed", head, declared, got)
		}
	})
}
