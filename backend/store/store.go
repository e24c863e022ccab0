// Package store is the storage contract of the server: the records it keeps
// (agents, teams, customers, conversations, messages, audit entries, settings)
// and the Store interface every engine implements.
//
// The contract carries the reliability rules of the product so that no engine
// can get them wrong differently: a message's seq is allocated in the same
// transaction that stores it, a client_msg_id is stored at most once forever,
// and state changes are conditional so concurrent changes have one winner.
// Engines translate their driver errors into the sentinel errors below; no
// caller sees sql.ErrNoRows or a driver code.
package store

import (
	"context"
	"encoding/json"
	"errors"

	"switchboard/backend/conversation"
)

// Sentinel errors. Engines wrap them with context; compare with errors.Is.
var (
	// ErrNotFound means the record does not exist.
	ErrNotFound = errors.New("not found")
	// ErrConflict means the write collides with an existing record: a
	// client_msg_id already used in another conversation, or a second open
	// conversation for one customer.
	ErrConflict = errors.New("conflict")
	// ErrIllegalState means the conversation is not in a state that allows the
	// write: the state machine refused the move, or a concurrent change got
	// there first.
	ErrIllegalState = errors.New("illegal state")
	// ErrLimit means the write would take a record past a limit the caller
	// set (a conversation's number of tags); nothing was written.
	ErrLimit = errors.New("limit reached")
)

// Store is the storage contract: every concern's interface, composed. Code
// that needs one concern only takes that interface (a Directory, a
// Conversations), so an engine or a fake serves it with what it uses.
// Every method is safe for concurrent use.
//
// What only some engines can do (online backup, encryption at rest) is not
// here but behind the optional interfaces of optional.go, which callers
// detect with a type assertion.
type Store interface {
	Settings
	Directory
	Customers
	Conversations
	Messages
	Timers
	Files
	Tags
	Notes
	AuditLog
	RefreshTokens
	BotLearning
	Webhooks
	CannedResponses
	APIKeys
	Hours

	// Close releases the store. It is safe to call once all other calls
	// have returned.
	Close() error
}

// Settings keeps the server's own values (the token secret).
type Settings interface {
	// EnsureSetting stores value under key unless the key already has a
	// value, and returns the value now stored.
	EnsureSetting(ctx context.Context, key, value string) (string, error)
	// Setting returns the value stored under key; ok is false when the key
	// has none.
	Setting(ctx context.Context, key string) (value string, ok bool, err error)
	// PutSetting stores value under key, replacing any value it had.
	PutSetting(ctx context.Context, key, value string) error
}

// Directory holds the staff: teams and agents.
type Directory interface {
	Teams
	Agents
}

// Teams keeps the teams conversations are routed to.
type Teams interface {
	// UpsertTeam creates a team or updates its name, skills and overflow.
	// It leaves a stored team's SLA as it is (see SetTeamSLA).
	UpsertTeam(ctx context.Context, t Team) error
	// Teams lists all teams by id.
	Teams(ctx context.Context) ([]Team, error)
	// DeleteTeam removes the team with id and its memberships. It returns
	// ErrConflict, removing nothing, while open conversations are in the
	// team or another team overflows to it.
	DeleteTeam(ctx context.Context, id string) error

	TeamSLA
}

// TeamSLA sets the teams' service-level thresholds.
type TeamSLA interface {
	// SetTeamSLA replaces the service-level thresholds of the team with id
	// and returns the team; ErrNotFound for an unknown team.
	SetTeamSLA(ctx context.Context, id string, sla SLA) (Team, error)
}

// Agents keeps the staff accounts and what decides whether their tokens
// are good.
type Agents interface {
	// UpsertAgent creates an agent or updates the one with the same
	// username, keeping its id, and replaces its team memberships. The
	// teams must exist. It returns the stored agent.
	UpsertAgent(ctx context.Context, a Agent) (Agent, error)
	// Agent returns the agent with id, with its teams.
	Agent(ctx context.Context, id string) (Agent, error)
	// AgentByUsername returns the agent with username, with its teams.
	AgentByUsername(ctx context.Context, username string) (Agent, error)
	// Agents lists all agents by name, with their teams.
	Agents(ctx context.Context) ([]Agent, error)
	// SetAgentDisabled disables or enables the agent with id and returns
	// it. Disabling also moves the agent to a new token generation, so
	// every token issued before is revoked; enabling does not bring them
	// back. UpsertAgent never changes either.
	SetAgentDisabled(ctx context.Context, id string, disabled bool) (Agent, error)
	// RevokeAgentTokens moves the agent with id to a new token generation
	// (see Agent.TokenGen) and returns it.
	RevokeAgentTokens(ctx context.Context, id string) (Agent, error)
	// AgentAccess returns, for every agent, what decides whether their
	// tokens are still good: cheap enough to poll.
	AgentAccess(ctx context.Context) ([]AgentAccess, error)
}

