// Package fakeserver is a small in-memory Switchboard server for the desktop
// app's tests. It speaks just enough of the protocol (login, hello/welcome
// with resume, list, accept, resolve, send/ack with dedupe, sync (after and
// before a seq), read cursors, pushes, the offer and transfer frames:
// decline, transfer, hand_back, context, directory, status; and tag and
// customer_note; refresh, logout and reauth with short access tokens) and
// lets a test misbehave on purpose: drop every socket, refuse new ones, hold
// acks, revoke tokens, expire connections, fail a frame type once. The
// real server lives in backend/, which the app must not import; the
// end-to-end tests run against that one.
//
// The offer and transfer frames, and later tag and customer_note, were
// added to the contract while the real server's side of them was being
// written, so the app's tests of Decline, Transfer, HandBack, Context,
// Directory, SetStatus, SetTags and AddCustomerNote run against this fake,
// which follows docs/protocol.md; the end-to-end tests check the two
// against each other. So do the frames of the bot's learning loop
// (bot_report, kb, kb_edit: botlearn.go) and of canned responses (canned,
// canned_edit and the canned_changed push: canned.go).
package fakeserver

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/gorilla/websocket"

	"switchboard/protocol"
)

// Server is a running fake server.
type Server struct {
	// URL is the server's http:// address.
	URL string

	hs *httptest.Server

	// mu guards everything below.
	mu        sync.Mutex
	passwords map[string]string        // username → password
	users     map[string]protocol.User // username → user
	tokens    map[string]protocol.User // access token → user
	expires   map[string]time.Time     // access token → expiry
	tokenTTL  time.Duration
	// refresh holds the refresh tokens by token; a family whose token is
	// used twice is revoked in revoked.
	refresh   map[string]*refreshToken
	revoked   map[string]bool
	nextToken int
	convs     map[string]*protocol.Conversation
	msgs      map[string][]protocol.Message
	acks      map[string]protocol.AckData // client_msg_id → original ack
	clients   map[*client]bool
	hellos    []protocol.HelloData
	counts    map[string]int
	refuse    bool
	holdSends bool
	held      []func()
	dropSend  bool
	now       int64
	// statuses are the agents' routing statuses by user id; an agent
	// missing here is online while connected, offline otherwise.
	statuses map[string]string
	contexts map[string]protocol.ContextData
	capacity int
	// notes are the customer notes by customer id, newest first.
	notes    map[string][]protocol.CustomerNote
	nextNote int
	// failNext makes the next request of a frame type fail with an error.
	failNext map[string]*protocol.Error
	// sup is the supervision state (supervise.go).
	sup supervisionState
	// learn is the bot's learning loop: report and knowledge base (botlearn.go).
	learn learningState
	// canned is the shared canned responses (canned.go).
	canned cannedState
}

// ScrollbackCount is the Count key of the sync requests with before_seq.
const ScrollbackCount = "sync+before_seq"

// OfferTimeout is how long the fake keeps an offer open.
const OfferTimeout = 30 * time.Second

type refreshToken struct {
	user   protocol.User
	family string
	used   bool
}

type client struct {
	ws   *websocket.Conn
	user protocol.User
	// mu serializes writes: gorilla allows one writer at a time.
	mu sync.Mutex
}

// New starts a fake server that stops when the test ends.
func New(t testing.TB) *Server {
	s := &Server{
		passwords: map[string]string{},
		users:     map[string]protocol.User{},
		tokens:    map[string]protocol.User{},
		expires:   map[string]time.Time{},
		tokenTTL:  time.Hour,
		refresh:   map[string]*refreshToken{},
		revoked:   map[string]bool{},
		convs:     map[string]*protocol.Conversation{},
		msgs:      map[string][]protocol.Message{},
		acks:      map[string]protocol.AckData{},
		clients:   map[*client]bool{},
		counts:    map[string]int{},
		statuses:  map[string]string{},
		contexts:  map[string]protocol.ContextData{},
		notes:     map[string][]protocol.CustomerNote{},
		failNext:  map[string]*protocol.Error{},
		capacity:  5,
		now:       time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC).UnixMilli(),
	}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /api/v1/login", s.login)
	mux.HandleFunc("POST /api/v1/refresh", s.refreshTokens)
	mux.HandleFunc("POST /api/v1/logout", s.logout)
	mux.HandleFunc("GET /ws", s.serveWS)
	s.hs = httptest.NewServer(mux)
	s.URL = s.hs.URL
	t.Cleanup(s.Close)
	return s
}

// Close drops every connection and stops the server.
func (s *Server) Close() {
	s.DropConnections()
	s.hs.Close()
}

// AddUser adds an account.
func (s *Server) AddUser(username, password string, u protocol.User) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.passwords[username] = password
	s.users[username] = u
}

// AddConversation adds a conversation (epoch 1 unless set).
func (s *Server) AddConversation(c protocol.Conversation) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if c.Epoch == 0 {
		c.Epoch = 1
	}
	if c.CreatedAt == 0 {
		c.CreatedAt = s.tickLocked()
		c.UpdatedAt = c.CreatedAt
	}
	s.convs[c.ID] = &c
}

// SetContext sets what context answers for a conversation; without it the
// answer holds the customer and the conversation's business fields only.
func (s *Server) SetContext(d protocol.ContextData) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.contexts[d.ConversationID] = d
}

