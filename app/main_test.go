package app

import (
	"os"
	"path/filepath"
	"testing"
)

// TestMain keeps the tests' cache keys and sessions in files of their temp
// config dirs, never in the keychain of the machine running them (the OS
// keychain itself is tested in package secrets), and keeps them from the
// machine's managed policy: tests that need one give it in Config.
func TestMain(m *testing.M) {
	os.Setenv("SWITCHBOARD_KEYRING", "file")
	os.Setenv("SWITCHBOARD_POLICY_FILE", filepath.Join(os.TempDir(), "switchboard-tests-no-policy", "policy.json"))
	os.Exit(m.Run())
}
