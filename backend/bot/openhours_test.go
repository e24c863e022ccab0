package bot

import "testing"

// TestOpenHours: "open" asks about the service's hours only when the shop is
// named or spoken to.
func TestOpenHours(t *testing.T) {
	for _, tt := range []struct {
		text string
		want bool
	}{
		{"what time are you open", true},
		{"is the shop open on sundays", true},
		{"what time does the bank open", false},
		{"is the post office open on sunday", false},
		// A holiday of two words is a time.
		{"are your agents working during chinese new year", true},
		{"happy new year, I need a human", false},
		// A "when" that opens a clause about what others do asks no time.
		{"what do people say when they exchange wedding vows", false},
		{"can you tell me when someone is available to chat", true},
		{"are your people working when it's a public holiday", true},
	} {
		if got := IsAboutPeople(tt.text); got != tt.want {
			t.Errorf("IsAboutPeople(%q) = %v, want %v", tt.text, got, tt.want)
		}
	}
}
