package kb

import "testing"

func TestWhoDelivers(t *testing.T) {
	for text, want := range map[string]bool{
		"who delivers your parcels":                 true,
		"who actually brings the parcel to my door": true,
		"who will deliver my order":                 true,
		"谁来送货":                                      true,
		"送货的是哪家":                                    true,
		// What a carrier did, and who else is asked about.
		"who delivered my parcel to the wrong house": false,
		"who can I talk to about my delivery":        false,
		"谁签收了我的快递":                                   false,
	} {
		if got := len(whoDelivers(text, nil)) == 1; got != want {
			t.Errorf("whoDelivers(%q) added the construction = %v, want %v", text, got, want)
		}
	}
}
