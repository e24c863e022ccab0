package app

import (
	"io"
	"log/slog"
	"slices"
	"sync"
	"testing"
	"time"

	"switchboard/app/internal/fakeserver"
	"switchboard/protocol"
)

// fakeDesktop records what the app asks of the desktop.
type fakeDesktop struct {
	mu        sync.Mutex
	notes     []Notification
	titles    []string
	attention int
	bounds    WindowBounds
	screens   []ScreenSize
	resized   []WindowSize
	moved     [][2]int
}

var _ Desktop = (*fakeDesktop)(nil)

func (d *fakeDesktop) Notify(n Notification) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.notes = append(d.notes, n)
	return nil
}

func (d *fakeDesktop) SetTitle(t string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.titles = append(d.titles, t)
}

func (d *fakeDesktop) Attention() {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.attention++
}

func (d *fakeDesktop) Bounds() WindowBounds {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.bounds
}

func (d *fakeDesktop) Resize(w, h int) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.resized = append(d.resized, WindowSize{w, h})
}

func (d *fakeDesktop) Move(x, y int) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.moved = append(d.moved, [2]int{x, y})
}

func (d *fakeDesktop) Screens() ([]ScreenSize, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.screens, nil
}

func (d *fakeDesktop) title() string {
	d.mu.Lock()
	defer d.mu.Unlock()
	if len(d.titles) == 0 {
		return ""
	}
	return d.titles[len(d.titles)-1]
}

func (d *fakeDesktop) notifications() []Notification {
	d.mu.Lock()
	defer d.mu.Unlock()
	return slices.Clone(d.notes)
}

func (d *fakeDesktop) attentions() int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.attention
}

var t0 = time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)

const me = "u_alice"

// newTestAlerts returns alerts signed in as me at t0, with conversations
// known to the cache in convs.
func newTestAlerts(convs map[string]protocol.Conversation) (*alerts, *fakeDesktop) {
	d := &fakeDesktop{}
	a := newAlerts(d, slog.New(slog.NewTextHandler(io.Discard, nil)))
	a.signedIn(me, func(id string) (protocol.Conversation, bool) {
		c, ok := convs[id]
		return c, ok
	}, t0)
	return a, d
}

func routingOffer(id string, expires time.Time) protocol.Conversation {
	return protocol.Conversation{
		ID: id, CustomerName: "Wang", State: protocol.StateQueued, Team: "presales",
		HandoffReason: "asked for a person", OfferAgentID: me, OfferExpiresAt: expires.UnixMilli(),
	}
}

func customerSays(conv, text string, at time.Time) protocol.Message {
	return protocol.Message{
		ConversationID: conv, Seq: 5, Kind: protocol.KindText, Visibility: protocol.VisibilityPublic,
		Sender: protocol.Sender{Role: protocol.RoleCustomer, ID: "v1", Name: "Wang"}, Text: text,
		CreatedAt: at.UnixMilli(),
	}
}

