// Package relay carries a node's pushes to the other nodes of a cluster, so
// that a client sees what happens to its conversations whichever node it is
// connected to and whichever node did it.
//
// Every node publishes what it pushes to its own connections as a Push on
// the bus (subject Subject), and delivers the Pushes of the other nodes to
// its own connections subscribed to the Push's hub topics. The bus is best
// effort (package bus): a Push may be lost, and two nodes' Pushes may
// arrive in either order. The store stays the one source of truth, so
// nothing is lost for that:
//
//   - A stored message carries its conversation and seq. Each node delivers
//     a conversation's messages in seq order through a Sequencer: a seq
//     already delivered is dropped, and a gap (a Push lost, or overtaken by
//     a later one from another node) is filled from the store before the
//     newer message goes out.
//   - A conversation's new state is not carried at all: the Push names the
//     conversation, and the receiving node reads its current state from the
//     store, so the last state pushed is the last one stored, whatever the
//     order of arrival.
//   - Ephemeral frames (typing, presence, queue places, supervision) carry
//     their bytes; a lost one is a hint lost.
//
// After a node was cut off from the bus it catches up from the store (the
// server's side of OnResume): the messages after the last seq it delivered
// of every conversation it follows, and the state of the conversations
// changed meanwhile.
package relay

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/fnv"
	"log/slog"
	"sync"
	"sync/atomic"

	"switchboard/backend/bus"
)

// Subject is the bus subject of Pushes.
const Subject = "relay.push"

// Kinds of Push.
const (
	// Frame is an ephemeral frame for the connections of Topics.
	Frame byte = 1
	// Message is a stored message's frame, seq Seq of conversation Conv,
	// for the connections of Topics.
	Message byte = 2
	// Conversation says conversation Conv changed: the receiver reads it
	// and pushes it to its readers and to the connections of Topics (who
	// could read it before the change).
	Conversation byte = 3
)

// Push is one push of a node, as it travels to the others.
type Push struct {
	// Origin is the node that made it; a node ignores its own.
	Origin string
	Kind   byte
	// Topics are the hub topics whose connections receive it; Except are
	// topics whose connections do not (even when also in Topics).
	Topics []string
	Except []string
	// SkipUser, when set, is a user whose own connections skip the push
	// (their typing, their presence).
	SkipUser string
	// Conv and Seq name the conversation (Message, Conversation) and the
	// message (Message). Assignee is the conversation's assignee when the
	// message was pushed (the readers' audit of live views needs it).
	Conv     string
	Seq      int64
	Assignee string
	// Frame is the encoded frame (Frame, Message).
	Frame []byte
}

// version is the first byte of an encoded Push.
const version = 1

// maxField bounds a string field of an encoded Push, maxTopics its topics.
const (
	maxField  = 4 << 10
	maxTopics = 4096
)

// Errors of Decode.
var (
	ErrVersion   = errors.New("relay: unknown push version")
	ErrKind      = errors.New("relay: unknown push kind")
	ErrTruncated = errors.New("relay: truncated push")
	ErrTooLarge  = errors.New("relay: push field too large")
)

// Encode returns p's bytes: a version byte, the kind, then each field as a
// length-prefixed string (a varint for Seq), the frame last and unprefixed.
func Encode(p Push) []byte {
	n := 2 + len(p.Origin) + len(p.SkipUser) + len(p.Conv) + len(p.Assignee) + len(p.Frame) + 48
	for _, t := range p.Topics {
		n += len(t) + 2
	}
	for _, t := range p.Except {
		n += len(t) + 2
	}
	b := make([]byte, 0, n)
	b = append(b, version, p.Kind)
	b = appendString(b, p.Origin)
	b = appendString(b, p.Conv)
	b = binary.AppendVarint(b, p.Seq)
	b = appendString(b, p.Assignee)
	b = appendString(b, p.SkipUser)
	b = appendStrings(b, p.Topics)
	b = appendStrings(b, p.Except)
	return append(b, p.Frame...)
}

func appendString(b []byte, s string) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

func appendStrings(b []byte, ss []string) []byte {
	b = binary.AppendUvarint(b, uint64(len(ss)))
	for _, s := range ss {
		b = appendString(b, s)
	}
	return b
}

// Decode parses the bytes of Encode. The Push's Frame aliases b.
func Decode(b []byte) (Push, error) {
	var p Push
	if len(b) < 2 {
		return p, ErrTruncated
	}
	if b[0] != version {
		return p, ErrVersion
	}
	p.Kind = b[1]
	if p.Kind < Frame || p.Kind > Conversation {
		return p, fmt.Errorf("%w %d", ErrKind, p.Kind)
	}
	d := decoder{b: b[2:]}
	p.Origin = d.string()
	p.Conv = d.string()
	p.Seq = d.varint()
	p.Assignee = d.string()
	p.SkipUser = d.string()
	p.Topics = d.strings()
	p.Except = d.strings()
	if d.err != nil {
		return Push{}, d.err
	}
	p.Frame = d.b
	return p, nil
}

