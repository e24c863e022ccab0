// Package bus is the server's publish/subscribe seam: parts of the server
// announce what changed on a subject ("floor.dirty"), and whoever cares
// subscribes, without either knowing the other.
//
// Inproc is the engine of a single node. A NATS engine goes behind the same
// interface for a cluster, so that a change on one node reaches the
// subscribers of every node; nothing that uses a Bus changes then. The
// contract is NATS's core one, which both engines keep: delivery is best
// effort and at most once, in publish order per subscription, on a
// goroutine of the subscription (never the publisher's), and a subscriber
// too slow to keep up loses messages rather than stalling publishers. So
// what travels on a bus is a hint to go and look ("the floor of team X
// changed"), never the only copy of anything. Package bustest checks an
// engine against this contract.
package bus

import "time"

// Bus publishes messages on subjects and delivers them to the subscribers
// of each subject. A subject is dot-separated tokens ("floor.dirty"), each
// non-empty, without whitespace, and neither "*" nor ">" (NATS's wildcards):
// every engine takes such a subject literally.
type Bus interface {
	// Publish sends data to the subject's subscribers. It never blocks on
	// them. The subscribers may see data after Publish returned, so the
	// caller must not change it.
	Publish(subject string, data []byte)
	// Subscribe calls fn with every message published on subject from now
	// on, one at a time, in order, until cancel is called. fn must not
	// keep data. After cancel returns fn sees nothing published later (a
	// call under way may finish); cancel may be called more than once, and
	// from fn.
	Subscribe(subject string, fn func(data []byte)) (cancel func())
}

// Resumer is implemented by an engine that can be cut off from the other
// nodes and come back (NATS): what was published meanwhile is lost, so a
// subscriber that needs it looks in the store. OnResume calls fn after each
// reconnection, with when the cut began, until cancel is called.
type Resumer interface {
	OnResume(fn func(since time.Time)) (cancel func())
}
