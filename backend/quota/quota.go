// Package quota accounts for the uploads of each visitor, staff member and
// client address: how many are unfinished, how many bytes they declared,
// and how many bytes were started today. An upload's declared length is
// reserved in full when it is created, before a byte arrives, so a flood of
// large uploads that are opened and abandoned is refused at creation.
//
// Nothing here knows about HTTP or tus: the server names the owners of an
// upload and their limits, and tells the tracker when an upload ends
// (finished, refused, deleted by its uploader or swept as abandoned).
package quota

import (
	"fmt"
	"sync"
	"time"
)

// Limits bound the uploads of one owner. A zero field is no limit; Or
// fills zero fields with defaults.
type Limits struct {
	// Sessions is how many unfinished uploads the owner may have at once.
	Sessions int
	// InFlight is how many bytes the owner's unfinished uploads may declare
	// together (their Upload-Length).
	InFlight int64
	// Daily is how many bytes the owner may start uploading per calendar
	// day (UTC), counted by declared length when each upload is created:
	// abandoned and refused uploads count too.
	Daily int64
}

// Or is l with its zero fields taken from d.
func (l Limits) Or(d Limits) Limits {
	if l.Sessions == 0 {
		l.Sessions = d.Sessions
	}
	if l.InFlight == 0 {
		l.InFlight = d.InFlight
	}
	if l.Daily == 0 {
		l.Daily = d.Daily
	}
	return l
}

// Default limits. A visitor sends a few files in a conversation; staff send
// more; the address limit catches one machine minting many visitor tokens.
// Each in-flight limit leaves room for two uploads of the default largest
// file (100 MB).
var (
	DefaultVisitor = Limits{Sessions: 4, InFlight: 200 << 20, Daily: 1 << 30}
	DefaultAgent   = Limits{Sessions: 16, InFlight: 1 << 30, Daily: 10 << 30}
	DefaultAddress = Limits{Sessions: 16, InFlight: 800 << 20, Daily: 4 << 30}
)

// Owner is one party an upload counts against: a key naming it (unique
// across kinds, e.g. "visitor:ID", "addr:IP") and its limits.
type Owner struct {
	Key    string
	Limits Limits
}

// Limit names the limit an upload was refused by.
type Limit string

// The limits of Limits.
const (
	LimitSessions Limit = "sessions"
	LimitInFlight Limit = "in_flight"
	LimitDaily    Limit = "daily"
)

// ExceededError refuses an upload that would take an owner beyond a limit.
type ExceededError struct {
	Owner string
	Limit Limit
	Max   int64 // the limit (uploads or bytes)
}

func (e *ExceededError) Error() string {
	return fmt.Sprintf("quota %s of %s exceeded (limit %d)", e.Limit, e.Owner, e.Max)
}

// Tracker holds every owner's usage. It is safe for concurrent use.
type Tracker struct {
	now func() time.Time

	// mu guards usages and uploads.
	mu      sync.Mutex
	usages  map[string]*usage
	uploads map[string]upload
}

type usage struct {
	sessions int
	inFlight int64
	day      int64 // days since the Unix epoch (UTC) that dayBytes counts
	dayBytes int64
}

type upload struct {
	size int64
	keys []string
}

// maxIdle is how many owners with nothing in flight the tracker keeps (for
// their day's count) before it forgets those whose day is over.
const maxIdle = 100_000

// NewTracker returns an empty tracker. now is the clock; nil means
// time.Now.
func NewTracker(now func() time.Time) *Tracker {
	if now == nil {
		now = time.Now
	}
	return &Tracker{now: now, usages: make(map[string]*usage), uploads: make(map[string]upload)}
}

// Open reserves upload id of size declared bytes against every owner, or
// reserves nothing and returns an *ExceededError naming the first limit it
// would pass. Opening an id that is open already is an error.
func (t *Tracker) Open(id string, size int64, owners ...Owner) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	if _, ok := t.uploads[id]; ok {
		return fmt.Errorf("quota: upload %s is open already", id)
	}
	day := t.dayLocked()
	for _, o := range owners {
		u := t.usageLocked(o.Key, day)
		l := o.Limits
		switch {
		case l.Sessions > 0 && u.sessions+1 > l.Sessions:
			return &ExceededError{Owner: o.Key, Limit: LimitSessions, Max: int64(l.Sessions)}
		case l.InFlight > 0 && u.inFlight+size > l.InFlight:
			return &ExceededError{Owner: o.Key, Limit: LimitInFlight, Max: l.InFlight}
		case l.Daily > 0 && u.dayBytes+size > l.Daily:
			return &ExceededError{Owner: o.Key, Limit: LimitDaily, Max: l.Daily}
		}
	}
	t.addLocked(id, size, day, owners)
	return nil
}

// Restore counts upload id without checking limits: an unfinished upload
// found on disk at start, created before on the day of started.
func (t *Tracker) Restore(id string, size int64, started time.Time, owners ...Owner) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if _, ok := t.uploads[id]; ok {
		return
	}
	t.addLocked(id, size, dayOf(started), owners)
}

func (t *Tracker) addLocked(id string, size int64, day int64, owners []Owner) {
	today := t.dayLocked()
	keys := make([]string, 0, len(owners))
	for _, o := range owners {
		u := t.usageLocked(o.Key, today)
		u.sessions++
		u.inFlight += size
		if day == today {
			u.dayBytes += size
		}
		keys = append(keys, o.Key)
	}
	t.uploads[id] = upload{size: size, keys: keys}
}

// Close ends upload id: its session and bytes in flight are free again; its
// bytes stay in the day's count. Closing an unknown id does nothing, so
// every way an upload ends may call it.
func (t *Tracker) Close(id string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	up, ok := t.uploads[id]
	if !ok {
		return
	}
	delete(t.uploads, id)
	for _, k := range up.keys {
		if u := t.usages[k]; u != nil {
			u.sessions--
			u.inFlight -= up.size
		}
	}
}

// IDs returns the uploads that are open.
func (t *Tracker) IDs() []string {
	t.mu.Lock()
	defer t.mu.Unlock()
	ids := make([]string, 0, len(t.uploads))
	for id := range t.uploads {
		ids = append(ids, id)
	}
	return ids
}

// Usage is what one owner has in flight and started today.
type Usage struct {
	Sessions int
	InFlight int64
	Today    int64
}

// Usage returns owner key's usage.
func (t *Tracker) Usage(key string) Usage {
	t.mu.Lock()
	defer t.mu.Unlock()
	u := t.usages[key]
	if u == nil {
		return Usage{}
	}
	var today int64
	if u.day == t.dayLocked() {
		today = u.dayBytes
	}
	return Usage{Sessions: u.sessions, InFlight: u.inFlight, Today: today}
}

func (t *Tracker) dayLocked() int64 { return dayOf(t.now()) }

func dayOf(at time.Time) int64 { return at.UTC().Unix() / 86400 }

// usageLocked returns key's usage with its day's count moved to day.
func (t *Tracker) usageLocked(key string, day int64) *usage {
	u := t.usages[key]
	if u == nil {
		if len(t.usages) >= maxIdle {
			t.pruneLocked(day)
		}
		u = &usage{day: day}
		t.usages[key] = u
	}
	if u.day != day {
		u.day, u.dayBytes = day, 0
	}
	return u
}

// pruneLocked forgets the owners with nothing in flight whose day's count
// is over: they carry no information any more.
func (t *Tracker) pruneLocked(day int64) {
	for k, u := range t.usages {
		if u.sessions == 0 && u.day != day {
			delete(t.usages, k)
		}
	}
}
