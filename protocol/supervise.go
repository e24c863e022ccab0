package protocol

// Supervision: the frames of supervisors working the floor (the floor view,
// silent monitor with draft peek, whisper, barge-in, take over, reassign)
// and of agents asking them for help (assist). None of them ever reaches a
// customer: the server sends these frames to staff connections only, and a
// whisper is a message a customer never reads (see VisibilityWhisper).

// Frame types of supervision, sent by clients. Each is answered by a frame
// of the same type unless its comment says otherwise.
const (
	// TypeFloor (FloorRequest) starts (Watch true) or stops following the
	// floor of the caller's teams (an admin's: every team). The reply and
	// every push after it are FloorData; pushes follow a change within a
	// second and come at most a few times a second. Supervisors and admins
	// only.
	TypeFloor = "floor"
	// TypeMonitor (MonitorData) starts or stops a silent monitor of one
	// conversation: the caller receives its messages, including whispers
	// and internal notes, and the agent's draft, while the customer sees
	// nothing. The reply is MonitorState; the conversation's staff readers
	// are pushed a MonitorState too, so the agent sees who monitors them.
	TypeMonitor = "monitor"
	// TypeDraft (DraftData) is the assignee's composer text while their
	// conversation is monitored. It is ephemeral: never stored, never
	// answered on success, passed to the monitors only (pushed as
	// DraftPush), dropped beyond a few per second.
	TypeDraft = "draft"
	// TypeJoin (ConversationRef) is barge-in: the supervisor joins the
	// conversation visibly (a public "joined" event) and may then send
	// public messages next to the assignee. The reply is the Conversation.
	TypeJoin = "join"
	// TypeLeave (ConversationRef) ends a barge-in (a public "left" event).
	// The reply is the Conversation.
	TypeLeave = "leave"
	// TypeTakeOver (ConversationRef): the supervisor becomes the
	// conversation's assignee (a "taken_over" event; the agent it was
	// taken from is pushed the change). A conversation a supervisor or
	// admin works is not taken from them. The reply is the Conversation.
	TypeTakeOver = "take_over"
	// TypeReassign (ReassignData): a supervisor gives a conversation of
	// their team to an agent at once (no offer) or sends it to a team's
	// queue. The reply is the Conversation.
	TypeReassign = "reassign"
	// TypeAssist (AssistData): the assignee raises (On) or lowers a flag
	// asking the team's supervisors for help. Supervisors are pushed an
	// AssistPush; the flag (Conversation.AssistAt) stays up until a
	// supervisor answers by monitoring, joining or taking over, or the
	// agent lowers it. The reply is the Conversation.
	TypeAssist = "assist"
)

// VisibilityWhisper is a message between a supervisor and the agent: stored
// and read by staff, never by the customer (not live, not in sync, not on
// resume, not in transcripts, exports or webhooks). The conversation's
// team's supervisors and admins whisper in it while it is queued or worked;
// its assignee whispers back while it is worked.
const VisibilityWhisper = "whisper"

// Event types of supervision (KindEvent messages; see Event).
const (
	// EventJoined is a supervisor (Actor) barging in: public.
	EventJoined = "joined"
	// EventLeft is a supervisor (Actor) who had joined leaving: public.
	EventLeft = "left"
	// EventTakenOver is a supervisor (Actor) becoming the assignee (Reason:
	// the agent it was taken from): public, as the customer is now served
	// by someone else.
	EventTakenOver = "taken_over"
	// EventReassigned is a supervisor (Actor) giving the conversation to
	// an agent (Reason: their name): public.
	EventReassigned = "reassigned"
	// EventAssistRaised and EventAssistAnswered are the assignee asking for
	// help and a supervisor (Actor) answering: internal.
	EventAssistRaised   = "assist_raised"
	EventAssistAnswered = "assist_answered"
	// EventAssistLowered is the assignee withdrawing their request: internal.
	EventAssistLowered = "assist_lowered"
)

// FloorRequest starts or stops the floor subscription.
type FloorRequest struct {
	Watch bool `json:"watch"`
}

// SLA are a team's service-level thresholds, in milliseconds; 0 means none.
// Wait counts from entering the queue to being accepted, FirstResponse from
// being accepted to the assignee's first public reply, NextResponse from the
// customer's oldest unanswered message to the next public reply of staff.
type SLA struct {
	FirstResponseMS int64 `json:"first_response_ms"`
	WaitMS          int64 `json:"wait_ms"`
	NextResponseMS  int64 `json:"next_response_ms"`
}

// FloorData is the floor as a supervisor sees it at At (unix ms): their
// teams, the agents of those teams, and the conversations those agents
// work. It is the reply to floor and every push after it, complete each
// time (a client replaces what it had).
type FloorData struct {
	At     int64        `json:"at"`
	Teams  []FloorTeam  `json:"teams"`
	Agents []FloorAgent `json:"agents"`
}

