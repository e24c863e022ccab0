package store

import "context"

// BotLearning keeps what the bot learns from: the customers' questions it
// missed, the customers' verdicts on its answers, and the versions of the
// knowledge base it answers from.
type BotLearning interface {
	// AddMiss stores a missed question with a new id (m.ID and m.Status are
	// ignored; CreatedAt 0 means now) and returns it with added true. A
	// question already stored for the same message and reason is returned
	// as stored, with added false, and nothing is written.
	AddMiss(ctx context.Context, m Miss) (stored Miss, added bool, err error)
	// Miss returns the missed question with id.
	Miss(ctx context.Context, id string) (Miss, error)
	// OpenMisses returns up to limit (0 means 5000) open missed questions,
	// newest first.
	OpenMisses(ctx context.Context, limit int) ([]Miss, error)
	// CloseMisses closes the open missed questions among ids without a
	// version (a dismissal) and returns how many it closed. Unknown and
	// closed ids are skipped.
	CloseMisses(ctx context.Context, ids []string) (int, error)

	// PutBotFeedback stores a customer's verdict on a bot message,
	// replacing the one stored before for that message. CreatedAt 0 means
	// now. It returns the verdict stored before, if any.
	PutBotFeedback(ctx context.Context, f BotFeedback) (prev *BotFeedback, err error)
	// BotFeedback returns the verdict on a bot message.
	BotFeedback(ctx context.Context, conversationID string, seq int64) (BotFeedback, error)

	// PublishKB stores a new version of the knowledge base, numbered one
	// after the current one, together with p.Settings and the closing of
	// p.CloseMisses, in one transaction. With p.IfVersion set it returns
	// ErrConflict, writing nothing, unless that version is the current one
	// (0: there is none yet).
	PublishKB(ctx context.Context, p KBPublish) (KBVersion, error)
	// KBVersions returns up to limit (0 means 100) versions of the
	// knowledge base, newest first, without their Data.
	KBVersions(ctx context.Context, limit int) ([]KBVersion, error)
	// KBVersion returns the version with its Data.
	KBVersion(ctx context.Context, version int64) (KBVersion, error)
}

// Statuses of a Miss.
const (
	MissOpen   = "open"
	MissClosed = "closed"
)

// Miss is a customer's question the bot missed (protocol.MissUnsure…):
// it waits in the report until an edit of the knowledge base answers it
// or someone dismisses it.
type Miss struct {
	ID             string
	ConversationID string
	// Seq is the customer's message.
	Seq    int64
	Text   string
	Locale string
	Reason string
	Status string
	// ClosedBy is the knowledge base version whose edit closed it; 0 while
	// open or when dismissed.
	ClosedBy  int64
	CreatedAt int64 // unix milliseconds
}

// BotFeedback is a customer's verdict on one bot message.
type BotFeedback struct {
	ConversationID string
	Seq            int64
	CustomerID     string
	Helpful        bool
	CreatedAt      int64 // unix milliseconds
}

// KBVersion is one version of the knowledge base.
type KBVersion struct {
	Version int64
	// Data is the knowledge base in kb.json format (only from KBVersion).
	Data string
	// Sum is Data's SHA-256, in hex.
	Sum     string
	Author  string
	Summary string
	Entries int
	// CreatedAt is unix milliseconds.
	CreatedAt int64
}

// KBPublish is a new version of the knowledge base (BotLearning.PublishKB).
type KBPublish struct {
	Data    string
	Sum     string
	Author  string
	Summary string
	Entries int
	// IfVersion, when set, makes the publish conditional on the current
	// version.
	IfVersion *int64
	// Settings are stored with the version (the published kb.json and its
	// sum, which the nodes follow).
	Settings map[string]string
	// CloseMisses are missed questions the version answers: closed with it.
	CloseMisses []string
	// CreatedAt 0 means now.
	CreatedAt int64
}
