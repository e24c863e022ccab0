package cache_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"

	"switchboard/app/cache"
	"switchboard/protocol"
)

func TestUploadFinishesIntoOutbox(t *testing.T) {
	ctx := context.Background()
	c, _ := open(t)
	up := cache.Upload{ID: "u1", ConversationID: "c1", Path: "/tmp/a.png", Name: "a.png", MIME: "image/png", Size: 10, CreatedAt: 1}
	if err := c.PutUpload(ctx, up); err != nil {
		t.Fatal(err)
	}
	if err := c.SetUploadProgress(ctx, "u1", "http://x/api/v1/uploads/f1", 4); err != nil {
		t.Fatal(err)
	}
	ups, err := c.Uploads(ctx)
	if err != nil || len(ups) != 1 || ups[0].Offset != 4 || ups[0].URL == "" {
		t.Fatalf("Uploads = %+v, %v", ups, err)
	}
	it := cache.OutboxItem{ClientMsgID: "m1", ConversationID: "c1", CreatedAt: 2, Kind: protocol.KindImage,
		Attachment: &protocol.Attachment{ID: "f1", Name: "a.png", Size: 10, MIME: "image/png"}}
	if err := c.FinishUpload(ctx, "u1", it); err != nil {
		t.Fatal(err)
	}
	if ups, _ := c.Uploads(ctx); len(ups) != 0 {
		t.Errorf("Uploads after finish = %+v, want none", ups)
	}
	out, err := c.Outbox(ctx, "c1")
	if err != nil || len(out) != 1 || out[0].Kind != protocol.KindImage || out[0].Attachment == nil || out[0].Attachment.ID != "f1" {
		t.Fatalf("Outbox = %+v, %v", out, err)
	}
}

// TestMigrateKeepsOutbox opens a cache written by schema version 1: its
// outbox survives as text messages and uploads can be kept.
func TestMigrateKeepsOutbox(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "cache.db")
	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		`CREATE TABLE outbox (client_msg_id TEXT PRIMARY KEY, conversation_id TEXT NOT NULL, text TEXT NOT NULL, created_at INTEGER NOT NULL)`,
		`INSERT INTO outbox VALUES ('m1', 'c1', 'hello', 1)`,
		`PRAGMA user_version = 1`,
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	db.Close()
	c, err := cache.Open(ctx, path, testKey)
	if err != nil {
		t.Fatalf("Open v1 cache: %v", err)
	}
	defer c.Close()
	out, err := c.Outbox(ctx, "")
	if err != nil || len(out) != 1 || out[0].Text != "hello" || out[0].Kind != protocol.KindText {
		t.Fatalf("Outbox after migration = %+v, %v", out, err)
	}
	if err := c.PutUpload(ctx, cache.Upload{ID: "u1", ConversationID: "c1", Path: "p", Name: "n", MIME: "text/plain", Size: 1}); err != nil {
		t.Errorf("PutUpload after migration: %v", err)
	}
}
