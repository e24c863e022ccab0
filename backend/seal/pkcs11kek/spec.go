// Package pkcs11kek is a seal.KEK kept in a hardware security module or
// token, used through PKCS#11: the key never leaves the device, which
// wraps and unwraps the data keys with AES-256-GCM.
//
// PKCS#11 modules are C libraries, so the implementation needs cgo and
// the build tag pkcs11 (CGO_ENABLED=1 go build -tags pkcs11); the server's
// release builds are CGO_ENABLED=0 and Open then says so. The spec and its
// parsing are the same in every build.
package pkcs11kek

import (
	"errors"
	"fmt"
	"strings"
)

// PINEnv holds the token's user PIN: never on a command line or in a
// config file.
const PINEnv = "SWITCHBOARD_PKCS11_PIN"

// Config names the key: the module (the vendor's .so), the token's label
// and the AES key's label (CKA_LABEL), and the user PIN.
type Config struct {
	Module string
	Token  string
	Key    string
	PIN    string
}

// ParseSpec reads "module=/usr/lib/softhsm/libsofthsm2.so,token=switchboard,key=kek",
// the value of --kek-pkcs11.
func ParseSpec(spec string) (Config, error) {
	var c Config
	for _, part := range strings.Split(spec, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok || v == "" {
			return c, fmt.Errorf("kek_pkcs11: %q is not key=value", part)
		}
		switch k {
		case "module":
			c.Module = v
		case "token":
			c.Token = v
		case "key":
			c.Key = v
		default:
			return c, fmt.Errorf("kek_pkcs11: unknown key %q (want module, token, key)", k)
		}
	}
	if c.Module == "" || c.Token == "" || c.Key == "" {
		return c, errors.New("kek_pkcs11: want module=PATH,token=LABEL,key=LABEL")
	}
	return c, nil
}
