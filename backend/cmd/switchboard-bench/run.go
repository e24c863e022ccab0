package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"maps"
	"math"
	"math/rand/v2"
	"net/http"
	"os"
	"runtime/pprof"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/google/uuid"
	"github.com/gorilla/websocket"

	"switchboard/protocol"
)

// config holds the run flags.
type config struct {
	server      string // the first of servers
	wsURL       string // server's
	serverPID   int    // the first of serverPIDs
	servers     []string
	serverPIDs  []int
	watch       []watched // more processes whose CPU the throughput phase reports
	profileSig  bool
	phases      map[string]bool
	conns       int
	customers   int
	agents      []string
	password    string
	duration    time.Duration
	warmup      time.Duration
	rate        float64
	agentRate   float64
	missed      int
	resumeReps  int
	resumeMode  string
	resumeConns int
	echoClients int
	echoDur     time.Duration
	echoConns   int
	slow        time.Duration
	sqliteDur   time.Duration
	sqliteBatch int
	concurrency int
}

// result is one figure of the report.
type result struct {
	name  string
	value float64
	unit  string
}

type report struct {
	mu      sync.Mutex
	results []result
	notes   []string
}

func (r *report) add(name string, value float64, unit string) {
	r.mu.Lock()
	r.results = append(r.results, result{name, value, unit})
	r.mu.Unlock()
	fmt.Fprintf(os.Stderr, "  %s = %s %s\n", name, fmtNum(value), unit)
}

func (r *report) note(format string, args ...any) {
	s := fmt.Sprintf(format, args...)
	r.mu.Lock()
	r.notes = append(r.notes, s)
	r.mu.Unlock()
	fmt.Fprintln(os.Stderr, "  note:", s)
}

func (r *report) get(name string) (float64, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, x := range r.results {
		if x.name == name {
			return x.value, true
		}
	}
	return 0, false
}

func fmtNum(v float64) string {
	switch {
	case v == float64(int64(v)):
		return strconv.FormatInt(int64(v), 10)
	case v >= 100:
		return strconv.FormatFloat(v, 'f', 0, 64)
	case v >= 1:
		return strconv.FormatFloat(v, 'f', 2, 64)
	}
	return strconv.FormatFloat(v, 'f', 3, 64)
}

func logf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "%s "+format+"\n", append([]any{time.Now().UTC().Format("15:04:05")}, args...)...)
}

// throughputFlags defines the flags of the throughput phase on fs, for
// run and cluster alike; agents is the comma-separated list.
func throughputFlags(fs *flag.FlagSet, c *config, duration time.Duration) (agents *string) {
	fs.IntVar(&c.customers, "customers", 1200, "customers sending in the throughput phase, one connection and one conversation each")
	agents = fs.String("agents", "alice,carol", "demo agents that accept the conversations (one connection each; they must be in the presales team)")
	fs.StringVar(&c.password, "password", "switchboard-demo", "the agents' password")
	fs.DurationVar(&c.duration, "duration", duration, "measured throughput window")
	fs.DurationVar(&c.warmup, "warmup", 3*time.Second, "throughput warm-up before the window")
	fs.Float64Var(&c.rate, "rate", 17.5, "messages per second per customer, at most: each waits for its ack before the next (0: closed loop, the next send as soon as the previous is acknowledged); keep it under the server's per-connection send limit")
	fs.Float64Var(&c.agentRate, "agent-rate", 10, "replies per second per agent connection (0: agents only read)")
	fs.IntVar(&c.concurrency, "concurrency", 64, "parallel connection setups")
	return agents
}

// setServers fills the server fields from the base URLs and process ids
// (pids may be shorter than urls; a missing pid is 0).
func (c *config) setServers(urls []string, pids []int) {
	c.servers = nil
	for _, u := range urls {
		if u = strings.TrimRight(strings.TrimSpace(u), "/"); u != "" {
			c.servers = append(c.servers, u)
		}
	}
	c.serverPIDs = make([]int, len(c.servers))
	copy(c.serverPIDs, pids)
	c.server, c.serverPID = c.servers[0], c.serverPIDs[0]
	c.wsURL = wsURLOf(c.server)
}

// wsURLOf is the WebSocket endpoint of the server at base.
func wsURLOf(base string) string { return "ws" + strings.TrimPrefix(base, "http") + "/ws" }

// parsePIDs parses a comma-separated list of process ids.
func parsePIDs(s string) ([]int, error) {
	var pids []int
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f == "" {
			continue
		}
		pid, err := strconv.Atoi(f)
		if err != nil || pid < 0 {
			return nil, fmt.Errorf("bad process id %q", f)
		}
		pids = append(pids, pid)
	}
	return pids, nil
}

