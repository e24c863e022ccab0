//go:build linux

package main

import (
	"os"
	"testing"
)

func TestTuneWebViewKeepsWhatIsSet(t *testing.T) {
	t.Setenv("JSC_useDFGJIT", "true")
	t.Setenv("JSC_useFTLJIT", "")
	os.Unsetenv("JSC_useFTLJIT")
	tuneWebView()
	if got := os.Getenv("JSC_useDFGJIT"); got != "true" {
		t.Errorf("JSC_useDFGJIT = %q, want the value set before, %q", got, "true")
	}
	if got := os.Getenv("JSC_useFTLJIT"); got != "false" {
		t.Errorf("JSC_useFTLJIT = %q, want %q", got, "false")
	}
}