// Customers keeps the customers.
type Customers interface {
	// UpsertCustomer creates a customer or updates its name (an empty name
	// keeps the stored one) and, when c.Verified is not nil, replaces its
	// verified fields. It returns the stored customer.
	UpsertCustomer(ctx context.Context, c Customer) (Customer, error)
	// Customer returns the customer with id.
	Customer(ctx context.Context, id string) (Customer, error)
}

// Conversations keeps the conversations and their state machine.
type Conversations interface {
	// CreateConversation stores a new conversation in state bot together
	// with its first message (the opened event), which gets seq 1. It
	// returns ErrConflict when the customer already has an open
	// conversation.
	CreateConversation(ctx context.Context, nc NewConversation) (Conversation, Message, error)
	// Conversation returns the conversation with id.
	Conversation(ctx context.Context, id string) (Conversation, error)
	// OpenConversationOf returns the customer's open conversation (any
	// state for which conversation.State.Open is true), or ErrNotFound.
	OpenConversationOf(ctx context.Context, customerID string) (Conversation, error)
	// ListConversations returns the conversations matching f, oldest update
	// first (or in queue order, see ConversationFilter.QueueOrder).
	ListConversations(ctx context.Context, f ConversationFilter) ([]Conversation, error)
	// AgentLoad is how many conversations agent id works on, what routing
	// weighs against their capacity: those assigned to them in one of
	// states, and those offered to them that are not theirs yet (a
	// queued conversation, or another agent's being transferred). It
	// counts without reading the conversations.
	AgentLoad(ctx context.Context, agentID string, states []conversation.State) (int, error)
	// MergeExt merges ext into the conversation's business fields and
	// returns the updated conversation. Unverified fields never change its
	// priority.
	MergeExt(ctx context.Context, id string, ext map[string]string) (Conversation, error)
	// SetVerified replaces the conversation's verified fields (see
	// Conversation.Verified), recomputes its priority from them and returns
	// the updated conversation.
	SetVerified(ctx context.Context, id string, verified map[string]string) (Conversation, error)
	// SetLastTeam records the team of the last knowledge base entry that
	// answered in the conversation.
	SetLastTeam(ctx context.Context, id, team string) error

	// ChangeState applies a state machine event to a conversation and
	// stores its event message and audit entry in the same transaction. It
	// returns ErrIllegalState when conversation.Transition refuses the event
	// in the current state (also when a concurrent change got there first)
	// and ErrNotFound for an unknown conversation.
	//
	// Timers belong to the state they were armed in: ChangeState deletes
	// every timer of the conversation and arms sc.Arm, in the same
	// transaction. With sc.IfTimer set it also returns ErrIllegalState
	// unless that very timer (kind and version) is still armed, so a timer
	// that fires after its conversation moved on changes nothing.
	ChangeState(ctx context.Context, sc StateChange) (Conversation, Message, error)

	// Refusals returns the agents who declined the conversation or let an
	// offer of it expire (StateChange.Refuse), in no particular order.
	Refusals(ctx context.Context, conversationID string) ([]string, error)

	QueueClaims
}

// QueueClaims shares the queues between the routers of the nodes on one
// store. A router claims a batch of a team's routable conversations and
// holds them under a lease while it offers them, so routers running at once
// take different conversations instead of racing for the head of the queue.
//
// It is part of the contract, not an optional interface, because every
// engine can keep it (a single-writer engine with a plain transaction) and
// the router then has one way to route whatever the engine. The lease only
// spreads the work: the offer itself stays a conditional change
// (StateChange.IfOffer), so a router that outlived its lease, or a clock
// that runs ahead, costs a lost race and never two offers.
type QueueClaims interface {
	// ClaimQueue leases to q.Holder, until q.Until, up to q.Limit of team
	// q.Team's routable conversations (state queued, no offer) that no
	// other router holds (no lease, or one that ended by q.Now), in queue
	// order (see ConversationFilter.QueueOrder), and returns them in that
	// order. A conversation a concurrent claim is taking, or any other
	// write holds, is passed over, not waited for.
	//
	// A lease ends by itself at its Until, so a router that stopped holds
	// nothing for long; it also ends with any state change of the
	// conversation (an offer made, above all), and with ReleaseQueue.
	ClaimQueue(ctx context.Context, q QueueClaim) ([]Conversation, error)
	// ReleaseQueue ends holder's leases on the conversations ids (those it
	// passed over). A lease that has passed to another holder is left as
	// it is; unknown ids are no error.
	ReleaseQueue(ctx context.Context, holder string, ids []string) error
}

