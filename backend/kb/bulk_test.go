package kb

import "testing"

func TestManyWanted(t *testing.T) {
	checkAdds(t, "manyWanted", manyWanted, bulkConcept, map[string]bool{
		"I want to buy 100 for my company": true,
		"where is order 20261203-5521":     false,
		"my order 12345678 hasn't come":    false,
		"we need 50 units for an event":    true,
		"公司要买200件":                         true,
		"想订300份做活动":                        true,
		"公司年会要订两百份礼品":                      true,
		// A few, or a number that is no quantity wanted.
		"I want to buy 20 pencils for school": false,
		"I ordered 20 and only 18 arrived":    false,
		"I want to buy 3, is shipping free":   false,
		"买了2件只到1件":                            false,
	})
}
