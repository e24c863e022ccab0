package chatclient

import (
	"context"
	"fmt"
	"time"

	"switchboard/protocol"
)

// buffer is the receive buffer of one conversation: the messages delivered
// so far, in seq order, and those that arrived past a gap.
//
// A push whose seq follows the last delivered one is delivered at once; one
// at or below it is a duplicate and dropped; one further ahead waits in ahead
// while the syncer asks for everything after the last delivered seq. A sync
// reply is the complete visible run after the seq it was asked for, so every
// message in it past the last delivered one is delivered in order even where
// seqs skip (a customer does not see agents' internal notes).
type buffer struct {
	msgs     []protocol.Message
	last     int64
	epoch    int64
	ahead    map[int64]protocol.Message
	needSync bool
	// changed is closed and replaced whenever msgs grows.
	changed chan struct{}
}

// Track starts keeping conversation id's messages: its whole visible history
// is read with sync, and pushes are delivered in seq order from then on.
func (c *Client) Track(id string) {
	c.bufMu.Lock()
	if _, ok := c.bufs[id]; !ok {
		c.bufs[id] = &buffer{ahead: make(map[int64]protocol.Message), needSync: true, changed: make(chan struct{})}
	}
	c.bufMu.Unlock()
	c.kickSync()
}

// Messages returns the messages delivered so far for a tracked conversation,
// in seq order.
func (c *Client) Messages(id string) []protocol.Message {
	c.bufMu.Lock()
	defer c.bufMu.Unlock()
	b := c.bufs[id]
	if b == nil {
		return nil
	}
	return append([]protocol.Message(nil), b.msgs...)
}

// Epoch returns the epoch the last sync of a tracked conversation reported.
func (c *Client) Epoch(id string) int64 {
	c.bufMu.Lock()
	defer c.bufMu.Unlock()
	if b := c.bufs[id]; b != nil {
		return b.epoch
	}
	return 0
}

// Wait blocks until done, called with the delivered messages of a tracked
// conversation, returns true.
func (c *Client) Wait(ctx context.Context, id string, done func([]protocol.Message) bool) error {
	for {
		c.bufMu.Lock()
		b := c.bufs[id]
		if b == nil {
			c.bufMu.Unlock()
			return fmt.Errorf("conversation %s is not tracked", id)
		}
		ok := done(b.msgs)
		changed := b.changed
		c.bufMu.Unlock()
		if ok {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-changed:
		}
	}
}

// receive takes messages of one conversation: a push (fromSync false) or a
// sync reply for after. It reports whether the buffer still needs a sync.
func (c *Client) receive(id string, msgs []protocol.Message, after int64, fromSync bool) bool {
	c.bufMu.Lock()
	defer c.bufMu.Unlock()
	b := c.bufs[id]
	if b == nil {
		return false // not tracked
	}
	grew := false
	deliver := func(m protocol.Message) {
		b.msgs = append(b.msgs, m)
		b.last = m.Seq
		delete(b.ahead, m.Seq)
		grew = true
	}
	for _, m := range msgs {
		switch {
		case m.Seq <= b.last:
			c.dupPushes.Add(1)
		case m.Seq == b.last+1:
			deliver(m)
		case fromSync && after <= b.last:
			// The reply lists every visible message after `after`, and
			// b.last is one of them or `after` itself: m is the next.
			deliver(m)
		default:
			b.ahead[m.Seq] = m
			b.needSync = true
		}
	}
	for {
		m, ok := b.ahead[b.last+1]
		if !ok {
			break
		}
		deliver(m)
	}
	for s := range b.ahead {
		if s <= b.last {
			delete(b.ahead, s)
		}
	}
	if grew {
		close(b.changed)
		b.changed = make(chan struct{})
	}
	if !fromSync && b.needSync {
		c.kickSync()
	}
	return len(b.ahead) > 0
}

func (c *Client) kickSync() {
	select {
	case c.syncKick <- struct{}{}:
	default:
	}
}

// catchUpAll marks every tracked conversation for a sync: after a reconnect
// the messages stored while the link was down are only had by asking.
func (c *Client) catchUpAll() {
	c.bufMu.Lock()
	for _, b := range c.bufs {
		b.needSync = true
	}
	c.bufMu.Unlock()
	c.kickSync()
}

// syncer fetches what buffers miss, one conversation at a time.
func (c *Client) syncer(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-c.syncKick:
		}
		for {
			id, after, ok := c.nextSync()
			if !ok {
				break
			}
			c.gapSyncs.Add(1)
			h, err := c.Sync(ctx, id, after)
			if err != nil {
				if ctx.Err() != nil {
					return
				}
				// Only a refusal ends Retry (not_found once access is
				// lost, say): asking again would be refused again. The
				// next reconnect or gap tries once more.
				c.log.Warn("sync refused", "conversation_id", id, "err", err)
				continue
			}
			c.bufMu.Lock()
			if b := c.bufs[id]; b != nil && h.Epoch != 0 {
				b.epoch = h.Epoch
			}
			c.bufMu.Unlock()
			stillAhead := c.receive(id, h.Messages, after, true)
			again := h.HasMore || stillAhead
			if stillAhead && !h.HasMore {
				// The pushes past the gap were stored after this read;
				// give the server a moment rather than spin.
				time.Sleep(5 * time.Millisecond)
			}
			c.markSync(id, again)
		}
	}
}

// nextSync picks a conversation that needs a sync and clears its flag;
// a push that finds a gap meanwhile sets it again.
func (c *Client) nextSync() (id string, after int64, ok bool) {
	c.bufMu.Lock()
	defer c.bufMu.Unlock()
	for id, b := range c.bufs {
		if b.needSync {
			b.needSync = false
			return id, b.last, true
		}
	}
	return "", 0, false
}

func (c *Client) markSync(id string, need bool) {
	if !need {
		return
	}
	c.bufMu.Lock()
	if b := c.bufs[id]; b != nil {
		b.needSync = true
	}
	c.bufMu.Unlock()
}
