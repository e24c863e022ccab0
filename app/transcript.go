package app

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/google/uuid"

	"switchboard/app/conn"
	"switchboard/protocol"
)

// The bound methods of the agent's workstation beyond the basics of app.go:
// a transcript read page by page (the newest first, older ones as the agent
// scrolls back), agent-only notes, read cursors and the conversations the
// agent resolved today.

// Page sizes of TranscriptPage.
const (
	defaultPageSize = 200
	maxPageSize     = 500 // the server's maximum for one sync
)

// MessagePage is one page of a conversation's transcript, oldest first.
type MessagePage struct {
	Messages []protocol.Message `json:"messages"`
	// HasMore says there are older messages before the first one.
	HasMore bool `json:"has_more"`
}

// TranscriptPage returns up to limit messages of a conversation with seq
// below beforeSeq, oldest first (limit 0 means 200, at most 500).
//
// beforeSeq 0 asks for the newest page: like Transcript it waits for the
// server when the cache is known to lack messages, and it ends with the
// agent's unacknowledged messages (seq 0). An older page comes from the
// cache when the cache holds all of it, else from the server (sync with
// before_seq), and is cached on the way.
func (a *App) TranscriptPage(conversationID string, beforeSeq int64, limit int) (MessagePage, error) {
	sess, err := a.s.current()
	if err != nil {
		return MessagePage{}, a.s.uiError("read transcript", err)
	}
	ctx, cancel := context.WithTimeout(a.s.context(), requestTimeout)
	defer cancel()
	p, err := sess.transcriptPage(ctx, conversationID, beforeSeq, limit)
	return p, a.s.uiError("read transcript", err)
}

// SendNote writes an agent-only note (visibility internal) into a
// conversation and returns it as stored by the server. Unlike Send it needs
// the connection: notes are not kept in the outbox. clientMsgID, when set,
// is the note's idempotency key, so the UI can retry a note whose answer was
// lost without storing it twice; empty means a new one.
func (a *App) SendNote(conversationID, clientMsgID, text string) (protocol.Message, error) {
	sess, err := a.s.current()
	if err != nil {
		return protocol.Message{}, a.s.uiError("send note", err)
	}
	ctx, cancel := context.WithTimeout(a.s.context(), requestTimeout)
	defer cancel()
	m, err := sess.sendStaff(ctx, conversationID, clientMsgID, text, protocol.VisibilityInternal)
	return m, a.s.uiError("send note", err)
}

// MarkRead moves the agent's read cursor of a conversation to seq (it never
// moves back) and returns the cursor as stored. The cached conversation's
// agent_read_seq follows, and the change arrives as a conversation event.
func (a *App) MarkRead(conversationID string, seq int64) (int64, error) {
	sess, err := a.s.current()
	if err != nil {
		return 0, a.s.uiError(protocol.TypeRead, err)
	}
	ctx, cancel := context.WithTimeout(a.s.context(), requestTimeout)
	defer cancel()
	n, err := sess.markRead(ctx, conversationID, seq)
	return n, a.s.uiError(protocol.TypeRead, err)
}

// ResolvedSince returns the cached conversations of the agent that were
// resolved (or closed since) at or after sinceMS (unix ms), most recent
// first: the "resolved today" list, with the start of the agent's day given
// by the UI, which knows the agent's time zone.
func (a *App) ResolvedSince(sinceMS int64) ([]protocol.Conversation, error) {
	sess, err := a.s.current()
	if err != nil {
		return nil, a.s.uiError("list resolved", err)
	}
	list, err := sess.resolvedSince(a.s.context(), sinceMS)
	return list, a.s.uiError("list resolved", err)
}

func pageSize(limit int) int {
	switch {
	case limit <= 0:
		return defaultPageSize
	case limit > maxPageSize:
		return maxPageSize
	}
	return limit
}

func (s *session) transcriptPage(ctx context.Context, id string, beforeSeq int64, limit int) (MessagePage, error) {
	if id == "" {
		return MessagePage{}, protocol.ErrInvalid.WithMessage("conversation id is empty")
	}
	if beforeSeq < 0 {
		return MessagePage{}, protocol.ErrInvalid.WithMessage("before_seq must not be negative")
	}
	limit = pageSize(limit)
	if beforeSeq == 0 {
		return s.newestPage(ctx, id, limit)
	}
	return s.olderPage(ctx, id, beforeSeq, limit)
}

