package webhooks

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"switchboard/backend/store"
)

// Dispatcher defaults.
const (
	// DefaultPoll is how often the dispatcher looks for work when nobody
	// kicks it.
	DefaultPoll = time.Second
	// DefaultWorkers bounds the attempts in flight at once.
	DefaultWorkers = 8
	// fanOutBatch is the outbox entries one fan-out takes.
	fanOutBatch = 500
	// claimBatch is the deliveries one claim takes.
	claimBatch = 64
	// leaseFactor times an attempt's time limit is how long a claimed
	// delivery is held: longer than an attempt, so that it is never sent
	// twice at once, and short enough that a node killed mid-delivery does
	// not hold it long.
	leaseFactor = 3
	// disabledWait is how long a delivery to a disabled endpoint waits
	// before it is looked at again.
	disabledWait = time.Minute
	// keepDone is how long finished deliveries are kept.
	keepDone = 7 * 24 * time.Hour
)

// MessageFunc loads the stored message of a conversation's seq, as the
// protocol shows it.
type MessageFunc func(ctx context.Context, conversationID string, seq int64) (Event, error)

// Counters are the dispatcher's figures for /metrics.
type Counters struct {
	Delivered  atomic.Int64 // attempts a receiver took
	Failed     atomic.Int64 // attempts that failed (to be retried or given up)
	DeadLetter atomic.Int64 // deliveries given up
	FannedOut  atomic.Int64 // outbox entries turned into deliveries
}

// Dispatcher moves the outbox to the endpoints: it fans entries out into
// deliveries, claims the due ones and sends them. Every node runs one;
// the store shares the work among them.
type Dispatcher struct {
	Store   store.Webhooks
	Node    string
	Sender  Sender
	Event   MessageFunc
	Log     *slog.Logger
	Now     func() time.Time
	Poll    time.Duration
	Workers int
	Counts  *Counters
	// Retry is the retry schedule; zero values mean the defaults.
	Retry Schedule

	kick chan struct{}
	once sync.Once
	// active is whether the last step found an endpoint: without one a
	// kick is not worth a store transaction on the message path, and the
	// poll alone empties the outbox.
	active atomic.Bool
}

func (d *Dispatcher) init() {
	d.once.Do(func() {
		d.kick = make(chan struct{}, 1)
		if d.Now == nil {
			d.Now = time.Now
		}
		if d.Poll <= 0 {
			d.Poll = DefaultPoll
		}
		if d.Workers <= 0 {
			d.Workers = DefaultWorkers
		}
		if d.Log == nil {
			d.Log = slog.Default()
		}
		if d.Counts == nil {
			d.Counts = new(Counters)
		}
	})
}

// Kick asks the dispatcher to look for work now (a message was stored).
// Without endpoints it does nothing: the next poll takes the outbox.
func (d *Dispatcher) Kick() {
	d.init()
	if !d.active.Load() {
		return
	}
	select {
	case d.kick <- struct{}{}:
	default:
	}
}

// Run works until ctx is done.
func (d *Dispatcher) Run(ctx context.Context) {
	d.init()
	t := time.NewTicker(d.Poll)
	defer t.Stop()
	lastPrune := time.Time{}
	for {
		busy, err := d.Step(ctx)
		if err != nil && ctx.Err() == nil {
			d.Log.Error("webhooks", "err", err)
		}
		if now := d.Now(); now.Sub(lastPrune) > time.Hour {
			lastPrune = now
			if _, err := d.Store.PruneDeliveries(ctx, now.Add(-keepDone).UnixMilli()); err != nil && ctx.Err() == nil {
				d.Log.Error("prune webhook deliveries", "err", err)
			}
		}
		if busy && err == nil {
			continue
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-d.kick:
		}
	}
}

