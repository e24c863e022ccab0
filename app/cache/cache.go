// Package cache is the desktop app's local copy of what the server sent: the
// conversations the agent can see, their messages by seq, and the outbox of
// messages written but not yet acknowledged. It is a SQLite database
// (modernc.org/sqlite, WAL) in the user's config directory, so the app starts
// from it before the network answers and nothing typed is lost on a crash.
//
// What people wrote is encrypted at rest with AES-256-GCM under a key the
// caller keeps in the OS keychain: conversation and message bodies, outbox
// texts, attachments and cards, and uploads' file names and paths. Left in
// the clear are what the queries need: ids, seqs, states, teams, assignees,
// times, sizes and MIME types. Search uses a blind index (search.go).
package cache

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"switchboard/protocol"

	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

// schemaVersion is stored in PRAGMA user_version; a cache written by another
// version is dropped and rebuilt, since everything in it can be fetched again
// except the outbox, which migrations must carry over once the schema changes.
const schemaVersion = 3

// migrations[v] brings a cache of version v+1 up to v+2, for the versions
// before 3, which were not encrypted: their outbox and uploads are read in
// the clear and written again sealed (see encryptPlain); what else they held
// is fetched again from the server.
var migrations = []string{
	// 1 → 2: outbox entries carry a kind, an attachment or a card; uploads
	// are kept so they resume after a restart.
	`ALTER TABLE outbox ADD COLUMN kind TEXT NOT NULL DEFAULT 'text';
ALTER TABLE outbox ADD COLUMN attachment TEXT NOT NULL DEFAULT '';
ALTER TABLE outbox ADD COLUMN card TEXT NOT NULL DEFAULT '';`,
}

// plainSchemaVersion is the last version written in the clear.
const plainSchemaVersion = 2

const schema = `
CREATE TABLE IF NOT EXISTS meta (
	name  TEXT PRIMARY KEY,
	value BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS conversations (
	id          TEXT PRIMARY KEY,
	state       TEXT NOT NULL,
	team        TEXT NOT NULL DEFAULT '',
	assignee_id TEXT NOT NULL DEFAULT '',
	epoch       INTEGER NOT NULL DEFAULT 0,
	created_at  INTEGER NOT NULL DEFAULT 0,
	updated_at  INTEGER NOT NULL DEFAULT 0,
	body        BLOB NOT NULL -- sealed JSON
);
CREATE TABLE IF NOT EXISTS messages (
	conversation_id TEXT NOT NULL,
	seq             INTEGER NOT NULL,
	client_msg_id   TEXT NOT NULL DEFAULT '',
	created_at      INTEGER NOT NULL DEFAULT 0,
	body            BLOB NOT NULL, -- sealed JSON
	PRIMARY KEY (conversation_id, seq)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS terms (
	term     INTEGER NOT NULL, -- keyed hash of a search term (31 bits)
	created  INTEGER NOT NULL, -- the message's time, unix seconds
	conv     INTEGER NOT NULL, -- term_convs.n of its conversation
	seq      INTEGER NOT NULL,
	PRIMARY KEY (term, created, conv, seq)
) WITHOUT ROWID;
-- term_convs numbers conversations for the terms table, whose rows stay
-- small with a number in place of a conversation id.
CREATE TABLE IF NOT EXISTS term_convs (
	n  INTEGER PRIMARY KEY,
	id TEXT NOT NULL UNIQUE
);
CREATE TABLE IF NOT EXISTS outbox (
	client_msg_id   TEXT PRIMARY KEY,
	conversation_id TEXT NOT NULL,
	text            BLOB NOT NULL, -- sealed
	created_at      INTEGER NOT NULL,
	kind            TEXT NOT NULL DEFAULT 'text',
	attachment      BLOB NOT NULL DEFAULT '', -- sealed JSON, or empty
	card            BLOB NOT NULL DEFAULT ''  -- sealed JSON, or empty
);
CREATE INDEX IF NOT EXISTS outbox_by_conversation ON outbox (conversation_id, created_at);
CREATE TABLE IF NOT EXISTS uploads (
	id              TEXT PRIMARY KEY,
	conversation_id TEXT NOT NULL,
	path            BLOB NOT NULL, -- sealed
	name            BLOB NOT NULL, -- sealed
	mime            TEXT NOT NULL,
	size            INTEGER NOT NULL,
	url             TEXT NOT NULL DEFAULT '',
	sent_bytes      INTEGER NOT NULL DEFAULT 0,
	temp            INTEGER NOT NULL DEFAULT 0,
	created_at      INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS sync_state (
	conversation_id TEXT PRIMARY KEY,
	synced_seq      INTEGER NOT NULL
);
`

