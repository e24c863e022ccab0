package protocol

// The bot's learning loop: customers say whether a bot answer helped; the
// questions the bot missed are grouped into a report that supervisors work
// through, turning them into sample questions or new entries of the
// knowledge base; every edit of the knowledge base is a new version, and
// any version can be brought back.

// Frame types of the learning loop, sent by clients. Each is answered by a
// frame of the same type unless its comment says otherwise.
const (
	// TypeBotFeedback (BotFeedbackData): the customer says whether a bot
	// answer from the knowledge base (a bot text message with an ext
	// kb_entry) helped. Customers only, on a message of their own
	// conversation; a second verdict on the same message replaces the
	// first. An unhelpful answer puts the question it answered into the
	// report. The reply is the BotFeedbackData as stored.
	TypeBotFeedback = "bot_feedback"
	// TypeBotReport (BotReportRequest): the unanswered-questions report,
	// grouped by similarity, largest group first. Supervisors and admins.
	// The reply is BotReport.
	TypeBotReport = "bot_report"
	// TypeKB (KBRequest): the knowledge base as it is now, with its
	// version, and the list of earlier versions when asked. Supervisors
	// and admins. The reply is KBData.
	TypeKB = "kb"
	// TypeKBEdit (KBEditData): one change to the knowledge base or the
	// report (see the KBOp constants). Every change of the knowledge base
	// is stored as a new version and reaches every node's bot at once.
	// BaseVersion must be the current version (else conflict: someone
	// else edited first; read it again). Supervisors and admins; each edit
	// is in the audit log. The reply is KBData with the new version.
	TypeKBEdit = "kb_edit"
)

// Why a customer's question is in the report.
const (
	// MissUnsure: the bot did not understand it and offered quick replies.
	MissUnsure = "unsure"
	// MissHandedOver: the conversation went to a person after it (the
	// customer's last question before a handoff the bot did not choose
	// from the knowledge base: low confidence, asked, complaint).
	MissHandedOver = "handed_over"
	// MissAskedAgain: the bot answered it and the customer asked the same
	// again right after.
	MissAskedAgain = "asked_again"
	// MissUnhelpful: the customer said the answer did not help.
	MissUnhelpful = "unhelpful"
)

// BotFeedbackData is a customer's verdict on one bot answer.
type BotFeedbackData struct {
	ConversationID string `json:"conversation_id"`
	// Seq is the bot message's seq.
	Seq     int64 `json:"seq"`
	Helpful bool  `json:"helpful"`
}

// BotReportRequest asks for the unanswered-questions report.
type BotReportRequest struct {
	// Limit caps the groups returned: default 50, at most 200.
	Limit int `json:"limit,omitempty"`
}

// BotReport is the unanswered-questions report.
type BotReport struct {
	// Open counts the questions in the report, in every group.
	Open   int         `json:"open"`
	Groups []MissGroup `json:"groups"`
	// KBVersion is the knowledge base's version the suggestions come from.
	KBVersion int64 `json:"kb_version"`
}

// MissGroup is a set of similar questions the bot missed.
type MissGroup struct {
	// ID is stable while the group's oldest question is in it.
	ID    string `json:"id"`
	Count int    `json:"count"`
	// Questions are the group's questions, newest first, at most 20.
	Questions []MissQuestion `json:"questions"`
	// Reasons counts the group's questions by Miss constant.
	Reasons map[string]int `json:"reasons"`
	// Locale is the language most of its questions are in: "zh" or "en".
	Locale string `json:"locale"`
	// Suggestions are the knowledge base entries that come closest, best
	// first, at most three: where the questions may belong.
	Suggestions []KBSuggestion `json:"suggestions,omitempty"`
	// Draft is what an agent answered to one of the group's questions in a
	// conversation handed over: a draft for a new entry's answer.
	Draft  *MissDraft `json:"draft,omitempty"`
	LastAt int64      `json:"last_at"` // unix milliseconds
}

// MissQuestion is one question in the report.
type MissQuestion struct {
	ID             string `json:"id"`
	ConversationID string `json:"conversation_id"`
	Seq            int64  `json:"seq"` // the customer message
	Text           string `json:"text"`
	Locale         string `json:"locale"`
	Reason         string `json:"reason"`
	At             int64  `json:"at"` // unix milliseconds
}

// KBSuggestion is a knowledge base entry proposed for a group.
type KBSuggestion struct {
	EntryID string `json:"entry_id"`
	// Label is the entry's first sample question in the group's language.
	Label string  `json:"label"`
	Score float64 `json:"score"`
}

// MissDraft is an agent's reply offered as a draft answer.
type MissDraft struct {
	Text           string `json:"text"`
	ConversationID string `json:"conversation_id"`
	Seq            int64  `json:"seq"`
	AgentName      string `json:"agent_name,omitempty"`
}

// KBRequest asks for the knowledge base.
type KBRequest struct {
	// History also lists the versions, newest first (at most 100).
	History bool `json:"history,omitempty"`
}

// KBData is the knowledge base as it is now.
type KBData struct {
	Version int64     `json:"version"`
	Entries []KBEntry `json:"entries"`
	// History is there when asked for.
	History []KBVersion `json:"history,omitempty"`
}

// KBEntry is one entry of the knowledge base, as in kb.json.
type KBEntry struct {
	ID        string      `json:"id"`
	Team      string      `json:"team"`
	Questions KBQuestions `json:"questions"`
	Answer    KBText      `json:"answer"`
}

// KBQuestions are an entry's sample questions by language.
type KBQuestions struct {
	ZH []string `json:"zh"`
	EN []string `json:"en"`
}

// KBText is a text in both languages.
type KBText struct {
	ZH string `json:"zh"`
	EN string `json:"en"`
}

// KBVersion describes one version of the knowledge base.
type KBVersion struct {
	Version int64 `json:"version"`
	At      int64 `json:"at"` // unix milliseconds
	// Author is who made it: a staff member's name, or "cli".
	Author string `json:"author"`
	// Summary says what changed, e.g. "add question to shipping-fee".
	Summary string `json:"summary"`
	Entries int    `json:"entries"`
}

// Operations of kb_edit.
const (
	// KBOpAddQuestion adds Question in Locale to entry EntryID.
	KBOpAddQuestion = "add_question"
	// KBOpCreateEntry adds Entry (a new id).
	KBOpCreateEntry = "create_entry"
	// KBOpUpdateEntry replaces entry Entry.ID with Entry.
	KBOpUpdateEntry = "update_entry"
	// KBOpDeleteEntry removes entry EntryID.
	KBOpDeleteEntry = "delete_entry"
	// KBOpRollback makes version Version's content the current one again,
	// as a new version.
	KBOpRollback = "rollback"
	// KBOpDismiss takes MissIDs out of the report without changing the
	// knowledge base (BaseVersion is not checked).
	KBOpDismiss = "dismiss"
)

// KBEditData is one edit of the knowledge base.
type KBEditData struct {
	Op          string   `json:"op"`
	BaseVersion int64    `json:"base_version"`
	EntryID     string   `json:"entry_id,omitempty"`
	Locale      string   `json:"locale,omitempty"`
	Question    string   `json:"question,omitempty"`
	Entry       *KBEntry `json:"entry,omitempty"`
	Version     int64    `json:"version,omitempty"`
	// MissIDs are report questions the edit answers: they leave the
	// report with it.
	MissIDs []string `json:"miss_ids,omitempty"`
}
