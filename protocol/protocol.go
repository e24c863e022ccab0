// Package protocol holds the Switchboard wire contract: the JSON frames that the
// server, the desktop app, the web widget, tests and benchmarks exchange over a
// WebSocket, and the codec that reads and writes them.
//
// Every frame is one JSON object, one per WebSocket text message:
//
//	{"type": "send", "id": "7", "data": {...}}
//
// Type names the frame. ID is chosen by the client on a request and echoed on
// its reply, so replies can be matched to requests; pushes from the server carry
// no ID. Data holds the frame's payload, whose Go type depends on Type. A failed
// request is answered by an "error" frame with the request's ID and an Error.
//
// The full contract, with every frame and error code, is docs/protocol.md.
package protocol

import "encoding/json"

// Version is the protocol version a client names in its hello frame.
const Version = 1

// Frame types sent by clients.
const (
	TypeHello   = "hello"   // HelloData; first frame on every connection
	TypeOpen    = "open"    // OpenData; customer starts or continues a conversation
	TypeSend    = "send"    // SendData; post a message
	TypeSync    = "sync"    // SyncData; read history after or before a seq (gap fill, scrollback)
	TypeAccept  = "accept"  // ConversationRef; agent takes a queued conversation
	TypeResolve = "resolve" // ConversationRef; agent resolves an active conversation
	TypeList    = "list"    // ListData; agent lists conversations (mine, queue)
	TypeRead    = "read"    // ReadData; move the caller's read cursor (also pushed as ReadReceipt)
	TypeTyping  = "typing"  // TypingData; the caller is typing (also pushed as TypingPush); no reply
	TypeStatus  = "status"  // StatusData; staff set their routing status (the reply is StatusData too)
	// TypeDecline refuses an offer (ConversationRef): a routing offer goes
	// to the next agent, a transfer offer back to its sender. The reply is
	// the Conversation.
	TypeDecline = "decline"
	// TypeTransfer (TransferData) passes the caller's conversation to an
	// agent (who is offered it) or a team (whose queue it joins).
	TypeTransfer = "transfer"
	// TypeHandBack (ConversationRef) gives the caller's conversation back to
	// the bot.
	TypeHandBack = "hand_back"
	// TypeRate (RateData) is the customer rating a resolved conversation.
	TypeRate = "rate"
	// TypeContext (ConversationRef) asks for a conversation's handoff packet,
	// customer profile and previous conversations; the reply is ContextData.
	TypeContext = "context"
	// TypeDirectory (no data) asks for the agents and teams to transfer to;
	// the reply is DirectoryData.
	TypeDirectory = "directory"
	// TypeCardAction (CardActionData) is the customer acting on a card (a
	// product's buy button, a rating form's submit). It is stored as an
	// event message (EventCardAction) and answered with an ack, like send.
	TypeCardAction = "card_action"
	// TypeTag (TagData) adds tags to and removes tags from a conversation
	// (staff only); the reply is the Conversation, also pushed to the
	// staff who can read it (never to its customer).
	TypeTag = "tag"
	// TypeCustomerNote (CustomerNoteData) stores an agent's note about a
	// conversation's customer (staff only, never shown to the customer);
	// the reply, of the same type, is the CustomerNote.
	TypeCustomerNote = "customer_note"
	// TypeReauth (ReauthData) replaces the access token a staff connection
	// was authenticated with by a fresh one of the same account, so the
	// connection outlives the token it started with. The reply, of the same
	// type, is an AuthExpiry.
	TypeReauth = "reauth"
)

