package server

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/gorilla/websocket"

	"switchboard/protocol"
)

// unlimited lifts the send rate limit for tests that send in bulk.
func unlimited(c *Config) { c.SendRate, c.SendBurst = 1e6, 1e6 }

// activeConversation walks a new customer to a conversation that alice has
// accepted, and returns the customer's visitor token.
func (e *env) activeConversation() (cust *client, v VisitorResponse, alice *client, conv protocol.Conversation) {
	e.t.Helper()
	cust, v = e.customer("customer")
	conv = cust.open(nil)
	cust.sendText(conv.ID, "human")
	cust.waitConversation("queued", func(c protocol.Conversation) bool { return c.State == protocol.StateQueued })
	alice, _ = e.agent("alice")
	alice.decode(alice.request(protocol.TypeAccept, ref(conv.ID)), protocol.TypeConversation, &conv)
	return cust, v, alice, conv
}

// writer sends n messages to a conversation on its own connection, one
// after the other, each after the previous ack, and reports the last seq.
func (e *env) writer(token, convID string, n int) <-chan string {
	done := make(chan string, 1)
	ws, _, err := websocket.DefaultDialer.Dial("ws"+strings.TrimPrefix(e.ts.URL, "http")+"/ws", nil)
	if err != nil {
		e.t.Fatalf("dial writer: %v", err)
	}
	go func() {
		defer ws.Close()
		call := func(typ, id string, data any, want string, out any) error {
			b, _ := protocol.Encode(typ, id, data)
			if err := ws.WriteMessage(websocket.TextMessage, b); err != nil {
				return err
			}
			for {
				ws.SetReadDeadline(time.Now().Add(10 * time.Second))
				_, raw, err := ws.ReadMessage()
				if err != nil {
					return err
				}
				var f protocol.Frame
				json.Unmarshal(raw, &f)
				if f.ID != id {
					continue
				}
				if f.Type != want {
					return fmt.Errorf("%s reply: %s %v", typ, f.Type, f.Error)
				}
				return json.Unmarshal(f.Data, out)
			}
		}
		var w protocol.WelcomeData
		if err := call(protocol.TypeHello, "h", protocol.HelloData{Token: token}, protocol.TypeWelcome, &w); err != nil {
			done <- "hello: " + err.Error()
			return
		}
		var ack protocol.AckData
		for i := range n {
			err := call(protocol.TypeSend, fmt.Sprint(i), protocol.SendData{ConversationID: convID,
				ClientMsgID: uuid.NewString(), Text: fmt.Sprint("live ", i)}, protocol.TypeAck, &ack)
			if err != nil {
				done <- err.Error()
				return
			}
		}
		done <- fmt.Sprint(ack.Seq)
	}()
	return done
}