// QueueClaim asks for a batch of a team's queue (QueueClaims.ClaimQueue).
// Times are unix milliseconds on the caller's clock, as DueTimers' now.
type QueueClaim struct {
	Team string
	// Holder names the router (its node).
	Holder string
	Now    int64
	Until  int64
	// Limit caps the batch; 0 means 50.
	Limit int
}

// Messages keeps the messages of conversations and their read cursors.
type Messages interface {
	// AppendMessage stores a message with seq = the conversation's last seq
	// + 1 in one transaction. A ClientMsgID stored before in the same
	// conversation returns the original message with Duplicate set and
	// writes nothing; one stored in another conversation returns
	// ErrConflict. The duplicate check comes before the state guard, so a
	// retry is answered even after the conversation moved on.
	AppendMessage(ctx context.Context, nm NewMessage) (AppendResult, error)
	// Messages returns messages of a conversation in seq order.
	Messages(ctx context.Context, q MessageQuery) ([]Message, error)

	// MarkRead moves a reader's cursor in a conversation to seq (capped at
	// the conversation's last seq) unless it is already there or beyond:
	// cursors never move back. It returns the cursor now stored and whether
	// it moved, and ErrNotFound for an unknown conversation.
	MarkRead(ctx context.Context, m ReadMark) (seq int64, moved bool, err error)
}

// Timers keeps the durable timers of conversations (armed by
// Conversations.ChangeState).
type Timers interface {
	// DueTimers returns up to limit armed timers with DueAt <= now, earliest
	// first.
	DueTimers(ctx context.Context, now int64, limit int) ([]Timer, error)
	// DisarmTimer deletes timer t if that version is still armed.
	DisarmTimer(ctx context.Context, t Timer) error
	// Timers returns the armed timers of a conversation by kind.
	Timers(ctx context.Context, conversationID string) ([]Timer, error)
}

// Files keeps the records of uploaded files (their content lives elsewhere).
type Files interface {
	// CreateFile records a finished, checked upload. It returns
	// ErrNotFound for an unknown conversation and ErrConflict for an id
	// stored before.
	CreateFile(ctx context.Context, f File) error
	// File returns the file with id.
	File(ctx context.Context, id string) (File, error)
	// FileIsPublic reports whether a public message of the file's
	// conversation carries the file (as its attachment): whether the
	// conversation's customer may download it.
	FileIsPublic(ctx context.Context, id string) (bool, error)
}

// Tags changes conversations' tags.
type Tags interface {
	// UpdateTags removes tc.Remove from a conversation's tags and then adds
	// tc.Add, with an audit entry when they changed, in one transaction.
	// Tags are stored as given (the caller normalizes them) and compared by
	// protocol.TagKey: adding a tag the conversation has in another
	// spelling keeps the stored spelling, removing one it does not have
	// does nothing. It returns the conversation after and whether its tags
	// changed; ErrNotFound for an unknown conversation, and ErrLimit,
	// writing nothing, when the conversation would have more than tc.Max
	// tags. A tag change leaves UpdatedAt as it was: it is not activity.
	UpdateTags(ctx context.Context, tc TagChange) (Conversation, bool, error)
}

// Notes keeps staff notes about customers.
type Notes interface {
	// AddCustomerNote stores a note about a customer, with an audit entry
	// on the conversation it was written in, and returns it as stored. An
	// empty ID is generated and CreatedAt 0 means now. It returns
	// ErrNotFound for an unknown customer and ErrConflict for an id stored
	// before.
	AddCustomerNote(ctx context.Context, n CustomerNote) (CustomerNote, error)
	// CustomerNotes returns up to limit (0 means 500) of a customer's
	// notes, newest first.
	CustomerNotes(ctx context.Context, customerID string, limit int) ([]CustomerNote, error)
}

