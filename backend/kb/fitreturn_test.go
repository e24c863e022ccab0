package kb

import (
	"slices"
	"testing"

	"switchboard/backend/lexicon"
)

func TestFitForReturn(t *testing.T) {
	lx, err := lexicon.Load()
	if err != nil {
		t.Fatal(err)
	}
	for text, want := range map[string]bool{ // whether the poor fit stays
		"外套不合身，怎么退货":                                   false,
		"鞋子太小了，怎么退":                                    false,
		"these jeans do not fit, how do I return them": false,
		// Another size asked for, an exchange named, or no return named.
		"鞋子太小了，能换大一码吗":                                                true,
		"不合身，退换货都行，换个尺码吧":                                             true,
		"these jeans do not fit, can I return them for a bigger size": true,
		"鞋子太小了": true,
	} {
		ms := lx.Matches(text)
		hadFit := slices.ContainsFunc(ms, fitReason)
		if !hadFit {
			t.Fatalf("%q: no poor fit in the lexicon's matches", text)
		}
		if got := slices.ContainsFunc(fitForReturn(ms), fitReason); got != want {
			t.Errorf("fitForReturn(%q) keeps the poor fit = %v, want %v", text, got, want)
		}
	}
}