type decoder struct {
	b   []byte
	err error
}

func (d *decoder) uvarint(limit uint64) uint64 {
	if d.err != nil {
		return 0
	}
	v, n := binary.Uvarint(d.b)
	if n <= 0 {
		d.err = ErrTruncated
		return 0
	}
	if v > limit {
		d.err = ErrTooLarge
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *decoder) varint() int64 {
	if d.err != nil {
		return 0
	}
	v, n := binary.Varint(d.b)
	if n <= 0 {
		d.err = ErrTruncated
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *decoder) string() string {
	n := d.uvarint(maxField)
	if d.err != nil {
		return ""
	}
	if uint64(len(d.b)) < n {
		d.err = ErrTruncated
		return ""
	}
	s := string(d.b[:n])
	d.b = d.b[n:]
	return s
}

func (d *decoder) strings() []string {
	n := d.uvarint(maxTopics)
	if d.err != nil || n == 0 {
		return nil
	}
	if uint64(len(d.b)) < n { // each takes a byte at least
		d.err = ErrTruncated
		return nil
	}
	ss := make([]string, 0, n)
	for range n {
		ss = append(ss, d.string())
	}
	return ss
}

// Relay publishes a node's Pushes and hands it the other nodes'.
type Relay struct {
	node    string
	bus     bus.Bus
	log     *slog.Logger
	cancel  func()
	workers []chan Push
	wg      sync.WaitGroup
	// mu orders the subscription's sends to the workers with Close: a
	// call of the subscription may still run after its cancel returns.
	mu     sync.RWMutex
	closed bool

	published atomic.Int64
	received  atomic.Int64
	bad       atomic.Int64
	dropped   atomic.Int64
}

// workerQueue is how many Pushes one worker holds before the next are
// dropped (and their messages filled from the store later).
const workerQueue = 4096

// New subscribes node to the Pushes of the other nodes on b and hands each
// to deliver on one of workers goroutines (at least one): those of one
// conversation always to the same one, in the order the bus hands them
// over, so a conversation waiting for a lock holds up only those that
// share its worker. Close ends the subscription and the workers.
func New(node string, b bus.Bus, log *slog.Logger, deliver func(Push), workers int) *Relay {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	r := &Relay{node: node, bus: b, log: log, workers: make([]chan Push, max(workers, 1))}
	for i := range r.workers {
		ch := make(chan Push, workerQueue)
		r.workers[i] = ch
		r.wg.Go(func() {
			for p := range ch {
				deliver(p)
			}
		})
	}
	r.cancel = b.Subscribe(Subject, func(data []byte) {
		p, err := Decode(data)
		if err != nil {
			if r.bad.Add(1) == 1 {
				log.Warn("relay: undecodable push dropped", "err", err)
			}
			return
		}
		if p.Origin == node {
			return
		}
		r.received.Add(1)
		// Decode aliases data, which the bus owns only during this call.
		p.Frame = append([]byte(nil), p.Frame...)
		r.mu.RLock()
		defer r.mu.RUnlock()
		if r.closed {
			return
		}
		select {
		case r.workers[r.worker(p)] <- p:
		default:
			if r.dropped.Add(1) == 1 {
				log.Warn("relay: a delivery worker fell behind; pushes dropped (messages come from the store)")
			}
		}
	})
	return r
}

// worker picks the worker of p: by conversation, else by its first topic.
func (r *Relay) worker(p Push) int {
	key := p.Conv
	if key == "" && len(p.Topics) > 0 {
		key = p.Topics[0]
	}
	h := fnv.New32a()
	h.Write([]byte(key))
	return int(h.Sum32() % uint32(len(r.workers)))
}

// Node returns the node's id.
func (r *Relay) Node() string { return r.node }

// Publish sends p to the other nodes, as from this node.
func (r *Relay) Publish(p Push) {
	p.Origin = r.node
	r.published.Add(1)
	r.bus.Publish(Subject, Encode(p))
}

// Stats are a relay's counters since it started: Pushes published,
// received from other nodes, dropped as undecodable, and dropped because
// their worker was full.
type Stats struct {
	Published, Received, Undecodable, Dropped int64
}

// Stats returns the relay's counters.
func (r *Relay) Stats() Stats {
	return Stats{Published: r.published.Load(), Received: r.received.Load(), Undecodable: r.bad.Load(), Dropped: r.dropped.Load()}
}

// Close stops receiving and waits for the workers to deliver what they
// hold.
func (r *Relay) Close() {
	r.cancel()
	r.mu.Lock()
	if !r.closed {
		r.closed = true
		for _, ch := range r.workers {
			close(ch)
		}
	}
	r.mu.Unlock()
	r.wg.Wait()
}
