package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"switchboard/backend/conversation"
	"switchboard/backend/store"
	"switchboard/protocol"
)

const convColumns = `c.id, c.customer_id, cu.name, c.channel, c.state, c.team, COALESCE(c.assignee_id, ''),
	COALESCE(a.name, ''), c.handoff_reason, c.ext::text, c.verified::text, c.epoch, c.last_seq, c.last_team, c.last_text,
	COALESCE((SELECT r.seq FROM read_cursors r WHERE r.conversation_id = c.id AND r.reader_id = c.customer_id), 0),
	COALESCE((SELECT r.seq FROM read_cursors r WHERE r.conversation_id = c.id AND r.reader_id = c.assignee_id), 0),
	c.priority, c.queued_at, c.offer_agent_id,
	COALESCE((SELECT o.name FROM agents o WHERE o.id = c.offer_agent_id), ''),
	c.offer_expires_at, c.transfer_from_id, c.packet, c.rating, c.rating_comment,
	ARRAY(SELECT t.tag FROM conversation_tags t WHERE t.conversation_id = c.id),
	c.joined,
	ARRAY(SELECT COALESCE(ja.name, '') FROM unnest(c.joined) WITH ORDINALITY AS j(id, n)
		LEFT JOIN agents ja ON ja.id = j.id ORDER BY j.n),
	c.assist_at, c.assigned_at, c.first_reply_at, c.awaiting_since,
	c.created_at, c.updated_at`

const convFrom = ` FROM conversations c
	JOIN customers cu ON cu.id = c.customer_id
	LEFT JOIN agents a ON a.id = c.assignee_id`

const loadConversationSQL = `SELECT ` + convColumns + convFrom + ` WHERE c.id = $1`

func scanConversation(sc pgx.Row) (store.Conversation, error) {
	var c store.Conversation
	var state, ext, verified string
	var joinedIDs, joinedNames []string
	err := sc.Scan(&c.ID, &c.CustomerID, &c.CustomerName, &c.Channel, &state, &c.Team, &c.AssigneeID,
		&c.AssigneeName, &c.HandoffReason, &ext, &verified, &c.Epoch, &c.LastSeq, &c.LastTeam, &c.LastText,
		&c.CustomerReadSeq, &c.AgentReadSeq, &c.Priority, &c.QueuedAt, &c.OfferAgentID, &c.OfferAgentName,
		&c.OfferExpiresAt, &c.TransferFromID, &c.Packet, &c.Rating, &c.RatingComment, &c.Tags, &joinedIDs, &joinedNames,
		&c.AssistAt, &c.AssignedAt, &c.FirstReplyAt, &c.AwaitingSince, &c.CreatedAt, &c.UpdatedAt)
	if err != nil {
		return c, err
	}
	c.State = conversation.State(state)
	if len(joinedIDs) != len(joinedNames) {
		return c, fmt.Errorf("conversation %s joined: %d ids, %d names", c.ID, len(joinedIDs), len(joinedNames))
	}
	for i, id := range joinedIDs {
		c.Joined = append(c.Joined, store.Staff{ID: id, Name: joinedNames[i]})
	}
	if c.Ext, err = decodeExt(ext); err != nil {
		return c, fmt.Errorf("conversation %s ext: %w", c.ID, err)
	}
	if c.Verified, err = decodeExt(verified); err != nil {
		return c, fmt.Errorf("conversation %s verified: %w", c.ID, err)
	}
	c.Tags = orNil(c.Tags)
	protocol.SortTags(c.Tags)
	return c, nil
}

func loadConversation(ctx context.Context, q querier, id string) (store.Conversation, error) {
	return scanConversation(q.QueryRow(ctx, loadConversationSQL, id))
}

// lockConversation takes the conversation's row lock for the rest of the
// transaction (see the package comment). FOR NO KEY UPDATE does not block
// rows that merely reference the conversation (a file, a cursor).
func lockConversation(ctx context.Context, tx pgx.Tx, id string) error {
	var one int
	return tx.QueryRow(ctx, `SELECT 1 FROM conversations WHERE id = $1 FOR NO KEY UPDATE`, id).Scan(&one)
}

