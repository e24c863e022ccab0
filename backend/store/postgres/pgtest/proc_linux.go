package pgtest

import (
	"errors"
	"fmt"
	"os"
	"os/user"
	"strconv"
	"syscall"
)

// owner is the unprivileged user the cluster runs as when the caller is
// root.
type owner struct {
	uid, gid int
}

// clusterOwner is the user the cluster runs as: nil (the caller) unless the
// caller is root, which initdb and postgres refuse.
func clusterOwner() (*owner, error) {
	if os.Geteuid() != 0 {
		return nil, nil
	}
	u, err := user.Lookup("postgres")
	if err != nil {
		return nil, fmt.Errorf("pgtest: running as root, which PostgreSQL refuses, and there is no user postgres to run it as (Debian's postgresql package creates it): %w", err)
	}
	uid, err1 := strconv.Atoi(u.Uid)
	gid, err2 := strconv.Atoi(u.Gid)
	if err := errors.Join(err1, err2); err != nil {
		return nil, fmt.Errorf("pgtest: user postgres: %w", err)
	}
	return &owner{uid: uid, gid: gid}, nil
}

// procAttr runs a binary as own (when set). The server also gets SIGQUIT
// (PostgreSQL's immediate shutdown) when the test binary dies, so it does
// not outlive a test killed before Stop.
func procAttr(own *owner, server bool) *syscall.SysProcAttr {
	a := &syscall.SysProcAttr{}
	if own != nil {
		a.Credential = &syscall.Credential{Uid: uint32(own.uid), Gid: uint32(own.gid), NoSetGroups: true}
	}
	if server {
		a.Pdeathsig = syscall.SIGQUIT
	}
	return a
}
