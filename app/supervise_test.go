package app_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"switchboard/app"
	"switchboard/protocol"
)

// These tests run against app/internal/fakeserver, which answers the
// supervision frames of protocol/supervise.go the way the contract says: the
// real server's side of them is written on another branch at the same time.

var sam = protocol.User{ID: "u-sam", Role: protocol.RoleSupervisor, Name: "Sam", Teams: []string{"presales"}}

// peer is a second signed-in app on the fixture's server.
type peer struct {
	a *app.App
	p *fakePlatform
}

// signInPeer starts another Service on f's server and signs user in there.
func (f *fixture) signInPeer(t *testing.T, username string, u protocol.User) peer {
	t.Helper()
	f.srv.AddUser(username, "pw", u)
	p := newFakePlatform(t)
	svc := app.New(app.Config{
		Dir:            t.TempDir(),
		Platform:       p,
		RequestTimeout: 2 * time.Second,
		ReconnectMin:   10 * time.Millisecond,
		ReconnectMax:   50 * time.Millisecond,
	})
	svc.Start(context.Background())
	t.Cleanup(svc.Stop)
	a := svc.App()
	if _, err := a.SignIn(f.srv.URL, username, "pw"); err != nil {
		t.Fatalf("SignIn(%s): %v", username, err)
	}
	p.waitFor(t, username+" online", func(evs []emitted) bool { return lastConnState(evs) == "online" })
	return peer{a: a, p: p}
}

// acceptC1 makes c1 alice's active conversation.
func (f *fixture) acceptC1(t *testing.T) {
	t.Helper()
	if _, err := f.a.Accept("c1"); err != nil {
		t.Fatalf("Accept(c1): %v", err)
	}
}

func TestWatchFloorFollowsPushesAndReconnects(t *testing.T) {
	f := newFixture(t)
	f.signIn(t)
	_, err := f.a.WatchFloor(true)
	wantCode(t, "an agent's WatchFloor", err, "forbidden")

	s := f.signInPeer(t, "sam", sam)
	floor := protocol.FloorData{At: 1, Teams: []protocol.FloorTeam{{ID: "presales", Name: "Presales", Queue: 2}}}
	f.srv.SetFloor(floor)
	got, err := s.a.WatchFloor(true)
	if err != nil || len(got.Teams) != 1 || got.Teams[0].Queue != 2 || got.Agents == nil || got.Teams[0].History == nil {
		t.Fatalf("WatchFloor(true) = %+v, %v; want the floor with lists, never null", got, err)
	}

	floor.Teams[0].Queue = 5
	f.srv.SetFloor(floor)
	s.p.waitFor(t, "a floor push", func(evs []emitted) bool {
		fl := named(evs, app.EventFloor)
		return len(fl) > 0 && fl[len(fl)-1].data.(protocol.FloorData).Teams[0].Queue == 5
	})

	// The server forgets the subscription with the connection; the app
	// subscribes again and passes the floor on.
	pushes := len(named(s.p.snapshot(), app.EventFloor))
	f.srv.DropConnections()
	s.p.waitFor(t, "the floor again after reconnecting", func(evs []emitted) bool {
		return len(named(evs, app.EventFloor)) > pushes && f.srv.Watchers() == 1
	})

	if _, err := s.a.WatchFloor(false); err != nil {
		t.Fatalf("WatchFloor(false): %v", err)
	}
	if n := f.srv.Watchers(); n != 0 {
		t.Fatalf("%d floor watchers after WatchFloor(false); want 0", n)
	}
	f.srv.DropConnections()
	s.p.waitFor(t, "online again", func(evs []emitted) bool { return countConnState(evs, "online") >= 3 })
	time.Sleep(50 * time.Millisecond)
	if n := f.srv.Watchers(); n != 0 {
		t.Fatalf("%d floor watchers after a reconnect of a stopped floor; want 0", n)
	}
}

func TestMonitorShowsToAgentAndDraftsAreThrottled(t *testing.T) {
	f := newFixture(t)
	f.signIn(t)
	f.acceptC1(t)
	s := f.signInPeer(t, "sam", sam)

	// Nobody monitors yet: drafts go nowhere.
	if err := f.a.SendDraft("c1", "hello"); err != nil {
		t.Fatalf("SendDraft unmonitored: %v", err)
	}
	st, err := s.a.Monitor("c1", true)
	if err != nil || len(st.Monitors) != 1 || st.Monitors[0].ID != sam.ID {
		t.Fatalf("Monitor(c1, on) = %+v, %v", st, err)
	}
	f.p.waitFor(t, "monitored by Sam", func(evs []emitted) bool {
		ms := named(evs, app.EventMonitor)
		return len(ms) > 0 && len(ms[len(ms)-1].data.(protocol.MonitorState).Monitors) == 1
	})
	if n := len(f.srv.Drafts()); n != 0 {
		t.Fatalf("%d drafts reached the server before the monitor; want 0", n)
	}

	// Typing fast: the first draft goes at once, the rest are throttled,
	// and the newest text always arrives.
	text := ""
	for _, r := range "How can I help you today" {
		text += string(r)
		if err := f.a.SendDraft("c1", text); err != nil {
			t.Fatalf("SendDraft: %v", err)
		}
	}
	s.p.waitFor(t, "the whole draft", func(evs []emitted) bool {
		ds := named(evs, app.EventDraft)
		return len(ds) > 0 && ds[len(ds)-1].data.(protocol.DraftPush).Text == text
	})
	if n := len(f.srv.Drafts()); n > 3 {
		t.Fatalf("%d drafts sent for %d keystrokes within a moment; want at most 3", n, len(text))
	}

	// Cleared and sent: the empty draft follows.
	if err := f.a.SendDraft("c1", ""); err != nil {
		t.Fatal(err)
	}
	s.p.waitFor(t, "the cleared draft", func(evs []emitted) bool {
		ds := named(evs, app.EventDraft)
		return ds[len(ds)-1].data.(protocol.DraftPush).Text == ""
	})

	if _, err := s.a.Monitor("c1", false); err != nil {
		t.Fatal(err)
	}
	f.p.waitFor(t, "no longer monitored", func(evs []emitted) bool {
		ms := named(evs, app.EventMonitor)
		return len(ms[len(ms)-1].data.(protocol.MonitorState).Monitors) == 0
	})
	before := len(f.srv.Drafts())
	f.a.SendDraft("c1", "after")
	time.Sleep(draftWait)
	if n := len(f.srv.Drafts()); n != before {
		t.Fatalf("a draft reached the server after the monitor ended")
	}
}

