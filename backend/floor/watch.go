package floor

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"switchboard/backend/bus"
	"switchboard/backend/store"
	"switchboard/protocol"
)

// Subject is the bus subject of floor changes. The message is the id of
// the team whose floor changed, or empty when any team's may have (an
// agent's status: their teams are the watcher's to look up).
const Subject = "floor.dirty"

// Snapshot is the server's state the floor is computed from: Input without
// the caller's scope, the time and the history.
type Snapshot struct {
	AllTeams      []store.Team
	Agents        []store.Agent
	Status        map[string]AgentStatus
	Conversations []store.Conversation
	Monitored     map[string]bool
}

// Scope is whose floor a watcher sees: a supervisor's teams, or an admin's
// every team.
type Scope struct {
	Role  string
	Teams []string
}

// WatcherConfig configures a Watcher. Zero values mean the defaults.
type WatcherConfig struct {
	// Bus carries the changes (Subject); required.
	Bus bus.Bus
	// Load takes a snapshot of the server's state; required.
	Load func(ctx context.Context) (Snapshot, error)
	// Now is the clock (time.Now).
	Now func() time.Time
	// Logger receives load failures; nil discards them.
	Logger *slog.Logger
	// History receives a sample of every team about once a minute, and
	// gives the floor its history; nil keeps none.
	History *History
	// MinGap is the shortest time between two recomputes (250ms): changes
	// that come faster are pushed together, at most 1/MinGap times a
	// second to each watcher.
	MinGap time.Duration
	// Refresh is how often the floor is recomputed without a change
	// (5s), since waits grow with time, and the history sampled.
	Refresh time.Duration
}

// Watcher is the live floor: it recomputes the figures of every watcher
// whose teams the bus says changed, and pushes them when they differ from
// what the watcher last got. One goroutine (Run) does all the work, so
// that a burst of changes costs one snapshot, not one per change.
type Watcher struct {
	cfg   WatcherConfig
	kick  chan struct{}
	dmu   sync.Mutex // guards dirtyAll and dirty
	dirty map[string]bool
	// dirtyAll: any team may have changed.
	dirtyAll bool
	// mu guards watches.
	mu      sync.Mutex
	watches map[string]*watch
}

// watch is one watcher.
type watch struct {
	scope func() Scope
	push  func(protocol.FloorData)
	// sendMu orders the reply to Watch before any push, and pushes with
	// each other; last is what was sent last (At left out), under sendMu.
	sendMu sync.Mutex
	last   []byte
	// gone is set when the watch ends: it pushes nothing more.
	gone atomic.Bool
}

// NewWatcher returns a watcher; Run makes it live.
func NewWatcher(cfg WatcherConfig) *Watcher {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.MinGap <= 0 {
		cfg.MinGap = 250 * time.Millisecond
	}
	if cfg.Refresh <= 0 {
		cfg.Refresh = 5 * time.Second
	}
	return &Watcher{cfg: cfg, kick: make(chan struct{}, 1), dirty: map[string]bool{}, watches: map[string]*watch{}}
}

// Run recomputes and pushes until ctx is done, then forgets every watcher.
func (w *Watcher) Run(ctx context.Context) {
	cancel := w.cfg.Bus.Subscribe(Subject, func(data []byte) { w.mark(string(data)) })
	defer cancel()
	defer func() {
		w.mu.Lock()
		w.watches = map[string]*watch{}
		w.mu.Unlock()
	}()
	tick := time.NewTicker(w.cfg.Refresh)
	defer tick.Stop()
	var last time.Time
	w.run(ctx, true) // a first history sample
	for {
		all := false
		select {
		case <-ctx.Done():
			return
		case <-w.kick:
		case <-tick.C:
			all = true
		}
		if wait := w.cfg.MinGap - time.Since(last); wait > 0 {
			t := time.NewTimer(wait)
			select {
			case <-ctx.Done():
				t.Stop()
				return
			case <-t.C:
			}
		}
		last = time.Now()
		w.run(ctx, all)
	}
}

// mark notes that team's floor changed ("": any team's) and wakes Run.
// Mark says that team's floor ("": any team's) changed, for this watcher
// only: what only this node sees changed (its view of the other nodes'
// agents), where a change every node sees goes on the bus (Subject).
func (w *Watcher) Mark(team string) { w.mark(team) }

