package hub

import (
	"context"
	"runtime"
	"sync"
	"testing"
	"time"
)

// handlerFunc is a Handler from a function.
type handlerFunc func(msg []byte)

func (handlerFunc) Opened(*Conn) {}

func (f handlerFunc) HandleMessage(_ context.Context, _ *Conn, msg []byte) { f(msg) }

func (p *workerPool) idleWorkers() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.idle)
}

// runWait hands msg to the pool and waits for its handler, as a reader does.
func runWait(p *workerPool, h Handler, msg string) *handlerPanic {
	done := make(chan *handlerPanic, 1)
	p.run(task{ctx: context.Background(), handler: h, msg: []byte(msg), done: done})
	return <-done
}

// TestWorkersReused: frames handled one after another, as most are, run on
// one worker; as many run at once as there are frames in flight; a panic is
// handed back and the worker goes on; idle workers end after their idle
// time, and close ends the rest.
func TestWorkersReused(t *testing.T) {
	before := runtime.NumGoroutine()
	// Long enough that no worker ends before the checks of the idle count
	// on a loaded machine, short enough to wait for them to end.
	p := &workerPool{idleFor: time.Second}
	var seen []string
	h := handlerFunc(func(msg []byte) { seen = append(seen, string(msg)) })
	for _, m := range []string{"a", "b", "c"} {
		if pn := runWait(p, h, m); pn != nil {
			t.Fatal(pn)
		}
	}
	if n := p.idleWorkers(); n != 1 {
		t.Fatalf("%d idle workers after three frames in turn, want 1", n)
	}
	if len(seen) != 3 || seen[2] != "c" {
		t.Fatalf("handled %v", seen)
	}

	// Four frames at once take four workers, the idle one among them.
	release := make(chan struct{})
	var started, finished sync.WaitGroup
	started.Add(4)
	block := handlerFunc(func([]byte) { started.Done(); <-release })
	for range 4 {
		finished.Add(1)
		go func() { defer finished.Done(); runWait(p, block, "x") }()
	}
	started.Wait()
	if n := p.idleWorkers(); n != 0 {
		t.Fatalf("%d idle workers while four frames run, want 0", n)
	}
	close(release)
	finished.Wait()
	waitFor(t, "four idle workers", func() bool { return p.idleWorkers() == 4 })

	pn := runWait(p, handlerFunc(func([]byte) { panic("boom") }), "p")
	if pn == nil || pn.value != "boom" {
		t.Fatalf("panic handed back: %v", pn)
	}
	if n := p.idleWorkers(); n != 4 {
		t.Fatalf("%d idle workers after a panic, want the 4 still", n)
	}

	waitFor(t, "idle workers to end", func() bool { return p.idleWorkers() == 0 && runtime.NumGoroutine() <= before })

	// close ends the idle ones; a frame after it still runs.
	runWait(p, h, "d")
	p.close()
	if pn := runWait(p, h, "e"); pn != nil || seen[len(seen)-1] != "e" {
		t.Fatalf("after close: %v, %v", pn, seen)
	}
	waitFor(t, "workers to end after close", func() bool { return runtime.NumGoroutine() <= before })
}
