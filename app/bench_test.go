package app

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"switchboard/protocol"
)

func TestBenchMode(t *testing.T) {
	a := New(Config{Dir: t.TempDir()}).App()
	t.Setenv(BenchReportEnv, "")
	if on, err := a.BenchMode(); on || err != nil {
		t.Errorf("BenchMode() without %s = %v, %v, want false, nil", BenchReportEnv, on, err)
	}
	if err := a.BenchReport(`{"a":1}`); err == nil || !strings.HasPrefix(err.Error(), protocol.ErrInvalid.Code+":") {
		t.Errorf("BenchReport() without %s = %v, want an invalid error", BenchReportEnv, err)
	}

	path := filepath.Join(t.TempDir(), "report.json")
	t.Setenv(BenchReportEnv, path)
	if on, err := a.BenchMode(); !on || err != nil {
		t.Errorf("BenchMode() with %s = %v, %v, want true, nil", BenchReportEnv, on, err)
	}
}

func TestBenchReport(t *testing.T) {
	tests := []struct {
		name    string
		report  string
		wantErr bool
	}{
		{"object", `{"list_ready_unix_ms":1700000000000,"search":[{"query":"退款","ms":3.5}]}`, false},
		{"not json", `{"list_ready_unix_ms":`, true},
		{"not an object", `[1,2]`, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := New(Config{Dir: t.TempDir()}).App()
			dir := t.TempDir()
			path := filepath.Join(dir, "report.json")
			t.Setenv(BenchReportEnv, path)
			err := a.BenchReport(tt.report)
			if (err != nil) != tt.wantErr {
				t.Fatalf("BenchReport(%q) = %v, want error %v", tt.report, err, tt.wantErr)
			}
			got, rerr := os.ReadFile(path)
			if tt.wantErr {
				if rerr == nil {
					t.Errorf("BenchReport(%q) wrote %q, want no file", tt.report, got)
				}
			} else if string(got) != tt.report+"\n" {
				t.Errorf("BenchReport(%q) wrote %q", tt.report, got)
			}
			if left, _ := filepath.Glob(filepath.Join(dir, ".bench-report-*")); len(left) > 0 {
				t.Errorf("BenchReport(%q) left temporary files %v", tt.report, left)
			}
		})
	}
}
