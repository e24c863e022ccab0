package server

import (
	"net/http"
	"regexp"
	"strconv"
	"testing"
	"time"

	"switchboard/protocol"
)

// metricValue reads one sample from a /metrics page; -1 when absent.
func metricValue(t *testing.T, page, series string) float64 {
	t.Helper()
	m := regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(series) + ` ([0-9.e+-]+)$`).FindStringSubmatch(page)
	if m == nil {
		return -1
	}
	v, err := strconv.ParseFloat(m[1], 64)
	if err != nil {
		t.Fatalf("%s: %v", series, err)
	}
	return v
}

func TestMetricsAndReadiness(t *testing.T) {
	e := pickEnv(t, func(c *Config) { c.RoutePoll = 20 * time.Millisecond })
	if code, _, body := e.get("/readyz", "", nil); code != http.StatusOK {
		t.Fatalf("/readyz = %d %s", code, body)
	}

	// Two customers wait; alice takes one after a moment and answers it.
	_, first := e.queued("first", "human please")
	e.queued("second", "human please")
	alice, _ := e.agent("alice")
	var conv protocol.Conversation
	alice.decode(alice.request(protocol.TypeAccept, ref(first.ID)), protocol.TypeConversation, &conv)
	alice.sendText(first.ID, "Hello, how can I help?")

	page := func() string {
		code, hdr, body := e.get("/metrics", "", nil)
		if code != http.StatusOK {
			t.Fatalf("/metrics = %d", code)
		}
		if ct := hdr.Get("Content-Type"); !regexp.MustCompile(`^text/plain`).MatchString(ct) {
			t.Fatalf("/metrics Content-Type = %q", ct)
		}
		return string(body)
	}
	var p string
	deadline := time.Now().Add(5 * time.Second)
	for {
		p = page()
		// The router's pass after the accept leaves one waiting.
		if metricValue(t, p, `switchboard_queue_length{team="`+conv.Team+`"}`) == 1 || time.Now().After(deadline) {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if v := metricValue(t, p, `switchboard_queue_length{team="`+conv.Team+`"}`); v != 1 {
		t.Errorf("queue length of %s = %v, want 1\n%s", conv.Team, v, p)
	}
	if v := metricValue(t, p, `switchboard_messages_total{kind="text",role="customer"}`); v != 2 {
		t.Errorf("customer text messages = %v, want 2", v)
	}
	if v := metricValue(t, p, `switchboard_messages_total{kind="text",role="agent"}`); v != 1 {
		t.Errorf("agent text messages = %v, want 1", v)
	}
	if v := metricValue(t, p, `switchboard_connections`); v != 3 {
		t.Errorf("connections = %v, want 3", v)
	}
	if v := metricValue(t, p, `switchboard_floor_watchers`); v != 0 {
		t.Errorf("floor watchers = %v, want 0", v)
	}
	if v := metricValue(t, p, `switchboard_bus_dropped_total`); v != 0 {
		t.Errorf("bus drops = %v, want 0", v)
	}
	if v := metricValue(t, p, `switchboard_queue_wait_seconds_count`); v != 1 {
		t.Errorf("queue waits observed = %v, want 1", v)
	}
	if v := metricValue(t, p, `switchboard_store_seconds_count{op="append_message"}`); v < 3 {
		t.Errorf("append_message latencies observed = %v, want at least 3", v)
	}
	if metricValue(t, p, `go_goroutines`) <= 0 {
		t.Error("no Go runtime metrics")
	}

	// A server shutting down is not ready (and says why), though it still
	// answers.
	e.srv.shuttingDown.Store(true)
	if code, _, body := e.get("/readyz", "", nil); code != http.StatusServiceUnavailable || !regexp.MustCompile(`shutting_down`).Match(body) {
		t.Fatalf("/readyz while shutting down = %d %s", code, body)
	}
	e.srv.shuttingDown.Store(false)
}
