package protocol

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sync"
)

// Decode reads one frame a client sent, from a WebSocket text message. It
// never panics; any failure is an *Error that can be sent back to the peer
// as is.
func Decode(b []byte) (Frame, *Error) {
	return decode(b, MaxFrameBytes)
}

func decode(b []byte, limit int) (Frame, *Error) {
	var f Frame
	if len(b) > limit {
		return f, ErrFrameTooLarge.WithMessage("frame is %d bytes; the limit is %d", len(b), limit)
	}
	b = bytes.TrimSpace(b)
	if len(b) == 0 || b[0] != '{' {
		return f, ErrMalformed
	}
	if err := json.Unmarshal(b, &f); err != nil {
		return Frame{}, ErrMalformed.WithMessage("frame is not valid JSON: %s", jsonReason(err))
	}
	if f.Type == "" {
		return f, ErrMalformed.WithMessage("frame has no type")
	}
	if len(f.ID) > 64 {
		return f, ErrMalformed.WithMessage("frame id is longer than 64 characters")
	}
	return f, nil
}

// DecodeServerFrame reads one frame a server sent. Server frames may be
// larger than MaxFrameBytes (a page of history), up to HardFrameBytes.
func DecodeServerFrame(b []byte) (Frame, *Error) {
	return decode(b, HardFrameBytes)
}

// DecodeData unmarshals a frame's payload into v, strictly: unknown fields are
// allowed (newer clients), wrong types are not.
func DecodeData(f Frame, v any) *Error {
	if len(f.Data) == 0 || bytes.Equal(f.Data, []byte("null")) {
		return ErrInvalid.WithMessage("%s frame needs a data object", f.Type)
	}
	if err := json.Unmarshal(f.Data, v); err != nil {
		return ErrInvalid.WithMessage("%s data: %s", f.Type, jsonReason(err))
	}
	return nil
}

// Encode builds a frame carrying data: the same bytes as json.Marshal of
// Frame{Type: typ, ID: id, Data: <data marshalled>}, with the payload
// encoded once, straight into the frame, rather than encoded, then checked
// and copied again as a json.RawMessage (every push and reply goes through
// here). The frame is built in a pooled buffer and returned as a copy of
// its exact length: an ack is about 150 bytes, and a buffer of its own
// for each frame was most of what a message allocated.
func Encode(typ, id string, data any) ([]byte, error) {
	e := encoders.Get().(*encoder)
	defer e.release()
	b := &e.buf
	b.WriteString(`{"type":`)
	b.Write(appendQuoted(b.AvailableBuffer(), typ))
	if id != "" {
		b.WriteString(`,"id":`)
		b.Write(appendQuoted(b.AvailableBuffer(), id))
	}
	if data != nil {
		b.WriteString(`,"data":`)
		if err := e.enc.Encode(data); err != nil {
			return nil, fmt.Errorf("encode %s: %w", typ, err)
		}
		b.Truncate(b.Len() - 1) // the Encoder's newline
	}
	b.WriteByte('}')
	return bytes.Clone(b.Bytes()), nil
}

// encoder is a buffer and a JSON encoder writing into it, reused.
type encoder struct {
	buf bytes.Buffer
	enc *json.Encoder
}

var encoders = sync.Pool{New: func() any {
	e := &encoder{}
	e.enc = json.NewEncoder(&e.buf)
	return e
}}

// maxPooledEncoder bounds the buffer an encoder keeps when it goes back to
// the pool: a page of history does not stay allocated for every ack.
const maxPooledEncoder = 64 << 10

func (e *encoder) release() {
	if e.buf.Cap() > maxPooledEncoder {
		return
	}
	e.buf.Reset()
	encoders.Put(e)
}

// appendQuoted appends s as a JSON string, as encoding/json writes it.
// Frame types and ids are plain ASCII, written as they are; anything else
// goes through encoding/json, for its escapes.
func appendQuoted(dst []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c > 0x7e || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			q, _ := json.Marshal(s)
			return append(dst, q...)
		}
	}
	dst = append(dst, '"')
	dst = append(dst, s...)
	return append(dst, '"')
}

// EncodeError builds an error frame answering request id (empty for a push).
func EncodeError(id string, e *Error) []byte {
	b, _ := json.Marshal(Frame{Type: TypeError, ID: id, Error: e})
	return b
}

// jsonReason keeps a decoder error short and free of the peer's raw input.
func jsonReason(err error) string {
	switch e := err.(type) {
	case *json.SyntaxError:
		return fmt.Sprintf("syntax error at byte %d", e.Offset)
	case *json.UnmarshalTypeError:
		if e.Field != "" {
			return fmt.Sprintf("field %q must be %s", e.Field, e.Type)
		}
		return fmt.Sprintf("value must be %s", e.Type)
	default:
		return "cannot decode"
	}
}
