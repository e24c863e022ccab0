package main

import (
	"bufio"
	"bytes"
	"compress/zlib"
	"context"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"hash/crc32"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"switchboard/backend/server"
	"switchboard/protocol"
)

// The memory-limit test runs the real server binary, as installed, under a
// memory limit and throws at it what an anonymous attacker can: a flood of
// logins, decompression-bomb images, a flood of large uploads, a flood of
// connections. The server must answer each with a coded error or as usual,
// answer /healthz throughout, and stay under a bound of peak memory.
//
// scripts/test-memlimit.sh runs it (and the test suite, after building the
// binary); it names the binary in memlimitBinEnv and the limits in the
// variables below, and the test skips itself when they are not set.
const (
	memlimitBinEnv = "SWITCHBOARD_MEMLIMIT_BIN"
	// memlimitVMEnv is the `ulimit -v` of the server in KiB, and
	// memlimitGoEnv its GOMEMLIMIT; memlimitHWMEnv is the bound on its peak
	// resident memory (VmHWM) in MiB.
	memlimitVMEnv  = "SWITCHBOARD_MEMLIMIT_VM_KB"
	memlimitGoEnv  = "SWITCHBOARD_MEMLIMIT_GOMEMLIMIT"
	memlimitHWMEnv = "SWITCHBOARD_MEMLIMIT_HWM_MB"
)

