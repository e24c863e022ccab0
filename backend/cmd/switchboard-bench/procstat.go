package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// watched is a process whose CPU time the throughput phase reports beside
// the servers': with tree, its children's too (PostgreSQL serves each
// connection in a child of the postmaster).
type watched struct {
	name string
	pid  int
	tree bool
}

// procStat is what the bench reads of /proc/PID/stat.
type procStat struct {
	ppid int
	// cpu is the process's own user+system time, children the user+system
	// time of its children that have exited and been waited for, in
	// seconds.
	cpu, children float64
}

// userHZ is the unit of the times in /proc/PID/stat (USER_HZ, 100 on every
// Linux the bench runs on).
const userHZ = 100

// parseStat parses the contents of /proc/PID/stat. The command name, in
// parentheses, may hold spaces and parentheses itself: the fields are
// counted from the last ')'.
func parseStat(b []byte) (procStat, error) {
	s := string(b)
	i := strings.LastIndexByte(s, ')')
	if i < 0 {
		return procStat{}, errors.New("bad stat: no command name")
	}
	// After the name: state(0) ppid(1) … utime(11) stime(12) cutime(13)
	// cstime(14), fields 3, 4, 14–17 of proc(5).
	f := strings.Fields(s[i+1:])
	if len(f) < 15 {
		return procStat{}, fmt.Errorf("bad stat: %d fields after the name", len(f))
	}
	var n [5]int64
	for k, idx := range []int{1, 11, 12, 13, 14} {
		v, err := strconv.ParseInt(f[idx], 10, 64)
		if err != nil {
			return procStat{}, fmt.Errorf("bad stat field %d: %w", idx, err)
		}
		n[k] = v
	}
	return procStat{
		ppid:     int(n[0]),
		cpu:      float64(n[1]+n[2]) / userHZ,
		children: float64(n[3]+n[4]) / userHZ,
	}, nil
}

func readStat(pid int) (procStat, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return procStat{}, err
	}
	return parseStat(b)
}

// cpuSeconds is a process's user+system CPU time from /proc.
func cpuSeconds(pid int) (float64, error) {
	st, err := readStat(pid)
	return st.cpu, err
}

// treeCPUSeconds is the user+system CPU time of a process and of its
// children: those alive now, and those that exited and were waited for.
// A child that exits between two readings is counted alive in the first
// and among the waited-for in the second, so the difference stays right.
func treeCPUSeconds(pid int) (float64, error) {
	st, err := readStat(pid)
	if err != nil {
		return 0, err
	}
	total := st.cpu + st.children
	stats, _ := filepath.Glob("/proc/[0-9]*/stat")
	for _, p := range stats {
		b, err := os.ReadFile(p)
		if err != nil {
			continue // gone meanwhile
		}
		if c, err := parseStat(b); err == nil && c.ppid == pid {
			total += c.cpu
		}
	}
	return total, nil
}

// cpuOf is w's CPU time in seconds.
func cpuOf(w watched) (float64, error) {
	if w.tree {
		return treeCPUSeconds(w.pid)
	}
	return cpuSeconds(w.pid)
}
