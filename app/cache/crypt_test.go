package cache_test

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"switchboard/app/cache"
	"switchboard/protocol"
)

// TestEncryptedAtRest writes everything the cache keeps with words that
// must not appear in the files, and reads the files' bytes.
func TestEncryptedAtRest(t *testing.T) {
	ctx := context.Background()
	c, path := open(t)
	const secret, secretZH = "Zebrasecret", "退款密码"
	conv := protocol.Conversation{ID: "c1", State: protocol.StateActive, Epoch: 1, UpdatedAt: 1,
		LastText: secret, Ext: map[string]string{"order": secret}}
	if _, _, err := c.PutConversation(ctx, conv); err != nil {
		t.Fatal(err)
	}
	m := msg("c1", 1, "")
	m.Text = secret + " " + secretZH
	m.Ext = map[string]string{"ticket": secret}
	m2 := msg("c1", 2, "")
	m2.Kind = protocol.KindFile
	m2.Attachment = &protocol.Attachment{ID: "f1", Name: secret + ".pdf", MIME: "application/pdf", Size: 3}
	if _, err := c.PutMessages(ctx, []protocol.Message{m, m2}); err != nil {
		t.Fatal(err)
	}
	if err := c.AddOutbox(ctx, cache.OutboxItem{ClientMsgID: "o1", ConversationID: "c1", Text: secret, CreatedAt: 5,
		Kind: protocol.KindCard, Card: &protocol.Card{Type: "product", Version: 1, Fallback: secretZH}}); err != nil {
		t.Fatal(err)
	}
	if err := c.PutUpload(ctx, cache.Upload{ID: "u1", ConversationID: "c1", Path: "/home/x/" + secret + ".png",
		Name: secret + ".png", MIME: "image/png", Size: 9}); err != nil {
		t.Fatal(err)
	}
	// The cache reads it all back.
	if hits, err := c.Search(ctx, "zebra", 10); err != nil || len(hits) != 2 {
		t.Fatalf("search = %d hits, %v", len(hits), err)
	}
	c.Close()

	var all []byte
	for _, p := range []string{path, path + "-wal"} {
		b, err := os.ReadFile(p)
		if err != nil && !errors.Is(err, os.ErrNotExist) {
			t.Fatal(err)
		}
		all = append(all, b...)
	}
	if len(all) == 0 {
		t.Fatal("no cache file")
	}
	for _, word := range []string{secret, secretZH, "zebra"} {
		if bytes.Contains(bytes.ToLower(all), bytes.ToLower([]byte(word))) {
			t.Errorf("%q is in the cache files in the clear", word)
		}
	}

	// Another key opens nothing.
	if _, err := cache.Open(ctx, path, cache.NewKey()); !errors.Is(err, cache.ErrWrongKey) {
		t.Fatalf("open with another key: %v, want ErrWrongKey", err)
	}
	if _, err := cache.Open(ctx, path, []byte("short")); err == nil {
		t.Fatal("open with a short key succeeded")
	}
	// The right key opens it all again.
	c2, err := cache.Open(ctx, path, testKey)
	if err != nil {
		t.Fatal(err)
	}
	defer c2.Close()
	out, err := c2.Outbox(ctx, "")
	if err != nil || len(out) != 1 || out[0].Text != secret || out[0].Card == nil || out[0].Card.Fallback != secretZH {
		t.Fatalf("outbox = %+v, %v", out, err)
	}
	ups, err := c2.Uploads(ctx)
	if err != nil || len(ups) != 1 || ups[0].Name != secret+".png" || ups[0].Path != "/home/x/"+secret+".png" {
		t.Fatalf("uploads = %+v, %v", ups, err)
	}
	if got, ok, err := c2.Conversation(ctx, "c1"); err != nil || !ok || got.Ext["order"] != secret {
		t.Fatalf("conversation = %+v, %v, %v", got, ok, err)
	}
	if err := cache.Remove(path); err != nil {
		t.Fatal(err)
	}
}