func TestMemLimit(t *testing.T) {
	bin := os.Getenv(memlimitBinEnv)
	if bin == "" {
		t.Skip("run by scripts/test-memlimit.sh (" + memlimitBinEnv + " names the server binary)")
	}
	vmKB, goLimit := os.Getenv(memlimitVMEnv), os.Getenv(memlimitGoEnv)
	hwmBound, err := strconv.Atoi(os.Getenv(memlimitHWMEnv))
	if vmKB == "" || goLimit == "" || err != nil {
		t.Fatalf("%s, %s and %s must be set", memlimitVMEnv, memlimitGoEnv, memlimitHWMEnv)
	}
	bomb := pngBomb(t, 6000, 6000)
	t.Logf("bomb: a %d-byte 16-bit PNG of 6000×6000 pixels (288 MB decoded)", len(bomb))

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	base := "http://" + addr
	// The login limits that would refuse most of the flood before its
	// password check are opened wide: the test is that the password
	// checks themselves stay within their memory budget.
	args := []string{"serve", "--demo", "--addr", addr, "--data", t.TempDir(), "--log-format", "json",
		"--login-rate", "100000", "--login-address-failures", "100000", "--login-user-failures", "100000"}
	// bash sets the limit on itself and becomes the server, so the
	// server's pid is the one started here.
	cmd := exec.Command("bash", append([]string{"-c", `ulimit -v "$MEMLIMIT_VM_KB" && exec "$0" "$@"`, bin}, args...)...)
	cmd.Env = append(os.Environ(), "MEMLIMIT_VM_KB="+vmKB, "GOMEMLIMIT="+goLimit)
	logPath := filepath.Join(t.TempDir(), "server.log")
	logFile, err := os.Create(logPath)
	if err != nil {
		t.Fatal(err)
	}
	defer logFile.Close()
	cmd.Stdout, cmd.Stderr = io.Discard, logFile
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	defer func() {
		cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-exited:
		case <-time.After(20 * time.Second):
			cmd.Process.Kill()
		}
		if t.Failed() {
			b, _ := os.ReadFile(logPath)
			t.Logf("server log (tail):\n%s", tail(string(b), 4000))
		}
	}()
	health := func() error {
		c := http.Client{Timeout: 2 * time.Second}
		resp, err := c.Get(base + "/healthz")
		if err != nil {
			return err
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			return fmt.Errorf("status %d", resp.StatusCode)
		}
		return nil
	}
	for deadline := time.Now().Add(20 * time.Second); health() != nil; time.Sleep(50 * time.Millisecond) {
		select {
		case err := <-exited:
			b, _ := os.ReadFile(logPath)
			t.Fatalf("server exited at start: %v\n%s", err, b)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatal("server not healthy within 20s")
		}
	}
	pid := cmd.Process.Pid
	t.Logf("server up: VmHWM %d MiB, VmPeak %d MiB", vmStatus(t, pid, "VmHWM")>>10, vmStatus(t, pid, "VmPeak")>>10)

	// Visitors with a conversation each: twenty bomb uploaders, each from
	// its own loopback address, and ten flooders sharing one.
	bombers := make([]*attacker, 20)
	for i := range bombers {
		bombers[i] = newAttacker(t, base, net.IPv4(127, 0, 1, byte(i+1)))
	}
	flood := net.IPv4(127, 0, 2, 1)
	flooders := make([]*attacker, 10)
	for i := range flooders {
		flooders[i] = newAttacker(t, base, flood)
	}

	// /healthz is asked every 100 ms throughout and must always answer.
	stopProbe := make(chan struct{})
	var probes, probeFails atomic.Int32
	var probeErr atomic.Value
	probeDone := make(chan struct{})
	go func() {
		defer close(probeDone)
		tk := time.NewTicker(100 * time.Millisecond)
		defer tk.Stop()
		for {
			select {
			case <-stopProbe:
				return
			case <-tk.C:
				probes.Add(1)
				if err := health(); err != nil {
					probeFails.Add(1)
					probeErr.Store(err.Error())
				}
			}
		}
	}()

	var wg sync.WaitGroup
	var mu sync.Mutex
	results := map[string]map[string]int{}
	count := func(phase, outcome string) {
		mu.Lock()
		defer mu.Unlock()
		if results[phase] == nil {
			results[phase] = map[string]int{}
		}
		results[phase][outcome]++
	}
	t0 := time.Now()
	// 200 concurrent logins: unknown usernames, and known ones with wrong
	// and right passwords.
	for i := range 200 {
		wg.Go(func() {
			user, pw := fmt.Sprintf("ghost%03d", i), "guess"
			switch i % 4 {
			case 1:
				user = "alice"
			case 2:
				user, pw = "bob", server.DemoPassword
			}
			status, code, err := postJSON(base+"/api/v1/login", map[string]string{"username": user, "password": pw}, nil)
			if err != nil {
				count("login", "error: "+err.Error())
				return
			}
			count("login", fmt.Sprintf("%d %s", status, code))
		})
	}
	// 20 concurrent decompression bombs.
	for _, a := range bombers {
		wg.Go(func() {
			status, code, err := a.upload(bomb, "bomb.png", "image/png")
			if err != nil {
				count("bomb", "error: "+err.Error())
				return
			}
			count("bomb", fmt.Sprintf("%d %s", status, code))
		})
	}
	// 300 creations of 100 MB uploads from one address.
	for i := range 300 {
		wg.Go(func() {
			status, code, err := flooders[i%len(flooders)].create(100<<20, "big.zip", "application/zip")
			if err != nil {
				count("flood", "error: "+err.Error())
				return
			}
			count("flood", fmt.Sprintf("%d %s", status, code))
		})
	}
	// 300 WebSocket connections from one address.
	var conns sync.Map
	for i := range 300 {
		wg.Go(func() {
			d := dialerFrom(net.IPv4(127, 0, 3, 1))
			ws, resp, err := d.Dial("ws://"+addr+"/ws", nil)
			switch {
			case err == nil:
				conns.Store(i, ws)
				count("conns", "101")
			case resp != nil:
				var he struct{ Error protocol.Error }
				json.NewDecoder(resp.Body).Decode(&he)
				count("conns", fmt.Sprintf("%d %s", resp.StatusCode, he.Error.Code))
			default:
				count("conns", "error: "+err.Error())
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(t0)
	close(stopProbe)
	<-probeDone
	conns.Range(func(_, v any) bool { v.(*websocket.Conn).Close(); return true })

	if err := health(); err != nil {
		t.Errorf("/healthz after the floods: %v", err)
	}
	select {
	case err := <-exited:
		t.Fatalf("the server died: %v", err)
	default:
	}
	hwm := vmStatus(t, pid, "VmHWM") >> 10
	t.Logf("floods done in %v; /healthz answered %d of %d probes", elapsed.Round(time.Millisecond), probes.Load()-probeFails.Load(), probes.Load())
	for _, phase := range []string{"login", "bomb", "flood", "conns"} {
		t.Logf("%-6s %v", phase, results[phase])
	}
	fmt.Printf("memlimit: peak RSS (VmHWM) %d MiB, bound %d MiB (GOMEMLIMIT=%s, ulimit -v %s KiB)\n", hwm, hwmBound, goLimit, vmKB)
	if n := probeFails.Load(); n > 0 {
		t.Errorf("/healthz failed %d of %d times during the floods (last: %v)", n, probes.Load(), probeErr.Load())
	}
	if hwm > int64(hwmBound) {
		t.Errorf("peak RSS %d MiB, want at most %d MiB", hwm, hwmBound)
	}

	// Every answer is a coded refusal or the usual answer, never an
	// internal error or a dropped connection.
	allowed := map[string][]string{
		"login": {"200 ", "401 bad_credentials", "429 rate_limited"},
		"bomb":  {"204 "},
		"flood": {"201 ", "429 quota_exceeded"},
		"conns": {"101", "429 quota_exceeded"},
	}
	for phase, outcomes := range results {
		for outcome, n := range outcomes {
			ok := false
			for _, a := range allowed[phase] {
				ok = ok || outcome == a
			}
			if !ok {
				t.Errorf("%s: %d answered %q", phase, n, outcome)
			}
		}
	}
	// The address quota holds the flood: eight 100 MB uploads fill its
	// 800 MiB in flight.
	if n := results["flood"]["201 "]; n > 8 {
		t.Errorf("flood: %d uploads of 100 MB created from one address, want at most 8", n)
	}
	if n := results["conns"]["101"]; n > 256 {
		t.Errorf("conns: %d connections from one address, want at most 256", n)
	}
}

// vmStatus reads a field of /proc/PID/status, in KiB.
func vmStatus(t *testing.T, pid int, field string) int64 {
	t.Helper()
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), field+":"); ok {
			n, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			return n
		}
	}
	t.Fatalf("/proc/%d/status has no %s", pid, field)
	return 0
}

