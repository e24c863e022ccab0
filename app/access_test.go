package app_test

import (
	"context"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/google/uuid"

	"switchboard/app"
	"switchboard/backend/conversation"
	"switchboard/backend/notice"
	"switchboard/backend/server"
	"switchboard/backend/server/servertest"
	"switchboard/backend/store"
	"switchboard/protocol"
)

// TestAccessChangeRelists changes a signed-in agent's teams on the server,
// as the admin CLI does: the app hears the server's access push at once
// (the server's sweep runs hourly here), tells the UI the new user and
// lists the conversations the new team brings.
func TestAccessChangeRelists(t *testing.T) {
	data := t.TempDir()
	srv, err := server.New(servertest.Config(t, server.Config{DataDir: data, Demo: true, Routing: server.RoutingPick, AccessPoll: time.Hour}))
	if err != nil {
		t.Fatalf("server.New: %v", err)
	}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		srv.Shutdown(ctx)
		ts.Close()
	})
	ctx := context.Background()
	st := srv.Store()

	// A conversation waits in the after-sales queue; alice is in presales.
	cust, err := st.UpsertCustomer(ctx, store.Customer{ID: uuid.NewString(), Name: "Li"})
	if err != nil {
		t.Fatal(err)
	}
	event := func(typ string) store.NewMessage {
		return store.NewMessage{ClientMsgID: uuid.NewString(), SenderRole: protocol.RoleSystem, Kind: protocol.KindEvent,
			Visibility: protocol.VisibilityPublic, Event: &store.Event{Type: typ}}
	}
	c, _, err := st.CreateConversation(ctx, store.NewConversation{CustomerID: cust.ID, Channel: "web", Opened: event(protocol.EventOpened), Actor: cust.ID})
	if err != nil {
		t.Fatal(err)
	}
	team := "aftersales"
	if _, _, err := st.ChangeState(ctx, store.StateChange{ConversationID: c.ID, Event: conversation.Handoff, Team: &team,
		Message: event(protocol.EventHandoff), Actor: "bot"}); err != nil {
		t.Fatal(err)
	}

	p := newFakePlatform(t)
	svc := app.New(app.Config{Dir: t.TempDir(), Platform: p, ReconnectMin: 10 * time.Millisecond, ReconnectMax: 50 * time.Millisecond})
	svc.Start(ctx)
	t.Cleanup(svc.Stop)
	a := svc.App()
	if _, err := a.SignIn(ts.URL, "alice", server.DemoPassword); err != nil {
		t.Fatalf("SignIn: %v", err)
	}
	p.waitFor(t, "online", func(evs []emitted) bool { return lastConnState(evs) == "online" })
	if q, err := a.ListConversations(protocol.ListQueue); err != nil || len(q) != 0 {
		t.Fatalf("alice's queue before = %v, %v; want empty", q, err)
	}

	alice, err := st.AgentByUsername(ctx, "alice")
	if err != nil {
		t.Fatal(err)
	}
	alice.Teams = []string{"presales", "aftersales"}
	if _, err := st.UpsertAgent(ctx, alice); err != nil {
		t.Fatal(err)
	}
	if err := notice.Send(ctx, notice.Path(data), notice.Notice{Kind: notice.Agent, ID: alice.ID}); err != nil {
		t.Fatal(err)
	}
	p.waitFor(t, "the new user", func(evs []emitted) bool {
		for _, e := range named(evs, app.EventUser) {
			if u, ok := e.data.(protocol.User); ok && len(u.Teams) == 2 {
				return true
			}
		}
		return false
	})
	p.waitFor(t, "the after-sales conversation", func(evs []emitted) bool {
		for _, e := range named(evs, app.EventConversation) {
			if cv, ok := e.data.(protocol.Conversation); ok && cv.ID == c.ID {
				return true
			}
		}
		return false
	})
	if q, err := a.ListConversations(protocol.ListQueue); err != nil || len(q) != 1 || q[0].ID != c.ID {
		t.Fatalf("alice's queue after = %v, %v; want the after-sales conversation", q, err)
	}
	if len(named(p.snapshot(), app.EventSessionEnded)) > 0 || countConnState(p.snapshot(), "connecting") > 1 {
		t.Errorf("the change cost a reconnect or the session: %s", describe(p.snapshot()))
	}
}
