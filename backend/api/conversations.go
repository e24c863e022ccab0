package api

import (
	"encoding/base64"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"switchboard/backend/apikeys"
	"switchboard/backend/audit"
	"switchboard/backend/conversation"
	"switchboard/backend/identity"
	"switchboard/backend/store"
	"switchboard/protocol"
)

// Conversation is a conversation as the API shows it.
type Conversation struct {
	ID            string            `json:"id"`
	CustomerID    string            `json:"customer_id"`
	CustomerName  string            `json:"customer_name"`
	Channel       string            `json:"channel"`
	State         string            `json:"state"`
	Team          string            `json:"team"`
	AssigneeID    string            `json:"assignee_id"`
	AssigneeName  string            `json:"assignee_name"`
	HandoffReason string            `json:"handoff_reason"`
	Ext           map[string]string `json:"ext"`
	Verified      map[string]string `json:"verified"`
	Priority      int               `json:"priority"`
	Tags          []string          `json:"tags"`
	Rating        int               `json:"rating"`
	LastSeq       int64             `json:"last_seq"`
	CreatedAt     int64             `json:"created_at"`
	UpdatedAt     int64             `json:"updated_at"`
}

func toConversation(c store.Conversation) Conversation {
	out := Conversation{ID: c.ID, CustomerID: c.CustomerID, CustomerName: c.CustomerName, Channel: c.Channel,
		State: string(c.State), Team: c.Team, AssigneeID: c.AssigneeID, AssigneeName: c.AssigneeName,
		HandoffReason: c.HandoffReason, Ext: c.Ext, Verified: c.Verified, Priority: c.Priority, Tags: c.Tags,
		Rating: c.Rating, LastSeq: c.LastSeq, CreatedAt: c.CreatedAt, UpdatedAt: c.UpdatedAt}
	if out.Ext == nil {
		out.Ext = map[string]string{}
	}
	if out.Verified == nil {
		out.Verified = map[string]string{}
	}
	if out.Tags == nil {
		out.Tags = []string{}
	}
	return out
}

// ConversationPage answers GET /api/v1/conversations.
type ConversationPage struct {
	Conversations []Conversation `json:"conversations"`
	// NextCursor continues the list (?cursor=); "" on the last page.
	NextCursor string `json:"next_cursor"`
}

// listConversations finds conversations by customer (the site's user
// id), order number, creation time and state, newest created first.
func (a *API) listConversations(q request) (int, any, *protocol.Error) {
	v := q.r.URL.Query()
	f := store.ConversationFilter{ByCreated: true}
	if u := v.Get("customer"); u != "" {
		site := v.Get("site")
		if site == "" && len(a.cfg.Sites) == 1 {
			site = a.cfg.Sites[0]
		}
		f.CustomerID = identity.Identity{Site: site, UserID: u}.CustomerID()
	}
	if o := v.Get("order_no"); o != "" {
		f.Field, f.FieldValue = "order_no", o
	}
	now := a.cfg.Now()
	for _, b := range []struct {
		name string
		to   *int64
	}{{"since", &f.CreatedSince}, {"until", &f.CreatedUntil}} {
		if raw := v.Get(b.name); raw != "" {
			ms, err := audit.ParseTime(raw, now)
			if err != nil {
				return 0, nil, protocol.ErrInvalid.WithMessage("%s: %v", b.name, err)
			}
			*b.to = ms
		}
	}
	if s := v.Get("state"); s != "" {
		st := conversation.State(s)
		if !st.Valid() {
			return 0, nil, protocol.ErrInvalid.WithMessage("state %q is not a conversation state", s)
		}
		f.States = []conversation.State{st}
	}
	if f.CustomerID == "" && f.Field == "" && f.CreatedSince == 0 && f.CreatedUntil == 0 && len(f.States) == 0 {
		return 0, nil, protocol.ErrInvalid.WithMessage("give at least one filter: customer, order_no, since, until or state")
	}
	limit, perr := pageLimit(q)
	if perr != nil {
		return 0, nil, perr
	}
	if c := v.Get("cursor"); c != "" {
		at, id, ok := parseCursor(c)
		if !ok {
			return 0, nil, protocol.ErrInvalid.WithMessage("cursor is not one this API gave")
		}
		f.AfterCreated, f.AfterID = at, id
	}
	f.Limit = limit + 1 // one more, to learn whether there is a next page
	cs, err := a.cfg.Store.ListConversations(q.r.Context(), f)
	if err != nil {
		return 0, nil, a.internal("list conversations", err)
	}
	page := ConversationPage{Conversations: make([]Conversation, 0, min(len(cs), limit))}
	if len(cs) > limit {
		cs = cs[:limit]
		last := cs[len(cs)-1]
		page.NextCursor = makeCursor(last.CreatedAt, last.ID)
	}
	for _, c := range cs {
		page.Conversations = append(page.Conversations, toConversation(c))
	}
	a.audit(q, audit.ActionRead, "", "via=api list "+q.r.URL.RawQuery)
	return http.StatusOK, page, nil
}

