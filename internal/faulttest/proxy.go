// Package faulttest holds end-to-end tests of Switchboard's delivery
// guarantees under faults: a fault proxy between clients and the server
// (cuts, stalls, latency), a server killed with SIGKILL and restarted, the
// desktop app's outbox across a server outage and an app restart, and a
// cluster of three nodes on PostgreSQL and NATS losing a node and its bus
// (TestCluster; it needs Debian's postgresql, as backend/store/postgres's
// tests do). The tests are in the _test files; this file holds the fault
// proxy they use.
//
// Run them with go test -race ./internal/faulttest/. Every run logs its seed;
// SWITCHBOARD_FAULT_SEED=<seed> replays the same fault schedule and client
// jitter (timing still varies). -short shrinks the message counts.
package faulttest

import (
	"context"
	"errors"
	"io"
	"math/rand/v2"
	"net"
	"sync"
	"sync/atomic"
	"time"
)

// Faults says how often a Proxy misbehaves. Zero values mean no fault of that
// kind.
type Faults struct {
	// Latency is the largest delay added to each chunk forwarded, drawn
	// uniformly from [0, Latency]. Order within a direction is kept.
	Latency time.Duration
	// CutsPerSecond is the rate of connections cut at random, half with a
	// TCP reset and half with a plain close.
	CutsPerSecond float64
	// StallsPerSecond is the rate of connections stalled at random: both
	// directions stop forwarding for a time in [StallMin, StallMax].
	StallsPerSecond    float64
	StallMin, StallMax time.Duration
	// OutagesPerSecond is the rate of outages: every connection is cut and
	// new ones are refused for OutageFor.
	OutagesPerSecond float64
	OutageFor        time.Duration
}

// ProxyStats counts what a Proxy did.
type ProxyStats struct {
	Accepted int64
	Cuts     int64
	Stalls   int64
	Outages  int64
	Refused  int64
}

// Proxy forwards TCP connections from a loopback listener to an upstream
// address and injects faults between them.
type Proxy struct {
	ln       net.Listener
	upstream string

	// mu guards pairs, faults, rng and refuseUntil.
	mu          sync.Mutex
	pairs       map[*pair]struct{}
	faults      Faults
	rng         *rand.Rand
	refuseUntil time.Time

	accepted, cuts, stalls, outages, refused atomic.Int64

	cancel context.CancelFunc
	wg     sync.WaitGroup
}

type pair struct {
	client, server net.Conn
	stallUntil     atomic.Int64 // unix nanoseconds
	once           sync.Once
}

func (p *pair) close(reset bool) {
	p.once.Do(func() {
		if reset {
			for _, c := range []net.Conn{p.client, p.server} {
				if tc, ok := c.(*net.TCPConn); ok {
					tc.SetLinger(0) // close sends RST
				}
			}
		}
		p.client.Close()
		p.server.Close()
	})
}

// NewProxy listens on a free loopback port and forwards to upstream. The
// seed drives every random choice the proxy makes.
func NewProxy(upstream string, seed uint64) (*Proxy, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(context.Background())
	p := &Proxy{
		ln:       ln,
		upstream: upstream,
		pairs:    make(map[*pair]struct{}),
		rng:      rand.New(rand.NewPCG(seed, seed+1)),
		cancel:   cancel,
	}
	p.wg.Add(2)
	go func() { defer p.wg.Done(); p.accept() }()
	go func() { defer p.wg.Done(); p.chaos(ctx) }()
	return p, nil
}

// Addr is the proxy's listen address.
func (p *Proxy) Addr() string { return p.ln.Addr().String() }

// SetFaults changes the faults from now on; the zero Faults heals the proxy
// (connections stalled now stay stalled until their stall ends).
func (p *Proxy) SetFaults(f Faults) {
	p.mu.Lock()
	p.faults = f
	if f.OutagesPerSecond == 0 {
		p.refuseUntil = time.Time{}
	}
	p.mu.Unlock()
}

// Stats returns the proxy's counters.
func (p *Proxy) Stats() ProxyStats {
	return ProxyStats{
		Accepted: p.accepted.Load(), Cuts: p.cuts.Load(), Stalls: p.stalls.Load(),
		Outages: p.outages.Load(), Refused: p.refused.Load(),
	}
}

