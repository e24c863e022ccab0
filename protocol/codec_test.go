package protocol

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"testing"
)

func TestDecode(t *testing.T) {
	tests := []struct {
		name     string
		in       string
		wantType string
		wantErr  *Error
	}{
		{"send", `{"type":"send","id":"1","data":{"conversation_id":"c"}}`, TypeSend, nil},
		{"leading space", "  \n{\"type\":\"hello\"}", TypeHello, nil},
		{"empty", ``, "", ErrMalformed},
		{"not object", `[1,2]`, "", ErrMalformed},
		{"string", `"hello"`, "", ErrMalformed},
		{"truncated", `{"type":"send"`, "", ErrMalformed},
		{"no type", `{"id":"1"}`, "", ErrMalformed},
		{"type not string", `{"type":7}`, "", ErrMalformed},
		{"long id", `{"type":"send","id":"` + strings.Repeat("x", 65) + `"}`, "", ErrMalformed},
		{"too large", `{"type":"send","data":"` + strings.Repeat("x", MaxFrameBytes) + `"}`, "", ErrFrameTooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := Decode([]byte(tt.in))
			if tt.wantErr != nil {
				if err == nil || !errors.Is(err, tt.wantErr) {
					t.Fatalf("Decode(%.40q) error = %v, want %v", tt.in, err, tt.wantErr.Code)
				}
				return
			}
			if err != nil {
				t.Fatalf("Decode(%.40q) error = %v, want nil", tt.in, err)
			}
			if f.Type != tt.wantType {
				t.Errorf("Decode(%.40q).Type = %q, want %q", tt.in, f.Type, tt.wantType)
			}
		})
	}
}

func TestDecodeData(t *testing.T) {
	f, err := Decode([]byte(`{"type":"send","id":"9","data":{"conversation_id":"c1","client_msg_id":"m1","kind":"text","text":"你好","future_field":1}}`))
	if err != nil {
		t.Fatal(err)
	}
	var s SendData
	if err := DecodeData(f, &s); err != nil {
		t.Fatalf("DecodeData: %v", err)
	}
	if s.ConversationID != "c1" || s.ClientMsgID != "m1" || s.Text != "你好" {
		t.Errorf("DecodeData = %+v", s)
	}

	bad := []string{
		`{"type":"send"}`,
		`{"type":"send","data":null}`,
		`{"type":"send","data":{"conversation_id":5}}`,
		`{"type":"send","data":"text"}`,
	}
	for _, in := range bad {
		f, err := Decode([]byte(in))
		if err != nil {
			t.Fatalf("Decode(%q): %v", in, err)
		}
		if err := DecodeData(f, &s); err == nil || err.Code != ErrInvalid.Code {
			t.Errorf("DecodeData(%q) = %v, want %s", in, err, ErrInvalid.Code)
		}
	}
}

func TestEncodeRoundTrip(t *testing.T) {
	in := AckData{ConversationID: "c", ClientMsgID: "m", Seq: 42, Epoch: 1, CreatedAt: 1700000000000}
	b, err := Encode(TypeAck, "3", in)
	if err != nil {
		t.Fatal(err)
	}
	f, derr := Decode(b)
	if derr != nil {
		t.Fatal(derr)
	}
	var out AckData
	if derr := DecodeData(f, &out); derr != nil {
		t.Fatal(derr)
	}
	if f.Type != TypeAck || f.ID != "3" || out != in {
		t.Errorf("round trip = %s %s %+v, want ack 3 %+v", f.Type, f.ID, out, in)
	}
}

// TestEncodeMatchesMarshal holds Encode to the bytes json.Marshal writes
// for the same Frame, escapes included.
func TestEncodeMatchesMarshal(t *testing.T) {
	var nilAck *AckData
	cases := []struct {
		typ, id string
		data    any
	}{
		{TypeAck, "3", AckData{ConversationID: "c", ClientMsgID: "m", Seq: 42}},
		{TypeMessage, "", Message{ConversationID: "c", Seq: 1, Kind: "text", Text: "<b>退款</b> & \"quotes\"\n\u2028"}},
		{TypeAck, "", nil},
		{TypeAck, "7", nilAck},
		{TypeAck, "id with \"quote\" <tag> & \\ \t", struct{}{}},
		{TypeAck, "<tag>", nil},
		{TypeAck, "编号", json.RawMessage(` { "a" : [1, 2] } `)},
		{TypeAck, "bad \xff utf-8", map[string]int{"b": 2, "a": 1}},
	}
	for _, c := range cases {
		got, err := Encode(c.typ, c.id, c.data)
		if err != nil {
			t.Fatal(err)
		}
		checkEncode(t, c.typ, c.id, c.data, got)
	}
	if _, err := Encode(TypeAck, "1", func() {}); err == nil {
		t.Error("Encode of a func: no error")
	}
}

