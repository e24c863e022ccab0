// Package pgtest starts a throwaway PostgreSQL cluster for tests: initdb into
// a temporary directory, the server on a free port of 127.0.0.1 with its
// unix socket in that directory, one database per test, everything removed
// by Stop. It runs Debian's binaries (package postgresql); nothing is mocked.
//
// initdb and postgres refuse to run as root. When the test runs as root (as
// CI does), the cluster runs as the unprivileged user "postgres" that the
// Debian package creates: the directory is handed to that user and both
// binaries are started with its uid and gid (SysProcAttr.Credential), so no
// sudo, runuser or setpriv is needed (proc_linux.go).
//
// By default the cluster trades durability for speed (fsync off): it lives
// as long as one test binary and is deleted after. Config.Durable keeps
// PostgreSQL's own defaults instead, for benchmarks that compare it with a
// store that syncs every commit.
package pgtest

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
)

// BinDirEnv names the environment variable that overrides where initdb and
// postgres are looked for.
const BinDirEnv = "PGTEST_BINDIR"

// binDirs are where Debian installs the server binaries, newest first.
var binDirs = []string{
	"/usr/lib/postgresql/17/bin",
	"/usr/lib/postgresql/16/bin",
	"/usr/lib/postgresql/15/bin",
}

// Cluster is a running throwaway PostgreSQL server.
type Cluster struct {
	dir  string // owns data/, the socket and the log
	port int
	cmd  *exec.Cmd
	done chan struct{} // closed when the server process has exited
	n    atomic.Int64  // databases created, for their names
}

// FindBin returns the directory holding initdb and postgres, or an error
// that says how to install them.
func FindBin() (string, error) {
	dirs := binDirs
	if d := os.Getenv(BinDirEnv); d != "" {
		dirs = []string{d}
	}
	for _, d := range dirs {
		if isExec(filepath.Join(d, "initdb")) && isExec(filepath.Join(d, "postgres")) {
			return d, nil
		}
	}
	return "", fmt.Errorf("pgtest: no PostgreSQL server binaries (initdb, postgres) in %v: install Debian's postgresql package (scripts/deps.sh does) or set %s", dirs, BinDirEnv)
}

func isExec(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && !fi.IsDir() && fi.Mode()&0o111 != 0
}

// Config says how the cluster runs; the zero Config is what Start uses.
type Config struct {
	// Durable keeps fsync, synchronous_commit and full_page_writes on
	// (PostgreSQL's defaults): every commit waits for its WAL to reach the
	// disk. Off, none of them do.
	Durable bool
}

// Start runs initdb in a new temporary directory and starts the server on
// a free port, trading durability for speed. The caller must call Stop.
func Start(ctx context.Context) (*Cluster, error) {
	return StartConfig(ctx, Config{})
}

// StartConfig is Start with cfg.
func StartConfig(ctx context.Context, cfg Config) (*Cluster, error) {
	bin, err := FindBin()
	if err != nil {
		return nil, err
	}
	own, err := clusterOwner()
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "pgtest-")
	if err != nil {
		return nil, fmt.Errorf("pgtest: %w", err)
	}
	c := &Cluster{dir: dir, done: make(chan struct{})}
	if own != nil {
		if err := os.Chown(dir, own.uid, own.gid); err != nil {
			os.RemoveAll(dir)
			return nil, fmt.Errorf("pgtest: hand %s to the postgres user: %w", dir, err)
		}
	}
	data := filepath.Join(dir, "data")
	initdb := exec.CommandContext(ctx, filepath.Join(bin, "initdb"), "-D", data, "-U", "postgres",
		"--auth=trust", "-E", "UTF8", "--locale=C", "--no-sync")
	initdb.SysProcAttr = procAttr(own, false)
	if out, err := initdb.CombinedOutput(); err != nil {
		os.RemoveAll(dir)
		hint := ""
		if own != nil {
			hint = " (the cluster runs as user postgres, which must be able to reach " + dir + ")"
		}
		return nil, fmt.Errorf("pgtest: initdb%s: %w\n%s", hint, err, out)
	}
	// The port is free when asked, not necessarily when the server binds
	// it: try a few.
	for attempt := 0; ; attempt++ {
		err := c.start(ctx, bin, data, own, cfg)
		if err == nil {
			return c, nil
		}
		if attempt == 4 || ctx.Err() != nil {
			os.RemoveAll(dir)
			return nil, err
		}
	}
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

