package main

import (
	"bufio"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"errors"
	"math/big"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/gorilla/websocket"

	"switchboard/backend/auth"
	"switchboard/backend/seal"
	"switchboard/backend/store"
	"switchboard/backend/store/sqlite"
	"switchboard/protocol"
)

// runMainEnv makes the test binary run main() instead of the tests, so a
// test can start the real command as a child process and signal it.
const runMainEnv = "SWITCHBOARD_TEST_RUN_MAIN"

func TestMain(m *testing.M) {
	// The tests' servers, the child processes as well, hash passwords with
	// a small argon2id memory: with the production parameters one hash
	// takes 0.3–0.4 s under -race, and each server hashes the demo
	// accounts' and a dummy one. The parameters have their own tests in
	// package auth.
	auth.DefaultParams = auth.MinParams
	if os.Getenv(runMainEnv) == "1" {
		main()
		return
	}
	os.Exit(m.Run())
}

// selfSignedCertCN writes a throw-away certificate for 127.0.0.1 with the
// common name cn and its key, and returns their paths and a pool that
// trusts it.
func selfSignedCertCN(t *testing.T, cn string) (certFile, keyFile string, pool *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: cn},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		IPAddresses:  []net.IP{net.IPv4(127, 0, 0, 1)},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	certFile, keyFile = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600)
	os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER}), 0o600)
	cert, _ := x509.ParseCertificate(der)
	pool = x509.NewCertPool()
	pool.AddCert(cert)
	return certFile, keyFile, pool
}

// TestServeTLS serves HTTPS and WSS from a throw-away certificate set in the
// config file: health, the release document and a WebSocket hello work
// over TLS, and plain HTTP on the same port does not.
func TestServeTLS(t *testing.T) {
	clearEnv(t)
	dir := t.TempDir()
	certFile, keyFile := filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	if code, out, errOut := cli(t, "", "gencert", "--hosts", "chat.test,127.0.0.1", "--cert", certFile, "--key", keyFile); code != 0 {
		t.Fatalf("gencert = %d %q %q", code, out, errOut)
	}
	if fi, err := os.Stat(keyFile); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("key file mode = %v (%v), want 0600", fi.Mode(), err)
	}
	if code, _, errOut := cli(t, "", "gencert", "--cert", certFile, "--key", filepath.Join(dir, "other.pem")); code == 0 || !strings.Contains(errOut, "exists") {
		t.Errorf("gencert over an existing file = %d %q, want a refusal", code, errOut)
	}
	pemBytes, _ := os.ReadFile(certFile)
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pemBytes) {
		t.Fatal("gencert wrote no PEM certificate")
	}
	cfg := writeConfig(t, `tls_cert = "`+certFile+`"
tls_key = "`+keyFile+`"
desktop_version = "0.2.0"
desktop_download_linux = "https://dl.example.com/switchboard_0.2.0_amd64.deb"
`)
	base, _, _, stop := startServeArgs(t, "--config", cfg, "--data", t.TempDir(), "--insecure-plaintext")
	defer stop()
	if !strings.HasPrefix(base, "https://") {
		t.Fatalf("listening at %s, want https", base)
	}
	tlsCfg := &tls.Config{RootCAs: pool}
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: tlsCfg}, Timeout: 10 * time.Second}
	resp, err := client.Get(base + "/healthz")
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /healthz over TLS: %v %v", resp, err)
	}
	resp.Body.Close()

	resp, err = client.Get(base + "/api/desktop/release")
	if err != nil {
		t.Fatal(err)
	}
	var rel struct {
		Version   string            `json:"version"`
		Downloads map[string]string `json:"downloads"`
	}
	json.NewDecoder(resp.Body).Decode(&rel)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || rel.Version != "0.2.0" || rel.Downloads["linux"] == "" || len(rel.Downloads) != 1 {
		t.Errorf("release over TLS = %d %+v, want 0.2.0 with the linux link only", resp.StatusCode, rel)
	}

	dialer := websocket.Dialer{TLSClientConfig: tlsCfg, HandshakeTimeout: 10 * time.Second}
	ws, _, err := dialer.Dial("wss"+strings.TrimPrefix(base, "https")+"/ws", nil)
	if err != nil {
		t.Fatalf("dial wss: %v", err)
	}
	defer ws.Close()
	vresp, err := client.Post(base+"/api/v1/visitor", "application/json", strings.NewReader(`{}`))
	if err != nil {
		t.Fatal(err)
	}
	var tok struct{ Token string }
	json.NewDecoder(vresp.Body).Decode(&tok)
	vresp.Body.Close()
	b, _ := protocol.Encode(protocol.TypeHello, "1", protocol.HelloData{Protocol: protocol.Version, Token: tok.Token})
	ws.WriteMessage(websocket.TextMessage, b)
	ws.SetReadDeadline(time.Now().Add(10 * time.Second))
	_, msg, err := ws.ReadMessage()
	var f protocol.Frame
	if err != nil || json.Unmarshal(msg, &f) != nil || f.Type != protocol.TypeWelcome {
		t.Errorf("hello over wss = %s %v, want welcome", msg, err)
	}

	if resp, err := http.Get("http" + strings.TrimPrefix(base, "https") + "/healthz"); err == nil {
		resp.Body.Close()
		if resp.StatusCode == http.StatusOK {
			t.Error("plain HTTP on the TLS port answered 200")
		}
	}

	// The container's probe follows the same config.
	if code, out, errOut := cli(t, "", "healthcheck", "--url", base); code != 0 || !strings.Contains(out, "ok") {
		t.Errorf("healthcheck --url %s = %d %q %q", base, code, out, errOut)
	}
}