// newestPage is the end of the transcript plus the outbox, completed from
// the server first when the cache is known to lack messages.
func (s *session) newestPage(ctx context.Context, id string, limit int) (MessagePage, error) {
	msgs, err := s.cache.MessagesBefore(ctx, id, 0, limit)
	if err != nil {
		return MessagePage{}, err
	}
	incomplete, err := s.incomplete(ctx, id, msgs)
	if err != nil {
		return MessagePage{}, err
	}
	if incomplete {
		if st, _ := s.mgr.State(); st == conn.StateOnline {
			err := s.syncConversation(ctx, id)
			if pe, ok := errors.AsType[*protocol.Error](err); ok && !pe.Retryable {
				return MessagePage{}, pe
			}
			if err != nil {
				s.log.Info("transcript sync failed; showing the cache", "conversation_id", id, "err", err)
			}
			if msgs, err = s.cache.MessagesBefore(ctx, id, 0, limit); err != nil {
				return MessagePage{}, err
			}
		}
	} else {
		s.jobs.add(jobSync(id))
	}
	p := MessagePage{Messages: msgs, HasMore: len(msgs) > 0 && msgs[0].Seq > 1}
	pending, err := s.cache.Outbox(ctx, id)
	if err != nil {
		return MessagePage{}, err
	}
	me := s.me()
	for _, it := range pending {
		p.Messages = append(p.Messages, pendingMessage(me, it))
	}
	return p, nil
}

// olderPage is the page that ends right before beforeSeq. Seqs are gap-free,
// so the cache holds the whole page when it has beforeSeq-lo messages in
// [lo, beforeSeq).
func (s *session) olderPage(ctx context.Context, id string, beforeSeq int64, limit int) (MessagePage, error) {
	lo := max(1, beforeSeq-int64(limit))
	if beforeSeq <= 1 {
		return MessagePage{Messages: []protocol.Message{}}, nil
	}
	cached, err := s.cache.MessagesBefore(ctx, id, beforeSeq, limit)
	if err != nil {
		return MessagePage{}, err
	}
	if int64(len(cached)) == beforeSeq-lo {
		return MessagePage{Messages: cached, HasMore: lo > 1}, nil
	}
	if st, _ := s.mgr.State(); st != conn.StateOnline {
		if len(cached) == 0 {
			return MessagePage{}, protocol.ErrUnavailable.WithMessage("older messages are not cached; they load when the app is connected")
		}
		return MessagePage{Messages: cached, HasMore: cached[0].Seq > 1}, nil
	}
	var h protocol.HistoryData
	err = s.mgr.Request(ctx, protocol.TypeSync,
		protocol.SyncData{ConversationID: id, BeforeSeq: beforeSeq, Limit: limit}, &h)
	if err != nil {
		return MessagePage{}, err
	}
	// History reset on the server makes these messages another
	// transcript's. Taking the new epoch drops the cache and syncs it
	// again; the UI reloads on the conversation event.
	moved, err := s.takeEpoch(ctx, id, h.Epoch)
	if err != nil {
		return MessagePage{}, err
	}
	if moved {
		return MessagePage{}, protocol.ErrUnavailable.WithMessage("the conversation's history was reset; reloading it")
	}
	msgs := slices.DeleteFunc(h.Messages, func(m protocol.Message) bool { return m.Seq <= 0 || m.Seq >= beforeSeq })
	if len(msgs) > 0 {
		st, err := s.cache.PutMessages(ctx, msgs)
		if err != nil {
			return MessagePage{}, err
		}
		// Filling a gap may make newer cached messages readable in order.
		s.emitStored(ctx, st, nil)
	}
	if msgs == nil {
		msgs = []protocol.Message{}
	}
	return MessagePage{Messages: msgs, HasMore: h.HasMore}, nil
}

// checkText validates a message's text as the server will.
func checkText(text string) error {
	if strings.TrimSpace(text) == "" {
		return protocol.ErrInvalid.WithMessage("message text is empty")
	}
	if n := utf8.RuneCountInString(text); n > protocol.MaxTextRunes {
		return protocol.ErrTextTooLong.WithMessage(
			"message text is %d characters; the limit is %d", n, protocol.MaxTextRunes)
	}
	return nil
}