func (c *Cluster) start(ctx context.Context, bin, data string, own *owner, cfg Config) error {
	port, err := freePort()
	if err != nil {
		return fmt.Errorf("pgtest: free port: %w", err)
	}
	logPath := filepath.Join(c.dir, "postgres.log")
	logf, err := os.OpenFile(logPath, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o644)
	if err != nil {
		return fmt.Errorf("pgtest: %w", err)
	}
	defer logf.Close()
	args := []string{"-D", data, "-p", strconv.Itoa(port),
		"-c", "listen_addresses=127.0.0.1",
		"-c", "unix_socket_directories=" + c.dir,
		"-c", "max_connections=200", "-c", "shared_buffers=32MB"}
	if !cfg.Durable {
		args = append(args, "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off")
	}
	cmd := exec.Command(filepath.Join(bin, "postgres"), args...)
	cmd.Stdout, cmd.Stderr = logf, logf
	cmd.SysProcAttr = procAttr(own, true)
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("pgtest: start postgres: %w", err)
	}
	done := make(chan struct{})
	go func() {
		cmd.Wait()
		close(done)
	}()
	c.port, c.cmd, c.done = port, cmd, done
	deadline := time.Now().Add(30 * time.Second)
	for {
		conn, err := pgx.Connect(ctx, c.DSN("postgres"))
		if err == nil {
			conn.Close(ctx)
			return nil
		}
		select {
		case <-done:
			return fmt.Errorf("pgtest: postgres exited at start: %s", tail(logPath))
		case <-ctx.Done():
			c.stop()
			return ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			c.stop()
			return fmt.Errorf("pgtest: postgres not ready after 30s: %v\n%s", err, tail(logPath))
		}
	}
}

func tail(path string) string {
	b, _ := os.ReadFile(path)
	if len(b) > 4000 {
		b = b[len(b)-4000:]
	}
	return string(bytes.TrimSpace(b))
}

// DSN is the connection string of database db on the cluster, as the
// superuser postgres over TCP.
func (c *Cluster) DSN(db string) string {
	return fmt.Sprintf("postgres://postgres@127.0.0.1:%d/%s?sslmode=disable", c.port, db)
}

// PID is the process id of the server (the postmaster; each connection is
// served by a child process of it).
func (c *Cluster) PID() int {
	if c.cmd == nil || c.cmd.Process == nil {
		return 0
	}
	return c.cmd.Process.Pid
}

// CreateDB creates a new empty database and returns its DSN.
func (c *Cluster) CreateDB(ctx context.Context) (string, error) {
	name := fmt.Sprintf("test_%d", c.n.Add(1))
	conn, err := pgx.Connect(ctx, c.DSN("postgres"))
	if err != nil {
		return "", fmt.Errorf("pgtest: connect: %w", err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, `CREATE DATABASE `+name+` TEMPLATE template0`); err != nil {
		return "", fmt.Errorf("pgtest: create database %s: %w", name, err)
	}
	return c.DSN(name), nil
}

// Stop shuts the server down (fast shutdown) and removes its directory.
func (c *Cluster) Stop() error {
	c.stop()
	return os.RemoveAll(c.dir)
}

func (c *Cluster) stop() {
	if c.cmd == nil || c.cmd.Process == nil {
		return
	}
	c.cmd.Process.Signal(os.Interrupt) // fast shutdown
	select {
	case <-c.done:
	case <-time.After(20 * time.Second):
		c.cmd.Process.Kill()
		<-c.done
	}
}