// CreateConversation implements store.Store.
func (s *Store) CreateConversation(ctx context.Context, nc store.NewConversation) (store.Conversation, store.Message, error) {
	to, err := conversation.Transition(conversation.None, conversation.Open)
	if err != nil {
		return store.Conversation{}, store.Message{}, fmt.Errorf("create conversation: %w: %w", store.ErrIllegalState, err)
	}
	if nc.ID == "" {
		nc.ID = uuid.Must(uuid.NewV7()).String()
	}
	ext, err := encodeExt(nc.Ext)
	if err != nil {
		return store.Conversation{}, store.Message{}, fmt.Errorf("create conversation: %w", err)
	}
	verified, err := encodeExt(nc.Verified)
	if err != nil {
		return store.Conversation{}, store.Message{}, fmt.Errorf("create conversation: %w", err)
	}
	var conv store.Conversation
	var msg store.Message
	err = s.write(ctx, func(tx pgx.Tx) error {
		// The unique index conversations_one_open is what refuses a second
		// open conversation, also when two are created at once; the read
		// only gives the common case a clear message.
		var n int
		if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM conversations
			WHERE customer_id = $1 AND state NOT IN ('resolved', 'closed')`, nc.CustomerID).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return fmt.Errorf("%w: customer %s already has an open conversation", store.ErrConflict, nc.CustomerID)
		}
		now := s.nowMS()
		if _, err := tx.Exec(ctx, `INSERT INTO conversations
			(id, customer_id, channel, state, ext, verified, priority, epoch, last_seq, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5::text::jsonb, $6::text::jsonb, $7, 1, 0, $8, $8)`, nc.ID, nc.CustomerID, nc.Channel, string(to), ext, verified,
			store.Priority(nc.Verified), now); err != nil {
			return err
		}
		m := nc.Opened
		m.ConversationID = nc.ID
		if m.Event != nil {
			ev := *m.Event
			ev.From, ev.To = string(conversation.None), string(to)
			m.Event = &ev
		}
		var err error
		if msg, err = insertMessage(ctx, tx, m, now); err != nil {
			return err
		}
		if err := s.audit(ctx, tx, store.AuditEntry{TS: now, Actor: nc.Actor, Action: string(conversation.Open),
			ConversationID: nc.ID, Detail: "to=" + string(to)}); err != nil {
			return err
		}
		conv, err = loadConversation(ctx, tx, nc.ID)
		return err
	})
	if err != nil {
		return store.Conversation{}, store.Message{}, fmt.Errorf("create conversation customer=%s: %w", nc.CustomerID, translate(err))
	}
	return conv, msg, nil
}

// Conversation implements store.Store.
func (s *Store) Conversation(ctx context.Context, id string) (store.Conversation, error) {
	c, err := loadConversation(ctx, s.pool, id)
	if err != nil {
		return store.Conversation{}, fmt.Errorf("conversation %s: %w", id, translate(err))
	}
	return c, nil
}

// OpenConversationOf implements store.Store.
func (s *Store) OpenConversationOf(ctx context.Context, customerID string) (store.Conversation, error) {
	c, err := scanConversation(s.pool.QueryRow(ctx, `SELECT `+convColumns+convFrom+`
		WHERE c.customer_id = $1 AND c.state NOT IN ('resolved', 'closed')
		ORDER BY c.created_at DESC LIMIT 1`, customerID))
	if err != nil {
		return store.Conversation{}, fmt.Errorf("open conversation of %s: %w", customerID, translate(err))
	}
	return c, nil
}

// ListConversations implements store.Store.
// AgentLoad implements store.Store.
func (s *Store) AgentLoad(ctx context.Context, agentID string, states []conversation.State) (int, error) {
	st := make([]string, len(states))
	for i, x := range states {
		st[i] = string(x)
	}
	var n int
	err := s.pool.QueryRow(ctx, `SELECT (SELECT count(*) FROM conversations WHERE assignee_id = $1 AND state = ANY($2))
		+ (SELECT count(*) FROM conversations WHERE offer_agent_id = $1 AND offer_agent_id <> '' AND coalesce(assignee_id, '') <> $1)`,
		agentID, st).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("agent load %s: %w", agentID, translate(err))
	}
	return n, nil
}

func (s *Store) ListConversations(ctx context.Context, f store.ConversationFilter) ([]store.Conversation, error) {
	var where []string
	var args []any
	add := func(cond string, arg any) {
		args = append(args, arg)
		where = append(where, strings.ReplaceAll(cond, "?", "$"+strconv.Itoa(len(args))))
	}
	if f.CustomerID != "" {
		add("c.customer_id = ?", f.CustomerID)
	}
	if f.AssigneeID != "" {
		add("c.assignee_id = ?", f.AssigneeID)
	}
	if f.OfferAgentID != "" {
		add("c.offer_agent_id = ?", f.OfferAgentID)
	}
	if len(f.Teams) > 0 {
		add("c.team = ANY(?)", f.Teams)
	}
	if len(f.States) > 0 {
		states := make([]string, len(f.States))
		for i, st := range f.States {
			states[i] = string(st)
		}
		add("c.state = ANY(?)", states)
	}
	if f.Field != "" {
		args = append(args, f.Field, f.FieldValue)
		k, v := "$"+strconv.Itoa(len(args)-1), "$"+strconv.Itoa(len(args))
		where = append(where, "(c.ext->>"+k+" = "+v+" OR c.verified->>"+k+" = "+v+")")
	}
	if f.CreatedSince != 0 {
		add("c.created_at >= ?", f.CreatedSince)
	}
	if f.CreatedUntil != 0 {
		add("c.created_at < ?", f.CreatedUntil)
	}
	if f.ByCreated && f.AfterID != "" {
		args = append(args, f.AfterCreated, f.AfterID)
		at, id := "$"+strconv.Itoa(len(args)-1), "$"+strconv.Itoa(len(args))
		where = append(where, "(c.created_at < "+at+" OR (c.created_at = "+at+" AND c.id COLLATE \"C\" < "+id+"))")
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 500
	}
	q := `SELECT ` + convColumns + convFrom
	if len(where) > 0 {
		q += ` WHERE ` + strings.Join(where, " AND ")
	}
	args = append(args, limit)
	lim := ` LIMIT $` + strconv.Itoa(len(args))
	switch {
	case f.ByCreated:
		q += ` ORDER BY c.created_at DESC, c.id COLLATE "C" DESC` + lim
	case f.QueueOrder:
		q += ` ORDER BY c.priority DESC, c.queued_at, c.n` + lim
	case f.Newest:
		q += ` ORDER BY c.updated_at DESC, c.id COLLATE "C" DESC` + lim
	default:
		q += ` ORDER BY c.updated_at, c.id COLLATE "C"` + lim
	}
	rows, err := s.pool.Query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("list conversations: %w", err)
	}
	defer rows.Close()
	out := []store.Conversation{}
	for rows.Next() {
		c, err := scanConversation(rows)
		if err != nil {
			return nil, fmt.Errorf("list conversations: %w", err)
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list conversations: %w", err)
	}
	return out, nil
}

// MergeExt implements store.Store. JSONB's || merges in the database, so
// concurrent merges of different keys all land.
func (s *Store) MergeExt(ctx context.Context, id string, ext map[string]string) (store.Conversation, error) {
	enc, err := encodeExt(ext)
	if err != nil {
		return store.Conversation{}, fmt.Errorf("merge ext conv=%s: %w", id, err)
	}
	var conv store.Conversation
	err = s.write(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE conversations SET ext = ext || $2::text::jsonb, updated_at = $3 WHERE id = $1`,
			id, enc, s.nowMS())
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return store.ErrNotFound
		}
		conv, err = loadConversation(ctx, tx, id)
		return err
	})
	if err != nil {
		return store.Conversation{}, fmt.Errorf("merge ext conv=%s: %w", id, translate(err))
	}
	return conv, nil
}

