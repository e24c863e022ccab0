package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"switchboard/protocol"
)

// Alert timing: the title flashes every alertTick while an offer is open,
// and the window asks for attention again every attentionEvery until the
// offer is accepted, declined or expires.
const (
	alertTick      = time.Second
	attentionEvery = 5 * time.Second
)

// appTitle is the window title without a badge.
const appTitle = "Switchboard"

var errNotificationsOff = errors.New("notifications are off")

// ViewState is what the agent is looking at, as the UI reports it: the
// conversation open on screen and whether the window has the focus. A
// customer message in the conversation in view of a focused window needs no
// alert; any other does.
type ViewState struct {
	ConversationID string `json:"conversation_id"`
	Focused        bool   `json:"focused"`
	// Lang is the UI's language ("en" or "zh-CN"); notifications use it.
	Lang string `json:"lang"`
}

// SetView tells the Go side which conversation is in view and whether the
// window is focused, so only messages the agent cannot see raise
// notifications, and the unread count of the conversation in view clears.
func (a *App) SetView(v ViewState) error {
	a.s.alertDo(func(al *alerts) { al.setView(v) })
	return nil
}

// offerAlert is an open offer to the signed-in agent.
type offerAlert struct {
	expiresAt int64     // server unix ms; 0: no expiry known
	attention time.Time // when attention was last asked for it
}

// alerts decides what the desktop shows for offers and messages:
// notifications, requests for attention, and the badge count in the window
// title. It is driven by the events the session emits, by the UI's view and
// by a clock tick; it is not safe for concurrent use (an alerter owns it).
type alerts struct {
	d   Desktop
	log *slog.Logger
	// emit sends an event to the UI (nil: none).
	emit func(name string, data any)
	// send hands a notification to be shown (nil: shown at once).
	send func(Notification)

	me     string // signed-in user id; "" when signed out
	lookup func(id string) (protocol.Conversation, bool)
	// since is when the session started (local clock): customer messages
	// written before it are history, not news.
	since  time.Time
	offset int64 // the server's clock minus this machine's, ms

	view ViewState

	offers map[string]*offerAlert
	// ended maps a conversation to the expiry of its offer that ended
	// (accepted, declined, expired, withdrawn): a late copy of the
	// conversation still showing that offer (a list read before the
	// accept, answered after it) must not bring it back.
	ended  map[string]int64
	unread map[string]int
	flash  bool   // the title shows the offer text on this tick
	title  string // the title last set
}

func newAlerts(d Desktop, log *slog.Logger) *alerts {
	return &alerts{d: d, log: log, offers: map[string]*offerAlert{}, ended: map[string]int64{}, unread: map[string]int{}}
}

// signedIn starts alerting for user me. lookup reads a cached conversation
// (nil: none).
func (a *alerts) signedIn(me string, lookup func(string) (protocol.Conversation, bool), now time.Time) {
	a.me, a.lookup, a.since = me, lookup, now
	clear(a.offers)
	clear(a.ended)
	clear(a.unread)
	a.updateTitle()
}

// signedOut stops every alert and clears the badge.
func (a *alerts) signedOut() {
	a.me, a.lookup = "", nil
	clear(a.offers)
	clear(a.ended)
	clear(a.unread)
	a.flash = false
	a.updateTitle()
}

func (a *alerts) setView(v ViewState) {
	a.view = v
	if a.inView(v.ConversationID) {
		delete(a.unread, v.ConversationID)
	}
	a.updateTitle()
}

func (a *alerts) inView(id string) bool {
	return id != "" && a.view.Focused && a.view.ConversationID == id
}

// serverNow is the server's clock now.
func (a *alerts) serverNow(now time.Time) int64 { return now.UnixMilli() + a.offset }

// offeredToMe reports whether c is offered to the signed-in agent and the
// offer is still open: a routing offer (queued) or a transfer (active or
// waiting), not past its expiry.
func (a *alerts) offeredToMe(c protocol.Conversation, now time.Time) bool {
	if a.me == "" || c.OfferAgentID != a.me {
		return false
	}
	switch c.State {
	case protocol.StateQueued, protocol.StateActive, protocol.StateWaitingCustomer:
	default:
		return false
	}
	return c.OfferExpiresAt == 0 || c.OfferExpiresAt > a.serverNow(now)
}

