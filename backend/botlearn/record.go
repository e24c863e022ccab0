// Package botlearn is how the bot learns from what it missed: it records
// the customers' questions the bot did not answer well (protocol.MissUnsure
// and the other Miss reasons) and groups the open ones into the report that
// supervisors turn into knowledge base edits (package kbedit).
package botlearn

import (
	"context"
	"fmt"
	"strings"
	"unicode"

	"switchboard/backend/store"
	"switchboard/protocol"
)

// Store is what recording and reporting need of the store.
type Store interface {
	AddMiss(ctx context.Context, m store.Miss) (store.Miss, bool, error)
	OpenMisses(ctx context.Context, limit int) ([]store.Miss, error)
	Messages(ctx context.Context, q store.MessageQuery) ([]store.Message, error)
}

// ExtKBEntry is the key of a bot message's ext that names the knowledge
// base entry it answered from.
const ExtKBEntry = "kb_entry"

// lookBack bounds the messages read before a bot answer to find the
// question it answered.
const lookBack = 20

// Recorder records the questions the bot missed.
type Recorder struct {
	st Store
}

// NewRecorder returns a recorder storing in st.
func NewRecorder(st Store) *Recorder { return &Recorder{st: st} }

// Answer is one answer of the bot, stored, to a customer's message.
type Answer struct {
	// Question is the customer's message it answered.
	Question store.Message
	// EntryID is the knowledge base entry that answered ("" for none).
	EntryID string
	// Unsure: the bot answered from no entry and offered quick replies.
	Unsure bool
}

// Answered records what an answer shows the bot missed: the question
// itself when the bot was unsure; the question before when the bot had
// answered it with an entry and now answers the customer's next message
// with the same entry again, or is unsure (asked again). It returns the
// misses it added.
func (r *Recorder) Answered(ctx context.Context, a Answer) ([]store.Miss, error) {
	var out []store.Miss
	q := a.Question
	if a.Unsure && a.EntryID == "" {
		m, err := r.add(ctx, q, protocol.MissUnsure)
		if err != nil {
			return out, err
		}
		out = append(out, m...)
	}
	if a.EntryID == "" && !a.Unsure {
		return out, nil
	}
	msgs, err := r.st.Messages(ctx, store.MessageQuery{ConversationID: q.ConversationID, BeforeSeq: q.Seq, Limit: lookBack})
	if err != nil {
		return out, fmt.Errorf("read before conv=%s seq=%d: %w", q.ConversationID, q.Seq, err)
	}
	prev, entry := previousAnswer(msgs)
	if prev == nil || (entry != a.EntryID && !a.Unsure) {
		return out, nil
	}
	m, err := r.add(ctx, *prev, protocol.MissAskedAgain)
	return append(out, m...), err
}

// previousAnswer finds, at the end of msgs, the bot's answer from an entry
// and the customer's question it answered: the customer's message just
// before the one now answered. Nil when the last thing said was not such
// an answer.
func previousAnswer(msgs []store.Message) (*store.Message, string) {
	i := len(msgs) - 1
	for ; i >= 0 && !said(msgs[i]); i-- {
	}
	if i < 0 || msgs[i].SenderRole != protocol.RoleBot || msgs[i].Ext[ExtKBEntry] == "" {
		return nil, ""
	}
	entry := msgs[i].Ext[ExtKBEntry]
	for i--; i >= 0; i-- {
		m := msgs[i]
		if !said(m) {
			continue
		}
		if m.SenderRole == protocol.RoleCustomer {
			return &msgs[i], entry
		}
		return nil, ""
	}
	return nil, ""
}

// said reports whether m is a public text message: what the customer and
// the bot say to each other.
func said(m store.Message) bool {
	return m.Kind == protocol.KindText && m.Visibility == protocol.VisibilityPublic && strings.TrimSpace(m.Text) != ""
}

// Handoff reasons of the bot that are business rules, not misses: the
// customer is a VIP, or a rule of the business sent them.
const (
	reasonVIP  = "vip_customer"
	reasonRule = "rule"
)

// HandoffMissed reports whether a bot's handoff for reason means it missed
// the customer's question: low confidence, a request for a person, a
// complaint. A VIP customer or a business rule is handed over whatever
// the bot knows.
func HandoffMissed(reason string) bool {
	return reason != reasonVIP && reason != reasonRule && !strings.HasPrefix(reason, reasonRule+":")
}

