package server

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode"

	"github.com/google/uuid"

	"switchboard/backend/conversation"
	"switchboard/backend/store"
	"switchboard/protocol"
)

// BotInput is what the bot is asked about: one customer message.
type BotInput struct {
	ConversationID string
	Text           string
	// LastTeam is the team of the last knowledge base entry that answered
	// in this conversation, if any.
	LastTeam string
	// Ext are the conversation's business fields as the page passed them
	// (source page, order number…): unverified.
	Ext map[string]string
	// Verified are the fields the customer's signed identity token vouched
	// for (user_id, vip, tier…): the only ones a bot may route or hand
	// over on.
	Verified map[string]string
	// LowConfidence counts the bot's replies in a row, just before this
	// message, that answered from no knowledge base entry.
	LowConfidence int
	// History are the conversation's public messages with text just before
	// this one, oldest first: at most botHistoryMessages of them, together
	// at most botHistoryBytes of text (the newest kept).
	History []BotTurn
}

// BotTurn is one message of a conversation's history as a bot sees it.
type BotTurn struct {
	// Role is the sender's: protocol.RoleCustomer, protocol.RoleBot, or
	// protocol.RoleAgent for any staff member.
	Role string
	Text string
}

// Bounds of BotInput.History: a model's prompt grows with it, and the
// recent turns are the ones that explain a follow-up question.
const (
	botHistoryMessages = 20
	botHistoryBytes    = 8 << 10
)

// BotReply is the bot's answer.
type BotReply struct {
	Text   string
	Locale string // "zh" or "en"
	// Handoff asks for the conversation to move to people; Reason says why
	// and Team where (empty: the last team, else the default team).
	Handoff bool
	Reason  string
	Team    string
	// EntryID is the knowledge base entry that answered, and Score how well
	// it matched.
	EntryID string
	Score   float64
	// Suggestions are quick replies offered to the customer with the text.
	Suggestions []string
}

// Bot answers customers while a conversation is in state bot.
type Bot interface {
	Answer(ctx context.Context, in BotInput) (BotReply, error)
}

// BotFunc adapts a function to Bot.
type BotFunc func(ctx context.Context, in BotInput) (BotReply, error)

// Answer implements Bot.
func (f BotFunc) Answer(ctx context.Context, in BotInput) (BotReply, error) { return f(ctx, in) }

// Bot identity and fixed texts, by locale.
const (
	botNameZH     = "云杉小助手"
	botNameEN     = "Spruce Assistant"
	handoffTextZH = "正在为您转接人工客服，请稍候…"
	handoffTextEN = "Connecting you to an agent, one moment…"

	reasonBotUnavailable = "bot unavailable"
	reasonAttachment     = "customer sent a file the bot cannot read"
	reasonAsked          = "customer asked for an agent"
)

func botName(locale string) string {
	if locale == "zh" {
		return botNameZH
	}
	return botNameEN
}

func handoffText(locale string) string {
	if locale == "zh" {
		return handoffTextZH
	}
	return handoffTextEN
}

// detectLocale says "zh" for text with CJK characters, else "en".
func detectLocale(text string) string {
	for _, r := range text {
		if unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul) {
			return "zh"
		}
	}
	return "en"
}

// botIDSpace derives the client_msg_ids of what the bot writes from the
// customer message it answers, so answering the same message twice stores
// nothing twice.
var botIDSpace = uuid.MustParse("0b5e7a4c-2f59-4c1e-9d0a-6a8f3c1d2e47")

func derivedID(clientMsgID, what string) string {
	return uuid.NewSHA1(botIDSpace, []byte(clientMsgID+"/"+what)).String()
}

var errNoBot = errors.New("no bot configured")

// askBot calls the bot, turning a panic into an error: a broken bot must
// hand the customer over, not take the connection down.
func (s *Server) askBot(ctx context.Context, in BotInput) (reply BotReply, err error) {
	if s.cfg.Bot == nil {
		return BotReply{}, errNoBot
	}
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("bot panicked: %v", r)
		}
	}()
	return s.cfg.Bot.Answer(ctx, in)
}