// TestOfferAlertsUntilItGoes checks that an offer is notified once, asks for
// attention at once and again every attentionEvery, flashes the title, and
// stops when the offer is accepted, declined or expires.
func TestOfferAlertsUntilItGoes(t *testing.T) {
	tests := []struct {
		name string
		end  func(a *alerts, c protocol.Conversation, now time.Time)
	}{
		{"accepted", func(a *alerts, c protocol.Conversation, now time.Time) {
			c.State, c.AssigneeID, c.OfferAgentID, c.OfferExpiresAt = protocol.StateActive, me, "", 0
			a.event(EventConversation, c, now)
		}},
		{"declined", func(a *alerts, c protocol.Conversation, now time.Time) {
			c.OfferAgentID, c.OfferExpiresAt = "u_bob", now.Add(30*time.Second).UnixMilli()
			a.event(EventConversation, c, now)
		}},
		{"removed", func(a *alerts, c protocol.Conversation, now time.Time) {
			a.event(EventConversationRemoved, ConversationRemoved{ConversationID: c.ID}, now)
		}},
		{"expired without a push", func(*alerts, protocol.Conversation, time.Time) {}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, d := newTestAlerts(nil)
			expires := t0.Add(12 * time.Second)
			c := routingOffer("c1", expires)
			a.event(EventConversation, c, t0)

			notes := d.notifications()
			if len(notes) != 1 || notes[0].ConversationID != "c1" || notes[0].Title != "New conversation offered" {
				t.Fatalf("notifications = %+v, want one offer notification for c1", notes)
			}
			if d.attentions() != 1 {
				t.Fatalf("attention requests at the offer = %d, want 1", d.attentions())
			}
			if got := d.title(); got != "(1) Switchboard" {
				t.Errorf("title = %q, want the badge (1)", got)
			}
			// The same offer pushed again (an update) alerts no more.
			a.event(EventConversation, c, t0.Add(500*time.Millisecond))
			if n := len(d.notifications()); n != 1 {
				t.Errorf("notifications after a repeated push = %d, want 1", n)
			}

			flashed := false
			for s := 1; s <= 10; s++ {
				a.tick(t0.Add(time.Duration(s) * time.Second))
				if d.title() == "(!) Offer — Switchboard" {
					flashed = true
				}
			}
			if !flashed {
				t.Errorf("titles %q never flashed the offer", d.titles)
			}
			if got := d.attentions(); got != 3 { // at 0 s, 5 s and 10 s
				t.Errorf("attention requests after 10 s = %d, want 3", got)
			}

			end := t0.Add(10500 * time.Millisecond)
			if tt.name == "expired without a push" {
				end = expires
			}
			tt.end(a, c, end)
			before := d.attentions()
			for s := 11; s <= 30; s++ {
				a.tick(t0.Add(time.Duration(s) * time.Second))
			}
			if got := d.attentions(); got != before {
				t.Errorf("attention requests after the offer went: %d more, want none", got-before)
			}
			if got := d.title(); got != "Switchboard" {
				t.Errorf("title after the offer went = %q, want %q", got, "Switchboard")
			}
			if a.badge() != 0 {
				t.Errorf("badge = %d, want 0", a.badge())
			}
		})
	}
}

// TestTransferOfferNotification checks a transfer offer's text and that an
// offer to someone else, or already expired, raises nothing.
func TestTransferOfferNotification(t *testing.T) {
	a, d := newTestAlerts(nil)
	a.setView(ViewState{Lang: "zh-CN"})
	a.event(EventConversation, protocol.Conversation{
		ID: "c2", CustomerName: "Li", State: protocol.StateActive, AssigneeID: "u_bob", AssigneeName: "Bob",
		OfferAgentID: me, TransferFromID: "u_bob", OfferExpiresAt: t0.Add(time.Minute).UnixMilli(),
	}, t0)
	a.event(EventConversation, routingOffer("c3", t0.Add(-time.Second)), t0)
	other := routingOffer("c4", t0.Add(time.Minute))
	other.OfferAgentID = "u_bob"
	a.event(EventConversation, other, t0)

	notes := d.notifications()
	if len(notes) != 1 {
		t.Fatalf("notifications = %+v, want only the transfer to me", notes)
	}
	if want := "Bob 将 Li 转接给你"; notes[0].Title != "会话转接邀请" || notes[0].Body != want {
		t.Errorf("notification = %+v, want the zh-CN transfer text %q", notes[0], want)
	}
}

