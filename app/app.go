package app

import (
	"context"
	"time"

	"switchboard/protocol"
)

// App is the facade bound to the UI (window.go.app.App in JavaScript). Every
// method returns (T, error); errors read "code: message" with a protocol
// error code, so the UI can translate by code.
type App struct {
	s *Service
}

// BootState is what the UI starts from.
type BootState struct {
	SignedIn bool     `json:"signed_in"`
	Session  *Session `json:"session"` // null when signed out
	// DefaultServerURL and DefaultUsername prefill the sign-in screen.
	DefaultServerURL string `json:"default_server_url"`
	// ServerURLLocked is true when the managed policy locks the server:
	// DefaultServerURL is then the only one SignIn uses.
	ServerURLLocked bool      `json:"server_url_locked"`
	DefaultUsername string    `json:"default_username"`
	Conn            ConnState `json:"conn"`
	// Lists are the signed-in agent's conversation lists as
	// ListConversations returns them, by filter: "mine" and "queue", and
	// "teams" for a supervisor. The UI draws the workspace with them rather
	// than asking for each once the workspace is up, a round trip and a
	// render later. Absent when signed out, or when a list could not be
	// read (the UI then asks for it).
	Lists map[string][]protocol.Conversation `json:"lists,omitempty"`
}

// Session is the signed-in agent.
type Session struct {
	ServerURL string        `json:"server_url"`
	User      protocol.User `json:"user"`
}

// ConnState is the connection to the server as shown to the agent; the
// payload of the conn:state event.
type ConnState struct {
	State string `json:"state"` // connecting | online | offline
	Error string `json:"error,omitempty"`
	// Pending counts the messages written but not yet acknowledged by the
	// server (the outbox), so the UI can say "offline · 3 pending".
	Pending int `json:"pending"`
	// ClockOffsetMS is the server's clock minus this machine's, measured at
	// the last welcome, so the UI can count down to server times (an
	// offer's expiry) correctly on a machine whose clock is off.
	ClockOffsetMS int64 `json:"clock_offset_ms"`
	// Status is the agent's routing status as the app asks the server to
	// keep it: online, away or offline.
	Status string `json:"status"`
}

// Timeouts of bound calls that wait for the server.
const (
	signInTimeout  = 20 * time.Second
	requestTimeout = 15 * time.Second
)

// Bootstrap returns the state to start the UI from. When the app was started
// with sign-in credentials it waits for that sign-in to finish first.
func (a *App) Bootstrap() (BootState, error) {
	return a.s.bootState(), nil
}

// SignIn signs in to a server and connects. The server URL and username are
// remembered for the next sign-in; the password is not. A server the
// managed policy locks is used whatever serverURL says; one it does not
// allow is refused with server_not_allowed.
func (a *App) SignIn(serverURL, username, password string) (Session, error) {
	ctx, cancel := context.WithTimeout(a.s.context(), signInTimeout)
	defer cancel()
	sess, err := a.s.signIn(ctx, serverURL, username, password)
	return sess, a.s.uiError("sign in", err)
}

// SignOut disconnects, ends the sign-in at the server (POST /api/v1/logout,
// so its refresh token is good for nobody) and forgets the tokens kept in
// the keychain. A server that cannot be reached does not keep the agent
// signed in here: the tokens are forgotten all the same. The cache and any
// unsent messages stay on disk, encrypted, for the next sign-in of the same
// user.
func (a *App) SignOut() error {
	a.s.signInMu.Lock()
	defer a.s.signInMu.Unlock()
	a.s.mu.Lock()
	sess := a.s.sess
	a.s.mu.Unlock()
	if sess != nil {
		sess.forgotten.Store(true)
	}
	a.s.endSession()
	a.s.forgetSession()
	if sess != nil {
		ctx, cancel := context.WithTimeout(a.s.context(), logoutTimeout)
		defer cancel()
		if err := sess.tokens.Logout(ctx); err != nil {
			a.s.log.Warn("the server did not end the sign-in; its refresh token stays good until it expires", "err", err)
		}
	}
	return nil
}

// logoutTimeout bounds the wait for the server's answer to a sign-out.
const logoutTimeout = 5 * time.Second

// ListConversations returns the cached conversations of a filter ("mine" or
// "queue") at once, and refreshes them from the server in the background;
// what changes arrives as conversation and conversation:removed events.
func (a *App) ListConversations(filter string) ([]protocol.Conversation, error) {
	sess, err := a.s.current()
	if err != nil {
		return nil, a.s.uiError("list conversations", err)
	}
	list, err := sess.listConversations(a.s.context(), filter)
	return list, a.s.uiError("list conversations", err)
}

// Transcript returns a conversation's cached messages by seq, followed by
// the agent's unacknowledged messages (seq 0). Newer messages are fetched in
// the background and arrive as message events; when nothing is cached yet
// the fetch happens before returning.
func (a *App) Transcript(conversationID string) ([]protocol.Message, error) {
	sess, err := a.s.current()
	if err != nil {
		return nil, a.s.uiError("read transcript", err)
	}
	ctx, cancel := context.WithTimeout(a.s.context(), requestTimeout)
	defer cancel()
	msgs, err := sess.transcript(ctx, conversationID)
	return msgs, a.s.uiError("read transcript", err)
}

// Send queues a text message and returns it as pending (seq 0, its
// client_msg_id set, sent by this agent). It is kept in the outbox until the
// server acknowledges it, which arrives as an ack event.
func (a *App) Send(conversationID, text string) (protocol.Message, error) {
	sess, err := a.s.current()
	if err != nil {
		return protocol.Message{}, a.s.uiError("send", err)
	}
	m, err := sess.send(a.s.context(), conversationID, text)
	return m, a.s.uiError("send", err)
}

