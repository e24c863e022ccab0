package main

import (
	"bytes"
	"encoding/json"
	"math"
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

func TestParseStat(t *testing.T) {
	tests := []struct {
		name, in string
		want     procStat
		wantErr  bool
	}{
		{
			name: "plain",
			in:   "4242 (postgres) S 4200 4242 4242 0 -1 4194560 1500 0 0 0 250 75 10 5 20 0 1 0 100 1000 200 18446744073709551615\n",
			want: procStat{ppid: 4200, cpu: 3.25, children: 0.15},
		},
		{
			name: "name with spaces and parentheses",
			in:   "7 (a (b) c) R 1 7 7 0 -1 0 0 0 0 0 1 2 3 4 20 0 1 0",
			want: procStat{ppid: 1, cpu: 0.03, children: 0.07},
		},
		{name: "no name", in: "7 a R 1", wantErr: true},
		{name: "too short", in: "7 (a) R 1 7 7 0 -1 0 0 0 0 0 1", wantErr: true},
		{name: "not a number", in: "7 (a) R 1 7 7 0 -1 0 0 0 0 0 x 2 3 4", wantErr: true},
	}
	for _, tt := range tests {
		got, err := parseStat([]byte(tt.in))
		if (err != nil) != tt.wantErr {
			t.Errorf("%s: parseStat(%q) error = %v, want error %v", tt.name, tt.in, err, tt.wantErr)
			continue
		}
		if !tt.wantErr && (got.ppid != tt.want.ppid || math.Abs(got.cpu-tt.want.cpu) > 1e-9 || math.Abs(got.children-tt.want.children) > 1e-9) {
			t.Errorf("%s: parseStat(%q) = %+v, want %+v", tt.name, tt.in, got, tt.want)
		}
	}
}

// rawAck and sendText stand in for the decoder and the encoder on the
// benchmark's hot path: they must read and write what those do.
func TestRawAckAndSendText(t *testing.T) {
	ack, err := protocol.Encode(protocol.TypeAck, "1z", protocol.AckData{ConversationID: "c1", ClientMsgID: "0193a3c4-0000-7000-8000-000000000000", Seq: 7, Epoch: 2, CreatedAt: 3, Duplicate: true})
	if err != nil {
		t.Fatal(err)
	}
	var want protocol.Frame
	if err := json.Unmarshal(ack, &want); err != nil {
		t.Fatal(err)
	}
	got, ok := rawAck(ack)
	if !ok || got.Type != want.Type || got.ID != want.ID || !bytes.Equal(got.Data, want.Data) {
		t.Errorf("rawAck(%s) = %+v %v, want %+v", ack, got, ok, want)
	}
	for _, other := range []string{
		`{"type":"message","data":{}}`,
		`{"type":"ack","id":"a\"b","data":{}}`,
		`{"type":"ack","id":"1","error":{"code":"x"}}`,
		`{"type":"ack","id":"1","data":{"seq":1}`,
	} {
		if f, ok := rawAck([]byte(other)); ok {
			t.Errorf("rawAck(%s) = %+v, want it left to the decoder", other, f)
		}
	}

	// The frame sendText writes.
	conv, msgID, text := "0193a3c4-0000-7000-8000-00000000000a", "0193a3c4-0000-7000-8000-00000000000b", stampText(time.Unix(0, 42))
	enc, err := protocol.Encode(protocol.TypeSend, "5", protocol.SendData{ConversationID: conv, ClientMsgID: msgID, Kind: protocol.KindText, Text: text})
	if err != nil {
		t.Fatal(err)
	}
	if b := sendTextFrame("5", conv, msgID, text); !bytes.Equal(b, enc) {
		t.Errorf("sendTextFrame = %s, want %s", b, enc)
	}
}
