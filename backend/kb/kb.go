// Package kb holds the knowledge base the bot answers from: bilingual (zh / en)
// entries, each with sample questions, an answer and the team whose skill it
// belongs to. It reads and validates the kb.json format and embeds the demo
// knowledge base of the 云杉商城 / Spruce Mall store.
package kb

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
)

// Version is the only kb.json format version this package reads.
const Version = 1

// Locales of the knowledge base.
const (
	ZH = "zh"
	EN = "en"
)

// ErrInvalid is wrapped by every validation error, so callers can tell a bad
// knowledge base from an I/O failure with errors.Is.
var ErrInvalid = errors.New("invalid knowledge base")

// KB is a knowledge base as stored in kb.json.
type KB struct {
	Store   Text    `json:"store"`
	Version int     `json:"version"`
	Entries []Entry `json:"entries"`
}

// Entry is one question-and-answer pair of the knowledge base.
type Entry struct {
	// ID is unique within the knowledge base, e.g. "shipping-fee".
	ID string `json:"id"`
	// Team is the team whose skill the entry belongs to, e.g. "presales".
	// It may be empty.
	Team      string    `json:"team"`
	Questions Questions `json:"questions"`
	Answer    Text      `json:"answer"`
}

// Text is a string in both locales.
type Text struct {
	ZH string `json:"zh"`
	EN string `json:"en"`
}

// Get returns the text in locale, or in the other locale when that one is
// empty.
func (t Text) Get(locale string) string {
	if locale == ZH {
		if t.ZH != "" {
			return t.ZH
		}
		return t.EN
	}
	if t.EN != "" {
		return t.EN
	}
	return t.ZH
}

// Questions are the sample questions of an entry in both locales.
type Questions struct {
	ZH []string `json:"zh"`
	EN []string `json:"en"`
}

// Get returns the questions in locale ("zh" or "en"); any other locale gets
// nil.
func (q Questions) Get(locale string) []string {
	switch locale {
	case ZH:
		return q.ZH
	case EN:
		return q.EN
	}
	return nil
}

// Entry returns the entry with the given id.
func (k *KB) Entry(id string) (Entry, bool) {
	for _, e := range k.Entries {
		if e.ID == id {
			return e, true
		}
	}
	return Entry{}, false
}

// Label names the entry with id for people: its first sample question in
// each language that has one ("zh", "en"). It returns nil when there is no
// such entry.
func (k *KB) Label(id string) map[string]string {
	e, ok := k.Entry(id)
	if !ok {
		return nil
	}
	out := map[string]string{}
	if len(e.Questions.ZH) > 0 {
		out[ZH] = e.Questions.ZH[0]
	}
	if len(e.Questions.EN) > 0 {
		out[EN] = e.Questions.EN[0]
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// Validate reports the first problem that makes k unusable: an unsupported
// version, no entries, or an entry with a missing or duplicate id, no
// questions, a blank question or no answer. Errors wrap ErrInvalid.
func (k *KB) Validate() error {
	if k.Version != Version {
		return fmt.Errorf("%w: unsupported version %d (want %d)", ErrInvalid, k.Version, Version)
	}
	if len(k.Entries) == 0 {
		return fmt.Errorf("%w: no entries", ErrInvalid)
	}
	seen := make(map[string]int, len(k.Entries))
	for i, e := range k.Entries {
		if strings.TrimSpace(e.ID) == "" {
			return fmt.Errorf("%w: entry %d: missing id", ErrInvalid, i)
		}
		if j, dup := seen[e.ID]; dup {
			return fmt.Errorf("%w: entry %d: duplicate id %q (first at entry %d)", ErrInvalid, i, e.ID, j)
		}
		seen[e.ID] = i
		if len(e.Questions.ZH)+len(e.Questions.EN) == 0 {
			return fmt.Errorf("%w: entry %q: no questions", ErrInvalid, e.ID)
		}
		for _, qs := range [][]string{e.Questions.ZH, e.Questions.EN} {
			for _, q := range qs {
				if strings.TrimSpace(q) == "" {
					return fmt.Errorf("%w: entry %q: blank question", ErrInvalid, e.ID)
				}
			}
		}
		if strings.TrimSpace(e.Answer.ZH) == "" && strings.TrimSpace(e.Answer.EN) == "" {
			return fmt.Errorf("%w: entry %q: no answer", ErrInvalid, e.ID)
		}
	}
	return nil
}

// Load reads a knowledge base in kb.json format from r and validates it.
func Load(r io.Reader) (*KB, error) {
	dec := json.NewDecoder(r)
	var k KB
	if err := dec.Decode(&k); err != nil {
		return nil, fmt.Errorf("decode knowledge base: %w", err)
	}
	var extra json.RawMessage
	if err := dec.Decode(&extra); err != io.EOF {
		return nil, fmt.Errorf("decode knowledge base: unexpected data after the json object")
	}
	if err := k.Validate(); err != nil {
		return nil, err
	}
	return &k, nil
}

// LoadFile reads and validates the kb.json file at path.
func LoadFile(path string) (*KB, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("open knowledge base: %w", err)
	}
	defer f.Close()
	k, err := Load(f)
	if err != nil {
		return nil, fmt.Errorf("load %s: %w", path, err)
	}
	return k, nil
}

//go:embed demo.json
var demoJSON []byte

// Demo returns the demo knowledge base of the 云杉商城 / Spruce Mall store,
// which ships inside the binary. Each call returns a fresh copy, so callers
// may modify it.
func Demo() *KB {
	k, err := Load(bytes.NewReader(demoJSON))
	if err != nil {
		// demo.json is part of the source tree and covered by tests.
		panic(fmt.Sprintf("kb: embedded demo knowledge base: %v", err))
	}
	return k
}