// Accept takes a queued conversation of the agent's team, or one offered to
// the agent (a routing offer or a transfer).
func (a *App) Accept(conversationID string) (protocol.Conversation, error) {
	return a.transition(protocol.TypeAccept, conversationID)
}

// Resolve resolves an active conversation assigned to the agent.
func (a *App) Resolve(conversationID string) (protocol.Conversation, error) {
	return a.transition(protocol.TypeResolve, conversationID)
}

// Decline refuses a conversation offered to the agent: a routing offer goes
// to the next agent, a transfer offer stays with the agent who sent it.
func (a *App) Decline(conversationID string) (protocol.Conversation, error) {
	return a.transition(protocol.TypeDecline, conversationID)
}

// HandBack gives an active conversation of the agent back to the bot.
func (a *App) HandBack(conversationID string) (protocol.Conversation, error) {
	return a.transition(protocol.TypeHandBack, conversationID)
}

// Transfer passes a conversation of the agent to another agent (toAgentID,
// who is offered it and must accept) or to a team's queue (toTeam); exactly
// one of the two is set. note is shown to agents only.
func (a *App) Transfer(conversationID, toAgentID, toTeam, note string) (protocol.Conversation, error) {
	sess, err := a.s.current()
	if err != nil {
		return protocol.Conversation{}, a.s.uiError(protocol.TypeTransfer, err)
	}
	ctx, cancel := context.WithTimeout(a.s.context(), requestTimeout)
	defer cancel()
	c, err := sess.transfer(ctx, protocol.TransferData{
		ConversationID: conversationID, ToAgentID: toAgentID, ToTeam: toTeam, Note: note,
	})
	return c, a.s.uiError(protocol.TypeTransfer, err)
}

// Context returns what is known around a conversation: the bot's handoff
// packet, the customer's profile and business fields, their previous
// conversations, the conversation's tags and the notes staff keep about the
// customer. It always asks the server (nothing of it is cached).
func (a *App) Context(conversationID string) (protocol.ContextData, error) {
	sess, err := a.s.current()
	if err != nil {
		return protocol.ContextData{}, a.s.uiError(protocol.TypeContext, err)
	}
	ctx, cancel := context.WithTimeout(a.s.context(), requestTimeout)
	defer cancel()
	d, err := sess.context(ctx, conversationID)
	return d, a.s.uiError(protocol.TypeContext, err)
}

// SetTags removes the tags in remove from a conversation and then adds
// those in add, and returns the conversation as the server keeps it: tags
// normalized (trimmed, inner whitespace made one space), compared without
// regard to case, sorted. A tag that is empty or too long after that, or
// more than protocol.MaxTags in all, is refused.
func (a *App) SetTags(conversationID string, add, remove []string) (protocol.Conversation, error) {
	sess, err := a.s.current()
	if err != nil {
		return protocol.Conversation{}, a.s.uiError(protocol.TypeTag, err)
	}
	ctx, cancel := context.WithTimeout(a.s.context(), requestTimeout)
	defer cancel()
	c, err := sess.setTags(ctx, protocol.TagData{ConversationID: conversationID, Add: add, Remove: remove})
	return c, a.s.uiError(protocol.TypeTag, err)
}

// AddCustomerNote writes a note about the customer of a conversation and
// returns it as stored. The note stays with the customer across their
// conversations (Context lists it) and is shown to staff only.
func (a *App) AddCustomerNote(conversationID, text string) (protocol.CustomerNote, error) {
	sess, err := a.s.current()
	if err != nil {
		return protocol.CustomerNote{}, a.s.uiError(protocol.TypeCustomerNote, err)
	}
	ctx, cancel := context.WithTimeout(a.s.context(), requestTimeout)
	defer cancel()
	n, err := sess.addCustomerNote(ctx, protocol.CustomerNoteData{ConversationID: conversationID, Text: text})
	return n, a.s.uiError(protocol.TypeCustomerNote, err)
}

// Directory returns the agents and teams a conversation can be transferred
// to, with their status, load and queue.
func (a *App) Directory() (protocol.DirectoryData, error) {
	sess, err := a.s.current()
	if err != nil {
		return protocol.DirectoryData{}, a.s.uiError(protocol.TypeDirectory, err)
	}
	ctx, cancel := context.WithTimeout(a.s.context(), requestTimeout)
	defer cancel()
	d, err := sess.directory(ctx)
	return d, a.s.uiError(protocol.TypeDirectory, err)
}

// SetStatus sets the agent's routing status: "online", "away" or
// "offline". It returns the status in force. The app sets it again after
// every reconnect, since the server forgets it with the last connection.
func (a *App) SetStatus(status string) (string, error) {
	sess, err := a.s.current()
	if err != nil {
		return "", a.s.uiError(protocol.TypeStatus, err)
	}
	ctx, cancel := context.WithTimeout(a.s.context(), requestTimeout)
	defer cancel()
	st, err := sess.setStatus(ctx, status)
	return st, a.s.uiError(protocol.TypeStatus, err)
}

func (a *App) transition(typ, conversationID string) (protocol.Conversation, error) {
	sess, err := a.s.current()
	if err != nil {
		return protocol.Conversation{}, a.s.uiError(typ, err)
	}
	ctx, cancel := context.WithTimeout(a.s.context(), requestTimeout)
	defer cancel()
	c, err := sess.transition(ctx, typ, conversationID)
	return c, a.s.uiError(typ, err)
}