// FailNext makes the next request of frame type typ be answered with err,
// as a server that refuses it would.
func (s *Server) FailNext(typ string, err *protocol.Error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failNext[typ] = err
}

// Notes returns the notes stored about a customer, newest first.
func (s *Server) Notes(customerID string) []protocol.CustomerNote {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.notes[customerID])
}

// SetStatus sets an agent's routing status as if they had sent status.
func (s *Server) SetStatus(userID, status string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.statuses[userID] = status
}

// Status returns an agent's routing status as the fake sees it.
func (s *Server) Status(userID string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.statusLocked(userID)
}

// Offer offers a queued conversation to an agent, as the router does, and
// pushes the change.
func (s *Server) Offer(convID string, to protocol.User) {
	s.mu.Lock()
	conv := s.convs[convID]
	conv.OfferAgentID, conv.OfferAgentName = to.ID, to.Name
	conv.OfferExpiresAt = s.now + OfferTimeout.Milliseconds()
	conv.TransferFromID = ""
	m := s.eventLocked(conv, protocol.Event{Type: protocol.EventOffered, From: conv.State, To: conv.State, Reason: to.Name}, protocol.VisibilityInternal)
	snapshot := *conv
	s.mu.Unlock()
	s.broadcast(protocol.TypeMessage, m)
	s.broadcast(protocol.TypeConversation, snapshot)
}

// ExpireOffer lets a conversation's offer run out and pushes the change.
func (s *Server) ExpireOffer(convID string) {
	s.mu.Lock()
	conv := s.convs[convID]
	clearOffer(conv)
	m := s.eventLocked(conv, protocol.Event{Type: protocol.EventOfferExpired, From: conv.State, To: conv.State}, protocol.VisibilityInternal)
	snapshot := *conv
	s.mu.Unlock()
	s.broadcast(protocol.TypeMessage, m)
	s.broadcast(protocol.TypeConversation, snapshot)
}

// Say stores a message from a customer or bot and pushes it to every
// connection. With push false it is stored only, as if the push was missed.
func (s *Server) Say(convID string, sender protocol.Sender, text string, push bool) protocol.Message {
	s.mu.Lock()
	m := s.appendLocked(convID, protocol.Message{
		Sender: sender, Kind: protocol.KindText, Visibility: protocol.VisibilityPublic, Text: text,
	})
	s.mu.Unlock()
	if push {
		s.broadcast(protocol.TypeMessage, m)
	}
	return m
}

// ReadBy moves reader's read cursor of a conversation to seq, as a read
// frame of theirs would, and pushes the receipt to every connection.
func (s *Server) ReadBy(convID string, reader protocol.Sender, seq int64) {
	r, perr := s.read(convID, reader, seq)
	if perr != nil {
		panic(perr)
	}
	s.broadcast(protocol.TypeRead, r)
}

// read moves a read cursor: the customer's, or the assignee's.
func (s *Server) read(convID string, reader protocol.Sender, seq int64) (protocol.ReadReceipt, *protocol.Error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	conv, ok := s.convs[convID]
	if !ok {
		return protocol.ReadReceipt{}, protocol.ErrNotFound
	}
	seq = min(max(seq, 0), conv.LastSeq)
	cur := &conv.AgentReadSeq
	if reader.Role == protocol.RoleCustomer {
		cur = &conv.CustomerReadSeq
	}
	if reader.Role == protocol.RoleCustomer || reader.ID == conv.AssigneeID {
		*cur = max(*cur, seq)
		seq = *cur
	}
	return protocol.ReadReceipt{ConversationID: convID, Reader: reader, Seq: seq}, nil
}

// Messages returns a conversation's stored messages.
func (s *Server) Messages(convID string) []protocol.Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.msgs[convID])
}

// Conversation returns a conversation's current state.
func (s *Server) Conversation(id string) protocol.Conversation {
	s.mu.Lock()
	defer s.mu.Unlock()
	return *s.convs[id]
}

// Hellos returns every hello received, in order.
func (s *Server) Hellos() []protocol.HelloData {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.hellos)
}

// Count returns how many frames of a type were received.
func (s *Server) Count(typ string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.counts[typ]
}

// Clients returns the number of connections that passed hello.
func (s *Server) Clients() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.clients)
}

// DropConnections closes every socket without a close frame, like a network
// failure.
func (s *Server) DropConnections() {
	s.mu.Lock()
	cs := make([]*client, 0, len(s.clients))
	for c := range s.clients {
		cs = append(cs, c)
	}
	s.mu.Unlock()
	for _, c := range cs {
		c.ws.NetConn().Close()
	}
}

// Refuse makes new WebSocket upgrades fail with 503 while on.
func (s *Server) Refuse(on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.refuse = on
}

// HoldSends queues send requests unprocessed while on; turning it off
// processes the queue in order.
func (s *Server) HoldSends(on bool) {
	s.mu.Lock()
	s.holdSends = on
	held := s.held
	s.held = nil
	s.mu.Unlock()
	if !on {
		for _, f := range held {
			f()
		}
	}
}

// DropOnNextSend makes the next send be stored but its connection dropped
// before the ack, so the client must resend it.
func (s *Server) DropOnNextSend() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.dropSend = true
}

// RevokeTokens invalidates every issued token.
func (s *Server) RevokeTokens() {
	s.mu.Lock()
	defer s.mu.Unlock()
	clear(s.tokens)
	clear(s.refresh)
}

