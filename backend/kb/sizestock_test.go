package kb

import (
	"slices"
	"testing"

	"switchboard/backend/lexicon"
)

func TestSizeInStock(t *testing.T) {
	for text, want := range map[string]bool{
		"do you still have this in a size 8":    true,
		"is the black one available":            true,
		"do you have the black one":             true,
		"have you got the XL ones":              true,
		"I ordered the black one but got white": false,
		"the black one arrived scratched":       false,
		"is there a size 8 left":                true,
		"any size 10s left":                     true,
		"is size M available":                   true,
		"有L码吗":                                  true,
		"还有38码的吗":                               true,
		"M号卖完了吗":                                true,
		// A size, colour or capacity named bare.
		"can I get it in red":              true,
		"do you have this in XL":           true,
		"have you got this in medium":      true,
		"does it come in navy":             true,
		"is the 256GB version available":   true,
		"有白色的吗":                            true,
		"有没有红色":                            true,
		"还有别的颜色吗":                          true,
		"有256G的吗":                          true,
		"这个有XL吗":                           true,
		"蓝色的卖完了吗":                          true,
		"are there other colours":          true,
		"any in pink?":                     true,
		"is there a bigger size available": true,
		"do you have it in a 10":           true,
		// Which size to choose, and a size to swap to.
		"what size should I get":                            false,
		"is a size 8 big enough for me":                     false,
		"我穿多大码":                                             false,
		"38码合适吗":                                            false,
		"can I swap it for a size 10":                       false,
		"I got it in XL but it's too big, can I swap for L": false,
		"I ordered it in red but want blue":                 false,
		"does it come in a gift box":                        false,
		"你们卖的手机有5G吗":                                        false,
		"白色的能换成黑色吗":                                         false,
		"有色差吗":                                              false,
	} {
		got := slices.ContainsFunc(sizeInStock(text, nil), func(m lexicon.Match) bool { return m.Term == termSizeInStock })
		if got != want {
			t.Errorf("sizeInStock(%q) added the construction = %v, want %v", text, got, want)
		}
	}
}