// Frame types sent by the server.
const (
	TypeWelcome      = "welcome"       // WelcomeData; reply to hello
	TypeAck          = "ack"           // AckData; reply to send
	TypeHistory      = "history"       // HistoryData; reply to sync
	TypeConversation = "conversation"  // Conversation; reply to open/accept/resolve, and pushed on every change
	TypeConvList     = "conversations" // ConversationList; reply to list
	TypeMessage      = "message"       // Message; pushed when a message is stored
	TypeError        = "error"         // Error; reply to a failed request, or pushed for an unreadable frame
	TypeResumed      = "resumed"       // ResumedData; pushed once hello.resume has been caught up
	// TypeRead ("read") is also a server frame: ReadReceipt, the reply to a
	// read request and the push to the conversation's other participants.
	// TypeTyping ("typing") is also pushed: TypingPush.
	TypePresence = "presence" // PresencePush; a participant came online or went offline
	// TypeQueue (QueueInfo) is pushed to a customer whose conversation is
	// queued whenever their place, the expected wait or the availability of
	// agents changes. TypeContext and TypeDirectory are also the replies'
	// types (ContextData, DirectoryData).
	TypeQueue = "queue"
	// TypeAccess (User) is pushed to a staff member's connections when an
	// admin changed their role, teams or name: it applies from the next
	// frame on, and live pushes follow the new teams at once. Clients
	// replace the user of welcome and list their conversations again.
	TypeAccess = "access"
	// TypeTokenExpiring (AuthExpiry) is pushed to a staff connection shortly
	// before its access token expires: send reauth with a fresh one before
	// then, or the connection is closed with CloseTokenExpired.
	TypeTokenExpiring = "token_expiring"
)

// Frame is the envelope of every frame on the wire.
type Frame struct {
	Type  string          `json:"type"`
	ID    string          `json:"id,omitempty"`
	Data  json.RawMessage `json:"data,omitempty"`
	Error *Error          `json:"error,omitempty"`
}

// Client kinds named in HelloData.Client.
const (
	ClientWidget  = "widget"
	ClientDesktop = "desktop"
)

// HelloData authenticates the connection. Token is an agent access token from
// POST /api/v1/login or a visitor token from POST /api/v1/visitor.
type HelloData struct {
	Protocol int    `json:"protocol"`
	Token    string `json:"token"`
	Client   string `json:"client,omitempty"`
	Locale   string `json:"locale,omitempty"`
	// Resume maps conversation id to the last seq the client holds. After
	// welcome the server sends, per conversation, every message after it as
	// "message" frames in seq order, then the live ones, without a gap or a
	// duplicate between the two; then one "resumed" frame.
	Resume map[string]int64 `json:"resume,omitempty"`
	// Epochs maps conversation id to the epoch the client's copy of it
	// belongs to. For a conversation in Resume whose epoch differs, the
	// server sends no messages but the Conversation (with its new epoch):
	// the client drops its copy and reloads it with sync.
	Epochs map[string]int64 `json:"epochs,omitempty"`
}

// ResumedData is pushed after the catch-up that hello.resume asked for.
type ResumedData struct {
	// Conversations maps each conversation caught up to the last seq sent
	// for it (the resume point itself when nothing was missed). A
	// conversation the client may not read, or that it must reload (epoch
	// changed), is not in the map.
	Conversations map[string]int64 `json:"conversations"`
}

// ReauthData carries a fresh access token for a live connection.
type ReauthData struct {
	Token string `json:"token"`
}

// AuthExpiry says when a connection's access token expires (unix
// milliseconds): the reply to reauth and the token_expiring push.
type AuthExpiry struct {
	ExpiresAt int64 `json:"expires_at"`
}

// WelcomeData answers hello.
type WelcomeData struct {
	SessionID   string `json:"session_id"`
	User        User   `json:"user"`
	ServerTime  int64  `json:"server_time"`  // unix milliseconds
	HeartbeatMS int64  `json:"heartbeat_ms"` // the server pings this often
	// ExpiresAt is when a staff connection's access token expires (unix
	// milliseconds): before then the client sends reauth, or the connection
	// is closed with CloseTokenExpired. 0 for visitors, whose connections
	// do not expire.
	ExpiresAt int64 `json:"expires_at,omitempty"`
	// TranscriptEmail tells a customer's client that the server can email
	// a transcript (POST /api/v1/conversations/{id}/transcript/email): an
	// SMTP server is configured. Absent, the client hides the option.
	TranscriptEmail bool `json:"transcript_email,omitempty"`
	// Conversations are the caller's open conversations: a customer's own, an
	// agent's assigned ones and the queued ones of the agent's teams.
	Conversations []Conversation `json:"conversations"`
}