// TestHealthcheck probes a running server by its config file and a stopped
// one: exit 0, then exit 1.
func TestHealthcheck(t *testing.T) {
	clearEnv(t)
	base, _, _, stop := startServeArgs(t, "--data", t.TempDir(), "--insecure-plaintext")
	cfg := writeConfig(t, `addr = "`+strings.TrimPrefix(base, "http://")+`"`+"\n")
	if code, out, errOut := cli(t, "", "healthcheck", "--config", cfg); code != 0 || !strings.Contains(out, "ok: "+base) {
		t.Errorf("healthcheck of a running server = %d %q %q", code, out, errOut)
	}
	stop()
	if code, _, errOut := cli(t, "", "healthcheck", "--config", cfg, "--timeout", "2s"); code != 1 || errOut == "" {
		t.Errorf("healthcheck of a stopped server = %d %q, want 1 with a reason", code, errOut)
	}
	if code, _, _ := cli(t, "", "healthcheck", "extra"); code != 2 {
		t.Errorf("healthcheck with an argument = %d, want 2", code)
	}
}

// TestBackupWhileServing backs up the database of a running server while a
// customer writes: the copy opens, and each conversation in it holds
// exactly the messages its last_seq says, gap-free. A restore and a second
// server are refused while the first runs; once it stops, restore works.
func TestBackupWhileServing(t *testing.T) {
	clearEnv(t)
	dir := t.TempDir()
	base, _, _, stop := startServeArgs(t, "--demo", "--data", dir, "--send-rate", "1000", "--send-burst", "1000")
	stopped := false
	defer func() {
		if !stopped {
			stop()
		}
	}()
	v := newVisitor(t, base)
	var wg sync.WaitGroup
	done := make(chan struct{})
	wg.Add(1)
	go func() { // keeps writing while the backup runs
		defer wg.Done()
		for {
			select {
			case <-done:
				return
			default:
			}
			b, _ := protocol.Encode(protocol.TypeSend, "", protocol.SendData{ConversationID: v.conv.ID, ClientMsgID: uuid.NewString(), Text: "note"})
			if v.ws.WriteMessage(websocket.TextMessage, b) != nil {
				return
			}
			time.Sleep(time.Millisecond)
		}
	}()
	backupFile := filepath.Join(t.TempDir(), "live.db")
	code, out, errOut := cli(t, "", "backup", "--data", dir, backupFile)
	close(done)
	wg.Wait()
	if code != 0 {
		t.Fatalf("backup while serving = %d %q %q", code, out, errOut)
	}

	if fi, err := os.Stat(backupFile); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("backup file mode = %v, %v; want 0600", fi.Mode().Perm(), err)
	}
	// The backup is sealed: it opens with the server's KEK.
	kek, err := seal.LoadKEKFile(filepath.Join(dir, demoKEKName))
	if err != nil {
		t.Fatal(err)
	}
	st, err := sqlite.Open(t.Context(), backupFile, sqlite.Options{KEK: kek})
	if err != nil {
		t.Fatalf("the backup does not open: %v", err)
	}
	conv, err := st.Conversation(t.Context(), v.conv.ID)
	if err != nil {
		t.Fatal(err)
	}
	msgs, err := st.Messages(t.Context(), store.MessageQuery{ConversationID: conv.ID, Limit: 100000})
	st.Close()
	if err != nil {
		t.Fatal(err)
	}
	if int64(len(msgs)) != conv.LastSeq {
		t.Errorf("backup: %d messages, last_seq %d", len(msgs), conv.LastSeq)
	}
	for i, m := range msgs {
		if m.Seq != int64(i+1) {
			t.Fatalf("backup: message %d has seq %d, want gap-free", i, m.Seq)
		}
	}

	if code, _, errOut := cli(t, "", "restore", "--data", dir, backupFile); code == 0 || !strings.Contains(errOut, "running server") {
		t.Errorf("restore while serving = %d %q, want a refusal naming the running server", code, errOut)
	}
	if code, _, errOut := cli(t, "", "serve", "--data", dir, "--addr", "127.0.0.1:0"); code == 0 || !strings.Contains(errOut, "running server") {
		t.Errorf("a second serve on the data directory = %d %q, want a refusal", code, errOut)
	}
	stop()
	stopped = true
	if code, out, errOut := cli(t, "", "restore", "--data", dir, backupFile); code != 0 || !strings.Contains(out, "restored") {
		t.Errorf("restore after the server stopped = %d %q %q", code, out, errOut)
	}
}