// TestMessageNotificationsOnlyOutOfView checks that a customer message in a
// conversation out of view (or in a window without focus) is notified and
// counted, one in view is not, and looking at it clears its count.
func TestMessageNotificationsOnlyOutOfView(t *testing.T) {
	mine := map[string]protocol.Conversation{
		"c1": {ID: "c1", State: protocol.StateActive, AssigneeID: me},
		"c2": {ID: "c2", State: protocol.StateActive, AssigneeID: me},
		"q9": {ID: "q9", State: protocol.StateQueued, Team: "presales"},
	}
	a, d := newTestAlerts(mine)
	now := t0.Add(time.Minute)
	a.setView(ViewState{ConversationID: "c1", Focused: true})

	a.event(EventMessage, customerSays("c1", "in view", now), now)
	if n := len(d.notifications()); n != 0 {
		t.Fatalf("a message in view raised %d notifications", n)
	}

	a.event(EventMessage, customerSays("c2", "where is my order?", now), now)
	notes := d.notifications()
	if len(notes) != 1 || notes[0].ConversationID != "c2" || notes[0].Title != "Wang" || notes[0].Body != "where is my order?" {
		t.Fatalf("notifications = %+v, want one for c2", notes)
	}

	// Not news: history written before the session, the agent's own
	// messages, a note, a queued conversation that is not offered to me.
	a.event(EventMessage, customerSays("c2", "old", t0.Add(-time.Hour)), now)
	own := customerSays("c2", "mine", now)
	own.Sender = protocol.Sender{Role: protocol.RoleAgent, ID: me}
	a.event(EventMessage, own, now)
	a.event(EventMessage, customerSays("q9", "anyone?", now), now)
	if n := len(d.notifications()); n != 1 {
		t.Errorf("notifications = %d after history, own and queue messages, want 1", n)
	}

	// The window loses the focus: the conversation in view counts too.
	a.setView(ViewState{ConversationID: "c1", Focused: false})
	a.event(EventMessage, customerSays("c1", "hello?", now), now)
	if n := len(d.notifications()); n != 2 {
		t.Errorf("notifications = %d after a message in an unfocused window, want 2", n)
	}
	if got := d.title(); got != "(2) Switchboard" {
		t.Errorf("title = %q, want the badge (2)", got)
	}

	a.setView(ViewState{ConversationID: "c1", Focused: true})
	if got := d.title(); got != "(1) Switchboard" {
		t.Errorf("title after looking at c1 = %q, want (1)", got)
	}
	a.setView(ViewState{ConversationID: "c2", Focused: true})
	if got := d.title(); got != "Switchboard" {
		t.Errorf("title after looking at c2 = %q, want no badge", got)
	}
}

// TestWhisperToTheAgentIsNews checks that a supervisor's whisper in the
// agent's conversation out of view alerts like a customer's message, and
// the agent's own whisper does not.
func TestWhisperToTheAgentIsNews(t *testing.T) {
	a, d := newTestAlerts(map[string]protocol.Conversation{
		"c1": {ID: "c1", State: protocol.StateActive, AssigneeID: me},
		"c2": {ID: "c2", State: protocol.StateActive, AssigneeID: me},
	})
	now := t0.Add(time.Minute)
	a.setView(ViewState{ConversationID: "c1", Focused: true})
	w := customerSays("c2", "Offer the voucher", now)
	w.Visibility = protocol.VisibilityWhisper
	w.Sender = protocol.Sender{Role: protocol.RoleSupervisor, ID: "u_sam", Name: "Sam"}
	a.event(EventMessage, w, now)
	notes := d.notifications()
	if len(notes) != 1 || notes[0].Title != "Sam" || notes[0].ConversationID != "c2" {
		t.Fatalf("notifications = %+v, want Sam's whisper in c2", notes)
	}
	own := w
	own.Sender = protocol.Sender{Role: protocol.RoleAgent, ID: me, Name: "Alice"}
	a.event(EventMessage, own, now)
	if n := len(d.notifications()); n != 1 {
		t.Errorf("notifications = %d after the agent's own whisper, want 1", n)
	}
}

// TestBadgeCountsUnreadAndOffers checks the badge: unread messages plus
// open offers, dropped with a resolved conversation and at sign-out.
func TestBadgeCountsUnreadAndOffers(t *testing.T) {
	a, d := newTestAlerts(nil)
	now := t0.Add(time.Second)
	a.event(EventMessage, customerSays("c1", "one", now), now)
	a.event(EventMessage, customerSays("c1", "two", now), now)
	a.event(EventMessage, customerSays("c2", "three", now), now)
	a.event(EventConversation, routingOffer("c3", now.Add(time.Minute)), now)
	if got := a.badge(); got != 4 {
		t.Errorf("badge = %d, want 3 unread + 1 offer", got)
	}
	if got := d.title(); got != "(4) Switchboard" {
		t.Errorf("title = %q, want (4)", got)
	}
	a.event(EventConversation, protocol.Conversation{ID: "c1", State: protocol.StateResolved, AssigneeID: me}, now)
	if got := a.badge(); got != 2 {
		t.Errorf("badge after c1 resolved = %d, want 2", got)
	}
	a.signedOut()
	if got := d.title(); a.badge() != 0 || got != "Switchboard" {
		t.Errorf("after sign-out badge = %d, title %q; want 0 and no badge", a.badge(), got)
	}
	a.event(EventMessage, customerSays("c2", "late", now), now)
	if a.badge() != 0 {
		t.Error("a message after sign-out was counted")
	}
}

