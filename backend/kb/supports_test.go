package kb

import "testing"

func TestProductSupports(t *testing.T) {
	checkAdds(t, "productSupports", productSupports, featureConcept, map[string]bool{
		"does the router support wifi 6":        true,
		"Does it support fast charging?":        true,
		"will this laptop support two monitors": true,
		"does my phone model support NFC":       true,
		// The shop's service, or what the shop takes.
		"does your support work on sundays": false,
		"do you support apple pay":          false,
		"when is support available":         false,
	})
}