// TestSealedRowsAreBound moves a sealed message body into another row: it
// must not open there.
func TestSealedRowsAreBound(t *testing.T) {
	ctx := context.Background()
	c, path := open(t)
	a, b := msg("c1", 1, ""), msg("c1", 2, "")
	a.Text, b.Text = "first", "second"
	if _, err := c.PutMessages(ctx, []protocol.Message{a, b}); err != nil {
		t.Fatal(err)
	}
	c.Close()
	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`UPDATE messages SET body = (SELECT body FROM messages WHERE seq = 1) WHERE seq = 2`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	c2, err := cache.Open(ctx, path, testKey)
	if err != nil {
		t.Fatal(err)
	}
	defer c2.Close()
	if _, err := c2.Messages(ctx, "c1"); err == nil {
		t.Fatal("a body copied into another row opened")
	}
}

// TestPlainCacheIsEncrypted opens a cache of the last unencrypted version:
// its unsent messages and uploads are kept, now sealed.
func TestPlainCacheIsEncrypted(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "v2.db")
	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		`CREATE TABLE conversations (id TEXT PRIMARY KEY, state TEXT NOT NULL, team TEXT NOT NULL DEFAULT '', assignee_id TEXT NOT NULL DEFAULT '', epoch INTEGER NOT NULL DEFAULT 0, created_at INTEGER NOT NULL DEFAULT 0, updated_at INTEGER NOT NULL DEFAULT 0, body TEXT NOT NULL)`,
		`INSERT INTO conversations VALUES ('c1', 'active', '', '', 1, 0, 0, '{"id":"c1","last_text":"Plainsecret"}')`,
		`CREATE TABLE outbox (client_msg_id TEXT PRIMARY KEY, conversation_id TEXT NOT NULL, text TEXT NOT NULL, created_at INTEGER NOT NULL, kind TEXT NOT NULL DEFAULT 'text', attachment TEXT NOT NULL DEFAULT '', card TEXT NOT NULL DEFAULT '')`,
		`INSERT INTO outbox VALUES ('m1', 'c1', 'Plainsecret unsent', 1, 'file', '{"id":"f1","name":"a.pdf"}', '')`,
		`CREATE TABLE uploads (id TEXT PRIMARY KEY, conversation_id TEXT NOT NULL, path TEXT NOT NULL, name TEXT NOT NULL, mime TEXT NOT NULL, size INTEGER NOT NULL, url TEXT NOT NULL DEFAULT '', sent_bytes INTEGER NOT NULL DEFAULT 0, temp INTEGER NOT NULL DEFAULT 0, created_at INTEGER NOT NULL)`,
		`INSERT INTO uploads VALUES ('u1', 'c1', '/tmp/Plainsecret.png', 'Plainsecret.png', 'image/png', 5, 'http://x/u', 2, 0, 1)`,
		`PRAGMA user_version = 2`,
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	db.Close()
	c, err := cache.Open(ctx, path, testKey)
	if err != nil {
		t.Fatal(err)
	}
	out, err := c.Outbox(ctx, "")
	if err != nil || len(out) != 1 || out[0].Text != "Plainsecret unsent" || out[0].Attachment == nil || out[0].Attachment.Name != "a.pdf" {
		t.Fatalf("outbox = %+v, %v", out, err)
	}
	ups, err := c.Uploads(ctx)
	if err != nil || len(ups) != 1 || ups[0].Path != "/tmp/Plainsecret.png" || ups[0].Offset != 2 {
		t.Fatalf("uploads = %+v, %v", ups, err)
	}
	if _, ok, _ := c.Conversation(ctx, "c1"); ok {
		t.Fatal("the plain conversation was kept; it is fetched again")
	}
	c.Close()
	// Not only are the plain rows gone from the tables: secure_delete
	// zeroed them in the files too.
	b, _ := os.ReadFile(path)
	w, _ := os.ReadFile(path + "-wal")
	if bytes.Contains(append(b, w...), []byte("Plainsecret")) {
		t.Fatal("the plain text survived in the cache files")
	}
}