// TestSIGTERM runs the real command as a child process, connects a
// customer and sends SIGTERM: the customer is told to reconnect (4000), the
// process exits 0 after logging "stopped", every log line is JSON, and the
// database was closed cleanly (SQLite removes the WAL file on the last
// clean close).
func TestSIGTERM(t *testing.T) {
	clearEnv(t)
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	cmd := exec.Command(self, "serve", "--demo", "--addr", "127.0.0.1:0", "--data", dir)
	cmd.Env = append(os.Environ(), runMainEnv+"=1")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	kill := time.AfterFunc(60*time.Second, func() { cmd.Process.Kill() }) // never hang the suite
	defer kill.Stop()

	lines := make(chan string, 100)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
		exited <- cmd.Wait()
	}()
	var log []string
	var base string
	for base == "" {
		line, ok := <-lines
		if !ok {
			t.Fatalf("the server exited before listening:\n%s", strings.Join(log, "\n"))
		}
		log = append(log, line)
		if m := logURL.FindStringSubmatch(line); m != nil {
			base = m[1]
		}
	}

	v := newVisitor(t, base)
	v.ask("hello")
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	v.ws.SetReadDeadline(time.Now().Add(30 * time.Second))
	for {
		_, _, err := v.ws.ReadMessage()
		if err == nil {
			continue
		}
		var ce *websocket.CloseError
		if !errors.As(err, &ce) || ce.Code != protocol.CloseShutdown {
			t.Errorf("the customer's connection ended with %v, want close %d", err, protocol.CloseShutdown)
		}
		break
	}
	for line := range lines {
		log = append(log, line)
	}
	if err := <-exited; err != nil {
		t.Fatalf("the server exited with %v:\n%s", err, strings.Join(log, "\n"))
	}
	for _, line := range log {
		var rec map[string]any
		if err := json.Unmarshal([]byte(line), &rec); err != nil || rec["msg"] == nil || rec["level"] == nil {
			t.Errorf("log line is not a JSON record: %q", line)
		}
	}
	if last := log[len(log)-1]; !strings.Contains(last, `"msg":"stopped"`) {
		t.Errorf("last log line = %q, want stopped", last)
	}
	if _, err := os.Stat(filepath.Join(dir, dbName+"-wal")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the WAL file is still there (%v): the database was not closed cleanly\n%s", err, strings.Join(log, "\n"))
	}
	release, err := lockData(dir)
	if err != nil {
		t.Fatalf("the data directory is still locked: %v", err)
	}
	release()
	_ = context.Background
}

// TestServeTLSReload replaces the certificate files of a running server:
// the next handshake presents the new certificate; a broken replacement is
// logged and the last good one kept.
func TestServeTLSReload(t *testing.T) {
	clearEnv(t)
	certFile, keyFile, _ := selfSignedCertCN(t, "first")
	base, log, _, stop := startServeArgs(t, "--tls-cert", certFile, "--tls-key", keyFile, "--data", t.TempDir(), "--insecure-plaintext")
	defer stop()
	addr := strings.TrimPrefix(base, "https://")
	presented := func() string {
		t.Helper()
		// The test checks which certificate is presented, not whether it
		// is trusted.
		conn, err := tls.Dial("tcp", addr, &tls.Config{InsecureSkipVerify: true})
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		return conn.ConnectionState().PeerCertificates[0].Subject.CommonName
	}
	if cn := presented(); cn != "first" {
		t.Fatalf("presented %q, want first", cn)
	}
	// A renewal writes new files; their times move on.
	newCert, newKey, _ := selfSignedCertCN(t, "second")
	later := time.Now().Add(time.Hour)
	for from, to := range map[string]string{newCert: certFile, newKey: keyFile} {
		b, _ := os.ReadFile(from)
		if err := os.WriteFile(to, b, 0o600); err != nil {
			t.Fatal(err)
		}
		os.Chtimes(to, later, later)
	}
	if cn := presented(); cn != "second" {
		t.Errorf("after the renewal presented %q, want second", cn)
	}
	os.WriteFile(certFile, []byte("not a certificate"), 0o600)
	later = later.Add(time.Hour)
	os.Chtimes(certFile, later, later)
	if cn := presented(); cn != "second" {
		t.Errorf("after a broken renewal presented %q, want second still", cn)
	}
	waitFor(t, log, `"msg":"reload TLS certificate"`)
}
