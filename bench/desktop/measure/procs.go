//go:build linux

package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// procStat is what /proc/PID/stat says about a process.
type procStat struct {
	pid, ppid, pgid int
	state           string // R, S, D, Z, …
}

// scanProcs lists the processes now running.
func scanProcs() ([]procStat, error) {
	ents, err := os.ReadDir("/proc")
	if err != nil {
		return nil, err
	}
	var out []procStat
	for _, e := range ents {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		b, err := os.ReadFile(filepath.Join("/proc", e.Name(), "stat"))
		if err != nil {
			continue // gone meanwhile
		}
		// The name is in parentheses and may hold spaces and parentheses:
		// the fields after the last ')' are state, ppid, pgrp, ...
		i := bytes.LastIndexByte(b, ')')
		if i < 0 {
			continue
		}
		p := procStat{pid: pid}
		if _, err := fmt.Sscan(string(b[i+1:]), &p.state, &p.ppid, &p.pgid); err != nil {
			continue
		}
		out = append(out, p)
	}
	return out, nil
}

// proc is one process of an app's tree.
type proc struct {
	pid  int
	name string
	// pssKB is its proportional set size; anonKB the part of it in
	// anonymous memory (Pss_Anon: heaps, the JavaScript heap and JIT code
	// in a web process), the rest being mostly the pages of files it maps
	// (libraries, the binary, fonts).
	pssKB, anonKB int64
}

// tree returns the process pid and all its descendants, with their PSS.
func tree(pid int) ([]proc, error) {
	all, err := scanProcs()
	if err != nil {
		return nil, err
	}
	children := map[int][]int{}
	for _, p := range all {
		if p.state != "Z" {
			children[p.ppid] = append(children[p.ppid], p.pid)
		}
	}
	var out []proc
	queue := []int{pid}
	for len(queue) > 0 {
		p := queue[0]
		queue = queue[1:]
		queue = append(queue, children[p]...)
		r, err := readRollup(p)
		if err != nil {
			return nil, err
		}
		name, _ := os.ReadFile(fmt.Sprintf("/proc/%d/comm", p))
		out = append(out, proc{pid: p, name: strings.TrimSpace(string(name)), pssKB: r.pss, anonKB: r.anon})
	}
	return out, nil
}

// groupAlive returns the processes of a process group that are not zombies.
func groupAlive(pgid int) []int {
	all, _ := scanProcs()
	var live []int
	for _, p := range all {
		if p.pgid == pgid && p.state != "Z" {
			live = append(live, p.pid)
		}
	}
	return live
}

// otherWebViews returns the processes outside ours that map WebKitGTK. They
// share its pages with the measured app, so its PSS reads lower than it
// would alone.
func otherWebViews(ours []proc) []string {
	all, _ := scanProcs()
	var out []string
	for _, p := range all {
		if p.state == "Z" || p.pid == os.Getpid() || containsPID(ours, p.pid) {
			continue
		}
		maps, err := os.ReadFile(fmt.Sprintf("/proc/%d/maps", p.pid))
		if err != nil || !bytes.Contains(maps, []byte("libwebkit2gtk")) {
			continue
		}
		name, _ := os.ReadFile(fmt.Sprintf("/proc/%d/comm", p.pid))
		out = append(out, fmt.Sprintf("%s[%d]", strings.TrimSpace(string(name)), p.pid))
	}
	return out
}

func containsPID(ps []proc, pid int) bool {
	for _, p := range ps {
		if p.pid == pid {
			return true
		}
	}
	return false
}

// rollup is what /proc/PID/smaps_rollup says of a process's memory, in kB.
type rollup struct {
	pss, anon int64
}

// readRollup reads the Pss and Pss_Anon lines of /proc/PID/smaps_rollup.
func readRollup(pid int) (rollup, error) {
	var r rollup
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/smaps_rollup", pid))
	if err != nil {
		return r, fmt.Errorf("read PSS: %w", err)
	}
	return parseRollup(string(b))
}

// parseRollup parses the text of an smaps_rollup file.
func parseRollup(text string) (rollup, error) {
	var r rollup
	fields := map[string]*int64{"Pss:": &r.pss, "Pss_Anon:": &r.anon}
	seen := map[string]bool{}
	for line := range strings.Lines(text) {
		for prefix, dst := range fields {
			if v, ok := strings.CutPrefix(line, prefix); ok {
				if _, err := fmt.Sscan(v, dst); err != nil {
					return r, fmt.Errorf("parse %s %q: %w", prefix, strings.TrimSpace(v), err)
				}
				seen[prefix] = true
			}
		}
	}
	if !seen["Pss:"] {
		return r, fmt.Errorf("no Pss line in smaps_rollup")
	}
	return r, nil
}
