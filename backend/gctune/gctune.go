// Package gctune paces the garbage collector by the live heap. With
// GOGC=100 the collector runs each time the heap has grown by as much as
// is live: a server whose live heap is 30 MB and which allocates 60 MB a
// second to handle its messages collects twice a second, and each cycle's
// mark holds up the messages that arrive during it (docs/benchmarks.md).
// Run gives the heap a floor of headroom instead: the collector runs once
// the heap has grown by the larger of what is live and headroom, so a small
// heap collects as seldom as a large one would, and a heap larger than
// headroom is paced as GOGC=100 paces it. The memory this costs is at most
// headroom of garbage; a GOMEMLIMIT still caps the heap as before, and
// with one the headroom is at most a quarter of it.
package gctune

import (
	"context"
	"math"
	"runtime/debug"
	"runtime/metrics"
	"time"
)

// MaxPercent bounds the percentage Run sets: a live heap of a few
// megabytes, as at start, is not given a hundred times its size.
const MaxPercent = 800

// Percent returns the GOGC that lets a heap of live bytes grow by the
// larger of live and headroom before the next collection: 100 for a heap of
// headroom or more, at most MaxPercent.
func Percent(live, headroom uint64) int {
	if live == 0 || live >= headroom {
		return 100
	}
	return int(min(MaxPercent, math.Ceil(100*float64(headroom)/float64(live))))
}

// liveMetric is the runtime's count of the heap marked live by the last
// collection.
const liveMetric = "/gc/heap/live:bytes"

// Live returns the live heap as of the last collection.
func Live() uint64 {
	s := []metrics.Sample{{Name: liveMetric}}
	metrics.Read(s)
	if s[0].Value.Kind() != metrics.KindUint64 {
		return 0
	}
	return s[0].Value.Uint64()
}

// Headroom returns the headroom Run uses under a memory limit of limit
// bytes (GOMEMLIMIT; math.MaxInt64 when there is none): at most a quarter
// of the limit, so that a process given little memory keeps collecting
// before it nears it.
func Headroom(headroom uint64, limit int64) uint64 {
	if limit <= 0 || limit == math.MaxInt64 {
		return headroom
	}
	return min(headroom, uint64(limit)/4)
}

// Run sets the collector's percentage from the live heap (Percent) every
// interval until ctx is done, and then puts back the percentage it found.
// It changes the setting only when it moves by a tenth or more.
func Run(ctx context.Context, headroom uint64, every time.Duration) {
	headroom = Headroom(headroom, debug.SetMemoryLimit(-1))
	orig := debug.SetGCPercent(100)
	debug.SetGCPercent(orig)
	defer debug.SetGCPercent(orig)
	cur := orig
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		if p := Percent(Live(), headroom); math.Abs(float64(p-cur)) >= float64(cur)/10 {
			debug.SetGCPercent(p)
			cur = p
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
