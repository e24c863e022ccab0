package conversation

import (
	"errors"
	"testing"
)

var allStates = []State{None, Bot, Queued, Active, WaitingCustomer, Resolved, Closed}

// TestTransition checks every state × event pair against the table of
// allowed moves written out here a second time, so a change to the machine
// has to be made twice, on purpose.
func TestTransition(t *testing.T) {
	allowed := map[Event]map[State]State{
		Open:           {None: Bot},
		Handoff:        {Bot: Queued},
		Accept:         {Queued: Active},
		AgentReply:     {Active: Active},
		IdleTimeout:    {Active: WaitingCustomer},
		CustomerReply:  {WaitingCustomer: Active},
		AutoResolve:    {WaitingCustomer: Resolved},
		Resolve:        {Active: Resolved, WaitingCustomer: Resolved},
		Close:          {Resolved: Closed},
		Reopen:         {Resolved: Queued},
		ReopenBot:      {Resolved: Bot},
		TransferTeam:   {Active: Queued, WaitingCustomer: Queued},
		OfferTimeout:   {Queued: Queued, Active: Active, WaitingCustomer: WaitingCustomer},
		Decline:        {Queued: Queued, Active: Active, WaitingCustomer: WaitingCustomer},
		HandBack:       {Active: Bot},
		Offer:          {Queued: Queued, Active: Active, WaitingCustomer: WaitingCustomer},
		Withdraw:       {Queued: Queued, Active: Active, WaitingCustomer: WaitingCustomer},
		TransferAccept: {Active: Active, WaitingCustomer: Active},
		Rate:           {Resolved: Resolved},
		Join:           {Active: Active, WaitingCustomer: WaitingCustomer},
		Leave:          {Active: Active, WaitingCustomer: WaitingCustomer},
		TakeOver:       {Queued: Active, Active: Active, WaitingCustomer: Active},
		Reassign:       {Queued: Active, Active: Active, WaitingCustomer: Active},
		Assist:         {Active: Active, WaitingCustomer: WaitingCustomer},
	}
	if len(allowed) != len(Events) {
		t.Fatalf("test covers %d events, the machine has %d", len(allowed), len(Events))
	}
	events := append(append([]Event{}, Events...), Event("transfer"), Event(""))
	legal, illegal := 0, 0
	for _, ev := range events {
		for _, from := range allStates {
			want, ok := allowed[ev][from]
			got, err := Transition(from, ev)
			if Allows(from, ev) != ok {
				t.Errorf("Allows(%q, %q) = %v, want %v", from, ev, !ok, ok)
			}
			if ok {
				legal++
				if err != nil || got != want {
					t.Errorf("Transition(%q, %q) = %q, %v, want %q, nil", from, ev, got, err, want)
				}
				continue
			}
			illegal++
			if !errors.Is(err, ErrIllegalTransition) {
				t.Errorf("Transition(%q, %q) error = %v, want ErrIllegalTransition", from, ev, err)
			}
			if got != from {
				t.Errorf("Transition(%q, %q) state = %q on error, want unchanged %q", from, ev, got, from)
			}
		}
	}
	if legal != 42 {
		t.Errorf("%d legal moves, want 42", legal)
	}
	t.Logf("%d legal and %d illegal moves checked", legal, illegal)
}

func TestClosedIsFinal(t *testing.T) {
	for _, ev := range Events {
		if to, err := Transition(Closed, ev); err == nil {
			t.Errorf("Transition(closed, %q) = %q, want an error: closed is final", ev, to)
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