// runBot answers a customer message stored in state bot: a reply, or a
// handoff when the bot asks for one, fails or runs out of time. It runs
// after the message was acknowledged and pushed.
// clientLocale is the language the customer's client named (hello or open),
// for replies to messages without text.
func (s *Server) runBot(conv store.Conversation, msg store.Message, clientLocale string) {
	if msg.Kind != protocol.KindText && strings.TrimSpace(msg.Text) == "" {
		// A photo, a file or a voice message the bot cannot read: a person
		// looks at it rather than the customer getting "sorry?".
		locale := "en"
		if strings.HasPrefix(strings.ToLower(clientLocale), "zh") {
			locale = "zh"
		}
		s.handoff(conv, msg, s.handoffTeam(conv, ""), reasonAttachment, handoffText(locale), locale, BotReply{})
		return
	}
	ctx, cancel := context.WithTimeout(s.baseCtx, s.cfg.BotTimeout)
	streak, history := s.botContext(ctx, conv.ID, msg.Seq)
	reply, err := s.askBot(ctx, BotInput{
		ConversationID: conv.ID, Text: msg.Text, LastTeam: conv.LastTeam, Ext: conv.Ext, Verified: conv.Verified,
		LowConfidence: streak, History: history,
	})
	if err == nil && ctx.Err() != nil {
		err = ctx.Err() // a bot that ignores its deadline is late all the same
	}
	cancel()
	locale := reply.Locale
	if locale == "" {
		locale = detectLocale(msg.Text)
	}
	switch {
	case err != nil:
		s.log.Warn("bot failed; handing over", "conversation_id", conv.ID, "err", err)
		s.handoff(conv, msg, s.handoffTeam(conv, ""), reasonBotUnavailable, handoffText(locale), locale, BotReply{})
	case reply.Handoff:
		reason := reply.Reason
		if reason == "" {
			reason = reasonAsked
		}
		text := reply.Text
		if strings.TrimSpace(text) == "" {
			text = handoffText(locale)
		}
		if s.handoff(conv, msg, s.handoffTeam(conv, reply.Team), reason, text, locale, reply) {
			s.learnHandedOver(msg, reason)
		}
	default:
		if s.botReply(conv, msg, reply, locale) {
			s.learnAnswered(msg, reply)
		}
	}
}

// botContext reads what the bot is told about the conversation before seq:
// the streak of the bot's fallback replies (text without a knowledge base
// entry) in a row, skipping the customer's own messages, which an answer
// from the knowledge base or any other message ends; and the history
// (BotInput.History). The bot is stateless: the transcript is its memory.
func (s *Server) botContext(ctx context.Context, convID string, seq int64) (streak int, history []BotTurn) {
	msgs, err := s.store.Messages(ctx, store.MessageQuery{ConversationID: convID, BeforeSeq: seq, Limit: botHistoryMessages})
	if err != nil {
		s.log.Warn("read recent messages for the bot", "conversation_id", convID, "err", err)
		return 0, nil
	}
	return lowConfidenceStreak(msgs), botHistory(msgs)
}

// lowConfidenceStreak counts the fallback replies at the end of msgs (see
// botContext).
func lowConfidenceStreak(msgs []store.Message) int {
	n := 0
	for i := len(msgs) - 1; i >= 0; i-- {
		m := msgs[i]
		switch {
		case m.SenderRole == protocol.RoleCustomer:
			continue
		case m.SenderRole == protocol.RoleBot && m.Kind == protocol.KindText && m.Ext[extKBEntry] == "":
			n++
			continue
		}
		break
	}
	return n
}

// botHistory keeps the public messages with text of msgs, the newest that
// fit in botHistoryBytes. Internal notes and events never reach a bot.
func botHistory(msgs []store.Message) []BotTurn {
	var out []BotTurn
	size := 0
	for i := len(msgs) - 1; i >= 0; i-- {
		m := msgs[i]
		text := strings.TrimSpace(m.Text)
		if m.Visibility != protocol.VisibilityPublic || m.Kind == protocol.KindEvent || text == "" {
			continue
		}
		role := m.SenderRole
		switch role {
		case protocol.RoleCustomer, protocol.RoleBot:
		case protocol.RoleAgent, protocol.RoleSupervisor, protocol.RoleAdmin:
			role = protocol.RoleAgent
		default:
			continue
		}
		if size += len(text); size > botHistoryBytes {
			break
		}
		out = append(out, BotTurn{Role: role, Text: text})
	}
	slices.Reverse(out)
	return out
}

// Keys the server keeps in a message's ext. extQuickReplies holds a JSON
// array that toProtoMessage lifts into Message.QuickReplies.
const (
	extKBEntry      = "kb_entry"
	extQuickReplies = "quick_replies"
)

func (s *Server) handoffTeam(conv store.Conversation, team string) string {
	switch {
	case team != "":
		return team
	case conv.LastTeam != "":
		return conv.LastTeam
	}
	return s.cfg.DefaultTeam
}

