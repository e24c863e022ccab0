package main

import (
	"testing"
	"time"

	"switchboard/protocol"
)

// rawStamp reads pushes without decoding them, relying on how the server
// encodes a message frame; this keeps it honest against the real encoder.
func TestRawStamp(t *testing.T) {
	sent := time.Unix(0, 1764000000123456789)
	push := func(role, text string) []byte {
		b, err := protocol.Encode(protocol.TypeMessage, "", protocol.Message{
			ConversationID: "c1", Seq: 7, ClientMsgID: "0193a3c4-0000-7000-8000-000000000000",
			Sender: protocol.Sender{Role: role, ID: "u1", Name: "bench \"name\""}, Kind: protocol.KindText,
			Visibility: protocol.VisibilityPublic, Text: text, Ext: map[string]string{"text": "x"}, CreatedAt: 1,
		})
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	got, isMsg, ok := rawStamp(push(protocol.RoleCustomer, stampText(sent)), protocol.RoleCustomer)
	if !isMsg || !ok || !got.Equal(sent) {
		t.Errorf("customer push: got %v %v %v, want %v", got, isMsg, ok, sent)
	}
	if _, isMsg, ok := rawStamp(push(protocol.RoleAgent, stampText(sent)), protocol.RoleCustomer); !isMsg || ok {
		t.Errorf("agent push read as the customer's: %v %v", isMsg, ok)
	}
	if _, isMsg, ok := rawStamp(push(protocol.RoleCustomer, "转人工"), protocol.RoleCustomer); !isMsg || ok {
		t.Errorf("unstamped text read as stamped: %v %v", isMsg, ok)
	}
	conv, _ := protocol.Encode(protocol.TypeConversation, "", protocol.Conversation{ID: "c1", LastText: stampText(sent)})
	if _, isMsg, _ := rawStamp(conv, protocol.RoleCustomer); isMsg {
		t.Error("conversation push taken for a message")
	}
	if p, ok := parseStamp(stampText(sent)); !ok || !p.Equal(sent) {
		t.Errorf("parseStamp = %v %v", p, ok)
	}
}

func TestPercentile(t *testing.T) {
	var d []time.Duration
	for i := 1; i <= 100; i++ {
		d = append(d, time.Duration(i)*time.Millisecond)
	}
	for _, c := range []struct {
		p    float64
		want time.Duration
	}{{50, 50 * time.Millisecond}, {95, 95 * time.Millisecond}, {99, 99 * time.Millisecond}, {100, 100 * time.Millisecond}} {
		if got := pct(d, c.p); got != c.want {
			t.Errorf("p%v = %v, want %v", c.p, got, c.want)
		}
	}
	if pct(nil, 99) != 0 {
		t.Error("empty percentile")
	}
}
