package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// migrations are applied in order; migrations[i] brings the schema from
// version i to version i+1. Never edit a released migration: append one.
//
// The schema holds what the SQLite engine's does, in PostgreSQL's types:
// times are BIGINT unix milliseconds, lists of ids and skills are TEXT[],
// the business fields of conversations and customers are JSONB (merged in
// place by MergeExt). Message bodies (event, ext, attachment, card) are TEXT
// holding the JSON as it was sent: JSONB would reformat a card's data.
var migrations = []string{
	// 1: the first schema.
	`
CREATE TABLE settings (
	k TEXT PRIMARY KEY,
	v TEXT NOT NULL
);

CREATE TABLE teams (
	id                    TEXT PRIMARY KEY,
	name                  TEXT NOT NULL,
	skills                TEXT[] NOT NULL DEFAULT '{}',
	backup                TEXT NOT NULL DEFAULT '',
	overflow_at           INTEGER NOT NULL DEFAULT 0,
	sla_first_response_ms BIGINT NOT NULL DEFAULT 0,
	sla_wait_ms           BIGINT NOT NULL DEFAULT 0,
	sla_next_response_ms  BIGINT NOT NULL DEFAULT 0
);

CREATE TABLE agents (
	id            TEXT PRIMARY KEY,
	username      TEXT NOT NULL UNIQUE,
	name          TEXT NOT NULL,
	role          TEXT NOT NULL,
	password_hash TEXT NOT NULL,
	capacity      INTEGER NOT NULL DEFAULT 5,
	skills        TEXT[] NOT NULL DEFAULT '{}',
	disabled      BOOLEAN NOT NULL DEFAULT false,
	token_gen     BIGINT NOT NULL DEFAULT 0,
	created_at    BIGINT NOT NULL
);

CREATE TABLE agent_teams (
	agent_id TEXT NOT NULL REFERENCES agents(id) ON DELETE CASCADE,
	team_id  TEXT NOT NULL REFERENCES teams(id) ON DELETE CASCADE,
	PRIMARY KEY (agent_id, team_id)
);

CREATE TABLE customers (
	id         TEXT PRIMARY KEY,
	name       TEXT NOT NULL DEFAULT '',
	verified   JSONB NOT NULL DEFAULT '{}',
	created_at BIGINT NOT NULL
);

CREATE TABLE conversations (
	id               TEXT PRIMARY KEY,
	-- Insertion order: the queue's last tie-break.
	n                BIGINT GENERATED ALWAYS AS IDENTITY,
	customer_id      TEXT NOT NULL REFERENCES customers(id),
	channel          TEXT NOT NULL,
	state            TEXT NOT NULL,
	team             TEXT NOT NULL DEFAULT '',
	assignee_id      TEXT REFERENCES agents(id),
	handoff_reason   TEXT NOT NULL DEFAULT '',
	ext              JSONB NOT NULL DEFAULT '{}',
	verified         JSONB NOT NULL DEFAULT '{}',
	priority         INTEGER NOT NULL DEFAULT 0,
	epoch            BIGINT NOT NULL DEFAULT 1,
	last_seq         BIGINT NOT NULL DEFAULT 0,
	last_team        TEXT NOT NULL DEFAULT '',
	last_text        TEXT NOT NULL DEFAULT '',
	queued_at        BIGINT NOT NULL DEFAULT 0,
	offer_agent_id   TEXT NOT NULL DEFAULT '',
	offer_expires_at BIGINT NOT NULL DEFAULT 0,
	transfer_from_id TEXT NOT NULL DEFAULT '',
	packet           TEXT NOT NULL DEFAULT '',
	rating           INTEGER NOT NULL DEFAULT 0,
	rating_comment   TEXT NOT NULL DEFAULT '',
	joined           TEXT[] NOT NULL DEFAULT '{}',
	assist_at        BIGINT NOT NULL DEFAULT 0,
	assigned_at      BIGINT NOT NULL DEFAULT 0,
	first_reply_at   BIGINT NOT NULL DEFAULT 0,
	awaiting_since   BIGINT NOT NULL DEFAULT 0,
	created_at       BIGINT NOT NULL,
	updated_at       BIGINT NOT NULL
);

-- A customer has at most one open conversation: their next message always
-- has exactly one place to go.
CREATE UNIQUE INDEX conversations_one_open ON conversations(customer_id)
	WHERE state NOT IN ('resolved', 'closed');
CREATE INDEX conversations_by_customer ON conversations(customer_id, updated_at);
CREATE INDEX conversations_by_assignee ON conversations(assignee_id, state);
CREATE INDEX conversations_by_state_team ON conversations(state, team, updated_at);
CREATE INDEX conversations_queue ON conversations(priority DESC, queued_at, n) WHERE state = 'queued';
CREATE INDEX conversations_by_offer ON conversations(offer_agent_id) WHERE offer_agent_id <> '';

CREATE TABLE messages (
	conversation_id TEXT NOT NULL REFERENCES conversations(id),
	seq             BIGINT NOT NULL,
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
	attachment_id   TEXT,
	attachment      TEXT,
	card            TEXT,
	created_at      BIGINT NOT NULL,
	PRIMARY KEY (conversation_id, seq)
);
CREATE INDEX messages_by_attachment ON messages(attachment_id) WHERE attachment_id IS NOT NULL;

CREATE TABLE read_cursors (
	conversation_id TEXT NOT NULL REFERENCES conversations(id),
	reader_id       TEXT NOT NULL,
	reader_role     TEXT NOT NULL,
	seq             BIGINT NOT NULL,
	updated_at      BIGINT NOT NULL,
	PRIMARY KEY (conversation_id, reader_id)
);

CREATE TABLE timers (
	-- The version: an identity never hands out a value twice, so a timer
	-- read before it was replaced cannot be mistaken for its replacement.
	id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	conversation_id TEXT NOT NULL REFERENCES conversations(id),
	kind            TEXT NOT NULL,
	due_at          BIGINT NOT NULL,
	UNIQUE (conversation_id, kind)
);
CREATE INDEX timers_by_due ON timers(due_at, id);

CREATE TABLE offer_refusals (
	conversation_id TEXT NOT NULL REFERENCES conversations(id),
	agent_id        TEXT NOT NULL,
	created_at      BIGINT NOT NULL,
	PRIMARY KEY (conversation_id, agent_id)
);

CREATE TABLE files (
	id              TEXT PRIMARY KEY,
	conversation_id TEXT NOT NULL REFERENCES conversations(id),
	uploader_id     TEXT NOT NULL,
	uploader_role   TEXT NOT NULL,
	name            TEXT NOT NULL,
	size            BIGINT NOT NULL,
	mime            TEXT NOT NULL,
	sha256          TEXT NOT NULL,
	thumb_sha256    TEXT NOT NULL DEFAULT '',
	width           INTEGER NOT NULL DEFAULT 0,
	height          INTEGER NOT NULL DEFAULT 0,
	duration_ms     BIGINT NOT NULL DEFAULT 0,
	state           TEXT NOT NULL,
	created_at      BIGINT NOT NULL
);
CREATE INDEX files_by_conversation ON files(conversation_id, created_at);
CREATE INDEX files_by_sha256 ON files(sha256);

CREATE TABLE conversation_tags (
	conversation_id TEXT NOT NULL REFERENCES conversations(id),
	tag_key         TEXT NOT NULL,
	tag             TEXT NOT NULL,
	created_at      BIGINT NOT NULL,
	PRIMARY KEY (conversation_id, tag_key)
);

CREATE TABLE customer_notes (
	id              TEXT PRIMARY KEY,
	-- Insertion order: notes of one millisecond still list newest first.
	n               BIGINT GENERATED ALWAYS AS IDENTITY,
	customer_id     TEXT NOT NULL REFERENCES customers(id),
	conversation_id TEXT NOT NULL DEFAULT '',
	author_id       TEXT NOT NULL,
	author_name     TEXT NOT NULL DEFAULT '',
	text            TEXT NOT NULL,
	created_at      BIGINT NOT NULL
);
CREATE INDEX customer_notes_by_customer ON customer_notes(customer_id, created_at, n);

-- The audit log, one hash chain (package audit). id is assigned by the
-- writer, one after the last, under the audit lock (audit.go).
CREATE TABLE audit (
	id              BIGINT PRIMARY KEY,
	ts              BIGINT NOT NULL,
	actor           TEXT NOT NULL,
	action          TEXT NOT NULL,
	conversation_id TEXT NOT NULL DEFAULT '',
	detail          TEXT NOT NULL DEFAULT '',
	hash            TEXT NOT NULL
);
CREATE INDEX audit_by_conversation ON audit(conversation_id, id);
CREATE INDEX audit_by_actor ON audit(actor, id);
CREATE INDEX audit_by_action ON audit(action, id);
CREATE INDEX audit_by_ts ON audit(ts);

CREATE TABLE refresh_tokens (
	hash              TEXT PRIMARY KEY,
	family_id         TEXT NOT NULL,
	agent_id          TEXT NOT NULL,
	token_gen         BIGINT NOT NULL,
	created_at        BIGINT NOT NULL,
	expires_at        BIGINT NOT NULL,
	family_expires_at BIGINT NOT NULL,
	used_at           BIGINT NOT NULL DEFAULT 0,
	revoked_at        BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX refresh_tokens_by_family ON refresh_tokens(family_id);
CREATE INDEX refresh_tokens_by_expiry ON refresh_tokens(expires_at);
`,
	// 2: queue claims (store.QueueClaims): the router holding a queued
	// conversation while it offers it, and until when. The index serves a
	// team's routable conversations in queue order.
	`
ALTER TABLE conversations ADD COLUMN route_lease_until BIGINT NOT NULL DEFAULT 0;
ALTER TABLE conversations ADD COLUMN route_lease_node TEXT NOT NULL DEFAULT '';
CREATE INDEX conversations_routable ON conversations(team, priority DESC, queued_at, n)
	WHERE state = 'queued' AND offer_agent_id = '';
`,
	// 3: the bot's learning loop: the questions it missed (open until an
	// edit of the knowledge base answers them), the customers' verdicts on
	// its answers, one per message, and the versions of the knowledge
	// base.
	`
CREATE TABLE bot_misses (
	id              TEXT PRIMARY KEY,
	-- Insertion order: misses of one millisecond still list newest first.
	n               BIGINT GENERATED ALWAYS AS IDENTITY,
	conversation_id TEXT NOT NULL,
	seq             BIGINT NOT NULL,
	text            TEXT NOT NULL DEFAULT '',
	locale          TEXT NOT NULL DEFAULT '',
	reason          TEXT NOT NULL,
	status          TEXT NOT NULL DEFAULT 'open',
	closed_by       BIGINT NOT NULL DEFAULT 0,
	closed_at       BIGINT NOT NULL DEFAULT 0,
	created_at      BIGINT NOT NULL
);
CREATE UNIQUE INDEX bot_misses_once ON bot_misses(conversation_id, seq, reason);
CREATE INDEX bot_misses_open ON bot_misses(created_at, n) WHERE status = 'open';

CREATE TABLE bot_feedback (
	conversation_id TEXT NOT NULL,
	seq             BIGINT NOT NULL,
	customer_id     TEXT NOT NULL,
	helpful         BOOLEAN NOT NULL,
	created_at      BIGINT NOT NULL,
	PRIMARY KEY (conversation_id, seq)
);

CREATE TABLE kb_versions (
	version    BIGINT PRIMARY KEY,
	data       TEXT NOT NULL,
	sum        TEXT NOT NULL,
	author     TEXT NOT NULL DEFAULT '',
	summary    TEXT NOT NULL DEFAULT '',
	entries    INTEGER NOT NULL DEFAULT 0,
	created_at BIGINT NOT NULL
);
`,
	// 4: outgoing webhooks (store.Webhooks): endpoints, the outbox every
	// stored message adds an entry to in its own transaction, and one
	// delivery per endpoint and event. The pending index serves the claim
	// (the lowest pending seq of an endpoint and conversation).
	`
CREATE TABLE webhook_endpoints (
	id               TEXT PRIMARY KEY,
	url              TEXT NOT NULL,
	events           TEXT NOT NULL DEFAULT '',
	private          BOOLEAN NOT NULL DEFAULT false,
	enabled          BOOLEAN NOT NULL DEFAULT true,
	secret           TEXT NOT NULL,
	old_secret       TEXT NOT NULL DEFAULT '',
	old_secret_until BIGINT NOT NULL DEFAULT 0,
	created_at       BIGINT NOT NULL,
	updated_at       BIGINT NOT NULL
);
CREATE TABLE outbox (
	id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	conversation_id TEXT NOT NULL,
	seq             BIGINT NOT NULL,
	kind            TEXT NOT NULL,
	event_type      TEXT NOT NULL DEFAULT '',
	visibility      TEXT NOT NULL,
	created_at      BIGINT NOT NULL
);
CREATE TABLE webhook_deliveries (
	id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	endpoint_id     TEXT NOT NULL REFERENCES webhook_endpoints(id) ON DELETE CASCADE,
	conversation_id TEXT NOT NULL,
	seq             BIGINT NOT NULL,
	event_type      TEXT NOT NULL,
	state           TEXT NOT NULL DEFAULT 'pending',
	attempts        BIGINT NOT NULL DEFAULT 0,
	first_at        BIGINT NOT NULL DEFAULT 0,
	next_at         BIGINT NOT NULL,
	lease_holder    TEXT NOT NULL DEFAULT '',
	lease_until     BIGINT NOT NULL DEFAULT 0,
	last_status     BIGINT NOT NULL DEFAULT 0,
	last_error      TEXT NOT NULL DEFAULT '',
	created_at      BIGINT NOT NULL,
	done_at         BIGINT NOT NULL DEFAULT 0,
	UNIQUE (endpoint_id, conversation_id, seq)
);
CREATE INDEX webhook_deliveries_pending ON webhook_deliveries(endpoint_id, conversation_id, seq)
	WHERE state = 'pending';
CREATE INDEX webhook_deliveries_due ON webhook_deliveries(next_at) WHERE state = 'pending';
CREATE INDEX webhook_deliveries_by_state ON webhook_deliveries(state, done_at);
`,
	// 5: canned responses (store.CannedResponses): shared replies, global
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
	// 6: the keys of the HTTP integration API: the secret's hash only,
	// scopes as a comma-separated list, revocation and the last use
	// (written at most once a minute per key).
	`
CREATE TABLE api_keys (
	id           TEXT PRIMARY KEY,
	name         TEXT NOT NULL,
	hash         TEXT NOT NULL,
	scopes       TEXT NOT NULL DEFAULT '',
	created_by   TEXT NOT NULL DEFAULT '',
	created_at   BIGINT NOT NULL,
	last_used_at BIGINT NOT NULL DEFAULT 0,
	revoked_at   BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX conversations_by_created ON conversations(created_at, id);
`,
	// 7: business hours (store.Hours): the global ones (team '') and the
	// teams' own; closed dates as a comma-separated list.
	`
CREATE TABLE business_hours (
	team       TEXT PRIMARY KEY,
	timezone   TEXT NOT NULL DEFAULT '',
	weekly     TEXT NOT NULL,
	closed     TEXT NOT NULL DEFAULT '',
	updated_by TEXT NOT NULL DEFAULT '',
	updated_at BIGINT NOT NULL
);
`,
	// 8: no index on updated_at, which every message moves: a customer's
	// conversations by creation (a customer has few, sorted when read),
	// and conversations by state and team alone (a listing by state reads
	// every matching row either way). A message's update of its
	// conversation then changes no indexed column and can stay on its page
	// (a heap-only tuple) instead of adding an entry to every index; a
	// fifth of each new page is left free for those updates.
	`
DROP INDEX conversations_by_customer;
CREATE INDEX conversations_by_customer ON conversations(customer_id, created_at);
DROP INDEX conversations_by_state_team;
CREATE INDEX conversations_by_state_team ON conversations(state, team);
ALTER TABLE conversations SET (fillfactor = 80);
`,
}