func (s *Server) botMessage(convID, clientMsgID, text, locale string, ext map[string]string) store.NewMessage {
	return store.NewMessage{
		ConversationID: convID,
		ClientMsgID:    clientMsgID,
		SenderRole:     protocol.RoleBot,
		SenderID:       "bot",
		SenderName:     botName(locale),
		Kind:           protocol.KindText,
		Visibility:     protocol.VisibilityPublic,
		Text:           text,
		Ext:            ext,
	}
}

// botReply stores and pushes the bot's reply to msg, and reports whether
// it stored it (not a duplicate, the conversation still the bot's).
func (s *Server) botReply(conv store.Conversation, msg store.Message, reply BotReply, locale string) bool {
	ctx := context.WithoutCancel(s.baseCtx)
	// Only an answering entry moves the last team; a fallback's team is a
	// guess, not something the customer talked about.
	if reply.EntryID != "" && reply.Team != "" && reply.Team != conv.LastTeam {
		if err := s.store.SetLastTeam(ctx, conv.ID, reply.Team); err != nil {
			s.log.Warn("set last team", "conversation_id", conv.ID, "err", err)
		}
	}
	if strings.TrimSpace(reply.Text) == "" {
		return false
	}
	ext := map[string]string{}
	if reply.EntryID != "" {
		ext[extKBEntry] = reply.EntryID
	}
	if len(reply.Suggestions) > 0 {
		if b, err := json.Marshal(reply.Suggestions); err == nil {
			ext[extQuickReplies] = string(b)
		}
	}
	if len(ext) == 0 {
		ext = nil
	}
	nm := s.botMessage(conv.ID, derivedID(msg.ClientMsgID, "reply"), reply.Text, locale, ext)
	// Only while the bot still has the conversation: if it was handed over
	// meanwhile, people answer now.
	nm.States = []conversation.State{conversation.Bot}
	mu := s.lockConv(conv.ID)
	mu.Lock()
	defer mu.Unlock()
	res, err := s.store.AppendMessage(ctx, nm)
	if errors.Is(err, store.ErrIllegalState) {
		s.log.Debug("bot reply dropped: conversation moved on", "conversation_id", conv.ID)
		return false
	}
	if err != nil {
		s.log.Error("store bot reply", "conversation_id", conv.ID, "err", err)
		return false
	}
	if !res.Duplicate {
		s.pushMessageLocked(res.Conversation, res.Message)
	}
	return !res.Duplicate
}

// handoff moves a conversation from the bot to a team's queue: the handoff
// event and the bot's goodbye, stored in one transaction and pushed in order.
// It reports whether it handed over.
func (s *Server) handoff(conv store.Conversation, msg store.Message, team, reason, text, locale string, reply BotReply) bool {
	ctx := context.WithoutCancel(s.baseCtx)
	team = s.queueTeam(ctx, team)
	packet := s.buildPacket(ctx, conv, msg, reason, locale, reply)
	mu := s.lockConv(conv.ID)
	mu.Lock()
	defer mu.Unlock()
	goodbye := s.botMessage(conv.ID, derivedID(msg.ClientMsgID, "handoff-text"), text, locale, nil)
	after, ev, err := s.store.ChangeState(ctx, store.StateChange{
		ConversationID: conv.ID,
		Event:          conversation.Handoff,
		Team:           &team,
		HandoffReason:  &reason,
		Packet:         encodePacket(packet),
		Message: store.NewMessage{
			ClientMsgID: derivedID(msg.ClientMsgID, "handoff"),
			SenderRole:  protocol.RoleSystem,
			Kind:        protocol.KindEvent,
			Visibility:  protocol.VisibilityPublic,
			Event:       &store.Event{Type: protocol.EventHandoff, Reason: reason, Actor: botName(locale)},
		},
		Then:  []store.NewMessage{goodbye},
		Actor: "bot",
	})
	if errors.Is(err, store.ErrIllegalState) {
		s.log.Debug("handoff skipped: conversation moved on", "conversation_id", conv.ID)
		return false
	}
	if err != nil {
		s.log.Error("handoff", "conversation_id", conv.ID, "err", err)
		return false
	}
	s.log.Info("conversation handed over", "conversation_id", conv.ID, "team", team, "reason", reason)
	s.pushConversationLocked(conv, after)
	s.pushMessageLocked(after, ev)
	// The goodbye follows the event; read it back as stored.
	then, err := s.store.Messages(ctx, store.MessageQuery{ConversationID: conv.ID, AfterSeq: ev.Seq})
	if err != nil {
		s.log.Error("read handoff text", "conversation_id", conv.ID, "err", err)
		return true
	}
	for _, m := range then {
		s.pushMessageLocked(after, m)
	}
	s.kickRouter()
	return true
}
