package app

import (
	"context"
	"log/slog"
	"runtime"
	"sync"

	wails "github.com/wailsapp/wails/v2/pkg/runtime"
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

// Desktop is what notifications, alerts and the remembered window need from
// the operating system. A Platform that also implements Desktop gets them;
// one that does not (most tests) runs without.
type Desktop interface {
	// Notify shows a desktop notification. It may fail (no notification
	// service); the caller logs and carries on.
	Notify(n Notification) error
	// SetTitle sets the main window's title (where the badge count goes).
	SetTitle(title string)
	// Attention asks for the agent's attention: the window is unminimised
	// and shown.
	Attention()
	// Bounds reads the main window's size, position and state.
	Bounds() WindowBounds
	// Resize and Move place the main window.
	Resize(width, height int)
	Move(x, y int)
	// Screens lists the sizes of the screens, in the logical pixels window
	// sizes use.
	Screens() ([]ScreenSize, error)
}

// Notification is a desktop notification.
type Notification struct {
	// ID names the notification: a later one with the same ID replaces it
	// where the OS allows.
	ID    string
	Title string
	Body  string
	// ConversationID is what the notification is about; clicking it opens
	// the conversation.
	ConversationID string
}

// WindowBounds is the main window's geometry.
type WindowBounds struct {
	Width, Height int
	X, Y          int
	Maximised     bool
	Minimised     bool
}

// ScreenSize is a screen's size in logical pixels.
type ScreenSize struct {
	Width, Height int
}

// wailsPlatform is the Platform of a running Wails app.
type wailsPlatform struct {
	ctx context.Context // the context Wails passed to OnStartup
	log *slog.Logger
	// onClick is told the conversation of a notification the agent clicked.
	onClick func(conversationID string)

	notifyOnce sync.Once
	notifyOK   bool // set once, by notifyOnce
}

var (
	_ Platform = (*wailsPlatform)(nil)
	_ Desktop  = (*wailsPlatform)(nil)
)

// Emit implements Platform.
func (p *wailsPlatform) Emit(name string, data any) {
	wails.EventsEmit(p.ctx, name, data)
}

// ShowWindow implements Platform.
func (p *wailsPlatform) ShowWindow() {
	wails.WindowUnminimise(p.ctx)
	wails.WindowShow(p.ctx)
}

// Attention implements Desktop.
func (p *wailsPlatform) Attention() { p.ShowWindow() }

// SetTitle implements Desktop.
func (p *wailsPlatform) SetTitle(title string) { wails.WindowSetTitle(p.ctx, title) }

// Notify implements Desktop. The notification service is set up on first
// use; when that fails (no session bus, no permission) notifications stay
// off for the run and the alerts fall back to the sound and the title.
func (p *wailsPlatform) Notify(n Notification) error {
	p.notifyOnce.Do(p.initNotifications)
	if !p.notifyOK {
		return errNotificationsOff
	}
	return wails.SendNotification(p.ctx, wails.NotificationOptions{
		ID:    n.ID,
		Title: n.Title,
		Body:  n.Body,
		Data:  map[string]any{"conversation_id": n.ConversationID},
	})
}

func (p *wailsPlatform) initNotifications() {
	if err := wails.InitializeNotifications(p.ctx); err != nil {
		p.log.Warn("desktop notifications unavailable", "err", err)
		return
	}
	if !wails.IsNotificationAvailable(p.ctx) {
		p.log.Warn("desktop notifications unavailable on this system")
		return
	}
	if runtime.GOOS == "darwin" {
		ok, err := wails.CheckNotificationAuthorization(p.ctx)
		if err == nil && !ok {
			ok, err = wails.RequestNotificationAuthorization(p.ctx)
		}
		if err != nil || !ok {
			p.log.Warn("desktop notifications not allowed", "err", err)
			return
		}
	}
	wails.OnNotificationResponse(p.ctx, func(r wails.NotificationResult) {
		if r.Error != nil {
			return
		}
		id, _ := r.Response.UserInfo["conversation_id"].(string)
		p.ShowWindow()
		if p.onClick != nil && id != "" {
			p.onClick(id)
		}
	})
	p.notifyOK = true
}

// Bounds implements Desktop.
func (p *wailsPlatform) Bounds() WindowBounds {
	var b WindowBounds
	b.Width, b.Height = wails.WindowGetSize(p.ctx)
	b.X, b.Y = wails.WindowGetPosition(p.ctx)
	b.Maximised = wails.WindowIsMaximised(p.ctx)
	b.Minimised = wails.WindowIsMinimised(p.ctx)
	return b
}

// Resize implements Desktop.
func (p *wailsPlatform) Resize(width, height int) { wails.WindowSetSize(p.ctx, width, height) }

// Move implements Desktop.
func (p *wailsPlatform) Move(x, y int) { wails.WindowSetPosition(p.ctx, x, y) }

// Screens implements Desktop.
func (p *wailsPlatform) Screens() ([]ScreenSize, error) {
	all, err := wails.ScreenGetAll(p.ctx)
	if err != nil {
		return nil, err
	}
	out := make([]ScreenSize, 0, len(all))
	for _, s := range all {
		w, h := s.Size.Width, s.Size.Height
		if w == 0 || h == 0 {
			w, h = s.Width, s.Height
		}
		out = append(out, ScreenSize{Width: w, Height: h})
	}
	return out, nil
}

// Dialogs is what uploads and downloads need from the window system: the
// native file dialogs and files dropped on the window. A Platform that does
// not implement it (most tests) has no dialogs; ChooseAndUpload and
// DownloadFile then fail.
type Dialogs interface {
	// OpenFiles asks the agent for files to send; none chosen is (nil, nil).
	OpenFiles(title string) ([]string, error)
	// SaveFile asks where to save a file; cancelled is ("", nil).
	SaveFile(title, defaultName string) (string, error)
	// OnFileDrop calls fn with the paths of files dropped on the window.
	OnFileDrop(fn func(paths []string))
}

var _ Dialogs = (*wailsPlatform)(nil)

// OpenFiles implements Dialogs.
func (p *wailsPlatform) OpenFiles(title string) ([]string, error) {
	return wails.OpenMultipleFilesDialog(p.ctx, wails.OpenDialogOptions{Title: title})
}

// SaveFile implements Dialogs.
func (p *wailsPlatform) SaveFile(title, defaultName string) (string, error) {
	return wails.SaveFileDialog(p.ctx, wails.SaveDialogOptions{Title: title, DefaultFilename: defaultName})
}

// OnFileDrop implements Dialogs.
func (p *wailsPlatform) OnFileDrop(fn func(paths []string)) {
	wails.OnFileDrop(p.ctx, func(_, _ int, paths []string) { fn(paths) })
}
