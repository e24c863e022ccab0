package floor

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"switchboard/backend/bus"
	"switchboard/backend/conversation"
	"switchboard/backend/store"
	"switchboard/protocol"
)

// fakeState is a snapshot the test changes between publishes.
type fakeState struct {
	mu    sync.Mutex
	snap  Snapshot
	loads atomic.Int64
}

func (f *fakeState) load(context.Context) (Snapshot, error) {
	f.loads.Add(1)
	f.mu.Lock()
	defer f.mu.Unlock()
	s := f.snap
	s.Conversations = append([]store.Conversation(nil), s.Conversations...)
	return s, nil
}

func (f *fakeState) queue(team string, at int64) {
	f.mu.Lock()
	f.snap.Conversations = append(f.snap.Conversations, store.Conversation{ID: team + "-q" + time.Now().String(),
		State: conversation.Queued, Team: team, QueuedAt: at})
	f.mu.Unlock()
}

// pushes collects what a watcher is pushed.
type pushes struct {
	ch chan protocol.FloorData
}

func (p pushes) next(t *testing.T, within time.Duration) protocol.FloorData {
	t.Helper()
	select {
	case d := <-p.ch:
		return d
	case <-time.After(within):
		t.Fatalf("no push within %v", within)
	}
	return protocol.FloorData{}
}

func (p pushes) none(t *testing.T, d time.Duration) {
	t.Helper()
	select {
	case got := <-p.ch:
		t.Fatalf("unexpected push %+v", got)
	case <-time.After(d):
	}
}

func TestWatcher(t *testing.T) {
	now := int64(1_000_000_000)
	st := &fakeState{snap: Snapshot{AllTeams: []store.Team{{ID: "aftersales"}, {ID: "presales"}}}}
	b := bus.NewInproc(bus.InprocConfig{})
	defer b.Close()
	h := NewHistory(time.Minute, time.Hour)
	w := NewWatcher(WatcherConfig{Bus: b, Load: st.load, History: h, Refresh: time.Hour, MinGap: 100 * time.Millisecond,
		Now: func() time.Time { return time.UnixMilli(now) }})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { w.Run(ctx); close(done) }()
	defer func() { cancel(); <-done }()

	// The first pass samples the history, watched or not.
	deadline := time.Now().Add(5 * time.Second)
	for len(h.Samples("presales")) == 0 {
		if time.Now().After(deadline) {
			t.Fatal("no history sample at start")
		}
		time.Sleep(5 * time.Millisecond)
	}

	var role atomic.Value
	role.Store(protocol.RoleSupervisor)
	scope := func() Scope { return Scope{Role: role.Load().(string), Teams: []string{"presales"}} }
	p := pushes{ch: make(chan protocol.FloorData, 100)}
	var first protocol.FloorData
	if err := w.Watch(ctx, "conn1", scope, func(d protocol.FloorData) { first = d }, func(d protocol.FloorData) { p.ch <- d }); err != nil {
		t.Fatal(err)
	}
	if len(first.Teams) != 1 || first.Teams[0].ID != "presales" || first.Teams[0].Queue != 0 || first.At != now {
		t.Fatalf("reply = %+v", first)
	}

	// A customer queues in presales: pushed at once, with queue 1.
	st.queue("presales", now)
	b.Publish(Subject, []byte("presales"))
	if d := p.next(t, time.Second); d.Teams[0].Queue != 1 {
		t.Fatalf("push after queueing = %+v", d.Teams)
	}
	// A change of another team is not this watcher's: nothing is pushed,
	// even though its figures changed meanwhile.
	st.queue("presales", now)
	b.Publish(Subject, []byte("aftersales"))
	p.none(t, 300*time.Millisecond)
	// An unspecified change reaches everyone; a change that changes
	// nothing pushes nothing.
	b.Publish(Subject, nil)
	if d := p.next(t, time.Second); d.Teams[0].Queue != 2 {
		t.Fatalf("push after an unspecified change = %+v", d.Teams)
	}
	b.Publish(Subject, []byte("presales"))
	p.none(t, 300*time.Millisecond)

	// A burst of changes is pushed together: far fewer pushes than
	// changes, the last one complete.
	loads := st.loads.Load()
	for i := range 50 {
		st.queue("presales", now)
		b.Publish(Subject, []byte("presales"))
		if i%10 == 0 {
			time.Sleep(20 * time.Millisecond)
		}
	}
	var last protocol.FloorData
	n := 0
	for last.Teams == nil || last.Teams[0].Queue != 52 {
		last = p.next(t, time.Second)
		n++
	}
	if n > 5 || st.loads.Load()-loads > 6 {
		t.Errorf("50 changes in ~100ms: %d pushes, %d snapshots", n, st.loads.Load()-loads)
	}

	// Time passing changes waits; the clock is the watcher's.
	now += 30_000
	b.Publish(Subject, []byte("presales"))
	if d := p.next(t, time.Second); d.At != now || d.Teams[0].LongestWaitMS != 30_000 {
		t.Fatalf("after 30 s: at %d, %+v", d.At, d.Teams[0])
	}

	// A watcher who became an agent is dropped.
	role.Store(protocol.RoleAgent)
	st.queue("presales", now)
	b.Publish(Subject, []byte("presales"))
	p.none(t, 300*time.Millisecond)
	if w.Watching() != 0 {
		t.Fatalf("watching %d after the role change, want 0", w.Watching())
	}

	// Unwatch stops the pushes.
	role.Store(protocol.RoleAdmin)
	p2 := pushes{ch: make(chan protocol.FloorData, 100)}
	if err := w.Watch(ctx, "conn2", func() Scope { return Scope{Role: protocol.RoleAdmin} }, func(protocol.FloorData) {}, func(d protocol.FloorData) { p2.ch <- d }); err != nil {
		t.Fatal(err)
	}
	st.queue("aftersales", now)
	b.Publish(Subject, []byte("aftersales"))
	if d := p2.next(t, time.Second); len(d.Teams) != 2 || d.Teams[0].Queue != 1 {
		t.Fatalf("admin push = %+v", d.Teams)
	}
	w.Unwatch("conn2")
	st.queue("aftersales", now)
	b.Publish(Subject, []byte("aftersales"))
	p2.none(t, 300*time.Millisecond)

	// An agent may not watch.
	if err := w.Watch(ctx, "conn3", func() Scope { return Scope{Role: protocol.RoleAgent} }, func(protocol.FloorData) { t.Error("replied to an agent") }, nil); err == nil {
		t.Fatal("an agent watches the floor")
	}
	if w.Watching() != 0 {
		t.Fatalf("watching %d, want 0", w.Watching())
	}
}