// SetTokenTTL sets the lifetime of the access tokens issued from now on
// (an hour at first).
func (s *Server) SetTokenTTL(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.tokenTTL = d
}

// PushTokenExpiring pushes token_expiring to every connection, as the
// server does shortly before a connection's access token expires.
func (s *Server) PushTokenExpiring() {
	s.mu.Lock()
	exp := s.now + time.Minute.Milliseconds()
	s.mu.Unlock()
	s.broadcast(protocol.TypeTokenExpiring, protocol.AuthExpiry{ExpiresAt: exp})
}

// ExpireConnections closes every connection as the server does when its
// access token expired without a reauth: token_expired, then close 4002.
func (s *Server) ExpireConnections() {
	s.mu.Lock()
	cs := make([]*client, 0, len(s.clients))
	for c := range s.clients {
		cs = append(cs, c)
	}
	s.mu.Unlock()
	for _, c := range cs {
		c.write(protocol.EncodeError("", protocol.ErrTokenExpired))
		c.mu.Lock()
		c.ws.WriteControl(websocket.CloseMessage,
			websocket.FormatCloseMessage(protocol.CloseTokenExpired, "token expired"), time.Now().Add(time.Second))
		c.mu.Unlock()
	}
}

// Refreshes returns how many refreshes were answered with a new pair.
func (s *Server) Refreshes() int { return s.Count("refresh") }

// Logouts returns how many logouts were answered.
func (s *Server) Logouts() int { return s.Count("logout") }

// issueLocked hands out a new pair of tokens of user u in family fam.
func (s *Server) issueLocked(u protocol.User, fam string) map[string]any {
	s.nextToken++
	tok := fmt.Sprintf("token-%s-%d", u.ID, s.nextToken)
	ref := fmt.Sprintf("refresh-%s-%d", u.ID, s.nextToken)
	exp := time.Now().Add(s.tokenTTL)
	s.tokens[tok] = u
	s.expires[tok] = exp
	s.refresh[ref] = &refreshToken{user: u, family: fam}
	return map[string]any{
		"token": tok, "expires_at": exp.UnixMilli(), "user": u,
		"refresh_token": ref, "refresh_expires_at": time.Now().Add(7 * 24 * time.Hour).UnixMilli(),
	}
}

// serverExpiryLocked is when an access token expires on the fake's own
// clock (the one of welcome.server_time, years off the wall clock), as a
// real server with a skewed clock would say it on a connection.
func (s *Server) serverExpiryLocked(tok string) int64 {
	return s.now + time.Until(s.expires[tok]).Milliseconds()
}

// tokenLocked checks an access token: its user, or the refusal.
func (s *Server) tokenLocked(tok string) (protocol.User, *protocol.Error) {
	u, ok := s.tokens[tok]
	if !ok {
		return u, protocol.ErrUnauthorized
	}
	if exp, ok := s.expires[tok]; ok && !time.Now().Before(exp) {
		return u, protocol.ErrTokenExpired
	}
	return u, nil
}

// refreshTokens answers POST /api/v1/refresh like the server: the token is
// used up, and a used one revokes its family (refresh_reused).
func (s *Server) refreshTokens(w http.ResponseWriter, r *http.Request) {
	var req struct {
		RefreshToken string `json:"refresh_token"`
	}
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		writeHTTPError(w, http.StatusBadRequest, protocol.ErrInvalid)
		return
	}
	s.mu.Lock()
	rt, ok := s.refresh[req.RefreshToken]
	switch {
	case !ok || s.revoked[rt.family]:
		s.mu.Unlock()
		writeHTTPError(w, http.StatusUnauthorized, protocol.ErrUnauthorized)
		return
	case rt.used:
		s.revoked[rt.family] = true
		s.mu.Unlock()
		writeHTTPError(w, http.StatusUnauthorized, protocol.ErrRefreshReused)
		return
	}
	rt.used = true
	s.counts["refresh"]++
	res := s.issueLocked(rt.user, rt.family)
	s.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(res)
}

// logout answers POST /api/v1/logout: the token's family is revoked.
func (s *Server) logout(w http.ResponseWriter, r *http.Request) {
	var req struct {
		RefreshToken string `json:"refresh_token"`
	}
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		writeHTTPError(w, http.StatusBadRequest, protocol.ErrInvalid)
		return
	}
	s.mu.Lock()
	rt, ok := s.refresh[req.RefreshToken]
	if !ok {
		s.mu.Unlock()
		writeHTTPError(w, http.StatusUnauthorized, protocol.ErrUnauthorized)
		return
	}
	s.revoked[rt.family] = true
	s.counts["logout"]++
	s.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]string{"status": "signed_out"})
}

func (s *Server) tickLocked() int64 {
	s.now += 1000
	return s.now
}

func (s *Server) appendLocked(convID string, m protocol.Message) protocol.Message {
	c := s.convs[convID]
	c.LastSeq++
	m.ConversationID = convID
	m.Seq = c.LastSeq
	m.CreatedAt = s.tickLocked()
	if m.Kind == protocol.KindText {
		c.LastText = m.Text
	}
	c.UpdatedAt = m.CreatedAt
	s.msgs[convID] = append(s.msgs[convID], m)
	return m
}

func (s *Server) statusLocked(userID string) string {
	if st, ok := s.statuses[userID]; ok {
		return st
	}
	for c := range s.clients {
		if c.user.ID == userID {
			return protocol.StatusOnline
		}
	}
	return protocol.StatusOffline
}