// TestResumeUnderConcurrentWriter reconnects a customer who missed messages
// while the agent keeps writing: the customer gets exactly the missing ones,
// then the live ones, each once, in strictly increasing seq.
func TestResumeUnderConcurrentWriter(t *testing.T) {
	e := newEnv(t, unlimited)
	cust, v, alice, conv := e.activeConversation()
	last := cust.sendText(conv.ID, "before going offline").Seq
	cust.ws.Close()

	const missed, live = 150, 300
	for i := range missed {
		alice.sendText(conv.ID, fmt.Sprint("missed ", i))
	}
	done := e.writer(e.login("alice").Token, conv.ID, live)

	c := e.dial("customer again")
	var w protocol.WelcomeData
	c.decode(c.request(protocol.TypeHello, protocol.HelloData{Token: v.Token, Resume: map[string]int64{conv.ID: last}}),
		protocol.TypeWelcome, &w)

	var seqs []int64
	resumedAt := -1
	final := int64(-1)
	incoming := make(chan protocol.Frame, 1024)
	for _, f := range c.pushes {
		incoming <- f
	}
	c.pushes = nil
	var readErr error
	go func() {
		for {
			// The overall limit is the 20 s below; the client's own
			// read deadline was set once, for the hello.
			c.ws.SetReadDeadline(time.Now().Add(20 * time.Second))
			_, raw, err := c.ws.ReadMessage()
			if err != nil {
				readErr = err
				close(incoming)
				return
			}
			var f protocol.Frame
			json.Unmarshal(raw, &f)
			incoming <- f
		}
	}()
	timeout := time.After(20 * time.Second)
	for final < 0 || len(seqs) == 0 || seqs[len(seqs)-1] < final {
		var f protocol.Frame
		select {
		case r := <-done:
			if _, err := fmt.Sscan(r, &final); err != nil {
				t.Fatalf("writer: %s", r)
			}
			continue
		case <-timeout:
			t.Fatalf("timed out: got %d messages, final %d", len(seqs), final)
		case g, ok := <-incoming:
			if !ok {
				t.Fatalf("connection closed after %d messages: %v", len(seqs), readErr)
			}
			f = g
		}
		switch f.Type {
		case protocol.TypeMessage:
			var m protocol.Message
			json.Unmarshal(f.Data, &m)
			if m.ConversationID != conv.ID {
				continue
			}
			if n := len(seqs); n > 0 && m.Seq <= seqs[n-1] {
				t.Fatalf("seq %d after %d: duplicate or out of order", m.Seq, seqs[n-1])
			}
			seqs = append(seqs, m.Seq)
		case protocol.TypeResumed:
			var r protocol.ResumedData
			json.Unmarshal(f.Data, &r)
			// Live messages may already follow the catch-up.
			if got := r.Conversations[conv.ID]; got > seqs[len(seqs)-1] || got < last+missed {
				t.Fatalf("resumed at %d, last message received %d, missed up to %d", got, seqs[len(seqs)-1], last+missed)
			}
			resumedAt = len(seqs)
		}
	}
	t.Logf("resumed after %d messages (%d missed)", resumedAt, missed)
	if resumedAt < missed {
		t.Fatalf("resumed after %d messages, want at least the %d missed", resumedAt, missed)
	}
	for i, s := range seqs {
		if s != last+1+int64(i) {
			t.Fatalf("message %d has seq %d, want %d: a gap", i, s, last+1+int64(i))
		}
	}
	if seqs[len(seqs)-1] != final {
		t.Fatalf("last seq %d, writer's last ack %d", seqs[len(seqs)-1], final)
	}
}

