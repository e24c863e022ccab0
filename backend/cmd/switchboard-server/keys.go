package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"text/tabwriter"
	"time"

	"switchboard/backend/seal"
	"switchboard/backend/seal/pkcs11kek"
	"switchboard/backend/store"
)

// kekEnv holds the key-encryption key itself (base64 of 32 bytes). It is
// not a serve flag: a key on a command line shows in ps, and in a config
// file it sits beside what it protects.
const kekEnv = "SWITCHBOARD_KEK"

// demoKEKName is the KEK file serve --demo makes in the data directory
// when no KEK is configured: encryption is on in the demo too, but a key
// beside the data protects nothing, so production refuses that.
const demoKEKName = "demo-kek.key"

// loadKEK returns the key-encryption key the settings name: kek_file,
// kek_pkcs11 or SWITCHBOARD_KEK (one of them); nil with insecure_plaintext. Without either, serve
// --demo makes (once) and uses DATA/demo-kek.key; otherwise it is an
// error, so that a server never stores plaintext by omission.
func loadKEK(c serveConfig, demoOK bool) (seal.KEK, error) {
	env := os.Getenv(kekEnv)
	given := 0
	for _, v := range []string{c.KEKFile, env, c.KEKPKCS11} {
		if v != "" {
			given++
		}
	}
	switch {
	case given > 1:
		return nil, fmt.Errorf("more than one of kek_file, kek_pkcs11 and %s are set: give the key-encryption key once", kekEnv)
	case given > 0 && c.InsecurePlaintext:
		return nil, errors.New("insecure_plaintext is set and so is a key-encryption key: choose one")
	case c.KEKPKCS11 != "":
		pc, err := pkcs11kek.ParseSpec(c.KEKPKCS11)
		if err != nil {
			return nil, err
		}
		pc.PIN = os.Getenv(pkcs11kek.PINEnv)
		return pkcs11kek.Open(pc)
	case c.KEKFile != "":
		return seal.LoadKEKFile(c.KEKFile)
	case env != "":
		return seal.ParseKEK(env, "environment "+kekEnv)
	case c.InsecurePlaintext:
		return nil, nil
	case c.Demo && demoOK:
		p := filepath.Join(c.Data, demoKEKName)
		if _, err := os.Stat(p); errors.Is(err, os.ErrNotExist) {
			if err := seal.WriteKEKFile(p); err != nil {
				return nil, err
			}
		}
		return seal.LoadKEKFile(p)
	}
	return nil, fmt.Errorf("no key-encryption key: set kek_file (--kek-file; \"switchboard-server keys gen FILE\" writes one), kek_pkcs11 or %s, "+
		"or insecure_plaintext = true (--insecure-plaintext) to keep messages and files unencrypted (docs/operations.md, \"Encryption at rest\")", kekEnv)
}

const keysUsage = `Usage:
  switchboard-server keys gen FILE                       write a new random key-encryption key to FILE (mode 0600)
  switchboard-server keys status [--data DIR | --config FILE]
                                                         list the data keys and how many rows each still seals
  switchboard-server keys rotate [--data DIR | --config FILE]
                                                         make a new data key; new writes use it, and the
                                                         running server's reseal job moves old rows and
                                                         files onto it
  switchboard-server keys rewrap [--data DIR | --config FILE] NEW-KEK-FILE | --to-pkcs11 module=…,token=…,key=…
                                                         wrap the data keys with a new key-encryption key
                                                         (stop the server first; then point kek_file or
                                                         kek_pkcs11 at the new key)

The key-encryption key is found as serve finds it: kek_file (--kek-file on serve, the
config file, SWITCHBOARD_KEK_FILE), kek_pkcs11 or SWITCHBOARD_KEK; with serve --demo,
DATA/demo-kek.key. The server may be running.
`

