package protocol

import (
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestNormalizeTag(t *testing.T) {
	tests := []struct {
		name   string
		in     string
		want   string
		wantOK bool
	}{
		{"plain", "vip", "vip", true},
		{"trimmed", "  refund \t", "refund", true},
		{"inner whitespace", "late \t\n  delivery", "late delivery", true},
		{"no-break space", "a\u00a0\u00a0b", "a b", true},
		{"chinese", " 退款 ", "退款", true},
		{"case kept", "VIP", "VIP", true},
		{"max length", strings.Repeat("字", MaxTagRunes), strings.Repeat("字", MaxTagRunes), true},
		{"max after collapse", " " + strings.Repeat("a", MaxTagRunes-2) + "   b ", strings.Repeat("a", MaxTagRunes-2) + " b", true},
		{"empty", "", "", false},
		{"blank", " \t\n", "", false},
		{"too long", strings.Repeat("a", MaxTagRunes+1), "", false},
		{"nul", "a\x00b", "", false},
		{"escape", "a\x1b[31m", "", false},
		{"delete", "a\x7f", "", false},
		{"c1 control", "a\u0080b", "", false},
		{"invalid utf-8", "a\xffb", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := NormalizeTag(tt.in)
			if got != tt.want || ok != tt.wantOK {
				t.Errorf("NormalizeTag(%q) = %q, %v, want %q, %v", tt.in, got, ok, tt.want, tt.wantOK)
			}
		})
	}
}

func TestSortTags(t *testing.T) {
	tags := []string{"billing", "VIP", "Angry", "退款", "b2b"}
	SortTags(tags)
	want := []string{"Angry", "b2b", "billing", "VIP", "退款"}
	if !slices.Equal(tags, want) {
		t.Errorf("SortTags = %q, want %q", tags, want)
	}
	if TagKey("VIP") != TagKey("vip") || TagKey("vip") == TagKey("vip2") {
		t.Error("TagKey does not compare case-insensitively")
	}
}

// checkTag is the fuzz invariant of NormalizeTag: what it accepts is
// within the limits and normal already.
func checkTag(t *testing.T, in string) {
	norm, ok := NormalizeTag(in)
	if !ok {
		return
	}
	if n := utf8.RuneCountInString(norm); n < 1 || n > MaxTagRunes || !utf8.ValidString(norm) {
		t.Fatalf("NormalizeTag(%q) = %q, outside the limits", in, norm)
	}
	if again, ok := NormalizeTag(norm); !ok || again != norm {
		t.Fatalf("NormalizeTag(%q) = %q, but NormalizeTag of that = %q, %v", in, norm, again, ok)
	}
}
