package app

import (
	"context"

	"github.com/wailsapp/wails/v2/pkg/runtime"
)

// Platform is what the app needs from the window system. The desktop build
// uses the Wails runtime; tests use a fake, since calling the Wails runtime
// with a context Wails did not create ends the process.
type Platform interface {
	// Emit sends an event to the UI. Calls come from one goroutine, in order.
	Emit(name string, data any)
	// ShowWindow brings the main window to the front.
	ShowWindow()
}

// wailsPlatform is the Platform of a running Wails app.
type wailsPlatform struct {
	ctx context.Context // the context Wails passed to OnStartup
}

var _ Platform = wailsPlatform{}

// Emit implements Platform.
func (p wailsPlatform) Emit(name string, data any) {
	runtime.EventsEmit(p.ctx, name, data)
}

// ShowWindow implements Platform.
func (p wailsPlatform) ShowWindow() {
	runtime.WindowUnminimise(p.ctx)
	runtime.WindowShow(p.ctx)
}
