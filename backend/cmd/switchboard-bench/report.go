package main

import (
	"fmt"
	"io"
	"runtime"
	"sort"
	"strings"
	"text/tabwriter"
)

// printReport prints the human table, then one BENCH line per figure as the
// last lines.
func printReport(w io.Writer, c config, r *report) {
	get := func(name string) string {
		if v, ok := r.get(name); ok {
			return fmtNum(v)
		}
		return "-"
	}
	ratio := func(a, b string, inverse bool) string {
		x, ok1 := r.get(a)
		y, ok2 := r.get(b)
		if !ok1 || !ok2 || x == 0 || y == 0 {
			return "-"
		}
		if inverse {
			return fmt.Sprintf("%.2f× the floor's", x/y)
		}
		return fmt.Sprintf("%.3f of the floor", x/y)
	}
	verdict := func(name string, target float64, atMost bool) string {
		v, ok := r.get(name)
		if !ok {
			return "not measured"
		}
		switch {
		case atMost && v <= target, !atMost && v >= target:
			return "met"
		case atMost:
			return fmt.Sprintf("MISSED (%.1f× the target)", v/target)
		}
		return fmt.Sprintf("MISSED (%.1f%% of the target)", 100*v/target)
	}
	fmt.Fprintln(w)
	fmt.Fprintf(w, "Switchboard channel benchmark (%d CPUs, %s)\n\n", runtime.NumCPU(), runtime.Version())
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "FIGURE\tMEASURED\tTARGET (SPEC §8)\tVERDICT\tFLOOR (same run)\tRATIO")
	fmt.Fprintf(tw, "connections held\t%s\t20,000\t%s\t%s (echo)\t-\n", get("conns_held"), verdict("conns_held", 20000, false), get("floor_echo_conns"))
	fmt.Fprintf(tw, "memory per connection (KB)\t%s\t≤ 25\t%s\t%s (echo)\t%s\n", get("mem_per_conn"), verdict("mem_per_conn", 25, true), get("floor_echo_mem_per_conn"), ratio("mem_per_conn", "floor_echo_mem_per_conn", true))
	fmt.Fprintf(tw, "durable msgs/s\t%s\t≥ 20,000\t%s\t%s rt/s (echo)\t%s\n", get("durable_msgs"), verdict("durable_msgs", 20000, false), get("floor_echo_round_trips"), ratio("durable_msgs", "floor_echo_round_trips", false))
	fmt.Fprintf(tw, "  vs. raw echo rt/s\t\t\t\t%s\t%s\n", get("floor_echo_raw_round_trips"), ratio("durable_msgs", "floor_echo_raw_round_trips", false))
	fmt.Fprintf(tw, "  vs. batched SQLite rows/s\t\t\t\t%s\t%s\n", get("floor_sqlite_batched_inserts"), ratio("durable_msgs", "floor_sqlite_batched_inserts", false))
	fmt.Fprintf(tw, "  vs. SQLite commits/s\t\t\t\t%s\t%s\n", get("floor_sqlite_commits"), ratio("durable_msgs", "floor_sqlite_commits", true))
	fmt.Fprintf(tw, "end-to-end p50 (ms)\t%s\t\t\t%s (echo rtt)\t%s\n", get("e2e_p50"), get("floor_echo_p50"), ratio("e2e_p50", "floor_echo_p50", true))
	fmt.Fprintf(tw, "end-to-end p95 (ms)\t%s\t\t\t%s (echo rtt)\t%s\n", get("e2e_p95"), get("floor_echo_p95"), ratio("e2e_p95", "floor_echo_p95", true))
	fmt.Fprintf(tw, "end-to-end p99 (ms)\t%s\t≤ 25\t%s\t%s (echo rtt)\t%s\n", get("e2e_p99"), verdict("e2e_p99", 25, true), get("floor_echo_p99"), ratio("e2e_p99", "floor_echo_p99", true))
	fmt.Fprintf(tw, "  vs. raw echo p50 / p99 (ms)\t\t\t\t%s / %s\t\n", get("floor_echo_raw_p50"), get("floor_echo_raw_p99"))
	fmt.Fprintf(tw, "ack p50 / p99 (ms)\t%s / %s\t\t\t%s / %s (SQLite commit)\t\n", get("ack_p50"), get("ack_p99"), get("floor_sqlite_commit_p50"), get("floor_sqlite_commit_p99"))
	fmt.Fprintf(tw, "server CPU (cores) / per msg (µs)\t%s / %s\t\t\t\t\n", get("server_cpu"), get("server_cpu_per_msg"))
	if len(c.servers) > 1 {
		var per []string
		for i := range c.servers {
			per = append(per, get(fmt.Sprintf("node%d_cpu", i+1)))
		}
		fmt.Fprintf(tw, "  per node (cores)\t%s\t\t\t\t\n", strings.Join(per, " / "))
	}
	fmt.Fprintf(tw, "resume %s missed, p50 (ms)\t%s\t≤ 50\t%s\t\t\n", get("resume_missed"), get("resume_p50"), verdict("resume_p50", 50, true))
	tw.Flush()
	if len(r.notes) > 0 {
		fmt.Fprintln(w)
		notes := append([]string(nil), r.notes...)
		sort.Strings(notes)
		for _, n := range notes {
			fmt.Fprintln(w, "note:", n)
		}
	}
	fmt.Fprintf(w, "\nsizes: conns=%d customers=%d agents=%d duration=%s rate=%s agent-rate=%s missed=%d echo-clients=%d\n\n",
		c.conns, c.customers, len(c.agents), c.duration, rateText(c.rate), fmtNum(c.agentRate), c.missed, c.echoClients)
	for _, x := range r.results {
		fmt.Fprintf(w, "BENCH name=%s value=%s unit=%s\n", x.name, fmtNum(x.value), x.unit)
	}
}
