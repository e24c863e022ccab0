package hub

import (
	"context"
	"runtime/debug"
	"sync"
	"time"
)

// The handlers of all connections run on a pool of goroutines (see
// Conn.handle): a goroutine whose stack has grown for a handler's calls
// runs the next frame of any connection without growing it again, where a
// fresh goroutine per frame would be started and copy its stack two or
// three times on the way down a send. A worker idle for workerIdle ends, so
// the stacks of a busy minute are not kept by a quiet server; Shutdown ends
// the rest.

// workerIdle is how long an idle worker waits for a frame before it ends.
const workerIdle = 10 * time.Second

type workerPool struct {
	// idleFor is how long an idle worker waits before it ends: workerIdle
	// unless set (tests).
	idleFor time.Duration

	mu     sync.Mutex
	idle   []*worker // the most recently used last
	closed bool
}

type worker struct {
	p     *workerPool
	tasks chan task // buffered: whoever takes the worker hands it one task
	// waiting is whether the worker is in the pool's idle list; guarded by
	// the pool's mu.
	waiting bool
}

// task is one frame to handle; done gets the handler's panic or nil.
type task struct {
	ctx     context.Context
	c       *Conn
	handler Handler
	msg     []byte
	done    chan *handlerPanic
}

// run hands t to an idle worker or a new one.
func (p *workerPool) run(t task) {
	p.mu.Lock()
	var w *worker
	if n := len(p.idle); n > 0 && !p.closed {
		w = p.idle[n-1]
		p.idle[n-1] = nil
		p.idle = p.idle[:n-1]
		w.waiting = false
	}
	p.mu.Unlock()
	if w == nil {
		// After Shutdown too: a worker of a closed pool ends after its
		// task.
		w = &worker{p: p, tasks: make(chan task, 1)}
		go w.loop()
	}
	w.tasks <- t
}

func (w *worker) loop() {
	wait := w.p.idleFor
	if wait <= 0 {
		wait = workerIdle
	}
	idle := time.NewTimer(wait)
	defer idle.Stop()
	for {
		select {
		case t, ok := <-w.tasks:
			if !ok {
				return // the pool is closed
			}
			pn := t.handle()
			// Idle again before the reader hears of it, so that the
			// connection's next frame, handed over as soon as it does,
			// finds this worker rather than starting another.
			keep := w.p.put(w)
			t.done <- pn
			if !keep {
				return
			}
			idle.Reset(wait)
		case <-idle.C:
			if w.p.retire(w) {
				return
			}
			// Taken while the timer fired: its task is on the way.
			idle.Reset(wait)
		}
	}
}

// handle runs the task's handler, recovering its panic.
func (t task) handle() (p *handlerPanic) {
	defer func() {
		if v := recover(); v != nil {
			p = &handlerPanic{value: v, stack: debug.Stack()}
		}
	}()
	t.handler.HandleMessage(t.ctx, t.c, t.msg)
	return nil
}

// put makes w idle again; false if the pool is closed and w is to end.
func (p *workerPool) put(w *worker) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return false
	}
	w.waiting = true
	p.idle = append(p.idle, w)
	return true
}

// retire takes w, idle for workerIdle, out of the pool; false if it was
// taken for a task meanwhile.
func (p *workerPool) retire(w *worker) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if !w.waiting {
		return false
	}
	for i, x := range p.idle {
		if x == w {
			p.idle = append(p.idle[:i], p.idle[i+1:]...)
			break
		}
	}
	w.waiting = false
	return true
}

// close ends the idle workers; the busy ones end after their task.
func (p *workerPool) close() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.closed = true
	for _, w := range p.idle {
		w.waiting = false
		close(w.tasks)
	}
	p.idle = nil
}