// TestClockOffsetAppliesToExpiry checks that an offer's expiry is read on
// the server's clock.
func TestClockOffsetAppliesToExpiry(t *testing.T) {
	a, _ := newTestAlerts(nil)
	// The server is a minute ahead: an offer expiring 30 s after t0 on our
	// clock has already expired on the server's.
	a.event(EventConnState, ConnState{State: "online", ClockOffsetMS: 60_000}, t0)
	a.event(EventConversation, routingOffer("c1", t0.Add(30*time.Second)), t0)
	if a.badge() != 0 {
		t.Errorf("an offer expired on the server's clock is alerting")
	}
	a.event(EventConversation, routingOffer("c2", t0.Add(90*time.Second)), t0)
	a.tick(t0.Add(29 * time.Second))
	if a.badge() != 1 {
		t.Errorf("badge = %d before expiry, want 1", a.badge())
	}
	a.tick(t0.Add(31 * time.Second))
	if a.badge() != 0 {
		t.Errorf("badge = %d after the server-clock expiry, want 0", a.badge())
	}
}

// TestServiceAlertsThroughPlatform checks the wiring: a Platform that is
// also a Desktop gets the title and notifications of emitted events, and
// SetView reaches the alerts.
func TestServiceAlertsThroughPlatform(t *testing.T) {
	p := &fakeDesktopPlatform{}
	svc := New(Config{Dir: t.TempDir(), Platform: p})
	svc.Start(t.Context())
	defer svc.Stop()
	svc.alertDo(func(a *alerts) { a.signedIn(me, nil, t0) })
	svc.emit(EventConversation, routingOffer("c1", time.Now().Add(time.Minute)))
	waitUntil(t, "an offer notification", func() bool { return len(p.notifications()) == 1 })
	waitUntil(t, "attention", func() bool { return p.attentions() >= 1 })
	waitUntil(t, "the badge", func() bool { return p.title() == "(1) Switchboard" || p.title() == "(!) Offer — Switchboard" })

	if err := svc.App().SetView(ViewState{ConversationID: "c9", Focused: true}); err != nil {
		t.Fatal(err)
	}
	svc.emit(EventMessage, customerSays("c9", "in view", time.Now()))
	svc.emit(EventMessage, customerSays("c8", "not in view", time.Now()))
	waitUntil(t, "a message notification", func() bool { return len(p.notifications()) == 2 })
	if n := p.notifications()[1]; n.ConversationID != "c8" {
		t.Errorf("notification = %+v, want the one for c8", n)
	}
}

// fakeDesktopPlatform is a Platform that is also a Desktop.
type fakeDesktopPlatform struct {
	fakeDesktop
	events map[string]int // guarded by fakeDesktop.mu
}

func (p *fakeDesktopPlatform) Emit(name string, _ any) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.events == nil {
		p.events = map[string]int{}
	}
	p.events[name]++
}

func (p *fakeDesktopPlatform) emitted(name string) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.events[name]
}

func (p *fakeDesktopPlatform) ShowWindow() { p.Attention() }

