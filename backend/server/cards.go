package server

import (
	"context"
	"errors"
	"strings"
	"unicode/utf8"

	"switchboard/backend/conversation"
	"switchboard/backend/store"
	"switchboard/protocol"
)

// checkContent checks what a send carries for its kind, before anything is
// loaded: the text (a caption for attachments), and a card against the
// card registry. It returns the card as stored.
func (p *peer) checkContent(d *protocol.SendData) (*store.Card, *protocol.Error) {
	if !utf8.ValidString(d.Text) {
		return nil, protocol.ErrInvalid.WithMessage("text is not valid UTF-8")
	}
	if n := utf8.RuneCountInString(d.Text); n > protocol.MaxTextRunes {
		return nil, protocol.ErrTextTooLong.WithMessage("text has %d characters; the limit is %d", n, protocol.MaxTextRunes)
	}
	switch {
	case d.Kind == protocol.KindText:
		if d.AttachmentID != "" || d.Card != nil {
			return nil, protocol.ErrInvalid.WithMessage("a text message has no attachment_id or card; use kind image, file, voice or card")
		}
		if strings.TrimSpace(d.Text) == "" {
			return nil, protocol.ErrInvalid.WithMessage("text is empty")
		}
		return nil, nil
	case protocol.IsAttachmentKind(d.Kind):
		if d.Card != nil {
			return nil, protocol.ErrInvalid.WithMessage("a %s message has no card", d.Kind)
		}
		return nil, nil // the attachment is resolved once the conversation is loaded
	case d.Kind == protocol.KindCard:
		// Cards speak for the business (a price, an order's status): only
		// staff send them, so a customer cannot forge one.
		if !isStaff(p.user.Role) {
			return nil, protocol.ErrForbidden.WithMessage("customers cannot send cards")
		}
		if d.Card == nil {
			return nil, protocol.ErrInvalidCard.WithMessage("a card message needs a card")
		}
		if d.AttachmentID != "" || d.Text != "" {
			return nil, protocol.ErrInvalid.WithMessage("a card message has no text or attachment_id; put text in the card")
		}
		c, perr := protocol.ValidateCard(*d.Card)
		if perr != nil {
			return nil, perr
		}
		return &store.Card{Type: c.Type, Version: c.Version, Data: c.Data, Fallback: c.Fallback}, nil
	}
	return nil, protocol.ErrInvalid.WithMessage("message kind %q is not supported; use text, image, file, voice or card", truncate(d.Kind, 32))
}

// cardActionStates are the states in which a customer may act on a card:
// the open ones, and resolved (a rating form comes with the resolve).
var cardActionStates = append(append([]conversation.State{}, openStates...), conversation.Resolved)

// cardAction stores a customer's action on a card as an event message and
// pushes it like any message. The action must be one the card's type
// declares, with values that fit it; the idempotency key makes a resend
// harmless.
func (p *peer) cardAction(ctx context.Context, f protocol.Frame) *protocol.Error {
	var d protocol.CardActionData
	if perr := protocol.DecodeData(f, &d); perr != nil {
		return perr
	}
	if !validClientMsgID(d.ClientMsgID) {
		return protocol.ErrInvalid.WithMessage("client_msg_id must be a UUID")
	}
	if d.CardSeq <= 0 {
		return protocol.ErrInvalid.WithMessage("card_seq must be the seq of a card message")
	}
	if !p.sendLimit.allow(p.s.cfg.Now()) {
		return protocol.ErrRateLimited.WithMessage("more than %g messages a second; resend later with the same client_msg_id", p.s.cfg.SendRate)
	}
	if !p.isCustomer() {
		return protocol.ErrForbidden.WithMessage("card actions are the customer's")
	}
	conv, perr := p.readable(ctx, d.ConversationID)
	if perr != nil {
		return perr
	}
	msgs, err := p.s.store.Messages(ctx, store.MessageQuery{
		ConversationID: conv.ID, AfterSeq: d.CardSeq - 1, Limit: 1, PublicOnly: true,
	})
	if err != nil {
		return p.storeError("load card", err)
	}
	if len(msgs) == 0 || msgs[0].Seq != d.CardSeq || msgs[0].Kind != protocol.KindCard || msgs[0].Card == nil {
		return protocol.ErrInvalidCard.WithMessage("message %d of the conversation is not a card", d.CardSeq)
	}
	card := msgs[0].Card
	values, perr := protocol.ValidateCardAction(protocol.Card{Type: card.Type, Version: card.Version, Data: card.Data}, d.Action, d.Values)
	if perr != nil {
		return perr
	}
	nm := store.NewMessage{
		ConversationID: conv.ID,
		ClientMsgID:    d.ClientMsgID,
		SenderRole:     p.user.Role,
		SenderID:       p.user.ID,
		SenderName:     p.user.Name,
		Kind:           protocol.KindEvent,
		Visibility:     protocol.VisibilityPublic,
		Event: &store.Event{Type: protocol.EventCardAction, Actor: p.user.Name,
			CardSeq: d.CardSeq, CardType: card.Type, Action: d.Action, Values: values},
		States: cardActionStates,
	}
	mu := p.s.lockConv(conv.ID)
	mu.Lock()
	defer mu.Unlock()
	res, err := p.s.store.AppendMessage(ctx, nm)
	if errors.Is(err, store.ErrIllegalState) {
		return protocol.ErrIllegalState.WithMessage("the conversation is closed")
	}
	if err != nil {
		return p.storeError("append card action", err)
	}
	p.reply(protocol.TypeAck, f.ID, protocol.AckData{
		ConversationID: res.Message.ConversationID,
		ClientMsgID:    res.Message.ClientMsgID,
		Seq:            res.Message.Seq,
		Epoch:          res.Conversation.Epoch,
		CreatedAt:      res.Message.CreatedAt,
		Duplicate:      res.Duplicate,
	})
	if !res.Duplicate {
		p.s.log.Info("card action", "conversation_id", conv.ID, "card_seq", d.CardSeq, "card_type", card.Type, "action", d.Action)
		p.s.pushMessageLocked(res.Conversation, res.Message)
	}
	return nil
}
