package server

import (
	"context"
	"slices"
	"testing"
	"time"

	"switchboard/backend/conversation"
	"switchboard/backend/store"
	"switchboard/protocol"
)

// TestListTeams checks the supervisors' list of their teams' conversations
// and its filters, with the cast of the authorization matrix: sam
// supervises presales, vera after-sales, adam is admin.
func TestListTeams(t *testing.T) {
	m := newMatrix(t)
	queued, _, _ := m.conv(t, queued)
	active, _, _ := m.conv(t, active) // presales, alice's
	// One in after-sales.
	ctx := context.Background()
	st := m.e.srv.store
	cust, _ := st.UpsertCustomer(ctx, store.Customer{ID: "after-cust"})
	after, _, err := st.CreateConversation(ctx, store.NewConversation{CustomerID: cust.ID, Channel: "web", Opened: sysEvent(protocol.EventOpened), Actor: cust.ID})
	if err != nil {
		t.Fatal(err)
	}
	team := "aftersales"
	if after, _, err = st.ChangeState(ctx, store.StateChange{ConversationID: after.ID, Event: conversation.Handoff, Team: &team,
		Message: sysEvent(protocol.EventHandoff), Actor: "bot"}); err != nil {
		t.Fatal(err)
	}
	time.Sleep(5 * time.Millisecond) // so that "waiting over 1 ms" holds

	list := func(who string, d protocol.ListData) ([]string, string) {
		t.Helper()
		c, _ := m.e.connect(who, m.tokens[who])
		defer c.ws.Close()
		d.Filter = protocol.ListTeams
		f := c.request(protocol.TypeList, d)
		if f.Type == protocol.TypeError {
			return nil, f.Error.Code
		}
		var l protocol.ConversationList
		c.decode(f, protocol.TypeConvList, &l)
		var got []string
		for _, cv := range l.Conversations {
			got = append(got, cv.ID)
		}
		slices.Sort(got)
		return got, ""
	}
	sorted := func(ids ...string) []string { slices.Sort(ids); return ids }
	tests := []struct {
		who  string
		d    protocol.ListData
		want []string
		code string
	}{
		{"sam", protocol.ListData{}, sorted(queued.ID, active.ID), ""},
		{"sam", protocol.ListData{AgentID: m.ids["alice"]}, sorted(active.ID), ""},
		{"sam", protocol.ListData{States: []string{"queued"}}, sorted(queued.ID), ""},
		{"sam", protocol.ListData{WaitingOverMS: 1}, sorted(queued.ID), ""},
		{"sam", protocol.ListData{WaitingOverMS: time.Hour.Milliseconds()}, nil, ""},
		{"sam", protocol.ListData{Team: "presales"}, sorted(queued.ID, active.ID), ""},
		{"sam", protocol.ListData{Team: "aftersales"}, nil, protocol.ErrForbidden.Code},
		{"sam", protocol.ListData{States: []string{"resolved"}}, nil, protocol.ErrInvalid.Code},
		{"vera", protocol.ListData{}, sorted(after.ID), ""},
		{"adam", protocol.ListData{}, sorted(queued.ID, active.ID, after.ID), ""},
		{"adam", protocol.ListData{Team: "aftersales"}, sorted(after.ID), ""},
		{"alice", protocol.ListData{}, nil, protocol.ErrForbidden.Code},
	}
	for _, tt := range tests {
		got, code := list(tt.who, tt.d)
		if code != tt.code || !slices.Equal(got, tt.want) {
			t.Errorf("%s lists %+v: %v %q, want %v %q", tt.who, tt.d, got, code, tt.want, tt.code)
		}
	}
}
