package cache

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"switchboard/protocol"
)

// Local search over an encrypted cache.
//
// The messages are sealed, so SQLite cannot index their words. Instead each
// message's words are cut into terms and every term is stored as its keyed
// hash (HMAC-SHA-256 under a key derived from the cache key, 8 bytes kept) in
// the terms table, next to the message it occurs in: a blind index. Without
// the key the table says how often unknown terms recur, never what they are.
// A search hashes the query's terms the same way, walks the rarest term's
// rows newest first while the others confirm each row, then opens each
// candidate message and checks the words really match (a prefix or a hash
// can collide), until it has enough hits.
//
// Terms: a word of letters and digits gives its prefixes of 1 to prefixLen
// characters, so a query word matches the start of a word ("ord" finds
// "order"); a run of Chinese, Japanese or Korean characters gives each
// character and each pair of neighbours, so any part of it can be found.
// Text is NFKC-normalized (full-width letters fold to ASCII) and lower-cased
// first.

// prefixLen is the longest word prefix indexed; a longer query word is
// looked up by its first prefixLen characters and checked in full.
const prefixLen = 6

// searchableText is what search looks in: the text, an attachment's name, a
// card's fallback text and the business fields' values.
func searchableText(m protocol.Message) string {
	var b strings.Builder
	b.WriteString(m.Text)
	if m.Attachment != nil {
		b.WriteString("\n")
		b.WriteString(m.Attachment.Name)
	}
	if m.Card != nil {
		b.WriteString("\n")
		b.WriteString(m.Card.Fallback)
	}
	for _, k := range slices.Sorted(maps.Keys(m.Ext)) {
		b.WriteString("\n")
		b.WriteString(m.Ext[k])
	}
	return b.String()
}

func normalize(s string) string {
	return strings.ToLower(norm.NFKC.String(s))
}

func isCJK(r rune) bool {
	return unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul)
}

func isWordRune(r rune) bool {
	return (unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)) && !isCJK(r)
}

// segment is a word (letters and digits) or a CJK run of normalized text.
type segment struct {
	runes []rune
	cjk   bool
}

func segments(normalized string) []segment {
	var out []segment
	var cur []rune
	curCJK := false
	flush := func() {
		if len(cur) > 0 {
			out = append(out, segment{runes: cur, cjk: curCJK})
			cur = nil
		}
	}
	for _, r := range normalized {
		switch {
		case isCJK(r):
			if !curCJK {
				flush()
			}
			curCJK = true
			cur = append(cur, r)
		case isWordRune(r):
			if curCJK {
				flush()
			}
			curCJK = false
			cur = append(cur, r)
		default:
			flush()
		}
	}
	flush()
	return out
}

// indexTerms returns the distinct terms of a text.
func indexTerms(text string) []string {
	seen := map[string]bool{}
	var out []string
	add := func(t string) {
		if !seen[t] {
			seen[t] = true
			out = append(out, t)
		}
	}
	for _, s := range segments(normalize(text)) {
		if s.cjk {
			for i, r := range s.runes {
				add("c" + string(r))
				if i+1 < len(s.runes) {
					add("c" + string(s.runes[i:i+2]))
				}
			}
			continue
		}
		for n := 1; n <= min(len(s.runes), prefixLen); n++ {
			add("w" + string(s.runes[:n]))
		}
	}
	return out
}

// query is a parsed search: the terms to look up and the segments every
// hit must contain.
type query struct {
	terms []string
	segs  []segment
}

func parseQuery(q string) query {
	var pq query
	seen := map[string]bool{}
	add := func(t string) {
		if !seen[t] {
			seen[t] = true
			pq.terms = append(pq.terms, t)
		}
	}
	for _, s := range segments(normalize(q)) {
		pq.segs = append(pq.segs, s)
		switch {
		case !s.cjk:
			add("w" + string(s.runes[:min(len(s.runes), prefixLen)]))
		case len(s.runes) == 1:
			add("c" + string(s.runes))
		default:
			for i := 0; i+1 < len(s.runes); i++ {
				add("c" + string(s.runes[i:i+2]))
			}
		}
	}
	return pq
}

// matches reports whether a text has every segment of the query: each word
// as the start of one of its words, each CJK run as a substring.
func (pq query) matches(text string) bool {
	n := normalize(text)
	var words []string
	for _, s := range segments(n) {
		if !s.cjk {
			words = append(words, string(s.runes))
		}
	}
	for _, s := range pq.segs {
		want := string(s.runes)
		if s.cjk {
			if !strings.Contains(n, want) {
				return false
			}
			continue
		}
		if !slices.ContainsFunc(words, func(w string) bool { return strings.HasPrefix(w, want) }) {
			return false
		}
	}
	return true
}

// convNumberTx returns the number a conversation has in the terms table,
// giving it one if create is set (0 if it has none).
func convNumberTx(ctx context.Context, tx *sql.Tx, id string, create bool) (int64, error) {
	var n int64
	err := tx.QueryRowContext(ctx, "SELECT n FROM term_convs WHERE id = ?", id).Scan(&n)
	if err == nil || !errors.Is(err, sql.ErrNoRows) {
		return n, err
	}
	if !create {
		return 0, nil
	}
	res, err := tx.ExecContext(ctx, "INSERT INTO term_convs (id) VALUES (?)", id)
	if err != nil {
		return 0, err
	}
	return res.LastInsertId()
}

