// Package kbedit edits the knowledge base: the admin service behind the
// kb and kb_edit frames and the kb commands. Every change is checked as
// kb.Load would check the whole (and a little more: a new or changed entry
// answers in both languages, no sample question is in two places), then
// published as a new version (kb.PublishVersion) on the version it was
// based on, closing the report's questions it answers in the same
// transaction, and written to the audit log.
package kbedit

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"switchboard/backend/kb"
	"switchboard/backend/store"
	"switchboard/protocol"
)

// Errors of an edit; compare with errors.Is. Their messages say what is
// wrong in words the editor can act on.
var (
	// ErrInvalid: the edit is malformed or would leave the knowledge base
	// invalid (a missing answer, a duplicate id or question…).
	ErrInvalid = errors.New("invalid edit")
	// ErrNotFound: the entry or version the edit names does not exist.
	ErrNotFound = errors.New("not found")
	// ErrConflict: the edit was based on a version that is not the current
	// one any more.
	ErrConflict = errors.New("the knowledge base changed")
)

// AuditAction is the audit log's action of an edit; Detail says which.
const AuditAction = "kb_edit"

// MaxQuestion bounds a sample question, in characters.
const MaxQuestion = 500

// Store is what the editor needs of the store.
type Store interface {
	kb.Publisher
	KBVersion(ctx context.Context, version int64) (store.KBVersion, error)
	CloseMisses(ctx context.Context, ids []string) (int, error)
	AddAudit(ctx context.Context, e store.AuditEntry) error
}

// Editor reads and edits the knowledge base in a store.
type Editor struct {
	st Store
	// live is the knowledge base the bot answers from when the store has
	// no version (the demo one, or a --kb file): what the first edit
	// starts from. It may be nil or return nil.
	live func() *kb.KB
}

// New returns an editor of the knowledge base in st. live, if not nil,
// gives the knowledge base the bot answers from, used while the store has
// no version.
func New(st Store, live func() *kb.KB) *Editor { return &Editor{st: st, live: live} }

// Current returns the knowledge base as it is now and its version: the
// newest version, or, version 0, what the bot answers from while there is
// none (nil when there is nothing).
func (e *Editor) Current(ctx context.Context) (*kb.KB, int64, error) {
	vs, err := e.st.KBVersions(ctx, 1)
	if err != nil {
		return nil, 0, err
	}
	if len(vs) == 0 {
		if e.live != nil {
			if k := e.live(); k != nil {
				return clone(k), 0, nil
			}
		}
		return nil, 0, nil
	}
	k, err := e.load(ctx, vs[0].Version)
	return k, vs[0].Version, err
}

func (e *Editor) load(ctx context.Context, version int64) (*kb.KB, error) {
	v, err := e.st.KBVersion(ctx, version)
	if errors.Is(err, store.ErrNotFound) {
		return nil, fmt.Errorf("%w: no knowledge base version %d", ErrNotFound, version)
	}
	if err != nil {
		return nil, err
	}
	return kb.Load(bytes.NewReader([]byte(v.Data)))
}

// History returns up to limit versions, newest first (0 means 100).
func (e *Editor) History(ctx context.Context, limit int) ([]store.KBVersion, error) {
	return e.st.KBVersions(ctx, limit)
}

// Edit is one change (see the protocol.KBOp constants).
type Edit struct {
	Op          string
	BaseVersion int64
	EntryID     string
	Locale      string
	Question    string
	Entry       *kb.Entry
	Version     int64
	MissIDs     []string
	// Author names the editor in the version ("cli" for the command
	// line); Actor in the audit log (a staff id, or audit.AdminActor).
	Author string
	Actor  string
}

// Result is the knowledge base after an edit.
type Result struct {
	KB      *kb.KB
	Version int64
	// Published is the new version, nil for a dismissal.
	Published *store.KBVersion
	// Closed counts the report's questions the edit closed (a dismissal's
	// only).
	Closed int
}