// SetVerified implements store.Store.
func (s *Store) SetVerified(ctx context.Context, id string, verified map[string]string) (store.Conversation, error) {
	enc, err := encodeExt(verified)
	if err != nil {
		return store.Conversation{}, fmt.Errorf("set verified conv=%s: %w", id, err)
	}
	var conv store.Conversation
	err = s.write(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE conversations SET verified = $2::text::jsonb, priority = $3, updated_at = $4 WHERE id = $1`,
			id, enc, store.Priority(verified), s.nowMS())
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return store.ErrNotFound
		}
		conv, err = loadConversation(ctx, tx, id)
		return err
	})
	if err != nil {
		return store.Conversation{}, fmt.Errorf("set verified conv=%s: %w", id, translate(err))
	}
	return conv, nil
}

// SetLastTeam implements store.Store.
func (s *Store) SetLastTeam(ctx context.Context, id, team string) error {
	tag, err := s.pool.Exec(ctx, `UPDATE conversations SET last_team = $2 WHERE id = $1`, id, team)
	if err == nil && tag.RowsAffected() == 0 {
		err = store.ErrNotFound
	}
	if err != nil {
		return fmt.Errorf("set last team conv=%s: %w", id, translate(err))
	}
	return nil
}

// ChangeState implements store.Store.
func (s *Store) ChangeState(ctx context.Context, sc store.StateChange) (store.Conversation, store.Message, error) {
	var conv store.Conversation
	var msg store.Message
	err := s.write(ctx, func(tx pgx.Tx) error {
		var err error
		conv, msg, err = s.changeStateTx(ctx, tx, sc)
		return err
	})
	if err != nil {
		return store.Conversation{}, store.Message{}, fmt.Errorf("change state conv=%s event=%s: %w", sc.ConversationID, sc.Event, translate(err))
	}
	return conv, msg, nil
}

// changeStateTx is ChangeState inside a transaction.
func (s *Store) changeStateTx(ctx context.Context, tx pgx.Tx, sc store.StateChange) (store.Conversation, store.Message, error) {
	var conv store.Conversation
	var msg store.Message
	var from, offer, assignee string
	var joinedBefore []string
	var rating int
	if g := sc.Capacity; g != nil {
		// Guarded changes for one agent take turns: the agent's row first
		// (NO KEY UPDATE: the foreign keys' KEY SHARE locks of other
		// writes pass), then the conversation's, always in that order.
		if _, err := tx.Exec(ctx, `SELECT 1 FROM agents WHERE id = $1 FOR NO KEY UPDATE`, g.AgentID); err != nil {
			return conv, msg, err
		}
	}
	// The row lock makes the checks below hold until the commit.
	if err := tx.QueryRow(ctx, `SELECT state, joined, offer_agent_id, rating, COALESCE(assignee_id, '')
		FROM conversations WHERE id = $1 FOR NO KEY UPDATE`, sc.ConversationID).
		Scan(&from, &joinedBefore, &offer, &rating, &assignee); err != nil {
		return conv, msg, err
	}
	to, err := conversation.Transition(conversation.State(from), sc.Event)
	if err != nil {
		return conv, msg, fmt.Errorf("%w: %w", store.ErrIllegalState, err)
	}
	joined := nextJoined(joinedBefore, sc, to)
	if sc.IfState != "" && conversation.State(from) != sc.IfState {
		return conv, msg, fmt.Errorf("%w: %s needs state %s, not %s", store.ErrIllegalState, sc.Event, sc.IfState, from)
	}
	if sc.IfTimer != nil {
		armed, err := timerArmedTx(ctx, tx, sc.ConversationID, *sc.IfTimer)
		if err != nil {
			return conv, msg, err
		}
		if !armed {
			return conv, msg, fmt.Errorf("%w: %s timer %d is no longer armed", store.ErrIllegalState, sc.IfTimer.Kind, sc.IfTimer.Version)
		}
	}
	if sc.IfOffer != nil && offer != *sc.IfOffer {
		return conv, msg, fmt.Errorf("%w: the conversation is offered to %q, not %q", store.ErrIllegalState, offer, *sc.IfOffer)
	}
	if sc.Rating != nil && rating != 0 {
		return conv, msg, fmt.Errorf("%w: the conversation is rated already", store.ErrIllegalState)
	}
	if sc.IfAssignee != nil && assignee != *sc.IfAssignee {
		return conv, msg, fmt.Errorf("%w: the conversation is assigned to %q, not %q", store.ErrIllegalState, assignee, *sc.IfAssignee)
	}
	if err := changeTimersTx(ctx, tx, sc); err != nil {
		return conv, msg, err
	}
	now := s.nowMS()
	var offerExpires *int64
	if sc.OfferAgentID != nil {
		v := sc.OfferExpiresAt
		if *sc.OfferAgentID == "" {
			v = 0
		}
		offerExpires = &v
	}
	var ratingScore *int64
	var ratingComment *string
	if sc.Rating != nil {
		v := int64(sc.Rating.Score)
		ratingScore, ratingComment = &v, &sc.Rating.Comment
	}
	// A new assignee (not a change to none) starts the first-reply clock
	// and lowers a request for help; so does leaving the worked states.
	newAssignee := sc.AssigneeID != nil && *sc.AssigneeID != ""
	worked := to == conversation.Active || to == conversation.WaitingCustomer
	// Every change ends a router's queue lease (store.QueueClaims): an
	// offer is what the lease was for, and after any other change the
	// conversation is worth a fresh look by every router.
	// The conditions repeat the checks above: under the row lock they
	// cannot fail, and without it (a future caller that skips it) of two
	// concurrent changes still only one would win.
	tag, err := tx.Exec(ctx, `UPDATE conversations SET state = $1,
			team = COALESCE($2, team),
			assigned_at = CASE WHEN $3 AND COALESCE(assignee_id, '') <> $4 THEN $5 ELSE assigned_at END,
			first_reply_at = CASE WHEN $3 AND COALESCE(assignee_id, '') <> $4 THEN 0 ELSE first_reply_at END,
			assist_at = CASE WHEN $6::bigint IS NOT NULL THEN $6::bigint
				WHEN NOT $7 OR ($3 AND COALESCE(assignee_id, '') <> $4) THEN 0 ELSE assist_at END,
			joined = $8,
			assignee_id = CASE WHEN $9 THEN NULLIF($4, '') ELSE assignee_id END,
			handoff_reason = COALESCE($10, handoff_reason),
			queued_at = CASE WHEN $1 = 'queued' AND state <> 'queued' THEN $5 ELSE queued_at END,
			offer_agent_id = COALESCE($11, offer_agent_id),
			offer_expires_at = COALESCE($12, offer_expires_at),
			transfer_from_id = COALESCE($13, transfer_from_id),
			packet = COALESCE($14, packet),
			rating = COALESCE($15::integer, rating),
			rating_comment = COALESCE($16, rating_comment),
			route_lease_until = 0,
			route_lease_node = '',
			updated_at = $5
		WHERE id = $17 AND state = $18
			AND ($19::text IS NULL OR offer_agent_id = $19::text)
			AND ($20::text IS NULL OR COALESCE(assignee_id, '') = $20::text)
			AND ($15::integer IS NULL OR rating = 0)`,
		string(to), sc.Team, newAssignee, deref(sc.AssigneeID), now,
		sc.Assist, worked, joined, sc.AssigneeID != nil, sc.HandoffReason,
		sc.OfferAgentID, offerExpires, sc.TransferFromID, sc.Packet, ratingScore, ratingComment,
		sc.ConversationID, from, sc.IfOffer, sc.IfAssignee)
	if err != nil {
		return conv, msg, err
	}
	if tag.RowsAffected() == 0 {
		return conv, msg, fmt.Errorf("%w: conversation changed concurrently", store.ErrIllegalState)
	}
	if sc.Refuse != "" {
		if _, err := tx.Exec(ctx, `INSERT INTO offer_refusals (conversation_id, agent_id, created_at) VALUES ($1, $2, $3)
			ON CONFLICT DO NOTHING`, sc.ConversationID, sc.Refuse, now); err != nil {
			return conv, msg, err
		}
	}
	if g := sc.Capacity; g != nil {
		// Read after the agent's lock was taken: every guarded change for
		// the agent committed before is counted.
		var load int
		if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM conversations
			WHERE (assignee_id = $1 AND state IN ('active', 'waiting_customer'))
				OR (offer_agent_id = $1 AND COALESCE(assignee_id, '') <> $1)`, g.AgentID).Scan(&load); err != nil {
			return conv, msg, err
		}
		if load > g.Max {
			return conv, msg, fmt.Errorf("%w: agent %s would have %d conversations, capacity %d", store.ErrLimit, g.AgentID, load, g.Max)
		}
	}
	m := sc.Message
	m.ConversationID = sc.ConversationID
	if m.Event != nil {
		ev := *m.Event
		ev.From, ev.To = from, string(to)
		m.Event = &ev
	}
	if msg, err = insertMessage(ctx, tx, m, now); err != nil {
		return conv, msg, err
	}
	for _, then := range sc.Then {
		then.ConversationID = sc.ConversationID
		if _, err := insertMessage(ctx, tx, then, now); err != nil {
			return conv, msg, err
		}
	}
	if err := s.audit(ctx, tx, store.AuditEntry{TS: now, Actor: sc.Actor, Action: string(sc.Event),
		ConversationID: sc.ConversationID, Detail: "from=" + from + " to=" + string(to)}); err != nil {
		return conv, msg, err
	}
	conv, err = loadConversation(ctx, tx, sc.ConversationID)
	return conv, msg, err
}

