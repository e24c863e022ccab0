package server

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"switchboard/backend/store"
	"switchboard/protocol"
)

func seqs(ms []protocol.Message) []int64 {
	out := []int64{}
	for _, m := range ms {
		out = append(out, m.Seq)
	}
	return out
}

// TestSyncBeforeSeq pages back through a conversation with before_seq.
func TestSyncBeforeSeq(t *testing.T) {
	e := newEnv(t, unlimited)
	_, _, alice, conv := e.activeConversation()
	var last int64
	for i := range 10 {
		last = alice.sendText(conv.ID, fmt.Sprint("m", i)).Seq
	}
	var got []int64
	before := last + 1
	for pages := 0; ; pages++ {
		var h protocol.HistoryData
		alice.decode(alice.request(protocol.TypeSync, protocol.SyncData{ConversationID: conv.ID, BeforeSeq: before, Limit: 4}),
			protocol.TypeHistory, &h)
		s := seqs(h.Messages)
		if len(s) == 0 || len(s) > 4 || s[len(s)-1] != before-1 {
			t.Fatalf("page before %d = %v", before, s)
		}
		for i := 1; i < len(s); i++ {
			if s[i] != s[i-1]+1 {
				t.Fatalf("page before %d is not oldest first and contiguous: %v", before, s)
			}
		}
		got = append(s, got...)
		before = s[0]
		if !h.HasMore {
			break
		}
		if pages > 10 {
			t.Fatal("has_more never ends")
		}
	}
	if int64(len(got)) != last || got[0] != 1 {
		t.Fatalf("paged back %d messages from %d, want 1..%d", len(got), got[0], last)
	}
	// Both bounds: the newest of the range, has_more for the older rest.
	var h protocol.HistoryData
	alice.decode(alice.request(protocol.TypeSync, protocol.SyncData{ConversationID: conv.ID, AfterSeq: 2, BeforeSeq: 8, Limit: 3}),
		protocol.TypeHistory, &h)
	if s := seqs(h.Messages); fmt.Sprint(s) != "[5 6 7]" || !h.HasMore {
		t.Fatalf("sync after 2 before 8 limit 3 = %v has_more %v", s, h.HasMore)
	}
	alice.wantError(alice.request(protocol.TypeSync, protocol.SyncData{ConversationID: conv.ID, BeforeSeq: -1}), protocol.ErrInvalid.Code)
}

// TestSyncPageFitsFrame fills a conversation with long messages: a history
// page stops before protocol.MaxHistoryBytes with has_more, in both
// directions, and paging on returns every message exactly once.
func TestSyncPageFitsFrame(t *testing.T) {
	e := newEnv(t, unlimited)
	_, _, alice, conv := e.activeConversation()
	long := strings.Repeat("长", protocol.MaxTextRunes) // 12 KB of UTF-8 each
	var last int64
	for range 60 {
		last = alice.sendText(conv.ID, long).Seq
	}
	for _, backward := range []bool{false, true} {
		seen := map[int64]int{}
		after, before := int64(0), last+1
		for pages := 0; ; pages++ {
			req := protocol.SyncData{ConversationID: conv.ID, AfterSeq: after}
			if backward {
				req = protocol.SyncData{ConversationID: conv.ID, BeforeSeq: before}
			}
			f := alice.request(protocol.TypeSync, req)
			if size := len(f.Data); size > protocol.MaxHistoryBytes+1024 {
				t.Fatalf("history page is %d bytes; the bound is %d", size, protocol.MaxHistoryBytes)
			}
			var h protocol.HistoryData
			alice.decode(f, protocol.TypeHistory, &h)
			s := seqs(h.Messages)
			if len(s) == 0 {
				t.Fatalf("empty page (backward=%v) after %d before %d", backward, after, before)
			}
			for _, q := range s {
				seen[q]++
			}
			after, before = s[len(s)-1], s[0]
			if !h.HasMore && !backward {
				break
			}
			if backward && (!h.HasMore || before == 1) {
				break
			}
			if pages > 20 {
				t.Fatal("has_more never ends")
			}
		}
		if int64(len(seen)) != last {
			t.Fatalf("backward=%v: paged %d distinct messages, want %d", backward, len(seen), last)
		}
		for q, n := range seen {
			if n != 1 {
				t.Fatalf("backward=%v: seq %d came %d times", backward, q, n)
			}
		}
	}
}

