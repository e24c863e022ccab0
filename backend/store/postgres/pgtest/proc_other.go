//go:build !linux

package pgtest

import "syscall"

// owner is the user the cluster runs as; outside Linux it always runs as
// the caller.
type owner struct {
	uid, gid int
}

func clusterOwner() (*owner, error) { return nil, nil }

func procAttr(*owner, bool) *syscall.SysProcAttr { return nil }
