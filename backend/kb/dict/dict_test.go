package dict

import "testing"

func TestKnown(t *testing.T) {
	if n := Len(); n < 50000 {
		t.Fatalf("Len() = %d, want 50,000 or more", n)
	}
	for _, w := range []string{"conditioner", "mugs", "fryer", "reckon", "colour", "color", "jumper", "aardvark", "zygote", "receipt", "warranty"} {
		if !Known(w) {
			t.Errorf("Known(%q) = false, want true", w)
		}
	}
	// Misspellings customers type, words of fewer than four letters,
	// capitals and other scripts are not in it.
	for _, w := range []string{"pasword", "cancle", "adress", "recieve", "warrenty", "packge", "itme", "cat", "", "Paris", "退款", "conditioner\n"} {
		if Known(w) {
			t.Errorf("Known(%q) = true, want false", w)
		}
	}
}
