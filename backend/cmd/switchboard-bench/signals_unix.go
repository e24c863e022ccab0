//go:build unix

package main

import (
	"os"
	"syscall"
)

// The signals "serve" answers and "run -profile-signal" sends: start and
// stop a CPU profile, write a heap profile.
var (
	sigCPUStart os.Signal = syscall.SIGUSR1
	sigCPUStop  os.Signal = syscall.SIGUSR2
	sigHeap     os.Signal = syscall.SIGHUP
)

// signalPID sends sig to process pid.
func signalPID(pid int, sig os.Signal) error {
	return syscall.Kill(pid, sig.(syscall.Signal))
}

// fdLimit is the process's open-file limit.
func fdLimit() (cur, max uint64, ok bool) {
	var lim syscall.Rlimit
	if syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim) != nil {
		return 0, 0, false
	}
	return uint64(lim.Cur), uint64(lim.Max), true
}