// nextJoined is the joined list after sc, given the list before and the
// state the change leads to.
func nextJoined(before []string, sc store.StateChange, to conversation.State) []string {
	if to != conversation.Active && to != conversation.WaitingCustomer {
		return []string{}
	}
	ids := slices.DeleteFunc(slices.Clone(list(before)), func(id string) bool { return id == sc.Leave || id == sc.Join })
	if sc.Join != "" {
		ids = append(ids, sc.Join)
	}
	return ids
}

// Refusals implements store.Store.
func (s *Store) Refusals(ctx context.Context, conversationID string) ([]string, error) {
	rows, err := s.pool.Query(ctx, `SELECT agent_id FROM offer_refusals WHERE conversation_id = $1`, conversationID)
	if err != nil {
		return nil, fmt.Errorf("refusals conv=%s: %w", conversationID, err)
	}
	out, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, fmt.Errorf("refusals conv=%s: %w", conversationID, err)
	}
	return orNil(out), nil
}

func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

// advanceSeqSQL allocates the next seq of a conversation and updates what
// the message changes on it, in one statement of the append's transaction.
const advanceSeqSQL = `UPDATE conversations SET last_seq = last_seq + 1, updated_at = $2,
		last_text = CASE WHEN $3 THEN $4 ELSE last_text END,
		awaiting_since = CASE WHEN $5 AND awaiting_since = 0 THEN $2 WHEN $6 THEN 0 ELSE awaiting_since END,
		first_reply_at = CASE WHEN $6 AND first_reply_at = 0 AND assignee_id = $7 THEN $2 ELSE first_reply_at END
	WHERE id = $1 RETURNING last_seq`

