package kb

import (
	"slices"
	"testing"

	"switchboard/backend/lexicon"
)

func TestAbroad(t *testing.T) {
	lx, err := lexicon.Load()
	if err != nil {
		t.Fatal(err)
	}
	for text, want := range map[string]bool{
		"do you send parcels to Canada":                               true,
		"I live in Germany, can I order from you":                     true,
		"can you post it to Australia":                                true,
		"I am living in Italy, do you ship here":                      true,
		"can I buy from Japan":                                        true,
		"I am moving to Singapore next month, will you still deliver": true,
		"能寄去德国吗":                                                      true,
		"我人在加拿大，能下单吗":                                                 true,
		"澳门可以发货吗":                                                     true,
		"新加坡能寄吗":                                                      true,
		// A place named without a sending, an order or a home there; the
		// shop's own country; a place already asked about as abroad.
		"my sister in Canada recommended you":         false,
		"is this made in Germany":                     false,
		"do you ship to China":                        false,
		"德国产的吗":                                       false,
		"do you ship internationally, e.g. to France": false,
	} {
		// As termsOf reads a customer's text: contractions written out.
		text = expandContractions(text)
		ms := lx.Matches(text)
		before := len(ms)
		got := slices.ContainsFunc(abroad(lx, text, ms)[before:], func(m lexicon.Match) bool { return m.Term == termAbroad })
		if got != want {
			t.Errorf("abroad(%q) added the construction = %v, want %v", text, got, want)
		}
	}
}

func TestOnlyRelatedPlaces(t *testing.T) {
	lx, err := lexicon.Load()
	if err != nil {
		t.Fatal(err)
	}
	for id, want := range map[string]bool{"canada": true, "germany": true, "europe": true, "dhl": false, "overseas-warehouse": false} {
		if got := lx.OnlyRelated(id, abroadConcept); got != want {
			t.Errorf("OnlyRelated(%q, %q) = %v, want %v", id, abroadConcept, got, want)
		}
	}
}
