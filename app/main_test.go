package app

import (
	"os"
	"testing"
)

// TestMain keeps the tests' cache keys and sessions in files of their temp
// config dirs, never in the keychain of the machine running them (the OS
// keychain itself is tested in package secrets).
func TestMain(m *testing.M) {
	os.Setenv("SWITCHBOARD_KEYRING", "file")
	os.Exit(m.Run())
}
