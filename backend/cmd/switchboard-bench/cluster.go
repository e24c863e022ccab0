package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"text/tabwriter"
	"time"

	"switchboard/backend/store/postgres/pgtest"
)

// clusterSetup is one configuration the cluster benchmark measures.
type clusterSetup struct {
	name  string // prefix of its BENCH lines: sqlite1, pg1, pg2, …
	nodes int
	pg    bool // PostgreSQL and the NATS bus; else SQLite in the node's data directory, no bus
}

func (s clusterSetup) label() string {
	if s.pg {
		return fmt.Sprintf("%d × node, PostgreSQL + NATS", s.nodes)
	}
	return fmt.Sprintf("%d × node, SQLite", s.nodes)
}

// clusterEnv is what every configuration shares.
type clusterEnv struct {
	serverBin  string
	serveFlags []string
	dir        string // the nodes' data directories and logs
	pg         *pgtest.Cluster
	natsURL    string
	natsPID    int
}

// clusterMain runs the cluster benchmark: the throughput phase against one
// node on SQLite, then against 1, 2, 3 … nodes sharing one PostgreSQL
// database and one NATS bus, every process on this machine.
func clusterMain(args []string) int {
	var c config
	fs := flag.NewFlagSet("cluster", flag.ContinueOnError)
	serverBin := fs.String("server-bin", "bin/switchboard-server", "the server binary the nodes run")
	natsBin := fs.String("nats-bin", "bin/nats-server", "the NATS server binary (go build -o bin/nats-server github.com/nats-io/nats-server/v2)")
	nodesFlag := fs.String("nodes", "1,2,3", "cluster sizes to measure on PostgreSQL and NATS, comma-separated")
	withSQLite := fs.Bool("sqlite", true, "also measure one node on SQLite, without a bus, as the baseline")
	pgFast := fs.Bool("pg-fast", false, "run PostgreSQL with fsync, synchronous_commit and full_page_writes off, as the tests do (default: on, as SQLite syncs every commit)")
	serveFlags := fs.String("serve-flags", "", "more flags for every node, space-separated")
	agents := throughputFlags(fs, &c, 15*time.Second)
	if err := fs.Parse(args); err != nil {
		return 2
	}
	c.agents = strings.Split(*agents, ",")
	c.phases = map[string]bool{"throughput": true}
	var setups []clusterSetup
	if *withSQLite {
		setups = append(setups, clusterSetup{name: "sqlite1", nodes: 1})
	}
	for _, f := range strings.Split(*nodesFlag, ",") {
		if f = strings.TrimSpace(f); f == "" {
			continue
		}
		n, err := strconv.Atoi(f)
		if err != nil || n < 1 {
			fmt.Fprintf(os.Stderr, "-nodes: bad cluster size %q\n", f)
			return 2
		}
		setups = append(setups, clusterSetup{name: fmt.Sprintf("pg%d", n), nodes: n, pg: true})
	}
	if len(setups) == 0 {
		fmt.Fprintln(os.Stderr, "nothing to measure: -nodes is empty and -sqlite=false")
		return 2
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	dir, err := os.MkdirTemp("", "switchboard-bench-cluster-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(dir)
	env := &clusterEnv{serverBin: *serverBin, serveFlags: strings.Fields(*serveFlags), dir: dir}
	for _, s := range setups {
		if !s.pg {
			continue
		}
		logf("starting PostgreSQL (durable: %v) and NATS", !*pgFast)
		if env.pg, err = pgtest.StartConfig(ctx, pgtest.Config{Durable: !*pgFast}); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		defer env.pg.Stop()
		nats, url, err := startNATS(ctx, *natsBin, filepath.Join(dir, "nats.log"))
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		defer nats.stop()
		env.natsURL, env.natsPID = url, nats.pid()
		break
	}

	reports := make([]*report, len(setups))
	loads := make([][2]string, len(setups))
	failed := false
	for i, s := range setups {
		logf("== %s: %s", s.name, s.label())
		loads[i][0] = loadavg()
		reports[i], err = env.measure(ctx, s, c)
		loads[i][1] = loadavg()
		if err != nil {
			failed = true
			fmt.Fprintf(os.Stderr, "%s: %v\n", s.name, err)
		}
		if ctx.Err() != nil {
			return 1
		}
	}
	printClusterReport(os.Stdout, c, setups, reports, loads, !*pgFast)
	if failed {
		return 1
	}
	return 0
}

// measure starts s's nodes, runs the throughput phase against them and
// stops them.
func (env *clusterEnv) measure(ctx context.Context, s clusterSetup, c config) (*report, error) {
	rep := &report{}
	var urls []string
	var pids []int
	var common []string
	if s.pg {
		dsn, err := env.pg.CreateDB(ctx)
		if err != nil {
			return rep, err
		}
		common = []string{"--store", dsn, "--bus", env.natsURL}
		c.watch = []watched{{name: "postgres", pid: env.pg.PID(), tree: true}, {name: "nats", pid: env.natsPID}}
	}
	var nodes []*proc
	defer func() {
		for _, n := range nodes {
			n.stop()
		}
	}()
	// One after the other: the first seeds the demo accounts into an
	// empty database, the others find them there.
	for i := 0; i < s.nodes; i++ {
		name := fmt.Sprintf("%s-node%d", s.name, i+1)
		data := filepath.Join(env.dir, name)
		args := append([]string{"serve", "--demo", "--insecure-plaintext", "--data", data, "--node", name,
			"--log-level", "warn", "--routing", "pick", "--demo-capacity", "1000000"}, common...)
		args = append(args, env.serveFlags...)
		node, url, err := startNode(ctx, env.serverBin, args, data+".log")
		if err != nil {
			return rep, fmt.Errorf("%s: %w", name, err)
		}
		nodes = append(nodes, node)
		urls = append(urls, url)
		pids = append(pids, node.pid())
		logf("%s: pid %d on %s", name, node.pid(), url)
	}
	c.setServers(urls, pids)
	b := newBench(c, rep)
	if err := b.waitReady(ctx); err != nil {
		return rep, err
	}
	err := b.throughput(ctx)
	b.closeAgents()
	return rep, err
}

// startNode starts the server with args on a free loopback port and waits
// until it answers; its output goes to logPath.
func startNode(ctx context.Context, bin string, args []string, logPath string) (*proc, string, error) {
	// The port is free when asked, not necessarily when the node binds
	// it: try a few.
	var err error
	for attempt := 0; attempt < 3; attempt++ {
		var port int
		if port, err = freePort(); err != nil {
			return nil, "", err
		}
		addr := fmt.Sprintf("127.0.0.1:%d", port)
		p, serr := startLogged(bin, append(args, "--addr", addr), logPath)
		if serr != nil {
			return nil, "", serr
		}
		url := "http://" + addr
		hctx, cancel := context.WithCancel(ctx)
		go func() {
			select {
			case <-p.exited:
				cancel()
			case <-hctx.Done():
			}
		}()
		err = waitHealthy(hctx, url, 60*time.Second)
		cancel()
		if err == nil {
			return p, url, nil
		}
		p.stop()
		err = fmt.Errorf("not ready: %v\n%s", err, tailFile(logPath, 2000))
		if ctx.Err() != nil {
			break
		}
	}
	return nil, "", err
}

// startNATS starts the NATS server on a free loopback port and waits until
// it accepts connections.
func startNATS(ctx context.Context, bin, logPath string) (*proc, string, error) {
	port, err := freePort()
	if err != nil {
		return nil, "", err
	}
	p, err := startLogged(bin, []string{"-a", "127.0.0.1", "-p", strconv.Itoa(port)}, logPath)
	if err != nil {
		return nil, "", fmt.Errorf("start %s (go build -o bin/nats-server github.com/nats-io/nats-server/v2): %w", bin, err)
	}
	addr := fmt.Sprintf("127.0.0.1:%d", port)
	deadline := time.Now().Add(20 * time.Second)
	for {
		conn, err := net.DialTimeout("tcp", addr, time.Second)
		if err == nil {
			r := bufio.NewReader(conn)
			conn.SetReadDeadline(time.Now().Add(5 * time.Second))
			line, _ := r.ReadString('\n')
			conn.Close()
			if strings.HasPrefix(line, "INFO ") {
				return p, "nats://" + addr, nil
			}
		}
		select {
		case <-p.exited:
			return nil, "", fmt.Errorf("nats-server exited at start:\n%s", tailFile(logPath, 2000))
		case <-ctx.Done():
			p.stop()
			return nil, "", ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			p.stop()
			return nil, "", fmt.Errorf("nats-server not ready after 20s:\n%s", tailFile(logPath, 2000))
		}
	}
}

// proc is a child process whose output goes to a log file.
type proc struct {
	cmd    *exec.Cmd
	exited chan struct{} // closed when it has ended
}

func (p *proc) pid() int { return p.cmd.Process.Pid }

// startLogged starts bin with its output appended to logPath.
func startLogged(bin string, args []string, logPath string) (*proc, error) {
	logFile, err := os.OpenFile(logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return nil, err
	}
	p := &proc{cmd: exec.Command(bin, args...), exited: make(chan struct{})}
	p.cmd.Stdout, p.cmd.Stderr = logFile, logFile
	if err := p.cmd.Start(); err != nil {
		logFile.Close()
		return nil, err
	}
	go func() {
		p.cmd.Wait()
		logFile.Close()
		close(p.exited)
	}()
	return p, nil
}

// stop ends the process: SIGTERM, then SIGKILL after 15 s. Stopping it
// again does nothing.
func (p *proc) stop() {
	select {
	case <-p.exited:
		return
	default:
	}
	p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.exited:
	case <-time.After(15 * time.Second):
		p.cmd.Process.Kill()
		<-p.exited
	}
}

func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

func tailFile(path string, n int) string {
	b, _ := os.ReadFile(path)
	if len(b) > n {
		b = b[len(b)-n:]
	}
	return strings.TrimSpace(string(b))
}

// machine describes this machine for the report: CPUs, their model and
// the memory.
func machine() string {
	model := "unknown CPU"
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
				model = strings.TrimSpace(v)
				break
			}
		}
	}
	mem := "unknown memory"
	if b, err := os.ReadFile("/proc/meminfo"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if f := strings.Fields(line); len(f) >= 2 && f[0] == "MemTotal:" {
				if kb, err := strconv.ParseFloat(f[1], 64); err == nil {
					mem = fmt.Sprintf("%.1f GiB RAM", kb/(1<<20))
				}
				break
			}
		}
	}
	return fmt.Sprintf("%d CPUs (%s), %s, %s", runtime.NumCPU(), model, mem, runtime.Version())
}