// eventLocked appends a system event to a conversation.
func (s *Server) eventLocked(conv *protocol.Conversation, ev protocol.Event, visibility string) protocol.Message {
	return s.appendLocked(conv.ID, protocol.Message{
		Sender: protocol.Sender{Role: protocol.RoleSystem}, Kind: protocol.KindEvent,
		Visibility: visibility, Event: &ev,
	})
}

func clearOffer(c *protocol.Conversation) {
	c.OfferAgentID, c.OfferAgentName, c.OfferExpiresAt, c.TransferFromID = "", "", 0, ""
}

// loadLocked counts the conversations an agent works plus the offers to them.
func (s *Server) loadLocked(userID string) int {
	n := 0
	for _, c := range s.convs {
		open := c.State == protocol.StateActive || c.State == protocol.StateWaitingCustomer
		if (open && c.AssigneeID == userID) || c.OfferAgentID == userID {
			n++
		}
	}
	return n
}

func (s *Server) directoryLocked() protocol.DirectoryData {
	d := protocol.DirectoryData{Agents: []protocol.AgentInfo{}, Teams: []protocol.TeamInfo{}}
	teams := map[string]*protocol.TeamInfo{}
	var names []string
	for _, u := range s.users {
		if u.Role == protocol.RoleCustomer {
			continue
		}
		st := s.statusLocked(u.ID)
		d.Agents = append(d.Agents, protocol.AgentInfo{
			ID: u.ID, Name: u.Name, Role: u.Role, Status: st,
			Load: s.loadLocked(u.ID), Capacity: s.capacity, Teams: slices.Clone(u.Teams),
		})
		for _, t := range u.Teams {
			ti, ok := teams[t]
			if !ok {
				ti = &protocol.TeamInfo{ID: t, Name: t}
				teams[t] = ti
				names = append(names, t)
			}
			if st == protocol.StatusOnline {
				ti.AgentsOnline++
			}
		}
	}
	for _, c := range s.convs {
		if ti, ok := teams[c.Team]; ok && c.State == protocol.StateQueued {
			ti.QueueLength++
		}
	}
	slices.Sort(names)
	for _, n := range names {
		d.Teams = append(d.Teams, *teams[n])
	}
	slices.SortFunc(d.Agents, func(a, b protocol.AgentInfo) int { return strings.Compare(a.ID, b.ID) })
	return d
}

func (s *Server) userByIDLocked(id string) (protocol.User, bool) {
	for _, u := range s.users {
		if u.ID == id {
			return u, true
		}
	}
	return protocol.User{}, false
}

func writeHTTPError(w http.ResponseWriter, status int, e *protocol.Error) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(map[string]*protocol.Error{"error": e})
}

func (s *Server) login(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Username string `json:"username"`
		Password string `json:"password"`
	}
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		writeHTTPError(w, http.StatusBadRequest, protocol.ErrInvalid)
		return
	}
	s.mu.Lock()
	pw, ok := s.passwords[req.Username]
	if !ok || pw != req.Password {
		s.mu.Unlock()
		writeHTTPError(w, http.StatusUnauthorized, protocol.ErrBadCredentials)
		return
	}
	u := s.users[req.Username]
	res := s.issueLocked(u, fmt.Sprintf("family-%d", s.nextToken+1))
	s.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(res)
}

var upgrader = websocket.Upgrader{CheckOrigin: func(*http.Request) bool { return true }}

func (s *Server) serveWS(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	refuse := s.refuse
	s.mu.Unlock()
	if refuse {
		http.Error(w, "unavailable", http.StatusServiceUnavailable)
		return
	}
	ws, err := upgrader.Upgrade(w, r, nil)
	if err != nil {
		return
	}
	defer ws.Close()
	c := &client{ws: ws}

	_, data, err := ws.ReadMessage()
	if err != nil {
		return
	}
	f, perr := protocol.Decode(data)
	var hello protocol.HelloData
	if perr == nil {
		perr = protocol.DecodeData(f, &hello)
	}
	if perr != nil || f.Type != protocol.TypeHello {
		c.write(protocol.EncodeError(f.ID, protocol.ErrHelloRequired))
		return
	}
	s.mu.Lock()
	s.counts[f.Type]++
	s.hellos = append(s.hellos, hello)
	u, perr := s.tokenLocked(hello.Token)
	if perr != nil {
		s.mu.Unlock()
		c.write(protocol.EncodeError(f.ID, perr))
		ws.WriteControl(websocket.CloseMessage,
			websocket.FormatCloseMessage(protocol.CloseUnauthorized, "unauthenticated"), time.Now().Add(time.Second))
		return
	}
	c.user = u
	welcome := protocol.WelcomeData{
		SessionID: fmt.Sprintf("s%d", len(s.hellos)), User: u, ServerTime: s.now, HeartbeatMS: 25000,
		ExpiresAt:     s.serverExpiryLocked(hello.Token),
		Conversations: s.visibleLocked(u, ""),
	}
	var missed []protocol.Message
	for id, after := range hello.Resume {
		for _, m := range s.msgs[id] {
			if m.Seq > after {
				missed = append(missed, m)
			}
		}
	}
	// Welcome and the missed messages go out before any broadcast can reach
	// this client: it is registered while its write lock is held.
	c.mu.Lock()
	s.clients[c] = true
	s.mu.Unlock()
	c.sendLocked(protocol.TypeWelcome, f.ID, welcome)
	for _, m := range missed {
		c.sendLocked(protocol.TypeMessage, "", m)
	}
	c.mu.Unlock()
	defer func() {
		s.mu.Lock()
		delete(s.clients, c)
		delete(s.sup.watchers, c)
		// Like the real server, forget the status with the last connection.
		last := true
		for o := range s.clients {
			last = last && o.user.ID != u.ID
		}
		if last {
			delete(s.statuses, u.ID)
		}
		s.mu.Unlock()
	}()

	for {
		_, data, err := ws.ReadMessage()
		if err != nil {
			return
		}
		f, perr := protocol.Decode(data)
		if perr != nil {
			c.write(protocol.EncodeError("", perr))
			continue
		}
		s.mu.Lock()
		s.counts[f.Type]++
		fail := s.failNext[f.Type]
		delete(s.failNext, f.Type)
		s.mu.Unlock()
		if fail != nil {
			c.write(protocol.EncodeError(f.ID, fail))
			continue
		}
		s.handle(c, f)
	}
}