// draftWait is longer than the app's draft throttle.
const draftWait = 400 * time.Millisecond

func TestSendWhisperIsCachedAsStaffOnly(t *testing.T) {
	f := newFixture(t)
	f.signIn(t)
	f.acceptC1(t)

	_, err := f.a.SendWhisper("c1", "", "  ")
	wantCode(t, "an empty whisper", err, "invalid_request")
	m, err := f.a.SendWhisper("c1", "", "Offer the voucher")
	if err != nil || m.Seq == 0 || m.Visibility != protocol.VisibilityWhisper || m.Sender.ID != alice.ID {
		t.Fatalf("SendWhisper = %+v, %v", m, err)
	}
	sent := f.srv.Messages("c1")
	if last := sent[len(sent)-1]; last.Visibility != protocol.VisibilityWhisper || last.Text != "Offer the voucher" {
		t.Fatalf("the server stored %+v; want the whisper", last)
	}
	page, err := f.a.TranscriptPage("c1", 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(page.Messages, func(x protocol.Message) bool { return x.Seq == m.Seq })
	if i < 0 || page.Messages[i].Visibility != protocol.VisibilityWhisper {
		t.Fatalf("transcript %+v lacks the whisper as such", page.Messages)
	}
}

func TestJoinTakeOverReassignAndAssist(t *testing.T) {
	f := newFixture(t)
	f.signIn(t)
	f.acceptC1(t)
	s := f.signInPeer(t, "sam", sam)

	if _, err := s.a.ListConversations(protocol.ListTeams); err != nil {
		t.Fatalf("ListConversations(teams): %v", err)
	}
	s.p.waitFor(t, "the team's conversations", func(evs []emitted) bool {
		c, ok := lastConversation(evs, "c1")
		return ok && c.AssigneeID == alice.ID
	})
	_, err := f.a.ListConversations(protocol.ListTeams)
	wantCode(t, "an agent's teams list", err, "forbidden")

	// Alice asks for help; Sam hears of it.
	c, err := f.a.Assist("c1", true)
	if err != nil || c.AssistAt == 0 {
		t.Fatalf("Assist(on) = %+v, %v", c, err)
	}
	s.p.waitFor(t, "the assist push", func(evs []emitted) bool {
		as := named(evs, app.EventAssist)
		return len(as) > 0 && as[len(as)-1].data.(protocol.AssistPush).Active
	})

	c, err = s.a.Join("c1")
	if err != nil || len(c.Joined) != 1 || c.Joined[0].ID != sam.ID {
		t.Fatalf("Join = %+v, %v", c, err)
	}
	if c, err = s.a.Leave("c1"); err != nil || len(c.Joined) != 0 {
		t.Fatalf("Leave = %+v, %v", c, err)
	}
	if c, err = s.a.TakeOver("c1"); err != nil || c.AssigneeID != sam.ID {
		t.Fatalf("TakeOver = %+v, %v", c, err)
	}
	f.p.waitFor(t, "alice told of the take-over", func(evs []emitted) bool {
		c, ok := lastConversation(evs, "c1")
		return ok && c.AssigneeID == sam.ID
	})

	_, err = s.a.Reassign("c1", "", "", "")
	wantCode(t, "Reassign to nobody", err, "invalid_request")
	if c, err = s.a.Reassign("c1", alice.ID, "", "back to you"); err != nil || c.AssigneeID != alice.ID {
		t.Fatalf("Reassign to alice = %+v, %v", c, err)
	}
	if c, err = s.a.Reassign("c1", "", "aftersales", ""); err != nil || c.State != protocol.StateQueued || c.Team != "aftersales" {
		t.Fatalf("Reassign to a team = %+v, %v", c, err)
	}
}

func TestServerSetAwayAfterMissedOffers(t *testing.T) {
	f := newFixture(t)
	f.signIn(t)
	f.srv.Push(protocol.TypeStatus, protocol.StatusData{Status: protocol.StatusAway, Reason: protocol.StatusReasonMissedOffers})
	evs := f.p.waitFor(t, "the status event", func(evs []emitted) bool {
		return len(named(evs, app.EventStatus)) > 0 && lastConn(evs).Status == protocol.StatusAway
	})
	st := named(evs, app.EventStatus)[0].data.(protocol.StatusData)
	if st.Reason != protocol.StatusReasonMissedOffers {
		t.Fatalf("status event = %+v; want reason missed_offers", st)
	}
}
