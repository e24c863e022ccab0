// Package fakeserver is a small in-memory Switchboard server for the desktop
// app's tests. It speaks just enough of the protocol (login, hello/welcome
// with resume, list, accept, resolve, send/ack with dedupe, sync, pushes) and
// lets a test misbehave on purpose: drop every socket, refuse new ones, hold
// acks, revoke tokens. The real server lives in backend/, which the app must
// not import; the end-to-end tests run against that one.
package fakeserver

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"testing"
	"time"

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
	tokens    map[string]protocol.User // token → user
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
		convs:     map[string]*protocol.Conversation{},
		msgs:      map[string][]protocol.Message{},
		acks:      map[string]protocol.AckData{},
		clients:   map[*client]bool{},
		counts:    map[string]int{},
		now:       time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC).UnixMilli(),
	}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /api/v1/login", s.login)
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
	s.nextToken++
	tok := fmt.Sprintf("token-%s-%d", u.ID, s.nextToken)
	s.tokens[tok] = u
	s.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]any{
		"token": tok, "expires_at": time.Now().Add(time.Hour).UnixMilli(), "user": u,
	})
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
	u, ok := s.tokens[hello.Token]
	if !ok {
		s.mu.Unlock()
		c.write(protocol.EncodeError(f.ID, protocol.ErrUnauthorized))
		ws.WriteControl(websocket.CloseMessage,
			websocket.FormatCloseMessage(protocol.CloseUnauthorized, "unauthenticated"), time.Now().Add(time.Second))
		return
	}
	c.user = u
	welcome := protocol.WelcomeData{
		SessionID: fmt.Sprintf("s%d", len(s.hellos)), User: u, ServerTime: s.now, HeartbeatMS: 25000,
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
		s.mu.Unlock()
		s.handle(c, f)
	}
}

// visibleLocked lists what an agent sees: assigned to them and open, or
// queued in their teams. filter "" means both.
func (s *Server) visibleLocked(u protocol.User, filter string) []protocol.Conversation {
	out := []protocol.Conversation{}
	for _, c := range s.convs {
		mine := c.AssigneeID == u.ID && (c.State == protocol.StateActive || c.State == protocol.StateWaitingCustomer)
		queued := c.State == protocol.StateQueued && slices.Contains(u.Teams, c.Team)
		if (mine && filter != protocol.ListQueue) || (queued && filter != protocol.ListMine) {
			out = append(out, *c)
		}
	}
	slices.SortFunc(out, func(a, b protocol.Conversation) int { return int(a.CreatedAt - b.CreatedAt) })
	return out
}

func (s *Server) handle(c *client, f protocol.Frame) {
	switch f.Type {
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
		for _, m := range s.msgs[conv.ID] {
			if m.Seq <= d.AfterSeq {
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

	case protocol.TypeAccept, protocol.TypeResolve:
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
		from, to, ev := protocol.StateQueued, protocol.StateActive, protocol.EventAssigned
		if f.Type == protocol.TypeResolve {
			from, to, ev = protocol.StateActive, protocol.StateResolved, protocol.EventResolved
		}
		if conv.State != from || (f.Type == protocol.TypeResolve && conv.AssigneeID != c.user.ID) {
			s.mu.Unlock()
			c.write(protocol.EncodeError(f.ID, protocol.ErrIllegalState))
			return
		}
		conv.State = to
		if f.Type == protocol.TypeAccept {
			conv.AssigneeID, conv.AssigneeName = c.user.ID, c.user.Name
		}
		m := s.appendLocked(conv.ID, protocol.Message{
			Sender: protocol.Sender{Role: protocol.RoleSystem}, Kind: protocol.KindEvent,
			Visibility: protocol.VisibilityPublic,
			Event:      &protocol.Event{Type: ev, From: from, To: to, Actor: c.user.Name},
		})
		snapshot := *conv
		s.mu.Unlock()
		c.send(protocol.TypeConversation, f.ID, snapshot)
		s.broadcast(protocol.TypeMessage, m)
		s.broadcast(protocol.TypeConversation, snapshot)

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
		c.write(protocol.EncodeError(f.ID, protocol.ErrUnknownType))
	}
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
	m := s.appendLocked(conv.ID, protocol.Message{
		ClientMsgID: d.ClientMsgID,
		Sender:      protocol.Sender{Role: c.user.Role, ID: c.user.ID, Name: c.user.Name},
		Kind:        d.Kind, Visibility: protocol.VisibilityPublic, Text: d.Text,
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