// visibleLocked lists what an agent sees: assigned or offered to them and
// open, or queued in their teams (or offered to them). filter "" means both.
func (s *Server) visibleLocked(u protocol.User, filter string) []protocol.Conversation {
	out := []protocol.Conversation{}
	for _, c := range s.convs {
		offered := c.OfferAgentID == u.ID
		mine := (c.AssigneeID == u.ID || offered) && (c.State == protocol.StateActive || c.State == protocol.StateWaitingCustomer)
		queued := c.State == protocol.StateQueued && (slices.Contains(u.Teams, c.Team) || offered)
		if filter == protocol.ListTeams {
			if teamsListed(u, c) {
				out = append(out, *c)
			}
			continue
		}
		if (mine && filter != protocol.ListQueue) || (queued && filter != protocol.ListMine) {
			out = append(out, *c)
		}
	}
	slices.SortFunc(out, func(a, b protocol.Conversation) int { return int(a.CreatedAt - b.CreatedAt) })
	return out
}

func (s *Server) handle(c *client, f protocol.Frame) {
	switch f.Type {
	case protocol.TypeReauth:
		var d protocol.ReauthData
		if perr := protocol.DecodeData(f, &d); perr != nil {
			c.write(protocol.EncodeError(f.ID, perr))
			return
		}
		s.mu.Lock()
		u, perr := s.tokenLocked(d.Token)
		exp := s.serverExpiryLocked(d.Token)
		s.mu.Unlock()
		if perr == nil && u.ID != c.user.ID {
			perr = protocol.ErrForbidden
		}
		if perr != nil {
			c.write(protocol.EncodeError(f.ID, perr))
			return
		}
		c.send(protocol.TypeReauth, f.ID, protocol.AuthExpiry{ExpiresAt: exp})

	case protocol.TypeList:
		var d protocol.ListData
		if perr := protocol.DecodeData(f, &d); perr != nil {
			c.write(protocol.EncodeError(f.ID, perr))
			return
		}
		s.mu.Lock()
		list := s.visibleLocked(c.user, d.Filter)
		s.mu.Unlock()
		c.send(protocol.TypeConvList, f.ID, protocol.ConversationList{Filter: d.Filter, Conversations: list})

	case protocol.TypeSync:
		var d protocol.SyncData
		if perr := protocol.DecodeData(f, &d); perr != nil {
			c.write(protocol.EncodeError(f.ID, perr))
			return
		}
		if d.Limit <= 0 || d.Limit > 500 {
			d.Limit = 500
		}
		s.mu.Lock()
		conv, ok := s.convs[d.ConversationID]
		if !ok {
			s.mu.Unlock()
			c.write(protocol.EncodeError(f.ID, protocol.ErrNotFound))
			return
		}
		h := protocol.HistoryData{ConversationID: conv.ID, Epoch: conv.Epoch, Messages: []protocol.Message{}}
		if d.BeforeSeq > 0 {
			// Scrollback: the last Limit messages in (AfterSeq, BeforeSeq).
			s.counts[ScrollbackCount]++
			var in []protocol.Message
			for _, m := range s.msgs[conv.ID] {
				if m.Seq > d.AfterSeq && m.Seq < d.BeforeSeq {
					in = append(in, m)
				}
			}
			if len(in) > d.Limit {
				h.HasMore = true
				in = in[len(in)-d.Limit:]
			}
			h.Messages = append(h.Messages, in...)
		}
		for _, m := range s.msgs[conv.ID] {
			if d.BeforeSeq > 0 || m.Seq <= d.AfterSeq {
				continue
			}
			if len(h.Messages) == d.Limit {
				h.HasMore = true
				break
			}
			h.Messages = append(h.Messages, m)
		}
		s.mu.Unlock()
		c.send(protocol.TypeHistory, f.ID, h)

	case protocol.TypeAccept, protocol.TypeResolve, protocol.TypeDecline, protocol.TypeHandBack:
		var d protocol.ConversationRef
		if perr := protocol.DecodeData(f, &d); perr != nil {
			c.write(protocol.EncodeError(f.ID, perr))
			return
		}
		s.mu.Lock()
		conv, ok := s.convs[d.ConversationID]
		if !ok {
			s.mu.Unlock()
			c.write(protocol.EncodeError(f.ID, protocol.ErrNotFound))
			return
		}
		msgs, perr := s.transitionLocked(c.user, f.Type, conv)
		if perr != nil {
			s.mu.Unlock()
			c.write(protocol.EncodeError(f.ID, perr))
			return
		}
		snapshot := *conv
		s.mu.Unlock()
		c.send(protocol.TypeConversation, f.ID, snapshot)
		for _, m := range msgs {
			s.broadcast(protocol.TypeMessage, m)
		}
		s.broadcast(protocol.TypeConversation, snapshot)

	case protocol.TypeTransfer:
		var d protocol.TransferData
		if perr := protocol.DecodeData(f, &d); perr != nil {
			c.write(protocol.EncodeError(f.ID, perr))
			return
		}
		s.mu.Lock()
		conv, ok := s.convs[d.ConversationID]
		if !ok {
			s.mu.Unlock()
			c.write(protocol.EncodeError(f.ID, protocol.ErrNotFound))
			return
		}
		msgs, perr := s.transferLocked(c.user, conv, d)
		if perr != nil {
			s.mu.Unlock()
			c.write(protocol.EncodeError(f.ID, perr))
			return
		}
		snapshot := *conv
		s.mu.Unlock()
		c.send(protocol.TypeConversation, f.ID, snapshot)
		for _, m := range msgs {
			s.broadcast(protocol.TypeMessage, m)
		}
		s.broadcast(protocol.TypeConversation, snapshot)

	case protocol.TypeContext:
		var d protocol.ConversationRef
		if perr := protocol.DecodeData(f, &d); perr != nil {
			c.write(protocol.EncodeError(f.ID, perr))
			return
		}
		s.mu.Lock()
		conv, ok := s.convs[d.ConversationID]
		if !ok {
			s.mu.Unlock()
			c.write(protocol.EncodeError(f.ID, protocol.ErrNotFound))
			return
		}
		cd, ok := s.contexts[conv.ID]
		if !ok {
			cd = protocol.ContextData{
				ConversationID: conv.ID,
				Customer:       protocol.Profile{ID: conv.CustomerID, Name: conv.CustomerName, CreatedAt: conv.CreatedAt, Conversations: 1},
				Ext:            conv.Ext,
				Previous:       []protocol.PastConversation{},
			}
		}
		cd.Tags = slices.Clone(conv.Tags)
		notes := s.notes[conv.CustomerID]
		cd.Notes = slices.Clone(notes[:min(len(notes), protocol.MaxContextNotes)])
		s.mu.Unlock()
		c.send(protocol.TypeContext, f.ID, cd)

	case protocol.TypeTag:
		var d protocol.TagData
		if perr := protocol.DecodeData(f, &d); perr != nil {
			c.write(protocol.EncodeError(f.ID, perr))
			return
		}
		if c.user.Role == protocol.RoleCustomer {
			c.write(protocol.EncodeError(f.ID, protocol.ErrForbidden))
			return
		}
		s.mu.Lock()
		conv, ok := s.convs[d.ConversationID]
		if !ok {
			s.mu.Unlock()
			c.write(protocol.EncodeError(f.ID, protocol.ErrNotFound))
			return
		}
		tags, perr := changeTags(conv.Tags, d)
		if perr != nil {
			s.mu.Unlock()
			c.write(protocol.EncodeError(f.ID, perr))
			return
		}
		// Like the real server, a tag change is not activity: UpdatedAt
		// stays; and only a change is pushed.
		changed := !slices.Equal(conv.Tags, tags)
		conv.Tags = tags
		snapshot := *conv
		s.mu.Unlock()
		c.send(protocol.TypeConversation, f.ID, snapshot)
		if changed {
			s.broadcast(protocol.TypeConversation, snapshot)
		}

	case protocol.TypeCustomerNote:
		var d protocol.CustomerNoteData
		if perr := protocol.DecodeData(f, &d); perr != nil {
			c.write(protocol.EncodeError(f.ID, perr))
			return
		}
		if c.user.Role == protocol.RoleCustomer {
			c.write(protocol.EncodeError(f.ID, protocol.ErrForbidden))
			return
		}
		text := strings.TrimSpace(d.Text)
		if n := utf8.RuneCountInString(text); n == 0 || n > protocol.MaxCustomerNoteRunes {
			c.write(protocol.EncodeError(f.ID, protocol.ErrInvalid.WithMessage("a note has 1 to %d characters", protocol.MaxCustomerNoteRunes)))
			return
		}
		s.mu.Lock()
		conv, ok := s.convs[d.ConversationID]
		if !ok {
			s.mu.Unlock()
			c.write(protocol.EncodeError(f.ID, protocol.ErrNotFound))
			return
		}
		s.nextNote++
		n := protocol.CustomerNote{
			ID: fmt.Sprintf("note-%d", s.nextNote), CustomerID: conv.CustomerID,
			AuthorID: c.user.ID, AuthorName: c.user.Name, Text: text, CreatedAt: s.tickLocked(),
		}
		s.notes[conv.CustomerID] = append([]protocol.CustomerNote{n}, s.notes[conv.CustomerID]...)
		s.mu.Unlock()
		c.send(protocol.TypeCustomerNote, f.ID, n)

	case protocol.TypeDirectory:
		if c.user.Role == protocol.RoleCustomer {
			c.write(protocol.EncodeError(f.ID, protocol.ErrForbidden))
			return
		}
		s.mu.Lock()
		d := s.directoryLocked()
		s.mu.Unlock()
		c.send(protocol.TypeDirectory, f.ID, d)

	case protocol.TypeStatus:
		var d protocol.StatusData
		if perr := protocol.DecodeData(f, &d); perr != nil {
			c.write(protocol.EncodeError(f.ID, perr))
			return
		}
		switch d.Status {
		case protocol.StatusOnline, protocol.StatusAway, protocol.StatusOffline:
		default:
			c.write(protocol.EncodeError(f.ID, protocol.ErrInvalid))
			return
		}
		s.mu.Lock()
		s.statuses[c.user.ID] = d.Status
		s.mu.Unlock()
		c.send(protocol.TypeStatus, f.ID, d)

	case protocol.TypeRead:
		var d protocol.ReadData
		if perr := protocol.DecodeData(f, &d); perr != nil {
			c.write(protocol.EncodeError(f.ID, perr))
			return
		}
		r, perr := s.read(d.ConversationID, protocol.Sender{Role: c.user.Role, ID: c.user.ID, Name: c.user.Name}, d.Seq)
		if perr != nil {
			c.write(protocol.EncodeError(f.ID, perr))
			return
		}
		c.send(protocol.TypeRead, f.ID, r)

	case protocol.TypeSend:
		var d protocol.SendData
		if perr := protocol.DecodeData(f, &d); perr != nil {
			c.write(protocol.EncodeError(f.ID, perr))
			return
		}
		s.mu.Lock()
		if s.holdSends {
			s.held = append(s.held, func() { s.send(c, f.ID, d) })
			s.mu.Unlock()
			return
		}
		s.mu.Unlock()
		s.send(c, f.ID, d)

	default:
		if s.handleSupervision(c, f) || s.handleLearning(c, f) || s.handleCanned(c, f) {
			return
		}
		c.write(protocol.EncodeError(f.ID, protocol.ErrUnknownType))
	}
}