// HandedOver records the customer's last substantive question, up to and
// including the message at seq, of a conversation the bot handed over for
// reason (see HandoffMissed). A bare request for a person ("转人工",
// "human please") is not a question; with none before it nothing is
// recorded.
func (r *Recorder) HandedOver(ctx context.Context, conversationID string, seq int64, reason string) ([]store.Miss, error) {
	if !HandoffMissed(reason) {
		return nil, nil
	}
	msgs, err := r.st.Messages(ctx, store.MessageQuery{ConversationID: conversationID, BeforeSeq: seq + 1, Limit: lookBack})
	if err != nil {
		return nil, fmt.Errorf("read before conv=%s seq=%d: %w", conversationID, seq, err)
	}
	for i := len(msgs) - 1; i >= 0; i-- {
		m := msgs[i]
		if m.SenderRole == protocol.RoleCustomer && said(m) && Substantive(m.Text) {
			return r.add(ctx, m, protocol.MissHandedOver)
		}
	}
	return nil, nil
}

// Unhelpful records the question a bot message at botSeq answered, which
// the customer said did not help: the customer's last message before it.
func (r *Recorder) Unhelpful(ctx context.Context, conversationID string, botSeq int64) ([]store.Miss, error) {
	msgs, err := r.st.Messages(ctx, store.MessageQuery{ConversationID: conversationID, BeforeSeq: botSeq, Limit: lookBack})
	if err != nil {
		return nil, fmt.Errorf("read before conv=%s seq=%d: %w", conversationID, botSeq, err)
	}
	for i := len(msgs) - 1; i >= 0; i-- {
		if m := msgs[i]; m.SenderRole == protocol.RoleCustomer && said(m) {
			return r.add(ctx, m, protocol.MissUnhelpful)
		}
	}
	return nil, nil
}

func (r *Recorder) add(ctx context.Context, q store.Message, reason string) ([]store.Miss, error) {
	text := strings.TrimSpace(q.Text)
	m, added, err := r.st.AddMiss(ctx, store.Miss{ConversationID: q.ConversationID, Seq: q.Seq, Text: text,
		Locale: Locale(text), Reason: reason})
	if err != nil || !added {
		return nil, err
	}
	return []store.Miss{m}, nil
}

// Locale says "zh" for text with Chinese characters, else "en".
func Locale(text string) string {
	for _, r := range text {
		if unicode.Is(unicode.Han, r) {
			return "zh"
		}
	}
	return "en"
}

// Words of a bare request for a person, and of politeness: what is left of
// a message without them says whether it asked anything.
var (
	requestZH = []string{"人工客服", "人工服务", "转人工", "找人工", "要人工", "工作人员", "真人", "人工", "客服", "转接",
		"联系", "帮我", "请问", "你好", "您好", "谢谢", "在吗", "一下", "我要", "我想", "麻烦", "快点", "服务"}
	requestEN = map[string]bool{
		"i": true, "want": true, "to": true, "talk": true, "speak": true, "with": true, "a": true, "an": true, "the": true,
		"human": true, "humans": true, "agent": true, "agents": true, "person": true, "people": true, "real": true, "live": true,
		"representative": true, "rep": true, "operator": true, "customer": true, "service": true, "support": true, "staff": true,
		"please": true, "pls": true, "plz": true, "can": true, "could": true, "get": true, "me": true, "connect": true,
		"transfer": true, "need": true, "let": true, "someone": true, "somebody": true, "now": true, "hi": true, "hello": true,
		"help": true, "you": true, "is": true, "there": true, "ok": true, "thanks": true, "thank": true, "chat": true,
		"give": true, "anyone": true, "would": true, "like": true, "just": true, "an-agent": true, "my": true, "im": true,
	}
)

// Substantive reports whether text asks something beyond a request for a
// person and politeness: two Chinese characters or one English word left
// over.
func Substantive(text string) bool {
	t := strings.ToLower(text)
	for _, w := range requestZH {
		t = strings.ReplaceAll(t, w, " ")
	}
	han := 0
	for _, r := range t {
		if unicode.Is(unicode.Han, r) {
			han++
		}
	}
	if han >= 2 {
		return true
	}
	for _, w := range strings.FieldsFunc(t, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
		if !requestEN[w] && !unicode.Is(unicode.Han, []rune(w)[0]) && len(w) > 1 {
			return true
		}
	}
	return false
}
