package server

import (
	"encoding/json"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/gorilla/websocket"

	"switchboard/protocol"
)

// BenchmarkSend measures durable messages per second through the whole
// server: many customers, each on its own connection and conversation, send
// one message after another, each waiting for its ack.
func BenchmarkSend(b *testing.B) {
	e := newEnv(b, func(c *Config) { unlimited(c); c.Bot = nil })
	const conns = 128
	type sess struct {
		ws   *websocket.Conn
		conv string
	}
	ss := make([]sess, conns)
	for i := range ss {
		// Tokens straight from the signer: the visitor endpoint is rate
		// limited per address.
		token, _ := e.srv.signer.Issue(uuid.NewString(), protocol.RoleCustomer, time.Hour)
		c, _ := e.connect("bench", token)
		conv := c.open(nil)
		ss[i] = sess{c.ws, conv.ID}
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	b.ResetTimer()
	start := time.Now()
	for _, s := range ss {
		wg.Go(func() {
			for next.Add(1) <= int64(b.N) {
				id := uuid.NewString()
				frame, _ := protocol.Encode(protocol.TypeSend, id, protocol.SendData{ConversationID: s.conv, ClientMsgID: id, Text: "hello"})
				if err := s.ws.WriteMessage(websocket.TextMessage, frame); err != nil {
					b.Error(err)
					return
				}
				for {
					s.ws.SetReadDeadline(time.Now().Add(10 * time.Second))
					_, raw, err := s.ws.ReadMessage()
					if err != nil {
						b.Error(err)
						return
					}
					var f protocol.Frame
					json.Unmarshal(raw, &f)
					if f.ID == id {
						if f.Type != protocol.TypeAck {
							b.Errorf("send: %s %v", f.Type, f.Error)
							return
						}
						break
					}
				}
			}
		})
	}
	wg.Wait()
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "msgs/s")
}
