package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"switchboard/backend/store"
	"switchboard/protocol"
)

func TestKBVersionsCommands(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	file := filepath.Join(t.TempDir(), "kb.json")
	writeJSON(t, file, shippingKB("24 小时内发货。"))
	importKB(t, dir, file)

	kb := func(args ...string) (int, string, string) {
		t.Helper()
		var out, errOut strings.Builder
		code := run(ctx, append([]string{"kb"}, args...), &out, &errOut)
		return code, out.String(), errOut.String()
	}
	if code, out, errOut := kb("add-question", "shipping-time", "--lang", "zh", "什么时候发货", "--data", dir); code != 0 || !strings.Contains(out, "version 2 (add question to shipping-time)") {
		t.Fatalf("kb add-question = %d, %q, %q", code, out, errOut)
	}
	for _, c := range []struct {
		name   string
		args   []string
		code   int
		stderr string
	}{
		{"duplicate", []string{"add-question", "shipping-time", "--lang", "zh", "什么时候发货", "--data", dir}, 1, "already a question"},
		{"unknown entry", []string{"add-question", "nope", "--lang", "en", "when do you ship", "--data", dir}, 1, "no entry"},
		{"no lang", []string{"add-question", "shipping-time", "什么时候寄出", "--data", dir}, 2, "Usage"},
		{"unknown version", []string{"rollback", "9", "--data", dir}, 1, "no knowledge base version 9"},
		{"bad version", []string{"rollback", "latest", "--data", dir}, 2, "Usage"},
		{"bad limit", []string{"report", "--limit", "0", "--data", dir}, 2, "Usage"},
	} {
		if code, _, errOut := kb(c.args...); code != c.code || !strings.Contains(errOut, c.stderr) {
			t.Errorf("kb %s = %d, %q; want %d and %q", c.name, code, errOut, c.code, c.stderr)
		}
	}
	if code, out, errOut := kb("rollback", "v1", "--data", dir); code != 0 || !strings.Contains(out, "version 3 (rollback to v1)") {
		t.Fatalf("kb rollback = %d, %q, %q", code, out, errOut)
	}
	code, out, _ := kb("history", "--data", dir)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if code != 0 || len(lines) != 4 || !strings.Contains(lines[1], "rollback to v1") || !strings.Contains(lines[2], "add question to shipping-time") ||
		!strings.Contains(lines[3], "import") {
		t.Fatalf("kb history = %d:\n%s", code, out)
	}

	st, err := store.Open(ctx, "sqlite:"+filepath.Join(dir, "switchboard.db"), store.OpenOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for i, q := range []string{"能开发票吗", "可以开增值税发票吗", "你们有实体店吗"} {
		if _, _, err := st.AddMiss(ctx, store.Miss{ConversationID: "c", Seq: int64(i + 2), Text: q, Locale: "zh", Reason: protocol.MissUnsure}); err != nil {
			t.Fatal(err)
		}
	}
	st.Close()
	code, out, errOut := kb("report", "--data", dir)
	if code != 0 || !strings.Contains(out, "3 open questions in 2 groups shown; knowledge base version 3") ||
		!strings.Contains(out, "1. 2 questions (unsure 2), zh") || !strings.Contains(out, "   - 可以开增值税发票吗") {
		t.Fatalf("kb report = %d, %q:\n%s", code, errOut, out)
	}
}
