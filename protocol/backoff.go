package protocol

import "time"

// Reconnect backoff every client uses (docs/protocol.md, "Connection
// lifecycle"): attempt n waits a uniformly random time in
// [0, min(ReconnectMax, ReconnectBase·2ⁿ)].
const (
	ReconnectBase = 300 * time.Millisecond
	ReconnectMax  = 30 * time.Second
)

// Backoff returns the delay before reconnect attempt n (0-based): uniform in
// [0, min(max, base·2ⁿ)] ("full jitter"), so clients that lost the same
// server do not come back in lockstep. int64n draws uniformly from [0, n)
// (rand.Int64N, or a seeded *rand.Rand's method for replayable tests).
func Backoff(n int, base, max time.Duration, int64n func(int64) int64) time.Duration {
	ceil := max
	if n >= 0 && n < 32 {
		if c := base << n; c > 0 && c < max {
			ceil = c
		}
	}
	return time.Duration(int64n(int64(ceil) + 1))
}
