package server

import (
	"context"
	"errors"
	"strings"
	"unicode/utf8"

	"switchboard/backend/store"
	"switchboard/protocol"
)

// What staff keep about a conversation and its customer beside the
// transcript: tags on the conversation, notes on the customer. Neither is a
// message, and neither reaches the customer.

func (p *peer) tag(ctx context.Context, f protocol.Frame) *protocol.Error {
	if !isStaff(p.user.Role) {
		return protocol.ErrForbidden.WithMessage("only agents tag conversations")
	}
	var d protocol.TagData
	if perr := protocol.DecodeData(f, &d); perr != nil {
		return perr
	}
	if len(d.Add) == 0 && len(d.Remove) == 0 {
		return protocol.ErrInvalid.WithMessage("name tags to add or remove")
	}
	if len(d.Add) > protocol.MaxTags || len(d.Remove) > protocol.MaxTags {
		return protocol.ErrInvalid.WithMessage("add and remove hold at most %d tags each", protocol.MaxTags)
	}
	add, perr := normalizeTags(d.Add)
	if perr != nil {
		return perr
	}
	remove, perr := normalizeTags(d.Remove)
	if perr != nil {
		return perr
	}
	if !p.sendLimit.allow(p.s.cfg.Now()) {
		return protocol.ErrRateLimited.WithMessage("more than %g changes a second; retry later", p.s.cfg.SendRate)
	}
	before, perr := p.readable(ctx, d.ConversationID)
	if perr != nil {
		return perr
	}
	// The conversation's lock orders this change's push with the others
	// of the conversation.
	mu := p.s.lockConv(before.ID)
	mu.Lock()
	defer mu.Unlock()
	after, changed, err := p.s.store.UpdateTags(ctx, store.TagChange{
		ConversationID: before.ID, Add: add, Remove: remove, Max: protocol.MaxTags, Actor: p.user.ID,
	})
	if errors.Is(err, store.ErrLimit) {
		return protocol.ErrInvalid.WithMessage("a conversation has at most %d tags", protocol.MaxTags)
	}
	if err != nil {
		return p.storeError("update tags", err)
	}
	p.reply(protocol.TypeConversation, f.ID, toProtoConversation(after))
	if changed {
		p.s.log.Info("conversation tagged", "conversation_id", after.ID, "user_id", p.user.ID, "tags", len(after.Tags))
		p.s.pushToStaffLocked(after)
	}
	return nil
}

// normalizeTags normalizes tags for a tag request, refusing the request
// if one is not a valid tag.
func normalizeTags(tags []string) ([]string, *protocol.Error) {
	out := make([]string, 0, len(tags))
	for _, t := range tags {
		norm, ok := protocol.NormalizeTag(t)
		if !ok {
			return nil, protocol.ErrInvalid.WithMessage("tag %q is not 1 to %d characters of text", truncate(t, 40), protocol.MaxTagRunes)
		}
		out = append(out, norm)
	}
	return out, nil
}

func (p *peer) customerNote(ctx context.Context, f protocol.Frame) *protocol.Error {
	if !isStaff(p.user.Role) {
		return protocol.ErrForbidden.WithMessage("only agents write customer notes")
	}
	var d protocol.CustomerNoteData
	if perr := protocol.DecodeData(f, &d); perr != nil {
		return perr
	}
	if !utf8.ValidString(d.Text) {
		return protocol.ErrInvalid.WithMessage("text is not valid UTF-8")
	}
	text := strings.TrimSpace(d.Text)
	if n := utf8.RuneCountInString(text); n == 0 || n > protocol.MaxCustomerNoteRunes {
		return protocol.ErrInvalid.WithMessage("a note has 1 to %d characters; this one has %d", protocol.MaxCustomerNoteRunes, n)
	}
	if !p.sendLimit.allow(p.s.cfg.Now()) {
		return protocol.ErrRateLimited.WithMessage("more than %g notes a second; retry later", p.s.cfg.SendRate)
	}
	c, perr := p.readable(ctx, d.ConversationID)
	if perr != nil {
		return perr
	}
	n, err := p.s.store.AddCustomerNote(ctx, store.CustomerNote{
		CustomerID: c.CustomerID, ConversationID: c.ID, AuthorID: p.user.ID, AuthorName: p.user.Name, Text: text,
	})
	if err != nil {
		return p.storeError("add customer note", err)
	}
	p.s.log.Info("customer note", "conversation_id", c.ID, "customer_id", c.CustomerID, "user_id", p.user.ID)
	p.reply(protocol.TypeCustomerNote, f.ID, toProtoNote(n))
	return nil
}

// pushToStaffLocked sends c to the staff who may read it, not to its
// customer: for changes only staff see. The caller holds the
// conversation's lock.
func (s *Server) pushToStaffLocked(c store.Conversation) {
	frame, err := protocol.Encode(protocol.TypeConversation, "", toProtoConversation(c))
	if err != nil {
		s.log.Error("encode conversation push", "conversation_id", c.ID, "err", err)
		return
	}
	s.fanFrame(readerTopics(c), frame, nil, "")
}