// TestReadReceipts moves read cursors: they are stored, never move back,
// are pushed to the other side and show on the conversation.
func TestReadReceipts(t *testing.T) {
	e := newEnv(t, nil)
	cust, v, alice, conv := e.activeConversation()
	ack := alice.sendText(conv.ID, "hello")

	read := func(c *client, seq int64) protocol.ReadReceipt {
		t.Helper()
		var r protocol.ReadReceipt
		c.decode(c.request(protocol.TypeRead, protocol.ReadData{ConversationID: conv.ID, Seq: seq}), protocol.TypeRead, &r)
		return r
	}
	if r := read(cust, ack.Seq); r.Seq != ack.Seq || r.Reader.ID != v.VisitorID || r.Reader.Role != protocol.RoleCustomer {
		t.Fatalf("read reply = %+v", r)
	}
	var pushed protocol.ReadReceipt
	alice.decode(alice.waitPush("read receipt", func(f protocol.Frame) bool { return f.Type == protocol.TypeRead }),
		protocol.TypeRead, &pushed)
	if pushed.Seq != ack.Seq || pushed.Reader.ID != v.VisitorID || pushed.ConversationID != conv.ID {
		t.Fatalf("read push = %+v", pushed)
	}
	if r := read(cust, 1); r.Seq != ack.Seq {
		t.Fatalf("read cursor moved back to %d", r.Seq)
	}
	read(alice, ack.Seq-1)
	cust.waitPush("agent read receipt", func(f protocol.Frame) bool { return f.Type == protocol.TypeRead })

	got, err := e.srv.Store().Conversation(t.Context(), conv.ID)
	if err != nil || got.CustomerReadSeq != ack.Seq || got.AgentReadSeq != ack.Seq-1 {
		t.Fatalf("stored cursors = %d/%d, %v", got.CustomerReadSeq, got.AgentReadSeq, err)
	}
	// The cursors are on the conversation everyone lists.
	_, w := e.connect("customer again", v.Token)
	if len(w.Conversations) != 1 || w.Conversations[0].CustomerReadSeq != ack.Seq || w.Conversations[0].AgentReadSeq != ack.Seq-1 {
		t.Fatalf("welcome conversations = %+v", w.Conversations)
	}
	stranger, _ := e.customer("stranger")
	stranger.wantError(stranger.request(protocol.TypeRead, protocol.ReadData{ConversationID: conv.ID, Seq: 1}), protocol.ErrNotFound.Code)
	// The reverted receipt (seq lower than stored) was not pushed.
	alice.noPush(200*time.Millisecond, "read receipt of a cursor that did not move", func(f protocol.Frame) bool {
		return f.Type == protocol.TypeRead
	})
}

// TestTyping forwards typing indicators to the other side, stores nothing,
// and drops the excess silently.
func TestTyping(t *testing.T) {
	e := newEnv(t, nil)
	cust, _, alice, conv := e.activeConversation()
	before, err := e.srv.Store().Messages(t.Context(), store.MessageQuery{ConversationID: conv.ID})
	if err != nil {
		t.Fatal(err)
	}
	typing := func(c *client, active bool) {
		b, _ := protocol.Encode(protocol.TypeTyping, "", protocol.TypingData{ConversationID: conv.ID, Active: active})
		c.writeRaw(b)
	}
	typing(cust, true)
	var tp protocol.TypingPush
	alice.decode(alice.waitPush("typing", func(f protocol.Frame) bool { return f.Type == protocol.TypeTyping }),
		protocol.TypeTyping, &tp)
	if !tp.Active || tp.ConversationID != conv.ID || tp.Sender.Role != protocol.RoleCustomer {
		t.Fatalf("typing push = %+v", tp)
	}
	// A burst far beyond the limit: a few get through, none is answered.
	for range 50 {
		typing(cust, false)
	}
	ack := cust.sendText(conv.ID, "after typing") // answered next: nothing came in between
	n := 0
	for {
		m := alice.waitPush("typing or message", func(f protocol.Frame) bool {
			return f.Type == protocol.TypeTyping || f.Type == protocol.TypeMessage
		})
		if m.Type == protocol.TypeMessage {
			var msg protocol.Message
			json.Unmarshal(m.Data, &msg)
			if msg.Seq == ack.Seq {
				break
			}
			continue // an earlier message (the bot's, the assignment's)
		}
		n++
	}
	if n == 0 || n > e.srv.cfg.TypingBurst {
		t.Fatalf("%d typing pushes got through a burst of 50, want 1..%d", n, e.srv.cfg.TypingBurst)
	}
	after, err := e.srv.Store().Messages(t.Context(), store.MessageQuery{ConversationID: conv.ID})
	if err != nil {
		t.Fatal(err)
	}
	if len(after) != len(before)+1 || after[len(after)-1].Seq != ack.Seq {
		t.Fatalf("typing stored something: %d messages before, %d after", len(before), len(after))
	}
	// The typist's own connections do not hear themselves.
	cust.noPush(200*time.Millisecond, "own typing", func(f protocol.Frame) bool { return f.Type == protocol.TypeTyping })
}