// Advisory lock keys (per database). Any 64-bit values will do as long as
// nothing else in the database uses them.
const (
	migrateLockKey int64 = 0x5377_6263_4d69_6772 // "SwbcMigr"
	auditLockKey   int64 = 0x5377_6263_4175_6474 // "SwbcAudt"
	fanOutLockKey  int64 = 0x5377_6263_466e_4f74 // "SwbcFnOt"
	kbLockKey      int64 = 0x5377_6263_4b42_5673 // "SwbcKBVs"
)

// migrate brings the database to the newest schema version, one migration
// per transaction, recording each in schema_version. Nodes starting at once
// take turns: the first migrates, the others find the work done.
func migrate(ctx context.Context, pool *pgxpool.Pool) error {
	conn, err := pool.Acquire(ctx)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	defer conn.Release()
	if _, err := conn.Exec(ctx, `SELECT pg_advisory_lock($1)`, migrateLockKey); err != nil {
		return fmt.Errorf("migrate: lock: %w", err)
	}
	defer conn.Exec(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock($1)`, migrateLockKey)
	if _, err := conn.Exec(ctx, `CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)`); err != nil {
		return fmt.Errorf("create schema_version: %w", err)
	}
	var cur int
	if err := conn.QueryRow(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_version`).Scan(&cur); err != nil {
		return fmt.Errorf("read schema version: %w", err)
	}
	if cur > len(migrations) {
		return fmt.Errorf("database schema version %d is newer than this binary knows (%d)", cur, len(migrations))
	}
	for v := cur; v < len(migrations); v++ {
		err := pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
			if _, err := tx.Exec(ctx, migrations[v]); err != nil {
				return err
			}
			_, err := tx.Exec(ctx, `INSERT INTO schema_version (version) VALUES ($1)`, v+1)
			return err
		})
		if err != nil {
			return fmt.Errorf("migrate to %d: %w", v+1, err)
		}
	}
	return nil
}
