package store

import (
	"fmt"
	"unicode/utf8"

	"switchboard/protocol"
)

// The rules below are what a message or a tag change means for a
// conversation, the same in every engine: engines apply them in their own
// SQL, but decide with these.

// LastTextRunes caps the preview kept on a conversation (Conversation.LastText).
const LastTextRunes = 140

// UpdatesLastText reports whether m becomes its conversation's preview.
func (m NewMessage) UpdatesLastText() bool {
	return m.Kind != protocol.KindEvent && m.Visibility == protocol.VisibilityPublic
}

// PreviewText is what m shows in the conversation list: its text, else an
// attachment's name or a card's fallback, cut to LastTextRunes.
func (m NewMessage) PreviewText() string {
	switch {
	case m.Text != "":
		return preview(m.Text)
	case m.Attachment != nil:
		return preview(m.Attachment.Name)
	case m.Card != nil:
		return preview(m.Card.Fallback)
	}
	return ""
}

func preview(s string) string {
	if utf8.RuneCountInString(s) <= LastTextRunes {
		return s
	}
	return string([]rune(s)[:LastTextRunes])
}

// CustomerWrote reports whether m is the customer writing: it starts the
// wait for an answer (Conversation.AwaitingSince) unless one runs already.
func (m NewMessage) CustomerWrote() bool {
	return m.SenderRole == protocol.RoleCustomer && m.Kind != protocol.KindEvent
}

// StaffAnswered reports whether m is a person of the staff answering the
// customer publicly: it ends the wait, and is the assignee's first reply
// when they sent it and had not replied yet.
func (m NewMessage) StaffAnswered() bool {
	switch m.SenderRole {
	case protocol.RoleAgent, protocol.RoleSupervisor, protocol.RoleAdmin:
		return m.Kind != protocol.KindEvent && m.Visibility == protocol.VisibilityPublic
	}
	return false
}

// MergeTags applies tc to a conversation's tags before (by TagKey): the
// tags after, those added and those removed, or ErrLimit when tags would be
// added beyond tc.Max.
func MergeTags(before map[string]string, tc TagChange) (after map[string]string, added, removed []string, err error) {
	after = make(map[string]string, len(before)+len(tc.Add))
	for k, t := range before {
		after[k] = t
	}
	for _, t := range tc.Remove {
		delete(after, protocol.TagKey(t))
	}
	for _, t := range tc.Add {
		k := protocol.TagKey(t)
		if _, has := after[k]; !has {
			after[k] = t
		}
	}
	for k, t := range before {
		if after[k] != t {
			removed = append(removed, t)
		}
	}
	for k, t := range after {
		if before[k] != t {
			added = append(added, t)
		}
	}
	if len(added) > 0 && tc.Max > 0 && len(after) > tc.Max {
		return nil, nil, nil, fmt.Errorf("%w: %d tags, the most is %d", ErrLimit, len(after), tc.Max)
	}
	return after, added, removed, nil
}

// DefaultClaimLimit is the batch a queue claim takes when it sets no limit.
const DefaultClaimLimit = 50

// BatchLimit is the batch the claim takes: its Limit, or DefaultClaimLimit.
func (q QueueClaim) BatchLimit() int {
	if q.Limit <= 0 {
		return DefaultClaimLimit
	}
	return q.Limit
}