// Roles of a User.
const (
	RoleCustomer   = "customer"
	RoleAgent      = "agent"
	RoleSupervisor = "supervisor"
	RoleAdmin      = "admin"
	RoleBot        = "bot"
	RoleSystem     = "system"
)

// User is an authenticated participant.
type User struct {
	ID    string   `json:"id"`
	Role  string   `json:"role"`
	Name  string   `json:"name"`
	Teams []string `json:"teams,omitempty"`
}

// OpenData asks for the customer's open conversation, creating one if there is
// none. Ext carries the business fields the page passed (source page, order
// number, ticket number, any key); they are merged into the conversation's.
type OpenData struct {
	Ext    map[string]string `json:"ext,omitempty"`
	Locale string            `json:"locale,omitempty"`
}

// Agent statuses named in StatusData. An agent with no connection is offline;
// a connection starts online, and the status lasts while the agent has a
// connection (it is not stored).
const (
	StatusOnline  = "online"  // receives offers and may pick from the queue
	StatusAway    = "away"    // keeps their conversations but receives no offers
	StatusOffline = "offline" // as away, and shown as offline to supervisors
)

// StatusData sets (request) or reports (reply) the caller's routing status:
// one of StatusOnline, StatusAway, StatusOffline. The status applies to all
// of the agent's connections.
type StatusData struct {
	Status string `json:"status"`
	// Reason is set on a status the server pushed on its own:
	// StatusReasonMissedOffers when it set the agent away for letting
	// offers expire unanswered.
	Reason string `json:"reason,omitempty"`
}

// StatusReasonMissedOffers is the Reason of an away the server set after
// an agent let MissedOffersAway offers in a row expire.
const StatusReasonMissedOffers = "missed_offers"

// TransferData passes a conversation on. Exactly one of ToAgentID and
// ToTeam is set. Note is shown to agents only (an internal message).
//
// To an agent: the agent is offered the conversation and accepts (accept)
// or declines (decline) before the offer timeout; until then it stays with
// the sender, and a decline or timeout leaves it there with a notice. To a
// team: it goes back to that team's queue at once.
type TransferData struct {
	ConversationID string `json:"conversation_id"`
	ToAgentID      string `json:"to_agent_id,omitempty"`
	ToTeam         string `json:"to_team,omitempty"`
	Note           string `json:"note,omitempty"`
}

// RateData is the customer's rating of a resolved conversation: Score 1–5
// and an optional comment (at most MaxRatingCommentRunes). A conversation
// is rated once, while it is resolved (before it closes).
type RateData struct {
	ConversationID string `json:"conversation_id"`
	Score          int    `json:"score"`
	Comment        string `json:"comment,omitempty"`
}

// Handoff triggers: why the bot handed over, as a fixed word.
const (
	TriggerAsked          = "asked"              // the customer asked for a person
	TriggerLowConfidence  = "low_confidence"     // consecutive answers the bot was unsure of
	TriggerNegative       = "negative_sentiment" // complaint or angry words
	TriggerVIP            = "vip_customer"       // a VIP customer (ext vip=true)
	TriggerRule           = "rule"               // a configured rule fired
	TriggerBotUnavailable = "bot_unavailable"    // the bot failed or ran out of time
	TriggerReopened       = "reopened"           // the customer wrote to a resolved conversation
	TriggerOther          = "other"              // the bot handed over for a reason of its own
)

