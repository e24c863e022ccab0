package secrets

import (
	"bufio"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func roundTrip(t *testing.T, s Store) {
	t.Helper()
	if _, err := s.Get("cache-key/x"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("get before set: %v, want ErrNotFound", err)
	}
	if err := s.Set("cache-key/x", "c2VjcmV0"); err != nil {
		t.Fatal(err)
	}
	if err := s.Set("session", `{"token":"t1"}`); err != nil {
		t.Fatal(err)
	}
	if err := s.Set("session", `{"token":"t2"}`); err != nil {
		t.Fatal(err)
	}
	if v, err := s.Get("cache-key/x"); err != nil || v != "c2VjcmV0" {
		t.Fatalf("get = %q, %v", v, err)
	}
	if v, err := s.Get("session"); err != nil || v != `{"token":"t2"}` {
		t.Fatalf("get replaced = %q, %v", v, err)
	}
	if err := s.Delete("session"); err != nil {
		t.Fatal(err)
	}
	if err := s.Delete("session"); err != nil {
		t.Fatalf("second delete: %v", err)
	}
	if _, err := s.Get("session"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("get after delete: %v, want ErrNotFound", err)
	}
	if v, err := s.Get("cache-key/x"); err != nil || v != "c2VjcmV0" {
		t.Fatalf("other secret after delete = %q, %v", v, err)
	}
}

func TestFileStore(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "config")
	s, err := Open(ModeFile, dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	if s.Kind() != ModeFile {
		t.Fatalf("kind = %s", s.Kind())
	}
	roundTrip(t, s)

	fi, err := os.Stat(filepath.Join(dir, FileName))
	if err != nil {
		t.Fatal(err)
	}
	if perm := fi.Mode().Perm(); perm != 0o600 && os.PathSeparator == '/' {
		t.Fatalf("secrets file mode = %v, want 0600", perm)
	}
	// A second store on the same directory reads what the first wrote.
	s2, _ := Open(ModeFile, dir, nil)
	if v, err := s2.Get("cache-key/x"); err != nil || v != "c2VjcmV0" {
		t.Fatalf("reopened get = %q, %v", v, err)
	}

	// A damaged file is an error, not an empty store that would let the
	// caller overwrite the key.
	if err := os.WriteFile(filepath.Join(dir, FileName), []byte("{oops"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := s2.Get("cache-key/x"); err == nil || errors.Is(err, ErrNotFound) {
		t.Fatalf("damaged file: %v, want a decode error", err)
	}
	if err := s2.Set("a", "b"); err == nil {
		t.Fatal("set over a damaged file succeeded")
	}
}

func TestOpenModes(t *testing.T) {
	if _, err := Open("vault", t.TempDir(), nil); err == nil {
		t.Fatal("unknown mode accepted")
	}
	// With no D-Bus session there is no Secret Service: auto falls back to
	// the file, os refuses.
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "unix:path="+filepath.Join(t.TempDir(), "no-bus"))
	s, err := Open(ModeAuto, t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if s.Kind() != ModeFile {
		t.Fatalf("auto without a keychain chose %s", s.Kind())
	}
	if _, err := Open(ModeOS, t.TempDir(), nil); err == nil {
		t.Fatal("os mode without a keychain succeeded")
	}
}

// TestOSKeychain runs against a real GNOME Keyring (the Secret Service) on a
// private D-Bus session bus started for the test.
func TestOSKeychain(t *testing.T) {
	for _, bin := range []string{"dbus-daemon", "gnome-keyring-daemon"} {
		if _, err := exec.LookPath(bin); err != nil {
			if os.Getenv("CI") != "" {
				t.Fatalf("%s is missing (scripts/deps.sh installs it)", bin)
			}
			t.Skipf("%s is not installed", bin)
		}
	}
	home := t.TempDir()
	// A bus of our own without service activation: with it, the first
	// probe could start a second keyring daemon (with no unlocked login
	// keyring) before ours registers.
	conf := filepath.Join(home, "bus.conf")
	if err := os.WriteFile(conf, []byte(`<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:dir=`+home+`</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
`), 0o600); err != nil {
		t.Fatal(err)
	}
	bus := exec.Command("dbus-daemon", "--config-file="+conf, "--nofork", "--print-address=1")
	out, err := bus.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := bus.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { bus.Process.Kill(); bus.Wait() })
	addr, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		t.Fatalf("read bus address: %v", err)
	}
	addr = strings.TrimSpace(addr)
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", addr)
	t.Setenv("XDG_DATA_HOME", filepath.Join(home, "data"))
	t.Setenv("XDG_RUNTIME_DIR", home)
	t.Setenv("HOME", home)

	// The "default" collection alias names the login keyring, as on a
	// desktop where it was set up at first login.
	keyrings := filepath.Join(home, "data", "keyrings")
	if err := os.MkdirAll(keyrings, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(keyrings, "default"), []byte("login"), 0o600); err != nil {
		t.Fatal(err)
	}
	// --unlock reads the login keyring's password on stdin and creates the
	// keyring, so no prompt is needed; --foreground keeps the daemon our
	// child, ended at cleanup.
	kr := exec.Command("gnome-keyring-daemon", "--foreground", "--unlock", "--components=secrets")
	kr.Stdin = strings.NewReader("test-password")
	var krOut strings.Builder
	kr.Stdout, kr.Stderr = &krOut, &krOut
	if err := kr.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { kr.Process.Kill(); kr.Wait() })

	var s Store
	deadline := time.Now().Add(10 * time.Second)
	for {
		s, err = Open(ModeOS, t.TempDir(), nil)
		if err == nil || time.Now().After(deadline) {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if err != nil {
		t.Fatalf("%v; daemon output:\n%s", err, krOut.String())
	}
	if s.Kind() != ModeOS {
		t.Fatalf("kind = %s", s.Kind())
	}
	roundTrip(t, s)
	if a, _ := Open(ModeAuto, t.TempDir(), nil); a.Kind() != ModeOS {
		t.Fatalf("auto with a keychain chose %s", a.Kind())
	}
}