// Cache is an open cache database. It is safe for concurrent use.
type Cache struct {
	db   *sql.DB
	seal *sealer
}

// OutboxItem is a message the agent wrote that the server has not yet
// acknowledged. It is resent with the same ClientMsgID until it is.
type OutboxItem struct {
	ClientMsgID    string
	ConversationID string
	Text           string
	CreatedAt      int64 // unix milliseconds
	// Kind is the message kind; empty means text. An image, file or voice
	// message carries Attachment (its ID is the attachment_id sent, the
	// rest shows the pending message); a card message carries Card.
	Kind       string
	Attachment *protocol.Attachment
	Card       *protocol.Card
}

// Open opens (creating if needed) the cache database at path, encrypted with
// key (KeySize bytes). A cache written with another key fails with
// ErrWrongKey; the caller removes it (Remove) and starts a new one.
func Open(ctx context.Context, path string, key []byte) (*Cache, error) {
	seal, err := newSealer(key)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("create cache dir: %w", err)
	}
	// Every pooled connection gets the same pragmas through the DSN. FULL
	// makes an outbox row durable before Send returns; write transactions
	// start IMMEDIATE so two writers queue on busy_timeout instead of failing
	// when a read lock would have to be upgraded. secure_delete zeroes what
	// is deleted, so a forgotten conversation (or the clear text of a cache
	// written before encryption) does not linger in free pages. Each
	// connection's page cache is held to 512 KiB (SQLite's default is 2 MiB):
	// the pages it would keep are in the OS's file cache anyway, and a
	// desktop app idles most of the day holding them (docs/benchmarks.md,
	// "Desktop benchmark": 3 MiB less at idle, searches no slower).
	dsn := "file:" + path + "?_pragma=busy_timeout(5000)&_pragma=journal_mode(WAL)" +
		"&_pragma=synchronous(FULL)&_pragma=secure_delete(on)&_pragma=cache_size(-512)&_txlock=immediate"
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("open cache %s: %w", path, err)
	}
	c := &Cache{db: db, seal: seal}
	if err := c.migrate(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("open cache %s: %w", path, err)
	}
	if err := c.checkKey(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("open cache %s: %w", path, err)
	}
	return c, nil
}

// Remove deletes the cache database at path with its WAL files.
func Remove(path string) error {
	var errs []error
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		if err := os.Remove(p); err != nil && !errors.Is(err, os.ErrNotExist) {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// checkKey opens the sealed check value, or writes it into a new cache.
func (c *Cache) checkKey(ctx context.Context) error {
	var sealed []byte
	err := c.db.QueryRowContext(ctx, "SELECT value FROM meta WHERE name = 'check'").Scan(&sealed)
	if errors.Is(err, sql.ErrNoRows) {
		_, err = c.db.ExecContext(ctx, "INSERT INTO meta (name, value) VALUES ('check', ?)", c.seal.seal(checkPlain, adCheck))
		if err != nil {
			return fmt.Errorf("write key check: %w", err)
		}
		return nil
	}
	if err != nil {
		return fmt.Errorf("read key check: %w", err)
	}
	if _, err := c.seal.open(sealed, adCheck); err != nil {
		return ErrWrongKey
	}
	return nil
}

func (c *Cache) migrate(ctx context.Context) error {
	var v int
	if err := c.db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&v); err != nil {
		return fmt.Errorf("read schema version: %w", err)
	}
	if v == schemaVersion {
		return nil
	}
	if v > schemaVersion {
		return fmt.Errorf("cache schema version %d is newer than %d", v, schemaVersion)
	}
	if v > 0 {
		for i := v - 1; i < len(migrations); i++ {
			if _, err := c.db.ExecContext(ctx, migrations[i]); err != nil {
				return fmt.Errorf("migrate schema to %d: %w", i+2, err)
			}
		}
		if v <= plainSchemaVersion {
			return c.encryptPlain(ctx)
		}
	}
	if _, err := c.db.ExecContext(ctx, schema); err != nil {
		return fmt.Errorf("create schema: %w", err)
	}
	if _, err := c.db.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", schemaVersion)); err != nil {
		return fmt.Errorf("write schema version: %w", err)
	}
	return nil
}