func printClusterReport(w io.Writer, c config, setups []clusterSetup, reports []*report, loads [][2]string, durable bool) {
	fmt.Fprintf(w, "\nSwitchboard cluster benchmark on %s\n", machine())
	fmt.Fprintf(w, "Every node, PostgreSQL, NATS and this load generator share these %d CPUs: read the figures as\n"+
		"what each configuration does per core of this machine (see the CPU table), not as scaling across machines.\n", runtime.NumCPU())
	if durable {
		fmt.Fprintln(w, "PostgreSQL: fsync and synchronous_commit on (SQLite: WAL, synchronous=FULL). All nodes --insecure-plaintext.")
	} else {
		fmt.Fprintln(w, "PostgreSQL: fsync and synchronous_commit OFF (-pg-fast); SQLite: WAL, synchronous=FULL. All nodes --insecure-plaintext.")
	}
	fmt.Fprintln(w)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "CONFIGURATION\tDURABLE MSGS/S\tDELIVERED MSGS/S\tE2E P50 / P95 / P99 (ms)\tACK P50 / P99 (ms)\tCROSS-NODE CONVS\tLOAD AVG (start → end)")
	for i, s := range setups {
		g := getter(reports[i])
		cross := "-"
		if v, ok := reports[i].get("cross_node_convs"); ok {
			cross = fmt.Sprintf("%s of %d", fmtNum(v), c.customers)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s / %s / %s\t%s / %s\t%s\t%s → %s\n", s.label(), g("durable_msgs"), g("delivered_msgs"),
			g("e2e_p50"), g("e2e_p95"), g("e2e_p99"), g("ack_p50"), g("ack_p99"), cross,
			strings.Fields(loads[i][0])[0], strings.Fields(loads[i][1])[0])
	}
	tw.Flush()
	fmt.Fprintln(w, "DELIVERED: the other participant's pushes read in the window. Where it is below DURABLE the pushes fell")
	fmt.Fprintln(w, "behind, and the end-to-end latencies are those of the pushes that arrived.")
	fmt.Fprintln(w)
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "CPU IN THE WINDOW (cores)\tNODES (each)\tNODES\tPOSTGRES\tNATS\tCLIENT\tALL\tµs/MSG NODES\tµs/MSG NODES+PG+NATS")
	for i, s := range setups {
		r := reports[i]
		g := getter(r)
		each := g("server_cpu")
		if s.nodes > 1 {
			var per []string
			for n := 1; n <= s.nodes; n++ {
				per = append(per, g(fmt.Sprintf("node%d_cpu", n)))
			}
			each = strings.Join(per, " / ")
		}
		sum := 0.0
		for _, name := range []string{"server_cpu", "postgres_cpu", "nats_cpu", "client_cpu"} {
			if v, ok := r.get(name); ok {
				sum += v
			}
		}
		all := g("all_cpu_per_msg")
		if !s.pg {
			all = g("server_cpu_per_msg")
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", s.label(), each, g("server_cpu"), g("postgres_cpu"), g("nats_cpu"),
			g("client_cpu"), fmtNum(sum), g("server_cpu_per_msg"), all)
	}
	tw.Flush()
	for i, s := range setups {
		notes := reports[i].notes
		for _, n := range notes {
			fmt.Fprintf(w, "note (%s): %s\n", s.name, n)
		}
	}
	fmt.Fprintf(w, "\nsizes: customers=%d (round-robin over the nodes) agents=%s (agent i on node i) duration=%s warmup=%s rate=%s agent-rate=%s\n\n",
		c.customers, strings.Join(c.agents, ","), c.duration, c.warmup, rateText(c.rate), fmtNum(c.agentRate))
	for i, s := range setups {
		for _, x := range reports[i].results {
			fmt.Fprintf(w, "BENCH name=%s_%s value=%s unit=%s\n", s.name, x.name, fmtNum(x.value), x.unit)
		}
	}
}

// getter formats r's figures, "-" for one not measured.
func getter(r *report) func(string) string {
	return func(name string) string {
		if v, ok := r.get(name); ok {
			return fmtNum(v)
		}
		return "-"
	}
}
