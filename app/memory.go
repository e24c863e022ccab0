package app

import (
	"context"
	"runtime/debug"
	"runtime/metrics"
	"time"
)

// The app returns memory to the system when it goes quiet after a burst of
// work (starting, opening a long conversation, searching the cache): the Go
// runtime would otherwise keep the garbage of the burst, and the pages it
// freed, for minutes while the app sits idle on an agent's desk all day.
const (
	// releaseTick is how often the allocations are looked at.
	releaseTick = time.Second
	// releaseBurst is how much must have been allocated since the last
	// release for another to be worth a collection.
	releaseBurst = 4 << 20
	// releaseQuiet is the most a tick may allocate and still count as quiet.
	releaseQuiet = 256 << 10
)

// releaser decides when to return memory: on the first quiet tick after at
// least burst bytes were allocated since the last release.
type releaser struct {
	burst, quiet uint64
	last         uint64 // allocations read at the last tick
	pending      uint64 // allocated since the last release
}

// tick takes the cumulative allocations now and reports whether to release.
func (r *releaser) tick(allocs uint64) bool {
	d := allocs - r.last
	r.last = allocs
	r.pending += d
	if d > r.quiet || r.pending < r.burst {
		return false
	}
	r.pending = 0
	return true
}

// heapAllocs returns the bytes allocated on the heap since the start.
func heapAllocs() uint64 {
	s := []metrics.Sample{{Name: "/gc/heap/allocs:bytes"}}
	metrics.Read(s)
	if s[0].Value.Kind() != metrics.KindUint64 {
		return 0
	}
	return s[0].Value.Uint64()
}

// releaseWhenQuiet returns memory to the system (debug.FreeOSMemory) after
// each burst of work, once the app is quiet, until ctx ends.
func releaseWhenQuiet(ctx context.Context) {
	r := releaser{burst: releaseBurst, quiet: releaseQuiet, last: heapAllocs()}
	t := time.NewTicker(releaseTick)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		if r.tick(heapAllocs()) {
			debug.FreeOSMemory()
			// What the collection itself allocated is not a burst.
			r.last = heapAllocs()
		}
	}
}
