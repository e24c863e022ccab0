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
	// Canned are the agent's personal canned responses; nil means the
	// defaults. The shared ones, kept by supervisors and admins, come from
	// the server (CannedList).
	Canned []CannedResponse `json:"canned_responses,omitempty"`
}

// CannedResponse is a reply the agent inserts by typing "/" and its
// shortcut in the composer, with its text in each language.
type CannedResponse struct {
	Shortcut string `json:"shortcut"`
	Text     string `json:"text"`    // English
	TextZH   string `json:"text_zh"` // Simplified Chinese
}

// defaultCanned are the canned responses of a new install.
var defaultCanned = []CannedResponse{
	{Shortcut: "hello", Text: "Hello! Thanks for waiting. How can I help you today?", TextZH: "您好！感谢您的耐心等待，请问有什么可以帮您？"},
	{Shortcut: "moment", Text: "One moment please, I am checking that for you.", TextZH: "请稍等，我正在为您查询。"},
	{Shortcut: "order", Text: "Could you tell me your order number, please?", TextZH: "请提供一下您的订单号，谢谢。"},
	{Shortcut: "shipping", Text: "Orders usually ship within 24 hours and arrive in 2–4 days.", TextZH: "订单通常在 24 小时内发货，2–4 天送达。"},
	{Shortcut: "refund", Text: "I have started the refund; it reaches your account in 3–5 working days.", TextZH: "已为您发起退款，3–5 个工作日内到账。"},
	{Shortcut: "thanks", Text: "Thank you for contacting us. Have a nice day!", TextZH: "感谢您的咨询，祝您生活愉快！"},
}

func (s settings) canned() []CannedResponse {
	if s.Canned == nil {
		return append([]CannedResponse(nil), defaultCanned...)
	}
	return append([]CannedResponse(nil), s.Canned...)
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
