package server

import (
	"os"
	"testing"

	"switchboard/backend/auth"
)

// testPasswordParams are the argon2id parameters the tests' servers hash
// with. Every test server hashes the demo accounts' passwords and a dummy
// one, and most tests sign in several times: with the production
// parameters (auth.DefaultParams: 19 MiB, two passes) one hash takes
// 0.3–0.4 s under -race, seconds of each test. The hashing is the same
// argon2id, with less memory; its parameters have their own tests in
// package auth.
var testPasswordParams = auth.MinParams

func TestMain(m *testing.M) {
	auth.DefaultParams = testPasswordParams
	os.Exit(m.Run())
}
