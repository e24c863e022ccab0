// Command switchboard-bench is the channel benchmark: it drives a running
// Switchboard server over loopback WebSockets and measures, next to the
// floors measured in the same run (a bare gorilla/websocket echo server and
// raw modernc.org/sqlite inserts), how many idle connections it holds and at
// what memory each, how many durable messages per second it takes with what
// end-to-end latency, and how long a client takes to resume 1,000 missed
// messages.
//
//	switchboard-bench run -server http://127.0.0.1:8080 -server-pid 1234 [flags]
//	switchboard-bench echo [-addr 127.0.0.1:0]     the bare echo server (the run starts it itself)
//	switchboard-bench serve [server flags]          the server in-process, CPU-profiled on SIGUSR1..SIGUSR2
//	switchboard-bench cluster [flags]               the throughput phase against 1, 2, 3 nodes of a cluster
//	switchboard-bench freeport                      print a free loopback TCP port
//
// make bench-channel builds the server and this tool, starts the server with
// --demo on a free port with a temporary data directory and runs "run"
// against it. The figures are printed as a table and, as the last lines, as
// "BENCH name=… value=… unit=…" lines. make bench-cluster runs "cluster",
// which starts PostgreSQL, NATS and the nodes itself. docs/benchmarks.md
// has the method and the figures measured.
package main

import (
	"fmt"
	"os"

	"github.com/google/uuid"
)

func main() {
	// client_msg_ids from a pool of randomness read ahead, not a read of
	// crypto/rand each: thousands are made a second.
	uuid.EnableRandPool()
	os.Exit(dispatch(os.Args[1:]))
}

const usage = `switchboard-bench: the Switchboard channel benchmark.

Usage:
  switchboard-bench run -server URL [-server-pid PID] [flags]   run the benchmark (see "run -h")
  switchboard-bench echo [-addr ADDR]                           run the bare WebSocket echo server
  switchboard-bench serve [--demo --addr --data --log-level --cpuprofile FILE --trace FILE]
                                                               run the server in-process; SIGUSR1 starts
                                                               and SIGUSR2 stops a CPU profile
  switchboard-bench cluster [flags]                             start PostgreSQL, NATS and 1, 2, 3 nodes and run the
                                                               throughput phase against each cluster and one SQLite
                                                               node (see "cluster -h")
  switchboard-bench freeport                                    print a free loopback TCP port
`

func dispatch(args []string) int {
	if len(args) == 0 {
		fmt.Fprint(os.Stderr, usage)
		return 2
	}
	switch args[0] {
	case "run":
		return runMain(args[1:])
	case "echo":
		return echoMain(args[1:], os.Stdout)
	case "serve":
		return serveMain(args[1:])
	case "cluster":
		return clusterMain(args[1:])
	case "freeport":
		port, err := freePort()
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		fmt.Println(port)
		return 0
	case "help", "-h", "--help":
		fmt.Print(usage)
		return 0
	}
	fmt.Fprintf(os.Stderr, "unknown command %q\n\n%s", args[0], usage)
	return 2
}
