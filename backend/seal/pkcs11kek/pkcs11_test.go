//go:build pkcs11 && cgo

package pkcs11kek

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/miekg/pkcs11"

	"switchboard/backend/seal"
)

const softhsm = "/usr/lib/softhsm/libsofthsm2.so"

// softToken makes a SoftHSM token with an AES-256 key labelled kek, as
// scripts/test-dist-windows.sh makes one for signing, and returns its
// config.
func softToken(t *testing.T) Config {
	t.Helper()
	if _, err := os.Stat(softhsm); err != nil {
		t.Skip("SoftHSM is not installed (scripts/deps.sh installs softhsm2)")
	}
	dir := t.TempDir()
	conf := filepath.Join(dir, "softhsm2.conf")
	os.MkdirAll(filepath.Join(dir, "tokens"), 0o700)
	os.WriteFile(conf, []byte("directories.tokendir = "+filepath.Join(dir, "tokens")+"\nobjectstore.backend = file\nlog.level = ERROR\n"), 0o600)
	t.Setenv("SOFTHSM2_CONF", conf)
	if out, err := exec.Command("softhsm2-util", "--init-token", "--free", "--label", "switchboard-test",
		"--pin", "4711", "--so-pin", "0815").CombinedOutput(); err != nil {
		t.Fatalf("softhsm2-util: %v\n%s", err, out)
	}
	c := Config{Module: softhsm, Token: "switchboard-test", Key: "kek", PIN: "4711"}
	p := pkcs11.New(softhsm)
	if err := p.Initialize(); err != nil {
		t.Fatal(err)
	}
	defer func() { p.Finalize(); p.Destroy() }()
	slots, _ := p.GetSlotList(true)
	var slot uint
	for _, s := range slots {
		if ti, _ := p.GetTokenInfo(s); ti.Label == c.Token {
			slot = s
		}
	}
	sh, err := p.OpenSession(slot, pkcs11.CKF_SERIAL_SESSION|pkcs11.CKF_RW_SESSION)
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Login(sh, pkcs11.CKU_USER, c.PIN); err != nil {
		t.Fatal(err)
	}
	if _, err := p.GenerateKey(sh, []*pkcs11.Mechanism{pkcs11.NewMechanism(pkcs11.CKM_AES_KEY_GEN, nil)}, []*pkcs11.Attribute{
		pkcs11.NewAttribute(pkcs11.CKA_CLASS, pkcs11.CKO_SECRET_KEY),
		pkcs11.NewAttribute(pkcs11.CKA_KEY_TYPE, pkcs11.CKK_AES),
		pkcs11.NewAttribute(pkcs11.CKA_VALUE_LEN, 32),
		pkcs11.NewAttribute(pkcs11.CKA_TOKEN, true),
		pkcs11.NewAttribute(pkcs11.CKA_PRIVATE, true),
		pkcs11.NewAttribute(pkcs11.CKA_SENSITIVE, true),
		pkcs11.NewAttribute(pkcs11.CKA_EXTRACTABLE, false),
		pkcs11.NewAttribute(pkcs11.CKA_ENCRYPT, true),
		pkcs11.NewAttribute(pkcs11.CKA_DECRYPT, true),
		pkcs11.NewAttribute(pkcs11.CKA_LABEL, c.Key),
	}); err != nil {
		t.Fatal(err)
	}
	p.Logout(sh)
	p.CloseSession(sh)
	return c
}

// TestSoftHSM wraps data keys with a key on a SoftHSM token: the keyring
// opens with the token's key, not with another KEK, and a missing key
// label is an error.
func TestSoftHSM(t *testing.T) {
	c := softToken(t)
	kek, err := Open(c)
	if err != nil {
		t.Fatal(err)
	}
	k, err := seal.NewDataKey(kek, 1, 1)
	if err != nil {
		t.Fatal(err)
	}
	r, err := seal.NewKeyring(kek, []seal.WrappedKey{k})
	if err != nil {
		t.Fatal(err)
	}
	sealed, _ := r.Seal([]byte("Zebrasecret"), seal.AD("x"))
	if got, err := r.Open(sealed, seal.AD("x")); err != nil || string(got) != "Zebrasecret" {
		t.Fatalf("Open = %q, %v", got, err)
	}
	if bytes.Contains(k.Wrapped, []byte("Zebrasecret")) || len(k.Wrapped) != 12+32+16 {
		t.Errorf("wrapped key is %d bytes", len(k.Wrapped))
	}
	moved := k
	moved.ID = 2
	if _, err := seal.NewKeyring(kek, []seal.WrappedKey{moved}); !errors.Is(err, seal.ErrWrongKEK) {
		t.Errorf("a wrapped key under another id = %v, want ErrWrongKEK", err)
	}
	local, _ := seal.NewLocalKEK(make([]byte, 32), "local")
	if _, err := seal.NewKeyring(local, []seal.WrappedKey{k}); !errors.Is(err, seal.ErrWrongKEK) {
		t.Errorf("another KEK = %v, want ErrWrongKEK", err)
	}
	missing := c
	missing.Key = "nope"
	if _, err := Open(missing); err == nil {
		t.Error("Open with a missing key label succeeded")
	}
}