// insertMessageSQL stores a message and its outbox entry (see
// store.Webhooks) in one statement.
const insertMessageSQL = `WITH m AS (INSERT INTO messages
	(conversation_id, seq, client_msg_id, sender_role, sender_id, sender_name, kind, visibility, text, event, ext, created_at,
	 attachment_id, attachment, card)
	VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
	RETURNING conversation_id, seq, kind, visibility, created_at)
	INSERT INTO outbox (conversation_id, seq, kind, event_type, visibility, created_at)
	SELECT conversation_id, seq, kind, $16, visibility, created_at FROM m`

// eventType is an event message's type, "" for other messages.
func eventType(e *store.Event) string {
	if e == nil {
		return ""
	}
	return e.Type
}

// jsonOrNil is v as JSON, or NULL for nil.
func jsonOrNil[T any](v *T) (*string, error) {
	if v == nil {
		return nil, nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	s := string(b)
	return &s, nil
}

// insertMessage stores m with the conversation's next seq. The caller's
// transaction holds the conversation's row lock, or the UPDATE takes it:
// allocation and insert are one atomic step either way.
func insertMessage(ctx context.Context, tx pgx.Tx, m store.NewMessage, now int64) (store.Message, error) {
	if m.ClientMsgID == "" {
		return store.Message{}, errors.New("message without client_msg_id")
	}
	event, err := jsonOrNil(m.Event)
	if err != nil {
		return store.Message{}, err
	}
	var ext *string
	if len(m.Ext) > 0 {
		if ext, err = jsonOrNil(&m.Ext); err != nil {
			return store.Message{}, err
		}
	}
	att, err := jsonOrNil(m.Attachment)
	if err != nil {
		return store.Message{}, err
	}
	card, err := jsonOrNil(m.Card)
	if err != nil {
		return store.Message{}, err
	}
	var attID *string
	if m.Attachment != nil {
		attID = &m.Attachment.ID
	}
	last := ""
	if m.UpdatesLastText() {
		last = m.PreviewText()
	}
	var seq int64
	if err := tx.QueryRow(ctx, advanceSeqSQL, m.ConversationID, now, m.UpdatesLastText(), last,
		m.CustomerWrote(), m.StaffAnswered(), m.SenderID).Scan(&seq); err != nil {
		return store.Message{}, err
	}
	if _, err := tx.Exec(ctx, insertMessageSQL,
		m.ConversationID, seq, m.ClientMsgID, m.SenderRole, m.SenderID, m.SenderName, m.Kind, m.Visibility,
		m.Text, event, ext, now, attID, att, card, eventType(m.Event)); err != nil {
		return store.Message{}, err
	}
	return store.Message{
		ConversationID: m.ConversationID, Seq: seq, ClientMsgID: m.ClientMsgID,
		SenderRole: m.SenderRole, SenderID: m.SenderID, SenderName: m.SenderName,
		Kind: m.Kind, Visibility: m.Visibility, Text: m.Text, Event: m.Event, Attachment: m.Attachment, Card: m.Card,
		Ext: m.Ext, CreatedAt: now,
	}, nil
}

const msgColumns = `conversation_id, seq, client_msg_id, sender_role, sender_id, sender_name, kind, visibility,
	text, event, ext, created_at, attachment, card`

func scanMessage(sc pgx.Row) (store.Message, error) {
	var m store.Message
	var event, ext, att, card *string
	if err := sc.Scan(&m.ConversationID, &m.Seq, &m.ClientMsgID, &m.SenderRole, &m.SenderID, &m.SenderName,
		&m.Kind, &m.Visibility, &m.Text, &event, &ext, &m.CreatedAt, &att, &card); err != nil {
		return m, err
	}
	if att != nil {
		m.Attachment = new(store.Attachment)
		if err := json.Unmarshal([]byte(*att), m.Attachment); err != nil {
			return m, fmt.Errorf("message %s/%d attachment: %w", m.ConversationID, m.Seq, err)
		}
	}
	if card != nil {
		m.Card = new(store.Card)
		if err := json.Unmarshal([]byte(*card), m.Card); err != nil {
			return m, fmt.Errorf("message %s/%d card: %w", m.ConversationID, m.Seq, err)
		}
	}
	if event != nil {
		m.Event = new(store.Event)
		if err := json.Unmarshal([]byte(*event), m.Event); err != nil {
			return m, fmt.Errorf("message %s/%d event: %w", m.ConversationID, m.Seq, err)
		}
	}
	if ext != nil {
		var err error
		if m.Ext, err = decodeExt(*ext); err != nil {
			return m, fmt.Errorf("message %s/%d ext: %w", m.ConversationID, m.Seq, err)
		}
	}
	return m, nil
}

// AppendMessage implements store.Store.
func (s *Store) AppendMessage(ctx context.Context, nm store.NewMessage) (store.AppendResult, error) {
	var res store.AppendResult
	err := s.write(ctx, func(tx pgx.Tx) error {
		var err error
		res, err = s.appendTx(ctx, tx, nm)
		return err
	})
	if err != nil {
		return store.AppendResult{}, fmt.Errorf("append message conv=%s: %w", nm.ConversationID, translate(err))
	}
	return res, nil
}

// appendTx is one append inside its transaction.
func (s *Store) appendTx(ctx context.Context, tx pgx.Tx, nm store.NewMessage) (store.AppendResult, error) {
	var res store.AppendResult
	// Lock first: a resend racing its original waits here for the
	// original's commit and then finds it below as a duplicate.
	missing := false
	if err := lockConversation(ctx, tx, nm.ConversationID); errors.Is(err, pgx.ErrNoRows) {
		missing = true
	} else if err != nil {
		return res, err
	}
	var dupConv string
	var dupSeq int64
	err := tx.QueryRow(ctx, `SELECT conversation_id, seq FROM messages WHERE client_msg_id = $1`, nm.ClientMsgID).
		Scan(&dupConv, &dupSeq)
	switch {
	case err == nil:
		if dupConv != nm.ConversationID {
			return res, fmt.Errorf("%w: client_msg_id %s belongs to another conversation", store.ErrConflict, nm.ClientMsgID)
		}
		res.Duplicate = true
		if res.Message, err = scanMessage(tx.QueryRow(ctx, `SELECT `+msgColumns+` FROM messages
			WHERE conversation_id = $1 AND seq = $2`, dupConv, dupSeq)); err != nil {
			return res, err
		}
		res.Conversation, err = loadConversation(ctx, tx, dupConv)
		return res, err
	case !errors.Is(err, pgx.ErrNoRows):
		return res, err
	}
	if missing {
		return res, store.ErrNotFound
	}
	conv, err := loadConversation(ctx, tx, nm.ConversationID)
	if err != nil {
		return res, err
	}
	if len(nm.States) > 0 && !slices.Contains(nm.States, conv.State) {
		return res, fmt.Errorf("%w: conversation is %s", store.ErrIllegalState, conv.State)
	}
	if nm.Assignee != "" && nm.Assignee != conv.AssigneeID && !conv.JoinedBy(nm.Assignee) {
		return res, fmt.Errorf("%w: conversation is not assigned to %s", store.ErrIllegalState, nm.Assignee)
	}
	// A client_msg_id being stored right now in another conversation makes
	// this insert wait for that transaction, then fail as a conflict.
	if res.Message, err = insertMessage(ctx, tx, nm, s.nowMS()); err != nil {
		return res, err
	}
	if nm.Postpone != nil {
		if err := postponeTimerTx(ctx, tx, nm.ConversationID, *nm.Postpone); err != nil {
			return res, err
		}
	}
	if nm.Change.Set() && conversation.Allows(conv.State, nm.Change.Event) {
		after, ev, err := s.changeStateTx(ctx, tx, nm.Change.For(nm))
		if err != nil {
			return res, err
		}
		res.Changed, res.Conversation = &ev, after
		return res, nil
	}
	res.Conversation, err = loadConversation(ctx, tx, nm.ConversationID)
	return res, err
}

// Messages implements store.Store.
func (s *Store) Messages(ctx context.Context, q store.MessageQuery) ([]store.Message, error) {
	limit := q.Limit
	if limit <= 0 {
		limit = 500
	}
	query := `SELECT ` + msgColumns + ` FROM messages WHERE conversation_id = $1 AND seq > $2`
	args := []any{q.ConversationID, q.AfterSeq}
	if q.BeforeSeq > 0 {
		args = append(args, q.BeforeSeq)
		query += ` AND seq < $` + strconv.Itoa(len(args))
	}
	if q.PublicOnly {
		args = append(args, protocol.VisibilityPublic)
		query += ` AND visibility = $` + strconv.Itoa(len(args))
	}
	args = append(args, limit)
	if q.BeforeSeq > 0 {
		query += ` ORDER BY seq DESC LIMIT $` + strconv.Itoa(len(args))
	} else {
		query += ` ORDER BY seq LIMIT $` + strconv.Itoa(len(args))
	}
	rows, err := s.pool.Query(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("messages conv=%s: %w", q.ConversationID, err)
	}
	defer rows.Close()
	out := []store.Message{}
	for rows.Next() {
		m, err := scanMessage(rows)
		if err != nil {
			return nil, fmt.Errorf("messages conv=%s: %w", q.ConversationID, err)
		}
		out = append(out, m)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("messages conv=%s: %w", q.ConversationID, err)
	}
	if q.BeforeSeq > 0 {
		slices.Reverse(out)
	}
	return out, nil
}

// MarkRead implements store.Store. The upsert's condition keeps a cursor
// from moving back when two marks race.
func (s *Store) MarkRead(ctx context.Context, m store.ReadMark) (int64, bool, error) {
	var cur int64
	var moved bool
	err := s.write(ctx, func(tx pgx.Tx) error {
		cur, moved = 0, false
		var last int64
		if err := tx.QueryRow(ctx, `SELECT last_seq FROM conversations WHERE id = $1`, m.ConversationID).Scan(&last); err != nil {
			return err
		}
		want := min(max(m.Seq, 0), last)
		err := tx.QueryRow(ctx, `SELECT seq FROM read_cursors WHERE conversation_id = $1 AND reader_id = $2`,
			m.ConversationID, m.ReaderID).Scan(&cur)
		if err != nil && !errors.Is(err, pgx.ErrNoRows) {
			return err
		}
		if want <= cur {
			return nil
		}
		err = tx.QueryRow(ctx, `INSERT INTO read_cursors (conversation_id, reader_id, reader_role, seq, updated_at)
			VALUES ($1, $2, $3, $4, $5)
			ON CONFLICT (conversation_id, reader_id) DO UPDATE SET seq = excluded.seq, reader_role = excluded.reader_role,
				updated_at = excluded.updated_at
			WHERE read_cursors.seq < excluded.seq
			RETURNING seq`, m.ConversationID, m.ReaderID, m.ReaderRole, want, s.nowMS()).Scan(&cur)
		if errors.Is(err, pgx.ErrNoRows) {
			// Another mark got further first.
			return tx.QueryRow(ctx, `SELECT seq FROM read_cursors WHERE conversation_id = $1 AND reader_id = $2`,
				m.ConversationID, m.ReaderID).Scan(&cur)
		}
		moved = err == nil
		return err
	})
	if err != nil {
		return 0, false, fmt.Errorf("mark read conv=%s reader=%s: %w", m.ConversationID, m.ReaderID, translate(err))
	}
	return cur, moved, nil
}

func encodeExt(m map[string]string) (string, error) {
	if len(m) == 0 {
		return "{}", nil
	}
	b, err := json.Marshal(m)
	if err != nil {
		return "", fmt.Errorf("encode ext: %w", err)
	}
	return string(b), nil
}

func decodeExt(s string) (map[string]string, error) {
	if s == "" || s == "{}" {
		return nil, nil
	}
	var m map[string]string
	if err := json.Unmarshal([]byte(s), &m); err != nil {
		return nil, err
	}
	return m, nil
}
