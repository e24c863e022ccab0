package bus

import (
	"sync"
	"sync/atomic"
)

// DefaultQueue is how many messages an Inproc subscription holds before it
// drops new ones (see InprocConfig.Queue).
const DefaultQueue = 1024

// InprocConfig configures an Inproc bus. Zero values mean the defaults.
type InprocConfig struct {
	// Queue is how many undelivered messages one subscription holds
	// (DefaultQueue); beyond it new messages are dropped for that
	// subscriber, as NATS drops them for a slow consumer.
	Queue int
}

// Inproc is the in-process engine: publishers and subscribers in one
// process. Each subscription has a goroutine and a bounded queue, so a
// subscriber runs apart from publishers (which may hold locks) and a slow
// one delays nobody else.
type Inproc struct {
	queue int
	// mu guards subs and closed. Publish holds it only to look up the
	// subscriptions and enqueue, never while a subscriber runs.
	mu     sync.Mutex
	subs   map[string]map[*subscription]struct{}
	closed bool
	wg     sync.WaitGroup
	// dropped counts the messages lost to full queues.
	dropped atomic.Int64
}

var _ Bus = (*Inproc)(nil)

// NewInproc returns an in-process bus. Close stops its goroutines.
func NewInproc(cfg InprocConfig) *Inproc {
	if cfg.Queue <= 0 {
		cfg.Queue = DefaultQueue
	}
	return &Inproc{queue: cfg.Queue, subs: make(map[string]map[*subscription]struct{})}
}

type subscription struct {
	fn func([]byte)
	ch chan []byte
	// stopped is set by cancel: the goroutine calls fn no more.
	stopped atomic.Bool
	once    sync.Once
	done    chan struct{}
}

// Publish implements Bus.
func (b *Inproc) Publish(subject string, data []byte) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for s := range b.subs[subject] {
		select {
		case s.ch <- data:
		default:
			b.dropped.Add(1)
		}
	}
}

// Subscribe implements Bus. On a closed bus it delivers nothing.
func (b *Inproc) Subscribe(subject string, fn func([]byte)) (cancel func()) {
	s := &subscription{fn: fn, ch: make(chan []byte, b.queue), done: make(chan struct{})}
	b.mu.Lock()
	if b.closed {
		b.mu.Unlock()
		return func() {}
	}
	if b.subs[subject] == nil {
		b.subs[subject] = make(map[*subscription]struct{})
	}
	b.subs[subject][s] = struct{}{}
	b.wg.Add(1)
	b.mu.Unlock()
	go func() {
		defer b.wg.Done()
		for {
			select {
			case <-s.done:
				return
			case data := <-s.ch:
				if s.stopped.Load() {
					return
				}
				s.fn(data)
			}
		}
	}()
	return func() {
		b.mu.Lock()
		delete(b.subs[subject], s)
		if len(b.subs[subject]) == 0 {
			delete(b.subs, subject)
		}
		b.mu.Unlock()
		s.stop()
	}
}

func (s *subscription) stop() {
	s.once.Do(func() {
		s.stopped.Store(true)
		close(s.done)
	})
}

// Dropped returns how many messages full queues have lost so far.
func (b *Inproc) Dropped() int64 { return b.dropped.Load() }

// Close ends every subscription and waits for their goroutines to return
// (a call of fn under way finishes first, so fn must not wait for Close).
// Publish and Subscribe on a closed bus do nothing.
func (b *Inproc) Close() {
	b.mu.Lock()
	if b.closed {
		b.mu.Unlock()
		return
	}
	b.closed = true
	var all []*subscription
	for _, subs := range b.subs {
		for s := range subs {
			all = append(all, s)
		}
	}
	b.subs = nil
	b.mu.Unlock()
	for _, s := range all {
		s.stop()
	}
	b.wg.Wait()
}