func waitUntil(t *testing.T, what string, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// TestSessionOfferAndMessageAlerts runs the alerts against a signed-in
// session: the server offers a conversation (notification, attention,
// badge), the agent accepts (alerting stops), a customer message arrives
// out of view (notification, badge) and looking at it clears the badge.
func TestSessionOfferAndMessageAlerts(t *testing.T) {
	alice := protocol.User{ID: "u-alice", Role: protocol.RoleAgent, Name: "Alice", Teams: []string{"presales"}}
	customer := protocol.Sender{Role: protocol.RoleCustomer, ID: "v-1", Name: "Wang"}
	srv := fakeserver.New(t)
	srv.AddUser("alice", "pw", alice)
	srv.AddConversation(protocol.Conversation{
		ID: "c1", CustomerID: "v-1", CustomerName: "Wang", Channel: "web", State: protocol.StateQueued, Team: "presales",
	})
	srv.Say("c1", customer, "转人工", false)
	// The fake server's clock moves only with its messages: one elsewhere
	// puts the history before the welcome, as a real clock would.
	srv.AddConversation(protocol.Conversation{ID: "c0", CustomerID: "v-0", State: protocol.StateResolved})
	srv.Say("c0", customer, "bye", false)

	p := &fakeDesktopPlatform{}
	svc := New(Config{Dir: t.TempDir(), Platform: p, RequestTimeout: 2 * time.Second,
		ReconnectMin: 10 * time.Millisecond, ReconnectMax: 50 * time.Millisecond})
	svc.Start(t.Context())
	defer svc.Stop()
	a := svc.App()
	if _, err := a.SignIn(srv.URL, "alice", "pw"); err != nil {
		t.Fatal(err)
	}
	waitUntil(t, "the queue listed", func() bool {
		list, err := a.ListConversations(protocol.ListQueue)
		return err == nil && len(list) == 1
	})
	if n := len(p.notifications()); n != 0 {
		t.Fatalf("%d notifications before anything happened: %+v", n, p.notifications())
	}

	srv.Offer("c1", alice)
	waitUntil(t, "the offer notification", func() bool { return len(p.notifications()) == 1 })
	if n := p.notifications()[0]; n.ConversationID != "c1" || n.Title != "New conversation offered" {
		t.Errorf("notification = %+v", n)
	}
	waitUntil(t, "attention", func() bool { return p.attentions() >= 1 })

	if _, err := a.Accept("c1"); err != nil {
		t.Fatal(err)
	}
	waitUntil(t, "no badge after accepting", func() bool { return p.title() == "Switchboard" })
	before := p.attentions()

	srv.Say("c1", customer, "在吗？", true)
	waitUntil(t, "the message notification", func() bool { return len(p.notifications()) == 2 })
	if n := p.notifications()[1]; n.ConversationID != "c1" || n.Body != "在吗？" {
		t.Errorf("notification = %+v", n)
	}
	waitUntil(t, "the message:unseen event", func() bool { return p.emitted(EventUnseenMessage) == 1 })
	waitUntil(t, "the unread badge", func() bool { return p.title() == "(1) Switchboard" })
	a.SetView(ViewState{ConversationID: "c1", Focused: true})
	waitUntil(t, "the badge cleared", func() bool { return p.title() == "Switchboard" })
	if got := p.attentions(); got != before {
		t.Errorf("attention asked %d more times after the offer was accepted", got-before)
	}
}

// TestEndedOfferStaysEnded: a late copy of a conversation that still shows
// an offer already accepted (a list read before the accept, answered after
// it) neither notifies again nor brings the offer back; a new offer of the
// same conversation does.
func TestEndedOfferStaysEnded(t *testing.T) {
	a, d := newTestAlerts(nil)
	c := routingOffer("c1", t0.Add(30*time.Second))
	a.event(EventConversation, c, t0)
	accepted := c
	accepted.State, accepted.AssigneeID, accepted.OfferAgentID, accepted.OfferExpiresAt = protocol.StateActive, me, "", 0
	a.event(EventConversation, accepted, t0.Add(time.Second))
	a.event(EventConversation, c, t0.Add(2*time.Second))
	if n := len(d.notes); n != 1 {
		t.Fatalf("%d notifications after a late copy of the accepted offer, want 1: %+v", n, d.notes)
	}
	if len(a.offers) != 0 || d.title() != appTitle {
		t.Fatalf("the ended offer came back: offers %v, title %q", a.offers, d.title())
	}
	again := routingOffer("c1", t0.Add(90*time.Second))
	a.event(EventConversation, again, t0.Add(60*time.Second))
	if n := len(d.notes); n != 2 {
		t.Fatalf("%d notifications after a new offer, want 2", n)
	}
}
