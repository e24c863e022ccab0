package kb

import "testing"

// asks reports whether text asks for the answer kind named.
func asks(text, kind string) bool { return kindsAsked(text)&kindBit(kind) != 0 }

// gives reports whether e's answer gives the answer kind named.
func gives(e Entry, kind string) bool { return kindsGiven(e)&kindBit(kind) != 0 }

func kindBit(name string) uint8 {
	for i, k := range answerKinds {
		if k.name == name {
			return 1 << i
		}
	}
	panic("no answer kind " + name)
}

// TestAnswerKindsFit: each answer kind is one bit of a uint8.
func TestAnswerKindsFit(t *testing.T) {
	if len(answerKinds) > 8 {
		t.Fatalf("%d answer kinds, one bit each of 8", len(answerKinds))
	}
}
