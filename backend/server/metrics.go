package server

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"switchboard/backend/relay"
	"switchboard/backend/store"
)

// metrics are what the server exports at /metrics (Prometheus text format),
// in a registry of its own, so two servers in one process (tests) do not
// share or clash.
type metrics struct {
	reg      *prometheus.Registry
	messages *prometheus.CounterVec   // stored messages by kind and sender role
	queue    *prometheus.GaugeVec     // conversations waiting, by team
	wait     prometheus.Histogram     // queued → accepted, seconds
	storeOp  *prometheus.HistogramVec // store calls on the message path, seconds
	refused  *prometheus.CounterVec   // work refused to bound it, by what
	// relayFilled counts the messages a cluster node delivered from the
	// store because their pushes from other nodes were lost or late.
	relayFilled prometheus.Counter
	// The bot's learning loop: customers' verdicts on its answers, by
	// helpful; the questions it missed, by reason; and the failures to
	// record one.
	feedback    *prometheus.CounterVec
	misses      *prometheus.CounterVec
	learnErrors prometheus.Counter
}

// What metrics.refused counts, by its label "what".
const (
	refusedLoginRate    = "login_rate"    // logins past the rate of all addresses
	refusedLoginBackoff = "login_backoff" // logins within a wait after failures
	refusedLoginBusy    = "login_busy"    // logins whose password check found no room
	refusedUploadQuota  = "upload_quota"  // uploads past an allowance
	refusedThumbnail    = "thumbnail"     // images stored without a thumbnail: over budget or busy
	refusedConnections  = "connections"   // WebSocket upgrades past the cap of one address
)

func newMetrics(s *Server) *metrics {
	m := &metrics{
		reg: prometheus.NewRegistry(),
		messages: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "switchboard_messages_total",
			Help: "Messages stored (duplicates of a retried send not counted), by kind and sender role.",
		}, []string{"kind", "role"}),
		queue: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "switchboard_queue_length",
			Help: "Conversations waiting for an agent, by team, as of the router's last pass.",
		}, []string{"team"}),
		wait: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "switchboard_queue_wait_seconds",
			Help:    "Time from entering the queue to an agent accepting.",
			Buckets: []float64{5, 15, 30, 60, 120, 300, 600, 1800, 3600},
		}),
		storeOp: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "switchboard_store_seconds",
			Help:    "Latency of store calls on the message path, by operation.",
			Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, 1},
		}, []string{"op"}),
		refused: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "switchboard_refused_total",
			Help: "Work refused to keep it bounded: logins (login_rate, login_backoff, login_busy), uploads (upload_quota), thumbnails (thumbnail), connections (connections).",
		}, []string{"what"}),
		relayFilled: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "switchboard_relay_filled_total",
			Help: "Messages a cluster node delivered from the store because their pushes from other nodes were lost or late.",
		}),
		feedback: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "switchboard_bot_feedback_total",
			Help: "Customers' verdicts on the bot's answers, by helpful (true, false).",
		}, []string{"helpful"}),
		misses: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "switchboard_bot_misses_total",
			Help: "Questions the bot missed, recorded for the report, by reason (unsure, handed_over, asked_again, unhelpful).",
		}, []string{"reason"}),
		learnErrors: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "switchboard_bot_learn_errors_total",
			Help: "Failures to record a question the bot missed (logged; the customer's reply is not affected).",
		}),
	}
	relayStat := func(f func(relay.Stats) int64) func() float64 {
		return func() float64 {
			if s.relay == nil {
				return 0
			}
			return float64(f(s.relay.Stats()))
		}
	}
	m.reg.MustRegister(webhookMetrics(s.webhookCounts)...)
	m.reg.MustRegister(m.messages, m.queue, m.wait, m.storeOp, m.refused, m.relayFilled, m.feedback, m.misses, m.learnErrors,
		prometheus.NewCounterFunc(prometheus.CounterOpts{
			Name: "switchboard_relay_published_total",
			Help: "Pushes this node sent to the other nodes of its cluster.",
		}, relayStat(func(st relay.Stats) int64 { return st.Published })),
		prometheus.NewCounterFunc(prometheus.CounterOpts{
			Name: "switchboard_relay_received_total",
			Help: "Pushes of the other nodes of its cluster this node received.",
		}, relayStat(func(st relay.Stats) int64 { return st.Received })),
		prometheus.NewCounterFunc(prometheus.CounterOpts{
			Name: "switchboard_relay_dropped_total",
			Help: "Pushes of the other nodes this node dropped because its delivery worker was full (their messages come from the store later).",
		}, relayStat(func(st relay.Stats) int64 { return st.Dropped })),
		prometheus.NewCounterFunc(prometheus.CounterOpts{
			Name: "switchboard_relay_undecodable_total",
			Help: "Messages on the relay subject this node could not decode and dropped.",
		}, relayStat(func(st relay.Stats) int64 { return st.Undecodable })),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "switchboard_connections",
			Help: "Open WebSocket connections (customers and staff).",
		}, func() float64 { return float64(s.hub.Len()) }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "switchboard_floor_watchers",
			Help: "Connections watching the floor (supervisors and admins).",
		}, func() float64 {
			if s.floor == nil {
				return 0
			}
			return float64(s.floor.Watching())
		}),
		prometheus.NewCounterFunc(prometheus.CounterOpts{
			Name: "switchboard_bus_dropped_total",
			Help: "Messages the bus (in-process, or NATS on a node of a cluster) dropped for this node's subscribers that did not keep up.",
		}, func() float64 {
			if d, ok := s.bus.(interface{ Dropped() int64 }); ok {
				return float64(d.Dropped())
			}
			return 0
		}),
		prometheus.NewCounterFunc(prometheus.CounterOpts{
			Name: "switchboard_bus_errors_total",
			Help: "Messages this node could not hand to the bus (NATS unreachable): lost for the other nodes, which catch up from the store.",
		}, func() float64 {
			if e, ok := s.bus.(interface{ Errors() int64 }); ok {
				return float64(e.Errors())
			}
			return 0
		}),
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
	)
	return m
}

