package kb

// Answer kinds. Some questions want an answer of a kind: how long
// something takes wants a time (howlong.go), where exactly a store is
// wants an address (exact.go). A question of an entry's topic that asks
// for a kind its answer does not hold asks another question than the one
// the entry answers. When a clause of the customer's text that asks
// (askingClauses) asks for a kind the best entry's answer does not give,
// the answer keeps aspectShare of its confidence (Search), as for an
// aspect the entry does not cover: the bot offers the nearest entries or
// says it is unsure rather than answering with the topic's entry.
type answerKind struct {
	name string
	// asks reports whether an asking clause asks for the kind.
	asks func(clause string) bool
	// gives reports whether an entry's answer holds one.
	gives func(Entry) bool
}

// answerKinds are the kinds, one bit each of kindsAsked and kindsGiven.
var answerKinds = []answerKind{
	{"time", asksHowLong, givesTime},
	{"address or number", asksExact, givesExact},
}

// allKinds has the bit of every answer kind.
var allKinds = uint8(1)<<len(answerKinds) - 1

// kindsAsked returns the kinds the asking clauses of text ask for.
func kindsAsked(text string) uint8 {
	var set uint8
	for _, c := range askingClauses(text) {
		for i, k := range answerKinds {
			if k.asks(c) {
				set |= 1 << i
			}
		}
	}
	return set
}

// kindsGiven returns the kinds the entry's answer gives.
func kindsGiven(e Entry) uint8 {
	var set uint8
	for i, k := range answerKinds {
		if k.gives(e) {
			set |= 1 << i
		}
	}
	return set
}