// AuditLog keeps the audit log, one hash chain.
type AuditLog interface {
	// AddAudit appends an audit entry. Every entry, this one and those
	// other writes store (state changes, tags, notes), is appended to one
	// hash chain (package audit): in one transaction the engine reads the
	// last entry, numbers the new one after it and stores its hash.
	AddAudit(ctx context.Context, e AuditEntry) error
	// AddAudits appends entries in their order in one transaction: all of
	// them or none. It is how many entries at once (the server's audit
	// writer) cost one commit instead of one each.
	AddAudits(ctx context.Context, es []AuditEntry) error
	// Audit returns a conversation's audit entries, oldest first.
	Audit(ctx context.Context, conversationID string) ([]AuditEntry, error)
	// AuditLog returns the audit entries matching q in log order (by ID),
	// with their IDs and hashes as stored.
	AuditLog(ctx context.Context, q AuditQuery) ([]AuditEntry, error)
}

// RefreshTokens keeps the refresh tokens of agents' sign-ins. Each sign-in
// starts a family; every refresh uses up one token of the family and adds
// the next, so a token that comes back after it was used up betrays a copy,
// and the caller revokes its family. Tokens are kept by hash only.
type RefreshTokens interface {
	// AddRefreshToken stores the first token of a new family. It returns
	// ErrConflict for a hash stored before.
	AddRefreshToken(ctx context.Context, t RefreshToken) error
	// RotateRefreshToken uses up the token stored under hash at now (unix
	// milliseconds) and stores next in its family, in one transaction, if
	// the token is unused, its family is not revoked and neither it nor its
	// family has expired at now. next takes FamilyID, AgentID, TokenGen and
	// FamilyExpiresAt from the used token; the caller sets its Hash,
	// CreatedAt and ExpiresAt. It returns the token as it was before the
	// call. When a condition fails it writes nothing and returns
	// ErrIllegalState with the token, whose UsedAt, RevokedAt and expiries
	// say why; an unknown hash is ErrNotFound. Of concurrent rotations of
	// one token exactly one succeeds.
	RotateRefreshToken(ctx context.Context, hash string, next RefreshToken, now int64) (RefreshToken, error)
	// RefreshToken returns the token stored under hash.
	RefreshToken(ctx context.Context, hash string) (RefreshToken, error)
	// RefreshFamilyEnded reports whether a family has ended: revoked, or
	// with no token left (pruned once expired, or never stored). Cheap
	// enough for every hello.
	RefreshFamilyEnded(ctx context.Context, familyID string) (bool, error)
	// RevokeRefreshFamily revokes every token of a family at now; a family
	// revoked before keeps its first time. It returns ErrNotFound for a
	// family with no token.
	RevokeRefreshFamily(ctx context.Context, familyID string, now int64) error
	// PruneRefreshTokens deletes the tokens that have expired at now, by
	// their own expiry or their family's, and returns how many.
	PruneRefreshTokens(ctx context.Context, now int64) (int, error)
}

// RefreshToken is one refresh token of an agent's sign-in. Times are unix
// milliseconds.
type RefreshToken struct {
	// Hash is the token's SHA-256 (auth.RefreshTokenHash); the token itself
	// is never stored.
	Hash string
	// FamilyID names the sign-in: the first token and every token that
	// replaced it.
	FamilyID string
	AgentID  string
	// TokenGen is the agent's token generation at sign-in: a family is
	// good only while it is the agent's (see Agent.TokenGen).
	TokenGen  int64
	CreatedAt int64
	// ExpiresAt is when the token expires unused; FamilyExpiresAt when
	// every token of the family does, however often it was refreshed.
	ExpiresAt       int64
	FamilyExpiresAt int64
	// UsedAt is when the token was exchanged for the next (0: not yet);
	// RevokedAt when its family was revoked (0: not).
	UsedAt    int64
	RevokedAt int64
}

// Team is a group of agents a conversation can be routed to.
type Team struct {
	ID   string
	Name string
	// Skills are what the team's conversations need (shown to agents and
	// in the transfer dialog); a team's members have them.
	Skills []string
	// Backup is the team that takes new conversations while this team's
	// queue holds OverflowAt or more (0: never overflows).
	Backup     string
	OverflowAt int
	// SLA are the team's service-level thresholds, shown on the floor.
	SLA SLA
}

// SLA are a team's service-level thresholds in milliseconds; 0 means none.
// Wait counts from entering the queue to being accepted, FirstResponse from
// being assigned to the assignee's first reply, NextResponse from the
// customer's oldest unanswered message to the next reply.
type SLA struct {
	FirstResponseMS int64
	WaitMS          int64
	NextResponseMS  int64
}

