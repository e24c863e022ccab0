package app

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// settings are remembered between runs so the sign-in screen is prefilled
// and the window opens as it was left. The password is never stored.
type settings struct {
	ServerURL string       `json:"server_url,omitempty"`
	Username  string       `json:"username,omitempty"`
	Window    *windowState `json:"window,omitempty"`
}

const settingsFile = "settings.json"

func loadSettings(dir string) (settings, error) {
	var s settings
	b, err := os.ReadFile(filepath.Join(dir, settingsFile))
	if errors.Is(err, fs.ErrNotExist) {
		return s, nil
	}
	if err != nil {
		return s, fmt.Errorf("read settings: %w", err)
	}
	if err := json.Unmarshal(b, &s); err != nil {
		return settings{}, fmt.Errorf("decode settings: %w", err)
	}
	return s, nil
}

// saveSettings writes the file atomically: a crash leaves the old or the new
// settings, never half of them.
func saveSettings(dir string, s settings) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("create config dir: %w", err)
	}
	b, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return fmt.Errorf("encode settings: %w", err)
	}
	tmp, err := os.CreateTemp(dir, settingsFile+".*")
	if err != nil {
		return fmt.Errorf("write settings: %w", err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(append(b, '\n')); err != nil {
		tmp.Close()
		return fmt.Errorf("write settings: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write settings: %w", err)
	}
	if err := os.Rename(tmp.Name(), filepath.Join(dir, settingsFile)); err != nil {
		return fmt.Errorf("write settings: %w", err)
	}
	return nil
}
