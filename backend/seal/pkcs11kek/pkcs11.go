//go:build pkcs11 && cgo

package pkcs11kek

import (
	"crypto/rand"
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/miekg/pkcs11"

	"switchboard/backend/seal"
)

// Available reports whether this build can use PKCS#11.
const Available = true

const (
	nonceLen = 12
	tagBits  = 128
)

// KEK is an AES key on a PKCS#11 token.
type KEK struct {
	p    *pkcs11.Ctx
	name string
	key  pkcs11.ObjectHandle
	// mu guards session: a PKCS#11 session runs one operation at a time.
	// Wrapping is rare (start, rotation), so one session is enough.
	mu      sync.Mutex
	session pkcs11.SessionHandle
}

var _ seal.KEK = (*KEK)(nil)

// Open loads the module, logs in to the token labelled c.Token with c.PIN
// and finds the secret key labelled c.Key.
func Open(c Config) (seal.KEK, error) {
	p := pkcs11.New(c.Module)
	if p == nil {
		return nil, fmt.Errorf("kek_pkcs11: cannot load module %s", c.Module)
	}
	if err := p.Initialize(); err != nil && !isCode(err, pkcs11.CKR_CRYPTOKI_ALREADY_INITIALIZED) {
		return nil, fmt.Errorf("kek_pkcs11: initialize %s: %w", c.Module, err)
	}
	fail := func(err error) (seal.KEK, error) {
		p.Finalize()
		p.Destroy()
		return nil, err
	}
	slots, err := p.GetSlotList(true)
	if err != nil {
		return fail(fmt.Errorf("kek_pkcs11: list slots: %w", err))
	}
	slot, found := uint(0), false
	for _, s := range slots {
		ti, err := p.GetTokenInfo(s)
		if err == nil && strings.TrimRight(ti.Label, " \x00") == c.Token {
			slot, found = s, true
			break
		}
	}
	if !found {
		return fail(fmt.Errorf("kek_pkcs11: no token labelled %q in %s", c.Token, c.Module))
	}
	session, err := p.OpenSession(slot, pkcs11.CKF_SERIAL_SESSION)
	if err != nil {
		return fail(fmt.Errorf("kek_pkcs11: open session: %w", err))
	}
	if err := p.Login(session, pkcs11.CKU_USER, c.PIN); err != nil && !isCode(err, pkcs11.CKR_USER_ALREADY_LOGGED_IN) {
		return fail(fmt.Errorf("kek_pkcs11: log in to token %q (PIN from %s): %w", c.Token, PINEnv, err))
	}
	tmpl := []*pkcs11.Attribute{
		pkcs11.NewAttribute(pkcs11.CKA_CLASS, pkcs11.CKO_SECRET_KEY),
		pkcs11.NewAttribute(pkcs11.CKA_LABEL, c.Key),
	}
	if err := p.FindObjectsInit(session, tmpl); err != nil {
		return fail(fmt.Errorf("kek_pkcs11: find key %q: %w", c.Key, err))
	}
	objs, _, err := p.FindObjects(session, 2)
	p.FindObjectsFinal(session)
	if err != nil {
		return fail(fmt.Errorf("kek_pkcs11: find key %q: %w", c.Key, err))
	}
	if len(objs) != 1 {
		return fail(fmt.Errorf("kek_pkcs11: token %q has %d secret keys labelled %q, want 1", c.Token, len(objs), c.Key))
	}
	return &KEK{p: p, session: session, key: objs[0], name: fmt.Sprintf("pkcs11 token %q key %q", c.Token, c.Key)}, nil
}

func isCode(err error, code uint) bool {
	var e pkcs11.Error
	return errors.As(err, &e) && uint(e) == code
}

// Name implements seal.KEK.
func (k *KEK) Name() string { return k.name }

// Wrap implements seal.KEK: AES-GCM on the token, nonce first.
func (k *KEK) Wrap(dek, ad []byte) ([]byte, error) {
	iv := make([]byte, nonceLen)
	rand.Read(iv)
	k.mu.Lock()
	defer k.mu.Unlock()
	params := pkcs11.NewGCMParams(iv, ad, tagBits)
	defer params.Free()
	if err := k.p.EncryptInit(k.session, []*pkcs11.Mechanism{pkcs11.NewMechanism(pkcs11.CKM_AES_GCM, params)}, k.key); err != nil {
		return nil, fmt.Errorf("kek_pkcs11: wrap: %w", err)
	}
	ct, err := k.p.Encrypt(k.session, dek)
	if err != nil {
		return nil, fmt.Errorf("kek_pkcs11: wrap: %w", err)
	}
	// A token may choose the nonce itself: keep the one it used.
	if used := params.IV(); len(used) == nonceLen {
		iv = used
	}
	return append(iv, ct...), nil
}

// Unwrap implements seal.KEK.
func (k *KEK) Unwrap(wrapped, ad []byte) ([]byte, error) {
	if len(wrapped) < nonceLen+tagBits/8 {
		return nil, seal.ErrWrongKEK
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	params := pkcs11.NewGCMParams(wrapped[:nonceLen], ad, tagBits)
	defer params.Free()
	if err := k.p.DecryptInit(k.session, []*pkcs11.Mechanism{pkcs11.NewMechanism(pkcs11.CKM_AES_GCM, params)}, k.key); err != nil {
		return nil, fmt.Errorf("kek_pkcs11: unwrap: %w", err)
	}
	dek, err := k.p.Decrypt(k.session, wrapped[nonceLen:])
	if err != nil {
		return nil, seal.ErrWrongKEK
	}
	return dek, nil
}
