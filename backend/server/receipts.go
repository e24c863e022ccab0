package server

import (
	"context"

	"switchboard/backend/store"
	"switchboard/protocol"
)

// read moves the caller's durable read cursor and tells the conversation's
// other readers.
func (p *peer) read(ctx context.Context, f protocol.Frame) *protocol.Error {
	var d protocol.ReadData
	if perr := protocol.DecodeData(f, &d); perr != nil {
		return perr
	}
	if d.Seq < 0 {
		return protocol.ErrInvalid.WithMessage("seq must not be negative")
	}
	conv, perr := p.readable(ctx, d.ConversationID)
	if perr != nil {
		return perr
	}
	seq, moved, err := p.s.store.MarkRead(ctx, store.ReadMark{
		ConversationID: conv.ID, ReaderID: p.user.ID, ReaderRole: p.user.Role, Seq: d.Seq,
	})
	if err != nil {
		return p.storeError("mark read", err)
	}
	receipt := protocol.ReadReceipt{
		ConversationID: conv.ID,
		Reader:         protocol.Sender{Role: p.user.Role, ID: p.user.ID, Name: p.user.Name},
		Seq:            seq,
	}
	p.reply(protocol.TypeRead, f.ID, receipt)
	if moved {
		p.s.pushToReaders(conv, protocol.TypeRead, receipt, p.conn, p.seenByCustomer(conv))
	}
	return nil
}

// typing forwards a typing indicator to the conversation's other readers.
// It is never stored and never answered on success; beyond the rate limit
// it is dropped without a word, as the next one supersedes it anyway.
func (p *peer) typing(ctx context.Context, f protocol.Frame) *protocol.Error {
	var d protocol.TypingData
	if perr := protocol.DecodeData(f, &d); perr != nil {
		return perr
	}
	if d.ConversationID == "" {
		return protocol.ErrInvalid.WithMessage("conversation_id is required")
	}
	if !p.typingLimit.allow(p.s.cfg.Now()) {
		return nil
	}
	conv, perr := p.readable(ctx, d.ConversationID)
	if perr != nil {
		return perr
	}
	p.s.pushToReaders(conv, protocol.TypeTyping, protocol.TypingPush{
		ConversationID: conv.ID,
		Sender:         protocol.Sender{Role: p.user.Role, ID: p.user.ID, Name: p.user.Name},
		Active:         d.Active,
	}, p.conn, p.seenByCustomer(conv))
	return nil
}

// seenByCustomer reports whether the customer may see the caller's typing
// and reading of c: their own, and that of the staff serving them (the
// assignee, a supervisor who joined). A silent monitor stays silent.
func (p *peer) seenByCustomer(c store.Conversation) bool {
	return p.isCustomer() || visibleStaff(p.user.ID, c)
}