// Apply checks and publishes one edit. A dismissal changes no version and
// does not check BaseVersion.
func (e *Editor) Apply(ctx context.Context, ed Edit) (Result, error) {
	if len(ed.MissIDs) > 500 {
		return Result{}, fmt.Errorf("%w: at most 500 questions at once", ErrInvalid)
	}
	if ed.Op == protocol.KBOpDismiss {
		if len(ed.MissIDs) == 0 {
			return Result{}, fmt.Errorf("%w: dismiss needs miss_ids", ErrInvalid)
		}
		n, err := e.st.CloseMisses(ctx, ed.MissIDs)
		if err != nil {
			return Result{}, err
		}
		k, v, err := e.Current(ctx)
		if err != nil {
			return Result{}, err
		}
		e.audit(ctx, ed, fmt.Sprintf("op=dismiss misses=%d closed=%d", len(ed.MissIDs), n))
		return Result{KB: k, Version: v, Closed: n}, nil
	}
	cur, v, err := e.Current(ctx)
	if err != nil {
		return Result{}, err
	}
	if ed.BaseVersion != v {
		return Result{}, fmt.Errorf("%w: the edit is based on version %d, the current one is %d", ErrConflict, ed.BaseVersion, v)
	}
	next, summary, err := change(ctx, e, cur, ed)
	if err != nil {
		return Result{}, err
	}
	data, err := json.MarshalIndent(next, "", "  ")
	if err != nil {
		return Result{}, err
	}
	base := ed.BaseVersion
	k, pub, err := kb.PublishVersion(ctx, e.st, data, kb.Change{Author: ed.Author, Summary: summary, Base: &base, CloseMisses: ed.MissIDs})
	if errors.Is(err, store.ErrConflict) {
		return Result{}, fmt.Errorf("%w: someone else edited it first", ErrConflict)
	}
	if errors.Is(err, kb.ErrInvalid) {
		return Result{}, fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	if err != nil {
		return Result{}, err
	}
	e.audit(ctx, ed, fmt.Sprintf("op=%s version=%d summary=%q misses=%d", ed.Op, pub.Version, summary, len(ed.MissIDs)))
	return Result{KB: k, Version: pub.Version, Published: &pub}, nil
}

// audit records an edit. The edit is done: a failure to record it is the
// audit log's to report (its writer counts it), not the editor's.
func (e *Editor) audit(ctx context.Context, ed Edit, detail string) {
	_ = e.st.AddAudit(ctx, store.AuditEntry{Actor: ed.Actor, Action: AuditAction, Detail: detail})
}

// change returns cur with the edit applied, checked, and a summary of it.
func change(ctx context.Context, e *Editor, cur *kb.KB, ed Edit) (*kb.KB, string, error) {
	if cur == nil && ed.Op != protocol.KBOpCreateEntry && ed.Op != protocol.KBOpRollback {
		return nil, "", fmt.Errorf("%w: there is no knowledge base yet", ErrNotFound)
	}
	if cur == nil {
		cur = &kb.KB{Version: kb.Version}
	}
	next := clone(cur)
	switch ed.Op {
	case protocol.KBOpAddQuestion:
		i := index(next, ed.EntryID)
		if i < 0 {
			return nil, "", fmt.Errorf("%w: no entry %q", ErrNotFound, ed.EntryID)
		}
		q := strings.TrimSpace(ed.Question)
		if err := checkQuestion(q); err != nil {
			return nil, "", err
		}
		if other := findQuestion(next, q); other != "" {
			return nil, "", fmt.Errorf("%w: %q is already a question of entry %q", ErrInvalid, q, other)
		}
		en := &next.Entries[i]
		switch ed.Locale {
		case kb.ZH:
			en.Questions.ZH = append(en.Questions.ZH, q)
		case kb.EN:
			en.Questions.EN = append(en.Questions.EN, q)
		default:
			return nil, "", fmt.Errorf("%w: locale must be zh or en", ErrInvalid)
		}
		return next, "add question to " + ed.EntryID, nil
	case protocol.KBOpCreateEntry, protocol.KBOpUpdateEntry:
		if ed.Entry == nil {
			return nil, "", fmt.Errorf("%w: %s needs entry", ErrInvalid, ed.Op)
		}
		en := tidy(*ed.Entry)
		if err := checkEntry(en); err != nil {
			return nil, "", err
		}
		i := index(next, en.ID)
		if ed.Op == protocol.KBOpCreateEntry {
			if i >= 0 {
				return nil, "", fmt.Errorf("%w: entry %q exists already", ErrInvalid, en.ID)
			}
			next.Entries = append(next.Entries, en)
		} else {
			if i < 0 {
				return nil, "", fmt.Errorf("%w: no entry %q", ErrNotFound, en.ID)
			}
			next.Entries[i] = en
		}
		if err := checkQuestionsUnique(next, en); err != nil {
			return nil, "", err
		}
		verb := "create entry "
		if ed.Op == protocol.KBOpUpdateEntry {
			verb = "update entry "
		}
		return next, verb + en.ID, nil
	case protocol.KBOpDeleteEntry:
		i := index(next, ed.EntryID)
		if i < 0 {
			return nil, "", fmt.Errorf("%w: no entry %q", ErrNotFound, ed.EntryID)
		}
		next.Entries = slices.Delete(next.Entries, i, i+1)
		if len(next.Entries) == 0 {
			return nil, "", fmt.Errorf("%w: the knowledge base cannot be left without entries", ErrInvalid)
		}
		return next, "delete entry " + ed.EntryID, nil
	case protocol.KBOpRollback:
		if ed.Version <= 0 {
			return nil, "", fmt.Errorf("%w: rollback needs version", ErrInvalid)
		}
		old, err := e.load(ctx, ed.Version)
		if err != nil {
			return nil, "", err
		}
		return old, fmt.Sprintf("rollback to v%d", ed.Version), nil
	}
	return nil, "", fmt.Errorf("%w: unknown op %q", ErrInvalid, ed.Op)
}

func clone(k *kb.KB) *kb.KB {
	c := *k
	c.Entries = make([]kb.Entry, len(k.Entries))
	for i, e := range k.Entries {
		e.Questions.ZH = slices.Clone(e.Questions.ZH)
		e.Questions.EN = slices.Clone(e.Questions.EN)
		c.Entries[i] = e
	}
	return &c
}

func index(k *kb.KB, id string) int {
	return slices.IndexFunc(k.Entries, func(e kb.Entry) bool { return e.ID == id })
}

// tidy trims an entry's texts and drops its blank questions.
func tidy(e kb.Entry) kb.Entry {
	e.ID = strings.TrimSpace(e.ID)
	e.Team = strings.TrimSpace(e.Team)
	e.Answer.ZH = strings.TrimSpace(e.Answer.ZH)
	e.Answer.EN = strings.TrimSpace(e.Answer.EN)
	trim := func(qs []string) []string {
		var out []string
		for _, q := range qs {
			if q = strings.TrimSpace(q); q != "" {
				out = append(out, q)
			}
		}
		return out
	}
	e.Questions.ZH, e.Questions.EN = trim(e.Questions.ZH), trim(e.Questions.EN)
	return e
}

// checkEntry checks a new or changed entry: an id, a question, and an
// answer in both languages (customers ask in either).
func checkEntry(e kb.Entry) error {
	switch {
	case e.ID == "":
		return fmt.Errorf("%w: the entry needs an id", ErrInvalid)
	case len(e.ID) > 100:
		return fmt.Errorf("%w: the entry's id is too long", ErrInvalid)
	case len(e.Questions.ZH)+len(e.Questions.EN) == 0:
		return fmt.Errorf("%w: entry %q needs a question", ErrInvalid, e.ID)
	case e.Answer.ZH == "" || e.Answer.EN == "":
		return fmt.Errorf("%w: entry %q needs an answer in both Chinese and English", ErrInvalid, e.ID)
	case utf8.RuneCountInString(e.Answer.ZH) > protocol.MaxTextRunes || utf8.RuneCountInString(e.Answer.EN) > protocol.MaxTextRunes:
		return fmt.Errorf("%w: entry %q's answer is too long", ErrInvalid, e.ID)
	}
	for _, qs := range [][]string{e.Questions.ZH, e.Questions.EN} {
		for _, q := range qs {
			if err := checkQuestion(q); err != nil {
				return err
			}
		}
	}
	return nil
}

func checkQuestion(q string) error {
	switch {
	case q == "":
		return fmt.Errorf("%w: the question is empty", ErrInvalid)
	case utf8.RuneCountInString(q) > MaxQuestion:
		return fmt.Errorf("%w: the question is longer than %d characters", ErrInvalid, MaxQuestion)
	}
	return nil
}

// questionKey is how questions are compared: case and spacing aside.
func questionKey(q string) string {
	return strings.ToLower(strings.Join(strings.Fields(q), " "))
}

// findQuestion returns the id of the entry that has question q, or "".
func findQuestion(k *kb.KB, q string) string {
	key := questionKey(q)
	for _, e := range k.Entries {
		for _, qs := range [][]string{e.Questions.ZH, e.Questions.EN} {
			for _, have := range qs {
				if questionKey(have) == key {
					return e.ID
				}
			}
		}
	}
	return ""
}

// checkQuestionsUnique refuses a question of entry e that another entry
// has, or e twice: the bot could not tell which answers it.
func checkQuestionsUnique(k *kb.KB, e kb.Entry) error {
	mine := map[string]bool{}
	for _, qs := range [][]string{e.Questions.ZH, e.Questions.EN} {
		for _, q := range qs {
			key := questionKey(q)
			if mine[key] {
				return fmt.Errorf("%w: entry %q has question %q twice", ErrInvalid, e.ID, q)
			}
			mine[key] = true
		}
	}
	for _, o := range k.Entries {
		if o.ID == e.ID {
			continue
		}
		for _, qs := range [][]string{o.Questions.ZH, o.Questions.EN} {
			for _, q := range qs {
				if mine[questionKey(q)] {
					return fmt.Errorf("%w: %q is a question of entry %q already", ErrInvalid, q, o.ID)
				}
			}
		}
	}
	return nil
}
