package hub

import (
	"context"
	"errors"
	"io"
	"sync"
	"time"

	"github.com/gorilla/websocket"

	"switchboard/protocol"
)

// Conn is one live WebSocket connection.
type Conn struct {
	hub    *Hub
	ws     *websocket.Conn
	send   chan []byte
	remote string
	// space gets a token after every write, for SendWait.
	space chan struct{}

	// closing is closed by the first Close; closeCode and closeText are
	// written before that and only read after it.
	closing   chan struct{}
	closeOnce sync.Once
	closeCode int
	closeText string

	// mu guards topics.
	mu     sync.Mutex
	topics []string
}

// RemoteAddr is the peer's network address.
func (c *Conn) RemoteAddr() string { return c.remote }

// Done is closed when the connection starts closing.
func (c *Conn) Done() <-chan struct{} { return c.closing }

// Send queues msg (one encoded frame) for the writer and reports whether it
// was queued. It never blocks: when the queue is full the peer is not
// keeping up, and it is disconnected with protocol.CloseSlowConsumer so it
// cannot stall whoever is fanning out to it; it resumes on reconnect.
func (c *Conn) Send(msg []byte) bool {
	select {
	case <-c.closing:
		return false
	default:
	}
	select {
	case c.send <- msg:
		return true
	default:
		c.hub.log.Warn("slow consumer", "remote", c.remote, "queue", cap(c.send))
		c.Close(protocol.CloseSlowConsumer, "too slow; reconnect and resume")
		return false
	}
}

// SendWait queues msg for a bulk sender that may wait, such as a catch-up
// of missed messages running on the connection's own reader. It keeps half
// of the queue free for fan-out, whose Send never waits: when the queue is
// half full it waits for the writer to make room. It reports false once the
// connection is closing or ctx is done.
func (c *Conn) SendWait(ctx context.Context, msg []byte) bool {
	for {
		if len(c.send) < max(1, cap(c.send)/2) {
			select {
			case <-c.closing:
				return false
			case c.send <- msg:
				return true
			default:
				// Fan-out filled the queue meanwhile; wait for the writer.
			}
		}
		select {
		case <-c.space:
		case <-c.closing:
			return false
		case <-ctx.Done():
			return false
		}
	}
}

// Close starts closing the connection with a WebSocket close code and
// reason. It is idempotent and does not block; only the first call's code
// is sent.
func (c *Conn) Close(code int, text string) {
	c.closeOnce.Do(func() {
		c.closeCode, c.closeText = code, text
		close(c.closing)
	})
}

func (c *Conn) readLoop(ctx context.Context, handler Handler) {
	cfg := &c.hub.cfg
	c.ws.SetReadLimit(cfg.ReadLimit)
	c.ws.SetReadDeadline(time.Now().Add(cfg.PongWait))
	c.ws.SetPongHandler(func(string) error {
		return c.ws.SetReadDeadline(time.Now().Add(cfg.PongWait))
	})
	for {
		_, msg, err := c.ws.ReadMessage()
		if err != nil {
			switch {
			case errors.Is(err, websocket.ErrReadLimit):
				// gorilla has already sent close 1009. Swallow the rest of
				// the frame for a moment: closing a socket with unread
				// data resets it, and the peer would lose the close frame.
				c.Close(websocket.CloseMessageTooBig, "")
				c.hub.log.Info("frame over the hard limit", "remote", c.remote, "limit", cfg.ReadLimit)
				nc := c.ws.NetConn()
				nc.SetReadDeadline(time.Now().Add(cfg.CloseGrace))
				io.CopyN(io.Discard, nc, 4*cfg.ReadLimit)
			case websocket.IsUnexpectedCloseError(err, websocket.CloseNormalClosure, websocket.CloseGoingAway, websocket.CloseNoStatusReceived):
				c.hub.log.Debug("connection lost", "remote", c.remote, "err", err)
			}
			return
		}
		// Any frame proves the link is alive, not only pongs.
		c.ws.SetReadDeadline(time.Now().Add(cfg.PongWait))
		handler.HandleMessage(ctx, c, msg)
	}
}

func (c *Conn) writeLoop(readDone <-chan struct{}) {
	cfg := &c.hub.cfg
	ticker := time.NewTicker(cfg.PingInterval)
	defer ticker.Stop()
	for {
		select {
		case msg := <-c.send:
			if err := c.write(msg); err != nil {
				c.Close(websocket.CloseAbnormalClosure, "")
			}
			select {
			case c.space <- struct{}{}:
			default:
			}
		case <-ticker.C:
			if err := c.ws.WriteControl(websocket.PingMessage, nil, time.Now().Add(cfg.WriteWait)); err != nil {
				c.Close(websocket.CloseAbnormalClosure, "")
			}
		case <-c.closing:
			c.finish(readDone)
			return
		}
	}
}

func (c *Conn) write(msg []byte) error {
	c.ws.SetWriteDeadline(time.Now().Add(c.hub.cfg.WriteWait))
	return c.ws.WriteMessage(websocket.TextMessage, msg)
}

// finish flushes what is queued (unless the peer is the problem), sends the
// close frame, gives the peer a moment to answer it, and drops the link,
// which also ends a reader still blocked in ReadMessage.
func (c *Conn) finish(readDone <-chan struct{}) {
	cfg := &c.hub.cfg
	code := c.closeCode
	switch code {
	case protocol.CloseSlowConsumer, websocket.CloseAbnormalClosure, websocket.CloseMessageTooBig:
		// Flushing would wait on the peer that is the problem.
	default:
	flush:
		for {
			select {
			case msg := <-c.send:
				if c.write(msg) != nil {
					break flush
				}
			default:
				break flush
			}
		}
	}
	if code != websocket.CloseAbnormalClosure {
		c.ws.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(code, c.closeText),
			time.Now().Add(cfg.WriteWait))
	}
	t := time.NewTimer(cfg.CloseGrace)
	defer t.Stop()
	select {
	case <-readDone:
	case <-t.C:
	}
	c.ws.Close()
}