// HandoffPacket is what the bot hands over with a conversation: why, what
// the customer wanted, and what the bot already learned.
type HandoffPacket struct {
	Trigger string `json:"trigger"`
	// Reason is the trigger in words (a rule's own reason, for example).
	Reason string `json:"reason,omitempty"`
	// Intent is the knowledge base entry the customer's messages matched
	// best, Confidence the bot's confidence in it (0–1).
	Intent     string  `json:"intent,omitempty"`
	Confidence float64 `json:"confidence"`
	// IntentLabel names the intent for people, by language ("zh", "en"):
	// the knowledge base entry's first sample question. Absent when the
	// bot has no knowledge base or the entry is gone.
	IntentLabel map[string]string `json:"intent_label,omitempty"`
	Locale      string            `json:"locale,omitempty"`
	// Collected are facts the bot picked out of the customer's messages:
	// order_no, email, phone.
	Collected map[string]string `json:"collected,omitempty"`
	// Summary quotes the customer's latest messages before the handoff, in
	// their own words (packets stored before the counts below existed
	// also carry the counts in English here).
	Summary string `json:"summary,omitempty"`
	// CustomerMessages counts the customer's text messages before the
	// handoff; BotAnswered the bot's answers from the knowledge base and
	// BotUnsure its replies without one. Clients word them in the agent's
	// language.
	CustomerMessages int `json:"customer_messages"`
	BotAnswered      int `json:"bot_answered"`
	BotUnsure        int `json:"bot_unsure"`
	// PreviousAgentID is the agent who served the customer last (in this
	// conversation before it was reopened, or in their previous one):
	// routing offers them the conversation first when they can take it.
	PreviousAgentID   string `json:"previous_agent_id,omitempty"`
	PreviousAgentName string `json:"previous_agent_name,omitempty"`
	At                int64  `json:"at"` // unix milliseconds
}

// Profile is what is known about a customer.
type Profile struct {
	ID        string `json:"id"`
	Name      string `json:"name"`
	CreatedAt int64  `json:"created_at"`
	// Conversations counts all of the customer's conversations, this one
	// included.
	Conversations int `json:"conversations"`
}

// PastConversation is one of a customer's earlier conversations.
type PastConversation struct {
	ID            string `json:"id"`
	State         string `json:"state"`
	Team          string `json:"team,omitempty"`
	AssigneeName  string `json:"assignee_name,omitempty"`
	HandoffReason string `json:"handoff_reason,omitempty"`
	LastText      string `json:"last_text,omitempty"`
	Rating        int    `json:"rating,omitempty"`
	CreatedAt     int64  `json:"created_at"`
	UpdatedAt     int64  `json:"updated_at"`
}

// ContextData answers context: everything an agent needs to pick up a
// conversation without asking the customer again. Packet is nil when the
// conversation never went through a handoff. Previous lists the customer's
// other conversations, newest first (at most 20).
type ContextData struct {
	ConversationID string            `json:"conversation_id"`
	Packet         *HandoffPacket    `json:"packet,omitempty"`
	Customer       Profile           `json:"customer"`
	Ext            map[string]string `json:"ext,omitempty"`
	// Verified are the fields the customer's identity token vouched for
	// (as Conversation.Verified).
	Verified map[string]string  `json:"verified,omitempty"`
	Previous []PastConversation `json:"previous"`
	// Tags are the conversation's tags (as Conversation.Tags); Notes the
	// customer's notes from all their conversations, newest first (at
	// most MaxContextNotes).
	Tags  []string       `json:"tags,omitempty"`
	Notes []CustomerNote `json:"notes,omitempty"`
}

// TagData changes a conversation's tags: Remove are taken away, then Add
// are added. Tags are normalized by NormalizeTag and compared by TagKey
// (case-insensitively): adding a tag the conversation has in another
// spelling keeps the stored spelling, and removing one it does not have
// changes nothing. A conversation has at most MaxTags tags.
type TagData struct {
	ConversationID string   `json:"conversation_id"`
	Add            []string `json:"add,omitempty"`
	Remove         []string `json:"remove,omitempty"`
}

// CustomerNoteData writes a note about the customer of a conversation. The
// note belongs to the customer: it shows in the context of every one of
// their conversations, to staff only. Text is trimmed and must then hold 1
// to MaxCustomerNoteRunes characters.
type CustomerNoteData struct {
	ConversationID string `json:"conversation_id"`
	Text           string `json:"text"`
}

// CustomerNote is a stored note about a customer, and the reply to
// customer_note.
type CustomerNote struct {
	ID         string `json:"id"`
	CustomerID string `json:"customer_id"`
	AuthorID   string `json:"author_id"`
	AuthorName string `json:"author_name"`
	Text       string `json:"text"`
	CreatedAt  int64  `json:"created_at"` // unix milliseconds
}

