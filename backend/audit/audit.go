// Package audit is the tamper-evident chain of the audit log: the canonical
// encoding of an entry, the hash that links it to the one before, and the
// walk that finds the first broken link. It also names the actions the
// server records and reads the time bounds the log is filtered by, so that
// the store, the HTTP API and the CLI agree on them.
//
// Each entry's hash is SHA-256(previous entry's hash ‖ Encode(entry)); the
// first entry's previous hash is Genesis (32 zero bytes). Editing an entry
// changes its hash, and removing or moving one changes the previous hash of
// the entry that follows, so any of them breaks the chain from that point
// on. Removing the newest entries, or rewriting the whole chain, leaves it
// consistent: only a copy of the head hash kept elsewhere shows that.
package audit

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"time"
)

// Actions recorded by the server. State changes of conversations are
// recorded under their event name (conversation.Event).
const (
	// ActionRead is a read of a conversation's messages or context by
	// someone other than its assignee (sync, history, resume, context).
	ActionRead = "read"
	// ActionReadFile is a download of a file of a conversation by someone
	// other than its assignee; Detail names the file.
	ActionReadFile = "read_file"
	// ActionReadThumb is the same for an image's thumbnail.
	ActionReadThumb = "read_thumb"
	// ActionLiveView is a supervisor's or admin's connection receiving the
	// live pushes of a conversation not assigned to them, recorded once per
	// conversation and connection.
	ActionLiveView = "live_view"
	// ActionReadAudit is a read of the audit log through the admin
	// endpoint; Detail is the query.
	ActionReadAudit = "read_audit"
	// ActionLogin is a staff sign-in.
	ActionLogin = "login"
	// ActionLogout is a staff sign-out that ended a sign-in.
	ActionLogout = "logout"
	// ActionRefreshReused is a refresh token presented again after it was
	// used up: the sign-in was ended. Detail names the sign-in (its refresh
	// token family) and the address.
	ActionRefreshReused = "refresh_reused"
	// ActionTag is a change of a conversation's tags.
	ActionTag = "tag"
	// ActionCustomerNote is a note written about a customer.
	ActionCustomerNote = "customer_note"
	// ActionMonitorStart and ActionMonitorStop are a supervisor's or
	// admin's silent monitor of a conversation starting and ending; Detail
	// names the connection (session) and, for a stop, why: stop (asked),
	// disconnect, or ended (the conversation left the caller's reach).
	// Joins, leaves, take-overs, reassigns and assists are state changes,
	// recorded under their event names.
	ActionMonitorStart = "monitor_start"
	ActionMonitorStop  = "monitor_stop"
	// ActionWhisper is a whisper written in a conversation; Detail is its
	// seq.
	ActionWhisper = "whisper"
)

// AdminActor is the actor of the admin commands run on the server's host.
const AdminActor = "admin-cli"

// Entry is what the chain covers of one audit entry.
type Entry struct {
	ID             int64
	TS             int64 // unix milliseconds
	Actor          string
	Action         string
	ConversationID string
	Detail         string
}

// Hash is the SHA-256 that links an entry into the chain.
type Hash [sha256.Size]byte

// Genesis is the previous hash of the first entry.
var Genesis Hash

// String returns h in lower-case hex, as it is stored.
func (h Hash) String() string { return hex.EncodeToString(h[:]) }

// ParseHash reads a hash in the form String writes.
func ParseHash(s string) (Hash, error) {
	var h Hash
	if len(s) != 2*len(h) {
		return h, fmt.Errorf("audit hash %q: want %d hex digits", s, 2*len(h))
	}
	if _, err := hex.Decode(h[:], []byte(s)); err != nil {
		return h, fmt.Errorf("audit hash %q: %w", s, err)
	}
	return h, nil
}

// encodingVersion leads every encoding, so that a later encoding can never
// be read as this one.
const encodingVersion = 1

// Encode returns the canonical encoding of e: a version byte, ID and TS as
// 8-byte big-endian integers, then Actor, Action, ConversationID and
// Detail, each as its length (uvarint) followed by its bytes. The lengths
// make it unambiguous: no two entries share an encoding.
func Encode(e Entry) []byte {
	b := make([]byte, 0, 1+16+4*binary.MaxVarintLen64+len(e.Actor)+len(e.Action)+len(e.ConversationID)+len(e.Detail))
	b = append(b, encodingVersion)
	b = binary.BigEndian.AppendUint64(b, uint64(e.ID))
	b = binary.BigEndian.AppendUint64(b, uint64(e.TS))
	for _, s := range []string{e.Actor, e.Action, e.ConversationID, e.Detail} {
		b = binary.AppendUvarint(b, uint64(len(s)))
		b = append(b, s...)
	}
	return b
}

// Next returns the hash of e following an entry whose hash is prev.
func Next(prev Hash, e Entry) Hash {
	h := sha256.New()
	h.Write(prev[:])
	h.Write(Encode(e))
	var out Hash
	h.Sum(out[:0])
	return out
}

// BreakError is the first broken link of a chain.
type BreakError struct {
	// ID is the first entry whose stored hash is not the one its contents
	// and its predecessor give.
	ID int64
	// PrevID is the entry before it in the log (0 when it is the first).
	PrevID int64
	Reason string
}

func (e *BreakError) Error() string {
	return fmt.Sprintf("audit chain broken at entry %d: %s", e.ID, e.Reason)
}

// Verifier walks a chain in log order, one entry at a time, so that a log
// of any length is checked in pages.
type Verifier struct {
	prev   Hash
	prevID int64
	n      int64
}

// Add checks the next entry of the log, whose stored hash is stored. It
// returns a *BreakError for the first entry that breaks the chain; the
// Verifier is not to be used after that.
func (v *Verifier) Add(e Entry, stored string) error {
	got, err := ParseHash(stored)
	want := Next(v.prev, e)
	if err != nil || got != want {
		var reason string
		switch {
		case e.ID <= v.prevID:
			reason = fmt.Sprintf("it comes after entry %d: the log is out of order", v.prevID)
		case v.n > 0 && e.ID != v.prevID+1:
			reason = fmt.Sprintf("its hash does not follow entry %d: entries %d to %d were removed, or it was edited", v.prevID, v.prevID+1, e.ID-1)
		case err != nil:
			reason = "its stored hash is not a hash: it was edited"
		default:
			reason = "its hash does not match its contents and the entry before: it was edited, or an entry before it was removed or moved"
		}
		return &BreakError{ID: e.ID, PrevID: v.prevID, Reason: reason}
	}
	v.prev, v.prevID = want, e.ID
	v.n++
	return nil
}

// Count is the number of entries checked so far.
func (v *Verifier) Count() int64 { return v.n }

// Head is the hash of the last entry checked (Genesis before any): kept
// elsewhere, it shows later whether the log was cut short or rewritten.
func (v *Verifier) Head() Hash { return v.prev }

// ParseTime reads a time bound of an audit filter: an RFC 3339 time, or a
// duration (as time.ParseDuration reads it, e.g. 24h or 90m) meaning that
// long before now. It returns unix milliseconds.
func ParseTime(s string, now time.Time) (int64, error) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t.UnixMilli(), nil
	}
	d, err := time.ParseDuration(s)
	if err != nil || d < 0 {
		return 0, fmt.Errorf("time %q: want an RFC 3339 time (2026-01-02T15:04:05Z) or a duration before now (24h)", s)
	}
	return now.Add(-d).UnixMilli(), nil
}
