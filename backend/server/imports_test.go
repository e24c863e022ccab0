package server

import (
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// TestNoStoreEngine checks that the server depends on the store contract
// only: the command chooses and opens the engine (docs/architecture.md).
// Test files may import an engine; "go list -deps" without -test leaves
// them out.
func TestNoStoreEngine(t *testing.T) {
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command:", err)
	}
	out, err := exec.Command(goBin, "list", "-deps", "-f", "{{.ImportPath}}", "switchboard/backend/server").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	deps := strings.Fields(string(out))
	if len(deps) < 10 || !slices.Contains(deps, "switchboard/backend/store") {
		t.Fatalf("go list -deps listed %d packages without switchboard/backend/store: the check sees nothing", len(deps))
	}
	for _, d := range deps {
		if strings.HasPrefix(d, "switchboard/backend/store/") || strings.HasPrefix(d, "modernc.org/sqlite") ||
			strings.HasPrefix(d, "github.com/jackc/pgx") {
			t.Errorf("backend/server depends on the store engine %s", d)
		}
	}
}

// TestNewNeedsStore checks that New, which opens no store of its own, says
// so when it is given none.
func TestNewNeedsStore(t *testing.T) {
	srv, err := New(Config{DataDir: t.TempDir()})
	if err == nil {
		srv.Shutdown(t.Context())
		t.Fatal("New without a store succeeded")
	}
	if !strings.Contains(err.Error(), "no store") {
		t.Errorf("New without a store = %v, want an error saying there is no store", err)
	}
}
