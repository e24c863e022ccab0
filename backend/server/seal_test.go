package server

import (
	"bytes"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"switchboard/backend/seal"
	"switchboard/backend/store/sqlite"
	"switchboard/protocol"
)

func testKEK(t *testing.T, b byte) seal.KEK {
	t.Helper()
	k, err := seal.NewLocalKEK(bytes.Repeat([]byte{b}, seal.KeySize), "test")
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// dataHolds lists the words found in any file under dir, and the files
// whose mode lets others than the owner in.
func dataHolds(t *testing.T, dir string, words []string) (found, open []string) {
	t.Helper()
	seen := map[string]bool{}
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		fi, _ := d.Info()
		if fi != nil && fi.Mode().Perm()&0o077 != 0 && d.Name() != "kb.json" {
			open = append(open, p)
		}
		if d.IsDir() {
			return nil
		}
		raw, _ := os.ReadFile(p)
		for _, w := range words {
			if !seen[w] && bytes.Contains(raw, []byte(w)) {
				seen[w] = true
				found = append(found, w+" in "+strings.TrimPrefix(p, dir))
			}
		}
		return nil
	})
	return found, open
}

// TestDataEncryptedAtRest runs a conversation with distinctive words in
// messages, an internal note, a customer note, ext values and an uploaded
// file with its thumbnail, then reads every file under the data directory:
// none holds a word, none is open to others. It also runs the same with
// encryption off, to show the test sees the words when they are there.
func TestDataEncryptedAtRest(t *testing.T) {
	words := []string{"Zebrasecret", "退款密码", "Okapinote", "Quokkaext", "Wombatcaption", "Wombatfile", "Pangolinbody"}
	run := func(t *testing.T, kek seal.KEK) (string, *env) {
		e := startEnvKEK(t, Config{DataDir: t.TempDir(), Demo: true, Bot: fakeBot, Identity: testIdentity(t), Routing: RoutingPick}, kek)
		cust, alice, custToken, _, conv := chatting(t, e)
		cust.sendText(conv.ID, "my Zebrasecret is 退款密码")
		alice.decode(alice.request(protocol.TypeSend, protocol.SendData{ConversationID: conv.ID, ClientMsgID: uuid.NewString(),
			Text: "Okapinote internal", Visibility: protocol.VisibilityInternal}), protocol.TypeAck, new(protocol.AckData))
		alice.note(conv.ID, "Okapinote about the customer")
		cust.open(map[string]string{"order": "Quokkaext"})
		pdf := []byte("%PDF-1.4\nPangolinbody " + strings.Repeat("x", 100))
		id, perr := e.tus(custToken).upload(conv.ID, "Wombatfile.pdf", "application/pdf", pdf)
		if perr != nil {
			t.Fatal(perr)
		}
		img := testPNG(t, 64, 64)
		imgID, perr := e.tus(custToken).upload(conv.ID, "Wombatfile.png", "image/png", img)
		if perr != nil {
			t.Fatal(perr)
		}
		cust.decode(cust.request(protocol.TypeSend, protocol.SendData{ConversationID: conv.ID, ClientMsgID: uuid.NewString(),
			Kind: protocol.KindFile, AttachmentID: id, Text: "Wombatcaption"}), protocol.TypeAck, new(protocol.AckData))
		token := e.login("alice").Token
		if code, _, body := e.get("/api/v1/files/"+id, token, nil); code != http.StatusOK || !bytes.Equal(body, pdf) {
			t.Fatalf("download = %d, %d bytes; want the file", code, len(body))
		}
		if code, _, body := e.get("/api/v1/files/"+imgID+"/thumb", token, nil); code != http.StatusOK || len(body) == 0 {
			t.Fatalf("thumbnail = %d", code)
		}
		return e.cfg.DataDir, e
	}
	t.Run("encrypted", func(t *testing.T) {
		dir, e := run(t, testKEK(t, 1))
		found, open := dataHolds(t, dir, words)
		if len(found) > 0 {
			t.Errorf("the data directory of a running server holds %q", found)
		}
		if len(open) > 0 {
			t.Errorf("files open to others: %q", open)
		}
		e.stop()
		if found, _ := dataHolds(t, dir, words); len(found) > 0 {
			t.Errorf("the data directory of a stopped server holds %q", found)
		}
	})
	t.Run("plaintext", func(t *testing.T) {
		dir, e := run(t, nil)
		e.stop()
		if found, _ := dataHolds(t, dir, words); len(found) < 4 {
			t.Errorf("a plaintext data directory holds only %q: the check does not see what it looks for", found)
		}
	})
}

// TestStartRefusesWithoutKEK checks that a server does not start on an
// encrypted database without the KEK, nor with another one.
func TestStartRefusesWithoutKEK(t *testing.T) {
	dir := t.TempDir()
	e := startEnvKEK(t, Config{DataDir: dir, Demo: true, Bot: fakeBot}, testKEK(t, 1))
	e.stop()
	for _, kek := range []seal.KEK{nil, testKEK(t, 2)} {
		// The wrong key fails at the opening; none opens the store
		// locked, and New refuses it.
		st, err := openTestStore(t, dir, kek)
		var srv *Server
		if err == nil {
			srv, err = New(Config{DataDir: dir, Store: st})
			if err == nil {
				srv.Shutdown(t.Context())
			}
			st.Close()
		}
		if err == nil {
			t.Fatalf("New with KEK %v on an encrypted database succeeded", kek)
		}
		if !strings.Contains(err.Error(), "key-encryption key") {
			t.Errorf("New with KEK %v = %v, want an error naming the key-encryption key", kek, err)
		}
	}
}

// TestResealJob opens a plaintext data directory with a KEK: the server
// reads it, and its reseal job seals every row and file.
func TestResealJob(t *testing.T) {
	dir := t.TempDir()
	e := startEnv(t, Config{DataDir: dir, Demo: true, Bot: fakeBot, Routing: RoutingPick})
	cust, _, custToken, _, conv := chatting(t, e)
	cust.sendText(conv.ID, "Zebrasecret")
	if _, perr := e.tus(custToken).upload(conv.ID, "Wombatfile.pdf", "application/pdf", []byte("%PDF-1.4\nPangolinbody")); perr != nil {
		t.Fatal(perr)
	}
	e.stop()
	e = startEnvKEK(t, Config{DataDir: dir, Demo: true, Bot: fakeBot, Routing: RoutingPick, ResealPoll: time.Hour}, testKEK(t, 1))
	// The job's first pass runs at the start; this one waits for it (the
	// store and the blobs reseal one pass at a time) and finishes what is
	// left, if anything.
	e.srv.resealPass(t.Context())
	st, err := e.srv.resealer.(*sqlite.Store).KeyStatus(t.Context())
	if err != nil || len(st) != 1 || st[0].ID != 1 {
		t.Errorf("KeyStatus = %+v, %v; want every row on key 1", st, err)
	}
	alice, _ := e.agent("alice")
	h := alice.sync(conv.ID, 0)
	if !strings.Contains(func() string {
		var b strings.Builder
		for _, m := range h.Messages {
			b.WriteString(m.Text)
		}
		return b.String()
	}(), "Zebrasecret") {
		t.Error("history after reseal lacks the message")
	}
	if found, _ := dataHolds(t, filepath.Join(dir, "files"), []string{"Pangolinbody"}); len(found) > 0 {
		t.Errorf("files after reseal hold %q", found)
	}
}
