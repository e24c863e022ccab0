package hub

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/gorilla/websocket"

	"switchboard/protocol"
)

// Conn is one live WebSocket connection.
//
// An idle connection holds no outbound queue and no writer goroutine: Send
// queues the frame and starts the writer if none is running, and the
// writer, once it has written everything queued, drops the queue and ends.
// Most connections are idle most of the time, and these were most of the
// memory each one held.
type Conn struct {
	hub    *Hub
	ws     *websocket.Conn
	remote string
	// bc is ws's network connection when Upgrade made it: the writer
	// corks it to write a batch of frames at once. Nil otherwise, and the
	// frames are written one by one.
	bc *batchConn

	// closing is closed by the first Close; closeCode and closeText are
	// written before that and only read after it.
	closing   chan struct{}
	closeCode int
	closeText string
	// readDone is closed when the reader has ended.
	readDone chan struct{}

	// writers counts the running writer goroutine (at most one), so the
	// reader can wait for it when the connection ends.
	writers sync.WaitGroup

	// qmu guards the outbound state below.
	qmu sync.Mutex
	// queue holds the frames waiting for the writer; nil while none wait
	// and no writer runs.
	queue [][]byte
	// pending counts the frames queued or being written: the bound of
	// sendQueue applies to it.
	pending int
	// sendQueue is this connection's bound on pending: Config.SendQueue,
	// or what SetSendQueue set.
	sendQueue int
	// writing is set while a writer goroutine runs.
	writing bool
	// pingDue asks the writer to send a ping.
	pingDue bool
	// closed is set by the first Close, with closing.
	closed bool
	// space is made by a waiting SendWait and closed by the writer when it
	// has written some frames.
	space chan struct{}
	// pinger fires every PingInterval.
	pinger *time.Timer

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
// Frames sent from one goroutine are written in the order sent.
func (c *Conn) Send(msg []byte) bool {
	c.qmu.Lock()
	if c.closed {
		c.qmu.Unlock()
		return false
	}
	if c.pending >= c.sendQueue {
		limit := c.sendQueue
		c.qmu.Unlock()
		c.hub.log.Warn("slow consumer", "remote", c.remote, "queue", limit)
		c.Close(protocol.CloseSlowConsumer, "too slow; reconnect and resume")
		return false
	}
	c.queue = append(c.queue, msg)
	c.pending++
	c.wakeWriterLocked()
	c.qmu.Unlock()
	return true
}

// SetSendQueue bounds the frames this connection may hold unwritten to n
// (n > 0) instead of Config.SendQueue: a connection that legitimately
// receives much more than others, such as a supervisor's watching the
// whole floor, gets room for a burst while the bound stays for everyone
// else. Frames already queued stay; a lower bound applies to the next Send.
func (c *Conn) SetSendQueue(n int) {
	if n <= 0 {
		return
	}
	c.qmu.Lock()
	c.sendQueue = n
	c.qmu.Unlock()
}

// SendQueue is the connection's bound on unwritten frames.
func (c *Conn) SendQueue() int {
	c.qmu.Lock()
	defer c.qmu.Unlock()
	return c.sendQueue
}

// SendWait queues msg for a bulk sender that may wait, such as a catch-up
// of missed messages running on the connection's own reader. It keeps half
// of the queue free for fan-out, whose Send never waits: when the queue is
// half full it waits for the writer to make room. It reports false once the
// connection is closing or ctx is done.
func (c *Conn) SendWait(ctx context.Context, msg []byte) bool {
	for {
		c.qmu.Lock()
		if c.closed {
			c.qmu.Unlock()
			return false
		}
		if c.pending < max(1, c.sendQueue/2) {
			c.queue = append(c.queue, msg)
			c.pending++
			c.wakeWriterLocked()
			c.qmu.Unlock()
			return true
		}
		if c.space == nil {
			c.space = make(chan struct{})
		}
		space := c.space
		c.qmu.Unlock()
		select {
		case <-space:
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
	c.qmu.Lock()
	defer c.qmu.Unlock()
	if c.closed {
		return
	}
	c.closed = true
	c.closeCode, c.closeText = code, text
	close(c.closing)
	// The writer sends the close frame.
	c.wakeWriterLocked()
}

// wakeWriterLocked starts the writer unless it is running; a running writer
// looks at the queue again before it ends.
func (c *Conn) wakeWriterLocked() {
	if c.writing {
		return
	}
	c.writing = true
	c.writers.Add(1)
	go c.writeLoop()
}

// ping runs on the ping timer's goroutine: it has the writer send a ping.
// The timer is re-armed at once, as a ticker would be, so a writer stuck on
// a slow peer does not delay the ping after the next.
func (c *Conn) ping() {
	c.qmu.Lock()
	defer c.qmu.Unlock()
	if c.closed {
		return
	}
	c.pinger.Reset(c.hub.cfg.PingInterval)
	c.pingDue = true
	c.wakeWriterLocked()
}

func (c *Conn) readLoop(ctx context.Context, handler Handler) {
	cfg := &c.hub.cfg
	c.ws.SetReadLimit(cfg.ReadLimit)
	c.ws.SetReadDeadline(time.Now().Add(cfg.PongWait))
	c.ws.SetPongHandler(func(string) error {
		return c.ws.SetReadDeadline(time.Now().Add(cfg.PongWait))
	})
	for {
		buf, err := c.readFrame()
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
		c.handle(ctx, handler, buf.Bytes())
		if buf.Cap() <= maxPooledFrame {
			frameBufs.Put(buf)
		}
	}
}

// frameBufs are the buffers frames are read into. A frame is handled
// before the next is read and HandleMessage keeps no part of it, so its
// buffer serves the next frame of any connection, and an idle connection
// holds none.
var frameBufs = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// maxPooledFrame is the largest buffer frameBufs keeps: a rare large frame
// (a page of history sent back, a long card) does not stay in the pool.
const maxPooledFrame = 64 << 10

// readFrame reads the next message into a buffer of frameBufs.
func (c *Conn) readFrame() (*bytes.Buffer, error) {
	_, r, err := c.ws.NextReader()
	if err != nil {
		return nil, err
	}
	buf := frameBufs.Get().(*bytes.Buffer)
	buf.Reset()
	if _, err := buf.ReadFrom(r); err != nil {
		frameBufs.Put(buf)
		return nil, err
	}
	return buf, nil
}

// handle runs handler.HandleMessage on another goroutine, one of the hub's
// workers (workers.go), and waits for it, so messages are still handled one
// at a time and in order. The reader itself spends its life waiting in
// ReadMessage with a shallow stack; a handler's calls (a sign-in's store and
// token work) go deep, and a stack that has grown for them is only shrunk by
// a later garbage collection, so the reader of every idle connection would
// keep one. A panic in the handler is raised again on the reader, where it
// would have happened.
func (c *Conn) handle(ctx context.Context, handler Handler, msg []byte) {
	done := handledChans.Get().(chan *handlerPanic)
	c.hub.workers.run(task{ctx: ctx, c: c, handler: handler, msg: msg, done: done})
	p := <-done
	handledChans.Put(done) // empty again: the worker sends once
	if p != nil {
		panic(p)
	}
}

// handledChans are the channels on which workers say a message is handled.
var handledChans = sync.Pool{New: func() any { return make(chan *handlerPanic, 1) }}

// handlerPanic is a handler's panic raised again on the reader, with the
// handler's stack.
type handlerPanic struct {
	value any
	stack []byte
}

func (p *handlerPanic) String() string {
	return fmt.Sprintf("%v\n\nhandler goroutine:\n%s", p.value, p.stack)
}

// writeLoop writes what is queued, a batch at a time, until the queue is
// empty, and ends; once the connection is closing it finishes it instead.
func (c *Conn) writeLoop() {
	defer c.writers.Done()
	// batch and the queue trade their arrays while frames keep coming, so
	// a busy connection does not allocate a queue per batch.
	var batch [][]byte
	for {
		c.qmu.Lock()
		if c.closed {
			c.qmu.Unlock()
			c.finish()
			return
		}
		if len(c.queue) == 0 && !c.pingDue {
			// Idle: release the queue's array and end.
			c.queue = nil
			c.writing = false
			c.qmu.Unlock()
			return
		}
		batch, c.queue = c.queue, batch[:0]
		ping := c.pingDue
		c.pingDue = false
		c.qmu.Unlock()

		err := c.write(batch, ping)
		c.qmu.Lock()
		c.pending -= len(batch)
		if c.space != nil {
			close(c.space)
			c.space = nil
		}
		c.qmu.Unlock()
		clear(batch) // the frames, not the array
		if err != nil {
			c.Close(websocket.CloseAbnormalClosure, "")
		}
	}
}

// write writes a ping if ping is set, then frames; on a connection made by
// Upgrade in as few writes as batchBytes allows, each with its own deadline.
func (c *Conn) write(frames [][]byte, ping bool) error {
	wait := c.hub.cfg.WriteWait
	if c.bc == nil {
		if ping {
			if err := c.ws.WriteControl(websocket.PingMessage, nil, time.Now().Add(wait)); err != nil {
				return err
			}
		}
		for _, msg := range frames {
			c.ws.SetWriteDeadline(time.Now().Add(wait))
			if err := c.ws.WriteMessage(websocket.TextMessage, msg); err != nil {
				return err
			}
		}
		return nil
	}
	// gorilla sets the deadline on each frame it writes, but the corked
	// connection only writes in flush and uncork, with their own.
	c.bc.cork()
	var err error
	if ping {
		err = c.ws.WriteControl(websocket.PingMessage, nil, time.Now().Add(wait))
	}
	for _, msg := range frames {
		if err != nil {
			break
		}
		if err = c.ws.WriteMessage(websocket.TextMessage, msg); err == nil && c.bc.full() {
			err = c.bc.flush(time.Now().Add(wait))
		}
	}
	if uerr := c.bc.uncork(time.Now().Add(wait)); err == nil {
		err = uerr
	}
	return err
}

// finish flushes what is queued (unless the peer is the problem), sends the
// close frame, gives the peer a moment to answer it, and drops the link,
// which also ends a reader still blocked in ReadMessage.
func (c *Conn) finish() {
	cfg := &c.hub.cfg
	c.qmu.Lock()
	if c.pinger != nil {
		c.pinger.Stop()
	}
	frames := c.queue
	c.queue = nil
	c.qmu.Unlock()
	code := c.closeCode
	switch code {
	case protocol.CloseSlowConsumer, websocket.CloseAbnormalClosure, websocket.CloseMessageTooBig:
		// Flushing would wait on the peer that is the problem.
	default:
		c.write(frames, false)
	}
	if code != websocket.CloseAbnormalClosure {
		c.ws.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(code, c.closeText),
			time.Now().Add(cfg.WriteWait))
	}
	t := time.NewTimer(cfg.CloseGrace)
	defer t.Stop()
	select {
	case <-c.readDone:
	case <-t.C:
	}
	c.ws.Close()
}