func runMain(args []string) int {
	var c config
	fs := flag.NewFlagSet("run", flag.ContinueOnError)
	server := fs.String("server", "http://127.0.0.1:8080", "base URL of the running server")
	serverPID := fs.Int("server-pid", 0, "the server's process id, to read its resident memory and CPU time from /proc (0: they are not measured)")
	servers := fs.String("servers", "", "base URLs of the nodes of a cluster, comma-separated, instead of -server: the throughput phase spreads its customers round-robin over them and connects each agent to one, so that most pushes between a customer and its agent cross nodes; the other phases use the first")
	serverPIDs := fs.String("server-pids", "", "the process ids of -servers, comma-separated, for their CPU time")
	fs.BoolVar(&c.profileSig, "profile-signal", false, "send SIGUSR1/SIGUSR2 to -server-pid around the throughput window (for \"switchboard-bench serve --cpuprofile\")")
	phases := fs.String("phases", "baseline,conns,throughput,resume", "phases to run, comma-separated")
	fs.IntVar(&c.conns, "conns", 5000, "idle customer connections to open (the target is 20,000; the process's open-file limit must allow them)")
	agents := throughputFlags(fs, &c, 20*time.Second)
	fs.IntVar(&c.missed, "missed", 1000, "messages the resuming client missed")
	fs.IntVar(&c.resumeReps, "resume-reps", 5, "resume measurements (reconnect and catch up, each from the same cursor)")
	fs.StringVar(&c.resumeMode, "resume-mode", "sync", "how the client catches up: sync (pages of 500 after its last seq) or hello (hello.resume; falls back to sync if the server sends nothing)")
	fs.IntVar(&c.resumeConns, "resume-writers", 50, "connections writing the missed messages")
	fs.IntVar(&c.echoClients, "echo-clients", 50, "clients of the echo baseline")
	fs.DurationVar(&c.echoDur, "echo-duration", 5*time.Second, "echo baseline window")
	fs.DurationVar(&c.slow, "slow", 0, "in the throughput phase, list the acks slower than this by when in the window they were sent, 100 ms at a time (0: no list): whether a tail comes in bursts or spread out")
	fs.IntVar(&c.echoConns, "echo-conns", -1, "idle connections to the echo server for its memory floor (-1: as many as -conns)")
	fs.DurationVar(&c.sqliteDur, "sqlite-duration", 3*time.Second, "SQLite floor window (batched; single-row commits run half as long)")
	fs.IntVar(&c.sqliteBatch, "sqlite-batch", 500, "rows per transaction of the batched SQLite floor")
	cpuProfile := fs.String("cpuprofile", "", "write this load generator's own CPU profile to `file` (what it costs beside the server)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err != nil {
			fmt.Fprintln(os.Stderr, "-cpuprofile:", err)
			return 2
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			fmt.Fprintln(os.Stderr, "-cpuprofile:", err)
			return 2
		}
		defer pprof.StopCPUProfile()
	}
	urls, pids := []string{*server}, []int{*serverPID}
	if *servers != "" {
		urls = strings.Split(*servers, ",")
		var err error
		if pids, err = parsePIDs(*serverPIDs); err != nil {
			fmt.Fprintln(os.Stderr, "-server-pids:", err)
			return 2
		}
	}
	c.setServers(urls, pids)
	c.phases = map[string]bool{}
	for _, p := range strings.Split(*phases, ",") {
		c.phases[strings.TrimSpace(p)] = true
	}
	c.agents = strings.Split(*agents, ",")
	if c.echoConns < 0 {
		c.echoConns = c.conns
	}

	ctx := context.Background()
	rep := &report{}
	b := newBench(c, rep)
	if err := b.waitReady(ctx); err != nil {
		fmt.Fprintln(os.Stderr, "server not ready:", err)
		return 1
	}
	loadStart := loadavg()
	failed := false
	step := func(name string, f func(context.Context) error) {
		if !c.phases[name] {
			return
		}
		logf("phase %s", name)
		if err := f(ctx); err != nil {
			failed = true
			rep.note("phase %s failed: %v", name, err)
		}
	}
	step("baseline", b.baseline)
	step("conns", b.connections)
	step("throughput", b.throughput)
	step("resume", b.resume)
	b.closeAgents()
	rep.note("load average (1, 5, 15 min) at the start: %s; at the end: %s (other processes on the machine compete for its CPUs)", loadStart, loadavg())
	printReport(os.Stdout, c, rep)
	if failed {
		return 1
	}
	return 0
}

// bench holds what the phases share.
type bench struct {
	cfg      config
	rep      *report
	tokenIPs *httpClients
	wsIPs    *addrPool
	wsN      atomic.Int64

	agentsMu sync.Mutex
	agentCs  []*agentConn
}

func newBench(c config, rep *report) *bench {
	return &bench{cfg: c, rep: rep, tokenIPs: &httpClients{pool: &addrPool{first: 1}, perUse: 25}, wsIPs: &addrPool{first: 3}}
}

// waitReady waits for every server to answer /healthz.
func (b *bench) waitReady(ctx context.Context) error {
	for _, s := range b.cfg.servers {
		if err := waitHealthy(ctx, s, 30*time.Second); err != nil {
			return fmt.Errorf("%s: %w", s, err)
		}
	}
	return nil
}

// waitHealthy waits up to d for the server at base to answer /healthz.
func waitHealthy(ctx context.Context, base string, d time.Duration) error {
	deadline := time.Now().Add(d)
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		resp, err := http.Get(base + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("GET /healthz: %v", err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// nextWSAddr spreads WebSocket connections over 128 loopback source
// addresses: the server takes at most 256 from one address
// (--max-conns-per-address), and 20,000 need at least 79.
func (b *bench) nextWSAddr() []byte {
	return b.wsIPs.at(int(b.wsN.Add(1) % 128))
}

// visitorTokens mints n visitor tokens, from as many source addresses as
// the server's per-address limit asks for.
func (b *bench) visitorTokens(ctx context.Context, n int) ([]string, error) {
	tokens := make([]string, n)
	var next atomic.Int64
	var firstErr error
	var errOnce sync.Once
	var wg sync.WaitGroup
	for w := 0; w < 8; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				var out struct {
					Token string `json:"token"`
				}
				if err := postJSON(ctx, b.tokenIPs.get(), b.cfg.server+"/api/v1/visitor", map[string]string{}, &out); err != nil {
					errOnce.Do(func() { firstErr = err })
					next.Store(int64(n))
					return
				}
				tokens[i] = out.Token
			}
		}()
	}
	wg.Wait()
	return tokens, firstErr
}

// parallel runs f(0..n-1) on the configured number of goroutines and
// returns the first error.
func (b *bench) parallel(n int, f func(i int) error) error {
	var next atomic.Int64
	var firstErr error
	var errOnce sync.Once
	var wg sync.WaitGroup
	for w := 0; w < b.cfg.concurrency; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				if err := f(i); err != nil {
					errOnce.Do(func() { firstErr = err })
					next.Store(int64(n))
					return
				}
			}
		}()
	}
	wg.Wait()
	return firstErr
}

// loadavg is the system's load average line.
func loadavg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], " ")
}