// AgentInfo is an agent as the transfer dialog shows them.
type AgentInfo struct {
	ID       string   `json:"id"`
	Name     string   `json:"name"`
	Role     string   `json:"role"`
	Status   string   `json:"status"` // StatusOnline, StatusAway or StatusOffline
	Load     int      `json:"load"`   // conversations worked plus offers pending
	Capacity int      `json:"capacity"`
	Teams    []string `json:"teams"`
	Skills   []string `json:"skills,omitempty"`
}

// TeamInfo is a team as the transfer dialog shows it.
type TeamInfo struct {
	ID           string   `json:"id"`
	Name         string   `json:"name"`
	Skills       []string `json:"skills,omitempty"`
	QueueLength  int      `json:"queue_length"`
	AgentsOnline int      `json:"agents_online"`
}

// DirectoryData answers directory.
type DirectoryData struct {
	Agents []AgentInfo `json:"agents"`
	Teams  []TeamInfo  `json:"teams"`
}

// QueueInfo tells a customer where their queued conversation stands.
// Position is 1 for the next conversation to be taken. ExpectedWaitMS is an
// estimate (0 when none can be made). Open is false when no agent who could
// take it is online or it is outside business hours: the customer is told
// so and invited to leave a message, which stays queued for the next agent.
type QueueInfo struct {
	ConversationID string `json:"conversation_id"`
	Position       int    `json:"position"`
	ExpectedWaitMS int64  `json:"expected_wait_ms"`
	AgentsOnline   int    `json:"agents_online"`
	Open           bool   `json:"open"`
	// BusinessHours is false outside the configured business hours.
	BusinessHours bool `json:"business_hours"`
}

// Ext keys of a message left while no agent was available (set by the
// widget; shown to agents).
const (
	ExtLeftMessage = "left_message" // "true"
	ExtContact     = "contact"      // how to reach the customer back
)

// ConversationRef names one conversation.
type ConversationRef struct {
	ConversationID string `json:"conversation_id"`
}

// Message kinds.
const (
	KindText  = "text"
	KindEvent = "event" // a system event: state change, handoff, assignment
	// KindImage, KindFile and KindVoice carry an Attachment (an upload the
	// sender finished, see docs/protocol.md "Files"); Text is an optional
	// caption. An image's type is image/*, a voice message's audio/*; a
	// file may be of any allowed type.
	KindImage = "image"
	KindFile  = "file"
	KindVoice = "voice"
	// KindCard carries a Card: structured content of a registered type
	// (see cards.go), with a plain-text fallback.
	KindCard = "card"
)

// IsAttachmentKind reports whether messages of kind carry an Attachment.
func IsAttachmentKind(kind string) bool {
	return kind == KindImage || kind == KindFile || kind == KindVoice
}

// Attachment describes a stored file as a message carries it. Its content
// is at GET /api/v1/files/{id} and, when HasThumb, a small JPEG preview at
// GET /api/v1/files/{id}/thumb.
type Attachment struct {
	ID   string `json:"id"`
	Name string `json:"name"` // sanitized: no path, no control characters
	Size int64  `json:"size"` // bytes
	MIME string `json:"mime"` // the sniffed type
	// Width and Height are an image's pixel size; DurationMS a voice
	// message's length when known.
	Width      int   `json:"width,omitempty"`
	Height     int   `json:"height,omitempty"`
	DurationMS int64 `json:"duration_ms,omitempty"`
	HasThumb   bool  `json:"has_thumb,omitempty"`
}

// Card is structured content of a registered type and version (see
// CardSchemas). Data is the type's JSON object, validated by the server.
// Fallback is plain text every client can show for a type it does not
// know; the server fills it when the sender leaves it empty.
type Card struct {
	Type     string          `json:"type"`
	Version  int             `json:"version"`
	Data     json.RawMessage `json:"data"`
	Fallback string          `json:"fallback,omitempty"`
}

// CardActionData is an action on the card message CardSeq of a
// conversation. Action is one the card's type declares (see
// CardSchemas); Values are the action's inputs (a rating form's score and
// comment), validated against it. ClientMsgID is the idempotency key of the
// event message the action is stored as.
type CardActionData struct {
	ConversationID string          `json:"conversation_id"`
	ClientMsgID    string          `json:"client_msg_id"`
	CardSeq        int64           `json:"card_seq"`
	Action         string          `json:"action"`
	Values         json.RawMessage `json:"values,omitempty"`
}