// encryptPlain turns a cache of a version written in the clear into the
// current schema in one transaction: the outbox and the uploads are kept,
// sealed; the conversations and messages are dropped, to be fetched again.
func (c *Cache) encryptPlain(ctx context.Context) error {
	tx, err := c.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("encrypt cache: %w", err)
	}
	defer tx.Rollback()
	var items []OutboxItem
	rows, err := tx.QueryContext(ctx, "SELECT client_msg_id, conversation_id, text, created_at, kind, attachment, card FROM outbox ORDER BY created_at, rowid")
	if err != nil {
		return fmt.Errorf("encrypt cache: read outbox: %w", err)
	}
	for rows.Next() {
		var it OutboxItem
		var att, card string
		if err := rows.Scan(&it.ClientMsgID, &it.ConversationID, &it.Text, &it.CreatedAt, &it.Kind, &att, &card); err != nil {
			rows.Close()
			return fmt.Errorf("encrypt cache: read outbox: %w", err)
		}
		if att != "" {
			it.Attachment = new(protocol.Attachment)
			if json.Unmarshal([]byte(att), it.Attachment) != nil {
				it.Attachment = nil
			}
		}
		if card != "" {
			it.Card = new(protocol.Card)
			if json.Unmarshal([]byte(card), it.Card) != nil {
				it.Card = nil
			}
		}
		items = append(items, it)
	}
	rows.Close()
	var ups []Upload
	// Version 1 had no uploads table.
	rows, err = tx.QueryContext(ctx, `SELECT id, conversation_id, path, name, mime, size, url, sent_bytes, temp, created_at
		FROM uploads ORDER BY created_at, rowid`)
	if err != nil && !strings.Contains(err.Error(), "no such table") {
		return fmt.Errorf("encrypt cache: read uploads: %w", err)
	}
	for err == nil && rows.Next() {
		var u Upload
		if err := rows.Scan(&u.ID, &u.ConversationID, &u.Path, &u.Name, &u.MIME, &u.Size, &u.URL, &u.Offset, &u.Temp, &u.CreatedAt); err != nil {
			rows.Close()
			return fmt.Errorf("encrypt cache: read uploads: %w", err)
		}
		ups = append(ups, u)
	}
	if err == nil {
		rows.Close()
	}
	for _, t := range []string{"conversations", "messages", "outbox", "uploads", "sync_state", "terms", "term_convs"} {
		if _, err := tx.ExecContext(ctx, "DROP TABLE IF EXISTS "+t); err != nil {
			return fmt.Errorf("encrypt cache: %w", err)
		}
	}
	if _, err := tx.ExecContext(ctx, schema); err != nil {
		return fmt.Errorf("encrypt cache: create schema: %w", err)
	}
	for _, it := range items {
		if err := c.addOutboxTx(ctx, tx, it); err != nil {
			return fmt.Errorf("encrypt cache: %w", err)
		}
	}
	for _, u := range ups {
		if err := c.putUpload(ctx, tx, u); err != nil {
			return fmt.Errorf("encrypt cache: %w", err)
		}
	}
	if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", schemaVersion)); err != nil {
		return fmt.Errorf("write schema version: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("encrypt cache: %w", err)
	}
	return nil
}

