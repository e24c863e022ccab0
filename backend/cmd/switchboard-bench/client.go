package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"

	"switchboard/protocol"
)

// callTimeout bounds the wait for any reply.
const callTimeout = 30 * time.Second

// errClosed is returned by call once the connection has ended.
var errClosed = errors.New("connection closed")

// client is one WebSocket connection speaking protocol v1: a reader goroutine
// matches replies to requests by frame id and hands pushes to onPush.
type client struct {
	ws     *websocket.Conn
	wmu    sync.Mutex
	nextID atomic.Uint64

	mu      sync.Mutex
	pending map[string]chan protocol.Frame
	ended   bool // under mu: the reader has stopped, no reply will come

	// onPush is called on the reader goroutine for every frame that is not a
	// reply, with the time it was read. It must be set before start.
	onPush func(f protocol.Frame, at time.Time)
	// rawPush, if set, sees every frame first, undecoded; when it returns
	// true the frame is taken care of. It keeps the hot receivers (agents
	// reading thousands of pushes a second) from spending on JSON.
	rawPush func(msg []byte, at time.Time) bool

	done    chan struct{}
	readErr error
}

// dialer returns a WebSocket dialer whose connections leave from local, a
// loopback address (spreading connections over 127.x.y.z source addresses
// keeps clear of the per-address ephemeral port range and of the server's
// per-address rate limits).
func dialer(local net.IP) *websocket.Dialer {
	nd := &net.Dialer{Timeout: 10 * time.Second}
	if local != nil {
		nd.LocalAddr = &net.TCPAddr{IP: local}
	}
	return &websocket.Dialer{
		NetDialContext:   nd.DialContext,
		HandshakeTimeout: 10 * time.Second,
		ReadBufferSize:   1024,
		WriteBufferSize:  1024,
	}
}

// dial opens a connection to wsURL from local and starts its reader.
func dial(ctx context.Context, wsURL string, local net.IP, onPush func(protocol.Frame, time.Time)) (*client, error) {
	return dialRaw(ctx, wsURL, local, nil, onPush)
}

// dialRaw is dial with a rawPush hook.
func dialRaw(ctx context.Context, wsURL string, local net.IP, rawPush func([]byte, time.Time) bool, onPush func(protocol.Frame, time.Time)) (*client, error) {
	ws, _, err := dialer(local).DialContext(ctx, wsURL, nil)
	if err != nil {
		return nil, err
	}
	c := &client{ws: ws, pending: make(map[string]chan protocol.Frame), onPush: onPush, rawPush: rawPush, done: make(chan struct{})}
	go c.readLoop()
	return c, nil
}

func (c *client) readLoop() {
	defer close(c.done)
	// One buffer for every frame of the connection: the hooks below read
	// it and keep nothing of it (a reply's data is copied out).
	var buf bytes.Buffer
	for {
		msg, err := c.next(&buf)
		if err != nil {
			c.readErr = err
			c.mu.Lock()
			c.ended = true
			for id, ch := range c.pending {
				close(ch)
				delete(c.pending, id)
			}
			c.mu.Unlock()
			return
		}
		at := time.Now()
		if c.rawPush != nil && c.rawPush(msg, at) {
			continue
		}
		// An ack, the one reply a sender waits for thousands of times a
		// second, is read without the decoder; any other frame, or an
		// ack not shaped as the server writes it, is decoded.
		f, ok := rawAck(msg)
		// Not protocol.Decode: its 64 KiB limit is for what clients send;
		// a history page of 500 messages is larger.
		if !ok && json.Unmarshal(msg, &f) != nil {
			continue
		}
		if f.ID != "" {
			c.mu.Lock()
			ch, ok := c.pending[f.ID]
			delete(c.pending, f.ID)
			c.mu.Unlock()
			if ok {
				ch <- f
				continue
			}
		}
		if c.onPush != nil {
			c.onPush(f, at)
		}
	}
}

