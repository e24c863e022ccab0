package conversation

import (
	"errors"
	"testing"
)

func TestTransition(t *testing.T) {
	allowed := map[Event]map[State]State{
		Open:    {None: Bot},
		Handoff: {Bot: Queued},
		Accept:  {Queued: Active},
		Resolve: {Active: Resolved, WaitingCustomer: Resolved},
	}
	states := []State{None, Bot, Queued, Active, WaitingCustomer, Resolved, Closed}
	events := []Event{Open, Handoff, Accept, Resolve, Event("transfer"), Event("")}
	for _, ev := range events {
		for _, from := range states {
			want, ok := allowed[ev][from]
			got, err := Transition(from, ev)
			if ok {
				if err != nil || got != want {
					t.Errorf("Transition(%q, %q) = %q, %v, want %q, nil", from, ev, got, err, want)
				}
				continue
			}
			if !errors.Is(err, ErrIllegalTransition) {
				t.Errorf("Transition(%q, %q) error = %v, want ErrIllegalTransition", from, ev, err)
			}
			if got != from {
				t.Errorf("Transition(%q, %q) state = %q on error, want unchanged %q", from, ev, got, from)
			}
		}
	}
}

func TestStateOpen(t *testing.T) {
	tests := []struct {
		in   State
		want bool
	}{
		{None, false}, {Bot, true}, {Queued, true}, {Active, true},
		{WaitingCustomer, true}, {Resolved, false}, {Closed, false},
	}
	for _, tt := range tests {
		if got := tt.in.Open(); got != tt.want {
			t.Errorf("State(%q).Open() = %v, want %v", tt.in, got, tt.want)
		}
	}
}