// Agent is a person who signs in to the desktop app.
type Agent struct {
	ID           string
	Username     string
	Name         string
	Role         string // protocol.RoleAgent, RoleSupervisor or RoleAdmin
	PasswordHash string // PHC-encoded argon2id hash
	Teams        []string
	// Capacity is the most conversations the agent works at once (active
	// or waiting_customer, assigned to them); 0 in UpsertAgent means
	// DefaultCapacity.
	Capacity int
	// Skills are what the agent is good at beyond their teams': languages
	// ("zh", "en") are preferred by routing for customers writing in them.
	Skills    []string
	CreatedAt int64
	// Disabled accounts cannot sign in, and their tokens are refused.
	Disabled bool
	// TokenGen is the agent's token generation: tokens carry the one they
	// were issued in and are good only while it is current. Disabling the
	// account or resetting its password moves it on.
	TokenGen int64
}

// AgentAccess is the part of an Agent that decides whether their tokens
// are good.
type AgentAccess struct {
	ID       string
	Disabled bool
	TokenGen int64
}

// DefaultCapacity is the capacity of an agent stored without one.
const DefaultCapacity = 5

// Customer is a visitor of the widget or a known user of the customer's site.
type Customer struct {
	ID   string
	Name string
	// Verified are the fields the customer's last signed identity token
	// vouched for (user_id, name, email, business fields); empty for an
	// anonymous visitor.
	Verified  map[string]string
	CreatedAt int64
}

// Conversation is a stored conversation. CustomerName, AssigneeName and
// LastText are read from related records for display.
type Conversation struct {
	ID            string
	CustomerID    string
	CustomerName  string
	Channel       string
	State         conversation.State
	Team          string
	AssigneeID    string
	AssigneeName  string
	HandoffReason string
	// Ext are the business fields the page passed: unverified, shown to
	// agents as such, never deciding anything.
	Ext map[string]string
	// Verified are the fields a signed identity token vouched for (nil for
	// an anonymous visitor): they alone drive priority, VIP handoff and
	// routing.
	//
	// A store may hand out the same Ext and Verified maps to several
	// callers (the SQLite store's conversation cache does): they are
	// replaced, never changed in place.
	Verified map[string]string
	// Epoch changes when the conversation's history is restored or reset;
	// a client holding another epoch reloads instead of resuming.
	Epoch    int64
	LastSeq  int64
	LastTeam string
	LastText string
	// CustomerReadSeq and AgentReadSeq are the read cursors of the
	// customer and of the current assignee (0 when none).
	CustomerReadSeq int64
	AgentReadSeq    int64
	// Priority orders the queue, highest first: Priority(Verified), kept
	// up to date by CreateConversation and SetVerified.
	Priority int
	// QueuedAt is when the conversation last entered the queue (unix
	// milliseconds; 0 if it never did): the queue's second order.
	QueuedAt int64
	// OfferAgentID is the agent the conversation is offered to until
	// OfferExpiresAt (unix ms); "" when there is no offer. TransferFromID
	// is the assignee who asked for a transfer to that agent ("" for an
	// offer of the router).
	OfferAgentID   string
	OfferAgentName string
	OfferExpiresAt int64
	TransferFromID string
	// Packet is the handoff packet (protocol.HandoffPacket as JSON), "" if
	// the conversation never went through a handoff.
	Packet string
	// Rating is the customer's score, 1–5 (0: not rated).
	Rating        int
	RatingComment string
	// Tags are the conversation's tags in protocol.SortTags order (nil when
	// it has none).
	Tags []string
	// Joined are the supervisors who barged in (Join) and write next to
	// the assignee, in the order they joined.
	Joined []Staff
	// AssistAt is when the assignee asked for help (unix ms; 0: no
	// request up). A change of assignee or a move out of the worked states
	// lowers it.
	AssistAt int64
	// AssignedAt is when the current assignee got the conversation;
	// FirstReplyAt when they first wrote to the customer since (0: not
	// yet); AwaitingSince when the customer's oldest message not yet
	// answered by a person was written (0: none). Unix milliseconds.
	AssignedAt    int64
	FirstReplyAt  int64
	AwaitingSince int64
	CreatedAt     int64 // unix milliseconds
	UpdatedAt     int64 // unix milliseconds
}

// Staff names a staff member on a conversation.
type Staff struct {
	ID   string
	Name string
}

// JoinedBy reports whether agent id has joined c (see Conversation.Joined).
func (c Conversation) JoinedBy(id string) bool {
	for _, j := range c.Joined {
		if j.ID == id {
			return true
		}
	}
	return false
}

