package server

import (
	"context"
	"testing"
	"time"

	"switchboard/protocol"
)

// TestAgentStatus covers the status frame: a connected agent starts online,
// the status is shared by the agent's connections and forgotten with the
// last one, and only staff may set one.
func TestAgentStatus(t *testing.T) {
	e := newEnv(t, nil)
	bob, welcome := e.agent("bob")
	id := welcome.User.ID
	if got := e.srv.agentStatus(id); got != protocol.StatusOnline {
		t.Fatalf("status after hello = %q, want online", got)
	}

	tests := []struct {
		name, in, want string
	}{
		{"away", protocol.StatusAway, protocol.StatusAway},
		{"offline", protocol.StatusOffline, protocol.StatusOffline},
		{"online", protocol.StatusOnline, protocol.StatusOnline},
		{"unknown", "busy", protocol.ErrInvalid.Code},
		{"empty", "", protocol.ErrInvalid.Code},
	}
	for _, tt := range tests {
		f := bob.request(protocol.TypeStatus, protocol.StatusData{Status: tt.in})
		if tt.want == protocol.ErrInvalid.Code {
			bob.wantError(f, tt.want)
			continue
		}
		var d protocol.StatusData
		bob.decode(f, protocol.TypeStatus, &d)
		if d.Status != tt.want || e.srv.agentStatus(id) != tt.want {
			t.Errorf("%s: status(%q) = %q (server %q), want %q", tt.name, tt.in, d.Status, e.srv.agentStatus(id), tt.want)
		}
	}

	// A second connection keeps the status set by the first.
	bob.request(protocol.TypeStatus, protocol.StatusData{Status: protocol.StatusAway})
	bob2, _ := e.agent("bob")
	if got := e.srv.agentStatus(id); got != protocol.StatusAway {
		t.Errorf("status after a second hello = %q, want away", got)
	}
	// Closing one keeps it; closing the last makes the agent offline, and
	// the next connection starts online again.
	bob.ws.Close()
	time.Sleep(50 * time.Millisecond)
	if got := e.srv.agentStatus(id); got != protocol.StatusAway {
		t.Errorf("status with one connection left = %q, want away", got)
	}
	bob2.ws.Close()
	deadline := time.Now().Add(5 * time.Second)
	for e.srv.agentStatus(id) != protocol.StatusOffline {
		if time.Now().After(deadline) {
			t.Fatalf("status after the last connection closed = %q, want offline", e.srv.agentStatus(id))
		}
		time.Sleep(10 * time.Millisecond)
	}
	e.agent("bob")
	if got := e.srv.agentStatus(id); got != protocol.StatusOnline {
		t.Errorf("status after reconnecting = %q, want online", got)
	}

	cust, _ := e.customer("customer")
	cust.wantError(cust.request(protocol.TypeStatus, protocol.StatusData{Status: protocol.StatusOnline}), protocol.ErrForbidden.Code)
}

// TestAgentCapacityAndLoad checks the seeded capacity and that load counts
// the conversations an agent works.
func TestAgentCapacityAndLoad(t *testing.T) {
	e := newEnv(t, nil)
	ctx := context.Background()
	carol, welcome := e.agent("carol")
	a, err := e.srv.store.Agent(ctx, welcome.User.ID)
	if err != nil || a.Capacity != 8 {
		t.Fatalf("carol = %+v, %v; want capacity 8", a, err)
	}
	if n, err := e.srv.agentLoad(ctx, a.ID); err != nil || n != 0 {
		t.Fatalf("load before accept = %d, %v; want 0", n, err)
	}
	_, conv := e.queued("customer", "human please")
	var accepted protocol.Conversation
	carol.decode(carol.request(protocol.TypeAccept, ref(conv.ID)), protocol.TypeConversation, &accepted)
	if n, err := e.srv.agentLoad(ctx, a.ID); err != nil || n != 1 {
		t.Fatalf("load after accept = %d, %v; want 1", n, err)
	}
	carol.request(protocol.TypeResolve, ref(conv.ID))
	if n, err := e.srv.agentLoad(ctx, a.ID); err != nil || n != 0 {
		t.Fatalf("load after resolve = %d, %v; want 0", n, err)
	}
}

// TestQueueListOrder checks that the queue lists VIP customers first, then
// by waiting time.
func TestQueueListOrder(t *testing.T) {
	e := newEnv(t, nil)
	carol, _ := e.agent("carol")
	_, first := e.queued("first", "human please")
	vipCust := e.identified("vip", "u-vip", map[string]string{"vip": "true"})
	vip := vipCust.open(nil)
	vipCust.sendText(vip.ID, "human please")
	vipCust.waitConversation("queued", func(c protocol.Conversation) bool { return c.State == protocol.StateQueued })
	q := carol.list(protocol.ListQueue)
	if len(q) != 2 || q[0].ID != vip.ID || q[1].ID != first.ID {
		t.Fatalf("queue = %+v, want [%s %s]", q, vip.ID, first.ID)
	}
}
