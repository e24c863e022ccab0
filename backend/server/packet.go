package server

import (
	"context"
	"regexp"
	"strings"
	"unicode/utf8"

	"switchboard/backend/bot"
	"switchboard/backend/conversation"
	"switchboard/backend/store"
	"switchboard/protocol"
)

// The handoff packet: what the agent gets with a conversation so that the
// customer never repeats themselves. It is worked out once, at the handoff,
// from the bot's decision and the transcript, and stored with the
// conversation.

// triggerOf maps a handoff reason to its trigger word.
func triggerOf(reason string) string {
	switch {
	case reason == bot.ReasonAskedForAgent || reason == reasonAsked:
		return protocol.TriggerAsked
	case reason == bot.ReasonLowConfidence:
		return protocol.TriggerLowConfidence
	case reason == bot.ReasonNegative:
		return protocol.TriggerNegative
	case reason == bot.ReasonVIP:
		return protocol.TriggerVIP
	case strings.HasPrefix(reason, bot.ReasonRule):
		return protocol.TriggerRule
	case reason == reasonBotUnavailable:
		return protocol.TriggerBotUnavailable
	}
	return protocol.TriggerOther
}

// Facts the bot picks out of what the customer wrote. Phone numbers are
// looked for first so that an 11-digit mobile number is not taken for an
// order number.
var (
	reEmail = regexp.MustCompile(`[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}`)
	rePhone = regexp.MustCompile(`(?:^|[^0-9])(1[3-9][0-9]{9}|\+[0-9][0-9 -]{7,16}[0-9])(?:[^0-9]|$)`)
	reOrder = regexp.MustCompile(`(?i)(?:^|[^A-Za-z0-9])((?:[A-Z]{1,4}-?)?[0-9]{6,20})(?:[^A-Za-z0-9]|$)`)
)

// collect returns the facts found in texts, the newest mention winning.
func collect(texts []string) map[string]string {
	out := map[string]string{}
	for _, t := range texts {
		if m := reEmail.FindString(t); m != "" {
			out["email"] = m
		}
		t = reEmail.ReplaceAllString(t, " ")
		if m := rePhone.FindStringSubmatch(t); m != nil {
			out["phone"] = strings.TrimSpace(m[1])
			t = strings.Replace(t, m[1], " ", 1)
		}
		if m := reOrder.FindStringSubmatch(t); m != nil {
			out["order_no"] = m[1]
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// summaryTexts is how many of the customer's latest messages the summary
// quotes, and summaryRunes how much of each.
const (
	summaryTexts = 3
	summaryRunes = 80
)

// summarize quotes the customer's latest messages before a handoff; the
// packet's counts say how the bot fared.
func summarize(customer []string) string {
	if len(customer) == 0 {
		return ""
	}
	start := max(0, len(customer)-summaryTexts)
	quoted := make([]string, 0, summaryTexts)
	for _, t := range customer[start:] {
		t = strings.Join(strings.Fields(t), " ")
		if utf8.RuneCountInString(t) > summaryRunes {
			t = string([]rune(t)[:summaryRunes]) + "…"
		}
		quoted = append(quoted, "“"+t+"”")
	}
	s := strings.Join(quoted, " → ")
	if start > 0 {
		s = "… → " + s
	}
	return s
}

// buildPacket works out the handoff packet of conv, handed over on msg.
func (s *Server) buildPacket(ctx context.Context, conv store.Conversation, msg store.Message, reason, locale string, reply BotReply) protocol.HandoffPacket {
	p := protocol.HandoffPacket{
		Trigger:    triggerOf(reason),
		Reason:     reason,
		Intent:     reply.EntryID,
		Confidence: reply.Score,
		Locale:     locale,
		At:         s.nowMS(),
	}
	msgs, err := s.store.Messages(ctx, store.MessageQuery{ConversationID: conv.ID, AfterSeq: 0, Limit: 200, PublicOnly: true})
	if err != nil {
		s.log.Warn("read transcript for the handoff packet", "conversation_id", conv.ID, "err", err)
	}
	var texts []string
	answered, unsure := 0, 0
	seen := false
	lastEntry := ""
	for _, m := range msgs {
		switch {
		case m.SenderRole == protocol.RoleCustomer && m.Kind == protocol.KindText:
			texts = append(texts, m.Text)
			seen = seen || m.Seq == msg.Seq
		case m.SenderRole == protocol.RoleBot && m.Kind == protocol.KindText && m.Ext[extKBEntry] != "":
			answered++
			lastEntry = m.Ext[extKBEntry]
		case m.SenderRole == protocol.RoleBot && m.Kind == protocol.KindText:
			unsure++
		}
	}
	if !seen && msg.Kind == protocol.KindText && msg.Text != "" {
		texts = append(texts, msg.Text)
	}
	// Asking for a person matches the knowledge base's handoff entry, which
	// says nothing about what the customer wants: the last entry that
	// answered them does.
	if (p.Intent == "" || p.Intent == bot.DefaultHandoffEntryID) && lastEntry != "" {
		p.Intent = lastEntry
	}
	if p.Intent != "" && s.cfg.IntentLabel != nil {
		p.IntentLabel = s.cfg.IntentLabel(p.Intent)
	}
	p.Collected = collect(texts)
	p.Summary = summarize(texts)
	p.CustomerMessages, p.BotAnswered, p.BotUnsure = len(texts), answered, unsure
	p.PreviousAgentID, p.PreviousAgentName = s.lastAgentOf(ctx, conv)
	return p
}

// lastAgentOf is the agent who served conv's customer in their latest
// earlier conversation that had one.
func (s *Server) lastAgentOf(ctx context.Context, conv store.Conversation) (id, name string) {
	prev, err := s.store.ListConversations(ctx, store.ConversationFilter{
		CustomerID: conv.CustomerID,
		States:     []conversation.State{conversation.Resolved, conversation.Closed},
		Newest:     true,
		Limit:      10,
	})
	if err != nil {
		return "", ""
	}
	for _, c := range prev {
		if c.ID != conv.ID && c.AssigneeID != "" {
			return c.AssigneeID, c.AssigneeName
		}
	}
	return "", ""
}