// Priority is the queue priority of a conversation with verified fields
// verified: 1 for a VIP customer ("vip" = "true"), else 0. Pass verified
// fields only: a field the page passed unsigned must not jump the queue.
func Priority(verified map[string]string) int {
	if verified["vip"] == "true" {
		return 1
	}
	return 0
}

// ReadMark moves a read cursor.
type ReadMark struct {
	ConversationID string
	ReaderID       string
	ReaderRole     string
	Seq            int64
}

// Message is a stored message.
type Message struct {
	ConversationID string
	Seq            int64
	ClientMsgID    string
	SenderRole     string
	SenderID       string
	SenderName     string
	Kind           string
	Visibility     string
	Text           string
	Event          *Event
	// Attachment is the file of an image, file or voice message (a copy of
	// the File's description as of sending); Card the content of a card
	// message.
	Attachment *Attachment
	Card       *Card
	Ext        map[string]string
	CreatedAt  int64 // unix milliseconds
}

// Event is the body of an event message.
type Event struct {
	Type   string `json:"type"`
	From   string `json:"from,omitempty"`
	To     string `json:"to,omitempty"`
	Reason string `json:"reason,omitempty"`
	Actor  string `json:"actor,omitempty"`
	// The fields of a card action: the card message acted on, its type,
	// the action and its validated values.
	CardSeq  int64           `json:"card_seq,omitempty"`
	CardType string          `json:"card_type,omitempty"`
	Action   string          `json:"action,omitempty"`
	Values   json.RawMessage `json:"values,omitempty"`
}

// Attachment describes a file as a message carries it.
type Attachment struct {
	ID         string `json:"id"`
	Name       string `json:"name"`
	Size       int64  `json:"size"`
	MIME       string `json:"mime"`
	Width      int    `json:"width,omitempty"`
	Height     int    `json:"height,omitempty"`
	DurationMS int64  `json:"duration_ms,omitempty"`
	HasThumb   bool   `json:"has_thumb,omitempty"`
}

// Card is the content of a card message, validated by the protocol's card
// registry before it is stored.
type Card struct {
	Type     string          `json:"type"`
	Version  int             `json:"version"`
	Data     json.RawMessage `json:"data"`
	Fallback string          `json:"fallback,omitempty"`
}

// File states.
const (
	// FileReady is a finished upload whose content passed the checks and is
	// on disk: it may be attached to messages.
	FileReady = "ready"
)

// File is a stored upload. Its content lives on disk, addressed by SHA256
// (the same content uploaded twice is stored once); ThumbSHA256 addresses
// an image's thumbnail ("" when there is none).
type File struct {
	ID             string
	ConversationID string
	UploaderID     string
	UploaderRole   string
	Name           string
	Size           int64
	MIME           string
	SHA256         string
	ThumbSHA256    string
	Width          int
	Height         int
	DurationMS     int64
	State          string
	CreatedAt      int64 // unix milliseconds; 0 means now
}

// Attachment describes the file as a message carries it.
func (f File) Attachment() *Attachment {
	return &Attachment{ID: f.ID, Name: f.Name, Size: f.Size, MIME: f.MIME, Width: f.Width, Height: f.Height,
		DurationMS: f.DurationMS, HasThumb: f.ThumbSHA256 != ""}
}

// NewMessage is a message to append. Seq and CreatedAt are assigned by the
// store.
type NewMessage struct {
	ConversationID string
	ClientMsgID    string
	SenderRole     string
	SenderID       string
	SenderName     string
	Kind           string
	Visibility     string
	Text           string
	Event          *Event
	Attachment     *Attachment
	Card           *Card
	Ext            map[string]string

	// States, when not empty, lists the conversation states the message may
	// be appended in; in any other state AppendMessage returns
	// ErrIllegalState.
	States []conversation.State
	// Assignee, when not empty, must be the conversation's assignee or a
	// supervisor who joined it, or AppendMessage returns ErrIllegalState.
	Assignee string
	// Postpone, when set, moves the conversation's armed timer of the same
	// kind to Postpone.DueAt+Postpone.Slack (with a new version) in the
	// transaction that stores the message, unless the timer is already due
	// within [DueAt, DueAt+Slack]: then it stays as it is, version and all,
	// and nothing is written. Without such a timer it does nothing. A
	// duplicate postpones nothing.
	Postpone *Timer
	// Change, when set, is a state change the message causes in some
	// states only (the customer writing while waited for): if the
	// conversation's state allows Change.Event, the store applies the change
	// Change.Make returns right after the message, in the same transaction;
	// otherwise Make is never called. A duplicate changes nothing.
	Change ChangeOn
}