func makeCursor(createdAt int64, id string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(strconv.FormatInt(createdAt, 10) + ":" + id))
}

func parseCursor(c string) (int64, string, bool) {
	raw, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil {
		return 0, "", false
	}
	at, id, ok := strings.Cut(string(raw), ":")
	n, err := strconv.ParseInt(at, 10, 64)
	if !ok || err != nil || id == "" {
		return 0, "", false
	}
	return n, id, true
}

// conversation reads the path's conversation, recording the read.
func (a *API) conversation(q request) (store.Conversation, *protocol.Error) {
	id := q.r.PathValue("id")
	c, err := a.cfg.Store.Conversation(q.r.Context(), id)
	if errors.Is(err, store.ErrNotFound) {
		return c, protocol.ErrNotFound.WithMessage("no conversation %q", id)
	}
	if err != nil {
		return c, a.internal("read conversation", err)
	}
	return c, nil
}

func (a *API) getConversation(q request) (int, any, *protocol.Error) {
	c, perr := a.conversation(q)
	if perr != nil {
		return 0, nil, perr
	}
	a.audit(q, audit.ActionRead, c.ID, "via=api")
	return http.StatusOK, toConversation(c), nil
}

// Message is a message as the API shows it.
type Message struct {
	Seq         int64             `json:"seq"`
	ClientMsgID string            `json:"client_msg_id"`
	SenderRole  string            `json:"sender_role"`
	SenderID    string            `json:"sender_id"`
	SenderName  string            `json:"sender_name"`
	Kind        string            `json:"kind"`
	Visibility  string            `json:"visibility"`
	Text        string            `json:"text"`
	Event       *store.Event      `json:"event,omitempty"`
	Attachment  *store.Attachment `json:"attachment,omitempty"`
	Card        *store.Card       `json:"card,omitempty"`
	Ext         map[string]string `json:"ext,omitempty"`
	CreatedAt   int64             `json:"created_at"`
}

// MessagePage answers GET /api/v1/conversations/{id}/messages.
type MessagePage struct {
	Messages []Message `json:"messages"`
	// NextAfter continues the list (?after=); 0 on the last page.
	NextAfter int64 `json:"next_after"`
}

// listMessages pages through a conversation's messages in seq order:
// public ones only, unless ?internal=true and the key is also admin.
func (a *API) listMessages(q request) (int, any, *protocol.Error) {
	v := q.r.URL.Query()
	internal := false
	switch v.Get("internal") {
	case "", "false":
	case "true":
		if !apikeys.Has(q.key, apikeys.ScopeAdmin) {
			return 0, nil, protocol.ErrForbidden.WithMessage("internal notes and whispers need the admin scope")
		}
		internal = true
	default:
		return 0, nil, protocol.ErrInvalid.WithMessage("internal must be true or false")
	}
	after := int64(0)
	if raw := v.Get("after"); raw != "" {
		n, err := strconv.ParseInt(raw, 10, 64)
		if err != nil || n < 0 {
			return 0, nil, protocol.ErrInvalid.WithMessage("after must be a seq (a whole number, 0 or more)")
		}
		after = n
	}
	limit, perr := pageLimit(q)
	if perr != nil {
		return 0, nil, perr
	}
	c, perr := a.conversation(q)
	if perr != nil {
		return 0, nil, perr
	}
	ms, err := a.cfg.Store.Messages(q.r.Context(), store.MessageQuery{ConversationID: c.ID, AfterSeq: after,
		Limit: limit + 1, PublicOnly: !internal})
	if err != nil {
		return 0, nil, a.internal("read messages", err)
	}
	page := MessagePage{Messages: make([]Message, 0, min(len(ms), limit))}
	if len(ms) > limit {
		ms = ms[:limit]
		page.NextAfter = ms[len(ms)-1].Seq
	}
	for _, m := range ms {
		page.Messages = append(page.Messages, Message{Seq: m.Seq, ClientMsgID: m.ClientMsgID, SenderRole: m.SenderRole,
			SenderID: m.SenderID, SenderName: m.SenderName, Kind: m.Kind, Visibility: m.Visibility, Text: m.Text,
			Event: m.Event, Attachment: m.Attachment, Card: m.Card, Ext: m.Ext, CreatedAt: m.CreatedAt})
	}
	detail := "via=api messages"
	if internal {
		detail += " internal"
	}
	a.audit(q, audit.ActionRead, c.ID, detail)
	return http.StatusOK, page, nil
}