// event observes an event the session emitted to the UI.
func (a *alerts) event(name string, data any, now time.Time) {
	if a.me == "" {
		return
	}
	switch name {
	case EventConnState:
		if cs, ok := data.(ConnState); ok && cs.ClockOffsetMS != 0 {
			a.offset = cs.ClockOffsetMS
		}
	case EventConversation:
		if c, ok := data.(protocol.Conversation); ok {
			a.conversation(c, now)
		}
	case EventConversationRemoved:
		if r, ok := data.(ConversationRemoved); ok {
			a.endOffer(r.ConversationID)
			delete(a.unread, r.ConversationID)
			a.updateTitle()
		}
	case EventMessage:
		if m, ok := data.(protocol.Message); ok {
			a.message(m, now)
		}
	case EventAssist:
		// The UI repeats its sound until the request is answered; the
		// notification and the taskbar make it seen from another window.
		if p, ok := data.(protocol.AssistPush); ok && p.Active {
			a.notify(a.assistNotification(p))
			a.d.Attention()
		}
	}
}

func (a *alerts) assistNotification(p protocol.AssistPush) Notification {
	agent := p.Agent.Name
	if agent == "" {
		agent = a.text("anAgent")
	}
	name := p.CustomerName
	if name == "" {
		name = a.text("customer")
	}
	return Notification{
		ID:             "assist-" + p.ConversationID,
		Title:          a.text("assistTitle"),
		Body:           fmt.Sprintf(a.text("assistBody"), agent, name),
		ConversationID: p.ConversationID,
	}
}

// conversation tracks offers: one that appears is notified and asks for
// attention at once; one that goes (accepted, declined, expired, withdrawn)
// stops alerting.
func (a *alerts) conversation(c protocol.Conversation, now time.Time) {
	_, tracked := a.offers[c.ID]
	offered := a.offeredToMe(c, now)
	switch {
	case offered && !tracked && a.ended[c.ID] == c.OfferExpiresAt && c.OfferExpiresAt != 0:
		// A late copy of an offer that has ended already.
	case offered && !tracked:
		a.offers[c.ID] = &offerAlert{expiresAt: c.OfferExpiresAt, attention: now}
		a.notify(a.offerNotification(c))
		a.d.Attention()
	case offered:
		a.offers[c.ID].expiresAt = c.OfferExpiresAt
	case tracked:
		a.endOffer(c.ID)
	}
	if !a.mine(c) {
		delete(a.unread, c.ID)
	}
	a.updateTitle()
}

// mine reports whether messages of c concern the agent: it is assigned or
// offered to them and still open.
func (a *alerts) mine(c protocol.Conversation) bool {
	switch c.State {
	case protocol.StateQueued, protocol.StateActive, protocol.StateWaitingCustomer:
	default:
		return false
	}
	return c.AssigneeID == a.me || c.OfferAgentID == a.me
}

// message alerts on a new customer message the agent cannot see: in another
// conversation than the one in view, or while the window is in the
// background. A supervisor's whisper to the agent counts too. Messages
// written before the session started (a sync of history) are not news.
func (a *alerts) message(m protocol.Message, now time.Time) {
	customer := m.Sender.Role == protocol.RoleCustomer && m.Visibility != protocol.VisibilityInternal
	whisper := m.Visibility == protocol.VisibilityWhisper && m.Sender.ID != a.me
	if !customer && !whisper {
		return
	}
	if m.CreatedAt-a.offset < a.since.UnixMilli() {
		return
	}
	if a.lookup != nil {
		if c, ok := a.lookup(m.ConversationID); ok && !a.mine(c) {
			return
		}
	}
	if a.inView(m.ConversationID) {
		return
	}
	a.unread[m.ConversationID]++
	a.notify(a.messageNotification(m))
	if a.emit != nil {
		a.emit(EventUnseenMessage, UnseenMessage{ConversationID: m.ConversationID, Seq: m.Seq})
	}
	a.updateTitle()
}