// sealJSON encodes v and seals it for ad.
func (c *Cache) sealJSON(v any, ad string) ([]byte, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	return c.seal.seal(b, ad), nil
}

// openJSON opens what sealJSON made into v.
func (c *Cache) openJSON(sealed []byte, ad string, v any) error {
	b, err := c.seal.open(sealed, ad)
	if err != nil {
		return err
	}
	return json.Unmarshal(b, v)
}

// Close closes the database.
func (c *Cache) Close() error {
	return c.db.Close()
}

// PutConversation stores the latest state of a conversation. It reports
// whether anything changed, and whether the conversation's epoch moved, in
// which case its cached messages were dropped (history was restored or reset
// on the server; the caller fetches it again).
func (c *Cache) PutConversation(ctx context.Context, conv protocol.Conversation) (changed, reset bool, err error) {
	body, err := json.Marshal(conv)
	if err != nil {
		return false, false, fmt.Errorf("encode conversation %s: %w", conv.ID, err)
	}
	tx, err := c.db.BeginTx(ctx, nil)
	if err != nil {
		return false, false, fmt.Errorf("put conversation %s: %w", conv.ID, err)
	}
	defer tx.Rollback()

	var oldSealed []byte
	var oldEpoch int64
	err = tx.QueryRowContext(ctx, "SELECT body, epoch FROM conversations WHERE id = ?", conv.ID).Scan(&oldSealed, &oldEpoch)
	switch {
	case errors.Is(err, sql.ErrNoRows):
	case err != nil:
		return false, false, fmt.Errorf("put conversation %s: %w", conv.ID, err)
	default:
		if old, err := c.seal.open(oldSealed, adConversation(conv.ID)); err == nil && string(old) == string(body) {
			return false, false, nil
		}
		if oldEpoch != 0 && conv.Epoch != 0 && oldEpoch != conv.Epoch {
			if err := c.dropMessagesTx(ctx, tx, conv.ID); err != nil {
				return false, false, fmt.Errorf("reset conversation %s: %w", conv.ID, err)
			}
			reset = true
		}
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO conversations (id, state, team, assignee_id, epoch, created_at, updated_at, body)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET state = excluded.state, team = excluded.team,
			assignee_id = excluded.assignee_id, epoch = excluded.epoch,
			created_at = excluded.created_at, updated_at = excluded.updated_at, body = excluded.body`,
		conv.ID, conv.State, conv.Team, conv.AssigneeID, conv.Epoch, conv.CreatedAt, conv.UpdatedAt,
		c.seal.seal(body, adConversation(conv.ID)))
	if err != nil {
		return false, false, fmt.Errorf("put conversation %s: %w", conv.ID, err)
	}
	if err := tx.Commit(); err != nil {
		return false, false, fmt.Errorf("put conversation %s: %w", conv.ID, err)
	}
	return true, reset, nil
}

// Conversation returns one cached conversation.
func (c *Cache) Conversation(ctx context.Context, id string) (protocol.Conversation, bool, error) {
	var body []byte
	err := c.db.QueryRowContext(ctx, "SELECT body FROM conversations WHERE id = ?", id).Scan(&body)
	if errors.Is(err, sql.ErrNoRows) {
		return protocol.Conversation{}, false, nil
	}
	if err != nil {
		return protocol.Conversation{}, false, fmt.Errorf("read conversation %s: %w", id, err)
	}
	var conv protocol.Conversation
	if err := c.openJSON(body, adConversation(id), &conv); err != nil {
		return protocol.Conversation{}, false, fmt.Errorf("decode conversation %s: %w", id, err)
	}
	return conv, true, nil
}

// Conversations returns the cached conversations in any of states, most
// recently updated first.
func (c *Cache) Conversations(ctx context.Context, states ...string) ([]protocol.Conversation, error) {
	if len(states) == 0 {
		return nil, nil
	}
	q := "SELECT id, body FROM conversations WHERE state IN (?" + strings.Repeat(", ?", len(states)-1) +
		") ORDER BY updated_at DESC, id"
	args := make([]any, len(states))
	for i, s := range states {
		args[i] = s
	}
	rows, err := c.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("list conversations: %w", err)
	}
	defer rows.Close()
	var out []protocol.Conversation
	for rows.Next() {
		var id string
		var body []byte
		if err := rows.Scan(&id, &body); err != nil {
			return nil, fmt.Errorf("list conversations: %w", err)
		}
		var conv protocol.Conversation
		if err := c.openJSON(body, adConversation(id), &conv); err != nil {
			return nil, fmt.Errorf("decode conversation %s: %w", id, err)
		}
		out = append(out, conv)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list conversations: %w", err)
	}
	return out, nil
}

// DeleteConversation forgets a conversation and its messages; used when the
// server no longer lists it for this agent. Its outbox entries stay: they
// still get sent (or fail with a coded error).
func (c *Cache) DeleteConversation(ctx context.Context, id string) error {
	tx, err := c.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("delete conversation %s: %w", id, err)
	}
	defer tx.Rollback()
	if err := c.dropMessagesTx(ctx, tx, id); err != nil {
		return fmt.Errorf("delete conversation %s: %w", id, err)
	}
	if _, err := tx.ExecContext(ctx, "DELETE FROM conversations WHERE id = ?", id); err != nil {
		return fmt.Errorf("delete conversation %s: %w", id, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("delete conversation %s: %w", id, err)
	}
	return nil
}

// dropMessagesTx forgets a conversation's messages, their search terms and
// its synced seq.
func (c *Cache) dropMessagesTx(ctx context.Context, tx *sql.Tx, id string) error {
	if err := c.unindexConversationTx(ctx, tx, id); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, "DELETE FROM messages WHERE conversation_id = ?", id); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, "DELETE FROM sync_state WHERE conversation_id = ?", id)
	return err
}

// Stored is what storing messages changed.
type Stored struct {
	// Ready are the messages that became readable in order: for each
	// conversation, those between its previous synced seq and the new one,
	// by seq.
	Ready []protocol.Message
	// Settled are the new messages that settled an outbox entry: this
	// client's own messages, now numbered by the server.
	Settled []protocol.Message
}

// PutMessages stores messages (in any order, duplicates ignored). The synced
// seq of a conversation is the highest seq up to which every message is
// cached; a message beyond a gap is stored but becomes Ready only once the
// gap is filled, so a reader of Ready sees each conversation complete and in
// order.
//
// A new message whose client_msg_id is in the outbox settles that entry, and
// the conversation's last_seq and last_text follow the newest message.
func (c *Cache) PutMessages(ctx context.Context, msgs []protocol.Message) (Stored, error) {
	if len(msgs) == 0 {
		return Stored{}, nil
	}
	tx, err := c.db.BeginTx(ctx, nil)
	if err != nil {
		return Stored{}, fmt.Errorf("put messages: %w", err)
	}
	defer tx.Rollback()
	st, err := c.putMessagesTx(ctx, tx, msgs)
	if err != nil {
		return Stored{}, err
	}
	if err := tx.Commit(); err != nil {
		return Stored{}, fmt.Errorf("put messages: %w", err)
	}
	return st, nil
}

func (c *Cache) putMessagesTx(ctx context.Context, tx *sql.Tx, msgs []protocol.Message) (Stored, error) {
	var st Stored
	h := c.seal.hasher()
	convN := map[string]int64{} // term_convs numbers
	var order []string          // conversations in first-seen order
	newest := map[string]protocol.Message{}
	for _, m := range msgs {
		if m.Seq <= 0 {
			return st, fmt.Errorf("put message conv=%s: seq %d is not positive", m.ConversationID, m.Seq)
		}
		body, err := c.sealJSON(m, adMessage(m.ConversationID, m.Seq))
		if err != nil {
			return st, fmt.Errorf("encode message conv=%s seq=%d: %w", m.ConversationID, m.Seq, err)
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO messages (conversation_id, seq, client_msg_id, created_at, body)
			VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
			m.ConversationID, m.Seq, m.ClientMsgID, m.CreatedAt, body)
		if err != nil {
			return st, fmt.Errorf("put message conv=%s seq=%d: %w", m.ConversationID, m.Seq, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			continue
		}
		cn, ok := convN[m.ConversationID]
		if !ok {
			if cn, err = convNumberTx(ctx, tx, m.ConversationID, true); err != nil {
				return st, fmt.Errorf("index message conv=%s: %w", m.ConversationID, err)
			}
			convN[m.ConversationID] = cn
		}
		if err := c.indexMessageTx(ctx, tx, h, cn, m); err != nil {
			return st, err
		}
		if m.ClientMsgID != "" {
			res, err := tx.ExecContext(ctx, "DELETE FROM outbox WHERE client_msg_id = ?", m.ClientMsgID)
			if err != nil {
				return st, fmt.Errorf("settle outbox %s: %w", m.ClientMsgID, err)
			}
			if n, _ := res.RowsAffected(); n > 0 {
				st.Settled = append(st.Settled, m)
			}
		}
		n, seen := newest[m.ConversationID]
		if !seen {
			order = append(order, m.ConversationID)
		}
		if !seen || m.Seq > n.Seq {
			newest[m.ConversationID] = m
		}
	}
	for _, id := range order {
		r, err := c.advanceTx(ctx, tx, id)
		if err != nil {
			return st, err
		}
		st.Ready = append(st.Ready, r...)
		if err := c.bumpConversationTx(ctx, tx, id, newest[id]); err != nil {
			return st, err
		}
	}
	return st, nil
}

// advanceTx moves a conversation's synced seq over every message now cached
// right after it and returns those messages.
func (c *Cache) advanceTx(ctx context.Context, tx *sql.Tx, id string) ([]protocol.Message, error) {
	synced, err := syncedSeqTx(ctx, tx, id)
	if err != nil {
		return nil, err
	}
	rows, err := tx.QueryContext(ctx,
		"SELECT seq, body FROM messages WHERE conversation_id = ? AND seq > ? ORDER BY seq", id, synced)
	if err != nil {
		return nil, fmt.Errorf("advance conv=%s: %w", id, err)
	}
	var ready []protocol.Message
	for rows.Next() {
		var seq int64
		var body []byte
		if err := rows.Scan(&seq, &body); err != nil {
			rows.Close()
			return nil, fmt.Errorf("advance conv=%s: %w", id, err)
		}
		if seq != synced+1 {
			break // a gap: the rest waits for it to be filled
		}
		m, err := c.openMessage(id, seq, body)
		if err != nil {
			rows.Close()
			return nil, err
		}
		ready = append(ready, m)
		synced = seq
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("advance conv=%s: %w", id, err)
	}
	if len(ready) == 0 {
		return nil, nil
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO sync_state (conversation_id, synced_seq) VALUES (?, ?)
		ON CONFLICT (conversation_id) DO UPDATE SET synced_seq = excluded.synced_seq`, id, synced)
	if err != nil {
		return nil, fmt.Errorf("advance conv=%s: %w", id, err)
	}
	return ready, nil
}