// Message visibilities.
const (
	VisibilityPublic   = "public"
	VisibilityInternal = "internal" // agents' private note
)

// SendData posts a message. ClientMsgID is a UUID the sender chooses once per
// message and reuses on every retry: the server stores a message at most once
// per ClientMsgID and answers a retry with the original ack.
type SendData struct {
	ConversationID string            `json:"conversation_id"`
	ClientMsgID    string            `json:"client_msg_id"`
	Kind           string            `json:"kind"`
	Text           string            `json:"text,omitempty"`
	Visibility     string            `json:"visibility,omitempty"`
	Ext            map[string]string `json:"ext,omitempty"`
	// AttachmentID names the finished upload an image, file or voice
	// message carries (Text is then an optional caption).
	AttachmentID string `json:"attachment_id,omitempty"`
	// Card is the content of a card message.
	Card *Card `json:"card,omitempty"`
}

// AckData answers send once the message is durably stored.
type AckData struct {
	ConversationID string `json:"conversation_id"`
	ClientMsgID    string `json:"client_msg_id"`
	Seq            int64  `json:"seq"`
	Epoch          int64  `json:"epoch"`
	CreatedAt      int64  `json:"created_at"`
	// Duplicate is true when the ClientMsgID was already stored: Seq is the
	// original message's and nothing new was written.
	Duplicate bool `json:"duplicate,omitempty"`
}

// SyncData reads a page of a conversation's messages, oldest first. Without
// BeforeSeq it returns the first Limit messages with seq > AfterSeq (resume,
// gap fill); with BeforeSeq it returns the last Limit messages with
// AfterSeq < seq < BeforeSeq (scrollback), and HasMore says there are older
// ones in that range.
type SyncData struct {
	ConversationID string `json:"conversation_id"`
	AfterSeq       int64  `json:"after_seq"`
	BeforeSeq      int64  `json:"before_seq,omitempty"`
	Limit          int    `json:"limit,omitempty"` // default and maximum: 500
}

// HistoryData answers sync. HasMore is true when the range asked for holds
// more messages than were returned: newer ones after the last (after_seq
// paging) or older ones before the first (before_seq paging).
type HistoryData struct {
	ConversationID string    `json:"conversation_id"`
	Epoch          int64     `json:"epoch"`
	Messages       []Message `json:"messages"`
	HasMore        bool      `json:"has_more"`
}

// ReadData moves the caller's read cursor in a conversation to Seq: every
// message up to Seq has been seen. The cursor is durable and never moves
// back; a Seq below it is accepted and changes nothing.
type ReadData struct {
	ConversationID string `json:"conversation_id"`
	Seq            int64  `json:"seq"`
}

// ReadReceipt answers read with the cursor as stored, and is pushed to the
// conversation's other participants when a cursor moves.
type ReadReceipt struct {
	ConversationID string `json:"conversation_id"`
	Reader         Sender `json:"reader"`
	Seq            int64  `json:"seq"`
}

// TypingData says whether the caller is typing in a conversation. It is
// ephemeral: never stored, never answered on success, dropped silently
// beyond a few per second.
type TypingData struct {
	ConversationID string `json:"conversation_id"`
	Active         bool   `json:"active"`
}

// PresencePush tells a conversation's other participants that User's first
// connection opened (Online) or last one closed. It is ephemeral: worked out
// from live connections, never stored, sent only on a change.
type PresencePush struct {
	ConversationID string `json:"conversation_id"`
	User           Sender `json:"user"`
	Online         bool   `json:"online"`
}

// TypingPush tells a conversation's other participants who is typing.
type TypingPush struct {
	ConversationID string `json:"conversation_id"`
	Sender         Sender `json:"sender"`
	Active         bool   `json:"active"`
}

// List filters.
const (
	ListMine  = "mine"
	ListQueue = "queue"
	// ListTeams is every conversation a supervisor's teams hold (an
	// admin's: every team's) that people work on: queued, active or
	// waiting for the customer; narrowed by ListData's other fields.
	ListTeams = "teams"
)