// tick runs every alertTick: offers past their expiry stop alerting; open
// ones flash the title and ask for attention again every attentionEvery.
func (a *alerts) tick(now time.Time) {
	for id, o := range a.offers {
		if o.expiresAt != 0 && o.expiresAt <= a.serverNow(now) {
			a.endOffer(id)
		}
	}
	if len(a.offers) == 0 {
		a.flash = false
		a.updateTitle()
		return
	}
	a.flash = !a.flash
	attention := false
	for _, o := range a.offers {
		if now.Sub(o.attention) >= attentionEvery {
			o.attention = now
			attention = true
		}
	}
	if attention {
		a.d.Attention()
	}
	a.updateTitle()
}

// endOffer stops alerting on the offer of conversation id and remembers
// it, so that a late copy does not bring it back.
func (a *alerts) endOffer(id string) {
	if o, ok := a.offers[id]; ok {
		a.ended[id] = o.expiresAt
		delete(a.offers, id)
	}
}

// badge counts what waits for the agent: unread messages and open offers.
func (a *alerts) badge() int {
	n := len(a.offers)
	for _, u := range a.unread {
		n += u
	}
	return n
}

func (a *alerts) updateTitle() {
	t := appTitle
	if n := a.badge(); n > 0 {
		t = fmt.Sprintf("(%d) %s", n, appTitle)
	}
	if a.flash && len(a.offers) > 0 {
		t = fmt.Sprintf("(!) %s — %s", a.text("offerFlash"), appTitle)
	}
	if t != a.title {
		a.title = t
		a.d.SetTitle(t)
	}
}

// notify shows n: through send when set (the alerter's sender, so a slow
// notification service never holds up the title and attention), else at
// once.
func (a *alerts) notify(n Notification) {
	if a.send != nil {
		a.send(n)
		return
	}
	a.show(n)
}

func (a *alerts) show(n Notification) {
	if err := a.d.Notify(n); err != nil && !errors.Is(err, errNotificationsOff) {
		a.log.Info("notification failed", "conversation_id", n.ConversationID, "err", err)
	}
}

func (a *alerts) offerNotification(c protocol.Conversation) Notification {
	name := c.CustomerName
	if name == "" {
		name = a.text("customer")
	}
	n := Notification{ID: "offer-" + c.ID, ConversationID: c.ID}
	if c.TransferFromID != "" {
		n.Title = a.text("transferTitle")
		from := c.AssigneeName
		if from == "" {
			from = a.text("anAgent")
		}
		n.Body = fmt.Sprintf(a.text("transferBody"), from, name)
		return n
	}
	n.Title = a.text("offerTitle")
	n.Body = name
	if c.HandoffReason != "" {
		n.Body += " — " + c.HandoffReason
	}
	return n
}

func (a *alerts) messageNotification(m protocol.Message) Notification {
	name := m.Sender.Name
	if name == "" {
		name = a.text("customer")
	}
	body := strings.TrimSpace(m.Text)
	if body == "" {
		body = a.text("attachment")
	}
	return Notification{
		ID:             "message-" + m.ConversationID,
		Title:          name,
		Body:           clip(body, 200),
		ConversationID: m.ConversationID,
	}
}

// clip shortens s to at most n runes, marking the cut.
func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}

// alertTexts are the notification and title texts by language; the UI's
// language picks (English when it is not known).
var alertTexts = map[string]map[string]string{
	"en": {
		"offerTitle":    "New conversation offered",
		"transferTitle": "Transfer offered",
		"transferBody":  "%s is transferring %s to you",
		"offerFlash":    "Offer",
		"customer":      "Customer",
		"anAgent":       "An agent",
		"attachment":    "Sent an attachment",
		"assistTitle":   "An agent asks for help",
		"assistBody":    "%s asks for help with %s",
	},
	"zh-CN": {
		"offerTitle":    "新会话邀请",
		"transferTitle": "会话转接邀请",
		"transferBody":  "%s 将 %s 转接给你",
		"offerFlash":    "新邀请",
		"customer":      "客户",
		"anAgent":       "一位坐席",
		"attachment":    "发来一个附件",
		"assistTitle":   "坐席请求协助",
		"assistBody":    "%s 请求协助处理 %s",
	},
}