func syncedSeqTx(ctx context.Context, tx *sql.Tx, id string) (int64, error) {
	var seq int64
	err := tx.QueryRowContext(ctx, "SELECT synced_seq FROM sync_state WHERE conversation_id = ?", id).Scan(&seq)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("read synced seq conv=%s: %w", id, err)
	}
	return seq, nil
}

// bumpConversationTx moves a cached conversation's last_seq and last_text
// forward to m, so the list shows the newest message without waiting for the
// server's next conversation push.
func (c *Cache) bumpConversationTx(ctx context.Context, tx *sql.Tx, id string, m protocol.Message) error {
	var body []byte
	err := tx.QueryRowContext(ctx, "SELECT body FROM conversations WHERE id = ?", id).Scan(&body)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("read conversation %s: %w", id, err)
	}
	var conv protocol.Conversation
	if err := c.openJSON(body, adConversation(id), &conv); err != nil {
		return fmt.Errorf("decode conversation %s: %w", id, err)
	}
	if m.Seq <= conv.LastSeq {
		return nil
	}
	conv.LastSeq = m.Seq
	if m.Kind == protocol.KindText && m.Text != "" {
		conv.LastText = m.Text
	}
	if m.CreatedAt > conv.UpdatedAt {
		conv.UpdatedAt = m.CreatedAt
	}
	nb, err := c.sealJSON(conv, adConversation(id))
	if err != nil {
		return fmt.Errorf("encode conversation %s: %w", id, err)
	}
	if _, err := tx.ExecContext(ctx, "UPDATE conversations SET updated_at = ?, body = ? WHERE id = ?",
		conv.UpdatedAt, nb, id); err != nil {
		return fmt.Errorf("update conversation %s: %w", id, err)
	}
	return nil
}