// ListData asks for conversations by filter. Team, AgentID, States and
// WaitingOverMS narrow the ListTeams filter only (together: all must hold).
type ListData struct {
	Filter string `json:"filter"`
	// Team keeps one of the caller's teams.
	Team string `json:"team,omitempty"`
	// AgentID keeps the conversations assigned to that agent.
	AgentID string `json:"agent_id,omitempty"`
	// States keeps these states (of queued, active, waiting_customer).
	States []string `json:"states,omitempty"`
	// WaitingOverMS keeps queued conversations that have waited in the
	// queue longer than this many milliseconds.
	WaitingOverMS int64 `json:"waiting_over_ms,omitempty"`
}

// ConversationList answers list.
type ConversationList struct {
	Filter        string         `json:"filter"`
	Conversations []Conversation `json:"conversations"`
}

// Sender says who wrote a message.
type Sender struct {
	Role string `json:"role"`
	ID   string `json:"id,omitempty"`
	Name string `json:"name,omitempty"`
}

// Message is one stored message of a conversation.
type Message struct {
	ConversationID string `json:"conversation_id"`
	Seq            int64  `json:"seq"`
	ClientMsgID    string `json:"client_msg_id"`
	Sender         Sender `json:"sender"`
	Kind           string `json:"kind"`
	Visibility     string `json:"visibility"`
	Text           string `json:"text,omitempty"`
	Event          *Event `json:"event,omitempty"`
	// Attachment is the file of an image, file or voice message; Card the
	// content of a card message.
	Attachment *Attachment `json:"attachment,omitempty"`
	Card       *Card       `json:"card,omitempty"`
	// QuickReplies are answers the bot suggests; a client shows them as
	// buttons under the newest bot message and sends the chosen one as text.
	QuickReplies []string          `json:"quick_replies,omitempty"`
	Ext          map[string]string `json:"ext,omitempty"`
	CreatedAt    int64             `json:"created_at"` // unix milliseconds
}

// Event types of a KindEvent message, one per state machine event (see
// docs/protocol.md). Clients show a type they do not know as a neutral line.
const (
	EventOpened   = "opened"   // open: a new conversation, with the bot
	EventHandoff  = "handoff"  // handoff: bot → queued
	EventAssigned = "assigned" // accept: queued → active
	// EventWaiting is the idle timer: the customer went quiet, active →
	// waiting_customer.
	EventWaiting = "waiting"
	// EventResumed is the customer writing again: waiting_customer → active.
	EventResumed = "resumed"
	// EventResolved is resolve by an agent, or auto_resolve (Reason
	// ReasonNoReply) when the customer never came back.
	EventResolved = "resolved"
	// EventClosed is the end of the rating and reopen window: resolved →
	// closed.
	EventClosed = "closed"
	// EventReopened is the customer writing to a resolved conversation:
	// resolved → queued (an agent had it) or bot.
	EventReopened = "reopened"
	// EventTransferred is the assignee sending it to a team: active → queued.
	EventTransferred = "transferred"
	// EventHandedBack is the assignee giving it back to the bot: active → bot.
	EventHandedBack = "handed_back"
	// EventOffered is an offer to an agent (Actor): internal. Reason names
	// the agent offered to.
	EventOffered = "offered"
	// EventDeclined is the offered agent refusing: internal.
	EventDeclined = "declined"
	// EventOfferExpired is an offer running out unanswered, or withdrawn
	// because the agent went away or offline: internal.
	EventOfferExpired = "offer_expired"
	// EventTransferRequested is the assignee offering the conversation to
	// another agent (Reason: their name): internal.
	EventTransferRequested = "transfer_requested"
	// EventTransferAccepted is the agent taking a transferred conversation:
	// public (the customer is told who they are talking to now).
	EventTransferAccepted = "transfer_accepted"
	// EventRated is the customer's rating (Reason: the score): public.
	EventRated = "rated"
	// EventCardAction is an action on a card (CardActionData): CardSeq,
	// CardType, Action and Values say which and with what; public.
	EventCardAction = "card_action"
)

// ReasonNoReply is the Reason of a resolved event the auto-resolve timer
// wrote.
const ReasonNoReply = "no_reply"

