package app

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

var testLimits = WindowLimits{Default: WindowSize{1280, 800}, Min: WindowSize{960, 600}}

// TestPlace checks where a remembered window goes at start: a size that
// fits no screen is replaced (shrunk to the screen) and centred, and a
// position is kept only when the window lies on the screens.
func TestPlace(t *testing.T) {
	laptop := []ScreenSize{{1366, 768}}
	wide := []ScreenSize{{2560, 1440}}
	two := []ScreenSize{{1920, 1080}, {1920, 1080}}
	tests := []struct {
		name       string
		w          *windowState
		screens    []ScreenSize
		wantResize *WindowSize
		wantMove   *[2]int
	}{
		{"nothing remembered", nil, wide, nil, nil},
		{"no screens known", &windowState{Width: 5000, Height: 3000}, nil, nil, nil},
		{"fits, with position", &windowState{Width: 1400, Height: 900, X: 100, Y: 50}, wide, nil, &[2]int{100, 50}},
		{"fits, no position", &windowState{Width: 1400, Height: 900}, wide, nil, nil},
		{"too big for the screen", &windowState{Width: 2400, Height: 1300, X: 10, Y: 10}, laptop, &WindowSize{1280, 768}, &[2]int{43, 0}},
		{"smaller than the minimum", &windowState{Width: 200, Height: 100}, wide, &WindowSize{1280, 800}, &[2]int{640, 320}},
		{"off the right edge", &windowState{Width: 1400, Height: 900, X: 2000, Y: 50}, wide, nil, nil},
		{"negative position", &windowState{Width: 1400, Height: 900, X: -300, Y: 50}, wide, nil, nil},
		{"on the second screen", &windowState{Width: 1400, Height: 900, X: 2100, Y: 100}, two, nil, &[2]int{2100, 100}},
		{"below the screens", &windowState{Width: 1400, Height: 900, X: 100, Y: 900}, two, nil, nil},
		{"maximised", &windowState{Width: 2400, Height: 1300, Maximised: true}, laptop, nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := place(tt.w, tt.screens, testLimits)
			if (p.resize == nil) != (tt.wantResize == nil) || p.resize != nil && *p.resize != *tt.wantResize {
				t.Errorf("place(%+v, %v) resize = %v, want %v", tt.w, tt.screens, p.resize, tt.wantResize)
			}
			if (p.move == nil) != (tt.wantMove == nil) || p.move != nil && *p.move != *tt.wantMove {
				t.Errorf("place(%+v, %v) move = %v, want %v", tt.w, tt.screens, p.move, tt.wantMove)
			}
		})
	}
}

func writeWindowSettings(t *testing.T, dir string, st settings) {
	t.Helper()
	if err := saveSettings(dir, st); err != nil {
		t.Fatal(err)
	}
}

// TestStartWindow checks the size the window opens with.
func TestStartWindow(t *testing.T) {
	tests := []struct {
		name string
		w    *windowState
		want StartWindow
	}{
		{"first run", nil, StartWindow{Width: 1280, Height: 800}},
		{"remembered", &windowState{Width: 1500, Height: 950, X: 5, Y: 5}, StartWindow{Width: 1500, Height: 950}},
		{"maximised", &windowState{Width: 1500, Height: 950, Maximised: true}, StartWindow{Width: 1500, Height: 950, Maximised: true}},
		{"too small", &windowState{Width: 10, Height: 10}, StartWindow{Width: 1280, Height: 800}},
		{"absurd", &windowState{Width: 1 << 20, Height: 900}, StartWindow{Width: 1280, Height: 800}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			writeWindowSettings(t, dir, settings{Username: "alice", Window: tt.w})
			got := New(Config{Dir: dir, Window: testLimits}).StartWindow()
			if got != tt.want {
				t.Errorf("StartWindow() = %+v, want %+v", got, tt.want)
			}
		})
	}
	// A broken settings file opens the default window.
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, settingsFile), []byte("{"), 0o600); err != nil {
		t.Fatal(err)
	}
	if got := New(Config{Dir: dir}).StartWindow(); got != (StartWindow{Width: 1280, Height: 800}) {
		t.Errorf("StartWindow() with broken settings = %+v, want the default", got)
	}
}