// setQueue records the queue lengths of a router pass; teams with nobody
// waiting read 0 rather than keep their last value.
func (m *metrics) setQueue(teams []store.Team, queued []store.Conversation) {
	n := make(map[string]int, len(teams))
	for _, t := range teams {
		n[t.ID] = 0
	}
	for _, c := range queued {
		n[c.Team]++
	}
	for team, v := range n {
		m.queue.WithLabelValues(team).Set(float64(v))
	}
}

// timedStore is the store with the latency and count of its message-path
// calls recorded.
type timedStore struct {
	store.Store
	m *metrics
}

func (t timedStore) AppendMessage(ctx context.Context, nm store.NewMessage) (store.AppendResult, error) {
	start := time.Now()
	res, err := t.Store.AppendMessage(ctx, nm)
	t.m.storeOp.WithLabelValues("append_message").Observe(time.Since(start).Seconds())
	if err == nil && !res.Duplicate {
		t.m.messages.WithLabelValues(res.Message.Kind, res.Message.SenderRole).Inc()
	}
	return res, err
}

func (t timedStore) Messages(ctx context.Context, q store.MessageQuery) ([]store.Message, error) {
	start := time.Now()
	msgs, err := t.Store.Messages(ctx, q)
	t.m.storeOp.WithLabelValues("messages").Observe(time.Since(start).Seconds())
	return msgs, err
}

// handleMetrics serves /metrics.
func (s *Server) handleMetrics() http.Handler {
	return promhttp.HandlerFor(s.metrics.reg, promhttp.HandlerOpts{})
}

// readyTimeout bounds the store check of /readyz.
const readyTimeout = 2 * time.Second

// handleReady serves /readyz: ready when the server is not shutting down
// and the store answers a read in time. /healthz only says the process
// serves HTTP.
func (s *Server) handleReady(w http.ResponseWriter, r *http.Request) {
	if s.shuttingDown.Load() {
		writeJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "shutting_down"})
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), readyTimeout)
	defer cancel()
	start := time.Now()
	_, err := s.store.Conversation(ctx, "readyz-probe")
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		s.log.Warn("readyz: the store does not answer", "err", err)
		writeJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "store_unavailable"})
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"status": "ready", "store_ms": time.Since(start).Milliseconds()})
}