// rssKB reads a process's resident set size from /proc.
func rssKB(pid int) (int64, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, err
	}
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, "VmRSS:") {
			f := strings.Fields(line)
			if len(f) >= 2 {
				return strconv.ParseInt(f[1], 10, 64)
			}
		}
	}
	return 0, errors.New("no VmRSS")
}

// settledRSS reads pid's RSS once it has stopped growing (the server may
// still be finishing handshakes).
func settledRSS(pid int) (int64, error) {
	prev, err := rssKB(pid)
	if err != nil {
		return 0, err
	}
	for i := 0; i < 20; i++ {
		time.Sleep(250 * time.Millisecond)
		cur, err := rssKB(pid)
		if err != nil {
			return 0, err
		}
		if cur-prev < 256 {
			return cur, nil
		}
		prev = cur
	}
	return prev, nil
}

// latencies collects durations from one goroutine at a time.
type latencies struct {
	mu sync.Mutex
	d  []time.Duration
}

func (l *latencies) add(d time.Duration) {
	l.mu.Lock()
	l.d = append(l.d, d)
	l.mu.Unlock()
}

func merge(ls ...*latencies) []time.Duration {
	var all []time.Duration
	for _, l := range ls {
		l.mu.Lock()
		all = append(all, l.d...)
		l.mu.Unlock()
	}
	sort.Slice(all, func(i, j int) bool { return all[i] < all[j] })
	return all
}