// Messages returns a conversation's cached messages ordered by seq.
func (c *Cache) Messages(ctx context.Context, conversationID string) ([]protocol.Message, error) {
	rows, err := c.db.QueryContext(ctx,
		"SELECT seq, body FROM messages WHERE conversation_id = ? ORDER BY seq", conversationID)
	if err != nil {
		return nil, fmt.Errorf("read messages conv=%s: %w", conversationID, err)
	}
	defer rows.Close()
	out := []protocol.Message{}
	for rows.Next() {
		var seq int64
		var body []byte
		if err := rows.Scan(&seq, &body); err != nil {
			return nil, fmt.Errorf("read messages conv=%s: %w", conversationID, err)
		}
		m, err := c.openMessage(conversationID, seq, body)
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read messages conv=%s: %w", conversationID, err)
	}
	return out, nil
}

// SyncedSeq returns the seq up to which a conversation is cached without
// gaps: where a sync resumes. 0 if nothing is.
func (c *Cache) SyncedSeq(ctx context.Context, conversationID string) (int64, error) {
	var seq int64
	err := c.db.QueryRowContext(ctx,
		"SELECT synced_seq FROM sync_state WHERE conversation_id = ?", conversationID).Scan(&seq)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("read synced seq conv=%s: %w", conversationID, err)
	}
	return seq, nil
}

