//go:build !(pkcs11 && cgo)

package pkcs11kek

import (
	"errors"

	"switchboard/backend/seal"
)

// Available reports whether this build can use PKCS#11.
const Available = false

// Open fails: this build has no PKCS#11 support.
func Open(Config) (seal.KEK, error) {
	return nil, errors.New("kek_pkcs11: this build has no PKCS#11 support; build the server with CGO_ENABLED=1 go build -tags pkcs11")
}
