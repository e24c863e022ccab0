// Command switchboard is the Switchboard desktop app for agents and
// supervisors: a Wails v2 window around the UI in frontend/, bound to the
// services in app/.
//
// Environment:
//
//	SWITCHBOARD_SERVER_URL    server address offered on the sign-in screen
//	SWITCHBOARD_USERNAME      with the two others: sign in at startup
//	SWITCHBOARD_PASSWORD
//	SWITCHBOARD_CONFIG_DIR    where settings and the local cache live
//	                          (default: the user's config dir + /Switchboard)
//	SWITCHBOARD_DOWNLOAD_DIR  save downloads here without asking
//	SWITCHBOARD_GPU           Linux web view acceleration: never (default),
//	                          ondemand or always
//	SWITCHBOARD_KEYRING       where the cache key and the session are kept:
//	                          auto (default: the OS keychain, else a file in
//	                          the config dir), os (the keychain or nothing),
//	                          file (a 0600 file in the config dir)
//	SWITCHBOARD_POLICY_FILE   the managed policy file to read in place of
//	                          the system-wide policy.json (app/policy)
//	JSC_useJIT                JavaScriptCore's JIT in the Linux web view:
//	                          false unless set (webview_linux.go)
package main

import (
	"context"
	"embed"
	"log/slog"
	"os"

	"github.com/wailsapp/wails/v2"
	"github.com/wailsapp/wails/v2/pkg/options"
	"github.com/wailsapp/wails/v2/pkg/options/assetserver"
	"github.com/wailsapp/wails/v2/pkg/options/linux"
	"github.com/wailsapp/wails/v2/pkg/options/mac"
	"github.com/wailsapp/wails/v2/pkg/options/windows"

	"switchboard/app"
	"switchboard/internal/buildinfo"
)

//go:embed all:frontend/dist
var assets embed.FS

func main() {
	tuneWebView()
	// Info until the managed policy's LogLevel is read in app.New.
	level := new(slog.LevelVar)
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))

	svc := app.New(app.Config{
		Dir:              os.Getenv("SWITCHBOARD_CONFIG_DIR"),
		DefaultServerURL: os.Getenv("SWITCHBOARD_SERVER_URL"),
		AutoSignIn: app.Credentials{
			ServerURL: os.Getenv("SWITCHBOARD_SERVER_URL"),
			Username:  os.Getenv("SWITCHBOARD_USERNAME"),
			Password:  os.Getenv("SWITCHBOARD_PASSWORD"),
		},
		DownloadDir: os.Getenv("SWITCHBOARD_DOWNLOAD_DIR"),
		Logger:      logger,
		LogLevel:    level,
		Window: app.WindowLimits{
			Default: app.WindowSize{Width: 1280, Height: 800},
			Min:     app.WindowSize{Width: 960, Height: 600},
		},
	})
	win := svc.StartWindow()
	start := options.Normal
	if win.Maximised {
		start = options.Maximised
	}

	err := wails.Run(&options.App{
		Title:            "Switchboard",
		Width:            win.Width,
		Height:           win.Height,
		MinWidth:         960,
		MinHeight:        600,
		WindowStartState: start,
		BackgroundColour: options.NewRGB(255, 255, 255),
		AssetServer:      &assetserver.Options{Assets: assets},
		OnStartup:        svc.Start,
		OnBeforeClose:    svc.BeforeClose,
		OnShutdown:       func(_ context.Context) { svc.Stop() },
		Bind:             []any{svc.App()},
		// Files dropped on the window are uploaded from their paths
		// (app.EventFilesDropped); the web view does not open them itself.
		DragAndDrop: &options.DragAndDrop{EnableFileDrop: true, DisableWebViewDrop: true},
		// A second launch hands over to the running app, which comes to the
		// front (options.SingleInstanceLock, keyed by the app id).
		SingleInstanceLock: &options.SingleInstanceLock{
			UniqueId:               "dev.switchboard.desktop",
			OnSecondInstanceLaunch: func(options.SecondInstanceData) { svc.ShowWindow() },
		},
		Linux: &linux.Options{
			Icon:             app.WindowIcon,
			ProgramName:      "switchboard",
			WebviewGpuPolicy: gpuPolicy(os.Getenv("SWITCHBOARD_GPU")),
		},
		Windows: &windows.Options{
			WebviewIsTransparent: false,
			WindowIsTranslucent:  false,
			DisableWindowIcon:    false,
			Theme:                windows.SystemDefault,
		},
		Mac: &mac.Options{
			About: &mac.AboutInfo{Title: "Switchboard " + buildinfo.Version, Message: "Customer conversations, bot to human."},
		},
	})
	if err != nil {
		logger.Error("app failed", "err", err)
		os.Exit(1)
	}
}

// gpuPolicy is the web view's hardware acceleration on Linux: "always",
// "ondemand", or never (the default). The workstation is text in
// virtualized lists, which WebKitGTK draws smoothly without the GPU, and
// accelerated compositing costs about 100 MiB more memory
// (docs/benchmarks.md) and is where GPU driver trouble shows.
func gpuPolicy(v string) linux.WebviewGpuPolicy {
	switch v {
	case "always":
		return linux.WebviewGpuPolicyAlways
	case "ondemand":
		return linux.WebviewGpuPolicyOnDemand
	}
	return linux.WebviewGpuPolicyNever
}
