package store

import "context"

// Outgoing webhooks. Every stored message (a state change is stored as an
// event message) also gets an outbox entry, written in the same
// transaction, so no change can be stored without its event; an engine may
// leave the entry out of a message stored while no endpoint exists, which
// no endpoint could receive (SQLite does). A single
// fan-out at a time turns outbox entries into one delivery per endpoint
// that wants them and removes them from the outbox; deliveries are then
// claimed (leased) by the nodes' senders, the first pending one of each
// endpoint and conversation only, so each endpoint receives a
// conversation's events in seq order.

// WebhookEndpoint is a receiver of webhooks.
type WebhookEndpoint struct {
	ID  string
	URL string
	// Events are the event types it wants; empty means all.
	Events []string
	// Private also sends internal notes and whispers.
	Private bool
	Enabled bool
	// Secret signs every delivery; OldSecret, while not expired
	// (OldSecretUntil, unix milliseconds), signs it too: a receiver
	// switches keys at leisure during a rotation.
	Secret         string
	OldSecret      string
	OldSecretUntil int64
	CreatedAt      int64
	UpdatedAt      int64
}

// OutboxEntry is a stored message not yet turned into deliveries.
type OutboxEntry struct {
	ID             int64
	ConversationID string
	Seq            int64
	Kind           string
	EventType      string // the event message's type, for KindEvent
	Visibility     string
	CreatedAt      int64
}

// Route is one delivery the fan-out makes of an outbox entry.
type Route struct {
	EndpointID string
	EventType  string // the webhook event type, e.g. "message.created"
}

// States of a delivery.
const (
	DeliveryPending = "pending"
	DeliveryDone    = "done"
	DeliveryDead    = "dead" // given up: on the dead-letter list
)

// Delivery is one event on its way to one endpoint.
type Delivery struct {
	ID             int64
	EndpointID     string
	ConversationID string
	Seq            int64
	EventType      string
	State          string
	Attempts       int
	FirstAt        int64 // the first attempt, 0 before it
	NextAt         int64
	LastStatus     int
	LastError      string
	CreatedAt      int64
	DoneAt         int64
}

// DeliveryClaim leases due deliveries to Holder until Until.
type DeliveryClaim struct {
	Holder string
	Now    int64
	Until  int64
	Limit  int
}

// DeliveryOutcome records one attempt at a claimed delivery. State
// DeliveryPending means retry at NextAt.
type DeliveryOutcome struct {
	ID       int64
	Holder   string
	State    string
	Attempts int
	FirstAt  int64
	NextAt   int64
	Status   int
	Error    string
	At       int64
}

// DeliveryQuery lists deliveries, newest first.
type DeliveryQuery struct {
	EndpointID string // "" for every endpoint
	State      string // "" for every state
	Limit      int
}

// DeliveryCount is how many deliveries of an endpoint are in a state.
type DeliveryCount struct {
	EndpointID string
	State      string
	N          int
}

// Webhooks keeps endpoints, the outbox and deliveries.
type Webhooks interface {
	// PutWebhookEndpoint creates or replaces an endpoint.
	PutWebhookEndpoint(ctx context.Context, e WebhookEndpoint) (WebhookEndpoint, error)
	// WebhookEndpoints lists every endpoint by id.
	WebhookEndpoints(ctx context.Context) ([]WebhookEndpoint, error)
	// DeleteWebhookEndpoint removes an endpoint and its deliveries.
	DeleteWebhookEndpoint(ctx context.Context, id string) error
	// FanOut takes up to limit outbox entries, oldest first, stores the
	// deliveries route returns for each, and removes them from the
	// outbox, in one transaction. One fan-out runs at a time across
	// nodes; another one concurrently returns 0. It returns how many
	// entries it took.
	FanOut(ctx context.Context, limit int, now int64, route func(OutboxEntry) []Route) (int, error)
	// ClaimDeliveries leases, for c.Holder until c.Until, up to c.Limit
	// pending deliveries due at c.Now that are not leased, each the
	// lowest seq pending of its endpoint and conversation.
	ClaimDeliveries(ctx context.Context, c DeliveryClaim) ([]Delivery, error)
	// FinishDelivery records an attempt and ends the lease; it is
	// ignored (ErrConflict) when o.Holder no longer holds it.
	FinishDelivery(ctx context.Context, o DeliveryOutcome) error
	// Deliveries lists deliveries, newest first.
	Deliveries(ctx context.Context, q DeliveryQuery) ([]Delivery, error)
	// ReplayDeliveries puts dead deliveries of an endpoint (ids, or all
	// when ids is empty) back to pending, due at now, with a fresh day of
	// retries. It returns how many.
	ReplayDeliveries(ctx context.Context, endpointID string, ids []int64, now int64) (int, error)
	// DeliveryCounts counts deliveries per endpoint and state.
	DeliveryCounts(ctx context.Context) ([]DeliveryCount, error)
	// PruneDeliveries removes done deliveries finished before before.
	PruneDeliveries(ctx context.Context, before int64) (int, error)
}
