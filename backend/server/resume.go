package server

import (
	"cmp"
	"context"
	"slices"
	"sort"

	"switchboard/backend/hub"
	"switchboard/backend/store"
	"switchboard/protocol"
)

// Resume without a race. A reconnecting client names the last seq it holds
// per conversation. The connection joins live fan-out first, with the
// pushes of those conversations held back in the peer; then their history
// after the client's seq is read and sent; then the held pushes are merged
// in by seq (a seq already sent is dropped) and live delivery resumes. A
// message stored at any moment of this reaches the client exactly once and
// in order: either the history read sees it, or it is held, or (after the
// merge) it is sent live — and the overlap of the first two is dropped by
// seq. A push of a message the history read already saw can still come
// after the merge (the message was stored but not yet fanned out when the
// history was read): the last seq sent stays with the peer until a newer
// push passes it, and such a push is dropped.

// maxResumeConversations bounds hello.resume.
const maxResumeConversations = 1000

// maxHeld bounds the live pushes held for one conversation during its
// catch-up. A client that falls this far behind is a slow consumer.
const maxHeld = 4096

// heldMsg is a live push held back during a catch-up.
type heldMsg struct {
	seq   int64
	frame []byte
}

// deliverMessage sends a message push to the peer, or holds it while the
// conversation is being caught up. Callers hold the conversation's lock, so
// pushes of one conversation arrive here in seq order.
func (p *peer) deliverMessage(convID string, seq int64, frame []byte) {
	p.resumeMu.Lock()
	if floor, ok := p.resumed[convID]; ok {
		// The catch-up read this message from the store already: its push
		// was on its way (stored, not yet fanned out) when the catch-up
		// ended. Pushes come in seq order, so the first newer one ends
		// the check.
		if seq <= floor {
			p.resumeMu.Unlock()
			return
		}
		delete(p.resumed, convID)
	}
	if held, ok := p.resuming[convID]; ok {
		if len(*held) >= maxHeld {
			p.resumeMu.Unlock()
			p.closeSlow()
			return
		}
		*held = append(*held, heldMsg{seq: seq, frame: frame})
		p.resumeMu.Unlock()
		return
	}
	p.resumeMu.Unlock()
	p.out.Send(frame)
}

func (p *peer) closeSlow() {
	if p.conn != nil {
		p.conn.Close(protocol.CloseSlowConsumer, "too slow; reconnect and resume")
	}
}

// holdLive starts holding back the live pushes of the conversations to
// resume. It runs before the connection subscribes to anything.
func (p *peer) holdLive(points map[string]int64) {
	p.resumeMu.Lock()
	defer p.resumeMu.Unlock()
	p.resuming = make(map[string]*[]heldMsg, len(points))
	for id := range points {
		p.resuming[id] = new([]heldMsg)
	}
}

// stopHolding ends the hold on a conversation, dropping what was held.
func (p *peer) stopHolding(id string) {
	p.resumeMu.Lock()
	delete(p.resuming, id)
	p.resumeMu.Unlock()
}

// sendWait queues a frame of a catch-up, waiting for room rather than
// overflowing the connection's queue.
func (p *peer) sendWait(ctx context.Context, frame []byte) bool {
	if w, ok := p.out.(interface {
		SendWait(context.Context, []byte) bool
	}); ok {
		return w.SendWait(ctx, frame)
	}
	return p.out.Send(frame)
}

var _ interface {
	SendWait(context.Context, []byte) bool
} = (*hub.Conn)(nil)

// resume catches up the conversations of hello.resume, in id order, then
// pushes resumed.
func (p *peer) resume(ctx context.Context, points, epochs map[string]int64) {
	ids := make([]string, 0, len(points))
	for id := range points {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	done := make(map[string]int64, len(ids))
	for _, id := range ids {
		last, ok := p.resumeOne(ctx, id, points[id], epochs)
		if ok {
			done[id] = last
		}
		if ctx.Err() != nil {
			return
		}
	}
	p.push(protocol.TypeResumed, protocol.ResumedData{Conversations: done})
}

// resumeOne catches up one conversation and reports the last seq sent; ok
// is false when the client may not read it or must reload it.
func (p *peer) resumeOne(ctx context.Context, id string, after int64, epochs map[string]int64) (last int64, ok bool) {
	defer p.stopHolding(id)
	conv, perr := p.readable(ctx, id)
	if perr == nil && after < 0 {
		perr = protocol.ErrInvalid.WithMessage("resume seq of conversation %s is negative", truncate(id, 64))
	}
	if perr != nil {
		if perr.Code == protocol.ErrNotFound.Code {
			perr = protocol.ErrNotFound.WithMessage("conversation %s not found", truncate(id, 64))
		}
		p.replyError("", perr)
		return 0, false
	}
	if e, has := epochs[id]; (has && e != conv.Epoch) || after > conv.LastSeq {
		// The client's copy belongs to another history: it reloads.
		p.push(protocol.TypeConversation, p.conversation(conv))
		return 0, false
	}
	p.auditRead(ctx, conv, "resume")
	last = after
	for {
		msgs, err := p.s.store.Messages(ctx, store.MessageQuery{
			ConversationID: id, AfterSeq: last, Limit: maxSyncLimit, PublicOnly: p.isCustomer(),
		})
		if err != nil {
			p.replyError("", p.storeError("resume", err))
			return 0, false
		}
		for _, m := range msgs {
			frame, err := protocol.Encode(protocol.TypeMessage, "", toProtoMessage(m))
			if err != nil || !p.sendWait(ctx, frame) {
				return 0, false
			}
			last = m.Seq
		}
		if len(msgs) < maxSyncLimit {
			break
		}
	}
	// Merge what was held meanwhile, until nothing more is, then let live
	// pushes through: a push after the final check finds no hold and is sent
	// behind everything merged here.
	for {
		p.resumeMu.Lock()
		held := p.resuming[id]
		var batch []heldMsg
		if held != nil {
			batch, *held = *held, nil
		}
		if len(batch) == 0 {
			delete(p.resuming, id)
			if p.resumed == nil {
				p.resumed = make(map[string]int64)
			}
			p.resumed[id] = last
			p.resumeMu.Unlock()
			return last, true
		}
		p.resumeMu.Unlock()
		slices.SortFunc(batch, func(a, b heldMsg) int { return cmp.Compare(a.seq, b.seq) })
		for _, h := range batch {
			if h.seq <= last {
				continue
			}
			if !p.sendWait(ctx, h.frame) {
				return 0, false
			}
			last = h.seq
		}
	}
}

// push sends a frame that answers no request.
func (p *peer) push(typ string, data any) {
	p.reply(typ, "", data)
}