func tail(s string, n int) string {
	if len(s) > n {
		return s[len(s)-n:]
	}
	return s
}

// pngBomb is a PNG of w×h 16-bit RGBA pixels, all zero: a few hundred KB
// that decode to w×h×8 bytes. The rows are compressed as they are made,
// so the test never holds the image itself.
func pngBomb(t *testing.T, w, h int) []byte {
	t.Helper()
	var idat bytes.Buffer
	zw, _ := zlib.NewWriterLevel(&idat, zlib.BestCompression)
	row := make([]byte, 1+w*8) // filter byte "none", then the pixels
	for range h {
		zw.Write(row)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	b.WriteString("\x89PNG\r\n\x1a\n")
	chunk := func(typ string, data []byte) {
		binary.Write(&b, binary.BigEndian, uint32(len(data)))
		crc := crc32.NewIEEE()
		crc.Write([]byte(typ))
		crc.Write(data)
		b.WriteString(typ)
		b.Write(data)
		binary.Write(&b, binary.BigEndian, crc.Sum32())
	}
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr[0:], uint32(w))
	binary.BigEndian.PutUint32(ihdr[4:], uint32(h))
	ihdr[8], ihdr[9] = 16, 6 // 16 bits, RGBA
	chunk("IHDR", ihdr)
	chunk("IDAT", idat.Bytes())
	chunk("IEND", nil)
	return b.Bytes()
}

// attacker is a visitor with an open conversation, talking from one
// loopback source address.
type attacker struct {
	base  string
	hc    *http.Client
	token string
	conv  string
	ws    *websocket.Conn
}

func dialerFrom(ip net.IP) *websocket.Dialer {
	nd := &net.Dialer{Timeout: 10 * time.Second, LocalAddr: &net.TCPAddr{IP: ip}}
	return &websocket.Dialer{NetDialContext: nd.DialContext, HandshakeTimeout: 10 * time.Second}
}

