package kb

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"switchboard/backend/store"
)

// The imported knowledge base lives in the store, where every node of a
// cluster reads it: the kb.json bytes under SettingKey, and their SHA-256
// under SumKey, written with them, which is what a node looks at to see
// whether there is a new one. Every publish ("kb import", an edit) is also
// a new version of the knowledge base, in the same transaction, so any
// version can be brought back. The publisher tells the running nodes (a
// change notice); each node also looks every poll interval, as a safety net
// for a lost notice.

// Keys of the store's settings.
const (
	SettingKey = "kb.json"
	SumKey     = "kb.sha256"
)

// Settings is the part of the store the shared knowledge base needs.
type Settings interface {
	Setting(ctx context.Context, key string) (value string, ok bool, err error)
	PutSetting(ctx context.Context, key, value string) error
}

// Publisher is the part of the store a publish needs: every publish is a
// new version of the knowledge base (store.BotLearning.PublishKB), stored
// in one transaction with the settings the nodes follow.
type Publisher interface {
	Settings
	PublishKB(ctx context.Context, p store.KBPublish) (store.KBVersion, error)
	KBVersions(ctx context.Context, limit int) ([]store.KBVersion, error)
}

// Change describes a new version: who made it and why, and what it must
// be based on.
type Change struct {
	// Author is a staff member's name, or "cli".
	Author  string
	Summary string
	// Base, when set, must be the current version (0: none yet), else the
	// publish fails with store.ErrConflict.
	Base *int64
	// CloseMisses are the report's questions the version answers.
	CloseMisses []string
}

// Publish validates data as a knowledge base in kb.json format and stores
// it for every node as a new version, unconditionally: an import by the
// command line. Invalid data stores nothing.
func Publish(ctx context.Context, st Publisher, data []byte) (*KB, error) {
	k, _, err := PublishVersion(ctx, st, data, Change{Author: "cli", Summary: "import"})
	return k, err
}

// PublishVersion validates data as a knowledge base in kb.json format and
// stores it as a new version for every node, as ch says. Invalid data
// stores nothing.
func PublishVersion(ctx context.Context, st Publisher, data []byte, ch Change) (*KB, store.KBVersion, error) {
	k, err := Load(bytes.NewReader(data))
	if err != nil {
		return nil, store.KBVersion{}, err
	}
	v, err := st.PublishKB(ctx, store.KBPublish{
		Data: string(data), Sum: sum(data), Author: ch.Author, Summary: ch.Summary, Entries: len(k.Entries),
		IfVersion: ch.Base, CloseMisses: ch.CloseMisses,
		Settings: map[string]string{SettingKey: string(data), SumKey: sum(data)},
	})
	if err != nil {
		return nil, store.KBVersion{}, fmt.Errorf("publish knowledge base: %w", err)
	}
	return k, v, nil
}

// EnsureVersion makes the knowledge base published before there were
// versions (by an older release) the first version, once: a store that has
// a published knowledge base and no version gets version 1 with its very
// bytes. It reports whether it made one.
func EnsureVersion(ctx context.Context, st Publisher) (bool, error) {
	vs, err := st.KBVersions(ctx, 1)
	if err != nil || len(vs) > 0 {
		return false, err
	}
	data, ok, err := st.Setting(ctx, SettingKey)
	if err != nil || !ok {
		return false, err
	}
	k, err := Load(bytes.NewReader([]byte(data)))
	if err != nil {
		// Not loadable: nothing any bot answers from, nothing to keep.
		return false, nil
	}
	zero := int64(0)
	_, err = st.PublishKB(ctx, store.KBPublish{
		Data: data, Sum: sum([]byte(data)), Author: "server", Summary: "published before versions", Entries: len(k.Entries),
		IfVersion: &zero,
	})
	if errors.Is(err, store.ErrConflict) {
		return false, nil // another node made it
	}
	if err != nil {
		return false, fmt.Errorf("first knowledge base version: %w", err)
	}
	return true, nil
}

// Sum returns the SHA-256 of a knowledge base's bytes in hex, as SumKey
// holds it.
func Sum(data []byte) string { return sum(data) }

func sum(data []byte) string {
	h := sha256.Sum256(data)
	return hex.EncodeToString(h[:])
}

// Shared follows the knowledge base published in the store. It is used by
// one goroutine at a time.
type Shared struct {
	st   Settings
	last string // the sum setting as of the last one loaded
}

// NewShared returns a follower of the knowledge base published in st.
func NewShared(st Settings) *Shared { return &Shared{st: st} }

// Load loads the published knowledge base if it changed since the last
// Load (the first Load sees any as changed). It returns nil and no error
// when there is none or it is unchanged. One that fails to load counts as
// seen: it is not tried again until another is published.
func (s *Shared) Load(ctx context.Context) (*KB, error) {
	cur, ok, err := s.st.Setting(ctx, SumKey)
	if err != nil {
		return nil, fmt.Errorf("read the knowledge base's sum: %w", err)
	}
	if !ok || cur == s.last {
		return nil, nil
	}
	data, ok, err := s.st.Setting(ctx, SettingKey)
	if err != nil {
		return nil, fmt.Errorf("read the knowledge base: %w", err)
	}
	if !ok {
		return nil, nil
	}
	// The sum read before the data is what is remembered: a publish
	// racing the read changes the sum again, and the next Load reads once
	// more.
	s.last = cur
	return Load(bytes.NewReader([]byte(data)))
}

// Run calls Load when kick receives and every interval until ctx is done,
// and hands each changed knowledge base to apply. One that fails to load,
// or that apply refuses, is logged as an error; the caller keeps the
// knowledge base it had.
func (s *Shared) Run(ctx context.Context, interval time.Duration, kick <-chan struct{}, log *slog.Logger, apply func(*KB) error) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-kick:
		}
		k, err := s.Load(ctx)
		if err == nil && k != nil {
			err = apply(k)
		}
		if err != nil && ctx.Err() == nil {
			log.Error("reload knowledge base, keeping the current one", "err", err)
		}
	}
}
