//go:build linux

package main

import (
	"os"
	"testing"
)

func TestTuneWebViewSetsWhatIsUnset(t *testing.T) {
	t.Setenv("JSC_useJIT", "")
	os.Unsetenv("JSC_useJIT")
	tuneWebView()
	if got := os.Getenv("JSC_useJIT"); got != "false" {
		t.Errorf("JSC_useJIT = %q, want %q", got, "false")
	}
}

func TestTuneWebViewKeepsWhatIsSet(t *testing.T) {
	t.Setenv("JSC_useJIT", "true")
	tuneWebView()
	if got := os.Getenv("JSC_useJIT"); got != "true" {
		t.Errorf("JSC_useJIT = %q, want the value set before, %q", got, "true")
	}
}