// SyncedSeqs returns the synced seq of every cached conversation that is
// not closed and has one: the resume points sent in hello.
func (c *Cache) SyncedSeqs(ctx context.Context) (map[string]int64, error) {
	rows, err := c.db.QueryContext(ctx, `SELECT s.conversation_id, s.synced_seq FROM sync_state s
		JOIN conversations c ON c.id = s.conversation_id
		WHERE c.state <> ? AND s.synced_seq > 0`, protocol.StateClosed)
	if err != nil {
		return nil, fmt.Errorf("read synced seqs: %w", err)
	}
	defer rows.Close()
	out := map[string]int64{}
	for rows.Next() {
		var id string
		var seq int64
		if err := rows.Scan(&id, &seq); err != nil {
			return nil, fmt.Errorf("read synced seqs: %w", err)
		}
		out[id] = seq
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read synced seqs: %w", err)
	}
	return out, nil
}

// AddOutbox records a message to send. It is durable when AddOutbox returns.
func (c *Cache) AddOutbox(ctx context.Context, it OutboxItem) error {
	return c.addOutboxTx(ctx, c.db, it)
}

// execer is a *sql.DB or a *sql.Tx.
type execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

func (c *Cache) addOutboxTx(ctx context.Context, db execer, it OutboxItem) error {
	kind := it.Kind
	if kind == "" {
		kind = protocol.KindText
	}
	_, err := db.ExecContext(ctx,
		"INSERT INTO outbox (client_msg_id, conversation_id, text, created_at, kind, attachment, card) VALUES (?, ?, ?, ?, ?, ?, ?)",
		it.ClientMsgID, it.ConversationID, c.seal.seal([]byte(it.Text), adOutbox(it.ClientMsgID, "text")), it.CreatedAt, kind,
		sealOptional(c, it.Attachment, adOutbox(it.ClientMsgID, "attachment")),
		sealOptional(c, it.Card, adOutbox(it.ClientMsgID, "card")))
	if err != nil {
		return fmt.Errorf("add outbox conv=%s: %w", it.ConversationID, err)
	}
	return nil
}