// TestEncodePooled holds Encode's reused buffers to frames of their own:
// after a frame larger than a pooled buffer keeps, after a failed encode,
// and from goroutines encoding at once, each frame is json.Marshal's.
func TestEncodePooled(t *testing.T) {
	big := Message{ConversationID: "c", Seq: 1, Kind: "text", Text: strings.Repeat("退款 ", 30000)}
	got, err := Encode(TypeMessage, "", big)
	if err != nil {
		t.Fatal(err)
	}
	checkEncode(t, TypeMessage, "", big, got)
	if _, err := Encode(TypeAck, "1", func() {}); err == nil {
		t.Fatal("Encode of a func: no error")
	}
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 200 {
				ack := AckData{ConversationID: fmt.Sprintf("c%d", g), ClientMsgID: fmt.Sprintf("m%d", i), Seq: int64(i)}
				got, err := Encode(TypeAck, strconv.Itoa(i), ack)
				if err != nil {
					t.Error(err)
					return
				}
				checkEncode(t, TypeAck, strconv.Itoa(i), ack, got)
			}
		}()
	}
	wg.Wait()
}

func checkEncode(t *testing.T, typ, id string, data any, got []byte) {
	t.Helper()
	f := Frame{Type: typ, ID: id}
	if data != nil {
		raw, err := json.Marshal(data)
		if err != nil {
			t.Fatal(err)
		}
		f.Data = raw
	}
	want, err := json.Marshal(f)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("Encode(%q, %q, %#v) =\n%s\nwant\n%s", typ, id, data, got, want)
	}
}

// FuzzEncode holds Encode to json.Marshal's bytes for any type, id and
// payload text.
func FuzzEncode(f *testing.F) {
	f.Add("ack", "1", "退款 <&>")
	f.Add("message", "", "\x00\u2028\xff")
	f.Fuzz(func(t *testing.T, typ, id, text string) {
		data := SendData{ConversationID: id, Text: text}
		got, err := Encode(typ, id, data)
		if err != nil {
			t.Fatal(err)
		}
		checkEncode(t, typ, id, data, got)
	})
}

func TestEncodeError(t *testing.T) {
	b := EncodeError("5", ErrTextTooLong)
	var f Frame
	if err := json.Unmarshal(b, &f); err != nil {
		t.Fatal(err)
	}
	if f.Type != TypeError || f.ID != "5" || f.Error == nil || f.Error.Code != "text_too_long" || f.Error.Retryable {
		t.Errorf("EncodeError = %s", b)
	}
}

func TestErrorIs(t *testing.T) {
	e := ErrForbidden.WithMessage("agent %s may not read this", "a1")
	if !errors.Is(e, ErrForbidden) {
		t.Error("errors.Is(WithMessage copy, ErrForbidden) = false")
	}
	if errors.Is(e, ErrNotFound) {
		t.Error("errors.Is(forbidden, not_found) = true")
	}
	if ErrForbidden.Message == e.Message {
		t.Error("WithMessage changed the shared error")
	}
}

func TestCodesUnique(t *testing.T) {
	seen := map[string]bool{}
	for _, e := range Codes() {
		if e.Code == "" || e.Message == "" {
			t.Errorf("code %+v has an empty field", e)
		}
		if seen[e.Code] {
			t.Errorf("code %q listed twice", e.Code)
		}
		seen[e.Code] = true
	}
}