// FloorTeam are one team's figures. Waits are of the conversations queued
// now; QueueOverSLA counts those waiting longer than SLA.WaitMS;
// ResponseOverSLA counts worked conversations past SLA.FirstResponseMS (no
// reply yet since accepted) or SLA.NextResponseMS (customer unanswered).
type FloorTeam struct {
	ID              string `json:"id"`
	Name            string `json:"name"`
	SLA             SLA    `json:"sla"`
	Queue           int    `json:"queue"`
	LongestWaitMS   int64  `json:"longest_wait_ms"`
	MedianWaitMS    int64  `json:"median_wait_ms"`
	QueueOverSLA    int    `json:"queue_over_sla"`
	ResponseOverSLA int    `json:"response_over_sla"`
	OffersOut       int    `json:"offers_out"`
	AgentsOnline    int    `json:"agents_online"`
	AgentsAway      int    `json:"agents_away"`
	AgentsOffline   int    `json:"agents_offline"`
	Load            int    `json:"load"`
	Capacity        int    `json:"capacity"`
	MissedOffers    int    `json:"missed_offers"`
	// Assists counts the team's conversations whose agent asked for help
	// and has not been answered.
	Assists int `json:"assists"`
	// History samples the queue over the last hour, oldest first, about
	// once a minute.
	History []FloorSample `json:"history"`
}

// FloorSample is a team's queue at one moment.
type FloorSample struct {
	At            int64 `json:"at"`
	Queue         int   `json:"queue"`
	LongestWaitMS int64 `json:"longest_wait_ms"`
}

// FloorAgent is one agent (or supervisor) of the caller's teams.
type FloorAgent struct {
	ID    string   `json:"id"`
	Name  string   `json:"name"`
	Role  string   `json:"role"`
	Teams []string `json:"teams"`
	// Status is StatusOnline, StatusAway or StatusOffline, since
	// StatusSince (unix ms; 0 when unknown, as for someone offline since
	// before the server started).
	Status      string `json:"status"`
	StatusSince int64  `json:"status_since,omitempty"`
	Load        int    `json:"load"`
	Capacity    int    `json:"capacity"`
	// MissedOffers counts the offers that expired unanswered since the
	// agent last came online; AutoAway is set when the server set them away
	// for missing offers.
	MissedOffers  int                 `json:"missed_offers"`
	AutoAway      bool                `json:"auto_away,omitempty"`
	Conversations []FloorConversation `json:"conversations"`
}

// FloorConversation is a conversation an agent works, as the floor shows it.
type FloorConversation struct {
	ID           string `json:"id"`
	CustomerName string `json:"customer_name"`
	State        string `json:"state"`
	Team         string `json:"team,omitempty"`
	// AwaitingMS is how long the customer's oldest unanswered message has
	// waited (0: nothing unanswered). FirstResponseMS is how long the
	// assignee took to first reply, or has been taking (Responded false).
	AwaitingMS      int64 `json:"awaiting_ms"`
	FirstResponseMS int64 `json:"first_response_ms"`
	Responded       bool  `json:"responded"`
	// OverSLA names the thresholds this conversation is past:
	// "first_response", "next_response".
	OverSLA   []string `json:"over_sla,omitempty"`
	Monitored bool     `json:"monitored,omitempty"`
	Assist    bool     `json:"assist,omitempty"`
}

// MonitorData starts (On) or stops a silent monitor.
type MonitorData struct {
	ConversationID string `json:"conversation_id"`
	On             bool   `json:"on"`
}

// MonitorState answers monitor, and is pushed to a conversation's staff
// readers whenever its monitors change: who monitors it now.
type MonitorState struct {
	ConversationID string   `json:"conversation_id"`
	Monitors       []Sender `json:"monitors"`
}

// DraftData is the assignee's composer text (at most MaxTextRunes
// characters); an empty Text says the composer was cleared.
type DraftData struct {
	ConversationID string `json:"conversation_id"`
	Text           string `json:"text"`
}

// DraftPush passes an agent's draft to the conversation's monitors.
type DraftPush struct {
	ConversationID string `json:"conversation_id"`
	Sender         Sender `json:"sender"`
	Text           string `json:"text"`
	At             int64  `json:"at"` // unix ms
}

// ReassignData gives a conversation to an agent (ToAgentID, at once) or to a
// team's queue (ToTeam). Exactly one is set. Note is an internal message.
type ReassignData struct {
	ConversationID string `json:"conversation_id"`
	ToAgentID      string `json:"to_agent_id,omitempty"`
	ToTeam         string `json:"to_team,omitempty"`
	Note           string `json:"note,omitempty"`
}

// AssistData raises (On) or lowers the assignee's request for help.
type AssistData struct {
	ConversationID string `json:"conversation_id"`
	On             bool   `json:"on"`
}

// AssistPush tells a team's supervisors that an agent asks for help with a
// conversation (Active), or that the request ended (answered by Answerer,
// or lowered). Clients alert until it ends.
type AssistPush struct {
	ConversationID string `json:"conversation_id"`
	Team           string `json:"team,omitempty"`
	Agent          Sender `json:"agent"`
	CustomerName   string `json:"customer_name,omitempty"`
	Active         bool   `json:"active"`
	Answerer       string `json:"answerer,omitempty"`
	At             int64  `json:"at"` // unix ms
}

// TypeStatus is also pushed (StatusData with Auto) when the server changes
// an agent's status on its own: away after missing offers.
