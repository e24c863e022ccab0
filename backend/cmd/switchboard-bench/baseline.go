package main

import (
	"bufio"
	"context"
	"database/sql"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/gorilla/websocket"
	_ "modernc.org/sqlite"
)

// echoMain runs the bare gorilla/websocket echo server: every text message
// is written back as is, one reader goroutine per connection, as in
// gorilla's echo example. It prints "listening <addr>" once ready.
func echoMain(args []string, stdout io.Writer) int {
	fs := flag.NewFlagSet("echo", flag.ContinueOnError)
	addr := fs.String("addr", "127.0.0.1:0", "listen address")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintln(os.Stderr, "echo:", err)
		return 1
	}
	up := websocket.Upgrader{ReadBufferSize: 4096, WriteBufferSize: 4096, CheckOrigin: func(*http.Request) bool { return true }}
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ws, err := up.Upgrade(w, r, nil)
		if err != nil {
			return
		}
		defer ws.Close()
		for {
			mt, msg, err := ws.ReadMessage()
			if err != nil {
				return
			}
			if err := ws.WriteMessage(mt, msg); err != nil {
				return
			}
		}
	})
	fmt.Fprintf(stdout, "listening %s\n", ln.Addr())
	return exitErr(http.Serve(ln, h))
}

func exitErr(err error) int {
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	return 0
}

// echoProc is the echo server running as a child process of the bench, so
// that it is measured like the real server: another process on loopback.
type echoProc struct {
	cmd  *exec.Cmd
	addr string
}

func startEcho() (*echoProc, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(exe, "echo", "-addr", "127.0.0.1:0")
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil || !strings.HasPrefix(line, "listening ") {
		cmd.Process.Kill()
		cmd.Wait()
		return nil, fmt.Errorf("echo server did not start: %q %v", line, err)
	}
	return &echoProc{cmd: cmd, addr: strings.TrimSpace(strings.TrimPrefix(line, "listening "))}, nil
}

func (e *echoProc) stop() {
	e.cmd.Process.Kill()
	e.cmd.Wait()
}

// sqliteFloorResult is what sqliteFloor measured: the batched insert rate,
// the rate of one-row transactions, and the latency of each of those
// (sorted): a durable store cannot answer faster than its commit.
type sqliteFloorResult struct {
	rowsPerS, commitsPerS float64
	commitLat             []time.Duration
}

// sqliteFloor measures raw modernc.org/sqlite inserts into a table shaped
// like the server's messages table, WAL and synchronous=FULL: batched (batch
// rows per transaction) for d, then one row per transaction for d/2.
func sqliteFloor(ctx context.Context, d time.Duration, batch int) (res sqliteFloorResult, err error) {
	dir, err := os.MkdirTemp("", "switchboard-bench-sqlite-")
	if err != nil {
		return res, err
	}
	defer os.RemoveAll(dir)
	db, err := sql.Open("sqlite", "file:"+filepath.Join(dir, "floor.db")+"?_pragma=journal_mode(WAL)&_pragma=synchronous(FULL)&_pragma=busy_timeout(5000)")
	if err != nil {
		return res, err
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	if _, err := db.ExecContext(ctx, `CREATE TABLE messages (
		conversation_id TEXT NOT NULL, seq INTEGER NOT NULL, client_msg_id TEXT NOT NULL UNIQUE,
		sender_role TEXT NOT NULL, sender_id TEXT NOT NULL, sender_name TEXT NOT NULL,
		kind TEXT NOT NULL, visibility TEXT NOT NULL, text TEXT NOT NULL, created_at INTEGER NOT NULL,
		PRIMARY KEY (conversation_id, seq))`); err != nil {
		return res, err
	}
	convs := make([]string, 1000)
	for i := range convs {
		convs[i] = uuid.NewString()
	}
	seqs := make([]int64, len(convs))
	n := 0
	insert := func(tx *sql.Tx, stmt *sql.Stmt) error {
		ci := n % len(convs)
		seqs[ci]++
		n++
		id, _ := uuid.NewV7()
		_, err := tx.Stmt(stmt).ExecContext(ctx, convs[ci], seqs[ci], id.String(), "customer", convs[ci], "访客 4F2A",
			"text", "public", fmt.Sprintf("bench %d", time.Now().UnixNano()), time.Now().UnixMilli())
		return err
	}
	stmt, err := db.PrepareContext(ctx, `INSERT INTO messages VALUES (?,?,?,?,?,?,?,?,?,?)`)
	if err != nil {
		return res, err
	}
	defer stmt.Close()
	run := func(d time.Duration, per int, lat *[]time.Duration) (rows, commits int, el time.Duration, err error) {
		start := time.Now()
		for time.Since(start) < d {
			t0 := time.Now()
			tx, err := db.BeginTx(ctx, nil)
			if err != nil {
				return 0, 0, 0, err
			}
			for i := 0; i < per; i++ {
				if err := insert(tx, stmt); err != nil {
					tx.Rollback()
					return 0, 0, 0, err
				}
			}
			if err := tx.Commit(); err != nil {
				return 0, 0, 0, err
			}
			if lat != nil {
				*lat = append(*lat, time.Since(t0))
			}
			rows += per
			commits++
		}
		return rows, commits, time.Since(start), nil
	}
	rows, _, el, err := run(d, batch, nil)
	if err != nil {
		return res, err
	}
	_, commits, el1, err := run(d/2, 1, &res.commitLat)
	if err != nil {
		return res, err
	}
	slices.Sort(res.commitLat)
	res.rowsPerS, res.commitsPerS = float64(rows)/el.Seconds(), float64(commits)/el1.Seconds()
	return res, nil
}
