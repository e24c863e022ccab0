package server

import (
	"bytes"
	"encoding/json"
	"image"
	"image/color"
	"image/png"
	"net/http"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"switchboard/backend/quota"
	"switchboard/protocol"
)

// Bounded work for anonymous callers: logins, image decoding, uploads and
// connections.

// stepClock stands still until a test moves it, so that waits measured
// by the server do not run out while a slow machine checks passwords.
type stepClock struct{ at atomic.Int64 }

func newStepClock() *stepClock {
	c := &stepClock{}
	c.at.Store(time.Now().UnixNano())
	return c
}

func (c *stepClock) now() time.Time          { return time.Unix(0, c.at.Load()) }
func (c *stepClock) advance(d time.Duration) { c.at.Add(int64(d)) }

func loginStatus(e *env, user, pw string) (int, string, string) {
	e.t.Helper()
	var out httpError
	code, hdr := e.post("/api/v1/login", LoginRequest{Username: user, Password: pw}, &out)
	return code, out.Error.Code, hdr.Get("Retry-After")
}

// TestLoginSprayBacksOff sprays unknown usernames from one address: after
// the address's free failures each attempt is refused rate_limited, with
// a Retry-After that doubles, before any password check; a success after
// the wait clears the count. One username guessed at is slowed the same
// way.
func TestLoginSprayBacksOff(t *testing.T) {
	clk := newStepClock()
	e := newEnv(t, func(c *Config) {
		c.Now = clk.now
		c.LoginAddressFailures = 3
		c.LoginUserFailures = 2
	})
	user := func(i int) string { return "nobody" + strings.Repeat("x", i) }
	for i := range 3 {
		if code, ec, _ := loginStatus(e, user(i), "guess"); code != http.StatusUnauthorized || ec != protocol.ErrBadCredentials.Code {
			t.Fatalf("failure %d: %d %s, want 401 bad_credentials", i, code, ec)
		}
	}
	// The fourth failure is checked, and sets a wait of 1s.
	if code, _, _ := loginStatus(e, user(3), "guess"); code != http.StatusUnauthorized {
		t.Fatalf("fourth failure: %d, want 401", code)
	}
	code, ec, after := loginStatus(e, user(4), "guess")
	if code != http.StatusTooManyRequests || ec != protocol.ErrRateLimited.Code || after != "1" {
		t.Fatalf("spray within the wait: %d %s Retry-After %q, want 429 rate_limited 1", code, ec, after)
	}
	// Even the right password waits: the address is backing off.
	if code, _, _ := loginStatus(e, "alice", DemoPassword); code != http.StatusTooManyRequests {
		t.Fatalf("alice within the wait: %d, want 429", code)
	}
	clk.advance(time.Second)
	if code, _, _ := loginStatus(e, user(5), "guess"); code != http.StatusUnauthorized {
		t.Fatalf("after the wait: %d, want 401", code)
	}
	if _, _, after := loginStatus(e, user(6), "guess"); after != "2" {
		t.Fatalf("next wait: Retry-After %q, want 2 (doubled)", after)
	}
	clk.advance(2 * time.Second)
	if code, _, _ := loginStatus(e, "alice", DemoPassword); code != http.StatusOK {
		t.Fatalf("alice after the wait: %d, want 200", code)
	}
	// The success cleared the address: three free failures again.
	for i := range 3 {
		if code, _, _ := loginStatus(e, user(10+i), "guess"); code != http.StatusUnauthorized {
			t.Fatalf("after a success, failure %d: %d, want 401", i, code)
		}
	}

	// One username: two free failures, then the third attempt is
	// checked, and the next waits, right password or not.
	e2 := newEnv(t, func(c *Config) { c.Now = clk.now; c.LoginUserFailures = 2 })
	for range 3 {
		loginStatus(e2, "bob", "wrong")
	}
	if code, ec, _ := loginStatus(e2, "bob", DemoPassword); code != http.StatusTooManyRequests || ec != protocol.ErrRateLimited.Code {
		t.Fatalf("bob's right password within the wait: %d %s, want 429 rate_limited", code, ec)
	}
}