// Event is the body of a KindEvent message: a state change of the conversation.
type Event struct {
	Type   string `json:"type"`
	From   string `json:"from,omitempty"` // state before
	To     string `json:"to,omitempty"`   // state after
	Reason string `json:"reason,omitempty"`
	Actor  string `json:"actor,omitempty"` // display name of who caused it
	// The fields of an EventCardAction: the card message acted on, its
	// type, the action and its validated inputs.
	CardSeq  int64           `json:"card_seq,omitempty"`
	CardType string          `json:"card_type,omitempty"`
	Action   string          `json:"action,omitempty"`
	Values   json.RawMessage `json:"values,omitempty"`
}

// Conversation states.
const (
	StateBot             = "bot"
	StateQueued          = "queued"
	StateActive          = "active"
	StateWaitingCustomer = "waiting_customer"
	StateResolved        = "resolved"
	StateClosed          = "closed"
)

// Conversation is a conversation's current state.
type Conversation struct {
	ID            string `json:"id"`
	CustomerID    string `json:"customer_id"`
	CustomerName  string `json:"customer_name"`
	Channel       string `json:"channel"`
	State         string `json:"state"`
	Team          string `json:"team,omitempty"`
	AssigneeID    string `json:"assignee_id,omitempty"`
	AssigneeName  string `json:"assignee_name,omitempty"`
	HandoffReason string `json:"handoff_reason,omitempty"`
	// Ext are the business fields the page passed: unverified, shown as
	// such. Verified are those a signed identity token vouched for (see
	// docs/protocol.md, "Customer identity"); a key in both is shown with
	// the verified value.
	Ext      map[string]string `json:"ext,omitempty"`
	Verified map[string]string `json:"verified,omitempty"`
	Epoch    int64             `json:"epoch"`
	LastSeq  int64             `json:"last_seq"`
	LastText string            `json:"last_text,omitempty"`
	// CustomerReadSeq is the customer's read cursor: the customer has seen
	// every message up to it. AgentReadSeq is the assignee's.
	CustomerReadSeq int64 `json:"customer_read_seq"`
	AgentReadSeq    int64 `json:"agent_read_seq"`
	// Priority orders the queue, highest first (1 for a VIP customer).
	Priority int `json:"priority,omitempty"`
	// QueuedAt is when the conversation last entered the queue (unix ms);
	// waiting time counts from it.
	QueuedAt int64 `json:"queued_at,omitempty"`
	// OfferAgentID is the agent the conversation is offered to, until
	// OfferExpiresAt (unix ms): a queued conversation routed to them, or
	// (TransferFromID set) one its assignee is transferring to them.
	OfferAgentID   string `json:"offer_agent_id,omitempty"`
	OfferAgentName string `json:"offer_agent_name,omitempty"`
	OfferExpiresAt int64  `json:"offer_expires_at,omitempty"`
	TransferFromID string `json:"transfer_from_id,omitempty"`
	// Rating is the customer's score (1–5; 0: not rated), with their comment.
	Rating        int    `json:"rating,omitempty"`
	RatingComment string `json:"rating_comment,omitempty"`
	// Tags are the conversation's tags, normalized (see TagData) and
	// sorted by SortTags. They are staff's labels: the server leaves them
	// out of every conversation it sends a customer.
	Tags []string `json:"tags,omitempty"`
	// Joined are the supervisors who barged in (join) and may write next
	// to the assignee.
	Joined []Sender `json:"joined,omitempty"`
	// AssistAt is when the assignee asked the supervisors for help (unix
	// ms; 0: no request up). Staff only.
	AssistAt int64 `json:"assist_at,omitempty"`
	// AssignedAt is when the current assignee got the conversation,
	// FirstReplyAt when they first replied publicly since (0: not yet),
	// AwaitingSince when the customer's oldest unanswered message was
	// written (0: none unanswered). Staff only.
	AssignedAt    int64 `json:"assigned_at,omitempty"`
	FirstReplyAt  int64 `json:"first_reply_at,omitempty"`
	AwaitingSince int64 `json:"awaiting_since,omitempty"`
	CreatedAt     int64 `json:"created_at"`
	UpdatedAt     int64 `json:"updated_at"`
}
