package main

import (
	"bytes"
	"go/types"
	"os"
	"path/filepath"
	"testing"
)

// TestGeneratedFilesUpToDate fails when a generated file differs from what
// package protocol generates now: run make types and commit the result.
func TestGeneratedFilesUpToDate(t *testing.T) {
	root := filepath.Join("..", "..")
	want, err := generate(filepath.Join(root, "protocol"))
	if err != nil {
		t.Fatal(err)
	}
	for _, out := range outputs {
		got, err := os.ReadFile(filepath.Join(root, out))
		if err != nil {
			t.Fatalf("read %s: %v (run make types)", out, err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s is out of date with package protocol: run make types", out)
		}
	}
}

func TestTSType(t *testing.T) {
	str, i64 := types.Typ[types.String], types.Typ[types.Int64]
	tests := []struct {
		name     string
		in       types.Type
		nullable bool
		want     string
	}{
		{"string", str, true, "string"},
		{"int64", i64, true, "number"},
		{"bool", types.Typ[types.Bool], false, "boolean"},
		{"slice", types.NewSlice(str), true, "string[] | null"},
		{"omitempty slice", types.NewSlice(str), false, "string[]"},
		{"map", types.NewMap(str, i64), true, "Record<string, number> | null"},
		{"pointer", types.NewPointer(str), false, "string"},
	}
	var g gen
	for _, tt := range tests {
		if got := g.tsType(tt.in, tt.nullable); got != tt.want {
			t.Errorf("%s: tsType(%s, %v) = %q, want %q", tt.name, tt.in, tt.nullable, got, tt.want)
		}
	}
}

func TestJSDoc(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"one line", "  /** one line */\n"},
		{"two\nlines", "  /**\n   * two\n   * lines\n   */\n"},
		{"no */ end", "  /** no *\\/ end */\n"},
	}
	for _, tt := range tests {
		if got := jsdoc(tt.in, "  "); got != tt.want {
			t.Errorf("jsdoc(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
