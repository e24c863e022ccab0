package server

import (
	"context"
	"errors"
	"strings"
	"testing"

	"switchboard/backend/bot"
	"switchboard/backend/kb"
	"switchboard/protocol"
)

// kbServerBot is the real knowledge-base bot over the demo knowledge base,
// adapted to the server as the server binary does, with a rule that hands
// over any message naming the GDPR.
func kbServerBot(t *testing.T) Bot {
	t.Helper()
	b, err := bot.NewKB(kb.Demo(), bot.Options{Rules: []bot.Rule{func(in bot.Input) (bool, string) {
		return strings.Contains(strings.ToLower(in.Text), "gdpr"), "data protection request"
	}}})
	if err != nil {
		t.Fatal(err)
	}
	return BotFunc(func(ctx context.Context, in BotInput) (BotReply, error) {
		r, err := b.Answer(ctx, bot.Input{ConversationID: in.ConversationID, Text: in.Text, LastTeam: in.LastTeam,
			Ext: in.Ext, Verified: in.Verified, LowConfidence: in.LowConfidence})
		return BotReply{Text: r.Text, Locale: r.Locale, Handoff: r.Handoff, Reason: r.Reason, Team: r.Team,
			EntryID: r.EntryID, Score: r.Score, Suggestions: r.Suggestions}, err
	})
}

// TestHandoffTriggers drives each handoff trigger through the real bot and
// checks what the offered agent gets: the trigger in the packet, the reason
// on the conversation, and the offer itself.
func TestHandoffTriggers(t *testing.T) {
	failing := BotFunc(func(context.Context, BotInput) (BotReply, error) { return BotReply{}, errors.New("model down") })
	tests := []struct {
		name    string
		bot     func(*testing.T) Bot
		ext     map[string]string // verified: the customer signs in with an identity token vouching for them
		say     []string
		trigger string
	}{
		{"asked zh", kbServerBot, nil, []string{"运费怎么算？", "转人工"}, protocol.TriggerAsked},
		{"asked en", kbServerBot, nil, []string{"Can I talk to a real person?"}, protocol.TriggerAsked},
		{"low confidence", kbServerBot, nil, []string{"qwxz plorb?", "zzkv blarg wump?"}, protocol.TriggerLowConfidence},
		{"negative", kbServerBot, nil, []string{"This is terrible, I want to file a complaint"}, protocol.TriggerNegative},
		{"vip", kbServerBot, map[string]string{"vip": "true"}, []string{"运费怎么算？"}, protocol.TriggerVIP},
		{"rule", kbServerBot, nil, []string{"Please erase my data under GDPR, order 12345678"}, protocol.TriggerRule},
		{"bot unavailable", func(*testing.T) Bot { return failing }, nil, []string{"hello"}, protocol.TriggerBotUnavailable},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, func(c *Config) { c.Bot, c.IntentLabel = tt.bot(t), kb.Demo().Label })
			carol, _ := e.agent("carol") // in both teams
			carolID := e.agentID("carol")
			var cust *client
			if tt.ext != nil {
				cust = e.identified("customer", "u-"+tt.name, tt.ext)
			} else {
				cust, _ = e.customer("customer")
			}
			conv := cust.open(nil)
			for _, text := range tt.say {
				cust.sendText(conv.ID, text)
			}
			q := cust.waitConversation("queued", stateIs(protocol.StateQueued))
			offered := carol.waitConversation("offer", offeredTo(conv.ID, carolID))
			d := carol.contextOf(conv.ID)
			if d.Packet == nil || d.Packet.Trigger != tt.trigger {
				t.Fatalf("packet = %+v, want trigger %s", d.Packet, tt.trigger)
			}
			if q.HandoffReason == "" || d.Packet.Reason != q.HandoffReason || offered.HandoffReason != q.HandoffReason {
				t.Fatalf("reason: conversation %q, packet %q", q.HandoffReason, d.Packet.Reason)
			}
			if !strings.Contains(d.Packet.Summary, tt.say[len(tt.say)-1]) {
				t.Fatalf("summary %q does not quote the last message", d.Packet.Summary)
			}
			// The intent is named for people: the entry's first sample
			// questions (the shipping fee entry answered the first message).
			if tt.name == "asked zh" && (d.Packet.IntentLabel["zh"] != "运费怎么算？" || d.Packet.IntentLabel["en"] == "") {
				t.Fatalf("intent %q labelled %v", d.Packet.Intent, d.Packet.IntentLabel)
			}
			if (d.Packet.Intent == "") != (d.Packet.IntentLabel == nil) {
				t.Fatalf("intent %q labelled %v", d.Packet.Intent, d.Packet.IntentLabel)
			}
			if tt.trigger == protocol.TriggerRule && d.Packet.Collected["order_no"] != "12345678" {
				t.Fatalf("collected = %v", d.Packet.Collected)
			}
			// A second request while queued changes nothing: no double handoff.
			before := cust.sync(conv.ID, 0).Messages
			cust.sendText(conv.ID, "转人工!!")
			after := cust.sync(conv.ID, 0).Messages
			if len(after) != len(before)+1 {
				t.Fatalf("a second request while queued stored %d messages, want just the customer's", len(after)-len(before))
			}
		})
	}
}