// next reads the next message of the connection into buf, replacing what
// it held, and returns its bytes.
func (c *client) next(buf *bytes.Buffer) ([]byte, error) {
	_, r, err := c.ws.NextReader()
	if err != nil {
		return nil, err
	}
	buf.Reset()
	if _, err := buf.ReadFrom(r); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// rawAck reads an ack as the server writes it, {"type":"ack","id":"…",
// "data":{…}}, without decoding its data (copied out as it is); ok is false
// for any other frame.
func rawAck(msg []byte) (f protocol.Frame, ok bool) {
	const head = `{"type":"ack","id":"`
	if !bytes.HasPrefix(msg, []byte(head)) {
		return f, false
	}
	rest := msg[len(head):]
	end := bytes.IndexByte(rest, '"')
	if end <= 0 || bytes.IndexByte(rest[:end], '\\') >= 0 {
		return f, false
	}
	data, found := bytes.CutPrefix(rest[end+1:], []byte(`,"data":{`))
	if !found || !bytes.HasSuffix(data, []byte("}}")) {
		return f, false
	}
	return protocol.Frame{Type: protocol.TypeAck, ID: string(rest[:end]), Data: append(json.RawMessage("{"), data[:len(data)-1]...)}, true
}

// sendText sends a text message to conversation conv with client_msg_id
// msgID and waits for its reply: protocol.Encode's output for the same
// frame, written without the encoder (conv and msgID are UUIDs, text is
// JSON-safe: stampText).
func (c *client) sendText(ctx context.Context, conv, msgID, text string) (protocol.Frame, error) {
	id := strconv.FormatUint(c.nextID.Add(1), 36)
	return c.callRaw(ctx, id, sendTextFrame(id, conv, msgID, text))
}

// sendTextFrame is the send frame of sendText, with frame id id.
func sendTextFrame(id, conv, msgID, text string) []byte {
	b := make([]byte, 0, 160+len(text))
	b = append(b, `{"type":"send","id":"`...)
	b = append(b, id...)
	b = append(b, `","data":{"conversation_id":"`...)
	b = append(b, conv...)
	b = append(b, `","client_msg_id":"`...)
	b = append(b, msgID...)
	b = append(b, `","kind":"text","text":"`...)
	b = append(b, text...)
	b = append(b, `"}}`...)
	return b
}

// write sends one raw frame.
func (c *client) write(b []byte) error {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	c.ws.SetWriteDeadline(time.Now().Add(10 * time.Second))
	return c.ws.WriteMessage(websocket.TextMessage, b)
}

// call sends a request and waits for its reply (the success frame or an
// error frame).
func (c *client) call(ctx context.Context, typ string, data any) (protocol.Frame, error) {
	id := strconv.FormatUint(c.nextID.Add(1), 36)
	b, err := protocol.Encode(typ, id, data)
	if err != nil {
		return protocol.Frame{}, err
	}
	return c.callRaw(ctx, id, b)
}

// callRaw sends an encoded frame whose id is id and waits for the frame
// answering it.
func (c *client) callRaw(ctx context.Context, id string, b []byte) (protocol.Frame, error) {
	ch := make(chan protocol.Frame, 1)
	c.mu.Lock()
	if c.ended {
		c.mu.Unlock()
		return protocol.Frame{}, errClosed
	}
	c.pending[id] = ch
	c.mu.Unlock()
	if err := c.write(b); err != nil {
		c.mu.Lock()
		delete(c.pending, id)
		c.mu.Unlock()
		return protocol.Frame{}, err
	}
	t := time.NewTimer(callTimeout)
	defer t.Stop()
	select {
	case f, ok := <-ch:
		if !ok {
			return protocol.Frame{}, fmt.Errorf("%w: %v", errClosed, c.readErr)
		}
		return f, nil
	case <-t.C:
		c.mu.Lock()
		delete(c.pending, id)
		c.mu.Unlock()
		return protocol.Frame{}, fmt.Errorf("no reply to frame %s within %s", id, callTimeout)
	case <-ctx.Done():
		c.mu.Lock()
		delete(c.pending, id)
		c.mu.Unlock()
		return protocol.Frame{}, ctx.Err()
	}
}

// close ends the connection politely and waits for the reader.
func (c *client) close() {
	c.wmu.Lock()
	c.ws.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(websocket.CloseNormalClosure, ""), time.Now().Add(time.Second))
	c.wmu.Unlock()
	select {
	case <-c.done:
	case <-time.After(2 * time.Second):
	}
	c.ws.Close()
	<-c.done
}

// frameErr turns an error frame into a Go error; nil for any other frame.
func frameErr(f protocol.Frame) error {
	if f.Type != protocol.TypeError {
		return nil
	}
	if f.Error == nil {
		return errors.New("error frame without error")
	}
	return f.Error
}

// hello authenticates c with token and returns the welcome.
func (c *client) hello(ctx context.Context, token string, resume map[string]int64) (protocol.WelcomeData, error) {
	var w protocol.WelcomeData
	f, err := c.call(ctx, protocol.TypeHello, protocol.HelloData{Protocol: protocol.Version, Token: token, Client: protocol.ClientWidget, Resume: resume})
	if err != nil {
		return w, err
	}
	if err := frameErr(f); err != nil {
		return w, err
	}
	if perr := protocol.DecodeData(f, &w); perr != nil {
		return w, perr
	}
	return w, nil
}

// httpClients hands out HTTP clients bound to distinct loopback source
// addresses, perUse requests each, so that token minting stays under the
// server's per-address limits.
type httpClients struct {
	mu     sync.Mutex
	pool   *addrPool
	perUse int
	cur    *http.Client
	used   int
}

func (h *httpClients) get() *http.Client {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.cur == nil || h.used >= h.perUse {
		nd := &net.Dialer{Timeout: 10 * time.Second, LocalAddr: &net.TCPAddr{IP: h.pool.next()}}
		// No keep-alive: idle connections of retired clients would
		// hold file descriptors the WebSocket connections need.
		h.cur = &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{DialContext: nd.DialContext, DisableKeepAlives: true}}
		h.used = 0
	}
	h.used++
	return h.cur
}

// addrPool yields loopback addresses 127.<a>.<b>.<c> in order, starting at
// 127.<first>.0.1.
type addrPool struct {
	mu    sync.Mutex
	first byte
	n     int
}

func (p *addrPool) next() net.IP {
	p.mu.Lock()
	n := p.n
	p.n++
	p.mu.Unlock()
	return p.at(n)
}

func (p *addrPool) at(n int) net.IP {
	return net.IPv4(127, p.first+byte(n/(250*250)), byte(n/250%250), byte(n%250+1))
}

// postJSON posts body to url and decodes the answer into out.
func postJSON(ctx context.Context, hc *http.Client, url string, body, out any) error {
	b, _ := json.Marshal(body)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(b))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := hc.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	rb, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("POST %s: %s: %s", url, resp.Status, bytes.TrimSpace(rb))
	}
	return json.Unmarshal(rb, out)
}
