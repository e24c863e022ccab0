package server

import (
	"testing"

	"switchboard/backend/hub"
	"switchboard/protocol"
)

// Staff connections get their own, larger bound on unwritten frames: they
// receive the pushes of every conversation they serve or watch. Customers
// keep the hub's.
func TestStaffSendQueue(t *testing.T) {
	e := newEnv(t, func(c *Config) {
		c.Hub = hub.Config{SendQueue: 16}
		c.StaffSendQueue = 1000
	})
	defer e.stop()
	_, agent := e.agent("alice")
	_, sup := e.agent("sam")
	_, v := e.customer("Li")
	for _, c := range []struct {
		user protocol.User
		want int
	}{
		{agent.User, 1000},
		{sup.User, 1000},
		{protocol.User{ID: v.VisitorID, Role: protocol.RoleCustomer}, 16},
	} {
		conns := e.srv.hub.Conns(userTopic(c.user))
		if len(conns) != 1 {
			t.Fatalf("%s %s: %d connections", c.user.Role, c.user.ID, len(conns))
		}
		if got := conns[0].SendQueue(); got != c.want {
			t.Errorf("%s %s: send queue %d, want %d", c.user.Role, c.user.ID, got, c.want)
		}
	}
}