// Close stops the proxy, cuts every connection and waits for its goroutines.
func (p *Proxy) Close() {
	p.cancel()
	p.ln.Close()
	p.mu.Lock()
	for pr := range p.pairs {
		pr.close(false)
	}
	p.mu.Unlock()
	p.wg.Wait()
}

func (p *Proxy) accept() {
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		p.mu.Lock()
		refuse := time.Now().Before(p.refuseUntil)
		p.mu.Unlock()
		if refuse {
			p.refused.Add(1)
			c.Close()
			continue
		}
		p.accepted.Add(1)
		p.wg.Add(1)
		go func() { defer p.wg.Done(); p.serve(c) }()
	}
}

func (p *Proxy) serve(client net.Conn) {
	server, err := net.DialTimeout("tcp", p.upstream, 2*time.Second)
	if err != nil {
		client.Close()
		return
	}
	pr := &pair{client: client, server: server}
	p.mu.Lock()
	p.pairs[pr] = struct{}{}
	seed := p.rng.Uint64()
	p.mu.Unlock()
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done(); p.pump(pr, server, client, seed) }()
	go func() { defer wg.Done(); p.pump(pr, client, server, seed+1) }()
	wg.Wait()
	p.mu.Lock()
	delete(p.pairs, pr)
	p.mu.Unlock()
}

// pump copies src to dst chunk by chunk, sleeping for latency and stalls
// between reads and writes; either side failing closes the pair.
func (p *Proxy) pump(pr *pair, dst, src net.Conn, seed uint64) {
	defer pr.close(false)
	rng := rand.New(rand.NewPCG(seed, seed^0xabcdef))
	buf := make([]byte, 32<<10)
	for {
		n, err := src.Read(buf)
		if n > 0 {
			p.mu.Lock()
			lat := p.faults.Latency
			p.mu.Unlock()
			if lat > 0 {
				time.Sleep(time.Duration(rng.Int64N(int64(lat) + 1)))
			}
			for {
				until := pr.stallUntil.Load()
				now := time.Now().UnixNano()
				if until <= now {
					break
				}
				time.Sleep(time.Duration(min(until-now, int64(50*time.Millisecond))))
			}
			if _, werr := dst.Write(buf[:n]); werr != nil {
				return
			}
		}
		if err != nil {
			if errors.Is(err, io.EOF) {
				// Half-close is not worth modelling: end the pair.
				return
			}
			return
		}
	}
}

// chaos injects the random faults, ticking every 10ms.
func (p *Proxy) chaos(ctx context.Context) {
	const tick = 10 * time.Millisecond
	t := time.NewTicker(tick)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		p.mu.Lock()
		f := p.faults
		chance := func(perSecond float64) bool { return perSecond > 0 && p.rng.Float64() < perSecond*tick.Seconds() }
		if chance(f.OutagesPerSecond) {
			p.outages.Add(1)
			p.refuseUntil = time.Now().Add(f.OutageFor)
			for pr := range p.pairs {
				p.cuts.Add(1)
				pr.close(p.rng.IntN(2) == 0)
			}
		}
		if chance(f.CutsPerSecond) {
			if pr := p.randomPairLocked(); pr != nil {
				p.cuts.Add(1)
				pr.close(p.rng.IntN(2) == 0)
			}
		}
		if chance(f.StallsPerSecond) && f.StallMax > 0 {
			if pr := p.randomPairLocked(); pr != nil {
				p.stalls.Add(1)
				d := f.StallMin + time.Duration(p.rng.Int64N(int64(f.StallMax-f.StallMin)+1))
				pr.stallUntil.Store(time.Now().Add(d).UnixNano())
			}
		}
		p.mu.Unlock()
	}
}

// randomPairLocked picks a live connection at a seeded index. Which
// connection that is depends on timing and map order, so a seed replays the
// fault schedule, not the exact victims.
func (p *Proxy) randomPairLocked() *pair {
	if len(p.pairs) == 0 {
		return nil
	}
	i := p.rng.IntN(len(p.pairs))
	for pr := range p.pairs {
		if i == 0 {
			return pr
		}
		i--
	}
	return nil
}
