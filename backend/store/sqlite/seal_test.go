package sqlite

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/uuid"

	"switchboard/backend/conversation"
	"switchboard/backend/seal"
	"switchboard/backend/store"
	"switchboard/backend/store/storetest"
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

func TestConformanceEncrypted(t *testing.T) {
	if testing.Short() {
		t.Skip("the whole suite again, sealed: make test runs it, make check (-short) runs it plain only")
	}
	storetest.Run(t, func(t *testing.T) store.Store {
		s, err := Open(context.Background(), filepath.Join(t.TempDir(), "test.db"), Options{KEK: testKEK(t, 1)})
		if err != nil {
			t.Fatalf("Open: %v", err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	})
}

// The words the at-rest tests write into every sealed place and then look
// for in the files' raw bytes.
var secretWords = []string{
	"Zebrasecret", "退款密码", "Okapinote", "Quokkaext", "Narwhalpacket", "Axolotlreason",
	"Pangolincard", "Wombatfile", "Ibexmessageext", "Dugongtoken", "Gnuverified",
}

// fillSecrets writes each secret word into the store: message text, card,
// attachment name, event reason, message and conversation ext, an internal
// note, a customer note, the handoff packet, a rating comment, a file name
// and a setting (rating comments are sealed alike). It returns the conversation.
func fillSecrets(t *testing.T, s *Store) store.Conversation {
	t.Helper()
	ctx := t.Context()
	cust, err := s.UpsertCustomer(ctx, store.Customer{ID: "cust-1", Verified: map[string]string{"user_id": "Gnuverified"}})
	if err != nil {
		t.Fatal(err)
	}
	conv, _, err := s.CreateConversation(ctx, store.NewConversation{CustomerID: cust.ID, Channel: "web",
		Ext: map[string]string{"order": "Quokkaext"},
		Opened: store.NewMessage{ClientMsgID: uuid.NewString(), SenderRole: protocol.RoleSystem, Kind: protocol.KindEvent,
			Visibility: protocol.VisibilityPublic, Event: &store.Event{Type: protocol.EventOpened}}})
	if err != nil {
		t.Fatal(err)
	}
	send := func(m store.NewMessage) {
		t.Helper()
		m.ConversationID, m.ClientMsgID = conv.ID, uuid.NewString()
		if m.SenderRole == "" {
			m.SenderRole, m.SenderID = protocol.RoleCustomer, cust.ID
		}
		if m.Visibility == "" {
			m.Visibility = protocol.VisibilityPublic
		}
		if _, err := s.AppendMessage(ctx, m); err != nil {
			t.Fatal(err)
		}
	}
	send(store.NewMessage{Kind: protocol.KindText, Text: "my Zebrasecret is 退款密码", Ext: map[string]string{"k": "Ibexmessageext"}})
	send(store.NewMessage{Kind: protocol.KindText, Text: "Okapinote", Visibility: protocol.VisibilityInternal,
		SenderRole: protocol.RoleAgent, SenderID: "a1"})
	send(store.NewMessage{Kind: protocol.KindCard, Card: &store.Card{Type: "product", Version: 1,
		Data: []byte(`{"title":"Pangolincard"}`), Fallback: "Pangolincard"}})
	send(store.NewMessage{Kind: protocol.KindFile, Attachment: &store.Attachment{ID: "f1", Name: "Wombatfile.pdf",
		MIME: "application/pdf", Size: 3}})
	if err := s.CreateFile(ctx, store.File{ID: "f1", ConversationID: conv.ID, UploaderID: cust.ID,
		UploaderRole: protocol.RoleCustomer, Name: "Wombatfile.pdf", Size: 3, MIME: "application/pdf",
		SHA256: strings.Repeat("ab", 32), State: store.FileReady}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.MergeExt(ctx, conv.ID, map[string]string{"more": "Quokkaext"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SetVerified(ctx, conv.ID, map[string]string{"order": "Gnuverified"}); err != nil {
		t.Fatal(err)
	}
	reason, packet := "Axolotlreason", `{"summary":"Narwhalpacket"}`
	if _, _, err := s.ChangeState(ctx, store.StateChange{ConversationID: conv.ID, Event: conversation.Handoff,
		HandoffReason: &reason, Packet: &packet, Actor: "bot",
		Message: store.NewMessage{ClientMsgID: uuid.NewString(), SenderRole: protocol.RoleSystem, Kind: protocol.KindEvent,
			Visibility: protocol.VisibilityPublic, Event: &store.Event{Type: protocol.EventHandoff, Reason: "Axolotlreason"}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddCustomerNote(ctx, store.CustomerNote{CustomerID: cust.ID, ConversationID: conv.ID,
		AuthorID: "a1", Text: "Okapinote about them"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.EnsureSetting(ctx, "token_secret", "Dugongtoken"); err != nil {
		t.Fatal(err)
	}
	return conv
}

// checkSecretsRead reads everything fillSecrets wrote back through the
// store.
func checkSecretsRead(t *testing.T, s *Store, convID string) {
	t.Helper()
	ctx := t.Context()
	conv, err := s.Conversation(ctx, convID)
	if err != nil {
		t.Fatalf("Conversation: %v", err)
	}
	if conv.Verified["order"] != "Gnuverified" {
		t.Errorf("conversation verified read back = %v", conv.Verified)
	}
	if c, err := s.Customer(ctx, conv.CustomerID); err != nil || c.Verified["user_id"] != "Gnuverified" {
		t.Errorf("customer read back = %+v, %v", c, err)
	}
	if conv.Ext["order"] != "Quokkaext" || conv.HandoffReason != "Axolotlreason" || !strings.Contains(conv.Packet, "Narwhalpacket") {
		t.Errorf("conversation read back = ext %v reason %q packet %q", conv.Ext, conv.HandoffReason, conv.Packet)
	}
	msgs, err := s.Messages(ctx, store.MessageQuery{ConversationID: convID})
	if err != nil {
		t.Fatalf("Messages: %v", err)
	}
	var all strings.Builder
	for _, m := range msgs {
		all.WriteString(m.Text)
		for _, v := range m.Ext {
			all.WriteString(v)
		}
		if m.Card != nil {
			all.WriteString(m.Card.Fallback)
		}
		if m.Attachment != nil {
			all.WriteString(m.Attachment.Name)
		}
		if m.Event != nil {
			all.WriteString(m.Event.Reason)
		}
	}
	for _, w := range []string{"Zebrasecret", "退款密码", "Ibexmessageext", "Okapinote", "Pangolincard", "Wombatfile", "Axolotlreason"} {
		if !strings.Contains(all.String(), w) {
			t.Errorf("messages read back lack %q", w)
		}
	}
	if f, err := s.File(ctx, "f1"); err != nil || f.Name != "Wombatfile.pdf" {
		t.Errorf("File = %+v, %v", f, err)
	}
	if notes, err := s.CustomerNotes(ctx, conv.CustomerID, 10); err != nil || len(notes) != 1 || notes[0].Text != "Okapinote about them" {
		t.Errorf("CustomerNotes = %+v, %v", notes, err)
	}
	if v, err := s.EnsureSetting(ctx, "token_secret", "other"); err != nil || v != "Dugongtoken" {
		t.Errorf("EnsureSetting = %q, %v", v, err)
	}
}

// rawFiles returns the bytes of the database, its WAL and its SHM.
func rawFiles(t *testing.T, path string) []byte {
	t.Helper()
	var all []byte
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		b, err := os.ReadFile(p)
		if err != nil && !errors.Is(err, os.ErrNotExist) {
			t.Fatal(err)
		}
		all = append(all, b...)
	}
	return all
}

func findSecrets(raw []byte) []string {
	var found []string
	for _, w := range secretWords {
		if bytes.Contains(raw, []byte(w)) {
			found = append(found, w)
		}
	}
	return found
}

// TestEncryptedAtRest writes secret words everywhere people write and
// reads the raw database, WAL and SHM bytes, while the store is open (the
// data sits in the WAL), after it closed, and of a backup.
func TestEncryptedAtRest(t *testing.T) {
	path := filepath.Join(t.TempDir(), "switchboard.db")
	s, err := Open(t.Context(), path, Options{KEK: testKEK(t, 1)})
	if err != nil {
		t.Fatal(err)
	}
	conv := fillSecrets(t, s)
	checkSecretsRead(t, s, conv.ID)
	if found := findSecrets(rawFiles(t, path)); len(found) > 0 {
		t.Errorf("the open database's files hold %q", found)
	}
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		if fi, err := os.Stat(p); err != nil || fi.Mode().Perm() != 0o600 {
			t.Errorf("%s: mode %v, %v; want 0600", filepath.Base(p), fi.Mode().Perm(), err)
		}
	}
	// A backup is the sealed database: it holds no word either, and opens
	// with the KEK only.
	backup := filepath.Join(t.TempDir(), "backup.db")
	if err := s.Backup(t.Context(), backup); err != nil {
		t.Fatal(err)
	}
	if found := findSecrets(rawFiles(t, backup)); len(found) > 0 {
		t.Errorf("the backup holds %q", found)
	}
	s.Close()
	if found := findSecrets(rawFiles(t, path)); len(found) > 0 {
		t.Errorf("the closed database's files hold %q", found)
	}
	if _, err := Open(t.Context(), backup, Options{KEK: testKEK(t, 2)}); !errors.Is(err, seal.ErrWrongKEK) {
		t.Errorf("open the backup with another KEK = %v, want ErrWrongKEK", err)
	}
	b, err := Open(t.Context(), backup, Options{KEK: testKEK(t, 1)})
	if err != nil {
		t.Fatal(err)
	}
	checkSecretsRead(t, b, conv.ID)
	b.Close()
	// The same database without the words sealed: the test would see them.
	plainPath := filepath.Join(t.TempDir(), "plain.db")
	p, err := Open(t.Context(), plainPath, Options{})
	if err != nil {
		t.Fatal(err)
	}
	fillSecrets(t, p)
	p.Close()
	if found := findSecrets(rawFiles(t, plainPath)); len(found) != len(secretWords) {
		t.Errorf("a plaintext database holds only %q of the words: the test does not see what it checks", found)
	}
}

// TestWrongKEK checks that a database opens only with the KEK that wrapped
// its data keys, and that without any KEK it opens locked.
func TestWrongKEK(t *testing.T) {
	path := filepath.Join(t.TempDir(), "switchboard.db")
	s, err := Open(t.Context(), path, Options{KEK: testKEK(t, 1)})
	if err != nil {
		t.Fatal(err)
	}
	conv := fillSecrets(t, s)
	s.Close()
	if _, err := Open(t.Context(), path, Options{KEK: testKEK(t, 2)}); !errors.Is(err, seal.ErrWrongKEK) {
		t.Fatalf("Open with another KEK = %v, want ErrWrongKEK", err)
	}
	l, err := Open(t.Context(), path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	if !l.Locked() {
		t.Error("an encrypted database opened without a KEK is not locked")
	}
	if _, err := l.Messages(t.Context(), store.MessageQuery{ConversationID: conv.ID}); !errors.Is(err, ErrLocked) {
		t.Errorf("Messages of a locked store = %v, want ErrLocked", err)
	}
	if _, err := l.AppendMessage(t.Context(), store.NewMessage{ConversationID: conv.ID, ClientMsgID: uuid.NewString(),
		SenderRole: protocol.RoleCustomer, Kind: protocol.KindText, Visibility: protocol.VisibilityPublic, Text: "plain"}); err == nil {
		t.Error("a locked store appended a message in plaintext")
	}
}

// TestPlaintextDatabaseIsSealed opens a database written without
// encryption with a KEK: it reads on, and the reseal job seals it all.
func TestPlaintextDatabaseIsSealed(t *testing.T) {
	path := filepath.Join(t.TempDir(), "switchboard.db")
	p, err := Open(t.Context(), path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	conv := fillSecrets(t, p)
	p.Close()
	s, err := Open(t.Context(), path, Options{KEK: testKEK(t, 1)})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	checkSecretsRead(t, s, conv.ID)
	st, err := s.KeyStatus(t.Context())
	if err != nil || len(st) != 2 || st[0].ID != 0 || st[0].Rows == 0 {
		t.Fatalf("KeyStatus before reseal = %+v, %v; want plaintext rows and key 1", st, err)
	}
	resealAll(t, s)
	st, _ = s.KeyStatus(t.Context())
	if len(st) != 1 || st[0].ID != 1 || st[0].Rows == 0 {
		t.Errorf("KeyStatus after reseal = %+v; want every row on key 1", st)
	}
	checkSecretsRead(t, s, conv.ID)
	// secure_delete overwrites what the reseal replaced: once the WAL is
	// checkpointed no plaintext is left, not even in free pages.
	if _, err := s.w.ExecContext(t.Context(), `PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
		t.Fatal(err)
	}
	if found := findSecrets(rawFiles(t, path)); len(found) > 0 {
		t.Errorf("after reseal and a checkpoint the files hold %q", found)
	}
}

func resealAll(t *testing.T, s *Store) {
	t.Helper()
	for i := 0; ; i++ {
		n, err := s.Reseal(t.Context(), 3)
		if err != nil {
			t.Fatalf("Reseal: %v", err)
		}
		if n == 0 {
			return
		}
		if i > 1000 {
			t.Fatal("Reseal does not finish")
		}
	}
}

// TestRotate rotates the data key: old values read on, new ones use the
// new key, and the reseal job leaves no row on the old one.
func TestRotate(t *testing.T) {
	path := filepath.Join(t.TempDir(), "switchboard.db")
	s, err := Open(t.Context(), path, Options{KEK: testKEK(t, 1)})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	conv := fillSecrets(t, s)
	id, err := s.RotateKey(t.Context())
	if err != nil || id != 2 {
		t.Fatalf("RotateKey = %d, %v; want 2", id, err)
	}
	checkSecretsRead(t, s, conv.ID)
	if _, err := s.AppendMessage(t.Context(), store.NewMessage{ConversationID: conv.ID, ClientMsgID: uuid.NewString(),
		SenderRole: protocol.RoleAgent, SenderID: "a1", Kind: protocol.KindText, Visibility: protocol.VisibilityPublic, Text: "new"}); err != nil {
		t.Fatal(err)
	}
	var sealed []byte
	if err := s.r.QueryRowContext(t.Context(), `SELECT text FROM messages WHERE conversation_id = ? ORDER BY seq DESC LIMIT 1`, conv.ID).Scan(&sealed); err != nil {
		t.Fatal(err)
	}
	if k, err := seal.KeyID(sealed); k != 2 || err != nil {
		t.Errorf("a message after rotation is sealed with key %d, %v; want 2", k, err)
	}
	st, _ := s.KeyStatus(t.Context())
	if len(st) != 2 || st[0].Rows == 0 || !st[1].Current {
		t.Fatalf("KeyStatus after rotate = %+v", st)
	}
	resealAll(t, s)
	st, _ = s.KeyStatus(t.Context())
	if len(st) != 2 || st[0].ID != 1 || st[0].Rows != 0 || st[1].Rows == 0 {
		t.Errorf("KeyStatus after reseal = %+v; want no row on key 1", st)
	}
	checkSecretsRead(t, s, conv.ID)
	// Another process rotates (switchboard-server keys rotate); this store
	// picks the key up.
	o, err := Open(t.Context(), path, Options{KEK: testKEK(t, 1)})
	if err != nil {
		t.Fatal(err)
	}
	if id, err := o.RotateKey(t.Context()); err != nil || id != 3 {
		t.Fatalf("RotateKey in another store = %d, %v", id, err)
	}
	o.Close()
	if err := s.RefreshKeys(t.Context()); err != nil || s.keys.Current() != 3 {
		t.Errorf("after RefreshKeys the current key is %d, %v; want 3", s.keys.Current(), err)
	}
}

// TestMovedValueDoesNotOpen copies a sealed message text to another row:
// reading it fails instead of showing one message's text as another's.
func TestMovedValueDoesNotOpen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "switchboard.db")
	s, err := Open(t.Context(), path, Options{KEK: testKEK(t, 1)})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	conv := fillSecrets(t, s)
	if _, err := s.w.ExecContext(t.Context(), `UPDATE messages SET text = (SELECT text FROM messages WHERE conversation_id = ?1 AND seq = 2)
		WHERE conversation_id = ?1 AND seq = 3`, conv.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Messages(t.Context(), store.MessageQuery{ConversationID: conv.ID}); !errors.Is(err, seal.ErrOpen) {
		t.Errorf("Messages with a moved value = %v, want ErrOpen", err)
	}
	if _, err := s.w.ExecContext(t.Context(), `UPDATE settings SET v = (SELECT ext FROM conversations WHERE id = ?)`, conv.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.EnsureSetting(t.Context(), "token_secret", "x"); !errors.Is(err, seal.ErrOpen) {
		t.Errorf("EnsureSetting with a moved value = %v, want ErrOpen", err)
	}
}