func (a *alerts) text(key string) string {
	if t, ok := alertTexts[a.view.Lang][key]; ok {
		return t
	}
	return alertTexts["en"][key]
}

// alerter owns an alerts on one goroutine: events, view changes and clock
// ticks reach it in order through a queue, so the session's reader never
// waits for a notification to be shown.
type alerter struct {
	a    *alerts
	now  func() time.Time
	wake chan struct{}
	stop chan struct{}
	done chan struct{}
	// notes feeds the goroutine that shows notifications; sent is closed
	// when it has stopped.
	notes chan Notification
	sent  chan struct{}

	// mu guards queue.
	mu    sync.Mutex
	queue []func(*alerts)
}

func newAlerter(a *alerts) *alerter {
	al := &alerter{
		a:     a,
		now:   time.Now,
		wake:  make(chan struct{}, 1),
		stop:  make(chan struct{}),
		done:  make(chan struct{}),
		notes: make(chan Notification, notesQueue),
		sent:  make(chan struct{}),
	}
	a.send = al.queueNote
	go al.run()
	go al.showNotes()
	return al
}

// notesQueue is how many notifications may wait while one is being shown;
// beyond it they are dropped (the title and the sound still alert).
const notesQueue = 16

func (al *alerter) queueNote(n Notification) {
	select {
	case al.notes <- n:
	default:
		al.a.log.Info("notification dropped: too many waiting", "conversation_id", n.ConversationID)
	}
}

func (al *alerter) showNotes() {
	defer close(al.sent)
	for {
		select {
		case n := <-al.notes:
			al.a.show(n)
		case <-al.stop:
			return
		}
	}
}

// do runs f on the alerter's goroutine, after what was queued before.
func (al *alerter) do(f func(*alerts)) {
	al.mu.Lock()
	al.queue = append(al.queue, f)
	al.mu.Unlock()
	select {
	case al.wake <- struct{}{}:
	default:
	}
}

// event queues an emitted event.
func (al *alerter) event(name string, data any) {
	al.do(func(a *alerts) { a.event(name, data, al.now()) })
}

func (al *alerter) run() {
	defer close(al.done)
	t := time.NewTicker(alertTick)
	defer t.Stop()
	for {
		select {
		case <-al.wake:
			al.drain()
		case <-t.C:
			al.drain()
			al.a.tick(al.now())
		case <-al.stop:
			return
		}
	}
}

func (al *alerter) drain() {
	for {
		al.mu.Lock()
		batch := al.queue
		al.queue = nil
		al.mu.Unlock()
		if len(batch) == 0 {
			return
		}
		for _, f := range batch {
			f(al.a)
		}
	}
}

// close stops the goroutines; what is still queued is dropped.
func (al *alerter) close() {
	close(al.stop)
	<-al.done
	<-al.sent
}

// noDesktop is the Desktop of a Platform without one: nothing is shown.
type noDesktop struct{}

func (noDesktop) Notify(Notification) error      { return errNotificationsOff }
func (noDesktop) SetTitle(string)                {}
func (noDesktop) Attention()                     {}
func (noDesktop) Bounds() WindowBounds           { return WindowBounds{} }
func (noDesktop) Resize(int, int)                {}
func (noDesktop) Move(int, int)                  {}
func (noDesktop) Screens() ([]ScreenSize, error) { return nil, errors.New("no screens") }

// cachedConversation reads a conversation from the session's cache, for the
// alerts to tell the agent's conversations from others.
func (s *session) cachedConversation(id string) (protocol.Conversation, bool) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	c, ok, err := s.cache.Conversation(ctx, id)
	if err != nil {
		return protocol.Conversation{}, false
	}
	return c, ok
}