// keysCommand manages the keys of encryption at rest.
func keysCommand(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, keysUsage)
		return 2
	}
	sub, args := args[0], args[1:]
	fs := adminFlags("keys "+sub, stderr)
	toPKCS11 := fs.String("to-pkcs11", "", "rewrap: the new key-encryption key on a token, module=PATH,token=LABEL,key=LABEL (PIN in "+pkcs11kek.PINEnv+")")
	pos, set, code, ok := parseInterspersed(fs, args)
	if !ok {
		return code
	}
	fail := func(format string, a ...any) int {
		fmt.Fprintf(stderr, "keys %s: %s\n", sub, fmt.Sprintf(format, a...))
		return 1
	}
	switch sub {
	case "gen":
		if len(pos) != 1 || len(set) > 0 {
			fmt.Fprint(stderr, keysUsage)
			return 2
		}
		if err := seal.WriteKEKFile(pos[0]); err != nil {
			return fail("%v", err)
		}
		fmt.Fprintf(stdout, "wrote a new key-encryption key to %s (mode 0600); keep a copy apart from the data and its backups\n", pos[0])
		return 0
	case "status", "rotate", "rewrap":
	default:
		fmt.Fprintf(stderr, "unknown keys command %q\n\n%s", sub, keysUsage)
		return 2
	}
	want := map[string]int{"status": 0, "rotate": 0, "rewrap": 1}[sub]
	if set["to-pkcs11"] {
		want--
	}
	if len(pos) != want || (set["to-pkcs11"] && sub != "rewrap") {
		fmt.Fprint(stderr, keysUsage)
		return 2
	}
	c, err := adminSettings(fs)
	if err != nil {
		return fail("%v", err)
	}
	kek, err := loadKEK(c, false)
	if err != nil && sub != "status" {
		return fail("%v", err)
	}
	if kek == nil && sub != "status" {
		return fail("insecure_plaintext is set: the database has no key to %s", sub)
	}
	if sub == "rewrap" {
		// A running server holds the old KEK and would fail at its next
		// start only: rewrap while it is stopped, then switch kek_file.
		release, err := lockData(c.Data)
		if errors.Is(err, errLocked) {
			return fail("%v; stop it first (systemctl stop switchboard-server)", err)
		}
		if err != nil {
			return fail("%v", err)
		}
		defer release()
	}
	u, err := storeURL(c)
	if err != nil {
		return fail("%v", err)
	}
	opened, err := store.Open(ctx, u, store.OpenOptions{KEK: kek})
	if err != nil {
		return fail("%v", err)
	}
	defer opened.Close()
	st, ok := opened.(store.KeyManager)
	if !ok {
		return fail("%v", unsupported("encryption at rest", u))
	}
	if sub == "rewrap" {
		var to seal.KEK
		var err error
		if *toPKCS11 != "" {
			var pc pkcs11kek.Config
			if pc, err = pkcs11kek.ParseSpec(*toPKCS11); err == nil {
				pc.PIN = os.Getenv(pkcs11kek.PINEnv)
				to, err = pkcs11kek.Open(pc)
			}
		} else {
			to, err = seal.LoadKEKFile(pos[0])
		}
		if err != nil {
			return fail("%v", err)
		}
		if err := st.Rewrap(ctx, to); err != nil {
			return fail("%v", err)
		}
		fmt.Fprintf(stdout, "the data keys are wrapped with the key-encryption key from %s now: set kek_file or kek_pkcs11 to it before the next start, and keep the old key until no backup needs it\n", to.Name())
		return 0
	}
	if sub == "rotate" {
		id, err := st.RotateKey(ctx)
		if err != nil {
			return fail("%v", err)
		}
		fmt.Fprintf(stdout, "data key %d made; new writes use it. A running server picks it up within a minute and moves old rows and files onto it (keys status shows the progress)\n", id)
		return 0
	}
	keys, err := st.KeyStatus(ctx)
	if err != nil {
		return fail("%v", err)
	}
	if len(keys) == 0 {
		fmt.Fprintln(stdout, "the database is not encrypted: it has no data keys")
		return 0
	}
	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "KEY\tCREATED\tROWS\t")
	for _, k := range keys {
		if k.ID == 0 {
			fmt.Fprintf(tw, "plaintext\t\t%d\t(sealed by the server's reseal job)\n", k.Rows)
			continue
		}
		note := ""
		if k.Current {
			note = "current"
		}
		fmt.Fprintf(tw, "%d\t%s\t%d\t%s\n", k.ID, time.UnixMilli(k.CreatedAt).UTC().Format(time.RFC3339), k.Rows, note)
	}
	tw.Flush()
	return 0
}