// sendStaff sends a message only staff read (visibility internal: a note;
// whisper: between supervisors and the agent) and caches it as stored.
func (s *session) sendStaff(ctx context.Context, id, clientMsgID, text, visibility string) (protocol.Message, error) {
	if id == "" {
		return protocol.Message{}, protocol.ErrInvalid.WithMessage("conversation id is empty")
	}
	if err := checkText(text); err != nil {
		return protocol.Message{}, err
	}
	if clientMsgID == "" {
		u, err := uuid.NewV7()
		if err != nil {
			return protocol.Message{}, fmt.Errorf("new client_msg_id: %w", err)
		}
		clientMsgID = u.String()
	} else if _, err := uuid.Parse(clientMsgID); err != nil {
		return protocol.Message{}, protocol.ErrInvalid.WithMessage("client_msg_id is not a UUID")
	}
	if st, _ := s.mgr.State(); st != conn.StateOnline {
		return protocol.Message{}, protocol.ErrUnavailable.WithMessage("notes and whispers are sent only while connected")
	}
	var ack protocol.AckData
	err := s.mgr.Request(ctx, protocol.TypeSend, protocol.SendData{
		ConversationID: id,
		ClientMsgID:    clientMsgID,
		Kind:           protocol.KindText,
		Text:           text,
		Visibility:     visibility,
	}, &ack)
	if err != nil {
		return protocol.Message{}, err
	}
	me := s.me()
	m := protocol.Message{
		ConversationID: id,
		Seq:            ack.Seq,
		ClientMsgID:    clientMsgID,
		Sender:         protocol.Sender{Role: me.Role, ID: me.ID, Name: me.Name},
		Kind:           protocol.KindText,
		Visibility:     visibility,
		Text:           text,
		CreatedAt:      ack.CreatedAt,
	}
	st, err := s.cache.PutMessages(ctx, []protocol.Message{m})
	if err != nil {
		// Stored on the server all the same; the next sync caches it.
		s.log.Warn("cache write failed", "conversation_id", id, "err", err)
		return m, nil
	}
	s.emitStored(ctx, st, nil)
	return m, nil
}

func (s *session) markRead(ctx context.Context, id string, seq int64) (int64, error) {
	if id == "" {
		return 0, protocol.ErrInvalid.WithMessage("conversation id is empty")
	}
	if seq < 0 {
		return 0, protocol.ErrInvalid.WithMessage("seq must not be negative")
	}
	var r protocol.ReadReceipt
	if err := s.mgr.Request(ctx, protocol.TypeRead, protocol.ReadData{ConversationID: id, Seq: seq}, &r); err != nil {
		return 0, err
	}
	me := s.me()
	r.Reader = protocol.Sender{Role: me.Role, ID: me.ID, Name: me.Name}
	s.applyReceipt(ctx, r)
	return r.Seq, nil
}

// readPush handles a read receipt the server pushed: the customer (or a
// colleague) moved their read cursor.
func (s *session) readPush(ctx context.Context, f protocol.Frame) {
	var r protocol.ReadReceipt
	if perr := protocol.DecodeData(f, &r); perr != nil {
		s.log.Warn("unreadable read push", "err", perr)
		return
	}
	s.applyReceipt(ctx, r)
}

// applyReceipt moves the cached conversation's read cursor that r is about
// forward (the customer's, or the assignee's) and tells the UI. Cursors
// never move back, so a late receipt changes nothing.
func (s *session) applyReceipt(ctx context.Context, r protocol.ReadReceipt) {
	err := s.changeCached(ctx, r.ConversationID, func(c *protocol.Conversation) bool {
		switch {
		case r.Reader.Role == protocol.RoleCustomer && r.Seq > c.CustomerReadSeq:
			c.CustomerReadSeq = r.Seq
		case r.Reader.Role != protocol.RoleCustomer && r.Reader.ID != "" &&
			r.Reader.ID == c.AssigneeID && r.Seq > c.AgentReadSeq:
			c.AgentReadSeq = r.Seq
		default:
			return false
		}
		return true
	})
	if err != nil {
		s.log.Warn("cache read failed", "conversation_id", r.ConversationID, "err", err)
	}
}

func (s *session) resolvedSince(ctx context.Context, sinceMS int64) ([]protocol.Conversation, error) {
	all, err := s.cache.Conversations(ctx, protocol.StateResolved, protocol.StateClosed)
	if err != nil {
		return nil, err
	}
	me := s.me()
	out := []protocol.Conversation{}
	for _, c := range all {
		if c.AssigneeID == me.ID && c.UpdatedAt >= sinceMS {
			out = append(out, c)
		}
	}
	return out, nil
}
