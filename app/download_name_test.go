package app

import (
	"os"
	"path/filepath"
	"testing"
)

func TestFreeName(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "Downloads")
	for _, tt := range []struct{ in, want string }{
		{"report.pdf", "report.pdf"},
		{"report.pdf", "report (2).pdf"},
		{"report.pdf", "report (3).pdf"},
		{"../../etc/passwd", "passwd"},
		{`..\..\Windows\system.ini`, "system.ini"},
		{".bashrc", "bashrc"},
		{"", "download"},
		{"..", "download (2)"},
		{"a\x00b\nc.txt", "abc.txt"},
		{"invoice\u202Efdp.exe", "invoicefdp.exe"},
		{`what?<>:"|*.txt`, "what.txt"},
		{"订单 2024.xlsx", "订单 2024.xlsx"},
	} {
		got, err := freeName(dir, tt.in)
		if err != nil {
			t.Fatalf("freeName(%q): %v", tt.in, err)
		}
		if filepath.Dir(got) != dir || filepath.Base(got) != tt.want {
			t.Errorf("freeName(%q) = %s, want %s in %s", tt.in, got, tt.want, dir)
		}
		if _, err := os.Stat(got); err != nil {
			t.Errorf("freeName(%q) did not reserve %s: %v", tt.in, got, err)
		}
	}
}
