package faulttest

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"github.com/google/uuid"

	"switchboard/internal/chatclient"
	"switchboard/protocol"
)

// TestHandoffSurvivesKill asks for a person, kills the server with SIGKILL
// the moment the request is acknowledged, starts it again and resends the
// request (same client_msg_id). An acknowledged request must still be acted
// on: the conversation must leave state bot, with the handoff event and the
// bot's goodbye both stored.
//
// The bot runs after the ack; the server answers a resend of a message the
// bot never got to, and stores the handoff event and the goodbye in one
// transaction.
func TestHandoffSurvivesKill(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	p := &serverProc{bin: buildServer(t), addr: freeAddr(t), dataDir: t.TempDir()}
	if err := p.start(); err != nil {
		t.Fatalf("%v\n%s", err, p.output())
	}
	defer p.stop()
	base := "http://" + p.addr
	const runs = 10
	var lost int
	for i := range runs {
		v, err := chatclient.NewVisitor(ctx, loopbackClient(i), base, "handoff probe")
		if err != nil {
			t.Fatal(err)
		}
		c := chatclient.New(chatclient.Config{
			URL: "ws://" + p.addr + "/ws", Token: v.Token, Seed: uint64(i),
			MinBackoff: 20 * time.Millisecond, MaxBackoff: 200 * time.Millisecond, Logger: slog.New(slog.DiscardHandler),
		})
		c.Start(ctx)
		var conv protocol.Conversation
		if err := c.Retry(ctx, func(ctx context.Context) error {
			return c.Request(ctx, protocol.TypeOpen, protocol.OpenData{}, &conv)
		}); err != nil {
			c.Close()
			t.Fatal(err)
		}
		ask := protocol.SendData{ConversationID: conv.ID, ClientMsgID: uuid.NewString(), Text: "转人工"}
		if _, err := c.Send(ctx, ask); err != nil {
			c.Close()
			t.Fatal(err)
		}
		p.kill()
		if err := p.start(); err != nil {
			c.Close()
			t.Fatal(err)
		}
		if _, err := c.Send(ctx, ask); err != nil {
			c.Close()
			t.Fatal(err)
		}
		c.Track(conv.ID)
		wctx, wcancel := context.WithTimeout(ctx, 3*time.Second)
		err = c.Wait(wctx, conv.ID, func(ms []protocol.Message) bool {
			return hasEvent(protocol.EventHandoff)(ms) && ms[len(ms)-1].Sender.Role == protocol.RoleBot
		})
		wcancel()
		if err != nil {
			lost++
			var seqs []string
			for _, m := range c.Messages(conv.ID) {
				seqs = append(seqs, m.Sender.Role+":"+m.Kind)
			}
			t.Errorf("run %d: acknowledged handoff request not carried out after the restart; transcript %v", i, seqs)
		}
		c.Close()
	}
	t.Logf("%d of %d acknowledged handoff requests lost", lost, runs)
}