// indexMessageTx adds a message's terms to the index; conv is its
// conversation's number (convNumberTx).
func (c *Cache) indexMessageTx(ctx context.Context, tx *sql.Tx, h termHasher, conv int64, m protocol.Message) error {
	for _, t := range indexTerms(searchableText(m)) {
		if _, err := tx.ExecContext(ctx,
			"INSERT INTO terms (term, created, conv, seq) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
			h.hash(t), m.CreatedAt/1000, conv, m.Seq); err != nil {
			return fmt.Errorf("index message conv=%s seq=%d: %w", m.ConversationID, m.Seq, err)
		}
	}
	return nil
}

// unindexConversationTx removes the terms of a conversation's messages,
// worked out again from the messages themselves (the index is keyed by term,
// so this is cheaper than a second index by conversation on every insert).
func (c *Cache) unindexConversationTx(ctx context.Context, tx *sql.Tx, id string) error {
	conv, err := convNumberTx(ctx, tx, id, false)
	if err != nil {
		return fmt.Errorf("unindex conv=%s: %w", id, err)
	}
	if conv == 0 {
		return nil
	}
	rows, err := tx.QueryContext(ctx, "SELECT seq, body FROM messages WHERE conversation_id = ?", id)
	if err != nil {
		return fmt.Errorf("unindex conv=%s: %w", id, err)
	}
	var msgs []protocol.Message
	for rows.Next() {
		var seq int64
		var body []byte
		if err := rows.Scan(&seq, &body); err != nil {
			rows.Close()
			return fmt.Errorf("unindex conv=%s: %w", id, err)
		}
		m, err := c.openMessage(id, seq, body)
		if err != nil {
			continue // unreadable: its terms can never lead to it anyway
		}
		msgs = append(msgs, m)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("unindex conv=%s: %w", id, err)
	}
	h := c.seal.hasher()
	for _, m := range msgs {
		for _, t := range indexTerms(searchableText(m)) {
			if _, err := tx.ExecContext(ctx,
				"DELETE FROM terms WHERE term = ? AND created = ? AND conv = ? AND seq = ?",
				h.hash(t), m.CreatedAt/1000, conv, m.Seq); err != nil {
				return fmt.Errorf("unindex conv=%s: %w", id, err)
			}
		}
	}
	return nil
}

// Hit is a message that matches a search, with its conversation.
type Hit struct {
	Message      protocol.Message      `json:"message"`
	Conversation protocol.Conversation `json:"conversation"`
}

// Search returns up to limit cached messages, newest first, that contain
// every word of q (see the package's search notes). An empty query finds
// nothing.
func (c *Cache) Search(ctx context.Context, q string, limit int) ([]Hit, error) {
	pq := parseQuery(q)
	if len(pq.terms) == 0 || limit <= 0 {
		return []Hit{}, nil
	}
	h := c.seal.hasher()
	hashes := make([]int64, len(pq.terms))
	for i, t := range pq.terms {
		hashes[i] = h.hash(t)
	}
	// Walk the rarest term; the others only confirm.
	counts := make(map[int64]int, len(hashes))
	for _, x := range hashes {
		var n int
		if err := c.db.QueryRowContext(ctx, "SELECT count(*) FROM terms WHERE term = ?", x).Scan(&n); err != nil {
			return nil, fmt.Errorf("search: %w", err)
		}
		if n == 0 {
			return []Hit{}, nil
		}
		counts[x] = n
	}
	slices.SortFunc(hashes, func(a, b int64) int { return counts[a] - counts[b] })

	var sb strings.Builder
	sb.WriteString(`SELECT tc.id, t0.seq, m.body FROM terms t0
		JOIN term_convs tc ON tc.n = t0.conv
		JOIN messages m ON m.conversation_id = tc.id AND m.seq = t0.seq
		WHERE t0.term = ?`)
	args := []any{hashes[0]}
	for i, x := range hashes[1:] {
		fmt.Fprintf(&sb, ` AND EXISTS (SELECT 1 FROM terms t%[1]d WHERE t%[1]d.term = ? AND t%[1]d.created = t0.created
			AND t%[1]d.conv = t0.conv AND t%[1]d.seq = t0.seq)`, i+1)
		args = append(args, x)
	}
	sb.WriteString(" ORDER BY t0.created DESC, t0.conv DESC, t0.seq DESC")
	rows, err := c.db.QueryContext(ctx, sb.String(), args...)
	if err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	var msgs []protocol.Message
	for rows.Next() && len(msgs) < limit {
		var id string
		var seq int64
		var body []byte
		if err := rows.Scan(&id, &seq, &body); err != nil {
			rows.Close()
			return nil, fmt.Errorf("search: %w", err)
		}
		m, err := c.openMessage(id, seq, body)
		if err != nil {
			rows.Close()
			return nil, err
		}
		if pq.matches(searchableText(m)) {
			msgs = append(msgs, m)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}

	hits := make([]Hit, 0, len(msgs))
	convs := map[string]protocol.Conversation{}
	for _, m := range msgs {
		conv, ok := convs[m.ConversationID]
		if !ok {
			conv, _, err = c.Conversation(ctx, m.ConversationID)
			if err != nil {
				return nil, err
			}
			convs[m.ConversationID] = conv
		}
		hits = append(hits, Hit{Message: m, Conversation: conv})
	}
	return hits, nil
}

// openMessage decrypts and decodes a stored message body.
func (c *Cache) openMessage(conversationID string, seq int64, body []byte) (protocol.Message, error) {
	plain, err := c.seal.open(body, adMessage(conversationID, seq))
	if err != nil {
		return protocol.Message{}, fmt.Errorf("read message conv=%s seq=%d: %w", conversationID, seq, err)
	}
	var m protocol.Message
	if err := json.Unmarshal(plain, &m); err != nil {
		return protocol.Message{}, fmt.Errorf("decode message conv=%s seq=%d: %w", conversationID, seq, err)
	}
	return m, nil
}
