// Package notice carries change notices from the admin commands to the
// server running on the same data directory, so that a change written to
// the database (an account disabled, a role or team changed, a capacity
// raised) reaches every open connection at once instead of at the next
// poll.
//
// The server listens on a Unix socket in its data directory (mode 0600 in a
// 0700 directory: whoever may connect may write the database anyway). A
// command connects after its write and sends one JSON line per notice; the
// server answers each with a line once it has applied it, so the command
// can say the running server has the change. A notice only says what to
// reload: the database stays the one source of truth, and a forged notice
// makes the server reload what it already has.
package notice

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"sync"
	"time"
)

// SocketName is the socket's file name in the data directory.
const SocketName = "admin.sock"

// Kinds of notices.
const (
	// Agent: the account with ID changed (role, teams, capacity, skills,
	// name, disabled, tokens revoked) or was removed.
	Agent = "agent"
	// Team: the team with ID changed or was removed; its members' access
	// may have changed.
	Team = "team"
	// KB: a knowledge base was imported (package kb's shared one, in the
	// store): the nodes load it.
	KB = "kb"
	// Canned: the canned response with ID was saved or deleted: the
	// nodes push it to the staff who read its scope.
	Canned = "canned"
	// Hours: the business hours of the team with ID ("" for the global
	// ones) were set or cleared: the nodes load them.
	Hours = "hours"
)

// Notice names what changed.
type Notice struct {
	Kind string `json:"kind"`
	ID   string `json:"id,omitempty"`
}

// ErrNoServer is returned by Send when no server listens on the data
// directory: the change takes effect when one starts.
var ErrNoServer = errors.New("no server is running on this data directory")

// maxLine bounds one notice line.
const maxLine = 4 << 10

// Path returns the socket path of a data directory.
func Path(dataDir string) string { return filepath.Join(dataDir, SocketName) }

// Listener accepts notices until closed.
type Listener struct {
	ln   net.Listener
	path string
	wg   sync.WaitGroup
}

// Listen listens on path and calls apply for every notice, one at a time
// per connection; apply's return is answered to the sender. A socket file
// left by a server that died is replaced.
func Listen(path string, log *slog.Logger, apply func(context.Context, Notice) error) (*Listener, error) {
	if err := os.Remove(path); err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("remove stale socket %s: %w", path, err)
	}
	ln, err := net.Listen("unix", path)
	if err != nil {
		return nil, fmt.Errorf("listen %s: %w", path, err)
	}
	if err := os.Chmod(path, 0o600); err != nil {
		ln.Close()
		return nil, fmt.Errorf("chmod %s: %w", path, err)
	}
	l := &Listener{ln: ln, path: path}
	l.wg.Add(1)
	go func() {
		defer l.wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			l.wg.Add(1)
			go func() {
				defer l.wg.Done()
				serve(c, log, apply)
			}()
		}
	}()
	return l, nil
}

func serve(c net.Conn, log *slog.Logger, apply func(context.Context, Notice) error) {
	defer c.Close()
	sc := bufio.NewScanner(c)
	sc.Buffer(make([]byte, 0, 512), maxLine)
	for {
		c.SetReadDeadline(time.Now().Add(10 * time.Second))
		if !sc.Scan() {
			return
		}
		var n Notice
		answer := "ok"
		if err := json.Unmarshal(sc.Bytes(), &n); err != nil || !known(n.Kind) {
			answer = "bad notice"
		} else if err := apply(context.Background(), n); err != nil {
			log.Warn("apply change notice", "kind", n.Kind, "id", n.ID, "err", err)
			answer = "error: " + err.Error()
		}
		c.SetWriteDeadline(time.Now().Add(10 * time.Second))
		if _, err := io.WriteString(c, answer+"\n"); err != nil {
			return
		}
	}
}

// Close stops listening, waits for the notices being applied and removes
// the socket file.
func (l *Listener) Close() error {
	err := l.ln.Close()
	l.wg.Wait()
	os.Remove(l.path)
	return err
}

// Send delivers notices to the server listening on path and waits until it
// has applied them. It returns ErrNoServer when none listens.
func Send(ctx context.Context, path string, notices ...Notice) error {
	var d net.Dialer
	c, err := d.DialContext(ctx, "unix", path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) || isRefused(err) {
			return ErrNoServer
		}
		return fmt.Errorf("reach the server: %w", err)
	}
	defer c.Close()
	if dl, ok := ctx.Deadline(); ok {
		c.SetDeadline(dl)
	} else {
		c.SetDeadline(time.Now().Add(15 * time.Second))
	}
	r := bufio.NewReader(c)
	for _, n := range notices {
		b, _ := json.Marshal(n)
		if _, err := c.Write(append(b, '\n')); err != nil {
			return fmt.Errorf("send notice: %w", err)
		}
		line, err := r.ReadString('\n')
		if err != nil {
			return fmt.Errorf("read the server's answer: %w", err)
		}
		if line != "ok\n" {
			return fmt.Errorf("the server answered %q", line[:len(line)-1])
		}
	}
	return nil
}

// Subject is the bus subject on which notices travel between the nodes of
// a cluster: the node an admin command told passes the notice on, and an
// admin command given the cluster's bus publishes it there itself.
const Subject = "admin.change"

// onBus is a notice as it travels on the bus: with the name of whoever
// published it, so a node ignores its own.
type onBus struct {
	Origin string `json:"origin"`
	Notice
}

// Marshal returns the bus message of n published by origin.
func Marshal(origin string, n Notice) []byte {
	b, _ := json.Marshal(onBus{Origin: origin, Notice: n})
	return b
}

// Unmarshal parses a bus message of Marshal. A notice of an unknown kind
// is an error.
func Unmarshal(data []byte) (origin string, n Notice, err error) {
	var m onBus
	if err := json.Unmarshal(data, &m); err != nil {
		return "", Notice{}, fmt.Errorf("notice: %w", err)
	}
	if !known(m.Kind) {
		return "", Notice{}, fmt.Errorf("notice: unknown kind %q", m.Kind)
	}
	return m.Origin, m.Notice, nil
}

func known(kind string) bool {
	return kind == Agent || kind == Team || kind == KB || kind == Canned || kind == Hours
}