// Outbox returns every unacknowledged message, oldest first; with a
// conversation id, only that conversation's.
func (c *Cache) Outbox(ctx context.Context, conversationID string) ([]OutboxItem, error) {
	q := "SELECT client_msg_id, conversation_id, text, created_at, kind, attachment, card FROM outbox"
	var args []any
	if conversationID != "" {
		q += " WHERE conversation_id = ?"
		args = append(args, conversationID)
	}
	q += " ORDER BY created_at, rowid"
	rows, err := c.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("read outbox: %w", err)
	}
	defer rows.Close()
	var out []OutboxItem
	for rows.Next() {
		var it OutboxItem
		var text, att, card []byte
		if err := rows.Scan(&it.ClientMsgID, &it.ConversationID, &text, &it.CreatedAt, &it.Kind, &att, &card); err != nil {
			return nil, fmt.Errorf("read outbox: %w", err)
		}
		plain, err := c.seal.open(text, adOutbox(it.ClientMsgID, "text"))
		if err != nil {
			return nil, fmt.Errorf("read outbox %s: %w", it.ClientMsgID, err)
		}
		it.Text = string(plain)
		if len(att) > 0 {
			it.Attachment = new(protocol.Attachment)
			if err := c.openJSON(att, adOutbox(it.ClientMsgID, "attachment"), it.Attachment); err != nil {
				return nil, fmt.Errorf("read outbox %s: %w", it.ClientMsgID, err)
			}
		}
		if len(card) > 0 {
			it.Card = new(protocol.Card)
			if err := c.openJSON(card, adOutbox(it.ClientMsgID, "card"), it.Card); err != nil {
				return nil, fmt.Errorf("read outbox %s: %w", it.ClientMsgID, err)
			}
		}
		out = append(out, it)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read outbox: %w", err)
	}
	return out, nil
}

// OutboxCount returns how many messages wait for an acknowledgement.
func (c *Cache) OutboxCount(ctx context.Context) (int, error) {
	var n int
	if err := c.db.QueryRowContext(ctx, "SELECT count(*) FROM outbox").Scan(&n); err != nil {
		return 0, fmt.Errorf("count outbox: %w", err)
	}
	return n, nil
}

// RemoveOutbox drops an outbox entry without storing a message: the server
// refused it for good.
func (c *Cache) RemoveOutbox(ctx context.Context, clientMsgID string) error {
	if _, err := c.db.ExecContext(ctx, "DELETE FROM outbox WHERE client_msg_id = ?", clientMsgID); err != nil {
		return fmt.Errorf("remove outbox %s: %w", clientMsgID, err)
	}
	return nil
}

// Ack settles an outbox entry with m, the message as the server numbered
// it, in one transaction. m is in the result's Settled unless the server's
// push (or a sync) of the same message settled the entry first.
func (c *Cache) Ack(ctx context.Context, m protocol.Message) (Stored, error) {
	tx, err := c.db.BeginTx(ctx, nil)
	if err != nil {
		return Stored{}, fmt.Errorf("ack %s: %w", m.ClientMsgID, err)
	}
	defer tx.Rollback()
	st, err := c.putMessagesTx(ctx, tx, []protocol.Message{m})
	if err != nil {
		return Stored{}, err
	}
	// Already stored means already settled; this only guards a stale entry.
	if _, err := tx.ExecContext(ctx, "DELETE FROM outbox WHERE client_msg_id = ?", m.ClientMsgID); err != nil {
		return Stored{}, fmt.Errorf("ack %s: %w", m.ClientMsgID, err)
	}
	if err := tx.Commit(); err != nil {
		return Stored{}, fmt.Errorf("ack %s: %w", m.ClientMsgID, err)
	}
	return st, nil
}
