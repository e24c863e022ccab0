package webhooks

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"time"

	"switchboard/backend/store"
)

// Admin manages endpoints and the dead-letter list: the one service the CLI
// and the HTTP API both use.
type Admin struct {
	Store store.Webhooks
	Now   func() time.Time
}

// ErrInvalid is wrapped by every refusal of bad input.
var ErrInvalid = errors.New("invalid webhook endpoint")

// DefaultOverlap is how long a rotated-out secret keeps signing.
const DefaultOverlap = 24 * time.Hour

var idRE = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]{0,62}$`)

// EndpointSpec is what an admin says about an endpoint. Nil fields of an
// update stay as they were.
type EndpointSpec struct {
	URL     *string
	Events  *[]string
	Private *bool
	Enabled *bool
}

func (a Admin) now() time.Time {
	if a.Now != nil {
		return a.Now()
	}
	return time.Now()
}

func newSecret() string {
	b := make([]byte, 32)
	rand.Read(b)
	return "whsec_" + hex.EncodeToString(b)
}

func checkURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.User != nil {
		return fmt.Errorf("%w: url %q: want http(s)://host/path without credentials", ErrInvalid, raw)
	}
	return nil
}

func checkEvents(events []string) error {
	for _, e := range events {
		if !ValidType(e) {
			return fmt.Errorf("%w: unknown event type %q (want one of %v or *)", ErrInvalid, e, Types())
		}
	}
	return nil
}

func (a Admin) find(ctx context.Context, id string) (store.WebhookEndpoint, error) {
	eps, err := a.Store.WebhookEndpoints(ctx)
	if err != nil {
		return store.WebhookEndpoint{}, err
	}
	i := slices.IndexFunc(eps, func(e store.WebhookEndpoint) bool { return e.ID == id })
	if i < 0 {
		return store.WebhookEndpoint{}, fmt.Errorf("webhook endpoint %q: %w", id, store.ErrNotFound)
	}
	return eps[i], nil
}

// Add creates an endpoint with a new secret, which it returns: it is shown
// once. It is enabled unless spec says otherwise.
func (a Admin) Add(ctx context.Context, id string, spec EndpointSpec) (store.WebhookEndpoint, error) {
	if !idRE.MatchString(id) {
		return store.WebhookEndpoint{}, fmt.Errorf("%w: id %q: lowercase letters, digits, - and _", ErrInvalid, id)
	}
	if spec.URL == nil {
		return store.WebhookEndpoint{}, fmt.Errorf("%w: an url is required", ErrInvalid)
	}
	if _, err := a.find(ctx, id); err == nil {
		return store.WebhookEndpoint{}, fmt.Errorf("webhook endpoint %q: %w: it exists", id, store.ErrConflict)
	} else if !errors.Is(err, store.ErrNotFound) {
		return store.WebhookEndpoint{}, err
	}
	e := store.WebhookEndpoint{ID: id, Enabled: true, Secret: newSecret()}
	return a.apply(ctx, e, spec)
}

// Update changes what spec gives of an endpoint.
func (a Admin) Update(ctx context.Context, id string, spec EndpointSpec) (store.WebhookEndpoint, error) {
	e, err := a.find(ctx, id)
	if err != nil {
		return e, err
	}
	return a.apply(ctx, e, spec)
}

func (a Admin) apply(ctx context.Context, e store.WebhookEndpoint, spec EndpointSpec) (store.WebhookEndpoint, error) {
	if spec.URL != nil {
		if err := checkURL(*spec.URL); err != nil {
			return e, err
		}
		e.URL = *spec.URL
	}
	if spec.Events != nil {
		if err := checkEvents(*spec.Events); err != nil {
			return e, err
		}
		e.Events = slices.Compact(slices.Sorted(slices.Values(*spec.Events)))
		if slices.Contains(e.Events, "*") {
			e.Events = nil
		}
	}
	if spec.Private != nil {
		e.Private = *spec.Private
	}
	if spec.Enabled != nil {
		e.Enabled = *spec.Enabled
	}
	return a.Store.PutWebhookEndpoint(ctx, e)
}

// Rotate gives an endpoint a new secret, returned once; the old one keeps
// signing for overlap (DefaultOverlap when 0), so the receiver can switch
// at leisure. A second rotation within the overlap drops the oldest.
func (a Admin) Rotate(ctx context.Context, id string, overlap time.Duration) (store.WebhookEndpoint, error) {
	e, err := a.find(ctx, id)
	if err != nil {
		return e, err
	}
	if overlap <= 0 {
		overlap = DefaultOverlap
	}
	e.OldSecret, e.OldSecretUntil = e.Secret, a.now().Add(overlap).UnixMilli()
	e.Secret = newSecret()
	return a.Store.PutWebhookEndpoint(ctx, e)
}

// Remove deletes an endpoint and its deliveries.
func (a Admin) Remove(ctx context.Context, id string) error {
	return a.Store.DeleteWebhookEndpoint(ctx, id)
}

// List returns every endpoint.
func (a Admin) List(ctx context.Context) ([]store.WebhookEndpoint, error) {
	return a.Store.WebhookEndpoints(ctx)
}

// DeadLetters lists an endpoint's given-up deliveries, newest first.
func (a Admin) DeadLetters(ctx context.Context, id string, limit int) ([]store.Delivery, error) {
	if _, err := a.find(ctx, id); err != nil {
		return nil, err
	}
	return a.Store.Deliveries(ctx, store.DeliveryQuery{EndpointID: id, State: store.DeliveryDead, Limit: limit})
}

// Replay sends an endpoint's dead letters (ids, or all) again, with a
// fresh day of retries.
func (a Admin) Replay(ctx context.Context, id string, ids []int64) (int, error) {
	if _, err := a.find(ctx, id); err != nil {
		return 0, err
	}
	return a.Store.ReplayDeliveries(ctx, id, ids, a.now().UnixMilli())
}
