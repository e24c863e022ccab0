package faulttest

import (
	"bytes"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
	"time"
)

// serverProc runs bin/switchboard-server as a child process on a fixed
// address and data directory, so it can be killed and started again.
type serverProc struct {
	bin     string
	addr    string
	dataDir string
	// args are serve's further flags; nil means a demo server on its own
	// whose agents pick their customers.
	args []string

	// mu guards cmd and log.
	mu  sync.Mutex
	cmd *exec.Cmd
	log bytes.Buffer
}

// buildServer builds the server binary into a temporary directory.
func buildServer(t *testing.T) string {
	t.Helper()
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Skipf("no go command to build the server with: %v", err)
	}
	bin := filepath.Join(t.TempDir(), "switchboard-server")
	cmd := exec.Command(goBin, "build", "-o", bin, "switchboard/backend/cmd/switchboard-server")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// freeAddr returns a loopback address with a port that was free a moment ago.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// start starts the server and waits until it answers /healthz.
func (p *serverProc) start() error {
	args := p.args
	if args == nil {
		// The scenario's agents pick their own customers: no offers to others.
		args = []string{"--demo", "--routing", "pick"}
	}
	p.mu.Lock()
	cmd := exec.Command(p.bin, append([]string{"serve", "--addr", p.addr, "--data", p.dataDir, "--log-level", "warn"}, args...)...)
	cmd.Stdout = &lockedWriter{mu: &p.mu, w: &p.log}
	cmd.Stderr = cmd.Stdout
	err := cmd.Start()
	p.cmd = cmd
	p.mu.Unlock()
	if err != nil {
		return fmt.Errorf("start server: %w", err)
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		resp, err := http.Get("http://" + p.addr + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("server did not come up on %s: %v", p.addr, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// kill ends the server with SIGKILL: no shutdown, no flush, nothing.
func (p *serverProc) kill() {
	p.mu.Lock()
	cmd := p.cmd
	p.mu.Unlock()
	cmd.Process.Signal(syscall.SIGKILL)
	cmd.Wait()
}

// stop ends the server gracefully, as an operator would.
func (p *serverProc) stop() error {
	p.mu.Lock()
	cmd := p.cmd
	p.mu.Unlock()
	if cmd.ProcessState != nil {
		return nil
	}
	cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		return err
	case <-time.After(20 * time.Second):
		cmd.Process.Kill()
		<-done
		return fmt.Errorf("server ignored SIGTERM for 20s")
	}
}

func (p *serverProc) output() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.log.String()
}

type lockedWriter struct {
	mu *sync.Mutex
	w  *bytes.Buffer
}

func (l *lockedWriter) Write(b []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(b)
}
