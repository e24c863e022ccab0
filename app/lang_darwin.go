package app

import (
	"context"
	"os"
	"os/exec"
	"strings"
	"time"
)

// systemLanguage reads the first of the user's preferred languages; an app
// started from the Finder has no LANG, so the environment comes second.
func systemLanguage() string {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, "defaults", "read", "-g", "AppleLanguages").Output()
	if err == nil {
		// (\n    "zh-Hans-CN",\n    en\n)
		for _, f := range strings.FieldsFunc(string(out), func(r rune) bool { return strings.ContainsRune("()\",\n\t ", r) }) {
			return f
		}
	}
	return envLanguage(os.Getenv)
}