// ChangeOn is the state change a message causes when its conversation's
// state allows Event. The change is made only when it applies, so the many
// messages that change nothing build nothing (Make is best a function of
// the message alone, so that setting it allocates nothing either).
type ChangeOn struct {
	Event conversation.Event
	// Make returns the change for the message being stored. The store
	// fills its ConversationID and sets its Event to Event. Nil means no
	// change.
	Make func(NewMessage) StateChange
}

// Set is whether a change is given.
func (c ChangeOn) Set() bool { return c.Make != nil }

// For returns the change for nm: Make's, with nm's conversation and the
// event Event.
func (c ChangeOn) For(nm NewMessage) StateChange {
	sc := c.Make(nm)
	sc.ConversationID, sc.Event = nm.ConversationID, c.Event
	return sc
}

// Timer is a durable timer: when DueAt passes, the server applies the event
// Kind to the conversation. A conversation has at most one timer per kind.
type Timer struct {
	ConversationID string
	Kind           conversation.Event
	DueAt          int64 // unix milliseconds
	// Version is assigned by the store and never reused; it tells a timer
	// from a later one of the same kind.
	Version int64
	// Slack is how much later than DueAt a postponement may leave the
	// timer due (milliseconds; NewMessage.Postpone only): a timer
	// postponed by every message of a customer writing several in a row
	// is then written once per Slack rather than once per message.
	Slack int64
}

// AppendResult is what AppendMessage stored, or found stored.
type AppendResult struct {
	Message Message
	// Conversation is the conversation as of the append, for routing the
	// message to its readers.
	Conversation Conversation
	// Duplicate is true when the ClientMsgID was already stored; Message is
	// the original and nothing was written.
	Duplicate bool
	// Changed is the event message of NewMessage.Change when it applied;
	// Conversation is then the conversation after it.
	Changed *Message
}

// NewConversation is a conversation to create.
type NewConversation struct {
	ID         string
	CustomerID string
	Channel    string
	Ext        map[string]string
	// Verified are the customer's verified fields; they alone set the
	// conversation's priority.
	Verified map[string]string
	// Opened is the first message, an event. Its ConversationID is filled in
	// and its Event.From/To are set from the transition.
	Opened NewMessage
	// Actor names who opened it in the audit log.
	Actor string
}

// CapacityGuard bounds an agent's load after a change: AgentID may then
// work and hold offers of at most Max conversations — those assigned to
// them in the worked states (active, waiting_customer), and those offered to
// them that are not theirs already. Over it, the change writes nothing and
// fails with ErrLimit. Engines check it in the change's transaction, with
// the agent held against other guarded changes, so two guarded changes for
// one agent (two nodes' routers offering at once) cannot both pass.
type CapacityGuard struct {
	AgentID string
	Max     int
}

// StateChange applies one event to a conversation. The nil fields are left
// unchanged.
type StateChange struct {
	ConversationID string
	Event          conversation.Event
	Team           *string
	AssigneeID     *string
	HandoffReason  *string
	// Message is the event message stored with the change; the store fills
	// ConversationID and Event.From/To.
	Message NewMessage
	// Then are messages stored right after Message in the same transaction
	// (the bot's goodbye on a handoff), so a crash cannot keep one without
	// the other. The store fills their ConversationID.
	Then []NewMessage
	// Actor names who caused the change in the audit log.
	Actor string
	// Arm are the timers of the new state; the store fills their
	// ConversationID and Version.
	Arm []Timer
	// IfTimer, when set, makes the change conditional on this timer (kind
	// and version) still being armed: the change is that timer firing.
	IfTimer *Timer

	// OfferAgentID, when set, replaces the offer: an agent id makes a new
	// offer until OfferExpiresAt, "" clears it (and OfferExpiresAt).
	// TransferFromID is stored with it.
	OfferAgentID   *string
	OfferExpiresAt int64
	TransferFromID *string
	// IfOffer, when set, makes the change conditional on the current
	// offer's agent ("" for none), so two offers cannot both be made.
	IfOffer *string
	// IfAssignee, when set, makes the change conditional on the current
	// assignee ("" for none), so that two people taking a conversation
	// from the same assignee cannot both succeed.
	IfAssignee *string
	// Capacity, when set, makes the change conditional on an agent's
	// load after it: see CapacityGuard.
	Capacity *CapacityGuard
	// IfState, when set, makes the change conditional on the state, for
	// events allowed in several states (a routing offer is for a queued
	// conversation only).
	IfState conversation.State
	// Refuse records that this agent refused the conversation: it is never
	// offered to them again (see Refusals).
	Refuse string
	// Packet, when set, replaces the handoff packet.
	Packet *string
	// Rating, when set, stores the customer's rating; the change fails with
	// ErrIllegalState when the conversation was rated already.
	Rating *Rating
	// Join adds this supervisor to the conversation's Joined; Leave
	// removes this one. A move out of the worked states (active,
	// waiting_customer) empties Joined.
	Join  string
	Leave string
	// Assist, when set, sets AssistAt (0 lowers the request).
	Assist *int64
	// KeepTimers leaves the conversation's timers armed, replacing only
	// those of the kinds in Arm (and deleting IfTimer): for events that do
	// not change the state. Without it every timer is deleted except the
	// offer's (kind conversation.OfferTimeout), which lives as long as the
	// offer, unless OfferAgentID is set.
	KeepTimers bool
}