func newAttacker(t *testing.T, base string, ip net.IP) *attacker {
	t.Helper()
	nd := &net.Dialer{Timeout: 10 * time.Second, LocalAddr: &net.TCPAddr{IP: ip}}
	a := &attacker{base: base, hc: &http.Client{Timeout: 60 * time.Second, Transport: &http.Transport{DialContext: nd.DialContext, MaxIdleConnsPerHost: 64}}}
	var v server.VisitorResponse
	if status, code, err := a.post("/api/v1/visitor", map[string]string{}, &v); err != nil || status != http.StatusOK {
		t.Fatalf("visitor token: %d %s %v", status, code, err)
	}
	a.token = v.Token
	ws, _, err := dialerFrom(ip).Dial("ws"+strings.TrimPrefix(base, "http")+"/ws", nil)
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	t.Cleanup(func() { ws.Close() })
	a.ws = ws
	request := func(id, typ string, data any) protocol.Frame {
		b, _ := protocol.Encode(typ, id, data)
		ws.WriteMessage(websocket.TextMessage, b)
		ws.SetReadDeadline(time.Now().Add(10 * time.Second))
		for {
			_, msg, err := ws.ReadMessage()
			if err != nil {
				t.Fatalf("%s: %v", typ, err)
			}
			var f protocol.Frame
			json.Unmarshal(msg, &f)
			if f.ID == id {
				if f.Error != nil {
					t.Fatalf("%s: %v", typ, f.Error)
				}
				return f
			}
		}
	}
	request("1", protocol.TypeHello, protocol.HelloData{Protocol: protocol.Version, Token: a.token, Client: protocol.ClientWidget})
	var conv protocol.Conversation
	json.Unmarshal(request("2", protocol.TypeOpen, protocol.OpenData{}).Data, &conv)
	if conv.ID == "" {
		t.Fatal("open: no conversation")
	}
	a.conv = conv.ID
	return a
}

func (a *attacker) post(path string, body, out any) (int, string, error) {
	return postJSONWith(a.hc, a.base+path, body, out)
}

func postJSON(url string, body, out any) (int, string, error) {
	return postJSONWith(&http.Client{Timeout: 60 * time.Second}, url, body, out)
}

// postJSONWith posts body and decodes a 200 answer into out; it returns
// the status and, for an error answer, its code.
func postJSONWith(hc *http.Client, url string, body, out any) (int, string, error) {
	b, _ := json.Marshal(body)
	resp, err := hc.Post(url, "application/json", bytes.NewReader(b))
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	return decodeAnswer(resp, out)
}

func decodeAnswer(resp *http.Response, out any) (int, string, error) {
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode/100 == 2 {
		if out != nil {
			return resp.StatusCode, "", json.Unmarshal(b, out)
		}
		return resp.StatusCode, "", nil
	}
	var he struct{ Error protocol.Error }
	json.Unmarshal(b, &he)
	return resp.StatusCode, he.Error.Code, nil
}

// create opens a tus upload of size bytes; it returns the status and
// the refusal's code.
func (a *attacker) create(size int, name, typ string) (int, string, error) {
	status, code, _, err := a.createURL(size, name, typ)
	return status, code, err
}

func (a *attacker) createURL(size int, name, typ string) (int, string, string, error) {
	meta := []string{
		"conversation_id " + base64.StdEncoding.EncodeToString([]byte(a.conv)),
		"filename " + base64.StdEncoding.EncodeToString([]byte(name)),
		"filetype " + base64.StdEncoding.EncodeToString([]byte(typ)),
	}
	req, _ := http.NewRequestWithContext(context.Background(), http.MethodPost, a.base+"/api/v1/uploads/", nil)
	req.Header.Set("Tus-Resumable", "1.0.0")
	req.Header.Set("Authorization", "Bearer "+a.token)
	req.Header.Set("Upload-Length", strconv.Itoa(size))
	req.Header.Set("Upload-Metadata", strings.Join(meta, ","))
	resp, err := a.hc.Do(req)
	if err != nil {
		return 0, "", "", err
	}
	defer resp.Body.Close()
	status, code, _ := decodeAnswer(resp, nil)
	loc := resp.Header.Get("Location")
	if loc != "" && !strings.HasPrefix(loc, "http") {
		loc = a.base + loc
	}
	return status, code, loc, nil
}

// upload sends a whole file through tus; it returns the final PATCH's
// status (204 when stored) or the refusal.
func (a *attacker) upload(data []byte, name, typ string) (int, string, error) {
	status, code, loc, err := a.createURL(len(data), name, typ)
	if err != nil || status != http.StatusCreated {
		return status, code, err
	}
	req, _ := http.NewRequest(http.MethodPatch, loc, bytes.NewReader(data))
	req.Header.Set("Tus-Resumable", "1.0.0")
	req.Header.Set("Authorization", "Bearer "+a.token)
	req.Header.Set("Upload-Offset", "0")
	req.Header.Set("Content-Type", "application/offset+octet-stream")
	resp, err := a.hc.Do(req)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	return decodeAnswer(resp, nil)
}