func (w *Watcher) mark(team string) {
	w.dmu.Lock()
	if team == "" {
		w.dirtyAll = true
	} else {
		w.dirty[team] = true
	}
	w.dmu.Unlock()
	select {
	case w.kick <- struct{}{}:
	default:
	}
}

// Watch starts pushing key's floor: it sends the floor of scope now with
// reply, then, after every change of it, with push. A second Watch of the
// same key replaces the first. scope is read at every recompute, so a
// changed role or team applies at once; a scope that may no longer watch
// (an agent) ends the watch.
func (w *Watcher) Watch(ctx context.Context, key string, scope func() Scope, reply, push func(protocol.FloorData)) error {
	wt := &watch{scope: scope, push: push}
	wt.sendMu.Lock()
	defer wt.sendMu.Unlock()
	w.mu.Lock()
	if old := w.watches[key]; old != nil {
		old.gone.Store(true)
	}
	w.watches[key] = wt
	w.mu.Unlock()
	snap, err := w.cfg.Load(ctx)
	if err == nil {
		var d protocol.FloorData
		if d, err = w.compute(snap, scope(), w.cfg.Now().UnixMilli()); err == nil {
			wt.last = strip(d)
			reply(d)
			return nil
		}
	}
	w.Unwatch(key)
	return err
}

// Unwatch stops pushing key's floor.
func (w *Watcher) Unwatch(key string) {
	w.mu.Lock()
	if wt := w.watches[key]; wt != nil {
		wt.gone.Store(true)
		delete(w.watches, key)
	}
	w.mu.Unlock()
}

// Watching reports how many watchers there are.
func (w *Watcher) Watching() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return len(w.watches)
}

func (w *Watcher) compute(snap Snapshot, sc Scope, now int64) (protocol.FloorData, error) {
	return Compute(Input{Role: sc.Role, Teams: sc.Teams, Now: now, AllTeams: snap.AllTeams, Agents: snap.Agents,
		Status: snap.Status, Conversations: snap.Conversations, Monitored: snap.Monitored, History: w.cfg.History})
}

// run recomputes the floors of the watchers whose teams changed (all of
// them with all) and pushes those that differ from what they last got; it
// also samples the history when a sample is due.
func (w *Watcher) run(ctx context.Context, all bool) {
	w.dmu.Lock()
	all = all || w.dirtyAll
	dirty := w.dirty
	w.dirtyAll, w.dirty = false, map[string]bool{}
	w.dmu.Unlock()

	w.mu.Lock()
	type item struct {
		key string
		wt  *watch
		sc  Scope
	}
	var todo []item
	for key, wt := range w.watches {
		sc := wt.scope()
		if sc.Role != protocol.RoleAdmin && sc.Role != protocol.RoleSupervisor {
			wt.gone.Store(true)
			delete(w.watches, key)
			continue
		}
		if all || sc.Role == protocol.RoleAdmin || slices.ContainsFunc(sc.Teams, func(t string) bool { return dirty[t] }) {
			todo = append(todo, item{key, wt, sc})
		}
	}
	w.mu.Unlock()

	now := w.cfg.Now().UnixMilli()
	var snap Snapshot
	loaded := false
	load := func() bool {
		if loaded {
			return true
		}
		var err error
		if snap, err = w.cfg.Load(ctx); err != nil {
			if ctx.Err() == nil {
				w.cfg.Logger.Error("floor: load snapshot", "err", err)
			}
			return false
		}
		loaded = true
		return true
	}
	if w.cfg.History.Due(now) && load() {
		keep := make(map[string]bool, len(snap.AllTeams))
		for _, t := range snap.AllTeams {
			keep[t.ID] = true
		}
		if d, err := w.compute(snap, Scope{Role: protocol.RoleAdmin}, now); err == nil {
			w.cfg.History.Add(now, d.Teams)
		}
		w.cfg.History.Forget(keep)
	}
	if len(todo) == 0 || !load() {
		return
	}
	for _, it := range todo {
		d, err := w.compute(snap, it.sc, now)
		if err != nil {
			continue
		}
		b := strip(d)
		it.wt.sendMu.Lock()
		if !it.wt.gone.Load() && !bytes.Equal(b, it.wt.last) {
			it.wt.last = b
			it.wt.push(d)
		}
		it.wt.sendMu.Unlock()
	}
}

// strip encodes d without its time, to tell whether anything else changed.
func strip(d protocol.FloorData) []byte {
	d.At = 0
	b, _ := json.Marshal(d)
	return b
}
