// Command hello is the floor of the desktop benchmark (docs/benchmarks.md,
// make bench-desktop): a bare Wails v2 app as `wails init -t vanilla` makes
// it, with its frontend reduced to a plain index.html so that it builds
// without npm. It is measured in the same run as Switchboard.
//
// With SWITCHBOARD_BENCH_REPORT=<file> it writes {"dom_ready_unix_ms": N} to
// the file when the page's DOM is ready; with SWITCHBOARD_BENCH_IDLE=<seconds>
// it quits that long afterwards (otherwise the benchmark script ends it once
// it has measured its memory).
package main

import (
	"context"
	"embed"
	"encoding/json"
	"fmt"
	"os"
	"strconv"
	"time"

	"github.com/wailsapp/wails/v2"
	"github.com/wailsapp/wails/v2/pkg/options"
	"github.com/wailsapp/wails/v2/pkg/options/assetserver"
	"github.com/wailsapp/wails/v2/pkg/runtime"
)

//go:embed all:frontend/dist
var assets embed.FS

// App is the bound struct of the template.
type App struct {
	ctx context.Context
}

func (a *App) startup(ctx context.Context) { a.ctx = ctx }

// domReady reports the DOM-ready time when the benchmark asked for it.
func (a *App) domReady(ctx context.Context) {
	at := time.Now().UnixMilli()
	path := os.Getenv("SWITCHBOARD_BENCH_REPORT")
	if path == "" {
		return
	}
	if err := writeReport(path, at); err != nil {
		fmt.Fprintln(os.Stderr, "hello:", err)
	}
	if s, err := strconv.ParseFloat(os.Getenv("SWITCHBOARD_BENCH_IDLE"), 64); err == nil && s > 0 {
		time.AfterFunc(time.Duration(s*float64(time.Second)), func() { runtime.Quit(ctx) })
	}
}

// writeReport writes the report to a temporary file first, so the script
// never reads half of it.
func writeReport(path string, domReadyMS int64) error {
	b, err := json.Marshal(map[string]int64{"dom_ready_unix_ms": domReadyMS})
	if err != nil {
		return err
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, b, 0o644); err != nil {
		return fmt.Errorf("write report: %w", err)
	}
	return os.Rename(tmp, path)
}

// Greet returns a greeting for the given name.
func (a *App) Greet(name string) string {
	return fmt.Sprintf("Hello %s, It's show time!", name)
}

func main() {
	app := &App{}
	err := wails.Run(&options.App{
		Title:            "hello",
		Width:            1024,
		Height:           768,
		AssetServer:      &assetserver.Options{Assets: assets},
		BackgroundColour: &options.RGBA{R: 27, G: 38, B: 54, A: 1},
		OnStartup:        app.startup,
		OnDomReady:       app.domReady,
		Bind:             []any{app},
	})
	if err != nil {
		println("Error:", err.Error())
	}
}
