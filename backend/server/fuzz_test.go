package server

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/google/uuid"

	"switchboard/backend/conversation"
	"switchboard/backend/store"
	"switchboard/protocol"
)

// captured collects the frames a peer sends, standing in for a
// connection.
type captured struct{ frames [][]byte }

func (c *captured) Send(b []byte) bool { c.frames = append(c.frames, b); return true }
func (c *captured) RemoteAddr() string { return "fuzz" }

// FuzzHandleMessage feeds arbitrary frames to authenticated customer and
// agent peers: the dispatcher must answer every frame with valid JSON and
// never panic (a panic is recovered and answered as internal, which fails
// here too).
func FuzzHandleMessage(f *testing.F) {
	seeds := []string{
		`{"type":"open","id":"1","data":{"ext":{"source":"/x"}}}`,
		`{"type":"send","id":"2","data":{"conversation_id":"c","client_msg_id":"` + uuid.NewString() + `","text":"hi"}}`,
		`{"type":"sync","id":"3","data":{"conversation_id":"c","after_seq":0,"limit":10}}`,
		`{"type":"list","id":"4","data":{"filter":"queue"}}`,
		`{"type":"accept","id":"5","data":{"conversation_id":"c"}}`,
		`{"type":"resolve","id":"6","data":{"conversation_id":"c"}}`,
		`{"type":"hello","data":{"protocol":1,"token":"x","resume":{"c":3},"epochs":{"c":1}}}`,
		`{"type":"sync","id":"7","data":{"conversation_id":"c","before_seq":9,"limit":2}}`,
		`{"type":"read","id":"8","data":{"conversation_id":"c","seq":2}}`,
		`{"type":"typing","data":{"conversation_id":"c","active":true}}`,
		`{"type":"send","data":{"text":7}}`,
		`{"type":"sync","data":null}`,
		`{"type":"open"}`,
		`{}`, `[]`, `null`, ``, `{"type":""}`,
		// fuzz-conv is queued in bob's team: he may tag it and write notes.
		`{"type":"tag","id":"9","data":{"conversation_id":"fuzz-conv","add":[" VIP ","vip","退款"],"remove":["x"]}}`,
		`{"type":"tag","id":"10","data":{"conversation_id":"fuzz-conv","add":["a\u0000"]}}`,
		`{"type":"tag","data":{"conversation_id":"fuzz-conv","add":"vip"}}`,
		`{"type":"customer_note","id":"11","data":{"conversation_id":"fuzz-conv","text":" prefers email "}}`,
		`{"type":"customer_note","data":{"conversation_id":"fuzz-conv","text":""}}`,
		`{"type":"context","id":"12","data":{"conversation_id":"fuzz-conv"}}`,
	}
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	e := newEnv(f, nil)
	ctx := context.Background()
	cust := e.visitor()
	bob, err := e.srv.store.AgentByUsername(ctx, "bob")
	if err != nil {
		f.Fatal(err)
	}
	queueForFuzz(f, e, cust.VisitorID, "fuzz-conv", "aftersales")
	f.Fuzz(func(t *testing.T, frame []byte) {
		for _, user := range []protocol.User{
			{ID: cust.VisitorID, Role: protocol.RoleCustomer, Name: "fuzz"},
			agentUser(bob),
		} {
			out := &captured{}
			p := newPeer(e.srv)
			p.id, p.out, p.user, p.teams = "fuzz", out, user, map[string]bool{}
			for _, team := range user.Teams {
				p.teams[team] = true
			}
			p.authed.Store(true)
			p.HandleMessage(ctx, nil, frame)
			// Every frame is answered except a typing indicator, which is
			// answered only when it fails.
			if f, _ := protocol.Decode(frame); len(out.frames) == 0 && f.Type != protocol.TypeTyping {
				t.Fatalf("no reply to %q", frame)
			}
			for _, b := range out.frames {
				var fr protocol.Frame
				if err := json.Unmarshal(b, &fr); err != nil {
					t.Fatalf("reply to %q is not JSON: %q", frame, b)
				}
				if fr.Type == protocol.TypeError && fr.Error.Code == protocol.ErrInternal.Code {
					t.Fatalf("internal error for %q", frame)
				}
			}
		}
	})
}

// queueForFuzz stores conversation id of customer, queued in team.
func queueForFuzz(f *testing.F, e *env, customer, id, team string) {
	ctx := context.Background()
	if _, err := e.srv.store.UpsertCustomer(ctx, store.Customer{ID: customer}); err != nil {
		f.Fatal(err)
	}
	if _, _, err := e.srv.store.CreateConversation(ctx, store.NewConversation{ID: id, CustomerID: customer, Channel: "web",
		Opened: systemEvent(protocol.EventOpened, "", "fuzz"), Actor: customer}); err != nil {
		f.Fatal(err)
	}
	if _, _, err := e.srv.store.ChangeState(ctx, store.StateChange{ConversationID: id, Event: conversation.Handoff, Team: &team,
		Message: systemEvent(protocol.EventHandoff, "", "fuzz"), Actor: "fuzz"}); err != nil {
		f.Fatal(err)
	}
}
