package cache_test

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"switchboard/app/cache"
	"switchboard/internal/benchdata"
	"switchboard/protocol"
)

func textMsg(conv string, seq int64, text string) protocol.Message {
	m := msg(conv, seq, "")
	m.Text = text
	return m
}

func hitKeys(hits []cache.Hit) []string {
	out := []string{}
	for _, h := range hits {
		out = append(out, fmt.Sprintf("%s/%d", h.Message.ConversationID, h.Message.Seq))
	}
	return out
}

func TestSearch(t *testing.T) {
	ctx := context.Background()
	c, _ := open(t)
	for _, conv := range []protocol.Conversation{
		{ID: "c1", State: protocol.StateActive, Epoch: 1, UpdatedAt: 1, CustomerID: "v1", CustomerName: "Li Lei"},
		{ID: "c2", State: protocol.StateResolved, Epoch: 1, UpdatedAt: 1},
	} {
		if _, _, err := c.PutConversation(ctx, conv); err != nil {
			t.Fatal(err)
		}
	}
	file := msg("c2", 3, "")
	file.Kind = protocol.KindFile
	file.Attachment = &protocol.Attachment{ID: "f", Name: "Invoice-2024-11.pdf", MIME: "application/pdf", Size: 1}
	card := msg("c2", 4, "")
	card.Kind = protocol.KindCard
	card.Card = &protocol.Card{Type: "order_status", Version: 1, Fallback: "Order 778812: shipped"}
	ext := textMsg("c2", 5, "see ticket")
	ext.Ext = map[string]string{"ticket": "TK-99812"}
	msgs := []protocol.Message{
		textMsg("c1", 1, "Hello, where is my ORDER?"),
		textMsg("c1", 2, "我想申请退款，订单号是 A123"),
		textMsg("c1", 3, "Ｒｅｆｕｎｄ please"), // full-width
		textMsg("c2", 1, "The ordering page is broken"),
		textMsg("c2", 2, "退货和退款有什么区别"),
		file, card, ext,
	}
	if _, err := c.PutMessages(ctx, msgs); err != nil {
		t.Fatal(err)
	}

	for _, tt := range []struct {
		q    string
		want []string // newest first: created_at is seq*1000, ties by conversation id desc
	}{
		{"order", []string{"c2/4", "c2/1", "c1/1"}},
		{"ORD", []string{"c2/4", "c2/1", "c1/1"}},
		{"ordering", []string{"c2/1"}},
		{"order where", []string{"c1/1"}},
		{"refund", []string{"c1/3"}},
		{"退款", []string{"c2/2", "c1/2"}},
		{"退", []string{"c2/2", "c1/2"}},
		{"申请退款", []string{"c1/2"}},
		{"退款 a123", []string{"c1/2"}},
		{"款退", nil}, // both characters, never in this order
		{"invoice 2024", []string{"c2/3"}},
		{"778812", []string{"c2/4"}},
		{"tk", []string{"c2/5"}},
		{"99812", []string{"c2/5"}}, // "TK-99812" is two words
		{"9812", nil},               // a word matches from its start only
		{"orders", nil},             // longer than any word it starts
		{"where broken", nil},       // in different messages
		{"", nil},
		{"  ,.!  ", nil},
	} {
		hits, err := c.Search(ctx, tt.q, 10)
		if err != nil {
			t.Fatalf("search %q: %v", tt.q, err)
		}
		got := hitKeys(hits)
		if tt.want == nil {
			tt.want = []string{}
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("search %q = %v, want %v", tt.q, got, tt.want)
		}
	}

	// Hits carry their conversation.
	hits, _ := c.Search(ctx, "where", 10)
	if len(hits) != 1 || hits[0].Conversation.CustomerName != "Li Lei" || hits[0].Message.Text != "Hello, where is my ORDER?" {
		t.Fatalf("hit = %+v", hits)
	}
	// The limit counts hits.
	if hits, _ := c.Search(ctx, "order", 2); !slices.Equal(hitKeys(hits), []string{"c2/4", "c2/1"}) {
		t.Fatalf("limited = %v", hitKeys(hits))
	}

	// A forgotten conversation is not found any more, and its terms are gone
	// (a new message with the same words in the same place is found once).
	if err := c.DeleteConversation(ctx, "c2"); err != nil {
		t.Fatal(err)
	}
	if hits, _ := c.Search(ctx, "退款", 10); !slices.Equal(hitKeys(hits), []string{"c1/2"}) {
		t.Fatalf("after delete = %v", hitKeys(hits))
	}
	if _, err := c.PutMessages(ctx, []protocol.Message{textMsg("c2", 1, "nothing here")}); err != nil {
		t.Fatal(err)
	}
	if hits, _ := c.Search(ctx, "ordering", 10); len(hits) != 0 {
		t.Fatalf("stale terms found %v", hitKeys(hits))
	}

	// A new epoch drops the messages and their terms.
	if _, _, err := c.PutConversation(ctx, protocol.Conversation{ID: "c1", State: protocol.StateActive, Epoch: 2, UpdatedAt: 2}); err != nil {
		t.Fatal(err)
	}
	if hits, _ := c.Search(ctx, "退款", 10); len(hits) != 0 {
		t.Fatalf("after reset = %v", hitKeys(hits))
	}
}

// BenchmarkSearch measures a search over 100,000 cached messages: the local
// search target of the desktop app (docs/benchmarks.md).
func BenchmarkSearch(b *testing.B) {
	ctx := context.Background()
	c, err := cache.Open(ctx, b.TempDir()+"/bench.db", testKey)
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	if err := benchdata.Seed(ctx, c, protocol.User{ID: "a1", Name: "Alice"}, 100_000, 200, 10_000); err != nil {
		b.Fatal(err)
	}
	for _, q := range []string{"order", "refund", "退款", "invoice 2024"} {
		b.Run(q, func(b *testing.B) {
			for b.Loop() {
				if _, err := c.Search(ctx, q, 50); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
