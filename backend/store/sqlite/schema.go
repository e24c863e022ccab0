package sqlite

import (
	"context"
	"database/sql"
	"fmt"
)

// migrations are applied in order; migrations[i] brings the schema from
// version i to version i+1. Never edit a released migration: append one.
var migrations = []string{
	// 1: the first schema.
	`
CREATE TABLE settings (
	k TEXT PRIMARY KEY,
	v TEXT NOT NULL
);

CREATE TABLE teams (
	id   TEXT PRIMARY KEY,
	name TEXT NOT NULL
);

CREATE TABLE agents (
	id            TEXT PRIMARY KEY,
	username      TEXT NOT NULL UNIQUE,
	name          TEXT NOT NULL,
	role          TEXT NOT NULL,
	password_hash TEXT NOT NULL,
	created_at    INTEGER NOT NULL
);

CREATE TABLE agent_teams (
	agent_id TEXT NOT NULL REFERENCES agents(id) ON DELETE CASCADE,
	team_id  TEXT NOT NULL REFERENCES teams(id) ON DELETE CASCADE,
	PRIMARY KEY (agent_id, team_id)
);

CREATE TABLE customers (
	id         TEXT PRIMARY KEY,
	name       TEXT NOT NULL DEFAULT '',
	created_at INTEGER NOT NULL
);

CREATE TABLE conversations (
	id             TEXT PRIMARY KEY,
	customer_id    TEXT NOT NULL REFERENCES customers(id),
	channel        TEXT NOT NULL,
	state          TEXT NOT NULL,
	team           TEXT NOT NULL DEFAULT '',
	assignee_id    TEXT REFERENCES agents(id),
	handoff_reason TEXT NOT NULL DEFAULT '',
	ext            TEXT NOT NULL DEFAULT '{}',
	epoch          INTEGER NOT NULL DEFAULT 1,
	last_seq       INTEGER NOT NULL DEFAULT 0,
	last_team      TEXT NOT NULL DEFAULT '',
	last_text      TEXT NOT NULL DEFAULT '',
	created_at     INTEGER NOT NULL,
	updated_at     INTEGER NOT NULL
);

-- A customer has at most one open conversation: their next message always
-- has exactly one place to go.
CREATE UNIQUE INDEX conversations_one_open ON conversations(customer_id)
	WHERE state NOT IN ('resolved', 'closed');
CREATE INDEX conversations_by_customer ON conversations(customer_id, updated_at);
CREATE INDEX conversations_by_assignee ON conversations(assignee_id, state);
CREATE INDEX conversations_by_state_team ON conversations(state, team, updated_at);

CREATE TABLE messages (
	conversation_id TEXT NOT NULL REFERENCES conversations(id),
	seq             INTEGER NOT NULL,
	-- The idempotency key, unique forever (not for a time window).
	client_msg_id   TEXT NOT NULL UNIQUE,
	sender_role     TEXT NOT NULL,
	sender_id       TEXT NOT NULL DEFAULT '',
	sender_name     TEXT NOT NULL DEFAULT '',
	kind            TEXT NOT NULL,
	visibility      TEXT NOT NULL,
	text            TEXT NOT NULL DEFAULT '',
	event           TEXT,
	ext             TEXT,
	created_at      INTEGER NOT NULL,
	PRIMARY KEY (conversation_id, seq)
);

CREATE TABLE audit (
	id              INTEGER PRIMARY KEY AUTOINCREMENT,
	ts              INTEGER NOT NULL,
	actor           TEXT NOT NULL,
	action          TEXT NOT NULL,
	conversation_id TEXT NOT NULL DEFAULT '',
	detail          TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_by_conversation ON audit(conversation_id, id);
`,
	// 2: read cursors, one per reader and conversation.
	`
CREATE TABLE read_cursors (
	conversation_id TEXT NOT NULL REFERENCES conversations(id),
	-- A customer or agent id (both UUIDs, so they cannot collide).
	reader_id       TEXT NOT NULL,
	reader_role     TEXT NOT NULL,
	seq             INTEGER NOT NULL,
	updated_at      INTEGER NOT NULL,
	PRIMARY KEY (conversation_id, reader_id)
);
`,
	// 3: durable timers of the conversation state machine.
	`
CREATE TABLE timers (
	-- The version: AUTOINCREMENT never reuses one, so a timer read before
	-- it was replaced cannot be mistaken for its replacement.
	id              INTEGER PRIMARY KEY AUTOINCREMENT,
	conversation_id TEXT NOT NULL REFERENCES conversations(id),
	kind            TEXT NOT NULL,
	due_at          INTEGER NOT NULL,
	UNIQUE (conversation_id, kind)
);
CREATE INDEX timers_by_due ON timers(due_at);
`,
	// 4: each agent's capacity, the most conversations they work at once.
	`
ALTER TABLE agents ADD COLUMN capacity INTEGER NOT NULL DEFAULT 5;
`,
	// 5: queue order: priority (VIP first), then the time the conversation
	// last entered the queue.
	`
ALTER TABLE conversations ADD COLUMN priority INTEGER NOT NULL DEFAULT 0;
ALTER TABLE conversations ADD COLUMN queued_at INTEGER NOT NULL DEFAULT 0;
UPDATE conversations SET priority = 1 WHERE json_extract(ext, '$.vip') = 'true';
UPDATE conversations SET queued_at = updated_at WHERE state = 'queued';
`,
	// 6: routing: skills, overflow to a backup team, offers and the agents
	// who refused them, the handoff packet, ratings.
	`
ALTER TABLE teams ADD COLUMN skills TEXT NOT NULL DEFAULT '[]';
ALTER TABLE teams ADD COLUMN backup TEXT NOT NULL DEFAULT '';
ALTER TABLE teams ADD COLUMN overflow_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE agents ADD COLUMN skills TEXT NOT NULL DEFAULT '[]';
ALTER TABLE conversations ADD COLUMN offer_agent_id TEXT NOT NULL DEFAULT '';
ALTER TABLE conversations ADD COLUMN offer_expires_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE conversations ADD COLUMN transfer_from_id TEXT NOT NULL DEFAULT '';
ALTER TABLE conversations ADD COLUMN packet TEXT NOT NULL DEFAULT '';
ALTER TABLE conversations ADD COLUMN rating INTEGER NOT NULL DEFAULT 0;
ALTER TABLE conversations ADD COLUMN rating_comment TEXT NOT NULL DEFAULT '';
CREATE INDEX conversations_by_offer ON conversations(offer_agent_id) WHERE offer_agent_id <> '';
CREATE TABLE offer_refusals (
	conversation_id TEXT NOT NULL REFERENCES conversations(id),
	agent_id        TEXT NOT NULL,
	created_at      INTEGER NOT NULL,
	PRIMARY KEY (conversation_id, agent_id)
);
`,
	// 7: files (checked uploads, content on disk by sha256) and the
	// attachment and card of a message (JSON, as sent).
	`
CREATE TABLE files (
	id              TEXT PRIMARY KEY,
	conversation_id TEXT NOT NULL REFERENCES conversations(id),
	uploader_id     TEXT NOT NULL,
	uploader_role   TEXT NOT NULL,
	name            TEXT NOT NULL,
	size            INTEGER NOT NULL,
	mime            TEXT NOT NULL,
	sha256          TEXT NOT NULL,
	thumb_sha256    TEXT NOT NULL DEFAULT '',
	width           INTEGER NOT NULL DEFAULT 0,
	height          INTEGER NOT NULL DEFAULT 0,
	duration_ms     INTEGER NOT NULL DEFAULT 0,
	state           TEXT NOT NULL,
	created_at      INTEGER NOT NULL
);
CREATE INDEX files_by_conversation ON files(conversation_id, created_at);
CREATE INDEX files_by_sha256 ON files(sha256);
ALTER TABLE messages ADD COLUMN attachment_id TEXT;
ALTER TABLE messages ADD COLUMN attachment TEXT;
ALTER TABLE messages ADD COLUMN card TEXT;
CREATE INDEX messages_by_attachment ON messages(attachment_id) WHERE attachment_id IS NOT NULL;
`,
	// 8: conversation tags (one spelling per protocol.TagKey) and staff
	// notes about customers.
	`
CREATE TABLE conversation_tags (
	conversation_id TEXT NOT NULL REFERENCES conversations(id),
	tag_key         TEXT NOT NULL,
	tag             TEXT NOT NULL,
	created_at      INTEGER NOT NULL,
	PRIMARY KEY (conversation_id, tag_key)
) WITHOUT ROWID;

CREATE TABLE customer_notes (
	id              TEXT PRIMARY KEY,
	customer_id     TEXT NOT NULL REFERENCES customers(id),
	conversation_id TEXT NOT NULL DEFAULT '',
	author_id       TEXT NOT NULL,
	author_name     TEXT NOT NULL DEFAULT '',
	text            TEXT NOT NULL,
	created_at      INTEGER NOT NULL
);
CREATE INDEX customer_notes_by_customer ON customer_notes(customer_id, created_at);
`,
	// 9: disabled accounts, and each account's token generation: tokens
	// signed for an older generation are revoked.
	`
ALTER TABLE agents ADD COLUMN disabled INTEGER NOT NULL DEFAULT 0;
ALTER TABLE agents ADD COLUMN token_gen INTEGER NOT NULL DEFAULT 0;
`,
	// 10: verified fields (what a customer's signed identity token vouches
	// for), kept apart from the unverified ones the page passes. Priority
	// follows verified fields only: an unverified "vip" stops counting.
	`
ALTER TABLE customers ADD COLUMN verified TEXT NOT NULL DEFAULT '{}';
ALTER TABLE conversations ADD COLUMN verified TEXT NOT NULL DEFAULT '{}';
UPDATE conversations SET priority = 0;
`,
	// 11: the audit log's hash chain (package audit). Entries stored before
	// have no hash yet: the setting asks Open to chain them, once
	// (chainLegacyAudit).
	`
ALTER TABLE audit ADD COLUMN hash TEXT NOT NULL DEFAULT '';
CREATE INDEX audit_by_actor ON audit(actor, id);
CREATE INDEX audit_by_action ON audit(action, id);
CREATE INDEX audit_by_ts ON audit(ts);
INSERT INTO settings (k, v) SELECT 'audit_chain_legacy', 'pending' WHERE EXISTS (SELECT 1 FROM audit);
`,
	// 12: refresh tokens, by hash, in families (one per sign-in).
	`
CREATE TABLE refresh_tokens (
	hash              TEXT PRIMARY KEY,
	family_id         TEXT NOT NULL,
	agent_id          TEXT NOT NULL,
	token_gen         INTEGER NOT NULL,
	created_at        INTEGER NOT NULL,
	expires_at        INTEGER NOT NULL,
	family_expires_at INTEGER NOT NULL,
	used_at           INTEGER NOT NULL DEFAULT 0,
	revoked_at        INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;
CREATE INDEX refresh_tokens_by_family ON refresh_tokens(family_id);
CREATE INDEX refresh_tokens_by_expiry ON refresh_tokens(expires_at);
`,
	// 13: data keys of encryption at rest, wrapped by the key-encryption
	// key (seal.go). The sealed values themselves are BLOBs in the columns
	// that held plaintext.
	`
CREATE TABLE seal_keys (
	id         INTEGER PRIMARY KEY,
	wrapped    BLOB NOT NULL,
	created_at INTEGER NOT NULL
);
`,
	// 14: supervision and response times. joined lists the supervisors who
	// barged in (agent ids, JSON); assist_at is an agent's open request for
	// help; assigned_at, first_reply_at and awaiting_since time the
	// assignee's first reply and the customer's oldest unanswered message.
	`
ALTER TABLE conversations ADD COLUMN joined TEXT NOT NULL DEFAULT '[]';
ALTER TABLE conversations ADD COLUMN assist_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE conversations ADD COLUMN assigned_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE conversations ADD COLUMN first_reply_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE conversations ADD COLUMN awaiting_since INTEGER NOT NULL DEFAULT 0;
`,
	// 15: each team's service-level thresholds (ms; 0: none), shown on the
	// floor.
	`
ALTER TABLE teams ADD COLUMN sla_first_response_ms INTEGER NOT NULL DEFAULT 0;
ALTER TABLE teams ADD COLUMN sla_wait_ms INTEGER NOT NULL DEFAULT 0;
ALTER TABLE teams ADD COLUMN sla_next_response_ms INTEGER NOT NULL DEFAULT 0;
`,
	// 16: queue claims (store.QueueClaims): the router holding a queued
	// conversation while it offers it, and until when. The index serves a
	// team's routable conversations in queue order.
	`
ALTER TABLE conversations ADD COLUMN route_lease_until INTEGER NOT NULL DEFAULT 0;
ALTER TABLE conversations ADD COLUMN route_lease_node TEXT NOT NULL DEFAULT '';
CREATE INDEX conversations_routable ON conversations(team, priority DESC, queued_at)
	WHERE state = 'queued' AND offer_agent_id = '';
`,
	// 17: the bot's learning loop: the questions it missed (open until an
	// edit of the knowledge base answers them), the customers' verdicts on
	// its answers, one per message, and the versions of the knowledge
	// base.
	`
CREATE TABLE bot_misses (
	id              TEXT PRIMARY KEY,
	conversation_id TEXT NOT NULL,
	seq             INTEGER NOT NULL,
	text            TEXT NOT NULL DEFAULT '',
	locale          TEXT NOT NULL DEFAULT '',
	reason          TEXT NOT NULL,
	status          TEXT NOT NULL DEFAULT 'open',
	closed_by       INTEGER NOT NULL DEFAULT 0,
	closed_at       INTEGER NOT NULL DEFAULT 0,
	created_at      INTEGER NOT NULL
);
CREATE UNIQUE INDEX bot_misses_once ON bot_misses(conversation_id, seq, reason);
CREATE INDEX bot_misses_open ON bot_misses(created_at) WHERE status = 'open';

CREATE TABLE bot_feedback (
	conversation_id TEXT NOT NULL,
	seq             INTEGER NOT NULL,
	customer_id     TEXT NOT NULL,
	helpful         INTEGER NOT NULL,
	created_at      INTEGER NOT NULL,
	PRIMARY KEY (conversation_id, seq)
) WITHOUT ROWID;

CREATE TABLE kb_versions (
	version    INTEGER PRIMARY KEY,
	data       TEXT NOT NULL,
	sum        TEXT NOT NULL,
	author     TEXT NOT NULL DEFAULT '',
	summary    TEXT NOT NULL DEFAULT '',
	entries    INTEGER NOT NULL DEFAULT 0,
	created_at INTEGER NOT NULL
);
`,
	// 18: outgoing webhooks (store.Webhooks): endpoints, the outbox every
	// stored message adds an entry to in its own transaction, and one
	// delivery per endpoint and event. The pending index serves the claim
	// (the lowest pending seq of an endpoint and conversation).
	`
CREATE TABLE webhook_endpoints (
	id               TEXT PRIMARY KEY,
	url              TEXT NOT NULL,
	events           TEXT NOT NULL DEFAULT '',
	private          INTEGER NOT NULL DEFAULT 0,
	enabled          INTEGER NOT NULL DEFAULT 1,
	secret           TEXT NOT NULL,
	old_secret       TEXT NOT NULL DEFAULT '',
	old_secret_until INTEGER NOT NULL DEFAULT 0,
	created_at       INTEGER NOT NULL,
	updated_at       INTEGER NOT NULL
);
CREATE TABLE outbox (
	id              INTEGER PRIMARY KEY AUTOINCREMENT,
	conversation_id TEXT NOT NULL,
	seq             INTEGER NOT NULL,
	kind            TEXT NOT NULL,
	event_type      TEXT NOT NULL DEFAULT '',
	visibility      TEXT NOT NULL,
	created_at      INTEGER NOT NULL
);
CREATE TABLE webhook_deliveries (
	id              INTEGER PRIMARY KEY AUTOINCREMENT,
	endpoint_id     TEXT NOT NULL REFERENCES webhook_endpoints(id) ON DELETE CASCADE,
	conversation_id TEXT NOT NULL,
	seq             INTEGER NOT NULL,
	event_type      TEXT NOT NULL,
	state           TEXT NOT NULL DEFAULT 'pending',
	attempts        INTEGER NOT NULL DEFAULT 0,
	first_at        INTEGER NOT NULL DEFAULT 0,
	next_at         INTEGER NOT NULL,
	lease_holder    TEXT NOT NULL DEFAULT '',
	lease_until     INTEGER NOT NULL DEFAULT 0,
	last_status     INTEGER NOT NULL DEFAULT 0,
	last_error      TEXT NOT NULL DEFAULT '',
	created_at      INTEGER NOT NULL,
	done_at         INTEGER NOT NULL DEFAULT 0,
	UNIQUE (endpoint_id, conversation_id, seq)
);
CREATE INDEX webhook_deliveries_pending ON webhook_deliveries(endpoint_id, conversation_id, seq)
	WHERE state = 'pending';
CREATE INDEX webhook_deliveries_due ON webhook_deliveries(next_at) WHERE state = 'pending';
CREATE INDEX webhook_deliveries_by_state ON webhook_deliveries(state, done_at);
`,
	// 19: canned responses (store.CannedResponses): shared replies, global
	// (team '') or one team's; a shortcut is unique within its scope.
	`
CREATE TABLE canned_responses (
	id         TEXT PRIMARY KEY,
	team       TEXT NOT NULL DEFAULT '',
	title      TEXT NOT NULL,
	shortcut   TEXT NOT NULL,
	text_zh    TEXT NOT NULL DEFAULT '',
	text_en    TEXT NOT NULL DEFAULT '',
	updated_by TEXT NOT NULL DEFAULT '',
	updated_at BIGINT NOT NULL,
	UNIQUE (team, shortcut)
);
`,
	// 20: the keys of the HTTP integration API: the secret's hash only,
	// scopes as a comma-separated list, revocation and the last use
	// (written at most once a minute per key).
	`
CREATE TABLE api_keys (
	id           TEXT PRIMARY KEY,
	name         TEXT NOT NULL,
	hash         TEXT NOT NULL,
	scopes       TEXT NOT NULL DEFAULT '',
	created_by   TEXT NOT NULL DEFAULT '',
	created_at   INTEGER NOT NULL,
	last_used_at INTEGER NOT NULL DEFAULT 0,
	revoked_at   INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX conversations_by_created ON conversations(created_at, id);
`,
	// 21: business hours (store.Hours): the global ones (team '') and the
	// teams' own; closed dates as a comma-separated list.
	`
CREATE TABLE business_hours (
	team       TEXT PRIMARY KEY,
	timezone   TEXT NOT NULL DEFAULT '',
	weekly     TEXT NOT NULL,
	closed     TEXT NOT NULL DEFAULT '',
	updated_by TEXT NOT NULL DEFAULT '',
	updated_at INTEGER NOT NULL
);
`,
	// 22: a timer postponed by a message keeps its row: the message's seq
	// joins its id in the version (timerVersion) instead of a new row,
	// which cost a delete, an insert and a sequence update per message.
	`
ALTER TABLE timers ADD COLUMN postponed INTEGER NOT NULL DEFAULT 0;
`,
	// 23: a customer's conversations by creation, not by last change: the
	// index then stays as it is when a message moves updated_at, which
	// every message does; a customer has few conversations, sorted when
	// read.
	`
DROP INDEX conversations_by_customer;
CREATE INDEX conversations_by_customer ON conversations(customer_id, created_at);
`,
	// 24: a postponement writes the timer's new due time beside due_at
	// (due_later) instead of moving due_at, so the index on due_at stays as
	// it is; a timer found at its old due time moves then (timers.go).
	`
ALTER TABLE timers ADD COLUMN due_later INTEGER NOT NULL DEFAULT 0;
`,
	// 25: conversations by state and team, without the last change: the
	// index then stays as it is when a message moves updated_at, which
	// every message does (an entry deleted from one page and inserted at
	// the end of another, two of the commit's pages). A listing by state
	// reads every matching row either way (its columns are not in the
	// index), so ordering them by updated_at costs only the sort.
	`
DROP INDEX conversations_by_state_team;
CREATE INDEX conversations_by_state_team ON conversations(state, team);
`,
}

// migrate brings the database to the newest schema version, one migration
// per transaction, recording each in schema_version.
func migrate(ctx context.Context, db *sql.DB) error {
	if _, err := db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)`); err != nil {
		return fmt.Errorf("create schema_version: %w", err)
	}
	var cur int
	if err := db.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_version`).Scan(&cur); err != nil {
		return fmt.Errorf("read schema version: %w", err)
	}
	if cur > len(migrations) {
		return fmt.Errorf("database schema version %d is newer than this binary knows (%d)", cur, len(migrations))
	}
	if cur == len(migrations) {
		return nil
	}
	// Every pending migration in one transaction: an upgrade is all or
	// nothing, and a new database is made with one disk flush, not one per
	// version.
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("migrate to %d: %w", cur+1, err)
	}
	for v := cur; v < len(migrations); v++ {
		if _, err := tx.ExecContext(ctx, migrations[v]); err != nil {
			tx.Rollback()
			return fmt.Errorf("migrate to %d: %w", v+1, err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO schema_version (version) VALUES (?)`, v+1); err != nil {
			tx.Rollback()
			return fmt.Errorf("migrate to %d: %w", v+1, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("migrate to %d: %w", len(migrations), err)
	}
	return nil
}