// Rating is a customer's rating of a conversation.
type Rating struct {
	Score   int
	Comment string
}

// TagChange changes a conversation's tags (see Store.UpdateTags).
type TagChange struct {
	ConversationID string
	Add            []string
	Remove         []string
	// Max is the most tags the conversation may have after the change.
	Max int
	// Actor names who changed them in the audit log.
	Actor string
}

// CustomerNote is a staff member's note about a customer, kept across all
// of the customer's conversations and never shown to the customer.
// ConversationID is the conversation it was written in.
type CustomerNote struct {
	ID             string
	CustomerID     string
	ConversationID string
	AuthorID       string
	AuthorName     string
	Text           string
	CreatedAt      int64 // unix milliseconds
}

// ConversationFilter selects conversations; set fields are combined with AND.
type ConversationFilter struct {
	CustomerID string
	AssigneeID string
	// Teams, when not empty, matches conversations of any of these teams.
	Teams []string
	// States, when not empty, matches conversations in any of these states.
	States []conversation.State
	// OfferAgentID matches conversations offered to this agent.
	OfferAgentID string
	// Newest orders the result newest update first.
	Newest bool
	// QueueOrder orders the result as the queue: Priority first (highest
	// first), then QueuedAt (longest waiting first). Without it the order is
	// oldest update first.
	QueueOrder bool
	// Field and FieldValue, when Field is set, match conversations whose
	// page field (Ext) or verified field Field has the value FieldValue.
	Field      string
	FieldValue string
	// CreatedSince and CreatedUntil bound CreatedAt: CreatedSince <=
	// CreatedAt < CreatedUntil (unix milliseconds; 0 means unbounded).
	CreatedSince int64
	CreatedUntil int64
	// ByCreated orders the result newest created first (then by id,
	// descending), overriding Newest and QueueOrder; with AfterID set it
	// continues after the conversation (AfterCreated, AfterID) of the
	// previous page, so pages do not shift as conversations are updated.
	ByCreated    bool
	AfterCreated int64
	AfterID      string
	// Limit caps the result; 0 means 500.
	Limit int
}

// MessageQuery selects messages of one conversation with seq > AfterSeq
// and, when BeforeSeq is not 0, seq < BeforeSeq. The result is in seq order
// either way; Limit keeps the oldest of the range without BeforeSeq and the
// newest with it (scrollback).
type MessageQuery struct {
	ConversationID string
	AfterSeq       int64
	BeforeSeq      int64
	// Limit caps the result; 0 means 500.
	Limit int
	// PublicOnly leaves out messages whose visibility is not public.
	PublicOnly bool
}

// AuditEntry is one line of the audit log.
type AuditEntry struct {
	// ID is the entry's place in the log, assigned by the store: one more
	// than the entry before.
	ID             int64
	TS             int64 // unix milliseconds; 0 means now
	Actor          string
	Action         string
	ConversationID string
	Detail         string
	// Hash links the entry to the one before (audit.Next), in hex; set by
	// the store.
	Hash string
}

// AuditQuery selects audit entries; set fields are combined with AND.
type AuditQuery struct {
	Actor          string
	ConversationID string
	Action         string
	// Since and Until bound TS: Since <= TS < Until (unix milliseconds; 0
	// means unbounded).
	Since int64
	Until int64
	// AfterID pages: only entries with ID > AfterID.
	AfterID int64
	// Limit caps the result; 0 means 500.
	Limit int
}
