// Command measure runs the desktop benchmark (make bench-desktop,
// docs/benchmarks.md): it starts the bare Wails hello-world and Switchboard
// in turn, several times each, under the X display it was started on, and
// prints each figure beside the hello-world's and the target of SPEC §8.
//
// Each start is timed from just before the process is started (fork and
// exec) to the time the app writes in its report (SWITCHBOARD_BENCH_REPORT):
// DOM-ready for the hello-world, the conversation list holding items for
// Switchboard, whose report also has the time to open the largest
// conversation and to search the local cache (frontend/src/bench.ts). After
// the report the app is left idle, then the proportional set size (PSS) of
// the app and all its descendant processes is summed from
// /proc/PID/smaps_rollup, and the app is ended.
//
// It runs on Linux only (it reads /proc); elsewhere it says so and exits.
package main
