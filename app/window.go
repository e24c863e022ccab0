package app

import (
	"context"
)

// WindowSize is a window size in logical pixels.
type WindowSize struct {
	Width, Height int
}

// WindowLimits are the main window's default and smallest sizes.
type WindowLimits struct {
	Default WindowSize
	Min     WindowSize
}

// maxWindowSide bounds a remembered size before the screens are known: no
// screen is wider, so anything larger is a corrupt settings file.
const maxWindowSide = 16384

// windowState is the main window's geometry as remembered between runs, in
// the settings file. The position is kept only where the window system
// reports one (not on Wayland, where it always reads 0,0 and is ignored).
type windowState struct {
	Width     int  `json:"width"`
	Height    int  `json:"height"`
	X         int  `json:"x"`
	Y         int  `json:"y"`
	Maximised bool `json:"maximised,omitempty"`
}

// StartWindow is the main window's geometry at start.
type StartWindow struct {
	Width, Height int
	Maximised     bool
}

// StartWindow returns the size to open the main window with: the one
// remembered from the last run when it is plausible, else the default. The
// screens are not known yet; Start checks the size against them and moves
// the window to its remembered position.
func (s *Service) StartWindow() StartWindow {
	lim := s.cfg.Window
	st, err := loadSettings(s.cfg.Dir)
	if err != nil || st.Window == nil {
		return StartWindow{Width: lim.Default.Width, Height: lim.Default.Height}
	}
	w := st.Window
	if !plausible(w.Width, w.Height, lim.Min) {
		return StartWindow{Width: lim.Default.Width, Height: lim.Default.Height, Maximised: w.Maximised}
	}
	return StartWindow{Width: w.Width, Height: w.Height, Maximised: w.Maximised}
}

func plausible(width, height int, minSize WindowSize) bool {
	return width >= minSize.Width && height >= minSize.Height &&
		width <= maxWindowSide && height <= maxWindowSide && width > 0 && height > 0
}

// placement is where the main window goes at start.
type placement struct {
	// resize, when set, replaces a remembered size that does not fit any
	// screen.
	resize *WindowSize
	// move, when set, is the remembered position, which fits the screens,
	// or with resize the position that centres the new size.
	move *[2]int
}

// place decides the start placement for the remembered state w on screens.
// A size that fits no screen is replaced by the default shrunk to the
// largest screen, and the window centred on the first. A position is kept
// only when the whole window lies on the screens: Wails reports screen
// sizes but not their origins, so the screens are taken as side by side,
// left to right.
func place(w *windowState, screens []ScreenSize, lim WindowLimits) placement {
	if w == nil || len(screens) == 0 || w.Maximised {
		return placement{}
	}
	var big ScreenSize // the largest width and height of any screen
	totalWidth := 0
	for _, sc := range screens {
		big.Width = max(big.Width, sc.Width)
		big.Height = max(big.Height, sc.Height)
		totalWidth += sc.Width
	}
	fits := false
	for _, sc := range screens {
		if w.Width <= sc.Width && w.Height <= sc.Height {
			fits = true
		}
	}
	if !fits || !plausible(w.Width, w.Height, lim.Min) {
		size := WindowSize{
			Width:  max(min(lim.Default.Width, big.Width), lim.Min.Width),
			Height: max(min(lim.Default.Height, big.Height), lim.Min.Height),
		}
		// Centred on the first screen by hand: the window system's own
		// centring may still see the old size.
		first := screens[0]
		at := [2]int{max(0, (first.Width-size.Width)/2), max(0, (first.Height-size.Height)/2)}
		return placement{resize: &size, move: &at}
	}
	if w.X == 0 && w.Y == 0 {
		return placement{} // nothing known: the window system places it
	}
	if w.X < 0 || w.Y < 0 || w.X+w.Width > totalWidth || w.Y+w.Height > big.Height {
		return placement{}
	}
	return placement{move: &[2]int{w.X, w.Y}}
}

// restoreWindow checks the remembered window against the screens and moves
// it to its remembered position (Start, in the background).
func (s *Service) restoreWindow(d Desktop) {
	s.mu.Lock()
	w := s.settings.Window
	s.mu.Unlock()
	if w == nil {
		return
	}
	screens, err := d.Screens()
	if err != nil {
		s.log.Info("cannot list the screens; the window keeps its size", "err", err)
		return
	}
	p := place(w, screens, s.cfg.Window)
	if p.resize != nil {
		s.log.Info("remembered window does not fit the screen; using the default size",
			"width", w.Width, "height", w.Height)
		d.Resize(p.resize.Width, p.resize.Height)
	}
	if p.move != nil {
		d.Move(p.move[0], p.move[1])
	}
}

// saveWindow remembers the main window's current geometry. A maximised
// window keeps the size it had before (so unmaximising returns to it); a
// minimised one is not measured.
func (s *Service) saveWindow() {
	d := s.desktopOrNil()
	if d == nil {
		return
	}
	b := d.Bounds()
	if b.Minimised {
		return
	}
	s.mu.Lock()
	var w windowState
	if s.settings.Window != nil {
		w = *s.settings.Window
	}
	if b.Maximised {
		w.Maximised = true
	} else {
		if b.Width <= 0 || b.Height <= 0 {
			s.mu.Unlock()
			return
		}
		w = windowState{Width: b.Width, Height: b.Height, X: b.X, Y: b.Y}
	}
	if old := s.settings.Window; old != nil && *old == w {
		s.mu.Unlock()
		return
	}
	s.settings.Window = &w
	s.mu.Unlock()
	s.writeSettings()
}

// WindowChanged remembers the main window's size and position; the UI
// calls it (debounced) when the window was resized.
func (a *App) WindowChanged() error {
	a.s.saveWindow()
	return nil
}

// BeforeClose remembers the window's geometry as the window closes (hook it
// to Wails' OnBeforeClose, while the window still exists). It never
// prevents the close.
func (s *Service) BeforeClose(context.Context) (prevent bool) {
	s.saveWindow()
	return false
}
