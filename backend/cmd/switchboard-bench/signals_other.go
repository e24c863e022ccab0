//go:build !unix

package main

import (
	"errors"
	"os"
)

// Profiling by signal needs Unix signals; elsewhere "serve" runs without it.
var sigCPUStart, sigCPUStop, sigHeap os.Signal

func signalPID(int, os.Signal) error { return errors.New("signals are not supported here") }

func fdLimit() (cur, max uint64, ok bool) { return 0, 0, false }
