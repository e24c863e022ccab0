package server

import (
	"context"
	"errors"
	"net/http"

	"github.com/prometheus/client_golang/prometheus"

	"switchboard/backend/store"
	"switchboard/backend/webhooks"
)

// startWebhooks runs the outgoing webhooks' dispatcher (package webhooks):
// every node runs one, and the store shares the deliveries among them.
func (s *Server) startWebhooks() {
	s.webhooks = &webhooks.Dispatcher{
		Store: s.store,
		Node:  s.node,
		Sender: webhooks.Sender{Client: &http.Client{
			// A redirect is an answer like any other that is not 2xx: the
			// endpoint's URL is what an admin configured, not where a
			// receiver points.
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		}, Timeout: s.cfg.WebhookTimeout},
		Retry:  s.cfg.WebhookRetry,
		Event:  s.webhookEvent,
		Log:    s.log.With("part", "webhooks"),
		Now:    s.cfg.Now,
		Poll:   s.cfg.WebhookPoll,
		Counts: s.webhookCounts,
	}
	s.webhooksDone = make(chan struct{})
	go func() {
		defer close(s.webhooksDone)
		s.webhooks.Run(s.baseCtx)
	}()
}

// webhookEvent loads the event of a conversation's stored message.
func (s *Server) webhookEvent(ctx context.Context, conversationID string, seq int64) (webhooks.Event, error) {
	ms, err := s.store.Messages(ctx, store.MessageQuery{ConversationID: conversationID, AfterSeq: seq - 1, Limit: 1})
	if err != nil {
		return webhooks.Event{}, err
	}
	if len(ms) == 0 || ms[0].Seq != seq {
		return webhooks.Event{}, store.ErrNotFound
	}
	ev, ok := webhooks.NewEvent(toProtoMessage(ms[0]))
	if !ok {
		return webhooks.Event{}, errors.New("the message is not an event")
	}
	return ev, nil
}

// webhookMetrics are the dispatcher's figures for /metrics.
func webhookMetrics(c *webhooks.Counters) []prometheus.Collector {
	counter := func(name, help string, f func() int64) prometheus.Collector {
		return prometheus.NewCounterFunc(prometheus.CounterOpts{Name: name, Help: help}, func() float64 { return float64(f()) })
	}
	return []prometheus.Collector{
		counter("switchboard_webhook_delivered_total", "Webhook deliveries an endpoint took (answered 2xx), on this node.", c.Delivered.Load),
		counter("switchboard_webhook_failed_total", "Webhook attempts that failed (to be retried, or given up), on this node.", c.Failed.Load),
		counter("switchboard_webhook_dead_letter_total", "Webhook deliveries given up after a day of retries, on this node.", c.DeadLetter.Load),
		counter("switchboard_webhook_events_total", "Stored messages this node turned into webhook deliveries (the outbox fanned out).", c.FannedOut.Load),
	}
}
