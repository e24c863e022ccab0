package protocol

import (
	"os"
	"regexp"
	"slices"
	"testing"
)

// TestDocumentedErrorCodes keeps the error table of docs/protocol.md equal to
// Codes(), so that the documentation cannot drift from the server. The
// clients' list is generated (internal/tsgen), and checked there.
func TestDocumentedErrorCodes(t *testing.T) {
	var want []string
	for _, e := range Codes() {
		want = append(want, e.Code)
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
