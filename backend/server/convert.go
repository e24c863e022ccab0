package server

import (
	"encoding/json"
	"strings"

	"switchboard/backend/store"
	"switchboard/protocol"
)

// customerDisplayName is what agents see for a visitor who gave no name.
func customerDisplayName(id, name string) string {
	// Names stored before display strings were cleaned on the way in are
	// cleaned on the way out.
	if name = protocol.CleanDisplay(name); name != "" {
		return name
	}
	short := strings.TrimPrefix(id, "usr-")
	if len(short) > 6 {
		short = short[:6]
	}
	return "Visitor " + short
}

func toProtoConversation(c store.Conversation) protocol.Conversation {
	return protocol.Conversation{
		ID:              c.ID,
		CustomerID:      c.CustomerID,
		CustomerName:    customerDisplayName(c.CustomerID, c.CustomerName),
		Channel:         c.Channel,
		State:           string(c.State),
		Team:            c.Team,
		AssigneeID:      c.AssigneeID,
		AssigneeName:    c.AssigneeName,
		HandoffReason:   c.HandoffReason,
		Ext:             c.Ext,
		Verified:        c.Verified,
		Epoch:           c.Epoch,
		LastSeq:         c.LastSeq,
		LastText:        c.LastText,
		CustomerReadSeq: c.CustomerReadSeq,
		AgentReadSeq:    c.AgentReadSeq,
		Priority:        c.Priority,
		QueuedAt:        c.QueuedAt,
		OfferAgentID:    c.OfferAgentID,
		OfferAgentName:  c.OfferAgentName,
		OfferExpiresAt:  c.OfferExpiresAt,
		TransferFromID:  c.TransferFromID,
		Rating:          c.Rating,
		RatingComment:   c.RatingComment,
		Tags:            c.Tags,
		Joined:          toSenders(c.Joined),
		AssistAt:        c.AssistAt,
		AssignedAt:      c.AssignedAt,
		FirstReplyAt:    c.FirstReplyAt,
		AwaitingSince:   c.AwaitingSince,
		CreatedAt:       c.CreatedAt,
		UpdatedAt:       c.UpdatedAt,
	}
}

func toProtoConversations(cs []store.Conversation) []protocol.Conversation {
	out := make([]protocol.Conversation, len(cs))
	for i, c := range cs {
		out[i] = toProtoConversation(c)
	}
	return out
}

func toSenders(staff []store.Staff) []protocol.Sender {
	if len(staff) == 0 {
		return nil
	}
	out := make([]protocol.Sender, len(staff))
	for i, s := range staff {
		out[i] = protocol.Sender{Role: protocol.RoleSupervisor, ID: s.ID, Name: s.Name}
	}
	return out
}

// forCustomer is a conversation as its customer sees it: without the tags,
// which are staff's labels for it, and without supervision and the
// staff's response times.
func forCustomer(c protocol.Conversation) protocol.Conversation {
	c.Tags, c.Joined = nil, nil
	c.AssistAt, c.AssignedAt, c.FirstReplyAt, c.AwaitingSince = 0, 0, 0, 0
	return c
}

// hasStaffFields reports whether c carries anything forCustomer removes.
func hasStaffFields(c protocol.Conversation) bool {
	return c.Tags != nil || c.Joined != nil || c.AssistAt != 0 || c.AssignedAt != 0 || c.FirstReplyAt != 0 || c.AwaitingSince != 0
}

// conversation is c as the caller may see it.
func (p *peer) conversation(c store.Conversation) protocol.Conversation {
	if p.isCustomer() {
		return forCustomer(toProtoConversation(c))
	}
	return toProtoConversation(c)
}

// conversations is cs as the caller may see them.
func (p *peer) conversations(cs []store.Conversation) []protocol.Conversation {
	out := make([]protocol.Conversation, len(cs))
	for i, c := range cs {
		out[i] = p.conversation(c)
	}
	return out
}

func toProtoNote(n store.CustomerNote) protocol.CustomerNote {
	return protocol.CustomerNote{ID: n.ID, CustomerID: n.CustomerID, AuthorID: n.AuthorID, AuthorName: n.AuthorName,
		Text: n.Text, CreatedAt: n.CreatedAt}
}

func toProtoMessage(m store.Message) protocol.Message {
	pm := protocol.Message{
		ConversationID: m.ConversationID,
		Seq:            m.Seq,
		ClientMsgID:    m.ClientMsgID,
		Sender:         protocol.Sender{Role: m.SenderRole, ID: m.SenderID, Name: m.SenderName},
		Kind:           m.Kind,
		Visibility:     m.Visibility,
		Text:           m.Text,
		Ext:            m.Ext,
		CreatedAt:      m.CreatedAt,
	}
	if m.Event != nil {
		pm.Event = &protocol.Event{Type: m.Event.Type, From: m.Event.From, To: m.Event.To, Reason: m.Event.Reason, Actor: m.Event.Actor,
			CardSeq: m.Event.CardSeq, CardType: m.Event.CardType, Action: m.Event.Action, Values: m.Event.Values}
	}
	if a := m.Attachment; a != nil {
		pm.Attachment = &protocol.Attachment{ID: a.ID, Name: a.Name, Size: a.Size, MIME: a.MIME, Width: a.Width, Height: a.Height,
			DurationMS: a.DurationMS, HasThumb: a.HasThumb}
	}
	if c := m.Card; c != nil {
		pm.Card = &protocol.Card{Type: c.Type, Version: c.Version, Data: c.Data, Fallback: c.Fallback}
	}
	if raw, ok := m.Ext[extQuickReplies]; ok && m.SenderRole == protocol.RoleBot {
		var qr []string
		if json.Unmarshal([]byte(raw), &qr) == nil {
			pm.QuickReplies = qr
		}
		pm.Ext = make(map[string]string, len(m.Ext)-1)
		for k, v := range m.Ext {
			if k != extQuickReplies {
				pm.Ext[k] = v
			}
		}
		if len(pm.Ext) == 0 {
			pm.Ext = nil
		}
	}
	return pm
}

func agentUser(a store.Agent) protocol.User {
	teams := a.Teams
	if teams == nil {
		teams = []string{}
	}
	return protocol.User{ID: a.ID, Role: a.Role, Name: a.Name, Teams: teams}
}