// transitionLocked applies accept, resolve, decline or hand_back by user to
// conv and returns the event messages it stored.
func (s *Server) transitionLocked(u protocol.User, typ string, conv *protocol.Conversation) ([]protocol.Message, *protocol.Error) {
	open := conv.State == protocol.StateActive || conv.State == protocol.StateWaitingCustomer
	offeredToMe := conv.OfferAgentID != "" && conv.OfferAgentID == u.ID
	ev := protocol.Event{From: conv.State, Actor: u.Name}
	visibility := protocol.VisibilityPublic
	switch typ {
	case protocol.TypeAccept:
		switch {
		case conv.State == protocol.StateQueued:
			ev.Type, ev.To = protocol.EventAssigned, protocol.StateActive
		case open && offeredToMe && conv.TransferFromID != "":
			ev.Type, ev.To = protocol.EventTransferAccepted, protocol.StateActive
		default:
			return nil, protocol.ErrIllegalState
		}
		if s.loadLocked(u.ID)-boolInt(offeredToMe) >= s.capacity {
			return nil, protocol.ErrAtCapacity
		}
		conv.State = protocol.StateActive
		conv.AssigneeID, conv.AssigneeName = u.ID, u.Name
		clearOffer(conv)
	case protocol.TypeDecline:
		if !offeredToMe {
			return nil, protocol.ErrIllegalState
		}
		ev.Type, ev.To = protocol.EventDeclined, conv.State
		visibility = protocol.VisibilityInternal
		clearOffer(conv)
	case protocol.TypeResolve:
		if !open || conv.AssigneeID != u.ID {
			return nil, protocol.ErrIllegalState
		}
		ev.Type, ev.To = protocol.EventResolved, protocol.StateResolved
		conv.State = protocol.StateResolved
		clearOffer(conv)
	case protocol.TypeHandBack:
		if conv.State != protocol.StateActive || conv.AssigneeID != u.ID {
			return nil, protocol.ErrIllegalState
		}
		ev.Type, ev.To = protocol.EventHandedBack, protocol.StateBot
		conv.State = protocol.StateBot
		conv.AssigneeID, conv.AssigneeName = "", ""
		clearOffer(conv)
	}
	return []protocol.Message{s.eventLocked(conv, ev, visibility)}, nil
}