func readSettings(t *testing.T, dir string) settings {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, settingsFile))
	if err != nil {
		t.Fatal(err)
	}
	var st settings
	if err := json.Unmarshal(b, &st); err != nil {
		t.Fatal(err)
	}
	return st
}

// TestWindowSavedAndRestored checks that the window's geometry is saved on
// resize and before closing (keeping the other settings), that a maximised
// window keeps its normal size, and that the next start restores the
// position or, when the size no longer fits the screen, centres a default.
func TestWindowSavedAndRestored(t *testing.T) {
	dir := t.TempDir()
	writeWindowSettings(t, dir, settings{ServerURL: "http://x", Username: "alice"})

	p := &fakeDesktopPlatform{}
	p.screens = []ScreenSize{{2560, 1440}}
	svc := New(Config{Dir: dir, Platform: p, Window: testLimits})
	svc.Start(t.Context())

	p.bounds = WindowBounds{Width: 1500, Height: 950, X: 120, Y: 80}
	if err := svc.App().WindowChanged(); err != nil {
		t.Fatal(err)
	}
	st := readSettings(t, dir)
	if st.Username != "alice" || st.ServerURL != "http://x" {
		t.Errorf("saving the window lost the sign-in settings: %+v", st)
	}
	if want := (windowState{Width: 1500, Height: 950, X: 120, Y: 80}); st.Window == nil || *st.Window != want {
		t.Errorf("saved window = %+v, want %+v", st.Window, want)
	}

	// Minimised: nothing measured. Maximised: the normal size stays.
	p.bounds = WindowBounds{Minimised: true}
	svc.App().WindowChanged()
	p.bounds = WindowBounds{Width: 2560, Height: 1400, Maximised: true}
	if svc.BeforeClose(t.Context()) {
		t.Error("BeforeClose prevented the close")
	}
	svc.Stop()
	st = readSettings(t, dir)
	if want := (windowState{Width: 1500, Height: 950, X: 120, Y: 80, Maximised: true}); st.Window == nil || *st.Window != want {
		t.Errorf("saved window = %+v, want %+v", st.Window, want)
	}

	// Unmaximised, then the next run: the position is restored.
	st.Window.Maximised = false
	writeWindowSettings(t, dir, st)
	p2 := &fakeDesktopPlatform{}
	p2.screens = []ScreenSize{{2560, 1440}}
	svc2 := New(Config{Dir: dir, Platform: p2, Window: testLimits})
	if got := svc2.StartWindow(); got != (StartWindow{Width: 1500, Height: 950}) {
		t.Errorf("StartWindow() = %+v", got)
	}
	svc2.Start(t.Context())
	svc2.Stop()
	if len(p2.moved) != 1 || p2.moved[0] != [2]int{120, 80} || len(p2.resized) != 0 {
		t.Errorf("restore moved %v, resized %v; want moved to 120,80 only", p2.moved, p2.resized)
	}

	// On a smaller screen the remembered size does not fit: default, centred.
	p3 := &fakeDesktopPlatform{}
	p3.screens = []ScreenSize{{1366, 768}}
	svc3 := New(Config{Dir: dir, Platform: p3, Window: testLimits})
	svc3.Start(t.Context())
	svc3.Stop()
	if len(p3.resized) != 1 || p3.resized[0] != (WindowSize{1280, 768}) || len(p3.moved) != 1 || p3.moved[0] != [2]int{43, 0} {
		t.Errorf("restore on a small screen resized %v, moved %v; want 1280x768 centred at 43,0", p3.resized, p3.moved)
	}
}

// TestSettingsWriteKeepsWindow checks that saving the sign-in settings does
// not drop the remembered window.
func TestSettingsWriteKeepsWindow(t *testing.T) {
	dir := t.TempDir()
	w := &windowState{Width: 1500, Height: 950}
	writeWindowSettings(t, dir, settings{Window: w})
	svc := New(Config{Dir: dir, Platform: &fakeDesktopPlatform{}})
	svc.Start(t.Context())
	defer svc.Stop()
	svc.mu.Lock()
	svc.settings.ServerURL, svc.settings.Username = "http://y", "bob"
	svc.mu.Unlock()
	svc.writeSettings()
	if st := readSettings(t, dir); st.Window == nil || *st.Window != *w || st.Username != "bob" {
		t.Errorf("settings = %+v, want bob with the window kept", st)
	}
}
