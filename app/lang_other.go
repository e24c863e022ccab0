//go:build !windows && !darwin

package app

import "os"

func systemLanguage() string { return envLanguage(os.Getenv) }
