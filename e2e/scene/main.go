// Command scene fills a running demo server (started with --routing pick)
// with a working scene for screenshots of the desktop app: three customers
// who asked the bot for a person, two of them in conversation with carol,
// one waiting in the queue. Then it exits; carol's app, started next, finds
// her conversations.
//
//	go run ./e2e/scene -server http://127.0.0.1:8080
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"time"

	"github.com/google/uuid"

	"switchboard/backend/server"
	"switchboard/internal/chatclient"
	"switchboard/protocol"
)

type customer struct {
	name, locale string
	// user, when set, signs the customer in as that user of the demo
	// store (its /demo/identity signs the token), vouching for vip.
	user   string
	vip    bool
	ext    map[string]string
	lines  []string // said before asking for a person (the last line asks)
	reply  string   // carol's answer; empty leaves the customer queued
	thanks string
	tags   []string // carol's tags on the conversation
	note   string   // carol's note about the customer
}

var scene = []customer{
	{name: "李雷", locale: "zh-CN",
		ext:   map[string]string{"order_no": "SO-2024-1188", "source": "https://shop.example.com/orders/SO-2024-1188"},
		lines: []string{"你好，我的订单 SO-2024-1188 三天了还没发货", "转人工"},
		reply: "您好，我来帮您查一下订单 SO-2024-1188，请稍等。", thanks: "好的，谢谢！",
		tags: []string{"物流", "催发货"}, note: "老客户，偏好电话联系：138 0000 0000"},
	{name: "Emma Brown", locale: "en", user: "u-2046", vip: true,
		ext:   map[string]string{"order_no": "SO-2024-2046"},
		lines: []string{"Hi, the tracking page says delivered but I have nothing", "human please"},
		reply: "Sorry to hear that. I have asked the courier to call you today.", thanks: "Thank you, that helps!",
		tags: []string{"delivery", "courier"}, note: "Second missing parcel this year; refund without a return if it happens again."},
	{name: "王芳", locale: "zh-CN",
		lines: []string{"发票什么时候可以开？", "转人工"}},
}

func main() {
	base := flag.String("server", "", "the demo server's address, http://host:port (required)")
	flag.Parse()
	if *base == "" {
		flag.Usage()
		os.Exit(2)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := run(ctx, *base); err != nil {
		fmt.Fprintln(os.Stderr, "scene:", err)
		os.Exit(1)
	}
}

func client(base, token string) (*chatclient.Client, error) {
	u, err := url.Parse(base)
	if err != nil {
		return nil, err
	}
	return chatclient.New(chatclient.Config{URL: "ws://" + u.Host + "/ws", Token: token,
		Logger: slog.New(slog.DiscardHandler)}), nil
}

func run(ctx context.Context, base string) error {
	login, err := chatclient.LoginAgent(ctx, nil, base, "carol", server.DemoPassword)
	if err != nil {
		return err
	}
	carol, err := client(base, login.Token)
	if err != nil {
		return err
	}
	carol.Start(ctx)
	defer carol.Close()

	for _, c := range scene {
		v, err := visitor(ctx, base, c)
		if err != nil {
			return err
		}
		cust, err := client(base, v.Token)
		if err != nil {
			return err
		}
		cust.Start(ctx)
		var conv protocol.Conversation
		if err := cust.Retry(ctx, func(ctx context.Context) error {
			return cust.Request(ctx, protocol.TypeOpen, protocol.OpenData{Ext: c.ext, Locale: c.locale}, &conv)
		}); err != nil {
			return fmt.Errorf("%s opens: %w", c.name, err)
		}
		cust.Track(conv.ID)
		for _, line := range c.lines {
			if _, err := cust.Send(ctx, protocol.SendData{ConversationID: conv.ID, ClientMsgID: uuid.NewString(),
				Kind: protocol.KindText, Text: line}); err != nil {
				return fmt.Errorf("%s says %q: %w", c.name, line, err)
			}
			time.Sleep(300 * time.Millisecond) // the bot answers in between
		}
		if err := cust.Wait(ctx, conv.ID, handedOff); err != nil {
			return fmt.Errorf("%s waits for a person: %w", c.name, err)
		}
		if c.reply != "" {
			if err := carol.Request(ctx, protocol.TypeAccept, protocol.ConversationRef{ConversationID: conv.ID}, nil); err != nil {
				return fmt.Errorf("carol accepts %s: %w", c.name, err)
			}
			if _, err := carol.Send(ctx, protocol.SendData{ConversationID: conv.ID, ClientMsgID: uuid.NewString(),
				Kind: protocol.KindText, Text: c.reply}); err != nil {
				return err
			}
			if _, err := cust.Send(ctx, protocol.SendData{ConversationID: conv.ID, ClientMsgID: uuid.NewString(),
				Kind: protocol.KindText, Text: c.thanks}); err != nil {
				return err
			}
			if len(c.tags) > 0 {
				if err := carol.Request(ctx, protocol.TypeTag, protocol.TagData{ConversationID: conv.ID, Add: c.tags}, nil); err != nil {
					return fmt.Errorf("carol tags %s: %w", c.name, err)
				}
			}
			if c.note != "" {
				if err := carol.Request(ctx, protocol.TypeCustomerNote, protocol.CustomerNoteData{ConversationID: conv.ID, Text: c.note}, nil); err != nil {
					return fmt.Errorf("carol notes %s: %w", c.name, err)
				}
			}
		}
		cust.Close()
		fmt.Printf("%s: conversation %s (%s)\n", c.name, conv.ID, map[bool]string{true: "with carol", false: "queued"}[c.reply != ""])
	}
	return nil
}

// handedOff reports whether the bot handed the conversation to a person.
func handedOff(msgs []protocol.Message) bool {
	for _, m := range msgs {
		if m.Event != nil && m.Event.Type == protocol.EventHandoff {
			return true
		}
	}
	return false
}

// visitor signs a customer of the scene in: anonymous, or as a user of the
// demo store, whose identity token the demo server's /demo/identity signs.
func visitor(ctx context.Context, base string, c customer) (chatclient.Visitor, error) {
	if c.user == "" {
		return chatclient.NewVisitor(ctx, nil, base, c.name)
	}
	q := url.Values{"user": {c.user}, "name": {c.name}, "order_no": {c.ext["order_no"]}}
	if c.vip {
		q.Set("vip", "1")
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+"/demo/identity?"+q.Encode(), nil)
	if err != nil {
		return chatclient.Visitor{}, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return chatclient.Visitor{}, err
	}
	defer resp.Body.Close()
	tok, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		return chatclient.Visitor{}, fmt.Errorf("demo identity for %s: status %d, %v", c.user, resp.StatusCode, err)
	}
	return chatclient.NewIdentifiedVisitor(ctx, nil, base, string(tok))
}
