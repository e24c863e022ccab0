// Package signature signs the HTTP requests Switchboard sends to other
// systems (the webhook bot, outgoing webhooks) and lets a receiver verify
// them: "v1=" and the hex HMAC-SHA-256, keyed with a shared secret, of the
// request's timestamp (Unix seconds), ".", and its body. A sender holding
// several secrets (one being rotated out) sends one signature per secret,
// comma-separated; a receiver accepts the request when any one matches.
package signature

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strconv"
	"strings"
	"time"
)

// Sign returns the signature of body sent at timestamp (Unix seconds as a
// decimal string), keyed with secret: "v1=<hex>".
func Sign(secret []byte, timestamp string, body []byte) string {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte(timestamp))
	m.Write([]byte("."))
	m.Write(body)
	return "v1=" + hex.EncodeToString(m.Sum(nil))
}

// SignAll returns the signatures of body under each secret, comma-separated,
// in the order of secrets.
func SignAll(secrets [][]byte, timestamp string, body []byte) string {
	sigs := make([]string, 0, len(secrets))
	for _, s := range secrets {
		sigs = append(sigs, Sign(s, timestamp, body))
	}
	return strings.Join(sigs, ",")
}

// Errors of Verify.
var (
	ErrNoSignature  = errors.New("signature: no signature")
	ErrBadSignature = errors.New("signature: signature does not match")
	ErrStale        = errors.New("signature: timestamp too far from now")
)

// Verify checks that body came signed with secret: signature is one or
// more comma-separated "v1=<hex>", timestamp the Unix seconds it was sent
// at, within tolerance of now (a replayed request is refused once it is
// older).
func Verify(secret []byte, timestamp, signature string, body []byte, now time.Time, tolerance time.Duration) error {
	if timestamp == "" || signature == "" {
		return ErrNoSignature
	}
	sec, err := strconv.ParseInt(timestamp, 10, 64)
	if err != nil {
		return ErrBadSignature
	}
	if d := now.Sub(time.Unix(sec, 0)); d > tolerance || d < -tolerance {
		return ErrStale
	}
	want := Sign(secret, timestamp, body)
	for _, s := range strings.Split(signature, ",") {
		if hmac.Equal([]byte(strings.TrimSpace(s)), []byte(want)) {
			return nil
		}
	}
	return ErrBadSignature
}