// TestLoginChecksQueueBounded floods a server whose password budget runs
// one check at a time and lets a login wait 1ms: the logins that find the
// gate full are answered rate_limited at once, none fails otherwise, and
// the ones that got through are answered as usual.
func TestLoginChecksQueueBounded(t *testing.T) {
	e := newEnv(t, func(c *Config) {
		c.PasswordMemory = int64(testPasswordParams.Memory) << 10 // one check at a time
		c.PasswordWait = time.Millisecond
		c.LoginAddressFailures = 1000
		c.LoginRate = 1000
	})
	var wg sync.WaitGroup
	var mu sync.Mutex
	got := map[string]int{}
	for i := range 40 {
		wg.Go(func() {
			b, _ := json.Marshal(LoginRequest{Username: "ghost" + strings.Repeat("g", i), Password: "x"})
			resp, err := http.Post(e.ts.URL+"/api/v1/login", "application/json", bytes.NewReader(b))
			if err != nil {
				t.Error(err)
				return
			}
			defer resp.Body.Close()
			var he httpError
			json.NewDecoder(resp.Body).Decode(&he)
			mu.Lock()
			got[he.Error.Code]++
			mu.Unlock()
		})
	}
	wg.Wait()
	if got[protocol.ErrBadCredentials.Code]+got[protocol.ErrRateLimited.Code] != 40 || got[protocol.ErrRateLimited.Code] == 0 {
		t.Errorf("answers = %v, want bad_credentials and some rate_limited, nothing else", got)
	}
}