// Step fans the outbox out and makes one round of attempts. It reports
// whether there may be more work right away.
func (d *Dispatcher) Step(ctx context.Context) (bool, error) {
	d.init()
	eps, err := d.Store.WebhookEndpoints(ctx)
	if err != nil {
		return false, err
	}
	d.active.Store(len(eps) > 0)
	byID := make(map[string]store.WebhookEndpoint, len(eps))
	for _, e := range eps {
		byID[e.ID] = e
	}
	now := d.Now()
	fanned, err := d.Store.FanOut(ctx, fanOutBatch, now.UnixMilli(), func(o store.OutboxEntry) []store.Route {
		typ, ok := TypeOf(o.Kind, o.EventType)
		if !ok {
			return nil
		}
		var out []store.Route
		for _, e := range eps {
			if e.Enabled && (Subscription{Events: e.Events, Private: e.Private}).Wants(typ, o.Visibility) {
				out = append(out, store.Route{EndpointID: e.ID, EventType: typ})
			}
		}
		return out
	})
	if err != nil {
		return false, err
	}
	d.Counts.FannedOut.Add(int64(fanned))
	if len(eps) == 0 {
		return fanned == fanOutBatch, nil
	}
	claimed, err := d.Store.ClaimDeliveries(ctx, store.DeliveryClaim{
		Holder: d.Node, Now: now.UnixMilli(), Until: now.Add(leaseFactor * cmp.Or(d.Sender.Timeout, AttemptTimeout)).UnixMilli(), Limit: claimBatch,
	})
	if err != nil {
		return false, err
	}
	sem := make(chan struct{}, d.Workers)
	var wg sync.WaitGroup
	for _, dl := range claimed {
		sem <- struct{}{}
		wg.Add(1)
		go func() {
			defer func() { <-sem; wg.Done() }()
			if err := d.deliver(ctx, byID[dl.EndpointID], dl); err != nil && ctx.Err() == nil {
				d.Log.Error("webhook delivery", "endpoint", dl.EndpointID, "conversation", dl.ConversationID, "seq", dl.Seq, "err", err)
			}
		}()
	}
	wg.Wait()
	return fanned == fanOutBatch || len(claimed) == claimBatch, nil
}

// deliver makes one attempt at a claimed delivery and records it.
func (d *Dispatcher) deliver(ctx context.Context, ep store.WebhookEndpoint, dl store.Delivery) error {
	now := d.Now()
	out := store.DeliveryOutcome{ID: dl.ID, Holder: d.Node, State: store.DeliveryPending, Attempts: dl.Attempts,
		FirstAt: dl.FirstAt, At: now.UnixMilli()}
	if ep.ID == "" || !ep.Enabled {
		// Disabled (or deleted while claimed): no attempt, look again later.
		out.NextAt = now.Add(disabledWait).UnixMilli()
		return d.finish(ctx, out)
	}
	ev, err := d.Event(ctx, dl.ConversationID, dl.Seq)
	if err != nil {
		if errors.Is(err, store.ErrNotFound) {
			out.State, out.Error = store.DeliveryDead, "the message is gone"
			d.Counts.DeadLetter.Add(1)
			return d.finish(ctx, out)
		}
		out.NextAt = now.Add(d.Retry.fill().First).UnixMilli()
		out.Error = err.Error()
		return errors.Join(err, d.finish(ctx, out))
	}
	ev.Type = dl.EventType
	body, err := json.Marshal(ev)
	if err != nil {
		return err
	}
	secrets := [][]byte{[]byte(ep.Secret)}
	if ep.OldSecret != "" && ep.OldSecretUntil > now.UnixMilli() {
		secrets = append(secrets, []byte(ep.OldSecret))
	}
	out.Attempts++
	if out.FirstAt == 0 {
		out.FirstAt = now.UnixMilli()
	}
	r := d.Sender.Send(ctx, ep.URL, secrets, ev, body, out.Attempts, now)
	out.Status = r.Status
	if r.Err == nil {
		out.State = store.DeliveryDone
		d.Counts.Delivered.Add(1)
		return d.finish(ctx, out)
	}
	d.Counts.Failed.Add(1)
	out.Error = r.Err.Error()
	next, ok := d.Retry.Next(time.UnixMilli(out.FirstAt), d.Now(), out.Attempts, r.RetryAfter)
	if !ok {
		out.State = store.DeliveryDead
		d.Counts.DeadLetter.Add(1)
		d.Log.Warn("webhook delivery given up", "endpoint", ep.ID, "event", ev.ID, "attempts", out.Attempts, "err", r.Err)
	} else {
		out.NextAt = next.UnixMilli()
	}
	return d.finish(ctx, out)
}

func (d *Dispatcher) finish(ctx context.Context, o store.DeliveryOutcome) error {
	// The outcome is recorded even when ctx ends mid-way: a delivery the
	// receiver took must not be sent again for want of a write.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	err := d.Store.FinishDelivery(ctx, o)
	if errors.Is(err, store.ErrConflict) {
		return nil // the lease ran out and another node has it now
	}
	return err
}
