package app

import "strings"

// SystemLanguage returns the operating system's UI language as a BCP 47 tag
// ("zh-CN", "en-US"), or "" when it cannot tell. The UI follows it until the
// agent picks a language (the web view's own navigator.language does not
// follow the OS everywhere: WebKitGTK ignores LANG).
func (a *App) SystemLanguage() (string, error) {
	return systemLanguage(), nil
}

// localeTag turns a POSIX locale name ("zh_CN.UTF-8", "en_US@euro",
// "zh_CN:en") into a BCP 47 tag; "C" and "POSIX" say nothing.
func localeTag(s string) string {
	s, _, _ = strings.Cut(s, ":")
	s, _, _ = strings.Cut(s, ".")
	s, _, _ = strings.Cut(s, "@")
	s = strings.TrimSpace(s)
	if s == "" || s == "C" || s == "POSIX" {
		return ""
	}
	return strings.ReplaceAll(s, "_", "-")
}

// envLanguage is the language the POSIX locale variables name, in the
// order gettext reads them.
func envLanguage(getenv func(string) string) string {
	for _, k := range []string{"LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"} {
		if t := localeTag(getenv(k)); t != "" {
			return t
		}
	}
	return ""
}