// TestImageOverBudgetNotDecoded uploads a 16-bit PNG whose decoded pixels
// (400×400×8 bytes) pass a 1 MiB decode budget: it is stored and can be
// sent, with its size from the header and no thumbnail; a small 8-bit
// image still gets one.
func TestImageOverBudgetNotDecoded(t *testing.T) {
	e := pickEnv(t, func(c *Config) { c.ImageMemory = 1 << 20 })
	_, _, custToken, _, conv := chatting(t, e)
	img := image.NewNRGBA64(image.Rect(0, 0, 400, 400))
	for i := range img.Pix {
		img.Pix[i] = byte(i)
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	tc := e.tus(custToken)
	id, perr := tc.upload(conv.ID, "deep.png", "image/png", b.Bytes())
	if perr != nil {
		t.Fatalf("upload: %v", perr)
	}
	f, err := e.srv.Store().File(t.Context(), id)
	if err != nil {
		t.Fatal(err)
	}
	if f.Width != 400 || f.Height != 400 || f.ThumbSHA256 != "" {
		t.Errorf("stored %d×%d thumb %q, want 400×400 without a thumbnail", f.Width, f.Height, f.ThumbSHA256)
	}
	small := image.NewGray(image.Rect(0, 0, 50, 50))
	for i := range small.Pix {
		small.Pix[i] = byte(i)
	}
	small.Set(0, 0, color.Gray{Y: 1})
	b.Reset()
	png.Encode(&b, small)
	id, perr = tc.upload(conv.ID, "small.png", "image/png", b.Bytes())
	if perr != nil {
		t.Fatalf("upload small: %v", perr)
	}
	if f, _ := e.srv.Store().File(t.Context(), id); f.ThumbSHA256 == "" {
		t.Errorf("small image stored without a thumbnail")
	}
}

// TestUploadQuota takes a visitor to each limit: unfinished uploads, their
// declared bytes, the day's bytes. Each is refused quota_exceeded (429),
// nothing is created, and a cancelled upload frees its place.
func TestUploadQuota(t *testing.T) {
	e := pickEnv(t, func(c *Config) {
		c.VisitorQuota = quota.Limits{Sessions: 2, InFlight: 1000, Daily: 1200}
	})
	_, _, custToken, _, conv := chatting(t, e)
	tc := e.tus(custToken)
	a, perr, _ := tc.create(conv.ID, "a.txt", "text/plain", 400)
	if perr != nil {
		t.Fatalf("create a: %v", perr)
	}
	if _, perr, _ := tc.create(conv.ID, "b.txt", "text/plain", 400); perr != nil {
		t.Fatalf("create b: %v", perr)
	}
	_, perr, status := tc.create(conv.ID, "c.txt", "text/plain", 10)
	if perr == nil || perr.Code != protocol.ErrQuotaExceeded.Code || !perr.Retryable || status != http.StatusTooManyRequests {
		t.Fatalf("third unfinished upload: %d %+v, want 429 quota_exceeded", status, perr)
	}
	resp := tc.do(http.MethodDelete, a, nil, nil)
	resp.Body.Close()
	if resp.StatusCode != http.StatusNoContent {
		t.Fatalf("DELETE: %d", resp.StatusCode)
	}
	// A's place is free; its bytes stay counted for the day (800 so far).
	c, perr, _ := tc.create(conv.ID, "c.txt", "text/plain", 5)
	if perr != nil {
		t.Fatalf("create after cancelling one: %v", perr)
	}
	if _, perr := tc.patch(c, 0, []byte("hello")); perr != nil {
		t.Fatalf("finish c: %v", perr)
	}
	// B (400) is unfinished: 601 more would pass 1000 in flight.
	if _, perr, _ := tc.create(conv.ID, "d.txt", "text/plain", 601); perr == nil || perr.Code != protocol.ErrQuotaExceeded.Code ||
		!strings.Contains(perr.Message, "unfinished") {
		t.Fatalf("upload past the bytes in flight: %+v, want quota_exceeded", perr)
	}
	// 805 started today: 400 more fit in flight but not in the day.
	if _, perr, _ := tc.create(conv.ID, "e.txt", "text/plain", 400); perr == nil || perr.Code != protocol.ErrQuotaExceeded.Code ||
		!strings.Contains(perr.Message, "today") {
		t.Fatalf("upload past the day's bytes: %+v, want quota_exceeded", perr)
	}
	if n := len(uploadDirEntries(t, e)); n != 2 {
		t.Errorf("upload dir holds %d files, want 2 (b and its .info)", n)
	}
	_, _, page := e.get("/metrics", "", nil)
	if v := metricValue(t, string(page), `switchboard_refused_total{what="upload_quota"}`); v != 3 {
		t.Errorf("refused uploads in /metrics = %v, want 3", v)
	}
}

func uploadDirEntries(t *testing.T, e *env) []string {
	t.Helper()
	entries, err := os.ReadDir(e.srv.uploadDir)
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	var names []string
	for _, en := range entries {
		names = append(names, en.Name())
	}
	return names
}

// TestUploadSweep abandons an upload halfway: once nothing was written to
// it for UploadExpiry, the sweep deletes its data and .info and frees its
// quota; a later upload of the same visitor goes through.
func TestUploadSweep(t *testing.T) {
	e := pickEnv(t, func(c *Config) {
		// Long enough that the steps below run well within it on a busy
		// machine, short enough for a test.
		c.UploadExpiry = 2 * time.Second
		c.VisitorQuota = quota.Limits{Sessions: 1}
	})
	_, _, custToken, _, conv := chatting(t, e)
	tc := e.tus(custToken)
	url, perr, _ := tc.create(conv.ID, "a.txt", "text/plain", 100)
	if perr != nil {
		t.Fatal(perr)
	}
	if _, perr := tc.patch(url, 0, []byte("half")); perr != nil {
		t.Fatal(perr)
	}
	if n := len(uploadDirEntries(t, e)); n != 2 {
		t.Fatalf("upload dir holds %d files, want 2", n)
	}
	if _, perr, _ := tc.create(conv.ID, "b.txt", "text/plain", 5); perr == nil || perr.Code != protocol.ErrQuotaExceeded.Code {
		t.Fatalf("second upload while the first is unfinished: %+v, want quota_exceeded", perr)
	}
	deadline := time.Now().Add(15 * time.Second)
	for len(uploadDirEntries(t, e)) > 0 {
		if time.Now().After(deadline) {
			t.Fatalf("abandoned upload still there: %v", uploadDirEntries(t, e))
		}
		time.Sleep(20 * time.Millisecond)
	}
	if _, code := tc.head(url); code != http.StatusNotFound {
		t.Errorf("HEAD of the swept upload: %d, want 404", code)
	}
	if _, perr := tc.upload(conv.ID, "b.txt", "text/plain", []byte("hello")); perr != nil {
		t.Errorf("upload after the sweep: %v", perr)
	}
}

// TestConnsPerAddress: the third connection from one address is refused
// at the upgrade with 429 quota_exceeded; closing one makes room.
func TestConnsPerAddress(t *testing.T) {
	e := newEnv(t, func(c *Config) { c.MaxConnsPerAddress = 2 })
	url := "ws" + strings.TrimPrefix(e.ts.URL, "http") + "/ws"
	a := e.dial("a")
	e.dial("b")
	_, resp, err := websocket.DefaultDialer.Dial(url, nil)
	if err == nil || resp == nil || resp.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("third connection: %v, %v; want refused 429", err, resp)
	}
	var he httpError
	json.NewDecoder(resp.Body).Decode(&he)
	resp.Body.Close()
	if he.Error.Code != protocol.ErrQuotaExceeded.Code {
		t.Errorf("refusal code %q, want quota_exceeded", he.Error.Code)
	}
	_, _, page := e.get("/metrics", "", nil)
	if v := metricValue(t, string(page), `switchboard_refused_total{what="connections"}`); v != 1 {
		t.Errorf("refused connections in /metrics = %v, want 1", v)
	}
	a.ws.Close()
	deadline := time.Now().Add(5 * time.Second)
	for {
		ws, _, err := websocket.DefaultDialer.Dial(url, nil)
		if err == nil {
			ws.Close()
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no room after closing a connection: %v", err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestTrustedProxyAddress: behind a trusted proxy the per-address limits
// count the address the proxy appended to X-Forwarded-For (the rightmost
// one); without trust, the header is ignored.
func TestTrustedProxyAddress(t *testing.T) {
	proxies, err := ParseProxies("127.0.0.1, ::1/128")
	if err != nil {
		t.Fatal(err)
	}
	dial := func(e *env, xff string) int {
		t.Helper()
		h := http.Header{}
		if xff != "" {
			h.Set("X-Forwarded-For", xff)
		}
		ws, resp, err := websocket.DefaultDialer.Dial("ws"+strings.TrimPrefix(e.ts.URL, "http")+"/ws", h)
		if err == nil {
			t.Cleanup(func() { ws.Close() })
			return http.StatusSwitchingProtocols
		}
		if resp == nil {
			t.Fatalf("dial: %v", err)
		}
		return resp.StatusCode
	}
	behind := newEnv(t, func(c *Config) { c.MaxConnsPerAddress = 1; c.TrustedProxies = proxies })
	tests := []struct {
		xff  string
		want int
	}{
		{"192.0.2.1", http.StatusSwitchingProtocols},
		{"192.0.2.2", http.StatusSwitchingProtocols},
		// What the client wrote itself stands left of what the proxy added.
		{"192.0.2.9, 192.0.2.1", http.StatusTooManyRequests},
		{"192.0.2.1, 192.0.2.3", http.StatusSwitchingProtocols},
	}
	for _, tt := range tests {
		if got := dial(behind, tt.xff); got != tt.want {
			t.Errorf("behind a trusted proxy, X-Forwarded-For %q: %d, want %d", tt.xff, got, tt.want)
		}
	}
	direct := newEnv(t, func(c *Config) { c.MaxConnsPerAddress = 1 })
	dial(direct, "192.0.2.1")
	if got := dial(direct, "192.0.2.2"); got != http.StatusTooManyRequests {
		t.Errorf("without trusted proxies, a second connection claiming another address: %d, want 429", got)
	}
	if _, err := ParseProxies("10.0.0.0/8, nonsense"); err == nil {
		t.Error("ParseProxies accepted nonsense")
	}
}
