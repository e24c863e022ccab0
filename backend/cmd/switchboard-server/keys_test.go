package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"switchboard/backend/seal/pkcs11kek"
)

// TestServeNeedsKEK checks that serve does not store plaintext by
// omission: without a key-encryption key (and without --demo or
// --insecure-plaintext) it refuses to start, naming the ways to give one.
func TestServeNeedsKEK(t *testing.T) {
	clearEnv(t)
	t.Setenv(kekEnv, "")
	dir := t.TempDir()
	code, _, errOut := cli(t, "", "serve", "--addr", "127.0.0.1:0", "--data", dir)
	if code != 2 || !strings.Contains(errOut, "no key-encryption key") || !strings.Contains(errOut, "kek_file") ||
		!strings.Contains(errOut, kekEnv) || !strings.Contains(errOut, "insecure_plaintext") {
		t.Errorf("serve without a KEK = %d %q, want 2 and the ways to give one", code, errOut)
	}
	if _, err := os.Stat(filepath.Join(dir, dbName)); err == nil {
		t.Error("serve without a KEK created the database")
	}
	kek := filepath.Join(t.TempDir(), "kek")
	if code, _, errOut := cli(t, "", "keys", "gen", kek); code != 0 {
		t.Fatalf("keys gen = %d %q", code, errOut)
	}
	t.Setenv(kekEnv, "c2hvcnQ=")
	code, _, errOut = cli(t, "", "serve", "--addr", "127.0.0.1:0", "--data", dir, "--kek-file", kek)
	if code != 2 || !strings.Contains(errOut, "more than one of kek_file") {
		t.Errorf("serve with two KEKs = %d %q, want a refusal", code, errOut)
	}
	code, _, errOut = cli(t, "", "serve", "--addr", "127.0.0.1:0", "--data", dir)
	if code != 2 || !strings.Contains(errOut, "want base64") {
		t.Errorf("serve with a malformed %s = %d %q, want a refusal", kekEnv, code, errOut)
	}
	t.Setenv(kekEnv, "")
	code, _, errOut = cli(t, "", "serve", "--addr", "127.0.0.1:0", "--data", dir, "--kek-pkcs11", "module=/nonexistent.so")
	if code != 2 || !strings.Contains(errOut, "module=PATH,token=LABEL,key=LABEL") {
		t.Errorf("serve with a partial kek_pkcs11 = %d %q, want a refusal", code, errOut)
	}
	if !pkcs11kek.Available {
		code, _, errOut = cli(t, "", "serve", "--addr", "127.0.0.1:0", "--data", dir, "--kek-pkcs11", "module=/x.so,token=t,key=k")
		if code != 2 || !strings.Contains(errOut, "no PKCS#11 support") {
			t.Errorf("serve --kek-pkcs11 in a build without it = %d %q, want a refusal naming the build tag", code, errOut)
		}
	}
}

// TestKeysRotateAndWrongKEK runs a server with a KEK file, rotates and
// lists the data keys with the CLI, and checks that a server given another
// KEK refuses to start with a clear message.
func TestKeysRotateAndWrongKEK(t *testing.T) {
	clearEnv(t)
	t.Setenv(kekEnv, "")
	dir := t.TempDir()
	kek := filepath.Join(t.TempDir(), "kek")
	if code, out, errOut := cli(t, "", "keys", "gen", kek); code != 0 || !strings.Contains(out, "0600") {
		t.Fatalf("keys gen = %d %q %q", code, out, errOut)
	}
	if fi, err := os.Stat(kek); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("KEK file mode = %v, %v", fi.Mode().Perm(), err)
	}
	base, _, _, stop := startServeArgs(t, "--demo", "--data", dir, "--kek-file", kek)
	newVisitor(t, base) // a conversation: rows the key seals
	if _, err := os.Stat(filepath.Join(dir, demoKEKName)); err == nil {
		t.Error("serve --demo --kek-file made a demo KEK")
	}
	t.Setenv("SWITCHBOARD_KEK_FILE", kek)
	code, out, errOut := cli(t, "", "keys", "rotate", "--data", dir)
	if code != 0 || !strings.Contains(out, "data key 2 made") {
		t.Fatalf("keys rotate = %d %q %q", code, out, errOut)
	}
	code, out, errOut = cli(t, "", "keys", "status", "--data", dir)
	if code != 0 || !regexp.MustCompile(`(?m)^1\s+\S+\s+[1-9]\d*\s*$`).MatchString(out) ||
		!regexp.MustCompile(`(?m)^2\s+\S+\s+\d+\s+current$`).MatchString(out) {
		t.Errorf("keys status = %d %q %q; want key 1 with rows and key 2 current", code, out, errOut)
	}
	stop()

	other := filepath.Join(t.TempDir(), "other")
	cli(t, "", "keys", "gen", other)
	t.Setenv("SWITCHBOARD_KEK_FILE", "")
	code, _, errOut = cli(t, "", "serve", "--addr", "127.0.0.1:0", "--data", dir, "--kek-file", other, "--log-format", "text")
	if code == 0 || !strings.Contains(errOut, "key-encryption key does not open the stored data keys") {
		t.Errorf("serve with another KEK = %d %q, want a refusal naming the key", code, errOut)
	}
	code, _, errOut = cli(t, "", "serve", "--addr", "127.0.0.1:0", "--data", dir, "--insecure-plaintext", "--log-format", "text")
	if code == 0 || !strings.Contains(errOut, "the database is encrypted") {
		t.Errorf("serve --insecure-plaintext on an encrypted database = %d %q, want a refusal", code, errOut)
	}
	// Rewrap onto the other KEK: it opens the data now, the first does not.
	t.Setenv("SWITCHBOARD_KEK_FILE", kek)
	if code, out, errOut := cli(t, "", "keys", "rewrap", "--data", dir, other); code != 0 || !strings.Contains(out, "wrapped with") {
		t.Fatalf("keys rewrap = %d %q %q", code, out, errOut)
	}
	t.Setenv("SWITCHBOARD_KEK_FILE", "")
	base, _, _, stop = startServeArgs(t, "--demo", "--data", dir, "--kek-file", other)
	newVisitor(t, base)
	stop()
	code, _, errOut = cli(t, "", "serve", "--addr", "127.0.0.1:0", "--data", dir, "--kek-file", kek, "--log-format", "text")
	if code == 0 || !strings.Contains(errOut, "key-encryption key does not open the stored data keys") {
		t.Errorf("serve with the KEK before rewrap = %d %q, want a refusal", code, errOut)
	}
	os.Chmod(kek, 0o644)
	code, _, errOut = cli(t, "", "serve", "--addr", "127.0.0.1:0", "--data", dir, "--kek-file", kek)
	if code == 0 || !strings.Contains(errOut, "chmod 600") {
		t.Errorf("serve with a world-readable KEK file = %d %q, want a refusal", code, errOut)
	}
}