// FuzzDecode checks that no input makes the decoder panic, and that whatever
// it accepts re-encodes to a frame it accepts again with the same type and id.
func FuzzDecode(f *testing.F) {
	seeds := []string{
		`{"type":"hello","id":"1","data":{"protocol":1,"token":"t"}}`,
		`{"type":"send","id":"2","data":{"conversation_id":"c","client_msg_id":"m","kind":"text","text":"转人工"}}`,
		`{"type":"sync","data":{"conversation_id":"c","after_seq":10,"limit":50}}`,
		`{"type":"error","error":{"code":"internal","message":"x","retryable":true}}`,
		`{"type":"\u0000"}`, `{}`, `[]`, `null`, `{"type":"send","data":{"kind":[]}}`,
		"\xff\xfe", `{"type":"a","id":"` + strings.Repeat("9", 70) + `"}`,
		`{"type":"send","data":{"conversation_id":"c","client_msg_id":"m","kind":"image","attachment_id":"f","text":"cap"}}`,
		`{"type":"send","data":{"kind":"card","card":{"type":"product","version":1,"data":{"sku":"1"}}}}`,
		`{"type":"card_action","data":{"conversation_id":"c","card_seq":3,"action":"submit","values":{"score":5}}}`,
		`{"type":"send","data":{"card":{"data":[]}}}`, `{"type":"card_action","data":{"values":"x"}}`,
		`{"type":"tag","id":"3","data":{"conversation_id":"c","add":[" VIP ","退款"],"remove":["late\tdelivery"]}}`,
		`{"type":"tag","data":{"add":"vip"}}`, `{"type":"tag","data":{"add":["a\u0000b",7]}}`,
		`{"type":"customer_note","id":"4","data":{"conversation_id":"c","text":"prefers email"}}`,
		`{"type":"customer_note","data":{"text":null}}`,
	}
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		fr, err := Decode(b)
		if err != nil {
			if err.Code == "" || err.Message == "" {
				t.Fatalf("Decode returned an uncoded error %+v", err)
			}
			return
		}
		var s SendData
		if DecodeData(fr, &s) == nil && s.Card != nil {
			if _, err := ValidateCard(*s.Card); err != nil && err.Code != ErrInvalidCard.Code {
				t.Fatalf("ValidateCard refused with %+v", err)
			}
		}
		var a CardActionData
		_ = DecodeData(fr, &a)
		var td TagData
		if DecodeData(fr, &td) == nil {
			for _, tag := range append(td.Add, td.Remove...) {
				checkTag(t, tag)
			}
		}
		var nd CustomerNoteData
		_ = DecodeData(fr, &nd)
		out, merr := json.Marshal(fr)
		if merr != nil {
			t.Fatalf("re-encode accepted frame: %v", merr)
		}
		if len(out) > MaxFrameBytes {
			return // escaping can grow a frame past the limit
		}
		fr2, err := Decode(out)
		if err != nil {
			t.Fatalf("Decode(re-encoded %q) = %v", out, err)
		}
		if fr2.Type != fr.Type || fr2.ID != fr.ID {
			t.Fatalf("round trip changed frame: %q/%q -> %q/%q", fr.Type, fr.ID, fr2.Type, fr2.ID)
		}
	})
}

// BenchmarkEncode is a message push encoded by Encode beside the way it was
// encoded before, the payload marshalled and then marshalled again inside
// the Frame as a json.RawMessage.
func BenchmarkEncode(b *testing.B) {
	m := Message{ConversationID: "01JDXQ5Z8F3K2M9N4P6R7S8T9V", Seq: 1234, ClientMsgID: "01JDXQ5Z8F3K2M9N4P6R7S8TAA",
		Sender: Sender{Role: "customer", ID: "v_01JDXQ5Z8F3K2M9N4P6R7S8TBB", Name: "访客 4821"}, Kind: "text", Visibility: "all",
		Text: "我的订单什么时候发货？ when will my order ship", CreatedAt: 1764900000000}
	b.Run("marshal-twice", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			raw, _ := json.Marshal(m)
			if _, err := json.Marshal(Frame{Type: TypeMessage, Data: raw}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("encode", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := Encode(TypeMessage, "", m); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkDecodeSend is the frame every customer and agent message arrives
// in, decoded as the server does: the frame, then its payload.
func BenchmarkDecodeSend(b *testing.B) {
	frame := []byte(`{"type":"send","id":"r-1842","data":{"conversation_id":"0193a3c4-0000-7000-8000-000000000000",` +
		`"client_msg_id":"0193a3c4-1b2c-7d3e-8f40-5a6b7c8d9e0f","kind":"text","text":"我的订单什么时候发货？ when will my order ship"}}`)
	b.ReportAllocs()
	for b.Loop() {
		f, perr := Decode(frame)
		if perr != nil {
			b.Fatal(perr)
		}
		var d SendData
		if perr := DecodeData(f, &d); perr != nil {
			b.Fatal(perr)
		}
	}
}
