package app

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"switchboard/protocol"
)

// BenchReportEnv names the file the desktop benchmark (make bench-desktop,
// docs/benchmarks.md) wants its figures in. When it is set the UI's bench
// module (frontend/src/bench.ts) times the start, opening a conversation and
// local search, and hands its report to BenchReport.
//
// It is read here rather than mapped through Config because it is a
// measurement hook of the packaged binary, not a setting of the app.
const BenchReportEnv = "SWITCHBOARD_BENCH_REPORT"

// BenchMode reports whether the app was started by the desktop benchmark.
func (a *App) BenchMode() (bool, error) {
	return os.Getenv(BenchReportEnv) != "", nil
}

// BenchReport writes the UI's benchmark report, a JSON object, to the file
// named by SWITCHBOARD_BENCH_REPORT. It writes a temporary file and renames
// it, so the benchmark never reads half a report.
func (a *App) BenchReport(report string) error {
	path := os.Getenv(BenchReportEnv)
	if path == "" {
		return a.s.uiError("bench report", protocol.ErrInvalid.WithMessage("not started by the benchmark"))
	}
	return a.s.uiError("bench report", writeBenchReport(path, report))
}

func writeBenchReport(path, report string) error {
	var obj map[string]any
	if err := json.Unmarshal([]byte(report), &obj); err != nil {
		return fmt.Errorf("bench report is not a JSON object: %w", err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".bench-report-*")
	if err != nil {
		return fmt.Errorf("write bench report: %w", err)
	}
	_, err = tmp.WriteString(report + "\n")
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("write bench report: %w", err)
	}
	return nil
}
