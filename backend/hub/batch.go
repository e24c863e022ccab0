package hub

import (
	"bufio"
	"errors"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/gorilla/websocket"
)

// Upgrade upgrades the HTTP request to a WebSocket connection with up, as
// up.Upgrade does, but on a connection whose writes Serve can batch: the
// frames a connection's writer finds queued together go out in one write
// (one system call) instead of one write each, as gorilla writes them.
//
// gorilla offers no way to wrap the network connection after the upgrade,
// so the wrapper is handed to it by the Hijack of the response writer.
func Upgrade(up *websocket.Upgrader, w http.ResponseWriter, r *http.Request, responseHeader http.Header) (*websocket.Conn, error) {
	return up.Upgrade(hijacker{w}, r, responseHeader)
}

// hijacker is a response writer whose Hijack returns the connection wrapped
// in a batchConn.
type hijacker struct{ http.ResponseWriter }

func (h hijacker) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	hj, ok := h.ResponseWriter.(http.Hijacker)
	if !ok {
		return nil, nil, errors.New("response does not implement http.Hijacker")
	}
	nc, brw, err := hj.Hijack()
	if err != nil {
		return nil, nil, err
	}
	return &batchConn{Conn: nc}, brw, nil
}

// batchBytes is how much a corked batchConn gathers before it writes: large
// enough for a burst of pushes, small enough that a batch's write deadline
// means what WriteWait says.
const batchBytes = 64 << 10

// batchBufs lends corked connections their buffers, so that an idle
// connection holds none.
var batchBufs = sync.Pool{New: func() any { b := make([]byte, 0, 8<<10); return &b }}

// batchConn is the network connection under a WebSocket connection made by
// Upgrade. While the connection's writer holds it corked, what gorilla
// writes to it (the writer's frames, and a control frame that another
// goroutine sends meanwhile, such as the reader's pong) is gathered and goes
// out when the writer flushes. gorilla serializes its writes, and each frame
// reaches Write whole or in consecutive calls under gorilla's lock, so
// gathering keeps frames intact and in order.
type batchConn struct {
	net.Conn

	// mu guards corked and buf and serializes writes to Conn: the
	// writer's flush runs outside gorilla's write lock.
	mu     sync.Mutex
	corked bool
	buf    *[]byte
}

func (b *batchConn) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if !b.corked {
		return b.Conn.Write(p)
	}
	if len(p) >= batchBytes {
		// Copying a large frame gains nothing: write what is
		// gathered, then the frame.
		if err := b.flushLocked(); err != nil {
			return 0, err
		}
		return b.Conn.Write(p)
	}
	*b.buf = append(*b.buf, p...)
	return len(p), nil
}

// cork starts gathering writes.
func (b *batchConn) cork() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.corked = true
	if b.buf == nil {
		b.buf = batchBufs.Get().(*[]byte)
	}
}

// full reports whether enough is gathered to write it now.
func (b *batchConn) full() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf != nil && len(*b.buf) >= batchBytes
}

// flush writes what is gathered, in one write with deadline.
func (b *batchConn) flush(deadline time.Time) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.Conn.SetWriteDeadline(deadline)
	return b.flushLocked()
}

func (b *batchConn) flushLocked() error {
	if b.buf == nil || len(*b.buf) == 0 {
		return nil
	}
	_, err := b.Conn.Write(*b.buf)
	*b.buf = (*b.buf)[:0]
	return err
}

// uncork writes what is gathered, with deadline, stops gathering and gives
// the buffer back.
func (b *batchConn) uncork(deadline time.Time) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.Conn.SetWriteDeadline(deadline)
	err := b.flushLocked()
	b.corked = false
	if b.buf != nil {
		if cap(*b.buf) <= 4*batchBytes {
			*b.buf = (*b.buf)[:0]
			batchBufs.Put(b.buf)
		}
		b.buf = nil
	}
	return err
}