// TestSendRateLimit sends past the burst: the excess is rate_limited,
// retryable, and not stored; after a pause sending works again.
func TestSendRateLimit(t *testing.T) {
	e := newEnv(t, func(c *Config) { c.SendRate, c.SendBurst = 1, 3 })
	_, _, alice, conv := e.activeConversation()
	acked, limited := 0, 0
	var limitedIDs []string
	for range 6 {
		id := uuid.NewString()
		f := alice.request(protocol.TypeSend, protocol.SendData{ConversationID: conv.ID, ClientMsgID: id, Text: "x"})
		switch f.Type {
		case protocol.TypeAck:
			acked++
		case protocol.TypeError:
			if f.Error.Code != protocol.ErrRateLimited.Code || !f.Error.Retryable {
				t.Fatalf("error %+v, want retryable rate_limited", f.Error)
			}
			limited++
			limitedIDs = append(limitedIDs, id)
		}
	}
	if acked < 3 || limited == 0 {
		t.Fatalf("%d acked, %d limited, want 3 (the burst) and the rest limited", acked, limited)
	}
	msgs, _ := e.srv.Store().Messages(t.Context(), store.MessageQuery{ConversationID: conv.ID})
	for _, m := range msgs {
		for _, id := range limitedIDs {
			if m.ClientMsgID == id {
				t.Fatalf("rate limited message %s was stored", id)
			}
		}
	}
	time.Sleep(1100 * time.Millisecond)
	if ack := alice.sendWithID(conv.ID, limitedIDs[0], "x"); ack.Duplicate {
		t.Fatalf("retry after the limit = %+v, want a first store", ack)
	}
}

// TestPresence announces a participant's first connection and last
// disconnection to the other side of their open conversations, and nothing
// for a second connection of the same user.
func TestPresence(t *testing.T) {
	e := newEnv(t, nil)
	cust, v, alice, conv := e.activeConversation()
	isPresence := func(online bool, userID string) func(protocol.Frame) bool {
		return func(f protocol.Frame) bool {
			var p protocol.PresencePush
			return f.Type == protocol.TypePresence && json.Unmarshal(f.Data, &p) == nil &&
				p.Online == online && p.User.ID == userID && p.ConversationID == conv.ID
		}
	}

	// The customer's only connection closes: the agent hears it.
	cust.ws.Close()
	alice.waitPush("customer offline", isPresence(false, v.VisitorID))
	// They come back: online again.
	back, _ := e.connect("customer back", v.Token)
	alice.waitPush("customer online", isPresence(true, v.VisitorID))
	// A second tab of the same customer is not news.
	second, _ := e.connect("customer second tab", v.Token)
	alice.noPush(200*time.Millisecond, "presence for a second connection", func(f protocol.Frame) bool {
		return f.Type == protocol.TypePresence
	})
	second.ws.Close()
	alice.noPush(200*time.Millisecond, "presence while a connection remains", func(f protocol.Frame) bool {
		return f.Type == protocol.TypePresence
	})

	// The assigned agent leaves: the customer hears it.
	alice.ws.Close()
	back.waitPush("agent offline", isPresence(false, alice.user.ID))
}

// TestBotContext gives the bot the conversation's business fields and the
// number of fallback replies in a row, and carries its suggestions to the
// customer as quick replies, not as business fields.
func TestBotContext(t *testing.T) {
	var mu sync.Mutex
	var inputs []BotInput
	e := newEnv(t, func(c *Config) {
		c.Bot = BotFunc(func(ctx context.Context, in BotInput) (BotReply, error) {
			mu.Lock()
			inputs = append(inputs, in)
			mu.Unlock()
			if strings.Contains(in.Text, "shipping") {
				return BotReply{Text: "We ship fast.", Locale: "en", EntryID: "shipping", Team: "presales"}, nil
			}
			return BotReply{Text: "Sorry?", Locale: "en", Suggestions: []string{"How much is shipping?", "Where is my order?"}}, nil
		})
	})
	cust, _ := e.customer("c")
	conv := cust.open(map[string]string{"order_no": "SO-9", "vip": "false"})
	var reply protocol.Message
	for _, text := range []string{"blah", "blah blah", "shipping?", "blah"} {
		cust.sendText(conv.ID, text)
		reply = cust.waitMessage("bot answer to "+text, func(m protocol.Message) bool { return m.Sender.Role == protocol.RoleBot })
	}
	if len(reply.QuickReplies) != 2 || reply.QuickReplies[0] != "How much is shipping?" || reply.Ext[extQuickReplies] != "" {
		t.Fatalf("fallback = quick replies %q, ext %v", reply.QuickReplies, reply.Ext)
	}
	// The history carries them the same way.
	h := cust.sync(conv.ID, reply.Seq-1)
	if len(h.Messages) != 1 || len(h.Messages[0].QuickReplies) != 2 {
		t.Fatalf("synced fallback = %+v", h.Messages)
	}
	mu.Lock()
	defer mu.Unlock()
	var streaks []int
	for _, in := range inputs {
		streaks = append(streaks, in.LowConfidence)
		if in.Ext["order_no"] != "SO-9" {
			t.Errorf("bot input ext = %v, want order_no SO-9", in.Ext)
		}
	}
	if fmt.Sprint(streaks) != "[0 1 2 0]" {
		t.Fatalf("low-confidence streaks seen by the bot = %v, want [0 1 2 0]", streaks)
	}
}
