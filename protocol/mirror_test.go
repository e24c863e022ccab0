package protocol

import (
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// TestMirroredErrorCodes keeps the TypeScript mirror of the error codes and the
// error table of docs/protocol.md equal to Codes(), so that the UI and the
// documentation cannot drift from the server.
func TestMirroredErrorCodes(t *testing.T) {
	var want []string
	for _, e := range Codes() {
		want = append(want, e.Code)
	}

	src, err := os.ReadFile("../frontend/src/api/codes.ts")
	if err != nil {
		t.Fatalf("read the frontend mirror: %v", err)
	}
	block := string(src)
	start := strings.Index(block, "ERROR_CODES = [")
	end := strings.Index(block, "] as const")
	if start < 0 || end < start {
		t.Fatal("frontend/src/api/codes.ts has no `ERROR_CODES = [...] as const` list")
	}
	var got []string
	for _, m := range regexp.MustCompile(`'([a-z_]+)'`).FindAllStringSubmatch(block[start:end], -1) {
		got = append(got, m[1])
	}
	if !slices.Equal(got, want) {
		t.Errorf("frontend ERROR_CODES = %v\nwant protocol.Codes() = %v", got, want)
	}

	doc, err := os.ReadFile("../docs/protocol.md")
	if err != nil {
		t.Fatalf("read docs/protocol.md: %v", err)
	}
	var documented []string
	for _, m := range regexp.MustCompile("(?m)^\\| `([a-z_]+)` \\| (yes|no) \\|").FindAllStringSubmatch(string(doc), -1) {
		documented = append(documented, m[1])
		for _, e := range Codes() {
			if e.Code == m[1] && e.Retryable != (m[2] == "yes") {
				t.Errorf("docs/protocol.md says %s retryable=%s, code says %v", m[1], m[2], e.Retryable)
			}
		}
	}
	if !slices.Equal(documented, want) {
		t.Errorf("docs/protocol.md error table = %v\nwant protocol.Codes() = %v", documented, want)
	}
}