func pct(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(p/100*float64(len(sorted))+0.5) - 1
	if i < 0 {
		i = 0
	}
	if i >= len(sorted) {
		i = len(sorted) - 1
	}
	return sorted[i]
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// ---- baseline ----

func (b *bench) baseline(ctx context.Context) error {
	logf("sqlite floor: %s batched (%d rows per transaction), then one row per transaction", b.cfg.sqliteDur, b.cfg.sqliteBatch)
	fl, err := sqliteFloor(ctx, b.cfg.sqliteDur, b.cfg.sqliteBatch)
	if err != nil {
		return fmt.Errorf("sqlite floor: %w", err)
	}
	b.rep.add("floor_sqlite_batched_inserts", fl.rowsPerS, "rows/s")
	b.rep.add("floor_sqlite_commits", fl.commitsPerS, "commits/s")
	b.rep.add("floor_sqlite_commit_p50", ms(pct(fl.commitLat, 50)), "ms")
	b.rep.add("floor_sqlite_commit_p99", ms(pct(fl.commitLat, 99)), "ms")

	echo, err := startEcho()
	if err != nil {
		return err
	}
	defer echo.stop()
	url := "ws://" + echo.addr + "/"
	pid := echo.cmd.Process.Pid

	if b.cfg.echoConns > 0 {
		before, _ := settledRSS(pid)
		conns := make([]*client, b.cfg.echoConns)
		logf("echo floor: %d idle connections", len(conns))
		err := b.parallel(len(conns), func(i int) error {
			c, err := dial(ctx, url, b.nextWSAddr(), nil)
			if err != nil {
				return err
			}
			conns[i] = c
			f, err := c.call(ctx, protocol.TypeHello, protocol.HelloData{Protocol: 1, Token: "x"})
			if err == nil && f.Type != protocol.TypeHello {
				err = fmt.Errorf("echo answered %q", f.Type)
			}
			return err
		})
		after, _ := settledRSS(pid)
		held := 0
		for _, c := range conns {
			if c != nil {
				held++
			}
		}
		if err != nil {
			b.rep.note("echo idle connections: %d of %d opened: %v", held, len(conns), err)
		}
		if held > 0 {
			b.rep.add("floor_echo_conns", float64(held), "conns")
			b.rep.add("floor_echo_mem_per_conn", float64(after-before)/float64(held), "KB")
		}
		closeAll(conns)
	}

	logf("echo floor: %d clients, closed loop, %s", b.cfg.echoClients, b.cfg.echoDur)
	clients := make([]*client, b.cfg.echoClients)
	for i := range clients {
		c, err := dial(ctx, url, b.nextWSAddr(), nil)
		if err != nil {
			closeAll(clients)
			return err
		}
		clients[i] = c
	}
	defer closeAll(clients)
	lats := make([]*latencies, len(clients))
	var count atomic.Int64
	start := time.Now()
	t0 := start.Add(500 * time.Millisecond)
	t1 := t0.Add(b.cfg.echoDur)
	var wg sync.WaitGroup
	for i, c := range clients {
		lats[i] = &latencies{}
		wg.Add(1)
		go func(c *client, l *latencies) {
			defer wg.Done()
			var n uint64
			for {
				now := time.Now()
				if now.After(t1) {
					return
				}
				n++
				id := strconv.FormatUint(n, 36)
				cid, _ := uuid.NewV7()
				frame, _ := protocol.Encode(protocol.TypeSend, id, protocol.SendData{
					ConversationID: "0193a3c4-0000-7000-8000-000000000000", ClientMsgID: cid.String(), Kind: protocol.KindText,
					Text: "bench " + strconv.FormatInt(now.UnixNano(), 10),
				})
				if _, err := c.callRaw(ctx, id, frame); err != nil {
					return
				}
				done := time.Now()
				if done.After(t0) && !done.After(t1) {
					count.Add(1)
					l.add(done.Sub(now))
				}
			}
		}(c, lats[i])
	}
	wg.Wait()
	all := merge(lats...)
	b.rep.add("floor_echo_round_trips", float64(count.Load())/b.cfg.echoDur.Seconds(), "rt/s")
	b.rep.add("floor_echo_p50", ms(pct(all, 50)), "ms")
	b.rep.add("floor_echo_p95", ms(pct(all, 95)), "ms")
	b.rep.add("floor_echo_p99", ms(pct(all, 99)), "ms")

	// The same echo server with the thinnest client: one prepared frame
	// written and read back in a loop on the connection's own goroutine,
	// no JSON, no reply matching.
	logf("raw echo floor: %d clients, write-read loop, %s", b.cfg.echoClients, b.cfg.echoDur)
	raw := make([]*websocket.Conn, b.cfg.echoClients)
	for i := range raw {
		ws, _, err := dialer(b.nextWSAddr()).DialContext(ctx, url, nil)
		if err != nil {
			return err
		}
		defer ws.Close()
		raw[i] = ws
	}
	frame, _ := protocol.Encode(protocol.TypeSend, "1", protocol.SendData{
		ConversationID: "0193a3c4-0000-7000-8000-000000000000", ClientMsgID: uuid.NewString(), Kind: protocol.KindText,
		Text: stampText(time.Now()),
	})
	count.Store(0)
	t0 = time.Now().Add(500 * time.Millisecond)
	t1 = t0.Add(b.cfg.echoDur)
	rawLats := make([]*latencies, len(raw))
	for i, ws := range raw {
		rawLats[i] = &latencies{}
		wg.Add(1)
		go func(ws *websocket.Conn, l *latencies) {
			defer wg.Done()
			for {
				now := time.Now()
				if now.After(t1) {
					return
				}
				if ws.WriteMessage(websocket.TextMessage, frame) != nil {
					return
				}
				if _, _, err := ws.ReadMessage(); err != nil {
					return
				}
				done := time.Now()
				if done.After(t0) && !done.After(t1) {
					count.Add(1)
					l.add(done.Sub(now))
				}
			}
		}(ws, rawLats[i])
	}
	wg.Wait()
	all = merge(rawLats...)
	b.rep.add("floor_echo_raw_round_trips", float64(count.Load())/b.cfg.echoDur.Seconds(), "rt/s")
	b.rep.add("floor_echo_raw_p50", ms(pct(all, 50)), "ms")
	b.rep.add("floor_echo_raw_p99", ms(pct(all, 99)), "ms")
	return nil
}

func closeAll(cs []*client) {
	var wg sync.WaitGroup
	sem := make(chan struct{}, 256)
	for _, c := range cs {
		if c == nil {
			continue
		}
		wg.Add(1)
		sem <- struct{}{}
		go func(c *client) {
			defer wg.Done()
			c.close()
			<-sem
		}(c)
	}
	wg.Wait()
}

// ---- connections ----

func (b *bench) connections(ctx context.Context) error {
	n := b.cfg.conns
	if cur, hard, ok := fdLimit(); ok && cur < 20100 {
		b.rep.note("the open-file limit is %d (hard %d): each process (this one and the server) holds at most about that many connections", cur, hard)
	}
	logf("minting %d visitor tokens", n)
	start := time.Now()
	tokens, err := b.visitorTokens(ctx, n)
	if err != nil {
		return fmt.Errorf("visitor tokens: %w", err)
	}
	logf("minted in %s", time.Since(start).Round(time.Millisecond))
	var before int64
	if b.cfg.serverPID > 0 {
		if before, err = settledRSS(b.cfg.serverPID); err != nil {
			return err
		}
	}
	logf("opening %d idle customer connections (hello each)", n)
	conns := make([]*client, n)
	var held atomic.Int64
	start = time.Now()
	err = b.parallel(n, func(i int) error {
		c, err := dial(ctx, b.cfg.wsURL, b.nextWSAddr(), nil)
		if err != nil {
			return fmt.Errorf("connection %d: %w", i, err)
		}
		conns[i] = c
		if _, err := c.hello(ctx, tokens[i], nil); err != nil {
			return fmt.Errorf("hello %d: %w", i, err)
		}
		held.Add(1)
		return nil
	})
	opened := time.Since(start)
	if err != nil {
		b.rep.note("idle connections: %d of %d held: %v", held.Load(), n, err)
	}
	// Hold them a moment, then check they are all still up.
	time.Sleep(2 * time.Second)
	alive := 0
	for _, c := range conns {
		if c == nil {
			continue
		}
		select {
		case <-c.done:
		default:
			alive++
		}
	}
	b.rep.add("conns_held", float64(alive), "conns")
	b.rep.add("conns_open_rate", float64(held.Load())/opened.Seconds(), "conns/s")
	if b.cfg.serverPID > 0 && alive > 0 {
		after, err := settledRSS(b.cfg.serverPID)
		if err != nil {
			return err
		}
		b.rep.add("server_rss_before", float64(before)/1024, "MB")
		b.rep.add("server_rss_after", float64(after)/1024, "MB")
		b.rep.add("mem_per_conn", float64(after-before)/float64(alive), "KB")
	}
	if b.cfg.profileSig && b.cfg.serverPID > 0 {
		signalPID(b.cfg.serverPID, sigHeap) // heap profile while they are held
		time.Sleep(2 * time.Second)
	}
	logf("closing the idle connections")
	closeAll(conns)
	if err != nil {
		return err
	}
	return nil
}

// ---- throughput ----

// window is the measured interval; events outside it are not counted.
type window struct{ t0, t1 time.Time }

func (w window) in(t time.Time) bool { return !t.Before(w.t0) && !t.After(w.t1) }

// stamp prefixes a message text with its send time, so that whoever
// receives it can compute the end-to-end latency.
const stampPrefix = "bench "

func stampText(t time.Time) string { return stampPrefix + strconv.FormatInt(t.UnixNano(), 10) }

func parseStamp(text string) (time.Time, bool) {
	if !strings.HasPrefix(text, stampPrefix) {
		return time.Time{}, false
	}
	s := text[len(stampPrefix):]
	if i := strings.IndexByte(s, ' '); i >= 0 {
		s = s[:i]
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return time.Time{}, false
	}
	return time.Unix(0, n), true
}

// counters are the throughput phase's shared tallies.
type counters struct {
	win       atomic.Pointer[window]
	acks      atomic.Int64
	delivered atomic.Int64
	limited   atomic.Int64
	errs      sync.Map // code -> *atomic.Int64
	dropped   atomic.Int64
}

func (k *counters) inWindow(t time.Time) bool {
	w := k.win.Load()
	return w != nil && w.in(t)
}

func (k *counters) errCount(code string) {
	v, _ := k.errs.LoadOrStore(code, new(atomic.Int64))
	v.(*atomic.Int64).Add(1)
}

// agentConn is one agent's connection.
type agentConn struct {
	c     *client
	node  int // index in config.servers
	user  protocol.User
	lat   latencies
	mu    sync.Mutex
	convs []string
}

// customerConn is one customer's connection in the throughput phase.
type customerConn struct {
	c      *client
	conv   string
	lat    latencies
	ackLat latencies
	queued chan struct{}
}

// rawStamp reads a message push without decoding it: it reports the send
// stamp of a "message" frame from fromRole. Pushes are encoded by the server
// with encoding/json from protocol.Frame and protocol.Message, so the field
// order is fixed: "type" first, the sender before the text.
func rawStamp(msg []byte, fromRole string) (sent time.Time, isMessage, ok bool) {
	if !bytes.HasPrefix(msg, []byte(`{"type":"message"`)) {
		return time.Time{}, false, false
	}
	i := bytes.Index(msg, []byte(`"sender":{"role":"`))
	if i < 0 || !bytes.HasPrefix(msg[i+len(`"sender":{"role":"`):], []byte(fromRole+`"`)) {
		return time.Time{}, true, false
	}
	j := bytes.Index(msg, []byte(`"text":"`+stampPrefix))
	if j < 0 {
		return time.Time{}, true, false
	}
	rest := msg[j+len(`"text":"`+stampPrefix):]
	var n int64
	k := 0
	for ; k < len(rest) && rest[k] >= '0' && rest[k] <= '9'; k++ {
		n = n*10 + int64(rest[k]-'0')
	}
	if k == 0 {
		return time.Time{}, true, false
	}
	return time.Unix(0, n), true, true
}

// rawMessagePush measures message pushes from fromRole without decoding
// them; other frames go on to the decoder.
func (b *bench) rawMessagePush(k *counters, l *latencies, fromRole string) func([]byte, time.Time) bool {
	return func(msg []byte, at time.Time) bool {
		sent, isMsg, ok := rawStamp(msg, fromRole)
		if ok && k != nil && k.inWindow(at) {
			k.delivered.Add(1)
			l.add(at.Sub(sent))
		}
		return isMsg
	}
}

func (b *bench) login(ctx context.Context, username string) (string, error) {
	var out struct {
		Token string `json:"token"`
	}
	err := postJSON(ctx, b.tokenIPs.get(), b.cfg.server+"/api/v1/login", map[string]string{"username": username, "password": b.cfg.password}, &out)
	return out.Token, err
}

// connectAgents signs the agents in and connects them once; their pushes
// are measured with k.
func (b *bench) connectAgents(ctx context.Context, k *counters) ([]*agentConn, error) {
	b.agentsMu.Lock()
	defer b.agentsMu.Unlock()
	live := b.agentCs[:0]
	for _, a := range b.agentCs {
		select {
		case <-a.c.done:
			a.c.close() // dropped (say, as a slow consumer): connect again
		default:
			live = append(live, a)
		}
	}
	if len(live) == len(b.cfg.agents) {
		return live, nil
	}
	closeAll(func() (cs []*client) {
		for _, a := range live {
			cs = append(cs, a.c)
		}
		return cs
	}())
	b.agentCs = nil
	for i, name := range b.cfg.agents {
		token, err := b.login(ctx, strings.TrimSpace(name))
		if err != nil {
			return nil, fmt.Errorf("login %s: %w", name, err)
		}
		// Agent i on node i: with customers spread the same way, an
		// agent's customers can be on the other nodes (agentFor).
		a := &agentConn{node: i % len(b.cfg.servers)}
		c, err := dialRaw(ctx, wsURLOf(b.cfg.servers[a.node]), b.nextWSAddr(), b.rawMessagePush(k, &a.lat, protocol.RoleCustomer), nil)
		if err != nil {
			return nil, err
		}
		a.c = c
		w, err := c.hello(ctx, token, nil)
		if err != nil {
			return nil, fmt.Errorf("hello %s: %w", name, err)
		}
		a.user = w.User
		b.agentCs = append(b.agentCs, a)
	}
	return b.agentCs, nil
}

func (b *bench) closeAgents() {
	b.agentsMu.Lock()
	defer b.agentsMu.Unlock()
	for _, a := range b.agentCs {
		a.c.close()
	}
	b.agentCs = nil
}

// handedOver connects a customer with token, opens its conversation, asks
// for a person (the bot hands over) and has agent accept it.
func (b *bench) handedOver(ctx context.Context, wsURL, token string, agent *agentConn, rawPush func([]byte, time.Time) bool) (*client, string, int64, error) {
	queued := make(chan struct{}, 1)
	var convID atomic.Value
	convID.Store("")
	push := func(f protocol.Frame, at time.Time) {
		if f.Type == protocol.TypeConversation {
			var cv protocol.Conversation
			if protocol.DecodeData(f, &cv) == nil && cv.State == protocol.StateQueued && cv.ID == convID.Load().(string) {
				select {
				case queued <- struct{}{}:
				default:
				}
			}
		}
	}
	c, err := dialRaw(ctx, wsURL, b.nextWSAddr(), rawPush, push)
	if err != nil {
		return nil, "", 0, err
	}
	fail := func(err error) (*client, string, int64, error) {
		c.close()
		return nil, "", 0, err
	}
	if _, err := c.hello(ctx, token, nil); err != nil {
		return fail(fmt.Errorf("hello: %w", err))
	}
	f, err := c.call(ctx, protocol.TypeOpen, protocol.OpenData{Ext: map[string]string{"source": "switchboard-bench"}})
	if err == nil {
		err = frameErr(f)
	}
	if err != nil {
		return fail(fmt.Errorf("open: %w", err))
	}
	var cv protocol.Conversation
	if perr := protocol.DecodeData(f, &cv); perr != nil {
		return fail(perr)
	}
	convID.Store(cv.ID)
	if cv.State == protocol.StateBot {
		if err := b.sendRetry(ctx, c, cv.ID, "转人工", nil); err != nil {
			return fail(fmt.Errorf("ask for a person: %w", err))
		}
		select {
		case <-queued:
		case <-time.After(15 * time.Second):
			return fail(errors.New("the conversation was not handed over within 15s"))
		}
	}
	f, err = agent.c.call(ctx, protocol.TypeAccept, protocol.ConversationRef{ConversationID: cv.ID})
	if err == nil {
		err = frameErr(f)
	}
	if err != nil {
		return fail(fmt.Errorf("accept by %s: %w", agent.user.Name, err))
	}
	if perr := protocol.DecodeData(f, &cv); perr != nil {
		return fail(perr)
	}
	agent.mu.Lock()
	agent.convs = append(agent.convs, cv.ID)
	agent.mu.Unlock()
	return c, cv.ID, cv.LastSeq, nil
}

// sendRetry sends one text message, resending with the same client_msg_id
// while the server answers rate_limited; onAck (if set) sees the ack time.
func (b *bench) sendRetry(ctx context.Context, c *client, conv, text string, k *counters) error {
	id, _ := uuid.NewV7()
	d := protocol.SendData{ConversationID: conv, ClientMsgID: id.String(), Kind: protocol.KindText, Text: text}
	for attempt := 0; ; attempt++ {
		f, err := c.call(ctx, protocol.TypeSend, d)
		if err != nil {
			return err
		}
		if f.Type == protocol.TypeAck {
			return nil
		}
		ferr := frameErr(f)
		var pe *protocol.Error
		if errors.As(ferr, &pe) && pe.Code == protocol.ErrRateLimited.Code && attempt < 200 {
			if k != nil {
				k.limited.Add(1)
			}
			time.Sleep(50 * time.Millisecond)
			continue
		}
		if ferr == nil {
			ferr = fmt.Errorf("unexpected %q frame", f.Type)
		}
		return ferr
	}
}

func (b *bench) throughput(ctx context.Context) error {
	k := &counters{}
	agents, err := b.connectAgents(ctx, k)
	if err != nil {
		return err
	}
	n := b.cfg.customers
	logf("minting %d visitor tokens", n)
	tokens, err := b.visitorTokens(ctx, n)
	if err != nil {
		return fmt.Errorf("visitor tokens: %w", err)
	}
	nodes := len(b.cfg.servers)
	logf("connecting %d customers to %d node(s), handing each conversation over to an agent (%s)", n, nodes, strings.Join(b.cfg.agents, ", "))
	custs := make([]*customerConn, n)
	var crossNode atomic.Int64
	err = b.parallel(n, func(i int) error {
		cc := &customerConn{}
		node := i % nodes
		agent := agentFor(agents, node, i/nodes)
		if agent.node != node {
			crossNode.Add(1)
		}
		c, conv, _, err := b.handedOver(ctx, wsURLOf(b.cfg.servers[node]), tokens[i], agent, b.rawMessagePush(k, &cc.lat, protocol.RoleAgent))
		if err != nil {
			return fmt.Errorf("customer %d: %w", i, err)
		}
		cc.c, cc.conv = c, conv
		custs[i] = cc
		return nil
	})
	defer func() {
		cs := make([]*client, 0, len(custs))
		for _, cc := range custs {
			if cc != nil {
				cs = append(cs, cc.c)
			}
		}
		closeAll(cs)
	}()
	if err != nil {
		return err
	}

	start := time.Now()
	w := &window{t0: start.Add(b.cfg.warmup), t1: start.Add(b.cfg.warmup + b.cfg.duration)}
	k.win.Store(w)
	logf("sending for %s (+%s warm-up): %d customers, rate %s per customer, agents reply %s/s each",
		b.cfg.duration, b.cfg.warmup, n, rateText(b.cfg.rate), fmtNum(b.cfg.agentRate))
	if b.cfg.profileSig && b.cfg.serverPID > 0 {
		go func() {
			time.Sleep(time.Until(w.t0))
			signalPID(b.cfg.serverPID, sigCPUStart)
			time.Sleep(time.Until(w.t1))
			signalPID(b.cfg.serverPID, sigCPUStop)
		}()
	}
	// The servers' CPU time over the window: under a fixed offered load it
	// says what each message costs, whatever else the machine runs. So do
	// the watched processes' (a cluster's database and bus) and this
	// process's own.
	var procs []watched
	for i, pid := range b.cfg.serverPIDs {
		if pid > 0 {
			procs = append(procs, watched{name: fmt.Sprintf("node%d", i+1), pid: pid})
		}
	}
	serverProcs := len(procs)
	procs = append(procs, b.cfg.watch...)
	procs = append(procs, watched{name: "client", pid: os.Getpid()})
	cpuDone := make(chan []float64, 1)
	go func() {
		read := func() []float64 {
			v := make([]float64, len(procs))
			for i, p := range procs {
				c, err := cpuOf(p)
				if err != nil {
					c = math.NaN()
				}
				v[i] = c
			}
			return v
		}
		time.Sleep(time.Until(w.t0))
		c0 := read()
		time.Sleep(time.Until(w.t1))
		c1 := read()
		for i := range c1 {
			c1[i] -= c0[i]
		}
		cpuDone <- c1
	}()
	var wg sync.WaitGroup
	var deadConns atomic.Int64
	var slow slowAcks
	sendLoop := func(c *client, convs func(i int) string, rate float64, ackLat *latencies) {
		defer wg.Done()
		var interval time.Duration
		if rate > 0 {
			interval = time.Duration(float64(time.Second) / rate)
		}
		next := time.Now()
		if interval > 0 {
			// Each sender starts at a random phase of its interval, so
			// that the senders do not all fire in the same millisecond.
			next = next.Add(time.Duration(rand.Int64N(int64(interval))) - interval)
		}
		for i := 0; ; i++ {
			if interval > 0 {
				// At most rate a second: a send that ran late does not
				// make the next ones hurry.
				next = next.Add(interval)
				if d := time.Until(next); d > 0 {
					time.Sleep(d)
				} else {
					next = time.Now()
				}
			}
			if time.Now().After(w.t1) {
				return
			}
			cid, _ := uuid.NewV7()
			conv, msgID := convs(i), cid.String()
			for {
				// Stamped at each attempt: a send refused with
				// rate_limited was not taken, and its resend (same
				// client_msg_id) is timed on its own.
				sent := time.Now()
				f, err := c.sendText(ctx, conv, msgID, stampText(sent))
				if err != nil {
					deadConns.Add(1)
					return
				}
				if f.Type == protocol.TypeAck {
					at := time.Now()
					if w.in(at) {
						k.acks.Add(1)
						ackLat.add(at.Sub(sent))
						if lat := at.Sub(sent); b.cfg.slow > 0 && lat > b.cfg.slow {
							slow.add(sent.Sub(w.t0), lat)
						}
					}
					break
				}
				var pe *protocol.Error
				if errors.As(frameErr(f), &pe) {
					if pe.Code == protocol.ErrRateLimited.Code {
						k.limited.Add(1)
						time.Sleep(20 * time.Millisecond)
						continue
					}
					k.errCount(pe.Code)
				} else {
					k.errCount(f.Type)
				}
				break
			}
		}
	}
	for _, cc := range custs {
		wg.Add(1)
		conv := cc.conv
		go sendLoop(cc.c, func(int) string { return conv }, b.cfg.rate, &cc.ackLat)
	}
	agentAck := make([]*latencies, len(agents))
	for i, a := range agents {
		agentAck[i] = &latencies{}
		if b.cfg.agentRate <= 0 {
			continue
		}
		a.mu.Lock()
		convs := append([]string(nil), a.convs...)
		a.mu.Unlock()
		if len(convs) == 0 {
			continue
		}
		wg.Add(1)
		go sendLoop(a.c, func(i int) string { return convs[i%len(convs)] }, b.cfg.agentRate, agentAck[i])
	}
	wg.Wait()
	time.Sleep(500 * time.Millisecond) // the last pushes of the window
	k.win.Store(nil)
	if b.cfg.slow > 0 {
		slow.print(b.cfg.slow)
	}

	secs := b.cfg.duration.Seconds()
	var e2e []*latencies
	var acks []*latencies
	for _, cc := range custs {
		e2e = append(e2e, &cc.lat)
		acks = append(acks, &cc.ackLat)
	}
	for i, a := range agents {
		e2e = append(e2e, &a.lat)
		acks = append(acks, agentAck[i])
	}
	all := merge(e2e...)
	ackAll := merge(acks...)
	b.rep.add("durable_msgs", float64(k.acks.Load())/secs, "msgs/s")
	b.rep.add("delivered_msgs", float64(k.delivered.Load())/secs, "msgs/s")
	b.rep.add("e2e_p50", ms(pct(all, 50)), "ms")
	b.rep.add("e2e_p95", ms(pct(all, 95)), "ms")
	b.rep.add("e2e_p99", ms(pct(all, 99)), "ms")
	b.rep.add("ack_p50", ms(pct(ackAll, 50)), "ms")
	b.rep.add("ack_p99", ms(pct(ackAll, 99)), "ms")
	if nodes > 1 {
		b.rep.add("cross_node_convs", float64(crossNode.Load()), "convs")
	}
	cpu := <-cpuDone
	acked := float64(k.acks.Load())
	var servers, allCPU float64
	for i, p := range procs {
		if math.IsNaN(cpu[i]) {
			b.rep.note("the CPU time of %s (pid %d) could not be read", p.name, p.pid)
			continue
		}
		if i < serverProcs {
			servers += cpu[i]
		}
		if p.name != "client" {
			allCPU += cpu[i]
		}
		if serverProcs > 1 || i >= serverProcs {
			b.rep.add(p.name+"_cpu", cpu[i]/secs, "cores")
		}
	}
	if serverProcs > 0 {
		b.rep.add("server_cpu", servers/secs, "cores")
		if acked > 0 {
			b.rep.add("server_cpu_per_msg", servers/acked*1e6, "us")
		}
	}
	if len(b.cfg.watch) > 0 && acked > 0 {
		b.rep.add("all_cpu_per_msg", allCPU/acked*1e6, "us")
	}
	if v := k.limited.Load(); v > 0 {
		b.rep.note("the server answered rate_limited %d times (resent after 20 ms with the same client_msg_id; those waits are not in the latencies)", v)
	}
	k.errs.Range(func(key, v any) bool {
		b.rep.note("send answered %s %d times", key, v.(*atomic.Int64).Load())
		return true
	})
	if v := deadConns.Load(); v > 0 {
		b.rep.note("%d connections ended during the throughput phase", v)
	}
	for _, a := range agents {
		select {
		case <-a.c.done:
			b.rep.note("the connection of agent %s ended during the throughput phase (%v): the pushes after that were not measured; 4001 means the server dropped it as a slow consumer (its outbound queue overflowed)", a.user.Name, a.c.readErr)
		default:
		}
	}
	return nil
}

// agentFor picks the agent of the k-th customer on node: round-robin over
// the agents on other nodes, so that the pushes between the two cross the
// bus; over all agents when they are all on that node.
func agentFor(agents []*agentConn, node, k int) *agentConn {
	var other []*agentConn
	for _, a := range agents {
		if a.node != node {
			other = append(other, a)
		}
	}
	if len(other) == 0 {
		other = agents
	}
	return other[k%len(other)]
}

func rateText(r float64) string {
	if r <= 0 {
		return "closed loop"
	}
	return fmtNum(r) + "/s"
}

// ---- resume ----

func (b *bench) resume(ctx context.Context) error {
	agents, err := b.connectAgents(ctx, nil)
	if err != nil {
		return err
	}
	tokens, err := b.visitorTokens(ctx, 1)
	if err != nil {
		return err
	}
	token := tokens[0]
	// The reader: the customer's connection, which goes away holding
	// lastSeq.
	reader, conv, lastSeq, err := b.handedOver(ctx, b.cfg.wsURL, token, agents[0], nil)
	if err != nil {
		return err
	}
	reader.close()

	missed := b.cfg.missed
	logf("writing %d messages the customer misses (%d connections)", missed, b.cfg.resumeConns)
	writers := make([]*client, max(1, min(b.cfg.resumeConns, missed)))
	err = b.parallel(len(writers), func(i int) error {
		c, err := dial(ctx, b.cfg.wsURL, b.nextWSAddr(), nil)
		if err != nil {
			return err
		}
		writers[i] = c
		_, err = c.hello(ctx, token, nil)
		return err
	})
	if err != nil {
		closeAll(writers)
		return err
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	var werr atomic.Value
	for _, c := range writers {
		wg.Add(1)
		go func(c *client) {
			defer wg.Done()
			for next.Add(1) <= int64(missed) {
				if err := b.sendRetry(ctx, c, conv, stampText(time.Now()), nil); err != nil {
					werr.Store(err)
					return
				}
			}
		}(c)
	}
	wg.Wait()
	closeAll(writers)
	if err, _ := werr.Load().(error); err != nil {
		return fmt.Errorf("writing the missed messages: %w", err)
	}

	var times, dials []time.Duration
	mode := b.cfg.resumeMode
	for rep := 0; rep < b.cfg.resumeReps; rep++ {
		var mu sync.Mutex
		got := map[int64]bool{}
		allIn := make(chan struct{})
		var once sync.Once
		record := func(m protocol.Message) {
			if m.ConversationID != conv || m.Seq <= lastSeq {
				return
			}
			mu.Lock()
			got[m.Seq] = true
			n := len(got)
			mu.Unlock()
			if n >= missed {
				once.Do(func() { close(allIn) })
			}
		}
		push := func(f protocol.Frame, _ time.Time) {
			if f.Type != protocol.TypeMessage {
				return
			}
			var m protocol.Message
			if protocol.DecodeData(f, &m) == nil {
				record(m)
			}
		}
		d0 := time.Now()
		c, err := dial(ctx, b.cfg.wsURL, b.nextWSAddr(), push)
		if err != nil {
			return err
		}
		dials = append(dials, time.Since(d0))
		t0 := time.Now()
		var resumeMap map[string]int64
		if mode == "hello" {
			resumeMap = map[string]int64{conv: lastSeq}
		}
		if _, err := c.hello(ctx, token, resumeMap); err != nil {
			c.close()
			return err
		}
		if mode == "hello" {
			select {
			case <-allIn:
			case <-time.After(2 * time.Second):
				mu.Lock()
				n := len(got)
				mu.Unlock()
				b.rep.note("hello.resume delivered %d of %d missed messages within 2 s; measuring with sync instead", n, missed)
				mode = "sync"
				c.close()
				rep--
				continue
			}
		} else {
			after := lastSeq
			for {
				f, err := c.call(ctx, protocol.TypeSync, protocol.SyncData{ConversationID: conv, AfterSeq: after, Limit: 500})
				if err == nil {
					err = frameErr(f)
				}
				if err != nil {
					c.close()
					return fmt.Errorf("sync: %w", err)
				}
				var h protocol.HistoryData
				if perr := protocol.DecodeData(f, &h); perr != nil {
					c.close()
					return perr
				}
				for _, m := range h.Messages {
					if m.Seq != after+1 {
						c.close()
						return fmt.Errorf("sync returned seq %d after %d: not gap-free", m.Seq, after)
					}
					after = m.Seq
					record(m)
				}
				if !h.HasMore || len(h.Messages) == 0 {
					break
				}
			}
			mu.Lock()
			n := len(got)
			mu.Unlock()
			if n < missed {
				c.close()
				return fmt.Errorf("sync returned %d of %d missed messages", n, missed)
			}
		}
		times = append(times, time.Since(t0))
		c.close()
	}
	sort.Slice(times, func(i, j int) bool { return times[i] < times[j] })
	sort.Slice(dials, func(i, j int) bool { return dials[i] < dials[j] })
	b.rep.note("resume: %d missed messages, caught up with %s; %d runs, from hello sent to the last missed message held (the WebSocket dial, p50 %.2f ms, is not included)",
		missed, mode, len(times), ms(dials[len(dials)/2]))
	b.rep.add("resume_missed", float64(missed), "msgs")
	b.rep.add("resume_p50", ms(times[len(times)/2]), "ms")
	b.rep.add("resume_max", ms(times[len(times)-1]), "ms")
	return nil
}

// slowAcks counts the acks slower than -slow by the 100 ms of the window
// their message was sent in.
type slowAcks struct {
	mu      sync.Mutex
	buckets map[int64]slowBucket
}

type slowBucket struct {
	n   int
	max time.Duration
}

func (s *slowAcks) add(offset, lat time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.buckets == nil {
		s.buckets = make(map[int64]slowBucket)
	}
	k := int64(offset / (100 * time.Millisecond))
	b := s.buckets[k]
	b.n++
	b.max = max(b.max, lat)
	s.buckets[k] = b
}

// print lists the buckets in order: when, how many, the slowest.
func (s *slowAcks) print(over time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	keys := slices.Sorted(maps.Keys(s.buckets))
	total := 0
	for _, k := range keys {
		total += s.buckets[k].n
	}
	logf("%d acks slower than %s, by when their message was sent:", total, over)
	for _, k := range keys {
		b := s.buckets[k]
		logf("  %5.1f s: %4d, slowest %s", float64(k)/10, b.n, b.max.Round(100*time.Microsecond))
	}
}
