package protocol

// AuditPath is the admin endpoint that reads the audit log:
// GET AuditPath?actor=&conversation=&action=&since=&until=&after=&limit=,
// with the Bearer token of an admin.
const AuditPath = "/api/v1/admin/audit"

// MaxAuditPage is the most entries one answer of AuditPath carries; the
// default is DefaultAuditPage.
const (
	MaxAuditPage     = 1000
	DefaultAuditPage = 100
)

// AuditEntry is one entry of the audit log, as the admin endpoint and the
// audit CLI write it. Hash links it to the entry before (see
// docs/operations.md, "Reading the audit log").
type AuditEntry struct {
	ID    int64  `json:"id"`
	TS    int64  `json:"ts"`
	Actor string `json:"actor"`
	// ActorName is the actor's username when the actor is an account.
	ActorName      string `json:"actor_name,omitempty"`
	Action         string `json:"action"`
	ConversationID string `json:"conversation_id,omitempty"`
	Detail         string `json:"detail,omitempty"`
	Hash           string `json:"hash"`
}

// AuditPage is one answer of the admin endpoint: entries in log order.
// When HasMore is true, the next page is asked for with after=NextAfter.
type AuditPage struct {
	Entries   []AuditEntry `json:"entries"`
	HasMore   bool         `json:"has_more"`
	NextAfter int64        `json:"next_after,omitempty"`
}
