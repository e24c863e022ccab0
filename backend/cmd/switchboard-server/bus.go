package main

import (
	"fmt"
	"log/slog"
	"net/url"
	"strings"

	"switchboard/backend/bus/natsbus"
)

// busFlagUsage is the help of --bus, in serve and the admin commands.
const busFlagUsage = "message bus of a cluster: empty for a server on its own, or nats://HOST:PORT (several servers comma-separated; ?prefix=NAME keeps deployments sharing a NATS server apart): every node of the cluster, on one store, gives the same bus"

// openBus connects to the bus of URL u: nats://HOST:PORT[,nats://…][?prefix=NAME].
func openBus(u string, log *slog.Logger) (*natsbus.Bus, error) {
	parsed, err := url.Parse(strings.SplitN(u, ",", 2)[0])
	if err != nil || (parsed.Scheme != "nats" && parsed.Scheme != "tls") || parsed.Host == "" {
		return nil, fmt.Errorf("bus %q: want nats://HOST:PORT", u)
	}
	// Room for bursts: the pushes of a busy cluster come in thousands a
	// second, and a subscription that overflows drops them.
	cfg := natsbus.Config{Log: log, Queue: 8192}
	servers := u
	if i := strings.IndexByte(u, '?'); i >= 0 {
		q, err := url.ParseQuery(u[i+1:])
		if err != nil {
			return nil, fmt.Errorf("bus %q: %w", u, err)
		}
		for k := range q {
			if k != "prefix" {
				return nil, fmt.Errorf("bus %q: unknown parameter %q (want prefix)", u, k)
			}
		}
		cfg.Prefix, servers = q.Get("prefix"), u[:i]
	}
	return natsbus.Dial(servers, cfg)
}

// redactURL is u for the logs, without a password (a NATS URL may carry
// user:password).
func redactURL(u string) string {
	var out []string
	for _, part := range strings.Split(u, ",") {
		if p, err := url.Parse(part); err == nil {
			part = p.Redacted()
		}
		out = append(out, part)
	}
	return strings.Join(out, ",")
}
