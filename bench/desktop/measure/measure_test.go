//go:build linux

package main

import (
	"math"
	"os/exec"
	"syscall"
	"testing"
	"time"
)

func TestMedian(t *testing.T) {
	tests := []struct {
		name string
		in   []float64
		want float64
	}{
		{"odd", []float64{5, 1, 3}, 3},
		{"even", []float64{4, 1, 3, 2}, 2.5},
		{"one", []float64{7}, 7},
	}
	for _, tt := range tests {
		if got := median(tt.in); got != tt.want {
			t.Errorf("median(%v) = %v, want %v", tt.in, got, tt.want)
		}
	}
	if got := median(nil); !math.IsNaN(got) {
		t.Errorf("median(nil) = %v, want NaN", got)
	}
}

func TestThousands(t *testing.T) {
	tests := []struct {
		in   int
		want string
	}{
		{0, "0"}, {999, "999"}, {1000, "1,000"}, {100000, "100,000"}, {1234567, "1,234,567"},
	}
	for _, tt := range tests {
		if got := thousands(tt.in); got != tt.want {
			t.Errorf("thousands(%d) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestTreeAndStop starts a shell with a child, reads their PSS as one tree
// and ends the group.
func TestTreeAndStop(t *testing.T) {
	cmd := exec.Command("sh", "-c", "sleep 30 & wait")
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()

	var procs []proc
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		var err error
		if procs, err = tree(cmd.Process.Pid); err != nil {
			t.Fatal(err)
		}
		// The shell forks before the child execs sleep: until then the
		// child is still named sh.
		if len(procs) == 2 && procs[1].name == "sleep" {
			break
		}
	}
	if len(procs) != 2 || procs[0].name != "sh" || procs[1].name != "sleep" {
		t.Fatalf("tree(sh) = %+v, want sh and its sleep", procs)
	}
	for _, p := range procs {
		if p.pssKB <= 0 {
			t.Errorf("PSS of %s = %d kB, want > 0", p.name, p.pssKB)
		}
	}
	if others := otherWebViews(procs); len(others) != 0 {
		t.Logf("other WebKitGTK processes running: %v", others)
	}

	// stop sends SIGTERM: sh dies, its sleep (in the same group) must
	// be killed too.
	stop(cmd, exited)
	if live := groupAlive(cmd.Process.Pid); len(live) != 0 {
		t.Errorf("after stop, group %d still has %v", cmd.Process.Pid, live)
	}
}

func TestParseRollup(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    rollup
		wantErr bool
	}{
		{"both", "55a5-7ffe ---p 00000000 00:00 0 [rollup]\nRss: 1636 kB\nPss: 281 kB\nPss_Dirty: 108 kB\nPss_Anon: 108 kB\nPss_File: 173 kB\n", rollup{pss: 281, anon: 108}, false},
		{"no Pss_Anon (before Linux 5.13)", "Rss: 10 kB\nPss: 7 kB\n", rollup{pss: 7}, false},
		{"no Pss", "Rss: 10 kB\n", rollup{}, true},
		{"garbled", "Pss: x kB\n", rollup{}, true},
	}
	for _, tt := range tests {
		got, err := parseRollup(tt.in)
		if (err != nil) != tt.wantErr || (!tt.wantErr && got != tt.want) {
			t.Errorf("%s: parseRollup = %+v, %v; want %+v, error %v", tt.name, got, err, tt.want, tt.wantErr)
		}
	}
}