// changeTags applies a tag change to tags as the real server does: remove,
// then add, every tag normalized and compared by TagKey (an added tag the
// conversation has in another spelling keeps the stored one), at most
// MaxTags, sorted by SortTags. It returns nil for no tags.
func changeTags(tags []string, d protocol.TagData) ([]string, *protocol.Error) {
	if len(d.Add) == 0 && len(d.Remove) == 0 {
		return nil, protocol.ErrInvalid.WithMessage("name tags to add or remove")
	}
	if len(d.Add) > protocol.MaxTags || len(d.Remove) > protocol.MaxTags {
		return nil, protocol.ErrInvalid.WithMessage("add and remove hold at most %d tags each", protocol.MaxTags)
	}
	norm := func(in []string) ([]string, *protocol.Error) {
		out := make([]string, 0, len(in))
		for _, t := range in {
			n, ok := protocol.NormalizeTag(t)
			if !ok {
				return nil, protocol.ErrInvalid.WithMessage("tag %q is not valid", t)
			}
			out = append(out, n)
		}
		return out, nil
	}
	add, perr := norm(d.Add)
	if perr != nil {
		return nil, perr
	}
	remove, perr := norm(d.Remove)
	if perr != nil {
		return nil, perr
	}
	var out []string
	seen := map[string]bool{}
	for _, t := range tags {
		if !slices.ContainsFunc(remove, func(r string) bool { return protocol.TagKey(r) == protocol.TagKey(t) }) {
			out = append(out, t)
			seen[protocol.TagKey(t)] = true
		}
	}
	for _, t := range add {
		if !seen[protocol.TagKey(t)] {
			out = append(out, t)
			seen[protocol.TagKey(t)] = true
		}
	}
	if len(out) > protocol.MaxTags {
		return nil, protocol.ErrInvalid.WithMessage("a conversation has at most %d tags", protocol.MaxTags)
	}
	protocol.SortTags(out)
	return out, nil
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// transferLocked applies a transfer by user to conv.
func (s *Server) transferLocked(u protocol.User, conv *protocol.Conversation, d protocol.TransferData) ([]protocol.Message, *protocol.Error) {
	if (d.ToAgentID == "") == (d.ToTeam == "") {
		return nil, protocol.ErrInvalid.WithMessage("name exactly one of to_agent_id and to_team")
	}
	open := conv.State == protocol.StateActive || conv.State == protocol.StateWaitingCustomer
	if !open || conv.AssigneeID != u.ID {
		return nil, protocol.ErrIllegalState
	}
	var msgs []protocol.Message
	if d.Note != "" {
		msgs = append(msgs, s.appendLocked(conv.ID, protocol.Message{
			Sender: protocol.Sender{Role: u.Role, ID: u.ID, Name: u.Name},
			Kind:   protocol.KindText, Visibility: protocol.VisibilityInternal, Text: d.Note,
		}))
	}
	if d.ToAgentID != "" {
		to, ok := s.userByIDLocked(d.ToAgentID)
		if !ok || to.ID == u.ID || s.statusLocked(to.ID) != protocol.StatusOnline || s.loadLocked(to.ID) >= s.capacity {
			return nil, protocol.ErrTargetUnavailable
		}
		conv.OfferAgentID, conv.OfferAgentName = to.ID, to.Name
		conv.OfferExpiresAt = s.now + OfferTimeout.Milliseconds()
		conv.TransferFromID = u.ID
		msgs = append(msgs, s.eventLocked(conv, protocol.Event{
			Type: protocol.EventTransferRequested, From: conv.State, To: conv.State, Reason: to.Name, Actor: u.Name,
		}, protocol.VisibilityInternal))
		return msgs, nil
	}
	known := false
	for _, usr := range s.users {
		known = known || slices.Contains(usr.Teams, d.ToTeam)
	}
	if !known {
		return nil, protocol.ErrTargetUnavailable
	}
	from := conv.State
	conv.State, conv.Team = protocol.StateQueued, d.ToTeam
	conv.AssigneeID, conv.AssigneeName = "", ""
	clearOffer(conv)
	msgs = append(msgs, s.eventLocked(conv, protocol.Event{
		Type: protocol.EventTransferred, From: from, To: protocol.StateQueued, Reason: d.ToTeam, Actor: u.Name,
	}, protocol.VisibilityPublic))
	return msgs, nil
}

func (s *Server) send(c *client, id string, d protocol.SendData) {
	s.mu.Lock()
	if ack, ok := s.acks[d.ClientMsgID]; ok {
		s.mu.Unlock()
		ack.Duplicate = true
		c.send(protocol.TypeAck, id, ack)
		return
	}
	conv, ok := s.convs[d.ConversationID]
	if !ok {
		s.mu.Unlock()
		c.write(protocol.EncodeError(id, protocol.ErrNotFound))
		return
	}
	visibility := d.Visibility
	if visibility == "" {
		visibility = protocol.VisibilityPublic
	}
	m := s.appendLocked(conv.ID, protocol.Message{
		ClientMsgID: d.ClientMsgID,
		Sender:      protocol.Sender{Role: c.user.Role, ID: c.user.ID, Name: c.user.Name},
		Kind:        d.Kind, Visibility: visibility, Text: d.Text,
	})
	ack := protocol.AckData{ConversationID: conv.ID, ClientMsgID: d.ClientMsgID, Seq: m.Seq, Epoch: conv.Epoch, CreatedAt: m.CreatedAt}
	s.acks[d.ClientMsgID] = ack
	drop := s.dropSend
	s.dropSend = false
	s.mu.Unlock()
	if drop {
		c.ws.NetConn().Close()
		return
	}
	c.send(protocol.TypeAck, id, ack)
	s.broadcast(protocol.TypeMessage, m)
}

func (s *Server) broadcast(typ string, data any) {
	s.mu.Lock()
	cs := make([]*client, 0, len(s.clients))
	for c := range s.clients {
		cs = append(cs, c)
	}
	s.mu.Unlock()
	for _, c := range cs {
		c.send(typ, "", data)
	}
}

func (c *client) send(typ, id string, data any) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.sendLocked(typ, id, data)
}

func (c *client) sendLocked(typ, id string, data any) {
	b, err := protocol.Encode(typ, id, data)
	if err != nil {
		panic(err)
	}
	c.writeLocked(b)
}

func (c *client) write(b []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.writeLocked(b)
}

func (c *client) writeLocked(b []byte) {
	c.ws.SetWriteDeadline(time.Now().Add(5 * time.Second))
	c.ws.WriteMessage(websocket.TextMessage, b)
}
