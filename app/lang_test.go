package app

import "testing"

func TestEnvLanguage(t *testing.T) {
	for _, tt := range []struct {
		env  map[string]string
		want string
	}{
		{map[string]string{"LANG": "zh_CN.UTF-8"}, "zh-CN"},
		{map[string]string{"LANG": "en_US.UTF-8", "LANGUAGE": "zh_TW:en"}, "zh-TW"},
		{map[string]string{"LANG": "zh_CN.UTF-8", "LC_ALL": "en_GB@euro"}, "en-GB"},
		{map[string]string{"LANG": "C.UTF-8"}, ""},
		{map[string]string{"LANG": "POSIX", "LC_MESSAGES": "de_DE"}, "de-DE"},
		{map[string]string{}, ""},
	} {
		if got := envLanguage(func(k string) string { return tt.env[k] }); got != tt.want {
			t.Errorf("envLanguage(%v) = %q, want %q", tt.env, got, tt.want)
		}
	}
}
