package notice

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

func TestSendListen(t *testing.T) {
	dir := t.TempDir()
	path := Path(dir)
	ctx := context.Background()
	if err := Send(ctx, path, Notice{Kind: Agent, ID: "a1"}); !errors.Is(err, ErrNoServer) {
		t.Fatalf("Send without a server = %v, want ErrNoServer", err)
	}
	// A socket file left by a dead server is replaced.
	stale, err := net.Listen("unix", path)
	if err != nil {
		t.Fatal(err)
	}
	stale.(*net.UnixListener).SetUnlinkOnClose(false)
	stale.Close()
	if err := Send(ctx, path, Notice{Kind: Agent, ID: "a1"}); !errors.Is(err, ErrNoServer) {
		t.Fatalf("Send to a stale socket = %v, want ErrNoServer", err)
	}

	var mu sync.Mutex
	var got []Notice
	l, err := Listen(path, slog.New(slog.DiscardHandler), func(_ context.Context, n Notice) error {
		if n.ID == "fail" {
			return errors.New("store down")
		}
		time.Sleep(10 * time.Millisecond) // applied before the answer
		mu.Lock()
		got = append(got, n)
		mu.Unlock()
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("socket mode: %v %v", fi, err)
	}
	if err := Send(ctx, path, Notice{Kind: Agent, ID: "a1"}, Notice{Kind: Team, ID: "t1"}); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	if len(got) != 2 || got[0] != (Notice{Kind: Agent, ID: "a1"}) || got[1] != (Notice{Kind: Team, ID: "t1"}) {
		t.Errorf("applied %v before Send returned", got)
	}
	mu.Unlock()
	if err := Send(ctx, path, Notice{Kind: Agent, ID: "fail"}); err == nil {
		t.Errorf("a failed apply was answered ok")
	}
	if err := Send(ctx, path, Notice{Kind: "nonsense"}); err == nil {
		t.Errorf("an unknown kind was answered ok")
	}
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, SocketName)); !os.IsNotExist(err) {
		t.Errorf("socket file left after Close: %v", err)
	}
}