// TestResumeNotFoundAndEpoch resumes three conversations: one the customer
// may read (caught up), one it may not (not_found push naming it), and one
// whose epoch it holds is stale (the conversation is pushed to reload).
func TestResumeNotFoundAndEpoch(t *testing.T) {
	e := newEnv(t, nil)
	cust, v, alice, conv := e.activeConversation()
	alice.sendText(conv.ID, "one")
	ack := alice.sendText(conv.ID, "two")
	cust.ws.Close()

	other, _, _, otherConv := e.activeConversation()
	other.ws.Close()

	c := e.dial("customer again")
	stranger := uuid.NewString()
	var w protocol.WelcomeData
	c.decode(c.request(protocol.TypeHello, protocol.HelloData{Token: v.Token,
		Resume: map[string]int64{conv.ID: ack.Seq - 1, otherConv.ID: 0, stranger: 3}}), protocol.TypeWelcome, &w)
	var got []string
	for {
		f := c.waitPush("frame", func(protocol.Frame) bool { return true })
		switch f.Type {
		case protocol.TypeMessage:
			var m protocol.Message
			json.Unmarshal(f.Data, &m)
			got = append(got, fmt.Sprintf("message %d", m.Seq))
		case protocol.TypeError:
			if f.Error.Code != protocol.ErrNotFound.Code || f.ID != "" {
				t.Fatalf("error push %+v", f)
			}
			switch {
			case strings.Contains(f.Error.Message, otherConv.ID):
				got = append(got, "not_found other")
			case strings.Contains(f.Error.Message, stranger):
				got = append(got, "not_found stranger")
			default:
				t.Fatalf("not_found without the conversation id: %q", f.Error.Message)
			}
		case protocol.TypeResumed:
			var r protocol.ResumedData
			json.Unmarshal(f.Data, &r)
			if len(r.Conversations) != 1 || r.Conversations[conv.ID] != ack.Seq {
				t.Fatalf("resumed = %+v", r)
			}
			if len(got) != 3 || got[0] == got[1] {
				t.Fatalf("frames before resumed: %v", got)
			}
			goto epoch
		}
	}
epoch:
	c.ws.Close()
	c = e.dial("customer stale")
	c.decode(c.request(protocol.TypeHello, protocol.HelloData{Token: v.Token,
		Resume: map[string]int64{conv.ID: 1}, Epochs: map[string]int64{conv.ID: conv.Epoch + 1}}), protocol.TypeWelcome, &w)
	f := c.waitPush("reload", func(f protocol.Frame) bool { return f.Type != protocol.TypeMessage })
	var pc protocol.Conversation
	c.decode(f, protocol.TypeConversation, &pc)
	if pc.ID != conv.ID || pc.Epoch != conv.Epoch {
		t.Fatalf("reload push = %+v", pc)
	}
	f = c.waitPush("resumed", func(f protocol.Frame) bool { return true })
	var r protocol.ResumedData
	c.decode(f, protocol.TypeResumed, &r)
	if len(r.Conversations) != 0 {
		t.Fatalf("resumed after a stale epoch = %+v, want none", r)
	}
}

// TestResumeDropsLatePushOfCaughtUpMessage pins the race behind a message
// pushed twice right after a resume: a message is stored (so the catch-up
// reads and sends it) but its fan-out, which runs after the store write,
// reaches the connection only once the catch-up has ended. That late push
// must be dropped; the next one goes through.
func TestResumeDropsLatePushOfCaughtUpMessage(t *testing.T) {
	e := newEnv(t, unlimited)
	ctx := context.Background()
	cust, v, alice, conv := e.activeConversation()
	from := cust.sendText(conv.ID, "before the cut").Seq
	var latest protocol.AckData
	for i := range 3 {
		latest = alice.sendText(conv.ID, fmt.Sprint("missed ", i))
	}

	out := &captured{}
	p := newPeer(e.srv)
	p.id, p.out = "resume-race", out
	p.user = protocol.User{ID: v.VisitorID, Role: protocol.RoleCustomer, Name: "customer"}
	p.teams = map[string]bool{}
	p.authed.Store(true)
	p.holdLive(map[string]int64{conv.ID: from})
	last, ok := p.resumeOne(ctx, conv.ID, from, nil)
	if !ok || last != latest.Seq {
		t.Fatalf("resumeOne = %d, %v; want %d, true", last, ok, latest.Seq)
	}
	sent := len(out.frames)
	if sent != int(latest.Seq-from) {
		t.Fatalf("catch-up sent %d frames, want %d", sent, latest.Seq-from)
	}

	// The fan-out of the newest message arrives late: dropped.
	p.deliverMessage(conv.ID, latest.Seq, []byte(`{"type":"message","late":true}`))
	if len(out.frames) != sent {
		t.Fatalf("a message the catch-up sent was pushed again: %s", out.frames[len(out.frames)-1])
	}
	// The next message is live and goes through, as do those after it.
	p.deliverMessage(conv.ID, latest.Seq+1, []byte(`{"type":"message","next":1}`))
	p.deliverMessage(conv.ID, latest.Seq+2, []byte(`{"type":"message","next":2}`))
	if len(out.frames) != sent+2 {
		t.Fatalf("live pushes after the catch-up: %d frames, want %d", len(out.frames)-sent, 2)
	}
}
